// KY-06: the request file to the city's tax system for the missing tax facts (income_zeimu.hpp).
#include "benefit/income_zeimu.hpp"

#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "benefit/income.hpp"
#include "core/hash.hpp"
#include "linkage/exchange_store.hpp"
#include "premium/zeimu_file.hpp"

namespace kaigo::benefit {

namespace {

namespace pz = premium::zeimu;

// Persons named in a KY-06 request of income year $1 (waiting or answered).
constexpr const char* kAskedForYear =
    "SELECT DISTINCT ep.person_id FROM zeimu_file f JOIN exchange_person ep ON ep.exchange_id = f.exchange_id "
    "WHERE f.flow_id = 'KY-06' AND f.tax_year = $1";

// `wanted` less the persons asked already; then one KY-06 file of the rest, its exchange, its
// persons linked in one bulk insert and its zeimu_file row — all on the caller's transaction.
Result<ZeimuRequestSent> send(store::Connection& c, const Clock& clock, std::set<std::string> wanted, int tax_year,
                              const std::string& what, const std::string& actor, const ZeimuPersonsHook& also) {
  ZeimuRequestSent out;
  out.tax_year = tax_year;
  if (!pz::plausible_tax_year(tax_year, clock.today()))
    return fail(ErrorKind::invalid_input,
                fmt::format("income year {} has not ended or is more than 7 years back", tax_year), "tax_year");
  if (!wanted.empty()) {
    auto asked = c.query_each(kAskedForYear, {std::int64_t{tax_year}}, [&](const store::Row& r) {
      if (wanted.erase(r.str(0))) ++out.already_asked;
      return true;
    });
    if (!asked) return std::unexpected(asked.error());
  }
  if (wanted.empty()) return out;
  std::vector<pz::RequestRow> rows;
  rows.reserve(wanted.size());
  for (const auto& p : wanted) rows.push_back(pz::RequestRow{0, p, tax_year});
  const std::string payload = pz::write_request_file(rows);
  auto receipt = linkage::enqueue_outbound(
      c, clock,
      linkage::OutboundMessage{"KY-06", "zeimu", payload, "text/csv", {},
                               fmt::format("地方税情報 (所得・課税状況) の照会 (KY-06) 所得年 {} {}", tax_year, what), actor,
                               fmt::format("KY-06:{}:{}", tax_year, sha256_hex(payload))});
  if (!receipt) return std::unexpected(receipt.error());
  out.exchange_id = receipt->exchange_id;
  out.correlation_id = receipt->correlation_id;
  out.persons = static_cast<std::int64_t>(rows.size());
  out.person_ids.assign(wanted.begin(), wanted.end());
  if (!receipt->created) return out;  // the same file was queued before (cannot happen after the filter; kept safe)
  std::size_t i = 0;
  auto linked = c.bulk_insert("exchange_person", {"exchange_id", "person_id"}, [&](store::Params& p) {
    if (i == rows.size()) return false;
    p = {receipt->exchange_id, rows[i++].person_id};
    return true;
  });
  if (!linked) return std::unexpected(linked.error());
  auto file = c.exec(
      "INSERT INTO zeimu_file (exchange_id, flow_id, kind, file_name, tax_year, lines, status, recorded_at, recorded_by) "
      "VALUES ($1, 'KY-06', 'benefit_request', $2, $3, $4, 'sent', $5, $6)",
      {receipt->exchange_id, fmt::format("KY-06_{}.csv", receipt->correlation_id), std::int64_t{tax_year}, out.persons,
       clock.timestamp(), actor});
  if (!file) return std::unexpected(file.error());
  if (also) {
    if (auto h = also(c, out.person_ids); !h) return std::unexpected(h.error());
  }
  spdlog::info("benefit inputs: KY-06 exchange {} asks {} persons for income year {}", out.exchange_id, out.persons, tax_year);
  return out;
}

}  // namespace

Result<ZeimuRequestSent> ask_zeimu_for_person(store::Database& db, const Clock& clock, const std::string& person_id, Date on,
                                              const std::string& actor, const ZeimuPersonsHook& also) {
  ZeimuRequestSent out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto inputs = gather_income_inputs(c, person_id, on);
    if (!inputs) return std::unexpected(inputs.error());
    std::set<std::string> wanted;
    for (const auto& m : inputs->missing)
      if (m.ask_flow == "KY-06") wanted.insert(m.person_id);
    if (wanted.empty())
      return fail(ErrorKind::conflict,
                  fmt::format("nothing the city's tax system holds is missing for income year {}", inputs->tax_year),
                  "person_id");
    auto sent = send(c, clock, std::move(wanted), inputs->tax_year, fmt::format("基準日 {}", on.iso()), actor, also);
    if (!sent) return std::unexpected(sent.error());
    if (sent->exchange_id == 0)
      return fail(ErrorKind::conflict,
                  fmt::format("every missing member was asked already for income year {} (KY-06)", inputs->tax_year),
                  "person_id");
    out = std::move(*sent);
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<ZeimuRequestSent> ask_zeimu_for_month(store::Database& db, const Clock& clock, std::string_view month,
                                             const std::string& actor, const ZeimuPersonsHook& also) {
  auto last = last_day_of_month(month);
  if (!last) return std::unexpected(last.error());
  ZeimuRequestSent out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto missing = missing_for_month(c, month);
    if (!missing) return std::unexpected(missing.error());
    std::set<std::string> wanted;
    for (const auto& m : *missing)
      if (m.ask_flow == "KY-06") wanted.insert(m.person_id);
    auto sent = send(c, clock, std::move(wanted), income_year_of(*last), fmt::format("サービス提供月 {}", month), actor, also);
    if (!sent) return std::unexpected(sent.error());
    out = std::move(*sent);
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

}  // namespace kaigo::benefit
