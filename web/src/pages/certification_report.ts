// 認定 集計・出力 (#/certification/report?from=2025-12&to=2026-11): how long decisions take — per
// month (件数, 平均, 中央値, 最大, 30日以内の割合), per stage, per contractor and per doctor's
// institution, with bars against the 30-day deadline (法27条11項) — then the renewals coming due
// with 「更新申請のお知らせ」 (the batch; 施行規則: renewals open 60 days before the end), and the
// outputs: NT-14 results to welfare, the fees owed and the payment files (NT-15/16/17).
import { errorBanner, h, mount, type Child } from '../dom';
import { certificationApi, documentUrl } from '../api_certification';
import {
  barPercent,
  canWorkCertification,
  careLevelLabel,
  daysText,
  feeFlowLabel,
  monthLabel,
  monthOf,
  monthsBefore,
  parseMonth,
  percentText,
  printJobLabel,
} from '../certification';
import type { FeeRow, PartyRow, PrintRun, RenewalRow, Report } from '../certification_types';
import { formatCount, formatTimestamp, toWareki } from '../format';
import { formatYen } from '../premium';
import { buildQuery } from '../query';
import { personHash } from '../router';
import { currentUser } from '../session';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, infoBanner, submitWith, textField } from './forms';
import { certificationHash } from './certification_parts';

/** Fees read for the totals per flow; beyond this the screen says the sum is of the first ones. */
const FEE_LIMIT = 1000;

/** The deadline the bars are drawn against (the law's 30 days; the rule file may say otherwise, the bars are only a guide). */
const DEADLINE_GUIDE_DAYS = 30;

export function renderCertificationReport(ctx: PageContext, query: Record<string, string>): void {
  const to = parseMonth(query.to ?? '') ?? monthOf();
  const from = parseMonth(query.from ?? '') ?? monthsBefore(to, 11);
  const fromField = textField('report-from', '集計開始月', '2025-12', from);
  const toField = textField('report-to', '集計終了月', '2026-11', to);
  const banner = h('div', { class: 'banner-slot' });
  const report = h('div', { id: 'report-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  const renewals = h('div', { id: 'renewals' });
  const prints = h('div', { id: 'print-runs' });
  const outputs = h('div', { id: 'outputs' });
  const errors = fieldErrors(banner, { from: fromField.el, to: toField.el });
  const mayWork = canWorkCertification(currentUser()?.roles ?? []);

  mount(
    ctx.main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, '認定 集計・出力'), h('a', { href: '#/certification', class: 'back' }, '← 申請一覧へ')),
    h(
      'form',
      {
        class: 'panel report-range',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          const f = parseMonth(fromField.el.value);
          const t = parseMonth(toField.el.value);
          if (!f) return errors.show('集計開始月を 2026-04 の形で入力してください', 'from');
          if (!t) return errors.show('集計終了月を 2026-11 の形で入力してください', 'to');
          if (f > t) return errors.show('集計開始月は終了月以前にしてください', 'from');
          location.hash = `#/certification/report${buildQuery({ from: f, to: t })}`;
        },
      },
      fromField.wrap,
      toField.wrap,
      h('button', { type: 'submit', class: 'btn', id: 'report-run' }, '集計'),
    ),
    banner,
    report,
    renewals,
    prints,
    outputs,
  );

  void certificationApi.report(from, to).then(
    (r) => ctx.isCurrent() && mount(report, ...reportView(r)),
    (e: unknown) => {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      mount(report);
    },
  );
  mount(renewals, renewalSection(ctx, mayWork));
  mount(prints, printSection(ctx, mayWork));
  mount(outputs, outputSection(ctx, mayWork));
}

function bar(days: number | null, max: number): Child {
  if (days === null) return null;
  const el = h('span', { class: `bar${days > DEADLINE_GUIDE_DAYS ? ' over' : ''}` });
  el.style.width = `${barPercent(days, max) * 2}px`;
  return el;
}

