// KY-02: the care-plan events after the cursor as one CSV to fukushi and shinsa (care_plan_provision.hpp).
#include "benefit/care_plan_provision.hpp"

#include <set>

#include <fmt/format.h>

#include "benefit/care_plan.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::benefit {

namespace {

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  return out + "\r\n";
}

std::string compact(const std::string& iso) {
  std::string out;
  for (char ch : iso)
    if (ch != '-') out += ch;
  return out;
}

// 作成区分 as the KY-03 layout codes it (1 居宅介護支援, 2 介護予防支援, 3 自己作成).
std::string kind_code(const std::string& k) {
  if (k == "home_care") return "1";
  if (k == "prevention") return "2";
  if (k == "self") return "3";
  return "";
}

std::string status_label(const std::string& s) {
  if (s == "current") return "適用中";
  if (s == "ended") return "終了";
  if (s == "cancelled") return "取消";
  return "";
}

}  // namespace

const std::vector<std::string>& care_plan_file_header() {
  static const std::vector<std::string> h = {"事象番号",         "宛名番号",       "被保険者番号",   "届出番号",
                                             "計画作成区分",     "計画作成区分名称", "事業所番号",     "届出年月日",
                                             "適用開始年月日",   "適用終了年月日", "届出状態",       "届出状態名称"};
  return h;
}

std::string write_care_plan_file(const std::vector<CarePlanProvisionRow>& rows) {
  std::string out = csv_line(care_plan_file_header());
  for (const auto& r : rows)
    out += csv_line({std::to_string(r.event_id), r.person_id, r.insured_no, std::to_string(r.care_plan_id),
                     kind_code(r.plan_kind), care_plan_kind_label(r.plan_kind), r.office_no, compact(r.notified_on),
                     compact(r.valid_from), compact(r.valid_to), r.status, status_label(r.status)});
  return out;
}

Result<CarePlansSent> send_care_plans(store::Database& db, const Clock& clock, const std::string& actor, int limit) {
  CarePlansSent sent;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto cursor = c.query_one(fmt::format("SELECT last_event_id FROM event_cursor WHERE consumer = 'KY-02'{}", c.for_update()));
    if (!cursor) return std::unexpected(cursor.error());
    if (!*cursor) return fail(ErrorKind::internal, "no event_cursor row for KY-02 (migration 016)");
    // The writers' lock: after taking it every event with a smaller id than a visible one is visible.
    auto lock = c.query_one(
        fmt::format("SELECT next_value FROM number_sequence WHERE name = 'recipient_event_lock'{}", c.for_update()));
    if (!lock) return std::unexpected(lock.error());
    const std::int64_t after = (*cursor)->i64(0);
    sent.cursor = after;
    std::vector<CarePlanProvisionRow> rows;
    std::int64_t last = after;
    Result<void> bad;
    auto q = c.query_each(
        "SELECT e.event_id, e.kind, e.person_id, i.insured_no, p.care_plan_id, p.plan_kind, p.office_no, p.notified_on, "
        "p.valid_from, p.valid_to, p.status FROM (SELECT event_id, kind, person_id, ref_id FROM recipient_event "
        "WHERE event_id > $1 ORDER BY event_id LIMIT $2) e "
        "LEFT JOIN care_plan p ON e.kind = 'care_plan' AND p.care_plan_id = e.ref_id "
        "LEFT JOIN insured_number i ON i.person_id = e.person_id ORDER BY e.event_id",
        {after, std::int64_t{limit}}, [&](const store::Row& r) {
          ++sent.events;
          last = r.i64(0);
          if (r.str(1) != "care_plan") return true;
          if (r.is_null(4)) {
            bad = fail(ErrorKind::internal, fmt::format("recipient_event {} names a care plan that does not exist", r.i64(0)));
            return false;
          }
          rows.push_back(CarePlanProvisionRow{r.i64(0), r.str(2), r.str(3), r.i64(4), r.str(5), r.str(6), r.str(7), r.str(8),
                                              r.str(9), r.str(10)});
          return true;
        });
    if (!q) return std::unexpected(q.error());
    if (!bad) return bad;
    if (sent.events == 0) return {};
    if (!rows.empty()) {
      const std::int64_t first = rows.front().event_id, final_row = rows.back().event_id;
      std::set<std::string> persons;
      for (const auto& r : rows) persons.insert(r.person_id);
      const std::string payload = write_care_plan_file(rows);
      for (const char* counterpart : {"fukushi", "shinsa"}) {
        auto receipt = linkage::enqueue_outbound(
            c, clock,
            linkage::OutboundMessage{"KY-02", counterpart, payload, "text/csv",
                                     std::vector<std::string>(persons.begin(), persons.end()), "ケアプラン情報の提供 (KY-02)",
                                     actor, fmt::format("KY-02:{}:events:{}-{}", counterpart, first, final_row)});
        if (!receipt) return std::unexpected(receipt.error());
        (std::string(counterpart) == "fukushi" ? sent.fukushi_exchange_id : sent.shinsa_exchange_id) = receipt->exchange_id;
      }
      sent.rows = static_cast<std::int64_t>(rows.size());
    }
    auto moved = c.exec("UPDATE event_cursor SET last_event_id = $1 WHERE consumer = 'KY-02' AND last_event_id = $2", {last, after});
    if (!moved) return std::unexpected(moved.error());
    if (*moved != 1) return fail(ErrorKind::conflict, "the KY-02 cursor moved during the run; run again");
    sent.cursor = last;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return sent;
}

}  // namespace kaigo::benefit
