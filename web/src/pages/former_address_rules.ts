// 住所地特例 (#/former-address-rules?direction=…&open=1): the two ledgers the city keeps (法13条) —
// its own insured living in a facility elsewhere, and other cities' insured living in a facility
// here — as two tabs; 「適用中のみ」 limits to rules in force today. Each row links to the person.
import { errorBanner, h, mount } from '../dom';
import { sourceLabel, todayIso } from '../eligibility';
import type { FormerAddressRule } from '../eligibility_types';
import { eligibilityApi } from '../api_eligibility';
import { toWareki } from '../format';
import { buildQuery } from '../query';
import { personHash } from '../router';
import { failureMessage, type PageContext } from './context';
import { DIRECTIONS } from './person_eligibility_actions';

export const LEDGER_LIMIT = 500;

export function renderFormerAddressRules(ctx: PageContext, query: Record<string, string>): void {
  let direction = DIRECTIONS.some((d) => d.code === query.direction) ? query.direction : DIRECTIONS[0].code;
  const openOnly = h('input', { type: 'checkbox', id: 'rules-open-only', checked: query.open !== '0' });
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const banner = h('div', { class: 'banner-slot' });
  const meta = h('div', { class: 'result-meta', id: 'rules-meta' });
  const list = h('div', { id: 'rules-list' }, h('p', { class: 'muted' }, '読み込み中…'));
  mount(
    ctx.main,
    h('h1', { class: 'page-title' }, '住所地特例'),
    tabs,
    h('div', { class: 'panel filters' }, h('label', { class: 'check' }, openOnly, ' 本日適用中のものだけ'), meta),
    banner,
    list,
  );

  const drawTabs = () =>
    mount(
      tabs,
      DIRECTIONS.map((d) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            class: `tab${d.code === direction ? ' active' : ''}`,
            'aria-selected': d.code === direction ? 'true' : 'false',
            'data-direction': d.code,
            onclick: () => {
              direction = d.code;
              void load();
            },
          },
          d.label,
        ),
      ),
    );

  const load = async () => {
    drawTabs();
    history.replaceState(null, '', `#/former-address-rules${buildQuery({ direction, open: openOnly.checked ? null : '0' })}`);
    try {
      const { items } = await eligibilityApi.rules({ direction, open_on: openOnly.checked ? todayIso() : null, limit: LEDGER_LIMIT });
      if (!ctx.isCurrent()) return;
      mount(banner);
      mount(meta, `${items.length}件`, items.length >= LEDGER_LIMIT ? h('span', { class: 'note' }, `${LEDGER_LIMIT}件まで表示`) : null);
      mount(list, ruleTable(items, direction));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      mount(list);
    }
  };
  openOnly.addEventListener('change', () => void load());
  void load();
}

function ruleTable(items: FormerAddressRule[], direction: string): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty', id: 'rules-empty' }, '該当する住所地特例はありません');
  // ours_living_elsewhere: the facility is in another city; theirs_living_here: the insurer is.
  const other = direction === 'ours_living_elsewhere' ? '施設所在市町村' : '保険者番号 (他市町村)';
  return h(
    'table',
    { class: 'grid', id: 'rules-table' },
    h('thead', {}, h('tr', {}, ['宛名番号', '氏名', '被保険者番号', '施設種別', '施設名', other, '開始日', '終了日', '情報源'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      items.map((r) =>
        h(
          'tr',
          { 'data-rule-id': r.rule_id, 'data-person-id': r.person_id },
          h('td', { class: 'mono' }, h('a', { href: personHash(r.person_id) }, r.person_id)),
          h('td', {}, h('a', { href: personHash(r.person_id) }, r.name_kanji)),
          h('td', { class: 'mono' }, r.insured_no ?? ''),
          h('td', {}, r.facility_kind_label),
          h('td', {}, r.facility_name),
          h('td', { class: 'mono' }, direction === 'ours_living_elsewhere' ? r.facility_municipality_code : r.other_insurer_no),
          h('td', { class: 'nowrap' }, toWareki(r.started_on)),
          h('td', { class: 'nowrap' }, r.ended_on ? toWareki(r.ended_on) : h('span', { class: 'muted' }, '継続中')),
          h('td', {}, sourceLabel(r.source)),
        ),
      ),
    ),
  );
}
