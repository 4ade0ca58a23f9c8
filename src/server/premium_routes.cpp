// 賦課 routes (docs/api-premium.md): a person's assessments with their explanation and history,
// assessing one person now, the table in force, the yearly and revision runs, the what-if.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "premium/assessment.hpp"
#include "premium/premium_notice.hpp"
#include "premium/simulation.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/routes.hpp"

namespace kaigo::server {
namespace {

using nlohmann::json;

Result<const std::vector<premium::PremiumTable>*> tables_of(const ServerContext& ctx) {
  if (!ctx.premium_tables) return fail(ErrorKind::unavailable, "the premium tables are not loaded on this server");
  return ctx.premium_tables;
}

Result<int> fiscal_year_of(const std::optional<std::string>& text, const Clock& clock) {
  if (!text || text->empty()) return clock.today().fiscal_year();
  if (text->size() != 4 || text->find_first_not_of("0123456789") != std::string::npos)
    return fail(ErrorKind::invalid_input, "fiscal_year must be a year such as 2026", "fiscal_year");
  return std::stoi(*text);
}

Result<int> fiscal_year_field(const json& body, const Clock& clock) {
  if (!body.contains("fiscal_year")) return clock.today().fiscal_year();
  if (!body["fiscal_year"].is_number_integer())
    return fail(ErrorKind::invalid_input, "fiscal_year must be an integer year", "fiscal_year");
  const int fy = body["fiscal_year"].get<int>();
  if (fy < 2000 || fy > 2100) return fail(ErrorKind::invalid_input, "fiscal_year out of range", "fiscal_year");
  return fy;
}

json assessment_json(const premium::Assessment& a) {
  return {{"assessment_id", a.assessment_id},
          {"fiscal_year", a.fiscal_year},
          {"revision", a.revision},
          {"is_current", a.is_current},
          {"insured_no", a.insured_no},
          {"base_date", a.base_date},
          {"stage", a.stage},
          {"stage_label", a.stage_label},
          {"ratio", a.ratio},
          {"reduced", a.reduced},
          {"annual_amount", a.annual_amount},
          {"months", a.months},
          {"amount", a.amount},
          {"previous_amount", a.previous_amount},
          {"difference", a.amount - a.previous_amount},
          {"table", {{"name", a.table_name}, {"sha256", a.table_sha256}, {"effective_from", a.table_effective_from}}},
          {"inputs", json::parse(a.inputs)},
          {"explanation", json::parse(a.explanation)},
          {"cause", a.cause},
          {"batch_run_id", a.batch_run_id ? json(*a.batch_run_id) : json(nullptr)},
          {"assessed_at", a.assessed_at},
          {"assessed_by", a.assessed_by}};
}

json run_json(const premium::AssessmentRun& r) {
  return {{"batch_run_id", r.batch_run_id}, {"job", r.job},           {"run_key", r.run_key},
          {"status", r.status},             {"done", r.done_count},   {"total", r.total_count},
          {"started_at", r.started_at},     {"finished_at", r.finished_at}, {"started_by", r.started_by}};
}

json interval_json(const premium::StageAlternative& a) {
  json j = {{"status", premium::to_code(a.status)}};
  if (a.old_age_welfare_pension) {
    j["old_age_welfare_pension"] = true;
    return j;
  }
  j["measure"] = premium::to_code(a.measure);
  j["interval"] = a.interval.describe();
  return j;
}

json table_json(const premium::PremiumTable& t, const premium::PremiumTableVersion& v, int fy) {
  json stages = json::array();
  for (const auto& s : v.stages) {
    const Ratio applied = v.apply_reduced_ratio && s.reduced_ratio ? *s.reduced_ratio : s.ratio;
    json alternatives = json::array();
    for (const auto& a : s.alternatives) alternatives.push_back(interval_json(a));
    stages.push_back({{"stage", s.number},
                      {"label", s.label},
                      {"welfare", s.welfare},
                      {"alternatives", alternatives},
                      {"ratio", s.ratio.decimal()},
                      {"reduced_ratio", s.reduced_ratio ? json(s.reduced_ratio->decimal()) : json(nullptr)},
                      {"applied_ratio", applied.decimal()},
                      {"annual_amount", applied.of(Yen(v.base_amount), v.annual_rounding).value}});
  }
  return {{"fiscal_year", fy},
          {"name", t.name},
          {"plan_period", {{"first_fiscal_year", t.first_fiscal_year}, {"last_fiscal_year", t.last_fiscal_year}}},
          {"file", t.source.filename().string()},
          {"sha256", t.sha256},
          {"effective_from", v.effective_from.iso()},
          {"base_amount", v.base_amount},
          {"apply_reduced_ratio", v.apply_reduced_ratio},
          {"stages", stages}};
}

json tally_json(const premium::TableTally& t) {
  json stages = json::array();
  for (const auto& s : t.stages)
    stages.push_back({{"stage", s.stage},
                      {"label", s.label},
                      {"ratio", s.ratio},
                      {"annual_amount", s.annual_amount},
                      {"persons", s.persons},
                      {"revenue", s.revenue}});
  return {{"name", t.name}, {"effective_from", t.effective_from}, {"base_amount", t.base_amount},
          {"stages", stages}, {"persons", t.persons},             {"revenue", t.revenue}};
}


std::filesystem::path print_dir(const ServerContext& ctx) { return std::filesystem::path(ctx.options.data_dir) / "print"; }

Result<std::string> file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::not_found, "the print file is missing");
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

json notice_run_json(const premium::NoticeRunSummary& r) {
  return {{"batch_run_id", r.batch_run_id}, {"fiscal_year", r.fiscal_year}, {"status", r.status},
          {"notices", r.notices},           {"files", r.files},             {"started_at", r.started_at},
          {"finished_at", r.finished_at},   {"started_by", r.started_by}};
}

// {"runs": [...]} from a lister of runs (assessment runs, notice runs).
template <typename Lister, typename ToJson>
Result<ApiResponse> runs_response(ServerContext& ctx, Lister list, ToJson to_json) {
  json out = json::array();
  auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
    auto runs = list(c, 50);
    if (!runs) return std::unexpected(runs.error());
    for (const auto& r : *runs) out.push_back(to_json(r));
    return {};
  });
  if (!read) return std::unexpected(read.error());
  return ApiResponse::json({{"runs", out}});
}

