// The collection plan of every person (plan_collection, replan_person): premium/collection.hpp's
// rules over premium_assessment, premium_instalment and tokucho_target.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "premium/tokucho_internal.hpp"
#include "premium/tokucho_service.hpp"

namespace kaigo::premium::tokucho {

namespace detail {

Result<std::int64_t> exec_in(store::Connection& c, const std::string& sql_prefix, const store::Params& params,
                             const std::vector<std::int64_t>& ids) {
  std::int64_t changed = 0;
  constexpr std::size_t kBatch = 500;
  for (std::size_t at = 0; at < ids.size(); at += kBatch) {
    const std::size_t n = std::min(kBatch, ids.size() - at);
    store::Params p = params;
    for (std::size_t i = 0; i < n; ++i) p.push_back(ids[at + i]);
    auto r = c.exec(fmt::format("{}({})", sql_prefix, store::numbered_params(n, params.size() + 1)), p);
    if (!r) return std::unexpected(r.error());
    changed += *r;
  }
  return changed;
}

std::optional<TargetRow> choose_target(const std::vector<TargetRow>& rows, int fiscal_year,
                                       const CollectionRuleVersion& rules) {
  // The latest row of each pension: a later list supersedes an earlier one for the same pension.
  std::map<std::tuple<std::string, std::string, std::string>, const TargetRow*> latest;
  for (const auto& r : rows) {
    auto& slot = latest[{r.pension_insurer_code, r.basic_pension_no, r.pension_code}];
    if (!slot || r.target_id > slot->target_id) slot = &r;
  }
  const YearMonth last_slot = special_slot_month(fiscal_year, kSpecialSlots);
  std::optional<TargetRow> best;
  for (const auto& [key, r] : latest) {
    if (r->start > last_slot) continue;
    if (!pension_qualifies(r->annual_pension_amount, r->pension_kind == "old_age_welfare", rules)) continue;
    if (!best || r->annual_pension_amount > best->annual_pension_amount ||
        (r->annual_pension_amount == best->annual_pension_amount && r->pension_insurer_code < best->pension_insurer_code))
      best = *r;
  }
  return best;
}

namespace {

constexpr const char* kLiveStatuses = "('planned', 'requested', 'accepted', 'collected')";

Result<Instalment> instalment_from(const store::Row& r, std::size_t at) {
  auto method = collection_method_from_code(r.str(at + 1));
  if (!method) return std::unexpected(method.error());
  auto due = YearMonth::parse(r.str(at + 3));
  if (!due) return std::unexpected(due.error());
  auto status = instalment_status_from_code(r.str(at + 5));
  if (!status) return std::unexpected(status.error());
  Instalment i{r.i64(at), *method, static_cast<int>(r.i64(at + 2)), *due, r.i64(at + 4), *status};
  // A deduction counts with what was actually deducted.
  if (i.status == InstalmentStatus::collected && !r.is_null(at + 6)) i.amount = r.i64(at + 6);
  return i;
}

std::string range_clause(const std::optional<std::string>& only, std::size_t param) {
  return only ? fmt::format("person_id = ${}", param) : fmt::format("person_id > ${} AND person_id <= ${}", param, param + 1);
}

}  // namespace

Result<std::vector<PersonPlan>> load_plans(store::Connection& c, int fiscal_year, const std::string& after,
                                           const std::string& up_to, std::optional<std::string> only) {
  store::Params range = only ? store::Params{*only} : store::Params{after, up_to};
  auto with = [&](store::Params head) {
    head.insert(head.end(), range.begin(), range.end());
    return head;
  };
  const std::int64_t fy = fiscal_year;
  std::vector<PersonPlan> plans;
  std::map<std::string, std::size_t> index;
  auto assessments = c.query(
      fmt::format("SELECT person_id, assessment_id, amount FROM premium_assessment WHERE fiscal_year = $1 AND is_current = 1 "
                  "AND {} ORDER BY person_id",
                  range_clause(only, 2)),
      with({fy}));
  if (!assessments) return std::unexpected(assessments.error());
  for (const auto& r : *assessments) {
    index[r.str(0)] = plans.size();
    plans.push_back(PersonPlan{r.str(0), r.i64(1), r.i64(2), {}, {}, std::nullopt, 0});
  }
  if (plans.empty()) return plans;

  auto instalments = c.query(
      fmt::format("SELECT person_id, instalment_id, method, instalment_no, due_month, amount, status, collected_amount "
                  "FROM premium_instalment WHERE fiscal_year = $1 AND {} ORDER BY person_id, instalment_id",
                  range_clause(only, 2)),
      with({fy}));
  if (!instalments) return std::unexpected(instalments.error());
  for (const auto& r : *instalments) {
    auto it = index.find(r.str(0));
    if (it == index.end()) continue;
    auto i = instalment_from(r, 1);
    if (!i) return std::unexpected(i.error());
    plans[it->second].current.push_back(*i);
  }

  // The previous fiscal year's February deduction (法140条1項: the 仮徴収 amount).
  auto february = c.query(
      fmt::format("SELECT person_id, amount, status, collected_amount FROM premium_instalment WHERE fiscal_year = $1 AND "
                  "method = 'special' AND instalment_no = 6 AND status IN {} AND {}",
                  kLiveStatuses, range_clause(only, 2)),
      with({fy - 1}));
  if (!february) return std::unexpected(february.error());
  for (const auto& r : *february) {
    auto it = index.find(r.str(0));
    if (it == index.end()) continue;
    plans[it->second].previous_february = r.str(2) == "collected" && !r.is_null(3) ? r.i64(3) : r.i64(1);
  }

  auto targets = c.query(
      fmt::format("SELECT person_id, target_id, pension_insurer_code, pension_kind, basic_pension_no, pension_code, "
                  "annual_pension_amount, start_month FROM tokucho_target WHERE {}",
                  range_clause(only, 1)),
      range);
  if (!targets) return std::unexpected(targets.error());
  for (const auto& r : *targets) {
    auto it = index.find(r.str(0));
    if (it == index.end()) continue;
    auto start = YearMonth::parse(r.str(7));
    if (!start) return std::unexpected(start.error());
    plans[it->second].targets.push_back(TargetRow{r.i64(1), r.str(0), r.str(2), r.str(3), r.str(4), r.str(5), r.i64(6), *start});
  }

  auto revisions = c.query(
      fmt::format("SELECT person_id, MAX(plan_revision) FROM premium_collection_plan WHERE fiscal_year = $1 AND {} "
                  "GROUP BY person_id",
                  range_clause(only, 2)),
      with({fy}));
  if (!revisions) return std::unexpected(revisions.error());
  for (const auto& r : *revisions) {
    auto it = index.find(r.str(0));
    if (it != index.end()) plans[it->second].last_revision = static_cast<int>(r.i64(1));
  }
  return plans;
}

Result<WriteCounts> plan_and_write(store::Connection& c, const Clock& clock, const CollectionRuleVersion& rules,
                                   int fiscal_year, YearMonth first_open, std::vector<PersonPlan>& plans,
                                   const std::string& cause, std::optional<std::int64_t> batch_run_id,
                                   const std::string& actor) {
  WriteCounts counts;
  std::vector<std::int64_t> cancel, stop;
  struct NewRow {
    std::string person_id;
    int revision;
    Instalment row;
  };
  std::vector<NewRow> added;
  struct PlanRow {
    std::string person_id;
    int revision;
    std::int64_t assessment_id, amount;
    std::string explanation;
  };
  std::vector<PlanRow> plan_rows;
  for (auto& p : plans) {
    PlanInputs in{fiscal_year, p.amount, first_open, std::nullopt, p.previous_february};
    if (auto t = choose_target(p.targets, fiscal_year, rules)) in.special_start = t->start;
    const PlanChange change = plan_change(in, p.current, rules);
    bool special = false;
    for (const auto& i : p.current)
      if (i.method == CollectionMethod::special && is_live(i.status)) special = true;
    if (change.empty()) {
      (special ? counts.special : counts.ordinary) += 1;
      continue;
    }
    ++counts.changed;
    const int revision = p.last_revision + 1;
    cancel.insert(cancel.end(), change.cancel.begin(), change.cancel.end());
    stop.insert(stop.end(), change.stop.begin(), change.stop.end());
    special = false;
    for (const auto& i : p.current)
      if (i.method == CollectionMethod::special && is_live(i.status) &&
          std::find(change.stop.begin(), change.stop.end(), i.id) == change.stop.end() &&
          std::find(change.cancel.begin(), change.cancel.end(), i.id) == change.cancel.end())
        special = true;
    for (const auto& i : change.add) {
      added.push_back(NewRow{p.person_id, revision, i});
      if (i.method == CollectionMethod::special) special = true;
    }
    if (change.refund > 0)
      added.push_back(NewRow{p.person_id, revision,
                             Instalment{0, CollectionMethod::ordinary, 0, first_open, change.refund, InstalmentStatus::refund}});
    (special ? counts.special : counts.ordinary) += 1;
    plan_rows.push_back(PlanRow{p.person_id, revision, p.assessment_id, p.amount, nlohmann::json(change.explanation).dump()});
  }
  const std::string now = clock.timestamp();
  if (!cancel.empty()) {
    auto r = exec_in(c, "UPDATE premium_instalment SET status = 'cancelled', updated_at = $1 WHERE instalment_id IN ", {now},
                     cancel);
    if (!r) return std::unexpected(r.error());
  }
  if (!stop.empty()) {
    auto r = exec_in(c, "UPDATE premium_instalment SET status = 'stopped', updated_at = $1 WHERE instalment_id IN ", {now},
                     stop);
    if (!r) return std::unexpected(r.error());
  }
  if (!plan_rows.empty()) {
    std::size_t k = 0;
    auto n = c.bulk_insert("premium_collection_plan",
                           {"person_id", "fiscal_year", "plan_revision", "assessment_id", "amount", "cause", "explanation",
                            "batch_run_id", "planned_at", "planned_by"},
                           [&](store::Params& p) {
                             if (k == plan_rows.size()) return false;
                             const auto& r = plan_rows[k++];
                             p = {r.person_id, static_cast<std::int64_t>(fiscal_year), static_cast<std::int64_t>(r.revision),
                                  r.assessment_id, r.amount, cause, r.explanation, store::opt(batch_run_id), now, actor};
                             return true;
                           });
    if (!n) return std::unexpected(n.error());
  }
  if (!added.empty()) {
    std::size_t k = 0;
    auto n = c.bulk_insert("premium_instalment",
                           {"person_id", "fiscal_year", "method", "instalment_no", "due_month", "amount", "status",
                            "plan_revision", "created_at", "updated_at"},
                           [&](store::Params& p) {
                             if (k == added.size()) return false;
                             const auto& r = added[k++];
                             p = {r.person_id, static_cast<std::int64_t>(fiscal_year), std::string(to_code(r.row.method)),
                                  static_cast<std::int64_t>(r.row.number), r.row.due.iso(), r.row.amount,
                                  std::string(to_code(r.row.status)), static_cast<std::int64_t>(r.revision), now, now};
                             return true;
                           });
    if (!n) return std::unexpected(n.error());
  }
  return counts;
}

}  // namespace detail

YearMonth first_open_month(const Clock& clock, int fiscal_year) {
  return std::max(YearMonth::of(clock.today()).plus(1), YearMonth{fiscal_year, 4});
}

namespace {

constexpr const char* kJob = "collection_plan";

const CollectionRuleVersion* rules_for(const TokuchoConfig& config, int fiscal_year) {
  return config.rules.version_on(Date(fiscal_year, 4, 1));
}

}  // namespace

Result<bool> replan_person(store::Connection& c, const Clock& clock, const TokuchoConfig& config,
                           const std::string& person_id, int fiscal_year, const std::string& cause,
                           const std::string& actor) {
  const CollectionRuleVersion* rules = rules_for(config, fiscal_year);
  if (!rules) return fail(ErrorKind::conflict, fmt::format("no collection rules for fiscal year {}", fiscal_year), "fiscal_year");
  auto plans = detail::load_plans(c, fiscal_year, "", "", person_id);
  if (!plans) return std::unexpected(plans.error());
  if (plans->empty()) return false;
  auto counts = detail::plan_and_write(c, clock, *rules, fiscal_year, first_open_month(clock, fiscal_year), *plans, cause,
                                       std::nullopt, actor);
  if (!counts) return std::unexpected(counts.error());
  return counts->changed > 0;
}

Result<PlanRun> plan_collection(store::Database& db, const Clock& clock, const TokuchoConfig& config,
                                const PlanOptions& o) {
  const CollectionRuleVersion* rules = rules_for(config, o.fiscal_year);
  if (!rules)
    return fail(ErrorKind::conflict, fmt::format("config/rules/collection.json has no version for fiscal year {}", o.fiscal_year),
                "fiscal_year");
  const YearMonth first_open = o.first_open.value_or(first_open_month(clock, o.fiscal_year));
  PlanRun run;
  // An unfinished run of the year (killed) is resumed; else a new run starts, so a plan can be
  // re-run whenever its inputs changed (a new target list, a revision) — it writes only changes.
  auto opened = db.transaction([&](store::Connection& c) -> Result<void> {
    const std::string prefix = fmt::format("{}@", o.fiscal_year);
    auto runs = c.query(fmt::format("SELECT batch_run_id, run_key, status FROM batch_run WHERE job = $1 AND run_key LIKE "
                                    "CAST($2 AS TEXT) ORDER BY batch_run_id{}",
                                    c.for_update()),
                        {std::string(kJob), prefix + "%"});
    if (!runs) return std::unexpected(runs.error());
    for (const auto& r : *runs)
      if (r.str(2) == "running") {
        run.batch_run_id = r.i64(0);
        run.run_key = r.str(1);
        return {};
      }
    run.run_key = fmt::format("{}{}#{}", prefix, clock.timestamp(), runs->size() + 1);
    auto row = c.query_one(
        "INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, started_by) "
        "VALUES ($1, $2, 'running', '', 0, $3, $4) RETURNING batch_run_id",
        {std::string(kJob), run.run_key, clock.timestamp(), o.actor});
    if (!row) return std::unexpected(row.error());
    run.batch_run_id = (*row)->i64(0);
    return {};
  });
  if (!opened) return std::unexpected(opened.error());
  auto total = db.query("SELECT COUNT(*) FROM premium_assessment WHERE fiscal_year = $1 AND is_current = 1",
                        {static_cast<std::int64_t>(o.fiscal_year)});
  if (!total) return std::unexpected(total.error());
  run.total_count = total->front().i64(0);

  for (int chunks = 0; o.max_chunks < 0 || chunks < o.max_chunks; ++chunks) {
    bool finished = false;
    auto chunk = db.transaction([&](store::Connection& c) -> Result<void> {
      auto state = c.query_one(
          fmt::format("SELECT status, cursor, done_count FROM batch_run WHERE batch_run_id = $1{}", c.for_update()),
          {run.batch_run_id});
      if (!state) return std::unexpected(state.error());
      run.done_count = (*state)->i64(2);
      if ((*state)->str(0) == "done") {
        finished = true;
        return {};
      }
      const std::string cursor = (*state)->str(1);
      // The chunk's last person: the range (cursor, last] is read set-based.
      auto last = c.query(
          "SELECT person_id FROM premium_assessment WHERE fiscal_year = $1 AND is_current = 1 AND person_id > $2 "
          "ORDER BY person_id LIMIT $3",
          {static_cast<std::int64_t>(o.fiscal_year), cursor, static_cast<std::int64_t>(o.chunk)});
      if (!last) return std::unexpected(last.error());
      if (last->empty()) {
        auto d = c.exec("UPDATE batch_run SET status = 'done', finished_at = $1 WHERE batch_run_id = $2",
                        {clock.timestamp(), run.batch_run_id});
        if (!d) return std::unexpected(d.error());
        // The run may have written millions of rows: fresh statistics, so PostgreSQL's plans for
        // FK-15/FK-16 join them by hash (a stale "tiny table" estimate picks nested loops).
        if (c.dialect() == store::Dialect::postgresql)
          if (auto a = c.exec("ANALYZE premium_instalment"); !a) return std::unexpected(a.error());
        finished = true;
        return {};
      }
      const std::string up_to = last->back().str(0);
      auto plans = detail::load_plans(c, o.fiscal_year, cursor, up_to);
      if (!plans) return std::unexpected(plans.error());
      auto counts = detail::plan_and_write(c, clock, *rules, o.fiscal_year, first_open, *plans, "plan", run.batch_run_id,
                                           o.actor);
      if (!counts) return std::unexpected(counts.error());
      run.changed += counts->changed;
      run.unchanged += static_cast<std::int64_t>(plans->size()) - counts->changed;
      run.special += counts->special;
      run.ordinary += counts->ordinary;
      run.done_count += static_cast<std::int64_t>(plans->size());
      auto moved = c.exec("UPDATE batch_run SET cursor = $1, done_count = $2 WHERE batch_run_id = $3",
                          {up_to, run.done_count, run.batch_run_id});
      if (!moved) return std::unexpected(moved.error());
      return {};
    });
    if (!chunk) return std::unexpected(chunk.error());
    if (finished) break;
    if (o.on_progress) o.on_progress(PlanProgress{run.done_count, run.total_count});
  }
  auto read = db.query(
      "SELECT status, done_count, started_at, COALESCE(finished_at, ''), started_by FROM batch_run WHERE batch_run_id = $1",
      {run.batch_run_id});
  if (!read) return std::unexpected(read.error());
  if (!read->empty()) {
    const auto& r = read->front();
    run.status = r.str(0);
    run.done_count = r.i64(1);
    run.started_at = r.str(2);
    run.finished_at = r.str(3);
    run.started_by = r.str(4);
  }
  return run;
}

}  // namespace kaigo::premium::tokucho
