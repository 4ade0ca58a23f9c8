// The household income inputs over a real database (SQLite and PostgreSQL): the 高額 income
// category per case (課税所得690万/380万, 課税世帯, 世帯非課税, 低所得 (個人上限), 生活保護) with its
// explanation and the facts used; the household on the month's last day (a member who moved in
// later does not count, a member living elsewhere known from a KY-11/FK-06 answer does); the
// income year of the month (before August: Y−2); missing tax rows listed with the flow that asks
// for them (KY-06 for a resident on 1 January, KY-08 for a mover); the month's batch read for
// every person with a benefit record, in person order. KY-08 … KY-15 end to end through kaigo's
// gateway and the bundled 中間サーバー simulator (answers from the synthetic city's ledgers):
// asked in bulk for a month's missing and by staff, applied once into the fact tables, visible in
// the category.
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "benefit/income.hpp"
#include "benefit/income_inquiry.hpp"
#include "eligibility/register.hpp"
#include "gateway/inquiry_service.hpp"
#include "gateway/transport.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "sim/number_network/settable_clock.hpp"
#include "test_db.hpp"

namespace kaigo::benefit {
namespace {

class Income : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    auto loaded = load_benefit_rules(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/benefit");
    ASSERT_TRUE(loaded) << loaded.error().message;
    rules = std::move(*loaded);
    auto v = rules.on(Date(2026, 5, 31));
    ASSERT_TRUE(v);
    version = *v;
  }

  void person(const std::string& id, const std::string& household, const std::string& birth = "1950-04-01",
              const std::string& status = "resident") {
    ASSERT_TRUE(db->exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                         "ward_code, household_id, relation, registry_status, status_date, updated_at) VALUES "
                         "($1, '所得 花子', 'ショトク ハナコ', $2, '2', '2910000', 'みどり市中央区本町1-1', '981', $3, "
                         "'世帯主', $4, NULL, '2026-01-01T00:00:00+09:00')",
                         {id, birth, household, status}));
  }
  void history(const std::string& id, const std::string& household, const std::string& from,
               std::optional<std::string> to = std::nullopt) {
    ASSERT_TRUE(db->exec("INSERT INTO person_history (person_id, valid_from, valid_to, name_kanji, name_kana, birth_date, "
                         "sex, postal_code, address, ward_code, household_id, relation, registry_status, reason, "
                         "recorded_at, recorded_by) SELECT person_id, $2, $3, name_kanji, name_kana, birth_date, sex, "
                         "postal_code, address, ward_code, $4, relation, 'resident', 'test', 'x', 'test' FROM person "
                         "WHERE person_id = $1",
                         {id, from, to ? store::Value(*to) : store::null(), household}));
  }
  void tax(const std::string& id, bool taxed, std::int64_t total, std::int64_t pension, std::int64_t taxable,
           int year = 2024, const std::string& source = "tax_office") {
    ASSERT_TRUE(db->exec(
        "INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
        "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income, source, "
        "source_exchange_id, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $4, 0, 0, 0, $5, $6, $7, NULL, "
        "'2025-06-01T09:00:00+09:00', 'test')",
        {id, std::int64_t{year}, total, pension, std::int64_t{taxed ? 1 : 0}, taxable, source}));
  }
  void record(const std::string& claim, const std::string& id, const std::string& month = "2026-05") {
    ASSERT_TRUE(db->exec(
        "INSERT INTO benefit_record (claim_no, person_id, insured_no, service_month, review_month, office_no, service_kind, "
        "payment_kind, days, units, unit_price_hundredths, total_cost, insurance_paid, copayment, public_paid, status, "
        "file_id, line_no, replaced_by, recorded_at) VALUES ($1, $2, '0000000000', $3, '2026-06', '1410000001', '11', "
        "'in_kind', 10, 1000, 1000, 100000, 90000, 10000, 0, 'current', 1, 1, NULL, '2026-06-20T09:00:00+09:00')",
        {claim, id, month}));
  }

  IncomeCategoryResult category(const std::string& id, const std::string& month = "2026-05") {
    IncomeCategoryResult out;
    auto read = db->with_connection([&](store::Connection& c) -> Result<void> {
      auto r = income_category(c, rules, id, month);
      if (!r) return std::unexpected(r.error());
      out = *r;
      return {};
    });
    EXPECT_TRUE(read) << read.error().message;
    return out;
  }
  static bool has_fact(const IncomeCategoryResult& r, const std::string& kind, const std::string& person) {
    for (const auto& f : r.inputs.facts)
      if (f.kind == kind && f.person_id == person) return true;
    return false;
  }

