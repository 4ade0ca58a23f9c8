// 住基連携 (#/juki): the registry's loads as received (SK-16: 全件/差分, lines applied, duplicates,
// quarantined) and the quarantine — lines held back for a person to look at, each resolved with a
// note. When the server runs a registry simulator (GET /simulators lists juki; demo only), a small
// 「模擬住基: N日進める」 control lets the simulated registry live some days and post its movements.
import { errorBanner, h, mount } from '../dom';
import type { JukiLoad, QuarantineRow, Simulator } from '../eligibility_types';
import { eligibilityApi } from '../api_eligibility';
import { formatCount, formatTimestamp } from '../format';
import { personHash } from '../router';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, infoBanner, submitWith } from './forms';
import { labelledSelect } from './inquiry_parts';

const LOAD_STATUS: Record<string, string> = { staged: '取込待ち', applying: '反映中', applied: '反映済', rejected: '却下' };

export function renderJuki(ctx: PageContext): void {
  const banner = h('div', { class: 'banner-slot' });
  const sim = h('div', { id: 'juki-simulator' });
  const loads = h('div', { id: 'juki-loads' }, h('p', { class: 'muted' }, '読み込み中…'));
  const quarantine = h('div', { id: 'juki-quarantine' });
  const qStatus = labelledSelect('quarantine-status', '状態', 'open', [['open', '未処理'], ['resolved', '処理済']]);
  mount(
    ctx.main,
    h('h1', { class: 'page-title' }, '住基連携'),
    banner,
    sim,
    h('section', { class: 'panel' }, h('h2', {}, '取込 (SK-16)', h('span', { class: 'sub' }, '新しい順'), h('button', { type: 'button', class: 'btn btn-small', id: 'juki-refresh', onclick: () => void loadAll() }, '更新')), loads),
    h('section', { class: 'panel' }, h('h2', {}, '保留 (要確認の行)', h('span', { class: 'sub' }), qStatus.wrap), quarantine),
  );

  const failed = (e: unknown) => {
    if (!ctx.isCurrent()) return;
    const message = failureMessage(ctx, e);
    if (message !== null) mount(banner, errorBanner(message));
  };
  const loadLoads = async () => {
    try {
      const { items } = await eligibilityApi.jukiLoads(50);
      if (ctx.isCurrent()) mount(loads, loadTable(items));
    } catch (e) {
      failed(e);
      mount(loads);
    }
  };
  const loadQuarantine = async () => {
    try {
      const { items } = await eligibilityApi.quarantine(qStatus.el.value);
      if (ctx.isCurrent()) mount(quarantine, quarantineTable(ctx, items, () => void loadQuarantine()));
    } catch (e) {
      failed(e);
      mount(quarantine);
    }
  };
  const loadAll = () => {
    mount(banner);
    void loadLoads();
    void loadQuarantine();
  };
  qStatus.el.addEventListener('change', () => void loadQuarantine());
  loadAll();

  // The simulator control only when the server has one (never in production).
  void eligibilityApi.simulators().then(
    ({ items }) => {
      const juki = items.find((s) => s.counterpart === 'juki');
      if (juki && ctx.isCurrent()) mount(sim, simulatorControl(ctx, juki, loadAll));
    },
    () => undefined,
  );
}

function simulatorControl(ctx: PageContext, s: Simulator, changed: () => void): HTMLElement {
  const days = h('input', { id: 'sim-days', type: 'number', min: 1, max: 366, value: '1', class: 'narrow' });
  const slot = h('div', { class: 'banner-slot', id: 'sim-result' });
  const errors = fieldErrors(slot, { days });
  const go = h('button', { type: 'submit', class: 'btn', id: 'sim-advance' }, '進める');
  return h(
    'form',
    {
      class: 'panel sim-panel',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const n = Number(days.value);
        if (!Number.isInteger(n) || n < 1 || n > 366) return errors.show('日数は1〜366で入力してください', 'days');
        errors.clear();
        const r = await submitWith(ctx, go, errors, () => eligibilityApi.advanceSimulator(s.counterpart, n));
        if (!r || !ctx.isCurrent()) return;
        mount(slot, infoBanner(`模擬住基を${n}日進めました: ${r.summary}・取込は次の処理で反映されます`));
        // The dispatcher takes the movements in on its next pass (every second in the demo).
        window.setTimeout(() => ctx.isCurrent() && changed(), 2000);
      },
    },
    h('span', { class: 'badge badge-not_yet' }, 'デモ専用'),
    h('label', { for: 'sim-days' }, `${s.label}: `),
    days,
    h('span', {}, '日'),
    go,
    slot,
  );
}

