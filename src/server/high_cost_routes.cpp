// 高額介護サービス費 (docs/api-benefit.md "高額介護サービス費"): KY-05 applications, the monthly run,
// decisions with their explanation, the KY-16 notice, the KY-17 / KY-20 payment files. Every read
// or write of a person's data is in the access log.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/benefit_payment.hpp"
#include "benefit/high_cost.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;

json opt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

json application_json(const benefit::HighCostApplication& a) {
  // The account number is shown masked but for its last 3 digits (as the notice prints it).
  const std::string masked = a.account_no.size() > 3 ? std::string(a.account_no.size() - 3, '*') + a.account_no.substr(a.account_no.size() - 3)
                                                     : a.account_no;
  return {{"application_id", a.application_id}, {"person_id", a.person_id},     {"received_on", a.received_on},
          {"first_month", a.first_month},       {"bank_code", a.bank_code},     {"branch_code", a.branch_code},
          {"account_kind", a.account_kind},     {"account_no", masked},         {"account_holder_kana", a.account_holder_kana},
          {"status", a.status},                 {"recorded_at", a.recorded_at}, {"recorded_by", a.recorded_by}};
}

json decision_json(const benefit::HighCostDecision& d, bool with_explanation) {
  auto category = benefit::income_category_from_code(d.category);
  json j = {{"decision_id", d.decision_id},
            {"person_id", d.person_id},
            {"service_month", d.service_month},
            {"household_key", d.household_key},
            {"category", d.category},
            {"category_label", category ? json(std::string(benefit::label(*category))) : json(nullptr)},
            {"household_copayment", d.household_copayment},
            {"own_copayment", d.own_copayment},
            {"cap", d.cap},
            {"amount", d.amount},
            {"paid_before", d.paid_before},
            {"difference", d.amount - d.paid_before},
            {"application_id", opt(d.application_id)},
            {"held", d.amount > d.paid_before && !d.application_id},
            {"status", d.status},
            {"batch_run_id", opt(d.batch_run_id)},
            {"repayment_id", opt(d.repayment_id)},
            {"payment", d.payment_id ? json{{"payment_id", *d.payment_id}, {"amount", d.payment_amount}} : json(nullptr)},
            {"decided_at", d.decided_at},
            {"notice", d.amount > 0 ? json(fmt::format("/api/v1/high-cost-decisions/{}/notice.pdf", d.decision_id))
                                    : json(nullptr)}};
  if (with_explanation) {
    auto e = json::parse(d.explanation, nullptr, false);
    j["explanation"] = e.is_discarded() ? json(d.explanation) : e;
  }
  return j;
}

json run_json(const benefit::HighCostRun& r) {
  return {{"batch_run_id", r.batch_run_id}, {"month", r.month},         {"run_key", r.run_key},
          {"status", r.status},             {"households", r.households}, {"persons", r.persons},
          {"decided", r.decided},           {"unchanged", r.unchanged}, {"held", r.held},
          {"paid", r.paid},                 {"paid_total", r.paid_total}, {"repayments", r.repayments},
          {"repayment_total", r.repayment_total}, {"notices", r.notices},
          {"pdf", r.print_file.empty() ? json(nullptr) : json(fmt::format("/api/v1/benefit/high-cost-runs/{}.pdf", r.batch_run_id))}};
}

json file_json(const benefit::PaymentFile& f) {
  return {{"exchange_id", f.exchange_id}, {"flow_id", f.flow_id}, {"rows", f.rows}, {"total", f.total},
          {"created_at", f.created_at}};
}


Result<void> log_person(ServerContext& ctx, const ApiRequest& req, const std::string& person_id, AccessAction action,
                        const std::string& resource) {
  return ctx.db.transaction([&](store::Connection& c) {
    return record_access(c, ctx.clock, req.user().user.user_id, person_id, action, resource, false);
  });
}

