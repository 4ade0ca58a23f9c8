#pragma once
// The household income inputs of the benefit rules (docs/benefit-income.md): for a person and a
// day, what kaigo KNOWS (its own fact rows, never the simulated tax office's 'synthetic_city'
// ledger) gathered into the inputs of the pure rules (rules.hpp):
//
//   tax_income                   the income year of the rule (income_year_of): the latest own row
//                                (sources tax_office, exchange, staff) of each household member
//   person_history / person      the household on that day (the row in effect; person for a person
//                                without history); members aged 65+ that day = 第1号被保険者
//   household_member_tax_status  the 市町村民税 status of members the city does not hold (KY-10/11,
//                                FK-05/06 answers) — they count for "someone in the household taxed"
//   pension                      老齢福祉年金 (pension_kind 'old_age_welfare') in effect that day
//   public_assistance            生活保護 / 中国残留邦人等支援給付 in effect that day
//
// Every result lists the facts it used (so a decision's explanation can show them) and what is
// MISSING: a household member without a tax row of the income year (a decision made without it
// is provisional; KY-06 / KY-08 ask for it). No personal data beyond person ids in the facts.
//
// Thread-safety: pure reads on the caller's connection; no state.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "benefit/rules.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

// The income year the rules read on `d`: the 市町村民税 of fiscal year Y is assessed on income of
// Y−1 and is known from the tax notices of June/July, so the benefit year that starts 1 August Y
// reads income year Y−1 and a day before August Y reads Y−2 (施行令22条の2第1項: 負担割合 of the
// period from August by the 前年所得; 施行令22条の2の2 / 29条の2の2 likewise for 高額介護
// サービス費: 当該月が1月から7月までの場合は前々年).
int income_year_of(Date d);
// The same for a service month "YYYY-MM" (invalid_input naming `field` when malformed).
Result<int> income_year_of_month(std::string_view month, std::string_view field = "month");
// The last day of a service month (the household of a 高額 month is the one on that day).
Result<Date> last_day_of_month(std::string_view month, std::string_view field = "month");

// One fact a decision used. kind: tax_income, household, member_tax_status, old_age_welfare,
// public_assistance. ref_id: the row's id (0 for the household). detail: the figures, Japanese.
struct FactUsed {
  std::string kind;
  std::string person_id;
  std::int64_t ref_id = 0;
  std::string detail;
};

// A fact the rules need and kaigo does not hold.
struct MissingFact {
  std::string person_id;  // the household member without it
  std::string fact;       // "tax_income"
  int tax_year = 0;
  std::string ask_flow;   // "KY-06" (resident here on 1 January of tax_year + 1) or "KY-08"
};

struct HouseholdMember {
  std::string person_id;
  Date birth_date;
  bool category_1 = false;  // aged 65+ on the day
  std::optional<bool> resident_tax_taxed;  // none: no tax row and no member status
  std::optional<std::int64_t> total_income, taxable_income, public_pension_income, pension_misc_income;
};

// Everything gathered for one person on one day.
struct PersonIncomeInputs {
  std::string person_id;
  Date on;
  int tax_year = 0;
  std::string household_id;
  std::vector<HouseholdMember> members;  // the person included, person_id order
  HouseholdIncomeInputs high_cost;
  CopaymentInputs copayment;
  std::vector<FactUsed> facts;
  std::vector<MissingFact> missing;
  bool complete() const { return missing.empty(); }
};

// The 高額 category of a person for a month with its inputs; provisional when facts are missing
// (the explanation then names them).
struct IncomeCategoryResult {
  PersonIncomeInputs inputs;
  IncomeCategory category = IncomeCategory::taxed;
  std::string explanation;
  bool provisional = false;
};

// The inputs of one person on `on` (income year income_year_of(on) unless `tax_year` is given).
// not_found: no such person.
Result<PersonIncomeInputs> gather_income_inputs(store::Connection& c, const std::string& person_id, Date on,
                                                std::optional<int> tax_year = std::nullopt);

// The category of one person for a service month (household on its last day).
Result<IncomeCategoryResult> income_category(store::Connection& c, const BenefitRules& rules,
                                             const std::string& person_id, std::string_view month);

// The category of every person with a benefit_record of the month (the 高額 monthly run), set-based
// (a few statements for the whole city, read in one pass), delivered to `sink` in person_id order;
// the sink returns false to stop. Persons outside the set are not read.
using CategorySink = std::function<Result<bool>(const IncomeCategoryResult&)>;
Result<void> income_categories_for_month(store::Connection& c, const BenefitRules& rules, std::string_view month,
                                         const CategorySink& sink);

// The same machinery for an explicit set of persons on one day (the co-payment run and the
// redetermination use it); persons unknown are skipped. `tax_year` as above.
using InputsSink = std::function<Result<bool>(const PersonIncomeInputs&)>;
Result<void> gather_income_inputs_for(store::Connection& c, const std::vector<std::string>& person_ids, Date on,
                                      std::optional<int> tax_year, const InputsSink& sink);

// The persons (household members of persons with benefit records of the month) missing a tax row
// of the month's income year: what KY-06 / KY-08 ask for in bulk.
Result<std::vector<MissingFact>> missing_for_month(store::Connection& c, std::string_view month);

}  // namespace kaigo::benefit
