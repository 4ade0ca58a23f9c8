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