function reportView(r: Report): Child[] {
  const max = Math.max(DEADLINE_GUIDE_DAYS, ...r.months.map((m) => m.max_days ?? 0), ...r.stages.map((s) => s.mean_days ?? 0));
  const meanMax = Math.max(DEADLINE_GUIDE_DAYS, ...r.months.map((m) => m.mean_days ?? 0));
  return [
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '申請から決定までの日数 (月別)', h('span', { class: 'sub' }, `${monthLabel(r.from)}〜${monthLabel(r.to)}・決定月で集計・棒は平均 (赤: 30日超)`)),
      r.months.length === 0
        ? h('div', { class: 'empty small-empty' }, 'この期間の決定はありません')
        : h(
            'table',
            { class: 'grid', id: 'report-months' },
            h('thead', {}, h('tr', {}, ['月', '件数', '平均', '中央値', '最大', '30日以内', '平均日数'].map((c) => h('th', {}, c)))),
            h(
              'tbody',
              {},
              r.months.map((m) =>
                h(
                  'tr',
                  { 'data-month': m.month },
                  h('td', { class: 'nowrap' }, monthLabel(m.month)),
                  h('td', { class: 'num' }, formatCount(m.count)),
                  h('td', { class: 'num' }, daysText(m.mean_days)),
                  h('td', { class: 'num' }, daysText(m.median_days)),
                  h('td', { class: `num${(m.max_days ?? 0) > DEADLINE_GUIDE_DAYS ? ' error-count' : ''}` }, daysText(m.max_days)),
                  h('td', { class: 'num' }, percentText(m.within_deadline)),
                  h('td', { class: 'bar-cell' }, bar(m.mean_days, meanMax)),
                ),
              ),
            ),
            r.total && r.total.count > 0
              ? h(
                  'tfoot',
                  {},
                  h(
                    'tr',
                    { id: 'report-total' },
                    h('td', {}, '合計'),
                    h('td', { class: 'num' }, formatCount(r.total.count)),
                    h('td', { class: 'num' }, daysText(r.total.mean_days)),
                    h('td', { class: 'num' }, daysText(r.total.median_days)),
                    h('td', { class: 'num' }, daysText(r.total.max_days)),
                    h('td', { class: 'num' }, percentText(r.total.within_deadline)),
                    h('td', { class: 'bar-cell' }, bar(r.total.mean_days, meanMax)),
                  ),
                )
              : null,
          ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '段階ごとの平均日数'),
      h(
        'table',
        { class: 'grid', id: 'report-stages' },
        h('thead', {}, h('tr', {}, ['段階', '平均', ''].map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          r.stages.map((s) =>
            h('tr', { 'data-stage': s.stage }, h('td', {}, s.label), h('td', { class: 'num' }, daysText(s.mean_days)), h('td', { class: 'bar-cell' }, bar(s.mean_days, max))),
          ),
        ),
      ),
    ),
    h('div', { class: 'outputs' }, partyTable('調査委託先ごと (依頼から結果受領まで)', 'report-contractors', r.contractors), partyTable('医療機関ごと (依頼から意見書受領まで)', 'report-institutions', r.institutions)),
  ];
}

function partyTable(title: string, id: string, rows: PartyRow[]): HTMLElement {
  const max = Math.max(1, ...rows.map((p) => p.mean_days ?? 0));
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, title),
    rows.length === 0
      ? h('div', { class: 'empty small-empty' }, 'この期間の実績はありません')
      : h(
          'table',
          { class: 'grid', id },
          h('thead', {}, h('tr', {}, ['名称', '件数', '平均', '期限後', ''].map((c) => h('th', {}, c)))),
          h(
            'tbody',
            {},
            [...rows]
              .sort((a, b) => (b.mean_days ?? 0) - (a.mean_days ?? 0))
              .map((p) =>
                h(
                  'tr',
                  { 'data-code': p.code },
                  h('td', {}, `${p.name} (${p.code})`),
                  h('td', { class: 'num' }, formatCount(p.count)),
                  h('td', { class: 'num' }, daysText(p.mean_days)),
                  h('td', { class: `num${p.overdue ? ' error-count' : ''}` }, p.overdue === undefined ? '—' : `${formatCount(p.overdue)}件`),
                  h('td', { class: 'bar-cell' }, (() => {
                    const el = h('span', { class: 'bar' });
                    el.style.width = `${barPercent(p.mean_days, max)}%`;
                    return el;
                  })()),
                ),
              ),
          ),
        ),
  );
}

/** 更新: certifications ending within 60 days, whether a renewal was applied for, and the reminder batch. */
function renewalSection(ctx: PageContext, mayWork: boolean): HTMLElement {
  const banner = h('div', { class: 'banner-slot' });
  const result = h('div', { class: 'banner-slot', id: 'renewal-result' });
  const list = h('div', { id: 'renewal-list' }, h('p', { class: 'muted' }, '読み込み中…'));
  const remind = h('button', { type: 'button', class: 'btn btn-primary', id: 'renewal-remind' }, '更新申請のお知らせを作成');
  const errors = fieldErrors(banner, {});
  const load = () =>
    certificationApi.renewals(60).then(
      ({ items }) => ctx.isCurrent() && mount(list, renewalTable(items)),
      (e: unknown) => {
        if (!ctx.isCurrent()) return;
        const message = failureMessage(ctx, e);
        if (message !== null) mount(list, errorBanner(message));
      },
    );
  remind.addEventListener('click', async () => {
    errors.clear();
    const r = await submitWith(ctx, remind, errors, () => certificationApi.sendRenewalReminders());
    if (!r || !ctx.isCurrent()) return;
    mount(
      result,
      infoBanner(
        r.issued === 0 ? 'お知らせを送る相手はいません (送付済または申請済)' : `更新申請のお知らせを${formatCount(r.issued)}件作成しました。`,
        r.pdf ? h('a', { href: r.pdf, target: '_blank', rel: 'noopener', id: 'renewal-print-file' }, '印刷ファイル (PDF)') : null,
      ),
    );
    void load();
  });
  void load();
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, '更新の近い認定', h('span', { class: 'sub' }, '有効期間の終了まで60日以内 (更新申請は満了の60日前から)')),
    mayWork ? h('div', { class: 'session-actions' }, remind) : null,
    banner,
    result,
    list,
  );
}

