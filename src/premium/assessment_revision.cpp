// 異動賦課: what changed since the last run goes into premium_recalc_queue, then each queued
// (person, fiscal year) is re-assessed and leaves the queue in the same transaction.
//
// Sources of change, each consumed by a cursor moved in the transaction that queues from it:
//  - the register's events ('premium' consumer): eligibility re-derived from a date on;
//  - new kaigo-own tax_income rows: the person and everyone in their household (a member's tax
//    status decides the others' stage), for the fiscal year the income year feeds;
//  - new public_assistance rows (生活保護 start/end, SK-19 and FK-10) and 老齢福祉年金 rows;
//  - new person_history rows (household moves): the person, and the old and new households.
// Only fiscal years whose 本算定 has run are queued: before that, the yearly run assesses everyone.
// The writers of tax and welfare facts may also queue directly (zeimu, premium_inputs): the
// queue's key makes both paths meet in one row.
#include <set>

#include <fmt/format.h>

#include "eligibility/register.hpp"
#include "premium/assessment_internal.hpp"

namespace kaigo::premium {
namespace {

constexpr const char* kRevisionJob = "premium_revision";

// The fiscal years with a 本算定 run.
Result<std::set<int>> assessed_years(store::Connection& c) {
  auto rows = c.query("SELECT run_key FROM batch_run WHERE job = 'premium_annual'");
  if (!rows) return std::unexpected(rows.error());
  std::set<int> years;
  for (const auto& r : *rows) years.insert(std::stoi(r.str(0)));
  return years;
}

Result<std::int64_t> cursor_of(store::Connection& c, const std::string& consumer) {
  auto row = c.query_one(fmt::format("SELECT last_event_id FROM event_cursor WHERE consumer = $1{}", c.for_update()),
                         {consumer});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::internal, "missing event cursor " + consumer);
  return (*row)->i64(0);
}

Result<void> set_cursor(store::Connection& c, const std::string& consumer, std::int64_t id) {
  auto r = c.exec("UPDATE event_cursor SET last_event_id = $1 WHERE consumer = $2", {id, consumer});
  if (!r) return std::unexpected(r.error());
  return {};
}

// Queues `sql` (selecting person_id, fiscal_year over ids in ($1, $2]) for every assessed year.
// The SELECT must yield DISTINCT (person_id, fiscal_year) pairs.
Result<void> queue_from(store::Connection& c, const std::string& consumer, const std::string& table,
                        const std::string& id_column, const std::string& select_sql, const std::string& cause,
                        const std::set<int>& years, const std::string& now) {
  auto from = cursor_of(c, consumer);
  if (!from) return std::unexpected(from.error());
  auto max = c.query_one(fmt::format("SELECT MAX({}) FROM {}", id_column, table));
  if (!max) return std::unexpected(max.error());
  const std::int64_t to = (*max && !(*max)->is_null(0)) ? (*max)->i64(0) : 0;
  if (to <= *from) return {};
  if (!years.empty()) {
    const int first = *years.begin(), last = *years.rbegin();
    auto rows = c.query(select_sql, {*from, to});
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) {
      // A change dated in year Y touches Y and every later assessed year (the household or welfare
      // status on a later base date may be the same fact).
      const int y0 = static_cast<int>(r.i64(1));
      for (int y = std::max(y0, first); y <= last; ++y) {
        if (!years.contains(y)) continue;
        auto q = c.exec(
            "INSERT INTO premium_recalc_queue (person_id, fiscal_year, cause, queued_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (person_id, fiscal_year) DO NOTHING",
            {r.str(0), static_cast<std::int64_t>(y), cause, now});
        if (!q) return std::unexpected(q.error());
      }
    }
  }
  return set_cursor(c, consumer, to);
}

