// 認定 applications end to end (NT-01 … NT-05, the clock, 延期通知, the report): intake of every
// kind and its refusals (nothing written), the NT-01 document in the outbox, the category-2
// checks through kaigo's gateway to the bundled 中間サーバー simulator and back to the
// application, the clock on a fixed calendar, the list filters and the report on a known set.
// SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "certification/application.hpp"
#include "certification/codes.hpp"
#include "eligibility/register.hpp"
#include "gateway/codes.hpp"
#include "gateway/inquiry_service.hpp"
#include "gateway/transport.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/simulator_channel.hpp"
#include "sim/shinsa/shinsa_sim.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "sim/number_network/scenario.hpp"
#include "sim/number_network/shares.hpp"
#include "test_db.hpp"

namespace kaigo {
namespace {

using certification::ApplicationService;
using certification::ClockState;
using certification::IntakeRequest;
using certification::ListFilter;
using nlohmann::json;

const Date kDay0 = Date(2026, 11, 2);  // 申請日 of most cases here

class CertificationApplicationTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    auto cfg = certification::CertificationConfig::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(cfg) << cfg.error().message;
    config = std::make_unique<certification::CertificationConfig>(std::move(*cfg));
    auto book = gateway::CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(book) << book.error().message;
    codes = std::make_unique<gateway::CodeBook>(std::move(*book));
    simulator = std::make_unique<sim::network::IntermediateServerSim>(*db, clock);
    transport = gateway::make_in_process_transport(simulator->handler());
    gateway::GatewayOptions options;
    options.first_poll = std::chrono::seconds(0);  // the simulator answers at once
    inquiries = std::make_unique<gateway::InquiryService>(*db, *transport, *codes, clock, options);
    service = std::make_unique<ApplicationService>(*db, clock, *config, inquiries.get());
  }