Result<void> log_persons(ServerContext& ctx, const ApiRequest& req, const std::vector<std::string>& ids,
                         const std::string& resource) {
  if (ids.empty()) return {};
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

void add_application_routes(Router& router, ServerContext& ctx) {
  router.add(Route{"GET", "/api/v1/persons/{person_id}/high-cost-applications",
                   "KY-05: the person's 高額介護サービス費 applications (the registered account), newest first",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string person_id = req.path_params.at(0);
                     std::vector<benefit::HighCostApplication> apps;
                     auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto a = benefit::list_high_cost_applications(c, person_id);
                       if (!a) return std::unexpected(a.error());
                       apps = std::move(*a);
                       return {};
                     });
                     if (!read) return std::unexpected(read.error());
                     auto logged = log_person(ctx, req, person_id, AccessAction::read,
                                              "GET /api/v1/persons/{person_id}/high-cost-applications");
                     if (!logged) return std::unexpected(logged.error());
                     json items = json::array();
                     for (const auto& a : apps) items.push_back(application_json(a));
                     return ApiResponse::json({{"items", items}});
                   }});

  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/high-cost-applications",
      "KY-05: register the one-time 高額介護サービス費 application (the account); the person's held decisions are paid",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        benefit::HighCostApplicationInput in;
        in.person_id = req.path_params.at(0);
        in.actor = req.user().user.user_id;
        auto received = date_field(*body, "received_on", false);
        if (!received) return std::unexpected(received.error());
        in.received_on = *received ? (*received)->iso() : ctx.clock.today().iso();
        for (auto [name, into] : {std::pair{"first_month", &in.first_month}, std::pair{"bank_code", &in.bank_code},
                                  std::pair{"branch_code", &in.branch_code}, std::pair{"account_kind", &in.account_kind},
                                  std::pair{"account_no", &in.account_no},
                                  std::pair{"account_holder_kana", &in.account_holder_kana}}) {
          auto v = string_field(*body, name);
          if (!v) return std::unexpected(v.error());
          *into = *v;
        }
        auto registered = benefit::register_high_cost_application(ctx.db, ctx.clock, in);
        if (!registered) return std::unexpected(registered.error());
        auto logged = log_person(ctx, req, in.person_id, AccessAction::write,
                                 "POST /api/v1/persons/{person_id}/high-cost-applications");
        if (!logged) return std::unexpected(logged.error());
        json out = application_json(registered->application);
        out["held_paid"] = registered->held_paid;
        out["held_paid_total"] = registered->held_paid_total;
        return ApiResponse::json(out, 201);
      },
      {},
      {{"received_on", "YYYY-MM-DD (default today)"},
       {"first_month", "YYYY-MM: the first service month it covers"},
       {"bank_code", "金融機関コード, 4 digits"},
       {"branch_code", "支店コード, 3 digits"},
       {"account_kind", "ordinary (普通) | current (当座)"},
       {"account_no", "口座番号, 7 digits"},
       {"account_holder_kana", "口座名義 in katakana (half- or full-width)"}}});

  router.add(Route{"POST", "/api/v1/high-cost-applications/{application_id}/withdraw",
                   "KY-05: withdraw the application; later months are held until a new one", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_param(req.path_params.at(0), "application_id");
                     if (!id) return std::unexpected(id.error());
                     auto a = benefit::withdraw_high_cost_application(ctx.db, ctx.clock, *id, req.user().user.user_id);
                     if (!a) return std::unexpected(a.error());
                     auto logged = log_person(ctx, req, a->person_id, AccessAction::write,
                                              "POST /api/v1/high-cost-applications/{application_id}/withdraw");
                     if (!logged) return std::unexpected(logged.error());
                     return ApiResponse::json(application_json(*a));
                   }});
}

