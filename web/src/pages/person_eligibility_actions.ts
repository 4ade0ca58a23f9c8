// The writes of the 資格 section, for 資格担当 and 監督者: a 職権 address fact (法10・11条 dates;
// for 転出 the new city's 転入日, 法11条ただし書), cancelling a fact with a reason, starting and
// ending 住所地特例 (法13条) and 適用除外 (施行法11条), and the 被保険者証 (SK-17) with its reason.
// One form is open at a time, below the action bar; each write ends with what it changed.
import { h, mount } from '../dom';
import {
  changeText,
  checkEndDate,
  checkExemptionForm,
  checkFactForm,
  checkReason,
  checkRuleForm,
  spanText,
  type Checked,
} from '../eligibility';
import type { AddressFact, Code, EligibilityCodeLists, Exemption, FormerAddressRule, Register, RegisterOutcome } from '../eligibility_types';
import { eligibilityApi, fetchPdf, insuranceCardUrl } from '../api_eligibility';
import { toWareki } from '../format';
import type { PageContext } from './context';
import { fieldErrors, formPanel, infoBanner, selectField, submitWith, textField, type Control } from './forms';

export interface RowActions {
  cancelFact: (f: AddressFact) => HTMLElement;
  endRule: (r: FormerAddressRule) => HTMLElement;
  endExemption: (x: Exemption) => HTMLElement;
}

export const DIRECTIONS: readonly Code[] = [
  { code: 'ours_living_elsewhere', label: '他市町村に住む当市の被保険者' },
  { code: 'theirs_living_here', label: '当市に住む他市町村の被保険者' },
];

