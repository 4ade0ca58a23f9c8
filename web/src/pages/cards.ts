// 被保険者証 一括作成 (#/cards): the monthly batch of cards for everybody insured here who reaches
// 65 in a month (法10条: 第1号 from the day before the 65th birthday) — pick the month, run, and
// download each run's print file.
import { errorBanner, h, mount } from '../dom';
import { monthLabel, parseMonthInput } from '../eligibility';
import type { BatchRun } from '../eligibility_types';
import { batchOutputUrl, eligibilityApi } from '../api_eligibility';
import { formatCount, formatTimestamp } from '../format';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, infoBanner, submitWith, textField } from './forms';

const RUN_STATUS: Record<string, string> = { running: '実行中', done: '完了', completed: '完了', failed: '失敗', empty: '対象なし' };

/** Next month as `YYYY-MM`: cards are printed ahead of the birthday month. */
function nextMonth(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

export function renderCardBatches(ctx: PageContext): void {
  const banner = h('div', { class: 'banner-slot' });
  const result = h('div', { class: 'banner-slot', id: 'card-batch-result' });
  const month = textField('card-batch-month', '対象月 (65歳到達)', '例: 2026-12 / R8.12', nextMonth());
  const hint = h('span', { class: 'muted', id: 'card-batch-month-label' }, monthLabel(nextMonth()));
  const run = h('button', { type: 'submit', class: 'btn btn-primary', id: 'card-batch-run' }, '作成する');
  const runs = h('div', { id: 'card-batch-runs' }, h('p', { class: 'muted' }, '読み込み中…'));
  const errors = fieldErrors(banner, { month: month.el });
  month.el.addEventListener('input', () => {
    const m = parseMonthInput(month.el.value);
    mount(hint, m ? monthLabel(m) : '');
  });

  const loadRuns = async () => {
    try {
      const { items } = await eligibilityApi.cardBatches();
      if (ctx.isCurrent()) mount(runs, runTable(items));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      mount(runs);
    }
  };

  mount(
    ctx.main,
    h('h1', { class: 'page-title' }, '被保険者証 一括作成'),
    h(
      'form',
      {
        class: 'panel',
        id: 'card-batch-form',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          mount(result);
          const m = parseMonthInput(month.el.value);
          if (!m) return errors.show('対象月は 2026-12 または R8.12 の形で入力してください', 'month');
          errors.clear();
          const r = await submitWith(ctx, run, errors, () => eligibilityApi.runCardBatch(m));
          if (!r || !ctx.isCurrent()) return;
          mount(
            result,
            infoBanner(
              `${monthLabel(m)}に65歳に到達する被保険者 ${formatCount(r.count)}人の被保険者証を作成しました`,
              r.count > 0 ? [' (', h('a', { href: batchOutputUrl(r.batch_run_id), target: '_blank', id: 'card-batch-output' }, '印刷用PDF'), ')'] : null,
            ),
          );
          void loadRuns();
        },
      },
      h('p', { class: 'muted section-note' }, '指定した月に65歳に到達し、当市の被保険者である人全員の被保険者証を1つの印刷ファイルに作成します。'),
      h('div', { class: 'inline-form' }, month.wrap, hint, run),
    ),
    banner,
    result,
    h('section', { class: 'panel' }, h('h2', {}, '作成履歴'), runs),
  );
  void loadRuns();
}

function runTable(items: BatchRun[]): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty small-empty', id: 'card-batch-empty' }, 'まだ作成していません');
  return h(
    'table',
    { class: 'grid', id: 'card-batch-table' },
    h('thead', {}, h('tr', {}, ['実行ID', '対象月', '状態', '枚数', '開始', '終了', '実行者', '印刷ファイル'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      items.map((r) =>
        h(
          'tr',
          { 'data-batch-run-id': r.batch_run_id, 'data-status': r.status },
          h('td', { class: 'mono num' }, String(r.batch_run_id)),
          h('td', { class: 'nowrap' }, r.month ? monthLabel(r.month) : ''),
          h('td', {}, RUN_STATUS[r.status] ?? r.status),
          h('td', { class: 'num' }, formatCount(r.count)),
          h('td', { class: 'nowrap' }, formatTimestamp(r.started_at)),
          h('td', { class: 'nowrap' }, formatTimestamp(r.finished_at)),
          h('td', { class: 'mono small' }, r.started_by ?? ''),
          h('td', {}, r.count > 0 && r.output ? h('a', { href: batchOutputUrl(r.batch_run_id), target: '_blank', class: 'batch-output' }, 'PDF') : h('span', { class: 'muted' }, '—')),
        ),
      ),
    ),
  );
}
