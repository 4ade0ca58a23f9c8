// The 認定 routes of the mock API (docs/api-certification.md), dev server only. Applications live
// in memory with their clock (申請日 + 30 days, warned 5 days before, 延期 covering a day); about
// sixty are seeded in every state, from 0 to 45 days old, so the list's tabs, badges and the
// report have something to show. A simulated committee-support system (shinsa) answers as
// 「N日進める」 lets days pass: a contractor's assessment result 7 days after the request, the
// doctor's opinion 10 days after, the committee's decisions for every session sent. Results are
// dated today (the mock's calendar does not move). First stage by the minute bands of rules.md §3;
// the committee mostly agrees (one case in five a level higher). Fees accrue with the work, at
// the mock's own amounts (模擬: the server reads them from its rule file). Enough to drive the
// screens, not the law.
import type { Reply } from './inquiries';
import { tinyPdf } from './eligibility';
import { addDaysIso, careLevelLabel, categoryOn, daysBetween, kindLabel, statusLabel, todayIso } from '../src/certification';
import type { Application, ApplicationRow, Certification, HomeAssessment, PhysicianOpinion, Postponement, Session, Stage } from '../src/certification_types';

interface Person {
  person_id: string;
  name_kanji: string;
  name_kana: string;
  birth_date: string;
  insured_no: string | null;
}

const WRITERS = new Set(['certification_staff', 'supervisor']);
const READERS = new Set([...WRITERS, 'eligibility_staff', 'premium_staff', 'benefit_staff']);
const DEADLINE_DAYS = 30;
const WARN_DAYS = 5;
const ASSESSMENT_DAYS = 7; // the simulated contractor answers this many days after the request
const OPINION_DAYS = 10;

const err = (status: number, kind: string, message: string, field: string | null = null): Reply => ({ status, body: { error: { kind, message, field } } });
const ok = (body: unknown, status = 200): Reply => ({ status, body });
const ISO = /^\d{4}-\d{2}-\d{2}$/;

// 介護保険法施行令2条: the 16 特定疾病.
const DISEASES = [
  'がん (末期)', '関節リウマチ', '筋萎縮性側索硬化症', '後縦靱帯骨化症', '骨折を伴う骨粗鬆症', '初老期における認知症',
  '進行性核上性麻痺、大脳皮質基底核変性症及びパーキンソン病', '脊髄小脳変性症', '脊柱管狭窄症', '早老症', '多系統萎縮症',
  '糖尿病性神経障害、糖尿病性腎症及び糖尿病性網膜症', '脳血管疾患', '閉塞性動脈硬化症', '慢性閉塞性肺疾患',
  '両側の膝関節又は股関節に著しい変形を伴う変形性関節症',
].map((name, i) => ({ code: String(i + 1).padStart(2, '0'), name }));

const CONTRACTORS = [
  { code: 'C001', name: '中央居宅介護支援センター' }, { code: 'C002', name: '北区ケアプランセンター' },
  { code: 'C003', name: '東区介護相談所' }, { code: 'C004', name: '南区在宅介護支援センター' },
];
const INSTITUTIONS = [
  { code: 'M0001', name: '市立中央病院' }, { code: 'M0002', name: '北区内科クリニック' }, { code: 'M0003', name: '東区脳神経外科' },
  { code: 'M0004', name: '南区整形外科医院' }, { code: 'M0005', name: '中央区在宅診療所' },
];
const MEMBERS = [
  ['K01', '高橋 誠', '医師'], ['K02', '伊藤 恵子', '保健師'], ['K03', '渡辺 修', '介護福祉士'], ['K04', '山本 直子', '社会福祉士'],
  ['K05', '中村 浩', '歯科医師'], ['K06', '小林 明美', '看護師'], ['K07', '加藤 隆', '薬剤師'], ['K08', '吉田 由美', '理学療法士'],
].map(([member_code, name, profession]) => ({ member_code, name, profession }));

// The 74 基本調査 items (認定調査票), grouped as on the form.
const ITEM_GROUPS: [string, string, string[]][] = [
  ['1', '第1群 身体機能・起居動作', ['麻痺 (左上肢)', '麻痺 (右上肢)', '麻痺 (左下肢)', '麻痺 (右下肢)', '麻痺 (その他)', '拘縮 (肩関節)', '拘縮 (股関節)', '拘縮 (膝関節)', '拘縮 (その他)', '寝返り', '起き上がり', '座位保持', '両足での立位保持', '歩行', '立ち上がり', '片足での立位', '洗身', 'つめ切り', '視力', '聴力']],
  ['2', '第2群 生活機能', ['移乗', '移動', 'えん下', '食事摂取', '排尿', '排便', '口腔清潔', '洗顔', '整髪', '上衣の着脱', 'ズボン等の着脱', '外出頻度']],
  ['3', '第3群 認知機能', ['意思の伝達', '毎日の日課を理解', '生年月日や年齢を言う', '短期記憶', '自分の名前を言う', '今の季節を理解', '場所の理解', '徘徊', '外出すると戻れない']],
  ['4', '第4群 精神・行動障害', ['被害的', '作話', '感情が不安定', '昼夜逆転', '同じ話をする', '大声をだす', '介護に抵抗', '落ち着きなし', '一人で出たがる', '収集癖', '物や衣類を壊す', 'ひどい物忘れ', '独り言・独り笑い', '自分勝手に行動する', '話がまとまらない']],
  ['5', '第5群 社会生活への適応', ['薬の内服', '金銭の管理', '日常の意思決定', '集団への不適応', '買い物', '簡単な調理']],
  ['6', '特別な医療', ['点滴の管理', '中心静脈栄養', '透析', 'ストーマの処置', '酸素療法', 'レスピレーター', '気管切開の処置', '疼痛の看護', '経管栄養', 'モニター測定', 'じょくそうの処置', 'カテーテル']],
];
const CHOICES = [{ value: '1', label: 'できる・ない' }, { value: '2', label: '見守り等・ある' }, { value: '3', label: '一部介助' }];
const ITEMS = ITEM_GROUPS.flatMap(([g, group, names]) => names.map((name, i) => ({ code: `${g}-${i + 1}`, group, name, choices: g === '6' ? CHOICES.slice(0, 2) : CHOICES })));

// Mock fee amounts (yen), by the rule file's keys; the server reads its own from config.
const FEES: Record<string, number> = {
  'assessment.new.home': 4400, 'assessment.new.facility': 3300, 'assessment.renewal.home': 4400, 'assessment.renewal.facility': 3300,
  'opinion.first.home': 5500, 'opinion.first.facility': 4400, 'opinion.continued.home': 4400, 'opinion.continued.facility': 3300,
  'committee.chair': 22000, 'committee.member': 20000,
};

