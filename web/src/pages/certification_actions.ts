// The action bar of one application (認定担当・監督者): one form open at a time below the buttons
// the status allows (certification.ts actionsFor) — 認定調査依頼 (NT-07: a contractor of the masters
// or the city's own assessor), 主治医意見書依頼 (NT-09: institution, doctor, 初回/継続), 延期通知
// (reason and 処理見込期日 → the 延期通知書 PDF), 取下げ (reason), 結果通知 (NT-13: the 認定結果通知書 and
// the card, then its PDF). After each write the page is read again (`changed`).
import { h, mount } from '../dom';
import { certificationApi, documentUrl, postponementNoticeUrl } from '../api_certification';
import { actionsFor, addDaysIso, careLevelLabel, todayIso } from '../certification';
import type { Application, Masters } from '../certification_types';
import { parseDateInput, toWareki } from '../format';
import type { PageContext } from './context';
import { fieldErrors, formPanel, infoBanner, selectField, submitWith, textField } from './forms';
import { pdfButton } from './certification_parts';

export function actionBar(ctx: PageContext, a: Application, masters: () => Promise<Masters | null>, result: HTMLElement, changed: () => void): HTMLElement {
  const allowed = actionsFor(a);
  const slot = h('div', { id: 'cert-action-form' });
  const close = () => mount(slot);
  const open = (draw: () => Promise<HTMLElement> | HTMLElement) => async () => {
    mount(result);
    mount(slot, await draw());
  };
  const button = (id: string, label: string, on: boolean, draw: () => Promise<HTMLElement> | HTMLElement, primary = false) =>
    on ? h('button', { type: 'button', class: `btn${primary ? ' btn-primary' : ''}`, id, onclick: open(draw) }, label) : null;
  const buttons = [
    button('cert-act-assessment', '認定調査依頼', allowed.assessment, async () => assessmentForm(ctx, a, await masters(), close, result, changed), true),
    button('cert-act-opinion', '主治医意見書依頼', allowed.opinion, async () => opinionForm(ctx, a, await masters(), close, result, changed), true),
    button('cert-act-notice', '結果通知 (NT-13)', allowed.notice, () => noticeForm(ctx, a, close, result, changed), true),
    button('cert-act-postpone', '延期通知', allowed.postpone, () => postponeForm(ctx, a, close, result, changed)),
    button('cert-act-withdraw', '取下げ', allowed.withdraw, () => withdrawForm(ctx, a, close, result, changed)),
  ].filter((b) => b !== null);
  if (buttons.length === 0) return h('div', { id: 'cert-actions' });
  return h('div', { id: 'cert-actions' }, h('div', { class: 'cert-actions' }, buttons), slot);
}

function mastersMissing(): HTMLElement {
  return h('div', { class: 'banner error', role: 'alert' }, '依頼先の一覧 (認定マスタ) を読めませんでした。画面を更新して再度お試しください');
}

