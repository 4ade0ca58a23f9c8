// 個人ページ 認定 (after 保険料): the person's certification in force (level, validity in 和暦,
// 区分支給限度基準額), past ones, and every application with its clock, each a link to its workflow.
// 認定担当・監督者 get 「認定申請」 (#/certification/new?person=…) and, with a certification in force,
// the 受給資格証明書 (NT-06) for a move-out. GET /certification/persons/{id};
// a user the server refuses (403) sees one line and the rest of the person.
import { errorBanner, h, mount } from '../dom';
import { ApiError } from '../api';
import { certificationApi } from '../api_certification';
import { canWorkCertification, careLevelLabel, unitsText, validityText } from '../certification';
import type { PersonCertifications } from '../certification_types';
import { parseDateInput, toWareki } from '../format';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, formPanel, infoBanner, submitWith, textField } from './forms';
import { certificationFacts } from './certification_views';
import { certificationHash, clockBadge } from './certification_parts';

export function renderCertificationSection(ctx: PageContext, personId: string, roles: readonly string[]): HTMLElement {
  const body = h('div', { id: 'person-certification-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  const actions = h('div', { id: 'person-certification-actions' });
  const load = async () => {
    try {
      const r = await certificationApi.person(personId);
      if (!ctx.isCurrent()) return;
      mount(body, view(r));
      const current = r.certifications.some((c) => c.status === 'current');
      // Drawn once (a refresh keeps a half-filled form and its result), gone when nothing is in force.
      if (!(canWorkCertification(roles) && current)) mount(actions);
      else if (!actions.hasChildNodes()) mount(actions, certificateForm(ctx, personId));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      if (e instanceof ApiError && e.status === 403) return mount(body, h('p', { class: 'muted' }, '認定の情報を見る権限がありません'));
      mount(actions);
      const message = failureMessage(ctx, e);
      mount(body, message === null ? null : errorBanner(`認定: ${message}`));
    }
  };
  void load();
  return h(
    'section',
    { class: 'panel', id: 'person-certification' },
    h(
      'h2',
      {},
      '要介護認定',
      h('button', { type: 'button', class: 'btn btn-small', id: 'person-certification-refresh', onclick: () => void load() }, '更新'),
      canWorkCertification(roles)
        ? h('a', { class: 'btn btn-small btn-primary', id: 'person-certification-new', href: `#/certification/new?person=${encodeURIComponent(personId)}` }, '認定申請')
        : null,
    ),
    actions,
    body,
  );
}

/**
 * NT-06 受給資格証明書 (介護保険法36条: the person moving out carries the certification to the new city,
 * which certifies on its terms when applied for within 14 days): 転出日 and 転出先 are optional (the
 * server takes the move-out fact when there is one); the certificate goes to the medical insurer too.
 */
function certificateForm(ctx: PageContext, personId: string): HTMLElement {
  const slot = h('div', {});
  const open = h('button', { type: 'button', class: 'btn', id: 'person-certificate-open' }, '受給資格証明書 (NT-06)');
  open.addEventListener('click', () => {
    const banner = h('div', { class: 'banner-slot' });
    const out = h('div', { class: 'banner-slot', id: 'person-certificate-result' });
    const movedOut = textField('person-certificate-moved-out', '転出日 (空欄: 転出の記録、なければ本日)', '例: 2026-12-01 / R8.12.1');
    const newAddress = textField('person-certificate-address', '転出先', '例: 旭川市○○町1-2-3');
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'person-certificate-issue' }, '交付する');
    const errors = fieldErrors(banner, { moved_out_on: movedOut.el, new_address: newAddress.el });
    mount(
      slot,
      formPanel(
        'person-certificate-form',
        '受給資格証明書の交付 (NT-06)',
        () => mount(slot),
        h(
          'form',
          {
            onsubmit: async (ev: Event) => {
              ev.preventDefault();
              const text = movedOut.el.value.trim();
              const on = text ? parseDateInput(text) : null;
              if (text && !on) return errors.show('転出日を正しい日付で入力してください', 'moved_out_on');
              errors.clear();
              const d = await submitWith(ctx, submit, errors, () =>
                certificationApi.entitlementCertificate(personId, { moved_out_on: on ?? undefined, new_address: newAddress.el.value.trim() || undefined }),
              );
              if (!d || !ctx.isCurrent()) return;
              mount(
                out,
                infoBanner(
                  `受給資格証明書を交付しました (${toWareki(d.issued_on)}${d.exchange_id ? `・医療保険者へ送付 連携 #${d.exchange_id}` : ''})。`,
                  h('a', { href: d.pdf, target: '_blank', rel: 'noopener', id: 'person-certificate-pdf' }, 'PDFを開く'),
                ),
              );
            },
          },
          banner,
          h('div', { class: 'form-grid' }, movedOut.wrap, newAddress.wrap),
          h('div', { class: 'form-actions' }, submit),
          out,
        ),
      ),
    );
  });
  return h('div', {}, h('div', { class: 'action-bar' }, open), slot);
}

function view(r: PersonCertifications): HTMLElement[] {
  const current = r.certifications.find((c) => c.status === 'current');
  const past = r.certifications.filter((c) => c !== current);
  return [
    current ? certificationFacts(current, 'person-certification-current') : h('p', { class: 'muted', id: 'person-certification-none' }, '有効な認定はありません'),
    past.length
      ? h(
          'details',
          { class: 'items' },
          h('summary', {}, `過去の認定 ${past.length}件`),
          h(
            'table',
            { class: 'grid' },
            h('thead', {}, h('tr', {}, ['要介護状態区分', '有効期間', '認定日', '区分支給限度基準額', '状態'].map((c) => h('th', {}, c)))),
            h(
              'tbody',
              {},
              past.map((c) =>
                h(
                  'tr',
                  { 'data-certification-id': c.certification_id },
                  h('td', {}, c.care_level_label ?? careLevelLabel(c.care_level)),
                  h('td', { class: 'nowrap' }, validityText(c.valid_from, c.valid_to)),
                  h('td', { class: 'nowrap' }, toWareki(c.certified_on)),
                  h('td', { class: 'num' }, unitsText(c.monthly_cap_units)),
                  h('td', {}, c.status === 'superseded' ? '次の認定に移行' : c.status === 'cancelled' ? '取消' : c.status),
                ),
              ),
            ),
          ),
        )
      : h('span'),
    h('h3', {}, '申請'),
    r.applications.length === 0
      ? h('div', { class: 'empty small-empty', id: 'person-applications-empty' }, '申請はありません')
      : h(
          'table',
          { class: 'grid', id: 'person-applications' },
          h('thead', {}, h('tr', {}, ['申請番号', '種類', '申請日', '経過', '期限', '段階'].map((c) => h('th', {}, c)))),
          h(
            'tbody',
            {},
            r.applications.map((a) =>
              h(
                'tr',
                { 'data-application-id': a.application_id, 'data-status': a.status },
                h('td', { class: 'mono' }, h('a', { href: certificationHash(a.application_id) }, a.application_no)),
                h('td', {}, a.kind_label),
                h('td', { class: 'nowrap' }, toWareki(a.applied_on)),
                h('td', { class: 'num' }, `${a.days_elapsed}日`),
                h('td', {}, clockBadge(a)),
                h('td', {}, a.stage_label || a.status_label),
              ),
            ),
          ),
        ),
  ];
}
