// The 給付 calls of docs/api-benefit.md (KY-01 … KY-24): care plans, the KY-03 recipient files to
// the 国保連 and the KY-04 files back, benefit records by month, co-payment rates and the
// 負担割合証, 高額介護サービス費 (applications, monthly runs, decisions, notices, payment files),
// repayments, 高額医療合算, 給付費通知. Same door as api.ts (session cookie, CSRF token).
// The answers' shapes follow migration 016's columns; fields a route may add (labels, names) are
// optional and the screens fall back to the codes.
import { ApiError, request } from './api';
import { buildQuery } from './query';

const enc = (v: string | number) => encodeURIComponent(String(v));
const person = (id: string) => `/persons/${enc(id)}`;

/** A check cause or an inbound error: what, where (the layout's field), in words without personal data. */
export interface CheckCause {
  cause: string;
  field: string;
  message: string;
}

export interface CarePlan {
  care_plan_id: number;
  person_id: string;
  plan_kind: 'home_care' | 'prevention' | 'self' | string;
  plan_kind_label?: string;
  office_no: string | null;
  office_name?: string | null;
  notified_on: string;
  valid_from: string;
  valid_to: string | null;
  status: 'current' | 'ended' | 'cancelled' | string;
  recorded_at: string;
  recorded_by: string;
  changed_by?: string | null; // who cancelled it
  changed_at?: string | null;
}

export interface NewCarePlan {
  plan_kind: string;
  office_no?: string;
  notified_on: string;
  valid_from: string;
}

export interface CopaymentRate {
  rate_id: number;
  rate_year: number;
  valid_from: string;
  valid_to: string;
  rate: number;
  tax_year: number;
  reason: string;
  explanation: unknown;
  status: 'current' | 'superseded' | string;
  decided_at: string;
  decided_by: string;
}

export interface BenefitRecord {
  record_id: number;
  claim_no: string;
  service_month: string;
  review_month: string;
  office_no: string;
  office_name?: string | null;
  service_kind: string;
  service_kind_name?: string | null;
  payment_kind: 'in_kind' | 'reimbursement' | string;
  days: number;
  units: number;
  total_cost: number;
  insurance_paid: number;
  copayment: number;
  public_paid: number;
  status?: string;
}

export interface MoneyTotals {
  total_cost: number;
  insurance_paid: number;
  copayment: number;
  public_paid?: number;
}

/** GET /persons/{id}/benefit-records: by month (`months`) or flat (`items`), with totals. */
export interface PersonBenefitRecords {
  months?: { service_month: string; records: BenefitRecord[]; totals?: MoneyTotals }[];
  items?: BenefitRecord[];
  totals?: MoneyTotals;
}

export interface HighCostApplication {
  application_id: number;
  person_id: string;
  received_on: string;
  first_month: string;
  bank_code: string;
  branch_code: string;
  account_kind: 'ordinary' | 'current' | string;
  account_no: string;
  account_holder_kana: string;
  status: 'active' | 'withdrawn' | string;
  recorded_at?: string;
  recorded_by?: string;
}

export interface NewHighCostApplication {
  received_on: string;
  first_month: string;
  bank_code: string;
  branch_code: string;
  account_kind: string;
  account_no: string;
  account_holder_kana: string;
}

export interface HighCostDecision {
  decision_id: number;
  person_id: string;
  name_kanji?: string | null;
  service_month: string;
  household_key?: string;
  category: string;
  category_label?: string | null;
  household_copayment: number;
  own_copayment: number;
  cap: number;
  amount: number;
  paid_before: number;
  application_id: number | null;
  status: 'current' | 'superseded' | string;
  explanation?: unknown;
  decided_at: string;
  /** The KY-16 notice's URL; null when nothing is paid (no notice). */
  notice?: string | null;
  /** Paid more than before but no application (KY-05) yet: waits for it. */
  held?: boolean;
}

/** A pass of the monthly 高額 computation (POST/GET /benefit/high-cost-runs). */
export interface HighCostRun {
  batch_run_id: number;
  month: string;
  status: string;
  households?: number;
  persons?: number;
  decided?: number;
  unchanged?: number;
  held?: number;
  paid?: number;
  paid_total?: number;
  repayments?: number;
  repayment_total?: number;
  notices?: number;
  pdf?: string | null;
  [key: string]: unknown;
}

export interface Repayment {
  repayment_id: number;
  debtor_kind: 'insured' | 'provider' | string;
  person_id: string | null;
  office_no: string | null;
  debtor_name: string;
  reason_kind: string;
  reason: string;
  principal: number;
  surcharge: number;
  total: number;
  paid_total: number;
  slip_no: string;
  decided_on: string;
  due_on: string;
  status: string;
  explanation?: unknown;
  decided_by?: string;
  recorded_at?: string;
  changed_by?: string | null; // who cancelled it
  changed_at?: string | null;
  receipts?: { receipt_id: number; paid_on: string; amount: number; file_id?: number; line_no?: number; recorded_at?: string }[];
}

