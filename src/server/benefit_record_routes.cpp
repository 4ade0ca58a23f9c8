// 給付 benefit records from the 国保連 (docs/api-benefit.md "Benefit records from the 国保連 (KY-04)"):
// the files received (applied or refused, with their errors) and the records by person and month.
// A person's records are in the access log.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/benefit_record.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;

// 'YYYY-MM' or absent; invalid_input naming the query parameter.
Result<std::string> month_query(const ApiRequest& req, const char* name, bool required) {
  const auto v = req.query(name);
  if (!v || v->empty()) {
    if (required) return fail(ErrorKind::invalid_input, fmt::format("{} is required (YYYY-MM)", name), name);
    return std::string();
  }
  const std::string& s = *v;
  const bool ok = s.size() == 7 && s[4] == '-' && std::isdigit(static_cast<unsigned char>(s[0])) &&
                  std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[2])) &&
                  std::isdigit(static_cast<unsigned char>(s[3])) && ((s[5] == '0' && s[6] >= '1' && s[6] <= '9') ||
                                                                    (s[5] == '1' && s[6] >= '0' && s[6] <= '2'));
  if (!ok) return fail(ErrorKind::invalid_input, fmt::format("{} must be a month YYYY-MM", name), name);
  return s;
}

json totals_json(const benefit::Totals& t) {
  return {{"records", t.records},
          {"total_cost", t.total_cost},
          {"insurance_paid", t.insurance_paid},
          {"copayment", t.copayment},
          {"public_paid", t.public_paid}};
}

json file_json(const benefit::InboundFile& f) {
  json j = {{"file_id", f.file_id},
            {"flow_id", f.flow_id},
            {"exchange_id", f.exchange_id ? json(*f.exchange_id) : json(nullptr)},
            {"sha256", f.sha256},
            {"layout_version", f.layout_version},
            {"status", f.status},
            {"record_count", f.record_count},
            {"summary", json::parse(f.summary, nullptr, false)},
            {"quarantined", !f.quarantine_path.empty()},
            {"received_at", f.received_at}};
  return j;
}

json record_json(const benefit::BenefitRecord& r, const benefit::BenefitConfig* cfg) {
  const auto* kind = cfg ? cfg->service_kind(r.service_kind) : nullptr;
  const auto* office = cfg ? cfg->office(r.office_no) : nullptr;
  return {{"record_id", r.record_id},
          {"claim_no", r.claim_no},
          {"service_month", r.service_month},
          {"review_month", r.review_month},
          {"office_no", r.office_no},
          {"office_name", office ? json(office->name) : json(nullptr)},
          {"service_kind", r.service_kind},
          {"service_kind_name", kind ? json(kind->name) : json(nullptr)},
          {"payment_kind", r.payment_kind},
          {"days", r.days},
          {"units", r.units},
          {"unit_price_hundredths", r.unit_price_hundredths},
          {"total_cost", r.total_cost},
          {"insurance_paid", r.insurance_paid},
          {"copayment", r.copayment},
          {"public_paid", r.public_paid},
          {"status", r.status},
          {"file_id", r.file_id},
          {"line_no", r.line_no}};
}

}  // namespace

