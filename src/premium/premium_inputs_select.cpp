// Who the premium asks other institutions about, for one fiscal year (docs/premium-inputs.md):
// set-based reads of the register and the city's inputs, a handful of statements for the whole
// city (never one per person).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "premium/premium_inputs.hpp"

namespace kaigo::premium {

const std::vector<PremiumInputKind>& premium_input_kinds() {
  static const std::vector<PremiumInputKind> kinds{
      {"city_local_tax", "FK-03", "FK-04", "地方税情報 (1月1日の住所地)"},
      {"city_household", "FK-05", "FK-06", "世帯員情報 (世帯員の住民税課税状況)"},
      {"nenkin_old_age_welfare", "FK-07", "FK-08", "老齢福祉年金受給情報"},
      {"pref_public_assistance", "FK-09", "FK-10", "生活保護・中国残留邦人等支援給付情報"},
  };
  return kinds;
}

const PremiumInputKind* premium_input_kind(std::string_view kind) {
  for (const auto& k : premium_input_kinds())
    if (k.inquiry_kind == kind) return &k;
  return nullptr;
}

std::pair<Date, Date> inquiry_period(std::string_view kind, int fiscal_year) {
  // 前年所得: the premium of FY uses the income of calendar year FY−1 (介護保険法施行令38条1項),
  // taxed by the FY 住民税 of the municipality of 1 January of FY.
  if (kind == "city_local_tax" || kind == "city_household") return {Date(fiscal_year - 1, 1, 1), Date(fiscal_year - 1, 12, 31)};
  return {Date(fiscal_year, 4, 1), Date(fiscal_year + 1, 3, 31)};
}

std::string inquiry_purpose(int fiscal_year, std::string_view request_flow) {
  return fmt::format("介護保険料 {}年度 賦課 ({})", fiscal_year, request_flow);
}

namespace {

// The first category-1 acquisition among the periods touching FY of the person in `alias`
// ($1 = 1 April FY, $2 = 1 April FY+1); NULL when the person is not category-1 insured in FY.
std::string first_acquisition(const char* alias) {
  return fmt::format(
      "(SELECT MIN(ep.acquired_on) FROM eligibility_period ep WHERE ep.person_id = {}.person_id AND ep.category = '1' "
      "AND ep.acquired_on < CAST($2 AS TEXT) AND (ep.lost_on IS NULL OR ep.lost_on > CAST($1 AS TEXT)))",
      alias);
}

// Not resident here on 1 January ($3): no registry row of the person covering that day.
std::string not_resident_on_january_1(const char* alias) {
  return fmt::format(
      "NOT EXISTS (SELECT 1 FROM person_history h WHERE h.person_id = {0}.person_id AND h.registry_status = 'resident' "
      "AND h.valid_from <= CAST($3 AS TEXT) AND (h.valid_to IS NULL OR h.valid_to > CAST($3 AS TEXT)))",
      alias);
}

// The 賦課基準日: 1 April, or the first acquisition when it comes later in the year.
Date base_date_of(const std::string& first_acquired, Date fy_start) {
  auto d = Date::parse(first_acquired);
  return d && fy_start < *d ? *d : fy_start;
}

}  // namespace

Result<std::vector<InputTarget>> select_targets(store::Connection& c, const PremiumInputsConfig& config, int fiscal_year,
                                                const std::optional<std::string>& person_id) {
  if (fiscal_year < 2000 || fiscal_year > 2999) return fail(ErrorKind::invalid_input, "fiscal_year must be 2000…2999", "fiscal_year");
  const Date fy_start(fiscal_year, 4, 1), fy_end(fiscal_year + 1, 4, 1), january_1(fiscal_year, 1, 1);
  const std::string who = person_id.value_or("");
  std::map<std::pair<std::string, std::string>, InputTarget> out;  // (kind, person) → target
  auto add = [&](const char* kind, const std::string& pid, const char* reason, const std::string& municipality,
                 const std::string& first_acquired) {
    out.try_emplace({kind, pid}, InputTarget{pid, kind, reason, municipality, base_date_of(first_acquired, fy_start)});
  };

  // FK-03/05 and FK-09: people who moved in after 1 January of FY (and were not resident here on
  // that day). The earliest such move names the municipality they came from: their 1 January one.
  auto movers = c.query(
      fmt::format("SELECT person_id, former_municipality_code, first_acq FROM (SELECT o.person_id, o.former_municipality_code, "
                  "o.moved_in_on, o.person_origin_id, {} AS first_acq FROM person_origin o WHERE o.moved_in_on > CAST($3 AS TEXT) "
                  "AND o.moved_in_on < CAST($2 AS TEXT) AND (CAST($4 AS TEXT) = '' OR o.person_id = CAST($4 AS TEXT)) AND {}) x "
                  "WHERE first_acq IS NOT NULL ORDER BY person_id, moved_in_on, person_origin_id",
                  first_acquisition("o"), not_resident_on_january_1("o")),
      {fy_start.iso(), fy_end.iso(), january_1.iso(), who});
  if (!movers) return std::unexpected(movers.error());
  std::string last;
  for (const auto& r : *movers) {
    if (r.str(0) == last) continue;  // the earliest move after 1 January only
    last = r.str(0);
    add("city_local_tax", r.str(0), kReasonMovedIn, r.str(1), r.str(2));
    add("city_household", r.str(0), kReasonMovedIn, r.str(1), r.str(2));
    if (config.welfare_run_by_prefecture(r.str(1)))
      add("pref_public_assistance", r.str(0), kReasonPrefectureWelfare, r.str(1), r.str(2));
  }

  // FK-03/05: this city's insured living in a facility in another municipality on 1 January
  // (住所地特例, 介護保険法13条): their 住民税 is that municipality's.
  auto elsewhere_jan = c.query(
      fmt::format("SELECT person_id, facility_municipality_code, first_acq FROM (SELECT r.person_id, "
                  "r.facility_municipality_code, r.started_on, r.rule_id, {} AS first_acq FROM former_address_rule r "
                  "WHERE r.direction = 'ours_living_elsewhere' AND r.started_on <= CAST($3 AS TEXT) AND "
                  "(r.ended_on IS NULL OR r.ended_on > CAST($3 AS TEXT)) AND (CAST($4 AS TEXT) = '' OR r.person_id = "
                  "CAST($4 AS TEXT)) AND {}) x WHERE first_acq IS NOT NULL ORDER BY person_id, started_on DESC, rule_id DESC",
                  first_acquisition("r"), not_resident_on_january_1("r")),
      {fy_start.iso(), fy_end.iso(), january_1.iso(), who});
  if (!elsewhere_jan) return std::unexpected(elsewhere_jan.error());
  for (const auto& r : *elsewhere_jan) {
    add("city_local_tax", r.str(0), kReasonLivingElsewhere, r.str(1), r.str(2));
    add("city_household", r.str(0), kReasonLivingElsewhere, r.str(1), r.str(2));
  }

  // FK-09: insured living in another municipality's facility at any time of FY: their welfare is
  // run where they live, which kaigo cannot see locally.
  auto elsewhere_fy = c.query(
      fmt::format("SELECT person_id, facility_municipality_code, first_acq FROM (SELECT r.person_id, "
                  "r.facility_municipality_code, r.started_on, r.rule_id, {} AS first_acq FROM former_address_rule r "
                  "WHERE r.direction = 'ours_living_elsewhere' AND r.started_on < CAST($2 AS TEXT) AND "
                  "(r.ended_on IS NULL OR r.ended_on > CAST($1 AS TEXT)) AND (CAST($3 AS TEXT) = '' OR r.person_id = "
                  "CAST($3 AS TEXT))) x WHERE first_acq IS NOT NULL ORDER BY person_id, started_on DESC, rule_id DESC",
                  first_acquisition("r")),
      {fy_start.iso(), fy_end.iso(), who});
  if (!elsewhere_fy) return std::unexpected(elsewhere_fy.error());
  for (const auto& r : *elsewhere_fy) add("pref_public_assistance", r.str(0), kReasonLivingElsewhere, r.str(1), r.str(2));

  // FK-07: the birth cohorts of 老齢福祉年金 (config) …
  if (auto latest = config.latest_cohort_birth()) {
    auto cohort = c.query(
        fmt::format("SELECT person_id, birth_date, first_acq FROM (SELECT p.person_id, p.birth_date, {} AS first_acq "
                    "FROM person p WHERE p.birth_date <= CAST($3 AS TEXT) AND (CAST($4 AS TEXT) = '' OR p.person_id = "
                    "CAST($4 AS TEXT))) x WHERE first_acq IS NOT NULL ORDER BY person_id",
                    first_acquisition("p")),
        {fy_start.iso(), fy_end.iso(), latest->iso(), who});
    if (!cohort) return std::unexpected(cohort.error());
    for (const auto& r : *cohort) {
      auto birth = Date::parse(r.str(1));
      if (birth && config.in_old_age_welfare_cohort(*birth)) add("nenkin_old_age_welfare", r.str(0), kReasonCohort, "", r.str(2));
    }
  }
  // … and whoever kaigo holds a 老齢福祉年金 row for in FY (the pension is stopped and resumed by
  // income: 支給停止, so it is confirmed every year).
  auto known = c.query(
      fmt::format("SELECT person_id, first_acq FROM (SELECT k.person_id, {} AS first_acq FROM (SELECT DISTINCT w.person_id "
                  "FROM pension w WHERE w.pension_kind = 'old_age_welfare' AND w.valid_from < CAST($2 AS TEXT) AND "
                  "(w.valid_to IS NULL OR w.valid_to > CAST($1 AS TEXT)) AND (CAST($3 AS TEXT) = '' OR w.person_id = "
                  "CAST($3 AS TEXT))) k) x WHERE first_acq IS NOT NULL ORDER BY person_id",
                  first_acquisition("k")),
      {fy_start.iso(), fy_end.iso(), who});
  if (!known) return std::unexpected(known.error());
  for (const auto& r : *known) add("nenkin_old_age_welfare", r.str(0), kReasonKnownRecipient, "", r.str(1));

  std::vector<InputTarget> targets;
  targets.reserve(out.size());
  for (const auto& k : premium_input_kinds())
    for (auto it = out.lower_bound({std::string(k.inquiry_kind), ""});
         it != out.end() && it->first.first == k.inquiry_kind; ++it)
      targets.push_back(it->second);
  return targets;
}

}  // namespace kaigo::premium