function renewalTable(items: RenewalRow[]): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty small-empty', id: 'renewal-empty' }, '60日以内に終わる認定はありません');
  return h(
    'table',
    { class: 'grid', id: 'renewal-table' },
    h('thead', {}, h('tr', {}, ['氏名', '被保険者番号', '要介護状態区分', '有効期間の終了', '残り', '更新申請', 'お知らせ'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      items.map((r) =>
        h(
          'tr',
          { 'data-certification-id': r.certification_id },
          h('td', {}, h('a', { href: personHash(r.person_id) }, r.name)),
          h('td', { class: 'mono' }, r.insured_no),
          h('td', {}, r.care_level_label ?? careLevelLabel(r.care_level)),
          h('td', { class: 'nowrap' }, toWareki(r.valid_to)),
          h('td', { class: `num${r.days_left <= 14 ? ' error-count' : ''}` }, `${r.days_left}日`),
          h('td', {}, r.renewal_application ? h('a', { href: certificationHash(r.renewal_application.application_id) }, r.renewal_application.application_no) : h('span', { class: 'note' }, '未申請')),
          h(
            'td',
            { class: 'nowrap' },
            r.reminder
              ? h('a', { href: documentUrl(r.reminder.document_id), target: '_blank', rel: 'noopener' }, toWareki(r.reminder.issued_on))
              : h('span', { class: 'muted' }, '未送付'),
          ),
        ),
      ),
    ),
  );
}

/** NT-13 as a batch (every decided application not notified yet) and the print runs with their files. */
function printSection(ctx: PageContext, mayWork: boolean): HTMLElement {
  const result = h('div', { class: 'banner-slot', id: 'notice-run-result' });
  const list = h('div', { id: 'print-run-list' }, h('p', { class: 'muted' }, '読み込み中…'));
  const run = h('button', { type: 'button', class: 'btn btn-primary', id: 'notice-run' }, '認定結果通知書を一括作成 (NT-13)');
  const errors = fieldErrors(result, {});
  const load = () =>
    certificationApi.printRuns().then(
      ({ items }) => ctx.isCurrent() && mount(list, printRunTable(items)),
      (e: unknown) => {
        if (!ctx.isCurrent()) return;
        const message = failureMessage(ctx, e);
        if (message !== null) mount(list, errorBanner(message));
      },
    );
  run.addEventListener('click', async () => {
    errors.clear();
    const r = await submitWith(ctx, run, errors, () => certificationApi.noticeRun());
    if (!r || !ctx.isCurrent()) return;
    mount(
      result,
      infoBanner(
        r.notices === 0 ? '通知していない決定はありません' : `認定結果通知書 ${formatCount(r.notices)}件・被保険者証 ${formatCount(r.cards)}件を作成しました (実行ID ${r.batch_run_id})。`,
        r.pdf ? h('a', { href: r.pdf, target: '_blank', rel: 'noopener', id: 'notice-run-pdf' }, '印刷ファイル (PDF)') : null,
      ),
    );
    void load();
  });
  void load();
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, '通知書の一括作成・印刷ファイル', h('span', { class: 'sub' }, '決定済で未通知の申請をまとめて通知します')),
    mayWork ? h('div', { class: 'session-actions' }, run) : null,
    result,
    list,
  );
}

