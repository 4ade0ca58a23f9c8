// 審査会 (#/certification/sessions/{session_id}): one sitting of a 合議体 — its members (会長 first,
// attendance once the decision reports it), its cases with the first stage (一次判定) and the days
// each application has run, and then the level the committee decided. While the session is being
// prepared, ready applications (審査会待ち) are added; 「審査判定依頼 (NT-11)」 sends the whole
// session to the committee-support system. When NT-12 arrives the decisions show; the page is read
// again every 10 s while the session waits for them.
import { errorBanner, h, mount, type Child } from '../dom';
import { certificationApi } from '../api_certification';
import { canWorkCertification, careLevelLabel, caseOutcomeLabel, memberRoleLabel, minutesText, sessionStatusLabel, validityText } from '../certification';
import type { ApplicationRow, Session } from '../certification_types';
import { toWareki } from '../format';
import { currentUser } from '../session';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, infoBanner, submitWith } from './forms';
import { refreshEvery } from './inquiry_parts';
import { certificationHash, clockBadge, shinsaSimulator } from './certification_parts';

export function renderCertificationSession(ctx: PageContext, sessionId: string): void {
  const banner = h('div', { class: 'banner-slot' });
  const result = h('div', { class: 'banner-slot', id: 'session-result' });
  const sim = h('div', { id: 'shinsa-sim-slot' });
  const body = h('div', { id: 'session-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  const title = h('h1', { class: 'page-title' }, '介護認定審査会');
  const mayWork = canWorkCertification(currentUser()?.roles ?? []);
  let last = '';

  const load = async (): Promise<boolean> => {
    try {
      const s = await certificationApi.session(sessionId);
      if (!ctx.isCurrent()) return false;
      mount(banner);
      const text = JSON.stringify(s);
      if (text !== last) {
        last = text;
        mount(title, `介護認定審査会 ${s.session_no}`);
        mount(body, ...sessionView(ctx, s, mayWork, result, () => void load()));
      }
      return s.status === 'planned' || s.status === 'requested';
    } catch (e) {
      if (!ctx.isCurrent()) return false;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      if (!last) mount(body);
      return last !== '';
    }
  };
  mount(
    ctx.main,
    h('div', { class: 'page-head' }, title, h('a', { href: '#/certification/sessions', class: 'back' }, '← 審査会一覧へ')),
    sim,
    banner,
    result,
    body,
  );
  shinsaSimulator(ctx, sim, () => void load());
  void load().then((again) => again && refreshEvery(ctx, load));
}

function sessionView(ctx: PageContext, s: Session, mayWork: boolean, result: HTMLElement, changed: () => void): Child[] {
  const planned = s.status === 'planned';
  const send = h('button', { type: 'button', class: 'btn btn-primary', id: 'session-send', disabled: s.cases.length === 0 }, '審査判定依頼を送る (NT-11)');
  const sendErrors = fieldErrors(result, {});
  send.addEventListener('click', async () => {
    sendErrors.clear();
    const r = await submitWith(ctx, send, sendErrors, () => certificationApi.sendSession(s.session_id));
    if (!r || !ctx.isCurrent()) return;
    mount(result, infoBanner(`審査判定依頼を送りました (${r.cases.length}件)。判定結果 (NT-12) が届くと表示されます`));
    changed();
  });
  const members = [...s.members].sort((a, b) => (a.role === b.role ? 0 : a.role === 'chair' ? -1 : 1));
  return [
    h(
      'section',
      { class: 'panel' },
      h(
        'dl',
        { class: 'facts', id: 'session-facts' },
        [
          ['審査会番号', h('span', { class: 'mono' }, s.session_no), 'session_no'],
          ['合議体', s.panel, 'panel'],
          ['開催日', toWareki(s.held_on), 'held_on'],
          ['状態', h('span', { class: `badge session-${s.status}`, id: 'session-status', 'data-status': s.status }, sessionStatusLabel(s.status)), 'status'],
          ['件数', `${s.cases.length}件`, 'cases'],
        ].map(([label, value, key]) => h('div', { class: 'fact', 'data-field': key as string }, h('dt', {}, label as string), h('dd', {}, value as Child))),
      ),
    ),
    mayWork && planned ? h('div', { class: 'session-actions' }, send, h('span', { class: 'muted small' }, '送ると件を追加できなくなります')) : null,
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '審査対象', h('span', { class: 'sub' }, '一次判定と審査会の判定')),
      s.cases.length === 0
        ? h('div', { class: 'empty small-empty', id: 'session-cases-empty' }, 'まだ件がありません')
        : h(
            'table',
            { class: 'grid', id: 'session-cases' },
            h('thead', {}, h('tr', {}, ['順', '申請番号', '氏名', '種類', '一次判定', '基準時間', '結果', '二次判定', '有効期間'].map((c) => h('th', {}, c)))),
            h(
              'tbody',
              {},
              [...s.cases]
                .sort((a, b) => a.case_order - b.case_order)
                .map((c) =>
                  h(
                    'tr',
                    { 'data-application-id': c.application_id, 'data-outcome': c.outcome ?? '' },
                    h('td', { class: 'num' }, String(c.case_order)),
                    h('td', { class: 'mono' }, h('a', { href: certificationHash(c.application_id) }, c.application_no)),
                    h('td', {}, c.name),
                    h('td', {}, c.kind_label ?? c.kind),
                    h('td', {}, c.first_stage_label ?? careLevelLabel(c.first_stage_level)),
                    h('td', { class: 'num' }, minutesText(c.standard_tenths)),
                    h('td', {}, caseOutcomeLabel(c.outcome)),
                    h(
                      'td',
                      { class: 'decided-level', 'data-level': c.decided_level ?? '' },
                      c.decided_level ? (c.decided_label ?? careLevelLabel(c.decided_level)) : '',
                      c.decided_level && c.first_stage_level && c.decided_level !== c.first_stage_level ? h('span', { class: 'level-changed' }, '変更') : null,
                    ),
                    h('td', { class: 'nowrap' }, c.validity_months ? `${c.validity_months}か月` : '', c.valid_from ? h('div', { class: 'small muted' }, validityText(c.valid_from, c.valid_to)) : null),
                  ),
                ),
            ),
          ),
    ),
    mayWork && planned ? readyPicker(ctx, s, result, changed) : null,
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '委員', h('span', { class: 'sub' }, `${s.members.length}人`)),
      h(
        'table',
        { class: 'grid', id: 'session-member-table' },
        h('thead', {}, h('tr', {}, ['委員', '職種', '役割', '出席'].map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          members.map((m) =>
            h(
              'tr',
              { 'data-member-code': m.member_code },
              h('td', {}, `${m.name} (${m.member_code})`),
              h('td', {}, m.profession),
              h('td', {}, memberRoleLabel(m.role)),
              h('td', {}, m.attended === null ? h('span', { class: 'muted' }, '—') : m.attended ? '出席' : '欠席'),
            ),
          ),
        ),
      ),
    ),
  ];
}