// rules.md §3: the 要介護認定等基準時間 bands (minutes).
function firstStage(tenths: number, cognitive: boolean, unstable: boolean): { level: string; explanation: string } {
  const m = tenths / 10;
  const min = `要介護認定等基準時間 ${Math.trunc(tenths / 10)}.${tenths % 10}分`;
  if (m < 25) return { level: 'none', explanation: `${min}: 25分未満 → 非該当` };
  if (m < 32) return { level: 'support_1', explanation: `${min}: 25分以上32分未満 → 要支援1` };
  if (m < 50) {
    const care = cognitive || unstable;
    const why = care ? `${cognitive ? '認知機能の低下あり' : '状態の不安定性あり'} → 要介護1` : '認知機能の低下・状態の不安定性なし → 要支援2';
    return { level: care ? 'care_1' : 'support_2', explanation: `${min}: 32分以上50分未満、${why}` };
  }
  const bands: [number, string, string][] = [[70, 'care_2', '50分以上70分未満'], [90, 'care_3', '70分以上90分未満'], [110, 'care_4', '90分以上110分未満']];
  const b = bands.find(([to]) => m < to);
  return b ? { level: b[1], explanation: `${min}: ${b[2]} → ${careLevelLabel(b[1])}` } : { level: 'care_5', explanation: `${min}: 110分以上 → 要介護5` };
}

const CAPS: Record<string, number> = { support_1: 5032, support_2: 10531, care_1: 16765, care_2: 19705, care_3: 27048, care_4: 30938, care_5: 36217 };
const LEVELS = ['none', 'support_1', 'support_2', 'care_1', 'care_2', 'care_3', 'care_4', 'care_5'];

/** Last day of the month `months` after the start month (an application on the 1st counts its own month). */
function validityEnd(from: string, months: number): string {
  const [y, m, d] = from.split('-').map(Number);
  const total = y * 12 + (m - 1) + months - (d === 1 ? 1 : 0);
  const endY = Math.floor(total / 12);
  const endM = (total % 12) + 1;
  return new Date(Date.UTC(endY, endM, 0)).toISOString().slice(0, 10);
}

interface MockAssessment extends HomeAssessment { simLeft: number }
interface MockOpinion extends PhysicianOpinion { simLeft: number }
interface MockApp {
  application_id: number;
  application_no: string;
  person: Person;
  kind: string;
  category: string;
  applied_on: string;
  place: string;
  applicant_relation: string;
  specified_disease: string | null;
  reason: string;
  status: string;
  insurance_check: string;
  arrears_check: string;
  arrears_months: number | null;
  postponements: Postponement[];
  assessments: MockAssessment[];
  opinions: MockOpinion[];
  first_stage: Application['first_stage'];
  cases: Application['cases'];
  decision: Application['decision'];
  certification_id: number | null;
  previous_certification_id: number | null;
  documents: Application['documents'];
  ready_on: string | null;
  scheduled_on: string | null;
  decided_on: string | null;
  notified_on: string | null;
  withdrawn_on: string | null;
  withdraw_reason: string | null;
}
interface MockCert extends Certification { person_id: string; reminded_on: string | null; reminder_id?: number }
interface MockSession extends Omit<Session, 'cases'> { cases: { application_id: number; case_order: number; outcome: string | null }[] }
interface MockFee { fee_id: number; flow_id: string; payee_code: string; payee_name: string; fee_kind: string; amount: number; work_on: string; application_id: number | null; session_id: number | null; exchange_id: number | null }