  std::unique_ptr<store::Database> db;
  BenefitRules rules;
  const BenefitRulesVersion* version = nullptr;
};

TEST_P(Income, IncomeYearOfAMonthIsTheYearBeforeFromAugustElseTwoBefore) {
  EXPECT_EQ(income_year_of(Date(2026, 7, 31)), 2024);
  EXPECT_EQ(income_year_of(Date(2026, 8, 1)), 2025);
  EXPECT_EQ(*income_year_of_month("2026-01"), 2024);
  EXPECT_EQ(*income_year_of_month("2026-12"), 2025);
  auto bad = income_year_of_month("2026/05");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "month");
}

TEST_P(Income, CategoryPerCaseWithExplanationAndFacts) {
  // 課税所得 690万 and 380万 (a household of one, 65+).
  person("0000000001", "H1");
  tax("0000000001", true, version->taxable_690 + 1000000, 2000000, version->taxable_690);
  person("0000000002", "H2");
  tax("0000000002", true, version->taxable_380 + 1000000, 2000000, version->taxable_380);
  // 課税世帯: the person untaxed, the spouse taxed below 380万.
  person("0000000003", "H3");
  person("0000000004", "H3");
  tax("0000000003", false, 0, 700000, 0);
  tax("0000000004", true, 2000000, 2500000, 1000000);
  // 世帯非課税 above the low-income limit, and at it (低所得: the individual cap).
  person("0000000005", "H5");
  tax("0000000005", false, 100000, version->low_income_limit, 0);
  person("0000000006", "H6");
  tax("0000000006", false, 0, version->low_income_limit, 0);
  // 生活保護.
  person("0000000007", "H7");
  tax("0000000007", false, 0, 0, 0);
  ASSERT_TRUE(db->exec("INSERT INTO public_assistance (person_id, kind, valid_from, valid_to, source, source_exchange_id, "
                       "recorded_at, recorded_by) VALUES ('0000000007', 'welfare', '2025-04-01', NULL, 'exchange', NULL, "
                       "'x', 'test')"));

  const std::map<std::string, IncomeCategory> want = {
      {"0000000001", IncomeCategory::taxable_690}, {"0000000002", IncomeCategory::taxable_380},
      {"0000000003", IncomeCategory::taxed},       {"0000000005", IncomeCategory::household_untaxed},
      {"0000000006", IncomeCategory::low_income},  {"0000000007", IncomeCategory::public_assistance}};
  for (const auto& [id, cat] : want) {
    auto r = category(id);
    EXPECT_EQ(r.category, cat) << id << ": " << r.explanation;
    EXPECT_FALSE(r.explanation.empty());
    EXPECT_FALSE(r.provisional) << r.explanation;
    EXPECT_EQ(r.inputs.tax_year, 2024);
    EXPECT_TRUE(has_fact(r, "tax_income", id)) << id;
    EXPECT_TRUE(has_fact(r, "household", id)) << id;
  }
  // The 課税世帯 case names the spouse's row as a fact.
  EXPECT_TRUE(has_fact(category("0000000003"), "tax_income", "0000000004"));
  EXPECT_TRUE(has_fact(category("0000000007"), "public_assistance", "0000000007"));
}

TEST_P(Income, HouseholdOnTheMonthsLastDayAndMembersElsewhere) {
  // The spouse joins the household on 2026-06-10: May reads a household of one (untaxed), June
  // of two (taxed).
  person("0000000011", "H11");
  person("0000000012", "H11");
  history("0000000011", "H11", "2000-01-01");
  history("0000000012", "H99", "2000-01-01", "2026-06-10");
  history("0000000012", "H11", "2026-06-10");
  tax("0000000011", false, 0, 1000000, 0);
  tax("0000000012", true, 3000000, 3000000, 1500000);
  auto may = category("0000000011", "2026-05");
  EXPECT_EQ(may.category, IncomeCategory::household_untaxed) << may.explanation;
  EXPECT_EQ(may.inputs.members.size(), 1u);
  auto june = category("0000000011", "2026-06");
  EXPECT_EQ(june.category, IncomeCategory::taxed) << june.explanation;
  EXPECT_EQ(june.inputs.members.size(), 2u);

  // A member living elsewhere (住所地特例 household answered through KY-11 / FK-06): taxed.
  person("0000000013", "H13");
  tax("0000000013", false, 0, 1000000, 0);
  EXPECT_EQ(category("0000000013").category, IncomeCategory::household_untaxed);
  ASSERT_TRUE(db->exec("INSERT INTO household_member_tax_status (person_id, fiscal_year, base_date, tax_year, member_key, "
                       "member_person_id, relation, resident_tax_taxed, inquiry_id, source, source_exchange_id, "
                       "recorded_at, recorded_by) VALUES ('0000000013', 2025, '2025-04-01', 2024, 'm1', NULL, '子', 1, "
                       "77, 'exchange', NULL, 'x', 'test')"));
  auto elsewhere = category("0000000013");
  EXPECT_EQ(elsewhere.category, IncomeCategory::taxed) << elsewhere.explanation;
  EXPECT_TRUE(has_fact(elsewhere, "member_tax_status", "0000000013"));
}

