#pragma once
// Counter cases (窓口): a 住民異動届 handed in is a case (SK-01) with its checklist; the 住登外
// question and answer (SK-06/07); the 番号連携 inquiries the case needs (SK-04/05, 08/09, 10/11,
// 12/13, 14/15) sent through the gateway and their answers applied; completion writes the movement
// to the insured register (eligibility/register.hpp) in ONE transaction with the case's status.
// docs/movement-cases.md describes each step.
//
// Rules every write keeps: the case row is locked first (FOR UPDATE on PostgreSQL); a completed or
// cancelled case refuses every change (conflict); applying an answer that was applied already
// changes nothing and returns the case as it is.
//
// Thread-safety: a MovementCaseService holds references only; use one per request or share it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "eligibility/movement_case_checklist.hpp"
#include "eligibility/movement_case_kinds.hpp"
#include "gateway/inquiry_service.hpp"
#include "store/database.hpp"

namespace kaigo::eligibility {

struct OpenCaseRequest {
  std::optional<std::string> person_id;  // none: a newcomer not yet in the registry copy
  std::string movement_kind;             // MovementKind code
  std::string movement_date;             // YYYY-MM-DD
  std::string notified_on;               // YYYY-MM-DD, not after today
  std::optional<std::string> new_address_on;  // move_out: the new city's 転入日, when known
  std::string notifier;                  // 本人 | 世帯員 | 代理人
  std::string note;
};

struct CaseCheck {
  std::string item, label, satisfied_by;
  bool done = false;
  std::optional<std::string> done_by, done_at;
};

struct CaseInquiry {
  gateway::Inquiry inquiry;
  bool applied = false;
  std::optional<std::string> applied_at, applied_by, apply_summary;
};

struct NonRegisteredContact {
  std::string question, asked_on, asked_by;
  std::optional<std::string> answer, answered_on, answered_by;
};

struct MovementCase {
  std::int64_t case_id = 0;
  std::optional<std::string> person_id, name_kanji;
  MovementKind movement_kind = MovementKind::move_in;
  std::string movement_date, notified_on, notifier, note, status;
  std::optional<std::string> new_address_on;
  std::optional<std::int64_t> outcome_revision_id;
  std::optional<std::string> outcome_summary;
  std::optional<std::string> outcome_changes;  // the revision's changes JSON, when it wrote one
  std::string created_at, created_by;
  std::optional<std::string> completed_at, completed_by, cancelled_at, cancelled_by, cancel_reason;
  std::vector<CaseCheck> checklist;
  std::vector<CaseInquiry> inquiries;
  std::optional<NonRegisteredContact> non_registered;
};

struct CaseSummary {
  std::int64_t case_id = 0;
  std::optional<std::string> person_id, name_kanji;
  MovementKind movement_kind = MovementKind::move_in;
  std::string movement_date, notified_on, notifier, note, status, created_at, created_by;
  std::optional<std::string> completed_at, completed_by;
  int checks_done = 0, checks_total = 0;
};

// Options of applying an SK-11 answer: the facility kind when the facility's name does not say it.
struct ApplyOptions {
  std::optional<std::string> facility_kind;  // eligibility::FacilityKind code
};

// Options of completing: a move_out's new 転入日 learned after the case was opened.
struct CompleteOptions {
  std::optional<std::string> new_address_on;
};

class MovementCaseService {
 public:
  // insurer_no: this city's 保険者番号 (= its 6-digit 全国地方公共団体コード, the facility's city for
  // a 住所地特例 of another city's insured living here). inquiries may be null: submitting then
  // answers unavailable, everything else works.
  MovementCaseService(store::Database& db, const Clock& clock, const MovementChecklists& checklists,
                      std::string insurer_no, gateway::InquiryService* inquiries);

  // SK-01. invalid_input (kind, dates, notifier, a person required by the kind); not_found (person).
  Result<MovementCase> open(const OpenCaseRequest& request, const std::string& actor);
  Result<MovementCase> get(std::int64_t case_id);
  // status: open | completed | cancelled | empty for all; newest first; limit 1..500.
  Result<std::vector<CaseSummary>> list(const std::string& status, int limit);

  // A newcomer's case gets its person once the registry copy has them (the checklist drops the
  // items that do not apply to their age). conflict when the case already has a person.
  Result<MovementCase> attach_person(std::int64_t case_id, const std::string& person_id, const std::string& actor);
  // Ticks (or unticks) a checklist item. not_found for an item not on the case.
  Result<MovementCase> set_check(std::int64_t case_id, const std::string& item, bool done, const std::string& actor);
  // SK-06: the 住登外 question put to the person (may be reworded until it is answered).
  Result<MovementCase> ask_non_registered(std::int64_t case_id, const std::string& question, const std::string& asked_on,
                                          const std::string& actor);
  // SK-07: the person's answer; ticks the item satisfied by non_registered. conflict before a
  // question, or when a different answer is already recorded (the same one again changes nothing).
  Result<MovementCase> answer_non_registered(std::int64_t case_id, const std::string& answer,
                                             const std::string& answered_on, const std::string& actor);
  // SK-04/08/10/12/14: sends the inquiry through the gateway (the gateway commits it and its
  // exchange) and links it to the case. conflict when the case has no person yet or an inquiry
  // of the kind is still open; invalid_input for a kind a case cannot apply; unavailable when the
  // gateway is not configured.
  Result<MovementCase> submit_inquiry(std::int64_t case_id, const std::string& kind, const std::string& actor);
  // SK-05/09/11/13/15: applies a provided (or not_found) answer to the register or the case and
  // ticks the checklist item it satisfies. conflict when the inquiry has no answer yet (or ended
  // without one); not_found when it is not the case's. Applying twice changes nothing.
  Result<MovementCase> apply_answer(std::int64_t case_id, std::int64_t inquiry_id, const std::string& actor,
                                    const ApplyOptions& options = {});
  // Writes the movement to the register (record_address_fact for 転入/転出/国外転出/死亡; the end of
  // an open 住所地特例 or 適用除外 for those kinds; nothing for the rest, said in the outcome) and
  // completes the case, in one transaction. conflict when an item is not done or the case has no
  // person.
  Result<MovementCase> complete(std::int64_t case_id, const std::string& actor, const CompleteOptions& options = {});
  Result<MovementCase> cancel(std::int64_t case_id, const std::string& reason, const std::string& actor);

 private:
  store::Database& db_;
  const Clock& clock_;
  const MovementChecklists& checklists_;
  std::string insurer_no_;
  gateway::InquiryService* inquiries_;
};

}  // namespace kaigo::eligibility
