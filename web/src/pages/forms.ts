// Small form pieces the 資格 screens share: labelled fields, marking the field a check or the
// server named, and running one write with its banner.
import { ApiError } from '../api';
import { errorBanner, h, mount, type Child } from '../dom';
import type { Code } from '../eligibility_types';
import { failureMessage, type PageContext } from './context';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field<E extends Control> {
  el: E;
  wrap: HTMLElement;
}

export function textField(id: string, label: string, placeholder = '', value = ''): Field<HTMLInputElement> {
  const el = h('input', { id, name: id, value, placeholder, autocomplete: 'off' });
  return { el, wrap: h('div', { class: 'field' }, h('label', { for: id }, label), el) };
}

export function selectField(id: string, label: string, options: readonly Code[], empty = '選んでください', value = ''): Field<HTMLSelectElement> {
  const el = h(
    'select',
    { id, name: id },
    empty ? h('option', { value: '' }, empty) : null,
    options.map((o) => h('option', { value: o.code, selected: o.code === value }, o.label)),
  );
  return { el, wrap: h('div', { class: 'field' }, h('label', { for: id }, label), el) };
}

/**
 * A form's error display: `show(message, field)` puts the banner in `slot` and marks exactly the
 * named control (by the API field name); `clear()` removes both.
 */
export function fieldErrors(slot: HTMLElement, controls: Record<string, Control>) {
  const show = (message: string, field: string | null) => {
    mount(slot, errorBanner(message));
    for (const [name, el] of Object.entries(controls)) el.classList.toggle('invalid', name === field);
    if (field && controls[field]) controls[field].focus();
  };
  return { show, clear: () => show('', null) };
}

/**
 * Run one write: disable `button` meanwhile; on failure show the server's words and mark its
 * `field` (a 401 goes to the login page instead). Answers the result, or null on failure.
 */
export async function submitWith<T>(
  ctx: PageContext,
  button: HTMLButtonElement,
  errors: { show: (message: string, field: string | null) => void },
  call: () => Promise<T>,
): Promise<T | null> {
  button.disabled = true;
  try {
    return await call();
  } catch (e) {
    if (!ctx.isCurrent()) return null;
    const message = failureMessage(ctx, e);
    if (message !== null) errors.show(message, e instanceof ApiError ? e.field : null);
    return null;
  } finally {
    button.disabled = false;
  }
}

/** A blue notice (role=status), e.g. what a write changed. */
export function infoBanner(...children: Child[]): HTMLElement {
  return h('div', { class: 'banner info', role: 'status' }, ...children);
}

/** A panel with a heading and a close button, for the forms that open below a section. */
export function formPanel(id: string, title: string, onClose: () => void, ...children: Child[]): HTMLElement {
  return h(
    'div',
    { class: 'subform', id },
    h('h3', {}, title, h('button', { type: 'button', class: 'btn btn-small', onclick: onClose }, '閉じる')),
    ...children,
  );
}