TEST_P(Income, MissingTaxRowsAreListedWithTheFlowThatAsks) {
  // The person is known; the spouse has no row of 2024 (the simulated tax office's ledger row
  // does not count), and the lodger moved in during 2025 (after 1 January 2025: asked of the
  // former municipality, KY-08).
  person("0000000021", "H21");
  person("0000000022", "H21");
  person("0000000023", "H21");
  history("0000000023", "H21", "2025-03-01");
  tax("0000000021", false, 0, 600000, 0);
  tax("0000000022", true, 9000000, 0, 8000000, 2024, "synthetic_city");
  auto r = category("0000000021");
  EXPECT_TRUE(r.provisional);
  ASSERT_EQ(r.inputs.missing.size(), 2u);
  EXPECT_EQ(r.inputs.missing[0].person_id, "0000000022");
  EXPECT_EQ(r.inputs.missing[0].ask_flow, "KY-06");
  EXPECT_EQ(r.inputs.missing[1].person_id, "0000000023");
  EXPECT_EQ(r.inputs.missing[1].ask_flow, "KY-08");
  EXPECT_NE(r.explanation.find("暫定"), std::string::npos) << r.explanation;
  // What the income year of a later month asks for is the later year.
  EXPECT_EQ(category("0000000021", "2026-09").inputs.missing[0].tax_year, 2025);
}

TEST_P(Income, MonthBatchReadsEveryPersonWithARecordInOrder) {
  for (int i = 1; i <= 5; ++i) {
    const std::string id = "00000003" + std::to_string(10 + i);
    person(id, "H" + id);
    tax(id, i % 2 == 0, 1000000, 1000000, i % 2 == 0 ? 500000 : 0);
  }
  record("C1", "0000000315");
  record("C2", "0000000311");
  record("C3", "0000000313");
  record("C4", "0000000313");
  record("C5", "0000000312", "2026-04");  // another month
  std::vector<std::string> seen;
  std::vector<IncomeCategory> cats;
  auto read = db->with_connection([&](store::Connection& c) {
    return income_categories_for_month(c, rules, "2026-05", [&](const IncomeCategoryResult& r) -> Result<bool> {
      seen.push_back(r.inputs.person_id);
      cats.push_back(r.category);
      return true;
    });
  });
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(seen, (std::vector<std::string>{"0000000311", "0000000313", "0000000315"}));
  for (auto c : cats) EXPECT_NE(c, IncomeCategory::taxed);
  std::vector<MissingFact> missing;
  auto m = db->with_connection([&](store::Connection& c) -> Result<void> {
    auto r = missing_for_month(c, "2026-05");
    if (!r) return std::unexpected(r.error());
    missing = *r;
    return {};
  });
  ASSERT_TRUE(m);
  EXPECT_TRUE(missing.empty());
}

INSTANTIATE_TEST_SUITE_P(Db, Income, ::testing::ValuesIn(testing::backends()), testing::backend_name);

// ---- KY-08 … KY-15 through the gateway ------------------------------------------------------

class IncomeInquiries : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    people::MyNumberVault vault(std::string(32, 'v'));
    sim::CityOptions city;
    city.people = 600;
    city.seed = 11;
    city.base_date = *Date::parse("2026-04-01");  // the synthetic ledgers hold income year 2025
    auto report = sim::generate_city(*db, vault, city);
    ASSERT_TRUE(report) << report.error().message;
    auto registered = eligibility::register_initial_residents(
        *db, clock, eligibility::ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "test", "初期登録 (模擬都市)"});
    ASSERT_TRUE(registered) << registered.error().message;
    auto loaded = load_benefit_rules(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/benefit");
    ASSERT_TRUE(loaded) << loaded.error().message;
    rules = std::move(*loaded);
    auto book = gateway::CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(book) << book.error().message;
    codes = std::make_unique<gateway::CodeBook>(*book);
    simulator = std::make_unique<sim::network::IntermediateServerSim>(*db, sim_clock);
    transport = gateway::make_in_process_transport(
        [this](const std::string& op, const std::string& body) -> Result<std::string> { return simulator->handle(op, body); });
    inquiries = std::make_unique<gateway::InquiryService>(*db, *transport, *codes, clock);
    service = std::make_unique<IncomeInquiryService>(*db, clock, inquiries.get());

    // A mover who arrived on 2026-02-10 (so the municipality of 1 January 2026 taxed their
    // 2025 income) and used services in September 2026.
    auto rows = db->query("SELECT DISTINCT o.person_id FROM person_origin o JOIN person p ON p.person_id = o.person_id "
                          "WHERE p.registry_status = 'resident' ORDER BY o.person_id");
    ASSERT_TRUE(rows && !rows->empty());
    mover = rows->front().str(0);
    ASSERT_TRUE(db->exec("UPDATE person_origin SET moved_in_on = '2026-02-10' WHERE person_id = $1", {mover}));
    ASSERT_TRUE(db->exec("UPDATE person_history SET valid_from = '2026-02-10' WHERE person_id = $1 AND valid_from = "
                         "(SELECT MIN(h.valid_from) FROM person_history h WHERE h.person_id = $1)",
                         {mover}));
    ASSERT_TRUE(db->exec(
        "INSERT INTO benefit_record (claim_no, person_id, insured_no, service_month, review_month, office_no, service_kind, "
        "payment_kind, days, units, unit_price_hundredths, total_cost, insurance_paid, copayment, public_paid, status, "
        "file_id, line_no, replaced_by, recorded_at) VALUES ('C1', $1, '0000000000', '2026-09', '2026-10', '1410000001', '11', "
        "'in_kind', 10, 1000, 1000, 100000, 90000, 10000, 0, 'current', 1, 1, NULL, '2026-10-20T09:00:00+09:00')",
        {mover}));
  }

  std::int64_t count(const std::string& sql, const store::Params& p = {}) {
    auto r = db->query(sql, p);
    EXPECT_TRUE(r) << r.error().message;
    return r && !r->empty() ? r->front().i64(0) : -1;
  }
  BenefitApplyReport answer_and_apply() {
    for (int i = 0; i < 3; ++i) {
      clock.advance(std::chrono::minutes(10));
      auto run = inquiries->run_due(clock);
      EXPECT_TRUE(run) << run.error().message;
    }
    auto applied = service->apply_due("job:test");
    EXPECT_TRUE(applied) << applied.error().message;
    return applied ? *applied : BenefitApplyReport{};
  }
  IncomeCategoryResult category(const std::string& id) {
    IncomeCategoryResult out;
    auto read = db->with_connection([&](store::Connection& c) -> Result<void> {
      auto r = income_category(c, rules, id, "2026-09");
      if (!r) return std::unexpected(r.error());
      out = *r;
      return {};
    });
    EXPECT_TRUE(read) << read.error().message;
    return out;
  }
  static bool missing_of(const IncomeCategoryResult& r, const std::string& id) {
    for (const auto& m : r.inputs.missing)
      if (m.person_id == id) return true;
    return false;
  }
  BenefitInquiry ask(const std::string& kind) {
    auto q = service->inquire(mover, kind, "high_cost", Date(2026, 9, 30), "staff1");
    EXPECT_TRUE(q) << q.error().message;
    return q ? *q : BenefitInquiry{};
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(*Date::parse("2026-11-24"));
  sim::network::SettableClock sim_clock{clock};
  BenefitRules rules;
  std::unique_ptr<gateway::CodeBook> codes;
  std::unique_ptr<sim::network::IntermediateServerSim> simulator;
  std::unique_ptr<gateway::Transport> transport;
  std::unique_ptr<gateway::InquiryService> inquiries;
  std::unique_ptr<IncomeInquiryService> service;
  std::string mover;
};

TEST_P(IncomeInquiries, KY_08_KY_09_MissingIncomeAskedInBulkAppliedOnce) {
  // kaigo holds no income of the mover (the synthetic rows are the other city's ledger).
  auto before = category(mover);
  ASSERT_TRUE(missing_of(before, mover));
  auto bulk = service->inquire_missing("2026-09", "job:test");
  ASSERT_TRUE(bulk) << bulk.error().message;
  EXPECT_GE(bulk->asked, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_inquiry WHERE person_id = $1 AND kind = 'city_local_tax'", {mover}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM inquiry i JOIN benefit_inquiry b ON b.inquiry_id = i.inquiry_id "
                  "WHERE b.person_id = $1 AND i.flow_id = 'KY-08'",
                  {mover}),
            1);

  auto applied = answer_and_apply();
  EXPECT_GE(applied.applied, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE person_id = $1 AND tax_year = 2025 AND source = 'exchange'", {mover}), 1);
  auto after = category(mover);
  EXPECT_FALSE(missing_of(after, mover));
  bool fact = false;
  for (const auto& f : after.inputs.facts) fact = fact || (f.kind == "tax_income" && f.person_id == mover);
  EXPECT_TRUE(fact);

  // Applying again and asking again change nothing.
  auto again = answer_and_apply();
  EXPECT_EQ(again.total(), 0);
  auto bulk2 = service->inquire_missing("2026-09", "job:test");
  ASSERT_TRUE(bulk2) << bulk2.error().message;
  EXPECT_EQ(bulk2->asked, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE person_id = $1 AND source = 'exchange'", {mover}), 1);
  auto list = service->for_person(mover);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().request_flow, "KY-08");
  EXPECT_EQ(list->front().outcome.value_or(""), "applied");
}

TEST_P(IncomeInquiries, KY_10_KY_11_KY_12_KY_13_KY_14_KY_15_StaffInquiriesAppliedIntoTheFacts) {
  // The prefecture's and the pension insurer's ledgers hold 生活保護 and 老齢福祉年金 for the mover.
  ASSERT_TRUE(db->exec("INSERT INTO public_assistance (person_id, kind, valid_from, valid_to, source, source_exchange_id, "
                       "recorded_at, recorded_by) VALUES ($1, 'welfare', '2025-04-01', NULL, 'synthetic_city', NULL, 'x', 'sim')",
                       {mover}));
  ASSERT_TRUE(db->exec("INSERT INTO pension (person_id, pension_kind, annual_amount, pension_insurer_code, valid_from, "
                       "valid_to, source, source_exchange_id, recorded_at, recorded_by) VALUES ($1, 'old_age_welfare', "
                       "400000, '001', '2020-04-01', NULL, 'synthetic_city', NULL, 'x', 'sim')",
                       {mover}));
  EXPECT_NE(category(mover).category, IncomeCategory::public_assistance);  // not kaigo's knowledge yet

  auto welfare = ask("pref_public_assistance");
  EXPECT_EQ(welfare.request_flow, "KY-14");
  // A second inquiry of the kind while the first waits is refused.
  auto twice = service->inquire(mover, "pref_public_assistance", "high_cost", Date(2026, 9, 30), "staff1");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
  ask("nenkin_old_age_welfare");
  ask("city_household");
  auto bad = service->inquire(mover, "iryo_insurance", "high_cost", Date(2026, 9, 30), "staff1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "kind");

  auto applied = answer_and_apply();
  EXPECT_EQ(applied.total(), 3);
  EXPECT_EQ(applied.rejected, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM public_assistance WHERE person_id = $1 AND source = 'exchange'", {mover}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pension WHERE person_id = $1 AND source = 'exchange'", {mover}), 1);
  auto now = category(mover);
  EXPECT_EQ(now.category, IncomeCategory::public_assistance) << now.explanation;
  bool fact = false;
  for (const auto& f : now.inputs.facts) fact = fact || f.kind == "public_assistance";
  EXPECT_TRUE(fact);
  auto list = service->for_person(mover);
  ASSERT_TRUE(list);
  for (const auto& q : *list) {
    EXPECT_TRUE(q.outcome) << q.kind;
    EXPECT_NE(q.outcome.value_or(""), "failed") << q.kind << " " << q.summary.value_or("");
  }
  // The same answers applied again change nothing.
  for (const auto& q : *list) {
    auto again = service->apply(q.inquiry_id, "job:test");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->outcome, q.outcome);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM public_assistance WHERE person_id = $1 AND source = 'exchange'", {mover}), 1);
}

INSTANTIATE_TEST_SUITE_P(Db, IncomeInquiries, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::benefit
