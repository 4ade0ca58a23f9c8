// 利用者負担割合: the yearly run, new recipients and redeterminations (copayment.hpp).
#include "benefit/copayment.hpp"

#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/income.hpp"
#include "benefit/income_internal.hpp"

namespace kaigo::benefit {

namespace {

constexpr const char* kJob = "copayment_rates";
constexpr const char* kColumns =
    "rate_id, person_id, rate_year, valid_from, valid_to, rate, tax_year, reason, explanation, status, batch_run_id, "
    "decided_at, decided_by";

CopaymentRate rate_of(const store::Row& r) {
  CopaymentRate x;
  x.rate_id = r.i64(0);
  x.person_id = r.str(1);
  x.rate_year = static_cast<int>(r.i64(2));
  x.valid_from = r.str(3);
  x.valid_to = r.str(4);
  x.rate = static_cast<int>(r.i64(5));
  x.tax_year = static_cast<int>(r.i64(6));
  x.reason = r.str(7);
  x.explanation = r.str(8);
  x.status = r.str(9);
  x.batch_run_id = r.opt_i64(10);
  x.decided_at = r.str(11);
  x.decided_by = r.str(12);
  return x;
}

struct Decided {
  int rate = 1;
  std::string explanation;
  bool provisional = false;
};

Result<Decided> decide(const BenefitRules& rules, const PersonIncomeInputs& in, const std::string& note) {
  auto version = rules.on(in.on);
  if (!version) return std::unexpected(version.error());
  const CopaymentDecision d = copayment_rate(**version, in.copayment);
  nlohmann::json facts = nlohmann::json::array(), missing = nlohmann::json::array();
  for (const auto& f : in.facts)
    facts.push_back({{"kind", f.kind}, {"person_id", f.person_id}, {"ref_id", f.ref_id}, {"detail", f.detail}});
  for (const auto& m : in.missing)
    missing.push_back({{"person_id", m.person_id}, {"fact", m.fact}, {"tax_year", m.tax_year}, {"ask_flow", m.ask_flow}});
  nlohmann::json j{{"decision", d.explanation},
                   {"base_date", in.on.iso()},
                   {"tax_year", in.tax_year},
                   {"household_category_1_count", in.copayment.household_category_1_count},
                   {"household_pension_and_other", in.copayment.household_pension_and_other},
                   {"facts", facts},
                   {"missing", missing},
                   {"provisional", !in.missing.empty()}};
  if (!note.empty()) j["note"] = note;
  return Decided{d.rate, j.dump(), !in.missing.empty()};
}

// Writers of recipient_event hold this row until commit (016_benefit.sql), so a consumer's cursor
// never passes an event committed late with a smaller id.
Result<void> hold_event_lock(store::Connection& c) {
  auto r = c.exec("UPDATE number_sequence SET next_value = next_value + 1 WHERE name = 'recipient_event_lock'");
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<std::int64_t> insert_rate(store::Connection& c, const std::string& person_id, int rate_year, Date from, Date to,
                                 const Decided& d, int tax_year, const std::string& reason,
                                 std::optional<std::int64_t> run_id, const std::string& now, const std::string& actor) {
  auto row = c.query_one(
      "INSERT INTO copayment_rate (person_id, rate_year, valid_from, valid_to, rate, tax_year, reason, explanation, "
      "status, batch_run_id, decided_at, decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'current', $9, $10, $11) "
      "RETURNING rate_id",
      {person_id, std::int64_t{rate_year}, from.iso(), to.iso(), std::int64_t{d.rate}, std::int64_t{tax_year}, reason,
       d.explanation, run_id ? store::Value(*run_id) : store::null(), now, actor});
  if (!row) return std::unexpected(row.error());
  const std::int64_t id = (*row)->i64(0);
  auto ev = c.exec("INSERT INTO recipient_event (person_id, kind, ref_id, created_at) VALUES ($1, 'copayment_rate', $2, $3)",
                   {person_id, id, now});
  if (!ev) return std::unexpected(ev.error());
  return id;
}

}  // namespace

CopaymentService::CopaymentService(store::Database& db, const Clock& clock, const BenefitRules& rules)
    : db_(db), clock_(clock), rules_(rules) {}

Result<CopaymentRunReport> CopaymentService::run_yearly(int rate_year, const std::string& actor,
                                                         std::optional<int> max_chunks) {
  if (rate_year < 2000 || rate_year > clock_.today().year() + 1)
    return fail(ErrorKind::invalid_input, fmt::format("rate_year {} is not plausible", rate_year), "rate_year");
  const Date start = rate_year_start(rate_year), end = rate_year_end(rate_year);
  if (auto v = rules_.on(start); !v)
    return fail(ErrorKind::invalid_input, fmt::format("no benefit rules in effect on {}", start.iso()), "rate_year");
  const int tax_year = rate_year - 1;
  const std::string run_key = std::to_string(rate_year);

  CopaymentRunReport report;
  report.rate_year = rate_year;
  // The run row: created once; a second call finds it (and resumes it while running).
  auto made = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto row = c.query_one("SELECT batch_run_id FROM batch_run WHERE job = $1 AND run_key = $2", {kJob, run_key});
    if (!row) return std::unexpected(row.error());
    if (*row) {
      report.batch_run_id = (*row)->i64(0);
      return {};
    }
    auto ins = c.query_one(
        "INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, started_by) "
        "VALUES ($1, $2, 'running', '', 0, $3, $4) RETURNING batch_run_id",
        {kJob, run_key, clock_.timestamp(), actor});
    if (!ins) return std::unexpected(ins.error());
    report.batch_run_id = (*ins)->i64(0);
    return {};
  });
  if (!made) return std::unexpected(made.error());

