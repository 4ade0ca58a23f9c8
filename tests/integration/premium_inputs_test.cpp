// 賦課の入力 over 番号連携, end to end (docs/premium-inputs.md): the rules select who is asked what
// for FY 2026 → the inquiries go through kaigo's gateway to the bundled 中間サーバー simulator, which
// answers from the synthetic city (the counterparts' ledgers) → the answers are checked and
// applied to kaigo's inputs → the persons with a current assessment are queued for 異動賦課, and
// the revision run re-assesses them from the applied facts. Plus bad answers (rejected whole with
// the field at fault, nothing applied) and the same answer twice (nothing changes). SQLite and
// PostgreSQL.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "eligibility/register.hpp"
#include "gateway/inquiry_service.hpp"
#include "gateway/transport.hpp"
#include "people/my_number_vault.hpp"
#include "premium/assessment.hpp"
#include "premium/premium_inputs.hpp"
#include "premium/premium_table.hpp"
#include "sim/city_generator.hpp"
#include "sim/codes.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "sim/number_network/scenario.hpp"
#include "sim/number_network/settable_clock.hpp"
#include "server_fixture.hpp"
#include "sim/number_network/shares.hpp"
#include "test_db.hpp"

namespace kaigo {
namespace {

using nlohmann::json;
constexpr int kYear = 2026;

class PremiumInputsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    people::MyNumberVault vault(std::string(32, 'v'));
    sim::CityOptions city;
    city.people = 1500;
    city.seed = 7;
    city.base_date = *Date::parse("2026-04-01");  // tax rows of income year 2025: the FY 2026 premium's
    auto report = sim::generate_city(*db, vault, city);
    ASSERT_TRUE(report) << report.error().message;
    auto registered = eligibility::register_initial_residents(
        *db, clock, eligibility::ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "test", "初期登録 (模擬都市)"});
    ASSERT_TRUE(registered) << registered.error().message;
    auto book = gateway::CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(book) << book.error().message;
    codes = std::make_unique<gateway::CodeBook>(*book);
    auto cfg = premium::PremiumInputsConfig::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(cfg) << cfg.error().message;
    config = std::make_unique<premium::PremiumInputsConfig>(*cfg);
    auto tbl = premium::load_premium_tables(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/premium");
    ASSERT_TRUE(tbl) << tbl.error().message;
    tables = *tbl;
    simulator = std::make_unique<sim::network::IntermediateServerSim>(*db, sim_clock);
    // The simulator's replies pass through here: a test may alter the items of one answer.
    transport = gateway::make_in_process_transport([this](const std::string& op, const std::string& body) -> Result<std::string> {
      auto reply = simulator->handle(op, body);
      if (!reply || op != "poll" || tamper.empty()) return reply;
      json doc = json::parse(*reply);
      for (auto& a : doc["answers"])
        if (auto t = tamper.find(a["processing_no"].get<std::string>()); t != tamper.end() && a["status"] == "provided")
          t->second(a["items"]);
      return doc.dump();
    });
    inquiries = std::make_unique<gateway::InquiryService>(*db, *transport, *codes, clock);
    service = std::make_unique<premium::PremiumInputsService>(*db, clock, *config, inquiries.get());
  }

  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << sql << ": " << rows.error().message;
    return rows && !rows->empty() ? (*rows)[0].i64(0) : -1;
  }
  std::string text(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows && !rows->empty()) << sql;
    return rows && !rows->empty() ? (*rows)[0].str(0) : std::string();
  }

  // A category-1 insured person of FY 2026 who moved in (person_origin), first in person_id order
  // among those `pick` accepts.
  std::string insured_mover(const std::function<bool(const std::string& person_id, const std::string& household)>& pick =
                                nullptr) {
    auto rows = db->query(
        "SELECT DISTINCT o.person_id, p.household_id FROM person_origin o JOIN person p ON p.person_id = o.person_id "
        "JOIN eligibility_period ep ON ep.person_id = o.person_id AND ep.category = '1' ORDER BY o.person_id");
    EXPECT_TRUE(rows) << rows.error().message;
    for (const auto& r : *rows)
      if (!pick || pick(r.str(0), r.str(1))) return r.str(0);
    ADD_FAILURE() << "no insured mover fits";
    return {};
  }

  // Makes the person one who arrived after 1 January 2026 (so the municipality of 1 January taxed
  // their 2025 income), optionally from another municipality.
  void arrived_after_january(const std::string& person_id, const std::string& code = {}, const std::string& name = {}) {
    ASSERT_TRUE(db->exec("UPDATE person_origin SET moved_in_on = '2026-02-10' WHERE person_id = $1", {person_id}));
    if (!code.empty()) {
      ASSERT_TRUE(db->exec("UPDATE person_origin SET former_municipality_code = $2, former_municipality_name = $3 "
                           "WHERE person_id = $1",
                           {person_id, code, name}));
    }
    ASSERT_TRUE(db->exec("UPDATE person_history SET valid_from = '2026-02-10' WHERE person_id = $1 AND valid_from = "
                         "(SELECT MIN(h.valid_from) FROM person_history h WHERE h.person_id = $1)",
                         {person_id}));
  }

  // Gives a person a 転入 (from 横浜市) when they have none, as the registry would have recorded it.
  void became_mover(const std::string& person_id) {
    if (count("SELECT COUNT(*) FROM person_origin WHERE person_id = $1", {person_id}) > 0) return;
    ASSERT_TRUE(db->exec("INSERT INTO person_origin (person_id, former_municipality_code, former_municipality_name, moved_in_on, "
                         "source, recorded_at, recorded_by) VALUES ($1, $2, '神奈川県横浜市', '2020-01-01', 'synthetic_city', "
                         "'2026-04-01T00:00:00+09:00', 'test')",
                         {person_id, sim::local_government_code("14100")}));
  }

  // The yearly assessment of the person as it stands (the lead's assessment service).
  void assess(const std::string& person_id) {
    auto a = premium::assess_person(*db, clock, tables, person_id, kYear, premium::kCauseAnnual, "test");
    ASSERT_TRUE(a) << a.error().message;
    ASSERT_TRUE(a->assessment) << "no assessment for " << person_id;
  }

  // Lets the simulator's answers come and applies them.
  premium::ApplyReport answer_and_apply() {
    for (int i = 0; i < 3; ++i) {
      clock.advance(std::chrono::minutes(10));
      auto run = inquiries->run_due(clock);
      EXPECT_TRUE(run) << run.error().message;
    }
    auto applied = service->apply_due("job:test");
    EXPECT_TRUE(applied) << applied.error().message;
    return applied ? *applied : premium::ApplyReport{};
  }

  premium::PremiumInquiry only(const std::string& person_id, const std::string& kind) {
    auto list = service->for_person(person_id);
    EXPECT_TRUE(list) << list.error().message;
    std::vector<premium::PremiumInquiry> of_kind;
    for (const auto& p : *list)
      if (p.kind == kind) of_kind.push_back(p);
    EXPECT_EQ(of_kind.size(), 1u) << kind << " inquiries of " << person_id;
    return of_kind.empty() ? premium::PremiumInquiry{} : of_kind.front();
  }

  std::string queued_cause(const std::string& person_id) {
    auto rows = db->query("SELECT cause FROM premium_recalc_queue WHERE person_id = $1 AND fiscal_year = $2",
                          {person_id, std::int64_t{kYear}});
    EXPECT_TRUE(rows);
    return rows && !rows->empty() ? (*rows)[0].str(0) : std::string();
  }

  bool selected(const std::vector<premium::InputTarget>& targets, const std::string& person_id, const std::string& kind,
                std::string* reason = nullptr, std::string* municipality = nullptr) {
    for (const auto& t : targets)
      if (t.person_id == person_id && t.inquiry_kind == kind) {
        if (reason) *reason = t.reason;
        if (municipality) *municipality = t.municipality_code;
        return true;
      }
    return false;
  }

  std::vector<premium::InputTarget> targets() {
    std::vector<premium::InputTarget> out;
    auto r = db->with_connection([&](store::Connection& c) -> Result<void> {
      auto t = premium::select_targets(c, *config, kYear);
      if (!t) return std::unexpected(t.error());
      out = *t;
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return out;
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(*Date::parse("2026-11-24"));
  sim::network::SettableClock sim_clock{clock};
  std::unique_ptr<gateway::CodeBook> codes;
  std::unique_ptr<premium::PremiumInputsConfig> config;
  std::vector<premium::PremiumTable> tables;
  std::unique_ptr<sim::network::IntermediateServerSim> simulator;
  std::map<std::string, std::function<void(json&)>> tamper;  // processing_no → change of its items
  std::unique_ptr<gateway::Transport> transport;
  std::unique_ptr<gateway::InquiryService> inquiries;
  std::unique_ptr<premium::PremiumInputsService> service;
};

TEST_P(PremiumInputsTest, FK_03_FK_04_IncomeFromTheMunicipalityOfJanuaryFirstAppliedQueuedAndReassessed) {
  const std::string mover = insured_mover();
  arrived_after_january(mover);
  const std::string former = text("SELECT former_municipality_code FROM person_origin WHERE person_id = $1", {mover});
  // Assessed before the answer: kaigo holds no tax row of its own for a newcomer (未申告 → zero income).
  assess(mover);
  const std::string before = text("SELECT inputs FROM premium_assessment WHERE person_id = $1 AND is_current = 1", {mover});

  auto all = targets();
  std::string reason, municipality;
  ASSERT_TRUE(selected(all, mover, "city_local_tax", &reason, &municipality));
  EXPECT_EQ(reason, premium::kReasonMovedIn);
  EXPECT_EQ(municipality, former) << "the municipality they came from is the one of 1 January";
  // Someone resident here on 1 January is taxed here (FK-01/02), never asked elsewhere.
  const std::string stayer = text(
      "SELECT p.person_id FROM person p JOIN eligibility_period ep ON ep.person_id = p.person_id AND ep.category = '1' "
      "WHERE p.person_id NOT IN (SELECT person_id FROM person_origin) ORDER BY p.person_id LIMIT 1");
  EXPECT_FALSE(selected(all, stayer, "city_local_tax"));

  auto run = service->inquire_bulk(kYear, "job:test");
  ASSERT_TRUE(run) << run.error().message;
  const auto& tax = run->kinds.front();
  EXPECT_EQ(tax.kind, "city_local_tax");
  EXPECT_EQ(tax.request_flow, "FK-03");
  EXPECT_GE(tax.selected, 1);
  EXPECT_EQ(tax.asked, tax.selected);
  EXPECT_EQ(tax.submitted, tax.asked);
  ASSERT_TRUE(tax.bulk_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM inquiry WHERE bulk_id = $1 AND flow_id = 'FK-03'", {*tax.bulk_id}), tax.asked);

  const auto report = answer_and_apply();
  EXPECT_GE(report.applied, 1);
  EXPECT_EQ(report.rejected, 0);
  const auto p = only(mover, "city_local_tax");
  EXPECT_EQ(p.status, "provided");
  ASSERT_EQ(p.outcome.value_or(""), "applied") << p.summary.value_or("") << p.reject_reason.value_or("");
  EXPECT_EQ(p.answer_flow, "FK-04");
  EXPECT_TRUE(p.recalc_queued);
  ASSERT_TRUE(p.answer_exchange_id);
  EXPECT_EQ(text("SELECT flow_id FROM exchange WHERE exchange_id = $1", {*p.answer_exchange_id}), "FK-04");
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1 AND person_id = $2", {*p.answer_exchange_id, mover}), 1);
  // The former city's figures, now kaigo's with the exchange as their source.
  auto rows = db->query(
      "SELECT e.total_income, e.taxable_pension_income, e.resident_tax_taxed, e.source_exchange_id, s.total_income, "
      "s.taxable_pension_income, s.resident_tax_taxed FROM tax_income e JOIN tax_income s ON s.person_id = e.person_id AND "
      "s.tax_year = e.tax_year AND s.source = 'synthetic_city' WHERE e.person_id = $1 AND e.tax_year = 2025 AND e.source = 'exchange'",
      {mover});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  const auto& r = rows->front();
  EXPECT_EQ(r.i64(0), r.i64(4));
  EXPECT_EQ(r.i64(1), r.i64(5));
  EXPECT_EQ(r.i64(2), r.i64(6));
  EXPECT_EQ(r.i64(3), *p.answer_exchange_id);
  EXPECT_EQ(queued_cause(mover), "income");

  // 異動賦課 drains the queue and re-assesses from the applied income.
  auto revisions = premium::run_revisions(*db, clock, tables, "job:test");
  ASSERT_TRUE(revisions) << revisions.error().message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_recalc_queue WHERE person_id = $1", {mover}), 0);
  const std::string after = text("SELECT inputs FROM premium_assessment WHERE person_id = $1 AND is_current = 1", {mover});
  EXPECT_NE(after, before);
  EXPECT_NE(after.find(fmt::format("\"exchange_id\":{}", *p.answer_exchange_id)), std::string::npos) << after;
}

TEST_P(PremiumInputsTest, FK_05_FK_06_HouseholdMembersTaxStatusIncludingOneLivingElsewhere) {
  // An insured person of a household whose former city still lists a member who stayed there.
  std::string chosen;
  {
    auto rows = db->query("SELECT DISTINCT p.person_id, p.household_id FROM person p JOIN eligibility_period ep ON "
                          "ep.person_id = p.person_id AND ep.category = '1' ORDER BY p.person_id");
    ASSERT_TRUE(rows);
    for (const auto& r : *rows)
      if (sim::network::has_member_elsewhere(r.str(1))) {
        chosen = r.str(0);
        break;
      }
  }
  ASSERT_FALSE(chosen.empty());
  became_mover(chosen);
  arrived_after_january(chosen);
  assess(chosen);
  const std::string household = text("SELECT household_id FROM person WHERE person_id = $1", {chosen});
  const auto here = count("SELECT COUNT(*) FROM person WHERE household_id = $1", {household});

  // One person at a time, as staff ask for a revision.
  auto asked = service->inquire(chosen, "city_household", kYear, "premium_staff");
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_EQ(asked->request_flow, "FK-05");
  EXPECT_EQ(asked->reason, premium::kReasonMovedIn);
  EXPECT_EQ(asked->status, "submitted");
  EXPECT_FALSE(asked->outcome);
  auto again = service->inquire(chosen, "city_household", kYear, "premium_staff");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict) << "one is still waiting";

  answer_and_apply();
  const auto p = only(chosen, "city_household");
  ASSERT_EQ(p.outcome.value_or(""), "applied") << p.reject_reason.value_or("");
  EXPECT_EQ(p.answer_flow, "FK-06");
  EXPECT_EQ(count("SELECT COUNT(*) FROM household_member_tax_status WHERE person_id = $1 AND fiscal_year = $2 AND inquiry_id = $3",
                  {chosen, std::int64_t{kYear}, p.inquiry_id}),
            here + 1);
  // The member the former city still lists is not in kaigo's person table: kept by its member number.
  EXPECT_EQ(count("SELECT COUNT(*) FROM household_member_tax_status WHERE person_id = $1 AND member_person_id IS NULL "
                  "AND member_key LIKE 'ext:M%' AND resident_tax_taxed IS NOT NULL AND source = 'exchange' "
                  "AND source_exchange_id = $2 AND base_date = '2026-04-01' AND tax_year = 2025",
                  {chosen, *p.answer_exchange_id}),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM household_member_tax_status WHERE person_id = $1 AND member_person_id = $1", {chosen}), 1);
  EXPECT_EQ(queued_cause(chosen), "household");
  EXPECT_TRUE(p.recalc_queued);
}

TEST_P(PremiumInputsTest, FK_07_FK_08_OldAgeWelfarePensionOfTheInsurersLedgerApplied) {
  // The pension insurer's ledger holds a 老齢福祉年金 for the oldest insured person.
  const std::string oldest = text(
      "SELECT p.person_id FROM person p JOIN eligibility_period ep ON ep.person_id = p.person_id AND ep.category = '1' "
      "ORDER BY p.birth_date, p.person_id LIMIT 1");
  ASSERT_TRUE(db->exec("INSERT INTO pension (person_id, pension_kind, annual_amount, pension_insurer_code, valid_from, valid_to, "
                       "source, recorded_at, recorded_by) VALUES ($1, 'old_age_welfare', 422500, '001', '2001-04-01', NULL, "
                       "'synthetic_city', '2026-04-01T00:00:00+09:00', 'test')",
                       {oldest}));
  assess(oldest);
  std::string reason;
  ASSERT_TRUE(selected(targets(), oldest, "nenkin_old_age_welfare", &reason));
  EXPECT_EQ(reason, premium::kReasonKnownRecipient);

  auto run = service->inquire_bulk(kYear, "job:test");
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->kinds.at(2).request_flow, "FK-07");
  EXPECT_GE(run->kinds.at(2).asked, 1);
  answer_and_apply();
  const auto p = only(oldest, "nenkin_old_age_welfare");
  ASSERT_EQ(p.outcome.value_or(""), "applied") << p.reject_reason.value_or("");
  EXPECT_EQ(p.answer_flow, "FK-08");
  EXPECT_EQ(count("SELECT COUNT(*) FROM pension WHERE person_id = $1 AND pension_kind = 'old_age_welfare' AND source = 'exchange' "
                  "AND annual_amount = 422500 AND valid_from = '2001-04-01' AND valid_to IS NULL AND source_exchange_id = $2",
                  {oldest, *p.answer_exchange_id}),
            1);
  EXPECT_EQ(queued_cause(oldest), "welfare");
  EXPECT_EQ(text("SELECT flow_id FROM exchange WHERE exchange_id = $1", {*p.answer_exchange_id}), "FK-08");
}

TEST_P(PremiumInputsTest, FK_07_TheBirthCohortsOfTheConfigAreAsked) {
  // The statutory cohorts (born by 1916-04-01) have no one alive in the synthetic city: a city
  // whose config named a later cohort would ask its members, and only them.
  auto cfg = premium::PremiumInputsConfig::parse(
      R"({"old_age_welfare_cohorts":[{"born_from":"1936-04-02","born_on_or_before":"1941-04-01","source":"test cohort"}],
          "prefecture_welfare":{"town_village_code_from":300}})",
      "test.json");
  ASSERT_TRUE(cfg) << cfg.error().message;
  std::vector<premium::InputTarget> found;
  ASSERT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
    auto t = premium::select_targets(c, *cfg, kYear);
    if (!t) return std::unexpected(t.error());
    found = *t;
    return {};
  }));
  const auto in_cohort = count(
      "SELECT COUNT(DISTINCT p.person_id) FROM person p JOIN eligibility_period ep ON ep.person_id = p.person_id AND "
      "ep.category = '1' WHERE p.birth_date BETWEEN '1936-04-02' AND '1941-04-01'");
  ASSERT_GT(in_cohort, 0);
  std::int64_t asked = 0;
  for (const auto& t : found)
    if (t.inquiry_kind == "nenkin_old_age_welfare" && t.reason == premium::kReasonCohort) ++asked;
  EXPECT_EQ(asked, in_cohort);
  // The shipped config: the statutory cohorts with their sources.
  EXPECT_TRUE(config->latest_cohort_birth() == std::optional<Date>(*Date::parse("1916-04-01")));
  EXPECT_TRUE(config->in_old_age_welfare_cohort(*Date::parse("1911-04-01")));
  EXPECT_FALSE(config->in_old_age_welfare_cohort(*Date::parse("1916-04-02")));
  for (const auto& c : config->old_age_welfare_cohorts) EXPECT_NE(c.source.find("国民年金法"), std::string::npos);
}

