// 異動受付 (#/cases/{id}): one counter case — its facts, the checklist with ticks, the inquiries
// it sends (SK-04 前住所地, SK-08 受給資格証明書, SK-10 住所地特例, SK-12 医療保険, SK-14 生活保護)
// with their state and answer and 「適用」 once answered, the 住登外 question and answer (SK-06/07),
// and 完了 / 取消 with the outcome. Fetched again every 10 s while an inquiry is open.
import { errorBanner, h, mount, type Child } from '../dom';
import { CASE_INQUIRY_KINDS, caseInquiryLabel, caseStatusLabel, changeText, checkReason, todayIso, type ReasonLabels } from '../eligibility';
import type { CaseInquiry, EligibilityCodeLists, MovementCase } from '../eligibility_types';
import { eligibilityApi } from '../api_eligibility';
import { formatTimestamp, parseDateInput, toWareki } from '../format';
import { answerValueText, isFinalState, itemLabel } from '../inquiry';
import { inquiryHash, personHash } from '../router';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, infoBanner, submitWith, textField } from './forms';
import { inquiryBadge, refreshEvery } from './inquiry_parts';

export function renderCase(ctx: PageContext, caseId: string): void {
  const banner = h('div', { class: 'banner-slot', id: 'case-banner' });
  const body = h('div', { id: 'case-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  mount(
    ctx.main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, `異動受付 #${caseId}`), h('a', { href: '#/cases', class: 'back' }, '← 一覧へ')),
    banner,
    body,
  );
  let current: MovementCase | null = null;
  // Reason labels for the outcome's period diffs (which may carry codes only), facility kinds for
  // applying an SK-11 住所地特例 answer.
  let labels: Partial<EligibilityCodeLists> = {};
  const errors = { show: (message: string) => mount(banner, errorBanner(message)) };

  /** Run one case write and redraw with the answer; failures go to the page banner. */
  const act = async (button: HTMLButtonElement, call: () => Promise<MovementCase>, notice = '') => {
    mount(banner);
    const c = await submitWith(ctx, button, errors, call);
    if (c && ctx.isCurrent()) {
      draw(c);
      if (notice) mount(banner, infoBanner(notice));
    }
  };

  const draw = (c: MovementCase) => {
    current = c;
    mount(body, ...caseView(c, act, labels));
  };
  void eligibilityApi.codeLists().then(
    (l) => {
      labels = l;
      if (current && ctx.isCurrent()) draw(current);
    },
    () => undefined,
  );

  const load = async (): Promise<boolean> => {
    try {
      const c = await eligibilityApi.movementCase(caseId);
      if (!ctx.isCurrent()) return false;
      draw(c);
      return true;
    } catch (e) {
      if (!ctx.isCurrent()) return false;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      if (!current) mount(body);
      return false;
    }
  };
  void load().then((ok) => {
    if (ok) refreshEvery(ctx, async () => ((current?.inquiries ?? []).some((q) => !isFinalState(q.status)) ? load() : true));
  });
}

type Act = (button: HTMLButtonElement, call: () => Promise<MovementCase>, notice?: string) => Promise<void>;

function caseView(c: MovementCase, act: Act, labels: Partial<EligibilityCodeLists>): Child[] {
  const open = c.status === 'open';
  const rows: [string, Child, string][] = [
    ['状態', h('span', { class: `badge case-${c.status}`, 'data-status': c.status }, caseStatusLabel(c.status)), 'status'],
    ['種別', c.movement_kind_label, 'movement_kind'],
    ['対象者', c.person_id ? [h('a', { href: personHash(c.person_id), id: 'case-person-link' }, c.person_id), ' ', c.name_kanji ?? ''] : '新規 (宛名なし)', 'person_id'],
    ['異動日', [toWareki(c.movement_date), h('span', { class: 'iso' }, c.movement_date)], 'movement_date'],
    ['届出日', [toWareki(c.notified_on), h('span', { class: 'iso' }, c.notified_on)], 'notified_on'],
    ['届出人', c.notifier, 'notifier'],
    ...(c.new_address_on ? [['転入先の転入日', [toWareki(c.new_address_on), h('span', { class: 'iso' }, c.new_address_on)], 'new_address_on'] as [string, Child, string]] : []),
    ['受付', `${formatTimestamp(c.created_at)} ${c.created_by}`, 'created'],
    ['完了', c.completed_at ? `${formatTimestamp(c.completed_at)} ${c.completed_by ?? ''}` : '—', 'completed'],
    ['備考', c.note || '—', 'note'],
  ];
  return [
    h(
      'section',
      { class: 'panel' },
      h('dl', { class: 'facts', id: 'case-facts' }, rows.map(([label, value, key]) => h('div', { class: 'fact', 'data-field': key }, h('dt', {}, label), h('dd', {}, value)))),
      c.cancel_reason ? h('p', { class: 'note' }, `取消理由: ${c.cancel_reason}`) : null,
      open && !c.person_id ? attachPerson(c, act) : null,
    ),
    checklist(c, open, act),
    inquiries(c, open, act, labels),
    nonRegistered(c, open, act),
    closing(c, open, act, labels),
  ];
}

