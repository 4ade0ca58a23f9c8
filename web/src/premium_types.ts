// Shapes of the 賦課 (premium) API bodies the screens read: docs/api-premium.md.

/** Where an input came from: the row and, when it arrived by a linkage, the exchange. */
export interface InputSource {
  table: string; // tax_income | public_assistance | pension
  id: number;
  source: string; // tax_office | exchange | staff | …
  exchange_id?: number;
}

export interface TaxInput {
  taxed: boolean;
  total_income: number;
  public_pension_income: number;
  taxable_pension_income: number;
  pension_misc_income: number;
  salary_income: number;
  land_sale_special_deduction: number;
  from: InputSource;
}

export interface HouseholdMemberInput {
  person_id: string;
  taxed: boolean | null; // null: no tax row for the income year (課税情報なし)
  from?: InputSource;
}

export interface AssessmentInputs {
  base_date: string;
  fiscal_year: number;
  income_year: number;
  periods: { acquired_on: string; lost_on: string | null; acquisition_reason: string; loss_reason: string | null }[];
  months: string[]; // "2026-04" …
  tax: TaxInput | null; // null: no tax row (未申告)
  public_assistance?: { kind: string; from: InputSource };
  old_age_welfare_pension?: { from: InputSource };
  household_id?: string;
  household_members: HouseholdMemberInput[];
}

export interface ExplanationLine {
  label: string;
  text: string;
}

export interface Assessment {
  assessment_id: number;
  fiscal_year: number;
  revision: number;
  is_current: boolean;
  insured_no: string;
  base_date: string;
  stage: number; // 0: 賦課なし (no chargeable month)
  stage_label: string;
  ratio: string; // "57/200"
  reduced: boolean;
  annual_amount: number;
  months: number;
  amount: number;
  previous_amount: number;
  difference: number;
  table: { name: string; sha256: string; effective_from: string };
  inputs: AssessmentInputs;
  explanation: ExplanationLine[];
  cause: string; // annual | eligibility | income | household | welfare | staff
  batch_run_id: number | null;
  assessed_at: string;
  assessed_by: string;
}

export interface PersonAssessments {
  person_id: string;
  assessments: Assessment[]; // every year and revision, newest first
}

export type AssessOutcomeKind = 'created' | 'revised' | 'unchanged' | 'not_insured';

export interface AssessOutcome {
  outcome: AssessOutcomeKind;
  assessment: Assessment | null;
}

export type StageAlternativeView =
  | { status: string; old_age_welfare_pension: true }
  | { status: string; measure: string; interval: string };

export interface TableStage {
  stage: number;
  label: string;
  welfare: boolean;
  alternatives: StageAlternativeView[];
  ratio: string; // "0.455" (or "n/d")
  reduced_ratio: string | null;
  applied_ratio: string;
  annual_amount: number;
}

export interface PremiumTableView {
  fiscal_year: number;
  name: string;
  plan_period: { first_fiscal_year: number; last_fiscal_year: number };
  file: string;
  sha256: string;
  effective_from: string;
  base_amount: number;
  apply_reduced_ratio: boolean;
  stages: TableStage[];
}

export interface PremiumRun {
  batch_run_id: number;
  job: string; // premium_annual | premium_revision
  run_key: string;
  status: string; // running | done | failed | nothing_queued
  done: number;
  total: number;
  started_at: string;
  finished_at: string;
  started_by: string;
}

/** POST /premium/runs {"job":"revisions"}: the run with this invocation's counts. */
export interface RevisionRunResult extends PremiumRun {
  created: number;
  revised: number;
  unchanged: number;
}

export interface StageTally {
  stage: number;
  label: string;
  ratio: string;
  annual_amount: number;
  persons: number;
  revenue: number;
}

export interface TableTally {
  name: string;
  effective_from: string;
  base_amount: number;
  persons: number;
  revenue: number;
  stages: StageTally[];
}

export interface SimulationResult {
  fiscal_year: number;
  current: TableTally;
  proposed: TableTally;
}

// ---- 徴収 (GET /persons/{id}/premium/collection, server/tokucho_routes.cpp) ----

export interface Instalment {
  instalment_id: number;
  method: string; // special | ordinary
  number: number; // special: slot 1–6 (4月…2月); ordinary: 期
  due_month: string; // YYYY-MM
  amount: number;
  status: string; // planned | requested | accepted | collected | not_accepted | not_collected | stopped | cancelled | refund
  collected_amount: number | null;
  reason_code: string | null;
  plan_revision: number;
  request_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface CollectionPlan {
  plan_revision: number;
  assessment_id: number;
  amount: number;
  cause: string;
  explanation: string[];
  batch_run_id: number | null;
  planned_at: string;
  planned_by: string;
}

export interface DeductionRequest {
  request_id: number;
  exchange_id: number;
  pension_insurer_code: string;
  basic_pension_no: string;
  pension_code: string;
  request_kind: string; // continuing | new
  start_month: string;
  amounts: Record<string, number>; // "2026-10" → yen
  status: string; // requested | accepted | not_accepted
  reason_code: string | null;
  result_exchange_id: number | null;
  requested_at: string;
  answered_at: string | null;
}

export interface DeductionResult {
  result_id: number;
  exchange_id: number;
  deduction_month: string;
  collected: boolean;
  reason_code: string;
  amount: number;
  received_at: string;
}

export interface CollectionYear {
  fiscal_year: number;
  assessment: { assessment_id: number; revision: number; amount: number } | null;
  deduction_status: string; // none | target | planned | requested | accepted | deducting | stopped | not_accepted | not_collected
  instalments: Instalment[];
  plans: CollectionPlan[];
  requests: DeductionRequest[];
  results: DeductionResult[];
}

export interface DeductionTarget {
  target_id: number;
  exchange_id: number;
  record_no: number;
  fiscal_year: number;
  pension_insurer_code: string;
  basic_pension_no: string;
  pension_code: string;
  pension_kind: string;
  annual_pension_amount: number;
  capture_month: string;
  start_month: string;
  received_at: string;
}

export interface PersonCollection {
  person_id: string;
  years: CollectionYear[];
  targets: DeductionTarget[];
}

/** FK-11 print run of 保険料額決定通知書 / 変更通知書 (GET /premium/notice-runs). */
export interface NoticeRun {
  batch_run_id: number;
  fiscal_year: number;
  status: string; // running | done
  notices: number;
  files: number; // print files rendered so far, numbered from 1
  started_at: string;
  finished_at: string;
  started_by: string;
}
