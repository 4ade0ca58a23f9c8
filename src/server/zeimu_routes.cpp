// 税務連携 (docs/zeimu-layout.md): the tax files — FK-01 requests sent, FK-02 answers and
// revisions received, refused files with their errors by line and column — and asking the tax
// system: the yearly request of everyone needed for a fiscal year, or one person for a revision.
// 賦課担当 and 監督者 only. Every person named is in the access log.
#include <fmt/format.h>

#include "audit/chained_log.hpp"
#include "premium/zeimu_service.hpp"
#include "server/access_log.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

const RoleSet& tax_staff() {
  static const RoleSet roles{Role::premium_staff, Role::supervisor};
  return roles;
}

Result<int> limit_of(const ApiRequest& req, int fallback, int max) {
  const auto text = req.query("limit");
  if (!text) return fallback;
  try {
    std::size_t used = 0;
    const int n = std::stoi(*text, &used);
    if (used == text->size() && n >= 1 && n <= max) return n;
  } catch (const std::exception&) {
  }
  return fail(ErrorKind::invalid_input, fmt::format("limit must be 1..{}", max), "limit");
}

Result<int> year_of(const nlohmann::json& body, const char* key) {
  if (!body.contains(key) || !body[key].is_number_integer())
    return fail(ErrorKind::invalid_input, fmt::format("{} (a year, e.g. 2026) is required", key), key);
  const auto y = body[key].get<std::int64_t>();
  if (y < 1900 || y > 2999) return fail(ErrorKind::invalid_input, fmt::format("{} must be a year", key), key);
  return static_cast<int>(y);
}

template <typename T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json file_json(const premium::zeimu::File& f) {
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : f.errors)
    errors.push_back({{"line_no", e.line_no}, {"field", e.field}, {"message", e.message}, {"person_id", opt(e.person_id)}});
  return {{"exchange_id", f.exchange_id},
          {"flow_id", f.flow_id},
          {"kind", f.kind},
          {"file_name", f.file_name},
          {"tax_year", opt(f.tax_year)},
          {"fiscal_year", opt(f.fiscal_year)},
          {"request_exchange_id", opt(f.request_exchange_id)},
          {"lines", f.lines},
          {"applied", f.applied},
          {"unchanged", f.unchanged},
          {"undeclared", f.undeclared},
          {"queued", f.queued},
          {"status", f.status},
          {"reason", opt(f.reason)},
          {"recorded_at", f.recorded_at},
          {"recorded_by", f.recorded_by},
          {"errors", errors}};
}

nlohmann::json sent_json(const premium::zeimu::RequestSent& s) {
  return {{"exchange_id", s.exchange_id}, {"correlation_id", s.correlation_id}, {"tax_year", s.tax_year},
          {"persons", s.persons},         {"created", s.created},             {"status", "queued"}};
}

}  // namespace

void add_zeimu_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "GET", "/api/v1/zeimu/files",
      "tax files: FK-01 requests sent, FK-02 answers and revisions received, refused files with their errors",
      tax_staff(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto limit = limit_of(req, 50, 500);
        if (!limit) return std::unexpected(limit.error());
        std::vector<premium::zeimu::File> files;
        auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto f = premium::zeimu::list_files(c, req.query("kind").value_or(""), req.query("status").value_or(""), *limit);
          if (!f) return std::unexpected(f.error());
          files = std::move(*f);
          return {};
        });
        if (!r) return std::unexpected(r.error());
        // The persons named by error lines are shown: reads of personal data.
        std::vector<std::string> persons;
        for (const auto& f : files)
          for (const auto& e : f.errors)
            if (e.person_id) persons.push_back(*e.person_id);
        if (!persons.empty()) {
          auto logged = ctx.db.transaction([&](store::Connection& c) {
            return record_reads(c, ctx.clock, req.user().user.user_id, persons, "GET /api/v1/zeimu/files");
          });
          if (!logged) return std::unexpected(logged.error());
        }
        nlohmann::json items = nlohmann::json::array();
        for (const auto& f : files) items.push_back(file_json(f));
        return ApiResponse::json({{"items", items}});
      },
      {{"kind", "yearly_request | person_request | answer | revision (default: all)"},
       {"status", "sent | applied | rejected (default: all)"},
       {"limit", "1..500, default 50"}}});

  router.add(Route{
      "POST", "/api/v1/zeimu/requests",
      "ask the tax system (FK-01) for the income year before fiscal_year of everyone needed: every category-1 insured "
      "of the year and their household members on the 賦課期日",
      tax_staff(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto fy = year_of(*body, "fiscal_year");
        if (!fy) return std::unexpected(fy.error());
        const std::string user = req.user().user.user_id;
        // Each person asked about is a write of their case (an exchange about them), recorded in
        // the request's transaction.
        auto sent = premium::zeimu::request_yearly(
            ctx.db, ctx.clock, *fy, user, [&](store::Connection& c, const std::vector<std::string>& ids) -> Result<void> {
              const std::string at = ctx.clock.timestamp();
              std::vector<store::Params> rows;
              rows.reserve(ids.size());
              for (const auto& id : ids)
                rows.push_back({at, user, id, std::string("write"), std::string("POST /api/v1/zeimu/requests"), std::int64_t{0}});
              auto seq = audit::append_many(c, audit::access_log_spec(), rows);
              if (!seq) return std::unexpected(seq.error());
              return {};
            });
        if (!sent) return std::unexpected(sent.error());
        return ApiResponse::json(sent_json(*sent), sent->created ? 201 : 200);
      },
      {},
      {{"fiscal_year", "the fiscal year to assess (its income year is fiscal_year − 1)", true}}});

  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/zeimu/request",
      "ask the tax system (FK-01) about one person's income year (a revision); the answer (FK-02) is applied by the "
      "dispatcher",
      tax_staff(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string& person_id = req.path_params.at(0);
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto year = year_of(*body, "tax_year");
        if (!year) return std::unexpected(year.error());
        nlohmann::json out;
        auto r = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          auto sent = premium::zeimu::request_person(c, ctx.clock, person_id, *year, req.user().user.user_id);
          if (!sent) return std::unexpected(sent.error());
          if (auto a = record_access(c, ctx.clock, req.user().user.user_id, person_id, AccessAction::write,
                                     "POST /api/v1/persons/{person_id}/zeimu/request", false);
              !a)
            return a;
          out = sent_json(*sent);
          return {};
        });
        if (!r) return std::unexpected(r.error());
        return ApiResponse::json(out, 201);
      },
      {},
      {{"tax_year", "the income year (所得年) to ask about", true}}});
}

}  // namespace kaigo::server