export interface NewRepayment {
  debtor_kind: string;
  person_id?: string;
  office_no?: string;
  debtor_name?: string;
  reason_kind: string;
  reason: string;
  principal: number;
  decided_on?: string;
}

export interface RecipientRecord {
  record_id: number;
  person_id: string;
  insured_no: string;
  name_kanji?: string | null;
  change_kind: 'new' | 'change' | 'end' | string;
  correction: 'none' | 'correct' | 'delete' | string;
  change_date: string;
  check_status: 'ok' | 'held' | string;
  check_causes: CheckCause[];
  fields?: Record<string, string>;
}

export interface RecipientFile {
  file_id: number;
  kind: 'regular' | 'correction' | string;
  status: 'draft' | 'sent' | 'discarded' | string;
  layout_version: string;
  record_count: number;
  held_count: number;
  exchange_id: number | null;
  built_at: string;
  built_by: string;
  sent_at: string | null;
  sent_by: string | null;
  records?: RecipientRecord[];
  /** The pre-send check list: the held records with their causes (also among `records`). */
  checks?: RecipientRecord[];
  csv?: string;
}

/** POST /benefit/recipient-files: the new draft (an open one is replaced), or `file: null` when nothing waits. */
export type BuiltRecipientFile = (RecipientFile & { events?: number; skipped?: number; discarded_file_id?: number | null }) | { file: null; events?: number; skipped?: number };

export interface InboundError {
  /** The 1-based line (0: the file as a whole); the server names it `line`. */
  line?: number;
  line_no?: number;
  field: string;
  message: string;
}

export interface InboundFile {
  file_id: number;
  flow_id: string;
  exchange_id: number | null;
  layout_version: string | null;
  status: 'applied' | 'rejected' | string;
  record_count: number;
  summary: unknown;
  received_at: string;
  error_count?: number;
  quarantined?: boolean;
  errors?: InboundError[];
}

export interface PaymentFile {
  exchange_id?: number | null;
  flow?: string;
  flow_id?: string;
  rows?: number;
  total?: number;
  sent_at?: string | null;
  created_at?: string | null;
  [key: string]: unknown;
}

export interface CombinedApplication {
  combined_id: number;
  person_id: string;
  name_kanji?: string | null;
  kokuho_ref: string;
  period_from: string;
  period_to: string;
  medical_insurer_no: string;
  status: string;
  care_copayment: number | null;
  medical_copayment: number | null;
  excess_total: number | null;
  care_share: number | null;
  decided_amount?: number | null;
  decided_on?: string | null;
  explanation?: unknown;
  recorded_at: string;
}

/** A run's or a send's answer: shown as its counts (benefit_format.ts `runSummary`). */
export type RunAnswer = Record<string, unknown>;

type Items<T> = { items: T[] };

/** Lists answer `{items}`; a route that answers a bare array is taken as well. */
async function items<T>(path: string): Promise<T[]> {
  const r = await request<Items<T> | T[]>('GET', path);
  return Array.isArray(r) ? r : (r?.items ?? []);
}

