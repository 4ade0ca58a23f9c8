// KY-04 給付実績情報 on SQLite and PostgreSQL: files posted on the kokuhoren simulator channel (as
// the 国保連 simulator does) or dropped into a CP932 folder channel, dispatched into the inbox →
// benefit_record rows (新規/修正/取消, 現物/償還) visible through the reads; every bad file of the
// issue's "Bad input" refused whole, recorded with line and field, quarantined, nothing applied;
// the same file twice changes nothing.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "benefit/benefit_record.hpp"
#include "benefit/codes.hpp"
#include "benefit/kokuhoren_csv.hpp"
#include "core/clock.hpp"
#include "core/cp932.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/folder_channel.hpp"
#include "linkage/simulator_channel.hpp"
#include "test_db.hpp"

namespace kaigo::benefit {
namespace {

namespace fs = std::filesystem;

std::string config_dir() {
#ifdef KAIGO_SOURCE_CONFIG_DIR
  return KAIGO_SOURCE_CONFIG_DIR;
#else
  return (fs::path(__FILE__).parent_path().parent_path().parent_path() / "config").string();
#endif
}

// The repository's layouts; offices and kinds made here (the test does not depend on the city's lists).
const BenefitConfig& config() {
  static const BenefitConfig c = [] {
    BenefitConfig b;
    auto layouts = csv::load_layouts(fs::path(config_dir()) / "layouts" / "kokuhoren");
    if (!layouts) throw std::runtime_error(layouts.error().message);
    b.layouts = std::move(*layouts);
    b.service_kinds = {{"11", "訪問介護", true, true}, {"15", "通所介護", true, true}, {"41", "福祉用具購入費", false, false}};
    b.offices = {{"1310000011", "訪問介護 さくら", "", {"11"}, false}, {"1310000029", "福祉用具 つばさ", "", {"41"}, false}};
    return b;
  }();
  return c;
}

struct Claim {
  std::string claim_no;
  char kind = '1';  // 1 新規 2 修正 3 取消
  std::string insured_no;
  std::string service_month = "202510";
  std::string office_no = "1310000011";
  std::string service_kind = "11";
  char payment = '1';  // 1 現物 2 償還
  std::int64_t cost = 10720;
  std::int64_t copay = 1072;
};

std::string ky04(const std::vector<Claim>& claims, const std::string& review = "202511", const std::string& ref = "R1") {
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : claims)
    rows.push_back({"", "", std::string(1, c.kind), c.claim_no, "132011", c.insured_no, c.service_month, c.office_no,
                    c.service_kind, std::string(1, c.payment), "4", std::to_string(c.cost * 100 / 1072), "1072",
                    std::to_string(c.cost), std::to_string(c.cost - c.copay), std::to_string(c.copay), "0"});
  auto text = csv::write(*config().layouts.find("KY04"),
                         {{"insurer_no", "132011"}, {"created_on", review + "10"}, {"review_month", review}, {"file_ref", ref}}, rows);
  EXPECT_TRUE(text) << (text ? "" : text.error().message);
  return text ? *text : "";
}

class BenefitRecordTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    for (int i = 1; i <= 3; ++i) {
      const std::string pid = fmt::format("P{:09}", i);
      ASSERT_TRUE(db->exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, ward_code, "
                           "household_id, relation, registry_status, updated_at) VALUES ($1, '介護 太郎', 'カイゴ タロウ', "
                           "'1945-04-01', '1', '1000001', '本町1-1', '01', $2, '世帯主', 'resident', '2025-01-01T00:00:00Z')",
                           {pid, "H" + pid}));
      ASSERT_TRUE(db->exec("INSERT INTO insured_number (insured_no, person_id, assigned_on) VALUES ($1, $2, '2010-04-01')",
                           {fmt::format("{:010}", i), pid}));
    }
    options.config = &config();
    options.insurer_no = "132011";
    options.data_dir = testing::scratch_dir("benefit_record");
    channel = std::make_shared<linkage::SimulatorChannel>("kokuhoren");
    channels.bind("kokuhoren", channel);
  }

  // Posts a file on the channel as the 国保連 simulator does and runs the dispatcher and the
  // recording of refused files (as the server's worker does).
  void deliver(const std::string& text, const std::string& message_id) {
    linkage::InboundMessage m;
    m.flow_id = "KY-04";
    m.counterpart = "kokuhoren";
    m.payload = text;
    m.content_type = "text/csv";
    m.message_id = message_id;
    m.purpose = "file KY-04 from kokuhoren";
    m.actor = "simulator:kokuhoren";
    channel->post(std::move(m));
    dispatch();
  }
  void dispatch() {
    linkage::Dispatcher d(benefit_record_inbound_handlers(clock, options));
    auto r = d.run_once(*db, channels, clock);
    ASSERT_TRUE(r) << r.error().message;
    auto rec = record_rejected_files(*db, clock, options);
    ASSERT_TRUE(rec) << rec.error().message;
  }

  std::int64_t count(const std::string& sql) {
    auto rows = db->query(sql);
    EXPECT_TRUE(rows);
    return rows && !rows->empty() ? rows->front().i64(0) : -1;
  }

  std::vector<InboundFile> files() {
    std::vector<InboundFile> out;
    auto r = db->with_connection([&](store::Connection& c) -> Result<void> {
      auto l = list_inbound_files(c, "KY-04", 50);
      if (!l) return std::unexpected(l.error());
      for (const auto& f : *l) {
        auto one = inbound_file(c, f.file_id);
        if (!one) return std::unexpected(one.error());
        out.push_back(**one);
      }
      return {};
    });
    EXPECT_TRUE(r);
    return out;
  }

  std::vector<PersonMonth> months(const std::string& person_id) {
    std::vector<PersonMonth> out;
    auto r = db->with_connection([&](store::Connection& c) -> Result<void> {
      auto m = person_records(c, person_id, "2025-01", "2025-12");
      if (!m) return std::unexpected(m.error());
      out = std::move(*m);
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return out;
  }

  // A refused file: one rejected row whose errors include (line, field, fragment), its quarantine
  // copy on disk, the exchange rejected with a reason that names the line, no record written.
  void expect_refused(std::int64_t line, const std::string& field, const std::string& fragment, std::int64_t records_before) {
    const auto f = files();
    ASSERT_FALSE(f.empty());
    const InboundFile& file = f.front();
    EXPECT_EQ(file.status, "rejected");
    bool found = false;
    for (const auto& e : file.errors) found = found || (e.line_no == line && e.field == field && e.message.find(fragment) != std::string::npos);
    std::string all;
    for (const auto& e : file.errors) all += fmt::format("{} {}: {}\n", e.line_no, e.field, e.message);
    EXPECT_TRUE(found) << all;
    EXPECT_TRUE(fs::exists(file.quarantine_path)) << file.quarantine_path;
    EXPECT_NE(file.quarantine_path.find("quarantine/benefit"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_record"), records_before);
    auto reason = db->query("SELECT reason FROM exchange WHERE exchange_id = $1", {file.exchange_id.value_or(0)});
    ASSERT_TRUE(reason && reason->size() == 1);
    // The reason names the first fault's line (the file row lists them all).
    EXPECT_NE(reason->front().str(0).find(fmt::format("first at line {}", file.errors.front().line_no)), std::string::npos)
        << reason->front().str(0);
    EXPECT_EQ(reason->front().str(0).find("カイゴ"), std::string::npos);
  }

  std::unique_ptr<store::Database> db;
  SystemClock clock;
  BenefitRecordOptions options;
  std::shared_ptr<linkage::SimulatorChannel> channel;
  linkage::ChannelSet channels;
};

TEST_P(BenefitRecordTest, KY_04_NewCorrectedCancelledInKindAndReimbursed) {
  deliver(ky04({{"C1", '1', "0000000001"},
                {"C2", '1', "0000000001", "202510", "1310000029", "41", '2', 50000, 5000},
                {"C3", '1', "0000000002", "202509"}}),
          "KR-KY04-202511");
  auto f = files();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].status, "applied");
  EXPECT_EQ(f[0].record_count, 3);
  const auto summary = nlohmann::json::parse(f[0].summary);
  EXPECT_EQ(summary["new"], 3);
  EXPECT_EQ(summary["review_month"], "2025-11");
  auto m = months("P000000001");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].service_month, "2025-10");
  EXPECT_EQ(m[0].totals.records, 2);
  EXPECT_EQ(m[0].totals.total_cost, 60720);
  EXPECT_EQ(m[0].totals.copayment, 6072);
  ASSERT_EQ(m[0].records.size(), 2u);
  EXPECT_EQ(m[0].records[0].payment_kind, "in_kind");
  EXPECT_EQ(m[0].records[0].unit_price_hundredths, 1072);
  EXPECT_EQ(m[0].records[1].payment_kind, "reimbursement");
  EXPECT_EQ(m[0].records[1].service_kind, "41");

  // Next month: C1 corrected, C3 cancelled, a new claim.
  deliver(ky04({{"C1", '2', "0000000001", "202510", "1310000011", "11", '1', 21440, 2144},
                {"C3", '3', "0000000002", "202509"},
                {"C4", '1', "0000000003", "202511"}},
               "202512", "R2"),
          "KR-KY04-202512");
  f = files();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].status, "applied");
  const auto s2 = nlohmann::json::parse(f[0].summary);
  EXPECT_EQ(s2["corrected"], 1);
  EXPECT_EQ(s2["cancelled"], 1);
  EXPECT_EQ(s2["new"], 1);
  m = months("P000000001");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].totals.total_cost, 71440);
  EXPECT_TRUE(months("P000000002").empty()) << "the cancelled claim is gone from the current records";
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_record WHERE claim_no = 'C1' AND status = 'superseded' AND replaced_by = "
                  "(SELECT record_id FROM benefit_record WHERE claim_no = 'C1' AND status = 'current')"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_record WHERE claim_no = 'C3' AND status = 'cancelled' AND replaced_by IS NOT NULL"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_record WHERE status = 'current'"), 3);
  // The month's summary.
  auto r = db->with_connection([&](store::Connection& c) -> Result<void> {
    auto s = month_summary(c, "2025-10");
    if (!s) return std::unexpected(s.error());
    EXPECT_EQ(s->persons, 1);
    EXPECT_EQ(s->totals.records, 2);
    EXPECT_EQ(s->reimbursement.total_cost, 50000);
    EXPECT_EQ(s->in_kind.total_cost, 21440);
    EXPECT_EQ(s->by_service_kind.size(), 2u);
    return {};
  });
  ASSERT_TRUE(r);
  // The exchange lists the persons of the file.
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person p JOIN exchange e ON e.exchange_id = p.exchange_id WHERE e.flow_id = 'KY-04'"),
            5);
}

