// Pure helpers of the 認定 screens: the clock (badge, days left, the 30-day bar), the list's filter
// tabs, the labels of the codes the certification API sends, the actions an application's status
// allows, the intake form's checks, minutes and units as staff read them, and the report's months.
// The deadline itself (申請日 + 30日, 法27条11項) is the server's: the screens only show it.
import { parseDateInput, toWareki } from './format';
import type { Application, ApplicationRow, Clock, HomeAssessment, PhysicianOpinion } from './certification_types';

// ---- the clock -------------------------------------------------------------------------------

const CLOCK_LABELS: Record<Clock, string> = {
  on_time: '期限内',
  warning: '期限間近',
  overdue: '期限超過',
  postponed: '延期中',
  done: '決定済',
};

export function clockLabel(clock: string): string {
  return CLOCK_LABELS[clock as Clock] ?? clock;
}

/**
 * What the badge says: the clock and its days in one short phrase, so a row is read at a glance —
 * `残り12日`, `期限間近 残り3日`, `本日期限`, `期限超過 3日`, `延期中 見込12/20` (`…を超過` once that day
 * too has passed), `決定 32日`, `取下げ`.
 */
export function clockText(
  row: Pick<ApplicationRow, 'clock' | 'days_left' | 'days_elapsed' | 'postponed_until'> & { status?: string },
  today = todayIso(),
): string {
  switch (row.clock) {
    case 'done':
      return row.status === 'withdrawn' ? '取下げ' : `決定 ${row.days_elapsed}日`;
    case 'postponed':
      if (!row.postponed_until) return '延期中';
      return `延期中 見込${shortDate(row.postponed_until)}${row.postponed_until < today ? 'を超過' : ''}`;
    case 'overdue':
      return `期限超過 ${Math.max(1, -row.days_left)}日`;
    case 'warning':
      return row.days_left > 0 ? `期限間近 残り${row.days_left}日` : '本日期限';
    default:
      return row.days_left > 0 ? `残り${row.days_left}日` : row.days_left === 0 ? '本日期限' : `${-row.days_left}日超過`;
  }
}

/** `2026-12-20` → `12/20` (the year is the current one in these lists). */
export function shortDate(iso: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${Number(m[1])}/${Number(m[2])}` : iso;
}

/** The badge's tone: the CSS class suffix. Overdue is red, warning amber, postponed violet. */
export function clockTone(clock: string): string {
  return clock in CLOCK_LABELS ? clock : 'on_time';
}

/**
 * Today in Japan as ISO, whatever the browser's zone: the server's business day (core/clock.hpp:
 * JST, UTC+9, no daylight saving), so a default date is never a day behind the server's checks.
 */
export function todayIso(now = new Date()): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (ISO dates): 2026-11-02 → 2026-12-02 is 30. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDaysIso(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The 30-day bar of one application: how many days the deadline allows (申請日 → 期限), how many
 * have gone, and the share of the bar each part fills (elapsed beyond the deadline shows as the
 * overrun part, so a late application's bar is visibly longer than the allowed span).
 */
export function clockBar(appliedOn: string, deadlineOn: string, daysElapsed: number): { allowed: number; elapsed: number; overrun: number; elapsedPct: number; overrunPct: number } {
  const allowed = Math.max(1, daysBetween(appliedOn, deadlineOn));
  const elapsed = Math.max(0, daysElapsed);
  const overrun = Math.max(0, elapsed - allowed);
  const span = allowed + overrun;
  return {
    allowed,
    elapsed,
    overrun,
    elapsedPct: Math.round((Math.min(elapsed, allowed) * 1000) / span) / 10,
    overrunPct: Math.round((overrun * 1000) / span) / 10,
  };
}

// ---- the list's filter tabs -----------------------------------------------------------------

/** The tabs of #/certification, in the order staff work through them; `filter` is the API's. */
export const FILTERS: readonly { filter: string; label: string }[] = [
  { filter: 'open', label: '未決定' },
  { filter: 'warning', label: '期限間近' },
  { filter: 'overdue', label: '期限超過' },
  { filter: 'postponed', label: '延期中' },
  { filter: 'waiting_assessment', label: '調査待ち' },
  { filter: 'waiting_opinion', label: '意見書待ち' },
  { filter: 'ready', label: '審査会待ち' },
  { filter: 'scheduled', label: '審査会予定' },
  { filter: 'decided', label: '通知待ち' },
  { filter: 'all', label: '全件' },
];

export function filterOf(query: Record<string, string>): string {
  return FILTERS.some((f) => f.filter === query.filter) ? query.filter : 'open';
}

/** The tab a tone: the tabs that mean trouble are coloured like the badges. */
export function filterTone(filter: string): string {
  return filter === 'overdue' ? 'overdue' : filter === 'warning' ? 'warning' : filter === 'postponed' ? 'postponed' : '';
}

// ---- code labels ------------------------------------------------------------------------------

const KIND_LABELS: Record<string, string> = {
  new: '新規',
  renewal: '更新',
  change: '区分変更',
  ex_officio: '職権',
  transfer: '転入 (受給資格証明書)',
};
export const KINDS: readonly string[] = ['new', 'renewal', 'change', 'ex_officio', 'transfer'];

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

const STATUS_LABELS: Record<string, string> = {
  received: '受付',
  investigating: '調査・意見書依頼中',
  ready: '審査会待ち',
  scheduled: '審査会予定',
  decided: '決定 (通知待ち)',
  notified: '通知済',
  withdrawn: '取下げ',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

const CARE_LEVEL_LABELS: Record<string, string> = {
  none: '非該当',
  support_1: '要支援1',
  support_2: '要支援2',
  care_1: '要介護1',
  care_2: '要介護2',
  care_3: '要介護3',
  care_4: '要介護4',
  care_5: '要介護5',
};

/** Care level code → 要介護1 …; an unknown code as sent, null → ''. */
export function careLevelLabel(level: string | null | undefined): string {
  if (!level) return '';
  return CARE_LEVEL_LABELS[level] ?? level;
}

export const PLACES: readonly [string, string][] = [
  ['home', '在宅'],
  ['facility', '施設'],
];

export function placeLabel(place: string): string {
  return PLACES.find(([c]) => c === place)?.[1] ?? place;
}

/** 申請者 (the person who filed it, 法27条1項: 本人 or on their behalf, 施行規則35条). Stored as written. */
export const APPLICANT_RELATIONS: readonly string[] = ['本人', '家族', '地域包括支援センター', '居宅介護支援事業者', '施設', '職権'];

const ASSESSOR_LABELS: Record<string, string> = { contractor: '委託 (事業者)', city: '市職員' };
export function assessorKindLabel(kind: string): string {
  return ASSESSOR_LABELS[kind] ?? kind;
}

const REQUEST_STATUS_LABELS: Record<string, string> = { requested: '依頼中', received: '受領', cancelled: '取消' };
export function requestStatusLabel(status: string): string {
  return REQUEST_STATUS_LABELS[status] ?? status;
}

const INSURANCE_CHECK: Record<string, string> = {
  not_needed: '不要 (第1号)',
  pending: '照会中',
  insured: '加入あり',
  not_insured: '加入なし',
  failed: '照会失敗 (再照会が必要)',
  rejected: '回答を適用できず',
};
export function insuranceCheckLabel(v: string): string {
  return INSURANCE_CHECK[v] ?? v;
}

const ARREARS_CHECK: Record<string, string> = {
  not_needed: '不要 (第1号)',
  pending: '照会中',
  none: '滞納なし',
  in_arrears: '滞納あり',
  failed: '照会失敗 (再照会が必要)',
  rejected: '回答を適用できず',
};
export function arrearsCheckLabel(v: string, months: number | null = null): string {
  const label = ARREARS_CHECK[v] ?? v;
  return v === 'in_arrears' && months ? `${label} (${months}か月)` : label;
}

/** Whether a check result needs a look: 加入なし, 滞納あり, or an inquiry that failed. */
export function checkIsBad(v: string): boolean {
  return v === 'not_insured' || v === 'in_arrears' || v === 'failed' || v === 'rejected';
}

const DOCUMENT_LABELS: Record<string, string> = {
  result_notice: '認定結果通知書',
  postponement_notice: '延期通知書',
  entitlement_certificate: '受給資格証明書',
  renewal_reminder: '更新申請のお知らせ',
};
export function documentKindLabel(kind: string): string {
  return DOCUMENT_LABELS[kind] ?? kind;
}

const SESSION_STATUS: Record<string, string> = { planned: '準備中', requested: '審査判定依頼済', decided: '判定済', cancelled: '中止' };
export function sessionStatusLabel(status: string): string {
  return SESSION_STATUS[status] ?? status;
}

const OUTCOME_LABELS: Record<string, string> = { decided: '判定', deferred: '再審査' };
export function caseOutcomeLabel(outcome: string | null): string {
  return outcome ? (OUTCOME_LABELS[outcome] ?? outcome) : '判定待ち';
}

export function memberRoleLabel(role: string): string {
  return role === 'chair' ? '会長 (合議体長)' : role === 'member' ? '委員' : role;
}

const PRINT_JOBS: Record<string, string> = {
  certification_result_notices: '認定結果通知書 (NT-13)',
  certification_entitlement_certificates: '受給資格証明書 (NT-06)',
  certification_renewal_reminders: '更新申請のお知らせ',
};
export function printJobLabel(job: string): string {
  return PRINT_JOBS[job] ?? job;
}

const FLOW_LABELS: Record<string, string> = {
  'NT-15': '審査会委員報酬',
  'NT-16': '認定調査委託料',
  'NT-17': '主治医意見書作成料',
};
export function feeFlowLabel(flow: string): string {
  return FLOW_LABELS[flow] ?? flow;
}

// ---- numbers ----------------------------------------------------------------------------------

/** 要介護認定等基準時間 in tenths of a minute → `45.3分` (as the national software prints it). */
export function minutesText(tenths: number | null | undefined): string {
  if (tenths === null || tenths === undefined) return '';
  return `${Math.trunc(tenths / 10)}.${Math.abs(tenths % 10)}分`;
}

/** 区分支給限度基準額: `16,765単位/月`. */
export function unitsText(units: number): string {
  return `${units.toLocaleString('ja-JP')}単位/月`;
}

/** A share 0..1 → `83%`; null → '—'. */
export function percentText(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${Math.round(share * 100)}%`;
}

/** A mean of days → `38.5日`; null → '—'. */
export function daysText(days: number | null | undefined): string {
  if (days === null || days === undefined) return '—';
  return `${Number.isInteger(days) ? days : days.toFixed(1)}日`;
}

/** The width (0–100) of a bar of `value` on a scale up to `max`. */
export function barPercent(value: number | null | undefined, max: number): number {
  if (!value || max <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((value * 100) / max)));
}

/** 和暦 of a validity period: `令和8年11月2日〜令和9年5月31日`. */
export function validityText(from: string | null | undefined, to: string | null | undefined): string {
  if (!from) return '';
  return `${toWareki(from)}〜${toWareki(to ?? '')}`;
}

// ---- what an application allows --------------------------------------------------------------

const OPEN = new Set(['received', 'investigating', 'ready', 'scheduled']);

export function isOpen(status: string): boolean {
  return OPEN.has(status);
}

/** The live request of a kind: the newest one not cancelled. */
export function liveRequest<T extends HomeAssessment | PhysicianOpinion>(requests: readonly T[]): T | undefined {
  return [...requests].reverse().find((r) => r.status !== 'cancelled');
}

export interface Actions {
  assessment: boolean; // 認定調査依頼 (NT-07)
  opinion: boolean; // 主治医意見書依頼 (NT-09)
  postpone: boolean; // 延期通知
  withdraw: boolean; // 取下げ
  notice: boolean; // 結果通知 (NT-13)
}

/**
 * The buttons of one application. Requests only while the case is being investigated and none of
 * that kind is live; 延期通知 while undecided (the law wants it once the 30 days cannot be kept,
 * 法27条11項ただし書 — staff often know that before day 30); 取下げ before a session has the case;
 * 結果通知 once decided. A transfer (受給資格証明書) is decided at intake and needs none of it.
 */
export function actionsFor(a: Pick<Application, 'status' | 'assessments' | 'opinions'>): Actions {
  const investigating = a.status === 'received' || a.status === 'investigating';
  return {
    assessment: investigating && !liveRequest(a.assessments),
    opinion: investigating && !liveRequest(a.opinions),
    postpone: isOpen(a.status),
    withdraw: investigating || a.status === 'ready',
    notice: a.status === 'decided',
  };
}

/** Who works applications (the server's certification_workers). */
export function canWorkCertification(roles: readonly string[]): boolean {
  return roles.includes('certification_staff') || roles.includes('supervisor');
}

// ---- 第1号 / 第2号 and the intake form ------------------------------------------------------

/**
 * 第1号 from the day before the 65th birthday (年齢計算ニ関スル法律: one reaches an age the day
 * before the birthday; 介護保険法9条), 第2号 from the day before the 40th; '' below 40.
 */
export function categoryOn(birthDate: string, on: string): '1' | '2' | '' {
  const reach = (age: number) => {
    const y = Number(birthDate.slice(0, 4)) + age;
    // The birthday in that year (29 February → 1 March in a common year), minus one day.
    const md = birthDate.slice(5);
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const birthday = md === '02-29' && !leap ? `${y}-03-01` : `${y}-${md}`;
    return addDaysIso(birthday, -1);
  };
  if (on >= reach(65)) return '1';
  if (on >= reach(40)) return '2';
  return '';
}

export interface IntakeInput {
  kind: string;
  applied_on: string; // as typed
  place: string;
  applicant_relation: string;
  specified_disease: string;
  reason: string;
  category: '1' | '2' | '';
}

export type IntakeCheck = { ok: true; applied_on: string } | { ok: false; field: string; message: string };

/** The checks made before sending (the server checks again and names its field the same way). */
export function checkIntake(v: IntakeInput, today = todayIso()): IntakeCheck {
  if (!v.kind) return { ok: false, field: 'kind', message: '申請の種類を選んでください' };
  const applied = parseDateInput(v.applied_on);
  if (!applied) return { ok: false, field: 'applied_on', message: '申請日を正しい日付で入力してください (例: 2026-11-02, R8.11.2)' };
  if (applied > today) return { ok: false, field: 'applied_on', message: '申請日に未来の日付は指定できません' };
  if (!v.place) return { ok: false, field: 'place', message: '居所 (在宅・施設) を選んでください' };
  if (!v.applicant_relation) return { ok: false, field: 'applicant_relation', message: '申請者を選んでください' };
  if (v.category === '2' && !v.specified_disease)
    return { ok: false, field: 'specified_disease', message: '第2号被保険者の申請には特定疾病が必要です (介護保険法7条3項2号)' };
  if ((v.kind === 'change' || v.kind === 'ex_officio') && !v.reason.trim())
    return { ok: false, field: 'reason', message: `${kindLabel(v.kind)}の理由を入力してください` };
  return { ok: true, applied_on: applied };
}

// ---- the report's months --------------------------------------------------------------------

/** `YYYY-MM` of a date. */
export function monthOf(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** The month `n` months before `ym` (`2026-02`, 3 → `2025-11`). */
export function monthsBefore(ym: string, n: number): string {
  const [y, m] = ym.split('-').map(Number);
  const total = y * 12 + (m - 1) - n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** `2026-11` → `令和8年11月`. */
export function monthLabel(ym: string): string {
  const w = toWareki(`${ym}-01`);
  const m = /^(.+?年\d+月)/.exec(w);
  return m ? m[1] : ym;
}

/** Accepts `2026-11`, `2026/11`, `202611` → `2026-11`; null otherwise. */
export function parseMonth(text: string): string | null {
  const m = /^(\d{4})[-/.]?(\d{1,2})$/.exec(text.trim().normalize('NFKC'));
  if (!m) return null;
  const mo = Number(m[2]);
  return mo >= 1 && mo <= 12 ? `${m[1]}-${String(mo).padStart(2, '0')}` : null;
}

// ---- the 74 items ---------------------------------------------------------------------------

/**
 * The assessment items grouped for display: by the master's group when known, else by the first
 * number of the code (第1群 …); each value with its choice's label when the master has it.
 */
export function groupItems(
  items: Record<string, string>,
  master: readonly { code: string; group: string; name: string; choices?: { value: string; label: string }[] }[] = [],
): { group: string; rows: { code: string; name: string; value: string; label: string }[] }[] {
  const byCode = new Map(master.map((m) => [m.code, m]));
  const order = (code: string) => code.split('-').map((p) => Number(p) || 0);
  const codes = Object.keys(items).sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
  const groups: { group: string; rows: { code: string; name: string; value: string; label: string }[] }[] = [];
  for (const code of codes) {
    const m = byCode.get(code);
    const group = m?.group ?? `第${code.split('-')[0]}群`;
    let g = groups.find((x) => x.group === group);
    if (!g) groups.push((g = { group, rows: [] }));
    g.rows.push({ code, name: m?.name ?? '', value: items[code], label: m?.choices?.find((c) => c.value === items[code])?.label ?? '' });
  }
  return groups;
}

/** An open application past its deadline with no 延期通知 covering today: the law's notice is missing. */
export function needsPostponement(a: Pick<ApplicationRow, 'clock' | 'status'>): boolean {
  return a.clock === 'overdue' && isOpen(a.status);
}
