// 給付: the co-payment rate and the household income inputs (docs/api-benefit.md "Co-payment rate
// and income inputs"; docs/benefit-income.md): a person's rates with their explanation, the
// redetermination from a day, the yearly run, the 高額 income category of a month with its inputs.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "benefit/copayment.hpp"
#include "benefit/copayment_card.hpp"
#include "benefit/high_cost.hpp"  // high_cost_issuer: the issuer of every benefit document
#include "benefit/income.hpp"
#include "benefit/income_inquiry.hpp"
#include "benefit/income_zeimu.hpp"
#include "audit/chained_log.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/roles.hpp"
#include "server/routes.hpp"

namespace kaigo::server {
namespace {

using nlohmann::json;


json rate_json(const benefit::CopaymentRate& r) {
  json explanation = json::parse(r.explanation, nullptr, false);
  return {{"rate_id", r.rate_id},
          {"rate_year", r.rate_year},
          {"valid_from", r.valid_from},
          {"valid_to", r.valid_to},
          {"rate", r.rate},
          {"tax_year", r.tax_year},
          {"reason", r.reason},
          {"status", r.status},
          {"explanation", explanation.is_discarded() ? json(r.explanation) : explanation},
          {"batch_run_id", r.batch_run_id ? json(*r.batch_run_id) : json(nullptr)},
          {"decided_at", r.decided_at},
          {"decided_by", r.decided_by}};
}

json inputs_json(const benefit::PersonIncomeInputs& in) {
  json facts = json::array(), missing = json::array(), members = json::array();
  for (const auto& f : in.facts)
    facts.push_back({{"kind", f.kind}, {"person_id", f.person_id}, {"ref_id", f.ref_id}, {"detail", f.detail}});
  for (const auto& m : in.missing)
    missing.push_back({{"person_id", m.person_id}, {"fact", m.fact}, {"tax_year", m.tax_year}, {"ask_flow", m.ask_flow}});
  for (const auto& m : in.members)
    members.push_back({{"person_id", m.person_id},
                       {"category_1", m.category_1},
                       {"resident_tax_taxed", m.resident_tax_taxed ? json(*m.resident_tax_taxed) : json(nullptr)}});
  return {{"base_date", in.on.iso()},
          {"tax_year", in.tax_year},
          {"household_id", in.household_id},
          {"members", members},
          {"high_cost",
           {{"public_assistance", in.high_cost.public_assistance},
            {"old_age_welfare_pension", in.high_cost.old_age_welfare_pension},
            {"any_member_taxed", in.high_cost.any_member_taxed},
            {"max_taxable_income", in.high_cost.max_taxable_income},
            {"own_pension_and_income", in.high_cost.own_pension_and_income}}},
          {"facts", facts},
          {"missing", missing}};
}

json inquiry_json(const benefit::BenefitInquiry& q) {
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  return {{"inquiry_id", q.inquiry_id},
          {"purpose", q.purpose},
          {"kind", q.kind},
          {"request_flow", q.request_flow},
          {"answer_flow", q.answer_flow},
          {"base_date", q.base_date},
          {"status", q.status},
          {"processing_no", opt(q.processing_no)},
          {"answered_at", opt(q.answered_at)},
          {"outcome", opt(q.outcome)},
          {"summary", opt(q.summary)},
          {"reject_reason", opt(q.reject_reason)},
          {"applied_at", opt(q.applied_at)},
          {"created_at", q.created_at},
          {"created_by", q.created_by}};
}

Result<void> person_exists(store::Connection& c, const std::string& id) {
  auto exists = c.query_one("SELECT 1 FROM person WHERE person_id = $1", {id});
  if (!exists) return std::unexpected(exists.error());
  if (!*exists) return fail(ErrorKind::not_found, fmt::format("no person {}", id), "person_id");
  return {};
}

}  // namespace

json zeimu_sent_json(const benefit::ZeimuRequestSent& s) {
  return {{"exchange_id", s.exchange_id == 0 ? json(nullptr) : json(s.exchange_id)},
          {"correlation_id", s.correlation_id},
          {"flow_id", "KY-06"},
          {"tax_year", s.tax_year},
          {"persons", s.persons},
          {"already_asked", s.already_asked}};
}

// Each person named in a KY-06 request is a write of their case (an exchange about them),
// recorded in the request's transaction in one append.
benefit::ZeimuPersonsHook log_asked(const ServerContext& ctx, const std::string& user, const std::string& resource) {
  return [&ctx, user, resource](store::Connection& c, const std::vector<std::string>& ids) -> Result<void> {
    const std::string at = ctx.clock.timestamp();
    std::vector<store::Params> rows;
    rows.reserve(ids.size());
    for (const auto& id : ids) rows.push_back({at, user, id, std::string("write"), resource, std::int64_t{0}});
    auto seq = audit::append_many(c, audit::access_log_spec(), rows);
    if (!seq) return std::unexpected(seq.error());
    return {};
  };
}

void add_benefit_income_routes(Router& router, ServerContext& ctx) {
  router.add(Route{"GET", "/api/v1/persons/{person_id}/copayment-rates",
                   "the person's co-payment rates (負担割合), newest period first, with their explanation",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto config = ctx.benefit_config();
                     if (!config) return std::unexpected(config.error());
                     const std::string id = req.path_params.at(0);
                     benefit::CopaymentService service(ctx.db, ctx.clock, (*config)->rules);
                     json list = json::array();
                     auto read = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
                       auto ok = person_exists(c, id);
                       if (!ok) return ok;
                       return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                                            "GET /api/v1/persons/{person_id}/copayment-rates", false);
                     });
                     if (!read) return std::unexpected(read.error());
                     auto rates = service.for_person(id);
                     if (!rates) return std::unexpected(rates.error());
                     for (const auto& r : *rates) list.push_back(rate_json(r));
                     return ApiResponse::json({{"person_id", id}, {"rates", list}});
                   }});

  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/copayment-rates/redetermine",
      "a mid-year redetermination of the co-payment rate from a day (a new row only when the rate changes)",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto config = ctx.benefit_config();
        if (!config) return std::unexpected(config.error());
        const std::string id = req.path_params.at(0);
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto from = date_field(*body, "from");
        if (!from) return std::unexpected(from.error());
        auto reason = string_field(*body, "reason");
        if (!reason) return std::unexpected(reason.error());
        benefit::CopaymentService service(ctx.db, ctx.clock, (*config)->rules);
        auto out = service.redetermine(id, **from, *reason, req.user().user.user_id);
        if (!out) return std::unexpected(out.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::write,
                               "POST /api/v1/persons/{person_id}/copayment-rates/redetermine", false);
        });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json({{"changed", out->changed}, {"rate", rate_json(out->rate)}});
      },
      {},
      {{"from", "YYYY-MM-DD, the first day of the new rate"},
       {"reason", "income_corrected | household_changed"}}});

  router.add(Route{
      "POST", "/api/v1/benefit/copayment-runs",
      "the yearly co-payment determination for 1 August of rate_year (resumable; a finished run answers its report)",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto config = ctx.benefit_config();
        if (!config) return std::unexpected(config.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        if (!body->contains("rate_year") || !(*body)["rate_year"].is_number_integer())
          return fail(ErrorKind::invalid_input, "rate_year must be an integer year", "rate_year");
        benefit::CopaymentService service(ctx.db, ctx.clock, (*config)->rules);
        auto r = service.run_yearly((*body)["rate_year"].get<int>(), req.user().user.user_id);
        if (!r) return std::unexpected(r.error());
        // 負担割合証 of every rate the run wrote, once the run is done (asking again prints what a
        // stopped printing left).
        benefit::CopaymentCardsPrinted cards;
        if (r->status == "done") {
          auto printed = benefit::print_copayment_cards(ctx.db, ctx.clock, benefit::high_cost_issuer(ctx.city),
                                                        r->batch_run_id,
                                                        std::filesystem::path(ctx.options.data_dir) / "print");
          if (!printed) return std::unexpected(printed.error());
          cards = *printed;
        }
        return ApiResponse::json({{"batch_run_id", r->batch_run_id},
                                  {"cards", cards.cards},
                                  {"print_file", cards.path},
                                  {"rate_year", r->rate_year},
                                  {"status", r->status},
                                  {"persons", r->persons},
                                  {"written", r->written},
                                  {"unchanged", r->unchanged},
                                  {"provisional", r->provisional},
                                  {"by_rate", {r->by_rate[0], r->by_rate[1], r->by_rate[2]}}});
      },
      {},
      {{"rate_year", "integer year whose 1 August starts the period"}}});

  router.add(Route{"GET", "/api/v1/persons/{person_id}/copayment-card.pdf",
                   "the person's 介護保険負担割合証 of the rate in force today (or the next one); a reprint is recorded "
                   "as such",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string id = req.path_params.at(0);
                     auto pdf = benefit::copayment_card_pdf(ctx.db, ctx.clock, benefit::high_cost_issuer(ctx.city), id,
                                                            req.user().user.user_id);
                     if (!pdf) return std::unexpected(pdf.error());
                     auto logged = ctx.db.transaction([&](store::Connection& c) {
                       return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                                            "GET /api/v1/persons/{person_id}/copayment-card.pdf", false);
                     });
                     if (!logged) return std::unexpected(logged.error());
                     ApiResponse r;
                     r.text = std::move(pdf->pdf);
                     r.content_type = "application/pdf";
                     r.headers.emplace_back("Content-Disposition",
                                            fmt::format("inline; filename=\"copayment-card-{}.pdf\"", pdf->rate_id));
                     return r;
                   }});

  router.add(Route{
      "GET", "/api/v1/persons/{person_id}/income-category",
      "the 高額介護サービス費 income category of a service month with its explanation, the facts used and those missing",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto config = ctx.benefit_config();
        if (!config) return std::unexpected(config.error());
        const std::string id = req.path_params.at(0);
        auto month = req.query("month");
        if (!month || month->empty()) return fail(ErrorKind::invalid_input, "month is required (YYYY-MM)", "month");
        json out;
        auto read = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          auto ok = person_exists(c, id);
          if (!ok) return ok;
          auto d = benefit::income_category(c, (*config)->rules, id, *month);
          if (!d) return std::unexpected(d.error());
          out = {{"person_id", id},
                 {"month", *month},
                 {"category", benefit::to_code(d->category)},
                 {"label", benefit::label(d->category)},
                 {"explanation", d->explanation},
                 {"provisional", d->provisional},
                 {"inputs", inputs_json(d->inputs)}};
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                               "GET /api/v1/persons/{person_id}/income-category", false);
        });
        if (!read) return std::unexpected(read.error());
        return ApiResponse::json(out);
      },
      {{"month", "service month YYYY-MM"}}});
  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/benefit-inquiries",
      "ask the 番号連携 gateway about the person's income facts (KY-08 地方税, KY-10 世帯員, KY-12 老齢福祉年金, "
      "KY-14 生活保護); the answer is applied by the background job",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string id = req.path_params.at(0);
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto kind = string_field(*body, "kind");
        if (!kind) return std::unexpected(kind.error());
        auto purpose = string_field(*body, "purpose");
        if (!purpose) return std::unexpected(purpose.error());
        auto base = date_field(*body, "base_date");
        if (!base) return std::unexpected(base.error());
        benefit::IncomeInquiryService service(ctx.db, ctx.clock, ctx.inquiries);
        auto q = service.inquire(id, *kind, *purpose, **base, req.user().user.user_id);
        if (!q) return std::unexpected(q.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::write,
                               "POST /api/v1/persons/{person_id}/benefit-inquiries", false);
        });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(inquiry_json(*q), 201);
      },
      {},
      {{"kind", "city_local_tax | city_household | nenkin_old_age_welfare | pref_public_assistance"},
       {"purpose", "high_cost | copayment_rate"},
       {"base_date", "YYYY-MM-DD, the day the facts are needed for (its income year for the tax kinds)"}}});

  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/zeimu-inquiries",
      "ask the city's tax system (KY-06) for the tax facts the person's household misses on a day; the KY-07 answer "
      "is applied when it arrives",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string id = req.path_params.at(0);
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto base = date_field(*body, "base_date");
        if (!base) return std::unexpected(base.error());
        const std::string user = req.user().user.user_id;
        const std::string resource = "POST /api/v1/persons/{person_id}/zeimu-inquiries";
        auto sent = benefit::ask_zeimu_for_person(ctx.db, ctx.clock, id, **base, user, log_asked(ctx, user, resource));
        if (!sent) return std::unexpected(sent.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_access(c, ctx.clock, user, id, AccessAction::write, resource, false);
        });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(zeimu_sent_json(*sent), 201);
      },
      {},
      {{"base_date", "YYYY-MM-DD, the day the facts are needed for (its income year)"}}});

  router.add(Route{
      "POST", "/api/v1/benefit/zeimu-inquiries",
      "ask the city's tax system (KY-06) in one file for every tax fact a service month misses that it holds; persons "
      "asked already for the income year are left out",
      benefit_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto month = string_field(*body, "month");
        if (!month) return std::unexpected(month.error());
        const std::string user = req.user().user.user_id;
        auto sent = benefit::ask_zeimu_for_month(ctx.db, ctx.clock, *month, user,
                                                 log_asked(ctx, user, "POST /api/v1/benefit/zeimu-inquiries"));
        if (!sent) return std::unexpected(sent.error());
        return ApiResponse::json(zeimu_sent_json(*sent), sent->exchange_id == 0 ? 200 : 201);
      },
      {},
      {{"month", "service month YYYY-MM"}}});

  router.add(Route{"GET", "/api/v1/persons/{person_id}/benefit-inquiries",
                   "the person's benefit inquiries (KY-08 … KY-15) and what each answer applied", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string id = req.path_params.at(0);
                     auto read = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
                       auto ok = person_exists(c, id);
                       if (!ok) return ok;
                       return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                                            "GET /api/v1/persons/{person_id}/benefit-inquiries", false);
                     });
                     if (!read) return std::unexpected(read.error());
                     benefit::IncomeInquiryService service(ctx.db, ctx.clock, ctx.inquiries);
                     auto list = service.for_person(id);
                     if (!list) return std::unexpected(list.error());
                     json out = json::array();
                     for (const auto& q : *list) out.push_back(inquiry_json(q));
                     return ApiResponse::json({{"person_id", id}, {"inquiries", out}});
                   }});
}

}  // namespace kaigo::server