function printRunTable(items: PrintRun[]): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty small-empty', id: 'print-runs-empty' }, '印刷ファイルはまだありません');
  return h(
    'table',
    { class: 'grid', id: 'print-run-table' },
    h('thead', {}, h('tr', {}, ['実行ID', '種別', '状態', '件数', '印刷ファイル', '開始', '終了', '実行者'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      items.slice(0, 20).map((r) =>
        h(
          'tr',
          { 'data-batch-run-id': r.batch_run_id, 'data-job': r.job },
          h('td', { class: 'mono num' }, String(r.batch_run_id)),
          h('td', {}, printJobLabel(r.job)),
          h('td', {}, r.status === 'done' ? '完了' : r.status === 'running' ? '実行中' : r.status),
          h('td', { class: 'num' }, `${formatCount(r.documents)}件`),
          h('td', {}, r.pdf ? h('a', { href: r.pdf, target: '_blank', rel: 'noopener' }, 'PDF') : h('span', { class: 'muted' }, '—')),
          h('td', { class: 'nowrap' }, formatTimestamp(r.started_at)),
          h('td', { class: 'nowrap' }, formatTimestamp(r.finished_at)),
          h('td', { class: 'mono small' }, r.started_by),
        ),
      ),
    ),
  );
}

/** NT-14 to welfare now; the fees owed and the payment files to accounting (NT-15/16/17). */
function outputSection(ctx: PageContext, mayWork: boolean): HTMLElement {
  const welfareOut = h('div', { class: 'banner-slot', id: 'welfare-result' });
  const feeOut = h('div', { class: 'banner-slot', id: 'fee-run-result' });
  const fees = h('div', { id: 'fee-list' }, h('p', { class: 'muted' }, '読み込み中…'));
  const welfare = h('button', { type: 'button', class: 'btn btn-primary', id: 'welfare-send' }, '認定結果を福祉へ送る (NT-14)');
  const feeRun = h('button', { type: 'button', class: 'btn btn-primary', id: 'fee-run' }, '支払データを作成 (NT-15/16/17)');
  const welfareErrors = fieldErrors(welfareOut, {});
  const feeErrors = fieldErrors(feeOut, {});
  const loadFees = () =>
    certificationApi.fees(false, FEE_LIMIT).then(
      ({ items }) => ctx.isCurrent() && mount(fees, feeTable(items), items.length >= FEE_LIMIT ? h('p', { class: 'note small' }, `先頭${FEE_LIMIT}件の集計です`) : null),
      (e: unknown) => {
        if (!ctx.isCurrent()) return;
        const message = failureMessage(ctx, e);
        if (message !== null) mount(fees, errorBanner(message));
      },
    );
  welfare.addEventListener('click', async () => {
    welfareErrors.clear();
    const r = await submitWith(ctx, welfare, welfareErrors, () => certificationApi.resultsToWelfare());
    if (!r || !ctx.isCurrent()) return;
    mount(welfareOut, infoBanner(r.rows === 0 ? '送る認定結果はありません (前回から変更なし)' : `認定結果 ${formatCount(r.rows)}件を送りました (連携 #${r.exchange_id})`));
  });
  feeRun.addEventListener('click', async () => {
    feeErrors.clear();
    const r = await submitWith(ctx, feeRun, feeErrors, () => certificationApi.feeRun());
    if (!r || !ctx.isCurrent()) return;
    mount(
      feeOut,
      r.files.length === 0
        ? infoBanner('未送付の支払はありません')
        : h(
            'div',
            { class: 'banner info', role: 'status' },
            '支払データを作成しました',
            h('ul', { id: 'fee-run-files' }, r.files.map((f) => h('li', { 'data-flow-id': f.flow_id }, `${f.flow_id} ${feeFlowLabel(f.flow_id)}: ${formatCount(f.rows)}件・${formatYen(f.total)} (連携 #${f.exchange_id})`))),
          ),
    );
    void loadFees();
  });
  void loadFees();
  return h(
    'div',
    { class: 'outputs' },
    h('section', { class: 'panel' }, h('h2', {}, '福祉への提供 (NT-14)'), h('p', { class: 'muted small' }, '前回の送付以降に認定・変更・取消された結果を総合福祉システムへファイルで送ります。'), mayWork ? welfare : null, welfareOut),
    h('section', { class: 'panel' }, h('h2', {}, '報酬・委託料の支払 (NT-15/16/17)', h('span', { class: 'sub' }, '未送付')), mayWork ? feeRun : null, feeOut, fees),
  );
}

function feeTable(items: FeeRow[]): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty small-empty', id: 'fee-empty' }, '未送付の支払はありません');
  const byFlow = new Map<string, { rows: number; total: number }>();
  for (const f of items) {
    const t = byFlow.get(f.flow_id) ?? { rows: 0, total: 0 };
    t.rows += 1;
    t.total += f.amount;
    byFlow.set(f.flow_id, t);
  }
  return h(
    'table',
    { class: 'grid', id: 'fee-table' },
    h('thead', {}, h('tr', {}, ['連携', '支払先', '件数', '金額'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      [...byFlow.entries()].sort().map(([flow, t]) =>
        h(
          'tr',
          { 'data-flow-id': flow },
          h('td', {}, `${flow} ${feeFlowLabel(flow)}`),
          h('td', {}, `${new Set(items.filter((f) => f.flow_id === flow).map((f) => f.payee_code)).size}先`),
          h('td', { class: 'num' }, `${formatCount(t.rows)}件`),
          h('td', { class: 'num' }, formatYen(t.total)),
        ),
      ),
    ),
  );
}
