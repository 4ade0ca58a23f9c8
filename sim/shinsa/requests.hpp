#pragma once
// What the committee-support system (shinsa), the assessment contractors (chosa) and the doctors
// (iryokikan) receive from kaigo, read as the counterparts would (docs/shinsa-layout.md):
// NT-01 kaigo.shinsa.application/1, NT-07 kaigo.chosa.request/1, NT-09
// kaigo.iryokikan.opinion_request/1, NT-11 kaigo.shinsa.session_request/1. A document of another
// format, or missing a field the simulator needs, is refused with invalid_input naming the JSON
// path (the counterpart's refusal: the dispatcher rejects the exchange). Fields the simulator does
// not use are not checked.
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::sim::shinsa {

struct PersonPart {
  std::string name;
  std::optional<Date> birth_date;  // absent or unparsable: the person's age is unknown
  std::string sex;                 // "1" male, "2" female
};

// NT-01: the application (or its withdrawal: the same document with withdrawn_on).
struct ApplicationDoc {
  std::string application_no;
  std::string insured_no;
  std::string kind;      // new, renewal, change, ex_officio, transfer
  std::string category;  // "1" / "2"
  Date applied_on;
  std::string place;     // home / facility
  std::optional<std::string> specified_disease;
  PersonPart person;
  std::optional<std::string> previous_level;  // previous.care_level
  std::optional<Date> withdrawn_on;
};

// NT-07: the home assessment asked of a contractor.
struct AssessmentRequestDoc {
  std::string request_no;
  std::string application_no;
  std::string contractor_code;
  std::string assessor_name;
  std::string place;
  std::string kind;
  Date requested_on;
  PersonPart person;
};

// NT-09: the opinion asked of a doctor.
struct OpinionRequestDoc {
  std::string request_no;
  std::string application_no;
  std::string institution_code;
  std::string doctor_name;
  bool first_visit = true;
  Date requested_on;
  PersonPart person;
};

// NT-11: a committee session and its cases.
struct SessionMember {
  std::string member_code;
  std::string role;  // chair / member
};
struct MonthsRange {
  int default_months = 0;
  int min_months = 0;
  int max_months = 0;
};
struct SessionCase {
  std::string application_no;
  std::string kind;
  std::string first_stage_level;
  std::optional<std::string> previous_level;
  int validity_default_months = 0;
  int validity_min_months = 0;
  int validity_max_months = 0;
  // A renewal's ranges when the level stays the previous one / changes (validity_same_level,
  // validity_other_level; absent or null for other kinds).
  std::optional<MonthsRange> same_level, other_level;
};
struct SessionRequestDoc {
  std::string session_no;
  std::string panel;
  Date held_on;
  std::vector<SessionMember> members;
  std::vector<SessionCase> cases;
};

Result<ApplicationDoc> parse_application(const std::string& json_text);
Result<AssessmentRequestDoc> parse_assessment_request(const std::string& json_text);
Result<OpinionRequestDoc> parse_opinion_request(const std::string& json_text);
Result<SessionRequestDoc> parse_session_request(const std::string& json_text);

}  // namespace kaigo::sim::shinsa
