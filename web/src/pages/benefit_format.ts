// Pure helpers of the 給付 screens: the labels of the codes the benefit API sends, the records of
// a person grouped by service month with their totals, an explanation (JSON stored with every
// decision) as lines to read out, and a run's answer as one line of counts.
import type { BenefitRecord, MoneyTotals, PersonBenefitRecords } from '../api_benefit';

const LABELS: Record<string, Record<string, string>> = {
  plan_kind: { home_care: '居宅介護支援', prevention: '介護予防支援 (地域包括支援センター)', self: '自己作成' },
  plan_status: { current: '有効', ended: '終了', cancelled: '取消' },
  change_kind: { new: '新規', change: '変更', end: '終了' },
  correction: { none: '—', correct: '訂正', delete: '削除' },
  file_status: { draft: '下書き (未送信)', sent: '送信済', discarded: '破棄', applied: '反映済', rejected: '却下' },
  payment_kind: { in_kind: '現物', reimbursement: '償還' },
  account_kind: { ordinary: '普通', current: '当座' },
  rate_reason: { yearly: '定期 (8月1日)', mid_year: '年度途中の再判定', new_recipient: '新規認定', correction: '更正' },
  decision_status: { current: '現在', superseded: '再計算により置換' },
  application_status: { active: '有効', withdrawn: '取下げ' },
  repayment_status: { open: '未納', partially_paid: '一部納付', paid: '完納', overpaid: '過納', cancelled: '取消' },
  debtor_kind: { insured: '被保険者', provider: '事業者' },
  reason_kind: {
    overpaid_high_cost: '高額介護サービス費の過払い',
    ineligible_period: '資格のない期間の給付',
    provider_fraud: '事業者の不正請求 (加算金あり)',
    other: 'その他',
  },
  combined_status: { received: '受付', certified: '証明書送付済', decided: '支給決定', not_payable: '不支給' },
  category: {
    taxable_690: '課税所得690万円以上',
    taxable_380: '課税所得380万円以上690万円未満',
    taxed: '市町村民税課税世帯',
    household_untaxed: '世帯全員が市町村民税非課税',
    low_income: '世帯非課税 (年金収入等80万円以下等)',
    public_assistance: '生活保護受給者等',
  },
};

/** The Japanese for a code of one list; an unknown code is shown as sent. */
export function label(list: keyof typeof LABELS | string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return LABELS[list]?.[code] ?? code;
}

export const REPAYMENT_STATUSES = ['open', 'partially_paid', 'paid', 'overpaid', 'cancelled'] as const;
export const REASON_KINDS = ['overpaid_high_cost', 'ineligible_period', 'provider_fraud', 'other'] as const;
export const PLAN_KINDS = ['home_care', 'prevention', 'self'] as const;

/** `1` → `1割`. */
export function rateLabel(rate: number): string {
  return `${rate}割`;
}

export interface MonthGroup {
  service_month: string;
  records: BenefitRecord[];
  totals: MoneyTotals;
}

export function sumRecords(records: readonly BenefitRecord[]): MoneyTotals {
  const t = { total_cost: 0, insurance_paid: 0, copayment: 0, public_paid: 0 };
  for (const r of records) {
    t.total_cost += r.total_cost;
    t.insurance_paid += r.insurance_paid;
    t.copayment += r.copayment;
    t.public_paid += r.public_paid ?? 0;
  }
  return t;
}

/**
 * The person's records by service month, newest month first. The server's own grouping and
 * totals are kept when it sends `months`; a flat `items` list is grouped here. Superseded and
 * cancelled versions (when a route sends them) do not count.
 */
export function groupByMonth(r: PersonBenefitRecords): MonthGroup[] {
  if (r.months) {
    return r.months
      .map((m) => ({ service_month: m.service_month, records: m.records, totals: m.totals ?? sumRecords(current(m.records)) }))
      .sort((a, b) => b.service_month.localeCompare(a.service_month));
  }
  const by = new Map<string, BenefitRecord[]>();
  for (const rec of r.items ?? []) {
    const list = by.get(rec.service_month) ?? [];
    list.push(rec);
    by.set(rec.service_month, list);
  }
  return [...by.entries()]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([service_month, records]) => ({ service_month, records, totals: sumRecords(current(records)) }));
}

function current(records: readonly BenefitRecord[]): BenefitRecord[] {
  return records.filter((x) => !x.status || x.status === 'current');
}

export interface ExplanationLine {
  label: string;
  text: string;
}

/**
 * An explanation as lines in reading order. The server stores JSON (a list of lines, of
 * `{label, text}`, `{step, detail}`, or an object of named values) and may send it parsed or as
 * text; plain text is split at its line breaks. Nothing is dropped: an unknown shape is shown as
 * its JSON.
 */
