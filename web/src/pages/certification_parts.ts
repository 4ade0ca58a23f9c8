// Pieces the 認定 screens share: the clock badge, the 30-day bar, the hash of each page, a PDF
// fetched before it is opened (so a refusal is a banner, not a broken tab), and the demo control
// of the committee-support simulator (shinsa: contractors, doctors and the committee answer as
// simulated days pass; GET /simulators lists it on demo servers only).
import '../certification.css';
import { h, mount } from '../dom';
import { eligibilityApi, fetchPdf } from '../api_eligibility';
import { clockBar, clockLabel, clockText, clockTone } from '../certification';
import type { ApplicationRow } from '../certification_types';
import { toWareki } from '../format';
import type { PageContext } from './context';
import { fieldErrors, infoBanner, submitWith } from './forms';

export const certificationHash = (applicationId: number | string) => `#/certification/${encodeURIComponent(String(applicationId))}`;
export const sessionHash = (sessionId: number | string) => `#/certification/sessions/${encodeURIComponent(String(sessionId))}`;

/** The badge (`期限超過 3日`, `期限間近 残り2日` …); `data-clock` carries the code for tests and styles. */
export function clockBadge(row: Pick<ApplicationRow, 'clock' | 'days_left' | 'days_elapsed' | 'postponed_until' | 'status'>, big = false): HTMLElement {
  const tone = clockTone(row.clock);
  return h(
    'span',
    { class: `clock clock-${tone}${big ? ' clock-big' : ''}`, 'data-clock': row.clock, title: clockLabel(row.clock) },
    clockText(row),
  );
}

/** The bar of the days: the allowed span (申請日 → 期限) filled by the days gone, the overrun in red. */
export function dayBar(row: Pick<ApplicationRow, 'clock' | 'applied_on' | 'deadline_on' | 'days_elapsed'>): HTMLElement {
  const b = clockBar(row.applied_on, row.deadline_on, row.days_elapsed);
  const bar = h('div', { class: `day-bar tone-${clockTone(row.clock)}`, role: 'img', 'aria-label': `${b.allowed}日のうち${b.elapsed}日経過` });
  // Widths through the CSSOM, not a style attribute, so a strict Content-Security-Policy holds.
  const elapsed = h('span', { class: 'elapsed' });
  elapsed.style.width = `${b.elapsedPct}%`;
  const overrun = h('span', { class: 'overrun' });
  overrun.style.width = `${b.overrunPct}%`;
  mount(bar, elapsed, h('span', { class: 'rest' }), overrun);
  return h(
    'div',
    {},
    bar,
    h('div', { class: 'day-bar-scale' }, h('span', {}, `申請 ${toWareki(row.applied_on)}`), h('span', {}, `期限 ${toWareki(row.deadline_on)} (${b.allowed}日)`)),
  );
}

/**
 * A button that fetches a PDF and opens it in a new tab; the link stays in `out` (「PDFを開く」).
 * `after` runs once the PDF arrived (the server records an issued document).
 */
export function pdfButton(ctx: PageContext, id: string, label: string, url: () => string, out: HTMLElement, after?: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'btn', id }, label);
  const errors = fieldErrors(out, {});
  button.addEventListener('click', async () => {
    errors.clear();
    const blob = await submitWith(ctx, button, errors, () => fetchPdf(url()));
    if (!blob || !ctx.isCurrent()) return;
    const href = URL.createObjectURL(blob);
    window.open(href, '_blank', 'noopener');
    mount(out, infoBanner(h('a', { href, target: '_blank', class: 'pdf-link', id: `${id}-link` }, 'PDFを開く'), `・${Math.max(1, Math.ceil(blob.size / 1024))} KB`));
    after?.();
  });
  return button;
}

/**
 * 「模擬審査会支援: N日進める」 when the server runs the shinsa simulator (demo only): contractors
 * and doctors send results, the committee decides requested sessions. `changed` runs after the
 * inbox has had a moment to take the answers in.
 */
export function shinsaSimulator(ctx: PageContext, slot: HTMLElement, changed: () => void): void {
  void eligibilityApi.simulators().then(
    ({ items }) => {
      const s = items.find((x) => x.counterpart === 'shinsa');
      if (!s || !ctx.isCurrent()) return;
      const days = h('input', { id: 'shinsa-days', type: 'number', min: 1, max: 366, value: '7', class: 'narrow' });
      const result = h('div', { class: 'banner-slot', id: 'shinsa-result' });
      const errors = fieldErrors(result, { days });
      const go = h('button', { type: 'submit', class: 'btn', id: 'shinsa-advance' }, '進める');
      mount(
        slot,
        h(
          'form',
          {
            class: 'panel sim-panel',
            id: 'shinsa-simulator',
            onsubmit: async (ev: Event) => {
              ev.preventDefault();
              const n = Number(days.value);
              if (!Number.isInteger(n) || n < 1 || n > 366) return errors.show('日数は1〜366で入力してください', 'days');
              errors.clear();
              const r = await submitWith(ctx, go, errors, () => eligibilityApi.advanceSimulator('shinsa', n));
              if (!r || !ctx.isCurrent()) return;
              mount(result, infoBanner(`${n}日進めました: ${r.summary}`));
              // The inbox takes the answers in on its next pass (every second in the demo).
              window.setTimeout(() => ctx.isCurrent() && changed(), 1500);
            },
          },
          h('span', { class: 'badge badge-not_yet' }, 'デモ専用'),
          h('label', { for: 'shinsa-days' }, `${s.label}: `),
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

/** A 和暦 date with the ISO beside it, as on the other screens. */
export function dateCell(iso: string | null | undefined): (HTMLElement | string)[] {
  if (!iso) return [h('span', { class: 'muted' }, '—')];
  return [toWareki(iso), h('span', { class: 'iso' }, iso)];
}
