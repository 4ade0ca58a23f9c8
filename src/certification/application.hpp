#pragma once
// 要介護認定等申請 and its 30-day clock (NT-01 … NT-05, 延期通知, the days-to-decision report).
// docs/api-certification.md "Applications and the clock"; tables of migrations 014 and 015.
//
//   intake      NT-01: validated whole before anything is written (the person insured on the
//               application day, the kind's conditions, a category-2 applicant's 特定疾病, no second
//               open application), then in ONE transaction the application, its deadline and warn
//               day, and the NT-01 document to the committee-support system (shinsa). A category-2
//               applicant's checks NT-02 (医療保険資格) and NT-04 (保険料等滞納) are asked through the
//               番号連携 gateway right after (the gateway commits its own inquiry rows); if that
//               fails the background job asks (run_checks_due). A transfer within 14 days of
//               acquisition (法36条 受給資格証明書) is decided at once on the certificate's terms.
//   the checks  NT-03/NT-05: run_checks_due applies the answered inquiries (the answer must be of
//               the person and kind asked), asks the missing ones, and asks again after an
//               inquiry that ended without an answer.
//   the clock   days since application and per stage, warning from warn_on, overdue past the
//               deadline (法27条11項) unless a 延期通知 covers today, done when decided/withdrawn.
//   延期通知     a reason and the expected day, one document each (the 延期通知書 PDF).
//   report      days to decision per month of decision, per stage, per contractor and institution.
//
// Thread-safety: ApplicationService holds references only and may be used from several threads;
// run_checks_due may run on several instances (each answer is applied by a compare-and-set).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certification/codes.hpp"
#include "certification/rules.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "gateway/inquiry_service.hpp"
#include "store/database.hpp"

