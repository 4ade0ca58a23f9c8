// 宛名検索: one form over カナ氏名 / 漢字氏名 (prefix match), 生年月日, 宛名番号, 被保険者番号.
// The conditions live in the hash (#/search?kana=…) so the browser's back button returns to the
// same result list from a person page.
import { api, ApiError } from '../api';
import { errorBanner, h, mount } from '../dom';
import { normalizeKana, parseDateInput, registryStatusLabel, sexLabel, toWareki } from '../format';
import { buildQuery } from '../query';
import { personHash } from '../router';
import type { PersonSearchResult } from '../types';
import { failureMessage, type PageContext } from './context';

/** Result rows asked for; the server says `truncated` when more matched. */
export const SEARCH_LIMIT = 50;

interface FieldDef {
  name: 'kana' | 'kanji' | 'birth_date' | 'person_id' | 'insured_no';
  label: string;
  placeholder: string;
}

const FIELDS: readonly FieldDef[] = [
  { name: 'kana', label: 'カナ氏名', placeholder: '例: ヤマダ (前方一致)' },
  { name: 'kanji', label: '漢字氏名', placeholder: '例: 山田 (前方一致)' },
  { name: 'birth_date', label: '生年月日', placeholder: '例: 1950-04-01 / S25.4.1' },
  { name: 'person_id', label: '宛名番号', placeholder: '10桁' },
  { name: 'insured_no', label: '被保険者番号', placeholder: '10桁' },
];

export function renderSearch(ctx: PageContext, query: Record<string, string>): void {
  const banner = h('div', { class: 'banner-slot' });
  const results = h('div', { class: 'results', id: 'search-results' });
  const inputs = new Map<string, HTMLInputElement>();

  const showError = (message: string, field: string | null) => {
    mount(banner, errorBanner(message));
    for (const [name, input] of inputs) input.classList.toggle('invalid', name === field);
    if (field) inputs.get(field)?.focus();
  };

  // A form the UI itself refuses: drop the old result list so it is not read as the answer.
  const invalid = (message: string, field: string | null) => {
    mount(results);
    showError(message, field);
  };

  const grid = h('div', { class: 'form-grid' });
  for (const f of FIELDS) {
    const input = h('input', {
      id: `search-${f.name}`,
      name: f.name,
      placeholder: f.placeholder,
      value: query[f.name] ?? '',
      autocomplete: 'off',
    });
    inputs.set(f.name, input);
    grid.append(h('div', { class: 'field' }, h('label', { for: input.id }, f.label), input));
  }

  const form = h(
    'form',
    {
      class: 'panel search-form',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        const params: Record<string, string> = {};
        for (const [name, input] of inputs) params[name] = input.value.trim();
        params.kana = normalizeKana(params.kana);
        if (params.birth_date) {
          const iso = parseDateInput(params.birth_date);
          if (!iso) return invalid('生年月日は 1950-04-01 または S25.4.1 の形で入力してください', 'birth_date');
          params.birth_date = iso;
        }
        const qs = buildQuery(params);
        if (!qs) return invalid('検索条件を1つ以上入力してください', null);
        const target = `#/search${qs}`;
        // Same conditions again (e.g. after data changed): the hash does not change, search directly.
        if (location.hash === target) void run(params);
        else location.hash = target;
      },
    },
    grid,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'search-submit' }, '検索'),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: () => {
            for (const input of inputs.values()) input.value = '';
            location.hash = '#/search';
          },
        },
        'クリア',
      ),
    ),
  );

  const run = async (params: Record<string, string>) => {
    showError('', null);
    mount(results, h('p', { class: 'muted' }, '検索中…'));
    try {
      const result = await api.searchPersons({ ...params, limit: SEARCH_LIMIT });
      if (ctx.isCurrent()) mount(results, resultTable(result));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      mount(results);
      const message = failureMessage(ctx, e);
      if (message !== null) showError(message, e instanceof ApiError ? e.field : null);
    }
  };

  mount(ctx.main, h('h1', { class: 'page-title' }, '宛名検索'), form, banner, results);

  const conditions = Object.fromEntries(FIELDS.map((f) => [f.name, query[f.name] ?? '']));
  if (buildQuery(conditions)) void run(conditions);
  else inputs.get('kana')?.focus();
}

function resultTable(result: PersonSearchResult): HTMLElement {
  if (result.items.length === 0) return h('div', { class: 'empty', id: 'search-empty' }, '該当者はいません');
  const open = (id: string) => () => (location.hash = personHash(id));
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'result-meta' },
      h('span', { id: 'search-count' }, `${result.items.length}件`),
      result.truncated
        ? h(
            'span',
            { class: 'note', id: 'search-truncated' },
            `該当者が多いため先頭${result.items.length}件のみ表示しています。条件を絞り込んでください。`,
          )
        : null,
    ),
    h(
      'table',
      { class: 'grid clickable', id: 'search-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['宛名番号', '氏名', 'カナ', '生年月日', '性別', '住所', '被保険者番号', '状態'].map((c) => h('th', {}, c)),
        ),
      ),
      h(
        'tbody',
        {},
        result.items.map((p) =>
          h(
            'tr',
            { 'data-person-id': p.person_id, onclick: open(p.person_id), title: `${p.name_kanji} の個人ページを開く` },
            h('td', { class: 'mono' }, h('a', { href: personHash(p.person_id) }, p.person_id)),
            h('td', { class: 'name' }, p.name_kanji),
            h('td', {}, p.name_kana),
            h('td', {}, toWareki(p.birth_date), h('span', { class: 'iso' }, p.birth_date)),
            h('td', {}, sexLabel(p.sex)),
            h('td', {}, p.address),
            h('td', { class: 'mono' }, p.insured_no ?? '—'),
            h('td', {}, statusBadge(p.registry_status)),
          ),
        ),
      ),
    ),
  );
}

/** 住民 in plain text; 転出・死亡・住登外 stand out so staff notice before acting. */
export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `status status-${status}` }, registryStatusLabel(status));
}