void add_benefit_record_routes(Router& router, ServerContext& ctx) {
  router.add(Route{"GET", "/api/v1/benefit/inbound-files", "KY-04 … files received from counterparts, applied or refused, newest first",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string flow = req.query("flow").value_or("");
                     std::vector<benefit::InboundFile> files;
                     auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto l = benefit::list_inbound_files(c, flow, 200);
                       if (!l) return std::unexpected(l.error());
                       files = std::move(*l);
                       return {};
                     });
                     if (!r) return std::unexpected(r.error());
                     json out = json::array();
                     for (const auto& f : files) out.push_back(file_json(f));
                     return ApiResponse::json(out);
                   }});
  router.add(Route{"GET", "/api/v1/benefit/inbound-files/{file_id}", "one received file with its errors (line, field, message)",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_param(req.path_params.at(0), "file_id");
                     if (!id) return std::unexpected(id.error());
                     std::optional<benefit::InboundFile> file;
                     auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto f = benefit::inbound_file(c, *id);
                       if (!f) return std::unexpected(f.error());
                       file = std::move(*f);
                       return {};
                     });
                     if (!r) return std::unexpected(r.error());
                     if (!file) return fail(ErrorKind::not_found, fmt::format("no received file {}", *id), "file_id");
                     json j = file_json(*file);
                     j["errors"] = json::array();
                     for (const auto& e : file->errors)
                       j["errors"].push_back({{"line", e.line_no}, {"field", e.field}, {"message", e.message}});
                     return ApiResponse::json(j);
                   }});
  router.add(Route{"GET", "/api/v1/persons/{person_id}/benefit-records",
                   "KY-04: the person's current benefit records by service month, with totals (?from=YYYY-MM&to=YYYY-MM)",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     if (auto cfg = ctx.benefit_config(); !cfg) return std::unexpected(cfg.error());
                     const std::string person_id = req.path_params.at(0);
                     auto from = month_query(req, "from", false);
                     if (!from) return std::unexpected(from.error());
                     auto to = month_query(req, "to", false);
                     if (!to) return std::unexpected(to.error());
                     std::vector<benefit::PersonMonth> months;
                     auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto m = benefit::person_records(c, person_id, *from, *to);
                       if (!m) return std::unexpected(m.error());
                       months = std::move(*m);
                       return {};
                     });
                     if (!r) return std::unexpected(r.error());
                     auto logged = ctx.db.transaction([&](store::Connection& c) {
                       return record_access(c, ctx.clock, req.user().user.user_id, person_id, AccessAction::read,
                                            "GET /api/v1/persons/{person_id}/benefit-records", false);
                     });
                     if (!logged) return std::unexpected(logged.error());
                     json out = json::array();
                     benefit::Totals all;
                     for (const auto& m : months) {
                       json recs = json::array();
                       for (const auto& rec : m.records) recs.push_back(record_json(rec, ctx.benefit));
                       out.push_back({{"service_month", m.service_month}, {"totals", totals_json(m.totals)}, {"records", recs}});
                       all.records += m.totals.records;
                       all.total_cost += m.totals.total_cost;
                       all.insurance_paid += m.totals.insurance_paid;
                       all.copayment += m.totals.copayment;
                       all.public_paid += m.totals.public_paid;
                     }
                     return ApiResponse::json({{"person_id", person_id}, {"months", out}, {"totals", totals_json(all)}});
                   }});
  router.add(Route{"GET", "/api/v1/benefit/benefit-records/summary",
                   "KY-04: a service month's totals (records, persons, cost, co-payment; 現物/償還; by service kind)",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto month = month_query(req, "month", true);
                     if (!month) return std::unexpected(month.error());
                     benefit::MonthSummary s;
                     auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto m = benefit::month_summary(c, *month);
                       if (!m) return std::unexpected(m.error());
                       s = std::move(*m);
                       return {};
                     });
                     if (!r) return std::unexpected(r.error());
                     json kinds = json::array();
                     for (const auto& k : s.by_service_kind) {
                       const auto* kind = ctx.benefit ? ctx.benefit->service_kind(k.service_kind) : nullptr;
                       kinds.push_back({{"service_kind", k.service_kind}, {"name", kind ? json(kind->name) : json(nullptr)},
                                        {"totals", totals_json(k.totals)}});
                     }
                     return ApiResponse::json({{"service_month", s.service_month}, {"persons", s.persons},
                                               {"totals", totals_json(s.totals)}, {"in_kind", totals_json(s.in_kind)},
                                               {"reimbursement", totals_json(s.reimbursement)}, {"by_service_kind", kinds}});
                   }});
}

}  // namespace kaigo::server
