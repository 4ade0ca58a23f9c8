// NT-13 認定結果通知書 and the card: one at the counter, and the resumable print run of every
// decided application not notified yet (certification_outputs.hpp).
#include <fmt/format.h>

#include "certification/certification_outputs_internal.hpp"
#include "eligibility/card_batch.hpp"

namespace kaigo::certification {

namespace {

constexpr const char* kJob = "certification_result_notices";
// The card handed out with the notice (insurance_card_issue.reason).
constexpr const char* kCardReason = "certification";

std::string once_key_of(std::int64_t application_id) { return fmt::format("result_notice:{}", application_id); }

}  // namespace

Result<IssuedDocument> issue_result_notice(store::Database& db, const Clock& clock, const OutputContext& out,
                                           std::int64_t application_id, const std::string& actor) {
  const Date today = clock.today();
  IssuedDocument issued;
  std::optional<detail::ResultNotice> notice;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    // The application's row held: a concurrent issue (or the batch) waits and then sees it notified.
    auto locked = c.query_one(
        fmt::format("SELECT status FROM certification_application WHERE application_id = $1{}", c.for_update()),
        {application_id});
    if (!locked) return std::unexpected(locked.error());
    if (!*locked) return fail(ErrorKind::not_found, fmt::format("no application {}", application_id), "application_id");
    issued.reprint = (*locked)->str(0) == "notified";
    auto n = detail::result_notice_of(c, out, application_id, today);
    if (!n) return std::unexpected(n.error());
    auto doc = c.query_one(
        fmt::format("INSERT INTO certification_document (person_id, application_id, certification_id, kind, issued_on, "
                    "issued_by, once_key) VALUES ($1, $2, $3, 'result_notice', $4, $5, $6) RETURNING {}",
                    detail::kDocumentColumns),
        {n->person_id, application_id, store::opt(n->certification_id), today.iso(), actor,
         issued.reprint ? store::null() : store::Value(once_key_of(application_id))});
    if (!doc) return std::unexpected(doc.error());
    auto d = detail::document_from(**doc);
    if (!d) return std::unexpected(d.error());
    issued.document = std::move(*d);
    if (n->card) {
      auto card = eligibility::record_card_issue(c, n->person_id, n->card->insured_no, today, kCardReason, std::nullopt, actor);
      if (!card) return std::unexpected(card.error());
      issued.card_issue_id = *card;
    }
    if (!issued.reprint) {
      auto moved = c.exec(
          "UPDATE certification_application SET status = 'notified', notified_on = $1, updated_at = $2 "
          "WHERE application_id = $3 AND status = 'decided'",
          {today.iso(), clock.timestamp(), application_id});
      if (!moved) return std::unexpected(moved.error());
      if (*moved != 1) return fail(ErrorKind::conflict, "the application changed while the notice was issued; try again", "application_id");
    }
    notice = std::move(*n);
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  auto pages = detail::result_notice_pages(*notice);
  if (!pages) return std::unexpected(pages.error());
  auto pdf = detail::pdf_bytes(*pages, "要介護認定等結果通知書", "NT-13");
  if (!pdf) return std::unexpected(pdf.error());
  issued.pdf = std::move(*pdf);
  return issued;
}

Result<ResultNoticeRun> run_result_notices(store::Database& db, const Clock& clock, const OutputContext& out,
                                           const std::filesystem::path& output_dir, const std::string& actor, int chunk) {
  const Date today = clock.today();
  ResultNoticeRun run;
  auto opened = db.transaction([&](store::Connection& c) -> Result<void> {
    auto waiting = c.query_one("SELECT 1 FROM certification_application WHERE status = 'decided' LIMIT 1");
    if (!waiting) return std::unexpected(waiting.error());
    auto id = detail::running_print_run(c, clock, kJob, actor, waiting->has_value());
    if (!id) return std::unexpected(id.error());
    run.batch_run_id = *id;
    return {};
  });
  if (!opened) return std::unexpected(opened.error());
  if (run.batch_run_id == 0) {
    run.status = "nothing_to_notice";
    return run;
  }

  // Phase 1: the decided applications, a chunk per transaction — document rows, cards, status.
  for (;;) {
    std::int64_t recorded = 0;
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto due = c.query(fmt::format("SELECT application_id FROM certification_application WHERE status = 'decided' "
                                     "ORDER BY application_id LIMIT $1{}",
                                     c.for_update()),
                         {static_cast<std::int64_t>(chunk)});
      if (!due) return std::unexpected(due.error());
      if (due->empty()) return {};
      std::vector<store::Params> documents, cards;
      for (const auto& r : *due) {
        auto n = detail::result_notice_of(c, out, r.i64(0), today);
        if (!n) return std::unexpected(n.error());
        documents.push_back({n->person_id, r.i64(0), store::opt(n->certification_id), std::string("result_notice"),
                             today.iso(), actor, run.batch_run_id, once_key_of(r.i64(0))});
        if (n->card)
          cards.push_back({n->person_id, n->card->insured_no, today.iso(), std::string(kCardReason), run.batch_run_id, actor});
      }
      auto bulk = [&](const char* table, const std::vector<std::string>& columns,
                      const std::vector<store::Params>& rows) -> Result<std::int64_t> {
        if (rows.empty()) return std::int64_t{0};
        std::size_t next = 0;
        return c.bulk_insert(table, columns, [&](store::Params& p) {
          if (next == rows.size()) return false;
          p = rows[next++];
          return true;
        });
      };
      auto docs = bulk("certification_document",
                       {"person_id", "application_id", "certification_id", "kind", "issued_on", "issued_by", "batch_run_id",
                        "once_key"},
                       documents);
      if (!docs) return std::unexpected(docs.error());
      auto issued = bulk("insurance_card_issue", {"person_id", "insured_no", "issued_on", "reason", "batch_run_id", "issued_by"},
                         cards);
      if (!issued) return std::unexpected(issued.error());
      auto moved = c.exec(
          "UPDATE certification_application SET status = 'notified', notified_on = $1, updated_at = $2 WHERE status = 'decided' "
          "AND application_id IN (SELECT application_id FROM certification_document WHERE batch_run_id = $3 "
          "AND kind = 'result_notice')",
          {today.iso(), clock.timestamp(), run.batch_run_id});
      if (!moved) return std::unexpected(moved.error());
      if (*moved != static_cast<std::int64_t>(documents.size()))
        return fail(ErrorKind::internal, fmt::format("NT-13 run: {} notices recorded but {} applications moved to notified",
                                                     documents.size(), *moved));
      auto cursor = c.exec("UPDATE batch_run SET cursor = $1, done_count = done_count + $2 WHERE batch_run_id = $3",
                           {std::to_string(due->back().i64(0)), static_cast<std::int64_t>(documents.size()), run.batch_run_id});
      if (!cursor) return std::unexpected(cursor.error());
      recorded = static_cast<std::int64_t>(documents.size());
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
    if (recorded == 0) break;
  }

  // Phase 2: the run's documents into one print file.
  auto file = render_print_run(db, clock, out, run.batch_run_id,
                               output_dir / fmt::format("certification-result-notices-{}.pdf", run.batch_run_id));
  if (!file) return std::unexpected(file.error());
  run.output_path = *file;
  auto counts = db.query(
      "SELECT (SELECT COUNT(*) FROM certification_document WHERE batch_run_id = $1), "
      "(SELECT COUNT(*) FROM insurance_card_issue WHERE batch_run_id = $1 AND reason = 'certification')",
      {run.batch_run_id});
  if (!counts) return std::unexpected(counts.error());
  run.notices = counts->front().i64(0);
  run.cards = counts->front().i64(1);
  auto persons = db.query("SELECT DISTINCT person_id FROM certification_document WHERE batch_run_id = $1", {run.batch_run_id});
  if (!persons) return std::unexpected(persons.error());
  for (const auto& r : *persons) run.person_ids.push_back(r.str(0));
  run.status = "done";
  return run;
}

Result<std::string> resume_result_notices(store::Database& db, const Clock& clock, const OutputContext& out,
                                          const std::filesystem::path& output_dir) {
  auto open = db.query("SELECT started_by FROM batch_run WHERE job = $1 AND status = 'running' ORDER BY batch_run_id LIMIT 1",
                       {std::string(kJob)});
  if (!open) return std::unexpected(open.error());
  if (open->empty()) return std::string();
  auto run = run_result_notices(db, clock, out, output_dir, open->front().str(0));
  if (!run) return std::unexpected(run.error());
  return fmt::format("NT-13 run {} finished: {} notices, {} cards", run->batch_run_id, run->notices, run->cards);
}

}  // namespace kaigo::certification
