// Pieces the 給付 screens share: a part loaded on its own (its failure, a 403 or a route the
// server does not have yet — 「未実装」 — stays inside that part), yen cells, an explanation on the
// yellow panel, a 和暦 date cell, a link to a PDF, and the 国保連 simulator's demo control.
import '../premium.css';
import { ApiError } from '../api';
import { hasRoute, isMissingRoute } from '../api_benefit';
import { errorBanner, h, mount, type Child } from '../dom';
import { eligibilityApi } from '../api_eligibility';
import { toWareki } from '../format';
import { formatYen } from '../premium';
import { monthLabel } from '../certification';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, infoBanner, submitWith } from './forms';
import { explanationLines } from './benefit_format';

/** 「未実装」: the server has no route for this part yet; no button is offered. */
export function notImplemented(what: string): HTMLElement {
  return h('p', { class: 'muted not-implemented', 'data-state': 'not_yet' }, h('span', { class: 'badge badge-not_yet' }, '未実装'), ` ${what}はこのサーバーでは未実装です`);
}

/**
 * Load one part into `slot`: `draw` gets the answer. A missing route says 「未実装」, a 403 says the
 * user may not see it, any other failure is a banner — each inside `slot` only. Answers whether
 * the route answered (so callers offer their buttons only then).
 */
export async function loadPart<T>(ctx: PageContext, slot: HTMLElement, what: string, call: () => Promise<T>, draw: (r: T) => Child): Promise<boolean> {
  try {
    const r = await call();
    if (!ctx.isCurrent()) return false;
    mount(slot, draw(r));
    return true;
  } catch (e) {
    if (!ctx.isCurrent()) return false;
    if (isMissingRoute(e)) mount(slot, notImplemented(what));
    else if (e instanceof ApiError && e.status === 403) mount(slot, h('p', { class: 'muted' }, `${what}を見る権限がありません`));
    else {
      const message = failureMessage(ctx, e);
      mount(slot, message === null ? null : errorBanner(`${what}: ${message}`));
    }
    return false;
  }
}

/** A write's failure as the banner text, 「未実装」 when the route is not there. */
export function writeFailure(ctx: PageContext, e: unknown, what: string): string | null {
  if (isMissingRoute(e)) return `${what}: 未実装 (このサーバーにはまだありません)`;
  return failureMessage(ctx, e);
}

export function yen(n: number | null | undefined): HTMLElement {
  return h('td', { class: 'num nowrap' }, n === null || n === undefined ? '—' : formatYen(n));
}

export function dateText(iso: string | null | undefined): Child[] {
  if (!iso) return [h('span', { class: 'muted' }, '—')];
  return [toWareki(iso), h('span', { class: 'iso' }, iso)];
}

export function monthText(ym: string | null | undefined): Child[] {
  if (!ym) return [h('span', { class: 'muted' }, '—')];
  return [monthLabel(ym), h('span', { class: 'iso' }, ym)];
}

export function table(id: string | null, heads: readonly string[], rows: Child[], cls = 'grid'): HTMLElement {
  return h('table', { class: cls, id }, h('thead', {}, h('tr', {}, heads.map((c) => h('th', {}, c)))), h('tbody', {}, rows));
}

export function empty(text: string, id?: string): HTMLElement {
  return h('div', { class: 'empty small-empty', id }, text);
}

/** The explanation lines on the yellow panel, numbered, label and text side by side. */
export function explanationPanel(x: unknown, id?: string): HTMLElement {
  const lines = explanationLines(x);
  if (lines.length === 0) return h('p', { class: 'muted', id }, '説明はありません');
  return h(
    'div',
    { class: 'explanation-box' },
    h(
      'ol',
      { class: 'explanation', id },
      lines.map((l) => h('li', { 'data-label': l.label }, h('span', { class: 'ex-label' }, l.label), h('span', { class: 'ex-text' }, l.text))),
    ),
  );
}

/**
 * A PDF link opening in a new tab (the browser sends the session cookie). With `pattern` (the
 * route, path parameters as {}) the link becomes 「未実装」 when the server does not have it.
 */
export function pdfLink(href: string, text: string, id?: string, pattern?: string): HTMLElement {
  const a = h('a', { class: 'btn btn-small', href, target: '_blank', rel: 'noopener', id }, text);
  if (pattern) gate(a, 'GET', pattern, text);
  return a;
}

/**
 * 「国保連 (模擬): N日進める」 when the server runs a 国保連 simulator for the benefit files (demo only,
 * `GET /simulators` lists it): the simulator answers the KY-03 files sent and sends the month's
 * KY-04 file. `changed` runs after the inbox has had a moment to take the files in.
 */
export function kokuhorenSimulator(ctx: PageContext, slot: HTMLElement, changed: () => void): void {
  void eligibilityApi.simulators().then(
    ({ items }) => {
      const s = items.find((x) => x.counterpart === 'kokuhoren'); // one calendar for 特別徴収 and 給付実績
      if (!s || !ctx.isCurrent()) return;
      const days = h('input', { id: 'kokuhoren-days', type: 'number', min: 1, max: 366, value: '31', class: 'narrow' });
      const result = h('div', { class: 'banner-slot', id: 'kokuhoren-result' });
      const errors = fieldErrors(result, { days });
      const go = h('button', { type: 'submit', class: 'btn', id: 'kokuhoren-advance' }, '進める');
      mount(
        slot,
        h(
          'form',
          {
            class: 'panel sim-panel',
            id: 'kokuhoren-simulator',
            onsubmit: async (ev: Event) => {
              ev.preventDefault();
              const n = Number(days.value);
              if (!Number.isInteger(n) || n < 1 || n > 366) return errors.show('日数は1〜366で入力してください', 'days');
              errors.clear();
              const r = await submitWith(ctx, go, errors, () => eligibilityApi.advanceSimulator(s.counterpart, n));
              if (!r || !ctx.isCurrent()) return;
              mount(result, infoBanner(`${n}日進めました: ${r.summary}`));
              window.setTimeout(() => ctx.isCurrent() && changed(), 1500);
            },
          },
          h('span', { class: 'badge badge-not_yet' }, 'デモ専用'),
          h('label', { for: 'kokuhoren-days' }, `${s.label}: `),
          days,
          h('span', {}, '日'),
          go,
          result,
        ),
      );
    },
    () => undefined,
  );
}

/** 給付担当 and 監督者 work here (the server's benefit_workers). */
export function canWorkBenefit(roles: readonly string[]): boolean {
  return roles.includes('benefit_staff') || roles.includes('supervisor');
}

/**
 * Offer `button` only when the server has the route it calls: otherwise it is replaced by a grey
 * 「未実装」 saying what is missing (no dead button).
 */
export function gate(button: HTMLElement, method: string, pattern: string, what: string): void {
  void hasRoute(method, pattern).then((ok) => {
    if (ok || !button.isConnected) return;
    button.replaceWith(h('span', { class: 'badge badge-not_yet', 'data-state': 'not_yet', title: `${method} ${pattern}` }, `${what}: 未実装`));
  });
}
