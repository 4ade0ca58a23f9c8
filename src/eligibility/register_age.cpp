// 年齢到達 (reaching 40 or 65): re-derives the persons whose age arrival comes into the register's
// horizon, month by month (register.hpp, run_age_arrivals).
#include <fmt/format.h>

#include "eligibility/register.hpp"
#include "eligibility/rules.hpp"

namespace kaigo::eligibility {

namespace {

constexpr const char* kJob = "age_arrivals";

std::string month_key(Date d) { return d.iso().substr(0, 7); }

// Re-derives everyone reaching `age` in the month starting `first`; a transaction per 500 persons.
Result<RebuildReport> arrivals_of(store::Database& db, const Clock& clock, const ChangeSource& source, Date first, int age) {
  const Date last = first.last_of_month();
  // 民法143条: reached the day before the birthday, so the birthdays are one day later; read a day
  // wider on each side and filter exactly.
  const Date birth_from = first.add_months(-age * 12).add_days(-1);
  const Date birth_to = last.add_months(-age * 12).add_days(2);
  std::vector<std::string> ids;
  auto rows = db.query("SELECT person_id, birth_date FROM person WHERE birth_date >= $1 AND birth_date <= $2 ORDER BY person_id",
                       {birth_from.iso(), birth_to.iso()});
  if (!rows) return std::unexpected(rows.error());
  for (const auto& r : *rows) {
    auto birth = Date::parse(r.str(1));
    if (!birth) return fail(ErrorKind::internal, "a stored birth date is not a date");
    const Date at = date_reaching(*birth, age);
    if (at >= first && at <= last) ids.push_back(r.str(0));
  }
  RebuildReport report;
  for (std::size_t i = 0; i < ids.size(); i += 500) {
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      for (std::size_t k = i; k < std::min(ids.size(), i + 500); ++k) {
        auto o = rederive(c, clock, ids[k], source);
        if (!o) return std::unexpected(o.error());
        ++report.persons;
        if (o->revision_id) ++report.changed;
        if (o->issued_insured_no) ++report.numbers_issued;
        report.periods += static_cast<std::int64_t>(o->periods.size());
      }
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
  }
  return report;
}

}  // namespace

Result<RebuildReport> run_age_arrivals(store::Database& db, const Clock& clock, const std::string& actor) {
  const Date horizon_month = register_horizon(clock.today()).first_of_month();
  auto last = db.query("SELECT MAX(run_key) FROM batch_run WHERE job = $1 AND status = 'done'", {std::string(kJob)});
  if (!last) return std::unexpected(last.error());
  Date month = horizon_month;
  if (auto key = last->front().opt_str(0)) {
    auto done = Date::parse(*key + "-01");
    if (!done) return fail(ErrorKind::internal, "a stored age_arrivals key is not a month");
    if (*done >= horizon_month) return RebuildReport{};
    month = done->add_months(1);
  }
  RebuildReport total;
  for (; month <= horizon_month; month = month.add_months(1)) {
    const std::string key = month_key(month);
    const ChangeSource source{"batch", std::nullopt, std::nullopt, actor, fmt::format("年齢到達 ({})", key)};
    for (int age : {40, 65}) {
      auto r = arrivals_of(db, clock, source, month, age);
      if (!r) return std::unexpected(r.error());
      total.persons += r->persons;
      total.changed += r->changed;
      total.periods += r->periods;
      total.numbers_issued += r->numbers_issued;
    }
    auto mark = db.exec(
        "INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, finished_at, started_by) "
        "VALUES ($1, $2, 'done', '', $3, $4, $4, $5) ON CONFLICT (job, run_key) DO UPDATE SET status = 'done'",
        {std::string(kJob), key, total.changed, clock.timestamp(), actor});
    if (!mark) return std::unexpected(mark.error());
  }
  return total;
}

}  // namespace kaigo::eligibility