function loadTable(items: JukiLoad[]): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty small-empty', id: 'juki-loads-empty' }, '取込はまだありません');
  return h(
    'table',
    { class: 'grid', id: 'juki-load-table' },
    h('thead', {}, h('tr', {}, ['取込ID', '区分', 'ファイル', '受信日時', '行数', '反映', '変更なし', '重複', '順序違い', '保留', '状態', '理由'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      items.map((l) =>
        h(
          'tr',
          { 'data-load-id': l.load_id, 'data-status': l.status },
          h('td', { class: 'mono num' }, String(l.load_id)),
          h('td', {}, l.kind === 'full' ? '全件' : l.kind === 'diff' ? '差分' : l.kind),
          h('td', { class: 'mono small' }, l.file_name),
          h('td', { class: 'nowrap' }, formatTimestamp(l.received_at)),
          h('td', { class: 'num' }, formatCount(l.lines)),
          h('td', { class: 'num' }, formatCount(l.applied)),
          h('td', { class: 'num' }, formatCount(l.unchanged ?? 0)),
          h('td', { class: 'num' }, formatCount(l.duplicates)),
          h('td', { class: 'num' }, formatCount(l.out_of_order ?? 0)),
          h('td', { class: `num${l.quarantined ? ' error-count' : ''}` }, formatCount(l.quarantined)),
          h('td', {}, h('span', { class: `badge load-${l.status}` }, LOAD_STATUS[l.status] ?? l.status)),
          h('td', { class: 'small' }, l.reason ?? ''),
        ),
      ),
    ),
  );
}

function quarantineTable(ctx: PageContext, items: QuarantineRow[], changed: () => void): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty small-empty', id: 'juki-quarantine-empty' }, '該当する保留はありません');
  return h(
    'table',
    { class: 'grid', id: 'juki-quarantine-table' },
    h('thead', {}, h('tr', {}, ['保留ID', '取込ID', '行', '異動番号', '宛名番号', '項目', '内容', '処理'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      items.map((q) =>
        h(
          'tr',
          { 'data-quarantine-id': q.quarantine_id, 'data-status': q.status },
          h('td', { class: 'mono num' }, String(q.quarantine_id)),
          h('td', { class: 'mono num' }, String(q.load_id)),
          h('td', { class: 'num' }, String(q.line_no)),
          h('td', { class: 'mono small' }, q.movement_id ?? ''),
          h('td', { class: 'mono' }, q.person_id ? h('a', { href: personHash(q.person_id) }, q.person_id) : ''),
          h('td', { class: 'mono small' }, q.field),
          h('td', {}, q.message),
          h('td', {}, q.status === 'resolved' ? [q.resolution ?? '', h('div', { class: 'muted small' }, `${q.resolved_by ?? ''} ${formatTimestamp(q.resolved_at)}`)] : resolveForm(ctx, q, changed)),
        ),
      ),
    ),
  );
}

function resolveForm(ctx: PageContext, q: QuarantineRow, changed: () => void): HTMLElement {
  const note = h('input', { class: 'resolve-note', placeholder: '処理内容 (例: 住基に確認し再送依頼)', autocomplete: 'off' });
  const slot = h('div', { class: 'banner-slot' });
  const errors = fieldErrors(slot, { resolution: note });
  const button = h('button', { type: 'submit', class: 'btn btn-small' }, '処理済にする');
  return h(
    'form',
    {
      class: 'resolve-form',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        if (!note.value.trim()) return errors.show('処理内容を入力してください', 'resolution');
        errors.clear();
        const r = await submitWith(ctx, button, errors, () => eligibilityApi.resolveQuarantine(q.quarantine_id, note.value.trim()));
        if (r && ctx.isCurrent()) changed();
      },
    },
    slot,
    note,
    button,
  );
}
