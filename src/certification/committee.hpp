#pragma once
// 介護認定審査会 (法14条, 15条): sessions of a 合議体, their members and cases, NT-11 the request to
// the committee-support system (shinsa) and NT-12 its decisions. docs/api-certification.md
// "Assessment, opinion, committee"; documents in docs/shinsa-layout.md.
//
//   members   config/codes/committee_members.tsv is the list; sync_members writes it into
//             committee_member (added or updated, none deleted) so sessions and fees can refer to
//             it; every session operation syncs first.
//   session   create: a panel name, the day, at least kMinPanelMembers active members with exactly
//             one chair (施行令9条: 合議体 of 5 as the standard, no fewer than 3 where so ruled).
//             session_no "S" + YYYYMMDD + "-" + n (n-th session of that day). Status planned.
//   cases     add_cases: only `ready` applications, each in one open session at a time; case_order
//             follows on. A planned session only.
//   NT-11     request: a planned session with cases, every case still ready. One transaction: the
//             kaigo.shinsa.session_request/1 document (members; each case's first stage, previous
//             level and the validity range of its kind) to shinsa, the session requested, its
//             applications scheduled (scheduled_on).
//   NT-12     decisions_handler: the document checked whole — its form (shinsa_format.hpp), the
//             session known and requested, held_on its day and not after today, every case of the
//             session exactly once and still scheduled, each validity within the range for the
//             application's kind (a renewal: same level as before or not), attendance within the
//             session's members — then applied in the inbox's transaction: each decided case through
//             record_decision (decided_on = held_on), each deferred case back to ready for a later
//             session (its committee_case outcome deferred, scheduled_on cleared), attendance stored,
//             the attending members' fees accrued (NT-15, "NT-15:session:<id>:<member>", key
//             committee.chair / committee.member at the amount in force on held_on), the session
//             decided. A second document for a decided session is refused ("already decided").
//
// Thread-safety: CommitteeService holds references only; the handler may run on several instances
// (the session row is locked and moved requested → decided once).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "certification/codes.hpp"
#include "core/clock.hpp"
#include "linkage/exchange_store.hpp"
#include "store/database.hpp"

namespace kaigo::certification {

inline constexpr int kMinPanelMembers = 3;  // 介護保険法施行令9条

struct SessionMemberInput {
  std::string member_code;
  std::string role;  // chair | member
};

struct SessionInput {
  std::string panel;  // 合議体 name, e.g. 第1合議体
  Date held_on;
  std::vector<SessionMemberInput> members;
};

struct SessionMemberView {
  std::string member_code, name, profession, role;
  std::optional<bool> attended;  // none until the decision reports it
};

struct SessionCaseView {
  std::int64_t application_id = 0;
  std::string application_no, person_id, name, name_kana, kind, status;
  std::int64_t case_order = 0;
  std::optional<std::string> first_stage_level;
  std::optional<std::int64_t> standard_tenths;
  std::optional<std::string> outcome;        // decided | deferred, after NT-12
  std::optional<std::string> decided_level;  // the decision's level
  std::optional<std::int64_t> validity_months;
  std::optional<std::string> valid_from, valid_to;
};

struct SessionView {
  std::int64_t session_id = 0;
  std::string session_no, panel, held_on, status;
  std::optional<std::int64_t> request_exchange_id, decision_exchange_id;
  std::string created_at, created_by;
  std::vector<SessionMemberView> members;
  std::vector<SessionCaseView> cases;
};

struct SessionSummary {
  std::int64_t session_id = 0;
  std::string session_no, panel, held_on, status;
  std::int64_t cases = 0, decided = 0, deferred = 0, members = 0;
};

class CommitteeService {
 public:
  CommitteeService(store::Database& db, const Clock& clock, const CertificationConfig& config);

  // invalid_input naming panel / held_on / members[i].member_code / members[i].role / members.
  Result<SessionView> create_session(const SessionInput& input, const std::string& actor);
  // invalid_input "application_ids" (empty), not_found "application_ids[i]", conflict: the
  // session not planned, an application not ready or before another open session.
  Result<SessionView> add_cases(std::int64_t session_id, const std::vector<std::int64_t>& application_ids,
                                const std::string& actor);
  // NT-11. not_found; conflict: not planned, no cases, a case no longer ready.
  Result<SessionView> request(std::int64_t session_id, const std::string& actor);

  Result<std::optional<SessionView>> find(std::int64_t session_id);
  // Sessions held between from and to (inclusive; none: unbounded), latest first.
  Result<std::vector<SessionSummary>> list(std::optional<Date> from, std::optional<Date> to);

 private:
  store::Database& db_;
  const Clock& clock_;
  const CertificationConfig& config_;
};

// committee_members.tsv into committee_member, in one statement (on the caller's connection).
Result<void> sync_members(store::Connection& c, const CertificationConfig& config);

// NT-12 (counterpart shinsa). config must outlive the handler.
linkage::ApplyFn decisions_handler(const Clock& clock, const CertificationConfig& config);

// The session as the API shows it (on the caller's connection); none when it does not exist.
Result<std::optional<SessionView>> load_session(store::Connection& c, std::int64_t session_id);

}  // namespace kaigo::certification