namespace kaigo::certification {

// ---- the clock (pure) ------------------------------------------------------------------------

enum class ClockState { on_time, warning, overdue, postponed, done };
std::string_view to_code(ClockState s);   // "on_time", "warning", "overdue", "postponed", "done"
std::string_view label(ClockState s);     // 期限内, 期限間近, 期限超過, 延期通知済, 完了

struct ClockInput {
  Date applied_on, deadline_on, warn_on;
  std::optional<Date> finished_on;      // decided_on, or withdrawn_on: the clock stops
  std::optional<Date> postponed_until;  // the latest 延期通知's expected day
};

struct ClockView {
  int days_elapsed = 0;  // (finished_on or today) − applied_on
  int days_left = 0;     // deadline_on − (finished_on or today); negative past the deadline
  ClockState state = ClockState::on_time;
};

// done when finished; else postponed when a 延期通知 expects a day ≥ today; else overdue past the
// deadline; else warning from warn_on; else on_time.
ClockView clock_of(const ClockInput& in, Date today);

// The day each stage of an application ended (the clock columns of certification_application).
struct StageDates {
  Date applied_on;
  std::optional<Date> assessment_requested_on, assessment_received_on, opinion_requested_on, opinion_received_on,
      ready_on, scheduled_on, decided_on, notified_on;
};

// One stage: from its start to its end, or running (to none) until today when it has started.
struct StageSpan {
  std::string stage;   // application_to_assessment_request, assessment, application_to_opinion_request,
                       // opinion, ready_to_committee, committee_to_decision, decision_to_notice
  std::string label;   // 申請→調査依頼, 調査依頼→調査結果, …
  std::optional<Date> from, to;
  std::optional<int> days;  // to − from, or today − from while running; none before it starts
};

// The seven stages in order. A withdrawn application passes `stop` (its withdrawal day), so its
// unfinished stages stop running then.
std::vector<StageSpan> stages_of(const StageDates& d, Date today, std::optional<Date> stop = std::nullopt);

// ---- read models -----------------------------------------------------------------------------

// A line of the list: the application with its timers.
struct ApplicationRow {
  std::int64_t application_id = 0;
  std::string application_no, person_id, name, name_kana, insured_no;
  std::string kind, category;
  Date applied_on, deadline_on, warn_on;
  ClockView clock;
  std::string status;
  std::optional<Date> postponed_until;
  StageDates dates;
  std::optional<Date> withdrawn_on;
  std::string insurance_check, arrears_check;  // shown on the list too: a category-2 applicant found uninsured is flagged
};

std::string_view kind_label(std::string_view kind);      // 新規, 更新, 区分変更, 職権, 転入 (受給資格証明書)
std::string_view status_label(std::string_view status);  // 受付, 調査・意見書依頼中, 審査会待ち, …
// What the application is waiting for now, e.g. 調査結果・意見書待ち, 審査会待ち, 通知待ち.
std::string stage_label(const ApplicationRow& row);

struct Postponement {
  std::int64_t postponement_id = 0;
  std::int64_t application_id = 0;
  std::string reason;
  Date expected_on;
  Date issued_on;
  std::string issued_by;
  std::optional<std::int64_t> document_id;  // its certification_document (postponement_notice)
};

// The category-2 checks as asked and answered.
struct CheckRecord {
  std::int64_t inquiry_id = 0;
  std::string check_kind;     // insurance | arrears
  std::string request_flow;   // NT-02 | NT-04
  std::string inquiry_status;  // gateway::InquiryStatus
  std::optional<std::string> outcome, summary, reject_reason, applied_at;
  std::string created_at;
};

struct AssessmentView {
  std::int64_t assessment_id = 0;
  std::string request_no, assessor_kind;
  std::optional<std::string> contractor_code;
  std::string assessor_name, requested_on, due_on, status;
  std::optional<std::string> assessed_on, received_on;
  std::optional<std::int64_t> standard_tenths;
  std::optional<bool> cognitive_decline, unstable_condition;
  std::optional<std::string> dementia_independence, bedridden_independence;
  std::optional<std::string> items_json;     // {"1-1-1":"1", …} as received (NT-08)
  std::optional<std::string> special_notes;  // 特記事項
};

struct OpinionView {
  std::int64_t opinion_id = 0;
  std::string request_no, institution_code, doctor_name;
  bool first_visit = false;
  std::string requested_on, due_on, status;
  std::optional<std::string> written_on, received_on, specified_disease;
  std::optional<std::string> content_json;  // diagnoses, independence levels, remarks as received (NT-10)
};

struct FirstStageView {
  std::string care_level;
  std::int64_t standard_tenths = 0;
  std::string explanation, computed_at;
};

struct CaseView {
  std::int64_t session_id = 0;
  std::string session_no, held_on, status;
  std::optional<std::string> outcome;
};

struct DecisionView {
  std::int64_t decision_id = 0;
  std::optional<std::int64_t> session_id;
  std::string care_level;
  std::optional<std::string> first_stage_level;
  std::optional<std::int64_t> validity_months;
  std::optional<std::string> valid_from, valid_to;
  std::string remarks, change_reason, decided_on;
};

struct CertificationView {
  std::int64_t certification_id = 0;
  std::int64_t application_id = 0;
  std::string care_level, valid_from, valid_to, certified_on;
  std::int64_t monthly_cap_units = 0;
  std::string status, remarks;
};

struct DocumentView {
  std::int64_t document_id = 0;
  std::string kind, issued_on, issued_by;
  std::optional<std::int64_t> certification_id;
};

// One application with its whole workflow.
struct Application {
  ApplicationRow row;
  std::string place, applicant_relation, reason;
  std::optional<std::string> specified_disease;
  std::optional<std::int64_t> previous_certification_id, certificate_id;
  std::optional<std::int64_t> insurance_inquiry_id, arrears_inquiry_id, arrears_months;
  std::optional<std::int64_t> handed_exchange_id;
  std::optional<std::string> withdraw_reason;
  std::string created_at, created_by;
  std::vector<StageSpan> stages;
  std::vector<Postponement> postponements;
  std::vector<CheckRecord> checks;
  std::vector<AssessmentView> assessments;
  std::vector<OpinionView> opinions;
  std::optional<FirstStageView> first_stage;
  std::vector<CaseView> cases;
  std::optional<DecisionView> decision;
  std::optional<CertificationView> certification;   // the one this application granted
  std::vector<DocumentView> documents;
  std::optional<CertificationView> previous_certification;
};

// ---- requests --------------------------------------------------------------------------------

struct IntakeRequest {
  std::string person_id;
  std::string kind;                 // new | renewal | change | ex_officio | transfer
  Date applied_on;
  std::string place;                // home | facility
  std::string applicant_relation;   // one of applicant_relations()
  std::optional<std::string> specified_disease;  // category 2: a code of config/codes/specified_diseases.tsv
  std::string reason;               // change / ex_officio: why (required)
};

// 申請者 (who filed it): 本人, 家族, 地域包括支援センター, 居宅介護支援事業者, 施設, 職権 — 施行規則35条 lets
// these file on the person's behalf.
const std::vector<std::string>& applicant_relations();

// The list's filters (docs/api-certification.md).
enum class ListFilter { open, warning, overdue, postponed, waiting_assessment, waiting_opinion, ready, scheduled, decided, all };
Result<ListFilter> list_filter_from_code(std::string_view code);  // invalid_input "filter"

struct ListQuery {
  ListFilter filter = ListFilter::open;
  std::string q;  // application_no ("A…"), insured_no (digits) or kana prefix
  int limit = 50;
  int offset = 0;
};

struct ApplicationPage {
  std::vector<ApplicationRow> items;
  std::int64_t total = 0;
};

// A person's certifications (newest first) and applications (newest first).
struct PersonCertifications {
  std::string person_id, name, name_kana;
  std::optional<std::string> insured_no;
  std::vector<CertificationView> certifications;
  std::vector<ApplicationRow> applications;
};

// ---- the report ------------------------------------------------------------------------------

// Days as integer tenths for means and medians (41.3 days → 413); whole days for max.
struct DaysStats {
  std::int64_t count = 0;
  std::int64_t mean_tenths = 0;
  std::int64_t median_tenths = 0;
  std::int64_t max_days = 0;
};

struct MonthRow {
  std::string month;  // YYYY-MM of decided_on
  DaysStats days;
  std::int64_t within_deadline = 0;  // decided on or before deadline_on
  std::int64_t postponed = 0;        // with at least one 延期通知
};

struct StageRow {
  std::string stage, label;
  std::int64_t count = 0;
  std::int64_t mean_tenths = 0;
};

struct ProviderRow {
  std::string code, name;  // contractor or institution (name from the config list; "" when unknown)
  DaysStats days;          // request → result received
  std::int64_t overdue = 0;  // received after due_on
};

struct Report {
  std::string from_month, to_month;  // inclusive, YYYY-MM
  DaysStats total;
  std::int64_t within_deadline = 0;
  std::vector<MonthRow> months;
  std::vector<StageRow> stages;
  std::vector<ProviderRow> contractors;
  std::vector<ProviderRow> institutions;
};

// ---- the service -----------------------------------------------------------------------------

// How often a category-2 check is asked before it is left to staff (an inquiry that ended without
// an answer, or an answer refused as not the one asked).
inline constexpr int kMaxCheckAttempts = 3;
// The latest 処理見込期日 a 延期通知 may give, counted from its issue day: a sanity bound on a typed
// date, not a rule of law (法27条11項 only says the notice gives the expected day and the reason).
inline constexpr int kMaxPostponementDays = 180;

struct CheckRunReport {
  std::int64_t asked = 0;      // inquiries submitted now (NT-02 / NT-04)
  std::int64_t adopted = 0;    // inquiries of an interrupted intake linked now
  std::int64_t applied = 0;    // answers applied (NT-03 / NT-05)
  std::int64_t failed = 0;     // inquiries that ended without an answer (asked again later)
  std::int64_t rejected = 0;   // answers refused (another person or kind)
  std::int64_t total() const { return asked + adopted + applied + failed + rejected; }
};

class ApplicationService {
 public:
  // inquiries may be null (番号連携 not configured): a category-2 application is recorded with its
  // checks pending and asked by run_checks_due once a gateway is there.
  ApplicationService(store::Database& db, const Clock& clock, const CertificationConfig& config,
                     gateway::InquiryService* inquiries);