void add_notice_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "GET", "/api/v1/persons/{person_id}/premium/notice.pdf",
      "FK-11: the 保険料額決定通知書 (or 変更通知書) of the person's current assessment of a fiscal year, recorded as issued",
      premium_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto tables = tables_of(ctx);
        if (!tables) return std::unexpected(tables.error());
        const std::string id = req.path_params.at(0);
        auto fy = fiscal_year_of(req.query("fiscal_year"), ctx.clock);
        if (!fy) return std::unexpected(fy.error());
        auto notice = premium::notice_for_person(ctx.db, ctx.city, **tables, id, *fy, ctx.clock.today(),
                                                 req.user().user.user_id);
        if (!notice) return std::unexpected(notice.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::write,
                               "GET /api/v1/persons/{person_id}/premium/notice.pdf", false);
        });
        if (!logged) return std::unexpected(logged.error());
        return pdf_response(std::move(notice->pdf), fmt::format("premium-notice-{}-{}.pdf", id, *fy));
      },
      {{"fiscal_year", "year (default: the current fiscal year)"}}});

  router.add(Route{"GET", "/api/v1/premium/notice-runs", "FK-11 print runs, newest first", premium_workers(),
                   [&ctx](ApiRequest&) { return runs_response(ctx, premium::list_notice_runs, notice_run_json); }});

  router.add(Route{
      "POST", "/api/v1/premium/notice-runs",
      "FK-11: notice every assessment of a fiscal year not noticed yet (decisions and revisions), worked in the background",
      premium_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto fy = fiscal_year_field(*body, ctx.clock);
        if (!fy) return std::unexpected(fy.error());
        auto run = premium::open_notice_run(ctx.db, ctx.clock, *fy, req.user().user.user_id);
        if (!run) return std::unexpected(run.error());
        return ApiResponse::json({{"batch_run_id", run->batch_run_id}, {"status", run->status}}, run->batch_run_id ? 202 : 200);
      },
      {},
      {{"fiscal_year", "integer year (default: the current fiscal year)"}}});

  router.add(Route{"GET", "/api/v1/premium/notice-runs/{batch_run_id}/files/{file_no}",
                   "one print file (PDF) of an FK-11 run; files are numbered from 1", premium_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto run_id = id_param(req.path_params.at(0), "batch_run_id");
                     if (!run_id) return std::unexpected(run_id.error());
                     auto file_no = id_param(req.path_params.at(1), "file_no");
                     if (!file_no) return std::unexpected(file_no.error());
                     std::filesystem::path path;
                     auto found = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto p = premium::notice_run_file(c, *run_id, *file_no - 1, print_dir(ctx));
                       if (!p) return std::unexpected(p.error());
                       path = *p;
                       return {};
                     });
                     if (!found) return std::unexpected(found.error());
                     auto bytes = file_bytes(path);
                     if (!bytes) return std::unexpected(bytes.error());
                     return pdf_response(std::move(*bytes), path.filename().string());
                   }});
}

}  // namespace

