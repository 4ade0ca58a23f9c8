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
