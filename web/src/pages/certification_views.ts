// The read-only parts of one application's page: the clock box, the timeline of stages, the
// 第2号 checks, the assessment result (minutes, flags, independence levels, 特記事項, the 74 items
// folded), the opinion, the first stage with its explanation, the committee cases, the decision
// and the certification, the 延期通知 and the documents issued.
import { h, type Child } from '../dom';
import { documentUrl, postponementNoticeUrl } from '../api_certification';
import {
  arrearsCheckLabel,
  assessorKindLabel,
  careLevelLabel,
  caseOutcomeLabel,
  checkIsBad,
  clockTone,
  documentKindLabel,
  groupItems,
  insuranceCheckLabel,
  minutesText,
  needsPostponement,
  requestStatusLabel,
  sessionStatusLabel,
  shortDate,
  unitsText,
  validityText,
} from '../certification';
import type { Application, Certification, HomeAssessment, Masters, PhysicianOpinion, Stage } from '../certification_types';
import { toWareki } from '../format';
import { inquiryHash } from '../router';
import { clockBadge, dateCell, dayBar, sessionHash } from './certification_parts';
import { inquiryBadge } from './inquiry_parts';

/** The big clock: 経過, 残り (or 超過), the bar, the deadline and any 延期. */
export function clockBox(a: Application): HTMLElement {
  const tone = clockTone(a.clock);
  const open = a.clock !== 'done' && a.status !== 'withdrawn';
  const left = a.days_left;
  return h(
    'div',
    { class: `cert-clock tone-${tone}`, id: 'cert-clock', 'data-clock': a.clock },
    h('div', {}, clockBadge(a, true)),
    h(
      'div',
      { class: 'clock-numbers' },
      h('div', { class: 'clock-number', id: 'cert-days-elapsed' }, h('span', { class: 'n' }, String(a.days_elapsed)), h('span', { class: 'u' }, a.clock === 'done' ? '日で決定' : '日経過')),
      open
        ? h(
            'div',
            { class: `clock-number${left < 0 ? ' neg' : a.clock === 'warning' ? ' warn' : ''}`, id: 'cert-days-left' },
            h('span', { class: 'n' }, String(Math.abs(left))),
            h('span', { class: 'u' }, left < 0 ? '日超過' : left === 0 ? '日 (本日期限)' : '日残り'),
          )
        : null,
    ),
    dayBar(a),
    a.postponed_until ? h('div', { class: 'clock-deadline' }, `延期通知済: 処理見込期日 ${toWareki(a.postponed_until)}`) : null,
    needsPostponement(a) ? h('div', { class: 'error-text missing-notice', id: 'cert-needs-postponement' }, '期限を過ぎています。延期通知 (理由・見込期日) を送ってください') : null,
  );
}

/**
 * One box per stage: the days it took (or has taken so far) and its dates. Stages may run side by
 * side (the assessment and the opinion are asked at once), so every started, unfinished stage is
 * marked running.
 */
export function timeline(stages: Stage[], open: boolean): HTMLElement {
  if (stages.length === 0) return h('div', { class: 'empty small-empty' }, '段階の記録はありません');
  return h(
    'ol',
    { class: 'timeline', id: 'cert-timeline' },
    stages.map((s) => {
      const state = s.to !== null ? 'done' : s.from !== null && open ? 'current' : s.from !== null ? 'stopped' : 'waiting';
      return h(
        'li',
        { class: state, 'data-stage': s.stage, 'data-state': state },
        h('div', { class: 'st-label', title: s.label }, s.label),
        h('div', { class: `st-days${(s.days ?? 0) > 14 ? ' long' : ''}` }, s.days === null ? '—' : `${s.days}日`, state === 'current' ? h('span', { class: 'small muted' }, ' 経過中') : null),
        h('div', { class: 'st-dates', title: s.from ? `${toWareki(s.from)}〜${s.to ? toWareki(s.to) : ''}` : '' }, s.from ? `${shortDate(s.from)}〜${s.to ? shortDate(s.to) : ''}` : '未着手'),
      );
    }),
  );
}

// Two columns: most of these panels are half the page wide.
const dl = (rows: [string, Child, string?][], id?: string, cols = 2) =>
  h('dl', { class: `facts cols-${cols}`, id }, rows.map(([label, value, key]) => h('div', { class: 'fact', 'data-field': key ?? label }, h('dt', {}, label), h('dd', {}, value))));

