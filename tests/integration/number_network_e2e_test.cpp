// 番号連携 end to end: kaigo's gateway (src/gateway) asking the bundled 中間サーバー simulator
// (sim/number_network), which answers from the synthetic city — every inquiry kind, over the
// in-process transport and over HTTP (`kaigo sim serve`'s service), on both databases. The flow
// catalog rows stay not_yet: the business issues prove them end to end in their own cases.
#include <gtest/gtest.h>

#include <tuple>

#include "audit/chained_log.hpp"
#include "gateway/inquiry_service.hpp"
#include "gateway/provision_service.hpp"
#include "gateway/transport.hpp"
#include "linkage/exchange_store.hpp"
#include "linkage/flow_catalog.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "sim/number_network/http_service.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "sim/number_network/settable_clock.hpp"
#include "test_db.hpp"

namespace kaigo {
namespace {

using Param = std::tuple<std::string, std::string>;  // backend, transport

class NumberNetworkE2E : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(std::get<0>(GetParam()));
    ASSERT_TRUE(db);
    people::MyNumberVault vault(std::string(32, 'v'));
    sim::CityOptions city;
    city.people = 1500;
    city.seed = 1;
    city.base_date = *Date::parse("2026-04-01");
    auto report = sim::generate_city(*db, vault, city);
    ASSERT_TRUE(report) << report.error().message;
    auto book = gateway::CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(book) << book.error().message;
    codes = std::make_unique<gateway::CodeBook>(*book);
    simulator = std::make_unique<sim::network::IntermediateServerSim>(*db, sim_clock);
    if (std::get<1>(GetParam()) == "http") {
      service = std::make_unique<sim::network::HttpService>(*simulator, sim_clock);
      auto port = service->start();
      ASSERT_TRUE(port) << port.error().message;
      transport = gateway::make_http_transport("http://127.0.0.1:" + std::to_string(*port), 10);
    } else {
      transport = gateway::make_in_process_transport(simulator->handler());
    }
    inquiries = std::make_unique<gateway::InquiryService>(*db, *transport, *codes, clock);
  }
  void TearDown() override {
    if (service) service->stop();
  }

  std::string first(const std::string& sql) {
    auto rows = db->query(sql);
    EXPECT_TRUE(rows && !rows->empty()) << sql;
    return rows && !rows->empty() ? rows->front().str(0) : std::string();
  }

