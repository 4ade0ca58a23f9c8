// 高額介護サービス費 (#/benefit/high-cost?month=2026-10): the month's benefit totals (KY-04), 「この月を
// 計算する」 (POST /benefit/high-cost-runs — resumable, so running a month again changes only what
// changed), the month's decisions with their explanation and the 支給決定通知書 (KY-16), and
// 「支払データを送る (KY-17)」 with the payment files sent. The month is in the hash.
import { benefitApi, type HighCostRun, type PaymentFile } from '../api_benefit';
import { h, mount, type Child } from '../dom';
import { monthOf, monthsBefore, parseMonth } from '../certification';
import { formatTimestamp } from '../format';
import { formatYen } from '../premium';
import type { PageContext } from './context';
import { fieldErrors, infoBanner, submitWith, textField } from './forms';
import { runSummary } from './benefit_format';
import { empty, gate, loadPart, monthText, pdfLink, table } from './benefit_parts';
import { writeFailureText } from './benefit_person';

export function renderBenefitHighCost(ctx: PageContext, query: Record<string, string>): void {
  // The month whose records are in: the one before last by default (KY-04 arrives the month after the review month).
  const month = parseMonth(query.month ?? '') ?? monthsBefore(monthOf(), 2);
  const monthField = textField('high-cost-month', 'サービス提供月', '2026-10', month);
  const banner = h('div', { class: 'banner-slot', id: 'high-cost-run-result' });
  const errors = fieldErrors(banner, { month: monthField.el });
  const summary = h('div', { id: 'high-cost-month-summary' });
  const runs = h('div', { id: 'high-cost-runs' });
  const payBanner = h('div', { class: 'banner-slot', id: 'payment-file-result' });
  const payErrors = fieldErrors(payBanner, {});
  const payments = h('div', { id: 'payment-files' }, h('p', { class: 'muted' }, '読み込み中…'));
  const run = h('button', { type: 'button', class: 'btn btn-primary', id: 'high-cost-run' }, 'この月を計算する');
  const pay = h('button', { type: 'button', class: 'btn btn-primary', id: 'payment-file-send' }, '支払データを送る (KY-17)');

  const loadSummary = () =>
    loadPart(ctx, summary, 'この月の給付実績', () => benefitApi.monthSummary(month), (r) => {
      // The server nests the sums (totals: records, total_cost, …); shown flat beside the persons.
      const totals = r.totals && typeof r.totals === 'object' ? (r.totals as Record<string, unknown>) : {};
      return h('p', { id: 'high-cost-month-totals' }, monthText(month), ' ', runSummary({ persons: r.persons, ...totals, ...(r.totals ? {} : r) }));
    });
  const loadRuns = () =>
    loadPart(ctx, runs, '実行履歴', () => benefitApi.highCostRuns(), (items) => runsView(items.filter((x) => !x.month || x.month === month)));
  const loadPayments = () =>
    loadPart(ctx, payments, '支払データ', () => benefitApi.paymentFiles(), (items) => paymentsView(items)).then((ok) => {
      pay.hidden = !ok;
    });

  gate(run, 'POST', '/benefit/high-cost-runs', '月次計算');
  gate(pay, 'POST', '/benefit/payment-files', '支払データの送信');
  run.addEventListener('click', async () => {
    errors.clear();
    const r = await submitWith(ctx, run, { show: (m, f) => errors.show(writeFailureText(m), f) }, () => benefitApi.runHighCost(month));
    if (!r || !ctx.isCurrent()) return;
    mount(
      banner,
      infoBanner(
        `計算しました: ${runSummary(r)} `,
        r.pdf ? pdfLink(r.pdf, '支給決定通知書 (印刷ファイル)', 'high-cost-run-pdf') : null,
        ' 一人ずつの決定と説明は個人ページ (給付) にあります。',
      ),
    );
    void loadRuns();
    void loadPayments();
  });
  pay.addEventListener('click', async () => {
    payErrors.clear();
    const r = await submitWith(ctx, pay, { show: (m, f) => payErrors.show(writeFailureText(m), f) }, () => benefitApi.sendPaymentFile('KY-17'));
    if (!r || !ctx.isCurrent()) return;
    const sent = 'items' in r && Array.isArray(r.items) ? r.items : [r as PaymentFile];
    const lines = sent.filter((f) => (f.rows ?? 0) > 0).map((f) => `${f.flow_id ?? f.flow ?? ''} ${f.rows}件 ${typeof f.total === 'number' ? formatYen(f.total) : ''}${f.exchange_id ? ` (連携 #${f.exchange_id})` : ''}`);
    mount(payBanner, infoBanner(lines.length ? `支払データを送りました: ${lines.join('・')}` : '送る支払はありません'));
    void loadPayments();
  });

  mount(
    ctx.main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, '高額介護サービス費')),
    h(
      'form',
      {
        class: 'panel report-range',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          const m = parseMonth(monthField.el.value);
          if (!m) return errors.show('サービス提供月を 2026-10 の形で入力してください', 'month');
          location.hash = `#/benefit/high-cost?month=${m}`;
        },
      },
      monthField.wrap,
      h('button', { type: 'submit', class: 'btn' }, '表示'),
    ),
    h('section', { class: 'panel', id: 'high-cost-run-section' }, h('h2', {}, '月次計算 (KY-16)', h('span', { class: 'sub' }, month)), summary, h('div', { class: 'action-bar' }, run), banner, h('h3', {}, 'この月の実行履歴'), runs),
    h('section', { class: 'panel', id: 'payment-section' }, h('h2', {}, '支払データ (KY-17 会計へ)'), h('div', { class: 'action-bar' }, pay), payBanner, payments),
  );
  void loadSummary();
  void loadRuns();
  void loadPayments();
}

