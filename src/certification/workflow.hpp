#pragma once
// The home assessment and the physician's opinion of an application (NT-07 … NT-10) and the first
// stage they lead to (rules.md §3). docs/api-certification.md "Assessment, opinion, committee";
// documents in docs/shinsa-layout.md; tables of migration 014.
//
//   NT-07  request_assessment: a contractor of assessment_contractors.tsv or the city's own
//          assessor (by name), due in kDefaultDueDays unless given. One transaction: an open
//          request of the application is cancelled (the contractor gave it back), the
//          home_assessment row (request_no "C" + the application number's digits + "-" + n), the
//          kaigo.chosa.request/1 document to chosa, the application → investigating with
//          assessment_requested_on (first request only). A request while the application is ready
//          (a re-assessment) takes it back to investigating until the new result is in, and off any
//          planned session it was put before.
//   NT-08  the assessment results from shinsa (assessment_results_handler): the whole document is
//          checked — its own form (shinsa_format.hpp), then every result's request known and open,
//          of the application it names, the application open, the assessment day not after today
//          nor before the request — before anything is written; a fault refuses it all naming
//          results[i].field. Then, in the inbox's transaction: each result stored (compare-and-set
//          requested → received), assessment_received_on, the contractor's fee accrued (NT-16, one
//          per assessment: basis_key "NT-16:assessment:<id>"), and the first stage when the opinion
//          is in too.
//   NT-09  request_opinion: an institution of medical_institutions.tsv, the doctor, 初回/継続; like
//          NT-07 (request_no "D…-n", kaigo.iryokikan.opinion_request/1 to iryokikan,
//          opinion_requested_on).
//   NT-10  the opinions from shinsa (opinions_handler): checked whole the same way (the institution
//          must be the one asked); stored with opinion_received_on, the institution's fee accrued
//          (NT-17, "NT-17:opinion:<id>"). A category-2 application whose opinion names another
//          特定疾病 than the application is not refused: the stored content says
//          "specified_disease_differs": true for staff.
//   ready  when the latest assessment and the latest opinion are both received, the first stage is
//          computed (rules of applied_on) into first_stage_result and the application is ready
//          (ready_on).
// Fees: the key of the rule file (assessment.<new|renewal>.<home|facility>, opinion.<first|
// continued>.<home|facility>) at the amount in force on the day of the work.
//
// Thread-safety: WorkflowService holds references only; the handlers may run on several instances
// (each result is applied by a compare-and-set on its request).
#include <cstdint>
#include <optional>
#include <string>

#include "certification/application.hpp"
#include "certification/codes.hpp"
#include "core/clock.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/exchange_store.hpp"
#include "store/database.hpp"

namespace kaigo::certification {

// The default time a contractor or doctor is given (a city's usual 2 weeks; the request may say
// otherwise).
inline constexpr int kDefaultDueDays = 14;

struct AssessmentRequestInput {
  std::string assessor_kind;                   // contractor | city
  std::optional<std::string> contractor_code;  // contractor: a code of assessment_contractors.tsv
  std::string assessor_name;                   // city: required (the city's 調査員); contractor: optional
  std::optional<Date> due_on;                  // default today + kDefaultDueDays; not before today
};

struct OpinionRequestInput {
  std::string institution_code;  // medical_institutions.tsv
  std::string doctor_name;
  bool first_visit = true;       // 初回 (新規の意見書) or 継続: the fee differs
  std::optional<Date> due_on;
};

template <typename View>
struct Requested {
  std::string person_id;        // for the access log
  View view;
  std::int64_t exchange_id = 0;  // the NT-07 / NT-09 exchange
};

class WorkflowService {
 public:
  WorkflowService(store::Database& db, const Clock& clock, const CertificationConfig& config);

  // NT-07. invalid_input naming assessor_kind / contractor_code / assessor_name / due_on;
  // not_found "application_id"; conflict when the application is withdrawn, decided or before a
  // session (scheduled).
  Result<Requested<AssessmentView>> request_assessment(std::int64_t application_id, const AssessmentRequestInput& input,
                                                       const std::string& actor);
  // NT-09. invalid_input naming institution_code / doctor_name / due_on; not_found; conflict as above.
  Result<Requested<OpinionView>> request_opinion(std::int64_t application_id, const OpinionRequestInput& input,
                                                 const std::string& actor);

 private:
  store::Database& db_;
  const Clock& clock_;
  const CertificationConfig& config_;
};

// NT-08 and NT-10 (counterpart shinsa), and NT-12 (committee.hpp): `serve` merges them into its
// InboundHandlers. config must outlive the handlers.
linkage::InboundHandlers certification_workflow_inbound_handlers(const Clock& clock, const CertificationConfig& config);
linkage::ApplyFn assessment_results_handler(const Clock& clock, const CertificationConfig& config);
linkage::ApplyFn opinions_handler(const Clock& clock, const CertificationConfig& config);

}  // namespace kaigo::certification