  // A resident since `moved_in` (default: birth); with medical insurance from 2000 when `insured_40_64`.
  void person(const std::string& id, const std::string& birth, const std::string& kana, bool medical_insurance = false,
              std::optional<Date> moved_in = std::nullopt) {
    auto r = db->transaction([&](store::Connection& c) -> Result<void> {
      if (auto e = c.exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                          "ward_code, household_id, relation, registry_status, updated_at) VALUES ($1, $2, $3, $4, '2', "
                          "'1000001', 'みどり市中央区本町1丁目1番1号', '981', $5, '世帯主', 'resident', "
                          "'2026-01-01T00:00:00+09:00')",
                          {id, "試験 " + id.substr(6), kana, birth, "H" + id});
          !e)
        return std::unexpected(e.error());
      const eligibility::ChangeSource src{"synthetic_city", std::nullopt, std::nullopt, "test", "fixture"};
      auto in = eligibility::record_address_fact(
          c, clock, id, eligibility::AddressFact{eligibility::AddressFactKind::move_in, moved_in.value_or(*Date::parse(birth)),
                                                 std::nullopt, ""},
          src);
      if (!in) return std::unexpected(in.error());
      if (medical_insurance) {
        auto m = eligibility::record_medical_insurance_gained(
            c, clock, id, eligibility::MedicalInsuranceGain{"kyokai_kenpo", "01130012", Date(2000, 4, 1)}, src);
        if (!m) return std::unexpected(m.error());
      }
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  // A person aged 40–64 with medical insurance whose simulated insurer reports arrears (or not).
  std::string category_2(bool arrears, const std::string& from = "1000000500") {
    for (std::int64_t n = std::stoll(from); n < std::stoll(from) + 10000; ++n) {
      const std::string id = std::to_string(n);
      if (sim::network::has_arrears(id) == arrears) {
        person(id, "1970-05-01", "ニゴウ " + id.substr(6), true);
        return id;
      }
    }
    ADD_FAILURE() << "no person id with arrears " << arrears;
    return {};
  }

  // A certification in force, as a decided application would have left it.
  std::int64_t certified(const std::string& person_id, const std::string& level, const std::string& from, const std::string& to) {
    std::int64_t cert = 0;
    auto r = db->transaction([&](store::Connection& c) -> Result<void> {
      auto app = c.query_one(
          "INSERT INTO certification_application (application_no, person_id, insured_no, kind, category, applied_on, deadline_on, "
          "place, applicant_relation, status, decided_on, created_at, created_by, updated_at) SELECT $1, person_id, insured_no, "
          "'new', '1', $2, $2, 'home', '本人', 'notified', $2, 'x', 'test', 'x' FROM insured_number WHERE person_id = $3 "
          "RETURNING application_id",
          {"X" + person_id + from, from, person_id});
      if (!app) return std::unexpected(app.error());
      auto made = c.query_one(
          "INSERT INTO care_certification (person_id, application_id, care_level, valid_from, valid_to, certified_on, "
          "monthly_cap_units, status, recorded_at) VALUES ($1, $2, $3, $4, $5, $4, 16765, 'current', 'x') RETURNING certification_id",
          {person_id, (*app)->i64(0), level, from, to});
      if (!made) return std::unexpected(made.error());
      cert = (*made)->i64(0);
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return cert;
  }

  IntakeRequest request(const std::string& person_id, const std::string& kind, Date applied_on = kDay0) {
    return IntakeRequest{person_id, kind, applied_on, "home", "本人", std::nullopt, ""};
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

  // The gateway's polls (the simulator answers at once), then the NT-03/NT-05 job.
  certification::CheckRunReport answer_checks() {
    for (int i = 0; i < 3; ++i) {
      clock.advance(std::chrono::minutes(1));
      auto run = inquiries->run_due(clock);
      EXPECT_TRUE(run) << run.error().message;
    }
    auto applied = certification::run_checks_due(*db, clock, inquiries.get(), "job:test");
    EXPECT_TRUE(applied) << applied.error().message;
    return applied ? *applied : certification::CheckRunReport{};
  }

  certification::Application app(std::int64_t id) {
    auto a = service->find(id);
    EXPECT_TRUE(a && *a);
    return a && *a ? **a : certification::Application{};
  }

  void today(Date d) { clock.set(FixedClock::at(d).now()); }

  // The committee-support system (the bundled shinsa simulator) on a simulator channel: the
  // dispatcher sends the outbox to it as kaigo serve does.
  void with_shinsa() {
    for (const char* counterpart : {"shinsa", "chosa", "iryokikan"}) {
      sim_channels[counterpart] = std::make_shared<linkage::SimulatorChannel>(counterpart);
      channels.bind(counterpart, sim_channels[counterpart]);
    }
    auto made = sim::shinsa::ShinsaSim::create(*config, sim_channels["shinsa"].get(), sim_channels["chosa"].get(),
                                               sim_channels["iryokikan"].get(), 6, sim::shinsa::ShinsaOptions{kDay0});
    ASSERT_TRUE(made) << made.error().message;
    shinsa = std::move(*made);
  }
  linkage::DispatchReport dispatch() {
    linkage::Dispatcher dispatcher(linkage::InboundHandlers{});
    auto report = dispatcher.run_once(*db, channels, clock);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : linkage::DispatchReport{};
  }

  std::unique_ptr<store::Database> db;
  linkage::ChannelSet channels;
  std::map<std::string, std::shared_ptr<linkage::SimulatorChannel>> sim_channels;
  std::unique_ptr<sim::shinsa::ShinsaSim> shinsa;
  FixedClock clock = FixedClock::at(kDay0);
  std::unique_ptr<certification::CertificationConfig> config;
  std::unique_ptr<gateway::CodeBook> codes;
  std::unique_ptr<sim::network::IntermediateServerSim> simulator;
  std::unique_ptr<gateway::Transport> transport;
  std::unique_ptr<gateway::InquiryService> inquiries;
  std::unique_ptr<ApplicationService> service;
};

// ---- NT-01 intake -----------------------------------------------------------------------------

TEST_P(CertificationApplicationTest, NT_01_NewApplicationGetsItsClockAndGoesToShinsa) {
  person("1000000001", "1944-03-01", "ヤマダ ハナコ");
  auto a = service->intake(request("1000000001", "new"), "staff1");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row.application_no, "A2026000001");
  EXPECT_EQ(a->row.status, "received");
  EXPECT_EQ(a->row.category, "1");
  EXPECT_EQ(a->row.deadline_on, Date(2026, 12, 2));  // 30 days (法27条11項, the rule file)
  EXPECT_EQ(a->row.warn_on, Date(2026, 11, 27));
  EXPECT_EQ(a->row.clock.days_elapsed, 0);
  EXPECT_EQ(a->row.clock.days_left, 30);
  EXPECT_EQ(a->row.clock.state, ClockState::on_time);
  EXPECT_EQ(a->row.insurance_check, "not_needed");
  ASSERT_TRUE(a->handed_exchange_id);
  EXPECT_EQ(a->stages.size(), 7u);
  EXPECT_EQ(a->stages[0].days, 0);  // 申請→調査依頼 is running from today

  // The NT-01 document in the outbox, to shinsa, with the person and the clock.
  auto ex = db->query("SELECT flow_id, counterpart, direction, status, idempotency_key, payload FROM exchange WHERE exchange_id = $1",
                      {*a->handed_exchange_id});
  ASSERT_TRUE(ex && ex->size() == 1);
  const auto& e = ex->front();
  EXPECT_EQ(e.str(0), "NT-01");
  EXPECT_EQ(e.str(1), "shinsa");
  EXPECT_EQ(e.str(2), "outbound");
  EXPECT_EQ(e.str(3), "queued");
  EXPECT_EQ(e.str(4), "out:NT-01:application:A2026000001");  // the outbox prefixes the business key
  const json doc = json::parse(e.str(5));
  EXPECT_EQ(doc["format"], "kaigo.shinsa.application/1");
  EXPECT_EQ(doc["application_no"], "A2026000001");
  EXPECT_EQ(doc["insured_no"], a->row.insured_no);
  EXPECT_EQ(doc["kind"], "new");
  EXPECT_EQ(doc["category"], "1");
  EXPECT_EQ(doc["applied_on"], "2026-11-02");
  EXPECT_EQ(doc["deadline_on"], "2026-12-02");
  EXPECT_EQ(doc["place"], "home");
  EXPECT_TRUE(doc["specified_disease"].is_null());
  EXPECT_EQ(doc["person"]["name_kana"], "ヤマダ ハナコ");
  EXPECT_EQ(doc["person"]["birth_date"], "1944-03-01");
  EXPECT_TRUE(doc["previous"].is_null());
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1 AND person_id = '1000000001'",
                  {*a->handed_exchange_id}),
            1);
  // A category-1 applicant asks nothing of the medical insurers.
  EXPECT_EQ(count("SELECT COUNT(*) FROM inquiry"), 0);
  // The dispatcher hands it over the shinsa channel; the committee-support system knows it now.
  with_shinsa();
  EXPECT_EQ(dispatch().sent, 1);
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {*a->handed_exchange_id}), "sent");
  ASSERT_EQ(sim_channels["shinsa"]->received().size(), 1u);
  EXPECT_EQ(sim_channels["shinsa"]->received()[0].flow_id, "NT-01");
  EXPECT_EQ(shinsa->pending().applications, 1);
  EXPECT_EQ(dispatch().sent, 0);  // sent once
}

