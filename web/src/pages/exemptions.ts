// 適用除外 (#/exemptions?open=0): people in an 適用除外施設 (施行法11条: 障害者支援施設 etc.), who are
// not insured while there; 「本日入所中のみ」 by default. Each row links to the person.
import { errorBanner, h, mount } from '../dom';
import { sourceLabel, todayIso } from '../eligibility';
import type { Exemption } from '../eligibility_types';
import { eligibilityApi } from '../api_eligibility';
import { toWareki } from '../format';
import { buildQuery } from '../query';
import { personHash } from '../router';
import { failureMessage, type PageContext } from './context';
import { LEDGER_LIMIT } from './former_address_rules';

export function renderExemptions(ctx: PageContext, query: Record<string, string>): void {
  const openOnly = h('input', { type: 'checkbox', id: 'exemptions-open-only', checked: query.open !== '0' });
  const banner = h('div', { class: 'banner-slot' });
  const meta = h('div', { class: 'result-meta', id: 'exemptions-meta' });
  const list = h('div', { id: 'exemptions-list' }, h('p', { class: 'muted' }, '読み込み中…'));
  mount(
    ctx.main,
    h('h1', { class: 'page-title' }, '適用除外'),
    h('div', { class: 'panel filters' }, h('label', { class: 'check' }, openOnly, ' 本日入所中のものだけ'), meta),
    banner,
    list,
  );
  const load = async () => {
    history.replaceState(null, '', `#/exemptions${buildQuery({ open: openOnly.checked ? null : '0' })}`);
    try {
      const { items } = await eligibilityApi.exemptions({ open_on: openOnly.checked ? todayIso() : null, limit: LEDGER_LIMIT });
      if (!ctx.isCurrent()) return;
      mount(banner);
      mount(meta, `${items.length}件`, items.length >= LEDGER_LIMIT ? h('span', { class: 'note' }, `${LEDGER_LIMIT}件まで表示`) : null);
      mount(list, exemptionTable(items));
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

function exemptionTable(items: Exemption[]): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty', id: 'exemptions-empty' }, '該当する適用除外はありません');
  return h(
    'table',
    { class: 'grid', id: 'exemptions-table' },
    h('thead', {}, h('tr', {}, ['宛名番号', '氏名', '被保険者番号', '施設種別', '施設名', '入所日', '退所日', '情報源'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      items.map((x) =>
        h(
          'tr',
          { 'data-exemption-id': x.exemption_id, 'data-person-id': x.person_id },
          h('td', { class: 'mono' }, h('a', { href: personHash(x.person_id) }, x.person_id)),
          h('td', {}, h('a', { href: personHash(x.person_id) }, x.name_kanji)),
          h('td', { class: 'mono' }, x.insured_no ?? ''),
          h('td', {}, x.facility_kind_label),
          h('td', {}, x.facility_name),
          h('td', { class: 'nowrap' }, toWareki(x.entered_on)),
          h('td', { class: 'nowrap' }, x.left_on ? toWareki(x.left_on) : h('span', { class: 'muted' }, '入所中')),
          h('td', {}, sourceLabel(x.source)),
        ),
      ),
    ),
  );
}
