// FK-02 所得情報 from the city's tax system: validated whole against what it answers, then applied
// in the inbox transaction — tax_income rows where the figures changed, 未申告 kept, the persons
// linked to the exchange, and the assessed persons concerned queued for re-assessment
// (policies in zeimu_service.hpp and docs/zeimu-layout.md). Set-based: a file of 1,000,000 rows is
// a handful of statements and bulk inserts, never a round trip per person.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "linkage/exchange_store.hpp"
#include "premium/zeimu_service.hpp"

namespace kaigo::premium {

linkage::InboundHandlers zeimu_inbound_handlers(const Clock& clock) {
  return {{"FK-02", zeimu::tax_file_handler(clock, "FK-02")}, {"KY-07", zeimu::tax_file_handler(clock, "KY-07")}};
}

namespace zeimu {

std::string_view request_flow_of(std::string_view answer_flow) {
  if (answer_flow == "FK-02") return "FK-01";
  if (answer_flow == "KY-07") return "KY-06";
  return "";
}

namespace {

// Above this many rows of one income year, kaigo's rows of the year are read in one scan rather
// than by person.
constexpr std::size_t kScanYearAbove = 5000;
constexpr std::size_t kInList = 500;

// Calls fn(params, n) for slices of at most kInList person ids.
template <typename F>
Result<void> in_slices(const std::vector<std::string>& ids, F&& fn) {
  for (std::size_t at = 0; at < ids.size(); at += kInList) {
    const std::size_t n = std::min(kInList, ids.size() - at);
    store::Params params(ids.begin() + static_cast<std::ptrdiff_t>(at), ids.begin() + static_cast<std::ptrdiff_t>(at + n));
    if (auto r = fn(params, n); !r) return r;
  }
  return {};
}

struct Latest {
  TaxFigures figures;
  std::string recorded_at;
  std::int64_t id = 0;
};

constexpr const char* kFigureColumns =
    "total_income, public_pension_income, taxable_pension_income, pension_misc_income, salary_income, "
    "land_sale_special_deduction, resident_tax_taxed, taxable_income";

// kaigo's own latest row (any source but the simulated tax office's ledger) of each person of
// `rows` for each year, by person_key * 10000 + year.
Result<std::unordered_map<std::uint64_t, Latest>> latest_own_rows(store::Connection& c, const std::vector<AnswerRow>& rows) {
  std::map<int, std::vector<std::string>> by_year;
  for (const auto& r : rows)
    if (r.kind != RowKind::undeclared) by_year[r.tax_year].push_back(r.person_id);
  std::unordered_map<std::uint64_t, Latest> out;
  out.reserve(rows.size());
  auto take = [&](const store::Row& row) {
    Latest l;
    l.figures = TaxFigures{row.i64(1), row.i64(2), row.i64(3), row.i64(4), row.i64(5), row.i64(6), row.i64(7) == 1, row.i64(8)};
    l.recorded_at = row.str(9);
    l.id = row.i64(10);
    const std::uint64_t key = person_key(row.str(0)) * 10000 + static_cast<std::uint64_t>(row.i64(11));
    auto [it, fresh] = out.try_emplace(key, l);
    // Latest recorded wins; the id breaks ties of the same timestamp.
    if (!fresh && std::tie(l.recorded_at, l.id) > std::tie(it->second.recorded_at, it->second.id)) it->second = std::move(l);
    return true;
  };
  const std::string select = fmt::format(
      "SELECT person_id, {}, recorded_at, tax_income_id, tax_year FROM tax_income WHERE source <> 'synthetic_city' ",
      kFigureColumns);
  for (const auto& [year, persons] : by_year) {
    if (persons.size() > kScanYearAbove) {
      auto r = c.query_each(select + "AND tax_year = $1", {std::int64_t{year}}, take);
      if (!r) return std::unexpected(r.error());
      continue;
    }
    auto r = in_slices(persons, [&](store::Params& params, std::size_t n) -> Result<void> {
      params.push_back(std::int64_t{year});
      return c.query_each(select + fmt::format("AND person_id IN ({}) AND tax_year = ${}", store::numbered_params(n), n + 1), params,
                          take);
    });
    if (!r) return std::unexpected(r.error());
  }
  return out;
}

Result<std::unordered_set<std::uint64_t>> known_persons(store::Connection& c, const std::vector<AnswerRow>& rows) {
  std::set<std::string> distinct;
  for (const auto& r : rows) distinct.insert(r.person_id);
  const std::vector<std::string> ids(distinct.begin(), distinct.end());
  std::unordered_set<std::uint64_t> out;
  auto r = in_slices(ids, [&](store::Params& params, std::size_t n) -> Result<void> {
    return c.query_each(fmt::format("SELECT person_id FROM person WHERE person_id IN ({})", store::numbered_params(n)), params,
                        [&](const store::Row& row) {
                          out.insert(person_key(row.str(0)));
                          return true;
                        });
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

// Persons whose income changed in exchange $1, and the members of their households during the
// fiscal year tax_year + 1, who have a current assessment of that year → premium_recalc_queue.
// Step by step (MATERIALIZED): from the few changed persons outwards, whatever the statistics of
// tables just bulk-loaded say (a planner that starts from premium_assessment scans it per row).
constexpr const char* kQueueRecalc =
    "WITH changed AS MATERIALIZED ("
    "  SELECT DISTINCT person_id, tax_year + 1 AS fy FROM tax_income WHERE source_exchange_id = $1"
    "), households AS MATERIALIZED ("
    "  SELECT DISTINCT s.household_id, c.fy FROM changed c JOIN person_history s ON s.person_id = c.person_id "
    "  AND s.valid_from < CAST(c.fy + 1 AS TEXT) || '-04-01' "
    "  AND (s.valid_to IS NULL OR s.valid_to > CAST(c.fy AS TEXT) || '-04-01')"
    "), concerned AS MATERIALIZED ("
    "  SELECT person_id, fy FROM changed "
    "  UNION SELECT m.person_id, h.fy FROM households h JOIN person_history m ON m.household_id = h.household_id "
    "  AND m.valid_from < CAST(h.fy + 1 AS TEXT) || '-04-01' "
    "  AND (m.valid_to IS NULL OR m.valid_to > CAST(h.fy AS TEXT) || '-04-01')"
    ") "
    "INSERT INTO premium_recalc_queue (person_id, fiscal_year, cause, queued_at) "
    "SELECT c.person_id, c.fy, 'income', CAST($2 AS TEXT) FROM concerned c JOIN premium_assessment a "
    "ON a.person_id = c.person_id AND a.fiscal_year = c.fy AND a.is_current = 1 "
    "WHERE true ON CONFLICT (person_id, fiscal_year) DO NOTHING";

struct Applied {
  std::int64_t applied = 0, unchanged = 0, undeclared = 0, queued = 0;
};

Result<Applied> apply_rows(store::Connection& c, const Clock& clock, const linkage::Exchange& e,
                           const std::vector<AnswerRow>& rows) {
  Applied out;
  auto latest = latest_own_rows(c, rows);
  if (!latest) return std::unexpected(latest.error());
  std::vector<const AnswerRow*> changed, undeclared;
  for (const auto& r : rows) {
    if (r.kind == RowKind::undeclared) {
      undeclared.push_back(&r);
      continue;
    }
    auto it = latest->find(person_key(r.person_id) * 10000 + static_cast<std::uint64_t>(r.tax_year));
    if (it != latest->end() && it->second.figures == r.figures) ++out.unchanged;
    else changed.push_back(&r);
  }
  const std::string now = clock.timestamp();
  const std::string actor = fmt::format("exchange:{}", e.exchange_id);
  std::size_t i = 0;
  auto inserted = c.bulk_insert(
      "tax_income",
      {"person_id", "tax_year", "total_income", "public_pension_income", "taxable_pension_income", "pension_misc_income",
       "salary_income", "land_sale_special_deduction", "resident_tax_taxed", "taxable_income", "source",
       "source_exchange_id", "recorded_at", "recorded_by"},
      [&](store::Params& p) {
        if (i == changed.size()) return false;
        const AnswerRow& r = *changed[i++];
        const TaxFigures& f = r.figures;
        p = {r.person_id, std::int64_t{r.tax_year}, f.total_income, f.public_pension_income, f.taxable_pension_income,
             f.pension_misc_income, f.salary_income, f.land_sale_special_deduction,
             std::int64_t{f.resident_tax_taxed ? 1 : 0}, f.taxable_income, std::string("tax_office"), e.exchange_id, now,
             actor};
        return true;
      });
  if (!inserted) return std::unexpected(inserted.error());
  out.applied = *inserted;

  // 未申告: kept once per person and year (the first answer that said so).
  if (!undeclared.empty()) {
    std::set<std::pair<std::string, int>> known;
    std::set<int> years;
    for (const auto* r : undeclared) years.insert(r->tax_year);
    for (int y : years) {
      auto q = c.query_each("SELECT person_id FROM tax_undeclared WHERE tax_year = $1", {std::int64_t{y}},
                            [&](const store::Row& row) {
                              known.emplace(row.str(0), y);
                              return true;
                            });
      if (!q) return std::unexpected(q.error());
    }
    std::vector<const AnswerRow*> fresh;
    for (const auto* r : undeclared)
      if (!known.contains({r->person_id, r->tax_year})) fresh.push_back(r);
    std::size_t j = 0;
    auto n = c.bulk_insert("tax_undeclared", {"person_id", "tax_year", "source_exchange_id", "recorded_at"},
                           [&](store::Params& p) {
                             if (j == fresh.size()) return false;
                             p = {fresh[j]->person_id, std::int64_t{fresh[j]->tax_year}, e.exchange_id, now};
                             ++j;
                             return true;
                           });
    if (!n) return std::unexpected(n.error());
    out.undeclared = static_cast<std::int64_t>(undeclared.size());
  }

  // The exchange lists every person of the file (a synchronous answer already carries the
  // request's persons; only the others are added), in one bulk insert.
  std::unordered_set<std::string> linked(e.person_ids.begin(), e.person_ids.end());
  std::vector<const std::string*> to_link;
  for (const auto& r : rows)
    if (linked.insert(r.person_id).second) to_link.push_back(&r.person_id);
  std::size_t k = 0;
  auto l = c.bulk_insert("exchange_person", {"exchange_id", "person_id"}, [&](store::Params& p) {
    if (k == to_link.size()) return false;
    p = {e.exchange_id, *to_link[k++]};
    return true;
  });
  if (!l) return std::unexpected(l.error());

  if (out.applied > 0) {
    auto q = c.exec(kQueueRecalc, {e.exchange_id, now});
    if (!q) return std::unexpected(q.error());
    out.queued = *q;
  }
  return out;
}

}  // namespace

Result<Validated> validate_tax_file(store::Connection& c, const Clock& clock, const std::string& payload,
                                    const std::string& in_reply_to, Errors& errors, std::string_view answer_flow) {
  Validated out;
  const std::string_view request_flow = request_flow_of(answer_flow);
  if (request_flow.empty()) return fail(ErrorKind::internal, fmt::format("{} is not a tax answer flow", answer_flow));
  AnswerParse parsed = parse_answer_file(payload);
  errors = std::move(parsed.errors);
  std::optional<AskedPersons> asked;
  if (!in_reply_to.empty()) {
    auto request = c.query_one(
        "SELECT exchange_id, flow_id, payload, payload_packed FROM exchange WHERE counterpart = 'zeimu' AND correlation_id = $1 "
        "AND direction = 'outbound'",
        {in_reply_to});
    if (!request) return std::unexpected(request.error());
    if (!*request) {
      errors.add(1, "(処理通番)", "answers a 処理通番 never sent to zeimu");
    } else if ((*request)->str(1) != request_flow) {
      errors.add(1, "(処理通番)", fmt::format("answers a {} exchange, not a {} request", (*request)->str(1), request_flow));
    } else {
      out.request_exchange_id = (*request)->i64(0);
      auto request_text = linkage::payload_at(**request, 2);
      if (!request_text) return std::unexpected(request_text.error());
      const RequestParse asked_file = parse_request_file(*request_text);
      if (!asked_file.rows || asked_file.rows->empty())
        return fail(ErrorKind::internal, fmt::format("a stored {} request does not parse", request_flow));
      asked.emplace();
      asked->tax_year = asked_file.rows->front().tax_year;
      asked->request_line.reserve(asked_file.rows->size());
      for (const auto& r : *asked_file.rows) asked->request_line.emplace(person_key(r.person_id), r.line_no);
      out.tax_year = asked->tax_year;
    }
  }
  if (!parsed.rows || !errors.empty()) {
    errors.sort();
    return out;
  }
  if (asked) {
    check_answer(*parsed.rows, *asked, errors);
  } else if (answer_flow != "FK-02") {
    // Revisions sent on their own come as FK-02 only; a KY-07 answers a KY-06 request.
    if (in_reply_to.empty()) errors.add(1, "(処理通番)", fmt::format("a {} file must answer a {} request", answer_flow, request_flow));
  } else {
    auto known = known_persons(c, *parsed.rows);
    if (!known) return std::unexpected(known.error());
    check_revision(*parsed.rows, *known, clock.today(), errors);
  }
  errors.sort();
  if (errors.empty()) out.rows = std::move(*parsed.rows);
  return out;
}

linkage::ApplyFn tax_file_handler(const Clock& clock, std::string answer_flow) {
  return [&clock, answer_flow](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    // The whole file is validated before anything is written; a refusal rolls the inbox
    // transaction back and quarantines the exchange (record_rejected_files adds the details).
    Errors errors;
    auto valid = validate_tax_file(c, clock, e.payload, e.in_reply_to, errors, answer_flow);
    if (!valid) return std::unexpected(valid.error());
    if (!errors.empty()) return std::unexpected(to_error(errors));
    auto applied = apply_rows(c, clock, e, valid->rows);
    if (!applied) return std::unexpected(applied.error());
    auto r = c.exec(
        "INSERT INTO zeimu_file (exchange_id, flow_id, kind, file_name, tax_year, request_exchange_id, lines, applied, "
        "unchanged, undeclared, queued, status, recorded_at, recorded_by) "
        "VALUES ($1, $13, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'applied', $11, $12)",
        {e.exchange_id, std::string(valid->request_exchange_id ? "answer" : "revision"), linkage::file_name_of(e),
         store::opt(valid->tax_year ? std::optional<std::int64_t>(*valid->tax_year) : std::nullopt),
         store::opt(valid->request_exchange_id), static_cast<std::int64_t>(valid->rows.size()), applied->applied,
         applied->unchanged, applied->undeclared, applied->queued, clock.timestamp(), e.created_by, answer_flow});
    if (!r) return std::unexpected(r.error());
    return {};
  };
}

Result<int> record_rejected_files(store::Database& db, const Clock& clock) {
  int recorded = 0;
  std::vector<std::int64_t> ids;
  auto listed = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto rows = c.query(
        "SELECT e.exchange_id FROM exchange e WHERE e.flow_id IN ('FK-02', 'KY-07') AND e.direction = 'inbound' AND "
        "e.status = 'rejected' AND NOT EXISTS (SELECT 1 FROM zeimu_file f WHERE f.exchange_id = e.exchange_id) "
        "ORDER BY e.exchange_id");
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) ids.push_back(r.i64(0));
    return {};
  });
  if (!listed) return std::unexpected(listed.error());
  for (auto id : ids) {
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto e = linkage::load_exchange(c, id);
      if (!e) return std::unexpected(e.error());
      if (!*e) return {};
      Errors errors;
      auto valid = validate_tax_file(c, clock, (*e)->payload, (*e)->in_reply_to, errors, (*e)->flow_id);
      if (!valid) return std::unexpected(valid.error());
      // Refused for another reason (e.g. no handler at the time): the exchange's reason is the
      // only line for staff.
      if (errors.items.empty()) errors.add(0, "(ファイル)", (*e)->reason);
      if (errors.truncated)
        errors.items.push_back(LineError{0, "(ファイル)", fmt::format("more than {} errors; only the first are listed", kMaxErrors), {}});
      std::optional<std::int64_t> tax_year;
      const AnswerParse parsed = parse_answer_file((*e)->payload);
      if (parsed.rows && !parsed.rows->empty()) tax_year = parsed.rows->front().tax_year;
      std::int64_t lines = 0;
      for (char ch : (*e)->payload) lines += ch == '\n';
      auto row = c.query_one(
          "INSERT INTO zeimu_file (exchange_id, flow_id, kind, file_name, tax_year, request_exchange_id, lines, status, "
          "reason, recorded_at, recorded_by) VALUES ($1, $10, $2, $3, $4, $5, $6, 'rejected', $7, $8, $9) "
          "ON CONFLICT (exchange_id) DO NOTHING RETURNING exchange_id",
          {id, std::string((*e)->in_reply_to.empty() ? "revision" : "answer"), linkage::file_name_of(**e), store::opt(tax_year),
           store::opt(valid->request_exchange_id), lines > 0 ? lines - 1 : 0, (*e)->reason, clock.timestamp(),
           (*e)->created_by, (*e)->flow_id});
      if (!row) return std::unexpected(row.error());
      if (!*row) return {};  // another instance recorded it
      ++recorded;
      // The person_id column only for persons known here (a staff table; messages quote none).
      std::vector<std::string> named;
      for (const auto& err : errors.items)
        if (!err.person_id.empty()) named.push_back(err.person_id);
      std::unordered_set<std::string> known;
      auto k = in_slices(named, [&](store::Params& params, std::size_t n) -> Result<void> {
        return c.query_each(fmt::format("SELECT person_id FROM person WHERE person_id IN ({})", store::numbered_params(n)), params,
                            [&](const store::Row& r) {
                              known.insert(r.str(0));
                              return true;
                            });
      });
      if (!k) return k;
      std::size_t i = 0;
      auto n = c.bulk_insert("zeimu_file_error", {"exchange_id", "error_no", "line_no", "field", "message", "person_id"},
                             [&](store::Params& p) {
                               if (i == errors.items.size()) return false;
                               const LineError& err = errors.items[i];
                               p = {id, static_cast<std::int64_t>(i + 1), std::int64_t{err.line_no}, err.field, err.message,
                                    known.contains(err.person_id) ? store::Value(err.person_id) : store::null()};
                               ++i;
                               return true;
                             });
      if (!n) return std::unexpected(n.error());
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
  }
  return recorded;
}

}  // namespace zeimu
}  // namespace kaigo::premium