  for (int chunks = 0;; ++chunks) {
    bool finished = false;
    auto step = db_.transaction([&](store::Connection& c) -> Result<void> {
      auto run = c.query_one(fmt::format("SELECT status, cursor, done_count FROM batch_run WHERE batch_run_id = $1{}",
                                         c.for_update()),
                             {report.batch_run_id});
      if (!run) return std::unexpected(run.error());
      report.status = (*run)->str(0);
      report.persons = (*run)->i64(2);
      if (report.status == "done") {
        finished = true;
        return {};
      }
      if (max_chunks && chunks >= *max_chunks) {
        finished = true;
        return {};
      }
      const std::string cursor = (*run)->str(1);

      // The chunk's persons: certified on 1 August (法49条の2: the rate of a 要介護者等).
      std::vector<PersonIncomeInputs> inputs;
      auto g = detail::gather_where(
          c,
          "SELECT person_id FROM care_certification WHERE status = 'current' AND valid_from <= CAST($6 AS TEXT) "
          "AND valid_to >= CAST($6 AS TEXT) AND person_id > CAST($7 AS TEXT)",
          {start.iso(), cursor}, start, tax_year, [&](const PersonIncomeInputs& in) -> Result<bool> {
            inputs.push_back(in);
            return inputs.size() < static_cast<std::size_t>(detail::kGatherChunk);
          });
      if (!g) return std::unexpected(g.error());
      if (inputs.empty()) {
        auto done = c.exec("UPDATE batch_run SET status = 'done', finished_at = $1 WHERE batch_run_id = $2",
                           {clock_.timestamp(), report.batch_run_id});
        if (!done) return std::unexpected(done.error());
        report.status = "done";
        finished = true;
        return {};
      }
      const std::string lo = cursor, hi = inputs.back().person_id;

      // The chunk's rows of the same period (set-based).
      std::map<std::string, std::pair<std::int64_t, int>> existing;
      auto rows = c.query(
          "SELECT person_id, rate_id, rate FROM copayment_rate WHERE rate_year = $1 AND valid_from = $2 "
          "AND status = 'current' AND person_id > $3 AND person_id <= $4",
          {std::int64_t{rate_year}, start.iso(), lo, hi});
      if (!rows) return std::unexpected(rows.error());
      for (const auto& r : *rows) existing[r.str(0)] = {r.i64(1), static_cast<int>(r.i64(2))};

      auto lock = hold_event_lock(c);
      if (!lock) return std::unexpected(lock.error());
      const std::string now = clock_.timestamp();
      for (const auto& in : inputs) {
        auto d = decide(rules_, in, "");
        if (!d) return std::unexpected(d.error());
        auto old = existing.find(in.person_id);
        if (old != existing.end() && old->second.second == d->rate) {
          ++report.unchanged;
          continue;
        }
        if (old != existing.end()) {
          auto sup = c.exec("UPDATE copayment_rate SET status = 'superseded' WHERE rate_id = $1", {old->second.first});
          if (!sup) return std::unexpected(sup.error());
        }
        auto id = insert_rate(c, in.person_id, rate_year, start, end, *d, tax_year, "yearly", report.batch_run_id, now,
                              actor);
        if (!id) return std::unexpected(id.error());
        ++report.written;
        ++report.by_rate[d->rate - 1];
        if (d->provisional) ++report.provisional;
      }
      auto moved = c.exec("UPDATE batch_run SET cursor = $1, done_count = done_count + $2 WHERE batch_run_id = $3",
                          {hi, static_cast<std::int64_t>(inputs.size()), report.batch_run_id});
      if (!moved) return std::unexpected(moved.error());
      report.persons += static_cast<std::int64_t>(inputs.size());
      return {};
    });
    if (!step) return std::unexpected(step.error());
    if (finished) break;
  }
  return report;
}

