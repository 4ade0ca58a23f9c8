// Pieces the 番号連携 screens share: the state badge, the 10-second refresh loop, and the
// small select/field builders of the inquiry forms and filters.
import { h } from '../dom';
import { formatTimestamp } from '../format';
import { formatShortTimestamp, inquiryStateLabel, inquiryStateShortLabel, inquiryStateTone } from '../inquiry';
import type { PageContext } from './context';

/** How often open inquiries are fetched again while their page is on screen. */
export const REFRESH_MS = 10_000;

/**
 * The state as a coloured badge; `data-status` carries the code for tests and styles. `short`
 * (dense tables) leaves out the 自動応答不可 note, which then shows on hover.
 */
export function inquiryBadge(status: string, short = false): HTMLElement {
  return h(
    'span',
    { class: `badge inq inq-${inquiryStateTone(status)}`, 'data-status': status, title: inquiryStateLabel(status) },
    short ? inquiryStateShortLabel(status) : inquiryStateLabel(status),
  );
}

/** A table cell with a short timestamp and the full one on hover; '—' when there is none. */
export function timeCell(ts: string | null | undefined): HTMLElement {
  return ts
    ? h('td', { class: 'nowrap', title: formatTimestamp(ts) }, formatShortTimestamp(ts, new Date()))
    : h('td', { class: 'muted' }, '—');
}

/** 対象期間 in a narrow cell: one day once, else the two ends on two lines. */
export function periodCell(from: string, to: string): HTMLElement {
  return from === to
    ? h('td', { class: 'nowrap period' }, from)
    : h('td', { class: 'nowrap period' }, from, h('br'), `〜${to}`);
}

/**
 * Call `tick` every REFRESH_MS while the page is still the one on screen. `tick` says whether to
 * go on (false: stop, e.g. everything is final). A tick never overlaps the previous one: the next
 * timer starts when it has finished, so a slow server is not asked twice at once.
 */
export function refreshEvery(ctx: PageContext, tick: () => Promise<boolean>): void {
  const schedule = () =>
    window.setTimeout(async () => {
      if (!ctx.isCurrent()) return;
      let again = true;
      try {
        again = await tick();
      } catch {
        // The tick shows its own failures; a failed refresh is tried again next time.
      }
      if (again && ctx.isCurrent()) schedule();
    }, REFRESH_MS);
  schedule();
}

/** `<select>` with a label, as on the flow page's filters. */
export function labelledSelect(id: string, label: string, value: string, options: [string, string][], inline = true) {
  const el = h('select', { id }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  return { el, wrap: h('div', { class: inline ? 'field inline' : 'field' }, h('label', { for: id }, label), el) };
}

/** `<input>` with a label above it. */
export function labelledInput(id: string, label: string, value: string, placeholder = '') {
  const el = h('input', { id, value, placeholder, autocomplete: 'off' });
  return { el, wrap: h('div', { class: 'field' }, h('label', { for: id }, label), el) };
}

/** `HH:MM:SS` of now, for 「最終更新」. */
export function clockTime(now = new Date()): string {
  return [now.getHours(), now.getMinutes(), now.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
