// 連携フロー一覧: the 77 steps of the flow catalog (flows.md) with what the system does today.
// A step that is not built yet says so plainly: 「未実装」. Filters live in the hash
// (#/flows?section=資格&state=not_yet) and are changed with replaceState, so the list is not
// fetched again on every change.
import { api } from '../api';
import { errorBanner, h, mount } from '../dom';
import { flowStateLabel, formatCount, formatTimestamp } from '../format';
import { buildQuery } from '../query';
import type { Flow } from '../types';
import { failureMessage, type PageContext } from './context';

/** The four lines of business in catalog order, with the ID prefix each uses. */
export const SECTIONS: readonly { name: string; prefix: string; english: string }[] = [
  { name: '資格', prefix: 'SK', english: 'eligibility' },
  { name: '賦課', prefix: 'FK', english: 'premium assessment' },
  { name: '認定', prefix: 'NT', english: 'care-need certification' },
  { name: '給付', prefix: 'KY', english: 'benefits' },
];

export function renderFlows(ctx: PageContext, query: Record<string, string>): void {
  const banner = h('div', { class: 'banner-slot' });
  const summary = h('div', { class: 'result-meta', id: 'flow-summary' });
  const list = h('div', { id: 'flow-list' }, h('p', { class: 'muted' }, '読み込み中…'));
  const section = select('flow-section', '区分', query.section ?? '', [
    ['', 'すべて'],
    ...SECTIONS.map((s): [string, string] => [s.name, s.name]),
  ]);
  const state = select('flow-state', '状態', query.state ?? '', [
    ['', 'すべて'],
    ['implemented', '実装済'],
    ['not_yet', '未実装'],
  ]);
  mount(
    ctx.main,
    h('h1', { class: 'page-title' }, '連携フロー一覧'),
    h('div', { class: 'panel filters' }, section.wrap, state.wrap, summary),
    banner,
    list,
  );

  let flows: Flow[] = [];
  const draw = () => {
    const s = section.el.value;
    const st = state.el.value;
    history.replaceState(null, '', `#/flows${buildQuery({ section: s, state: st })}`);
    const shown = flows.filter((f) => (!s || f.section === s) && (!st || f.state === st));
    const implemented = flows.filter((f) => f.state === 'implemented').length;
    mount(
      summary,
      `全${flows.length}件・実装済 ${implemented}件・未実装 ${flows.length - implemented}件`,
      shown.length !== flows.length ? ` (表示 ${shown.length}件)` : '',
    );
    const groups = SECTIONS.map((sec) => ({ sec, rows: shown.filter((f) => f.section === sec.name) }));
    const others = shown.filter((f) => !SECTIONS.some((sec) => sec.name === f.section));
    mount(
      list,
      shown.length === 0 ? h('div', { class: 'empty' }, '条件に合う連携フローはありません') : null,
      groups.filter((g) => g.rows.length).map((g) => flowTable(`${g.sec.name} (${g.sec.prefix})`, g.rows)),
      others.length ? flowTable('その他', others) : null,
    );
  };
  section.el.addEventListener('change', draw);
  state.el.addEventListener('change', draw);

  void (async () => {
    try {
      flows = await api.flows();
      if (ctx.isCurrent()) draw();
    } catch (e) {
      if (!ctx.isCurrent()) return;
      mount(list);
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
    }
  })();
}

function select(id: string, label: string, value: string, options: [string, string][]) {
  const el = h('select', { id }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  return { el, wrap: h('div', { class: 'field inline' }, h('label', { for: id }, label), el) };
}

function flowTable(title: string, rows: Flow[]): HTMLElement {
  return h(
    'section',
    { class: 'flow-group' },
    h('h2', {}, title, h('span', { class: 'sub' }, `${rows.length}件`)),
    h(
      'table',
      { class: 'grid flows' },
      h(
        'thead',
        {},
        h('tr', {}, ['ID', '方向', '相手方', '情報', '処理内容', '状態', '件数', '最終連携', 'エラー'].map((c) => h('th', {}, c))),
      ),
      h(
        'tbody',
        {},
        rows.map((f) =>
          h(
            'tr',
            { 'data-flow-id': f.id, 'data-state': f.state },
            h('td', { class: 'mono nowrap' }, f.id),
            h('td', { class: 'nowrap' }, f.direction),
            h('td', { title: f.counterpart }, f.counterpart_name || f.counterpart),
            h('td', {}, f.information),
            h('td', { title: f.action }, f.source_text || f.action),
            h('td', {}, h('span', { class: `badge badge-${f.state}` }, flowStateLabel(f.state))),
            h('td', { class: 'num' }, formatCount(f.traffic.count)),
            h('td', { class: 'nowrap' }, f.traffic.last_exchange_at ? formatTimestamp(f.traffic.last_exchange_at) : '—'),
            h('td', { class: f.traffic.errors > 0 ? 'num error-count' : 'num' }, formatCount(f.traffic.errors)),
          ),
        ),
      ),
    ),
  );
}
