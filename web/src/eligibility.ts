// Pure helpers of the 資格 screens: labels of the few codes the server does not label, periods
// and revision diffs as text, and the checks the forms run before anything is sent.
// Reason/kind labels come from the server (`*_label`, GET /code-lists/eligibility); the tables
// here are only for what the contract leaves to the UI (sources, case states, the case form).
import { parseDateInput, toWareki } from './format';
import type { Code, Period, PeriodChange } from './eligibility_types';

/** '1' → 第1号, '2' → 第2号 (介護保険法9条). */
export function categoryLabel(category: string | null | undefined): string {
  return category === '1' ? '第1号' : category === '2' ? '第2号' : (category ?? '');
}

const SOURCE_LABELS: Record<string, string> = {
  juki: '住基',
  counter_case: '窓口',
  staff: '職権',
  fukushi: '福祉',
  inquiry: '番号連携',
  synthetic_city: '模擬データ',
};

/** Where a fact or revision came from: 住基 / 窓口 / 職権 …; an unknown source as sent. */
export function sourceLabel(source: string | null | undefined): string {
  return SOURCE_LABELS[source ?? ''] ?? source ?? '';
}

const CASE_STATUS_LABELS: Record<string, string> = { open: '受付中', completed: '完了', cancelled: '取消' };

export function caseStatusLabel(status: string): string {
  return CASE_STATUS_LABELS[status] ?? status;
}

/** The movement kinds a counter case may be opened for (docs/api-eligibility.md), in form order. */
export const MOVEMENT_KINDS: readonly Code[] = [
  { code: 'move_in', label: '転入' },
  { code: 'certificate_move_in', label: '転入 (受給資格証明書あり)' },
  { code: 'move_out', label: '転出' },
  { code: 'emigration', label: '国外転出' },
  { code: 'relocation', label: '転居' },
  { code: 'death', label: '死亡' },
  { code: 'birth', label: '出生' },
  { code: 'name_change', label: '氏名変更' },
  { code: 'household_change', label: '世帯変更' },
  { code: 'former_address_rule_start', label: '住所地特例 開始' },
  { code: 'former_address_rule_end', label: '住所地特例 終了' },
  { code: 'exemption_start', label: '適用除外 開始' },
  { code: 'exemption_end', label: '適用除外 終了' },
  { code: 'medical_insurance_change', label: '医療保険 異動' },
];

/** Kinds that may be opened for somebody the city does not know yet (新規: no 宛名番号). */
export const NEWCOMER_KINDS: ReadonlySet<string> = new Set(['move_in', 'certificate_move_in', 'birth']);

export const NOTIFIERS: readonly string[] = ['本人', '世帯員', '代理人'];

/** The inquiries a case may send, with the flow each one is (flows.md §(1)). */
export const CASE_INQUIRY_KINDS: readonly { kind: string; flow: string; label: string }[] = [
  { kind: 'city_resident', flow: 'SK-04', label: '前住所地 住民票関係情報' },
  { kind: 'city_certificate', flow: 'SK-08', label: '受給資格証明書情報' },
  { kind: 'city_former_address_rule', flow: 'SK-10', label: '住所地特例情報' },
  { kind: 'iryo_insurance', flow: 'SK-12', label: '医療保険情報' },
  { kind: 'pref_public_assistance', flow: 'SK-14', label: '生活保護・中国残留邦人等情報' },
];

export function caseInquiryLabel(kind: string): string {
  const k = CASE_INQUIRY_KINDS.find((x) => x.kind === kind);
  return k ? `${k.flow} ${k.label}` : kind;
}

/** Label of a code in a server list; the code itself when the list does not know it. */
export function codeLabel(list: readonly Code[] | undefined, code: string | null | undefined): string {
  if (!code) return '';
  return list?.find((c) => c.code === code)?.label ?? code;
}

export interface ReasonLabels {
  acquisition_reasons?: readonly Code[];
  loss_reasons?: readonly Code[];
}

/** A date in 和暦, or 現在 for an open end. */
function endText(iso: string | null | undefined): string {
  return iso ? toWareki(iso) : '現在';
}

/**
 * One period on one line: `第1号 令和6年4月1日〜令和8年10月2日 (取得 転入・喪失 転出)`. 喪失日 is the
 * first day not insured (法11条), shown as stored.
 */
export function periodText(p: Period, labels: ReasonLabels = {}): string {
  const acq = p.acquisition_reason_label || codeLabel(labels.acquisition_reasons, p.acquisition_reason);
  const loss = p.loss_reason ? p.loss_reason_label || codeLabel(labels.loss_reasons, p.loss_reason) : '';
  const reasons = loss ? `取得 ${acq}・喪失 ${loss}` : `取得 ${acq}`;
  return `${categoryLabel(p.category)} ${toWareki(p.acquired_on)}〜${p.lost_on ? toWareki(p.lost_on) : ''} (${reasons})`;
}

export interface FieldDiff {
  field: string;
  label: string;
  before: string;
  after: string;
}