// The fiscal year of an ISO date column, in SQL both databases accept.
std::string fiscal_year_sql(const std::string& column) {
  return fmt::format("(CAST(SUBSTR({0}, 1, 4) AS INTEGER) - CASE WHEN SUBSTR({0}, 6, 2) < '04' THEN 1 ELSE 0 END)",
                     column);
}

}  // namespace

namespace detail {
Result<void> queue_changes(store::Connection& c, const Clock& clock) {
  auto years = assessed_years(c);
  if (!years) return std::unexpected(years.error());
  const std::string now = clock.timestamp();

  // Register events (their own cursor API keeps commit order on PostgreSQL).
  for (;;) {
    auto events = eligibility::events_after_cursor(c, "premium", 5000);
    if (!events) return std::unexpected(events.error());
    if (events->empty()) break;
    for (const auto& e : *events) {
      auto from = Date::parse(e.effective_from);
      if (!from) return std::unexpected(from.error());
      for (int y : *years) {
        if (y < from->fiscal_year()) continue;
        auto q = c.exec(
            "INSERT INTO premium_recalc_queue (person_id, fiscal_year, cause, queued_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (person_id, fiscal_year) DO NOTHING",
            {e.person_id, static_cast<std::int64_t>(y), std::string(kCauseEligibility), now});
        if (!q) return std::unexpected(q.error());
      }
    }
    auto moved = eligibility::advance_cursor(c, "premium", events->back().event_id);
    if (!moved) return std::unexpected(moved.error());
  }

  // The fact tables, each with its cursor: what a new row queues, and why.
  struct Source {
    const char* consumer;
    const char* table;
    const char* id_column;
    std::string select;  // (person_id, fiscal_year) over ids in ($1, $2]
    const char* cause;
  };
  const Source sources[] = {
      {"premium_tax_income", "tax_income", "tax_income_id",
       "SELECT DISTINCT m.person_id, t.tax_year + 1 FROM tax_income t JOIN person_history s ON s.person_id = t.person_id "
       "JOIN person_history m ON m.household_id = s.household_id "
       "WHERE t.tax_income_id > $1 AND t.tax_income_id <= $2 AND t.source <> 'synthetic_city'",
       kCauseIncome},
      {"premium_public_assistance", "public_assistance", "public_assistance_id",
       fmt::format("SELECT DISTINCT person_id, {} FROM public_assistance WHERE public_assistance_id > $1 "
                   "AND public_assistance_id <= $2",
                   fiscal_year_sql("valid_from")),
       kCauseWelfare},
      {"premium_pension", "pension", "pension_id",
       fmt::format("SELECT DISTINCT person_id, {} FROM pension WHERE pension_id > $1 AND pension_id <= $2 "
                   "AND pension_kind = 'old_age_welfare'",
                   fiscal_year_sql("valid_from")),
       kCauseWelfare},
      {"premium_person_history", "person_history", "history_id",
       fmt::format("SELECT DISTINCT m.person_id, {} FROM person_history h JOIN person_history m "
                   "ON m.household_id = h.household_id WHERE h.history_id > $1 AND h.history_id <= $2",
                   fiscal_year_sql("h.valid_from")),
       kCauseHousehold},
  };
  for (const Source& source : sources) {
    auto r = queue_from(c, source.consumer, source.table, source.id_column, source.select, source.cause, *years, now);
    if (!r) return r;
  }
  return {};
}
}  // namespace detail

