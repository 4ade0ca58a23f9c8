// Days to decision (the users' main pain: the law says 30 days, cities average about 40): per
// month of decision, per stage, per assessment contractor and per medical institution. Every
// figure is aggregated in SQL (counts, sums, maxima, and the median through window functions, the
// same statement on SQLite and PostgreSQL); means and medians are integer tenths of a day.
#include <fmt/format.h>

#include "certification/application_internal.hpp"

namespace kaigo::certification {

namespace {

// Whole days from `a` to `b` (ISO date columns).
std::string days_sql(store::Dialect d, std::string_view a, std::string_view b) {
  if (d == store::Dialect::postgresql) return fmt::format("(CAST({} AS DATE) - CAST({} AS DATE))", b, a);
  return fmt::format("CAST(julianday({}) - julianday({}) AS INTEGER)", b, a);
}

// Tenths of sum / count, rounded half up (both non-negative).
std::int64_t tenths(std::int64_t sum, std::int64_t count) { return count > 0 ? (sum * 10 * 2 + count) / (count * 2) : 0; }

// Grouped statistics of an inner query yielding (grp, days, f1, f2): count, sum, max, the sums of
// the two flags, and the middle row(s) for the median. The row number and the partition's count
// share one window (one sort): with COUNT(*) OVER (PARTITION BY grp) alone PostgreSQL estimated a
// second window ~30× dearer, crossed jit_above_cost and spent 1.4 s compiling a 0.1 s query.
std::string stats_sql(const std::string& inner) {
  return "WITH d AS (" + inner +
         "), r AS (SELECT grp, days, f1, f2, ROW_NUMBER() OVER w AS rn, COUNT(*) OVER w AS n FROM d "
         "WINDOW w AS (PARTITION BY grp ORDER BY days ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) "
         "SELECT grp, COUNT(*), CAST(SUM(days) AS BIGINT), MAX(days), CAST(SUM(f1) AS BIGINT), CAST(SUM(f2) AS BIGINT), "
         "CAST(SUM(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN days ELSE 0 END) AS BIGINT), "
         "CAST(SUM(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN 1 ELSE 0 END) AS BIGINT) FROM r GROUP BY grp ORDER BY grp";
}

struct Grouped {
  std::string grp;
  DaysStats days;
  std::int64_t f1 = 0, f2 = 0;
};

Result<std::vector<Grouped>> grouped(store::Connection& c, const std::string& inner, const store::Params& params) {
  auto rows = c.query(stats_sql(inner), params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<Grouped> out;
  for (const auto& r : *rows) {
    Grouped g;
    g.grp = r.str(0);
    g.days.count = r.i64(1);
    g.days.mean_tenths = tenths(r.i64(2), r.i64(1));
    g.days.max_days = r.i64(3);
    g.f1 = r.i64(4);
    g.f2 = r.i64(5);
    g.days.median_tenths = tenths(r.i64(6), r.i64(7));
    out.push_back(std::move(g));
  }
  return out;
}

Result<Date> month_start(const std::string& text, const char* field) {
  auto d = Date::parse(text + "-01");
  if (text.size() != 7 || !d) return fail(ErrorKind::invalid_input, fmt::format("{} must be a month YYYY-MM", field), field);
  return *d;
}

}  // namespace

Result<Report> ApplicationService::report(std::optional<std::string> from_month, std::optional<std::string> to_month) {
  const Date this_month = clock_.today().first_of_month();
  Date from = this_month.add_months(-11), to = this_month;
  if (from_month) {
    auto f = month_start(*from_month, "from");
    if (!f) return std::unexpected(f.error());
    from = *f;
  }
  if (to_month) {
    auto t = month_start(*to_month, "to");
    if (!t) return std::unexpected(t.error());
    to = *t;
  }
  if (to < from) return fail(ErrorKind::invalid_input, "to is before from", "to");
  if (from.add_months(120) <= to) return fail(ErrorKind::invalid_input, "a report spans at most 120 months", "to");
  const std::string lo = from.iso(), hi = to.add_months(1).iso();  // [lo, hi)

  Report rep;
  rep.from_month = lo.substr(0, 7);
  rep.to_month = to.iso().substr(0, 7);
  auto read = db_.with_connection([&](store::Connection& c) -> Result<void> {
    const auto dialect = c.dialect();
    // Applications decided in the range. A transfer is decided on the certificate's terms without
    // a review (法36条): it has no days to decision and is left out.
    const std::string decided =
        " FROM certification_application a WHERE a.decided_on >= CAST($1 AS TEXT) AND a.decided_on < CAST($2 AS TEXT) "
        "AND a.kind <> 'transfer'";
    const std::string flags =
        "CASE WHEN a.decided_on <= a.deadline_on THEN 1 ELSE 0 END AS f1, CASE WHEN EXISTS (SELECT 1 FROM "
        "certification_postponement pp WHERE pp.application_id = a.application_id) THEN 1 ELSE 0 END AS f2";
    const std::string days = days_sql(dialect, "a.applied_on", "a.decided_on");
    auto months = grouped(c, fmt::format("SELECT SUBSTR(a.decided_on, 1, 7) AS grp, {} AS days, {}{}", days, flags, decided),
                          {lo, hi});
    if (!months) return std::unexpected(months.error());
    for (auto& g : *months) rep.months.push_back(MonthRow{g.grp, g.days, g.f1, g.f2});
    auto total = grouped(c, fmt::format("SELECT 'all' AS grp, {} AS days, {}{}", days, flags, decided), {lo, hi});
    if (!total) return std::unexpected(total.error());
    if (!total->empty()) {
      rep.total = total->front().days;
      rep.within_deadline = total->front().f1;
    }

    // Mean days per stage over the same applications (a stage counts where both its ends are set).
    struct StageDef {
      const char *stage, *label, *from, *to;
    };
    const StageDef defs[] = {
        {"application_to_assessment_request", "申請→調査依頼", "a.applied_on", "a.assessment_requested_on"},
        {"assessment", "調査依頼→調査結果", "a.assessment_requested_on", "a.assessment_received_on"},
        {"application_to_opinion_request", "申請→意見書依頼", "a.applied_on", "a.opinion_requested_on"},
        {"opinion", "意見書依頼→意見書", "a.opinion_requested_on", "a.opinion_received_on"},
        {"ready_to_committee", "揃い→審査会", "a.ready_on", "a.scheduled_on"},
        {"committee_to_decision", "審査会→決定", "a.scheduled_on", "a.decided_on"},
        {"decision_to_notice", "決定→通知", "a.decided_on", "a.notified_on"},
    };
    std::string select;
    for (const auto& d : defs)
      select += fmt::format("{0}CAST(SUM(CASE WHEN {1} IS NOT NULL AND {2} IS NOT NULL THEN {3} ELSE 0 END) AS BIGINT), "
                            "CAST(SUM(CASE WHEN {1} IS NOT NULL AND {2} IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT)",
                            select.empty() ? "" : ", ", d.from, d.to, days_sql(dialect, d.from, d.to));
    auto stage_row = c.query_one(fmt::format("SELECT {}{}", select, decided), {lo, hi});
    if (!stage_row) return std::unexpected(stage_row.error());
    for (std::size_t i = 0; i < std::size(defs); ++i) {
      const std::int64_t sum = *stage_row ? (*stage_row)->i64(2 * i) : 0, n = *stage_row ? (*stage_row)->i64(2 * i + 1) : 0;
      rep.stages.push_back(StageRow{defs[i].stage, defs[i].label, n, tenths(sum, n)});
    }

    // Contractors and institutions: request → result received, for results received in the range;
    // f1 counts results received after their due day.
    auto contractors = grouped(
        c,
        fmt::format("SELECT h.contractor_code AS grp, {} AS days, CASE WHEN h.received_on > h.due_on THEN 1 ELSE 0 END AS f1, "
                    "0 AS f2 FROM home_assessment h WHERE h.assessor_kind = 'contractor' AND h.status = 'received' AND "
                    "h.received_on >= CAST($1 AS TEXT) AND h.received_on < CAST($2 AS TEXT)",
                    days_sql(dialect, "h.requested_on", "h.received_on")),
        {lo, hi});
    if (!contractors) return std::unexpected(contractors.error());
    for (auto& g : *contractors) {
      const auto* k = config_.contractor(g.grp);
      rep.contractors.push_back(ProviderRow{g.grp, k ? k->name : "", g.days, g.f1});
    }
    auto institutions = grouped(
        c,
        fmt::format("SELECT o.institution_code AS grp, {} AS days, CASE WHEN o.received_on > o.due_on THEN 1 ELSE 0 END AS f1, "
                    "0 AS f2 FROM physician_opinion o WHERE o.status = 'received' AND o.received_on >= CAST($1 AS TEXT) AND "
                    "o.received_on < CAST($2 AS TEXT)",
                    days_sql(dialect, "o.requested_on", "o.received_on")),
        {lo, hi});
    if (!institutions) return std::unexpected(institutions.error());
    for (auto& g : *institutions) {
      const auto* k = config_.institution(g.grp);
      rep.institutions.push_back(ProviderRow{g.grp, k ? k->name : "", g.days, g.f1});
    }
    return {};
  });
  if (!read) return std::unexpected(read.error());
  return rep;
}

}  // namespace kaigo::certification