TEST_P(PremiumInputsTest, FK_09_FK_10_WelfareOfAMoverFromATownIsAskedFromThePrefectureAndApplied) {
  // An insured person on 生活保護 (the prefecture's ledger: the synthetic city's row) who came from
  // 神奈川県愛川町, a town whose welfare the prefecture runs (社会福祉法14条).
  const std::string person = text(
      "SELECT a.person_id FROM public_assistance a JOIN eligibility_period ep ON ep.person_id = a.person_id AND "
      "ep.category = '1' ORDER BY a.person_id LIMIT 1");
  const std::string town = sim::local_government_code("14401");
  EXPECT_TRUE(config->welfare_run_by_prefecture(town));
  EXPECT_FALSE(config->welfare_run_by_prefecture(sim::local_government_code("14100"))) << "横浜市 has its own office";
  became_mover(person);
  arrived_after_january(person, town, "神奈川県愛川町");
  assess(person);
  // And one of this city's insured living in a facility in another city (住所地特例): their welfare
  // is run where they live.
  const std::string elsewhere = text(
      "SELECT p.person_id FROM person p JOIN eligibility_period ep ON ep.person_id = p.person_id AND ep.category = '1' "
      "WHERE p.person_id NOT IN (SELECT person_id FROM person_origin) AND p.person_id NOT IN (SELECT person_id FROM "
      "public_assistance) AND p.person_id <> $1 ORDER BY p.person_id DESC LIMIT 1",
      {person});
  // Their address here ended when they moved into the facility (2025-06-01).
  ASSERT_TRUE(db->exec("UPDATE person_history SET valid_to = '2025-06-01' WHERE person_id = $1", {elsewhere}));
  ASSERT_TRUE(db->exec("INSERT INTO former_address_rule (person_id, direction, facility_kind, facility_name, "
                       "facility_municipality_code, other_insurer_no, started_on, source, recorded_at, recorded_by) VALUES "
                       "($1, 'ours_living_elsewhere', 'special_nursing_home', '特別養護老人ホーム テスト', '141305', '141305', "
                       "'2025-06-01', 'staff', '2026-04-01T00:00:00+09:00', 'test')",
                       {elsewhere}));
  auto all = targets();
  std::string reason, municipality;
  ASSERT_TRUE(selected(all, person, "pref_public_assistance", &reason, &municipality));
  EXPECT_EQ(reason, premium::kReasonPrefectureWelfare);
  EXPECT_EQ(municipality, town);
  ASSERT_TRUE(selected(all, elsewhere, "pref_public_assistance", &reason, &municipality));
  EXPECT_EQ(reason, premium::kReasonLivingElsewhere);
  EXPECT_EQ(municipality, "141305");
  // Living in the other city on 1 January: their 2025 income was taxed there too (FK-03).
  EXPECT_TRUE(selected(all, elsewhere, "city_local_tax", &reason));
  EXPECT_EQ(reason, premium::kReasonLivingElsewhere);

  auto run = service->inquire_bulk(kYear, "job:test");
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->kinds.at(3).request_flow, "FK-09");
  EXPECT_EQ(count("SELECT COUNT(*) FROM inquiry WHERE bulk_id = $1 AND flow_id = 'FK-09'", {*run->kinds.at(3).bulk_id}),
            run->kinds.at(3).asked);
  answer_and_apply();
  const auto p = only(person, "pref_public_assistance");
  ASSERT_EQ(p.outcome.value_or(""), "applied") << p.reject_reason.value_or("");
  EXPECT_EQ(p.answer_flow, "FK-10");
  EXPECT_EQ(count("SELECT COUNT(*) FROM public_assistance e JOIN public_assistance s ON s.person_id = e.person_id AND "
                  "s.kind = e.kind AND s.valid_from = e.valid_from AND s.source = 'synthetic_city' WHERE e.person_id = $1 AND "
                  "e.source = 'exchange' AND e.source_exchange_id = $2",
                  {person, *p.answer_exchange_id}),
            1);
  // Queued (with the first cause of the run: the same person's FK-04 may have come first).
  EXPECT_TRUE(p.recalc_queued);
  EXPECT_FALSE(queued_cause(person).empty());
  // Not on welfare in the prefecture's ledger: 該当なし, nothing recorded, nothing queued.
  const auto none = only(elsewhere, "pref_public_assistance");
  EXPECT_EQ(none.outcome.value_or(""), "not_found");
  EXPECT_EQ(count("SELECT COUNT(*) FROM public_assistance WHERE person_id = $1", {elsewhere}), 0);
}

