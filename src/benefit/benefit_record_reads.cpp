// Reads of KY-04: the files received and the benefit records by person and month (benefit_record.hpp).
#include <fmt/format.h>

#include "benefit/benefit_record.hpp"

namespace kaigo::benefit {

namespace {

constexpr const char* kFileColumns =
    "file_id, flow_id, exchange_id, sha256, layout_version, status, record_count, summary, quarantine_path, received_at";

InboundFile file_from(const store::Row& r) {
  InboundFile f;
  f.file_id = r.i64(0);
  f.flow_id = r.str(1);
  f.exchange_id = r.opt_i64(2);
  f.sha256 = r.str(3);
  f.layout_version = r.str(4);
  f.status = r.str(5);
  f.record_count = r.i64(6);
  f.summary = r.str(7);
  f.quarantine_path = r.str(8);
  f.received_at = r.str(9);
  return f;
}

constexpr const char* kRecordColumns =
    "record_id, claim_no, person_id, insured_no, service_month, review_month, office_no, service_kind, payment_kind, days, units, "
    "unit_price_hundredths, total_cost, insurance_paid, copayment, public_paid, status, file_id, line_no";

BenefitRecord record_from(const store::Row& r) {
  return BenefitRecord{r.i64(0),  r.str(1),  r.str(2),  r.str(3),  r.str(4),  r.str(5),  r.str(6),
                       r.str(7),  r.str(8),  r.i64(9),  r.i64(10), r.i64(11), r.i64(12), r.i64(13),
                       r.i64(14), r.i64(15), r.str(16), r.i64(17), r.i64(18)};
}

void add(Totals& t, std::int64_t records, std::int64_t cost, std::int64_t paid, std::int64_t copay, std::int64_t public_paid) {
  t.records += records;
  t.total_cost += cost;
  t.insurance_paid += paid;
  t.copayment += copay;
  t.public_paid += public_paid;
}

}  // namespace

Result<std::vector<InboundFile>> list_inbound_files(store::Connection& c, const std::string& flow_id, int limit) {
  auto rows = c.query(fmt::format("SELECT {} FROM benefit_inbound_file WHERE (CAST($1 AS TEXT) = '' OR flow_id = CAST($1 AS TEXT)) ORDER BY file_id DESC "
                                  "LIMIT {}",
                                  kFileColumns, std::max(1, limit)),
                      {flow_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<InboundFile> out;
  for (const auto& r : *rows) out.push_back(file_from(r));
  return out;
}

Result<std::optional<InboundFile>> inbound_file(store::Connection& c, std::int64_t file_id) {
  auto row = c.query_one(fmt::format("SELECT {} FROM benefit_inbound_file WHERE file_id = $1", kFileColumns), {file_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<InboundFile>{};
  InboundFile f = file_from(**row);
  auto errors = c.query("SELECT line_no, field, message FROM benefit_inbound_error WHERE file_id = $1 ORDER BY line_no, error_id",
                        {file_id});
  if (!errors) return std::unexpected(errors.error());
  for (const auto& r : *errors) f.errors.push_back({r.i64(0), r.str(1), r.str(2)});
  return std::optional<InboundFile>{std::move(f)};
}

Result<std::vector<PersonMonth>> person_records(store::Connection& c, const std::string& person_id, const std::string& from,
                                                const std::string& to) {
  auto rows = c.query(fmt::format("SELECT {} FROM benefit_record WHERE person_id = $1 AND status = 'current' AND "
                                  "(CAST($2 AS TEXT) = '' OR service_month >= CAST($2 AS TEXT)) AND (CAST($3 AS TEXT) = '' OR service_month <= CAST($3 AS TEXT)) "
                                  "ORDER BY service_month, office_no, service_kind, record_id",
                                  kRecordColumns),
                      {person_id, from, to});
  if (!rows) return std::unexpected(rows.error());
  std::vector<PersonMonth> out;
  for (const auto& r : *rows) {
    BenefitRecord b = record_from(r);
    if (out.empty() || out.back().service_month != b.service_month) out.push_back(PersonMonth{b.service_month, {}, {}});
    add(out.back().totals, 1, b.total_cost, b.insurance_paid, b.copayment, b.public_paid);
    out.back().records.push_back(std::move(b));
  }
  return out;
}

Result<void> for_each_current_record(store::Connection& c, const std::string& service_month,
                                     const std::function<bool(const BenefitRecord&)>& fn) {
  return c.query_each(fmt::format("SELECT {} FROM benefit_record WHERE service_month = $1 AND status = 'current' "
                                  "ORDER BY person_id, record_id",
                                  kRecordColumns),
                      {service_month}, [&](const store::Row& r) { return fn(record_from(r)); });
}

Result<std::vector<std::string>> persons_with_records(store::Connection& c, const std::string& from, const std::string& to) {
  auto rows = c.query("SELECT DISTINCT person_id FROM benefit_record WHERE service_month >= $1 AND service_month <= $2 AND "
                      "status = 'current' ORDER BY person_id",
                      {from, to});
  if (!rows) return std::unexpected(rows.error());
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.str(0));
  return out;
}

Result<MonthSummary> month_summary(store::Connection& c, const std::string& service_month) {
  MonthSummary s;
  s.service_month = service_month;
  auto rows = c.query("SELECT service_kind, payment_kind, COUNT(*), SUM(total_cost), SUM(insurance_paid), SUM(copayment), "
                      "SUM(public_paid) FROM benefit_record WHERE service_month = $1 AND status = 'current' "
                      "GROUP BY service_kind, payment_kind ORDER BY service_kind, payment_kind",
                      {service_month});
  if (!rows) return std::unexpected(rows.error());
  for (const auto& r : *rows) {
    const std::string kind = r.str(0);
    if (s.by_service_kind.empty() || s.by_service_kind.back().service_kind != kind) s.by_service_kind.push_back({kind, {}});
    for (Totals* t : {&s.totals, &s.by_service_kind.back().totals, r.str(1) == "reimbursement" ? &s.reimbursement : &s.in_kind})
      add(*t, r.i64(2), r.i64(3), r.i64(4), r.i64(5), r.i64(6));
  }
  auto persons = c.query_one("SELECT COUNT(DISTINCT person_id) FROM benefit_record WHERE service_month = $1 AND status = 'current'",
                             {service_month});
  if (!persons) return std::unexpected(persons.error());
  s.persons = *persons ? (*persons)->i64(0) : 0;
  return s;
}

}  // namespace kaigo::benefit
