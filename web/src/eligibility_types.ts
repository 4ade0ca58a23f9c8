// Shapes of the 資格 (eligibility) API bodies the screens read: docs/api-eligibility.md.

/** One period of the register; labels come from the server, the change diffs may carry codes only. */
export interface Period {
  period_no?: number;
  acquired_on: string;
  lost_on: string | null; // 資格喪失日: the first day NOT insured
  category: string; // '1' | '2'
  acquisition_reason: string;
  acquisition_reason_label?: string;
  loss_reason: string | null;
  loss_reason_label?: string | null;
}

export interface AddressFact {
  fact_id: number;
  kind: string;
  kind_label: string;
  on: string;
  new_address_on: string | null;
  source: string;
  source_exchange_id: number | null;
  case_id: number | null;
  registry_movement_id: string | null;
  recorded_at: string;
  recorded_by: string;
  cancelled: boolean;
  cancel_reason: string | null;
}

export interface MedicalInsurance {
  insurer_kind: string;
  insurer_kind_label?: string;
  insurer_no: string;
  valid_from: string;
  valid_to: string | null;
}

export interface FormerAddressRule {
  rule_id: number;
  person_id: string;
  name_kanji: string;
  insured_no: string | null;
  direction: string;
  direction_label: string;
  facility_kind: string;
  facility_kind_label: string;
  facility_name: string;
  facility_municipality_code: string;
  other_insurer_no: string;
  started_on: string;
  ended_on: string | null;
  source: string;
  recorded_at: string;
  recorded_by: string;
}

export interface Exemption {
  exemption_id: number;
  person_id: string;
  name_kanji: string;
  insured_no: string | null;
  facility_kind: string;
  facility_kind_label: string;
  facility_name: string;
  entered_on: string;
  left_on: string | null;
  source: string;
  recorded_at: string;
  recorded_by: string;
}

export interface PeriodChange {
  kind: 'added' | 'removed' | 'changed' | string;
  before?: Period | null;
  after?: Period | null;
}

export interface Revision {
  revision_id: number;
  revised_at: string;
  revised_by: string;
  source: string;
  source_exchange_id: number | null;
  case_id: number | null;
  cause: string;
  earliest_change_on: string;
  changes: PeriodChange[];
}

export interface CardIssue {
  card_issue_id: number;
  issued_on: string;
  reason: string;
  reason_label: string;
  issued_by: string;
}

export interface Register {
  person_id: string;
  insured_no: string | null;
  today: { insured: boolean; category: string | null; period_no: number | null };
  periods: Period[];
  facts: AddressFact[];
  medical_insurance: MedicalInsurance[];
  former_address_rules: FormerAddressRule[];
  exemptions: Exemption[];
  revisions: Revision[];
  cards: CardIssue[];
}

/** What every register write answers. */
export interface RegisterOutcome {
  revision_id: number | null;
  changes: PeriodChange[];
  periods: Period[];
  issued_insured_no: string | null;
}

export interface Code {
  code: string;
  label: string;
  former_address_rule?: boolean;
}

export interface EligibilityCodeLists {
  address_fact_kinds: Code[];
  facility_kinds: Code[];
  exempt_facility_kinds: Code[];
  acquisition_reasons: Code[];
  loss_reasons: Code[];
  card_reasons: Code[];
  insurer_kinds: Code[];
}

export interface NewAddressFact {
  kind: string;
  on: string;
  new_address_on: string | null;
  reason: string;
}

export interface NewFormerAddressRule {
  direction: string;
  facility_kind: string;
  facility_name: string;
  facility_municipality_code: string;
  other_insurer_no: string;
  started_on: string;
}

export interface NewExemption {
  facility_kind: string;
  facility_name: string;
  entered_on: string;
}

// ---- Counter cases (SK-01 and the inquiries around it) ----

export interface ChecklistItem {
  item: string;
  label: string;
  satisfied_by?: string | null; // the inquiry kind whose applied answer ticks it, or non_registered
  done: boolean;
  done_by: string | null;
  done_at: string | null;
}

export interface CaseInquiry {
  inquiry_id: number;
  kind: string;
  flow_id: string;
  status: string;
  answer: { items?: Record<string, unknown>; null_reasons?: Record<string, string> } | null;
  applied: boolean;
  applied_at: string | null;
  apply_summary: string | null;
  error_message?: string | null;
}

export interface NonRegistered {
  question: string;
  asked_on: string;
  asked_by: string;
  answer: string | null;
  answered_on: string | null;
}

export interface MovementCase {
  case_id: number;
  person_id: string | null;
  name_kanji: string | null;
  movement_kind: string;
  movement_kind_label: string;
  movement_date: string;
  notified_on: string;
  notifier: string;
  status: 'open' | 'completed' | 'cancelled' | string;
  note: string;
  checklist?: ChecklistItem[];
  inquiries?: CaseInquiry[];
  non_registered?: NonRegistered | null;
  outcome?: { revision_id: number | null; changes: PeriodChange[]; summary?: string | null } | null;
  new_address_on?: string | null; // 転出: the new city's 転入日, when known
  cancel_reason?: string | null;
  created_at: string;
  created_by: string;
  completed_at: string | null;
  completed_by: string | null;
}

export interface NewMovementCase {
  person_id: string | null;
  new_address_on?: string | null;
  movement_kind: string;
  movement_date: string;
  notified_on: string;
  notifier: string;
  note: string;
}

// ---- Registry linkage, simulators, batches ----

export interface JukiLoad {
  load_id: number;
  exchange_id: number | null;
  kind: string;
  file_name: string;
  received_at: string;
  lines: number;
  applied: number;
  duplicates: number;
  quarantined: number;
  unchanged?: number; // full load: rows already as the register had them
  out_of_order?: number; // difference: movements older than one already applied
  status: string;
  reason: string | null;
  finished_at?: string | null;
}

export interface QuarantineRow {
  quarantine_id: number;
  load_id: number;
  line_no: number;
  field: string;
  message: string;
  person_id?: string | null;
  movement_id?: string | null;
  created_at?: string;
  status: string;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
}

export interface Simulator {
  counterpart: string;
  label: string;
}

export interface BatchRun {
  batch_run_id: number;
  status: string;
  count: number;
  output: boolean | string | null; // the server says whether a print file exists
  month?: string;
  started_at?: string;
  finished_at?: string | null;
  started_by?: string;
}
