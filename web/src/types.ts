// Shapes of the /api/v1 JSON bodies the UI reads (the contract in docs/web-ui.md).

export interface Me {
  user_id: string;
  display_name: string;
  roles: string[];
  csrf_token: string;
}

export interface PersonSummary {
  person_id: string;
  name_kanji: string;
  name_kana: string;
  birth_date: string;
  sex: string;
  address: string;
  ward_code: string;
  ward_name: string;
  insured_no: string | null;
  registry_status: string;
}

export interface PersonSearchResult {
  items: PersonSummary[];
  truncated: boolean;
}

export interface Person {
  person_id: string;
  name_kanji: string;
  name_kana: string;
  birth_date: string;
  age: number | null;
  sex: string;
  postal_code: string;
  address: string;
  ward_code: string;
  ward_name: string;
  household_id: string;
  relation: string;
  registry_status: string;
  insured_no: string | null;
}

export interface HouseholdMember {
  person_id: string;
  name_kanji: string;
  name_kana: string;
  relation: string;
  birth_date: string;
  sex: string;
}

export interface PersonHistoryRow {
  valid_from: string;
  valid_to: string | null;
  name_kanji: string;
  address: string;
  household_id: string;
  relation: string;
  registry_status: string;
  reason: string;
  recorded_at: string;
  recorded_by: string;
}

export interface PersonDetail {
  person: Person;
  my_number: string | null;
  my_number_shown: boolean;
  can_show_my_number: boolean;
  can_issue_insurance_card: boolean;
  household: HouseholdMember[];
  history: PersonHistoryRow[];
}

export interface FlowTraffic {
  count: number;
  errors: number;
  last_exchange_at: string | null;
}

export interface Flow {
  id: string;
  section: string;
  direction: string;
  counterpart: string;
  counterpart_name: string;
  information: string;
  action: string;
  source_text: string; // the seed's Japanese sentence for the step
  state: string;
  tests: string[];
  traffic: FlowTraffic;
}

// 番号連携 (情報照会 through the 中間サーバー): kinds, inquiries, and the exchange log.

export interface InquiryKind {
  kind: string;
  name: string;
  counterpart: string;
  counterpart_name: string;
  request_flow: string;
  answer_flow: string;
  period: 'previous_year' | 'as_of_today' | string;
  items: string[];
}

export interface InquiryAnswer {
  items: Record<string, unknown>;
  null_reasons: Record<string, string>;
}

export interface Inquiry {
  inquiry_id: number;
  request_key: string;
  kind: string;
  kind_name: string;
  person_id: string;
  counterpart: string;
  counterpart_name: string;
  institution_code: string;
  jimu_code: string;
  procedure_code: string;
  item_code: string;
  period_from: string;
  period_to: string;
  processing_no: string | null;
  status: string;
  attempts: number;
  next_poll_at: string | null;
  deadline_at: string | null;
  error_code: string | null;
  error_message: string | null;
  answer: InquiryAnswer | null;
  purpose: string;
  cancel_reason?: string | null; // sent by the server after 取消 (not in the contract's list)
  created_by: string;
  created_at: string;
  updated_at: string;
  answered_at: string | null;
  bulk_id: number | string | null;
}

export interface NewInquiry {
  person_id: string;
  kind: string;
  period_from: string;
  period_to: string;
  purpose: string;
}

export interface InquiryList {
  items: Inquiry[];
  counts: Record<string, number>;
}

export interface ExchangeRecord {
  at: string;
  kind: 'inquiry' | 'provision' | string;
  counterpart: string;
  counterpart_name: string;
  institution_code: string;
  jimu_code: string;
  jimu_name: string;
  item_names: string[];
  summary: string;
  disclosure: 'disclosed' | 'withheld' | string;
  processing_no: string | null;
}