export function eligibilityActions(ctx: PageContext, personId: string, codes: EligibilityCodeLists, changed: () => void) {
  const slot = h('div', { id: 'eligibility-form-slot' });
  const result = h('div', { class: 'banner-slot', id: 'eligibility-outcome' });
  let current: Register | null = null;
  const close = () => mount(slot);

  const done = (what: string, outcome: RegisterOutcome) => {
    close();
    mount(
      result,
      infoBanner(
        h('div', {}, `${what}を記録しました`, outcome.revision_id !== null ? `・改訂 #${outcome.revision_id}` : '・資格期間に変更はありません'),
        outcome.issued_insured_no ? h('div', { id: 'issued-insured-no' }, `被保険者番号を付番しました: ${outcome.issued_insured_no}`) : null,
        outcome.changes.map((c) => h('div', { class: 'change' }, changeText(c, codes))),
      ),
    );
    changed();
  };

  /** A form of some fields, a check and a call; the check's field or the server's is marked. */
  const form = <T>(
    id: string,
    title: string,
    controls: Record<string, { el: Control; wrap: HTMLElement }>,
    submitLabel: string,
    check: () => Checked<T>,
    call: (v: T) => Promise<RegisterOutcome>,
    what: string,
    note?: HTMLElement,
  ) => {
    const banner = h('div', { class: 'banner-slot' });
    const errors = fieldErrors(banner, Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.el])));
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: `${id}-submit` }, submitLabel);
    mount(
      slot,
      formPanel(
        id,
        title,
        close,
        h(
          'form',
          {
            onsubmit: async (ev: Event) => {
              ev.preventDefault();
              mount(result);
              const c = check();
              if (!c.ok) return errors.show(c.message, c.field);
              errors.clear();
              const outcome = await submitWith(ctx, submit, errors, () => call(c.value));
              if (outcome && ctx.isCurrent()) done(what, outcome);
            },
          },
          banner,
          h('div', { class: 'form-grid' }, Object.values(controls).map((c) => c.wrap)),
          note ?? null,
          h('div', { class: 'form-actions' }, submit),
        ),
      ),
    );
    Object.values(controls)[0]?.el.focus();
  };

  const factForm = () => {
    const kind = selectField('fact-kind', '種別', codes.address_fact_kinds);
    const on = textField('fact-on', '異動日', '例: 2026-10-01 / R8.10.1');
    const newOn = textField('fact-new-address-on', '転入先の転入日 (転出のみ)', '分かれば');
    const reason = textField('fact-reason', '理由', '例: 実態調査により居住なし');
    newOn.wrap.hidden = true;
    kind.el.addEventListener('change', () => (newOn.wrap.hidden = kind.el.value !== 'move_out'));
    form(
      'fact-form',
      '職権で異動を記録',
      { kind, on, new_address_on: newOn, reason },
      '記録する',
      () => checkFactForm({ kind: kind.el.value, on: on.el.value, new_address_on: newOn.el.value, reason: reason.el.value }),
      (v) => eligibilityApi.recordFact(personId, v),
      '職権の異動',
      h('p', { class: 'muted form-hint' }, '転出は転入先の転入日が分かればその日に、分からなければ転出日の翌日に資格を喪失します (法11条)。死亡・国外転出は翌日。'),
    );
  };

  const ruleForm = () => {
    const direction = selectField('rule-direction', '区分', DIRECTIONS);
    const kind = selectField('rule-facility-kind', '施設種別', codes.facility_kinds.filter((k) => k.former_address_rule !== false));
    const name = textField('rule-facility-name', '施設名');
    const muni = textField('rule-municipality', '施設所在市町村コード', '6桁');
    const insurer = textField('rule-other-insurer', '相手保険者番号', '6桁');
    const started = textField('rule-started-on', '開始日', '例: 2026-04-01');
    form(
      'rule-form',
      '住所地特例 開始',
      { direction, facility_kind: kind, facility_name: name, facility_municipality_code: muni, other_insurer_no: insurer, started_on: started },
      '開始する',
      () =>
        checkRuleForm({
          direction: direction.el.value,
          facility_kind: kind.el.value,
          facility_name: name.el.value,
          facility_municipality_code: muni.el.value,
          other_insurer_no: insurer.el.value,
          started_on: started.el.value,
        }),
      (v) => eligibilityApi.startRule(personId, v),
      '住所地特例の開始',
    );
  };

  const exemptionForm = () => {
    const kind = selectField('exemption-facility-kind', '施設種別', codes.exempt_facility_kinds);
    const name = textField('exemption-facility-name', '施設名');
    const entered = textField('exemption-entered-on', '入所日', '例: 2026-04-01');
    form(
      'exemption-form',
      '適用除外 開始',
      { facility_kind: kind, facility_name: name, entered_on: entered },
      '開始する',
      () => checkExemptionForm({ facility_kind: kind.el.value, facility_name: name.el.value, entered_on: entered.el.value }),
      (v) => eligibilityApi.startExemption(personId, v),
      '適用除外の開始',
      h('p', { class: 'muted form-hint' }, '適用除外施設に入所した翌日から被保険者でなくなります (施行法11条)。'),
    );
  };

  // 被保険者証: fetched first, so a refusal (not insured today: 409) shows as a banner; the PDF
  // opens in a new tab and stays reachable by a link if the browser blocks the tab.
  const cardForm = () => {
    const reason = selectField('card-reason', '交付事由', codes.card_reasons, '', 'new');
    const banner = h('div', { class: 'banner-slot' });
    const out = h('div', { id: 'card-result' });
    const errors = fieldErrors(banner, { reason: reason.el });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'card-issue' }, '交付 (PDFを開く)');
    const insured = current?.today.insured ?? false;
    mount(
      slot,
      formPanel(
        'card-form',
        '被保険者証 交付・再交付',
        close,
        h(
          'form',
          {
            onsubmit: async (ev: Event) => {
              ev.preventDefault();
              errors.clear();
              mount(out);
              const blob = await submitWith(ctx, submit, errors, () => fetchPdf(insuranceCardUrl(personId, reason.el.value)));
              if (!blob || !ctx.isCurrent()) return;
              const url = URL.createObjectURL(blob);
              window.open(url, '_blank', 'noopener');
              mount(out, infoBanner('被保険者証を作成しました (', h('a', { href: url, target: '_blank', id: 'card-pdf-link' }, 'PDFを開く'), `・${Math.ceil(blob.size / 1024)} KB)`));
              changed();
            },
          },
          banner,
          insured ? null : h('p', { class: 'note' }, '本日時点で資格がないため交付できません。'),
          h('div', { class: 'form-grid' }, reason.wrap),
          h('div', { class: 'form-actions' }, submit),
          out,
        ),
      ),
    );
  };

  /** A one-line form in the slot: a label, one input, a confirm button. */
  const inlineForm = (
    id: string,
    title: string,
    label: string,
    placeholder: string,
    field: string,
    check: (text: string) => Checked<string>,
    call: (v: string) => Promise<RegisterOutcome>,
    what: string,
  ) => {
    const input = textField(`${id}-input`, label, placeholder);
    form(id, title, { [field]: input }, '確定', () => check(input.el.value), call, what);
  };

  const rowActions: RowActions = {
    cancelFact: (f) =>
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small fact-cancel',
          onclick: () =>
            inlineForm(
              'fact-cancel',
              `異動の取消: ${f.kind_label} ${toWareki(f.on)}`,
              '取消の理由',
              '例: 誤入力',
              'reason',
              (t) => checkReason(t, 'reason', '取消の理由'),
              (v) => eligibilityApi.cancelFact(personId, f.fact_id, v),
              '異動の取消',
            ),
        },
        '取消',
      ),
    endRule: (r) =>
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small rule-end',
          onclick: () =>
            inlineForm(
              'rule-end',
              `住所地特例の終了: ${r.facility_name} (${spanText(r.started_on, null)})`,
              '終了日 (適用されなくなる日)',
              '例: 2026-12-01',
              'ended_on',
              (t) => checkEndDate(t, r.started_on, 'ended_on', '終了日'),
              (v) => eligibilityApi.endRule(r.rule_id, v),
              '住所地特例の終了',
            ),
        },
        '終了',
      ),
    endExemption: (x) =>
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small exemption-end',
          onclick: () =>
            inlineForm(
              'exemption-end',
              `適用除外の終了: ${x.facility_name} (${spanText(x.entered_on, null)})`,
              '退所日',
              '例: 2026-12-01',
              'left_on',
              (t) => checkEndDate(t, x.entered_on, 'left_on', '退所日'),
              (v) => eligibilityApi.endExemption(x.exemption_id, v),
              '適用除外の終了',
            ),
        },
        '終了',
      ),
  };

  const button = (id: string, label: string, open: () => void) =>
    h('button', { type: 'button', class: 'btn', id, onclick: () => (mount(result), open()) }, label);
  const el = h(
    'div',
    { class: 'eligibility-actions', id: 'eligibility-actions' },
    h(
      'div',
      { class: 'action-bar' },
      button('elig-action-fact', '職権で異動を記録', factForm),
      button('elig-action-rule', '住所地特例 開始', ruleForm),
      button('elig-action-exemption', '適用除外 開始', exemptionForm),
      button('elig-action-card', '被保険者証 交付・再交付', cardForm),
      h('a', { class: 'btn', id: 'elig-new-case', href: `#/cases/new?person_id=${encodeURIComponent(personId)}` }, '異動受付 (窓口)'),
    ),
    result,
    slot,
  );
  return { el, rowActions, update: (reg: Register) => (current = reg) };
}