function checklist(c: MovementCase, open: boolean, act: Act): HTMLElement {
  const items = c.checklist ?? [];
  const done = items.filter((i) => i.done).length;
  return h(
    'section',
    { class: 'panel', id: 'case-checklist' },
    h('h2', {}, 'チェックリスト', h('span', { class: 'sub' }, `${done}/${items.length} 完了`)),
    items.length === 0
      ? h('div', { class: 'empty small-empty' }, '確認項目はありません')
      : h(
          'ul',
          { class: 'checklist' },
          items.map((i) => {
            const box = h('input', { type: 'checkbox', id: `check-${i.item}`, checked: i.done, disabled: !open });
            box.addEventListener('change', () => {
              box.disabled = true;
              void act(h('button'), () => eligibilityApi.tick(c.case_id, i.item, box.checked));
            });
            return h(
              'li',
              { 'data-item': i.item, class: i.done ? 'done' : null },
              h('label', { for: box.id }, box, ' ', i.label),
              i.done ? h('span', { class: 'muted small' }, ` ${i.done_by ?? ''} ${formatTimestamp(i.done_at)}`) : null,
              !i.done && i.satisfied_by ? h('span', { class: 'muted small' }, ` ${satisfiedByText(i.satisfied_by)}`) : null,
            );
          }),
        ),
  );
}

/** How an item gets ticked without a click: by an applied answer, or by the 住登外 answer. */
function satisfiedByText(by: string): string {
  if (by === 'non_registered') return '(住登外の回答 SK-07 を記録すると完了)';
  const k = CASE_INQUIRY_KINDS.find((x) => x.kind === by);
  return k ? `(${k.flow} の回答を適用すると完了)` : '';
}

function answerText(q: CaseInquiry): Child {
  if (q.error_message) return h('span', { class: 'error-text' }, q.error_message);
  if (!q.answer) return h('span', { class: 'muted' }, q.status === 'not_found' ? '該当なし' : isFinalState(q.status) ? '—' : '回答待ち');
  const items = Object.entries(q.answer.items ?? {});
  const nulls = Object.entries(q.answer.null_reasons ?? {});
  return h(
    'div',
    { class: 'answer small' },
    items.map(([k, v]) => h('div', {}, `${itemLabel(k)}: ${answerValueText(v)}`)),
    nulls.map(([k, why]) => h('div', { class: 'muted' }, `${itemLabel(k)}: (${why})`)),
  );
}

