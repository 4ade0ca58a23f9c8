// 認定 outputs (docs/api-certification.md "Notices, files, fees"): NT-13 notices and cards, NT-06
// 受給資格証明書, any issued document as PDF, the print runs, renewals and their reminders, NT-14
// results to welfare, NT-15/16/17 fees and fee runs. Every read or write of a person's data is in
// the access log.
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "certification/certification_outputs.hpp"
#include "certification/fee_run.hpp"
#include "certification/renewal.hpp"
#include "certification/results_to_welfare.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;

// The outputs' own config (config/certification_outputs.json), read once when the routes are
// added; a bad file makes every output route answer unavailable with the reason.
struct OutputState {
  ServerContext& ctx;
  Result<certification::OutputsConfig> config;

  Result<certification::OutputContext> context() const {
    if (!ctx.certification) return fail(ErrorKind::unavailable, "the certification rules are not loaded on this server");
    if (!config) return fail(ErrorKind::unavailable, config.error().message, config.error().field);
    return certification::OutputContext{ctx.city, ctx.certification->rules, *config};
  }
  std::filesystem::path print_dir() const { return std::filesystem::path(ctx.options.data_dir) / "print"; }
};

json opt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

std::string pdf_url(std::int64_t document_id) { return fmt::format("/api/v1/certification/documents/{}.pdf", document_id); }

json document_json(const certification::CertificationDocument& d) {
  return {{"document_id", d.document_id},     {"person_id", d.person_id},       {"kind", d.kind},
          {"application_id", opt(d.application_id)}, {"certification_id", opt(d.certification_id)},
          {"issued_on", d.issued_on.iso()},   {"issued_by", d.issued_by},       {"exchange_id", opt(d.exchange_id)},
          {"batch_run_id", opt(d.batch_run_id)},
          // A result notice without its once_key is a reprint; other kinds may be issued at the counter without one.
          {"reprint", d.kind == "result_notice" && !d.once_key.has_value()}, {"pdf", pdf_url(d.document_id)}};
}

json fee_json(const certification::Fee& f) {
  return {{"fee_id", f.fee_id},         {"flow_id", f.flow_id},     {"basis_key", f.basis_key},
          {"payee_code", f.payee_code}, {"payee_name", f.payee_name}, {"fee_kind", f.fee_kind},
          {"fee_label", f.fee_label},   {"amount", f.amount},       {"work_on", f.work_on.iso()},
          {"application_id", opt(f.application_id)}, {"session_id", opt(f.session_id)}, {"basis_no", f.basis_no},
          {"exchange_id", opt(f.exchange_id)}, {"sent", f.exchange_id.has_value()}, {"created_at", f.created_at}};
}

json renewal_json(const certification::RenewalDue& r) {
  auto level = certification::care_level_from_code(r.care_level);
  return {{"certification_id", r.certification_id},
          {"person_id", r.person_id},
          {"name", r.name},
          {"name_kana", r.name_kana},
          {"insured_no", r.insured_no},
          {"care_level", r.care_level},
          {"care_level_label", level ? std::string(certification::label(*level)) : std::string()},
          {"valid_from", r.valid_from.iso()},
          {"valid_to", r.valid_to.iso()},
          {"renewal_opens", r.renewal_opens.iso()},
          {"days_left", r.days_left},
          {"renewal_application",
           r.renewal_application_id ? json{{"application_id", *r.renewal_application_id},
                                           {"application_no", r.renewal_application_no},
                                           {"status", r.renewal_application_status}}
                                    : json(nullptr)},
          {"reminder",
           r.reminder_document_id ? json{{"document_id", *r.reminder_document_id},
                                         {"issued_on", r.reminded_on ? r.reminded_on->iso() : ""},
                                         {"pdf", pdf_url(*r.reminder_document_id)}}
                                  : json(nullptr)}};
}

Result<std::string> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::unavailable, "the print file is missing from the data dir", "batch_run_id");
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