export function certificationHandler(people: Person[]) {
  const apps: MockApp[] = [];
  const certs: MockCert[] = [];
  const sessions: MockSession[] = [];
  const fees: MockFee[] = [];
  const printRuns: { batch_run_id: number; job: string; run_key: string; status: string; documents: number; print_file: boolean; pdf: string | null; started_at: string; finished_at: string; started_by: string }[] = [];
  let seq = 0;
  let exchangeSeq = 5000;
  let documentSeq = 0;
  let welfareCursor = 0; // certifications sent to welfare so far
  const today = () => todayIso();
  const nextId = () => ++seq;

  const accrue = (flow_id: string, key: string, payee_code: string, payee_name: string, work_on: string, application_id: number | null, session_id: number | null) =>
    fees.push({ fee_id: fees.length + 1, flow_id, payee_code, payee_name, fee_kind: key, amount: FEES[key], work_on, application_id, session_id, exchange_id: null });

  const deadline = (a: MockApp) => addDaysIso(a.applied_on, DEADLINE_DAYS);
  const postponedUntil = (a: MockApp) => (a.postponements.length ? a.postponements[a.postponements.length - 1].expected_on : null);
  const isOpen = (a: MockApp) => ['received', 'investigating', 'ready', 'scheduled'].includes(a.status);

  const clock = (a: MockApp): ApplicationRow['clock'] => {
    if (!isOpen(a)) return 'done';
    const t = today();
    const until = postponedUntil(a);
    if (until && until >= t) return 'postponed';
    if (t > deadline(a)) return until ? 'postponed' : 'overdue';
    return t >= addDaysIso(deadline(a), -WARN_DAYS) ? 'warning' : 'on_time';
  };

  const stageLabel = (a: MockApp): string => {
    switch (a.status) {
      case 'received':
        return '調査・意見書の依頼待ち';
      case 'investigating': {
        const waitA = !a.assessments.some((x) => x.status === 'received');
        const waitO = !a.opinions.some((x) => x.status === 'received');
        const parts = [waitA ? (a.assessments.some((x) => x.status === 'requested') ? '調査結果待ち' : '調査未依頼') : null, waitO ? (a.opinions.some((x) => x.status === 'requested') ? '意見書待ち' : '意見書未依頼') : null];
        return parts.filter(Boolean).join('・');
      }
      case 'ready':
        return '審査会待ち';
      case 'scheduled':
        return `審査会 ${(a.cases[a.cases.length - 1]?.held_on ?? '').slice(5).replace('-', '/')} 判定待ち`;
      case 'decided':
        return '結果通知待ち';
      default:
        return statusLabel(a.status);
    }
  };

  const row = (a: MockApp): ApplicationRow => {
    const t = today();
    const end = a.decided_on ?? a.withdrawn_on ?? t;
    return {
      application_id: a.application_id, application_no: a.application_no, person_id: a.person.person_id, name: a.person.name_kanji,
      name_kana: a.person.name_kana, insured_no: a.person.insured_no ?? `2${a.person.person_id.slice(1)}`, kind: a.kind, kind_label: kindLabel(a.kind), category: a.category,
      applied_on: a.applied_on, deadline_on: deadline(a), days_elapsed: daysBetween(a.applied_on, end), days_left: daysBetween(t, deadline(a)),
      clock: clock(a), status: a.status, status_label: statusLabel(a.status), stage_label: stageLabel(a), postponed_until: postponedUntil(a),
    };
  };

  // The server's seven spans (application_clock.cpp): the assessment and the opinion run side by side.
  const stages = (a: MockApp): Stage[] => {
    const asm = a.assessments.find((x) => x.status !== 'cancelled');
    const op = a.opinions.find((x) => x.status !== 'cancelled');
    const s = (stage: string, label: string, from: string | null, to: string | null): Stage => ({
      stage, label, from, to, days: from ? daysBetween(from, to ?? a.withdrawn_on ?? today()) : null,
    });
    return [
      s('application_to_assessment_request', '申請→調査依頼', a.applied_on, asm?.requested_on ?? null),
      s('assessment', '調査依頼→調査結果', asm?.requested_on ?? null, asm?.received_on ?? null),
      s('application_to_opinion_request', '申請→意見書依頼', a.applied_on, op?.requested_on ?? null),
      s('opinion', '意見書依頼→意見書', op?.requested_on ?? null, op?.received_on ?? null),
      s('ready_to_committee', '揃い→審査会', a.ready_on, a.scheduled_on),
      s('committee_to_decision', '審査会→決定', a.scheduled_on, a.decided_on),
      s('decision_to_notice', '決定→通知', a.decided_on, a.notified_on),
    ];
  };

  const certView = (c: MockCert | undefined | null): Certification | null => {
    if (!c) return null;
    const { person_id: _p, reminded_on: _r, reminder_id: _d, ...rest } = c;
    return { ...rest, care_level_label: careLevelLabel(c.care_level) };
  };

  const full = (a: MockApp): Application => ({
    ...row(a),
    place: a.place, applicant_relation: a.applicant_relation, specified_disease: a.specified_disease,
    specified_disease_name: DISEASES.find((d) => d.code === a.specified_disease)?.name ?? null, reason: a.reason,
    insurance_check: a.insurance_check, arrears_check: a.arrears_check, arrears_months: a.arrears_months, stages: stages(a),
    postponements: a.postponements, assessments: a.assessments.map(({ simLeft: _s, ...x }) => ({ ...x, contractor_name: CONTRACTORS.find((c) => c.code === x.contractor_code)?.name ?? null })),
    opinions: a.opinions.map(({ simLeft: _s, ...x }) => ({ ...x, institution_name: INSTITUTIONS.find((c) => c.code === x.institution_code)?.name ?? null })),
    first_stage: a.first_stage, cases: a.cases.map((c) => ({ ...c, session_status: sessions.find((x) => x.session_id === c.session_id)?.status })), decision: a.decision,
    certification: certView(certs.find((c) => c.certification_id === a.certification_id)),
    previous_certification: certView(certs.find((c) => c.certification_id === a.previous_certification_id)),
    documents: a.documents, withdrawn_on: a.withdrawn_on, withdraw_reason: a.withdraw_reason,
  });

  // ---- the work, as the server's services would do it ----

  const requestAssessment = (a: MockApp, kind: string, contractor: string | null, assessor: string, on: string, due: string | null) => {
    const x: MockAssessment = {
      assessment_id: nextId(), request_no: `C${a.application_no.slice(1)}-${a.assessments.length + 1}`, assessor_kind: kind, contractor_code: contractor,
      assessor_name: assessor, requested_on: on, due_on: due ?? addDaysIso(on, 14), status: 'requested', assessed_on: null, received_on: null, items: null,
      special_notes: null, standard_tenths: null, cognitive_decline: null, unstable_condition: null, dementia_independence: null, bedridden_independence: null,
      simLeft: ASSESSMENT_DAYS,
    };
    a.assessments.push(x);
    if (a.status === 'received') a.status = 'investigating';
    return x;
  };
  const requestOpinion = (a: MockApp, institution: string, doctor: string, first: boolean, on: string) => {
    const o: MockOpinion = {
      opinion_id: nextId(), request_no: `D${a.application_no.slice(1)}-${a.opinions.length + 1}`, institution_code: institution, doctor_name: doctor,
      first_visit: first, requested_on: on, due_on: addDaysIso(on, 14), status: 'requested', written_on: null, received_on: null, content: null,
      specified_disease: null, simLeft: OPINION_DAYS,
    };
    a.opinions.push(o);
    if (a.status === 'received') a.status = 'investigating';
    return o;
  };
  const feeKind = (a: MockApp) => `${a.kind === 'renewal' ? 'renewal' : 'new'}.${a.place}`;
  const checkReady = (a: MockApp, on: string) => {
    const asm = a.assessments.find((x) => x.status === 'received');
    if (a.status !== 'investigating' || !asm || !a.opinions.some((x) => x.status === 'received')) return;
    const fs = firstStage(asm.standard_tenths ?? 0, !!asm.cognitive_decline, !!asm.unstable_condition);
    a.first_stage = { care_level: fs.level, care_level_label: careLevelLabel(fs.level), standard_tenths: asm.standard_tenths ?? 0, explanation: fs.explanation, computed_at: `${on}T10:00:00+09:00` };
    a.status = 'ready';
    a.ready_on = on;
  };
  const assessmentResult = (a: MockApp, x: MockAssessment, on: string) => {
    const n = a.application_id;
    const tenths = 180 + ((n * 137) % 1050);
    Object.assign(x, {
      status: 'received', assessed_on: [addDaysIso(on, -1), x.requested_on].sort()[1], received_on: on, standard_tenths: tenths, cognitive_decline: n % 3 === 0, unstable_condition: n % 7 === 0,
      dementia_independence: ['自立', 'I', 'IIa', 'IIb', 'IIIa'][n % 5], bedridden_independence: ['J1', 'J2', 'A1', 'A2', 'B1'][n % 5],
      items: Object.fromEntries(ITEMS.map((it, i) => [it.code, String(1 + ((n + i) % (it.group.startsWith('特別') ? 2 : 3)))])),
      special_notes: '1-7 歩行: 屋内は伝い歩き、屋外は杖を使用。\n2-5 排尿: 夜間に2回程度の失敗あり、家族が声かけしている。\n3-4 短期記憶: 直前の会話を覚えていないことがある。',
      assessor_name: x.assessor_name || '調査員 佐藤',
    });
    if (x.assessor_kind === 'contractor' && x.contractor_code)
      accrue('NT-16', `assessment.${feeKind(a)}`, x.contractor_code, CONTRACTORS.find((c) => c.code === x.contractor_code)?.name ?? '', on, a.application_id, null);
    checkReady(a, on);
  };
  const opinionResult = (a: MockApp, o: MockOpinion, on: string) => {
    Object.assign(o, {
      status: 'received', written_on: [addDaysIso(on, -2), o.requested_on].sort()[1], received_on: on, specified_disease: a.specified_disease,
      content: { diagnoses: [['脳梗塞後遺症', '高血圧症'], ['アルツハイマー型認知症'], ['変形性膝関節症', '骨粗鬆症'], ['パーキンソン病']][a.application_id % 4], specified_disease: a.specified_disease, dementia_independence: 'IIa', bedridden_independence: 'A1', remarks: '日中独居のため見守りが必要。' },
    });
    accrue('NT-17', `opinion.${o.first_visit ? 'first' : 'continued'}.${a.place}`, o.institution_code, INSTITUTIONS.find((c) => c.code === o.institution_code)?.name ?? '', on, a.application_id, null);
    checkReady(a, on);
  };
  const decide = (s: MockSession, on: string) => {
    for (const c of s.cases) {
      const a = apps.find((x) => x.application_id === c.application_id)!;
      if (a.status !== 'scheduled') continue;
      const fs = a.first_stage?.care_level ?? 'support_1';
      const level = a.application_id % 5 === 0 && fs !== 'care_5' ? LEVELS[LEVELS.indexOf(fs) + 1] : fs;
      const months = a.kind === 'renewal' ? 12 : 6;
      const from = a.applied_on;
      const to = level === 'none' ? null : validityEnd(from, months);
      c.outcome = 'decided';
      const ref = a.cases.find((x) => x.session_id === s.session_id);
      if (ref) ref.outcome = 'decided';
      a.decision = {
        care_level: level, care_level_label: careLevelLabel(level), first_stage_level: fs, validity_months: level === 'none' ? null : months, valid_from: level === 'none' ? null : from,
        valid_to: to, remarks: level === fs ? '' : '認知症の症状により介護の手間が大きい', change_reason: level === fs ? '' : '特記事項から介護の手間を加算', decided_on: on, session_id: s.session_id,
      };
      if (level !== 'none' && to) {
        const prev = certs.find((x) => x.person_id === a.person.person_id && x.status === 'current');
        if (prev) prev.status = 'superseded';
        const cert: MockCert = { certification_id: nextId(), application_id: a.application_id, person_id: a.person.person_id, care_level: level, valid_from: from, valid_to: to, certified_on: on, monthly_cap_units: CAPS[level], status: 'current', reminded_on: null };
        certs.push(cert);
        a.certification_id = cert.certification_id;
      }
      a.status = 'decided';
      a.decided_on = on;
    }
    s.status = 'decided';
    for (const m of s.members) {
      m.attended = true;
      accrue('NT-15', m.role === 'chair' ? 'committee.chair' : 'committee.member', `P${m.member_code}`, m.name, on, null, s.session_id);
    }
  };

  /** The simulator lives `days` days: requests answered when their delay has passed, sessions sent decided. */
  const advance = (days: number): string => {
    const on = today();
    let results = 0;
    let opinions = 0;
    let decided = 0;
    for (const a of apps) {
      for (const x of a.assessments.filter((y) => y.status === 'requested' && y.assessor_kind === 'contractor')) {
        x.simLeft -= days;
        if (x.simLeft <= 0) {
          assessmentResult(a, x, on);
          results++;
        }
      }
      // The city's own assessors send their result through the same system.
      for (const x of a.assessments.filter((y) => y.status === 'requested' && y.assessor_kind === 'city')) {
        x.simLeft -= days;
        if (x.simLeft <= 0) {
          assessmentResult(a, x, on);
          results++;
        }
      }
      for (const o of a.opinions.filter((y) => y.status === 'requested')) {
        o.simLeft -= days;
        if (o.simLeft <= 0) {
          opinionResult(a, o, on);
          opinions++;
        }
      }
    }
    for (const s of sessions.filter((x) => x.status === 'requested')) {
      decide(s, on);
      decided++;
    }
    return `調査結果 ${results}件 (NT-08)・意見書 ${opinions}件 (NT-10)・審査会の判定 ${decided}回 (NT-12)`;
  };

  const addApp = (p: Person, kind: string, applied_on: string, place: string, relation: string, disease: string | null, reason: string): MockApp => {
    const id = nextId();
    const category = categoryOn(p.birth_date, applied_on) || '1';
    const fy = Number(applied_on.slice(5, 7)) >= 4 ? Number(applied_on.slice(0, 4)) : Number(applied_on.slice(0, 4)) - 1;
    const prev = certs.find((c) => c.person_id === p.person_id && c.status === 'current');
    const a: MockApp = {
      application_id: id, application_no: `A${fy}${String(apps.length + 1).padStart(6, '0')}`, person: p, kind, category, applied_on, place,
      applicant_relation: relation, specified_disease: category === '2' ? disease : null, reason, status: 'received',
      insurance_check: category === '2' ? 'insured' : 'not_needed', arrears_check: category === '2' ? (id % 4 === 0 ? 'in_arrears' : 'none') : 'not_needed',
      arrears_months: category === '2' && id % 4 === 0 ? 3 : null, postponements: [], assessments: [], opinions: [], first_stage: null, cases: [], decision: null,
      certification_id: null, previous_certification_id: kind === 'renewal' || kind === 'change' ? (prev?.certification_id ?? null) : null, documents: [],
      ready_on: null, scheduled_on: null, decided_on: null, notified_on: null, withdrawn_on: null, withdraw_reason: null,
    };
    apps.push(a);
    return a;
  };

  const newSession = (panel: string, held_on: string, members: { member_code: string; role: string }[]): MockSession => {
    const s: MockSession = {
      session_id: nextId(), session_no: `S${held_on.replace(/-/g, '')}-${panel.replace(/\D/g, '') || '1'}`, panel, held_on, status: 'planned',
      members: members.map((m) => {
        const mm = MEMBERS.find((x) => x.member_code === m.member_code)!;
        return { member_code: m.member_code, name: mm.name, profession: mm.profession, role: m.role, attended: null };
      }),
      cases: [],
    };
    sessions.push(s);
    return s;
  };
  const addCases = (s: MockSession, list: MockApp[]) => {
    for (const a of list) {
      s.cases.push({ application_id: a.application_id, case_order: s.cases.length + 1, outcome: null });
      a.cases.push({ session_id: s.session_id, session_no: s.session_no, held_on: s.held_on, session_status: s.status, outcome: null });
    }
  };
  const sendSession = (s: MockSession, on: string) => {
    s.status = 'requested';
    for (const c of s.cases) {
      const a = apps.find((x) => x.application_id === c.application_id)!;
      a.status = 'scheduled';
      a.scheduled_on = on;
    }
  };
  const issueNotice = (a: MockApp, on: string, by: string) => {
    const document_id = ++documentSeq;
    a.documents.push({ document_id, kind: 'result_notice', kind_label: '認定結果通知書', issued_on: on, issued_by: by });
    a.status = 'notified';
    a.notified_on = on;
    return document_id;
  };

  // ---- seed: applications of every age and state, so every tab has rows ----
  const seed = () => {
    const t = today();
    const old = people.filter((p) => p.insured_no && categoryOn(p.birth_date, t) === '1');
    const young = people.filter((p) => categoryOn(p.birth_date, t) === '2');
    // A few certifications ending within 60 days (renewals list), one of them already renewed below.
    for (let i = 0; i < 8; i++) {
      const p = old[old.length - 1 - i];
      const to = addDaysIso(t, 5 + i * 7);
      certs.push({ certification_id: nextId(), application_id: 0, person_id: p.person_id, care_level: LEVELS[1 + (i % 7)], valid_from: addDaysIso(to, -364), valid_to: to, certified_on: addDaysIso(to, -380), monthly_cap_units: CAPS[LEVELS[1 + (i % 7)]], status: 'current', reminded_on: i < 2 ? addDaysIso(t, -3) : null, reminder_id: i < 2 ? ++documentSeq : undefined });
    }
    const contractors = CONTRACTORS.map((c) => c.code);
    for (let i = 0; i < 60; i++) {
      const category2 = i % 12 === 5 && young.length > 0;
      const p = category2 ? young[i % young.length] : old[(i * 3) % (old.length - 10)];
      const age = 45 - ((i * 7) % 46); // 0 … 45 days ago
      const applied = addDaysIso(t, -age);
      const renewal = i % 9 === 4 ? old[old.length - 1] : null;
      const a = addApp(renewal ?? p, renewal ? 'renewal' : i % 10 === 7 ? 'change' : 'new', applied, i % 6 === 0 ? 'facility' : 'home', ['本人', '家族', '地域包括支援センター', '居宅介護支援事業者'][i % 4], category2 ? DISEASES[(i * 5) % 16].code : null, i % 10 === 7 ? '状態の悪化' : '');
      if (age < 2) continue; // just received
      const reqOn = addDaysIso(applied, 2 + (i % 3));
      requestAssessment(a, i % 8 === 0 ? 'city' : 'contractor', i % 8 === 0 ? null : contractors[i % contractors.length], i % 8 === 0 ? '市調査員 木村' : '', reqOn, null);
      if (i % 11 !== 3) requestOpinion(a, INSTITUTIONS[i % INSTITUTIONS.length].code, `医師 ${['田中', '鈴木', '小川', '森'][i % 4]}`, a.kind === 'new', reqOn);
      // Contractors and doctors answer within 5–24 days; some are slow (the pain the report shows).
      const asmDays = 5 + ((i * 5) % 14) + (i % contractors.length === 2 ? 6 : 0);
      const opDays = 7 + ((i * 3) % 15);
      const asmOn = addDaysIso(reqOn, asmDays);
      const opOn = addDaysIso(reqOn, opDays);
      if (asmOn <= t) assessmentResult(a, a.assessments[0], asmOn);
      if (a.opinions[0] && opOn <= t) opinionResult(a, a.opinions[0], opOn);
      if (i % 13 === 6) {
        a.status = 'withdrawn';
        a.withdrawn_on = addDaysIso(reqOn, 1);
        a.withdraw_reason = '入院のため本人から取下げ';
        continue;
      }
      // Past the deadline without a session: most of them have a 延期通知.
      if (a.status !== 'ready' && age > DEADLINE_DAYS && i % 4 !== 1) {
        const pp = { postponement_id: nextId(), reason: '主治医意見書の提出が遅れているため', expected_on: addDaysIso(applied, DEADLINE_DAYS + 14), issued_on: addDaysIso(applied, DEADLINE_DAYS), issued_by: 'nintei' };
        a.postponements.push(pp);
      }
    }
    // Sessions: two held (decided, some noticed), one sent and waiting, one being prepared.
    const members = MEMBERS.slice(0, 5).map((m, i) => ({ member_code: m.member_code, role: i === 0 ? 'chair' : 'member' }));
    const ready = () => apps.filter((a) => a.status === 'ready').sort((x, y) => (x.ready_on ?? '').localeCompare(y.ready_on ?? ''));
    for (const [k, back] of [[1, 16], [2, 9], [1, 2]] as [number, number][]) {
      const held = addDaysIso(t, -back);
      const list = ready().filter((a) => (a.ready_on ?? '') <= addDaysIso(held, -1)).slice(0, 5);
      if (list.length === 0) continue;
      const s = newSession(`第${k}合議体`, held, members);
      addCases(s, list);
      sendSession(s, addDaysIso(held, -1));
      if (back > 2) decide(s, held);
    }
    for (const a of apps.filter((x) => x.status === 'decided' && x.decided_on && x.decided_on < addDaysIso(t, -10))) issueNotice(a, addDaysIso(a.decided_on!, 3), 'nintei');
    newSession('第2合議体', addDaysIso(t, 5), MEMBERS.slice(3, 8).map((m, i) => ({ member_code: m.member_code, role: i === 0 ? 'chair' : 'member' })));
  };
  seed();

  const list = (params: URLSearchParams) => {
    const filter = params.get('filter') || 'open';
    const q = (params.get('q') ?? '').trim();
    const rows = apps.map((a) => ({ a, r: row(a) }));
    const test: Record<string, (x: { a: MockApp; r: ApplicationRow }) => boolean> = {
      open: (x) => isOpen(x.a),
      warning: (x) => x.r.clock === 'warning',
      overdue: (x) => x.r.clock === 'overdue',
      postponed: (x) => x.r.clock === 'postponed',
      waiting_assessment: (x) => x.a.status === 'investigating' && !x.a.assessments.some((y) => y.status === 'received'),
      waiting_opinion: (x) => x.a.status === 'investigating' && !x.a.opinions.some((y) => y.status === 'received'),
      ready: (x) => x.a.status === 'ready',
      scheduled: (x) => x.a.status === 'scheduled',
      decided: (x) => x.a.status === 'decided',
      all: () => true,
    };
    if (!test[filter]) return err(400, 'invalid_input', `filter ${filter} is not known`, 'filter');
    const match = (x: { a: MockApp; r: ApplicationRow }) => !q || x.r.application_no === q.toUpperCase() || x.r.insured_no === q || x.r.name_kana.startsWith(q);
    const counts = Object.fromEntries(Object.entries(test).map(([k, f]) => [k, rows.filter((x) => f(x) && match(x)).length]));
    const hits = rows.filter((x) => test[filter](x) && match(x)).map((x) => x.r);
    // The most urgent first: fewest days left; decided ones newest first.
    hits.sort((x, y) => (x.clock === 'done') !== (y.clock === 'done') ? (x.clock === 'done' ? 1 : -1) : x.clock === 'done' ? y.applied_on.localeCompare(x.applied_on) : x.days_left - y.days_left);
    const limit = Math.min(Number(params.get('limit')) || 100, 500);
    const offset = Number(params.get('offset')) || 0;
    return ok({ items: hits.slice(offset, offset + limit), total: hits.length, counts });
  };

  const sessionView = (s: MockSession): Session => ({
    ...s,
    cases: s.cases.map((c) => {
      const a = apps.find((x) => x.application_id === c.application_id)!;
      return {
        application_id: a.application_id, application_no: a.application_no, person_id: a.person.person_id, name: a.person.name_kanji, kind: a.kind, kind_label: kindLabel(a.kind),
        case_order: c.case_order, first_stage_level: a.first_stage?.care_level ?? null, first_stage_label: a.first_stage ? careLevelLabel(a.first_stage.care_level) : null,
        standard_tenths: a.first_stage?.standard_tenths ?? null, outcome: c.outcome, decided_level: a.decision?.care_level ?? null, decided_label: a.decision ? careLevelLabel(a.decision.care_level) : null,
        validity_months: a.decision?.validity_months ?? null, valid_from: a.decision?.valid_from ?? null, valid_to: a.decision?.valid_to ?? null, status: a.status,
      };
    }),
  });

  const report = (from: string, to: string) => {
    const decided = apps.filter((a) => a.decided_on && a.decided_on.slice(0, 7) >= from && a.decided_on.slice(0, 7) <= to);
    const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10 : null);
    const median = (xs: number[]) => {
      if (!xs.length) return null;
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    const months = [...new Set(decided.map((a) => a.decided_on!.slice(0, 7)))].sort().map((month) => {
      const days = decided.filter((a) => a.decided_on!.startsWith(month)).map((a) => daysBetween(a.applied_on, a.decided_on!));
      return { month, count: days.length, mean_days: mean(days), median_days: median(days), max_days: Math.max(...days), within_deadline: days.filter((d) => d <= DEADLINE_DAYS).length / days.length };
    });
    const stageMeans = ['application_to_assessment_request', 'assessment', 'application_to_opinion_request', 'opinion', 'ready_to_committee', 'committee_to_decision'].map((stage) => {
      const st = decided.map((a) => stages(a).find((s) => s.stage === stage)!).filter((s) => s.to !== null && s.days !== null);
      return { stage, label: st[0]?.label ?? stage, mean_days: mean(st.map((s) => s.days!)), count: st.length };
    });
    const party = <T extends { requested_on: string; received_on: string | null; due_on: string; status: string }>(codes: { code: string; name: string }[], get: (a: MockApp) => T[], code: (x: T) => string | null) =>
      codes.map((c) => {
        const got = decided.flatMap(get).filter((x) => x.status === 'received' && code(x) === c.code);
        const days = got.map((x) => daysBetween(x.requested_on, x.received_on!));
        return { code: c.code, name: c.name, count: days.length, mean_days: mean(days), overdue: got.filter((x) => x.received_on! > x.due_on).length };
      }).filter((p) => p.count > 0);
    const all = decided.map((a) => daysBetween(a.applied_on, a.decided_on!));
    const total = { count: all.length, mean_days: mean(all), median_days: median(all), max_days: all.length ? Math.max(...all) : null, within_deadline: all.length ? all.filter((d) => d <= DEADLINE_DAYS).length / all.length : null };
    return {
      from, to, total, months, stages: stageMeans,
      contractors: party(CONTRACTORS, (a) => a.assessments, (x) => x.contractor_code),
      institutions: party(INSTITUTIONS, (a) => a.opinions, (x) => x.institution_code),
    };
  };

  return async (method: string, path: string, params: URLSearchParams, body: () => Promise<Record<string, unknown>>, user: { user_id: string; roles: string[] }): Promise<Reply | undefined> => {
    const worker = user.roles.some((r) => WRITERS.has(r));
    // The simulators list: shinsa for 認定 workers beside juki for 資格 (web/mock/cases.ts).
    if (path === '/simulators' && method === 'GET' && worker) {
      const items = [{ counterpart: 'shinsa', label: '認定審査会支援システム (模擬)' }];
      if (user.roles.some((r) => r === 'eligibility_staff' || r === 'supervisor')) items.unshift({ counterpart: 'juki', label: '住民基本台帳 (模擬)' });
      return ok({ items });
    }
    if (path === '/simulators/shinsa/advance' && method === 'POST') {
      if (!worker) return err(403, 'forbidden', '認定を扱う権限がありません');
      const days = Number((await body()).days);
      if (!Number.isInteger(days) || days < 1 || days > 366) return err(400, 'invalid_input', 'days must be 1..366', 'days');
      return ok({ summary: advance(days) });
    }
    if (!path.startsWith('/certification/')) return undefined;
    let m: RegExpExecArray | null;
    if ((m = /^\/certification\/persons\/([^/]+)$/.exec(path)) && method === 'GET') {
      if (!user.roles.some((r) => READERS.has(r))) return err(403, 'forbidden', '認定の情報を見る権限がありません');
      const id = decodeURIComponent(m[1]);
      if (!people.some((p) => p.person_id === id)) return err(404, 'not_found', '該当する宛名がありません');
      return ok({ person_id: id, certifications: certs.filter((c) => c.person_id === id).map(certView).reverse(), applications: apps.filter((a) => a.person.person_id === id).map(row).reverse() });
    }
    if (!worker) return err(403, 'forbidden', '認定を扱う権限がありません');
    const t = today();

    if (path === '/certification/masters' && method === 'GET')
      return ok({ contractors: CONTRACTORS, institutions: INSTITUTIONS, members: MEMBERS, specified_diseases: DISEASES, care_levels: LEVELS.map((code) => ({ code, label: careLevelLabel(code) })), kinds: ['new', 'renewal', 'change', 'ex_officio', 'transfer'].map((code) => ({ code, label: kindLabel(code) })), assessment_items: ITEMS });
    if (path === '/certification/applications' && method === 'GET') return list(params);
    if (path === '/certification/applications' && method === 'POST') {
      const b = await body();
      const p = people.find((x) => x.person_id === b.person_id);
      if (!p) return err(400, 'invalid_input', '対象者が見つかりません', 'person_id');
      const kind = String(b.kind ?? '');
      if (!['new', 'renewal', 'change', 'ex_officio', 'transfer'].includes(kind)) return err(400, 'invalid_input', 'kind is not known', 'kind');
      const applied = String(b.applied_on ?? '');
      if (!ISO.test(applied) || applied > t) return err(400, 'invalid_input', '申請日が正しくありません', 'applied_on');
      if (!['home', 'facility'].includes(String(b.place))) return err(400, 'invalid_input', 'place must be home or facility', 'place');
      if (!String(b.applicant_relation ?? '').trim()) return err(400, 'invalid_input', '申請者を指定してください', 'applicant_relation');
      const category = categoryOn(p.birth_date, applied);
      if (!category) return err(400, 'invalid_input', '40歳未満の方は申請できません', 'person_id');
      if (!p.insured_no && category === '1') return err(409, 'conflict', '被保険者番号がありません (資格を確認してください)', 'person_id');
      const disease = b.specified_disease ? String(b.specified_disease) : null;
      if (category === '2' && !DISEASES.some((d) => d.code === disease)) return err(400, 'invalid_input', '第2号被保険者は特定疾病が必要です', 'specified_disease');
      if ((kind === 'change' || kind === 'ex_officio') && !String(b.reason ?? '').trim()) return err(400, 'invalid_input', '理由を入力してください', 'reason');
      if (apps.some((a) => a.person.person_id === p.person_id && isOpen(a))) return err(409, 'conflict', 'この方には処理中の申請があります', 'person_id');
      const a = addApp(p, kind, applied, String(b.place), String(b.applicant_relation), disease, String(b.reason ?? ''));
      if (category === '2') Object.assign(a, { insurance_check: 'pending', arrears_check: 'pending' });
      return ok(full(a), 201);
    }
    if ((m = /^\/certification\/applications\/(\d+)(?:\/(.+))?$/.exec(path))) {
      const a = apps.find((x) => x.application_id === Number(m![1]));
      if (!a) return err(404, 'not_found', '該当する申請がありません');
      const rest = m[2] ?? '';
      if (!rest && method === 'GET') {
        // 第2号の照会 answer a moment after intake, as the gateway would.
        if (a.insurance_check === 'pending') Object.assign(a, { insurance_check: 'insured', arrears_check: 'none' });
        return ok(full(a));
      }
      if (rest === 'withdraw' && method === 'POST') {
        const reason = String((await body()).reason ?? '').trim();
        if (!reason) return err(400, 'invalid_input', '理由を入力してください', 'reason');
        if (!['received', 'investigating', 'ready'].includes(a.status)) return err(409, 'conflict', 'この申請は取り下げられません');
        Object.assign(a, { status: 'withdrawn', withdrawn_on: t, withdraw_reason: reason });
        return ok(full(a));
      }
      if (rest === 'postponements' && method === 'POST') {
        const b = await body();
        const reason = String(b.reason ?? '').trim();
        const expected = String(b.expected_on ?? '');
        if (!reason) return err(400, 'invalid_input', '理由を入力してください', 'reason');
        if (!ISO.test(expected) || expected <= deadline(a)) return err(400, 'invalid_input', '処理見込期日は期限より後の日です', 'expected_on');
        if (!isOpen(a)) return err(409, 'conflict', '決定済の申請は延期できません');
        const pp = { postponement_id: nextId(), reason, expected_on: expected, issued_on: t, issued_by: user.user_id };
        a.postponements.push(pp);
        a.documents.push({ document_id: ++documentSeq, kind: 'postponement_notice', kind_label: '延期通知書', issued_on: t, issued_by: user.user_id });
        return ok(pp, 201);
      }
      if ((m = /^postponements\/(\d+)\/notice\.pdf$/.exec(rest)) && method === 'GET') {
        if (!a.postponements.some((p) => p.postponement_id === Number(m![1]))) return err(404, 'not_found', '該当する延期通知がありません');
        return { status: 200, text: tinyPdf('postponement'), headers: { 'Content-Type': 'application/pdf' } };
      }
      if (rest === 'assessment-request' && method === 'POST') {
        const b = await body();
        if (!['received', 'investigating'].includes(a.status)) return err(409, 'conflict', 'この申請には調査を依頼できません');
        if (a.assessments.some((x) => x.status !== 'cancelled')) return err(409, 'conflict', '調査は依頼済です');
        const kind = String(b.assessor_kind ?? '');
        if (kind !== 'contractor' && kind !== 'city') return err(400, 'invalid_input', 'assessor_kind must be contractor or city', 'assessor_kind');
        const code = b.contractor_code ? String(b.contractor_code) : null;
        if (kind === 'contractor' && !CONTRACTORS.some((c) => c.code === code)) return err(400, 'invalid_input', '委託先が見つかりません', 'contractor_code');
        if (kind === 'city' && !String(b.assessor_name ?? '').trim()) return err(400, 'invalid_input', '調査員を入力してください', 'assessor_name');
        return ok(requestAssessment(a, kind, kind === 'contractor' ? code : null, String(b.assessor_name ?? ''), t, b.due_on ? String(b.due_on) : null), 201);
      }
      if (rest === 'opinion-request' && method === 'POST') {
        const b = await body();
        if (!['received', 'investigating'].includes(a.status)) return err(409, 'conflict', 'この申請には意見書を依頼できません');
        if (a.opinions.some((x) => x.status !== 'cancelled')) return err(409, 'conflict', '意見書は依頼済です');
        if (!INSTITUTIONS.some((c) => c.code === b.institution_code)) return err(400, 'invalid_input', '医療機関が見つかりません', 'institution_code');
        if (!String(b.doctor_name ?? '').trim()) return err(400, 'invalid_input', '主治医を入力してください', 'doctor_name');
        return ok(requestOpinion(a, String(b.institution_code), String(b.doctor_name), b.first_visit === true, t), 201);
      }
      if (rest === 'notice' && method === 'POST') {
        if (a.status !== 'decided') return err(409, 'conflict', a.status === 'notified' ? '通知済です' : 'まだ決定していません');
        const document_id = issueNotice(a, t, user.user_id);
        return ok({ document_id, person_id: a.person.person_id, kind: 'result_notice', issued_on: t, issued_by: user.user_id, exchange_id: null, reprint: false, pdf: `/api/v1/certification/documents/${document_id}.pdf` }, 201);
      }
      return err(404, 'not_found', `no route ${method} ${path}`);
    }
    if ((m = /^\/certification\/documents\/(\d+)\.pdf$/.exec(path)) && method === 'GET') {
      if (Number(m[1]) > documentSeq || Number(m[1]) < 1) return err(404, 'not_found', '該当する書類がありません');
      return { status: 200, text: tinyPdf(`document-${m[1]}`), headers: { 'Content-Type': 'application/pdf' } };
    }
    if (path === '/certification/notice-runs' && method === 'POST') {
      const due = apps.filter((a) => a.status === 'decided');
      if (due.length === 0) return ok({ batch_run_id: 0, status: 'nothing_to_notice', notices: 0, cards: 0, pdf: null });
      for (const a of due) issueNotice(a, t, user.user_id);
      const run = { batch_run_id: nextId(), job: 'certification_result_notices', run_key: t, status: 'done', documents: due.length, print_file: true, pdf: `/api/v1/certification/documents/${documentSeq}.pdf`, started_at: `${t}T10:00:00+09:00`, finished_at: `${t}T10:00:02+09:00`, started_by: user.user_id };
      printRuns.unshift(run);
      return ok({ batch_run_id: run.batch_run_id, status: 'done', notices: due.length, cards: due.filter((a) => a.certification_id).length, pdf: run.pdf }, 201);
    }
    if (path === '/certification/print-runs' && method === 'GET') return ok({ items: printRuns });
    if ((m = /^\/certification\/persons\/([^/]+)\/entitlement-certificate$/.exec(path)) && method === 'POST') {
      const id = decodeURIComponent(m[1]);
      const cert = certs.find((c) => c.person_id === id && c.status === 'current');
      if (!cert) return err(409, 'conflict', '有効な認定がありません', 'person_id');
      const b = await body();
      if (b.moved_out_on !== undefined && !ISO.test(String(b.moved_out_on))) return err(400, 'invalid_input', '転出日が正しくありません', 'moved_out_on');
      const document_id = ++documentSeq;
      return ok({ document_id, person_id: id, kind: 'entitlement_certificate', issued_on: t, issued_by: user.user_id, exchange_id: ++exchangeSeq, reprint: false, pdf: `/api/v1/certification/documents/${document_id}.pdf` }, 201);
    }
    if (path === '/certification/sessions' && method === 'GET')
      return ok({ items: sessions.map((s) => ({ session_id: s.session_id, session_no: s.session_no, panel: s.panel, held_on: s.held_on, status: s.status, cases: s.cases.length, decided: s.cases.filter((c) => c.outcome === 'decided').length, deferred: s.cases.filter((c) => c.outcome === 'deferred').length, members: s.members.length })) });
    if (path === '/certification/sessions' && method === 'POST') {
      const b = await body();
      const panel = String(b.panel ?? '').trim();
      const held = String(b.held_on ?? '');
      const members = Array.isArray(b.members) ? (b.members as { member_code: string; role: string }[]) : [];
      if (!panel) return err(400, 'invalid_input', '合議体を入力してください', 'panel');
      if (!ISO.test(held)) return err(400, 'invalid_input', '開催日が正しくありません', 'held_on');
      if (members.length === 0) return err(400, 'invalid_input', '委員を選んでください', 'members');
      const bad = members.findIndex((x) => !MEMBERS.some((y) => y.member_code === x.member_code));
      if (bad >= 0) return err(400, 'invalid_input', '委員が見つかりません', `members[${bad}].member_code`);
      if (members.filter((x) => x.role === 'chair').length !== 1) return err(400, 'invalid_input', '会長を1人選んでください', 'members');
      return ok(sessionView(newSession(panel, held, members)), 201);
    }
    if ((m = /^\/certification\/sessions\/(\d+)(?:\/(cases|request))?$/.exec(path))) {
      const s = sessions.find((x) => x.session_id === Number(m![1]));
      if (!s) return err(404, 'not_found', '該当する審査会がありません');
      if (!m[2] && method === 'GET') return ok(sessionView(s));
      if (m[2] === 'cases' && method === 'POST') {
        if (s.status !== 'planned') return err(409, 'conflict', '依頼済の審査会には追加できません');
        const ids = (await body()).application_ids;
        if (!Array.isArray(ids) || ids.length === 0) return err(400, 'invalid_input', '申請を選んでください', 'application_ids');
        const list = ids.map((id) => apps.find((a) => a.application_id === Number(id)));
        const bad = list.findIndex((a) => !a || a.status !== 'ready' || s.cases.some((c) => c.application_id === a.application_id));
        if (bad >= 0) return err(400, 'invalid_input', '審査会待ちの申請ではありません', `application_ids[${bad}]`);
        addCases(s, list as MockApp[]);
        return ok(sessionView(s));
      }
      if (m[2] === 'request' && method === 'POST') {
        if (s.status !== 'planned') return err(409, 'conflict', '送付済です');
        if (s.cases.length === 0) return err(409, 'conflict', '審査対象がありません');
        sendSession(s, t);
        return ok(sessionView(s));
      }
    }
    if (path === '/certification/report' && method === 'GET') {
      const from = params.get('from') ?? '';
      const to = params.get('to') ?? '';
      if (!/^\d{4}-\d{2}$/.test(from)) return err(400, 'invalid_input', 'from must be YYYY-MM', 'from');
      if (!/^\d{4}-\d{2}$/.test(to)) return err(400, 'invalid_input', 'to must be YYYY-MM', 'to');
      return ok(report(from, to));
    }
    if (path === '/certification/renewals' && method === 'GET') {
      const within = Number(params.get('within_days')) || 60;
      const items = certs
        .filter((c) => c.status === 'current' && c.valid_to >= t && c.valid_to <= addDaysIso(t, within))
        .sort((a, b) => a.valid_to.localeCompare(b.valid_to))
        .map((c) => {
          const p = people.find((x) => x.person_id === c.person_id)!;
          const renewal = apps.find((a) => a.person.person_id === c.person_id && a.kind === 'renewal' && a.status !== 'withdrawn');
          return {
            certification_id: c.certification_id, person_id: c.person_id, name: p.name_kanji, name_kana: p.name_kana, insured_no: p.insured_no ?? '', care_level: c.care_level,
            care_level_label: careLevelLabel(c.care_level), valid_from: c.valid_from, valid_to: c.valid_to, renewal_opens: addDaysIso(c.valid_to, -59), days_left: daysBetween(t, c.valid_to),
            renewal_application: renewal ? { application_id: renewal.application_id, application_no: renewal.application_no, status: renewal.status } : null,
            reminder: c.reminder_id ? { document_id: c.reminder_id, issued_on: c.reminded_on ?? t } : null,
          };
        });
      return ok({ items });
    }
    if (path === '/certification/renewal-reminders' && method === 'POST') {
      const due = certs.filter((c) => c.status === 'current' && !c.reminded_on && c.valid_to >= t && c.valid_to <= addDaysIso(t, 60) && !apps.some((a) => a.person.person_id === c.person_id && a.kind === 'renewal'));
      const ids = due.map((c) => {
        c.reminded_on = t;
        c.reminder_id = ++documentSeq;
        return c.reminder_id;
      });
      return ok({ issued: ids.length, document_ids: ids, pdf: ids.length ? `/api/v1/certification/documents/${ids[0]}.pdf` : null });
    }
    if (path === '/certification/results-to-welfare' && method === 'POST') {
      const rows = certs.length - welfareCursor;
      welfareCursor = certs.length;
      return ok({ rows, exchange_id: rows ? ++exchangeSeq : null });
    }
    if (path === '/certification/fees' && method === 'GET') {
      const sent = params.get('sent') === 'true';
      const items = fees.filter((f) => (f.exchange_id !== null) === sent);
      return ok({ items, total_amount: items.reduce((sum, f) => sum + f.amount, 0) });
    }
    if (path === '/certification/fee-runs' && method === 'POST') {
      const files = ['NT-15', 'NT-16', 'NT-17'].flatMap((flow_id) => {
        const unsent = fees.filter((f) => f.flow_id === flow_id && f.exchange_id === null);
        if (unsent.length === 0) return [];
        const exchange_id = ++exchangeSeq;
        for (const f of unsent) f.exchange_id = exchange_id;
        return [{ flow_id, rows: unsent.length, total: unsent.reduce((s, f) => s + f.amount, 0), exchange_id }];
      });
      return ok({ files });
    }
    return err(404, 'not_found', `no route ${method} ${path}`);
  };
}
