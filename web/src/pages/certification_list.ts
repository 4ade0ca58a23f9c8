// 認定 申請一覧 (#/certification?filter=overdue&q=ヤマ): every application with its clock — days since
// 申請日, days left to the 30-day deadline (法27条11項) and a badge that turns amber before the
// deadline and red past it — and the stage it waits in. Tabs are the API's filters (with counts
// when the server sends them); the search takes an 申請番号, a 被保険者番号 or a カナ prefix. Both
// live in the hash, so 「戻る」 from an application returns to the same list. A row opens it.
import { errorBanner, h, mount } from '../dom';
import { certificationApi } from '../api_certification';
import { FILTERS, filterOf, filterTone, needsPostponement } from '../certification';
import type { ApplicationList, ApplicationRow } from '../certification_types';
import { formatCount, normalizeKana, toWareki } from '../format';
import { buildQuery } from '../query';
import { personHash } from '../router';
import { failureMessage, type PageContext } from './context';
import { certificationHash, clockBadge, shinsaSimulator } from './certification_parts';

/** Rows asked for at a time; 「さらに表示」 asks for the next page. */
export const PAGE_SIZE = 100;

export function renderCertificationList(ctx: PageContext, query: Record<string, string>): void {
  const filter = filterOf(query);
  const banner = h('div', { class: 'banner-slot' });
  const sim = h('div', { id: 'shinsa-sim-slot' });
  const tabs = h('div', { class: 'cert-tabs', id: 'cert-tabs', role: 'tablist' });
  const list = h('div', { id: 'cert-list' }, h('p', { class: 'muted' }, '読み込み中…'));
  const meta = h('div', { class: 'result-meta', id: 'cert-meta' });
  const more = h('div', { id: 'cert-more' });
  const q = h('input', { id: 'cert-q', value: query.q ?? '', placeholder: '申請番号・被保険者番号・カナ', autocomplete: 'off' });
  const rows: ApplicationRow[] = [];
  let counts: ApplicationList['counts'];

  const drawTabs = () =>
    mount(
      tabs,
      FILTERS.map((f) =>
        h(
          'a',
          {
            // Coloured only when something is in it: a red 0 would cry wolf.
            class: `tab${f.filter === filter ? ' active' : ''}${filterTone(f.filter) && (counts?.[f.filter] ?? 0) > 0 ? ` tone-${filterTone(f.filter)}` : ''}`,
            role: 'tab',
            'aria-selected': f.filter === filter ? 'true' : 'false',
            'data-filter': f.filter,
            href: `#/certification${buildQuery({ filter: f.filter, q: q.value })}`,
          },
          f.label,
          counts && counts[f.filter] !== undefined ? h('span', { class: 'chip-count', 'data-count': String(counts[f.filter]) }, formatCount(counts[f.filter] ?? 0)) : null,
        ),
      ),
    );

  const load = async (append: boolean) => {
    const search = /^[A-Za-z]?\d+$/.test(q.value.trim()) ? q.value.trim().toUpperCase() : normalizeKana(q.value);
    try {
      const r = await certificationApi.applications({ filter, q: search, limit: PAGE_SIZE, offset: append ? rows.length : 0 });
      if (!ctx.isCurrent()) return;
      mount(banner);
      if (!append) rows.length = 0;
      rows.push(...r.items);
      counts = r.counts;
      drawTabs();
      mount(meta, `${formatCount(r.total)}件`, rows.length < r.total ? h('span', {}, `${formatCount(rows.length)}件を表示`) : null);
      mount(list, applicationTable(rows));
      mount(
        more,
        rows.length < r.total
          ? h('button', { type: 'button', class: 'btn btn-wide', id: 'cert-more-button', onclick: () => void load(true) }, `さらに表示 (残り${formatCount(r.total - rows.length)}件)`)
          : null,
      );
    } catch (e) {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      mount(list);
    }
  };

  const search = (ev: Event) => {
    ev.preventDefault();
    const hash = `#/certification${buildQuery({ filter, q: q.value })}`;
    if (location.hash === hash) void load(false);
    else location.hash = hash;
  };

  drawTabs();
  mount(
    ctx.main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', { class: 'page-title' }, '要介護認定 申請一覧'),
      h('span', { class: 'muted small' }, '申請日から30日以内に処分 (介護保険法27条11項)。期限を過ぎる場合は延期通知が必要です'),
    ),
    sim,
    h(
      'form',
      { class: 'cert-search', onsubmit: search },
      h('div', { class: 'field' }, h('label', { for: 'cert-q' }, '検索'), q),
      h('button', { type: 'submit', class: 'btn', id: 'cert-search' }, '検索'),
      h('button', { type: 'button', class: 'btn', id: 'cert-refresh', onclick: () => void load(false) }, '更新'),
      h('a', { href: '#/certification/new', class: 'btn btn-primary', id: 'cert-new' }, '申請受付'),
      meta,
    ),
    tabs,
    banner,
    list,
    more,
  );
  shinsaSimulator(ctx, sim, () => void load(false));
  void load(false);
}

function applicationTable(rows: ApplicationRow[]): HTMLElement {
  if (rows.length === 0) return h('div', { class: 'empty', id: 'cert-empty' }, '該当する申請はありません');
  return h(
    'table',
    { class: 'grid clickable cert-list', id: 'cert-table' },
    h('thead', {}, h('tr', {}, ['申請番号', '氏名', '種類', '申請日', '期限日', '経過日数', '残り日数', '期限', '現在の段階'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {
            class: `row-${r.clock}`,
            'data-application-id': r.application_id,
            'data-application-no': r.application_no,
            'data-status': r.status,
            'data-clock': r.clock,
            onclick: (ev: Event) => {
              if (!(ev.target as Element).closest('a')) location.hash = certificationHash(r.application_id);
            },
          },
          h('td', { class: 'mono' }, h('a', { href: certificationHash(r.application_id) }, r.application_no)),
          h('td', {}, h('a', { href: personHash(r.person_id), title: r.name_kana }, r.name), h('div', { class: 'small muted' }, r.name_kana)),
          h('td', {}, r.kind_label, r.category === '2' ? h('div', { class: 'small muted' }, '第2号') : null),
          h('td', { class: 'nowrap' }, toWareki(r.applied_on)),
          h('td', { class: 'nowrap' }, toWareki(r.deadline_on)),
          h('td', { class: 'num' }, `${r.days_elapsed}日`),
          h(
            'td',
            { class: `num days-left${r.clock === 'done' ? '' : r.days_left < 0 ? ' neg' : r.clock === 'warning' ? ' warn' : ''}` },
            r.clock === 'done' || r.status === 'withdrawn' ? '—' : `${r.days_left}日`,
          ),
          h('td', {}, clockBadge(r), needsPostponement(r) ? h('div', { class: 'small error-text' }, '延期通知 未送付') : null),
          h('td', {}, r.stage_label || r.status_label),
        ),
      ),
    ),
  );
}