export const benefitApi = {
  // KY-01/02
  carePlans: (personId: string) => items<CarePlan>(`${person(personId)}/care-plans`),
  registerCarePlan: (personId: string, body: NewCarePlan) => request<CarePlan>('POST', `${person(personId)}/care-plans`, body),
  cancelCarePlan: (id: number, reason: string) => request<CarePlan>('POST', `/care-plans/${enc(id)}/cancel`, { reason }),
  // KY-03
  recipientFiles: () => items<RecipientFile>('/benefit/recipient-files'),
  recipientFile: (id: number | string) => request<RecipientFile>('GET', `/benefit/recipient-files/${enc(id)}`),
  buildRecipientFile: () => request<BuiltRecipientFile>('POST', '/benefit/recipient-files', { kind: 'regular' }),
  sendRecipientFile: (id: number) => request<RecipientFile>('POST', `/benefit/recipient-files/${enc(id)}/send`, {}),
  discardRecipientFile: (id: number) => request<RecipientFile>('POST', `/benefit/recipient-files/${enc(id)}/discard`, {}),
  // KY-04
  inboundFiles: (flow = 'KY-04') => items<InboundFile>(`/benefit/inbound-files${buildQuery({ flow })}`),
  inboundFile: (id: number | string) => request<InboundFile>('GET', `/benefit/inbound-files/${enc(id)}`),
  benefitRecords: (personId: string, from?: string, to?: string) =>
    request<PersonBenefitRecords>('GET', `${person(personId)}/benefit-records${buildQuery({ from, to })}`),
  monthSummary: (month: string) => request<RunAnswer>('GET', `/benefit/benefit-records/summary${buildQuery({ month })}`),
  // KY-06 … KY-15
  // Answered as {person_id, rates}.
  copaymentRates: async (personId: string) => {
    const r = await request<{ rates?: CopaymentRate[]; items?: CopaymentRate[] }>('GET', `${person(personId)}/copayment-rates`);
    return r.rates ?? r.items ?? [];
  },
  // KY-05, KY-16, KY-17
  highCostApplications: (personId: string) => items<HighCostApplication>(`${person(personId)}/high-cost-applications`),
  applyHighCost: (personId: string, body: NewHighCostApplication) =>
    request<HighCostApplication>('POST', `${person(personId)}/high-cost-applications`, body),
  highCostDecisions: (personId: string) => items<HighCostDecision>(`${person(personId)}/high-cost-decisions`),
  highCostDecision: (id: number) => request<HighCostDecision>('GET', `/high-cost-decisions/${enc(id)}`),
  runHighCost: (month: string) => request<HighCostRun>('POST', '/benefit/high-cost-runs', { month }),
  highCostRuns: () => items<HighCostRun>('/benefit/high-cost-runs'),
  // The files sent now, one per flow (none when nothing was waiting).
  sendPaymentFile: (flow: 'KY-17' | 'KY-20') => request<{ items: PaymentFile[] } | PaymentFile>('POST', '/benefit/payment-files', { flow }),
  paymentFiles: () => items<PaymentFile>('/benefit/payment-files'),
  // KY-18 … KY-24
  repayments: (status?: string, personId?: string) => items<Repayment>(`/repayments${buildQuery({ status, person_id: personId })}`),
  repayment: (id: number | string) => request<Repayment>('GET', `/repayments/${enc(id)}`),
  decideRepayment: (body: NewRepayment) => request<Repayment>('POST', '/repayments', body),
  cancelRepayment: (id: number, reason: string) => request<Repayment>('POST', `/repayments/${enc(id)}/cancel`, { reason }),
  combinedApplications: (status?: string) => items<CombinedApplication>(`/benefit/combined-applications${buildQuery({ status })}`),
  statementRun: (from: string, to: string) => request<RunAnswer>('POST', '/benefit/statement-runs', { from, to }),
};

const BASE = '/api/v1';
export const copaymentCardUrl = (personId: string) => `${BASE}${person(personId)}/copayment-card.pdf`;
export const highCostNoticeUrl = (decisionId: number) => `${BASE}/high-cost-decisions/${enc(decisionId)}/notice.pdf`;
export const repaymentNoticeUrl = (repaymentId: number) => `${BASE}/repayments/${enc(repaymentId)}/notice.pdf`;
export const recipientFileCsvUrl = (fileId: number) => `${BASE}/benefit/recipient-files/${enc(fileId)}/file.csv`;
export const combinedNoticeUrl = (combinedId: number) => `${BASE}/combined-applications/${enc(combinedId)}/notice.pdf`;
export const statementUrl = (personId: string, from: string, to: string) => `${BASE}${person(personId)}/statement.pdf${buildQuery({ from, to })}`;

/**
 * True when the server has no such route yet (a 404 naming the route, not a missing object):
 * the screen then says 「未実装」 instead of offering a button that cannot work.
 */
export function isMissingRoute(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404 && /no (such )?route/.test(e.message);
}

// ---- which routes the server has ---------------------------------------------------------------

let routeIndex: Promise<Set<string> | null> | null = null;

const routeKey = (method: string, pattern: string) => `${method.toUpperCase()} ${pattern.replace(/\{[^}]*\}/g, '{}')}`;

/** The server's routes from its OpenAPI document, read once; null when it does not publish one (the mock). */
function routes(): Promise<Set<string> | null> {
  routeIndex ??= fetch('/api/v1/openapi.json', { credentials: 'same-origin' })
    .then((r) => (r.ok ? (r.json() as Promise<{ paths?: Record<string, Record<string, unknown>> }>) : null))
    .then((doc) => {
      if (!doc?.paths) return null;
      const set = new Set<string>();
      for (const [path, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) set.add(routeKey(m, path));
      return set;
    })
    .catch(() => null);
  return routeIndex;
}

/**
 * Whether the server has `METHOD /api/v1…pattern` (path parameters match whatever they are named).
 * A server that publishes no route list is taken to have it; a write then says 「未実装」 if it
 * answers that the route does not exist.
 */
export async function hasRoute(method: string, pattern: string): Promise<boolean> {
  const set = await routes();
  return set === null || set.has(routeKey(method, `/api/v1${pattern}`));
}
