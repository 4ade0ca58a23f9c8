#pragma once
// The JSON documents of the assessment, opinion and committee flows (docs/shinsa-layout.md), pure:
// reading the inbound ones (NT-08, NT-10, NT-12) into values and checking everything a document
// can be checked against on its own and against the code lists; writing the outbound ones (NT-07,
// NT-09, NT-11). What needs the database (a request_no known and open, a case before the session,
// the validity range of the application's kind) is checked by the workflow before it applies
// anything.
//
// Errors are invalid_input whose field is the JSON path at fault ("results[3].standard_minutes",
// "results[0].items.1-1-2", "decisions[1].care_level") and whose message is "<path>: <what>". The
// message names no person and quotes no value but a code of the code lists, so it can be stored as
// the reason of a rejected exchange.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certification/codes.hpp"
#include "certification/rules.hpp"
#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::certification::shinsa {

inline constexpr std::string_view kAssessmentRequestFormat = "kaigo.chosa.request/1";               // NT-07
inline constexpr std::string_view kAssessmentResultsFormat = "kaigo.shinsa.assessment_results/1";   // NT-08
inline constexpr std::string_view kOpinionRequestFormat = "kaigo.iryokikan.opinion_request/1";      // NT-09
inline constexpr std::string_view kOpinionsFormat = "kaigo.shinsa.opinions/1";                      // NT-10
inline constexpr std::string_view kSessionRequestFormat = "kaigo.shinsa.session_request/1";         // NT-11
inline constexpr std::string_view kDecisionsFormat = "kaigo.shinsa.decisions/1";                    // NT-12

// 認知症高齢者の日常生活自立度 (平成5年10月26日 老健第135号, M 追加 平成18年): 自立, I, IIa, IIb,
// IIIa, IIIb, IV, M.
const std::vector<std::string>& dementia_independence_levels();
// 障害高齢者の日常生活自立度 (寝たきり度, 平成3年11月18日 老健第102-2号): 自立, J1, J2, A1, A2,
// B1, B2, C1, C2.
const std::vector<std::string>& bedridden_independence_levels();

// 要介護認定等基準時間 as the national software prints it, "45.3" (one digit after the point,
// ≥ 0) → tenths (453); none for anything else ("45", "45.30", "-1.0", "4e1").
std::optional<std::int64_t> parse_minutes(std::string_view text);
// 453 → "45.3".
std::string minutes_text(std::int64_t tenths);

// ---- NT-08 ----------------------------------------------------------------------------------

struct AssessmentResult {
  std::string request_no;
  std::string application_no;
  Date assessed_on;
  std::string assessor_name;
  std::map<std::string, std::string> items;  // every code of assessment_items.tsv → one of its choices
  std::string special_notes;                 // 特記事項
  std::int64_t standard_tenths = 0;          // 要介護認定等基準時間
  bool cognitive_decline = false;            // 認知機能の低下 (the software's estimate)
  bool unstable_condition = false;           // 状態の不安定性
  std::string dementia_independence;
  std::string bedridden_independence;
};

// kaigo.shinsa.assessment_results/1: at least one result; each with every item of the code list
// (no other) and an allowed choice, the minutes as above, the flags booleans, the independence
// levels of their lists, the dates real, a request_no at most once.
Result<std::vector<AssessmentResult>> parse_assessment_results(std::string_view json_text, const CertificationConfig& config);

// ---- NT-10 ----------------------------------------------------------------------------------

struct OpinionResult {
  std::string request_no;
  std::string application_no;
  Date written_on;
  std::string institution_code;  // of medical_institutions.tsv
  std::string doctor_name;
  std::vector<std::string> diagnoses;            // at least one
  std::optional<std::string> specified_disease;  // of specified_diseases.tsv, or none
  std::string dementia_independence;
  std::string bedridden_independence;
  std::string remarks;
  std::string content_json;  // diagnoses, specified_disease, independence levels, remarks (stored as is)
};

Result<std::vector<OpinionResult>> parse_opinions(std::string_view json_text, const CertificationConfig& config);

// ---- NT-12 ----------------------------------------------------------------------------------

struct CaseDecision {
  std::string application_no;
  bool deferred = false;                // outcome "deferred" (再審査) or "decided"
  std::optional<CareLevel> level;       // decided: the level (none = 非該当)
  std::optional<int> validity_months;   // decided at a certified level: required; else none
  std::string remarks;                  // 審査会の意見
  std::string change_reason;            // why the level differs from the first stage
};

struct SessionDecisions {
  std::string session_no;
  Date held_on;
  std::vector<std::string> attended;  // member codes, each once
  std::vector<CaseDecision> decisions;  // each application once
};

// kaigo.shinsa.decisions/1: the session, attendance and one decision per case. A decided case
// needs a level code that exists and, for a certified level, validity_months (an integer); 非該当
// and a deferred case carry no months (null or absent), a deferred case no level.
Result<SessionDecisions> parse_decisions(std::string_view json_text);

// ---- outbound -------------------------------------------------------------------------------

// The person as the request forms show them (the counterparts visit and examine the person).
struct PersonPart {
  std::string name, name_kana, birth_date, sex, address, phone;
};

// NT-07 kaigo.chosa.request/1.
struct AssessmentRequestDoc {
  std::string request_no, application_no;
  std::string assessor_kind;                  // contractor | city
  std::optional<std::string> contractor_code; // contractor: its code; city: none
  std::string assessor_name;
  std::string place, kind;
  Date requested_on, due_on;
  PersonPart person;
};
std::string assessment_request_document(const AssessmentRequestDoc& d);

// NT-09 kaigo.iryokikan.opinion_request/1.
struct OpinionRequestDoc {
  std::string request_no, application_no, institution_code, doctor_name;
  bool first_visit = true;
  Date requested_on, due_on;
  PersonPart person;
};
std::string opinion_request_document(const OpinionRequestDoc& d);

// NT-11 kaigo.shinsa.session_request/1.
struct SessionMemberPart {
  std::string member_code, name, profession, role;  // role chair | member
};
struct SessionCasePart {
  std::string application_no;
  ApplicationKind kind = ApplicationKind::new_application;
  CareLevel first_stage_level = CareLevel::none;
  std::int64_t standard_tenths = 0;
  std::optional<CareLevel> previous_level;
  ValidityRange validity;                      // the range if decided at the first stage's level
  std::optional<ValidityRange> same_level;     // renewal: the range when the level stays
  std::optional<ValidityRange> other_level;    // renewal: the range when it changes
};
struct SessionRequestDoc {
  std::string session_no, panel;
  Date held_on;
  std::vector<SessionMemberPart> members;
  std::vector<SessionCasePart> cases;
};
std::string session_request_document(const SessionRequestDoc& d);

}  // namespace kaigo::certification::shinsa
