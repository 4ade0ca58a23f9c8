// GET /api/v1/persons/{person_id}/insurance-card.pdf: the person's 被保険者証 (SK-17) as a PDF for
// the counter, with ?reissue_reason=… for a 再交付. The card shows what the register holds today;
// the certification panel carries the person's certification (certification::fill_certification_panel).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "certification/certification_outputs.hpp"
#include "core/hash.hpp"
#include "notice/insurance_card.hpp"
#include "eligibility/card_batch.hpp"
#include "server/eligibility_labels.hpp"
#include "server/json_fields.hpp"
#include "server/access_log.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;

// The card is rendered to a private temporary file (cairo writes PDFs to files) and read back.
Result<std::string> render_to_bytes(const notice::InsuranceCardData& card) {
  const auto path = std::filesystem::temp_directory_path() / fmt::format("kaigo-card-{}.pdf", to_hex(random_bytes(8)));
  auto written = notice::write_insurance_cards(path, std::span<const notice::InsuranceCardData>(&card, 1));
  if (!written) return std::unexpected(written.error());
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return bytes.str();
}

// The words a reissued card prints after 再交付 (notice/insurance_card.hpp).
std::string reissue_words(std::string_view reason) {
  if (reason == "reissue_lost") return "紛失";
  if (reason == "reissue_damaged") return "破損・汚損";
  if (reason == "reissue_change") return "記載事項変更";
  return "";
}

json run_json(const eligibility::CardBatchRun& r) {
  return {{"batch_run_id", r.batch_run_id}, {"month", r.month},          {"status", r.status},
          {"count", r.count},               {"output", !r.output_path.empty()}, {"started_at", r.started_at},
          {"finished_at", r.finished_at},   {"started_by", r.started_by}};
}

}  // namespace

void add_card_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "GET", "/api/v1/persons/{person_id}/insurance-card.pdf",
      "the person's 被保険者証 as a PDF (SK-17), recorded as issued; reason new or reissue_*", card_issuers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string id = req.path_params.at(0);
        const std::string reason = req.query("reason").value_or("new");
        // turning_65 and certification are issued by their batches (the 65歳到達 run, NT-13), not here.
        if (!is_card_reason(reason) || reason == "turning_65" || reason == "certification")
          return fail(ErrorKind::invalid_input, "reason must be new, reissue_lost, reissue_damaged or reissue_change", "reason");
        const Date today = ctx.clock.today();
        std::optional<notice::InsuranceCardData> card;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto data = eligibility::card_data_for(c, ctx.city, id, today);
          if (!data) return std::unexpected(data.error());
          card = std::move(*data);
          if (!card) return {};
          return certification::fill_certification_panel(c, id, today, *card);
        });
        if (!read) return std::unexpected(read.error());
        if (!card) return fail(ErrorKind::not_found, fmt::format("no person {}", id), "person_id");
        card->reissue_reason = reissue_words(reason);
        auto pdf = render_to_bytes(*card);
        if (!pdf) return std::unexpected(pdf.error());
        auto recorded = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          auto issued = eligibility::record_card_issue(c, id, card->insured_no, today, reason, std::nullopt, req.user().user.user_id);
          if (!issued) return std::unexpected(issued.error());
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::write,
                               "GET /api/v1/persons/{person_id}/insurance-card.pdf", false);
        });
        if (!recorded) return std::unexpected(recorded.error());
        ApiResponse r;
        r.text = std::move(*pdf);
        r.content_type = "application/pdf";
        r.headers.emplace_back("Content-Disposition", fmt::format("inline; filename=\"insurance-card-{}.pdf\"", id));
        return r;
      },
      {{"reason", "new (default), reissue_lost, reissue_damaged, reissue_change"}}});

  router.add(Route{
      "POST", "/api/v1/batches/insurance-cards-turning-65",
      "run (or resume) the monthly 65歳到達 card batch of a month into one print file (SK-17)", card_issuers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto month = string_field(*body, "month");
        if (!month) return std::unexpected(month.error());
        eligibility::CardBatchOptions o{*month, std::filesystem::path(ctx.options.data_dir) / "print", req.user().user.user_id};
        auto run = eligibility::run_turning_65_cards(ctx.db, ctx.clock, ctx.city, o);
        if (!run) return std::unexpected(run.error());
        // The persons given a card are written: their issue rows, one access-log append.
        std::vector<std::string> ids;
        auto read = ctx.db.query("SELECT person_id FROM insurance_card_issue WHERE batch_run_id = $1", {run->batch_run_id});
        if (!read) return std::unexpected(read.error());
        for (const auto& r : *read) ids.push_back(r.str(0));
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_reads(c, ctx.clock, req.user().user.user_id, ids, "POST /api/v1/batches/insurance-cards-turning-65");
        });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(run_json(*run), 201);
      },
      {},
      {{"month", "YYYY-MM: the month in which the persons reach 65", true}}});

  router.add(Route{"GET", "/api/v1/batches/insurance-cards-turning-65", "the runs of the 65歳到達 card batch", card_issuers(),
                   [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     json items = json::array();
                     auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto runs = eligibility::list_card_batches(c, 50);
                       if (!runs) return std::unexpected(runs.error());
                       for (const auto& r : *runs) items.push_back(run_json(r));
                       return {};
                     });
                     if (!read) return std::unexpected(read.error());
                     return ApiResponse::json({{"items", items}});
                   }});

  router.add(Route{"GET", "/api/v1/batches/{batch_run_id}/output.pdf", "the print file of a card batch run", card_issuers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_param(req.path_params.at(0), "batch_run_id");
                     if (!id) return std::unexpected(id.error());
                     std::optional<eligibility::CardBatchRun> run;
                     auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto r = eligibility::find_card_batch(c, *id);
                       if (!r) return std::unexpected(r.error());
                       run = std::move(*r);
                       return {};
                     });
                     if (!read) return std::unexpected(read.error());
                     if (!run) return fail(ErrorKind::not_found, "no such batch run", "batch_run_id");
                     if (run->output_path.empty()) return fail(ErrorKind::not_found, "this run has no print file (no card was due)", "batch_run_id");
                     std::ifstream in(run->output_path, std::ios::binary);
                     if (!in) return fail(ErrorKind::unavailable, "the print file is missing from the data dir", "batch_run_id");
                     std::stringstream bytes;
                     bytes << in.rdbuf();
                     ApiResponse r;
                     r.text = bytes.str();
                     r.content_type = "application/pdf";
                     r.headers.emplace_back("Content-Disposition",
                                            fmt::format("attachment; filename=\"insurance-cards-turning-65-{}.pdf\"", run->month));
                     return r;
                   }});
}

}  // namespace kaigo::server
