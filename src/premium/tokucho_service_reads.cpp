// What staff read: a person's collection (plan, targets, requests, results, deduction status) and
// the 特別徴収 files with the errors of refused ones.
#include <set>

#include <fmt/format.h>

#include "premium/tokucho_internal.hpp"
#include "premium/tokucho_service.hpp"

namespace kaigo::premium::tokucho {

namespace {

nlohmann::json opt_text(const store::Row& r, std::size_t i) { return r.is_null(i) ? nlohmann::json(nullptr) : nlohmann::json(r.str(i)); }
nlohmann::json opt_int(const store::Row& r, std::size_t i) { return r.is_null(i) ? nlohmann::json(nullptr) : nlohmann::json(r.i64(i)); }

std::string status_of(const std::set<std::string>& special_statuses, bool target) {
  // A deduction that ended says so first; then how far the live one has come.
  for (const char* s : {"not_accepted", "not_collected", "stopped"})
    if (special_statuses.contains(s)) return s;
  if (special_statuses.contains("collected")) return "deducting";
  for (const char* s : {"accepted", "requested", "planned"})
    if (special_statuses.contains(s)) return s;
  return target ? "target" : "none";
}

}  // namespace

Result<std::string> deduction_status(store::Connection& c, const std::string& person_id, int fiscal_year) {
  auto rows = c.query("SELECT DISTINCT status FROM premium_instalment WHERE person_id = $1 AND fiscal_year = $2 AND method = 'special'",
                      {person_id, static_cast<std::int64_t>(fiscal_year)});
  if (!rows) return std::unexpected(rows.error());
  std::set<std::string> statuses;
  for (const auto& r : *rows) statuses.insert(r.str(0));
  auto target = c.query_one("SELECT 1 FROM tokucho_target WHERE person_id = $1", {person_id});
  if (!target) return std::unexpected(target.error());
  return status_of(statuses, target->has_value());
}

Result<nlohmann::json> person_collection(store::Connection& c, const std::string& person_id) {
  using nlohmann::json;
  std::map<std::int64_t, json> years;
  auto year = [&](std::int64_t fy) -> json& {
    auto& y = years[fy];
    if (y.is_null())
      y = json{{"fiscal_year", fy}, {"assessment", nullptr}, {"instalments", json::array()}, {"plans", json::array()},
               {"requests", json::array()}, {"results", json::array()}};
    return y;
  };
  auto inst = c.query(
      "SELECT fiscal_year, instalment_id, method, instalment_no, due_month, amount, status, collected_amount, reason_code, "
      "plan_revision, request_id, created_at, updated_at FROM premium_instalment WHERE person_id = $1 "
      "ORDER BY fiscal_year, due_month, method DESC, instalment_id",
      {person_id});
  if (!inst) return std::unexpected(inst.error());
  for (const auto& r : *inst)
    year(r.i64(0))["instalments"].push_back(json{{"instalment_id", r.i64(1)},    {"method", r.str(2)},
                                                 {"number", r.i64(3)},           {"due_month", r.str(4)},
                                                 {"amount", r.i64(5)},           {"status", r.str(6)},
                                                 {"collected_amount", opt_int(r, 7)}, {"reason_code", opt_text(r, 8)},
                                                 {"plan_revision", r.i64(9)},    {"request_id", opt_int(r, 10)},
                                                 {"created_at", r.str(11)},      {"updated_at", r.str(12)}});
  auto plans = c.query(
      "SELECT fiscal_year, plan_revision, assessment_id, amount, cause, explanation, batch_run_id, planned_at, planned_by "
      "FROM premium_collection_plan WHERE person_id = $1 ORDER BY fiscal_year, plan_revision",
      {person_id});
  if (!plans) return std::unexpected(plans.error());
  for (const auto& r : *plans) {
    json explanation = json::parse(r.str(5), nullptr, false);
    year(r.i64(0))["plans"].push_back(json{{"plan_revision", r.i64(1)}, {"assessment_id", r.i64(2)}, {"amount", r.i64(3)},
                                           {"cause", r.str(4)},
                                           {"explanation", explanation.is_discarded() ? json::array() : explanation},
                                           {"batch_run_id", opt_int(r, 6)}, {"planned_at", r.str(7)}, {"planned_by", r.str(8)}});
  }
  auto requests = c.query(
      "SELECT fiscal_year, request_id, exchange_id, pension_insurer_code, basic_pension_no, pension_code, request_kind, "
      "start_month, amounts, status, reason_code, result_exchange_id, requested_at, answered_at FROM tokucho_request "
      "WHERE person_id = $1 ORDER BY fiscal_year, request_id",
      {person_id});
  if (!requests) return std::unexpected(requests.error());
  for (const auto& r : *requests) {
    json amounts = json::parse(r.str(8), nullptr, false);
    year(r.i64(0))["requests"].push_back(json{{"request_id", r.i64(1)}, {"exchange_id", r.i64(2)},
                                              {"pension_insurer_code", r.str(3)}, {"basic_pension_no", r.str(4)},
                                              {"pension_code", r.str(5)}, {"request_kind", r.str(6)},
                                              {"start_month", r.str(7)}, {"amounts", amounts.is_discarded() ? json::object() : amounts},
                                              {"status", r.str(9)}, {"reason_code", opt_text(r, 10)},
                                              {"result_exchange_id", opt_int(r, 11)}, {"requested_at", r.str(12)},
                                              {"answered_at", opt_text(r, 13)}});
  }
  auto results = c.query(
      "SELECT fiscal_year, result_id, exchange_id, deduction_month, collected, reason_code, amount, received_at FROM "
      "tokucho_result WHERE person_id = $1 ORDER BY fiscal_year, deduction_month",
      {person_id});
  if (!results) return std::unexpected(results.error());
  for (const auto& r : *results)
    year(r.i64(0))["results"].push_back(json{{"result_id", r.i64(1)}, {"exchange_id", r.i64(2)}, {"deduction_month", r.str(3)},
                                             {"collected", r.i64(4) == 1}, {"reason_code", r.str(5)}, {"amount", r.i64(6)},
                                             {"received_at", r.str(7)}});
  auto assessments = c.query(
      "SELECT fiscal_year, assessment_id, revision, amount FROM premium_assessment WHERE person_id = $1 AND is_current = 1",
      {person_id});
  if (!assessments) return std::unexpected(assessments.error());
  for (const auto& r : *assessments)
    year(r.i64(0))["assessment"] = json{{"assessment_id", r.i64(1)}, {"revision", r.i64(2)}, {"amount", r.i64(3)}};
  json out{{"person_id", person_id}, {"years", json::array()}, {"targets", json::array()}};
  for (auto& [fy, y] : years) {
    auto status = deduction_status(c, person_id, static_cast<int>(fy));
    if (!status) return std::unexpected(status.error());
    y["deduction_status"] = *status;
    out["years"].push_back(std::move(y));
  }
  auto targets = c.query(
      "SELECT target_id, exchange_id, record_no, fiscal_year, pension_insurer_code, basic_pension_no, pension_code, "
      "pension_kind, annual_pension_amount, capture_month, start_month, received_at FROM tokucho_target WHERE person_id = $1 "
      "ORDER BY target_id",
      {person_id});
  if (!targets) return std::unexpected(targets.error());
  for (const auto& r : *targets)
    out["targets"].push_back(json{{"target_id", r.i64(0)},          {"exchange_id", r.i64(1)},
                                  {"record_no", r.i64(2)},          {"fiscal_year", r.i64(3)},
                                  {"pension_insurer_code", r.str(4)}, {"basic_pension_no", r.str(5)},
                                  {"pension_code", r.str(6)},       {"pension_kind", r.str(7)},
                                  {"annual_pension_amount", r.i64(8)}, {"capture_month", r.str(9)},
                                  {"start_month", r.str(10)},       {"received_at", r.str(11)}});
  return out;
}

Result<std::vector<FileRow>> list_files(store::Connection& c, const std::string& status, int limit) {
  if (!status.empty() && status != "sent" && status != "applied" && status != "rejected")
    return fail(ErrorKind::invalid_input, "status must be sent, applied or rejected", "status");
  auto rows = c.query(
      "SELECT exchange_id, flow_id, kind, layout_version, file_name, sha256, bytes, records, fiscal_year, applied, status, "
      "reason, recorded_at, recorded_by FROM tokucho_file WHERE (CAST($1 AS TEXT) = '' OR status = CAST($1 AS TEXT)) ORDER BY exchange_id DESC LIMIT $2",
      {status, static_cast<std::int64_t>(limit)});
  if (!rows) return std::unexpected(rows.error());
  std::vector<FileRow> out;
  for (const auto& r : *rows) {
    FileRow f;
    f.exchange_id = r.i64(0);
    f.flow_id = r.str(1);
    f.kind = r.str(2);
    f.layout_version = r.opt_i64(3);
    f.file_name = r.str(4);
    f.sha256 = r.str(5);
    f.bytes = r.i64(6);
    f.records = r.i64(7);
    f.fiscal_year = r.opt_i64(8);
    f.applied = r.i64(9);
    f.status = r.str(10);
    f.reason = r.opt_str(11);
    f.recorded_at = r.str(12);
    f.recorded_by = r.str(13);
    if (f.status == "rejected") {
      auto errors = c.query("SELECT record_no, field, message FROM tokucho_file_error WHERE exchange_id = $1 ORDER BY error_no",
                            {f.exchange_id});
      if (!errors) return std::unexpected(errors.error());
      for (const auto& e : *errors) f.errors.push_back(FileErrorRow{e.i64(0), e.str(1), e.str(2)});
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace kaigo::premium::tokucho
