// 個人ページ: identity, 世帯, 履歴 of one person. The 個人番号 comes masked; only when the server
// says this user may see it (`can_show_my_number`) is there a button, which asks the server again
// with ?show_my_number=1 (the server logs that read). The full number is never put in the URL.
import { api } from '../api';
import { errorBanner, h, mount, type Child } from '../dom';
import { formatPostalCode, formatTimestamp, reasonLabel, registryStatusLabel, sexLabel, toWareki } from '../format';
import { personHash } from '../router';
import type { PersonDetail } from '../types';
import { failureMessage, type PageContext } from './context';
import { insuranceCardUrl } from '../api_eligibility';
import { currentUser } from '../session';
import { renderEligibilitySection } from './person_eligibility';
import { renderNumberLinkSections } from './person_number_link';
import { renderPremiumSection } from './premium_person';
import { renderCertificationSection } from './certification_person';
import { renderBenefitSection } from './benefit_person';
import { statusBadge } from './search';

export function renderPerson(ctx: PageContext, personId: string): void {
  const banner = h('div', { class: 'banner-slot' });
  const body = h('div', { id: 'person-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  // 番号連携 and 情報提供等記録: drawn once the person is known, outside `body`, so showing the
  // 個人番号 (which redraws `body`) keeps a half-filled inquiry form as it is.
  const numberLink = h('div', { id: 'person-number-link' });
  // 資格: drawn once, like 番号連携; a write that issues a 被保険者番号 redraws the identity.
  const eligibility = h('div', { id: 'person-eligibility' });
  // 保険料 (賦課): drawn once, like 資格.
  const premium = h('div', { id: 'person-premium' });
  // 認定: drawn once, like 保険料.
  const certification = h('div', { id: 'person-certification-slot' });
  // 給付: drawn once, like 認定.
  const benefit = h('div', { id: 'person-benefit-slot' });
  mount(
    ctx.main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', { class: 'page-title' }, '個人ページ'),
      h('a', { href: '#', class: 'back', onclick: back }, '← 戻る'),
    ),
    banner,
    body,
    eligibility,
    premium,
    certification,
    benefit,
    numberLink,
  );

  const load = async (showMyNumber: boolean) => {
    mount(banner);
    try {
      const detail = await api.person(personId, showMyNumber);
      if (!ctx.isCurrent()) return;
      mount(body, ...personView(detail, () => void load(true)));
      if (!eligibility.hasChildNodes())
        mount(eligibility, renderEligibilitySection(ctx, personId, currentUser()?.roles ?? [], () => void load(false)));
      if (!premium.hasChildNodes()) mount(premium, renderPremiumSection(ctx, personId, currentUser()?.roles ?? []));
      if (!certification.hasChildNodes()) mount(certification, renderCertificationSection(ctx, personId, currentUser()?.roles ?? []));
      if (!benefit.hasChildNodes()) mount(benefit, renderBenefitSection(ctx, personId, currentUser()?.roles ?? []));
      if (!numberLink.hasChildNodes()) mount(numberLink, ...renderNumberLinkSections(ctx, personId));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      if (!showMyNumber) mount(body);
    }
  };
  void load(false);
}

function back(ev: Event): void {
  ev.preventDefault();
  if (history.length > 1) history.back();
  else location.hash = '#/search';
}

// 被保険者証 (SK-17): the PDF for the counter (a first issue); 再交付 with its reason is in the
// 資格 section's card form.
function cardLinks(d: PersonDetail): Child[] {
  if (!d.can_issue_insurance_card || d.person.insured_no === null) return [];
  const url = insuranceCardUrl(d.person.person_id, 'new');
  return [h('a', { class: 'btn btn-small', id: 'insurance-card', href: url, target: '_blank', rel: 'noopener' }, '被保険者証 (PDF)')];
}

function personView(d: PersonDetail, showMyNumber: () => void): Child[] {
  const p = d.person;
  const myNumber: Child[] =
    d.my_number === null
      ? ['登録なし']
      : [
          h('span', { class: 'mono', id: 'my-number' }, d.my_number),
          d.can_show_my_number && !d.my_number_shown
            ? h('button', { type: 'button', class: 'btn btn-small', id: 'show-my-number', onclick: showMyNumber }, '個人番号を表示')
            : null,
          d.my_number_shown ? h('span', { class: 'note' }, '表示した記録が残ります') : null,
        ];
  const rows: [string, Child, string?][] = [
    ['宛名番号', h('span', { class: 'mono' }, p.person_id), 'person_id'],
    ['氏名', p.name_kanji, 'name_kanji'],
    ['カナ', p.name_kana, 'name_kana'],
    ['生年月日', [toWareki(p.birth_date), h('span', { class: 'iso' }, p.birth_date)], 'birth_date'],
    ['年齢', p.age === null ? '' : `${p.age}歳`, 'age'],
    ['性別', sexLabel(p.sex), 'sex'],
    ['住所', [formatPostalCode(p.postal_code), ' ', p.address], 'address'],
    ['区', p.ward_name, 'ward_name'],
    ['世帯番号', h('span', { class: 'mono' }, p.household_id), 'household_id'],
    ['続柄', p.relation, 'relation'],
    ['住民状態', statusBadge(p.registry_status), 'registry_status'],
    ['被保険者番号', [h('span', { class: 'mono' }, p.insured_no ?? '未付番'), ...cardLinks(d)], 'insured_no'],
    ['個人番号', myNumber, 'my_number'],
  ];
  return [
    h(
      'section',
      { class: 'panel' },
      h('div', { class: 'person-name' }, h('span', { class: 'kanji' }, p.name_kanji), h('span', { class: 'kana' }, p.name_kana)),
      h(
        'dl',
        { class: 'facts', id: 'person-identity' },
        rows.map(([label, value, key]) => h('div', { class: 'fact', 'data-field': key }, h('dt', {}, label), h('dd', {}, value))),
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '世帯', h('span', { class: 'sub' }, `世帯番号 ${p.household_id}・${d.household.length}人`)),
      h(
        'table',
        { class: 'grid', id: 'household-table' },
        h('thead', {}, h('tr', {}, ['宛名番号', '氏名', 'カナ', '続柄', '生年月日', '性別'].map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          d.household.map((m) =>
            h(
              'tr',
              { class: m.person_id === p.person_id ? 'self' : null },
              h('td', { class: 'mono' }, h('a', { href: personHash(m.person_id) }, m.person_id)),
              h('td', {}, h('a', { href: personHash(m.person_id) }, m.name_kanji)),
              h('td', {}, m.name_kana),
              h('td', {}, m.relation),
              h('td', {}, toWareki(m.birth_date), h('span', { class: 'iso' }, m.birth_date)),
              h('td', {}, sexLabel(m.sex)),
            ),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '履歴', h('span', { class: 'sub' }, `${d.history.length}件`)),
      d.history.length === 0
        ? h('div', { class: 'empty' }, '履歴はありません')
        : h(
            'table',
            { class: 'grid history', id: 'history-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['適用開始', '適用終了', '異動事由', '氏名', '住所', '続柄', '住民状態', '記録日時', '記録者'].map((c) =>
                  h('th', {}, c),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              d.history.map((r) =>
                h(
                  'tr',
                  {},
                  h('td', {}, toWareki(r.valid_from), h('span', { class: 'iso' }, r.valid_from)),
                  h(
                    'td',
                    {},
                    r.valid_to ? [toWareki(r.valid_to), h('span', { class: 'iso' }, r.valid_to)] : h('span', { class: 'muted' }, '現在'),
                  ),
                  h('td', {}, reasonLabel(r.reason)),
                  h('td', {}, r.name_kanji),
                  h('td', { class: 'addr' }, r.address),
                  h('td', {}, r.relation),
                  h('td', {}, registryStatusLabel(r.registry_status)),
                  h('td', { class: 'mono' }, formatTimestamp(r.recorded_at)),
                  h('td', { class: 'mono' }, r.recorded_by),
                ),
              ),
            ),
          ),
    ),
  ];
}