void add_decision_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "POST", "/api/v1/benefit/high-cost-runs",
      "the monthly 高額介護サービス費 computation of a service month (resumable; a later pass writes only what changed), "
      "KY-16 notices in its print file, KY-17 payment rows",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto config = ctx.benefit_config();
        if (!config) return std::unexpected(config.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto month = string_field(*body, "month");
        if (!month) return std::unexpected(month.error());
        benefit::HighCostRunOptions o;
        o.month = *month;
        o.actor = req.user().user.user_id;
        o.print_dir = std::filesystem::path(ctx.options.data_dir) / "print";
        auto run = benefit::run_high_cost(ctx.db, ctx.clock, **config, benefit::high_cost_issuer(ctx.city), o);
        if (!run) return std::unexpected(run.error());
        auto persons = ctx.db.query("SELECT DISTINCT person_id FROM high_cost_decision WHERE batch_run_id = $1",
                                    {run->batch_run_id});
        if (!persons) return std::unexpected(persons.error());
        std::vector<std::string> ids;
        for (const auto& r : *persons) ids.push_back(r.str(0));
        auto logged = log_persons(ctx, req, ids, "POST /api/v1/benefit/high-cost-runs");
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(run_json(*run), 201);
      },
      {},
      {{"month", "YYYY-MM: the service month"}}});

  router.add(Route{"GET", "/api/v1/benefit/high-cost-runs", "the monthly runs (passes), newest first", benefit_workers(),
                   [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     std::vector<benefit::HighCostRun> runs;
                     auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto r = benefit::list_high_cost_runs(c, 100);
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
      "GET", "/api/v1/benefit/high-cost-runs/{batch_run_id}.pdf", "the KY-16 print file of a pass", benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto id = id_param(req.path_params.at(0), "batch_run_id");
        if (!id) return std::unexpected(id.error());
        auto row = ctx.db.query("SELECT output_path FROM batch_run WHERE batch_run_id = $1 AND job = 'high_cost'", {*id});
        if (!row) return std::unexpected(row.error());
        if (row->empty()) return fail(ErrorKind::not_found, "no such run", "batch_run_id");
        if (row->front().is_null(0)) return fail(ErrorKind::not_found, "this run has no print file", "batch_run_id");
        auto persons = ctx.db.query("SELECT DISTINCT person_id FROM benefit_document WHERE batch_run_id = $1 AND kind = "
                                    "'high_cost_notice'",
                                    {*id});
        if (!persons) return std::unexpected(persons.error());
        std::vector<std::string> ids;
        for (const auto& r : *persons) ids.push_back(r.str(0));
        std::ifstream in(row->front().str(0), std::ios::binary);
        if (!in) return fail(ErrorKind::unavailable, "the print file is missing from the data dir", "batch_run_id");
        std::stringstream bytes;
        bytes << in.rdbuf();
        auto logged = log_persons(ctx, req, ids, "GET /api/v1/benefit/high-cost-runs/{batch_run_id}.pdf");
        if (!logged) return std::unexpected(logged.error());
        return pdf_response(bytes.str(), std::filesystem::path(row->front().str(0)).filename().string());
      }});

  router.add(Route{"GET", "/api/v1/persons/{person_id}/high-cost-decisions",
                   "the person's 高額介護サービス費 decisions, newest month first (superseded ones too)", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string person_id = req.path_params.at(0);
                     std::vector<benefit::HighCostDecision> decisions;
                     auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto d = benefit::list_high_cost_decisions(c, person_id);
                       if (!d) return std::unexpected(d.error());
                       decisions = std::move(*d);
                       return {};
                     });
                     if (!read) return std::unexpected(read.error());
                     auto logged = log_person(ctx, req, person_id, AccessAction::read,
                                              "GET /api/v1/persons/{person_id}/high-cost-decisions");
                     if (!logged) return std::unexpected(logged.error());
                     json items = json::array();
                     for (const auto& d : decisions) items.push_back(decision_json(d, false));
                     return ApiResponse::json({{"items", items}});
                   }});

  router.add(Route{"GET", "/api/v1/high-cost-decisions/{decision_id}",
                   "one decision with its explanation (members' co-payments, category and why, cap, the split)",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_param(req.path_params.at(0), "decision_id");
                     if (!id) return std::unexpected(id.error());
                     std::optional<benefit::HighCostDecision> d;
                     auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto one = benefit::load_high_cost_decision(c, *id);
                       if (!one) return std::unexpected(one.error());
                       d = std::move(*one);
                       return {};
                     });
                     if (!read) return std::unexpected(read.error());
                     auto logged = log_person(ctx, req, d->person_id, AccessAction::read,
                                              "GET /api/v1/high-cost-decisions/{decision_id}");
                     if (!logged) return std::unexpected(logged.error());
                     return ApiResponse::json(decision_json(*d, true));
                   }});

  router.add(Route{"GET", "/api/v1/high-cost-decisions/{decision_id}/notice.pdf",
                   "KY-16: the 支給(不支給)決定通知書 of a decision at the counter (a reprint when issued before)",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto config = ctx.benefit_config();
                     if (!config) return std::unexpected(config.error());
                     auto id = id_param(req.path_params.at(0), "decision_id");
                     if (!id) return std::unexpected(id.error());
                     std::string person_id;
                     auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto one = benefit::load_high_cost_decision(c, *id);
                       if (!one) return std::unexpected(one.error());
                       person_id = one->person_id;
                       return {};
                     });
                     if (!read) return std::unexpected(read.error());
                     auto pdf = benefit::high_cost_notice_pdf(ctx.db, ctx.clock, **config,
                                                              benefit::high_cost_issuer(ctx.city), *id,
                                                              req.user().user.user_id);
                     if (!pdf) return std::unexpected(pdf.error());
                     auto logged = log_person(ctx, req, person_id, AccessAction::read,
                                              "GET /api/v1/high-cost-decisions/{decision_id}/notice.pdf");
                     if (!logged) return std::unexpected(logged.error());
                     return pdf_response(std::move(pdf->pdf), fmt::format("high-cost-notice-{}.pdf", *id));
                   }});
}

