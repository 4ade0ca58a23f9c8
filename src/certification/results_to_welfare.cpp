// NT-14: the certification events after the cursor as one CSV to fukushi (results_to_welfare.hpp).
#include "certification/results_to_welfare.hpp"

#include <set>

#include <fmt/format.h>

#include "certification/rules.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::certification {

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

// 要介護状態区分コード of the national interface (受給者異動連絡票, 介護保険事務処理システム
// 変更に係る参考資料 — the code the welfare system's own 介護 records use): 01 非該当, 12 要支援1,
// 13 要支援2, 21 要介護1 … 25 要介護5.
std::string national_level_code(CareLevel l) {
  switch (l) {
    case CareLevel::none: return "01";
    case CareLevel::support_1: return "12";
    case CareLevel::support_2: return "13";
    case CareLevel::care_1: return "21";
    case CareLevel::care_2: return "22";
    case CareLevel::care_3: return "23";
    case CareLevel::care_4: return "24";
    case CareLevel::care_5: return "25";
  }
  return "";
}

std::string event_label(const std::string& kind) {
  if (kind == "granted") return "認定";
  if (kind == "superseded") return "終了";  // ended by a renewal or a change of level (更新・区分変更)
  if (kind == "cancelled") return "取消";
  return "";
}

}  // namespace

const std::vector<std::string>& results_to_welfare_header() {
  static const std::vector<std::string> h = {"事象番号",     "異動区分",       "異動区分名称",   "宛名番号",
                                             "被保険者番号", "認定番号",       "申請番号",       "申請区分",
                                             "申請区分名称", "要介護状態区分コード", "要介護度", "要介護度名称",
                                             "有効期間開始日", "有効期間終了日", "認定年月日", "区分支給限度基準額",
                                             "認定状態"};
  return h;
}

std::string write_results_to_welfare_file(const std::vector<WelfareResultRow>& rows) {
  std::string out = csv_line(results_to_welfare_header());
  for (const auto& r : rows) {
    auto level = care_level_from_code(r.care_level);
    auto kind = application_kind_from_code(r.application_kind);
    out += csv_line({std::to_string(r.event_id), r.event_kind, event_label(r.event_kind), r.person_id, r.insured_no,
                     std::to_string(r.certification_id), r.application_no, r.application_kind,
                     kind ? std::string(label(*kind)) : "", level ? national_level_code(*level) : "", r.care_level,
                     level ? std::string(label(*level)) : "", r.valid_from.compact(), r.valid_to.compact(),
                     r.certified_on.compact(), std::to_string(r.monthly_cap_units), r.status});
  }
  return out;
}

Result<ResultsSent> send_results_to_welfare(store::Database& db, const Clock& clock, const std::string& actor, int limit) {
  ResultsSent sent;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    // Two instances running this job: the second waits here and then sees the moved cursor.
    auto cursor = c.query_one(fmt::format("SELECT last_event_id FROM event_cursor WHERE consumer = 'NT-14'{}", c.for_update()));
    if (!cursor) return std::unexpected(cursor.error());
    if (!*cursor) return fail(ErrorKind::internal, "no event_cursor row for NT-14 (migration 014)");
    // The writers' lock: a decision writing events holds it until commit, so after taking it every
    // event with a smaller id than a visible one is visible too.
    auto lock = c.query_one(
        fmt::format("SELECT next_value FROM number_sequence WHERE name = 'certification_event_lock'{}", c.for_update()));
    if (!lock) return std::unexpected(lock.error());
    const std::int64_t after = (*cursor)->i64(0);
    sent.cursor = after;
    std::vector<WelfareResultRow> rows;
    Result<void> bad;
    auto q = c.query_each(
        "SELECT e.event_id, e.kind, e.person_id, a.insured_no, cc.certification_id, a.application_no, a.kind, cc.care_level, "
        "cc.valid_from, cc.valid_to, cc.certified_on, cc.monthly_cap_units, cc.status "
        "FROM certification_event e JOIN care_certification cc ON cc.certification_id = e.certification_id "
        "JOIN certification_application a ON a.application_id = cc.application_id "
        "WHERE e.event_id > $1 ORDER BY e.event_id LIMIT $2",
        {after, std::int64_t{limit}}, [&](const store::Row& r) {
          auto from = Date::parse(r.str(8));
          auto to = Date::parse(r.str(9));
          auto on = Date::parse(r.str(10));
          if (!from || !to || !on) {
            bad = fail(ErrorKind::internal, fmt::format("certification {} has a stored date that is not a date", r.i64(4)));
            return false;
          }
          rows.push_back(WelfareResultRow{r.i64(0), r.str(1), r.str(2), r.str(3), r.i64(4), r.str(5), r.str(6), r.str(7),
                                          *from, *to, *on, r.i64(11), r.str(12)});
          return true;
        });
    if (!q) return std::unexpected(q.error());
    if (!bad) return bad;
    // An event whose certification is missing would be skipped by the join and then passed by the
    // cursor: refuse instead (nothing sent, the cursor stays).
    auto count = c.query_one(
        "SELECT COUNT(*), COALESCE(MAX(event_id), 0) FROM (SELECT event_id FROM certification_event WHERE event_id > $1 "
        "ORDER BY event_id LIMIT $2) t",
        {after, std::int64_t{limit}});
    if (!count) return std::unexpected(count.error());
    sent.events = (*count)->i64(0);
    if (sent.events == 0) return {};
    if (sent.events != static_cast<std::int64_t>(rows.size()))
      return fail(ErrorKind::internal, fmt::format("{} certification events after {} have no certification or application",
                                                   sent.events - static_cast<std::int64_t>(rows.size()), after));
    const std::int64_t first = rows.front().event_id, last = rows.back().event_id;
    std::set<std::string> persons;
    for (const auto& r : rows) persons.insert(r.person_id);
    auto receipt = linkage::enqueue_outbound(
        c, clock,
        linkage::OutboundMessage{"NT-14", "fukushi", write_results_to_welfare_file(rows), "text/csv",
                                 std::vector<std::string>(persons.begin(), persons.end()), "認定結果情報の提供 (NT-14)", actor,
                                 fmt::format("NT-14:events:{}-{}", first, last)});
    if (!receipt) return std::unexpected(receipt.error());
    sent.rows = static_cast<std::int64_t>(rows.size());
    sent.exchange_id = receipt->exchange_id;
    auto moved = c.exec("UPDATE event_cursor SET last_event_id = $1 WHERE consumer = 'NT-14' AND last_event_id = $2",
                        {last, after});
    if (!moved) return std::unexpected(moved.error());
    if (*moved != 1) return fail(ErrorKind::conflict, "the NT-14 cursor moved during the run; run again");
    sent.cursor = last;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return sent;
}

}  // namespace kaigo::certification