/** The fields of a changed period that differ, each as Japanese text before → after. */
export function periodDiff(before: Period, after: Period, labels: ReasonLabels = {}): FieldDiff[] {
  const fields: [keyof Period, string, (p: Period) => string][] = [
    ['category', '区分', (p) => categoryLabel(p.category)],
    ['acquired_on', '取得日', (p) => toWareki(p.acquired_on)],
    ['acquisition_reason', '取得事由', (p) => p.acquisition_reason_label || codeLabel(labels.acquisition_reasons, p.acquisition_reason)],
    ['lost_on', '喪失日', (p) => (p.lost_on ? toWareki(p.lost_on) : 'なし')],
    ['loss_reason', '喪失事由', (p) => (p.loss_reason ? p.loss_reason_label || codeLabel(labels.loss_reasons, p.loss_reason) : 'なし')],
  ];
  const out: FieldDiff[] = [];
  for (const [field, label, text] of fields) {
    if ((before[field] ?? null) !== (after[field] ?? null)) out.push({ field, label, before: text(before), after: text(after) });
  }
  return out;
}

/** One revision change as a line: 追加 / 削除 of a whole period, or 変更 with the fields before → after. */
export function changeText(change: PeriodChange, labels: ReasonLabels = {}): string {
  if (change.kind === 'added' && change.after) return `追加: ${periodText(change.after, labels)}`;
  if (change.kind === 'removed' && change.before) return `削除: ${periodText(change.before, labels)}`;
  if (change.kind === 'changed' && change.before && change.after) {
    const diffs = periodDiff(change.before, change.after, labels);
    const head = `${categoryLabel(change.after.category)} ${toWareki(change.before.acquired_on)}〜の期間`;
    if (diffs.length === 0) return `変更: ${head}`;
    return `変更: ${head}: ${diffs.map((d) => `${d.label} ${d.before} → ${d.after}`).join('、')}`;
  }
  return change.kind;
}

/** Today's status as one phrase: 資格あり (第1号) / 資格なし. */
export function todayText(today: { insured: boolean; category: string | null } | null | undefined): string {
  if (!today) return '';
  return today.insured ? `資格あり (${categoryLabel(today.category)})` : '資格なし';
}

/** A period's span for tables: both ends in 和暦, an open end as 現在. */
export function spanText(from: string, to: string | null | undefined): string {
  return `${toWareki(from)}〜${endText(to)}`;
}

// ---- Form checks: each answers the value to send, or the field to mark and why. ----

export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const bad = (field: string, message: string): { ok: false; field: string; message: string } => ({ ok: false, field, message });

function date(text: string, field: string, label: string): Checked<string> {
  if (!text.trim()) return bad(field, `${label}を入力してください`);
  const iso = parseDateInput(text);
  return iso ? { ok: true, value: iso } : bad(field, `${label}は 2026-04-01 または R8.4.1 の形で入力してください`);
}

/** 職権 fact: kind, date, for 転出 optionally the new city's 転入日 (not before the 転出日), and a reason. */
export function checkFactForm(f: { kind: string; on: string; new_address_on: string; reason: string }): Checked<{
  kind: string;
  on: string;
  new_address_on: string | null;
  reason: string;
}> {
  if (!f.kind) return bad('kind', '種別を選んでください');
  const on = date(f.on, 'on', '異動日');
  if (!on.ok) return on;
  let newOn: string | null = null;
  if (f.kind === 'move_out' && f.new_address_on.trim()) {
    const n = date(f.new_address_on, 'new_address_on', '転入先の転入日');
    if (!n.ok) return n;
    // 法11条ただし書: loss on the new city's 転入日, which cannot be before leaving here.
    if (n.value < on.value) return bad('new_address_on', '転入先の転入日が転出日より前です');
    newOn = n.value;
  }
  const reason = f.reason.trim();
  if (!reason) return bad('reason', '職権で記録する理由を入力してください');
  return { ok: true, value: { kind: f.kind, on: on.value, new_address_on: newOn, reason } };
}

/** A reason that must not be empty (取消, quarantine resolution). */
export function checkReason(text: string, field = 'reason', label = '理由'): Checked<string> {
  const t = text.trim();
  return t ? { ok: true, value: t } : bad(field, `${label}を入力してください`);
}

/** An end date (住所地特例 終了, 適用除外 退所): a real date, not before the start. */
export function checkEndDate(text: string, start: string, field: string, label: string): Checked<string> {
  const d = date(text, field, label);
  if (!d.ok) return d;
  return d.value < start ? bad(field, `${label}が開始日 (${toWareki(start)}) より前です`) : d;
}

const SIX_DIGITS = /^\d{6}$/;

export function checkRuleForm(f: {
  direction: string;
  facility_kind: string;
  facility_name: string;
  facility_municipality_code: string;
  other_insurer_no: string;
  started_on: string;
}): Checked<{
  direction: string;
  facility_kind: string;
  facility_name: string;
  facility_municipality_code: string;
  other_insurer_no: string;
  started_on: string;
}> {
  if (!f.direction) return bad('direction', '区分を選んでください');
  if (!f.facility_kind) return bad('facility_kind', '施設種別を選んでください');
  const name = f.facility_name.trim();
  if (!name) return bad('facility_name', '施設名を入力してください');
  const muni = f.facility_municipality_code.trim().normalize('NFKC');
  if (!SIX_DIGITS.test(muni)) return bad('facility_municipality_code', '施設所在市町村コードは6桁の数字です');
  const insurer = f.other_insurer_no.trim().normalize('NFKC');
  if (!SIX_DIGITS.test(insurer)) return bad('other_insurer_no', '相手保険者番号は6桁の数字です');
  const started = date(f.started_on, 'started_on', '開始日');
  if (!started.ok) return started;
  return {
    ok: true,
    value: { direction: f.direction, facility_kind: f.facility_kind, facility_name: name, facility_municipality_code: muni, other_insurer_no: insurer, started_on: started.value },
  };
}

export function checkExemptionForm(f: { facility_kind: string; facility_name: string; entered_on: string }): Checked<{
  facility_kind: string;
  facility_name: string;
  entered_on: string;
}> {
  if (!f.facility_kind) return bad('facility_kind', '施設種別を選んでください');
  const name = f.facility_name.trim();
  if (!name) return bad('facility_name', '施設名を入力してください');
  const entered = date(f.entered_on, 'entered_on', '入所日');
  if (!entered.ok) return entered;
  return { ok: true, value: { facility_kind: f.facility_kind, facility_name: name, entered_on: entered.value } };
}

/**
 * 新規受付 (SK-01): a kind; a person picked from the search, or — only for 転入/出生 — a newcomer;
 * 異動日 and 届出日 (not in the future: the notice has been received); who notified; for 転出 the
 * new city's 転入日 when known (not before the 転出日, 法11条ただし書).
 */
export function checkCaseForm(
  f: {
    movement_kind: string;
    person_id: string;
    newcomer: boolean;
    movement_date: string;
    notified_on: string;
    notifier: string;
    note: string;
    new_address_on?: string;
  },
  todayIso: string,
): Checked<{
  person_id: string | null;
  movement_kind: string;
  movement_date: string;
  notified_on: string;
  notifier: string;
  note: string;
  new_address_on: string | null;
}> {
  if (!f.movement_kind) return bad('movement_kind', '異動の種別を選んでください');
  let personId: string | null = null;
  if (f.newcomer) {
    if (!NEWCOMER_KINDS.has(f.movement_kind)) return bad('person_id', '宛名のない新規受付は転入・出生だけです。対象者を選んでください');
  } else {
    personId = f.person_id.trim();
    if (!/^\d{10}$/.test(personId)) return bad('person_id', '対象者を検索して選ぶか、「新規 (宛名なし)」を選んでください');
  }
  const moved = date(f.movement_date, 'movement_date', '異動日');
  if (!moved.ok) return moved;
  const notified = date(f.notified_on, 'notified_on', '届出日');
  if (!notified.ok) return notified;
  if (notified.value > todayIso) return bad('notified_on', '届出日が本日より後です');
  if (!NOTIFIERS.includes(f.notifier)) return bad('notifier', '届出人を選んでください');
  let newOn: string | null = null;
  if (f.movement_kind === 'move_out' && f.new_address_on?.trim()) {
    const n = date(f.new_address_on, 'new_address_on', '転入先の転入日');
    if (!n.ok) return n;
    if (n.value < moved.value) return bad('new_address_on', '転入先の転入日が転出日より前です');
    newOn = n.value;
  }
  return {
    ok: true,
    value: {
      person_id: personId,
      movement_kind: f.movement_kind,
      movement_date: moved.value,
      notified_on: notified.value,
      notifier: f.notifier,
      note: f.note.trim(),
      new_address_on: newOn,
    },
  };
}

/** 対象月: `2026-12`, `2026/12`, `202612` or `R8.12` → `2026-12`; null when not a month. */
export function parseMonthInput(text: string): string | null {
  const s = text.trim().normalize('NFKC');
  let m = /^(\d{4})[-/.]?(\d{1,2})$/.exec(s);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return `${m[1]}-${m[2].padStart(2, '0')}`;
  m = /^([HR])(\d{1,2}|元)[-/.](\d{1,2})$/i.exec(s);
  if (m) {
    const iso = parseDateInput(`${m[1]}${m[2]}.${m[3]}.1`);
    return iso ? iso.slice(0, 7) : null;
  }
  return null;
}

/** `2026-12` → `令和8年12月`. */
export function monthLabel(month: string): string {
  const w = toWareki(`${month}-01`);
  return w.replace(/1日$/, '');
}

/**
 * Today in Japan as ISO, whatever the browser's zone: the server's business day (core/clock.hpp:
 * JST, UTC+9, no daylight saving), so a default date is never a day behind the server's checks.
 */
export function todayIso(now = new Date()): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}