TEST_P(BenefitRecordTest, KY_04_TheSameFileTwiceChangesNothing) {
  const std::string text = ky04({{"C1", '1', "0000000001"}});
  deliver(text, "KR-KY04-202511");
  // The same content under another message id (a resend): applied once only.
  deliver(text, "KR-KY04-202511-again");
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_record"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_inbound_file"), 1);
  // A 新規 repeated with the same content in another file: unchanged.
  deliver(ky04({{"C1", '1', "0000000001"}}, "202512", "R2"), "KR-KY04-202512");
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_record"), 1);
  EXPECT_EQ(nlohmann::json::parse(files().front().summary)["unchanged"], 1);
}

TEST_P(BenefitRecordTest, KY_04_BadQuotingRefusedWhole) {
  std::string text = ky04({{"C1", '1', "0000000001"}, {"C2", '1', "0000000002"}});
  text.replace(text.find("\"C2\""), 4, "\"C2");
  deliver(text, "bad-quote");
  expect_refused(3, "", "field 4 has text after its closing double quote", 0);
}

TEST_P(BenefitRecordTest, KY_04_CountsDisagreeingWithTheEndRecordRefused) {
  std::string text = ky04({{"C1", '1', "0000000001"}, {"C2", '1', "0000000002"}});
  text.replace(text.rfind("\"3\",\"2\""), 7, "\"3\",\"3\"");
  deliver(text, "bad-count");
  expect_refused(4, "データ件数", "the end record says 3, the file has 2 data records", 0);
}

