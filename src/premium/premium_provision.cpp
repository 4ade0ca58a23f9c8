// FK-12 / FK-13: the assessments changed since the last file, one CSV per run and flow, the
// cursor moved with the outbound exchange (premium_provision.hpp).
#include "premium/premium_provision.hpp"

#include <set>

#include <fmt/format.h>

#include "linkage/exchange_store.hpp"
#include "premium/zeimu_file.hpp"

namespace kaigo::premium {

namespace {

struct Flow {
  const char* flow_id;
  const char* counterpart;
  const char* purpose;
  bool welfare_cases_only;
};

constexpr Flow kWelfare{"FK-12", "fukushi", "保険料賦課情報の提供 (FK-12)", true};
constexpr Flow kTax{"FK-13", "zeimu", "保険料賦課情報の提供 (FK-13)", false};

// A public_assistance row overlapping the assessment's fiscal year (valid_to is the first day off).
constexpr const char* kWelfareCase =
    " AND EXISTS (SELECT 1 FROM public_assistance pa WHERE pa.person_id = a.person_id "
    "AND pa.valid_from < CAST(a.fiscal_year + 1 AS TEXT) || '-04-01' "
    "AND (pa.valid_to IS NULL OR pa.valid_to > CAST(a.fiscal_year AS TEXT) || '-04-01'))";

Result<AssessmentsSent> send(store::Database& db, const Clock& clock, const Flow& flow, int limit) {
  AssessmentsSent sent;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    // Two server instances running this job: the second waits here and then sees the moved cursor.
    auto cursor = c.query_one(
        fmt::format("SELECT last_event_id FROM event_cursor WHERE consumer = $1{}", c.for_update()), {std::string(flow.flow_id)});
    if (!cursor) return std::unexpected(cursor.error());
    if (!*cursor) return fail(ErrorKind::internal, fmt::format("no event_cursor row for {} (migration 011)", flow.flow_id));
    const std::int64_t after = (*cursor)->i64(0);
    auto window = c.query_one(
        "SELECT COUNT(*), MAX(assessment_id) FROM (SELECT assessment_id FROM premium_assessment "
        "WHERE assessment_id > $1 ORDER BY assessment_id LIMIT $2) t",
        {after, std::int64_t{limit}});
    if (!window) return std::unexpected(window.error());
    if (!*window || (*window)->i64(0) == 0) return {};
    sent.scanned = (*window)->i64(0);
    const std::int64_t last = (*window)->i64(1);
    std::vector<zeimu::AssessmentRow> rows;
    Result<void> bad;
    auto q = c.query_each(
        std::string("SELECT a.insured_no, a.person_id, a.fiscal_year, a.revision, a.stage, a.amount, a.previous_amount, "
                    "a.cause, a.assessed_at FROM premium_assessment a WHERE a.assessment_id > $1 "
                    "AND a.assessment_id <= $2 AND a.is_current = 1") +
            (flow.welfare_cases_only ? kWelfareCase : "") + " ORDER BY a.person_id, a.fiscal_year",
        {after, last}, [&](const store::Row& r) {
          auto on = Date::parse(r.str(8).substr(0, 10));
          if (!on) {
            bad = fail(ErrorKind::internal, "a stored assessment's assessed_at is not a timestamp");
            return false;
          }
          rows.push_back(zeimu::AssessmentRow{r.str(0), r.str(1), static_cast<int>(r.i64(2)), static_cast<int>(r.i64(3)),
                                              static_cast<int>(r.i64(4)), r.i64(5), r.i64(6), r.str(7), *on});
          return true;
        });
    if (!q) return std::unexpected(q.error());
    if (!bad) return bad;
    sent.rows = static_cast<std::int64_t>(rows.size());
    if (!rows.empty()) {
      auto receipt = linkage::enqueue_outbound(
          c, clock,
          linkage::OutboundMessage{flow.flow_id, flow.counterpart, zeimu::write_assessment_file(rows), "text/csv", {},
                                   flow.purpose, fmt::format("job:{}", flow.flow_id),
                                   fmt::format("{}:assessments:{}-{}", flow.flow_id, after + 1, last)});
      if (!receipt) return std::unexpected(receipt.error());
      sent.exchange_id = receipt->exchange_id;
      if (receipt->created) {
        // The persons of the file, linked in one bulk insert (a yearly run's file holds every insured).
        std::set<std::string> persons;
        for (const auto& r : rows) persons.insert(r.person_id);
        auto it = persons.begin();
        auto linked = c.bulk_insert("exchange_person", {"exchange_id", "person_id"}, [&](store::Params& p) {
          if (it == persons.end()) return false;
          p = {receipt->exchange_id, *it++};
          return true;
        });
        if (!linked) return std::unexpected(linked.error());
      }
    }
    auto moved = c.exec("UPDATE event_cursor SET last_event_id = $1 WHERE consumer = $2", {last, std::string(flow.flow_id)});
    if (!moved) return std::unexpected(moved.error());
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return sent;
}

}  // namespace

Result<AssessmentsSent> send_assessments_to_welfare(store::Database& db, const Clock& clock, int limit) {
  return send(db, clock, kWelfare, limit);
}

Result<AssessmentsSent> send_assessments_to_tax(store::Database& db, const Clock& clock, int limit) {
  return send(db, clock, kTax, limit);
}

}  // namespace kaigo::premium