function runsView(items: readonly HighCostRun[]): Child {
  if (items.length === 0) return empty('この月はまだ計算していません', 'high-cost-runs-empty');
  return table(
    'high-cost-run-table',
    ['実行ID', '状態', '世帯', '人数', '決定', '変更なし', '保留', '支給', '支給額計', '返還', '通知', '印刷ファイル'],
    items.map((r) =>
      h(
        'tr',
        { 'data-run-id': r.batch_run_id, 'data-status': r.status },
        h('td', { class: 'mono' }, String(r.batch_run_id)),
        h('td', {}, r.status === 'done' ? '完了' : r.status === 'running' ? '実行中' : r.status),
        ...[r.households, r.persons, r.decided, r.unchanged, r.held, r.paid].map((n) => h('td', { class: 'num' }, n === undefined ? '—' : n.toLocaleString('ja-JP'))),
        h('td', { class: 'num' }, typeof r.paid_total === 'number' ? formatYen(r.paid_total) : '—'),
        h('td', { class: 'num' }, r.repayments === undefined ? '—' : String(r.repayments)),
        h('td', { class: 'num' }, r.notices === undefined ? '—' : String(r.notices)),
        h('td', {}, r.pdf ? pdfLink(r.pdf, 'PDF') : '—'),
      ),
    ),
  );
}

function paymentsView(items: readonly PaymentFile[]): Child {
  if (items.length === 0) return empty('送った支払データはありません', 'payment-files-empty');
  return table(
    'payment-file-table',
    ['フロー', '件数', '合計', '送信日時', '連携'],
    items.map((f) =>
      h(
        'tr',
        { 'data-exchange-id': f.exchange_id ?? '' },
        h('td', {}, String(f.flow_id ?? f.flow ?? '')),
        h('td', { class: 'num' }, f.rows === undefined ? '—' : String(f.rows)),
        h('td', { class: 'num' }, typeof f.total === 'number' ? formatYen(f.total) : '—'),
        h('td', { class: 'mono' }, f.sent_at || f.created_at ? formatTimestamp((f.sent_at || f.created_at) as string) : '—'),
        h('td', { class: 'mono' }, f.exchange_id ? `連携 #${f.exchange_id}` : '—'),
      ),
    ),
  );
}