void add_payment_file_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "POST", "/api/v1/benefit/payment-files",
      "KY-17 / KY-20: send the unsent payment rows of a flow (or both) to accounting (zaimu) now, one file per flow",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto flow = string_field(*body, "flow", false);
        if (!flow) return std::unexpected(flow.error());
        std::vector<benefit::PaymentFile> files;
        if (flow->empty()) {
          auto all = benefit::send_payment_files(ctx.db, ctx.clock, req.user().user.user_id);
          if (!all) return std::unexpected(all.error());
          files = std::move(*all);
        } else {
          auto one = benefit::send_payment_file(ctx.db, ctx.clock, *flow, req.user().user.user_id);
          if (!one) return std::unexpected(one.error());
          if (*one) files.push_back(**one);
        }
        std::vector<std::string> ids;
        for (const auto& f : files) {
          auto persons = ctx.db.query(
              "SELECT DISTINCT person_id FROM benefit_payment WHERE exchange_id = $1 AND person_id IS NOT NULL", {f.exchange_id});
          if (!persons) return std::unexpected(persons.error());
          for (const auto& r : *persons) ids.push_back(r.str(0));
        }
        auto logged = log_persons(ctx, req, ids, "POST /api/v1/benefit/payment-files");
        if (!logged) return std::unexpected(logged.error());
        json items = json::array();
        for (const auto& f : files) items.push_back(file_json(f));
        return ApiResponse::json({{"items", items}}, files.empty() ? 200 : 201);
      },
      {},
      {{"flow", "KY-17 | KY-20 (absent: both)"}}});

  router.add(Route{"GET", "/api/v1/benefit/payment-files", "payment files sent to accounting, with their totals",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string flow = req.query("flow").value_or("");
                     std::vector<benefit::PaymentFile> files;
                     auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto f = benefit::list_payment_files(c, flow, 100);
                       if (!f) return std::unexpected(f.error());
                       files = std::move(*f);
                       return {};
                     });
                     if (!read) return std::unexpected(read.error());
                     json items = json::array();
                     for (const auto& f : files) items.push_back(file_json(f));
                     return ApiResponse::json({{"items", items}});
                   },
                   {{"flow", "KY-17 | KY-20"}}});
}

}  // namespace

void add_high_cost_routes(Router& router, ServerContext& ctx) {
  add_application_routes(router, ctx);
  add_decision_routes(router, ctx);
  add_payment_file_routes(router, ctx);
}

}  // namespace kaigo::server