function assessmentForm(ctx: PageContext, a: Application, m: Masters | null, close: () => void, result: HTMLElement, changed: () => void): HTMLElement {
  if (!m) return mastersMissing();
  const banner = h('div', { class: 'banner-slot' });
  const kind = selectField('cert-assessor-kind', '調査の実施', [
    { code: 'contractor', label: '委託 (事業者)' },
    { code: 'city', label: '市職員' },
  ], '', 'contractor');
  const contractor = selectField('cert-contractor', '委託先', m.contractors.map((c) => ({ code: c.code, label: `${c.name} (${c.code})` })), '選んでください', m.contractors[0]?.code ?? '');
  const assessor = textField('cert-assessor-name', '調査員 (市職員は必須)', '例: 認定 一郎');
  const due = textField('cert-assessment-due', '期限', '', addDaysIso(todayIso(), 14));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'cert-assessment-submit' }, '依頼する');
  const errors = fieldErrors(banner, { assessor_kind: kind.el, contractor_code: contractor.el, assessor_name: assessor.el, due_on: due.el });
  const sync = () => (contractor.wrap.hidden = kind.el.value !== 'contractor');
  kind.el.addEventListener('change', sync);
  sync();
  return formPanel(
    'cert-assessment-form',
    '認定調査依頼 (NT-07)',
    close,
    h(
      'form',
      {
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const byContractor = kind.el.value === 'contractor';
          if (byContractor && !contractor.el.value) return errors.show('委託先を選んでください', 'contractor_code');
          if (!byContractor && !assessor.el.value.trim()) return errors.show('市職員が調査するときは調査員の氏名を入力してください', 'assessor_name');
          const dueOn = due.el.value.trim() ? parseDateInput(due.el.value) : null;
          if (due.el.value.trim() && !dueOn) return errors.show('期限を正しい日付で入力してください', 'due_on');
          errors.clear();
          const r = await submitWith(ctx, submit, errors, () =>
            certificationApi.requestAssessment(a.application_id, {
              assessor_kind: kind.el.value,
              contractor_code: byContractor ? contractor.el.value : undefined,
              assessor_name: assessor.el.value.trim() || undefined,
              due_on: dueOn ?? undefined,
            }),
          );
          if (!r || !ctx.isCurrent()) return;
          close();
          mount(result, infoBanner(`認定調査を依頼しました: 依頼番号 ${r.request_no}・期限 ${toWareki(r.due_on)}`));
          changed();
        },
      },
      banner,
      h('div', { class: 'form-grid' }, kind.wrap, contractor.wrap, assessor.wrap, due.wrap),
      h('div', { class: 'form-actions' }, submit),
    ),
  );
}

function opinionForm(ctx: PageContext, a: Application, m: Masters | null, close: () => void, result: HTMLElement, changed: () => void): HTMLElement {
  if (!m) return mastersMissing();
  const banner = h('div', { class: 'banner-slot' });
  const last = a.opinions[a.opinions.length - 1];
  const institution = selectField('cert-institution', '医療機関', m.institutions.map((c) => ({ code: c.code, label: `${c.name} (${c.code})` })), '選んでください', last?.institution_code ?? m.institutions[0]?.code ?? '');
  const doctor = textField('cert-doctor', '主治医', '例: 田中 一郎', last?.doctor_name ?? '');
  // 初回 (the doctor writes for this person the first time) or 継続: the fee differs (NT-17).
  const firstVisit = selectField('cert-first-visit', '初回・継続', [
    { code: '1', label: '初回' },
    { code: '0', label: '継続' },
  ], '', a.kind === 'new' && !last ? '1' : '0');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'cert-opinion-submit' }, '依頼する');
  const errors = fieldErrors(banner, { institution_code: institution.el, doctor_name: doctor.el, first_visit: firstVisit.el });
  return formPanel(
    'cert-opinion-form',
    '主治医意見書 作成依頼 (NT-09)',
    close,
    h(
      'form',
      {
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          if (!institution.el.value) return errors.show('医療機関を選んでください', 'institution_code');
          if (!doctor.el.value.trim()) return errors.show('主治医の氏名を入力してください', 'doctor_name');
          errors.clear();
          const r = await submitWith(ctx, submit, errors, () =>
            certificationApi.requestOpinion(a.application_id, {
              institution_code: institution.el.value,
              doctor_name: doctor.el.value.trim(),
              first_visit: firstVisit.el.value === '1',
            }),
          );
          if (!r || !ctx.isCurrent()) return;
          close();
          mount(result, infoBanner(`主治医意見書を依頼しました: 依頼番号 ${r.request_no}・期限 ${toWareki(r.due_on)}`));
          changed();
        },
      },
      banner,
      h('div', { class: 'form-grid' }, institution.wrap, doctor.wrap, firstVisit.wrap),
      h('div', { class: 'form-actions' }, submit),
    ),
  );
}

