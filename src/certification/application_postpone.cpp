// 延期通知 (介護保険法27条11項ただし書): when the decision cannot be made within the deadline, the
// city tells the applicant, within the deadline's days, the expected day (処理見込期日) and the
// reason. Each notice is a row of certification_postponement and a certification_document
// (postponement_notice) whose PDF is the 延期通知書; a later notice extends an earlier one.
#include <fmt/format.h>

#include "certification/application_internal.hpp"

namespace kaigo::certification {

Result<Postponement> ApplicationService::postpone(std::int64_t application_id, const std::string& reason, Date expected_on,
                                                  const std::string& actor) {
  const Date today = clock_.today();
  if (reason.empty()) return fail(ErrorKind::invalid_input, "the reason of the postponement (延期理由) is required", "reason");
  if (expected_on <= today)
    return fail(ErrorKind::invalid_input, fmt::format("expected_on must be after today ({})", today.iso()), "expected_on");
  if (today.add_days(kMaxPostponementDays) < expected_on)
    return fail(ErrorKind::invalid_input,
                fmt::format("expected_on must be within {} days (by {})", kMaxPostponementDays,
                            today.add_days(kMaxPostponementDays).iso()),
                "expected_on");
  Postponement out;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto locked = detail::lock_application(c, application_id);
    if (!locked) return std::unexpected(locked.error());
    const auto& [status, person_id] = *locked;
    if (status == "decided" || status == "notified")
      return fail(ErrorKind::conflict, "the application is decided: there is nothing to postpone", "application_id");
    if (status == "withdrawn") return fail(ErrorKind::conflict, "the application is withdrawn", "application_id");
    auto deadline_row = c.query_one("SELECT deadline_on FROM certification_application WHERE application_id = $1", {application_id});
    if (!deadline_row) return std::unexpected(deadline_row.error());
    auto deadline_on = Date::parse((*deadline_row)->str(0));
    if (!deadline_on) return fail(ErrorKind::internal, "an application with a malformed deadline");
    // The notice moves the decision past the deadline; a day within it needs no notice.
    if (expected_on <= *deadline_on)
      return fail(ErrorKind::invalid_input,
                  fmt::format("expected_on must be after the deadline {} (a decision by then needs no 延期通知)", deadline_on->iso()),
                  "expected_on");
    auto made = c.query_one(
        "INSERT INTO certification_postponement (application_id, reason, expected_on, issued_on, issued_by) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING postponement_id",
        {application_id, reason, expected_on.iso(), today.iso(), actor});
    if (!made) return std::unexpected(made.error());
    const std::int64_t id = (*made)->i64(0);
    auto doc = c.query_one(
        "INSERT INTO certification_document (person_id, application_id, kind, issued_on, issued_by, once_key) "
        "VALUES ($1, $2, 'postponement_notice', $3, $4, $5) RETURNING document_id",
        {person_id, application_id, today.iso(), actor, fmt::format("postponement_notice:{}", id)});
    if (!doc) return std::unexpected(doc.error());
    auto touched = c.exec("UPDATE certification_application SET updated_at = $1 WHERE application_id = $2",
                          {clock_.timestamp(), application_id});
    if (!touched) return std::unexpected(touched.error());
    out = Postponement{id, application_id, reason, expected_on, today, actor, (*doc)->i64(0)};
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

}  // namespace kaigo::certification