ApiResponse pdf_response(std::string bytes, const std::string& name) {
  ApiResponse r;
  r.text = std::move(bytes);
  r.content_type = "application/pdf";
  r.headers.emplace_back("Content-Disposition", fmt::format("inline; filename=\"{}\"", name));
  return r;
}

// Persons written or read by a batch, one append to the access log.
Result<void> log_persons(ServerContext& ctx, const ApiRequest& req, const std::vector<std::string>& ids, const std::string& resource) {
  if (ids.empty()) return {};
  return ctx.db.transaction([&](store::Connection& c) {
    return record_reads(c, ctx.clock, req.user().user.user_id, ids, resource);
  });
}

Result<void> log_person(ServerContext& ctx, const ApiRequest& req, const std::string& person_id, AccessAction action,
                        const std::string& resource) {
  return ctx.db.transaction([&](store::Connection& c) {
    return record_access(c, ctx.clock, req.user().user.user_id, person_id, action, resource, false);
  });
}

// The print runs of the outputs (NT-13 notices, NT-06 certificates of move-outs, renewal reminders).
constexpr const char* kPrintJobs =
    "('certification_result_notices', 'certification_entitlement_certificates', 'certification_renewal_reminders')";

json print_run_json(const store::Row& r) {
  return {{"batch_run_id", r.i64(0)},  {"job", r.str(1)},         {"run_key", r.str(2)},
          {"status", r.str(3)},        {"documents", r.i64(4)},   {"print_file", !r.is_null(5)},
          {"pdf", r.is_null(5) ? json(nullptr) : json(fmt::format("/api/v1/certification/print-runs/{}.pdf", r.i64(0)))},
          {"started_at", r.str(6)},    {"finished_at", r.str(7)}, {"started_by", r.str(8)}};
}

