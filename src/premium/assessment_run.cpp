// Assessing one person, and the yearly run (本算定) over everyone, chunked and resumable.
#include <fmt/format.h>

#include "premium/assessment_internal.hpp"
#include "premium/assessment_pipeline.hpp"

namespace kaigo::premium {
namespace {

constexpr const char* kAnnualJob = "premium_annual";

Result<const PremiumTable*> table_or_conflict(const std::vector<PremiumTable>& tables, int fiscal_year) {
  const PremiumTable* t = table_for(tables, fiscal_year);
  if (!t || !t->version_on(detail::fiscal_year_start(fiscal_year)))
    return fail(ErrorKind::conflict, fmt::format("no premium table covers fiscal year {} (config/rules/premium)", fiscal_year),
                "fiscal_year");
  return t;
}

}  // namespace

namespace detail {

const char* const kRunColumns =
    "batch_run_id, job, run_key, status, done_count, COALESCE(total_count, 0), started_at, COALESCE(finished_at, ''), "
    "started_by";

AssessmentRun run_of(const store::Row& r) {
  AssessmentRun run;
  run.batch_run_id = r.i64(0);
  run.job = r.str(1);
  run.run_key = r.str(2);
  run.status = r.str(3);
  run.done_count = r.i64(4);
  run.total_count = r.i64(5);
  run.started_at = r.str(6);
  run.finished_at = r.str(7);
  run.started_by = r.str(8);
  return run;
}

Result<std::int64_t> open_annual(store::Database& db, const Clock& clock, int fiscal_year, const std::string& actor,
                                 AssessmentRunProgress* progress_out) {
  const std::string run_key = std::to_string(fiscal_year);
  std::int64_t run_id = 0;
  AssessmentRunProgress progress;
  auto opened = db.transaction([&](store::Connection& c) -> Result<void> {
    std::string cursor;
    auto existing = c.query_one("SELECT batch_run_id, done_count, cursor FROM batch_run WHERE job = $1 AND run_key = $2",
                                {std::string(kAnnualJob), run_key});
    if (!existing) return std::unexpected(existing.error());
    if (*existing) {
      run_id = (*existing)->i64(0);
      progress.done = (*existing)->i64(1);
      cursor = (*existing)->str(2);
    } else {
      // Changes so far belong to the years already assessed; this year starts after them.
      auto queued = detail::queue_changes(c, clock);
      if (!queued) return queued;
      auto row = c.query_one(
          "INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, started_by) "
          "VALUES ($1, $2, 'running', '', 0, $3, $4) RETURNING batch_run_id",
          {std::string(kAnnualJob), run_key, clock.timestamp(), actor});
      if (!row) return std::unexpected(row.error());
      run_id = (*row)->i64(0);
    }
    auto total = detail::count_candidates(c, fiscal_year, cursor);
    if (!total) return std::unexpected(total.error());
    progress.total = *total + progress.done;  // resumed: what is done plus what is left
    auto set = c.exec("UPDATE batch_run SET total_count = $1 WHERE batch_run_id = $2", {progress.total, run_id});
    if (!set) return std::unexpected(set.error());
    return {};
  });
  if (!opened) return std::unexpected(opened.error());
  if (progress_out) *progress_out = progress;
  return run_id;
}

}  // namespace detail

Result<AssessOutcome> assess_person(store::Database& db, const Clock& clock, const std::vector<PremiumTable>& tables,
                                    const std::string& person_id, int fiscal_year, const std::string& cause,
                                    const std::string& actor) {
  auto table = table_or_conflict(tables, fiscal_year);
  if (!table) return std::unexpected(table.error());
  AssessOutcome outcome;
  auto done = db.transaction([&](store::Connection& c) -> Result<void> {
    auto exists = c.query_one("SELECT 1 FROM person WHERE person_id = $1", {person_id});
    if (!exists) return std::unexpected(exists.error());
    if (!*exists) return fail(ErrorKind::not_found, "no such person", "person_id");
    auto facts = detail::load_chunk(c, fiscal_year, detail::PersonRange::one(person_id));
    if (!facts) return std::unexpected(facts.error());
    auto it = facts->persons.find(person_id);
    std::optional<detail::Computed> computed;
    if (it != facts->persons.end()) computed = detail::compute(*facts, it->second, fiscal_year, **table,
                                                                 *(*table)->version_on(detail::fiscal_year_start(fiscal_year)));
    if (!computed) {
      outcome.kind = AssessOutcome::Kind::not_insured;
      return {};
    }
    auto written = detail::write_if_changed(c, it->second, std::move(*computed), cause, std::nullopt, clock.timestamp(), actor);
    if (!written) return std::unexpected(written.error());
    outcome.kind = written->kind;
    outcome.assessment = std::move(written->current);
    return {};
  });
  if (!done) return std::unexpected(done.error());
  return outcome;
}

Result<AssessmentRun> run_annual_assessment(store::Database& db, const Clock& clock,
                                            const std::vector<PremiumTable>& tables, const AnnualRunOptions& o) {
  auto table = table_or_conflict(tables, o.fiscal_year);
  if (!table) return std::unexpected(table.error());
  AssessmentRunProgress progress;
  auto run_id = detail::open_annual(db, clock, o.fiscal_year, o.actor, &progress);
  if (!run_id) return std::unexpected(run_id.error());

  AssessmentRun counts;
  const PremiumTableVersion& version = *(*table)->version_on(detail::fiscal_year_start(o.fiscal_year));
  bool finished = false;
  while (!finished) {
    // Where the run stands (another instance may share it): the reader starts there.
    auto state = db.query("SELECT status, cursor FROM batch_run WHERE batch_run_id = $1", {*run_id});
    if (!state) return std::unexpected(state.error());
    if (state->at(0).str(0) == "done") break;
    detail::ChunkReader reader(db, o.fiscal_year, **table, version, state->at(0).str(1), o.chunk);
    bool restart = false;
    while (!finished && !restart) {
      auto prepared = reader.next();
      if (!prepared) return std::unexpected(prepared.error());
      detail::PreparedChunk& p = **prepared;
      auto chunk = db.transaction([&](store::Connection& c) -> Result<void> {
        auto now_state = c.query_one(
            fmt::format("SELECT status, cursor FROM batch_run WHERE batch_run_id = $1{}", c.for_update()), {*run_id});
        if (!now_state) return std::unexpected(now_state.error());
        if ((*now_state)->str(0) == "done") {
          finished = true;
          return {};
        }
        if ((*now_state)->str(1) != p.range.after) {  // moved by another instance: read again from there
          restart = true;
          return {};
        }
        const std::string now = clock.timestamp();
        if (p.range.upto.empty()) {
          finished = true;
          auto r = c.exec("UPDATE batch_run SET status = 'done', finished_at = $1 WHERE batch_run_id = $2", {now, *run_id});
          if (!r) return std::unexpected(r.error());
          return {};
        }
        auto seen = detail::fingerprint(c, o.fiscal_year, p.range);
        if (!seen) return std::unexpected(seen.error());
        if (!(*seen == p.seen)) {  // assessed since the reader's snapshot: read and compute again here
          auto facts = detail::load_chunk(c, o.fiscal_year, p.range);
          if (!facts) return std::unexpected(facts.error());
          p.facts = std::move(*facts);
          p.writes = detail::compute_chunk(p.facts, o.fiscal_year, **table, version);
        }
        auto written = detail::write_batch(c, p.writes, kCauseAnnual, *run_id, now, o.actor);
        if (!written) return std::unexpected(written.error());
        counts.created += written->created;
        counts.revised += written->revised;
        counts.unchanged += written->unchanged;
        const auto handled = static_cast<std::int64_t>(p.facts.persons.size());
        auto moved = c.exec("UPDATE batch_run SET cursor = $1, done_count = done_count + $2 WHERE batch_run_id = $3",
                            {p.range.upto, handled, *run_id});
        if (!moved) return std::unexpected(moved.error());
        progress.done += handled;
        return {};
      });
      if (!chunk) return std::unexpected(chunk.error());
      if (!finished && !restart && o.on_progress) o.on_progress(progress);
    }
  }

  auto final_row = db.query(fmt::format("SELECT {} FROM batch_run WHERE batch_run_id = $1", detail::kRunColumns), {*run_id});
  if (!final_row) return std::unexpected(final_row.error());
  AssessmentRun run = detail::run_of(final_row->at(0));
  run.created = counts.created;
  run.revised = counts.revised;
  run.unchanged = counts.unchanged;
  return run;
}

Result<AssessmentRun> open_annual_run(store::Database& db, const Clock& clock, const std::vector<PremiumTable>& tables,
                                      int fiscal_year, const std::string& actor) {
  auto table = table_or_conflict(tables, fiscal_year);
  if (!table) return std::unexpected(table.error());
  auto run_id = detail::open_annual(db, clock, fiscal_year, actor, nullptr);
  if (!run_id) return std::unexpected(run_id.error());
  auto row = db.query(fmt::format("SELECT {} FROM batch_run WHERE batch_run_id = $1", detail::kRunColumns), {*run_id});
  if (!row) return std::unexpected(row.error());
  return detail::run_of(row->at(0));
}

Result<std::string> resume_annual_runs(store::Database& db, const Clock& clock, const std::vector<PremiumTable>& tables) {
  auto open = db.query("SELECT run_key, started_by FROM batch_run WHERE job = $1 AND status = 'running' ORDER BY batch_run_id",
                       {std::string(kAnnualJob)});
  if (!open) return std::unexpected(open.error());
  std::string summary;
  for (const auto& r : *open) {
    AnnualRunOptions o;
    o.fiscal_year = std::stoi(r.str(0));
    o.actor = r.str(1);
    auto run = run_annual_assessment(db, clock, tables, o);
    if (!run) return std::unexpected(run.error());
    summary += fmt::format("{}本算定 {}年度: {} persons ({} created, {} revised)", summary.empty() ? "" : "; ",
                           o.fiscal_year, run->done_count, run->created, run->revised);
  }
  return summary;
}

Result<std::vector<AssessmentRun>> list_assessment_runs(store::Connection& c, int limit) {
  auto rows = c.query(fmt::format("SELECT {} FROM batch_run WHERE job IN ('premium_annual', 'premium_revision') "
                                  "ORDER BY batch_run_id DESC LIMIT $1",
                                  detail::kRunColumns),
                      {static_cast<std::int64_t>(limit)});
  if (!rows) return std::unexpected(rows.error());
  std::vector<AssessmentRun> out;
  for (const auto& r : *rows) out.push_back(detail::run_of(r));
  return out;
}

}  // namespace kaigo::premium
