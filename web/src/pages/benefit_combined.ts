// 高額医療合算 と 給付費通知 (#/benefit/combined?status=received): the 合算 applications the 国保
// system sent (KY-21: 受付 → KY-22 証明書送付 → KY-23 支給決定 / 不支給), each with its period, the care
// and medical co-payments, the household's excess and the care side's share; and the 給付費通知 run
// (KY-24) for a range of service months (resumable; the answer names the run and the print files).
import { benefitApi, combinedNoticeUrl, type CombinedApplication } from '../api_benefit';
import { h, mount, type Child } from '../dom';
import { monthOf, monthsBefore, parseMonth } from '../certification';
import type { PageContext } from './context';
import { fieldErrors, infoBanner, submitWith, textField } from './forms';
import { label, runSummary } from './benefit_format';
import { empty, gate, loadPart, pdfLink, table, yen } from './benefit_parts';
import { writeFailureText } from './benefit_person';

const STATUSES = ['received', 'certified', 'decided', 'not_payable'] as const;

export function renderBenefitCombined(ctx: PageContext, query: Record<string, string>): void {
  const status = (STATUSES as readonly string[]).includes(query.status ?? '') ? query.status : '';
  const list = h('div', { id: 'combined-list' }, h('p', { class: 'muted' }, '読み込み中…'));

  // KY-24: the last twelve service months by default.
  const to = monthsBefore(monthOf(), 1);
  const fromField = textField('statement-from', 'サービス提供月 (から)', '2026-01', monthsBefore(to, 11));
  const toField = textField('statement-to', '(まで)', '2026-12', to);
  const banner = h('div', { class: 'banner-slot', id: 'statement-result' });
  const errors = fieldErrors(banner, { from: fromField.el, to: toField.el });
  const run = h('button', { type: 'submit', class: 'btn btn-primary', id: 'statement-run' }, '給付費通知を作成 (KY-24)');
  gate(run, 'POST', '/benefit/statement-runs', '給付費通知の作成');

  mount(
    ctx.main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, '高額医療合算・給付費通知')),
    h(
      'section',
      { class: 'panel', id: 'combined-section' },
      h('h2', {}, '高額医療合算介護サービス費 (KY-21〜23)'),
      h(
        'div',
        { class: 'tabs', id: 'combined-status-tabs' },
        [['', 'すべて'], ...STATUSES.map((s) => [s, label('combined_status', s)])].map(([s, text]) =>
          h('a', { href: s ? `#/benefit/combined?status=${s}` : '#/benefit/combined', class: s === status ? 'tab active' : 'tab' }, text),
        ),
      ),
      list,
    ),
    h(
      'section',
      { class: 'panel', id: 'statement-section' },
      h('h2', {}, '給付費通知 (KY-24)'),
      h(
        'form',
        {
          class: 'inline-form',
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            const f = parseMonth(fromField.el.value);
            const t = parseMonth(toField.el.value);
            if (!f) return errors.show('開始月を 2026-04 の形で入力してください', 'from');
            if (!t) return errors.show('終了月を 2026-04 の形で入力してください', 'to');
            if (f > t) return errors.show('開始月が終了月より後です', 'from');
            errors.clear();
            const r = await submitWith(ctx, run, { show: (m, fld) => errors.show(writeFailureText(m), fld) }, () => benefitApi.statementRun(f, t));
            if (!r || !ctx.isCurrent()) return;
            const files = Array.isArray(r.files) ? (r.files as unknown[]).filter((x): x is string => typeof x === 'string') : typeof r.pdf === 'string' ? [r.pdf] : [];
            mount(
              banner,
              infoBanner(
                `作成しました: ${runSummary(r)} `,
                files.map((href, i) => h('a', { class: 'btn btn-small', href, target: '_blank', rel: 'noopener' }, `PDF ${i + 1}`)),
              ),
            );
          },
        },
        fromField.wrap,
        toField.wrap,
        run,
      ),
      banner,
    ),
  );
  void loadPart(ctx, list, '高額医療合算', () => benefitApi.combinedApplications(status || undefined), (items) => combinedView(items));
}

function combinedView(items: readonly CombinedApplication[]): Child {
  if (items.length === 0) return empty('合算の申請はありません', 'combined-empty');
  return table(
    'combined-table',
    ['合算ID', '宛名番号', '国保申請番号', '計算期間', '医療保険者', '状態', '介護負担', '医療負担', '超過額', '介護按分', '支給額', '通知書'],
    items.map((c) =>
      h(
        'tr',
        { 'data-combined-id': c.combined_id, 'data-status': c.status },
        h('td', { class: 'mono' }, String(c.combined_id)),
        h('td', { class: 'mono' }, h('a', { href: `#/person/${encodeURIComponent(c.person_id)}` }, c.person_id)),
        h('td', { class: 'mono' }, c.kokuho_ref),
        h('td', { class: 'mono nowrap', title: `${c.period_from} 〜 ${c.period_to}` }, `${c.period_from.slice(0, 7)}〜${c.period_to.slice(0, 7)}`),
        h('td', { class: 'mono' }, c.medical_insurer_no),
        h('td', { class: 'nowrap' }, label('combined_status', c.status)),
        yen(c.care_copayment),
        yen(c.medical_copayment),
        yen(c.excess_total),
        yen(c.care_share),
        yen(c.decided_amount ?? null),
        h('td', {}, c.status === 'decided' || c.status === 'not_payable' ? pdfLink(combinedNoticeUrl(c.combined_id), 'PDF', undefined, '/combined-applications/{}/notice.pdf') : '—'),
      ),
    ),
  );
}
