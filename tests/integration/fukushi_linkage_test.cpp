// Welfare linkage on SQLite and PostgreSQL: SK-19 生保異動情報 files (start and end applied, a
// notice seen before skipped, a bad file refused whole with nothing applied), SK-20 介護資格異動 of
// the welfare office's cases (file content, cursor), and each flow end to end over a real folder
// channel with the dispatcher.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/hash.hpp"
#include "eligibility/fukushi_service.hpp"
#include "eligibility/register.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/folder_channel.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "test_db.hpp"

namespace kaigo::eligibility::fukushi {
namespace {

namespace fs = std::filesystem;

const std::string kHeader = "通知番号,宛名番号,種別,異動区分,異動日,ケース番号\n";

std::string row(const std::string& no, const std::string& person, const std::string& change, const std::string& on,
                const std::string& kind = "生活保護") {
  return no + "," + person + "," + kind + "," + change + "," + on + ",C-" + no + "\n";
}

class FukushiLinkageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    const people::MyNumberVault vault(random_bytes(32));
    auto city = sim::generate_city(*db, vault, sim::CityOptions{120, 3, Date(2026, 4, 1), "test"});
    ASSERT_TRUE(city) << city.error().message;
    // Residents aged 65 or over with no assistance recorded by the city generator.
    auto rows = db->query(
        "SELECT p.person_id FROM person p WHERE p.registry_status = 'resident' AND p.birth_date <= '1961-04-01' AND "
        "NOT EXISTS (SELECT 1 FROM public_assistance pa WHERE pa.person_id = p.person_id) ORDER BY p.person_id LIMIT 4");
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 4u) << "the generated city has too few elderly residents; change the seed";
    for (const auto& r : *rows) persons.push_back(r.str(0));
  }

  linkage::InboundResult receive(const std::string& payload, const std::string& name = "SK-19_test.csv") {
    linkage::InboundMessage m{"SK-19", "fukushi", payload, "text/csv", std::nullopt, "", {},
                              "file " + name + " from fukushi", "channel:test"};
    auto r = linkage::receive_inbound(*db, clock, m, welfare_file_handler(clock));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : linkage::InboundResult{};
  }
  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? rows->front().i64(0) : -1;
  }
  std::string text(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? rows->front().str(0) : "";
  }
  // "valid_from..valid_to source" of every public_assistance row of the person, in order.
  std::string assistance(const std::string& person) {
    auto rows = db->query(
        "SELECT kind, valid_from, valid_to, source FROM public_assistance WHERE person_id = $1 ORDER BY valid_from, kind",
        {person});
    EXPECT_TRUE(rows);
    std::string out;
    for (const auto& r : *rows) out += r.str(0) + " " + r.str(1) + ".." + r.opt_str(2).value_or("") + " " + r.str(3) + ";";
    return out;
  }
  // A 転入 on `on` gives a 65+ resident a category-1 period from that day (法10条2号): an
  // eligibility event whose effective_from is `on`.
  void move_in(const std::string& person, Date on) {
    ASSERT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
      auto r = record_address_fact(c, clock, person, AddressFact{AddressFactKind::move_in, on, std::nullopt, ""},
                                   ChangeSource{"staff", std::nullopt, std::nullopt, "staff1", "転入 (test)"});
      if (!r) return std::unexpected(r.error());
      return {};
    }));
  }
  void death(const std::string& person, Date on) {
    ASSERT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
      auto r = record_address_fact(c, clock, person, AddressFact{AddressFactKind::death, on, std::nullopt, ""},
                                   ChangeSource{"staff", std::nullopt, std::nullopt, "staff1", "死亡 (test)"});
      if (!r) return std::unexpected(r.error());
      return {};
    }));
  }
  std::string insured_no(const std::string& person) {
    return text("SELECT insured_no FROM insured_number WHERE person_id = $1", {person});
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 4, 20));
  std::vector<std::string> persons;
};