Result<std::int64_t> CopaymentService::pick_up_new_recipients(const std::string& actor, int limit) {
  std::int64_t written = 0;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto cursor = c.query_one(
        fmt::format("SELECT last_event_id FROM event_cursor WHERE consumer = 'copayment:certification'{}", c.for_update()));
    if (!cursor) return std::unexpected(cursor.error());
    if (!*cursor) return fail(ErrorKind::internal, "no event_cursor row copayment:certification (migration 017)");
    // The certification writers' lock: after taking it every event below a visible one is visible.
    auto lock = c.query_one(
        fmt::format("SELECT next_value FROM number_sequence WHERE name = 'certification_event_lock'{}", c.for_update()));
    if (!lock) return std::unexpected(lock.error());
    const std::int64_t after = (*cursor)->i64(0);
    auto events = c.query(
        "SELECT e.event_id, e.person_id, cc.valid_from, e.kind FROM certification_event e "
        "JOIN care_certification cc ON cc.certification_id = e.certification_id "
        "WHERE e.event_id > $1 ORDER BY e.event_id LIMIT $2",
        {after, std::int64_t{limit}});
    if (!events) return std::unexpected(events.error());
    if (events->empty()) return {};
    const std::int64_t last = events->back().i64(0);
    // Persons already holding a rate on their certification's first day keep it (a renewal, or the
    // yearly run came first): one statement for the batch.
    auto holding = c.query(
        "SELECT DISTINCT e.person_id FROM certification_event e "
        "JOIN care_certification cc ON cc.certification_id = e.certification_id "
        "JOIN copayment_rate r ON r.person_id = e.person_id AND r.status = 'current' "
        "AND r.valid_from <= cc.valid_from AND r.valid_to >= cc.valid_from "
        "WHERE e.event_id > $1 AND e.event_id <= $2 AND e.kind = 'granted'",
        {after, last});
    if (!holding) return std::unexpected(holding.error());
    std::set<std::string> has_rate;
    for (const auto& r : *holding) has_rate.insert(r.str(0));
    // Persons by the first day of their certification (one gathering per day).
    std::map<std::string, std::vector<std::string>> by_day;
    std::set<std::string> seen;
    for (const auto& r : *events) {
      if (r.str(3) != "granted" || has_rate.contains(r.str(1)) || !seen.insert(r.str(1)).second) continue;
      by_day[r.str(2)].push_back(r.str(1));
    }
    if (!by_day.empty()) {
      auto held = hold_event_lock(c);
      if (!held) return std::unexpected(held.error());
    }
    const std::string now = clock_.timestamp();
    for (const auto& [day_text, persons] : by_day) {
      auto day = Date::parse(day_text);
      if (!day) return std::unexpected(day.error());
      const int rate_year = rate_year_of(*day);
      auto g = gather_income_inputs_for(c, persons, *day, rate_year - 1, [&](const PersonIncomeInputs& in) -> Result<bool> {
        auto d = decide(rules_, in, "認定の有効期間の初日から (新規受給者)");
        if (!d) return std::unexpected(d.error());
        auto id = insert_rate(c, in.person_id, rate_year, *day, rate_year_end(rate_year), *d, rate_year - 1,
                              "new_recipient", std::nullopt, now, actor);
        if (!id) return std::unexpected(id.error());
        ++written;
        return true;
      });
      if (!g) return std::unexpected(g.error());
    }
    auto moved = c.exec("UPDATE event_cursor SET last_event_id = $1 WHERE consumer = 'copayment:certification'", {last});
    if (!moved) return std::unexpected(moved.error());
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return written;
}

