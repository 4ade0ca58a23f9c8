// Renewals: the certifications ending soon and the 更新申請のお知らせ batch (renewal.hpp).
#include "certification/renewal.hpp"

#include <fmt/format.h>

#include "certification/certification_outputs_internal.hpp"

namespace kaigo::certification {

namespace {

constexpr const char* kJob = "certification_renewal_reminders";

// The current certifications ending in [$1, $2]: the person, the renewal or change application
// filed since the certification began (the lowest id, not withdrawn), the reminder sent.
constexpr const char* kDueQuery =
    "SELECT cc.certification_id, cc.person_id, p.name_kanji, p.name_kana, a.insured_no, cc.care_level, cc.valid_from, "
    "cc.valid_to, r.application_id, r.application_no, r.status, d.document_id, d.issued_on "
    "FROM care_certification cc JOIN person p ON p.person_id = cc.person_id "
    "JOIN certification_application a ON a.application_id = cc.application_id "
    "LEFT JOIN certification_application r ON r.application_id = (SELECT MIN(x.application_id) FROM certification_application x "
    "WHERE x.person_id = cc.person_id AND x.application_id <> cc.application_id AND x.status <> 'withdrawn' "
    "AND x.kind IN ('renewal', 'change') AND x.applied_on >= cc.valid_from) "
    "LEFT JOIN certification_document d ON d.once_key = 'renewal_reminder:' || CAST(cc.certification_id AS TEXT) "
    "WHERE cc.status = 'current' AND cc.valid_to >= $1 AND cc.valid_to <= $2 "
    "ORDER BY cc.valid_to, cc.certification_id";

Result<RenewalDue> due_of(const store::Row& r, const CertificationRulesVersion& rules, Date today) {
  RenewalDue d;
  d.certification_id = r.i64(0);
  d.person_id = r.str(1);
  d.name = r.str(2);
  d.name_kana = r.str(3);
  d.insured_no = r.str(4);
  d.care_level = r.str(5);
  auto from = Date::parse(r.str(6));
  auto to = Date::parse(r.str(7));
  if (!from || !to) return fail(ErrorKind::internal, "a stored certification has a date that is not a date");
  d.valid_from = *from;
  d.valid_to = *to;
  d.renewal_opens = renewal_opens(rules, *to);
  d.days_left = today.days_until(*to);
  d.renewal_application_id = r.opt_i64(8);
  d.renewal_application_no = r.str(9);
  d.renewal_application_status = r.str(10);
  d.reminder_document_id = r.opt_i64(11);
  if (!r.is_null(12)) {
    auto on = Date::parse(r.str(12));
    if (!on) return fail(ErrorKind::internal, "a stored reminder has a day that is not a date");
    d.reminded_on = *on;
  }
  return d;
}

Result<std::vector<RenewalDue>> query_due(store::Connection& c, const CertificationRulesVersion& rules, Date today, Date until,
                                          int limit, int offset) {
  auto rows = c.query(fmt::format("{} LIMIT $3 OFFSET $4", kDueQuery),
                      {today.iso(), until.iso(), static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset)});
  if (!rows) return std::unexpected(rows.error());
  std::vector<RenewalDue> out;
  for (const auto& r : *rows) {
    auto d = due_of(r, rules, today);
    if (!d) return std::unexpected(d.error());
    out.push_back(std::move(*d));
  }
  return out;
}

}  // namespace

Result<std::vector<RenewalDue>> renewals_due(store::Connection& c, const CertificationRules& rules, Date today,
                                             std::optional<int> within_days, int limit, int offset) {
  auto version = rules.on(today);
  if (!version) return std::unexpected(version.error());
  const int days = within_days.value_or((*version)->renewal_window_days);
  if (days < 0) return fail(ErrorKind::invalid_input, "within_days must be 0 or more", "within_days");
  return query_due(c, **version, today, today.add_days(days), limit, offset);
}

Result<ReminderRun> run_renewal_reminders(store::Database& db, const Clock& clock, const OutputContext& out,
                                          const std::filesystem::path& output_dir, const std::string& actor) {
  const Date today = clock.today();
  auto version = out.rules.on(today);
  if (!version) return std::unexpected(version.error());
  ReminderRun run;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    // A run whose file a crash left unwritten is finished first (below), with anything new added.
    auto left = detail::running_print_run(c, clock, kJob, actor, false);
    if (!left) return std::unexpected(left.error());
    run.batch_run_id = *left;
    // The window is open from renewal_opens(valid_to) (= valid_to − renewal_window_days + 1).
    auto due = query_due(c, **version, today, today.add_days((*version)->renewal_window_days), 1000000, 0);
    if (!due) return std::unexpected(due.error());
    std::vector<store::Params> rows;
    for (const auto& d : *due) {
      if (d.renewal_opens > today || d.renewal_application_id || d.reminder_document_id) continue;
      // Built and validated now, so nothing is recorded that cannot be printed.
      auto data = detail::renewal_reminder_of(c, out, d.certification_id, 0, today);
      if (!data) return std::unexpected(data.error());
      if (run.batch_run_id == 0) {
        auto opened = detail::running_print_run(c, clock, kJob, actor, true);
        if (!opened) return std::unexpected(opened.error());
        run.batch_run_id = *opened;
      }
      rows.push_back({d.person_id, d.certification_id, std::string("renewal_reminder"), today.iso(), actor, run.batch_run_id,
                      fmt::format("renewal_reminder:{}", d.certification_id)});
    }
    if (rows.empty()) return {};
    std::size_t next = 0;
    auto loaded = c.bulk_insert("certification_document",
                                {"person_id", "certification_id", "kind", "issued_on", "issued_by", "batch_run_id", "once_key"},
                                [&](store::Params& p) {
                                  if (next == rows.size()) return false;
                                  p = rows[next++];
                                  return true;
                                });
    if (!loaded) return std::unexpected(loaded.error());
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  if (run.batch_run_id == 0) return run;
  auto file = render_print_run(db, clock, out, run.batch_run_id,
                               output_dir / fmt::format("renewal-reminders-{}.pdf", run.batch_run_id));
  if (!file) return std::unexpected(file.error());
  run.output_path = *file;
  auto docs = db.query("SELECT document_id, person_id FROM certification_document WHERE batch_run_id = $1 ORDER BY document_id",
                       {run.batch_run_id});
  if (!docs) return std::unexpected(docs.error());
  for (const auto& r : *docs) {
    run.document_ids.push_back(r.i64(0));
    run.person_ids.push_back(r.str(1));
  }
  run.issued = static_cast<std::int64_t>(run.document_ids.size());
  return run;
}

}  // namespace kaigo::certification