TEST_P(FukushiLinkageTest, SK_19_StartThenEndRecordedAsPublicAssistance) {
  const std::string& p = persons[0];
  auto start = receive(kHeader + row("N1", p, "開始", "20260401"));
  ASSERT_EQ(start.outcome, linkage::InboundOutcome::applied) << start.reason;
  EXPECT_EQ(assistance(p), "welfare 2026-04-01.. fukushi;");
  EXPECT_EQ(count("SELECT source_exchange_id FROM public_assistance WHERE person_id = $1", {p}), start.exchange_id);
  EXPECT_EQ(text("SELECT outcome || ' ' || change_kind || ' ' || on_date || ' ' || case_no FROM fukushi_notice "
                 "WHERE notice_no = 'N1'"),
            "applied start 2026-04-01 C-N1");
  // The exchange lists the person, so it shows in their history of exchanges.
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1 AND person_id = $2",
                  {start.exchange_id, p}),
            1);

  // 廃止日 2026-06-01 is the first day off assistance: stored as valid_to.
  auto end = receive(kHeader + row("N2", p, "廃止", "20260601"), "SK-19_b.csv");
  ASSERT_EQ(end.outcome, linkage::InboundOutcome::applied) << end.reason;
  EXPECT_EQ(assistance(p), "welfare 2026-04-01..2026-06-01 fukushi;");

  // A start and its end in one file, the end written first: applied by 異動日, and the other
  // kind (中国残留邦人等支援給付) kept apart.
  auto both = receive(kHeader + row("N4", p, "廃止", "20260910", "中国残留邦人等支援給付") +
                          row("N3", p, "開始", "20260701", "中国残留邦人等支援給付"),
                      "SK-19_c.csv");
  ASSERT_EQ(both.outcome, linkage::InboundOutcome::applied) << both.reason;
  EXPECT_EQ(assistance(p), "welfare 2026-04-01..2026-06-01 fukushi;repatriate 2026-07-01..2026-09-10 fukushi;");
}

TEST_P(FukushiLinkageTest, SK_19_WelfareAloneChangesNoEligibility) {
  // A 65+ insured person: 生活保護 leaves the category-1 period as it is (rules.md §1), so no
  // revision is written — the register is only re-derived.
  const std::string& p = persons[0];
  move_in(p, Date(2026, 4, 2));
  const auto revisions = count("SELECT COUNT(*) FROM eligibility_revision WHERE person_id = $1", {p});
  ASSERT_EQ(revisions, 1);
  ASSERT_EQ(receive(kHeader + row("N1", p, "開始", "20260405")).outcome, linkage::InboundOutcome::applied);
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_revision WHERE person_id = $1", {p}), revisions);
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_period WHERE person_id = $1", {p}), 1);
}

TEST_P(FukushiLinkageTest, SK_19_SameNoticeTwiceChangesNothing) {
  const std::string& p = persons[0];
  const std::string file = kHeader + row("N1", p, "開始", "20260401");
  ASSERT_EQ(receive(file).outcome, linkage::InboundOutcome::applied);
  // The same bytes again: the inbox knows the file.
  EXPECT_EQ(receive(file).outcome, linkage::InboundOutcome::already_applied);
  // Another file repeating N1 (twice, identical lines) beside a new notice: N1 is skipped, N2 applied.
  auto again = receive(kHeader + row("N1", p, "開始", "20260401") + row("N1", p, "開始", "20260401") +
                           row("N2", persons[1], "開始", "20260410"),
                       "SK-19_resent.csv");
  ASSERT_EQ(again.outcome, linkage::InboundOutcome::applied) << again.reason;
  EXPECT_EQ(assistance(p), "welfare 2026-04-01.. fukushi;");
  EXPECT_EQ(assistance(persons[1]), "welfare 2026-04-10.. fukushi;");
  EXPECT_EQ(count("SELECT COUNT(*) FROM fukushi_notice"), 2);
  EXPECT_EQ(count("SELECT exchange_id FROM fukushi_notice WHERE notice_no = 'N2'"), again.exchange_id);
}

TEST_P(FukushiLinkageTest, SK_19_StartAlreadyRecordedByAnInquiryIsNotDoubled) {
  // An SK-15 answer at the counter recorded the same 開始 first.
  const std::string& p = persons[0];
  ASSERT_TRUE(db->exec("INSERT INTO public_assistance (person_id, kind, valid_from, valid_to, source, recorded_at, "
                       "recorded_by) VALUES ($1, 'welfare', '2026-04-01', NULL, 'inquiry', 'x', 'staff1')",
                       {p}));
  ASSERT_EQ(receive(kHeader + row("N1", p, "開始", "20260401")).outcome, linkage::InboundOutcome::applied);
  EXPECT_EQ(assistance(p), "welfare 2026-04-01.. inquiry;");
  EXPECT_EQ(text("SELECT outcome FROM fukushi_notice WHERE notice_no = 'N1'"), "already_recorded");
  // Its 廃止 closes that row.
  ASSERT_EQ(receive(kHeader + row("N2", p, "廃止", "20260501")).outcome, linkage::InboundOutcome::applied);
  EXPECT_EQ(assistance(p), "welfare 2026-04-01..2026-05-01 inquiry;");
}

TEST_P(FukushiLinkageTest, SK_19_BadFileRefusedWholeWithNothingApplied) {
  const std::string& p = persons[0];
  const auto before_notices = count("SELECT COUNT(*) FROM fukushi_notice");
  const std::string pa_before = assistance(p);
  struct Case {
    std::string file, reason;
  };
  const std::vector<Case> cases{
      // Does not parse: a date that does not exist on line 3.
      {kHeader + row("N1", p, "開始", "20260401") + row("N2", persons[1], "開始", "20260231"),
       "welfare file refused: line 3, field 異動日: a date that does not exist"},
      // Parses, but line 3 names a person unknown here.
      {kHeader + row("N1", p, "開始", "20260401") + row("N2", "9999999999", "開始", "20260401"),
       "welfare file refused: line 3, field 宛名番号: a person unknown here"},
      // A 廃止 with no open period.
      {kHeader + row("N1", p, "開始", "20260401") + row("N2", persons[1], "廃止", "20260501"),
       "welfare file refused: line 3, field 異動区分: a 廃止 with no open period of this 種別"},
      // A 廃止 on the 開始日.
      {kHeader + row("N1", p, "開始", "20260401") + row("N2", p, "廃止", "20260401"),
       "welfare file refused: line 3, field 異動日: a 廃止日 on or before the period's 開始日"},
      // A second 開始 while the first is open.
      {kHeader + row("N1", p, "開始", "20260401") + row("N2", p, "開始", "20260501"),
       "welfare file refused: line 3, field 異動区分: a 開始 while a period of this 種別 is still open (no 廃止 "
       "received)"},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    auto r = receive(c.file, "SK-19_bad" + std::to_string(++n) + ".csv");
    ASSERT_EQ(r.outcome, linkage::InboundOutcome::rejected);
    // The inbox appends the field ("(field line 3: 異動日)").
    EXPECT_EQ(r.reason.rfind(c.reason, 0), 0u) << r.reason;
    EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {r.exchange_id}), "rejected");
    // Line 2 was good, yet nothing of the file applied.
    EXPECT_EQ(assistance(p), pa_before);
    EXPECT_EQ(count("SELECT COUNT(*) FROM fukushi_notice"), before_notices);
  }
  // The reason names no person.
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE status = 'rejected' AND reason LIKE $1",
                  {std::string("%") + p + "%"}),
            0);
}

TEST_P(FukushiLinkageTest, SK_20_ChangesOfWelfareCasesSentAsOneFileAndCursorMoves) {
  const std::string &a = persons[0], &b = persons[1], &c = persons[2], &d = persons[3];
  // a on 生活保護 since 04-01 (open); b's ended a year ago; d's starts after the change (in force
  // "or later"); c never.
  ASSERT_EQ(receive(kHeader + row("N1", a, "開始", "20260401") + row("N2", b, "開始", "20250101") +
                    row("N3", b, "廃止", "20250601") + row("N4", d, "開始", "20260501", "中国残留邦人等支援給付"))
                .outcome,
            linkage::InboundOutcome::applied);
  for (const auto& p : {a, b, c, d}) move_in(p, Date(2026, 4, 2));
  auto sent = send_eligibility_changes_to_welfare(*db, clock);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->events, 4);
  EXPECT_EQ(sent->rows, 2);
  ASSERT_TRUE(sent->exchange_id);
  const std::string payload = text("SELECT payload FROM exchange WHERE exchange_id = $1", {*sent->exchange_id});
  EXPECT_EQ(payload, "被保険者番号,宛名番号,異動区分,被保険者区分,資格取得日,資格喪失日,取得事由,喪失事由\n" +
                         insured_no(a) + "," + a + ",取得,1,20260402,,move_in,\n" + insured_no(d) + "," + d +
                         ",取得,1,20260402,,move_in,\n");
  EXPECT_FALSE(insured_no(a).empty());
  EXPECT_EQ(text("SELECT flow_id || ' ' || counterpart || ' ' || content_type || ' ' || status FROM exchange "
                 "WHERE exchange_id = $1",
                 {*sent->exchange_id}),
            "SK-20 fukushi text/csv queued");
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1", {*sent->exchange_id}), 2);
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'SK-20'"),
            count("SELECT MAX(event_id) FROM eligibility_event"));
  // The SK-18 consumer is not moved by SK-20.
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'SK-18'"), 0);

  // Nothing new: no file.
  auto none = send_eligibility_changes_to_welfare(*db, clock);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->events, 0);
  EXPECT_FALSE(none->exchange_id);

  // c (not a welfare case) dies: the event is consumed, the cursor moves, no file is made.
  death(c, Date(2026, 4, 15));
  auto only_c = send_eligibility_changes_to_welfare(*db, clock);
  ASSERT_TRUE(only_c);
  EXPECT_EQ(only_c->events, 1);
  EXPECT_EQ(only_c->rows, 0);
  EXPECT_FALSE(only_c->exchange_id);
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'SK-20'"),
            count("SELECT MAX(event_id) FROM eligibility_event"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'SK-20'"), 1);

  // a dies: 変更 of a's period with the loss the day after (法11条), 喪失事由 death.
  death(a, Date(2026, 4, 16));
  auto loss = send_eligibility_changes_to_welfare(*db, clock);
  ASSERT_TRUE(loss);
  ASSERT_TRUE(loss->exchange_id);
  EXPECT_EQ(text("SELECT payload FROM exchange WHERE exchange_id = $1", {*loss->exchange_id}),
            "被保険者番号,宛名番号,異動区分,被保険者区分,資格取得日,資格喪失日,取得事由,喪失事由\n" + insured_no(a) +
                "," + a + ",変更,1,20260402,20260417,move_in,death\n");
}

TEST_P(FukushiLinkageTest, SK_19_WelfareFilesOverFolderChannel) {
  const fs::path dir = testing::scratch_dir("fukushi-in");
  linkage::ChannelSet channels;
  channels.bind("fukushi", std::make_shared<linkage::FolderChannel>("fukushi", dir));
  fs::create_directories(dir / "in");
  std::ofstream(dir / "in" / "SK-19_20260401.csv")
      << kHeader << row("N1", persons[0], "開始", "20260401") << row("N2", persons[1], "開始", "20260401");
  std::ofstream(dir / "in" / "SK-19_20260402.csv") << kHeader << row("N3", persons[0], "廃止", "20260415");
  // A bad file dropped beside them: quarantined with its reason, nothing of it applied.
  std::ofstream(dir / "in" / "SK-19_zz_broken.csv")
      << kHeader << row("N9", persons[2], "開始", "20260401") << row("N10", persons[3], "停止", "20260401");

  linkage::Dispatcher dispatcher(fukushi_inbound_handlers(clock));
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->applied, 2);
  EXPECT_EQ(report->rejected, 1);
  EXPECT_TRUE(fs::exists(dir / "processed" / "SK-19_20260401.csv"));
  EXPECT_TRUE(fs::exists(dir / "processed" / "SK-19_20260402.csv"));
  ASSERT_TRUE(fs::exists(dir / "quarantine" / "SK-19_zz_broken.csv.reason.txt"));
  std::stringstream reason;
  reason << std::ifstream(dir / "quarantine" / "SK-19_zz_broken.csv.reason.txt").rdbuf();
  EXPECT_NE(reason.str().find("line 3, field 異動区分"), std::string::npos) << reason.str();
  EXPECT_EQ(assistance(persons[0]), "welfare 2026-04-01..2026-04-15 fukushi;");
  EXPECT_EQ(assistance(persons[1]), "welfare 2026-04-01.. fukushi;");
  EXPECT_EQ(assistance(persons[2]), "");
  // Settled: nothing is offered again.
  auto second = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->applied + second->duplicates + second->rejected, 0);
}

TEST_P(FukushiLinkageTest, SK_20_ChangeFileWrittenToFolderChannel) {
  const fs::path dir = testing::scratch_dir("fukushi-out");
  linkage::ChannelSet channels;
  channels.bind("fukushi", std::make_shared<linkage::FolderChannel>("fukushi", dir));
  ASSERT_EQ(receive(kHeader + row("N1", persons[0], "開始", "20260401")).outcome, linkage::InboundOutcome::applied);
  move_in(persons[0], Date(2026, 4, 2));
  auto sent = send_eligibility_changes_to_welfare(*db, clock);
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_TRUE(sent->exchange_id);

  linkage::Dispatcher dispatcher(fukushi_inbound_handlers(clock));
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {*sent->exchange_id}), "sent");
  const std::string correlation = text("SELECT correlation_id FROM exchange WHERE exchange_id = $1", {*sent->exchange_id});
  const fs::path file = dir / "out" / ("SK-20_" + correlation + ".csv");
  ASSERT_TRUE(fs::exists(file)) << file;
  std::stringstream content;
  content << std::ifstream(file).rdbuf();
  EXPECT_EQ(content.str(), text("SELECT payload FROM exchange WHERE exchange_id = $1", {*sent->exchange_id}));
  EXPECT_EQ(content.str(), "被保険者番号,宛名番号,異動区分,被保険者区分,資格取得日,資格喪失日,取得事由,喪失事由\n" +
                               insured_no(persons[0]) + "," + persons[0] + ",取得,1,20260402,,move_in,\n");
}

INSTANTIATE_TEST_SUITE_P(Db, FukushiLinkageTest, ::testing::ValuesIn(kaigo::testing::backends()),
                         kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo::eligibility::fukushi
