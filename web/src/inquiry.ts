// Pure helpers for 番号連携 inquiries (情報照会): state labels and finality, what staff may do in
// each state, the default 対象期間 of a kind, and labels of the exchange log (情報提供等記録).
// The states and their meaning are the server's (docs/number-network-protocol.md); these only
// say them in Japanese and decide which buttons to show — the server refuses the rest (409).

/** Every state in the order an inquiry passes through them; the queue's chips follow it. */
export const INQUIRY_STATES: readonly string[] = [
  'queued',
  'submitted',
  'pending',
  'manual_pending',
  'provided',
  'not_found',
  'error',
  'timed_out',
  'cancelled',
];

const STATE_LABELS: Record<string, string> = {
  queued: '送信待ち',
  submitted: '照会受付済',
  pending: '回答待ち',
  manual_pending: '手動回答待ち (自動応答不可)',
  provided: '回答あり',
  not_found: '該当なし',
  error: 'エラー',
  timed_out: '期限切れ',
  cancelled: '取消済',
};

// A shorter form for the chips at the top of the queue, where the long 自動応答不可 note does not fit.
const SHORT_LABELS: Record<string, string> = { manual_pending: '手動回答待ち' };

const FINAL_STATES = new Set(['provided', 'not_found', 'error', 'timed_out', 'cancelled']);

/** inquiry.status → Japanese; an unknown state is shown as sent so nothing is hidden. */
export function inquiryStateLabel(status: string): string {
  return STATE_LABELS[status] ?? status;
}

/** The chip label: as inquiryStateLabel, without the parenthesised note. */
export function inquiryStateShortLabel(status: string): string {
  return SHORT_LABELS[status] ?? inquiryStateLabel(status);
}

/** Final states: nothing more will happen unless staff ask again (再照会). */
export function isFinalState(status: string): boolean {
  return FINAL_STATES.has(status);
}

/** 「取消」 is offered while the inquiry is still open (an unknown state counts as open). */
export function canCancel(status: string): boolean {
  return !isFinalState(status);
}

/** 「再照会」 is offered only after an error or a time-out. */
export function canRetry(status: string): boolean {
  return status === 'error' || status === 'timed_out';
}

/**
 * Which colour family a state's badge uses: open states waiting on the system (wait), waiting
 * on a person at the other end (manual), answered (ok), answered with nothing (none), failed
 * (bad), or withdrawn (off).
 */
export function inquiryStateTone(status: string): 'wait' | 'manual' | 'ok' | 'none' | 'bad' | 'off' {
  switch (status) {
    case 'manual_pending':
      return 'manual';
    case 'provided':
      return 'ok';
    case 'not_found':
      return 'none';
    case 'error':
    case 'timed_out':
      return 'bad';
    case 'cancelled':
      return 'off';
    default:
      return 'wait';
  }
}

export interface Period {
  from: string;
  to: string;
}

function isoDay(d: Date): string {
  return `${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The 対象期間 a new inquiry starts with. Tax-like kinds (`period: "previous_year"`) ask about the
 * previous calendar year — the income a premium or a benefit of this year is based on; every
 * other kind asks about the situation today. `today` is the staff member's local date.
 */
export function defaultPeriod(period: string, today: Date): Period {
  if (period === 'previous_year') {
    const y = String(today.getFullYear() - 1).padStart(4, '0');
    return { from: `${y}-01-01`, to: `${y}-12-31` };
  }
  const day = isoDay(today);
  return { from: day, to: day };
}

/**
 * A timestamp for a dense table cell: `11/24 10:05` in the year of `now`, else `2025/11/24`
 * (the full value goes into the cell's title). Reads the digits as sent, like formatTimestamp.
 */
export function formatShortTimestamp(ts: string | null | undefined, now: Date): string {
  if (!ts) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2})/.exec(ts);
  if (!m) return ts;
  return Number(m[1]) === now.getFullYear() ? `${m[2]}/${m[3]} ${m[4]}` : `${m[1]}/${m[2]}/${m[3]}`;
}

/** `2025-01-01`–`2025-12-31`; a single day once. */
export function formatPeriod(from: string, to: string): string {
  if (!from && !to) return '';
  return from === to ? from : `${from}〜${to}`;
}

/** exchange record kind → 照会 (we asked) / 提供 (we provided). */
export function exchangeKindLabel(kind: string): string {
  return kind === 'inquiry' ? '照会' : kind === 'provision' ? '提供' : kind;
}

/** disclosure → 開示 (shown on マイナポータル) / 不開示 (withheld by the city's setting). */
export function disclosureLabel(disclosure: string): string {
  return disclosure === 'disclosed' ? '開示' : disclosure === 'withheld' ? '不開示' : disclosure;
}

/** An answer item's value as text: strings as they are, numbers with separators, the rest as JSON. */
export function answerValueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('ja-JP') : String(value);
  if (typeof value === 'boolean') return value ? 'はい' : 'いいえ';
  return JSON.stringify(value);
}

// Japanese names of the answer items the kinds in config/codes/inquiry_kinds.tsv carry. An item
// not listed is shown by its key, so a new kind works before this table learns its items.
const ITEM_LABELS: Record<string, string> = {
  name: '氏名',
  address: '住所',
  household_id: '世帯番号',
  relation: '続柄',
  moved_in_on: '転入日',
  moved_out_on: '転出日',
  care_level: '要介護状態区分',
  certified_from: '認定有効期間 開始',
  certified_to: '認定有効期間 終了',
  certified_on: '認定日',
  applies: '住所地特例 該当',
  facility_name: '施設名',
  insurer_no: '保険者番号',
  insured_no: '被保険者番号',
  valid_from: '適用開始',
  valid_to: '適用終了',
  total_income: '合計所得金額',
  public_pension_income: '公的年金等収入額',
  pension_income: '公的年金等収入額',
  taxable_income: '課税所得金額',
  resident_tax_taxed: '住民税 課税',
  members: '世帯員',
  insured_symbol: '被保険者証 記号番号',
  acquired_on: '資格取得日',
  lost_on: '資格喪失日',
  in_arrears: '滞納あり',
  arrears_months: '滞納月数',
  assistance_kind: '扶助の種類',
  started_on: '開始日',
  ended_on: '終了日',
  receives: '受給あり',
  annual_amount: '年額',
};

/** Answer item key → Japanese name, or the key itself when unknown. */
export function itemLabel(key: string): string {
  return ITEM_LABELS[key] ?? key;
}
