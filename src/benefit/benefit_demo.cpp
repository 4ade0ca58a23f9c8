// The 給付 side of the embedded demo (benefit_demo.hpp): certified persons, care plans, co-payment
// rates, a KY-03 file and two months of KY-04, all through the businesses' own functions.
#include "benefit/benefit_demo.hpp"

#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "benefit/care_plan.hpp"
#include "benefit/codes.hpp"
#include "benefit/copayment.hpp"
#include "benefit/high_cost.hpp"
#include "benefit/recipient.hpp"
#include "certification/application.hpp"
#include "certification/certification_decision.hpp"
#include "certification/codes.hpp"

namespace kaigo::benefit {
namespace {

using certification::CareLevel;

// The levels in turn: roughly the shares of a city's recipients (要介護1–2 the most), with the
// heavier levels often enough that households over the 高額 cap occur.
constexpr CareLevel kLevels[] = {CareLevel::support_1, CareLevel::support_2, CareLevel::care_1, CareLevel::care_1,
                                 CareLevel::care_2,    CareLevel::care_2,    CareLevel::care_3, CareLevel::care_3,
                                 CareLevel::care_4,    CareLevel::care_5};

bool is_support(CareLevel l) { return l == CareLevel::support_1 || l == CareLevel::support_2; }

struct Candidate {
  std::string person_id, household_id;
};

// Category-1 insured persons resident from `from` through `today`, households of two or more such
// persons first (both members certified: a household total over the 高額 cap), then the others.
Result<std::vector<std::string>> pick_persons(store::Database& db, Date from, Date today, int wanted) {
  auto rows = db.query(
      "SELECT p.person_id, p.household_id FROM person p JOIN eligibility_period e ON e.person_id = p.person_id "
      "WHERE e.category = '1' AND e.acquired_on <= $1 AND (e.lost_on IS NULL OR e.lost_on > $2) "
      "AND p.registry_status = 'resident' ORDER BY p.household_id, p.person_id",
      {from.iso(), today.iso()});
  if (!rows) return std::unexpected(rows.error());
  std::map<std::string, std::vector<std::string>> households;
  std::vector<std::string> order;  // household ids in first-seen order
  for (const auto& r : *rows) {
    auto& members = households[r.str(1)];
    if (members.empty()) order.push_back(r.str(1));
    if (members.empty() || members.back() != r.str(0)) members.push_back(r.str(0));
  }
  std::vector<std::string> picked;
  const auto size = static_cast<std::size_t>(wanted);
  // Couples for about a third of the persons, then one person of each other household.
  for (const auto& h : order) {
    const auto& m = households[h];
    if (m.size() < 2 || picked.size() + 2 > size / 3) continue;
    picked.push_back(m[0]);
    picked.push_back(m[1]);
  }
  std::map<std::string, bool> taken;
  for (const auto& p : picked) taken[p] = true;
  for (const auto& h : order) {
    if (picked.size() >= size) break;
    const auto& m = households[h];
    if (!taken[m[0]]) picked.push_back(m[0]);
  }
  return picked;
}

std::int64_t count(store::Database& db, const std::string& sql) {
  auto rows = db.query(sql);
  return rows && !rows->empty() ? (*rows)[0].i64(0) : 0;
}

}  // namespace

std::string DemoBenefitReport::summary() const {
  return fmt::format(
      "{} certified ({} skipped), {} care plans, {} co-payment rates, KY-03 {} records sent ({} held), KY-04 {} records "
      "sent, {} applied (service months {} … {}), {} 高額 applications",
      certified, skipped, care_plans, rates, ky03_records, ky03_held, ky04_sent, ky04_applied, first_service_month,
      last_service_month, high_cost_applications);
}

Result<DemoBenefitReport> seed_demo_benefits(store::Database& db, const Clock& clock,
                                             const certification::CertificationConfig& certification_config,
                                             const RecipientContext& recipients, const DemoCounterparts& counterparts,
                                             const DemoBenefitOptions& options) {
  if (options.persons < 1 || options.months < 1)
    return fail(ErrorKind::invalid_input, "persons and months must be at least 1", "options");
  auto existing = db.query("SELECT COUNT(*) FROM care_certification");
  if (!existing) return std::unexpected(existing.error());
  if ((*existing)[0].i64(0) > 0)
    return fail(ErrorKind::conflict, "the database holds certifications already: the demo's benefits are seeded once, "
                                     "into a new demo database only");
  DemoBenefitReport report;
  const Date today = clock.today();
  const Date this_month = today.first_of_month();
  // Applications on the 1st, a month before the first service month delivered: the certification
  // runs from the application day (介護保険法27条8項) and covers every month delivered.
  const Date applied_on = this_month.add_months(-(options.months + 1));
  // Decided 20 days later, within the 30 days of 法27条11項.
  const Date decided_on = applied_on.add_days(20);

  auto persons = pick_persons(db, applied_on, today, options.persons);
  if (!persons) return std::unexpected(persons.error());

  // 1. 認定: NT-01 intake, then the committee's decision as NT-12 records it.
  certification::ApplicationService applications(db, clock, certification_config, nullptr);
  struct Certified {
    std::string person_id;
    CareLevel level;
  };
  std::vector<Certified> certified;
  for (std::size_t i = 0; i < persons->size(); ++i) {
    const std::string& person_id = (*persons)[i];
    certification::IntakeRequest req{person_id, "new", applied_on, "home", "本人", std::nullopt, ""};
    auto app = applications.intake(req, options.actor);
    if (!app) {
      // A candidate the intake refuses (insured elsewhere on the day, an open application …) is
      // left out; anything else stops the seeding.
      if (app.error().kind == ErrorKind::conflict) {
        ++report.skipped;
        continue;
      }
      return std::unexpected(app.error());
    }
    const CareLevel level = kLevels[certified.size() % std::size(kLevels)];
    auto decided = db.transaction([&](store::Connection& c) -> Result<void> {
      certification::DecisionInput in;
      in.application_id = app->row.application_id;
      in.level = level;
      in.validity_months = 12;  // 施行規則38条: 新規 up to 12 months
      in.decided_on = decided_on;
      in.actor = options.actor;
      auto d = certification::record_decision(c, clock, certification_config.rules, in);
      if (!d) return std::unexpected(d.error());
      return {};
    });
    if (!decided) return std::unexpected(decided.error());
    certified.push_back({person_id, level});
  }
  report.certified = static_cast<std::int64_t>(certified.size());

  // 2. KY-01: nine in ten notify a care plan from the certification's first day.
  std::vector<const CareOffice*> prevention_offices, home_care_offices;
  for (const auto& o : recipients.config.offices) {
    if (!o.makes_care_plans) continue;
    if (o.service_kinds.contains("46")) prevention_offices.push_back(&o);
    if (o.service_kinds.contains("43")) home_care_offices.push_back(&o);
  }
  for (std::size_t i = 0; i < certified.size(); ++i) {
    if (i % 10 == 9) continue;  // no plan yet: the 国保連 has nothing to pay for them
    const bool support = is_support(certified[i].level);
    const auto& offices = support ? prevention_offices : home_care_offices;
    if (offices.empty()) continue;
    CarePlanNotification n{support ? "prevention" : "home_care", offices[i % offices.size()]->office_no, decided_on,
                           applied_on};
    auto plan = register_care_plan(db, clock, recipients.config, certified[i].person_id, n, options.actor);
    if (!plan) return std::unexpected(plan.error());
    ++report.care_plans;
  }

  // 3. 負担割合: the yearly run of the rate year today is in (from 1 August), then the new
  // recipients (from the certification's first day when the yearly run does not cover it).
  CopaymentService copayment(db, clock, recipients.config.rules);
  const int rate_year = today.month() >= 8 ? today.year() : today.year() - 1;
  auto yearly = copayment.run_yearly(rate_year, options.actor);
  if (!yearly) return std::unexpected(yearly.error());
  report.rates += yearly->written;
  for (;;) {
    auto n = copayment.pick_up_new_recipients(options.actor);
    if (!n) return std::unexpected(n.error());
    report.rates += *n;
    if (*n == 0) break;
  }

  // 4. KY-03: the recipients to the 国保連.
  auto draft = build_recipient_draft(db, clock, recipients, options.actor);
  if (!draft) return std::unexpected(draft.error());
  if (draft->file) {
    report.ky03_held = draft->file->held_count;
    auto sent = send_recipient_file(db, clock, recipients, draft->file->file_id, options.actor);
    if (!sent) return std::unexpected(sent.error());
    report.ky03_records = sent->record_count;  // the ok records (held ones stay out)
  }
  if (auto d = counterparts.dispatch(); !d) return std::unexpected(d.error());

  // 5. KY-04: the service months before this one, each applied through the inbox.
  for (int m = options.months; m >= 1; --m) {
    const Date review = this_month.add_months(-(m - 1));
    auto sent = counterparts.send_month(review, review);
    if (!sent) return std::unexpected(sent.error());
    report.ky04_sent += *sent;
    if (auto d = counterparts.dispatch(); !d) return std::unexpected(d.error());
  }
  // 6. KY-05: two in three of those with a care plan apply for 高額介護サービス費 (the account the
  // months' decisions are paid to), received today, from the first month delivered; the rest
  // stay without one, so the 高額 run shows held decisions too.
  const std::string first_month = this_month.add_months(-options.months).iso().substr(0, 7);
  for (std::size_t i = 0; i < certified.size(); ++i) {
    if (i % 10 == 9 || i % 3 == 2) continue;
    auto kana = db.query("SELECT name_kana FROM person WHERE person_id = $1", {certified[i].person_id});
    if (!kana) return std::unexpected(kana.error());
    HighCostApplicationInput in{certified[i].person_id, today.iso(), first_month, "0179", "001", "ordinary",
                                fmt::format("{:07}", 1000000 + i), kana->empty() ? "" : kana->front().str(0), options.actor};
    // A synthetic name the 全銀 kana rules refuse is left out, like a form returned to the applicant.
    if (!validate_high_cost_application(in)) continue;
    auto registered = register_high_cost_application(db, clock, in);
    if (!registered) return std::unexpected(registered.error());
    ++report.high_cost_applications;
  }
  report.first_service_month = first_month;
  report.last_service_month = this_month.add_months(-1).iso().substr(0, 7);
  report.ky04_applied = count(db, "SELECT COUNT(*) FROM benefit_record");
  return report;
}

}  // namespace kaigo::benefit