TEST_P(CertificationApplicationTest, NT_01_RefusalsWriteNothing) {
  person("1000000001", "1996-01-10", "ワカイ ヒト");                      // 30: not insured
  person("1000000002", "1970-05-01", "ニゴウ イチ", true);                 // category 2
  person("1000000003", "1944-03-01", "イチゴウ イチ");                     // category 1
  person("1000000004", "1944-03-01", "ゴウシャ イチ");
  auto expect_refused = [&](const IntakeRequest& r, ErrorKind kind, const std::string& field) {
    auto a = service->intake(r, "staff1");
    ASSERT_FALSE(a) << r.person_id << " " << r.kind;
    EXPECT_EQ(a.error().kind, kind) << a.error().message;
    EXPECT_EQ(a.error().field, field) << a.error().message;
  };
  expect_refused(request("1000000001", "new"), ErrorKind::conflict, "person_id");            // not insured on the day
  expect_refused(request("1999999999", "new"), ErrorKind::not_found, "person_id");
  expect_refused(request("1000000002", "new"), ErrorKind::invalid_input, "specified_disease");  // category 2 without 特定疾病
  auto unknown = request("1000000002", "new");
  unknown.specified_disease = "99";
  expect_refused(unknown, ErrorKind::invalid_input, "specified_disease");
  auto cat1_with_disease = request("1000000003", "new");
  cat1_with_disease.specified_disease = "01";
  expect_refused(cat1_with_disease, ErrorKind::invalid_input, "specified_disease");
  expect_refused(request("1000000003", "sideways"), ErrorKind::invalid_input, "kind");
  expect_refused(request("1000000003", "new", kDay0.add_days(1)), ErrorKind::invalid_input, "applied_on");
  auto bad_place = request("1000000003", "new");
  bad_place.place = "garden";
  expect_refused(bad_place, ErrorKind::invalid_input, "place");
  auto bad_relation = request("1000000003", "new");
  bad_relation.applicant_relation = "隣人";
  expect_refused(bad_relation, ErrorKind::invalid_input, "applicant_relation");
  expect_refused(request("1000000003", "change"), ErrorKind::invalid_input, "reason");      // 区分変更 needs its reason
  expect_refused(request("1000000003", "ex_officio"), ErrorKind::invalid_input, "reason");  // 職権 too
  auto change = request("1000000003", "change");
  change.reason = "状態の悪化";
  expect_refused(change, ErrorKind::conflict, "kind");                                        // nothing to change
  expect_refused(request("1000000003", "renewal"), ErrorKind::conflict, "kind");              // nothing to renew
  expect_refused(request("1000000004", "transfer"), ErrorKind::conflict, "kind");             // no 受給資格証明書
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_application"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange"), 0);
  EXPECT_EQ(count("SELECT next_value FROM number_sequence WHERE name = 'certification_application'"), 1);

  // A second open application of the person is a conflict; after a withdrawal a new one is taken.
  auto first = service->intake(request("1000000003", "new"), "staff1");
  ASSERT_TRUE(first) << first.error().message;
  expect_refused(request("1000000003", "new"), ErrorKind::conflict, "person_id");
  ASSERT_TRUE(service->withdraw(first->row.application_id, "本人の意向", "staff1"));
  auto again = service->intake(request("1000000003", "new"), "staff1");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->row.application_no, "A2026000002");
}

TEST_P(CertificationApplicationTest, NT_01_RenewalOnlyInItsWindowAndChangeWithACurrentCertification) {
  person("1000000001", "1944-03-01", "コウシン イチ");
  const std::int64_t cert = certified("1000000001", "care_1", "2026-02-01", "2027-01-31");
  // A new application while certified: refused (file a renewal or a change).
  auto fresh = service->intake(request("1000000001", "new"), "staff1");
  ASSERT_FALSE(fresh);
  EXPECT_EQ(fresh.error().field, "kind");
  // The renewal window opens 60 days before the end (2026-12-03 … 2027-01-31).
  auto early = service->intake(request("1000000001", "renewal"), "staff1");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().kind, ErrorKind::conflict);
  EXPECT_EQ(early.error().field, "applied_on");
  EXPECT_NE(early.error().message.find("2026-12-03"), std::string::npos) << early.error().message;
  today(Date(2026, 12, 3));
  auto renewal = service->intake(request("1000000001", "renewal", Date(2026, 12, 3)), "staff1");
  ASSERT_TRUE(renewal) << renewal.error().message;
  EXPECT_EQ(renewal->previous_certification_id, cert);
  ASSERT_TRUE(renewal->previous_certification);
  EXPECT_EQ(renewal->previous_certification->care_level, "care_1");
  const json doc = json::parse(text("SELECT payload FROM exchange WHERE exchange_id = $1", {*renewal->handed_exchange_id}));
  EXPECT_EQ(doc["kind"], "renewal");
  EXPECT_EQ(doc["previous"], json({{"care_level", "care_1"}, {"valid_from", "2026-02-01"}, {"valid_to", "2027-01-31"}}));

  // 区分変更 of another certified person, with its reason.
  person("1000000002", "1944-03-01", "ヘンコウ イチ");
  const std::int64_t cert2 = certified("1000000002", "support_2", "2026-06-01", "2027-05-31");
  auto change = request("1000000002", "change", Date(2026, 12, 3));
  change.reason = "転倒後の状態悪化";
  auto changed = service->intake(change, "staff1");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->previous_certification_id, cert2);
  EXPECT_EQ(changed->reason, "転倒後の状態悪化");
  // 職権 with its reason; 申請者 defaults to 職権.
  person("1000000003", "1944-03-01", "ショッケン イチ");
  auto ex = request("1000000003", "ex_officio", Date(2026, 12, 3));
  ex.applicant_relation = "";
  ex.reason = "独居高齢者の安否確認で把握";
  auto ex_officio = service->intake(ex, "staff1");
  ASSERT_TRUE(ex_officio) << ex_officio.error().message;
  EXPECT_EQ(ex_officio->applicant_relation, "職権");
}

