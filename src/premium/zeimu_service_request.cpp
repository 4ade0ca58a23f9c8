// FK-01 地方税情報照会: who kaigo needs the tax data of for a fiscal year (set-based), and the
// request files — the yearly one of everyone needed, and one person for a revision.
#include <fmt/format.h>

#include "core/hash.hpp"
#include "premium/zeimu_service.hpp"

namespace kaigo::premium::zeimu {

namespace {

// Everyone needed for fiscal year Y: $1 = Y+1-04-01 (exclusive end), $2 = Y-04-01.
//  insured     every category-1 period touching Y, with its 賦課期日: 1 April, or the acquisition
//              date when the person joins during Y (rules.md §2; 施行令38条 / 法130条)
//  households  the household each such person belonged to on that day (person_history; the
//              person row for a person without history)
//  members     everyone in those households on that same day
constexpr const char* kPersonsNeeded =
    "WITH insured AS ("
    "  SELECT DISTINCT person_id, CASE WHEN acquired_on > CAST($2 AS TEXT) THEN acquired_on ELSE CAST($2 AS TEXT) END "
    "  AS base_date FROM eligibility_period WHERE category = '1' AND acquired_on < CAST($1 AS TEXT) "
    "  AND (lost_on IS NULL OR lost_on > CAST($2 AS TEXT))"
    "), households AS ("
    "  SELECT DISTINCT h.household_id, i.base_date FROM insured i JOIN person_history h ON h.person_id = i.person_id "
    "  AND h.valid_from <= i.base_date AND (h.valid_to IS NULL OR h.valid_to > i.base_date) "
    "  UNION SELECT p.household_id, i.base_date FROM insured i JOIN person p ON p.person_id = i.person_id "
    "  WHERE NOT EXISTS (SELECT 1 FROM person_history h WHERE h.person_id = i.person_id)"
    ") "
    "SELECT person_id FROM insured "
    "UNION SELECT m.person_id FROM households hh JOIN person_history m ON m.household_id = hh.household_id "
    "AND m.valid_from <= hh.base_date AND (m.valid_to IS NULL OR m.valid_to > hh.base_date) "
    "UNION SELECT p.person_id FROM households hh JOIN person p ON p.household_id = hh.household_id "
    "WHERE NOT EXISTS (SELECT 1 FROM person_history h WHERE h.person_id = p.person_id) "
    "ORDER BY 1";

constexpr const char* kPurpose = "地方税情報 (所得・課税状況) の照会 (FK-01)";

Result<void> record_request(store::Connection& c, const Clock& clock, const RequestSent& sent, const char* kind,
                            std::optional<int> fiscal_year, const std::string& actor) {
  auto r = c.exec(
      "INSERT INTO zeimu_file (exchange_id, flow_id, kind, file_name, tax_year, fiscal_year, lines, status, "
      "recorded_at, recorded_by) VALUES ($1, 'FK-01', $2, $3, $4, $5, $6, 'sent', $7, $8)",
      {sent.exchange_id, std::string(kind), fmt::format("FK-01_{}.csv", sent.correlation_id),
       std::int64_t{sent.tax_year}, store::opt(fiscal_year ? std::optional<std::int64_t>(*fiscal_year) : std::nullopt),
       sent.persons, clock.timestamp(), actor});
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace

Result<std::vector<std::string>> persons_needed(store::Connection& c, int fiscal_year) {
  std::vector<std::string> out;
  auto r = c.query_each(kPersonsNeeded, {Date(fiscal_year + 1, 4, 1).iso(), Date(fiscal_year, 4, 1).iso()},
                        [&](const store::Row& row) {
                          out.push_back(row.str(0));
                          return true;
                        });
  if (!r) return std::unexpected(r.error());
  return out;
}

Result<RequestSent> request_yearly(store::Database& db, const Clock& clock, int fiscal_year, const std::string& actor,
                                   const PersonsHook& also) {
  const int tax_year = fiscal_year - 1;
  if (!plausible_tax_year(tax_year, clock.today()))
    return fail(ErrorKind::invalid_input,
                fmt::format("fiscal year {} needs income year {}, which has not ended or is more than 7 years back",
                            fiscal_year, tax_year),
                "fiscal_year");
  RequestSent sent;
  sent.tax_year = tax_year;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto persons = persons_needed(c, fiscal_year);
    if (!persons) return std::unexpected(persons.error());
    if (persons->empty())
      return fail(ErrorKind::invalid_input, fmt::format("nobody is category-1 insured in fiscal year {}", fiscal_year),
                  "fiscal_year");
    std::vector<RequestRow> rows;
    rows.reserve(persons->size());
    for (auto& p : *persons) rows.push_back(RequestRow{0, std::move(p), tax_year});
    const std::string payload = write_request_file(rows);
    sent.persons = static_cast<std::int64_t>(rows.size());
    // The persons are linked below in one bulk insert (one add_person each would be a round trip
    // per person on PostgreSQL).
    auto receipt = linkage::enqueue_outbound(
        c, clock,
        linkage::OutboundMessage{"FK-01", "zeimu", payload, "text/csv", {},
                                 fmt::format("{} 年度 {} 本算定", kPurpose, fiscal_year), actor,
                                 fmt::format("FK-01:yearly:{}:{}", fiscal_year, sha256_hex(payload))});
    if (!receipt) return std::unexpected(receipt.error());
    sent.exchange_id = receipt->exchange_id;
    sent.correlation_id = receipt->correlation_id;
    sent.created = receipt->created;
    if (!receipt->created) return {};
    std::size_t i = 0;
    auto linked = c.bulk_insert("exchange_person", {"exchange_id", "person_id"}, [&](store::Params& p) {
      if (i == rows.size()) return false;
      p = {receipt->exchange_id, rows[i++].person_id};
      return true;
    });
    if (!linked) return std::unexpected(linked.error());
    if (auto r = record_request(c, clock, sent, "yearly_request", fiscal_year, actor); !r) return r;
    if (!also) return {};
    std::vector<std::string> ids;
    ids.reserve(rows.size());
    for (auto& r : rows) ids.push_back(std::move(r.person_id));
    return also(c, ids);
  });
  if (!tx) return std::unexpected(tx.error());
  return sent;
}

Result<RequestSent> request_person(store::Connection& c, const Clock& clock, const std::string& person_id, int tax_year,
                                   const std::string& actor) {
  if (!plausible_tax_year(tax_year, clock.today()))
    return fail(ErrorKind::invalid_input,
                fmt::format("income year {} has not ended or is more than 7 years back", tax_year), "tax_year");
  auto person = c.query_one("SELECT 1 FROM person WHERE person_id = $1", {person_id});
  if (!person) return std::unexpected(person.error());
  if (!*person) return fail(ErrorKind::not_found, fmt::format("no person {}", person_id), "person_id");
  const std::string payload = write_request_file({RequestRow{0, person_id, tax_year}});
  auto receipt = linkage::enqueue_outbound(
      c, clock,
      linkage::OutboundMessage{"FK-01", "zeimu", payload, "text/csv", {person_id},
                               fmt::format("{} 所得年 {} 個別照会", kPurpose, tax_year), actor, std::nullopt});
  if (!receipt) return std::unexpected(receipt.error());
  RequestSent sent{receipt->exchange_id, receipt->correlation_id, tax_year, 1, receipt->created};
  if (auto r = record_request(c, clock, sent, "person_request", std::nullopt, actor); !r) return std::unexpected(r.error());
  return sent;
}

}  // namespace kaigo::premium::zeimu
