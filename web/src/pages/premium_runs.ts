// 賦課 バッチ (#/premium/runs): the yearly run (本算定) and the revision runs (異動賦課). 「本算定を開始」
// opens the year's run (POST /premium/runs {job: annual}); the server's background job works it in
// chunks, so the list is fetched again every second while a run is 実行中 and each shows a progress
// bar (done / total). 「異動賦課を実行」 runs at once and answers its counts. Below, the FK-11 print runs:
// 「決定通知書を一括作成」 notices every assessment of the year not noticed yet (decisions and
// revisions) into print files, worked in the background like the 本算定; each file is a link.
import '../premium.css';
import { errorBanner, h, mount } from '../dom';
import { formatCount, formatTimestamp } from '../format';
import { fiscalYearChoices, fiscalYearLabel, fiscalYearOf, fiscalYearOption, progressPercent, runJobLabel, runStatusLabel } from '../premium';
import type { NoticeRun, PremiumRun } from '../premium_types';
import { noticeRunFileUrl, premiumApi } from '../api_premium';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, infoBanner, submitWith } from './forms';
import { clockTime, labelledSelect } from './inquiry_parts';

/** While a run is 実行中 the list is fetched again this often. */
export const RUN_POLL_MS = 1000;

export function renderPremiumRuns(ctx: PageContext): void {
  const current = fiscalYearOf();
  const fy = labelledSelect('run-fiscal-year', '年度', String(current), fiscalYearChoices(current).map((y) => [String(y), fiscalYearOption(y)]));
  const banner = h('div', { class: 'banner-slot' });
  const result = h('div', { class: 'banner-slot', id: 'premium-run-result' });
  const list = h('div', { id: 'premium-runs' }, h('p', { class: 'muted' }, '読み込み中…'));
  const updated = h('span', { class: 'muted small', id: 'premium-runs-updated' });
  const annual = h('button', { type: 'submit', class: 'btn btn-primary', id: 'premium-run-annual' }, '本算定を開始');
  const revisions = h('button', { type: 'button', class: 'btn', id: 'premium-run-revisions' }, '異動賦課を実行');
  const notices = h('button', { type: 'button', class: 'btn', id: 'premium-notice-run' }, '決定通知書を一括作成');
  const noticeList = h('div', { id: 'premium-notice-runs' }, h('p', { class: 'muted' }, '読み込み中…'));
  const errors = fieldErrors(banner, { fiscal_year: fy.el });
  let polling = false;

  const load = async (): Promise<boolean> => {
    try {
      const [{ runs }, noticeRuns] = await Promise.all([premiumApi.runs(), premiumApi.noticeRuns().then((r) => r.runs, () => null)]);
      if (!ctx.isCurrent()) return false;
      mount(list, runTable(runs));
      // A server without the FK-11 routes shows no print runs.
      mount(noticeList, noticeRuns === null ? h('p', { class: 'muted' }, '通知書の作成履歴を読めませんでした') : noticeTable(noticeRuns));
      mount(updated, `最終更新 ${clockTime()}`);
      return runs.some((r) => r.status === 'running') || (noticeRuns ?? []).some((r) => r.status === 'running');
    } catch (e) {
      if (!ctx.isCurrent()) return false;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      mount(list);
      return false;
    }
  };
  // One poll loop at a time; it ends when no run is 実行中 or the page is left.
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      while (ctx.isCurrent() && (await load())) await new Promise((r) => window.setTimeout(r, RUN_POLL_MS));
    } finally {
      polling = false;
    }
  };

  revisions.addEventListener('click', async () => {
    mount(result);
    errors.clear();
    const r = await submitWith(ctx, revisions, errors, () => premiumApi.runRevisions());
    if (!r || !ctx.isCurrent()) return;
    mount(
      result,
      infoBanner(
        r.status === 'nothing_queued' || r.batch_run_id === 0
          ? '異動賦課: 待っている異動はありません'
          : `異動賦課 (実行ID ${r.batch_run_id}): 新規 ${formatCount(r.created)}件・更正 ${formatCount(r.revised)}件・変更なし ${formatCount(r.unchanged)}件`,
      ),
    );
    void poll();
  });

  notices.addEventListener('click', async () => {
    mount(result);
    errors.clear();
    const year = Number(fy.el.value);
    const r = await submitWith(ctx, notices, errors, () => premiumApi.startNoticeRun(year));
    if (!r || !ctx.isCurrent()) return;
    mount(
      result,
      infoBanner(
        r.batch_run_id === 0
          ? `${fiscalYearLabel(year)}: 通知していない賦課はありません`
          : `${fiscalYearLabel(year)}の決定通知書の作成を開始しました (実行ID ${r.batch_run_id})。印刷ファイルは下の一覧に表示されます`,
      ),
    );
    void poll();
  });

  mount(
    ctx.main,
    h('h1', { class: 'page-title' }, '賦課 バッチ (本算定・異動賦課・決定通知書)'),
    h(
      'form',
      {
        class: 'panel',
        id: 'premium-run-form',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          mount(result);
          errors.clear();
          const year = Number(fy.el.value);
          const r = await submitWith(ctx, annual, errors, () => premiumApi.startAnnual(year));
          if (!r || !ctx.isCurrent()) return;
          mount(
            result,
            infoBanner(
              r.status === 'running'
                ? `${fiscalYearLabel(year)}の本算定を開始しました (実行ID ${r.batch_run_id}・対象 ${formatCount(r.total)}人)。進捗は下の一覧に表示されます`
                : `${fiscalYearLabel(year)}の本算定は実行済みです (実行ID ${r.batch_run_id}・${runStatusLabel(r.status)})`,
            ),
          );
          void poll();
        },
      },
      h(
        'p',
        { class: 'muted section-note' },
        '本算定は年度の第1号被保険者全員を賦課します (中断しても続きから再開し、重複はありません)。異動賦課は資格・所得・世帯・生活保護等の異動があった人を算定し直します。',
      ),
      h('div', { class: 'inline-form' }, fy.wrap, annual, revisions, notices),
    ),
    banner,
    result,
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '実行履歴', h('span', { class: 'sub' }, '新しい順'), h('button', { type: 'button', class: 'btn btn-small', id: 'premium-runs-refresh', onclick: () => void poll() }, '更新'), updated),
      list,
    ),
    h('section', { class: 'panel' }, h('h2', {}, '決定通知書 一括作成 (FK-11)', h('span', { class: 'sub' }, '通知していない当初賦課・更正を印刷ファイルに')), noticeList),
  );
  void poll();
}

