// NT-08 (認定調査結果) and NT-10 (主治医意見書) from shinsa: checked whole, then applied in the
// inbox's transaction (workflow.hpp).
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "certification/committee.hpp"
#include "certification/workflow.hpp"
#include "certification/workflow_internal.hpp"

namespace kaigo::certification {

using namespace workflow_detail;

namespace {

// The request a result answers, with its application.
struct OpenRequest {
  std::int64_t request_id = 0;
  std::string status;  // requested | received | cancelled
  Date requested_on;
  std::string assessor_kind;                  // NT-08
  std::optional<std::string> contractor_code; // NT-08
  std::string institution_code;               // NT-10
  bool first_visit = false;                   // NT-10
  ApplicationFacts application;
};

std::unexpected<Error> refuse(ErrorKind kind, const std::string& path, const std::string& what) {
  return fail(kind, fmt::format("{}: {}", path, what), path);
}

// The checks every result shares: its request known, open, of the application it names, which is
// open; the day of the work neither after today nor before the request.
Result<void> check_request(const std::optional<OpenRequest>& r, const std::string& base, const std::string& application_no,
                           Date work_on, const char* work_field, Date today) {
  if (!r) return refuse(ErrorKind::not_found, base + ".request_no", "no such request");
  if (r->application.application_no != application_no)
    return refuse(ErrorKind::invalid_input, base + ".application_no", "is not the application of the request");
  if (r->status == "cancelled")
    return refuse(ErrorKind::conflict, base + ".request_no", "the request was cancelled (a later request replaced it)");
  if (r->status == "received") return refuse(ErrorKind::conflict, base + ".request_no", "the request already has its result");
  if (r->application.status == "withdrawn")
    return refuse(ErrorKind::conflict, base + ".application_no", "the application is withdrawn");
  if (!is_open(r->application.status))
    return refuse(ErrorKind::conflict, base + ".application_no", "the application is closed (already decided)");
  if (today < work_on) return refuse(ErrorKind::invalid_input, fmt::format("{}.{}", base, work_field), "is after today");
  if (work_on < r->requested_on)
    return refuse(ErrorKind::invalid_input, fmt::format("{}.{}", base, work_field), "is before the request");
  return {};
}

// A request row locked for its answer: columns 0–2 are id, status, requested_on, column 5 the
// application; `fill` reads the kind's own columns 3–4.
Result<std::optional<OpenRequest>> find_request(store::Connection& c, const std::string& sql, const std::string& request_no,
                                                const char* what, void (*fill)(const store::Row&, OpenRequest&)) {
  auto r = c.query_one(fmt::format("{}{}", sql, c.for_update()), {request_no});
  if (!r) return std::unexpected(r.error());
  if (!*r) return std::optional<OpenRequest>();
  OpenRequest o;
  o.request_id = (*r)->i64(0);
  o.status = (*r)->str(1);
  o.requested_on = Date::parse((*r)->str(2)).value_or(Date());
  fill(**r, o);
  auto app = load_application(c, (*r)->i64(5), true);
  if (!app) return std::unexpected(app.error());
  if (!*app) return fail(ErrorKind::internal, fmt::format("{} without its application", what));
  o.application = std::move(**app);
  return std::optional<OpenRequest>(std::move(o));
}

Result<std::optional<OpenRequest>> find_assessment_request(store::Connection& c, const std::string& request_no) {
  return find_request(c,
                      "SELECT assessment_id, status, requested_on, assessor_kind, contractor_code, application_id "
                      "FROM home_assessment WHERE request_no = $1",
                      request_no, "an assessment", [](const store::Row& r, OpenRequest& o) {
                        o.assessor_kind = r.str(3);
                        o.contractor_code = r.opt_str(4);
                      });
}

Result<std::optional<OpenRequest>> find_opinion_request(store::Connection& c, const std::string& request_no) {
  return find_request(c,
                      "SELECT opinion_id, status, requested_on, institution_code, first_visit, application_id "
                      "FROM physician_opinion WHERE request_no = $1",
                      request_no, "an opinion", [](const store::Row& r, OpenRequest& o) {
                        o.institution_code = r.str(3);
                        o.first_visit = r.i64(4) == 1;
                      });
}

// 施行規則: the fee tables distinguish 新規 from 更新 (every kind but renewal is 新規) and 在宅 from
// 施設.
std::string assessment_fee_key(const ApplicationFacts& a) {
  return fmt::format("assessment.{}.{}", a.kind == ApplicationKind::renewal ? "renewal" : "new", a.place);
}
std::string opinion_fee_key(const ApplicationFacts& a, bool first_visit) {
  return fmt::format("opinion.{}.{}", first_visit ? "first" : "continued", a.place);
}

// A refusal of the whole document, with what kind of document it was.
std::unexpected<Error> refused(const char* what, const Error& e) {
  return fail(e.kind, fmt::format("{} refused: {}", what, e.message), e.field);
}

Result<void> apply_assessment_results(store::Connection& c, const Clock& clock, const CertificationConfig& config,
                                      const linkage::Exchange& exchange) {
  auto results = shinsa::parse_assessment_results(exchange.payload, config);
  if (!results) return std::unexpected(results.error());
  const Date today = clock.today();
  // Every result checked before any is applied.
  std::vector<OpenRequest> requests;
  for (std::size_t i = 0; i < results->size(); ++i) {
    const auto& r = (*results)[i];
    auto found = find_assessment_request(c, r.request_no);
    if (!found) return std::unexpected(found.error());
    if (auto ok = check_request(*found, fmt::format("results[{}]", i), r.application_no, r.assessed_on, "assessed_on", today); !ok)
      return ok;
    if ((*found)->assessor_kind == "contractor" && (!(*found)->contractor_code || !config.contractor(*(*found)->contractor_code)))
      return refuse(ErrorKind::conflict, fmt::format("results[{}].request_no", i),
                    "the request's contractor is no longer in assessment_contractors.tsv (its fee has no payee)");
    requests.push_back(std::move(**found));
  }
  const std::string now = clock.timestamp();
  for (std::size_t i = 0; i < results->size(); ++i) {
    const auto& r = (*results)[i];
    const OpenRequest& q = requests[i];
    nlohmann::json items(r.items);
    auto stored = c.exec(
        "UPDATE home_assessment SET status = 'received', assessed_on = $2, items = $3, special_notes = $4, standard_tenths = $5, "
        "cognitive_decline = $6, unstable_condition = $7, dementia_independence = $8, bedridden_independence = $9, "
        "assessor_name = CASE WHEN CAST($10 AS TEXT) = '' THEN assessor_name ELSE CAST($10 AS TEXT) END, result_exchange_id = $11, received_on = $12 "
        "WHERE assessment_id = $1 AND status = 'requested'",
        {q.request_id, r.assessed_on.iso(), items.dump(), r.special_notes, r.standard_tenths,
         std::int64_t{r.cognitive_decline ? 1 : 0}, std::int64_t{r.unstable_condition ? 1 : 0}, r.dementia_independence,
         r.bedridden_independence, r.assessor_name, exchange.exchange_id, today.iso()});
    if (!stored) return std::unexpected(stored.error());
    if (*stored != 1)  // another instance took it between the check and here
      return refuse(ErrorKind::conflict, fmt::format("results[{}].request_no", i), "the request already has its result");
    auto clock_column = c.exec(
        "UPDATE certification_application SET assessment_received_on = $2, updated_at = $3 WHERE application_id = $1",
        {q.application.application_id, today.iso(), now});
    if (!clock_column) return std::unexpected(clock_column.error());
    if (q.assessor_kind == "contractor") {
      const Contractor* contractor = config.contractor(*q.contractor_code);
      auto fee = accrue_fee(c, clock, config.rules,
                            FeeAccrual{"NT-16", fmt::format("NT-16:assessment:{}", q.request_id), contractor->payee_code,
                                       contractor->name, assessment_fee_key(q.application), r.assessed_on,
                                       q.application.application_id, std::nullopt});
      if (!fee) return fee;
    }
    if (auto p = linkage::add_person(c, exchange.exchange_id, q.application.person_id); !p) return p;
    auto ready = ready_if_complete(c, clock, config.rules, q.application.application_id);
    if (!ready) return std::unexpected(ready.error());
  }
  return {};
}

Result<void> apply_opinions(store::Connection& c, const Clock& clock, const CertificationConfig& config,
                            const linkage::Exchange& exchange) {
  auto opinions = shinsa::parse_opinions(exchange.payload, config);
  if (!opinions) return std::unexpected(opinions.error());
  const Date today = clock.today();
  std::vector<OpenRequest> requests;
  for (std::size_t i = 0; i < opinions->size(); ++i) {
    const auto& o = (*opinions)[i];
    auto found = find_opinion_request(c, o.request_no);
    if (!found) return std::unexpected(found.error());
    const std::string base = fmt::format("opinions[{}]", i);
    if (auto ok = check_request(*found, base, o.application_no, o.written_on, "written_on", today); !ok) return ok;
    if ((*found)->institution_code != o.institution_code)
      return refuse(ErrorKind::invalid_input, base + ".institution_code", "is not the institution asked");
    requests.push_back(std::move(**found));
  }
  const std::string now = clock.timestamp();
  for (std::size_t i = 0; i < opinions->size(); ++i) {
    const auto& o = (*opinions)[i];
    const OpenRequest& q = requests[i];
    // 第2号被保険者: the 特定疾病 of the application is the doctor's to confirm (法7条3項2号). A
    // difference is for staff to judge, not a reason to refuse the opinion.
    auto content = nlohmann::json::parse(o.content_json);
    content["specified_disease_differs"] = q.application.category == "2" && o.specified_disease &&
                                           q.application.specified_disease != o.specified_disease;
    auto stored = c.exec(
        "UPDATE physician_opinion SET status = 'received', written_on = $2, content = $3, specified_disease = $4, "
        "doctor_name = $5, result_exchange_id = $6, received_on = $7 WHERE opinion_id = $1 AND status = 'requested'",
        {q.request_id, o.written_on.iso(), content.dump(), store::opt(o.specified_disease), o.doctor_name,
         exchange.exchange_id, today.iso()});
    if (!stored) return std::unexpected(stored.error());
    if (*stored != 1)
      return refuse(ErrorKind::conflict, fmt::format("opinions[{}].request_no", i), "the request already has its result");
    auto clock_column = c.exec(
        "UPDATE certification_application SET opinion_received_on = $2, updated_at = $3 WHERE application_id = $1",
        {q.application.application_id, today.iso(), now});
    if (!clock_column) return std::unexpected(clock_column.error());
    const MedicalInstitution* institution = config.institution(q.institution_code);
    auto fee = accrue_fee(c, clock, config.rules,
                          FeeAccrual{"NT-17", fmt::format("NT-17:opinion:{}", q.request_id), institution->payee_code,
                                     institution->name, opinion_fee_key(q.application, q.first_visit), o.written_on,
                                     q.application.application_id, std::nullopt});
    if (!fee) return fee;
    if (auto p = linkage::add_person(c, exchange.exchange_id, q.application.person_id); !p) return p;
    auto ready = ready_if_complete(c, clock, config.rules, q.application.application_id);
    if (!ready) return std::unexpected(ready.error());
  }
  return {};
}

}  // namespace

linkage::ApplyFn assessment_results_handler(const Clock& clock, const CertificationConfig& config) {
  return [&clock, &config](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    auto r = apply_assessment_results(c, clock, config, e);
    if (!r) return refused("assessment results (NT-08)", r.error());
    return {};
  };
}

linkage::ApplyFn opinions_handler(const Clock& clock, const CertificationConfig& config) {
  return [&clock, &config](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    auto r = apply_opinions(c, clock, config, e);
    if (!r) return refused("opinions (NT-10)", r.error());
    return {};
  };
}

linkage::InboundHandlers certification_workflow_inbound_handlers(const Clock& clock, const CertificationConfig& config) {
  return {{"NT-08", assessment_results_handler(clock, config)},
          {"NT-10", opinions_handler(clock, config)},
          {"NT-12", decisions_handler(clock, config)}};
}

}  // namespace kaigo::certification
