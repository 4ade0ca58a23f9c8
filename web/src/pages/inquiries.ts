// 照会キュー: every 番号連携 inquiry with its state, for staff to watch and act on. Counts per
// state sit on top as chips (a click filters by that state); filters 状態・種別・宛名番号 live in
// the hash (#/inquiries?status=pending&kind=…&person_id=…). The list is fetched again every 10 s
// while the page is open, and by 「更新」. A row opens the inquiry (#/inquiries/{id}).
import { api, ApiError } from '../api';
import { errorBanner, h, mount } from '../dom';
import { formatCount } from '../format';
import { INQUIRY_STATES, inquiryStateShortLabel, inquiryStateTone } from '../inquiry';
import { buildQuery } from '../query';
import { inquiryHash, personHash } from '../router';
import type { Inquiry, InquiryList } from '../types';
import { failureMessage, type PageContext } from './context';
import { clockTime, inquiryBadge, labelledInput, labelledSelect, periodCell, refreshEvery, timeCell } from './inquiry_parts';

/** Rows asked for; the newest come first. */
export const QUEUE_LIMIT = 100;

export function renderInquiries(ctx: PageContext, query: Record<string, string>): void {
  const banner = h('div', { class: 'banner-slot' });
  const chips = h('div', { class: 'chips', id: 'inquiry-counts', role: 'group', 'aria-label': '状態別件数' });
  const meta = h('div', { class: 'result-meta', id: 'inquiry-meta' });
  const list = h('div', { id: 'inquiry-list' }, h('p', { class: 'muted' }, '読み込み中…'));

  const status = labelledSelect('inquiry-status', '状態', query.status ?? '', [
    ['', 'すべて'],
    ...INQUIRY_STATES.map((s): [string, string] => [s, inquiryStateShortLabel(s)]),
  ]);
  const kind = labelledSelect('inquiry-kind', '種別', query.kind ?? '', [['', 'すべて']]);
  const person = labelledInput('inquiry-person', '宛名番号', query.person_id ?? '', '10桁');
  person.wrap.className = 'field inline';
  const refresh = h('button', { type: 'button', class: 'btn', id: 'inquiry-refresh' }, '更新');

  mount(
    ctx.main,
    h('h1', { class: 'page-title' }, '番号連携 照会キュー'),
    chips,
    h(
      'form',
      {
        class: 'panel filters',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          void load();
        },
      },
      status.wrap,
      kind.wrap,
      person.wrap,
      refresh,
      meta,
    ),
    banner,
    list,
  );

  let lastCounts: Record<string, number> = {};
  const filters = () => ({ status: status.el.value, kind: kind.el.value, person_id: person.el.value.trim() });

  const load = async (): Promise<boolean> => {
    const f = filters();
    history.replaceState(null, '', `#/inquiries${buildQuery(f)}`);
    try {
      const result = await api.inquiries({ ...f, limit: QUEUE_LIMIT });
      if (!ctx.isCurrent()) return false;
      mount(banner);
      lastCounts = result.counts ?? {};
      drawChips();
      mount(
        meta,
        `${formatCount(result.items.length)}件表示`,
        result.items.length >= QUEUE_LIMIT ? h('span', { class: 'note' }, `新しい順に${QUEUE_LIMIT}件まで`) : null,
        h('span', { id: 'inquiry-updated' }, `最終更新 ${clockTime()}・10秒ごとに自動更新`),
      );
      mount(list, queueTable(result));
    } catch (e) {
      if (!ctx.isCurrent()) return false;
      const message = failureMessage(ctx, e);
      if (message === null) return false;
      mount(banner, errorBanner(message));
      // A forbidden user sees only the banner, and asking again will not help; a passing outage
      // keeps the last list on screen and the next refresh tries again.
      if (e instanceof ApiError && e.status === 403) {
        mount(list);
        return false;
      }
      if (!list.querySelector('table')) mount(list);
    }
    return true;
  };

  const drawChips = () => {
    const total = INQUIRY_STATES.reduce((n, s) => n + (lastCounts[s] ?? 0), 0);
    const chip = (value: string, label: string, n: number, tone: string) =>
      h(
        'button',
        {
          type: 'button',
          class: `chip chip-${tone}${status.el.value === value ? ' active' : ''}`,
          'data-status': value || 'all',
          'aria-pressed': status.el.value === value ? 'true' : 'false',
          onclick: () => {
            status.el.value = value;
            void load();
          },
        },
        label,
        h('span', { class: 'chip-count' }, formatCount(n)),
      );
    mount(
      chips,
      chip('', 'すべて', total, 'all'),
      INQUIRY_STATES.map((s) => chip(s, inquiryStateShortLabel(s), lastCounts[s] ?? 0, inquiryStateTone(s))),
    );
  };

  status.el.addEventListener('change', () => void load());
  kind.el.addEventListener('change', () => void load());
  person.el.addEventListener('change', () => void load());
  refresh.addEventListener('click', () => void load());

  // The kind names for the filter; the queue works without them (kinds then show as sent).
  void api.inquiryKinds().then(
    (kinds) => {
      if (!ctx.isCurrent()) return;
      const current = kind.el.value || (query.kind ?? '');
      mount(
        kind.el,
        h('option', { value: '' }, 'すべて'),
        kinds.map((k) => h('option', { value: k.kind, selected: k.kind === current }, k.name)),
      );
    },
    () => undefined,
  );

  // The chips appear with the first answer: counts of 0 before it would be read as facts.
  void load();
  refreshEvery(ctx, load);
}

function queueTable(result: InquiryList): HTMLElement {
  if (result.items.length === 0) return h('div', { class: 'empty', id: 'inquiry-empty' }, '条件に合う照会はありません');
  const open = (q: Inquiry) => (ev: Event) => {
    // The 宛名番号 link goes to the person, not the inquiry.
    if ((ev.target as Element).closest('a')) return;
    location.hash = inquiryHash(q.inquiry_id);
  };
  return h(
    'table',
    { class: 'grid clickable inquiries', id: 'inquiry-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['照会ID', '種別', '宛名番号', '照会先', '対象期間', '処理通番', '状態', '試行回数', '次回確認', '期限', '登録日時', '登録者'].map(
          (c) => h('th', {}, c),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      result.items.map((q) =>
        h(
          'tr',
          {
            'data-inquiry-id': q.inquiry_id,
            'data-status': q.status,
            'data-person-id': q.person_id,
            onclick: open(q),
            title: `照会ID ${q.inquiry_id} を開く`,
          },
          h('td', { class: 'mono num' }, h('a', { href: inquiryHash(q.inquiry_id) }, String(q.inquiry_id))),
          h('td', { title: q.kind }, q.kind_name || q.kind),
          h('td', { class: 'mono' }, h('a', { href: personHash(q.person_id) }, q.person_id)),
          h('td', { title: q.institution_code }, q.counterpart_name || q.counterpart),
          periodCell(q.period_from, q.period_to),
          h('td', { class: 'mono small' }, q.processing_no || '—'),
          h('td', {}, inquiryBadge(q.status, true)),
          h('td', { class: 'num' }, formatCount(q.attempts)),
          timeCell(q.next_poll_at),
          timeCell(q.deadline_at),
          timeCell(q.created_at),
          h('td', { class: 'mono small', title: q.created_by }, q.created_by),
        ),
      ),
    ),
  );
}
