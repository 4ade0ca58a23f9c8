// SK-20: the register's published changes (eligibility_event, consumer "SK-20") of the welfare
// office's own cases sent to the welfare system as one CSV file of 介護資格異動 per run. The cursor
// moves in the same transaction as the outbound exchange — so a crash sends nothing twice and
// loses nothing — and also past events of persons not on assistance (welfare never needs them).
#include <set>

#include <nlohmann/json.hpp>
#include <fmt/format.h>

#include "eligibility/fukushi_service.hpp"
#include "eligibility/register.hpp"

namespace kaigo::eligibility::fukushi {

namespace {

Result<EligibilityChangeRow> row_of(const char* change, const nlohmann::json& p, const std::string& person_id,
                                    const std::string& insured_no) {
  auto str = [&](const char* k) { return p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : std::string(); };
  auto acquired = Date::parse(str("acquired_on"));
  if (!acquired) return fail(ErrorKind::internal, "a stored revision has a period without a valid acquired_on");
  std::optional<Date> lost;
  if (const std::string l = str("lost_on"); !l.empty()) {
    auto d = Date::parse(l);
    if (!d) return fail(ErrorKind::internal, "a stored revision has a period with a lost_on that is not a date");
    lost = *d;
  }
  return EligibilityChangeRow{insured_no, person_id, change, str("category"), *acquired, lost,
                              str("acquisition_reason"), str("loss_reason")};
}

// One row per period change of a revision: 取得 (added, the period as now), 変更 (changed, the
// period as now), 取消 (removed, the period as it was).
Result<void> rows_of(const nlohmann::json& changes, const std::string& person_id, const std::string& insured_no,
                     std::vector<EligibilityChangeRow>& out) {
  if (!changes.is_array()) return fail(ErrorKind::internal, "a stored revision's changes are not a JSON array");
  for (const auto& ch : changes) {
    const std::string kind = ch.is_object() ? ch.value("kind", "") : "";
    Result<EligibilityChangeRow> row = fail(ErrorKind::internal, "a stored change of unknown kind");
    if (kind == "added") row = row_of("取得", ch["after"], person_id, insured_no);
    else if (kind == "changed") row = row_of("変更", ch["after"], person_id, insured_no);
    else if (kind == "removed") row = row_of("取消", ch["before"], person_id, insured_no);
    if (!row) return std::unexpected(row.error());
    out.push_back(std::move(*row));
  }
  return {};
}

}  // namespace

Result<ChangesSent> send_eligibility_changes_to_welfare(store::Database& db, const Clock& clock, int limit) {
  ChangesSent sent;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto events = events_after_cursor(c, "SK-20", limit);
    if (!events) return std::unexpected(events.error());
    if (events->empty()) return {};
    const std::int64_t first = events->front().event_id, last = events->back().event_id;
    // Set-based: the events of the run whose person has assistance in force on the change's
    // effective day or later (valid_to is the first day off assistance). A person whose assistance
    // ended before the change is no longer a welfare case.
    auto rows = c.query(
        "SELECT e.person_id, r.changes, n.insured_no FROM eligibility_event e "
        "JOIN eligibility_revision r ON r.revision_id = e.revision_id "
        "LEFT JOIN insured_number n ON n.person_id = e.person_id "
        "WHERE e.event_id >= $1 AND e.event_id <= $2 AND EXISTS (SELECT 1 FROM public_assistance pa "
        "WHERE pa.person_id = e.person_id AND (pa.valid_to IS NULL OR pa.valid_to > e.effective_from)) "
        "ORDER BY e.event_id",
        {first, last});
    if (!rows) return std::unexpected(rows.error());
    std::vector<EligibilityChangeRow> out;
    std::set<std::string> persons;
    for (const auto& r : *rows) {
      const auto changes = nlohmann::json::parse(r.str(1), nullptr, false);
      if (auto a = rows_of(changes, r.str(0), r.opt_str(2).value_or(""), out); !a) return a;
      persons.insert(r.str(0));
    }
    sent.events = static_cast<int>(events->size());
    sent.rows = static_cast<int>(out.size());
    if (!out.empty()) {
      auto receipt = linkage::enqueue_outbound(
          c, clock,
          linkage::OutboundMessage{"SK-20", "fukushi", write_eligibility_change_file(out), "text/csv",
                                   std::vector<std::string>(persons.begin(), persons.end()),
                                   "介護資格異動 (取得・喪失) の提供 (SK-20)", "job:SK-20",
                                   fmt::format("SK-20:events:{}-{}", first, last)});
      if (!receipt) return std::unexpected(receipt.error());
      sent.exchange_id = receipt->exchange_id;
    }
    return advance_cursor(c, "SK-20", last);
  });
  if (!tx) return std::unexpected(tx.error());
  return sent;
}

}  // namespace kaigo::eligibility::fukushi
