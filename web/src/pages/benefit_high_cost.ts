// 高額介護サービス費 (#/benefit/high-cost?month=2026-10): the month's benefit totals (KY-04), 「この月を
// 計算する」 (POST /benefit/high-cost-runs — resumable, so running a month again changes only what
// changed), the month's decisions with their explanation and the 支給決定通知書 (KY-16), and
// 「支払データを送る (KY-17)」 with the payment files sent. The month is in the hash.
import { benefitApi, type HighCostDecision, type PaymentFile } from '../api_benefit';
import { h, mount, type Child } from '../dom';
import { monthOf, monthsBefore, parseMonth } from '../certification';
import { formatTimestamp } from '../format';
import { formatYen } from '../premium';
import type { PageContext } from './context';
import { fieldErrors, infoBanner, submitWith, textField } from './forms';
import { runSummary } from './benefit_format';
import { empty, gate, loadPart, monthText, table } from './benefit_parts';
import { decisionsTable, writeFailureText } from './benefit_person';

export function renderBenefitHighCost(ctx: PageContext, query: Record<string, string>): void {
  // The month whose records are in: the one before last by default (KY-04 arrives the month after the review month).
  const month = parseMonth(query.month ?? '') ?? monthsBefore(monthOf(), 2);
  const monthField = textField('high-cost-month', 'サービス提供月', '2026-10', month);
  const banner = h('div', { class: 'banner-slot', id: 'high-cost-run-result' });
  const errors = fieldErrors(banner, { month: monthField.el });
  const summary = h('div', { id: 'high-cost-month-summary' });
  const decisions = h('div', { id: 'high-cost-decisions' });
  const payBanner = h('div', { class: 'banner-slot', id: 'payment-file-result' });
  const payErrors = fieldErrors(payBanner, {});
  const payments = h('div', { id: 'payment-files' }, h('p', { class: 'muted' }, '読み込み中…'));
  const run = h('button', { type: 'button', class: 'btn btn-primary', id: 'high-cost-run' }, 'この月を計算する');
  const pay = h('button', { type: 'button', class: 'btn btn-primary', id: 'payment-file-send' }, '支払データを送る (KY-17)');

  const loadSummary = () =>
    loadPart(ctx, summary, 'この月の給付実績', () => benefitApi.monthSummary(month), (r) => h('p', {}, monthText(month), ' ', runSummary(r)));
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
    mount(banner, infoBanner(`計算しました: ${runSummary(r)}`));
    const list = Array.isArray(r.decisions) ? (r.decisions as HighCostDecision[]) : Array.isArray(r.items) ? (r.items as HighCostDecision[]) : null;
    mount(
      decisions,
      list === null
        ? h('p', { class: 'muted' }, '決定は各人の個人ページ (給付) に表示されます')
        : list.length === 0
          ? empty('この月の決定はありません', 'high-cost-decisions-empty')
          : decisionsTable(ctx, list, 'high-cost-decision-table', true),
    );
    void loadPayments();
  });
  pay.addEventListener('click', async () => {
    payErrors.clear();
    const r = await submitWith(ctx, pay, { show: (m, f) => payErrors.show(writeFailureText(m), f) }, () => benefitApi.sendPaymentFile('KY-17'));
    if (!r || !ctx.isCurrent()) return;
    mount(payBanner, infoBanner(`支払データ: ${runSummary(r) || '送る支払はありません'}`));
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
    h('section', { class: 'panel', id: 'high-cost-run-section' }, h('h2', {}, '月次計算 (KY-16)', h('span', { class: 'sub' }, month)), summary, h('div', { class: 'action-bar' }, run), banner, decisions),
    h('section', { class: 'panel', id: 'payment-section' }, h('h2', {}, '支払データ (KY-17 会計へ)'), h('div', { class: 'action-bar' }, pay), payBanner, payments),
  );
  void loadSummary();
  void loadPayments();
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
        h('td', { class: 'mono' }, f.sent_at ? formatTimestamp(f.sent_at) : '—'),
        h('td', { class: 'mono' }, f.exchange_id ? `連携 #${f.exchange_id}` : '—'),
      ),
    ),
  );
}