  // NT-01. invalid_input naming the field (kind, applied_on, place, applicant_relation,
  // specified_disease, reason); not_found "person_id"; conflict: not insured on applied_on, a
  // second open application, no current certification for a renewal/change (or one for a new
  // application), a renewal outside its window, a transfer without a certificate or past 14 days.
  Result<Application> intake(const IntakeRequest& request, const std::string& actor);

  // 取下げ: NT-01 again with withdrawn_on. not_found; conflict when decided, notified or withdrawn.
  Result<Application> withdraw(std::int64_t application_id, const std::string& reason, const std::string& actor);

  // 延期通知 (法27条11項ただし書). invalid_input "reason" / "expected_on" (must be after today and
  // after the deadline, at most kMaxPostponementDays ahead); conflict when decided or withdrawn.
  Result<Postponement> postpone(std::int64_t application_id, const std::string& reason, Date expected_on,
                                const std::string& actor);

  Result<std::optional<Application>> find(std::int64_t application_id);
  Result<std::optional<Postponement>> find_postponement(std::int64_t application_id, std::int64_t postponement_id);
  Result<ApplicationPage> list(const ListQuery& query);
  // How many applications each filter holds today (the list's tabs), in one statement.
  Result<std::vector<std::pair<std::string, std::int64_t>>> filter_counts();
  Result<std::optional<PersonCertifications>> for_person(const std::string& person_id);

  // from/to: YYYY-MM, inclusive (invalid_input "from"/"to"); none: the 12 months up to this one.
  Result<Report> report(std::optional<std::string> from_month, std::optional<std::string> to_month);

  // Asks the category-2 checks of one application that are pending without an open inquiry.
  Result<CheckRunReport> ask_checks(std::int64_t application_id, const std::string& actor);

 private:
  store::Database& db_;
  const Clock& clock_;
  const CertificationConfig& config_;
  gateway::InquiryService* inquiries_;
};

// Asks the category-2 checks of one application that are pending without an open inquiry (NT-02,
// NT-04), adopting an inquiry an interrupted intake sent. unavailable without a gateway.
Result<CheckRunReport> ask_checks(store::Database& db, const Clock& clock, gateway::InquiryService* inquiries,
                                  std::int64_t application_id, const std::string& actor);

// The background job of NT-03/NT-05 (kaigo serve): links inquiries of an interrupted intake,
// asks pending checks without an open inquiry (inquiries null: asks nothing), and applies every
// final answer not applied yet, each in its own transaction. Up to `limit` of each.
Result<CheckRunReport> run_checks_due(store::Database& db, const Clock& clock, gateway::InquiryService* inquiries,
                                      const std::string& actor, int limit = 500);

}  // namespace kaigo::certification
