// Counter cases at the service level, on SQLite and PostgreSQL: SK-01 (open, checklist, complete
// into the register in one transaction, cancel), SK-06/07 (住登外 question and answer) and every
// inquiry a case sends (SK-04…SK-15) through an InquiryService talking to the in-process 中間サーバー
// simulator, answered by run_due and applied.
#include <gtest/gtest.h>

#include <functional>

#include "eligibility/movement_case_service.hpp"
#include "eligibility/register.hpp"
#include "gateway/inquiry_service.hpp"
#include "gateway/transport.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "sim/number_network/settable_clock.hpp"
#include "sim/number_network/shares.hpp"
#include "test_db.hpp"

namespace kaigo::eligibility {
namespace {

constexpr const char* kFormerCode = "141003";  // 神奈川県横浜市: the former city of the movers
constexpr const char* kCityInsurerNo = "011002";

class MovementCaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    auto book = gateway::CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(book) << book.error().message;
    codes = std::make_unique<gateway::CodeBook>(*book);
    auto lists = MovementChecklists::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(lists) << lists.error().message;
    checklists = std::make_unique<MovementChecklists>(*lists);
    simulator = std::make_unique<sim::network::IntermediateServerSim>(*db, sim_clock);
    transport = gateway::make_in_process_transport(simulator->handler());
    inquiries = std::make_unique<gateway::InquiryService>(*db, *transport, *codes, clock);
    service = std::make_unique<MovementCaseService>(*db, clock, *checklists, kCityInsurerNo, inquiries.get());
  }

  // A person as the registry copy holds them (resident, in household `household`).
  void add_person(const std::string& id, const std::string& name, const std::string& birth,
                  const std::string& household = "H9001", const std::string& relation = "世帯主") {
    auto r = db->exec(
        "INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, ward_code, "
        "household_id, relation, registry_status, updated_at) VALUES ($1, $2, 'テスト タロウ', $3, '1', '1000001', "
        "'みどり市中央区本町1丁目1番1号', '981', $4, $5, 'resident', '2026-01-01T00:00:00+09:00')",
        {id, name, birth, household, relation});
    ASSERT_TRUE(r) << r.error().message;
  }
  // Where the mover came from: the simulated former city answers from this row.
  void add_origin(const std::string& id, const std::string& moved_in_on) {
    auto r = db->exec(
        "INSERT INTO person_origin (person_id, former_municipality_code, former_municipality_name, moved_in_on, source, "
        "recorded_at, recorded_by) VALUES ($1, $2, '神奈川県横浜市', $3, 'synthetic_city', '2026-01-01T00:00:00+09:00', 'test')",
        {id, std::string(kFormerCode), moved_in_on});
    ASSERT_TRUE(r) << r.error().message;
  }
  // The first person_id from `from` up for whom the simulator's share holds.
  static std::string id_where(const std::function<bool(std::string_view)>& in_share, long long from) {
    for (long long n = from;; ++n) {
      std::string id = std::to_string(n);
      if (in_share(id)) return id;
    }
  }
  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows && !rows->empty() ? (*rows)[0].i64(0) : -1;
  }

  OpenCaseRequest request(const std::optional<std::string>& person, const std::string& kind,
                          const std::string& moved = "2026-11-10", const std::string& notified = "2026-11-13") {
    return OpenCaseRequest{person, kind, moved, notified, std::nullopt, "本人", "窓口受付"};
  }
  MovementCase open(const std::optional<std::string>& person, const std::string& kind,
                    const std::string& moved = "2026-11-10", const std::string& notified = "2026-11-13") {
    auto k = service->open(request(person, kind, moved, notified), "staff1");
    EXPECT_TRUE(k) << k.error().message;
    return k.value_or(MovementCase{});
  }
  // Sends the case's inquiry of `kind` and lets run_due fetch the answer (the simulator answers at once).
  CaseInquiry ask(std::int64_t case_id, const std::string& kind) {
    auto k = service->submit_inquiry(case_id, kind, "staff1");
    EXPECT_TRUE(k) << kind << ": " << k.error().message;
    if (!k) return {};
    const std::int64_t id = k->inquiries.back().inquiry.inquiry_id;
    for (int i = 0; i < 3; ++i) {
      clock.advance(std::chrono::minutes(10));
      auto run = inquiries->run_due(clock);
      EXPECT_TRUE(run) << run.error().message;
      auto now = service->get(case_id);
      for (const auto& q : now->inquiries)
        if (q.inquiry.inquiry_id == id && gateway::is_final(q.inquiry.status)) return q;
    }
    ADD_FAILURE() << kind << " got no final answer";
    return {};
  }
  static const CaseCheck* check(const MovementCase& k, const std::string& item) {
    for (const auto& c : k.checklist)
      if (c.item == item) return &c;
    return nullptr;
  }
  void tick_all(const MovementCase& k) {
    for (const auto& c : k.checklist) {
      if (c.done) continue;
      auto ticked = service->set_check(k.case_id, c.item, true, "staff1");
      ASSERT_TRUE(ticked) << ticked.error().message;
    }
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(*Date::parse("2026-11-24"));
  sim::network::SettableClock sim_clock{clock};
  std::unique_ptr<gateway::CodeBook> codes;
  std::unique_ptr<MovementChecklists> checklists;
  std::unique_ptr<sim::network::IntermediateServerSim> simulator;
  std::unique_ptr<gateway::Transport> transport;
  std::unique_ptr<gateway::InquiryService> inquiries;
  std::unique_ptr<MovementCaseService> service;
};

TEST_P(MovementCaseTest, SK_01_OpenACaseWithTheChecklistOfTheMoversAge) {
  add_person("3000000001", "窓口 一郎", "1950-05-10");  // 76 on the movement date
  auto k = open("3000000001", "move_in");
  EXPECT_EQ(k.status, "open");
  EXPECT_EQ(k.name_kanji, "窓口 一郎");
  ASSERT_NE(check(k, "former_city_address"), nullptr);
  EXPECT_EQ(check(k, "former_city_address")->satisfied_by, "city_resident");
  EXPECT_EQ(check(k, "medical_insurance"), nullptr) << "65+: medical insurance does not decide (法9条1号)";
  ASSERT_NE(check(k, "card"), nullptr);
  EXPECT_FALSE(check(k, "card")->done);

  // A newcomer not yet in the registry copy gets every item, and loses those not for their age
  // once attached.
  auto newcomer = open(std::nullopt, "move_in");
  EXPECT_FALSE(newcomer.person_id);
  EXPECT_NE(check(newcomer, "medical_insurance"), nullptr);
  EXPECT_EQ(service->submit_inquiry(newcomer.case_id, "city_resident", "staff1").error().kind, ErrorKind::conflict);
  EXPECT_EQ(service->complete(newcomer.case_id, "staff1").error().field, "person_id");
  auto attached = service->attach_person(newcomer.case_id, "3000000001", "staff1");
  ASSERT_TRUE(attached) << attached.error().message;
  EXPECT_EQ(attached->person_id, "3000000001");
  EXPECT_EQ(check(*attached, "medical_insurance"), nullptr);
  EXPECT_EQ(attached->checklist.size(), k.checklist.size());
  EXPECT_EQ(service->attach_person(newcomer.case_id, "3000000002", "staff1").error().kind, ErrorKind::conflict);
  auto stranger = open(std::nullopt, "birth", "2026-11-20", "2026-11-24");
  EXPECT_EQ(service->attach_person(stranger.case_id, "3000000002", "staff1").error().kind, ErrorKind::not_found);

  auto listed = service->list("open", 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ(listed->front().case_id, stranger.case_id) << "newest first";
  EXPECT_EQ((*listed)[1].checks_total, static_cast<int>(k.checklist.size()));
}

TEST_P(MovementCaseTest, SK_01_BadInputIsRefusedNamingTheField) {
  add_person("3000000001", "窓口 一郎", "1950-05-10");
  auto field_of = [&](OpenCaseRequest r) {
    auto k = service->open(r, "staff1");
    EXPECT_FALSE(k);
    EXPECT_TRUE(!k && k.error().kind != ErrorKind::internal);
    return k ? std::string("(opened)") : k.error().field;
  };
  EXPECT_EQ(field_of(request("3000000001", "moving_in")), "movement_kind");
  EXPECT_EQ(field_of(request("3000000001", "move_in", "2026-13-01")), "movement_date");
  EXPECT_EQ(field_of(request("3000000001", "move_in", "2026-11-10", "2026-11-25")), "notified_on");  // tomorrow
  EXPECT_EQ(field_of(request("3000000001", "death", "2026-12-01", "2026-11-24")), "movement_date");
  EXPECT_EQ(field_of(request(std::nullopt, "death")), "person_id");  // only 転入・出生 may be newcomers
  EXPECT_EQ(field_of(request("9999999999", "move_in")), "person_id");
  auto bad_notifier = request("3000000001", "move_in");
  bad_notifier.notifier = "隣人";
  EXPECT_EQ(field_of(bad_notifier), "notifier");
  auto stray = request("3000000001", "move_in");
  stray.new_address_on = "2026-11-20";
  EXPECT_EQ(field_of(stray), "new_address_on");
  // 転出予定日 may lie ahead.
  EXPECT_TRUE(service->open(request("3000000001", "move_out", "2026-12-05", "2026-11-24"), "staff1"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM movement_case"), 1) << "nothing written for the refused ones";
  EXPECT_EQ(service->get(999).error().kind, ErrorKind::not_found);
}

TEST_P(MovementCaseTest, SK_01_CompletingAMoveInWritesTheRegisterRevisionWithTheCaseStatus) {
  add_person("3000000001", "窓口 一郎", "1950-05-10");
  auto k = open("3000000001", "move_in");
  auto refused = service->complete(k.case_id, "staff1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::conflict);
  EXPECT_EQ(refused.error().field, "checklist");
  EXPECT_NE(refused.error().message.find("former_city_address"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_fact"), 0);

  tick_all(k);
  auto done = service->complete(k.case_id, "staff2");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->status, "completed");
  EXPECT_EQ(done->completed_by, "staff2");
  ASSERT_TRUE(done->outcome_revision_id);
  ASSERT_TRUE(done->outcome_changes);
  EXPECT_NE(done->outcome_changes->find("added"), std::string::npos) << *done->outcome_changes;
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_fact WHERE person_id = '3000000001' AND kind = 'move_in' "
                  "AND on_date = '2026-11-10' AND source = 'counter_case' AND case_id = $1",
                  {k.case_id}),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_revision WHERE revision_id = $1 AND case_id = $2 AND "
                  "cause = '窓口 転入届 (SK-01)'",
                  {*done->outcome_revision_id, k.case_id}),
            1);
  auto reg = db->transaction([&](store::Connection& c) -> Result<void> {
    auto view = load_register(c, "3000000001");
    if (!view) return std::unexpected(view.error());
    EXPECT_TRUE(*view && (*view)->periods.size() == 1);
    if (*view && !(*view)->periods.empty()) {
      EXPECT_EQ((*view)->periods[0].acquired_on, Date(2026, 11, 10));  // 法10条2号
    }
    return {};
  });
  ASSERT_TRUE(reg) << reg.error().message;

  // A completed case refuses every change.
  EXPECT_EQ(service->complete(k.case_id, "staff1").error().kind, ErrorKind::conflict);
  EXPECT_EQ(service->set_check(k.case_id, "identity", false, "staff1").error().kind, ErrorKind::conflict);
  EXPECT_EQ(service->cancel(k.case_id, "間違い", "staff1").error().kind, ErrorKind::conflict);
  EXPECT_EQ(service->ask_non_registered(k.case_id, "住所は", "2026-11-24", "staff1").error().kind, ErrorKind::conflict);
  EXPECT_EQ(service->submit_inquiry(k.case_id, "city_resident", "staff1").error().kind, ErrorKind::conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_fact"), 1);
}

TEST_P(MovementCaseTest, SK_01_MoveOutWithTheNewCitysDayAndKindsThatChangeNothing) {
  add_person("3000000001", "窓口 一郎", "1950-05-10");
  auto in = open("3000000001", "move_in", "2026-04-01", "2026-04-03");
  tick_all(in);
  ASSERT_TRUE(service->complete(in.case_id, "staff1"));

  // 転居: the register is not touched and the outcome says why.
  auto moved = open("3000000001", "relocation", "2026-11-01", "2026-11-05");
  tick_all(moved);
  auto reloc = service->complete(moved.case_id, "staff1");
  ASSERT_TRUE(reloc) << reloc.error().message;
  EXPECT_FALSE(reloc->outcome_revision_id);
  ASSERT_TRUE(reloc->outcome_summary);
  EXPECT_NE(reloc->outcome_summary->find("資格期間は変わりません"), std::string::npos) << *reloc->outcome_summary;

  // 転出 (予定日 2026-11-30), the new city's 転入日 learned at completion: lost on that day (法11条ただし書).
  auto out = open("3000000001", "move_out", "2026-11-30", "2026-11-24");
  tick_all(out);
  CompleteOptions later;
  later.new_address_on = "2026-11-30";
  auto done = service->complete(out.case_id, "staff1", later);
  ASSERT_TRUE(done) << done.error().message;
  ASSERT_TRUE(done->outcome_revision_id);
  auto reg = db->transaction([&](store::Connection& c) -> Result<void> {
    auto view = load_register(c, "3000000001");
    if (!view) return std::unexpected(view.error());
    EXPECT_TRUE(*view && (*view)->periods.size() == 1);
    if (*view && !(*view)->periods.empty()) {
      EXPECT_EQ((*view)->periods[0].lost_on, Date(2026, 11, 30));
    }
    return {};
  });
  ASSERT_TRUE(reg) << reg.error().message;
}

TEST_P(MovementCaseTest, SK_01_CancelledCaseRefusesChangesAndAppliesNothing) {
  add_person("3000000001", "窓口 一郎", "1950-05-10");
  auto k = open("3000000001", "death", "2026-11-20", "2026-11-24");
  EXPECT_EQ(service->cancel(k.case_id, "", "staff1").error().field, "reason");
  auto c = service->cancel(k.case_id, "届出人の取り下げ", "staff1");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->status, "cancelled");
  EXPECT_EQ(c->cancel_reason, "届出人の取り下げ");
  EXPECT_EQ(service->set_check(k.case_id, "death_notice", true, "staff1").error().kind, ErrorKind::conflict);
  EXPECT_EQ(service->complete(k.case_id, "staff1").error().kind, ErrorKind::conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_fact"), 0);
  EXPECT_EQ(service->set_check(999, "x", true, "staff1").error().kind, ErrorKind::not_found);
}

TEST_P(MovementCaseTest, SK_06_07_NonRegisteredQuestionAndAnswerTickTheItem) {
  add_person("3000000001", "窓口 一郎", "1950-05-10");
  auto k = open("3000000001", "former_address_rule_start", "2026-11-01", "2026-11-20");
  ASSERT_NE(check(k, "non_registered"), nullptr);
  EXPECT_EQ(service->answer_non_registered(k.case_id, "市外の施設", "2026-11-21", "staff1").error().kind, ErrorKind::conflict)
      << "no answer before the question";
  EXPECT_EQ(service->ask_non_registered(k.case_id, "", "2026-11-20", "staff1").error().field, "question");
  EXPECT_EQ(service->ask_non_registered(k.case_id, "現在の居所は", "2026-11-25", "staff1").error().field, "asked_on");
  auto asked = service->ask_non_registered(k.case_id, "現在の居所と入所施設は", "2026-11-20", "staff1");
  ASSERT_TRUE(asked) << asked.error().message;
  ASSERT_TRUE(asked->non_registered);
  EXPECT_EQ(asked->non_registered->question, "現在の居所と入所施設は");
  EXPECT_FALSE(asked->non_registered->answer);
  EXPECT_FALSE(check(*asked, "non_registered")->done);
  EXPECT_EQ(service->answer_non_registered(k.case_id, "回答", "2026-11-19", "staff1").error().field, "answered_on");
  auto answered = service->answer_non_registered(k.case_id, "横浜市の特別養護老人ホームに入所", "2026-11-22", "staff2");
  ASSERT_TRUE(answered) << answered.error().message;
  EXPECT_EQ(answered->non_registered->answer, "横浜市の特別養護老人ホームに入所");
  EXPECT_EQ(answered->non_registered->answered_by, "staff2");
  EXPECT_TRUE(check(*answered, "non_registered")->done);
  EXPECT_EQ(check(*answered, "non_registered")->done_by, "staff2");
  // The same answer again changes nothing; a different one is refused; the question is fixed now.
  EXPECT_TRUE(service->answer_non_registered(k.case_id, "横浜市の特別養護老人ホームに入所", "2026-11-22", "staff1"));
  EXPECT_EQ(service->get(k.case_id)->non_registered->answered_by, "staff2");
  EXPECT_EQ(service->answer_non_registered(k.case_id, "別の回答", "2026-11-22", "staff1").error().kind, ErrorKind::conflict);
  EXPECT_EQ(service->ask_non_registered(k.case_id, "別の質問", "2026-11-20", "staff1").error().kind, ErrorKind::conflict);
}

TEST_P(MovementCaseTest, SK_04_05_FormerCityAnswerRecordsTheOriginAndComparesNameAndHousehold) {
  add_person("3000000001", "窓口 一郎", "1950-05-10", "H9001", "世帯主");
  add_person("3000000002", "窓口 花子", "1952-02-02", "H9001", "妻");
  add_origin("3000000001", "2026-11-10");
  add_origin("3000000002", "2026-11-10");
  auto k = open("3000000001", "move_in");
  auto sent = service->submit_inquiry(k.case_id, "city_resident", "staff1");
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_EQ(sent->inquiries.size(), 1u);
  const auto& q0 = sent->inquiries[0].inquiry;
  EXPECT_EQ(q0.flow_id, "SK-04");
  EXPECT_EQ(q0.status, gateway::InquiryStatus::submitted);
  // Not answered yet: nothing to apply; a second one of the kind while it is open is refused.
  auto early = service->apply_answer(k.case_id, q0.inquiry_id, "staff1");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().kind, ErrorKind::conflict);
  EXPECT_EQ(service->submit_inquiry(k.case_id, "city_resident", "staff1").error().kind, ErrorKind::conflict);

  clock.advance(std::chrono::minutes(10));
  ASSERT_TRUE(inquiries->run_due(clock));
  auto answered = service->get(k.case_id);
  ASSERT_EQ(answered->inquiries[0].inquiry.status, gateway::InquiryStatus::provided) << answered->inquiries[0].inquiry.error_message;
  // Our registry copy does not hold the origin yet (the simulated former city answered from it).
  ASSERT_TRUE(db->exec("DELETE FROM person_origin WHERE person_id = '3000000001'"));
  auto applied = service->apply_answer(k.case_id, q0.inquiry_id, "staff1");
  ASSERT_TRUE(applied) << applied.error().message;
  const auto& ci = applied->inquiries[0];
  EXPECT_TRUE(ci.applied);
  ASSERT_TRUE(ci.apply_summary);
  EXPECT_NE(ci.apply_summary->find("141003"), std::string::npos) << *ci.apply_summary;
  EXPECT_NE(ci.apply_summary->find("氏名: 一致"), std::string::npos) << *ci.apply_summary;
  EXPECT_NE(ci.apply_summary->find("2人のうち 2人"), std::string::npos) << *ci.apply_summary;
  EXPECT_TRUE(check(*applied, "former_city_address")->done);
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_origin WHERE person_id = '3000000001' AND source = 'inquiry' "
                  "AND former_municipality_code = '141003' AND moved_in_on = '2026-11-10' AND source_exchange_id IS NOT NULL"),
            1);
  // The same answer applied twice changes nothing.
  auto again = service->apply_answer(k.case_id, q0.inquiry_id, "staff2");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->inquiries[0].applied_by, "staff1");
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_origin WHERE person_id = '3000000001'"), 1);
  // An inquiry of another case is not this case's.
  auto other = open("3000000002", "move_in");
  EXPECT_EQ(service->apply_answer(other.case_id, q0.inquiry_id, "staff1").error().kind, ErrorKind::not_found);
}

TEST_P(MovementCaseTest, SK_04_05_ANameThatDiffersLeavesTheItemForStaff) {
  add_person("3000000001", "窓口 一郎", "1950-05-10");
  add_origin("3000000001", "2026-11-10");
  auto k = open("3000000001", "move_in");
  auto q = ask(k.case_id, "city_resident");
  ASSERT_EQ(q.inquiry.status, gateway::InquiryStatus::provided);
  // The registry copy was corrected after the former city's record was made.
  ASSERT_TRUE(db->exec("UPDATE person SET name_kanji = '窓口 壱郎' WHERE person_id = '3000000001'"));
  auto applied = service->apply_answer(k.case_id, q.inquiry.inquiry_id, "staff1");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_NE(applied->inquiries[0].apply_summary->find("不一致"), std::string::npos);
  EXPECT_FALSE(check(*applied, "former_city_address")->done);
}

TEST_P(MovementCaseTest, SK_08_09_CertificateIsStoredWithWhetherItCarriesOver) {
  const std::string on_time = id_where(sim::network::has_former_certificate, 3100000000);
  const std::string late = id_where(sim::network::has_former_certificate, std::stoll(on_time) + 1);
  for (const auto& id : {on_time, late}) {
    add_person(id, "証明 太郎", "1948-03-03", "H" + id);
    add_origin(id, "2026-11-01");
  }
  // Notified 3 days after the 転入日 (within 14, 法36条) and 23 days after (too late).
  auto k1 = open(on_time, "certificate_move_in", "2026-11-01", "2026-11-04");
  auto k2 = open(late, "certificate_move_in", "2026-11-01", "2026-11-24");
  for (auto [k, carries] : {std::pair{k1, 1}, std::pair{k2, 0}}) {
    auto q = ask(k.case_id, "city_certificate");
    ASSERT_EQ(q.inquiry.status, gateway::InquiryStatus::provided) << q.inquiry.error_message;
    EXPECT_EQ(q.inquiry.flow_id, "SK-08");
    auto applied = service->apply_answer(k.case_id, q.inquiry.inquiry_id, "staff1");
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_TRUE(check(*applied, "certificate")->done);
    EXPECT_EQ(count("SELECT COUNT(*) FROM certificate_of_entitlement WHERE case_id = $1 AND insurer_no = '141003' AND "
                    "acquired_on = '2026-11-01' AND carries_over = $2 AND care_level IN ('support_1', 'support_2', 'care_1', 'care_2', 'care_3', 'care_4', 'care_5')",
                    {k.case_id, std::int64_t{carries}}),
              1)
        << *applied->inquiries[0].apply_summary;
    ASSERT_TRUE(service->apply_answer(k.case_id, q.inquiry.inquiry_id, "staff1"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM certificate_of_entitlement WHERE case_id = $1", {k.case_id}), 1);
  }
}

TEST_P(MovementCaseTest, SK_10_11_AnotherCitysFormerAddressRuleIsStartedForTheResident) {
  const std::string id = id_where(sim::network::has_former_address_rule, 3200000000);
  add_person(id, "特例 花子", "1940-07-07");
  add_origin(id, "2026-11-01");
  auto k = open(id, "move_in", "2026-11-01", "2026-11-05");
  auto q = ask(k.case_id, "city_former_address_rule");
  ASSERT_EQ(q.inquiry.status, gateway::InquiryStatus::provided) << q.inquiry.error_message;
  auto applied = service->apply_answer(k.case_id, q.inquiry.inquiry_id, "staff1");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_TRUE(check(*applied, "former_address_rule")->done);
  EXPECT_EQ(count("SELECT COUNT(*) FROM former_address_rule WHERE person_id = $1 AND direction = 'theirs_living_here' "
                  "AND other_insurer_no = '141003' AND facility_municipality_code = $2 AND started_on = '2026-11-01' "
                  "AND ended_on IS NULL AND case_id = $3",
                  {id, std::string(kCityInsurerNo), k.case_id}),
            1);
  ASSERT_TRUE(service->apply_answer(k.case_id, q.inquiry.inquiry_id, "staff1"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM former_address_rule WHERE person_id = $1", {id}), 1);
  // Completing the 転入: the resident lives here but another city insures them (法13条): no period here.
  tick_all(*service->get(k.case_id));
  auto done = service->complete(k.case_id, "staff1");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_period WHERE person_id = $1", {id}), 0);
}

TEST_P(MovementCaseTest, SK_10_11_TheRuleEndedAtTheCounterMakesTheResidentInsuredHere) {
  const std::string id = id_where(sim::network::has_former_address_rule, 3300000000);
  add_person(id, "特例 梅子", "1941-08-08");
  add_origin(id, "2026-04-01");
  auto in = open(id, "move_in", "2026-04-01", "2026-04-02");
  auto q = ask(in.case_id, "city_former_address_rule");
  ASSERT_EQ(q.inquiry.status, gateway::InquiryStatus::provided) << q.inquiry.error_message;
  ASSERT_TRUE(service->apply_answer(in.case_id, q.inquiry.inquiry_id, "staff1"));
  tick_all(*service->get(in.case_id));
  ASSERT_TRUE(service->complete(in.case_id, "staff1"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_period WHERE person_id = $1", {id}), 0);
  // 退所 and staying in the city: the former city's rule ends (法13条) and this city insures from that day.
  auto end = open(id, "former_address_rule_end", "2026-10-01", "2026-10-05");
  tick_all(end);
  ASSERT_TRUE(service->ask_non_registered(end.case_id, "退所後の住所", "2026-10-05", "staff1"));
  ASSERT_TRUE(service->answer_non_registered(end.case_id, "市内の自宅", "2026-10-05", "staff1"));
  auto done = service->complete(end.case_id, "staff1");
  ASSERT_TRUE(done) << done.error().message;
  ASSERT_TRUE(done->outcome_revision_id) << *done->outcome_summary;
  EXPECT_EQ(count("SELECT COUNT(*) FROM former_address_rule WHERE person_id = $1 AND ended_on = '2026-10-01'", {id}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_period WHERE person_id = $1 AND acquired_on = '2026-10-01'", {id}), 1);
  // Nothing open any more: a second end says so and changes nothing.
  auto again = open(id, "former_address_rule_end", "2026-10-02", "2026-10-05");
  tick_all(again);
  ASSERT_TRUE(service->ask_non_registered(again.case_id, "確認", "2026-10-05", "staff1"));
  ASSERT_TRUE(service->answer_non_registered(again.case_id, "同上", "2026-10-05", "staff1"));
  auto nothing = service->complete(again.case_id, "staff1");
  ASSERT_TRUE(nothing) << nothing.error().message;
  EXPECT_FALSE(nothing->outcome_revision_id);
  // A start without the facility's details recorded is refused.
  auto start = open(id, "former_address_rule_start", "2026-11-01", "2026-11-05");
  tick_all(start);
  ASSERT_TRUE(service->ask_non_registered(start.case_id, "入所先", "2026-11-05", "staff1"));
  ASSERT_TRUE(service->answer_non_registered(start.case_id, "未定", "2026-11-05", "staff1"));
  EXPECT_EQ(service->complete(start.case_id, "staff1").error().kind, ErrorKind::conflict);
}

TEST_P(MovementCaseTest, SK_12_13_TheLossOfTheMedicalInsuranceIsRecorded) {
  add_person("3000000008", "喪失 五郎", "1972-02-02");  // 54
  ASSERT_TRUE(db->exec("INSERT INTO medical_insurance (person_id, insurer_kind, insurer_no, valid_from, valid_to, source, "
                       "recorded_at, recorded_by) VALUES ('3000000008', 'kumiai', '06130011', '2010-04-01', '2026-11-10', "
                       "'test', '2026-01-01T00:00:00+09:00', 'test')"));
  auto k = open("3000000008", "medical_insurance_change");
  auto q = ask(k.case_id, "iryo_insurance");
  ASSERT_EQ(q.inquiry.status, gateway::InquiryStatus::provided) << q.inquiry.error_message;
  // Our copy still has it open; the insurer's answer says it ended on 11-10 (法11条2項).
  ASSERT_TRUE(db->exec("UPDATE medical_insurance SET valid_to = NULL WHERE person_id = '3000000008'"));
  auto applied = service->apply_answer(k.case_id, q.inquiry.inquiry_id, "staff1");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_NE(applied->inquiries[0].apply_summary->find("資格喪失 2026-11-10 を記録"), std::string::npos)
      << *applied->inquiries[0].apply_summary;
  EXPECT_EQ(count("SELECT COUNT(*) FROM medical_insurance WHERE person_id = '3000000008' AND valid_to = '2026-11-10'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM medical_insurance WHERE person_id = '3000000008' AND valid_to IS NULL"), 0);
  tick_all(*service->get(k.case_id));
  auto done = service->complete(k.case_id, "staff1");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_FALSE(done->outcome_revision_id) << "the answer changed the register, completing adds nothing";
}

TEST_P(MovementCaseTest, SK_12_13_MedicalInsuranceOfA40To64NewcomerIsRecorded) {
  add_person("3000000005", "医療 次郎", "1975-06-15");  // 51
  ASSERT_TRUE(db->exec("INSERT INTO medical_insurance (person_id, insurer_kind, insurer_no, valid_from, source, recorded_at, "
                       "recorded_by) VALUES ('3000000005', 'kyokai_kenpo', '01130012', '2026-11-10', 'test', "
                       "'2026-01-01T00:00:00+09:00', 'test')"));
  auto k = open("3000000005", "move_in");
  ASSERT_NE(check(k, "medical_insurance"), nullptr);
  auto q = ask(k.case_id, "iryo_insurance");
  ASSERT_EQ(q.inquiry.status, gateway::InquiryStatus::provided) << q.inquiry.error_message;
  EXPECT_EQ(q.inquiry.flow_id, "SK-12");
  // The insurer's answer is what the register learns (our copy had it only for the simulator).
  ASSERT_TRUE(db->exec("DELETE FROM medical_insurance WHERE person_id = '3000000005'"));
  auto applied = service->apply_answer(k.case_id, q.inquiry.inquiry_id, "staff1");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_TRUE(check(*applied, "medical_insurance")->done);
  EXPECT_EQ(count("SELECT COUNT(*) FROM medical_insurance WHERE person_id = '3000000005' AND insurer_no = '01130012' "
                  "AND valid_from = '2026-11-10' AND valid_to IS NULL"),
            1);
  ASSERT_TRUE(service->apply_answer(k.case_id, q.inquiry.inquiry_id, "staff1"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM medical_insurance WHERE person_id = '3000000005'"), 1);
  // With the 転入 completed the 51-year-old is category 2 from the 転入日 (法9条2号, 10条2号).
  tick_all(*service->get(k.case_id));
  ASSERT_TRUE(service->complete(k.case_id, "staff1"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_period WHERE person_id = '3000000005' AND category = '2' "
                  "AND acquired_on = '2026-11-10'"),
            1);
}

TEST_P(MovementCaseTest, SK_14_15_PublicAssistanceIsRecordedAndNoneIsAnAnswerToo) {
  add_person("3000000006", "保護 三郎", "1950-01-20");
  add_person("3000000007", "無保護 四郎", "1951-01-20", "H9007");
  ASSERT_TRUE(db->exec("INSERT INTO public_assistance (person_id, kind, valid_from, source, recorded_at, recorded_by) "
                       "VALUES ('3000000006', 'welfare', '2026-11-10', 'test', '2026-01-01T00:00:00+09:00', 'test')"));
  auto k = open("3000000006", "move_in");
  auto q = ask(k.case_id, "pref_public_assistance");
  ASSERT_EQ(q.inquiry.status, gateway::InquiryStatus::provided) << q.inquiry.error_message;
  ASSERT_TRUE(db->exec("DELETE FROM public_assistance WHERE person_id = '3000000006'"));
  auto applied = service->apply_answer(k.case_id, q.inquiry.inquiry_id, "staff1");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_TRUE(check(*applied, "public_assistance")->done);
  EXPECT_EQ(count("SELECT COUNT(*) FROM public_assistance WHERE person_id = '3000000006' AND kind = 'welfare' "
                  "AND valid_from = '2026-11-10' AND valid_to IS NULL AND source = 'inquiry'"),
            1);
  ASSERT_TRUE(service->apply_answer(k.case_id, q.inquiry.inquiry_id, "staff1"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM public_assistance WHERE person_id = '3000000006'"), 1);

  // 該当なし is an answer: the item is ticked, nothing is recorded.
  auto none = open("3000000007", "move_in");
  auto nq = ask(none.case_id, "pref_public_assistance");
  ASSERT_EQ(nq.inquiry.status, gateway::InquiryStatus::not_found);
  auto applied_none = service->apply_answer(none.case_id, nq.inquiry.inquiry_id, "staff1");
  ASSERT_TRUE(applied_none) << applied_none.error().message;
  EXPECT_TRUE(check(*applied_none, "public_assistance")->done);
  EXPECT_NE(applied_none->inquiries[0].apply_summary->find("該当なし"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM public_assistance WHERE person_id = '3000000007'"), 0);
}

TEST_P(MovementCaseTest, SK_04_15_InquiryKindsAndTheGatewayAreChecked) {
  add_person("3000000001", "窓口 一郎", "1950-05-10");
  auto k = open("3000000001", "move_in");
  auto tax = service->submit_inquiry(k.case_id, "city_local_tax", "staff1");
  ASSERT_FALSE(tax);
  EXPECT_EQ(tax.error().field, "kind");
  MovementCaseService offline(*db, clock, *checklists, kCityInsurerNo, nullptr);
  EXPECT_EQ(offline.submit_inquiry(k.case_id, "city_resident", "staff1").error().kind, ErrorKind::unavailable);
  EXPECT_TRUE(offline.get(k.case_id)) << "everything but sending works without the gateway";
  EXPECT_EQ(service->submit_inquiry(999, "city_resident", "staff1").error().kind, ErrorKind::not_found);
  EXPECT_EQ(service->apply_answer(k.case_id, 12345, "staff1").error().kind, ErrorKind::not_found);
}

INSTANTIATE_TEST_SUITE_P(Db, MovementCaseTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::eligibility
