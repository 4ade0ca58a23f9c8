// 給付: 返還金 (KY-18 … KY-20) and 高額医療合算 (KY-21 … KY-23) — docs/api-benefit.md
// "Repayments, 高額医療合算". Every read or write of a person's data is in the access log.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/combined.hpp"
#include "benefit/repayment.hpp"
#include "benefit/repayment_notice.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/roles.hpp"
#include "server/routes.hpp"

namespace kaigo::server {
namespace {

using nlohmann::json;


Result<benefit::PaymentsOffice> office_of(const ServerContext& ctx) {
  return benefit::load_payments_office(ctx.options.config_dir, ctx.city);
}

json repayment_json(const benefit::Repayment& r) {
  const json ex = json::parse(r.explanation, nullptr, false);
  return {{"repayment_id", r.repayment_id}, {"debtor_kind", r.debtor_kind},
          {"person_id", r.person_id ? json(*r.person_id) : json(nullptr)},
          {"office_no", r.office_no ? json(*r.office_no) : json(nullptr)},
          {"debtor_name", r.debtor_name},   {"reason_kind", r.reason_kind},
          {"reason", r.reason},             {"principal", r.principal},
          {"surcharge", r.surcharge},       {"total", r.total},
          {"paid_total", r.paid_total},     {"slip_no", r.slip_no},
          {"decided_on", r.decided_on},     {"due_on", r.due_on},
          {"status", r.status},             {"explanation", ex.is_discarded() ? json(r.explanation) : ex},
          {"decided_by", r.decided_by},     {"recorded_at", r.recorded_at},   {"changed_by", r.changed_by ? json(*r.changed_by) : json(nullptr)},
          {"changed_at", r.changed_at ? json(*r.changed_at) : json(nullptr)}};
}

json combined_json(const benefit::CombinedApplication& a) {
  json months = json::array();
  for (const auto& m : a.months)
    months.push_back({{"month", m.month}, {"copayment", m.copayment}, {"high_cost", m.high_cost}, {"counted", m.counted}});
  auto opt = [](const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); };
  return {{"combined_id", a.combined_id},
          {"person_id", a.person_id},
          {"kokuho_ref", a.kokuho_ref},
          {"period_from", a.period_from},
          {"period_to", a.period_to},
          {"medical_insurer_no", a.medical_insurer_no},
          {"age_band", a.age_band},
          {"income_class", a.income_class},
          {"status", a.status},
          {"care_copayment", opt(a.care_copayment)},
          {"medical_copayment", opt(a.medical_copayment)},
          {"excess_total", opt(a.excess_total)},
          {"care_share", opt(a.care_share)},
          {"decided_amount", opt(a.decided_amount)},
          {"decided_on", a.decided_on ? json(*a.decided_on) : json(nullptr)},
          {"months", months},
          {"explanation", a.explanation},
          {"certificate_exchange_id", opt(a.certificate_exchange_id)},
          {"recorded_at", a.recorded_at}};
}

ApiResponse pdf(std::string bytes, const std::string& name) {
  ApiResponse r;
  r.text = std::move(bytes);
  r.content_type = "application/pdf";
  r.headers.emplace_back("Content-Disposition", fmt::format("inline; filename=\"{}\"", name));
  return r;
}

Result<benefit::RepaymentInput> repayment_input(const json& body, const Clock& clock, const std::string& actor) {
  benefit::RepaymentInput in;
  auto kind = string_field(body, "debtor_kind");
  if (!kind) return std::unexpected(kind.error());
  in.debtor_kind = *kind;
  auto person = string_field(body, "person_id", false);
  if (!person) return std::unexpected(person.error());
  if (!person->empty()) in.person_id = *person;
  auto office = string_field(body, "office_no", false);
  if (!office) return std::unexpected(office.error());
  if (!office->empty()) in.office_no = *office;
  auto name = string_field(body, "debtor_name", false);
  if (!name) return std::unexpected(name.error());
  in.debtor_name = *name;
  auto reason_kind = string_field(body, "reason_kind");
  if (!reason_kind) return std::unexpected(reason_kind.error());
  auto rk = benefit::repayment_reason_from_code(*reason_kind);
  if (!rk) return fail(ErrorKind::invalid_input, "reason_kind is not a repayment reason", "reason_kind");
  in.reason_kind = *rk;
  auto reason = string_field(body, "reason");
  if (!reason) return std::unexpected(reason.error());
  in.reason = *reason;
  if (!body.contains("principal") || !body["principal"].is_number_integer())
    return fail(ErrorKind::invalid_input, "principal must be a whole number of yen", "principal");
  in.principal = body["principal"].get<std::int64_t>();
  auto decided = date_field(body, "decided_on", false);
  if (!decided) return std::unexpected(decided.error());
  in.decided_on = decided->value_or(clock.today());
  in.actor = actor;
  return in;
}

// The person of a repayment or application, for the access log ("" when none).
Result<std::string> person_of(store::Connection& c, const char* table, const char* key, std::int64_t id) {
  auto row = c.query_one(fmt::format("SELECT person_id FROM {} WHERE {} = $1", table, key), {id});
  if (!row) return std::unexpected(row.error());
  return *row ? (*row)->str(0) : std::string();
}

void add_repayment_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "POST", "/api/v1/repayments",
      "KY-18: decide a repayment (返還金): principal, 加算金 by the rules, due date, 納付書番号; mailed to the debtor",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto config = ctx.benefit_config();
        if (!config) return std::unexpected(config.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        const std::string actor = req.user().user.user_id;
        auto in = repayment_input(*body, ctx.clock, actor);
        if (!in) return std::unexpected(in.error());
        json out;
        auto tx = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          auto r = benefit::decide_repayment(c, ctx.clock, (*config)->rules, *in);
          if (!r) return std::unexpected(r.error());
          out = repayment_json(*r);
          if (r->person_id)
            return record_access(c, ctx.clock, actor, *r->person_id, AccessAction::write, "POST /api/v1/repayments", false);
          return {};
        });
        if (!tx) return std::unexpected(tx.error());
        return ApiResponse::json(out, 201);
      },
      {},
      {{"debtor_kind", "insured | provider"},
       {"person_id", "the insured debtor, or the person a provider's repayment concerns"},
       {"office_no", "provider: 事業所番号 (10 digits)"},
       {"debtor_name", "provider: its name (insured: the person's)"},
       {"reason_kind", "overpaid_high_cost | ineligible_period | provider_fraud | other"},
       {"reason", "what was paid wrongly, for the notice"},
       {"principal", "yen > 0"},
       {"decided_on", "YYYY-MM-DD (default today)"}}});

  router.add(Route{"GET", "/api/v1/repayments", "repayments, newest first (status, person_id filters)", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     json list = json::array();
                     auto tx = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
                       auto all = benefit::list_repayments(c, req.query("status"), req.query("person_id"));
                       if (!all) return std::unexpected(all.error());
                       std::vector<std::string> persons;
                       for (const auto& r : *all) {
                         list.push_back(repayment_json(r));
                         if (r.person_id) persons.push_back(*r.person_id);
                       }
                       if (persons.empty()) return {};
                       return record_reads(c, ctx.clock, req.user().user.user_id, persons, "GET /api/v1/repayments");
                     });
                     if (!tx) return std::unexpected(tx.error());
                     return ApiResponse::json({{"repayments", list}});
                   },
                   {{"status", "open | partially_paid | paid | overpaid | cancelled"}, {"person_id", "one person's"}}});

  router.add(Route{"GET", "/api/v1/repayments/{repayment_id}", "one repayment with its explanation and receipts",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_param(req.path_params.at(0), "repayment_id");
                     if (!id) return std::unexpected(id.error());
                     json out;
                     auto tx = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
                       auto r = benefit::load_repayment(c, *id);
                       if (!r) return std::unexpected(r.error());
                       out = repayment_json(*r);
                       json receipts = json::array();
                       auto rows = c.query(
                           "SELECT receipt_id, file_id, line_no, paid_on, amount, recorded_at FROM repayment_receipt "
                           "WHERE repayment_id = $1 ORDER BY receipt_id",
                           {*id});
                       if (!rows) return std::unexpected(rows.error());
                       for (const auto& x : *rows)
                         receipts.push_back({{"receipt_id", x.i64(0)}, {"file_id", x.i64(1)}, {"line_no", x.i64(2)},
                                             {"paid_on", x.str(3)}, {"amount", x.i64(4)}, {"recorded_at", x.str(5)}});
                       out["receipts"] = receipts;
                       if (r->person_id)
                         return record_access(c, ctx.clock, req.user().user.user_id, *r->person_id, AccessAction::read,
                                              "GET /api/v1/repayments/{repayment_id}", false);
                       return {};
                     });
                     if (!tx) return std::unexpected(tx.error());
                     return ApiResponse::json(out);
                   }});

  router.add(Route{
      "GET", "/api/v1/repayments/{repayment_id}/notice.pdf",
      "KY-18: the 返還金 決定通知書 + 納付書 (the first print is the one mailed; later ones are reprints)",
      benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto config = ctx.benefit_config();
        if (!config) return std::unexpected(config.error());
        auto id = id_param(req.path_params.at(0), "repayment_id");
        if (!id) return std::unexpected(id.error());
        auto office = office_of(ctx);
        if (!office) return std::unexpected(office.error());
        auto bytes = benefit::repayment_notice_pdf(ctx.db, ctx.clock, **config, *office, *id, req.user().user.user_id);
        if (!bytes) return std::unexpected(bytes.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          auto person = person_of(c, "repayment", "repayment_id", *id);
          if (!person) return std::unexpected(person.error());
          if (person->empty()) return {};
          return record_access(c, ctx.clock, req.user().user.user_id, *person, AccessAction::write,
                               "GET /api/v1/repayments/{repayment_id}/notice.pdf", false);
        });
        if (!logged) return std::unexpected(logged.error());
        return pdf(std::move(*bytes), fmt::format("repayment-{}.pdf", *id));
      }});

  router.add(Route{"POST", "/api/v1/repayments/{repayment_id}/cancel",
                   "cancel a repayment decided in error (open, nothing received, its charge not sent to accounting)",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_param(req.path_params.at(0), "repayment_id");
                     if (!id) return std::unexpected(id.error());
                     json out;
                     auto tx = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
                       auto r = benefit::cancel_repayment(c, ctx.clock, *id, req.user().user.user_id);
                       if (!r) return std::unexpected(r.error());
                       out = repayment_json(*r);
                       if (r->person_id)
                         return record_access(c, ctx.clock, req.user().user.user_id, *r->person_id, AccessAction::write,
                                              "POST /api/v1/repayments/{repayment_id}/cancel", false);
                       return {};
                     });
                     if (!tx) return std::unexpected(tx.error());
                     return ApiResponse::json(out);
                   }});
}