void add_premium_routes(Router& router, ServerContext& ctx) {
  add_notice_routes(router, ctx);
  router.add(Route{"GET", "/api/v1/persons/{person_id}/premium/assessments",
                   "the person's premium assessments, every year and revision, with inputs and explanation",
                   person_readers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string id = req.path_params.at(0);
                     json list = json::array();
                     auto read = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
                       auto exists = c.query_one("SELECT 1 FROM person WHERE person_id = $1", {id});
                       if (!exists) return std::unexpected(exists.error());
                       if (!*exists) return fail(ErrorKind::not_found, fmt::format("no person {}", id), "person_id");
                       auto all = premium::assessments_for(c, id);
                       if (!all) return std::unexpected(all.error());
                       for (const auto& a : *all) list.push_back(assessment_json(a));
                       return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                                            "GET /api/v1/persons/{person_id}/premium/assessments", false);
                     });
                     if (!read) return std::unexpected(read.error());
                     return ApiResponse::json({{"person_id", id}, {"assessments", list}});
                   }});

  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/premium/assessments",
      "assess the person now for a fiscal year (a new revision only when the result changes)", premium_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto tables = tables_of(ctx);
        if (!tables) return std::unexpected(tables.error());
        const std::string id = req.path_params.at(0);
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto fy = fiscal_year_field(*body, ctx.clock);
        if (!fy) return std::unexpected(fy.error());
        auto outcome = premium::assess_person(ctx.db, ctx.clock, **tables, id, *fy, premium::kCauseStaff,
                                              req.user().user.user_id);
        if (!outcome) return std::unexpected(outcome.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::write,
                               "POST /api/v1/persons/{person_id}/premium/assessments", false);
        });
        if (!logged) return std::unexpected(logged.error());
        static const char* kKinds[] = {"created", "revised", "unchanged", "not_insured"};
        return ApiResponse::json({{"outcome", kKinds[static_cast<int>(outcome->kind)]},
                                {"assessment", outcome->assessment ? assessment_json(*outcome->assessment) : json(nullptr)}});
      },
      {},
      {{"fiscal_year", "integer year (default: the current fiscal year)"}}});

  router.add(Route{"GET", "/api/v1/premium/table", "the premium table in force for a fiscal year", person_readers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto tables = tables_of(ctx);
                     if (!tables) return std::unexpected(tables.error());
                     auto fy = fiscal_year_of(req.query("fiscal_year"), ctx.clock);
                     if (!fy) return std::unexpected(fy.error());
                     const premium::PremiumTable* t = premium::table_for(**tables, *fy);
                     const premium::PremiumTableVersion* v = t ? t->version_on(Date(*fy, 4, 1)) : nullptr;
                     if (!v) return fail(ErrorKind::not_found, fmt::format("no premium table covers fiscal year {}", *fy),
                                         "fiscal_year");
                     return ApiResponse::json(table_json(*t, *v, *fy));
                   },
                   {{"fiscal_year", "year (default: the current fiscal year)"}}});

  router.add(Route{"GET", "/api/v1/premium/runs", "the yearly (本算定) and revision (異動賦課) runs, newest first",
                   premium_workers(),
                   [&ctx](ApiRequest&) { return runs_response(ctx, premium::list_assessment_runs, run_json); }});

  router.add(Route{
      "POST", "/api/v1/premium/runs",
      "start a run: job annual (本算定 of fiscal_year, worked in the background, resumable) or revisions (異動賦課, at once)",
      premium_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto tables = tables_of(ctx);
        if (!tables) return std::unexpected(tables.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto job = string_field(*body, "job");
        if (!job) return std::unexpected(job.error());
        if (*job == "annual") {
          auto fy = fiscal_year_field(*body, ctx.clock);
          if (!fy) return std::unexpected(fy.error());
          auto run = premium::open_annual_run(ctx.db, ctx.clock, **tables, *fy, req.user().user.user_id);
          if (!run) return std::unexpected(run.error());
          return ApiResponse::json(run_json(*run), 202);
        }
        if (*job == "revisions") {
          auto run = premium::run_revisions(ctx.db, ctx.clock, **tables, req.user().user.user_id);
          if (!run) return std::unexpected(run.error());
          json j = run_json(*run);
          j["created"] = run->created;
          j["revised"] = run->revised;
          j["unchanged"] = run->unchanged;
          return ApiResponse::json(j);
        }
        return fail(ErrorKind::invalid_input, "job must be annual or revisions", "job");
      },
      {},
      {{"job", "annual | revisions"}, {"fiscal_year", "for annual (default: the current fiscal year)"}}});

  router.add(Route{
      "POST", "/api/v1/premium/simulations",
      "what-if: persons and revenue per stage of a fiscal year's population under a proposed table, beside the current",
      premium_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto tables = tables_of(ctx);
        if (!tables) return std::unexpected(tables.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto fy = fiscal_year_field(*body, ctx.clock);
        if (!fy) return std::unexpected(fy.error());
        if (!body->contains("table") || !(*body)["table"].is_object())
          return fail(ErrorKind::invalid_input, "table must be the proposed rule file's JSON object", "table");
        auto proposed = premium::parse_premium_table((*body)["table"].dump(), "table");
        if (!proposed) return std::unexpected(proposed.error());
        auto sim = premium::simulate(ctx.db, *fy, **tables, *proposed);
        if (!sim) return std::unexpected(sim.error());
        return ApiResponse::json({{"fiscal_year", sim->fiscal_year},
                                {"current", tally_json(sim->current)},
                                {"proposed", tally_json(sim->proposed)}});
      },
      {},
      {{"fiscal_year", "the population's fiscal year (default: the current one)"},
       {"table", "the proposed table (docs/premium-table.md)"}}});
}

}  // namespace kaigo::server
