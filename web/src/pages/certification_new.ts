// 要介護認定 申請受付 (#/certification/new?person=…): NT-01. The person (from the person page, or
// searched here by カナ or 宛名番号), 申請の種類, 申請日 (today by default; 和暦 accepted), 居所
// (在宅・施設: the assessment and opinion fees differ), 申請者 (法27条1項: 本人 or on their behalf),
// for a 第2号被保険者 the 特定疾病 (施行令2条, from the masters) and for 区分変更・職権 the reason. The
// form checks what it can before sending; a field the server names is marked the same way. The
// application opens next.
import { api } from '../api';
import { h, mount } from '../dom';
import { certificationApi } from '../api_certification';
import { APPLICANT_RELATIONS, categoryOn, checkIntake, kindLabel, KINDS, PLACES, todayIso } from '../certification';
import type { Masters } from '../certification_types';
import { normalizeKana, parseDateInput, toWareki } from '../format';
import type { PersonSummary } from '../types';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, selectField, submitWith, textField } from './forms';
import { certificationHash } from './certification_parts';

interface Chosen {
  person_id: string;
  name_kanji: string;
  name_kana: string;
  birth_date: string;
  insured_no: string | null;
}

export function renderCertificationNew(ctx: PageContext, query: Record<string, string>): void {
  const banner = h('div', { class: 'banner-slot' });
  const kind = selectField('cert-kind', '申請の種類', KINDS.map((k) => ({ code: k, label: kindLabel(k) })), '選んでください', 'new');
  const appliedOn = textField('cert-applied-on', '申請日', '例: 2026-11-02 / R8.11.2', todayIso());
  const place = selectField('cert-place', '居所', PLACES.map(([code, label]) => ({ code, label })), '選んでください', 'home');
  const relation = selectField('cert-relation', '申請者', APPLICANT_RELATIONS.map((r) => ({ code: r, label: r })), '選んでください', '本人');
  const disease = selectField('cert-disease', '特定疾病 (第2号のみ)', []);
  const reason = textField('cert-reason', '理由 (区分変更・職権)', '例: 退院後に状態が悪化');
  const category = h('div', { class: 'chosen', id: 'cert-category' }, h('span', { class: 'muted' }, '—'));
  const chosenBox = h('div', { class: 'chosen', id: 'cert-person-chosen' }, h('span', { class: 'muted' }, '未選択'));
  const find = textField('cert-person-search', '対象者の検索', 'カナ (前方一致) または 宛名番号');
  const found = h('div', { id: 'cert-person-results' });
  const findButton = h('button', { type: 'button', class: 'btn', id: 'cert-person-find' }, '検索');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'cert-submit' }, '受け付ける');
  const mastersNote = h('div', { id: 'cert-masters-note' });
  const errors = fieldErrors(banner, {
    person_id: find.el,
    kind: kind.el,
    applied_on: appliedOn.el,
    place: place.el,
    applicant_relation: relation.el,
    specified_disease: disease.el,
    reason: reason.el,
  });
  let person: Chosen | null = null;

  /** 第1号 / 第2号 on the 申請日 (the server decides; the form shows the 特定疾病 for 第2号). */
  const currentCategory = (): '1' | '2' | '' => {
    if (!person) return '';
    const on = parseDateInput(appliedOn.el.value) ?? todayIso();
    return categoryOn(person.birth_date, on);
  };
  const sync = () => {
    const cat = currentCategory();
    mount(category, !person ? h('span', { class: 'muted' }, '—') : cat === '1' ? '第1号被保険者 (65歳以上)' : cat === '2' ? '第2号被保険者 (40〜64歳・特定疾病が必要)' : h('span', { class: 'error-text' }, '40歳未満 (申請できません)'));
    disease.wrap.hidden = cat !== '2';
    reason.wrap.hidden = !(kind.el.value === 'change' || kind.el.value === 'ex_officio');
    if (kind.el.value === 'ex_officio' && relation.el.value === '本人') relation.el.value = '職権';
  };
  kind.el.addEventListener('change', sync);
  appliedOn.el.addEventListener('change', sync);

  const choose = (p: Chosen) => {
    person = p;
    mount(
      chosenBox,
      h('span', { class: 'mono' }, p.person_id),
      ' ',
      h('strong', { id: 'cert-person-name' }, p.name_kanji),
      h('span', { class: 'iso' }, p.name_kana),
      h('span', { class: 'iso' }, `${toWareki(p.birth_date)}生`),
      h('span', { class: 'iso' }, p.insured_no ? `被保険者番号 ${p.insured_no}` : '被保険者番号 未付番'),
    );
    mount(found);
    sync();
  };

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

  const onSubmit = async (ev: Event) => {
    ev.preventDefault();
    if (!person) return errors.show('対象者を選んでください', 'person_id');
    const cat = currentCategory();
    const c = checkIntake({
      kind: kind.el.value,
      applied_on: appliedOn.el.value,
      place: place.el.value,
      applicant_relation: relation.el.value,
      specified_disease: disease.el.value,
      reason: reason.el.value,
      category: cat,
    });
    if (!c.ok) return errors.show(c.message, c.field);
    errors.clear();
    const who = person;
    const created = await submitWith(ctx, submit, errors, () =>
      certificationApi.createApplication({
        person_id: who.person_id,
        kind: kind.el.value,
        applied_on: c.applied_on,
        place: place.el.value,
        applicant_relation: relation.el.value,
        specified_disease: cat === '2' ? disease.el.value : undefined,
        reason: reason.wrap.hidden ? undefined : reason.el.value.trim(),
      }),
    );
    if (created && ctx.isCurrent()) location.hash = certificationHash(created.application_id);
  };

  mount(
    ctx.main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, '要介護認定 申請受付 (NT-01)'), h('a', { href: '#/certification', class: 'back' }, '← 申請一覧へ')),
    banner,
    h(
      'form',
      { class: 'panel', id: 'cert-form', onsubmit: onSubmit },
      h('h3', {}, '対象者'),
      h(
        'div',
        { class: 'person-pick' },
        find.wrap,
        findButton,
        h('div', { class: 'field' }, h('label', {}, '選択中'), chosenBox),
        h('div', { class: 'field' }, h('label', {}, '被保険者の区分 (申請日)'), category),
      ),
      found,
      h('h3', {}, '申請内容'),
      h('div', { class: 'form-grid' }, kind.wrap, appliedOn.wrap, place.wrap, relation.wrap, disease.wrap),
      h('div', { class: 'form-grid' }, reason.wrap),
      mastersNote,
      h('p', { class: 'muted small' }, '受け付けると、申請日から30日の期限が始まります。申請は審査会支援システムへ送られます (NT-01)。第2号被保険者は医療保険の加入と保険料の滞納を照会します (NT-02・NT-04)。'),
      h('div', { class: 'form-actions' }, submit),
    ),
  );
  sync();

  // The 特定疾病 come from the masters; without them a 第2号 application cannot be taken.
  void certificationApi.masters().then(
    (m: Masters) => {
      if (!ctx.isCurrent()) return;
      const value = disease.el.value;
      mount(disease.el, h('option', { value: '' }, '選んでください'), m.specified_diseases.map((d) => h('option', { value: d.code, selected: d.code === value }, `${d.code} ${d.name}`)));
    },
    (e: unknown) => {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(mastersNote, h('p', { class: 'note' }, `特定疾病の一覧を読めませんでした (${message})`));
    },
  );

  const personId = query.person ?? query.person_id;
  if (personId) {
    void api.person(personId, false).then(
      (d) => ctx.isCurrent() && choose(d.person),
      (e: unknown) => {
        if (!ctx.isCurrent()) return;
        const message = failureMessage(ctx, e);
        if (message !== null) errors.show(message, 'person_id');
      },
    );
  }
}

function personPicker(items: PersonSummary[], choose: (p: Chosen) => void): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty small-empty' }, '該当者はいません');
  return h(
    'table',
    { class: 'grid', id: 'cert-person-table' },
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