/** The applications waiting for a session (filter ready), each with its clock; the chosen ones are added. */
function readyPicker(ctx: PageContext, s: Session, result: HTMLElement, changed: () => void): HTMLElement {
  const slot = h('div', { id: 'session-ready' }, h('p', { class: 'muted' }, '読み込み中…'));
  const banner = h('div', { class: 'banner-slot' });
  const add = h('button', { type: 'button', class: 'btn btn-primary', id: 'session-add' }, '選んだ申請を追加');
  const errors = fieldErrors(banner, {});
  let boxes: { row: ApplicationRow; box: HTMLInputElement }[] = [];
  add.addEventListener('click', async () => {
    const ids = boxes.filter((b) => b.box.checked).map((b) => b.row.application_id);
    if (ids.length === 0) return errors.show('追加する申請を選んでください', 'application_ids');
    errors.clear();
    const r = await submitWith(ctx, add, errors, () => certificationApi.addCases(s.session_id, ids));
    if (!r || !ctx.isCurrent()) return;
    mount(result, infoBanner(`${ids.length}件を追加しました`));
    changed();
  });
  void certificationApi.applications({ filter: 'ready', limit: 200 }).then(
    ({ items }) => {
      if (!ctx.isCurrent()) return;
      const already = new Set(s.cases.map((c) => c.application_id));
      const rows = items.filter((r) => !already.has(r.application_id));
      // The oldest applications first: they are closest to the deadline.
      rows.sort((a, b) => a.days_left - b.days_left);
      boxes = rows.map((row) => ({ row, box: h('input', { type: 'checkbox', class: 'ready-pick', value: String(row.application_id) }) }));
      if (rows.length === 0) return mount(slot, h('div', { class: 'empty small-empty', id: 'session-ready-empty' }, '審査会待ちの申請はありません'));
      mount(
        slot,
        h(
          'table',
          { class: 'grid', id: 'session-ready-table' },
          h('thead', {}, h('tr', {}, ['', '申請番号', '氏名', '種類', '申請日', '期限'].map((c) => h('th', {}, c)))),
          h(
            'tbody',
            {},
            boxes.map(({ row, box }) =>
              h(
                'tr',
                { 'data-application-id': row.application_id, 'data-application-no': row.application_no },
                h('td', {}, box),
                h('td', { class: 'mono' }, h('a', { href: certificationHash(row.application_id) }, row.application_no)),
                h('td', {}, row.name),
                h('td', {}, row.kind_label),
                h('td', { class: 'nowrap' }, toWareki(row.applied_on)),
                h('td', {}, clockBadge(row)),
              ),
            ),
          ),
        ),
        h('div', { class: 'form-actions' }, add),
      );
    },
    (e: unknown) => {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(slot, errorBanner(message));
    },
  );
  return h('section', { class: 'panel', id: 'session-add-panel' }, h('h2', {}, '審査会待ちの申請を追加', h('span', { class: 'sub' }, '期限の近い順')), banner, slot);
}
