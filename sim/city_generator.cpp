#include "sim/city_generator.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "sim/address_maker.hpp"
#include "sim/city_chunk.hpp"
#include "sim/codes.hpp"
#include "sim/household_maker.hpp"
#include "sim/income_model.hpp"
#include "sim/name_lists.hpp"
#include "sim/prng.hpp"

namespace kaigo::sim {

namespace {

constexpr std::int64_t kChunkPeople = 50'000;
constexpr std::int64_t kMaxPeople = 50'000'000;
constexpr std::int64_t kFirstPersonId = 1'000'000'001;
constexpr std::int64_t kFirstHouseholdId = 7'000'000'001;
// Category-1 numbers migrated from the previous system: 0100000001 upwards. New numbers given
// by the eligibility module must come from another range (see docs/synthetic-city.md).
constexpr std::int64_t kFirstInsuredNo = 100'000'001;
constexpr std::uint64_t kMyNumberSpace = 100'000'000'000ULL;  // 10^11 bodies of 11 digits
constexpr std::int64_t kDependentIncomeLimit = 480'000;       // 扶養親族の所得要件 48万 (2020年分以降)
constexpr std::int64_t kEmployeeInsuranceRevenue = 1'300'000;  // 被扶養者の収入要件 130万

const store::Value kNull = store::null();

// Unique My Numbers: an affine permutation x → (a·x + b) mod 10^11 of the person's sequence
// number, with `a` coprime to 10, so two people can never draw the same number; the twelfth
// digit is the statutory check digit.
class MyNumberMaker {
 public:
  explicit MyNumberMaker(Prng& prng) {
    constexpr std::array<std::uint64_t, 4> kUnits = {1, 3, 7, 9};
    a_ = prng.below(kMyNumberSpace / 10) * 10 + kUnits[prng.below(4)];
    b_ = prng.below(kMyNumberSpace);
  }
  std::string make(std::uint64_t index) const {
    // a_ < 10^11 and index < 5·10^7, so the product stays below 2^64.
    const std::uint64_t body = (a_ * index + b_) % kMyNumberSpace;
    std::string digits = fmt::format("{:011}", body);
    return digits + static_cast<char>('0' + people::MyNumberVault::check_digit(digits));
  }

 private:
  std::uint64_t a_ = 1, b_ = 0;
};

// A birth date giving exactly `age` completed years on `base` (民法 age rule, see Date::age_of).
Date birth_for_age(Prng& prng, Date base, int age) {
  Date hi = base.add_months(-12 * age).add_days(1);
  if (hi > base) hi = base;
  const Date lo = base.add_months(-12 * (age + 1)).add_days(2);
  Date birth = lo.add_days(static_cast<int>(prng.below(static_cast<std::uint64_t>(lo.days_until(hi)) + 1)));
  // add_months clamps 29 February; nudge the rare date that lands one day off.
  while (base.age_of(birth) > age) birth = birth.add_days(1);
  while (base.age_of(birth) < age) birth = birth.add_days(-1);
  return birth;
}

Date later(Date a, Date b) { return a < b ? b : a; }

// Months of the income year in which a pension that started on `start` was paid.
std::int64_t months_paid_in(Date start, int tax_year) {
  if (start.year() > tax_year) return 0;
  if (start.year() < tax_year) return 12;
  return 13 - static_cast<std::int64_t>(start.month());
}

struct HouseholdOdds {
  std::uint64_t welfare_per_mille;
  std::uint64_t mover_per_mille;
};

// 生活保護: ≈ 2.5% of a big city's people, most of them elderly singles (被保護者調査 2024: over
// half of recipient households are elderly, a quarter disabled/sick, ≈ 4% single mothers).
// Movers: young singles move most (住民基本台帳人口移動報告).
HouseholdOdds odds_for(HouseholdKind kind) {
  switch (kind) {
    case HouseholdKind::young_single: return {30, 75};
    case HouseholdKind::elderly_single: return {80, 10};
    case HouseholdKind::young_couple: return {5, 50};
    case HouseholdKind::elderly_couple: return {22, 6};
    case HouseholdKind::couple_with_children: return {5, 30};
    case HouseholdKind::single_parent: return {90, 30};
    case HouseholdKind::three_generation: return {5, 5};
    case HouseholdKind::elderly_with_adult_child: return {25, 8};
  }
  return {0, 0};
}

struct EmployerInsurer {
  std::string_view kind;
  std::string insurer_no;
};

// 被用者保険 of the city's employees: 協会けんぽ 神奈川支部 (法別01), and fictional 健康保険組合
// (法別06) and 共済組合 (法別31/32/34) numbers in the 9xx range of 保険者別番号.
const std::vector<std::pair<EmployerInsurer, std::uint32_t>>& employer_insurers() {
  static const std::vector<std::pair<EmployerInsurer, std::uint32_t>> list = {
      {{"kyokai_kenpo", with_insurer_check_digit("0114001")}, 55},
      {{"kumiai", with_insurer_check_digit("0613901")}, 12},
      {{"kumiai", with_insurer_check_digit("0614902")}, 10},
      {{"kumiai", with_insurer_check_digit("0627903")}, 8},
      {{"kyosai", with_insurer_check_digit("3113901")}, 4},
      {{"kyosai", with_insurer_check_digit("3214901")}, 8},
      {{"kyosai", with_insurer_check_digit("3413901")}, 3},
  };
  return list;
}

struct PersonDraft {
  Member member;
  Date birth;
  std::string person_id;
  std::string name_kanji, name_kana;
  bool moved_in = false;
  Date resident_from;
  IncomeDraw income;
  std::int64_t tax_pension_revenue = 0;  // the part of the old-age pension paid in the income year
  std::int64_t total_income = 0;
  bool disabled = false, widow = false, old_age_welfare = false;
  std::optional<EmployerInsurer> employer;  // own 被用者保険, when employed
};

class CityBuilder {
 public:
  CityBuilder(const CityOptions& o, const people::MyNumberVault& vault)
      : o_(o),
        vault_(vault),
        prng_(o.seed),
        my_numbers_(prng_),
        recorded_at_(o.base_date.iso() + "T00:00:00+09:00"),
        tax_year_(o.base_date.fiscal_year() - 1),
        tax_year_end_(tax_year_, 12, 31) {}