void add_document_routes(Router& router, ServerContext& ctx, std::shared_ptr<OutputState> state) {
  router.add(Route{
      "POST", "/api/v1/certification/applications/{application_id}/notice",
      "NT-13: the 認定結果通知書 (with the updated 被保険者証 for a certified level) issued; the application → notified. "
      "A notified application gets a reprint",
      certification_workers(),
      [&ctx, state](ApiRequest& req) -> Result<ApiResponse> {
        auto out = state->context();
        if (!out) return std::unexpected(out.error());
        auto id = id_param(req.path_params.at(0), "application_id");
        if (!id) return std::unexpected(id.error());
        auto issued = certification::issue_result_notice(ctx.db, ctx.clock, *out, *id, req.user().user.user_id);
        if (!issued) return std::unexpected(issued.error());
        auto logged = log_person(ctx, req, issued->document.person_id, AccessAction::write,
                                 "POST /api/v1/certification/applications/{application_id}/notice");
        if (!logged) return std::unexpected(logged.error());
        json body = document_json(issued->document);
        body["reprint"] = issued->reprint;
        body["card_issue_id"] = opt(issued->card_issue_id);
        return ApiResponse::json(body, 201);
      }});

  router.add(Route{
      "GET", "/api/v1/certification/documents/{document_id}.pdf",
      "any issued certification document (結果通知書 + 被保険者証, 受給資格証明書, 更新申請のお知らせ, 延期通知書) as PDF",
      certification_workers(),
      [&ctx, state](ApiRequest& req) -> Result<ApiResponse> {
        auto out = state->context();
        if (!out) return std::unexpected(out.error());
        auto id = id_param(req.path_params.at(0), "document_id");
        if (!id) return std::unexpected(id.error());
        std::optional<certification::CertificationDocument> doc;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto d = certification::find_document(c, *id);
          if (!d) return std::unexpected(d.error());
          doc = std::move(*d);
          return {};
        });
        if (!read) return std::unexpected(read.error());
        if (!doc) return fail(ErrorKind::not_found, fmt::format("no document {}", *id), "document_id");
        auto pdf = certification::document_pdf(ctx.db, *out, *id);
        if (!pdf) return std::unexpected(pdf.error());
        // Logged before the data leaves the server (access_log.hpp).
        auto logged = log_person(ctx, req, doc->person_id, AccessAction::read, "GET /api/v1/certification/documents/{document_id}.pdf");
        if (!logged) return std::unexpected(logged.error());
        return pdf_response(std::move(*pdf), fmt::format("certification-{}-{}.pdf", doc->kind, *id));
      }});

  router.add(Route{
      "POST", "/api/v1/certification/persons/{person_id}/entitlement-certificate",
      "NT-06: the 受給資格証明書 of the person's current certification issued and sent to the medical insurer (iryo)",
      certification_workers(),
      [&ctx, state](ApiRequest& req) -> Result<ApiResponse> {
        auto out = state->context();
        if (!out) return std::unexpected(out.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto moved = date_field(*body, "moved_out_on", false);
        if (!moved) return std::unexpected(moved.error());
        auto new_address = string_field(*body, "new_address", false);
        if (!new_address) return std::unexpected(new_address.error());
        certification::CertificateRequest request{req.path_params.at(0), *moved, *new_address};
        auto issued = certification::issue_entitlement_certificate(ctx.db, ctx.clock, *out, request, req.user().user.user_id);
        if (!issued) return std::unexpected(issued.error());
        auto logged = log_person(ctx, req, request.person_id, AccessAction::write,
                                 "POST /api/v1/certification/persons/{person_id}/entitlement-certificate");
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(document_json(issued->document), 201);
      },
      {},
      {{"moved_out_on", "YYYY-MM-DD: the day the address here ends (default: the person's move-out fact, else today)"},
       {"new_address", "転出先 (printed on the certificate)"}}});

  router.add(Route{
      "POST", "/api/v1/certification/notice-runs",
      "NT-13 batch: the 認定結果通知書 (and cards) of every decided application not notified yet, into one print file",
      certification_workers(),
      [&ctx, state](ApiRequest& req) -> Result<ApiResponse> {
        auto out = state->context();
        if (!out) return std::unexpected(out.error());
        auto run = certification::run_result_notices(ctx.db, ctx.clock, *out, state->print_dir(), req.user().user.user_id);
        if (!run) return std::unexpected(run.error());
        auto logged = log_persons(ctx, req, run->person_ids, "POST /api/v1/certification/notice-runs");
        if (!logged) return std::unexpected(logged.error());
        json body = {{"batch_run_id", run->batch_run_id}, {"status", run->status}, {"notices", run->notices},
                     {"cards", run->cards}};
        body["pdf"] = run->output_path.empty() ? json(nullptr)
                                               : json(fmt::format("/api/v1/certification/print-runs/{}.pdf", run->batch_run_id));
        return ApiResponse::json(body, run->batch_run_id ? 201 : 200);
      }});

  router.add(Route{"GET", "/api/v1/certification/print-runs",
                   "the print runs of the outputs (NT-13 notices, NT-06 certificates of move-outs, renewal reminders), newest first",
                   certification_workers(), [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     auto rows = ctx.db.query(fmt::format(
                         "SELECT batch_run_id, job, run_key, status, done_count, output_path, started_at, "
                         "COALESCE(finished_at, ''), started_by FROM batch_run WHERE job IN {} ORDER BY batch_run_id DESC LIMIT 100",
                         kPrintJobs));
                     if (!rows) return std::unexpected(rows.error());
                     json items = json::array();
                     for (const auto& r : *rows) items.push_back(print_run_json(r));
                     return ApiResponse::json({{"items", items}});
                   }});

  router.add(Route{
      "GET", "/api/v1/certification/print-runs/{batch_run_id}.pdf", "the print file of an output run", certification_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto id = id_param(req.path_params.at(0), "batch_run_id");
        if (!id) return std::unexpected(id.error());
        auto row = ctx.db.query(
            fmt::format("SELECT output_path, job FROM batch_run WHERE batch_run_id = $1 AND job IN {}", kPrintJobs), {*id});
        if (!row) return std::unexpected(row.error());
        if (row->empty()) return fail(ErrorKind::not_found, "no such print run", "batch_run_id");
        if (row->front().is_null(0)) return fail(ErrorKind::not_found, "this run has no print file (yet)", "batch_run_id");
        auto persons = ctx.db.query("SELECT DISTINCT person_id FROM certification_document WHERE batch_run_id = $1", {*id});
        if (!persons) return std::unexpected(persons.error());
        std::vector<std::string> ids;
        for (const auto& r : *persons) ids.push_back(r.str(0));
        auto bytes = file_bytes(row->front().str(0));
        if (!bytes) return std::unexpected(bytes.error());
        auto logged = log_persons(ctx, req, ids, "GET /api/v1/certification/print-runs/{batch_run_id}.pdf");
        if (!logged) return std::unexpected(logged.error());
        return pdf_response(std::move(*bytes), std::filesystem::path(row->front().str(0)).filename().string());
      }});
}

