// 給付: KY-24 介護保険給付費支払のお知らせ (給付費通知) — docs/api-benefit.md "statements": the run of a
// period (resumable, one print file), the runs, a run's print file, one person's statement at the
// counter. Every read of a person's data is in the access log.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/repayment_notice.hpp"
#include "benefit/statement.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/roles.hpp"
#include "server/routes.hpp"

namespace kaigo::server {
namespace {

using nlohmann::json;


// The benefit office prints the statement (config/benefit_payments.json "office", as on the KY-18/23 notices).
Result<notice::BenefitIssuer> issuer_of(const ServerContext& ctx) {
  auto office = benefit::load_payments_office(ctx.options.config_dir, ctx.city);
  if (!office) return std::unexpected(office.error());
  return office->issuer;
}

// from/to given, or both absent: the period of the latest scheduled send (config/benefit_statements.json).
Result<benefit::StatementPeriod> period_of(const ServerContext& ctx, const std::optional<std::string>& from,
                                           const std::optional<std::string>& to) {
  if (from.has_value() != to.has_value())
    return fail(ErrorKind::invalid_input, "give both from and to, or neither (the scheduled period)", from ? "to" : "from");
  if (from) return benefit::statement_period(*from, *to);
  auto config = benefit::StatementConfig::load(ctx.options.config_dir);
  if (!config) return std::unexpected(config.error());
  return benefit::scheduled_period(*config, ctx.clock.today());
}

json run_json(const benefit::StatementRun& r) {
  json j = {{"batch_run_id", r.batch_run_id == 0 ? json(nullptr) : json(r.batch_run_id)},
            {"run_key", r.run_key},
            {"from", r.from},
            {"to", r.to},
            {"status", r.status},
            {"statements", r.statements},
            {"started_at", r.started_at},
            {"finished_at", r.finished_at},
            {"started_by", r.started_by},
            {"pdf", r.print_file.empty() ? json(nullptr)
                                         : json(fmt::format("/api/v1/benefit/statement-runs/{}.pdf", r.batch_run_id))}};
  if (r.status == "done" && r.rows > 0) {  // what this call printed
    j["rows"] = r.rows;
    j["total_cost"] = r.total_cost;
    j["insurance_paid"] = r.insurance_paid;
    j["copayment"] = r.copayment;
  }
  return j;
}

Result<void> log_run_persons(ServerContext& ctx, const ApiRequest& req, std::int64_t batch_run_id, const std::string& resource) {
  auto persons = ctx.db.query(
      "SELECT person_id FROM benefit_document WHERE batch_run_id = $1 AND kind = 'benefit_statement' ORDER BY person_id",
      {batch_run_id});
  if (!persons) return std::unexpected(persons.error());
  if (persons->empty()) return {};
  std::vector<std::string> ids;
  ids.reserve(persons->size());
  for (const auto& r : *persons) ids.push_back(r.str(0));
  return ctx.db.transaction(
      [&](store::Connection& c) { return record_reads(c, ctx.clock, req.user().user.user_id, ids, resource); });
}

ApiResponse pdf_response(std::string bytes, const std::string& name) {
  ApiResponse r;
  r.text = std::move(bytes);
  r.content_type = "application/pdf";
  r.headers.emplace_back("Content-Disposition", fmt::format("inline; filename=\"{}\"", name));
  return r;
}

}  // namespace

void add_benefit_statement_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "POST", "/api/v1/benefit/statement-runs",
      "KY-24: the 給付費通知 of a period — one statement per person with records in it, once per period; resumable; "
      "one print file",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto config = ctx.benefit_config();
        if (!config) return std::unexpected(config.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto from = string_field(*body, "from", false);
        if (!from) return std::unexpected(from.error());
        auto to = string_field(*body, "to", false);
        if (!to) return std::unexpected(to.error());
        auto period = period_of(ctx, from->empty() ? std::nullopt : std::optional(*from),
                                to->empty() ? std::nullopt : std::optional(*to));
        if (!period) return std::unexpected(period.error());
        auto issuer = issuer_of(ctx);
        if (!issuer) return std::unexpected(issuer.error());
        auto schedule = benefit::StatementConfig::load(ctx.options.config_dir);
        if (!schedule) return std::unexpected(schedule.error());
        benefit::StatementRunOptions o;
        o.period = *period;
        o.actor = req.user().user.user_id;
        o.print_dir = std::filesystem::path(ctx.options.data_dir) / "print";
        o.chunk = schedule->chunk;
        auto run = benefit::run_benefit_statements(ctx.db, ctx.clock, **config, *issuer, o);
        if (!run) return std::unexpected(run.error());
        if (run->batch_run_id != 0) {
          auto logged = log_run_persons(ctx, req, run->batch_run_id, "POST /api/v1/benefit/statement-runs");
          if (!logged) return std::unexpected(logged.error());
        }
        return ApiResponse::json(run_json(*run), run->batch_run_id == 0 ? 200 : 201);
      },
      {},
      {{"from", "YYYY-MM: the period's first service month (with to; both absent: the scheduled period)"},
       {"to", "YYYY-MM: its last (at most 12 months)"}}});

  router.add(Route{"GET", "/api/v1/benefit/statement-runs", "KY-24: the statement runs (passes), newest first, with their print file",
                   benefit_workers(), [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     std::vector<benefit::StatementRun> runs;
                     auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto r = benefit::list_statement_runs(c, 100);
                       if (!r) return std::unexpected(r.error());
                       runs = std::move(*r);
                       return {};
                     });
                     if (!read) return std::unexpected(read.error());
                     json items = json::array();
                     for (const auto& r : runs) items.push_back(run_json(r));
                     return ApiResponse::json({{"items", items}});
                   }});

  router.add(Route{
      "GET", "/api/v1/benefit/statement-runs/{batch_run_id}.pdf", "KY-24: a run's print file", benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto id = id_param(req.path_params.at(0), "batch_run_id");
        if (!id) return std::unexpected(id.error());
        std::optional<benefit::StatementRun> run;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto r = benefit::statement_run(c, *id);
          if (!r) return std::unexpected(r.error());
          run = std::move(*r);
          return {};
        });
        if (!read) return std::unexpected(read.error());
        if (!run) return fail(ErrorKind::not_found, "no such statement run", "batch_run_id");
        if (run->print_file.empty()) return fail(ErrorKind::not_found, "this run has no print file (yet)", "batch_run_id");
        std::ifstream in(run->print_file, std::ios::binary);
        if (!in) return fail(ErrorKind::unavailable, "the print file is missing from the data dir", "batch_run_id");
        std::stringstream bytes;
        bytes << in.rdbuf();
        auto logged = log_run_persons(ctx, req, *id, "GET /api/v1/benefit/statement-runs/{batch_run_id}.pdf");
        if (!logged) return std::unexpected(logged.error());
        return pdf_response(bytes.str(), std::filesystem::path(run->print_file).filename().string());
      }});

  router.add(Route{
      "GET", "/api/v1/persons/{person_id}/statement.pdf",
      "KY-24: the person's 給付費通知 of a period at the counter (a reprint: the period's mailing is not affected)",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto config = ctx.benefit_config();
        if (!config) return std::unexpected(config.error());
        const std::string person_id = req.path_params.at(0);
        auto period = period_of(ctx, req.query("from"), req.query("to"));
        if (!period) return std::unexpected(period.error());
        auto issuer = issuer_of(ctx);
        if (!issuer) return std::unexpected(issuer.error());
        auto pdf = benefit::statement_pdf(ctx.db, ctx.clock, **config, *issuer, person_id, *period, req.user().user.user_id);
        if (!pdf) return std::unexpected(pdf.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_access(c, ctx.clock, req.user().user.user_id, person_id, AccessAction::read,
                               "GET /api/v1/persons/{person_id}/statement.pdf", false);
        });
        if (!logged) return std::unexpected(logged.error());
        return pdf_response(std::move(*pdf), fmt::format("statement-{}-{}.pdf", period->from, period->to));
      },
      {{"from", "YYYY-MM (with to; both absent: the scheduled period)"}, {"to", "YYYY-MM"}}});
}

}  // namespace kaigo::server
