// 個人ページ 認定 (after 保険料): the person's certification in force (level, validity in 和暦,
// 区分支給限度基準額), past ones, and every application with its clock, each a link to its workflow.
// 認定担当・監督者 get 「認定申請」 (#/certification/new?person=…). GET /certification/persons/{id};
// a user the server refuses (403) sees one line and the rest of the person.
import { errorBanner, h, mount } from '../dom';
import { ApiError } from '../api';
import { certificationApi } from '../api_certification';
import { canWorkCertification, careLevelLabel, unitsText, validityText } from '../certification';
import type { PersonCertifications } from '../certification_types';
import { toWareki } from '../format';
import { failureMessage, type PageContext } from './context';
import { certificationFacts } from './certification_views';
import { certificationHash, clockBadge } from './certification_parts';

export function renderCertificationSection(ctx: PageContext, personId: string, roles: readonly string[]): HTMLElement {
  const body = h('div', { id: 'person-certification-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  const load = async () => {
    try {
      const r = await certificationApi.person(personId);
      if (ctx.isCurrent()) mount(body, view(r));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      if (e instanceof ApiError && e.status === 403) return mount(body, h('p', { class: 'muted' }, '認定の情報を見る権限がありません'));
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
    body,
  );
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