TEST_P(BenefitRecordTest, KY_04_UnknownInsuredNoRefusedWhole) {
  deliver(ky04({{"C1", '1', "0000000001"}, {"C2", '1', "0000000009"}}), "unknown-insured");
  expect_refused(3, "被保険者番号", "no insured person", 0);
  EXPECT_EQ(files().front().errors.size(), 1u);
}

TEST_P(BenefitRecordTest, KY_04_CorrectionOfAMissingRecordRefusedWhole) {
  deliver(ky04({{"C1", '1', "0000000001"}}), "first");
  deliver(ky04({{"C5", '1', "0000000002"}, {"C9", '2', "0000000001"}}, "202512", "R2"), "correction-of-nothing");
  expect_refused(3, "給付実績管理番号", "a 修正 of a claim with no current record", 1);
  // The same claim twice in a file, and a 新規 of a current claim with other content.
  deliver(ky04({{"C7", '1', "0000000002"}, {"C7", '1', "0000000002"}, {"C1", '1', "0000000001", "202510", "1310000011", "11", '1', 99999, 9999}},
               "202601", "R3"),
          "twice");
  expect_refused(3, "給付実績管理番号", "already on line 2", 1);
  expect_refused(4, "給付実績管理番号", "a 新規 of a claim already recorded with other content", 1);
}

