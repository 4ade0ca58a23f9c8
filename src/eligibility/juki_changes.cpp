// SK-18: the register's published changes (eligibility_event, consumer "SK-18") sent back to the
// resident registry as one CSV file of 介護資格異動 per run, the cursor moved in the same
// transaction as the outbound exchange — so a crash sends nothing twice and loses nothing.
#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include <fmt/format.h>

#include "eligibility/juki_service.hpp"
#include "eligibility/register.hpp"

namespace kaigo::eligibility::juki {

namespace {

std::string label(const std::string& reason) {
  static const std::map<std::string, std::string> labels{
      {"reaching_65", "65歳到達"},
      {"reaching_40_with_medical_insurance", "40歳到達"},
      {"move_in", "転入"},
      {"medical_insurance_gained", "医療保険加入"},
      {"left_exempt_facility", "適用除外施設退所"},
      {"former_address_rule_ended", "住所地特例終了"},
      {"category_change", "第1号到達"},
      {"move_out_domestic", "転出"},
      {"emigration", "国外転出"},
      {"death", "死亡"},
      {"medical_insurance_lost", "医療保険喪失"},
      {"entered_exempt_facility", "適用除外施設入所"},
      {"former_address_rule_elsewhere", "住所地特例 (他市町村)"},
      {"withdrawn", "取消"},
  };
  auto it = labels.find(reason);
  return it == labels.end() ? reason : it->second;
}

Result<void> rows_of(const nlohmann::json& change, const std::string& person_id, const std::string& insured_no,
                     std::vector<EligibilityChangeRow>& out) {
  auto date = [](const nlohmann::json& v) -> Result<Date> {
    if (!v.is_string()) return fail(ErrorKind::internal, "a stored revision has no date");
    auto d = Date::parse(v.get<std::string>());
    if (!d) return fail(ErrorKind::internal, "a stored revision holds a date that is not one");
    return *d;
  };
  auto add = [&](const char* what, const nlohmann::json& p, const nlohmann::json& on, const std::string& reason) -> Result<void> {
    auto d = date(on);
    if (!d) return std::unexpected(d.error());
    out.push_back(EligibilityChangeRow{insured_no, person_id, what, *d, p.value("category", ""), reason, label(reason)});
    return {};
  };
  const std::string kind = change.value("kind", "");
  const auto& before = change["before"];
  const auto& after = change["after"];
  auto str = [](const nlohmann::json& p, const char* k) { return p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : ""; };
  if (kind == "added") {
    if (auto a = add("取得", after, after["acquired_on"], str(after, "acquisition_reason")); !a) return a;
    if (after["lost_on"].is_string())
      if (auto a = add("喪失", after, after["lost_on"], str(after, "loss_reason")); !a) return a;
  } else if (kind == "removed") {
    if (auto a = add("取消", before, before["acquired_on"], "withdrawn"); !a) return a;
  } else if (kind == "changed") {
    if (before["acquired_on"] != after["acquired_on"] || before["category"] != after["category"] ||
        before["acquisition_reason"] != after["acquisition_reason"])
      if (auto a = add("取得", after, after["acquired_on"], str(after, "acquisition_reason")); !a) return a;
    if (before["lost_on"] != after["lost_on"] || before["loss_reason"] != after["loss_reason"]) {
      if (after["lost_on"].is_string()) {
        if (auto a = add("喪失", after, after["lost_on"], str(after, "loss_reason")); !a) return a;
      } else if (auto a = add("喪失取消", before, before["lost_on"], str(before, "loss_reason")); !a) {
        return a;
      }
    }
  }
  return {};
}

}  // namespace

Result<ChangesSent> send_eligibility_changes(store::Database& db, const Clock& clock, int limit) {
  ChangesSent sent;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    // Two server instances running this job: the second waits here and then sees the moved cursor.
    auto locked = c.query_one(fmt::format("SELECT last_event_id FROM event_cursor WHERE consumer = 'SK-18'{}", c.for_update()));
    if (!locked) return std::unexpected(locked.error());
    auto events = events_after_cursor(c, "SK-18", limit);
    if (!events) return std::unexpected(events.error());
    if (events->empty()) return {};
    std::vector<EligibilityChangeRow> rows;
    std::set<std::string> persons;
    for (const auto& ev : *events) {
      // One revision and one number per event; a run is at most `limit` events, bounded work.
      auto rev = c.query_one(
          "SELECT r.changes, n.insured_no FROM eligibility_revision r LEFT JOIN insured_number n "
          "ON n.person_id = r.person_id WHERE r.revision_id = $1",
          {ev.revision_id});
      if (!rev) return std::unexpected(rev.error());
      if (!*rev) continue;
      const auto changes = nlohmann::json::parse((*rev)->str(0), nullptr, false);
      if (!changes.is_array()) return fail(ErrorKind::internal, "a stored revision's changes are not a JSON array");
      for (const auto& ch : changes)
        if (auto r = rows_of(ch, ev.person_id, (*rev)->str(1), rows); !r) return r;
      persons.insert(ev.person_id);
    }
    sent.events = static_cast<int>(events->size());
    sent.rows = static_cast<int>(rows.size());
    const std::int64_t last = events->back().event_id;
    if (!rows.empty()) {
      auto receipt = linkage::enqueue_outbound(
          c, clock,
          linkage::OutboundMessage{"SK-18", "juki", write_eligibility_change_file(rows), "text/csv",
                                   std::vector<std::string>(persons.begin(), persons.end()),
                                   "介護資格異動 (取得・喪失) の提供 (SK-18)", "job:SK-18",
                                   fmt::format("SK-18:events:{}-{}", events->front().event_id, last)});
      if (!receipt) return std::unexpected(receipt.error());
      sent.exchange_id = receipt->exchange_id;
    }
    return advance_cursor(c, "SK-18", last);
  });
  if (!tx) return std::unexpected(tx.error());
  return sent;
}

}  // namespace kaigo::eligibility::juki
