// The monthly 高額介護サービス費 run (high_cost.hpp): resumable batch_run (job 'high_cost', run_key
// the month; a later pass "<month>#<n>"), set-based reads of the whole month, one transaction per
// chunk of households with the cursor (the last household key done).
//
// 施行令22条の2の2 (29条の2の2 for 予防): the household's co-payments that count in the month
// above the household's cap are paid back, split over the members in proportion to their own
// co-payments (rules split_high_cost); members with an individual cap (low income, 生活保護) get
// at least what is above it. The household is the one on the month's last day (income.hpp).
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "benefit/high_cost.hpp"
#include "benefit/high_cost_internal.hpp"
#include "benefit/income.hpp"
#include "benefit/repayment.hpp"

namespace kaigo::benefit {

namespace {

constexpr const char* kJob = "high_cost";

struct KindTotal {
  std::string code;
  std::int64_t copayment = 0;
  bool counts = true;
};

struct PersonFacts {
  std::int64_t counted = 0;   // co-payments that count
  std::int64_t excluded = 0;  // co-payments of kinds that do not (食費・居住費, 福祉用具購入, 住宅改修 …)
  std::vector<KindTotal> kinds;
  bool has_category = false;
  std::string household;
  IncomeCategory category = IncomeCategory::taxed;
  std::string category_explanation;
  bool provisional = false;
  std::optional<std::int64_t> application_id;
};

struct Existing {
  std::int64_t decision_id = 0;
  std::string household_key, category;
  std::int64_t household_copayment = 0, own = 0, cap = 0, amount = 0;
};

struct MonthFacts {
  std::map<std::string, PersonFacts> persons;
  std::map<std::string, Existing> existing;     // current decisions of the month
  std::map<std::string, std::int64_t> net_paid;  // paid − repaid, per person
};

Result<MonthFacts> read_month(store::Connection& c, const BenefitConfig& config, const std::string& month) {
  MonthFacts f;
  std::map<std::string, bool, std::less<>> counts_by_kind;
  for (const auto& k : config.service_kinds) counts_by_kind[k.code] = k.counts_for_high_cost;
  // The co-payments per person and service kind (the records engineer keeps one current row per claim).
  auto kinds = c.query_each(
      "SELECT person_id, service_kind, SUM(copayment) FROM benefit_record WHERE service_month = $1 AND status = "
      "'current' GROUP BY person_id, service_kind",
      {month}, [&](const store::Row& r) {
        auto& p = f.persons[r.str(0)];
        // A kind missing from the code list counts (the exclusions are the listed ones, rules.md §4).
        const auto kind = counts_by_kind.find(r.str(1));
        const bool counts = kind == counts_by_kind.end() || kind->second;
        p.kinds.push_back(KindTotal{r.str(1), r.i64(2), counts});
        (counts ? p.counted : p.excluded) += r.i64(2);
        return true;
      });
  if (!kinds) return std::unexpected(kinds.error());

  auto categories = income_categories_for_month(c, config.rules, month, [&](const IncomeCategoryResult& r) -> Result<bool> {
    auto it = f.persons.find(r.inputs.person_id);
    if (it == f.persons.end()) return true;
    auto& p = it->second;
    p.has_category = true;
    p.household = r.inputs.household_id;
    p.category = r.category;
    p.category_explanation = r.explanation;
    p.provisional = r.provisional;
    return true;
  });
  if (!categories) return std::unexpected(categories.error());

  auto apps = c.query_each(
      "SELECT person_id, MAX(application_id) FROM high_cost_application WHERE status = 'active' AND first_month <= $1 "
      "GROUP BY person_id",
      {month}, [&](const store::Row& r) {
        if (auto it = f.persons.find(r.str(0)); it != f.persons.end()) it->second.application_id = r.i64(1);
        return true;
      });
  if (!apps) return std::unexpected(apps.error());

  auto current = c.query_each(
      "SELECT person_id, decision_id, household_key, category, household_copayment, own_copayment, cap, amount "
      "FROM high_cost_decision WHERE service_month = $1 AND status = 'current'",
      {month}, [&](const store::Row& r) {
        f.existing[r.str(0)] = Existing{r.i64(1), r.str(2), r.str(3), r.i64(4), r.i64(5), r.i64(6), r.i64(7)};
        return true;
      });
  if (!current) return std::unexpected(current.error());

  auto paid = c.query_each(
      "SELECT d.person_id, SUM(b.amount) FROM high_cost_decision d JOIN benefit_payment b "
      "ON b.basis_key = 'high_cost:' || CAST(d.decision_id AS TEXT) WHERE d.service_month = $1 GROUP BY d.person_id",
      {month}, [&](const store::Row& r) {
        f.net_paid[r.str(0)] += r.i64(1);
        return true;
      });
  if (!paid) return std::unexpected(paid.error());
  auto repaid = c.query_each(
      "SELECT d.person_id, SUM(r.principal) FROM high_cost_decision d JOIN repayment r ON r.repayment_id = d.repayment_id "
      "WHERE d.service_month = $1 AND r.status <> 'cancelled' GROUP BY d.person_id",
      {month}, [&](const store::Row& r) {
        f.net_paid[r.str(0)] -= r.i64(1);
        return true;
      });
  if (!repaid) return std::unexpected(repaid.error());
  return f;
}

// One person's new decision.
struct NewDecision {
  std::string person_id, household_key, category;
  std::int64_t household_copayment = 0, own = 0, cap = 0, amount = 0, paid_before = 0;
  std::optional<std::int64_t> application_id, superseded;
  std::string explanation;
};

struct ChunkWork {
  std::vector<NewDecision> decisions;
  std::int64_t persons = 0, unchanged = 0;
};

std::string money(std::int64_t yen) {
  std::string digits = std::to_string(yen < 0 ? -yen : yen), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (yen < 0 ? "-" : "") + out + "円";
}

// Decides one household. `members`: its persons with co-payments that count or a current decision.
Result<void> decide_household(const BenefitRulesVersion& version, const std::string& month, const std::string& key,
                              const std::vector<std::string>& members, const MonthFacts& f, ChunkWork& out) {
  std::vector<std::string> counted;
  for (const auto& id : members)
    if (f.persons.contains(id) && f.persons.at(id).counted > 0 && f.persons.at(id).has_category) counted.push_back(id);
  // The household's category is its highest member's (the caps of the lower ones are individual).
  IncomeCategory household_category = IncomeCategory::public_assistance;
  std::int64_t household_total = 0;
  for (const auto& id : counted) {
    household_category = std::min(household_category, f.persons.at(id).category);
    household_total += f.persons.at(id).counted;
  }
  std::int64_t household_cap = 0;
  std::vector<std::int64_t> payments(counted.size(), 0);
  std::vector<MemberShare> shares;
  std::string formula;
  std::int64_t excess = 0;
  if (!counted.empty()) {
    auto cap = high_cost_cap(version, household_category);
    if (!cap) return std::unexpected(cap.error());
    household_cap = cap->household;
    for (const auto& id : counted) {
      auto own_cap = high_cost_cap(version, f.persons.at(id).category);
      if (!own_cap) return std::unexpected(own_cap.error());
      shares.push_back(MemberShare{f.persons.at(id).counted, own_cap->individual});
    }
    auto split = split_high_cost(shares, household_cap);
    payments = split.payments;
    formula = split.explanation;
    excess = split.household_excess;
  }
  nlohmann::json member_list = nlohmann::json::array();
  for (std::size_t i = 0; i < counted.size(); ++i)
    member_list.push_back({{"person_id", counted[i]},
                           {"own_copayment", shares[i].own},
                           {"individual_cap", shares[i].individual ? nlohmann::json(*shares[i].individual) : nlohmann::json()},
                           {"amount", payments[i]}});

  for (const auto& id : members) {
    const auto pit = f.persons.find(id);
    const PersonFacts* p = pit == f.persons.end() ? nullptr : &pit->second;
    const auto eit = f.existing.find(id);
    const Existing* old = eit == f.existing.end() ? nullptr : &eit->second;
    const auto at = std::find(counted.begin(), counted.end(), id);
    const bool counts = at != counted.end();
    const std::int64_t own = counts ? p->counted : 0;
    const std::int64_t amount = counts ? payments[static_cast<std::size_t>(at - counted.begin())] : 0;
    const std::string category =
        p && p->has_category ? std::string(to_code(p->category)) : (old ? old->category : std::string(to_code(household_category)));
    const std::int64_t hh_total = counts ? household_total : 0;
    if (counts) ++out.persons;
    if (old && old->household_key == key && old->category == category && old->household_copayment == hh_total &&
        old->own == own && old->cap == household_cap && old->amount == amount) {
      ++out.unchanged;
      continue;
    }
    // A decision of amount 0 is written for an applicant (to tell them why) or to supersede one.
    const bool applicant = p && p->application_id;
    if (amount == 0 && !old && !applicant) continue;
    if (!counts && !old) continue;
    NewDecision d;
    d.person_id = id;
    d.household_key = key;
    d.category = category;
    d.household_copayment = hh_total;
    d.own = own;
    d.cap = household_cap;
    d.amount = amount;
    d.paid_before = f.net_paid.contains(id) ? f.net_paid.at(id) : 0;
    d.application_id = p ? p->application_id : std::nullopt;
    if (old) d.superseded = old->decision_id;

    nlohmann::json kinds = nlohmann::json::array();
    if (p)
      for (const auto& k : p->kinds) kinds.push_back({{"service_kind", k.code}, {"copayment", k.copayment}, {"counts", k.counts}});
    std::vector<std::string> lines;
    auto cat = income_category_from_code(category);
    const std::string category_label = cat ? std::string(label(*cat)) : category;
    lines.push_back(fmt::format("世帯の利用者負担額 (高額介護サービス費の対象) 合計 {}、うち本人分 {}", money(hh_total), money(own)));
    if (p && p->excluded > 0)
      lines.push_back(fmt::format("対象外の利用者負担額 {} (食費・居住費、福祉用具購入費、住宅改修費等)", money(p->excluded)));
    lines.push_back(fmt::format("所得区分: {}{}", category_label, p && p->provisional ? " (所得情報の一部が未確認のため暫定)" : ""));
    lines.push_back(fmt::format("世帯の上限額 {}", money(household_cap)));
    if (!formula.empty()) lines.push_back(formula);
    if (d.paid_before != 0)
      lines.push_back(fmt::format("既支給額 {}、今回の差額 {}", money(d.paid_before), money(amount - d.paid_before)));
    nlohmann::json e = {
        {"service_month", month},
        {"household_key", key},
        {"members", member_list},
        {"household_copayment", hh_total},
        {"own_copayment", own},
        {"service_kinds", kinds},
        {"excluded_copayment", p ? p->excluded : 0},
        {"category", category},
        {"category_label", category_label},
        {"household_category", to_code(household_category)},
        {"category_explanation", p ? p->category_explanation : std::string("この月の給付実績がありません")},
        {"provisional", p && p->provisional},
        {"cap", {{"household", household_cap},
                 {"individual", counts && shares[static_cast<std::size_t>(at - counted.begin())].individual
                                    ? nlohmann::json(*shares[static_cast<std::size_t>(at - counted.begin())].individual)
                                    : nlohmann::json()}}},
        {"household_excess", excess},
        {"formula", "支給額 = (世帯の合計 − 世帯の上限額) × 本人分 ÷ 世帯の合計 (円未満切捨て、端数は負担の小さい方へ; "
                    "個人の上限額がある者は本人分 − 個人の上限額 以上) — 施行令22条の2の2"},
        {"split", formula},
        {"rules", {{"effective_from", version.effective_from.iso()}, {"source", version.source}}},
        {"amount", amount},
        {"paid_before", d.paid_before},
        {"difference", amount - d.paid_before},
        {"lines", lines},
    };
    d.explanation = e.dump();
    out.decisions.push_back(std::move(d));
  }
  return {};
}

struct RunRow {
  std::int64_t id = 0;
  std::string run_key, status, cursor;
  std::int64_t done = 0;
};

Result<RunRow> open_run(store::Database& db, const Clock& clock, const std::string& month, const std::string& actor,
                        std::int64_t total) {
  RunRow run;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    // Only one pass of a month at a time: the running one is resumed.
    auto open = c.query_one(
        fmt::format("SELECT batch_run_id, run_key, cursor, done_count FROM batch_run WHERE job = $1 AND (run_key = $2 OR "
                    "run_key LIKE $3) AND status = 'running'{}",
                    c.for_update()),
        {std::string(kJob), month, month + "#%"});
    if (!open) return std::unexpected(open.error());
    if (*open) {
      run = RunRow{(*open)->i64(0), (*open)->str(1), "running", (*open)->str(2), (*open)->i64(3)};
      return {};
    }
    auto count = c.query_one("SELECT COUNT(*) FROM batch_run WHERE job = $1 AND (run_key = $2 OR run_key LIKE $3)",
                             {std::string(kJob), month, month + "#%"});
    if (!count) return std::unexpected(count.error());
    const std::int64_t n = (*count)->i64(0);
    run.run_key = n == 0 ? month : fmt::format("{}#{}", month, n + 1);
    auto row = c.query_one(
        "INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, started_by, total_count) "
        "VALUES ($1, $2, 'running', '', 0, $3, $4, $5) RETURNING batch_run_id",
        {std::string(kJob), run.run_key, clock.timestamp(), actor, total});
    if (!row) return std::unexpected(row.error());
    run.id = (*row)->i64(0);
    run.status = "running";
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return run;
}

std::string in_list(std::size_t n, std::size_t first) { return store::numbered_params(n, first); }

Result<void> write_chunk(store::Connection& c, const Clock& clock, const BenefitConfig& config, const std::string& month,
                         const RunRow& run, const std::string& expected_cursor, const std::string& new_cursor,
                         bool last_chunk, std::int64_t done_after, ChunkWork& work, HighCostRun& out) {
  auto state = c.query_one(fmt::format("SELECT cursor, status FROM batch_run WHERE batch_run_id = $1{}", c.for_update()),
                           {run.id});
  if (!state) return std::unexpected(state.error());
  if (!*state || (*state)->str(0) != expected_cursor || (*state)->str(1) != "running")
    return fail(ErrorKind::conflict, "another instance moved this run on; run it again to resume");

  // Supersede what changes (in slices: the parameter count of one statement is bounded).
  std::vector<std::int64_t> old_ids;
  for (const auto& d : work.decisions)
    if (d.superseded) old_ids.push_back(*d.superseded);
  for (std::size_t i = 0; i < old_ids.size(); i += 500) {
    const std::size_t n = std::min<std::size_t>(500, old_ids.size() - i);
    store::Params params(old_ids.begin() + static_cast<std::ptrdiff_t>(i),
                         old_ids.begin() + static_cast<std::ptrdiff_t>(i + n));
    auto changed = c.exec(fmt::format("UPDATE high_cost_decision SET status = 'superseded' WHERE status = 'current' AND "
                                      "decision_id IN ({})",
                                      in_list(n, 1)),
                          params);
    if (!changed) return std::unexpected(changed.error());
    if (*changed != static_cast<std::int64_t>(n))
      return fail(ErrorKind::conflict, "a decision of the month changed during the run; run it again");
  }

  // What was paid for the superseded persons, read again now that their decisions are locked: a
  // KY-05 registration that paid a held decision since the pass read the month makes the pass's
  // paid_before stale, and the chunk is refused rather than paid twice.
  std::map<std::string, std::int64_t> expected_paid;
  for (const auto& d : work.decisions)
    if (d.superseded) expected_paid[d.person_id] = d.paid_before;
  std::vector<std::string> persons;
  for (const auto& [id, _] : expected_paid) persons.push_back(id);
  std::map<std::string, std::int64_t> paid_now;
  for (std::size_t i = 0; i < persons.size(); i += 500) {
    const std::size_t n = std::min<std::size_t>(500, persons.size() - i);
    store::Params params{month};
    for (std::size_t j = i; j < i + n; ++j) params.push_back(persons[j]);
    const std::string list = in_list(n, 2);
    auto paid = c.query(fmt::format("SELECT d.person_id, SUM(b.amount) FROM high_cost_decision d JOIN benefit_payment b "
                                    "ON b.basis_key = 'high_cost:' || CAST(d.decision_id AS TEXT) WHERE d.service_month = "
                                    "CAST($1 AS TEXT) AND d.person_id IN ({}) GROUP BY d.person_id",
                                    list),
                        params);
    if (!paid) return std::unexpected(paid.error());
    for (const auto& r : *paid) paid_now[r.str(0)] += r.i64(1);
    auto repaid = c.query(fmt::format("SELECT d.person_id, SUM(r.principal) FROM high_cost_decision d JOIN repayment r ON "
                                      "r.repayment_id = d.repayment_id WHERE d.service_month = CAST($1 AS TEXT) AND "
                                      "d.person_id IN ({}) AND r.status <> 'cancelled' GROUP BY d.person_id",
                                      list),
                          params);
    if (!repaid) return std::unexpected(repaid.error());
    for (const auto& r : *repaid) paid_now[r.str(0)] -= r.i64(1);
  }
  for (const auto& [id, before] : expected_paid)
    if ((paid_now.contains(id) ? paid_now.at(id) : 0) != before)
      return fail(ErrorKind::conflict, "a payment of the month was made during the run; run it again to resume");

  const std::string now = clock.timestamp();
  std::size_t next = 0;
  auto loaded = c.bulk_insert(
      "high_cost_decision",
      {"person_id", "service_month", "household_key", "category", "household_copayment", "own_copayment", "cap", "amount",
       "paid_before", "application_id", "status", "explanation", "batch_run_id", "decided_at"},
      [&](store::Params& row) {
        if (next == work.decisions.size()) return false;
        const auto& d = work.decisions[next++];
        row = {d.person_id, month, d.household_key, d.category, d.household_copayment, d.own, d.cap, d.amount,
               d.paid_before, store::opt(d.application_id), std::string("current"), d.explanation, run.id, now};
        return true;
      });
  if (!loaded) return std::unexpected(loaded.error());
  out.decided += *loaded;
  for (const auto& d : work.decisions)
    if (d.amount > 0 && !d.application_id) ++out.held;

  // Repayments where the month now owes less than was paid (返還金, 法22条1項): the new decisions'
  // ids read for all of them at once (in slices), then one repayment each (decide_repayment).
  std::vector<std::string> owing;
  for (const auto& d : work.decisions)
    if (d.amount < d.paid_before) owing.push_back(d.person_id);
  std::map<std::string, std::int64_t> new_id;
  for (std::size_t i = 0; i < owing.size(); i += 500) {
    const std::size_t n = std::min<std::size_t>(500, owing.size() - i);
    store::Params params{month};
    for (std::size_t j = i; j < i + n; ++j) params.push_back(owing[j]);
    auto ids = c.query(fmt::format("SELECT person_id, decision_id FROM high_cost_decision WHERE service_month = CAST($1 AS "
                                   "TEXT) AND status = 'current' AND person_id IN ({})",
                                   in_list(n, 2)),
                       params);
    if (!ids) return std::unexpected(ids.error());
    for (const auto& r : *ids) new_id[r.str(0)] = r.i64(1);
  }
  for (const auto& d : work.decisions) {
    if (d.amount >= d.paid_before) continue;
    const auto found = new_id.find(d.person_id);
    if (found == new_id.end()) return fail(ErrorKind::conflict, "a decision of the month changed during the run; run it again");
    const std::int64_t decision_id = found->second;
    RepaymentInput in;
    in.debtor_kind = "insured";
    in.person_id = d.person_id;
    in.reason_kind = RepaymentReason::overpaid_high_cost;
    in.reason = fmt::format("{}サービス提供分の高額介護サービス費: 給付実績の修正・取消による再計算で支給額が {} から {} "
                            "になりました (決定番号 {})",
                            month, money(d.paid_before), money(d.amount), decision_id);
    in.principal = d.paid_before - d.amount;
    in.decided_on = clock.today();
    in.actor = "batch:high_cost";
    auto repayment = decide_repayment(c, clock, config.rules, in);
    if (!repayment) return std::unexpected(repayment.error());
    auto linked = c.exec("UPDATE high_cost_decision SET repayment_id = $1 WHERE decision_id = $2",
                         {repayment->repayment_id, decision_id});
    if (!linked) return std::unexpected(linked.error());
    ++out.repayments;
    out.repayment_total += repayment->principal;
  }

  // Held decisions of the chunk whose person has applied since, then the payments owed (KY-17).
  std::string where = "d.service_month = CAST($1 AS TEXT) AND d.household_key > CAST($2 AS TEXT)";
  store::Params params{month, expected_cursor};
  if (!last_chunk) {
    where += " AND d.household_key <= CAST($3 AS TEXT)";
    params.push_back(new_cursor);
  }
  auto attached = detail::attach_held_decisions(c, where, params);
  if (!attached) return std::unexpected(attached.error());
  auto paid = detail::pay_decisions(c, clock, where, params);
  if (!paid) return std::unexpected(paid.error());
  out.paid += paid->rows;
  out.paid_total += paid->total;

  auto moved = c.exec("UPDATE batch_run SET cursor = $1, done_count = $2 WHERE batch_run_id = $3",
                      {new_cursor, done_after, run.id});
  if (!moved) return std::unexpected(moved.error());
  return {};
}

}  // namespace

Result<HighCostRun> run_high_cost(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                  const notice::BenefitIssuer& issuer, const HighCostRunOptions& o) {
  auto start = detail::month_start(o.month, "month");
  if (!start) return std::unexpected(start.error());
  auto version = config.rules.on(*start);
  if (!version)
    return fail(ErrorKind::invalid_input, fmt::format("no benefit rules in force on {}", start->iso()), "month");

  MonthFacts facts;
  auto read = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto f = read_month(c, config, o.month);
    if (!f) return std::unexpected(f.error());
    facts = std::move(*f);
    return {};
  });
  if (!read) return std::unexpected(read.error());

  // Households: the persons with co-payments, and those with a current decision of the month.
  std::map<std::string, std::vector<std::string>> households;
  std::int64_t without_household = 0;
  for (const auto& [id, p] : facts.persons) {
    if (p.has_category) households[p.household].push_back(id);
    else if (auto e = facts.existing.find(id); e != facts.existing.end()) households[e->second.household_key].push_back(id);
    else if (p.counted > 0) ++without_household;
  }
  for (const auto& [id, e] : facts.existing)
    if (!facts.persons.contains(id)) households[e.household_key].push_back(id);
  if (without_household > 0)
    spdlog::warn("high_cost {}: {} persons with benefit records have no household on the month's last day", o.month,
                 without_household);

  auto run = open_run(db, clock, o.month, o.actor, static_cast<std::int64_t>(households.size()));
  if (!run) return std::unexpected(run.error());
  HighCostRun out;
  out.batch_run_id = run->id;
  out.month = o.month;
  out.run_key = run->run_key;

  std::string cursor = run->cursor;
  std::int64_t done = run->done;
  auto it = cursor.empty() ? households.begin() : households.upper_bound(cursor);
  int chunks = 0;
  const int per_chunk = std::max(1, o.chunk_households);
  while (it != households.end()) {
    ChunkWork work;
    std::string last_key;
    int n = 0;
    for (; it != households.end() && n < per_chunk; ++it, ++n) {
      auto decided = decide_household(**version, o.month, it->first, it->second, facts, work);
      if (!decided) return std::unexpected(decided.error());
      last_key = it->first;
    }
    const bool last_chunk = it == households.end();
    const std::int64_t done_after = done + work.persons;
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      HighCostRun delta;
      auto w = write_chunk(c, clock, config, o.month, *run, cursor, last_key, last_chunk, done_after, work, delta);
      if (!w) return w;
      out.decided += delta.decided;
      out.held += delta.held;
      out.paid += delta.paid;
      out.paid_total += delta.paid_total;
      out.repayments += delta.repayments;
      out.repayment_total += delta.repayment_total;
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
    out.households += n;
    out.unchanged += work.unchanged;
    cursor = last_key;
    done = done_after;
    if (o.stop_after_chunks > 0 && ++chunks >= o.stop_after_chunks && it != households.end()) {
      out.persons = done;
      out.status = "running";
      return out;
    }
  }
  out.persons = done;

  // KY-16: the notices of this pass, then the run is done.
  if (o.print_notices) {
    auto printed = detail::print_run_notices(db, clock, config, issuer, run->id, o.print_dir);
    if (!printed) return std::unexpected(printed.error());
    out.notices = printed->notices;
    out.print_file = printed->path;
  }
  auto finished = db.exec("UPDATE batch_run SET status = 'done', output_path = $1, finished_at = $2 WHERE batch_run_id = $3",
                          {out.print_file.empty() ? store::null() : store::Value(out.print_file), clock.timestamp(), run->id});
  if (!finished) return std::unexpected(finished.error());
  out.status = "done";
  return out;
}

Result<std::vector<HighCostRun>> list_high_cost_runs(store::Connection& c, int limit) {
  auto rows = c.query(
      "SELECT b.batch_run_id, b.run_key, b.status, b.done_count, COALESCE(b.output_path, ''), "
      "(SELECT COUNT(*) FROM high_cost_decision d WHERE d.batch_run_id = b.batch_run_id), "
      "(SELECT COUNT(*) FROM benefit_document x WHERE x.batch_run_id = b.batch_run_id) "
      "FROM batch_run b WHERE b.job = $1 ORDER BY b.batch_run_id DESC LIMIT $2",
      {std::string(kJob), static_cast<std::int64_t>(limit)});
  if (!rows) return std::unexpected(rows.error());
  std::vector<HighCostRun> out;
  for (const auto& r : *rows) {
    HighCostRun run;
    run.batch_run_id = r.i64(0);
    run.run_key = r.str(1);
    run.month = run.run_key.substr(0, 7);
    run.status = r.str(2);
    run.persons = r.i64(3);
    run.print_file = r.str(4);
    run.decided = r.i64(5);
    run.notices = r.i64(6);
    out.push_back(std::move(run));
  }
  return out;
}

}  // namespace kaigo::benefit