// A person who moved in on 2026-10-20 with a 受給資格証明書 of the former city (SK-09).
void with_certificate(store::Database& db, const std::string& person_id) {
  ASSERT_TRUE(db.exec("INSERT INTO movement_case (person_id, movement_kind, movement_date, notified_on, notifier, note, status, "
                      "created_at, created_by) VALUES ($1, 'move_in', '2026-10-20', '2026-10-20', '本人', '', "
                      "'completed', 'x', 'test')",
                      {person_id}));
  ASSERT_TRUE(db.exec("INSERT INTO certificate_of_entitlement (person_id, case_id, inquiry_id, insurer_no, care_level, "
                      "certified_from, certified_to, certified_on, acquired_on, applied_on, carries_over, recorded_at, "
                      "recorded_by) SELECT $1, MAX(case_id), MAX(case_id) + 76, '141003', 'care_2', '2026-04-01', "
                      "'2027-03-31', '2026-03-20', '2026-10-20', '2026-10-20', 1, 'x', 'test' FROM movement_case",
                      {person_id}));
}

TEST_P(CertificationApplicationTest, NT_01_TransferWithin14DaysIsDecidedOnTheCertificate) {
  person("1000000001", "1944-03-01", "テンニュウ イチ", false, Date(2026, 10, 20));
  with_certificate(*db, "1000000001");
  // Applied on 2026-11-02, within 14 days of acquisition (法36条): certified at once on the certificate's terms.
  auto a = service->intake(request("1000000001", "transfer"), "staff1");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row.status, "decided");
  EXPECT_EQ(a->row.clock.state, ClockState::done);
  EXPECT_EQ(a->row.clock.days_elapsed, 0);
  ASSERT_TRUE(a->certificate_id);
  ASSERT_TRUE(a->decision);
  EXPECT_EQ(a->decision->care_level, "care_2");
  EXPECT_FALSE(a->decision->session_id);
  ASSERT_TRUE(a->certification);
  EXPECT_EQ(a->certification->care_level, "care_2");
  EXPECT_EQ(a->certification->valid_from, "2026-11-02");
  EXPECT_EQ(a->certification->valid_to, "2027-03-31");
  EXPECT_EQ(a->certification->status, "current");
  // shinsa still hears of it, with the former city's terms as "previous".
  const json doc = json::parse(text("SELECT payload FROM exchange WHERE exchange_id = $1", {*a->handed_exchange_id}));
  EXPECT_EQ(doc["kind"], "transfer");
  EXPECT_EQ(doc["previous"]["care_level"], "care_2");
  EXPECT_EQ(doc["previous"]["insurer_no"], "141003");
  // Certified here now: a second transfer or a new application is refused.
  auto twice = service->intake(request("1000000001", "transfer"), "staff1");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
}

TEST_P(CertificationApplicationTest, NT_01_TransferPast14DaysIsRefused) {
  person("1000000001", "1944-03-01", "テンニュウ イチ", false, Date(2026, 10, 20));
  with_certificate(*db, "1000000001");
  // 14 days after acquisition is 2026-11-03; on 2026-11-04 the certificate no longer carries over (法36条).
  today(Date(2026, 11, 4));
  auto late = service->intake(request("1000000001", "transfer", Date(2026, 11, 4)), "staff1");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().kind, ErrorKind::conflict);
  EXPECT_EQ(late.error().field, "applied_on");
  EXPECT_NE(late.error().message.find("new application"), std::string::npos) << late.error().message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_application"), 0);
  // Staff file a new application instead.
  auto fresh = service->intake(request("1000000001", "new", Date(2026, 11, 4)), "staff1");
  ASSERT_TRUE(fresh) << fresh.error().message;
}

TEST_P(CertificationApplicationTest, NT_01_WithdrawalSendsTheApplicationAgainWithWithdrawnOn) {
  person("1000000001", "1944-03-01", "トリサゲ イチ");
  auto a = service->intake(request("1000000001", "new"), "staff1");
  ASSERT_TRUE(a) << a.error().message;
  today(kDay0.add_days(3));
  auto w = service->withdraw(a->row.application_id, "入院のため本人が取下げ", "staff2");
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->row.status, "withdrawn");
  EXPECT_EQ(w->row.clock.state, ClockState::done);
  EXPECT_EQ(w->row.clock.days_elapsed, 3);
  ASSERT_TRUE(w->row.withdrawn_on);
  EXPECT_EQ(*w->row.withdrawn_on, kDay0.add_days(3));
  auto docs = db->query("SELECT idempotency_key, payload FROM exchange WHERE flow_id = 'NT-01' ORDER BY exchange_id");
  ASSERT_TRUE(docs && docs->size() == 2);
  EXPECT_EQ((*docs)[1].str(0), "out:NT-01:withdrawal:A2026000001");
  const json doc = json::parse((*docs)[1].str(1));
  EXPECT_EQ(doc["application_no"], "A2026000001");
  EXPECT_EQ(doc["withdrawn_on"], "2026-11-05");
  EXPECT_EQ(doc["withdraw_reason"], "入院のため本人が取下げ");
  // Both documents reach shinsa over its channel, the withdrawal after the application.
  with_shinsa();
  EXPECT_EQ(dispatch().sent, 2);
  ASSERT_EQ(sim_channels["shinsa"]->received().size(), 2u);
  EXPECT_TRUE(json::parse(sim_channels["shinsa"]->received()[1].payload).contains("withdrawn_on"));
  auto twice = service->withdraw(a->row.application_id, "again", "staff2");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'NT-01'"), 2);
  auto empty = service->withdraw(a->row.application_id, "", "staff2");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().field, "reason");
}

