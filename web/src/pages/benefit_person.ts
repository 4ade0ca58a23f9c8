// 個人ページ 給付 (after 要介護認定; docs/api-benefit.md): 居宅サービス計画 (KY-01, with the
// registration form for 給付担当・監督者), 利用者負担割合 with the 負担割合証 PDF, 給付実績 by service
// month (KY-04: office, service, days, cost, insurance, co-payment; totals per month), 高額介護
// サービス費 — the application (KY-05, form), the decisions with their explanation (opened under the
// row) and the notice PDF (KY-16) —, and the person's 返還金. Each part loads on its own: a route the
// server does not have yet says 「未実装」 there, and the rest of the section still works.
import { benefitApi, copaymentCardUrl, highCostNoticeUrl, repaymentNoticeUrl, type BenefitRecord, type HighCostDecision } from '../api_benefit';
import { h, mount, type Child } from '../dom';
import { monthOf, monthsBefore, parseMonth, todayIso } from '../certification';
import { formatTimestamp, parseDateInput } from '../format';
import { formatYen } from '../premium';
import type { PageContext } from './context';
import { fieldErrors, formPanel, infoBanner, selectField, submitWith, textField } from './forms';
import { checkAccount, groupByMonth, label, PLAN_KINDS, rateLabel } from './benefit_format';
import { canWorkBenefit, dateText, empty, explanationPanel, gate, loadPart, monthText, pdfLink, table, yen } from './benefit_parts';