  Result<CityReport> run(store::Database& db) {
    CityChunk chunk;
    while (report_.people < o_.people) {
      if (auto r = add_household(chunk); !r) return std::unexpected(r.error());
      if (chunk.people >= kChunkPeople)
        if (auto r = chunk.flush(db); !r) return std::unexpected(r.error());
    }
    if (auto r = chunk.flush(db); !r) return std::unexpected(r.error());
    return report_;
  }

 private:
  store::Value text(std::string_view s) const { return std::string(s); }
  store::Value day(Date d) const { return d.iso(); }

  Result<void> add_household(CityChunk& chunk) {
    Household h = make_household(prng_);
    const auto left = static_cast<std::size_t>(o_.people - report_.people);
    if (h.members.size() > left) h.members.resize(left);
    const Date base = o_.base_date;
    const std::string household_id = fmt::format("{:010}", kFirstHouseholdId + report_.households);
    ++report_.households;

    const auto& family = family_names()[prng_.pick(weights_of(family_names()))];
    const Address address = make_address(prng_);
    const HouseholdOdds odds = odds_for(h.kind);

    std::optional<Date> moved_in_on;
    const Municipality* origin = nullptr;
    if (prng_.chance(odds.mover_per_mille, 1000)) {
      moved_in_on = base.add_days(-static_cast<int>(prng_.between(1, 730)));
      origin = &former_municipalities()[prng_.pick(former_municipality_weights())];
    }
    std::optional<std::pair<std::string_view, Date>> assistance;
    if (prng_.chance(odds.welfare_per_mille, 1000)) {
      // 中国残留邦人等支援給付 goes to the elderly repatriates and their spouses: a handful.
      const bool repatriate = h.members[0].age >= 75 && prng_.chance(1, 100);
      assistance.emplace(repatriate ? "repatriate" : "welfare", base.add_days(-static_cast<int>(prng_.between(30, 4380))));
    }

    std::vector<PersonDraft> drafts;
    drafts.reserve(h.members.size());
    for (std::size_t i = 0; i < h.members.size(); ++i)
      drafts.push_back(draft_person(h, i, family, moved_in_on, assistance.has_value()));

    for (PersonDraft& p : drafts) {
      ++report_.people;
      ++chunk.people;
      if (auto r = add_identity(chunk, p, address, household_id); !r) return r;
      if (p.moved_in) {
        ++report_.movers;
        chunk.person_origin.push_back({p.person_id, local_government_code(origin->code5), text(origin->name),
                                       day(*moved_in_on), text("synthetic_city"), kNull, recorded_at_, o_.recorded_by});
      }
      if (assistance) {
        ++report_.public_assistance;
        chunk.public_assistance.push_back({p.person_id, text(assistance->first), day(later(assistance->second, p.resident_from)),
                                           kNull, text("synthetic_city"), kNull, recorded_at_, o_.recorded_by});
      }
      const int age = p.member.age;
      if (age < 15) ++report_.under_15;
      if (age >= 65) {
        ++report_.aged_65_plus;
        const Date assigned = later(Date::reaches_age(p.birth, 65), p.resident_from);
        chunk.insured_number.push_back(
            {fmt::format("{:010}", kFirstInsuredNo + report_.aged_65_plus - 1), p.person_id, day(assigned)});
      }
      if (age >= 40 && age <= 64) {
        ++report_.aged_40_64;
        add_medical_insurance(chunk, p, drafts, assistance.has_value());
      }
      add_pensions(chunk, p);
    }
    add_tax_rows(chunk, drafts, assistance.has_value(), h.kind);
    return {};
  }