void add_renewal_routes(Router& router, ServerContext& ctx, std::shared_ptr<OutputState> state) {
  router.add(Route{
      "GET", "/api/v1/certification/renewals",
      "current certifications ending within N days (default: the rules' renewal window), with their renewal application "
      "and reminder",
      certification_workers(),
      [&ctx, state](ApiRequest& req) -> Result<ApiResponse> {
        if (!ctx.certification) return fail(ErrorKind::unavailable, "the certification rules are not loaded on this server");
        std::optional<int> within;
        if (auto text = req.query("within_days")) {
          if (text->size() > 4 || text->find_first_not_of("0123456789") != std::string::npos)
            return fail(ErrorKind::invalid_input, "within_days must be a number of days (0–9999)", "within_days");
          within = std::stoi(*text);
        }
        auto limit = limit_param(req.query("limit"), 200, 1000);
        if (!limit) return std::unexpected(limit.error());
        auto offset = offset_param(req.query("offset"));
        if (!offset) return std::unexpected(offset.error());
        const Date today = ctx.clock.today();
        std::vector<certification::RenewalDue> due;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto r = certification::renewals_due(c, ctx.certification->rules, today, within, *limit, *offset);
          if (!r) return std::unexpected(r.error());
          due = std::move(*r);
          return {};
        });
        if (!read) return std::unexpected(read.error());
        json items = json::array();
        std::vector<std::string> ids;
        for (const auto& r : due) {
          items.push_back(renewal_json(r));
          ids.push_back(r.person_id);
        }
        auto logged = log_persons(ctx, req, ids, "GET /api/v1/certification/renewals");
        if (!logged) return std::unexpected(logged.error());
        auto version = ctx.certification->rules.on(today);
        const int days = within.value_or(version ? (*version)->renewal_window_days : 0);
        return ApiResponse::json({{"today", today.iso()}, {"within_days", days}, {"items", items}});
      },
      {{"within_days", "days ahead (default: renewal_window_days of the rules, 60)"},
       {"limit", "1–1000, default 200"},
       {"offset", "default 0"}}});

  router.add(Route{
      "POST", "/api/v1/certification/renewal-reminders",
      "the 更新申請のお知らせ to every certification whose renewal window is open and that has no renewal application, "
      "once each, into one print file",
      certification_workers(),
      [&ctx, state](ApiRequest& req) -> Result<ApiResponse> {
        auto out = state->context();
        if (!out) return std::unexpected(out.error());
        auto run = certification::run_renewal_reminders(ctx.db, ctx.clock, *out, state->print_dir(), req.user().user.user_id);
        if (!run) return std::unexpected(run.error());
        auto logged = log_persons(ctx, req, run->person_ids, "POST /api/v1/certification/renewal-reminders");
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(
            {{"issued", run->issued},
             {"document_ids", run->document_ids},
             {"batch_run_id", run->batch_run_id},
             {"pdf", run->output_path.empty() ? json(nullptr)
                                              : json(fmt::format("/api/v1/certification/print-runs/{}.pdf", run->batch_run_id))}});
      }});
}