/** 第2号: 医療保険の加入 (NT-02/03) and 保険料の滞納 (NT-04/05), through the 番号連携 gateway. */
export function checksView(a: Application): HTMLElement | null {
  if (a.category !== '2') return null;
  const tone = (v: string) => (checkIsBad(v) ? 'check-bad' : v === 'pending' ? 'check-pending' : '');
  return h(
    'section',
    { class: 'panel', id: 'cert-checks' },
    h('h2', {}, '第2号被保険者の確認', h('span', { class: 'sub' }, '医療保険者へ番号連携で照会')),
    dl([
      ['医療保険 (NT-02/03)', h('span', { class: tone(a.insurance_check) }, insuranceCheckLabel(a.insurance_check)), 'insurance_check'],
      ['保険料滞納 (NT-04/05)', h('span', { class: tone(a.arrears_check) }, arrearsCheckLabel(a.arrears_check, a.arrears_months)), 'arrears_check'],
      ['特定疾病', a.specified_disease ? `${a.specified_disease} ${a.specified_disease_name ?? ''}` : h('span', { class: 'check-bad' }, 'なし'), 'specified_disease'],
    ], undefined, 3),
    a.checks && a.checks.length
      ? h(
          'table',
          { class: 'grid', id: 'cert-check-inquiries' },
          h('thead', {}, h('tr', {}, ['連携', '照会', '照会の状態', '結果', '内容'].map((c) => h('th', {}, c)))),
          h(
            'tbody',
            {},
            a.checks.map((c) =>
              h(
                'tr',
                { 'data-inquiry-id': c.inquiry_id },
                h('td', { class: 'mono' }, c.request_flow),
                h('td', {}, h('a', { href: inquiryHash(c.inquiry_id) }, `照会 #${c.inquiry_id}`)),
                h('td', {}, inquiryBadge(c.inquiry_status, true)),
                h('td', { class: tone(c.outcome ?? '') }, c.outcome ? (c.check_kind === 'arrears' ? arrearsCheckLabel(c.outcome) : insuranceCheckLabel(c.outcome)) : '—'),
                h('td', { class: 'small' }, c.reject_reason ?? c.summary ?? ''),
              ),
            ),
          ),
        )
      : null,
  );
}

function yesNo(v: boolean | null, label: string): HTMLElement {
  return h('span', { class: `badge${v ? '' : ' off'}` }, `${label} ${v === null ? '—' : v ? 'あり' : 'なし'}`);
}

/** 認定調査: the requests and, once in, the result of the national software. */
export function assessmentView(list: HomeAssessment[], masters: Masters | null): HTMLElement {
  const contractorName = (code: string | null) => masters?.contractors.find((c) => c.code === code)?.name ?? '';
  return h(
    'section',
    { class: 'panel', id: 'cert-assessment' },
    h('h2', {}, '認定調査 (NT-07 依頼・NT-08 結果)'),
    list.length === 0
      ? h('div', { class: 'empty small-empty' }, 'まだ依頼していません')
      : list.map((x) =>
          h(
            'div',
            { class: 'assessment', 'data-assessment-id': x.assessment_id, 'data-status': x.status },
            dl([
              ['依頼番号', h('span', { class: 'mono' }, x.request_no), 'request_no'],
              ['状態', h('span', { class: `badge req-${x.status}` }, requestStatusLabel(x.status)), 'status'],
              ['調査', `${assessorKindLabel(x.assessor_kind)}${x.contractor_code ? ` ${x.contractor_name ?? contractorName(x.contractor_code)} (${x.contractor_code})` : ''}${x.assessor_name ? `・${x.assessor_name}` : ''}`, 'assessor'],
              ['依頼日・期限', [toWareki(x.requested_on), ' → ', toWareki(x.due_on)], 'requested_on'],
              ['調査日', x.assessed_on ? toWareki(x.assessed_on) : '—', 'assessed_on'],
              ['受領日', x.received_on ? toWareki(x.received_on) : '—', 'received_on'],
            ]),
            x.status === 'received' ? assessmentResult(x, masters) : null,
          ),
        ),
  );
}

function assessmentResult(x: HomeAssessment, masters: Masters | null): Child[] {
  const groups = groupItems(x.items ?? {}, masters?.assessment_items ?? []);
  const count = Object.keys(x.items ?? {}).length;
  return [
    h('h3', {}, '調査結果'),
    dl(
      [
        ['要介護認定等基準時間', h('strong', { id: 'cert-standard-minutes' }, minutesText(x.standard_tenths)), 'standard_minutes'],
        ['状態', h('span', { class: 'flags' }, yesNo(x.cognitive_decline, '認知機能の低下'), yesNo(x.unstable_condition, '状態の不安定性')), 'flags'],
        ['認知症自立度', x.dementia_independence ?? '—', 'dementia_independence'],
        ['障害自立度 (寝たきり度)', x.bedridden_independence ?? '—', 'bedridden_independence'],
      ],
      'cert-assessment-result',
    ),
    x.special_notes ? [h('h3', {}, '特記事項'), h('div', { class: 'special-notes', id: 'cert-special-notes' }, x.special_notes)] : null,
    h(
      'details',
      { class: 'items', id: 'cert-items' },
      h('summary', {}, `基本調査 ${count}項目を表示`),
      groups.map((g) =>
        h(
          'table',
          { class: 'grid items' },
          h('thead', {}, h('tr', {}, h('th', { colspan: 3 }, g.group))),
          h(
            'tbody',
            {},
            g.rows.map((r) =>
              h('tr', { 'data-item': r.code }, h('td', { class: 'mono code' }, r.code), h('td', {}, r.name), h('td', { class: 'value' }, r.label ? `${r.value} ${r.label}` : r.value)),
            ),
          ),
        ),
      ),
    ),
  ];
}

