// Shapes of the 認定 (certification) API bodies the screens read: docs/api-certification.md.
// Fields the contract does not pin down yet are optional, so a server that leaves one out still
// draws (the screen says 「—」 rather than breaking).

/** The clock of one application: 法27条11項 (30 days), warned from warn_from, 延期通知 past it. */
export type Clock = 'on_time' | 'warning' | 'overdue' | 'postponed' | 'done';

/** One row of the application list (GET /certification/applications). */
export interface ApplicationRow {
  application_id: number;
  application_no: string;
  person_id: string;
  name: string;
  name_kana: string;
  insured_no: string;
  kind: string; // new | renewal | change | ex_officio | transfer
  kind_label: string;
  category: string; // '1' | '2'
  applied_on: string;
  deadline_on: string;
  days_elapsed: number; // days since 申請日 (to the decision once decided)
  days_left: number; // deadline_on − today; negative once past
  clock: Clock;
  clock_label?: string;
  warn_from?: string; // the first day the list warns
  status: string; // received | investigating | ready | scheduled | decided | notified | withdrawn
  status_label: string;
  stage_label: string;
  postponed_until: string | null;
}

export interface ApplicationList {
  items: ApplicationRow[];
  total: number;
  /** Rows per filter, when the server counts them (the tabs show them). */
  counts?: Partial<Record<string, number>>;
}

/** One step of the timeline: the day it started and ended (null: not yet) and its days. */
export interface Stage {
  stage: string; // application | assessment | opinion | first_stage | committee | notice …
  label: string;
  from: string | null;
  to: string | null;
  days: number | null;
}

export interface Postponement {
  postponement_id: number;
  reason: string;
  expected_on: string;
  issued_on: string;
  issued_by?: string;
  document_id?: number | null;
}

/** 認定調査 (NT-07 request, NT-08 result). */
export interface HomeAssessment {
  assessment_id: number;
  request_no: string;
  assessor_kind: string; // contractor | city
  contractor_code: string | null;
  contractor_name?: string | null;
  assessor_name: string;
  requested_on: string;
  due_on: string;
  status: string; // requested | received | cancelled
  assessed_on: string | null;
  received_on: string | null;
  /** The 74 基本調査 items as the national software returned them: {"1-1-1": "1", …}. */
  items: Record<string, string> | null;
  special_notes: string | null;
  standard_tenths: number | null; // 要介護認定等基準時間 in tenths of a minute
  cognitive_decline: boolean | null;
  unstable_condition: boolean | null;
  dementia_independence: string | null;
  bedridden_independence: string | null;
}

export interface OpinionContent {
  diagnoses?: string[];
  specified_disease?: string | null;
  dementia_independence?: string | null;
  bedridden_independence?: string | null;
  remarks?: string | null;
}

/** 主治医意見書 (NT-09 request, NT-10 opinion). */
export interface PhysicianOpinion {
  opinion_id: number;
  request_no: string;
  institution_code: string;
  institution_name?: string | null;
  doctor_name: string;
  first_visit: boolean;
  requested_on: string;
  due_on: string;
  status: string; // requested | received | cancelled
  written_on: string | null;
  received_on: string | null;
  content: OpinionContent | null;
  specified_disease: string | null;
}

/** 一次判定. */
export interface FirstStage {
  care_level: string;
  care_level_label?: string;
  standard_tenths: number;
  explanation: string;
  computed_at?: string;
}

export interface CommitteeCaseRef {
  session_id: number;
  session_no: string;
  held_on: string;
  panel?: string;
  session_status?: string; // planned | requested | decided | cancelled
  outcome: string | null; // decided | deferred | null (not yet)
}

/** 二次判定. */
export interface Decision {
  care_level: string;
  care_level_label?: string;
  first_stage_level: string | null;
  validity_months: number | null;
  valid_from: string | null;
  valid_to: string | null;
  remarks: string;
  change_reason: string;
  decided_on: string;
  session_id?: number | null;
}

export interface Certification {
  certification_id: number;
  application_id?: number;
  care_level: string;
  care_level_label?: string;
  valid_from: string;
  valid_to: string;
  certified_on: string;
  monthly_cap_units: number;
  status: string; // current | superseded | cancelled
}

/** A document issued to the person (通知書, 延期通知書, 受給資格証明書, 更新のお知らせ). */
export interface CertificationDocument {
  document_id: number;
  kind: string; // result_notice | postponement_notice | entitlement_certificate | renewal_reminder
  kind_label?: string;
  issued_on: string;
  issued_by?: string;
}

/** A 第2号 check asked through the 番号連携 gateway (NT-02 医療保険, NT-04 滞納). */
export interface GatewayCheck {
  inquiry_id: number;
  check_kind: string; // insurance | arrears
  request_flow: string; // NT-02 | NT-04
  inquiry_status: string;
  outcome: string | null;
  summary: string | null;
  reject_reason: string | null;
  applied_at: string | null;
  created_at: string;
}