function noticeTable(runs: NoticeRun[]): HTMLElement {
  if (runs.length === 0) return h('div', { class: 'empty small-empty', id: 'premium-notice-runs-empty' }, 'まだ作成していません');
  return h(
    'table',
    { class: 'grid', id: 'premium-notice-run-table' },
    h('thead', {}, h('tr', {}, ['実行ID', '年度', '状態', '通知書', '印刷ファイル', '開始', '終了', '実行者'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      runs.map((r) =>
        h(
          'tr',
          { 'data-batch-run-id': r.batch_run_id, 'data-status': r.status },
          h('td', { class: 'mono num' }, String(r.batch_run_id)),
          h('td', { class: 'nowrap' }, fiscalYearLabel(r.fiscal_year)),
          h('td', {}, h('span', { class: `badge run-${r.status}` }, runStatusLabel(r.status))),
          h('td', { class: 'num' }, `${formatCount(r.notices)}件`),
          h(
            'td',
            {},
            r.files === 0
              ? h('span', { class: 'muted' }, '—')
              : Array.from({ length: r.files }, (_, i) =>
                  h('a', { href: noticeRunFileUrl(r.batch_run_id, i + 1), target: '_blank', rel: 'noopener', class: 'notice-file' }, `PDF ${i + 1}`),
                ),
          ),
          h('td', { class: 'nowrap' }, formatTimestamp(r.started_at)),
          h('td', { class: 'nowrap' }, formatTimestamp(r.finished_at)),
          h('td', { class: 'mono small' }, r.started_by),
        ),
      ),
    ),
  );
}

function runTable(runs: PremiumRun[]): HTMLElement {
  if (runs.length === 0) return h('div', { class: 'empty small-empty', id: 'premium-runs-empty' }, 'まだ実行していません');
  return h(
    'table',
    { class: 'grid premium-runs', id: 'premium-run-table' },
    h('thead', {}, h('tr', {}, ['実行ID', '種別', '対象', '状態', '進捗', '開始', '終了', '実行者'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      runs.map((r) => {
        const pct = progressPercent(r.done, r.total, r.status);
        return h(
          'tr',
          { 'data-batch-run-id': r.batch_run_id, 'data-job': r.job, 'data-status': r.status, 'data-run-key': r.run_key },
          h('td', { class: 'mono num' }, String(r.batch_run_id)),
          h('td', { class: 'nowrap' }, runJobLabel(r.job)),
          h('td', { class: 'nowrap' }, r.job === 'premium_annual' && /^\d{4}$/.test(r.run_key) ? fiscalYearLabel(Number(r.run_key)) : formatTimestamp(r.run_key)),
          h('td', {}, h('span', { class: `badge run-${r.status}` }, runStatusLabel(r.status))),
          h(
            'td',
            { class: 'progress-cell' },
            h('progress', { max: Math.max(r.total, 1), value: r.total > 0 ? Math.min(r.done, r.total) : r.status === 'running' ? 0 : 1, 'aria-label': '進捗' }),
            h('span', { class: 'progress-text' }, `${formatCount(r.done)} / ${formatCount(r.total)}人 (${pct}%)`),
          ),
          h('td', { class: 'nowrap' }, formatTimestamp(r.started_at)),
          h('td', { class: 'nowrap' }, formatTimestamp(r.finished_at)),
          h('td', { class: 'mono small' }, r.started_by),
        );
      }),
    ),
  );
}