/** 主治医意見書: the requests and, once written, what the doctor says. */
export function opinionView(list: PhysicianOpinion[], masters: Masters | null): HTMLElement {
  const institutionName = (code: string) => masters?.institutions.find((c) => c.code === code)?.name ?? '';
  const diseaseName = (code: string | null | undefined) => (code ? `${code} ${masters?.specified_diseases.find((d) => d.code === code)?.name ?? ''}` : 'なし');
  return h(
    'section',
    { class: 'panel', id: 'cert-opinion' },
    h('h2', {}, '主治医意見書 (NT-09 依頼・NT-10 受領)'),
    list.length === 0
      ? h('div', { class: 'empty small-empty' }, 'まだ依頼していません')
      : list.map((o) =>
          h(
            'div',
            { class: 'opinion', 'data-opinion-id': o.opinion_id, 'data-status': o.status },
            dl([
              ['依頼番号', h('span', { class: 'mono' }, o.request_no), 'request_no'],
              ['状態', h('span', { class: `badge req-${o.status}` }, requestStatusLabel(o.status)), 'status'],
              ['医療機関・医師', `${o.institution_name ?? institutionName(o.institution_code)} (${o.institution_code})・${o.doctor_name}`, 'institution'],
              ['初回・継続', o.first_visit ? '初回' : '継続', 'first_visit'],
              ['依頼日・期限', [toWareki(o.requested_on), ' → ', toWareki(o.due_on)], 'requested_on'],
              ['記載日', o.written_on ? toWareki(o.written_on) : '—', 'written_on'],
            ]),
            o.status === 'received' && o.content
              ? dl([
                  ['診断名', (o.content.diagnoses ?? []).join('、') || '—', 'diagnoses'],
                  ['特定疾病', diseaseName(o.specified_disease ?? o.content.specified_disease), 'specified_disease'],
                  ['認知症自立度', o.content.dementia_independence ?? '—', 'dementia_independence'],
                  ['障害自立度', o.content.bedridden_independence ?? '—', 'bedridden_independence'],
                  ['意見', o.content.remarks || '—', 'remarks'],
                ])
              : null,
          ),
        ),
  );
}

/** 一次判定 with the explanation staff read out; then the committee cases and the decision. */
export function decisionView(a: Application): HTMLElement {
  const fs = a.first_stage;
  const d = a.decision;
  return h(
    'section',
    { class: 'panel', id: 'cert-decision' },
    h('h2', {}, '判定'),
    h('h3', {}, '一次判定'),
    fs
      ? h(
          'div',
          { id: 'cert-first-stage' },
          h('span', { class: 'level-box small', 'data-level': fs.care_level }, fs.care_level_label ?? careLevelLabel(fs.care_level)),
          h('span', { class: 'iso' }, `基準時間 ${minutesText(fs.standard_tenths)}`),
          h('div', { class: 'first-stage-explanation' }, fs.explanation),
        )
      : h('p', { class: 'muted' }, '調査結果と意見書がそろうと計算します'),
    h('h3', {}, '介護認定審査会'),
    a.cases.length === 0
      ? h('p', { class: 'muted' }, 'まだ審査会に付していません')
      : h(
          'table',
          { class: 'grid', id: 'cert-cases' },
          h('thead', {}, h('tr', {}, ['審査会', '開催日', '審査会の状態', '結果'].map((c) => h('th', {}, c)))),
          h(
            'tbody',
            {},
            a.cases.map((c) =>
              h(
                'tr',
                { 'data-session-id': c.session_id },
                h('td', { class: 'mono' }, h('a', { href: sessionHash(c.session_id) }, c.session_no), c.panel ? h('span', { class: 'iso' }, c.panel) : null),
                h('td', { class: 'nowrap' }, toWareki(c.held_on)),
                h('td', {}, c.session_status ? sessionStatusLabel(c.session_status) : ''),
                h('td', {}, caseOutcomeLabel(c.outcome)),
              ),
            ),
          ),
        ),
    h('h3', {}, '二次判定'),
    d
      ? h(
          'div',
          { id: 'cert-second-stage' },
          h('span', { class: 'level-box', id: 'cert-decided-level', 'data-level': d.care_level }, d.care_level_label ?? careLevelLabel(d.care_level)),
          d.first_stage_level && d.first_stage_level !== d.care_level ? h('span', { class: 'level-changed' }, `一次判定 ${careLevelLabel(d.first_stage_level)} から変更`) : null,
          dl([
            ['判定日', dateCell(d.decided_on), 'decided_on'],
            ['有効期間', d.valid_from ? `${validityText(d.valid_from, d.valid_to)}${d.validity_months ? ` (${d.validity_months}か月)` : ''}` : '—', 'validity'],
            ['審査会の意見', d.remarks || '—', 'remarks'],
            ['変更の理由', d.change_reason || '—', 'change_reason'],
          ]),
        )
      : h('p', { class: 'muted' }, '判定はまだです'),
  );
}

