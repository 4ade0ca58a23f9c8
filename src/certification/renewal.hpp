#pragma once
// Renewals (更新): the current certifications ending soon, and the 更新申請のお知らせ sent to the
// persons who have not applied when their renewal window opens (施行規則: 更新申請は有効期間満了の
// 60日前から — renewal_window_days of the rule file). docs/certification.md "Renewals".
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "certification/certification_outputs.hpp"
#include "certification/rules.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::certification {

struct RenewalDue {
  std::int64_t certification_id = 0;
  std::string person_id, name, name_kana, insured_no;
  std::string care_level;
  Date valid_from, valid_to;
  Date renewal_opens;  // the first day a renewal may be applied for
  int days_left = 0;   // valid_to − today
  // A renewal or change application filed since the certification began (not withdrawn).
  std::optional<std::int64_t> renewal_application_id;
  std::string renewal_application_no, renewal_application_status;
  // The reminder sent for this certification, if any.
  std::optional<std::int64_t> reminder_document_id;
  std::optional<Date> reminded_on;
};

// The current certifications ending within [today, today + within_days] (default: the rules'
// renewal_window_days on today), soonest first. invalid_input for a negative within_days.
Result<std::vector<RenewalDue>> renewals_due(store::Connection& c, const CertificationRules& rules, Date today,
                                             std::optional<int> within_days, int limit, int offset);

struct ReminderRun {
  std::int64_t batch_run_id = 0;  // 0: nobody was due and no run was open
  std::int64_t issued = 0;        // reminders of this run
  std::vector<std::int64_t> document_ids;
  std::vector<std::string> person_ids;
  std::string output_path;        // the print file; "" when nothing was issued
};

// Issues the 更新申請のお知らせ to every current certification whose renewal window is open today
// and that has no renewal/change application, once per certification, into one print file
// (<output_dir>/renewal-reminders-<run>.pdf). Resumable: a run whose file was not written (a
// crash) is rendered by the next call before anything new is issued.
Result<ReminderRun> run_renewal_reminders(store::Database& db, const Clock& clock, const OutputContext& out,
                                          const std::filesystem::path& output_dir, const std::string& actor);

}  // namespace kaigo::certification
