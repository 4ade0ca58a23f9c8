// KY-24 the statement run (statement.hpp): a resumable batch_run, job 'benefit_statements'.
// Phase 1 records one benefit_document per person of the period, chunk by chunk (set-based, the
// cursor the last person_id, once_key "statement:<from>-<to>:<person_id>" so a person is printed
// once per period whatever the passes); phase 2 (cursor "render") renders the pass's print file.
#include <fmt/format.h>

#include "benefit/statement.hpp"
#include "benefit/statement_internal.hpp"

namespace kaigo::benefit {

namespace {

constexpr const char* kJob = "benefit_statements";
constexpr const char* kRender = "render";

std::string period_key(const StatementPeriod& p) { return fmt::format("{}-{}", p.from, p.to); }
std::string once_prefix(const StatementPeriod& p) { return fmt::format("statement:{}:", period_key(p)); }

// The persons of the period still owed the statement, after the cursor ($1 from, $2 to, $3 prefix, $4 cursor).
constexpr const char* kOwed =
    "FROM benefit_record r WHERE r.status = 'current' AND r.service_month >= $1 AND r.service_month <= $2 AND "
    "r.person_id > $4 AND NOT EXISTS (SELECT 1 FROM benefit_document d WHERE d.once_key = CAST($3 AS TEXT) || r.person_id)";

StatementRun run_of(const store::Row& r) {
  StatementRun s;
  s.batch_run_id = r.i64(0);
  s.run_key = r.str(1);
  s.from = s.run_key.substr(0, 7);
  s.to = s.run_key.substr(8, 7);
  s.status = r.str(2);
  s.statements = r.i64(3);
  s.print_file = r.str(4);
  s.started_at = r.str(5);
  s.finished_at = r.str(6);
  s.started_by = r.str(7);
  return s;
}

constexpr const char* kRunColumns =
    "batch_run_id, run_key, status, done_count, COALESCE(output_path, ''), started_at, COALESCE(finished_at, ''), started_by";

}  // namespace

Result<StatementRun> run_benefit_statements(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                            const notice::BenefitIssuer& issuer, const StatementRunOptions& o) {
  auto checked = statement_period(o.period.from, o.period.to);
  if (!checked) return std::unexpected(checked.error());
  const StatementPeriod period = *checked;
  const std::string key = period_key(period);
  const std::string prefix = once_prefix(period);
  StatementRun run;
  run.from = period.from;
  run.to = period.to;

  // Resume the period's unfinished pass, or open one when someone is owed the statement.
  auto opened = db.transaction([&](store::Connection& c) -> Result<void> {
    auto open = c.query_one(fmt::format("SELECT batch_run_id, run_key FROM batch_run WHERE job = $1 AND (run_key = $2 OR "
                                        "run_key LIKE $3) AND status = 'running'{}",
                                        c.for_update()),
                            {std::string(kJob), key, key + "#%"});
    if (!open) return std::unexpected(open.error());
    if (*open) {
      run.batch_run_id = (*open)->i64(0);
      run.run_key = (*open)->str(1);
      return {};
    }
    auto owed = c.query_one(fmt::format("SELECT 1 {} LIMIT 1", kOwed), {period.from, period.to, prefix, std::string()});
    if (!owed) return std::unexpected(owed.error());
    if (!*owed) return {};
    auto passes = c.query_one("SELECT COUNT(*) FROM batch_run WHERE job = $1 AND (run_key = $2 OR run_key LIKE $3)",
                              {std::string(kJob), key, key + "#%"});
    if (!passes) return std::unexpected(passes.error());
    const std::int64_t n = (*passes)->i64(0);
    run.run_key = n == 0 ? key : fmt::format("{}#{}", key, n + 1);
    auto row = c.query_one(
        "INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, started_by) "
        "VALUES ($1, $2, 'running', '', 0, $3, $4) RETURNING batch_run_id",
        {std::string(kJob), run.run_key, clock.timestamp(), o.actor});
    if (!row) return std::unexpected(row.error());
    run.batch_run_id = (*row)->i64(0);
    return {};
  });
  if (!opened) return std::unexpected(opened.error());
  if (run.batch_run_id == 0) {
    run.status = "nothing_to_print";
    return run;
  }

  // Phase 1: record the statements, chunk by chunk, with the cursor.
  const std::string today = clock.today().iso();
  int chunks = 0;
  for (;;) {
    bool recorded_all = false;
    auto chunk = db.transaction([&](store::Connection& c) -> Result<void> {
      auto state = c.query_one(fmt::format("SELECT cursor, done_count FROM batch_run WHERE batch_run_id = $1{}", c.for_update()),
                               {run.batch_run_id});
      if (!state) return std::unexpected(state.error());
      const std::string cursor = (*state)->str(0);
      if (cursor == kRender) {
        recorded_all = true;
        return {};
      }
      auto next = c.query_one(fmt::format("SELECT MAX(x.person_id), COUNT(*) FROM (SELECT DISTINCT r.person_id {} ORDER BY "
                                          "r.person_id LIMIT $5) x",
                                          kOwed),
                              {period.from, period.to, prefix, cursor, static_cast<std::int64_t>(o.chunk)});
      if (!next) return std::unexpected(next.error());
      const std::int64_t count = (*next)->i64(1);
      if (count == 0) {
        recorded_all = true;
        auto r = c.exec("UPDATE batch_run SET cursor = $1 WHERE batch_run_id = $2", {std::string(kRender), run.batch_run_id});
        if (!r) return std::unexpected(r.error());
        return {};
      }
      const std::string last = (*next)->str(0);
      auto n = c.exec(fmt::format("INSERT INTO benefit_document (person_id, kind, ref_id, issued_on, issued_by, batch_run_id, "
                                  "once_key) SELECT x.person_id, 'benefit_statement', NULL, CAST($5 AS TEXT), CAST($6 AS TEXT), "
                                  "$7, CAST($3 AS TEXT) || x.person_id FROM (SELECT DISTINCT r.person_id {} AND r.person_id <= "
                                  "$8) x",
                                  kOwed),
                      {period.from, period.to, prefix, cursor, today, o.actor, run.batch_run_id, last});
      if (!n) return std::unexpected(n.error());
      if (*n != count) return fail(ErrorKind::conflict, "the statements owed changed while recording; run it again");
      auto moved = c.exec("UPDATE batch_run SET cursor = $1, done_count = done_count + $2 WHERE batch_run_id = $3",
                          {last, count, run.batch_run_id});
      if (!moved) return std::unexpected(moved.error());
      return {};
    });
    if (!chunk) return std::unexpected(chunk.error());
    if (recorded_all) break;
    if (o.stop_after_chunks > 0 && ++chunks >= o.stop_after_chunks) {
      run.status = "running";
      auto done = db.query("SELECT done_count FROM batch_run WHERE batch_run_id = $1", {run.batch_run_id});
      if (!done) return std::unexpected(done.error());
      run.statements = done->front().i64(0);
      return run;
    }
  }

  // Phase 2: the pass's print file, rendered whole from the recorded rows (again after a crash).
  const auto path = o.print_dir / fmt::format("benefit-statements-{}.pdf", run.batch_run_id);
  auto printed = detail::print_statements(db, clock, config, issuer, run.batch_run_id, period, path);
  if (!printed) return std::unexpected(printed.error());
  auto done = db.exec("UPDATE batch_run SET status = 'done', output_path = $1, finished_at = $2 WHERE batch_run_id = $3",
                      {printed->statements > 0 ? store::Value(path.string()) : store::null(), clock.timestamp(),
                       run.batch_run_id});
  if (!done) return std::unexpected(done.error());
  auto row = db.query(fmt::format("SELECT {} FROM batch_run WHERE batch_run_id = $1", kRunColumns), {run.batch_run_id});
  if (!row) return std::unexpected(row.error());
  StatementRun out = run_of(row->front());
  out.rows = printed->rows;
  out.total_cost = printed->total_cost;
  out.insurance_paid = printed->insurance_paid;
  out.copayment = printed->copayment;
  return out;
}

Result<std::string> resume_benefit_statements(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                              const notice::BenefitIssuer& issuer, const std::filesystem::path& print_dir,
                                              int chunk) {
  auto open = db.query("SELECT run_key, started_by FROM batch_run WHERE job = $1 AND status = 'running' ORDER BY batch_run_id",
                       {std::string(kJob)});
  if (!open) return std::unexpected(open.error());
  std::string summary;
  for (const auto& r : *open) {
    StatementRunOptions o;
    o.period = StatementPeriod{r.str(0).substr(0, 7), r.str(0).substr(8, 7)};
    o.actor = r.str(1);
    o.print_dir = print_dir;
    o.chunk = chunk;
    auto run = run_benefit_statements(db, clock, config, issuer, o);
    if (!run) return std::unexpected(run.error());
    summary += fmt::format("{}KY-24 {}: {} statements", summary.empty() ? "" : "; ", run->run_key, run->statements);
  }
  return summary;
}

Result<std::string> scheduled_statements(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                         const notice::BenefitIssuer& issuer, const StatementConfig& schedule,
                                         const std::filesystem::path& print_dir) {
  auto resumed = resume_benefit_statements(db, clock, config, issuer, print_dir, schedule.chunk);
  if (!resumed) return std::unexpected(resumed.error());
  auto due = due_period(db, schedule, clock.today());
  if (!due) return std::unexpected(due.error());
  if (!*due) return *resumed;
  StatementRunOptions o;
  o.period = **due;
  o.actor = "job:benefit_statements";
  o.print_dir = print_dir;
  o.chunk = schedule.chunk;
  auto run = run_benefit_statements(db, clock, config, issuer, o);
  if (!run) return std::unexpected(run.error());
  if (run->batch_run_id == 0) return *resumed;  // nobody had records in the period
  return fmt::format("{}KY-24 {}: {} statements", resumed->empty() ? "" : *resumed + "; ", run->run_key, run->statements);
}

Result<std::vector<StatementRun>> list_statement_runs(store::Connection& c, int limit) {
  auto rows = c.query(fmt::format("SELECT {} FROM batch_run WHERE job = $1 ORDER BY batch_run_id DESC LIMIT $2", kRunColumns),
                      {std::string(kJob), static_cast<std::int64_t>(limit)});
  if (!rows) return std::unexpected(rows.error());
  std::vector<StatementRun> out;
  for (const auto& r : *rows) out.push_back(run_of(r));
  return out;
}

Result<std::optional<StatementRun>> statement_run(store::Connection& c, std::int64_t batch_run_id) {
  auto row = c.query_one(fmt::format("SELECT {} FROM batch_run WHERE job = $1 AND batch_run_id = $2", kRunColumns),
                         {std::string(kJob), batch_run_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<StatementRun>{};
  return std::optional<StatementRun>{run_of(**row)};
}

}  // namespace kaigo::benefit