// ---- NT-02 … NT-05 over the gateway -----------------------------------------------------------

TEST_P(CertificationApplicationTest, NT_02_NT_03_NT_04_NT_05_Category2ChecksThroughTheGateway) {
  const std::string in_arrears = category_2(true);
  const std::string paid_up = category_2(false, "1000020000");
  auto r1 = request(in_arrears, "new");
  r1.specified_disease = "16";
  auto a1 = service->intake(r1, "staff1");
  ASSERT_TRUE(a1) << a1.error().message;
  EXPECT_EQ(a1->row.category, "2");
  EXPECT_EQ(*a1->specified_disease, "16");
  auto r2 = request(paid_up, "new");
  r2.specified_disease = "02";
  auto a2 = service->intake(r2, "staff1");
  ASSERT_TRUE(a2) << a2.error().message;
  // NT-02 and NT-04 asked at intake, each linked to its application.
  EXPECT_EQ(a1->row.insurance_check, "pending");
  EXPECT_EQ(a1->row.arrears_check, "pending");
  ASSERT_TRUE(a1->insurance_inquiry_id && a1->arrears_inquiry_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM inquiry WHERE person_id = $1 AND flow_id = 'NT-02' AND kind = 'iryo_insurance'", {in_arrears}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM inquiry WHERE person_id = $1 AND flow_id = 'NT-04' AND kind = 'iryo_arrears'", {in_arrears}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id IN ('NT-02', 'NT-04') AND direction = 'outbound'"), 4);

  auto report = answer_checks();
  EXPECT_EQ(report.applied, 4);
  EXPECT_EQ(report.rejected, 0);
  // NT-03 / NT-05 answers are inbound exchanges, applied to the applications.
  EXPECT_GE(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'NT-03' AND direction = 'inbound'"), 1);
  EXPECT_GE(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'NT-05' AND direction = 'inbound'"), 1);
  const auto x1 = app(a1->row.application_id);
  EXPECT_EQ(x1.row.insurance_check, "insured");
  EXPECT_EQ(x1.row.arrears_check, "in_arrears");
  ASSERT_TRUE(x1.arrears_months);
  EXPECT_EQ(*x1.arrears_months, 1 + sim::network::share_pick("arrears_months", in_arrears, 12));
  ASSERT_EQ(x1.checks.size(), 2u);
  EXPECT_EQ(x1.checks[0].request_flow, "NT-02");
  EXPECT_EQ(x1.checks[0].outcome.value_or(""), "insured");
  EXPECT_EQ(x1.checks[1].outcome.value_or(""), "in_arrears");
  ASSERT_TRUE(x1.checks[1].summary);
  EXPECT_NE(x1.checks[1].summary->find("法68条"), std::string::npos);
  const auto x2 = app(a2->row.application_id);
  EXPECT_EQ(x2.row.insurance_check, "insured");
  EXPECT_EQ(x2.row.arrears_check, "none");

  // The same answers again change nothing.
  auto again = answer_checks();
  EXPECT_EQ(again.total(), 0);
  EXPECT_EQ(app(a1->row.application_id).row.arrears_check, "in_arrears");
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_check"), 4);
}

TEST_P(CertificationApplicationTest, NT_03_NotInsuredIsFlaggedAndAFailedInquiryIsAskedAgain) {
  const std::string uninsured = category_2(false);
  const std::string unlucky = category_2(false, "1000030000");
  // The medical insurer has no record of the first (該当なし); the second's arrears inquiry errors.
  simulator->set_scenario(sim::network::Scenario({sim::network::ScenarioRule{uninsured, "iryo_insurance", 0,
                                                                             sim::network::Effect::not_found},
                                                  sim::network::ScenarioRule{unlucky, "iryo_arrears", 0,
                                                                             sim::network::Effect::error}}));
  auto r1 = request(uninsured, "new");
  r1.specified_disease = "05";
  auto a1 = service->intake(r1, "staff1");
  ASSERT_TRUE(a1) << a1.error().message;
  auto r2 = request(unlucky, "new");
  r2.specified_disease = "05";
  auto a2 = service->intake(r2, "staff1");
  ASSERT_TRUE(a2) << a2.error().message;
  auto report = answer_checks();
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(report.asked, 1);  // the failed NT-04 asked again at once
  const auto x1 = app(a1->row.application_id);
  EXPECT_EQ(x1.row.insurance_check, "not_insured");  // a 40–64 year-old without medical insurance is not insured: staff look
  auto flagged = service->list({ListFilter::open, "", 50, 0});
  ASSERT_TRUE(flagged);
  bool seen = false;
  for (const auto& row : flagged->items)
    if (row.application_id == a1->row.application_id) {
      seen = true;
      EXPECT_EQ(row.insurance_check, "not_insured");
    }
  EXPECT_TRUE(seen);
  // The error persists: asked at most kMaxCheckAttempts times, then left pending for staff.
  for (int i = 0; i < 4; ++i) answer_checks();
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_check WHERE application_id = $1 AND check_kind = 'arrears'",
                  {a2->row.application_id}),
            certification::kMaxCheckAttempts);
  EXPECT_EQ(app(a2->row.application_id).row.arrears_check, "pending");
  EXPECT_EQ(app(a2->row.application_id).row.insurance_check, "insured");
}

TEST_P(CertificationApplicationTest, NT_05_AnAnswerAboutAnotherPersonIsRejected) {
  const std::string one = category_2(false);
  const std::string other = category_2(false, "1000040000");
  auto r1 = request(one, "new");
  r1.specified_disease = "03";
  auto a1 = service->intake(r1, "staff1");
  ASSERT_TRUE(a1) << a1.error().message;
  auto r2 = request(other, "new");
  r2.specified_disease = "03";
  auto a2 = service->intake(r2, "staff1");
  ASSERT_TRUE(a2) << a2.error().message;
  // A mislinked answer: the first application's arrears check points at the second person's inquiry.
  ASSERT_TRUE(db->exec("UPDATE certification_check SET application_id = $1 WHERE inquiry_id = $2",
                       {a1->row.application_id, *a2->arrears_inquiry_id}));
  ASSERT_TRUE(db->exec("UPDATE certification_application SET arrears_inquiry_id = $1 WHERE application_id = $2",
                       {*a2->arrears_inquiry_id, a1->row.application_id}));
  auto report = answer_checks();
  EXPECT_EQ(report.rejected, 1);
  EXPECT_EQ(text("SELECT reject_reason FROM certification_check WHERE inquiry_id = $1", {*a2->arrears_inquiry_id})
                .substr(0, 10),
            "person_id:");
  // Nothing of the other person's answer reached the application; its check is asked again.
  const auto x1 = app(a1->row.application_id);
  EXPECT_EQ(x1.row.arrears_check, "pending");
  EXPECT_GE(report.asked, 1);
  answer_checks();
  EXPECT_EQ(app(a1->row.application_id).row.arrears_check, "none");
}

TEST_P(CertificationApplicationTest, NT_02_WithoutAGatewayTheJobAsksLater) {
  const std::string id = category_2(false);
  ApplicationService offline(*db, clock, *config, nullptr);
  auto r = request(id, "new");
  r.specified_disease = "07";
  auto a = offline.intake(r, "staff1");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row.insurance_check, "pending");
  EXPECT_FALSE(a->insurance_inquiry_id);
  auto none = certification::run_checks_due(*db, clock, nullptr, "job:test");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total(), 0);
  auto asked = certification::run_checks_due(*db, clock, inquiries.get(), "job:test");
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_EQ(asked->asked, 2);
  answer_checks();
  EXPECT_EQ(app(a->row.application_id).row.insurance_check, "insured");
  EXPECT_EQ(app(a->row.application_id).row.arrears_check, "none");
}

