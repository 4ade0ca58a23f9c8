// 異動受付 一覧 (#/cases?status=open): the counter's movement cases (SK-01), newest first, with a
// status filter in the hash and 「新規受付」. A row opens the case.
import { errorBanner, h, mount } from '../dom';
import { caseStatusLabel } from '../eligibility';
import type { MovementCase } from '../eligibility_types';
import { eligibilityApi } from '../api_eligibility';
import { formatTimestamp, toWareki } from '../format';
import { buildQuery } from '../query';
import { caseHash, personHash } from '../router';
import { failureMessage, type PageContext } from './context';
import { labelledSelect } from './inquiry_parts';

export const CASE_LIMIT = 200;

export function renderCases(ctx: PageContext, query: Record<string, string>): void {
  const banner = h('div', { class: 'banner-slot' });
  const list = h('div', { id: 'case-list' }, h('p', { class: 'muted' }, '読み込み中…'));
  const meta = h('div', { class: 'result-meta', id: 'case-meta' });
  const status = labelledSelect('case-status', '状態', query.status ?? 'open', [
    ['', 'すべて'],
    ['open', '受付中'],
    ['completed', '完了'],
    ['cancelled', '取消'],
  ]);
  mount(
    ctx.main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, '異動受付'), h('a', { href: '#/cases/new', class: 'btn btn-primary', id: 'case-new' }, '新規受付')),
    h('div', { class: 'panel filters' }, status.wrap, meta),
    banner,
    list,
  );

  const load = async () => {
    history.replaceState(null, '', `#/cases${buildQuery({ status: status.el.value || 'all' })}`);
    try {
      const { items } = await eligibilityApi.cases({ status: status.el.value, limit: CASE_LIMIT });
      if (!ctx.isCurrent()) return;
      mount(banner);
      mount(meta, `${items.length}件`, items.length >= CASE_LIMIT ? h('span', { class: 'note' }, `新しい順に${CASE_LIMIT}件まで`) : null);
      mount(list, caseTable(items));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      mount(list);
    }
  };
  // 'all' in the hash keeps 「すべて」 chosen on reload (no status means the default, 受付中).
  if (query.status === 'all') status.el.value = '';
  status.el.addEventListener('change', () => void load());
  void load();
}

function caseTable(items: MovementCase[]): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty', id: 'case-empty' }, '該当する受付はありません');
  return h(
    'table',
    { class: 'grid clickable', id: 'case-table' },
    h('thead', {}, h('tr', {}, ['受付番号', '種別', '宛名番号', '氏名', '異動日', '届出日', '届出人', '状態', '受付日時', '受付者'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      items.map((c) =>
        h(
          'tr',
          {
            'data-case-id': c.case_id,
            'data-status': c.status,
            'data-person-id': c.person_id ?? '',
            onclick: (ev: Event) => {
              if (!(ev.target as Element).closest('a')) location.hash = caseHash(c.case_id);
            },
          },
          h('td', { class: 'mono num' }, h('a', { href: caseHash(c.case_id) }, String(c.case_id))),
          h('td', {}, c.movement_kind_label),
          h('td', { class: 'mono' }, c.person_id ? h('a', { href: personHash(c.person_id) }, c.person_id) : h('span', { class: 'muted' }, '新規')),
          h('td', {}, c.name_kanji ?? ''),
          h('td', { class: 'nowrap' }, toWareki(c.movement_date)),
          h('td', { class: 'nowrap' }, toWareki(c.notified_on)),
          h('td', {}, c.notifier),
          h('td', {}, h('span', { class: `badge case-${c.status}` }, caseStatusLabel(c.status))),
          h('td', { class: 'nowrap' }, formatTimestamp(c.created_at)),
          h('td', { class: 'mono small' }, c.created_by),
        ),
      ),
    ),
  );
}