TEST_P(BenefitRecordTest, KY_04_BrokenCp932ByteThroughAFolderChannel) {
  const fs::path dir = testing::scratch_dir("benefit_record_folder");
  channels.bind("kokuhoren", std::make_shared<linkage::FolderChannel>("kokuhoren", dir, linkage::FileEncoding::cp932));
  auto good = cp932::encode(ky04({{"C1", '1', "0000000001"}}));
  ASSERT_TRUE(good);
  std::string broken = *cp932::encode(ky04({{"C2", '1', "0000000002"}}, "202512", "R2"));
  const auto at = broken.find("C2");
  broken[at] = static_cast<char>(0x81);
  broken[at + 1] = static_cast<char>(0x20);  // never a CP932 second byte
  fs::create_directories(dir / "in");
  std::ofstream(dir / "in" / "KY-04_202512.csv", std::ios::binary) << broken;
  std::ofstream(dir / "in" / "KY-04_202511.csv", std::ios::binary) << *good;
  dispatch();
  // The good file applied; the broken one quarantined by the channel, nothing of it applied.
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_record"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_record WHERE claim_no = 'C2'"), 0);
  EXPECT_TRUE(fs::exists(dir / "quarantine" / "KY-04_202512.csv"));
  // The same bytes imported from disk: refused with the line of the broken byte.
  auto out = import_records_file(*db, clock, options, "KY-04_202512.csv", broken, "test");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->outcome, "rejected");
  auto f = files();
  ASSERT_FALSE(f.empty());
  ASSERT_FALSE(f.front().errors.empty());
  EXPECT_EQ(f.front().errors.front().line_no, 2);
  EXPECT_NE(f.front().errors.front().message.find("0x81 0x20"), std::string::npos) << f.front().errors.front().message;
  EXPECT_TRUE(fs::exists(f.front().quarantine_path));
  // A good CP932 file from disk: applied through the inbox.
  auto next = import_records_file(*db, clock, options, "KY-04_202601.csv", *cp932::encode(ky04({{"C3", '1', "0000000003"}}, "202601", "R3")),
                                  "test");
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->outcome, "applied");
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_record"), 2);
}

INSTANTIATE_TEST_SUITE_P(Db, BenefitRecordTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::benefit