  // person, person_history and my_number: who the person is and where they live.
  Result<void> add_identity(CityChunk& chunk, const PersonDraft& p, const Address& address,
                            const std::string& household_id) {
    const std::string sex(1, p.member.sex);
    chunk.person.push_back({p.person_id, p.name_kanji, p.name_kana, day(p.birth), sex, address.postal_code,
                            address.text, address.ward_code, household_id, text(p.member.relation), text("resident"),
                            day(p.resident_from), recorded_at_});
    chunk.person_history.push_back({p.person_id, day(p.resident_from), kNull, p.name_kanji, p.name_kana, day(p.birth),
                                    sex, address.postal_code, address.text, address.ward_code, household_id,
                                    text(p.member.relation), text("resident"), text(p.moved_in ? "move_in" : "birth"),
                                    recorded_at_, o_.recorded_by, kNull});
    auto cipher = vault_.encrypt(p.person_id, my_numbers_.make(static_cast<std::uint64_t>(report_.people - 1)));
    if (!cipher) return std::unexpected(cipher.error());
    chunk.my_number.push_back({p.person_id, *cipher, vault_.key_id(), recorded_at_, o_.recorded_by});
    return {};
  }

  // The i-th member of `h`: identity, residence and the income of the year, before the
  // household's tax status is settled.
  PersonDraft draft_person(const Household& h, std::size_t i, const NameEntry& family,
                           const std::optional<Date>& moved_in_on, bool on_welfare) {
    const Member& m = h.members[i];
    PersonDraft p;
    p.member = m;
    p.birth = birth_for_age(prng_, o_.base_date, m.age);
    p.person_id = fmt::format("{:010}", kFirstPersonId + report_.people + static_cast<std::int64_t>(i));
    const auto given_list = given_names(m.sex, p.birth.year());
    const auto& given = given_list[prng_.pick(weights_of(given_list))];
    p.name_kanji = fmt::format("{} {}", family.kanji, given.kanji);
    p.name_kana = fmt::format("{} {}", family.kana, given.kana);
    p.moved_in = moved_in_on && p.birth < *moved_in_on;
    p.resident_from = p.moved_in ? *moved_in_on : p.birth;

    const bool employed_spouse_likely = m.sex == '2' && (m.spouse_of_head || (m.relation == "世帯主" && h.members.size() > 1 &&
                                                                               h.members[1].spouse_of_head));
    p.income = draw_income(prng_, IncomeProfile{m.age, m.sex, on_welfare, employed_spouse_likely});
    if (m.age >= 20 && prng_.chance(m.age >= 65 ? 10 : 15, 1000)) p.disabled = true;
    if (m.age >= 65 && m.sex == '2' && h.kind == HouseholdKind::elderly_single && prng_.chance(50, 100)) p.widow = true;
    // 老齢福祉年金 is only for people born before 1911-04-02, none of whom are alive; a handful of
    // the very old get it anyway so the stage-1 rule and FK-07 have someone to work on.
    if (m.age >= 95 && prng_.chance(1, 100)) {
      p.old_age_welfare = true;
      p.income.pension_revenue = 0;
    }
    if (m.age >= 65 && p.income.pension_revenue > 0)
      p.tax_pension_revenue = p.income.pension_revenue * months_paid_in(old_age_pension_start(p), tax_year_) / 12;
    const bool aged_65_at_year_end = tax_year_end_.age_of(p.birth) >= 65;
    p.total_income = salary_income_of(p.income.salary_revenue) + p.income.business_income +
                     pension_misc_income_of(p.tax_pension_revenue, aged_65_at_year_end) + p.income.land_sale_gain;
    if (p.income.salary_revenue >= kEmployeeInsuranceRevenue && m.age < 65 && !on_welfare) {
      static const std::vector<std::uint32_t> weights = [] {
        std::vector<std::uint32_t> w;
        for (const auto& e : employer_insurers()) w.push_back(e.second);
        return w;
      }();
      p.employer = employer_insurers()[prng_.pick(weights)].first;
    }
    return p;
  }

  // Old-age pensions start the month after reaching 65 (国民年金法18条1項).
  static Date old_age_pension_start(const PersonDraft& p) {
    return Date::reaches_age(p.birth, 65).add_months(1).first_of_month();
  }

  void add_pensions(CityChunk& chunk, const PersonDraft& p) {
    auto row = [&](std::string_view kind, std::int64_t amount, std::string_view insurer, Date from) {
      chunk.pension.push_back({p.person_id, text(kind), amount, text(insurer), day(from), kNull, text("synthetic_city"),
                               kNull, recorded_at_, o_.recorded_by});
    };
    const Date base = o_.base_date;
    if (p.income.pension_revenue > 0) {
      const Date start = old_age_pension_start(p);
      // A former civil servant gets the 基礎年金 from 日本年金機構 and the rest from a 共済.
      if (prng_.chance(10, 100)) {
        const std::int64_t basic = p.income.pension_revenue * 45 / 100 / 100 * 100;
        row("old_age", basic, kPensionInsurerJps, start);
        row("old_age", p.income.pension_revenue - basic,
            prng_.chance(30, 100) ? kPensionInsurerNationalKyosai : kPensionInsurerLocalKyosai, start);
      } else {
        row("old_age", p.income.pension_revenue, kPensionInsurerJps, start);
      }
    }
    if (p.old_age_welfare) {
      ++report_.old_age_welfare;
      // About the statutory yearly amount (≈ 41万円 in FY2024).
      row("old_age_welfare", 410'000, kPensionInsurerJps, p.birth.add_months(70 * 12));
    }
    if (p.disabled) {
      // 障害基礎年金 1級 ≈ 102万, 2級 ≈ 82万 a year (FY2024), some with a 障害厚生年金 on top.
      const std::int64_t amount = prng_.between(820, 1600) * 1000;
      const Date from = later(p.birth.add_months(20 * 12), base.add_days(-static_cast<int>(prng_.between(30, 7300))));
      row("disability", amount, kPensionInsurerJps, std::min(from, base));
    }
    if (p.widow) {
      const std::int64_t amount = prng_.between(500, 1500) * 1000;
      row("survivors", amount, kPensionInsurerJps, base.add_days(-static_cast<int>(prng_.between(30, 5475))));
    }
  }

  void add_medical_insurance(CityChunk& chunk, const PersonDraft& p, const std::vector<PersonDraft>& household,
                             bool on_welfare) {
    // People on 生活保護 leave 国民健康保険 (国保法6条9号): without employer insurance they have none.
    if (on_welfare) return;
    const Date base = o_.base_date;
    std::optional<EmployerInsurer> insurer = p.employer;
    if (!insurer) {
      // A dependent spouse or child shares the earner's employer insurance (被扶養者).
      for (const auto& other : household)
        if (&other != &p && other.employer && p.total_income <= kDependentIncomeLimit &&
            (other.member.relation == "世帯主" || other.member.spouse_of_head)) {
          insurer = other.employer;
          break;
        }
    }
    Date from = base.add_days(-static_cast<int>(prng_.between(30, 9125)));
    if (!insurer) {
      // 国民健康保険 of the city: from the day they became resident at the latest.
      from = later(from, p.resident_from);
      insurer = EmployerInsurer{"kokuho", city_kokuho_insurer_no()};
    }
    from = later(from, p.birth.add_months(18 * 12));
    ++report_.medical_insured_40_64;
    chunk.medical_insurance.push_back({p.person_id, text(insurer->kind), insurer->insurer_no, day(from), kNull,
                                       text("synthetic_city"), kNull, recorded_at_, o_.recorded_by});
  }

  void add_tax_rows(CityChunk& chunk, const std::vector<PersonDraft>& drafts, bool on_welfare, HouseholdKind kind) {
    // The earner of the household claims the others whose income is within the 扶養 limit.
    std::size_t claimant = 0;
    for (std::size_t i = 0; i < drafts.size(); ++i)
      if ((drafts[i].member.relation == "世帯主" || drafts[i].member.spouse_of_head) &&
          drafts[i].total_income > drafts[claimant].total_income)
        claimant = i;
    int dependents = 0, deductible = 0;
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      if (i == claimant || drafts[i].total_income > kDependentIncomeLimit) continue;
      ++dependents;
      if (drafts[i].member.age >= 16 || drafts[i].member.spouse_of_head) ++deductible;
    }
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      const PersonDraft& p = drafts[i];
      if (p.member.age < 16) continue;
      const bool single_parent = kind == HouseholdKind::single_parent && p.member.relation == "世帯主";
      const bool limit_135 = p.disabled || p.widow || single_parent || p.member.age < 18;
      const int own_dependents = i == claimant ? dependents : 0;
      const bool taxed = resident_tax_taxed(p.total_income, own_dependents, on_welfare, limit_135);
      const std::int64_t misc = p.total_income - salary_income_of(p.income.salary_revenue) - p.income.business_income -
                                p.income.land_sale_gain;
      const std::int64_t taxable = taxable_income_of(p.total_income, p.income.land_sale_special_deduction,
                                                     p.income.salary_revenue, p.tax_pension_revenue,
                                                     i == claimant ? deductible : 0, taxed);
      ++report_.tax_rows;
      if (taxed) ++report_.taxed;
      chunk.tax_income.push_back({p.person_id, std::int64_t{tax_year_}, p.total_income, p.tax_pension_revenue,
                                  p.tax_pension_revenue, misc, salary_income_of(p.income.salary_revenue),
                                  p.income.land_sale_special_deduction, std::int64_t{taxed ? 1 : 0}, taxable,
                                  text("synthetic_city"), kNull, recorded_at_, o_.recorded_by});
    }
  }

  const CityOptions& o_;
  const people::MyNumberVault& vault_;
  Prng prng_;
  MyNumberMaker my_numbers_;
  std::string recorded_at_;
  int tax_year_;
  Date tax_year_end_;
  CityReport report_;
};

}  // namespace

Result<CityReport> generate_city(store::Database& db, const people::MyNumberVault& vault, const CityOptions& options) {
  if (options.people < 1 || options.people > kMaxPeople)
    return fail(ErrorKind::invalid_input, fmt::format("the number of people must be between 1 and {}", kMaxPeople), "people");
  if (options.recorded_by.empty()) return fail(ErrorKind::invalid_input, "recorded_by must not be empty", "recorded_by");
  CityBuilder builder(options, vault);
  return builder.run(db);
}

Result<std::int64_t> count_people(store::Database& db) {
  auto rows = db.query("SELECT COUNT(*) FROM person");
  if (!rows) return std::unexpected(rows.error());
  return rows->empty() ? 0 : rows->front().i64(0);
}

Result<void> clear_city(store::Database& db) {
  return db.transaction([](store::Connection& c) -> Result<void> {
    // Children before parents: every table here refers to person(person_id). The insured register
    // derived from the city goes with it.
    for (std::string_view table : {"insurance_card_issue", "eligibility_event", "eligibility_revision", "eligibility_period",
                                   "former_address_rule", "exemption", "eligibility_fact", "person_origin", "medical_insurance", "public_assistance", "pension", "tax_income",
                                   "insured_number", "my_number", "person_history", "person"}) {
      auto r = c.exec(fmt::format("DELETE FROM {}", table));
      if (!r) {
        if (r.error().kind == ErrorKind::conflict)
          return fail(ErrorKind::conflict,
                      fmt::format("cannot delete the city's {} rows: other data still refers to these people; "
                                  "use a fresh database",
                                  table));
        return std::unexpected(r.error());
      }
    }
    return {};
  });
}

}  // namespace kaigo::sim
