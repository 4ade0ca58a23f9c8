// 異動受付 新規 (#/cases/new[?person_id=…]): the counter registers a 住民異動届 as a case (SK-01):
// the kind, the person (searched by カナ or 宛名番号 and picked; or, for 転入・出生, a newcomer the
// city does not know yet), 異動日, 届出日 (today by default), 届出人 and a note. The case opens next.
import { api } from '../api';
import { h, mount } from '../dom';
import { checkCaseForm, MOVEMENT_KINDS, NEWCOMER_KINDS, NOTIFIERS, todayIso } from '../eligibility';
import { eligibilityApi } from '../api_eligibility';
import { normalizeKana, toWareki } from '../format';
import type { PersonSummary } from '../types';
import { caseHash } from '../router';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, selectField, submitWith, textField } from './forms';

export function renderCaseNew(ctx: PageContext, query: Record<string, string>): void {
  const banner = h('div', { class: 'banner-slot' });
  const kind = selectField('case-kind', '異動の種別', MOVEMENT_KINDS);
  const movementDate = textField('case-movement-date', '異動日', '例: 2026-11-20 / R8.11.20');
  const notifiedOn = textField('case-notified-on', '届出日', '', todayIso());
  const notifier = selectField('case-notifier', '届出人', NOTIFIERS.map((n) => ({ code: n, label: n })), '', '本人');
  const note = textField('case-note', '備考', '例: 前住所 旭川市');
  const newAddressOn = textField('case-new-address-on', '転入先の転入日 (転出のみ)', '分かれば');
  const personId = h('input', { type: 'hidden', id: 'case-person-id', value: '' });
  const chosen = h('div', { class: 'chosen', id: 'case-person-chosen' }, h('span', { class: 'muted' }, '未選択'));
  const newcomer = h('input', { type: 'checkbox', id: 'case-newcomer' });
  const find = textField('case-person-search', '対象者の検索', 'カナ (前方一致) または 宛名番号');
  const found = h('div', { id: 'case-person-results' });
  const findButton = h('button', { type: 'button', class: 'btn', id: 'case-person-find' }, '検索');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'case-submit' }, '受付する');
  const errors = fieldErrors(banner, {
    movement_kind: kind.el,
    person_id: find.el,
    movement_date: movementDate.el,
    notified_on: notifiedOn.el,
    notifier: notifier.el,
    new_address_on: newAddressOn.el,
  });

  const choose = (p: { person_id: string; name_kanji: string; birth_date?: string }) => {
    personId.value = p.person_id;
    newcomer.checked = false;
    mount(chosen, h('span', { class: 'mono' }, p.person_id), ' ', h('strong', {}, p.name_kanji), p.birth_date ? h('span', { class: 'iso' }, toWareki(p.birth_date)) : null);
    mount(found);
  };
  newcomer.addEventListener('change', () => {
    if (newcomer.checked) {
      personId.value = '';
      mount(chosen, h('span', { class: 'muted' }, '新規 (宛名なし)'));
    } else mount(chosen, h('span', { class: 'muted' }, '未選択'));
  });
  const syncNewcomer = () => {
    const allowed = NEWCOMER_KINDS.has(kind.el.value);
    newcomer.disabled = !allowed;
    if (!allowed && newcomer.checked) {
      newcomer.checked = false;
      mount(chosen, h('span', { class: 'muted' }, '未選択'));
    }
  };
  const syncKind = () => {
    syncNewcomer();
    newAddressOn.wrap.hidden = kind.el.value !== 'move_out';
  };
  kind.el.addEventListener('change', syncKind);
  syncKind();

  const search = async () => {
    const text = find.el.value.trim();
    if (!text) return errors.show('カナ氏名か宛名番号を入力してください', 'person_id');
    errors.clear();
    try {
      const params = /^\d+$/.test(text) ? { person_id: text, limit: 20 } : { kana: normalizeKana(text), limit: 20 };
      const { items } = await api.searchPersons(params);
      if (!ctx.isCurrent()) return;
      mount(found, personPicker(items, choose));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) errors.show(message, 'person_id');
    }
  };
  findButton.addEventListener('click', () => void search());
  find.el.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      void search();
    }
  });

  mount(
    ctx.main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, '異動受付 新規'), h('a', { href: '#/cases', class: 'back' }, '← 一覧へ')),
    banner,
    h(
      'form',
      {
        class: 'panel',
        id: 'case-form',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const c = checkCaseForm(
            {
              movement_kind: kind.el.value,
              person_id: personId.value,
              newcomer: newcomer.checked,
              movement_date: movementDate.el.value,
              notified_on: notifiedOn.el.value,
              notifier: notifier.el.value,
              note: note.el.value,
              new_address_on: newAddressOn.el.value,
            },
            todayIso(),
          );
          if (!c.ok) return errors.show(c.message, c.field);
          errors.clear();
          const created = await submitWith(ctx, submit, errors, () => eligibilityApi.createCase(c.value));
          if (created && ctx.isCurrent()) location.hash = caseHash(created.case_id);
        },
      },
      h('div', { class: 'form-grid' }, kind.wrap, movementDate.wrap, notifiedOn.wrap, notifier.wrap, note.wrap, newAddressOn.wrap),
      h('h3', {}, '対象者'),
      h(
        'div',
        { class: 'person-pick' },
        find.wrap,
        findButton,
        h('label', { class: 'check' }, newcomer, ' 新規 (宛名なし: 転入・出生のみ)'),
        h('div', { class: 'field' }, h('label', {}, '選択中'), chosen, personId),
      ),
      found,
      h('div', { class: 'form-actions' }, submit),
    ),
  );

  // Opened from a person page: that person is already chosen.
  if (query.person_id) {
    void api.person(query.person_id, false).then(
      (d) => ctx.isCurrent() && choose(d.person),
      () => undefined,
    );
  }
}

function personPicker(items: PersonSummary[], choose: (p: PersonSummary) => void): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty small-empty' }, '該当者はいません');
  return h(
    'table',
    { class: 'grid', id: 'case-person-table' },
    h('thead', {}, h('tr', {}, ['', '宛名番号', '氏名', 'カナ', '生年月日', '住所', '被保険者番号'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      items.map((p) =>
        h(
          'tr',
          { 'data-person-id': p.person_id },
          h('td', {}, h('button', { type: 'button', class: 'btn btn-small pick', onclick: () => choose(p) }, '選択')),
          h('td', { class: 'mono' }, p.person_id),
          h('td', {}, p.name_kanji),
          h('td', {}, p.name_kana),
          h('td', { class: 'nowrap' }, toWareki(p.birth_date)),
          h('td', {}, p.address),
          h('td', { class: 'mono' }, p.insured_no ?? '未付番'),
        ),
      ),
    ),
  );
}