Result<AssessmentRun> run_revisions(store::Database& db, const Clock& clock, const std::vector<PremiumTable>& tables,
                                    const std::string& actor, int chunk) {
  std::int64_t run_id = 0;
  auto opened = db.transaction([&](store::Connection& c) -> Result<void> {
    auto queued = detail::queue_changes(c, clock);
    if (!queued) return queued;
    auto pending = c.query_one("SELECT COUNT(*) FROM premium_recalc_queue");
    if (!pending) return std::unexpected(pending.error());
    if ((*pending)->i64(0) == 0) return {};  // nothing to do: no run is recorded
    // Runs are numbered: two in the same second (a fixed test clock) stay distinct.
    auto count = c.query_one("SELECT COUNT(*) FROM batch_run WHERE job = $1", {std::string(kRevisionJob)});
    if (!count) return std::unexpected(count.error());
    auto row = c.query_one(
        "INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, started_by) "
        "VALUES ($1, $2, 'running', '', 0, $3, $4) RETURNING batch_run_id",
        {std::string(kRevisionJob), std::to_string((*count)->i64(0) + 1), clock.timestamp(), actor});
    if (!row) return std::unexpected(row.error());
    run_id = (*row)->i64(0);
    return {};
  });
  if (!opened) return std::unexpected(opened.error());
  if (run_id == 0) {
    AssessmentRun none;
    none.job = kRevisionJob;
    none.status = "nothing_queued";
    return none;
  }

  AssessmentRun counts;
  for (;;) {
    bool empty = false;
    auto step = db.transaction([&](store::Connection& c) -> Result<void> {
      // Several server instances may drain the queue at once: on PostgreSQL each takes rows the
      // others have not locked (SQLite's write transactions are exclusive already).
      auto items = c.query(fmt::format("SELECT person_id, fiscal_year, cause FROM premium_recalc_queue "
                                       "ORDER BY fiscal_year, person_id LIMIT $1{}",
                                       c.dialect() == store::Dialect::postgresql ? " FOR UPDATE SKIP LOCKED" : ""),
                           {static_cast<std::int64_t>(chunk)});
      if (!items) return std::unexpected(items.error());
      if (items->empty()) {
        empty = true;
        return {};
      }
      const std::string now = clock.timestamp();
      for (const auto& item : *items) {
        const std::string person_id = item.str(0);
        const int fy = static_cast<int>(item.i64(1));
        const PremiumTable* table = table_for(tables, fy);
        if (table && table->version_on(detail::fiscal_year_start(fy))) {
          auto facts = detail::load_chunk(c, fy, detail::PersonRange::one(person_id));
          if (!facts) return std::unexpected(facts.error());
          auto it = facts->persons.find(person_id);
          std::optional<detail::Computed> computed;
          if (it != facts->persons.end()) computed = detail::compute(*facts, it->second, fy, *table, *table->version_on(detail::fiscal_year_start(fy)));
          if (computed) {
            auto w = detail::write_if_changed(c, it->second, std::move(*computed), item.str(2), run_id, now, actor);
            if (!w) return std::unexpected(w.error());
            if (w->kind == AssessOutcome::Kind::created) ++counts.created;
            else if (w->kind == AssessOutcome::Kind::revised) ++counts.revised;
            else ++counts.unchanged;
          }
        }
        auto del = c.exec("DELETE FROM premium_recalc_queue WHERE person_id = $1 AND fiscal_year = $2",
                          {person_id, static_cast<std::int64_t>(fy)});
        if (!del) return std::unexpected(del.error());
      }
      auto moved = c.exec("UPDATE batch_run SET done_count = done_count + $1 WHERE batch_run_id = $2",
                          {static_cast<std::int64_t>(items->size()), run_id});
      if (!moved) return std::unexpected(moved.error());
      return {};
    });
    if (!step) return std::unexpected(step.error());
    if (empty) break;
  }
  auto done = db.exec("UPDATE batch_run SET status = 'done', finished_at = $1 WHERE batch_run_id = $2",
                      {clock.timestamp(), run_id});
  if (!done) return std::unexpected(done.error());
  auto runs = db.query(fmt::format("SELECT {} FROM batch_run WHERE batch_run_id = $1", detail::kRunColumns), {run_id});
  if (!runs) return std::unexpected(runs.error());
  AssessmentRun run = detail::run_of(runs->at(0));
  run.created = counts.created;
  run.revised = counts.revised;
  run.unchanged = counts.unchanged;
  return run;
}

}  // namespace kaigo::premium