function inquiries(c: MovementCase, open: boolean, act: Act, labels: Partial<EligibilityCodeLists>): HTMLElement {
  const list = c.inquiries ?? [];
  const sendButtons = CASE_INQUIRY_KINDS.map((k) => {
    const b = h('button', { type: 'button', class: 'btn', id: `case-send-${k.kind}`, 'data-flow': k.flow, disabled: !open || !c.person_id }, `${k.flow} ${k.label}`);
    b.addEventListener('click', () => void act(b, () => eligibilityApi.sendCaseInquiry(c.case_id, k.kind), `${k.flow} の照会を登録しました`));
    return b;
  });
  return h(
    'section',
    { class: 'panel', id: 'case-inquiries' },
    h('h2', {}, '照会', h('span', { class: 'sub' }, '番号連携 (中間サーバー経由)・10秒ごとに更新')),
    open ? h('div', { class: 'action-bar wrap' }, sendButtons) : null,
    open && !c.person_id ? h('p', { class: 'note' }, '宛名のない受付からは照会できません。') : null,
    list.length === 0
      ? h('div', { class: 'empty small-empty', id: 'case-inquiries-empty' }, '照会はまだありません')
      : h(
          'table',
          { class: 'grid', id: 'case-inquiry-table' },
          h('thead', {}, h('tr', {}, ['照会ID', '種別', '状態', '回答', '適用'].map((t) => h('th', {}, t)))),
          h(
            'tbody',
            {},
            list.map((q) => {
              let applyCell: Child;
              if (q.applied) applyCell = [h('span', { class: 'badge inq inq-ok' }, '適用済'), q.apply_summary ? h('div', { class: 'small' }, q.apply_summary) : null, q.applied_at ? h('div', { class: 'muted small' }, formatTimestamp(q.applied_at)) : null];
              else if (q.status === 'provided' && open) {
                const b = h('button', { type: 'button', class: 'btn btn-small btn-primary case-apply', 'data-inquiry-id': q.inquiry_id }, '適用');
                // An SK-11 住所地特例 answer is applied with the facility's kind (法13条 対象施設).
                const kindSelect =
                  q.kind === 'city_former_address_rule'
                    ? h(
                        'select',
                        { class: 'apply-facility-kind', 'aria-label': '施設種別' },
                        h('option', { value: '' }, '施設種別'),
                        (labels.facility_kinds ?? []).filter((k) => k.former_address_rule !== false).map((k) => h('option', { value: k.code }, k.label)),
                      )
                    : null;
                b.addEventListener('click', () => void act(b, () => eligibilityApi.applyCaseInquiry(c.case_id, q.inquiry_id, kindSelect?.value || undefined), `照会 ${q.inquiry_id} の回答を適用しました`));
                applyCell = [kindSelect, b];
              } else applyCell = h('span', { class: 'muted' }, '—');
              return h(
                'tr',
                { 'data-inquiry-id': q.inquiry_id, 'data-kind': q.kind, 'data-status': q.status, 'data-applied': q.applied ? '1' : '0' },
                h('td', { class: 'mono num' }, h('a', { href: inquiryHash(q.inquiry_id) }, String(q.inquiry_id))),
                h('td', {}, caseInquiryLabel(q.kind)),
                h('td', {}, inquiryBadge(q.status, true)),
                h('td', {}, answerText(q)),
                h('td', {}, applyCell),
              );
            }),
          ),
        ),
  );
}

// 住登外 (SK-06/07): the question put to the person and their answer, both recorded by staff.
function nonRegistered(c: MovementCase, open: boolean, act: Act): HTMLElement {
  const nr = c.non_registered ?? null;
  const parts: Child[] = [];
  if (nr) {
    parts.push(
      h(
        'dl',
        { class: 'facts', id: 'case-non-registered' },
        h('div', { class: 'fact' }, h('dt', {}, '照会 (SK-06)'), h('dd', {}, nr.question, h('span', { class: 'iso' }, `${toWareki(nr.asked_on)} ${nr.asked_by}`))),
        h('div', { class: 'fact' }, h('dt', {}, '回答 (SK-07)'), h('dd', {}, nr.answer ? [nr.answer, h('span', { class: 'iso' }, toWareki(nr.answered_on))] : h('span', { class: 'muted' }, '未回答'))),
      ),
    );
  }
  if (open && (!nr || !nr.answer)) {
    const asking = !nr;
    const text = textField(asking ? 'nr-question' : 'nr-answer', asking ? '照会内容 (SK-06)' : '回答内容 (SK-07)', asking ? '例: 現在の居所と住民登録の予定' : '例: 施設に入所中、住民登録はしない');
    const on = textField(asking ? 'nr-asked-on' : 'nr-answered-on', asking ? '照会日' : '回答日', '', todayIso());
    const slot = h('div', { class: 'banner-slot' });
    const errors = fieldErrors(slot, { text: text.el, on: on.el });
    const submit = h('button', { type: 'submit', class: 'btn', id: asking ? 'nr-ask' : 'nr-answer-submit' }, asking ? '照会を記録' : '回答を記録');
    parts.push(
      h(
        'form',
        {
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            const t = checkReason(text.el.value, 'text', asking ? '照会内容' : '回答内容');
            if (!t.ok) return errors.show(t.message, t.field);
            const d = parseDateInput(on.el.value);
            if (!d) return errors.show('日付は 2026-11-24 または R8.11.24 の形で入力してください', 'on');
            errors.clear();
            void act(submit, () => (asking ? eligibilityApi.askNonRegistered(c.case_id, t.value, d) : eligibilityApi.answerNonRegistered(c.case_id, t.value, d)));
          },
        },
        slot,
        h('div', { class: 'form-grid nr-grid' }, text.wrap, on.wrap),
        h('div', { class: 'form-actions' }, submit),
      ),
    );
  }
  if (parts.length === 0) parts.push(h('div', { class: 'empty small-empty' }, '住登外の照会はありません'));
  return h('section', { class: 'panel', id: 'case-non-registered-panel' }, h('h2', {}, '住登外の確認', h('span', { class: 'sub' }, 'SK-06 照会・SK-07 回答')), ...parts);
}