// ---- the clock and 延期通知 ---------------------------------------------------------------------

TEST_P(CertificationApplicationTest, ClockStatesAtDay24_25_30_31AndPostponement) {
  person("1000000001", "1944-03-01", "トケイ イチ");
  auto a = service->intake(request("1000000001", "new"), "staff1");
  ASSERT_TRUE(a) << a.error().message;
  const auto id = a->row.application_id;
  auto at = [&](int day) {
    today(kDay0.add_days(day));
    return app(id).row;
  };
  auto d24 = at(24);
  EXPECT_EQ(d24.clock.state, ClockState::on_time);
  EXPECT_EQ(d24.clock.days_elapsed, 24);
  EXPECT_EQ(d24.clock.days_left, 6);
  auto d25 = at(25);
  EXPECT_EQ(d25.clock.state, ClockState::warning);
  EXPECT_EQ(d25.clock.days_left, 5);
  auto d30 = at(30);
  EXPECT_EQ(d30.clock.state, ClockState::warning);  // the deadline day itself is still in time
  EXPECT_EQ(d30.clock.days_left, 0);
  auto d31 = at(31);
  EXPECT_EQ(d31.clock.state, ClockState::overdue);
  EXPECT_EQ(d31.clock.days_left, -1);
  EXPECT_EQ(d31.clock.days_elapsed, 31);

  // 延期通知: bad dates refused, then a notice with reason and expected day.
  auto past = service->postpone(id, "主治医意見書の未着", kDay0.add_days(31), "staff1");
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().field, "expected_on");
  auto far = service->postpone(id, "主治医意見書の未着", kDay0.add_days(31 + certification::kMaxPostponementDays + 1), "staff1");
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().field, "expected_on");
  auto no_reason = service->postpone(id, "", kDay0.add_days(45), "staff1");
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().field, "reason");
  auto p = service->postpone(id, "主治医意見書の未着", kDay0.add_days(45), "staff1");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->expected_on, kDay0.add_days(45));
  ASSERT_TRUE(p->document_id);
  EXPECT_EQ(text("SELECT kind FROM certification_document WHERE document_id = $1", {*p->document_id}), "postponement_notice");
  auto postponed = app(id);
  EXPECT_EQ(postponed.row.clock.state, ClockState::postponed);
  ASSERT_TRUE(postponed.row.postponed_until);
  EXPECT_EQ(*postponed.row.postponed_until, kDay0.add_days(45));
  ASSERT_EQ(postponed.postponements.size(), 1u);
  EXPECT_EQ(postponed.postponements[0].document_id, p->document_id);
  EXPECT_EQ(at(45).clock.state, ClockState::postponed);
  EXPECT_EQ(at(46).clock.state, ClockState::overdue);  // the expected day passed: overdue again
  // A later notice extends it.
  auto p2 = service->postpone(id, "審査会の延期", kDay0.add_days(60), "staff1");
  ASSERT_TRUE(p2) << p2.error().message;
  EXPECT_EQ(app(id).row.clock.state, ClockState::postponed);
  EXPECT_EQ(app(id).postponements.size(), 2u);

  // Decided (as NT-12 leaves it): the clock stops, and nothing is left to postpone.
  ASSERT_TRUE(db->exec("UPDATE certification_application SET status = 'decided', decided_on = $1 WHERE application_id = $2",
                       {kDay0.add_days(50).iso(), id}));
  today(kDay0.add_days(70));
  auto done = app(id).row;
  EXPECT_EQ(done.clock.state, ClockState::done);
  EXPECT_EQ(done.clock.days_elapsed, 50);
  EXPECT_EQ(done.clock.days_left, -20);
  auto refused = service->postpone(id, "x", kDay0.add_days(80), "staff1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::conflict);
}

// ---- the list -----------------------------------------------------------------------------------

TEST_P(CertificationApplicationTest, ListFiltersAndUrgencyOrder) {
  // Six applications on different days and stages, as the workflow would leave them.
  const char* kana[] = {"アオキ イチ", "イノウエ ニ", "ウエダ サン", "エンドウ シ", "オオタ ゴ", "カトウ ロク"};
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    const std::string pid = std::to_string(1000000001 + i);
    person(pid, "1944-03-01", kana[i]);
    // applied 40, 33, 27, 20, 10 and 0 days before 2026-12-12
    const int back[] = {40, 33, 27, 20, 10, 0};
    const Date applied = Date(2026, 12, 12).add_days(-back[i]);
    today(applied);
    auto a = service->intake(request(pid, "new", applied), "staff1");
    ASSERT_TRUE(a) << a.error().message;
    ids.push_back(a->row.application_id);
  }
  today(Date(2026, 12, 12));
  // #0 overdue; #1 overdue but postponed; #2 warning, assessment in; #3 ready; #4 investigating
  // (opinion in, assessment requested); #5 decided.
  ASSERT_TRUE(service->postpone(ids[1], "調査日程の調整", Date(2026, 12, 20), "staff1"));
  ASSERT_TRUE(db->exec("UPDATE certification_application SET status = 'investigating', assessment_requested_on = applied_on, "
                       "assessment_received_on = '2026-12-01', opinion_requested_on = applied_on WHERE application_id = $1",
                       {ids[2]}));
  ASSERT_TRUE(db->exec("UPDATE certification_application SET status = 'ready', assessment_requested_on = applied_on, "
                       "assessment_received_on = applied_on, opinion_requested_on = applied_on, opinion_received_on = applied_on, "
                       "ready_on = applied_on WHERE application_id = $1",
                       {ids[3]}));
  ASSERT_TRUE(db->exec("UPDATE certification_application SET status = 'investigating', assessment_requested_on = applied_on, "
                       "opinion_requested_on = applied_on, opinion_received_on = '2026-12-10' WHERE application_id = $1",
                       {ids[4]}));
  ASSERT_TRUE(db->exec("UPDATE certification_application SET status = 'decided', decided_on = '2026-12-12' WHERE application_id = $1",
                       {ids[5]}));
  auto ids_of = [&](ListFilter f, const std::string& q = "") {
    auto page = service->list({f, q, 50, 0});
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::int64_t> out;
    if (page) {
      for (const auto& r : page->items) out.push_back(r.application_id);
      EXPECT_EQ(page->total, static_cast<std::int64_t>(out.size()));
    }
    return out;
  };
  using V = std::vector<std::int64_t>;
  // Overdue first, then by days left.
  EXPECT_EQ(ids_of(ListFilter::open), (V{ids[0], ids[1], ids[2], ids[3], ids[4]}));
  EXPECT_EQ(ids_of(ListFilter::overdue), (V{ids[0]}));
  EXPECT_EQ(ids_of(ListFilter::postponed), (V{ids[1]}));
  EXPECT_EQ(ids_of(ListFilter::warning), (V{ids[2]}));
  EXPECT_EQ(ids_of(ListFilter::waiting_assessment), (V{ids[0], ids[1], ids[4]}));
  EXPECT_EQ(ids_of(ListFilter::waiting_opinion), (V{ids[0], ids[1], ids[2]}));
  EXPECT_EQ(ids_of(ListFilter::ready), (V{ids[3]}));
  EXPECT_EQ(ids_of(ListFilter::scheduled), V{});
  EXPECT_EQ(ids_of(ListFilter::decided), (V{ids[5]}));
  EXPECT_EQ(ids_of(ListFilter::all).size(), 6u);
  // q: application number, insured number, kana prefix.
  auto a2 = app(ids[2]);
  EXPECT_EQ(ids_of(ListFilter::all, a2.row.application_no), (V{ids[2]}));
  EXPECT_EQ(ids_of(ListFilter::all, a2.row.insured_no), (V{ids[2]}));
  EXPECT_EQ(ids_of(ListFilter::all, "ウエ"), (V{ids[2]}));
  EXPECT_EQ(ids_of(ListFilter::all, "ア"), (V{ids[0]}));
  EXPECT_EQ(ids_of(ListFilter::all, "\u3000ウエダ "), (V{ids[2]}));  // typed with spaces around
  // Paging keeps the order; the rows carry their timers and labels.
  auto page = service->list({ListFilter::open, "", 2, 1});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].application_id, ids[1]);
  EXPECT_EQ(page->items[0].clock.state, ClockState::postponed);
  EXPECT_EQ(page->items[1].clock.days_left, 3);
  EXPECT_EQ(certification::stage_label(page->items[1]), "意見書待ち");
  EXPECT_EQ(certification::stage_label(app(ids[4]).row), "調査結果待ち");
  auto bad = service->list({ListFilter::open, "", 0, 0});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "limit");
}

// ---- the report -------------------------------------------------------------------------------

TEST_P(CertificationApplicationTest, ReportDaysToDecisionPerMonthStageContractorInstitution) {
  person("1000000001", "1944-03-01", "ホウコク イチ");
  // Known set: decided in 2026-10 after 20, 30, 41 and 45 days; in 2026-11 after 35 days; a
  // transfer (left out) and an open application (not decided).
  struct Case {
    const char* applied;
    const char* decided;
    const char* kind;
  };
  const Case cases[] = {{"2026-09-20", "2026-10-10", "new"},     {"2026-09-15", "2026-10-15", "renewal"},
                        {"2026-09-10", "2026-10-21", "new"},     {"2026-09-01", "2026-10-16", "change"},
                        {"2026-10-01", "2026-11-05", "new"},     {"2026-10-20", "2026-10-20", "transfer"}};
  int n = 0;
  std::vector<std::int64_t> ids;
  for (const auto& c : cases) {
    auto a = db->query(
        "INSERT INTO certification_application (application_no, person_id, insured_no, kind, category, applied_on, deadline_on, "
        "warn_on, place, applicant_relation, status, assessment_requested_on, assessment_received_on, opinion_requested_on, "
        "opinion_received_on, decided_on, created_at, created_by, updated_at) VALUES ($1, '1000000001', '0000000001', $2, '1', $3, "
        "$4, $4, 'home', '本人', 'decided', $3, $5, $3, $5, $6, 'x', 'test', 'x') RETURNING application_id",
        {"R" + std::to_string(++n), std::string(c.kind), std::string(c.applied), Date::parse(c.applied)->add_days(30).iso(),
         Date::parse(c.applied)->add_days(10).iso(), std::string(c.decided)});
    ASSERT_TRUE(a) << a.error().message;
    ids.push_back(a->front().i64(0));
  }
  ASSERT_TRUE(db->exec("INSERT INTO certification_postponement (application_id, reason, expected_on, issued_on, issued_by) "
                       "VALUES ($1, '意見書の未着', '2026-10-25', '2026-10-08', 'staff1')",
                       {ids[2]}));
  // Assessments: C001 took 4 and 10 days (the second past due), C002 7 days; opinions: M0001 12 days.
  auto assess = [&](std::int64_t app, const char* code, const char* requested, const char* due, const char* received) {
    ASSERT_TRUE(db->exec("INSERT INTO home_assessment (application_id, request_no, assessor_kind, contractor_code, requested_on, "
                         "due_on, status, received_on, created_by) VALUES ($1, $2, 'contractor', $3, $4, $5, 'received', $6, 'test')",
                         {app, "C" + std::to_string(app), std::string(code), std::string(requested), std::string(due),
                          std::string(received)}));
  };
  assess(ids[0], "C001", "2026-10-01", "2026-10-08", "2026-10-05");
  assess(ids[1], "C001", "2026-10-02", "2026-10-09", "2026-10-12");
  assess(ids[2], "C002", "2026-10-03", "2026-10-17", "2026-10-10");
  ASSERT_TRUE(db->exec("INSERT INTO physician_opinion (application_id, request_no, institution_code, doctor_name, first_visit, "
                       "requested_on, due_on, status, received_on, created_by) VALUES ($1, 'D1', 'M0001', '田中', 1, "
                       "'2026-10-01', '2026-10-15', 'received', '2026-10-13', 'test')",
                       {ids[0]}));
  auto rep = service->report(std::string("2026-10"), std::string("2026-11"));
  ASSERT_TRUE(rep) << rep.error().message;
  EXPECT_EQ(rep->from_month, "2026-10");
  EXPECT_EQ(rep->to_month, "2026-11");
  ASSERT_EQ(rep->months.size(), 2u);
  const auto& oct = rep->months[0];
  EXPECT_EQ(oct.month, "2026-10");
  EXPECT_EQ(oct.days.count, 4);
  EXPECT_EQ(oct.days.mean_tenths, 340);    // (20 + 30 + 41 + 45) / 4 = 34.0
  EXPECT_EQ(oct.days.median_tenths, 355);  // (30 + 41) / 2 = 35.5
  EXPECT_EQ(oct.days.max_days, 45);
  EXPECT_EQ(oct.within_deadline, 2);       // 20 and 30 days
  EXPECT_EQ(oct.postponed, 1);
  EXPECT_EQ(rep->months[1].days.count, 1);
  EXPECT_EQ(rep->months[1].days.median_tenths, 350);
  EXPECT_EQ(rep->total.count, 5);
  EXPECT_EQ(rep->total.mean_tenths, 342);    // 171 / 5 = 34.2
  EXPECT_EQ(rep->total.median_tenths, 350);  // 20 30 35 41 45
  EXPECT_EQ(rep->within_deadline, 2);
  ASSERT_EQ(rep->stages.size(), 7u);
  EXPECT_EQ(rep->stages[0].stage, "application_to_assessment_request");
  EXPECT_EQ(rep->stages[0].count, 5);
  EXPECT_EQ(rep->stages[0].mean_tenths, 0);
  EXPECT_EQ(rep->stages[1].mean_tenths, 100);  // 調査依頼→調査結果: 10 days each
  EXPECT_EQ(rep->stages[6].count, 0);          // nothing notified yet
  ASSERT_EQ(rep->contractors.size(), 2u);
  EXPECT_EQ(rep->contractors[0].code, "C001");
  EXPECT_EQ(rep->contractors[0].days.count, 2);
  EXPECT_EQ(rep->contractors[0].days.mean_tenths, 70);
  EXPECT_EQ(rep->contractors[0].days.max_days, 10);
  EXPECT_EQ(rep->contractors[0].overdue, 1);
  EXPECT_FALSE(rep->contractors[0].name.empty());
  EXPECT_EQ(rep->contractors[1].days.median_tenths, 70);
  ASSERT_EQ(rep->institutions.size(), 1u);
  EXPECT_EQ(rep->institutions[0].code, "M0001");
  EXPECT_EQ(rep->institutions[0].days.mean_tenths, 120);
  EXPECT_EQ(rep->institutions[0].overdue, 0);
  // Bad months name the field.
  auto bad = service->report(std::string("2026-13"), std::nullopt);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "from");
  auto reversed = service->report(std::string("2026-11"), std::string("2026-10"));
  ASSERT_FALSE(reversed);
  EXPECT_EQ(reversed.error().field, "to");
}

INSTANTIATE_TEST_SUITE_P(Db, CertificationApplicationTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo
