// Pure helpers of the 賦課 screens: yen and differences, 年度 in 和暦, the labels of the codes
// the premium API sends (causes, tax status, measures, sources, runs), ratios, progress, the
// proposed table file read from disk, and the side-by-side rows of the what-if.
import { toWareki } from './format';
import type { InputSource, StageAlternativeView, StageTally, TableTally } from './premium_types';

const MINUS = '−'; // U+2212, as printed on notices

/** Integer yen with thousands separators: 67230 → `67,230円`, −1230 → `−1,230円`. */
export function formatYen(n: number): string {
  const abs = Math.abs(Math.trunc(n)).toLocaleString('ja-JP');
  return `${n < 0 ? MINUS : ''}${abs}円`;
}

/** A difference with its sign: `+45,950円`, `−1,230円`, `±0円`. */
export function formatDifference(n: number): string {
  if (n === 0) return '±0円';
  return n > 0 ? `+${formatYen(n)}` : formatYen(n);
}

/** A count difference: `+12`, `−3`, `±0`. */
export function formatCountDifference(n: number): string {
  if (n === 0) return '±0';
  return `${n > 0 ? '+' : MINUS}${Math.abs(n).toLocaleString('ja-JP')}`;
}

/** The fiscal year (April–March) a day belongs to. */
export function fiscalYearOf(now = new Date()): number {
  return now.getMonth() + 1 >= 4 ? now.getFullYear() : now.getFullYear() - 1;
}

/**
 * 2026 → `令和8年度`. The era is the one of 1 May, so the year 令和 began in is 令和元年度 (as
 * the city writes it), not 平成31年度.
 */
export function fiscalYearLabel(fy: number): string {
  const w = toWareki(`${String(fy).padStart(4, '0')}-05-01`);
  const m = /^(.+?年)/.exec(w);
  return m ? `${m[1]}度` : `${fy}年度`;
}

/** `令和8年度 (2026)`: the label a selector shows. */
export function fiscalYearOption(fy: number): string {
  return `${fiscalYearLabel(fy)} (${fy})`;
}

/** The years a selector offers: two back, the current one and the next. */
export function fiscalYearChoices(current: number): number[] {
  return [current + 1, current, current - 1, current - 2];
}

const CAUSE_LABELS: Record<string, string> = {
  annual: '当初(本算定)',
  eligibility: '資格異動',
  income: '所得更正',
  household: '世帯異動',
  welfare: '生活保護等',
  staff: '職員',
};

/** Why a revision was made (assessment.cause) → the label staff know; unknown as sent. */
export function causeLabel(cause: string): string {
  return CAUSE_LABELS[cause] ?? cause;
}

/** Revision 0 is the 当初賦課 (migration 009); each later one a 更正: `#0 当初`, `#2 更正`. */
export function revisionLabel(revision: number): string {
  return `#${revision} ${revision === 0 ? '当初' : '更正'}`;
}

const OUTCOME_TEXT: Record<string, string> = {
  created: '賦課しました (新規)',
  revised: '更正しました (新しい改訂)',
  unchanged: '変更なし',
  not_insured: 'この年度に第1号被保険者である月がないため賦課対象外です',
};

/** What 「再計算」 did. */
export function outcomeText(outcome: string): string {
  return OUTCOME_TEXT[outcome] ?? outcome;
}

const TAX_STATUS_LABELS: Record<string, string> = {
  household_untaxed: '世帯非課税',
  self_untaxed_household_taxed: '本人非課税・世帯課税',
  self_taxed: '本人課税',
};

export function taxStatusLabel(status: string): string {
  return TAX_STATUS_LABELS[status] ?? status;
}

const MEASURE_LABELS: Record<string, string> = {
  pension_revenue_plus_other: '課税年金収入額＋その他の合計所得金額',
  total_income: '合計所得金額',
};

export function measureLabel(measure: string): string {
  return MEASURE_LABELS[measure] ?? measure;
}

/** One way into a stage, as the ordinance reads: `世帯非課税・老齢福祉年金受給者`, `本人課税・合計所得金額 120万円未満`. */
export function alternativeText(a: StageAlternativeView): string {
  if ('old_age_welfare_pension' in a) return `${taxStatusLabel(a.status)}・老齢福祉年金受給者`;
  return `${taxStatusLabel(a.status)}・${measureLabel(a.measure)} ${a.interval}`;
}

const SOURCE_LABELS: Record<string, string> = {
  tax_office: '税務システム',
  exchange: '番号連携',
  staff: '職権',
  fukushi: '福祉',
  juki: '住基',
  synthetic_city: '模擬データ',
};

const TABLE_LABELS: Record<string, string> = {
  tax_income: '課税台帳',
  public_assistance: '生活保護等',
  pension: '年金',
};

/** Where an input came from: `税務システム・課税台帳 #12・連携 #5`. */
export function inputSourceText(from: InputSource | undefined | null): string {
  if (!from) return '';
  const parts = [SOURCE_LABELS[from.source] ?? from.source, `${TABLE_LABELS[from.table] ?? from.table} #${from.id}`];
  if (from.exchange_id !== undefined && from.exchange_id !== null) parts.push(`連携 #${from.exchange_id}`);
  return parts.join('・');
}

const ASSISTANCE_LABELS: Record<string, string> = { welfare: '生活保護', repatriate: '中国残留邦人等支援給付' };

export function assistanceKindLabel(kind: string): string {
  return ASSISTANCE_LABELS[kind] ?? kind;
}

/** A household member's tax status: true 課税, false 非課税, null 課税情報なし. */
export function memberTaxLabel(taxed: boolean | null): string {
  return taxed === null ? '課税情報なし' : taxed ? '課税' : '非課税';
}

/**
 * A ratio as staff read it: `57/200` → `0.285`, `9/10` → `0.9`, `1` → `1`; a fraction whose
 * denominator is not 2^a·5^b (e.g. `1/3`) stays a fraction; anything else as sent.
 */
export function ratioText(ratio: string): string {
  const m = /^(\d+)\/(\d+)$/.exec(ratio.trim());
  if (!m) return ratio;
  let num = BigInt(m[1]);
  let den = BigInt(m[2]);
  if (den === 0n) return ratio;
  let scale = 0;
  // Multiply by 10 until the division is exact; give up after 12 digits.
  while (num % den !== 0n) {
    if (scale === 12) return ratio;
    num *= 10n;
    scale++;
  }
  const digits = (num / den).toString().padStart(scale + 1, '0');
  if (scale === 0) return digits;
  return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}

const RUN_JOB_LABELS: Record<string, string> = { premium_annual: '本算定', premium_revision: '異動賦課' };
const RUN_STATUS_LABELS: Record<string, string> = { running: '実行中', done: '完了', failed: '失敗', nothing_queued: '対象なし', nothing_to_notice: '対象なし' };

export function runJobLabel(job: string): string {
  return RUN_JOB_LABELS[job] ?? job;
}

export function runStatusLabel(status: string): string {
  return RUN_STATUS_LABELS[status] ?? status;
}

/** Whole percent done, 0–100; a run with no person to handle is 100 once done. */
export function progressPercent(done: number, total: number, status = 'running'): number {
  if (total <= 0) return status === 'running' ? 0 : 100;
  return Math.max(0, Math.min(100, Math.floor((done * 100) / total)));
}

/** `2026-04` … `2027-03` → `2026年4月〜2027年3月`; one month alone; '' for none. */
export function monthsText(months: readonly string[]): string {
  if (months.length === 0) return '';
  const label = (m: string) => {
    const r = /^(\d{4})-(\d{2})$/.exec(m);
    return r ? `${r[1]}年${Number(r[2])}月` : m;
  };
  const first = label(months[0]);
  const last = label(months[months.length - 1]);
  return first === last ? first : `${first}〜${last}`;
}

export type FileCheck = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** Line and column (1-based) of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * A proposed rule file as read from disk → the JSON object to send, or a message naming the line
 * and column where the JSON breaks. Only the syntax is checked here: the server validates the
 * table (gaps, overlaps, ratios) and names the JSON path at fault.
 */
export function parseTableFile(text: string): FileCheck {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { ok: false, message: 'ファイルが空です' };
  try {
    const value: unknown = JSON.parse(body);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return { ok: false, message: '段階表ファイルは JSON のオブジェクト ({ … }) でなければなりません' };
    return { ok: true, value: value as Record<string, unknown> };
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    // Browsers word the error differently and newer V8 leaves the position out, so it is found here.
    const at = jsonErrorOffset(body);
    const where = at === null ? null : lineAndColumn(body, at);
    return { ok: false, message: where ? `JSONの構文に誤りがあります: ${where.line}行${where.column}列 (${raw})` : `JSONの構文に誤りがあります (${raw})` };
  }
}

/**
 * The offset of the first character where `text` stops being JSON (RFC 8259), or null when it
 * is valid. A small recursive scan, used only to name the line and column of a broken file.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return null;
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
}

/** One row of the what-if: a stage of either table, the two side by side. */
export interface ComparisonRow {
  stage: number;
  current: StageTally | null;
  proposed: StageTally | null;
  personsDifference: number;
  revenueDifference: number;
}

/**
 * Pairs the stages of the current and the proposed table by number (a proposal may have more or
 * fewer stages), with the difference proposed − current; a missing side counts as 0.
 */
export function comparisonRows(current: TableTally, proposed: TableTally): ComparisonRow[] {
  const numbers = [...new Set([...current.stages.map((s) => s.stage), ...proposed.stages.map((s) => s.stage)])].sort((a, b) => a - b);
  return numbers.map((n) => {
    const c = current.stages.find((s) => s.stage === n) ?? null;
    const p = proposed.stages.find((s) => s.stage === n) ?? null;
    return {
      stage: n,
      current: c,
      proposed: p,
      personsDifference: (p?.persons ?? 0) - (c?.persons ?? 0),
      revenueDifference: (p?.revenue ?? 0) - (c?.revenue ?? 0),
    };
  });
}

/** Revenue change as a percentage of the current revenue, one decimal: `+3.2%`; '' when current is 0. */
export function percentChange(current: number, proposed: number): string {
  if (current === 0) return '';
  const tenths = Math.round(((proposed - current) * 1000) / current);
  if (tenths === 0) return '±0.0%';
  const abs = Math.abs(tenths);
  return `${tenths > 0 ? '+' : MINUS}${Math.floor(abs / 10)}.${abs % 10}%`;
}

// ---- 徴収 (特別徴収・普通徴収) ----

const DEDUCTION_STATUS: Record<string, { label: string; tone: string }> = {
  none: { label: '普通徴収 (特別徴収の対象外)', tone: 'none' },
  target: { label: '特別徴収 対象者 (依頼前)', tone: 'wait' },
  planned: { label: '特別徴収 予定', tone: 'wait' },
  requested: { label: '特別徴収 依頼済', tone: 'wait' },
  accepted: { label: '特別徴収 依頼受付済', tone: 'ok' },
  deducting: { label: '特別徴収 天引き中', tone: 'ok' },
  stopped: { label: '特別徴収 停止 (普通徴収へ)', tone: 'manual' },
  not_accepted: { label: '特別徴収 依頼不能 (普通徴収へ)', tone: 'bad' },
  not_collected: { label: '特別徴収 未徴収 (普通徴収へ)', tone: 'bad' },
};

/** The person's 特別徴収 status of a year as a label and a badge tone (the 番号連携 tones). */
export function deductionStatus(status: string): { label: string; tone: string } {
  return DEDUCTION_STATUS[status] ?? { label: status, tone: 'none' };
}

export function methodLabel(method: string): string {
  return method === 'special' ? '特別徴収' : method === 'ordinary' ? '普通徴収' : method;
}

const INSTALMENT_STATUS: Record<string, string> = {
  planned: '予定',
  requested: '依頼済',
  accepted: '依頼受付済',
  collected: '徴収済',
  not_accepted: '依頼不能',
  not_collected: '未徴収',
  stopped: '停止',
  cancelled: '取消 (計画変更)',
  refund: '還付',
};

export function instalmentStatusLabel(status: string): string {
  return INSTALMENT_STATUS[status] ?? status;
}

/** Rows replaced by a later plan (cancelled) or stopped no longer add up to the year's amount. */
export function isLiveInstalment(status: string): boolean {
  return ['planned', 'requested', 'accepted', 'collected'].includes(status);
}

/** 特別徴収 slot n (1–6) → 仮徴収 (4・6・8月) / 本徴収 (10・12・2月). */
export function instalmentName(method: string, n: number): string {
  if (method === 'special') return n <= 3 ? `仮徴収 ${n}` : `本徴収 ${n - 3}`;
  return `第${n}期`;
}

const REQUEST_STATUS: Record<string, string> = { requested: '依頼中', accepted: '受付', not_accepted: '不能' };

export function requestStatusLabel(status: string): string {
  return REQUEST_STATUS[status] ?? status;
}

export function requestKindLabel(kind: string): string {
  return kind === 'continuing' ? '継続' : kind === 'new' ? '新規' : kind;
}

/** `2026-10` → `2026年10月`. */
export function monthLabelOf(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${m[1]}年${Number(m[2])}月` : month;
}

/**
 * A year's instalments summed per method as migration 010 defines the plan: live rows (planned,
 * requested, accepted, collected) minus refunds; cancelled, stopped and failed rows do not count.
 * The two methods together equal the current assessment's amount.
 */
export function instalmentTotals(rows: readonly { method: string; amount: number; status: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const sign = isLiveInstalment(r.status) ? 1 : r.status === 'refund' ? -1 : 0;
    if (sign) out[r.method] = (out[r.method] ?? 0) + sign * r.amount;
  }
  return out;
}