Result<Redetermination> CopaymentService::redetermine(const std::string& person_id, Date from, const std::string& reason,
                                                      const std::string& actor) {
  std::string code;
  if (reason == "income_corrected")
    code = "correction";
  else if (reason == "household_changed")
    code = "mid_year";
  else
    return fail(ErrorKind::invalid_input, "reason: expected income_corrected or household_changed", "reason");
  const int rate_year = rate_year_of(from);
  const Date end = rate_year_end(rate_year);
  Redetermination out;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    // The income year of the period stays rate_year − 1 (施行令22条の2: the 前年 of the August).
    auto in = gather_income_inputs(c, person_id, from, rate_year - 1);
    if (!in) return std::unexpected(in.error());
    auto d = decide(rules_, *in, reason == "income_corrected" ? "所得の更正による再判定" : "世帯の変更による再判定");
    if (!d) return std::unexpected(d.error());
    auto current = c.query_one(
        fmt::format("SELECT {} FROM copayment_rate WHERE person_id = $1 AND status = 'current' AND valid_from <= $2 "
                    "AND valid_to >= $2 ORDER BY valid_from DESC LIMIT 1{}",
                    kColumns, c.for_update()),
        {person_id, from.iso()});
    if (!current) return std::unexpected(current.error());
    if (*current && (*current)->i64(5) == d->rate) {
      out.rate = rate_of(**current);
      return {};
    }
    auto lock = hold_event_lock(c);
    if (!lock) return std::unexpected(lock.error());
    if (*current) {
      // The row in force ends the day before; one starting that very day is replaced whole.
      const auto& r = **current;
      auto upd = r.str(3) == from.iso()
                     ? c.exec("UPDATE copayment_rate SET status = 'superseded' WHERE rate_id = $1", {r.i64(0)})
                     : c.exec("UPDATE copayment_rate SET valid_to = $1 WHERE rate_id = $2", {from.add_days(-1).iso(), r.i64(0)});
      if (!upd) return std::unexpected(upd.error());
    }
    // Later rows of the same period are replaced by this one.
    auto later = c.exec(
        "UPDATE copayment_rate SET status = 'superseded' WHERE person_id = $1 AND rate_year = $2 AND status = 'current' "
        "AND valid_from > $3",
        {person_id, std::int64_t{rate_year}, from.iso()});
    if (!later) return std::unexpected(later.error());
    const std::string now = clock_.timestamp();
    auto id = insert_rate(c, person_id, rate_year, from, end, *d, rate_year - 1, code, std::nullopt, now, actor);
    if (!id) return std::unexpected(id.error());
    auto row = c.query_one(fmt::format("SELECT {} FROM copayment_rate WHERE rate_id = $1", kColumns), {*id});
    if (!row) return std::unexpected(row.error());
    out.changed = true;
    out.rate = rate_of(**row);
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<std::vector<CopaymentRate>> CopaymentService::for_person(const std::string& person_id) {
  auto rows = db_.query(fmt::format("SELECT {} FROM copayment_rate WHERE person_id = $1 ORDER BY valid_from DESC, rate_id DESC",
                                    kColumns),
                        {person_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<CopaymentRate> out;
  for (const auto& r : *rows) out.push_back(rate_of(r));
  return out;
}

Result<std::optional<CopaymentRate>> CopaymentService::in_force(const std::string& person_id, Date on) {
  auto rows = db_.query(fmt::format("SELECT {} FROM copayment_rate WHERE person_id = $1 AND status = 'current' "
                                    "AND valid_from <= $2 AND valid_to >= $2 ORDER BY valid_from DESC LIMIT 1",
                                    kColumns),
                        {person_id, on.iso()});
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return std::optional<CopaymentRate>{};
  return std::optional<CopaymentRate>{rate_of(rows->front())};
}

}  // namespace kaigo::benefit