TEST_P(PremiumInputsTest, FK_04_SameAnswerTwiceChangesNothing) {
  const std::string mover = insured_mover();
  arrived_after_january(mover);
  assess(mover);
  auto first = service->inquire(mover, "city_local_tax", kYear, "premium_staff");
  ASSERT_TRUE(first) << first.error().message;
  answer_and_apply();
  auto applied = service->find(first->inquiry_id);
  ASSERT_TRUE(applied && *applied);
  ASSERT_EQ((*applied)->outcome.value_or(""), "applied");
  const auto rows = count("SELECT COUNT(*) FROM tax_income WHERE person_id = $1", {mover});
  const auto log = count("SELECT COUNT(*) FROM exchange_log");

  // The same answer applied again (by hand or by a second instance of the job): nothing changes.
  auto twice = service->apply(first->inquiry_id, "premium_staff");
  ASSERT_TRUE(twice) << twice.error().message;
  EXPECT_EQ(twice->outcome, (*applied)->outcome);
  EXPECT_EQ(twice->applied_at, (*applied)->applied_at);
  EXPECT_EQ(twice->applied_by, "job:test");
  auto none = service->apply_due("job:test");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total(), 0);

  // Asked again: the same figures come back, kaigo already holds them — unchanged, nothing queued.
  ASSERT_TRUE(db->exec("DELETE FROM premium_recalc_queue"));
  auto second = service->inquire(mover, "city_local_tax", kYear, "premium_staff");
  ASSERT_TRUE(second) << second.error().message;
  answer_and_apply();
  const auto p = service->find(second->inquiry_id);
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->outcome.value_or(""), "unchanged") << (*p)->summary.value_or("");
  EXPECT_FALSE((*p)->recalc_queued);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE person_id = $1", {mover}), rows);
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_recalc_queue"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM exchange_log"), log) << "the second inquiry and its answer are exchanges of record";

  // The yearly run asks nobody twice.
  auto run1 = service->inquire_bulk(kYear, "job:test");
  ASSERT_TRUE(run1) << run1.error().message;
  auto run2 = service->inquire_bulk(kYear, "job:test");
  ASSERT_TRUE(run2) << run2.error().message;
  for (std::size_t i = 0; i < run2->kinds.size(); ++i) {
    EXPECT_EQ(run2->kinds[i].asked, 0) << run2->kinds[i].kind;
    EXPECT_EQ(run2->kinds[i].already_asked, run2->kinds[i].selected) << run2->kinds[i].kind;
    EXPECT_FALSE(run2->kinds[i].bulk_id);
  }
}

