// 介護認定審査会 (#/certification/sessions): the sessions (合議体, 開催日, 状態, cases) and a new one —
// 合議体, 開催日 and its members from the masters, one of them the chair (合議体の長, 介護保険法施行令
// 9条). A session opens on its own page, where cases are added and NT-11 is sent.
import { errorBanner, h, mount } from '../dom';
import { certificationApi } from '../api_certification';
import { addDaysIso, canWorkCertification, sessionStatusLabel, todayIso } from '../certification';
import type { Masters, SessionSummary } from '../certification_types';
import { parseDateInput, toWareki } from '../format';
import { currentUser } from '../session';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, submitWith, textField } from './forms';
import { sessionHash, shinsaSimulator } from './certification_parts';

export function renderCertificationSessions(ctx: PageContext): void {
  const banner = h('div', { class: 'banner-slot' });
  const sim = h('div', { id: 'shinsa-sim-slot' });
  const list = h('div', { id: 'session-list' }, h('p', { class: 'muted' }, '読み込み中…'));
  const form = h('div', { id: 'session-new' });
  mount(
    ctx.main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, '介護認定審査会'), h('a', { href: '#/certification', class: 'back' }, '← 申請一覧へ')),
    sim,
    banner,
    form,
    h('section', { class: 'panel' }, h('h2', {}, '開催予定・実績', h('span', { class: 'sub' }, '開催日の新しい順'), h('button', { type: 'button', class: 'btn btn-small', id: 'session-refresh', onclick: () => void load() }, '更新')), list),
  );
  const load = async () => {
    try {
      const { items } = await certificationApi.sessions();
      if (!ctx.isCurrent()) return;
      mount(banner);
      mount(list, sessionTable(items));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      mount(list);
    }
  };
  void load();
  shinsaSimulator(ctx, sim, () => void load());
  if (canWorkCertification(currentUser()?.roles ?? []))
    void certificationApi.masters().then(
      (m) => ctx.isCurrent() && mount(form, newSessionForm(ctx, m)),
      (e: unknown) => {
        if (!ctx.isCurrent()) return;
        const message = failureMessage(ctx, e);
        if (message !== null) mount(form, errorBanner(`委員の一覧を読めませんでした: ${message}`));
      },
    );
}

function sessionTable(items: SessionSummary[]): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty small-empty', id: 'session-empty' }, '審査会はまだありません');
  const sorted = [...items].sort((a, b) => (a.held_on === b.held_on ? b.session_id - a.session_id : a.held_on < b.held_on ? 1 : -1));
  return h(
    'table',
    { class: 'grid clickable', id: 'session-table' },
    h('thead', {}, h('tr', {}, ['審査会番号', '合議体', '開催日', '状態', '件数', '判定済', '再審査'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      sorted.map((s) =>
        h(
          'tr',
          {
            'data-session-id': s.session_id,
            'data-status': s.status,
            onclick: (ev: Event) => {
              if (!(ev.target as Element).closest('a')) location.hash = sessionHash(s.session_id);
            },
          },
          h('td', { class: 'mono' }, h('a', { href: sessionHash(s.session_id) }, s.session_no)),
          h('td', {}, s.panel),
          h('td', { class: 'nowrap' }, toWareki(s.held_on), s.held_on === todayIso() ? h('span', { class: 'note' }, ' 本日') : null),
          h('td', {}, h('span', { class: `badge session-${s.status}` }, sessionStatusLabel(s.status))),
          h('td', { class: 'num' }, `${s.cases}件`),
          h('td', { class: 'num' }, s.decided === undefined ? '—' : `${s.decided}件`),
          h('td', { class: 'num' }, s.deferred ? `${s.deferred}件` : '—'),
        ),
      ),
    ),
  );
}

function newSessionForm(ctx: PageContext, m: Masters): HTMLElement {
  const banner = h('div', { class: 'banner-slot' });
  const panel = textField('session-panel', '合議体', '例: 第1合議体', '第1合議体');
  const heldOn = textField('session-held-on', '開催日', '例: 2026-11-20 / R8.11.20', addDaysIso(todayIso(), 7));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'session-create' }, '審査会を作成');
  const picks = m.members.filter((mem) => mem.active !== false).map((mem, i) => ({
    mem,
    on: h('input', { type: 'checkbox', class: 'member-on', value: mem.member_code, checked: i < 5 }),
    chair: h('input', { type: 'radio', name: 'session-chair', class: 'member-chair', value: mem.member_code, checked: i === 0 }),
  }));
  const memberTable = h(
    'table',
    { class: 'grid members-pick', id: 'session-members' },
    h('thead', {}, h('tr', {}, ['出席', '委員', '職種', '会長'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      picks.map((p) =>
        h(
          'tr',
          { 'data-member-code': p.mem.member_code },
          h('td', {}, p.on),
          h('td', {}, `${p.mem.name} (${p.mem.member_code})`),
          h('td', {}, p.mem.profession),
          h('td', {}, p.chair),
        ),
      ),
    ),
  );
  const errors = fieldErrors(banner, { panel: panel.el, held_on: heldOn.el });
  return h(
    'form',
    {
      class: 'panel',
      id: 'session-form',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        if (!panel.el.value.trim()) return errors.show('合議体を入力してください', 'panel');
        const on = parseDateInput(heldOn.el.value);
        if (!on) return errors.show('開催日を正しい日付で入力してください', 'held_on');
        const chosen = picks.filter((p) => p.on.checked);
        const chair = picks.find((p) => p.chair.checked);
        memberTable.classList.remove('invalid');
        if (chosen.length === 0 || !chair || !chair.on.checked) {
          memberTable.classList.add('invalid');
          return errors.show(chosen.length === 0 ? '委員を選んでください' : '会長は出席する委員から選んでください', 'members');
        }
        errors.clear();
        const s = await submitWith(ctx, submit, errors, () =>
          certificationApi.createSession({
            panel: panel.el.value.trim(),
            held_on: on,
            members: chosen.map((p) => ({ member_code: p.mem.member_code, role: p === chair ? 'chair' : 'member' })),
          }),
        );
        if (s && ctx.isCurrent()) location.hash = sessionHash(s.session_id);
      },
    },
    h('h2', {}, '審査会を作成'),
    banner,
    h('div', { class: 'form-grid' }, panel.wrap, heldOn.wrap),
    h('h3', {}, '委員'),
    m.members.length === 0 ? h('p', { class: 'note' }, '委員が登録されていません (config/codes/committee_members.tsv)') : memberTable,
    h('div', { class: 'form-actions' }, submit),
  );
}
