// 認定申請 (#/certification/{application_id}): one application's workflow. On top what staff must
// not miss — the clock (days gone, days left or past the 30-day deadline, the bar, the 延期) beside
// the facts of the application — then the timeline of its stages with the days each took, the
// 第2号 checks, the actions its status allows, and the results as they come in: the assessment,
// the opinion, the first stage, the committee, the decision and the certification, the notices.
// Read again every 10 s while the case waits for a counterpart (調査・意見書・審査会).
import { errorBanner, h, mount, type Child } from '../dom';
import { certificationApi } from '../api_certification';
import { canWorkCertification, careLevelLabel, placeLabel } from '../certification';
import type { Application, Masters } from '../certification_types';
import { toWareki } from '../format';
import { personHash } from '../router';
import { currentUser } from '../session';
import { failureMessage, type PageContext } from './context';
import { refreshEvery } from './inquiry_parts';
import { actionBar } from './certification_actions';
import { dateCell, shinsaSimulator } from './certification_parts';
import { assessmentView, certificationView, checksView, clockBox, decisionView, documentsView, opinionView, timeline } from './certification_views';

const WAITING = new Set(['received', 'investigating', 'ready', 'scheduled']);

export function renderCertificationApplication(ctx: PageContext, applicationId: string): void {
  const banner = h('div', { class: 'banner-slot' });
  const result = h('div', { class: 'banner-slot', id: 'cert-result' });
  const sim = h('div', { id: 'shinsa-sim-slot' });
  const body = h('div', { id: 'cert-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  const title = h('h1', { class: 'page-title' }, '認定申請');
  let masters: Masters | null = null;
  let mastersLoading: Promise<Masters | null> | null = null;
  // The forms' lists and the item names; the page draws without them.
  const loadMasters = () =>
    (mastersLoading ??= certificationApi.masters().then(
      (m) => (masters = m),
      () => {
        mastersLoading = null;
        return null;
      },
    ));
  let last: Application | null = null;

  const load = async (): Promise<boolean> => {
    try {
      const [a] = await Promise.all([certificationApi.application(applicationId), loadMasters()]);
      if (!ctx.isCurrent()) return false;
      mount(banner);
      // A form being filled in stays as it is when nothing changed (a refresh of a waiting case).
      if (!last || JSON.stringify(last) !== JSON.stringify(a)) {
        last = a;
        mount(title, `認定申請 ${a.application_no}`);
        mount(body, ...applicationView(ctx, a, masters, result, () => void load()));
      }
      return WAITING.has(a.status);
    } catch (e) {
      if (!ctx.isCurrent()) return false;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      if (!last) mount(body);
      return last !== null;
    }
  };

  mount(
    ctx.main,
    h('div', { class: 'page-head' }, title, h('a', { href: '#/certification', class: 'back' }, '← 申請一覧へ')),
    sim,
    banner,
    result,
    body,
  );
  shinsaSimulator(ctx, sim, () => void load());
  void load().then((again) => again && refreshEvery(ctx, load));
}

function applicationView(ctx: PageContext, a: Application, masters: Masters | null, result: HTMLElement, changed: () => void): Child[] {
  const roles = currentUser()?.roles ?? [];
  return [
    h(
      'div',
      { class: 'cert-head' },
      h(
        'section',
        { class: 'panel' },
        h(
          'div',
          { class: 'person-name' },
          h('a', { class: 'kanji', href: personHash(a.person_id), id: 'cert-person' }, a.name),
          h('span', { class: 'kana' }, a.name_kana),
          h('span', { class: 'badge case-open', id: 'cert-status', 'data-status': a.status }, a.status_label),
        ),
        h(
          'dl',
          { class: 'facts', id: 'cert-facts' },
          (
            [
              ['申請番号', h('span', { class: 'mono' }, a.application_no), 'application_no'],
              ['被保険者番号', h('span', { class: 'mono' }, a.insured_no), 'insured_no'],
              ['区分', a.category === '2' ? '第2号被保険者' : '第1号被保険者', 'category'],
              ['申請の種類', a.kind_label, 'kind'],
              ['申請日', dateCell(a.applied_on), 'applied_on'],
              ['期限日', dateCell(a.deadline_on), 'deadline_on'],
              ['居所', placeLabel(a.place), 'place'],
              ['申請者', a.applicant_relation, 'applicant_relation'],
              ['現在の段階', a.stage_label || a.status_label, 'stage'],
              a.reason ? ['理由', a.reason, 'reason'] : null,
              a.previous_certification ? ['前回の認定', `${careLevelLabel(a.previous_certification.care_level)} (〜${toWareki(a.previous_certification.valid_to)})`, 'previous'] : null,
            ] as ([string, Child, string] | null)[]
          )
            .filter((r): r is [string, Child, string] => r !== null)
            .map(([label, value, key]) => h('div', { class: 'fact', 'data-field': key }, h('dt', {}, label), h('dd', {}, value))),
        ),
      ),
      clockBox(a),
    ),
    h('section', { class: 'panel' }, h('h2', {}, '進捗', h('span', { class: 'sub' }, '段階ごとの日数 (申請日から)')), timeline(a.stages, a.status !== 'withdrawn')),
    checksView(a),
    canWorkCertification(roles) ? actionBar(ctx, a, async () => masters ?? (await certificationApi.masters().catch(() => null)), result, changed) : null,
    h('div', { class: 'cert-grid' }, assessmentView(a.assessments, masters), opinionView(a.opinions, masters)),
    h('div', { class: 'cert-grid' }, decisionView(a), certificationView(a) ?? documentsView(a)),
    certificationView(a) ? documentsView(a) : null,
  ];
}