export function explanationLines(x: unknown): ExplanationLine[] {
  if (x === null || x === undefined || x === '') return [];
  if (typeof x === 'string') {
    const t = x.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return explanationLines(JSON.parse(t));
      } catch {
        /* plain text after all */
      }
    }
    return t.split(/\r?\n/).filter((s) => s.trim()).map((s) => ({ label: '', text: s }));
  }
  if (Array.isArray(x)) return x.flatMap((item) => lineOf(item));
  if (typeof x === 'object') {
    const o = x as Record<string, unknown>;
    for (const key of ['lines', 'steps', 'explanation']) if (Array.isArray(o[key])) return explanationLines(o[key]);
    // Years and ids are plain numbers; amounts get separators.
    return Object.entries(o).map(([k, v]) => ({ label: KEY_LABELS[k] ?? k, text: /year|_id$|_no$/.test(k) && typeof v === 'number' ? String(v) : valueText(v) }));
  }
  return [{ label: '', text: String(x) }];
}

function lineOf(item: unknown): ExplanationLine[] {
  if (typeof item === 'string') return [{ label: '', text: item }];
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const o = item as Record<string, unknown>;
    const lab = o.label ?? o.step ?? o.name ?? o.item;
    const text = o.text ?? o.detail ?? o.value ?? o.message;
    if (lab !== undefined || text !== undefined) return [{ label: lab === undefined ? '' : String(lab), text: text === undefined ? '' : valueText(text) }];
  }
  return [{ label: '', text: valueText(item) }];
}

// The names of an explanation object's keys (the co-payment rate's: decision, base_date, facts …).
const KEY_LABELS: Record<string, string> = {
  decision: '判定',
  base_date: '基準日',
  tax_year: '所得年',
  household_category_1_count: '世帯の第1号被保険者',
  household_pension_and_other: '世帯の年金収入等+その他の合計所得',
  facts: '用いた情報',
  missing: '不足する情報',
  provisional: '暫定',
  note: '備考',
};

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'はい' : 'いいえ';
  if (typeof v === 'number') return v.toLocaleString('ja-JP');
  // A list of facts reads as their details (`{kind, detail}` → detail), one after another.
  if (Array.isArray(v)) return v.length === 0 ? 'なし' : v.map((x) => (x && typeof x === 'object' && 'detail' in x ? String((x as { detail: unknown }).detail) : valueText(x))).join('／');
  return JSON.stringify(v);
}

const COUNT_LABELS: Record<string, string> = {
  batch_run_id: '実行ID',
  file_id: 'ファイルID',
  exchange_id: '連携',
  status: '状態',
  month: '対象月',
  flow: 'フロー',
  flow_id: 'フロー',
  persons: '人数',
  households: '世帯',
  decided: '決定',
  paid_total: '支給額計',
  repayment_total: '返還額計',
  run_key: '実行キー',
  decisions: '決定',
  paid: '支給',
  held: '保留 (申請なし)',
  unchanged: '変更なし',
  superseded: '再計算',
  repayments: '返還',
  rows: '件数',
  payments: '件数',
  total: '合計',
  amount: '金額',
  documents: '通知',
  notices: '通知',
  record_count: '件数',
  records: '件数',
  total_cost: '費用額',
  insurance_paid: '保険給付',
  copayment: '利用者負担',
  public_paid: '公費',
  held_count: '保留',
  skipped: '対象外',
  zero: '支給額なし',
  new: '新規',
  corrected: '修正',
  cancelled: '取消',
  cleared: '消込',
  pdf: '印刷ファイル',
};

const YEN_KEYS = new Set(['total', 'amount', 'total_amount', 'total_cost', 'insurance_paid', 'copayment', 'public_paid', 'paid_total', 'repayment_total']);

/** A run's or a send's answer as `実行ID 3・決定 12・支給 9・合計 123,400円`: scalar fields only, labels in Japanese. */
export function runSummary(r: Record<string, unknown> | null | undefined): string {
  if (!r) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(r)) {
    if (v === null || v === undefined || typeof v === 'object' || k === 'pdf') continue;
    const lab = COUNT_LABELS[k] ?? k;
    // Ids are shown as they are; counts with separators; amounts with 円.
    const text = typeof v !== 'number' || k.endsWith('_id') ? String(v) : YEN_KEYS.has(k) ? `${v.toLocaleString('ja-JP')}円` : v.toLocaleString('ja-JP');
    parts.push(`${lab} ${text}`);
  }
  return parts.join('・');
}

/** `2026-11` → `202611`, the 国保連's form, shown beside the month. */
export function yyyymm(month: string): string {
  return month.replace('-', '');
}

/** The KY-05 account checked on the spot (the server checks again and names the field): the first fault, or null. */
export function checkAccount(v: { bank_code: string; branch_code: string; account_no: string; account_holder_kana: string }):
  { field: string; message: string } | null {
  if (!/^\d{4}$/.test(v.bank_code)) return { field: 'bank_code', message: '金融機関コードは4桁の数字で入力してください' };
  if (!/^\d{3}$/.test(v.branch_code)) return { field: 'branch_code', message: '支店コードは3桁の数字で入力してください' };
  if (!/^\d{7}$/.test(v.account_no)) return { field: 'account_no', message: '口座番号は7桁の数字で入力してください' };
  if (!/^[\u30a0-\u30ff\uff66-\uff9f \u3000()（）・ー]+$/.test(v.account_holder_kana.trim()))
    return { field: 'account_holder_kana', message: '口座名義はカナで入力してください' };
  return null;
}