function closing(c: MovementCase, open: boolean, act: Act, labels: ReasonLabels): HTMLElement {
  const parts: Child[] = [];
  if (c.outcome) {
    parts.push(
      h(
        'div',
        { id: 'case-outcome' },
        h('p', {}, c.outcome.revision_id !== null ? `台帳に反映しました (改訂 #${c.outcome.revision_id})` : '資格期間に変更はありませんでした'),
        c.outcome.summary ? h('p', { class: 'small' }, c.outcome.summary) : null,
        c.outcome.changes.map((ch) => h('div', { class: `change change-${ch.kind}` }, changeText(ch, labels))),
        c.person_id ? h('p', {}, h('a', { href: `${personHash(c.person_id)}`, id: 'case-outcome-person' }, '個人ページで資格を見る')) : null,
      ),
    );
  }
  if (open) {
    const complete = h('button', { type: 'button', class: 'btn btn-primary', id: 'case-complete' }, '完了 (台帳に反映)');
    complete.addEventListener('click', () => void act(complete, () => eligibilityApi.completeCase(c.case_id), '受付を完了しました'));
    const reason = h('input', { id: 'case-cancel-reason', class: 'wide', placeholder: '取消の理由', autocomplete: 'off' });
    const slot = h('div', { class: 'banner-slot' });
    const errors = fieldErrors(slot, { reason });
    const cancel = h('button', { type: 'button', class: 'btn btn-danger', id: 'case-cancel' }, '取消');
    cancel.addEventListener('click', () => {
      const r = checkReason(reason.value, 'reason', '取消の理由');
      if (!r.ok) return errors.show(r.message, r.field);
      errors.clear();
      void act(cancel, () => eligibilityApi.cancelCase(c.case_id, r.value), '受付を取り消しました');
    });
    parts.push(slot, h('div', { class: 'inquiry-actions' }, complete, h('div', { class: 'cancel-form' }, h('label', { for: 'case-cancel-reason' }, '取消の理由'), reason, cancel)));
  }
  if (parts.length === 0) parts.push(h('p', { class: 'muted' }, c.status === 'cancelled' ? '取り消された受付です。' : '—'));
  return h('section', { class: 'panel', id: 'case-closing' }, h('h2', {}, '完了・取消'), ...parts);
}

// A case opened for a newcomer (no 宛名番号 yet) gets its person once the registry has them.
function attachPerson(c: MovementCase, act: Act): HTMLElement {
  const input = h('input', { id: 'case-attach-person', placeholder: '宛名番号 (10桁)', autocomplete: 'off' });
  const slot = h('div', { class: 'banner-slot' });
  const errors = fieldErrors(slot, { person_id: input });
  const button = h('button', { type: 'submit', class: 'btn btn-small', id: 'case-attach-submit' }, '対象者を登録');
  return h(
    'form',
    {
      class: 'resolve-form attach-person',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        const id = input.value.trim().normalize('NFKC');
        if (!/^\d{10}$/.test(id)) return errors.show('宛名番号は10桁の数字です', 'person_id');
        errors.clear();
        void act(button, () => eligibilityApi.setCasePerson(c.case_id, id), '対象者を登録しました');
      },
    },
    slot,
    h('label', { for: 'case-attach-person' }, '住基に登録された宛名番号'),
    input,
    button,
  );
}