export interface Application extends ApplicationRow {
  place: string; // home | facility
  applicant_relation: string;
  specified_disease: string | null;
  specified_disease_name?: string | null;
  reason: string;
  insurance_check: string; // not_needed | pending | insured | not_insured
  arrears_check: string; // not_needed | pending | none | in_arrears
  arrears_months: number | null;
  checks?: GatewayCheck[];
  stages: Stage[];
  postponements: Postponement[];
  assessments: HomeAssessment[];
  opinions: PhysicianOpinion[];
  first_stage: FirstStage | null;
  cases: CommitteeCaseRef[];
  decision: Decision | null;
  certification: Certification | null;
  documents: CertificationDocument[];
  previous_certification: Certification | null;
  withdrawn_on?: string | null;
  withdraw_reason?: string | null;
}

export interface NewApplication {
  person_id: string;
  kind: string;
  applied_on: string;
  place: string;
  applicant_relation: string;
  specified_disease?: string;
  reason?: string;
}

// ---- masters (GET /certification/masters) ----

export interface CodeName {
  code: string;
  name: string;
}

export interface MemberMaster {
  member_code: string;
  name: string;
  profession: string;
  active?: boolean; // an inactive member is not offered for new sessions
}

export interface CodeLabel {
  code: string;
  label: string;
}

/** One 基本調査 item of the national form, with its choices (`1` ない, `2` ある …). */
export interface AssessmentItemMaster {
  code: string;
  group: string;
  name: string;
  choices?: { value: string; label: string }[];
}

export interface Masters {
  contractors: CodeName[];
  institutions: CodeName[];
  members: MemberMaster[];
  specified_diseases: CodeName[];
  care_levels: CodeLabel[];
  kinds: CodeLabel[];
  /** The 74 基本調査 items with their group, name and choices, when the server sends them. */
  assessment_items?: AssessmentItemMaster[];
}

// ---- committee sessions ----

export interface SessionSummary {
  session_id: number;
  session_no: string;
  panel: string;
  held_on: string;
  status: string; // planned | requested | decided | cancelled
  cases: number;
  decided?: number;
  deferred?: number;
  members?: number;
}

export interface SessionMember {
  member_code: string;
  name: string;
  profession: string;
  role: string; // chair | member
  attended: boolean | null;
}

export interface SessionCase {
  application_id: number;
  application_no: string;
  person_id?: string;
  name: string;
  name_kana?: string;
  kind: string;
  kind_label?: string;
  status?: string; // the application's
  case_order: number;
  first_stage_level: string | null;
  first_stage_label?: string | null;
  standard_minutes?: string | null; // "45.3"
  standard_tenths?: number | null;
  outcome: string | null; // decided | deferred | null
  decided_level: string | null;
  decided_label?: string | null;
  validity_months?: number | null;
  valid_from?: string | null;
  valid_to?: string | null;
}

export interface Session {
  session_id: number;
  session_no: string;
  panel: string;
  held_on: string;
  status: string;
  members: SessionMember[];
  cases: SessionCase[];
}

export interface NewSession {
  panel: string;
  held_on: string;
  members: { member_code: string; role: string }[];
}

// ---- report, renewals, fees, outputs ----

export interface MonthRow {
  month: string; // 2026-11
  count: number;
  mean_days: number | null;
  median_days: number | null;
  max_days: number | null;
  within_deadline: number | null; // share 0..1
}

export interface StageMean {
  stage: string;
  label: string;
  mean_days: number | null;
  count?: number;
}

export interface PartyRow {
  code: string;
  name: string;
  count: number;
  mean_days: number | null;
  overdue?: number; // results received after their due day
}

export interface Report {
  from: string;
  to: string;
  /** All decisions of the range together. */
  total?: Omit<MonthRow, 'month'>;
  months: MonthRow[];
  stages: StageMean[];
  contractors: PartyRow[];
  institutions: PartyRow[];
}

/** A certification ending soon (GET /certification/renewals), with its renewal application and reminder. */
export interface RenewalRow {
  certification_id: number;
  person_id: string;
  name: string;
  name_kana?: string;
  insured_no: string;
  care_level: string;
  care_level_label?: string;
  valid_from?: string;
  valid_to: string;
  renewal_opens?: string; // the first day a renewal may be applied for
  days_left: number;
  renewal_application: { application_id: number; application_no: string; status: string } | null;
  reminder: { document_id: number; issued_on: string; pdf?: string } | null;
}

export interface FeeRow {
  fee_id: number;
  flow_id: string; // NT-15 | NT-16 | NT-17
  payee_code: string;
  payee_name: string;
  fee_kind: string;
  fee_label?: string;
  amount: number;
  work_on: string;
  application_id: number | null;
  session_id: number | null;
  exchange_id: number | null;
}

export interface FeeList {
  items: FeeRow[];
  total_amount?: number;
}

export interface FeeRunFile {
  flow_id: string;
  rows: number;
  total: number;
  exchange_id: number;
}

export interface PersonCertifications {
  person_id: string;
  certifications: Certification[];
  applications: ApplicationRow[];
}

/** A document as the output routes answer it (NT-13, NT-06 …), with its PDF address. */
export interface IssuedDocument {
  document_id: number;
  person_id: string;
  kind: string;
  issued_on: string;
  issued_by: string;
  exchange_id: number | null;
  reprint?: boolean;
  pdf: string;
}

/** A print run of the outputs (NT-13 notices, NT-06 certificates of move-outs, renewal reminders). */
export interface PrintRun {
  batch_run_id: number;
  job: string;
  run_key: string;
  status: string;
  documents: number;
  print_file: boolean;
  pdf: string | null;
  started_at: string;
  finished_at: string;
  started_by: string;
}