TEST_P(PremiumInputsTest, FK_04_BadAnswerIsRejectedWithTheFieldAndNothingApplied) {
  const std::string mover = insured_mover();
  arrived_after_january(mover);
  assess(mover);
  const auto rows = count("SELECT COUNT(*) FROM tax_income WHERE person_id = $1", {mover});
  struct Bad {
    std::function<void(json&)> change;
    std::string field;
  };
  const std::vector<Bad> bad{
      {[](json& items) { items["tax_year"] = 2019; }, "answer.items.tax_year"},
      {[](json& items) { items["total_income"] = "百万"; }, "answer.items.total_income"},
      {[](json& items) { items["taxable_pension_income"] = items["public_pension_income"].get<std::int64_t>() + 1; },
       "answer.items.taxable_pension_income"},
      {[](json& items) { items.erase("resident_tax_taxed"); }, "answer.items.resident_tax_taxed"},
      {[&](json& items) { items["person_id"] = "9999999999"; }, "answer.items.person_id"},
  };
  for (const auto& b : bad) {
    auto q = service->inquire(mover, "city_local_tax", kYear, "premium_staff");
    ASSERT_TRUE(q) << q.error().message;
    ASSERT_TRUE(q->processing_no);
    tamper[*q->processing_no] = b.change;
    const auto report = answer_and_apply();
    EXPECT_EQ(report.rejected, 1) << b.field;
    auto p = service->find(q->inquiry_id);
    ASSERT_TRUE(p && *p);
    EXPECT_EQ((*p)->outcome.value_or(""), "rejected") << b.field;
    EXPECT_EQ((*p)->reject_reason.value_or("").rfind(b.field, 0), 0u) << (*p)->reject_reason.value_or("");
    EXPECT_FALSE((*p)->recalc_queued);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE person_id = $1", {mover}), rows) << "nothing half-applied";
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_recalc_queue WHERE person_id = $1", {mover}), 0);
  // The reason names fields, never the values (it is shown beside the inquiry).
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_inquiry WHERE reject_reason LIKE '%9999999999%' OR reject_reason LIKE '%百万%'"), 0);
}

TEST_P(PremiumInputsTest, FK_06_PersonMismatchAndUnknownInquiryAreRejected) {
  const std::string mover = insured_mover();
  arrived_after_january(mover);
  assess(mover);
  // A household answer that does not list the person asked about.
  auto q = service->inquire(mover, "city_household", kYear, "premium_staff");
  ASSERT_TRUE(q) << q.error().message;
  tamper[*q->processing_no] = [&](json& items) {
    json kept = json::array();
    bool numbered = false;
    for (const auto& m : items["members"])
      if (!m.contains("person_id") || m["person_id"] != mover) {
        kept.push_back(m);
        numbered = numbered || m.contains("person_id");
      }
    if (!numbered) kept.push_back({{"person_id", "9999999999"}, {"resident_tax_taxed", 0}});
    items["members"] = kept;
    items["member_count"] = kept.size();
  };
  answer_and_apply();
  auto p = service->find(q->inquiry_id);
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->outcome.value_or(""), "rejected");
  EXPECT_EQ((*p)->reject_reason.value_or("").rfind("answer.items.members", 0), 0u) << (*p)->reject_reason.value_or("");
  EXPECT_EQ(count("SELECT COUNT(*) FROM household_member_tax_status WHERE person_id = $1", {mover}), 0);

  // An inquiry the premium did not send (another business's, or none at all) is refused by number.
  gateway::InquiryRequestSpec other{"city_local_tax", mover, Date(2025, 1, 1), Date(2025, 12, 31), "高額介護サービス費 (KY-08)",
                                    "KY-08", ""};
  auto foreign = inquiries->submit(other, "benefit_staff");
  ASSERT_TRUE(foreign) << foreign.error().message;
  for (std::int64_t id : {foreign->inquiry_id, std::int64_t{987654321}}) {
    auto r = service->apply(id, "premium_staff");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::not_found);
    EXPECT_NE(r.error().message.find("not an inquiry of the premium"), std::string::npos) << r.error().message;
  }
  answer_and_apply();
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE person_id = $1 AND source = 'exchange'", {mover}), 0)
      << "the KY-08 answer is not the premium's to apply";
  // Not answered yet: a conflict, nothing changes.
  auto waiting = service->inquire(mover, "city_local_tax", kYear, "premium_staff");
  ASSERT_TRUE(waiting) << waiting.error().message;
  auto early = service->apply(waiting->inquiry_id, "premium_staff");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().kind, ErrorKind::conflict);
}