void add_file_routes(Router& router, ServerContext& ctx, std::shared_ptr<OutputState> state) {
  router.add(Route{
      "POST", "/api/v1/certification/results-to-welfare",
      "NT-14 now: the certification events after the cursor as one CSV to the welfare system", certification_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto sent = certification::send_results_to_welfare(ctx.db, ctx.clock, req.user().user.user_id);
        if (!sent) return std::unexpected(sent.error());
        if (sent->exchange_id) {
          auto persons = ctx.db.query("SELECT person_id FROM exchange_person WHERE exchange_id = $1", {*sent->exchange_id});
          if (!persons) return std::unexpected(persons.error());
          std::vector<std::string> ids;
          for (const auto& r : *persons) ids.push_back(r.str(0));
          auto logged = log_persons(ctx, req, ids, "POST /api/v1/certification/results-to-welfare");
          if (!logged) return std::unexpected(logged.error());
        }
        return ApiResponse::json({{"events", sent->events},
                                  {"rows", sent->rows},
                                  {"exchange_id", opt(sent->exchange_id)},
                                  {"cursor", sent->cursor}});
      }});

  router.add(Route{
      "GET", "/api/v1/certification/fees", "fees of the committee, the assessments and the opinions (NT-15/16/17)",
      certification_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        if (!ctx.certification) return fail(ErrorKind::unavailable, "the certification rules are not loaded on this server");
        std::optional<bool> sent;
        if (auto s = req.query("sent")) {
          if (*s != "true" && *s != "false") return fail(ErrorKind::invalid_input, "sent must be true or false", "sent");
          sent = *s == "true";
        }
        const std::string flow = req.query("flow_id").value_or("");
        if (!flow.empty() && flow != "NT-15" && flow != "NT-16" && flow != "NT-17")
          return fail(ErrorKind::invalid_input, "flow_id must be NT-15, NT-16 or NT-17", "flow_id");
        auto limit = limit_param(req.query("limit"), 200, 1000);
        if (!limit) return std::unexpected(limit.error());
        auto offset = offset_param(req.query("offset"));
        if (!offset) return std::unexpected(offset.error());
        json items = json::array();
        std::int64_t total = 0;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto fees = certification::list_fees(c, ctx.certification->rules, sent, flow, *limit, *offset);
          if (!fees) return std::unexpected(fees.error());
          for (const auto& f : *fees) {
            items.push_back(fee_json(f));
            total += f.amount;
          }
          return {};
        });
        if (!read) return std::unexpected(read.error());
        return ApiResponse::json({{"items", items}, {"total_amount", total}});
      },
      {{"sent", "false: owed (not in a payment file yet), true: sent; absent: all"},
       {"flow_id", "NT-15, NT-16 or NT-17"},
       {"limit", "1–1000, default 200"},
       {"offset", "default 0"}}});

  router.add(Route{
      "POST", "/api/v1/certification/fee-runs",
      "NT-15/16/17: every fee owed sent to accounting (zaimu), one payment file per flow", certification_workers(),
      [&ctx, state](ApiRequest& req) -> Result<ApiResponse> {
        auto out = state->context();
        if (!out) return std::unexpected(out.error());
        auto run = certification::run_fee_payments(ctx.db, ctx.clock, out->rules, out->config.budget_accounts,
                                                   req.user().user.user_id);
        if (!run) return std::unexpected(run.error());
        json files = json::array();
        for (const auto& f : run->files)
          files.push_back({{"flow_id", f.flow_id}, {"rows", f.rows}, {"total", f.total}, {"exchange_id", f.exchange_id}});
        return ApiResponse::json({{"files", files}}, run->files.empty() ? 200 : 201);
      }});
}

}  // namespace

void add_certification_output_routes(Router& router, ServerContext& ctx) {
  auto state = std::make_shared<OutputState>(
      OutputState{ctx, certification::OutputsConfig::load(std::filesystem::path(ctx.options.config_dir))});
  add_document_routes(router, ctx, state);
  add_renewal_routes(router, ctx, state);
  add_file_routes(router, ctx, state);
}

}  // namespace kaigo::server