/** The certification granted (and the one it follows). */
export function certificationView(a: Application): HTMLElement | null {
  if (!a.certification && !a.previous_certification) return null;
  return h(
    'section',
    { class: 'panel', id: 'cert-certification' },
    h('h2', {}, '認定'),
    a.certification ? certificationFacts(a.certification, 'cert-granted') : h('p', { class: 'muted' }, 'この申請による認定はありません'),
    a.previous_certification ? [h('h3', {}, '前回の認定'), certificationFacts(a.previous_certification, 'cert-previous')] : null,
  );
}

export function certificationFacts(c: Certification, id: string): HTMLElement {
  return dl(
    [
      ['要介護状態区分', h('span', { class: 'level-box small', 'data-level': c.care_level }, c.care_level_label ?? careLevelLabel(c.care_level)), 'care_level'],
      ['有効期間', validityText(c.valid_from, c.valid_to), 'validity'],
      ['認定日', toWareki(c.certified_on), 'certified_on'],
      ['区分支給限度基準額', unitsText(c.monthly_cap_units), 'monthly_cap_units'],
      ['状態', c.status === 'current' ? '有効' : c.status === 'superseded' ? '次の認定に移行' : c.status === 'cancelled' ? '取消' : c.status, 'status'],
    ],
    id,
  );
}

/** 延期通知 and every document issued for the application, each with its PDF. */
export function documentsView(a: Application): HTMLElement {
  return h(
    'section',
    { class: 'panel', id: 'cert-documents' },
    h('h2', {}, '通知・書類'),
    a.postponements.length
      ? [
          h('h3', {}, '延期通知 (介護保険法27条11項ただし書)'),
          h(
            'table',
            { class: 'grid', id: 'cert-postponements' },
            h('thead', {}, h('tr', {}, ['通知日', '理由', '処理見込期日', '通知者', 'PDF'].map((c) => h('th', {}, c)))),
            h(
              'tbody',
              {},
              a.postponements.map((p) =>
                h(
                  'tr',
                  { 'data-postponement-id': p.postponement_id },
                  h('td', { class: 'nowrap' }, toWareki(p.issued_on)),
                  h('td', {}, p.reason),
                  h('td', { class: 'nowrap' }, toWareki(p.expected_on)),
                  h('td', { class: 'mono small' }, p.issued_by ?? ''),
                  h('td', {}, h('a', { href: postponementNoticeUrl(a.application_id, p.postponement_id), target: '_blank', rel: 'noopener' }, '延期通知書')),
                ),
              ),
            ),
          ),
        ]
      : null,
    a.documents.length === 0
      ? h('div', { class: 'empty small-empty', id: 'cert-documents-empty' }, '交付した書類はありません')
      : h(
          'table',
          { class: 'grid', id: 'cert-document-table' },
          h('thead', {}, h('tr', {}, ['書類', '交付日', '交付者', 'PDF'].map((c) => h('th', {}, c)))),
          h(
            'tbody',
            {},
            a.documents.map((d) =>
              h(
                'tr',
                { 'data-document-id': d.document_id, 'data-kind': d.kind },
                h('td', {}, d.kind_label ?? documentKindLabel(d.kind)),
                h('td', { class: 'nowrap' }, toWareki(d.issued_on)),
                h('td', { class: 'mono small' }, d.issued_by ?? ''),
                h('td', {}, h('a', { href: documentUrl(d.document_id), target: '_blank', rel: 'noopener', class: 'document-pdf' }, 'PDFを開く')),
              ),
            ),
          ),
        ),
    a.withdrawn_on ? h('p', { class: 'note' }, `取下げ ${toWareki(a.withdrawn_on)}: ${a.withdraw_reason ?? ''}`) : null,
  );
}