function postponeForm(ctx: PageContext, a: Application, close: () => void, result: HTMLElement, changed: () => void): HTMLElement {
  const banner = h('div', { class: 'banner-slot' });
  const reason = textField('cert-postpone-reason', '延期の理由', '例: 主治医意見書の提出が遅れているため');
  const base = a.postponed_until && a.postponed_until > a.deadline_on ? a.postponed_until : a.deadline_on;
  const expected = textField('cert-postpone-expected', '処理見込期日', '例: 2026-12-20 / R8.12.20', addDaysIso(base, 14));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'cert-postpone-submit' }, '延期通知を作成');
  const errors = fieldErrors(banner, { reason: reason.el, expected_on: expected.el });
  return formPanel(
    'cert-postpone-form',
    '延期通知 (介護保険法27条11項ただし書)',
    close,
    h(
      'form',
      {
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          if (!reason.el.value.trim()) return errors.show('延期の理由を入力してください', 'reason');
          const on = parseDateInput(expected.el.value);
          if (!on) return errors.show('処理見込期日を正しい日付で入力してください', 'expected_on');
          if (on <= a.deadline_on) return errors.show(`処理見込期日は期限 (${toWareki(a.deadline_on)}) より後の日にしてください`, 'expected_on');
          errors.clear();
          const r = await submitWith(ctx, submit, errors, () => certificationApi.postpone(a.application_id, reason.el.value.trim(), on));
          if (!r || !ctx.isCurrent()) return;
          close();
          const out = h('span', { class: 'banner-slot' });
          mount(
            result,
            infoBanner(
              `延期通知を登録しました (処理見込期日 ${toWareki(on)})。`,
              pdfButton(ctx, 'cert-postponement-pdf', '延期通知書 (PDF)', () => postponementNoticeUrl(a.application_id, r.postponement_id), out),
              out,
            ),
          );
          changed();
        },
      },
      banner,
      h('div', { class: 'form-grid nr-grid' }, reason.wrap, expected.wrap),
      h('div', { class: 'form-actions' }, submit),
    ),
  );
}

function withdrawForm(ctx: PageContext, a: Application, close: () => void, result: HTMLElement, changed: () => void): HTMLElement {
  const banner = h('div', { class: 'banner-slot' });
  const reason = textField('cert-withdraw-reason', '取下げの理由', '例: 本人から取下げの申出 (入院のため)');
  const submit = h('button', { type: 'submit', class: 'btn btn-danger', id: 'cert-withdraw-submit' }, '取下げを確定');
  const errors = fieldErrors(banner, { reason: reason.el });
  return formPanel(
    'cert-withdraw-form',
    '申請の取下げ',
    close,
    h(
      'form',
      {
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          if (!reason.el.value.trim()) return errors.show('取下げの理由を入力してください', 'reason');
          errors.clear();
          const r = await submitWith(ctx, submit, errors, () => certificationApi.withdraw(a.application_id, reason.el.value.trim()));
          if (!r || !ctx.isCurrent()) return;
          close();
          mount(result, infoBanner('申請を取り下げました。審査会支援システムにも伝えます'));
          changed();
        },
      },
      banner,
      h('div', { class: 'form-grid nr-grid' }, reason.wrap),
      h('div', { class: 'form-actions' }, submit),
    ),
  );
}

function noticeForm(ctx: PageContext, a: Application, close: () => void, result: HTMLElement, changed: () => void): HTMLElement {
  const banner = h('div', { class: 'banner-slot' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'cert-notice-submit' }, '通知書を作成する');
  const errors = fieldErrors(banner, {});
  const level = a.decision ? (a.decision.care_level_label ?? careLevelLabel(a.decision.care_level)) : '';
  return formPanel(
    'cert-notice-form',
    '認定結果通知 (NT-13)',
    close,
    h(
      'form',
      {
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          errors.clear();
          const r = await submitWith(ctx, submit, errors, () => certificationApi.issueNotice(a.application_id));
          if (!r || !ctx.isCurrent()) return;
          close();
          const out = h('span', { class: 'banner-slot' });
          mount(
            result,
            infoBanner(
              '認定結果通知書を作成しました。',
              h('a', { href: documentUrl(r.document_id), target: '_blank', rel: 'noopener', id: 'cert-notice-link', 'data-document-id': r.document_id }, '認定結果通知書 (PDF)'),
              ' ',
              pdfButton(ctx, 'cert-notice-pdf', '開く', () => documentUrl(r.document_id), out),
              out,
            ),
          );
          changed();
        },
      },
      banner,
      h('p', {}, `二次判定「${level}」の認定結果通知書と被保険者証を作成し、申請を通知済にします。`),
      h('div', { class: 'form-actions' }, submit),
    ),
  );
}