  // Submits, lets the first poll come due, polls until final (the simulator answers at once).
  gateway::Inquiry ask(const std::string& kind, const std::string& person_id) {
    gateway::InquiryRequestSpec spec{kind, person_id, *Date::parse("2025-01-01"), *Date::parse("2025-12-31"),
                                     "連携テスト", "", ""};
    auto q = inquiries->submit(spec, "e2e");
    EXPECT_TRUE(q) << kind << ": " << q.error().message;
    if (!q) return {};
    EXPECT_EQ(q->status, gateway::InquiryStatus::submitted) << kind;
    EXPECT_FALSE(q->processing_no.empty()) << kind << ": a 処理通番 at once";
    for (int i = 0; i < 3; ++i) {
      clock.advance(std::chrono::minutes(10));
      auto run = inquiries->run_due(clock);
      EXPECT_TRUE(run) << run.error().message;
      auto now = inquiries->find(q->inquiry_id);
      if (now && *now && gateway::is_final((*now)->status)) return **now;
    }
    return **inquiries->find(q->inquiry_id);
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(*Date::parse("2026-11-24"));
  sim::network::SettableClock sim_clock{clock};
  std::unique_ptr<gateway::CodeBook> codes;
  std::unique_ptr<sim::network::IntermediateServerSim> simulator;
  std::unique_ptr<sim::network::HttpService> service;
  std::unique_ptr<gateway::Transport> transport;
  std::unique_ptr<gateway::InquiryService> inquiries;
};

TEST_P(NumberNetworkE2E, SK_04_SK_05_FormerMunicipalityResidentRecordOfAMover) {
  auto q = ask("city_resident", first("SELECT person_id FROM person_origin ORDER BY person_id LIMIT 1"));
  EXPECT_EQ(q.status, gateway::InquiryStatus::provided) << q.error_message;
  EXPECT_NE(q.answer.find("items"), std::string::npos);
}

TEST_P(NumberNetworkE2E, FK_03_FK_04_LocalTaxFromTheMunicipalityOfJanuaryFirst) {
  auto q = ask("city_local_tax", first("SELECT o.person_id FROM person_origin o JOIN tax_income t ON t.person_id = o.person_id "
                                       "ORDER BY o.person_id LIMIT 1"));
  EXPECT_EQ(q.status, gateway::InquiryStatus::provided) << q.error_message;
  EXPECT_NE(q.answer.find("total_income"), std::string::npos) << q.answer;
}

TEST_P(NumberNetworkE2E, SK_12_SK_13_MedicalInsuranceAndNotFoundWithoutOne) {
  auto insured = ask("iryo_insurance", first("SELECT person_id FROM medical_insurance ORDER BY person_id LIMIT 1"));
  EXPECT_EQ(insured.status, gateway::InquiryStatus::provided) << insured.error_message;
  auto child = ask("iryo_insurance", first("SELECT person_id FROM person WHERE person_id NOT IN (SELECT person_id FROM "
                                           "medical_insurance) ORDER BY birth_date DESC LIMIT 1"));
  EXPECT_EQ(child.status, gateway::InquiryStatus::not_found);
}

TEST_P(NumberNetworkE2E, SK_14_SK_15_PublicAssistanceFromThePrefecture) {
  auto q = ask("pref_public_assistance", first("SELECT person_id FROM public_assistance ORDER BY person_id LIMIT 1"));
  EXPECT_EQ(q.status, gateway::InquiryStatus::provided) << q.error_message;
  EXPECT_NE(q.answer.find("started_on"), std::string::npos) << q.answer;
  auto none = ask("pref_public_assistance", first("SELECT person_id FROM person WHERE person_id NOT IN (SELECT person_id "
                                                  "FROM public_assistance) ORDER BY person_id LIMIT 1"));
  EXPECT_EQ(none.status, gateway::InquiryStatus::not_found);
}

TEST_P(NumberNetworkE2E, EveryOtherKindReachesAFinalAnswer) {
  const std::string mover = first("SELECT person_id FROM person_origin ORDER BY person_id LIMIT 1");
  const std::string insured_40_64 = first("SELECT person_id FROM medical_insurance ORDER BY person_id LIMIT 1");
  const std::string oldest = first("SELECT person_id FROM person ORDER BY birth_date, person_id LIMIT 1");
  for (auto [kind, person] : {std::pair{"city_certificate", mover}, std::pair{"city_former_address_rule", mover},
                              std::pair{"city_household", mover}, std::pair{"iryo_arrears", insured_40_64},
                              std::pair{"nenkin_old_age_welfare", oldest}}) {
    auto q = ask(kind, person);
    EXPECT_TRUE(q.status == gateway::InquiryStatus::provided || q.status == gateway::InquiryStatus::not_found)
        << kind << " ended " << gateway::to_string(q.status) << " " << q.error_message;
  }
}

TEST_P(NumberNetworkE2E, BulkInquiryIsAnsweredAndRecordedInTheExchangeLog) {
  std::vector<std::string> movers;
  auto rows = db->query("SELECT person_id FROM person_origin ORDER BY person_id");
  ASSERT_TRUE(rows);
  for (const auto& r : *rows) movers.push_back(r.str(0));
  ASSERT_GE(movers.size(), 20u);
  auto receipt = inquiries->submit_bulk("city_local_tax", movers, *Date::parse("2025-01-01"), *Date::parse("2025-12-31"),
                                        "本算定 転入者の所得照会", "batch:annual_assessment");
  ASSERT_TRUE(receipt) << receipt.error().message;
  EXPECT_EQ(receipt->count, static_cast<std::int64_t>(movers.size()));
  clock.advance(std::chrono::minutes(10));
  ASSERT_TRUE(inquiries->run_due(clock));
  gateway::InquiryFilter open;
  open.kind = "city_local_tax";
  open.limit = 1000;
  auto all = inquiries->list(open);
  ASSERT_TRUE(all);
  for (const auto& q : *all) EXPECT_TRUE(gateway::is_final(q.status)) << q.person_id << " " << gateway::to_string(q.status);
  auto traffic = linkage::flow_traffic(*db);
  ASSERT_TRUE(traffic);
  EXPECT_GE((*traffic)["FK-03"].count, 1);
  EXPECT_GE((*traffic)["FK-04"].count, 1);
  auto log = audit::verify(*db, linkage::exchange_log_spec());
  ASSERT_TRUE(log);
  EXPECT_FALSE(log->first_broken_seq) << log->reason;
}

// 副本: the city's eligibility data set for every insured person, registered at the 中間サーバー
// in capped sends; a second full re-send of the same version registers nothing new.
TEST_P(NumberNetworkE2E, EligibilityCopiesAreRegisteredInCappedSends) {
  auto staged = gateway::stage_eligibility(*db, clock, "2026-11-24#1");
  ASSERT_TRUE(staged) << staged.error().message;
  ASSERT_GT(*staged, 100);
  auto report = gateway::register_pending(*db, *transport, clock, 100, 1000);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->registered, *staged);
  EXPECT_EQ(report->remaining, 0);
  EXPECT_EQ(report->sends, (*staged + 99) / 100);
  EXPECT_EQ(simulator->stats().copies, *staged);
  auto again = gateway::stage_eligibility(*db, clock, "2026-11-24#1");
  ASSERT_TRUE(again);
  EXPECT_EQ(gateway::register_pending(*db, *transport, clock, 100, 1000)->registered, 0);
  EXPECT_EQ(simulator->stats().copies, *staged);
}

std::string name(const ::testing::TestParamInfo<Param>& info) {
  return std::get<0>(info.param) + "_" + std::get<1>(info.param);
}

std::vector<Param> params() {
  std::vector<Param> out;
  for (const auto& b : testing::backends())
    for (const char* t : {"in_process", "http"}) out.emplace_back(b, t);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Db, NumberNetworkE2E, ::testing::ValuesIn(params()), name);

}  // namespace
}  // namespace kaigo