export function renderBenefitSection(ctx: PageContext, personId: string, roles: readonly string[]): HTMLElement {
  const worker = canWorkBenefit(roles);
  // The benefit routes are the server's benefit_workers' (給付担当, 監督者); the others see one line.
  if (!worker) return h('section', { class: 'panel', id: 'person-benefit' }, h('h2', {}, '給付'), h('p', { class: 'muted' }, '給付の情報は給付担当・監督者が見られます'));
  const plans = h('div', { id: 'benefit-care-plans' }, h('p', { class: 'muted' }, '読み込み中…'));
  const planForm = h('div', {});
  const rates = h('div', { id: 'benefit-copayment' });
  const records = h('div', { id: 'benefit-records' });
  const applications = h('div', { id: 'benefit-high-cost-applications' });
  const appForm = h('div', {});
  const decisions = h('div', { id: 'benefit-high-cost-decisions' });
  const repayments = h('div', { id: 'benefit-repayments' });

  const loadPlans = () =>
    loadPart(ctx, plans, '居宅サービス計画', () => benefitApi.carePlans(personId), (items) =>
      items.length === 0
        ? empty('居宅サービス計画の届出はありません', 'benefit-care-plans-empty')
        : table(
            'benefit-care-plan-table',
            ['届出ID', '区分', '事業所', '届出日', '適用開始', '適用終了', '状態', '記録'],
            items.map((p) =>
              h(
                'tr',
                { 'data-care-plan-id': p.care_plan_id, 'data-status': p.status },
                h('td', { class: 'mono' }, String(p.care_plan_id)),
                h('td', {}, p.plan_kind_label ?? label('plan_kind', p.plan_kind)),
                h('td', {}, p.office_no ? [h('span', { class: 'mono' }, p.office_no), p.office_name ? ` ${p.office_name}` : ''] : '—'),
                h('td', { class: 'nowrap' }, dateText(p.notified_on)),
                h('td', { class: 'nowrap' }, dateText(p.valid_from)),
                h('td', { class: 'nowrap' }, p.valid_to ? dateText(p.valid_to) : h('span', { class: 'muted' }, '現在')),
                h('td', {}, label('plan_status', p.status)),
                h(
                  'td',
                  { class: 'mono' },
                  `${formatTimestamp(p.recorded_at)} ${p.recorded_by}`,
                  p.changed_by ? h('div', {}, `取消 ${p.changed_at ? formatTimestamp(p.changed_at) : ''} ${p.changed_by}`) : null,
                ),
              ),
            ),
          ),
    ).then((ok) => {
      if (ok && !planForm.hasChildNodes()) mount(planForm, carePlanOpener(ctx, personId, () => void loadPlans()));
    });

  const loadRates = () =>
    loadPart(ctx, rates, '利用者負担割合', () => benefitApi.copaymentRates(personId), (items) => {
      const current = items.filter((r) => r.status === 'current');
      return [
        items.length === 0
          ? empty('負担割合の決定はありません', 'benefit-copayment-empty')
          : table(
              'benefit-copayment-table',
              ['年度', '負担割合', '適用期間', '所得年', '事由', '状態', '決定', '説明'],
              items.map((r) =>
                h(
                  'tr',
                  { 'data-rate-id': r.rate_id, 'data-status': r.status },
                  h('td', {}, `${r.rate_year}年8月〜`),
                  h('td', { class: 'rate' }, h('strong', {}, rateLabel(r.rate))),
                  h('td', { class: 'nowrap' }, dateText(r.valid_from), ' 〜 ', dateText(r.valid_to)),
                  h('td', {}, `${r.tax_year}年`),
                  h('td', {}, label('rate_reason', r.reason)),
                  h('td', {}, r.status === 'current' ? '現在' : '置換'),
                  h('td', { class: 'mono' }, `${formatTimestamp(r.decided_at)} ${r.decided_by}`),
                  h('td', {}, h('details', {}, h('summary', {}, '説明'), explanationPanel(r.explanation))),
                ),
              ),
            ),
        current.length ? h('p', {}, pdfLink(copaymentCardUrl(personId), '負担割合証 (PDF)', 'benefit-copayment-card', '/persons/{}/copayment-card.pdf')) : null,
      ];
    });

  const loadRecords = (from: string, to: string) =>
    loadPart(ctx, records, '給付実績', () => benefitApi.benefitRecords(personId, from, to), (r) => recordsView(groupByMonth(r)));

  const loadApplications = () =>
    loadPart(ctx, applications, '高額介護サービス費の申請', () => benefitApi.highCostApplications(personId), (items) =>
      items.length === 0
        ? empty('高額介護サービス費の申請はありません (支給は申請の後)', 'benefit-high-cost-applications-empty')
        : table(
            'benefit-high-cost-application-table',
            ['申請ID', '受付日', '対象の初月', '口座', '名義', '状態'],
            items.map((a) =>
              h(
                'tr',
                { 'data-application-id': a.application_id },
                h('td', { class: 'mono' }, String(a.application_id)),
                h('td', { class: 'nowrap' }, dateText(a.received_on)),
                h('td', { class: 'nowrap' }, monthText(a.first_month)),
                h('td', { class: 'mono' }, `${a.bank_code}-${a.branch_code} ${label('account_kind', a.account_kind)} ${a.account_no}`),
                h('td', {}, a.account_holder_kana),
                h('td', {}, label('application_status', a.status)),
              ),
            ),
          ),
    ).then((ok) => {
      if (ok && !appForm.hasChildNodes()) mount(appForm, highCostOpener(ctx, personId, () => void loadApplications()));
    });

  const loadDecisions = () =>
    loadPart(ctx, decisions, '高額介護サービス費の決定', () => benefitApi.highCostDecisions(personId), (items) =>
      items.length === 0 ? empty('高額介護サービス費の決定はありません', 'benefit-high-cost-decisions-empty') : decisionsTable(ctx, items, 'benefit-high-cost-decision-table'),
    );

  const loadRepayments = () =>
    loadPart(ctx, repayments, '返還金', () => benefitApi.repayments(undefined, personId), (items) => {
      const mine = items.filter((r) => r.person_id === personId);
      return mine.length === 0
        ? empty('返還金はありません', 'benefit-repayments-empty')
        : table(
            'benefit-repayment-table',
            ['返還ID', '理由', '元金', '加算金', '合計', '納付済', '納期限', '状態', '通知書'],
            mine.map((r) =>
              h(
                'tr',
                { 'data-repayment-id': r.repayment_id },
                h('td', { class: 'mono' }, String(r.repayment_id)),
                h('td', {}, label('reason_kind', r.reason_kind)),
                yen(r.principal),
                yen(r.surcharge),
                yen(r.total),
                yen(r.paid_total),
                h('td', { class: 'nowrap' }, dateText(r.due_on)),
                h('td', {}, label('repayment_status', r.status)),
                h('td', {}, pdfLink(repaymentNoticeUrl(r.repayment_id), '決定通知書・納付書', undefined, '/repayments/{}/notice.pdf')),
              ),
            ),
          );
    });

  // 給付実績: the last twelve service months by default; the range is the form's.
  const to = monthOf();
  const from = monthsBefore(to, 11);
  const fromField = textField('benefit-records-from', 'サービス提供月 (から)', '2026-01', from);
  const toField = textField('benefit-records-to', '(まで)', '2026-12', to);
  const rangeBanner = h('div', { class: 'banner-slot' });
  const rangeErrors = fieldErrors(rangeBanner, { from: fromField.el, to: toField.el });
  const rangeForm = h(
    'form',
    {
      class: 'inline-form',
      id: 'benefit-records-range',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        const f = parseMonth(fromField.el.value);
        const t = parseMonth(toField.el.value);
        if (!f) return rangeErrors.show('開始月を 2026-04 の形で入力してください', 'from');
        if (!t) return rangeErrors.show('終了月を 2026-04 の形で入力してください', 'to');
        if (f > t) return rangeErrors.show('開始月が終了月より後です', 'from');
        rangeErrors.clear();
        void loadRecords(f, t);
      },
    },
    fromField.wrap,
    toField.wrap,
    h('button', { type: 'submit', class: 'btn btn-small' }, '表示'),
    rangeBanner,
  );

  const loadAll = () => {
    void loadPlans();
    void loadRates();
    void loadRecords(parseMonth(fromField.el.value) ?? from, parseMonth(toField.el.value) ?? to);
    void loadApplications();
    void loadDecisions();
    void loadRepayments();
  };
  loadAll();

  return h(
    'section',
    { class: 'panel', id: 'person-benefit' },
    h('h2', {}, '給付', h('button', { type: 'button', class: 'btn btn-small', id: 'person-benefit-refresh', onclick: loadAll }, '更新')),
    h('h3', {}, '居宅サービス計画 (KY-01)'),
    planForm,
    plans,
    h('h3', {}, '利用者負担割合'),
    rates,
    h('h3', {}, '給付実績 (サービス提供月ごと)'),
    rangeForm,
    records,
    h('h3', {}, '高額介護サービス費'),
    appForm,
    applications,
    decisions,
    h('h3', {}, '返還金'),
    repayments,
  );
}

function recordsView(groups: ReturnType<typeof groupByMonth>): Child {
  if (groups.length === 0) return empty('この期間の給付実績はありません', 'benefit-records-empty');
  const all = groups.reduce(
    (t, g) => ({ cost: t.cost + g.totals.total_cost, ins: t.ins + g.totals.insurance_paid, co: t.co + g.totals.copayment }),
    { cost: 0, ins: 0, co: 0 },
  );
  return [
    h('p', { class: 'sub', id: 'benefit-records-total' }, `${groups.length}か月・費用額 ${formatYen(all.cost)}・保険給付 ${formatYen(all.ins)}・利用者負担 ${formatYen(all.co)}`),
    ...groups.map((g) =>
      h(
        'div',
        { class: 'benefit-month', 'data-month': g.service_month },
        h('h4', {}, monthText(g.service_month), h('span', { class: 'sub' }, `${g.records.length}件`)),
        table(
          null,
          ['事業所', 'サービス', '区分', '日数', '単位数', '費用額', '保険給付', '利用者負担', '公費', '審査月'],
          [
            ...g.records.map((r) => recordRow(r)),
            h(
              'tr',
              { class: 'totals' },
              h('td', { colspan: 5 }, '合計'),
              yen(g.totals.total_cost),
              yen(g.totals.insurance_paid),
              yen(g.totals.copayment),
              yen(g.totals.public_paid ?? null),
              h('td', {}),
            ),
          ],
        ),
      ),
    ),
  ];
}

function recordRow(r: BenefitRecord): HTMLElement {
  return h(
    'tr',
    { 'data-record-id': r.record_id, 'data-status': r.status ?? 'current', class: r.status && r.status !== 'current' ? 'muted' : null },
    h('td', {}, h('span', { class: 'mono' }, r.office_no), r.office_name ? ` ${r.office_name}` : ''),
    h('td', {}, r.service_kind_name ? `${r.service_kind_name} (${r.service_kind})` : r.service_kind),
    h('td', {}, label('payment_kind', r.payment_kind)),
    h('td', { class: 'num' }, `${r.days}日`),
    h('td', { class: 'num' }, r.units.toLocaleString('ja-JP')),
    yen(r.total_cost),
    yen(r.insurance_paid),
    yen(r.copayment),
    yen(r.public_paid),
    h('td', { class: 'nowrap' }, r.review_month),
  );
}

/** 高額 decisions: one row each, 「説明」 opens the explanation under it (fetched once), 通知書 the KY-16 PDF. */
export function decisionsTable(ctx: PageContext, items: readonly HighCostDecision[], id: string, withPerson = false): HTMLElement {
  const heads = [...(withPerson ? ['宛名番号', '氏名'] : []), '決定ID', 'サービス月', '所得区分', '世帯の負担', '本人の負担', '上限額', '支給額', '既支給', '申請', '状態', '決定日時', ''];
  return table(
    id,
    heads,
    items.map((d) => {
      const cols = heads.length;
      const under = h('tr', { class: 'explanation-row', hidden: true }, h('td', { colspan: cols }, h('p', { class: 'muted' }, '読み込み中…')));
      let loaded = false;
      const toggle = h('button', {
        type: 'button',
        class: 'btn btn-small',
        'data-explain': d.decision_id,
        onclick: async () => {
          under.hidden = !under.hidden;
          if (under.hidden || loaded) return;
          loaded = true;
          const cell = under.firstElementChild as HTMLElement;
          if (d.explanation !== undefined && d.explanation !== null) return mount(cell, explanationPanel(d.explanation, `high-cost-explanation-${d.decision_id}`));
          await loadPart(ctx, cell, '決定の説明', () => benefitApi.highCostDecision(d.decision_id), (full) => explanationPanel(full.explanation, `high-cost-explanation-${d.decision_id}`));
        },
      }, '説明');
      const row = h(
        'tr',
        { 'data-decision-id': d.decision_id, 'data-status': d.status, class: d.status === 'superseded' ? 'muted' : null },
        withPerson ? [h('td', { class: 'mono' }, h('a', { href: `#/person/${encodeURIComponent(d.person_id)}` }, d.person_id)), h('td', {}, d.name_kanji ?? '')] : null,
        h('td', { class: 'mono' }, String(d.decision_id)),
        h('td', { class: 'nowrap' }, monthText(d.service_month)),
        h('td', {}, d.category_label ?? label('category', d.category)),
        yen(d.household_copayment),
        yen(d.own_copayment),
        yen(d.cap),
        h('td', { class: 'num' }, h('strong', {}, formatYen(d.amount))),
        yen(d.paid_before),
        h('td', {}, d.application_id === null ? h('span', { class: 'badge badge-not_yet' }, d.held || d.amount > 0 ? '申請待ち (保留)' : '申請なし') : `#${d.application_id}`),
        h('td', {}, label('decision_status', d.status)),
        h('td', { class: 'mono' }, formatTimestamp(d.decided_at)),
        h(
          'td',
          { class: 'nowrap' },
          toggle,
          ' ',
          // No notice when nothing is paid (the server sends notice: null).
          d.notice === null ? null : pdfLink(d.notice ?? highCostNoticeUrl(d.decision_id), '通知書 (PDF)', `high-cost-notice-${d.decision_id}`, '/high-cost-decisions/{}/notice.pdf'),
        ),
      );
      return [row, under];
    }),
  );
}

/** KY-01 居宅サービス計画作成依頼届出: 区分, 事業所番号 (not for 自己作成), 届出日, 適用開始日. */
function carePlanOpener(ctx: PageContext, personId: string, changed: () => void): HTMLElement {
  const slot = h('div', {});
  const open = h('button', { type: 'button', class: 'btn', id: 'care-plan-open' }, '居宅サービス計画作成依頼届出 (KY-01)');
  gate(open, 'POST', '/persons/{}/care-plans', '届出の登録');
  open.addEventListener('click', () => {
    const banner = h('div', { class: 'banner-slot' });
    const out = h('div', { class: 'banner-slot', id: 'care-plan-result' });
    const kind = selectField('care-plan-kind', '区分', PLAN_KINDS.map((k) => ({ code: k, label: label('plan_kind', k) })), '選んでください', 'home_care');
    const office = textField('care-plan-office', '事業所番号 (10桁)', '例: 0170100011');
    const notified = textField('care-plan-notified', '届出日', '例: 2026-11-24 / R8.11.24', todayIso());
    const validFrom = textField('care-plan-valid-from', '適用開始日', '例: 2026-12-01', todayIso());
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'care-plan-submit' }, '届出を登録する');
    const errors = fieldErrors(banner, { plan_kind: kind.el, office_no: office.el, notified_on: notified.el, valid_from: validFrom.el });
    mount(
      slot,
      formPanel(
        'care-plan-form',
        '居宅サービス計画作成依頼届出 (KY-01)',
        () => mount(slot),
        h(
          'form',
          {
            onsubmit: async (ev: Event) => {
              ev.preventDefault();
              if (!kind.el.value) return errors.show('区分を選んでください', 'plan_kind');
              const officeNo = office.el.value.trim().normalize('NFKC');
              if (kind.el.value !== 'self' && !/^\d{10}$/.test(officeNo)) return errors.show('事業所番号は10桁の数字で入力してください', 'office_no');
              const n = parseDateInput(notified.el.value);
              if (!n) return errors.show('届出日を正しい日付で入力してください', 'notified_on');
              const v = parseDateInput(validFrom.el.value);
              if (!v) return errors.show('適用開始日を正しい日付で入力してください', 'valid_from');
              errors.clear();
              const r = await submitWith(ctx, submit, { show: (m, f) => errors.show(writeFailureText(m), f) }, () =>
                benefitApi.registerCarePlan(personId, { plan_kind: kind.el.value, office_no: kind.el.value === 'self' ? undefined : officeNo, notified_on: n, valid_from: v }),
              );
              if (!r || !ctx.isCurrent()) return;
              mount(out, infoBanner(`届出を登録しました (届出ID ${r.care_plan_id}・${label('plan_kind', r.plan_kind)}・${r.valid_from}から)。`));
              changed();
            },
          },
          banner,
          h('div', { class: 'form-grid' }, kind.wrap, office.wrap, notified.wrap, validFrom.wrap),
          h('div', { class: 'form-actions' }, submit),
          out,
        ),
      ),
    );
  });
  return h('div', {}, h('div', { class: 'action-bar' }, open), slot);
}

/** KY-05 高額介護サービス費支給申請: 受付日, the first service month it covers, the account. */
function highCostOpener(ctx: PageContext, personId: string, changed: () => void): HTMLElement {
  const slot = h('div', {});
  const open = h('button', { type: 'button', class: 'btn', id: 'high-cost-apply-open' }, '高額介護サービス費 支給申請 (KY-05)');
  gate(open, 'POST', '/persons/{}/high-cost-applications', '支給申請の受付');
  open.addEventListener('click', () => {
    const banner = h('div', { class: 'banner-slot' });
    const out = h('div', { class: 'banner-slot', id: 'high-cost-apply-result' });
    const received = textField('hc-received', '受付日', '例: 2026-11-24', todayIso());
    const first = textField('hc-first-month', '対象の初月 (サービス提供月)', '例: 2026-10', monthsBefore(monthOf(), 1));
    const bank = textField('hc-bank', '金融機関コード (4桁)', '0001');
    const branch = textField('hc-branch', '支店コード (3桁)', '001');
    const kind = selectField('hc-account-kind', '種別', [{ code: 'ordinary', label: '普通' }, { code: 'current', label: '当座' }], '', 'ordinary');
    const account = textField('hc-account-no', '口座番号 (7桁)', '1234567');
    const holder = textField('hc-holder', '口座名義 (カナ)', 'ヤマダ タロウ');
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'high-cost-apply-submit' }, '申請を受け付ける');
    const errors = fieldErrors(banner, {
      received_on: received.el, first_month: first.el, bank_code: bank.el, branch_code: branch.el, account_kind: kind.el, account_no: account.el, account_holder_kana: holder.el,
    });
    mount(
      slot,
      formPanel(
        'high-cost-apply-form',
        '高額介護サービス費 支給申請 (KY-05)',
        () => mount(slot),
        h(
          'form',
          {
            onsubmit: async (ev: Event) => {
              ev.preventDefault();
              const r = parseDateInput(received.el.value);
              if (!r) return errors.show('受付日を正しい日付で入力してください', 'received_on');
              const m = parseMonth(first.el.value);
              if (!m) return errors.show('対象の初月を 2026-10 の形で入力してください', 'first_month');
              const body = {
                received_on: r, first_month: m, bank_code: bank.el.value.trim().normalize('NFKC'), branch_code: branch.el.value.trim().normalize('NFKC'),
                account_kind: kind.el.value, account_no: account.el.value.trim().normalize('NFKC'), account_holder_kana: holder.el.value.trim(),
              };
              const bad = checkAccount(body);
              if (bad) return errors.show(bad.message, bad.field);
              errors.clear();
              const a = await submitWith(ctx, submit, { show: (msg, f) => errors.show(writeFailureText(msg), f) }, () => benefitApi.applyHighCost(personId, body));
              if (!a || !ctx.isCurrent()) return;
              mount(out, infoBanner(`申請を受け付けました (申請ID ${a.application_id}・${a.first_month}から)。以後の月は申請なしで支給されます。`));
              changed();
            },
          },
          banner,
          h('div', { class: 'form-grid' }, received.wrap, first.wrap, bank.wrap, branch.wrap, kind.wrap, account.wrap, holder.wrap),
          h('div', { class: 'form-actions' }, submit),
          out,
        ),
      ),
    );
  });
  return h('div', {}, h('div', { class: 'action-bar' }, open), slot);
}

/** A write's banner text: the server's words, or 「未実装」 for a route it does not have. */
export function writeFailureText(message: string): string {
  return /no (such )?route/.test(message) ? `未実装 (このサーバーにはまだありません): ${message}` : message;
}