void add_combined_routes(Router& router, ServerContext& ctx) {
  router.add(Route{"GET", "/api/v1/benefit/combined-applications",
                   "KY-21…23: 高額医療合算 applications from the 国保, newest first", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     json list = json::array();
                     auto tx = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
                       auto all = benefit::list_combined(c, req.query("status"), req.query("person_id"));
                       if (!all) return std::unexpected(all.error());
                       std::vector<std::string> persons;
                       for (const auto& a : *all) {
                         list.push_back(combined_json(a));
                         persons.push_back(a.person_id);
                       }
                       if (persons.empty()) return {};
                       return record_reads(c, ctx.clock, req.user().user.user_id, persons,
                                           "GET /api/v1/benefit/combined-applications");
                     });
                     if (!tx) return std::unexpected(tx.error());
                     return ApiResponse::json({{"applications", list}});
                   },
                   {{"status", "received | certified | decided | not_payable"}, {"person_id", "one person's"}}});

  router.add(Route{"GET", "/api/v1/combined-applications/{combined_id}",
                   "one 高額医療合算 application: the 自己負担額 by month (KY-22), the split and decision (KY-23)",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_param(req.path_params.at(0), "combined_id");
                     if (!id) return std::unexpected(id.error());
                     json out;
                     auto tx = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
                       auto a = benefit::load_combined(c, *id);
                       if (!a) return std::unexpected(a.error());
                       out = combined_json(*a);
                       return record_access(c, ctx.clock, req.user().user.user_id, a->person_id, AccessAction::read,
                                            "GET /api/v1/combined-applications/{combined_id}", false);
                     });
                     if (!tx) return std::unexpected(tx.error());
                     return ApiResponse::json(out);
                   }});

  router.add(Route{"GET", "/api/v1/combined-applications/{combined_id}/notice.pdf",
                   "KY-23: the 高額医療合算介護サービス費 支給(不支給)決定通知書", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto config = ctx.benefit_config();
                     if (!config) return std::unexpected(config.error());
                     auto id = id_param(req.path_params.at(0), "combined_id");
                     if (!id) return std::unexpected(id.error());
                     auto office = office_of(ctx);
                     if (!office) return std::unexpected(office.error());
                     auto bytes = benefit::combined_notice_pdf(ctx.db, ctx.clock, **config, *office, *id,
                                                               req.user().user.user_id);
                     if (!bytes) return std::unexpected(bytes.error());
                     auto logged = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
                       auto person = person_of(c, "combined_application", "combined_id", *id);
                       if (!person) return std::unexpected(person.error());
                       if (person->empty()) return {};
                       return record_access(c, ctx.clock, req.user().user.user_id, *person, AccessAction::write,
                                            "GET /api/v1/combined-applications/{combined_id}/notice.pdf", false);
                     });
                     if (!logged) return std::unexpected(logged.error());
                     return pdf(std::move(*bytes), fmt::format("combined-{}.pdf", *id));
                   }});
}

}  // namespace

void add_benefit_payment_routes(Router& router, ServerContext& ctx) {
  add_repayment_routes(router, ctx);
  add_combined_routes(router, ctx);
}

}  // namespace kaigo::server