TEST_P(PremiumInputsTest, FK_03_AnInquiryEndingWithoutAnAnswerIsFailedAndAskedAgainByTheNextRun) {
  const std::string mover = insured_mover();
  arrived_after_january(mover);
  // The other municipality cannot answer (照会先エラー) this time.
  auto rules = sim::network::Scenario::from_json(json::parse(
      R"({"rules":[{"kind":"city_local_tax","effect":"error","error_code":"E_TARGET","error_message":"照会先エラー"}]})"));
  ASSERT_TRUE(rules) << rules.error().message;
  simulator->set_scenario(*rules);
  auto run1 = service->inquire_bulk(kYear, "job:test");
  ASSERT_TRUE(run1) << run1.error().message;
  const auto report = answer_and_apply();
  EXPECT_GE(report.failed, 1);
  const auto p = only(mover, "city_local_tax");
  EXPECT_EQ(p.status, "error");
  EXPECT_EQ(p.error_code.value_or(""), "E_TARGET");
  EXPECT_EQ(p.outcome.value_or(""), "failed");
  EXPECT_NE(p.summary.value_or("").find("再照会"), std::string::npos) << p.summary.value_or("");
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE person_id = $1 AND source = 'exchange'", {mover}), 0);

  // The next run asks again (and only that).
  simulator->set_scenario(sim::network::Scenario{});
  auto run2 = service->inquire_bulk(kYear, "job:test");
  ASSERT_TRUE(run2) << run2.error().message;
  EXPECT_EQ(run2->kinds.at(0).asked, run1->kinds.at(0).asked);
  EXPECT_EQ(run2->kinds.at(0).already_asked, 0);
  EXPECT_EQ(run2->kinds.at(1).asked, 0) << "the household answers came";
  answer_and_apply();
  auto list = service->for_person(mover);
  ASSERT_TRUE(list);
  int applied = 0;
  for (const auto& q : *list)
    if (q.kind == "city_local_tax" && q.outcome == std::optional<std::string>("applied")) ++applied;
  EXPECT_EQ(applied, 1);
}

INSTANTIATE_TEST_SUITE_P(Db, PremiumInputsTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

TEST(PremiumInputsConfigTest, FK_07_FK_09_ConfigErrorsNameTheField) {
  struct Case {
    const char* text;
    const char* field;
  };
  const Case cases[] = {
      {"[]", "test.json"},
      {R"({"old_age_welfare_cohorts":[],"prefecture_welfare":{"town_village_code_from":300}})", "old_age_welfare_cohorts"},
      {R"({"old_age_welfare_cohorts":[{"born_on_or_before":"1911-13-01","source":"x"}],"prefecture_welfare":{"town_village_code_from":300}})",
       "born_on_or_before"},
      {R"({"old_age_welfare_cohorts":[{"born_on_or_before":"1911-04-01"}],"prefecture_welfare":{"town_village_code_from":300}})",
       "source"},
      {R"({"old_age_welfare_cohorts":[{"born_from":"1916-04-02","born_on_or_before":"1911-04-01","source":"x"}],"prefecture_welfare":{"town_village_code_from":300}})",
       "born_from"},
      {R"({"old_age_welfare_cohorts":[{"born_on_or_before":"1911-04-01","source":"x"}]})", "prefecture_welfare"},
      {R"({"old_age_welfare_cohorts":[{"born_on_or_before":"1911-04-01","source":"x"}],"prefecture_welfare":{"town_village_code_from":"300"}})",
       "town_village_code_from"},
      {R"({"old_age_welfare_cohorts":[{"born_on_or_before":"1911-04-01","source":"x"}],"prefecture_welfare":{"town_village_code_from":300,"towns_with_own_welfare_office":["1440"]}})",
       "towns_with_own_welfare_office"},
  };
  for (const auto& c : cases) {
    auto cfg = premium::PremiumInputsConfig::parse(c.text, "test.json");
    ASSERT_FALSE(cfg) << c.text;
    EXPECT_EQ(cfg.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(cfg.error().field, c.field) << cfg.error().message;
    EXPECT_NE(cfg.error().message.find("test.json"), std::string::npos) << cfg.error().message;
  }
  // A town that set up its own 福祉事務所 is not the prefecture's.
  auto own = premium::PremiumInputsConfig::parse(
      R"({"old_age_welfare_cohorts":[{"born_on_or_before":"1911-04-01","source":"x"}],"prefecture_welfare":{"town_village_code_from":300,"towns_with_own_welfare_office":["144011"]}})",
      "test.json");
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_FALSE(own->welfare_run_by_prefecture("144011"));
  EXPECT_TRUE(own->welfare_run_by_prefecture("143413"));
  EXPECT_FALSE(own->welfare_run_by_prefecture("132012")) << "a 市";
  EXPECT_FALSE(own->welfare_run_by_prefecture("13101X"));
}

// The routes: premium staff ask about one person, read what the answer did, start the yearly run —
// each access-logged; other roles are refused.
class PremiumInputsApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<testing::ServerFixture>(GetParam());
    testing::seed_standard_data(*f);
    auto book = gateway::CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(book) << book.error().message;
    codes = std::make_unique<gateway::CodeBook>(*book);
    sim_clock = std::make_unique<sim::network::SettableClock>(f->clock());
    simulator = std::make_unique<sim::network::IntermediateServerSim>(f->db(), *sim_clock);
    transport = gateway::make_in_process_transport(simulator->handler());
    inquiries = std::make_unique<gateway::InquiryService>(f->db(), *transport, *codes, f->clock());
    f->server().attach_gateway(*inquiries, *codes);
    // 山田 花子 (insured) came from 横浜市 on 2026-02-10; 横浜市 holds her 2025 income.
    ASSERT_TRUE(f->db().exec("INSERT INTO person_origin (person_id, former_municipality_code, former_municipality_name, "
                             "moved_in_on, source, recorded_at, recorded_by) VALUES ('1000000002', '141003', '神奈川県横浜市', "
                             "'2026-02-10', 'synthetic_city', '2026-04-01T00:00:00+09:00', 'test')"));
    ASSERT_TRUE(f->db().exec("UPDATE person_history SET valid_from = '2026-02-10' WHERE person_id = '1000000002'"));
    ASSERT_TRUE(f->db().exec(
        "INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
        "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income, source, "
        "recorded_at, recorded_by) VALUES ('1000000002', 2025, 410000, 1500000, 1500000, 400000, 0, 0, 0, 0, 'synthetic_city', "
        "'2026-04-01T00:00:00+09:00', 'test')"));
  }
  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = f->db().query(sql, params);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows && !rows->empty() ? (*rows)[0].i64(0) : -1;
  }

  std::unique_ptr<testing::ServerFixture> f;
  std::unique_ptr<gateway::CodeBook> codes;
  std::unique_ptr<sim::network::SettableClock> sim_clock;
  std::unique_ptr<sim::network::IntermediateServerSim> simulator;
  std::unique_ptr<gateway::Transport> transport;
  std::unique_ptr<gateway::InquiryService> inquiries;
};

TEST_P(PremiumInputsApiTest, FK_03_FK_04_FromThePersonScreenAndTheYearlyRunThroughTheApi) {
  const std::string path = "/api/v1/persons/1000000002/premium/inquiries";
  testing::ApiClient staff(f->port());
  ASSERT_EQ(staff.login("premium_staff")->status, 200);
  testing::ApiClient other(f->port());
  ASSERT_EQ(other.login("eligibility_staff")->status, 200);
  EXPECT_EQ(other.post(path, R"({"kind":"city_local_tax","fiscal_year":2026})")->status, 403);
  EXPECT_EQ(other.get(path)->status, 403);
  EXPECT_EQ(staff.post(path, R"({"kind":"city_weather","fiscal_year":2026})")->status, 400);
  EXPECT_EQ(staff.post(path, R"({"kind":"city_local_tax","fiscal_year":"this"})")->status, 400);
  EXPECT_EQ(staff.post("/api/v1/persons/1999999999/premium/inquiries", R"({"kind":"city_local_tax","fiscal_year":2026})")->status,
            404);

  auto sent = staff.post(path, R"({"kind":"city_local_tax","fiscal_year":2026})");
  ASSERT_EQ(sent->status, 201) << sent->body;
  json q = json::parse(sent->body);
  EXPECT_EQ(q["request_flow"], "FK-03");
  EXPECT_EQ(q["reason"], premium::kReasonMovedIn);
  EXPECT_EQ(q["municipality_code"], "141003");
  EXPECT_EQ(q["status"], "submitted");
  EXPECT_TRUE(q["outcome"].is_null());
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000002' AND action = 'write' AND resource = $1",
                  {"POST " + std::string("/api/v1/persons/{person_id}/premium/inquiries")}),
            1);

  // The answer comes, the background job applies it.
  f->clock().advance(std::chrono::minutes(10));
  ASSERT_TRUE(inquiries->run_due(f->clock()));
  auto cfg = premium::PremiumInputsConfig::load(KAIGO_SOURCE_CONFIG_DIR);
  ASSERT_TRUE(cfg);
  premium::PremiumInputsService job(f->db(), f->clock(), *cfg, inquiries.get());
  auto applied = job.apply_due("job:premium-inputs");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->applied, 1);

  auto listed = staff.get(path);
  ASSERT_EQ(listed->status, 200) << listed->body;
  json items = json::parse(listed->body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["outcome"], "applied");
  EXPECT_EQ(items[0]["answer_flow"], "FK-04");
  EXPECT_NE(items[0]["summary"].get<std::string>().find("地方税情報 2025年分を記録"), std::string::npos) << items[0];
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000002' AND action = 'read' AND resource = $1",
                  {"GET " + std::string("/api/v1/persons/{person_id}/premium/inquiries")}),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE person_id = '1000000002' AND source = 'exchange' AND total_income = 410000"),
            1);

  // The yearly run: her household (FK-05) is still to ask; her tax was asked already.
  EXPECT_EQ(other.post("/api/v1/premium/inquiries/bulk", R"({"fiscal_year":2026})")->status, 403);
  auto bulk = staff.post("/api/v1/premium/inquiries/bulk", R"({"fiscal_year":2026})");
  ASSERT_EQ(bulk->status, 201) << bulk->body;
  json run = json::parse(bulk->body);
  EXPECT_GT(run["run_id"].get<std::int64_t>(), 0);
  ASSERT_EQ(run["kinds"].size(), 4u);
  EXPECT_EQ(run["kinds"][0]["kind"], "city_local_tax");
  EXPECT_EQ(run["kinds"][0]["already_asked"], 1);
  EXPECT_EQ(run["kinds"][0]["asked"], 0);
  EXPECT_EQ(run["kinds"][1]["kind"], "city_household");
  EXPECT_EQ(run["kinds"][1]["asked"], 1);
  EXPECT_TRUE(run["kinds"][1]["bulk_id"].is_number_integer());
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000002' AND action = 'write' AND "
                  "resource = 'POST /api/v1/premium/inquiries/bulk'"),
            1);
  auto runs = staff.get("/api/v1/premium/inquiries/runs");
  ASSERT_EQ(runs->status, 200) << runs->body;
  EXPECT_EQ(json::parse(runs->body)["items"].size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Db, PremiumInputsApiTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo
