// The 国保連 benefit simulator (sim/benefit/claims_sim.hpp) on SQLite and PostgreSQL: KY-03 files
// sent through the kokuhoren simulator channel (the pension simulator attached to it too) → at the
// next month end a KY-04 file whose records parse with the KY04 layout and agree with the
// recipients (caps, co-payment rates, care plans, 給付制限); later months 修正/取消 only claims it
// sent; the same inputs give the same files; a restarted simulator resumes from the messages and
// sends nothing twice.
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "benefit/benefit_record.hpp"
#include "benefit/codes.hpp"
#include "benefit/kokuhoren_csv.hpp"
#include "core/clock.hpp"
#include "core/cp932.hpp"
#include "core/hash.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/exchange_store.hpp"
#include "people/my_number_vault.hpp"
#include "premium/tokucho_service.hpp"
#include "sim/benefit/claims_sim.hpp"
#include "sim/city_generator.hpp"
#include "sim/kokuhoren/pension_sim.hpp"
#include "test_db.hpp"

namespace kaigo::sim::benefit {

// Short failure messages for claims (gtest would dump the bytes).
void PrintTo(const Claim& c, std::ostream* os) {
  *os << c.record_kind << ' ' << c.claim_no << ' ' << c.service_kind << ' ' << c.units << ' ' << c.unit_price << ' '
      << c.insurance_tenths << ' ' << c.total_cost << '/' << c.insurance_paid << '/' << c.copayment;
}

namespace {

namespace fs = std::filesystem;
namespace csv = kaigo::benefit::csv;

std::string config_dir() {
#ifdef KAIGO_SOURCE_CONFIG_DIR
  return KAIGO_SOURCE_CONFIG_DIR;
#else
  return (fs::path(__FILE__).parent_path().parent_path().parent_path() / "config").string();
#endif
}

// Layouts from the repository; offices and kinds made here so the test does not depend on the
// city's code lists (a plan office, home services, preventive services, a facility with 59, a
// shop selling equipment).
const kaigo::benefit::BenefitConfig& config() {
  static const kaigo::benefit::BenefitConfig c = [] {
    kaigo::benefit::BenefitConfig b;
    auto layouts = csv::load_layouts(fs::path(config_dir()) / "layouts" / "kokuhoren");
    if (!layouts) throw std::runtime_error(layouts.error().message);
    b.layouts = std::move(*layouts);
    for (const char* k : {"11", "13", "15", "17", "21", "24", "61", "65", "67"})
      b.service_kinds.push_back({k, std::string("kind ") + k, true, true});
    for (const char* k : {"41", "43", "46", "51", "59"}) b.service_kinds.push_back({k, std::string("kind ") + k, k != std::string("59"), false});
    b.offices = {
        {"1470000011", "居宅介護支援 みなと", "", {"43", "46"}, true},
        {"1470000029", "訪問介護 さくら", "", {"11", "61", "67"}, false},
        {"1470000037", "デイサービス ひまわり", "", {"15", "65"}, false},
        {"1470000045", "訪問看護 あおば", "", {"13"}, false},
        {"1470000052", "ショートステイ かえで", "", {"21", "24", "17"}, false},
        {"1470000060", "特別養護老人ホーム けやき", "", {"51", "59"}, false},
        {"1470000078", "福祉用具 つばさ", "", {"17", "41"}, false},
    };
    return b;
  }();
  return c;
}

struct Recipient {
  std::string insured_no, level;
  std::int64_t cap = 0;
  int rate = 1;
  bool plan = true;
  std::string restriction;
  char change_kind = '1';
};

Recipient rec(std::string no, std::string level, std::int64_t cap, int rate, bool plan = true, std::string restriction = "") {
  return Recipient{std::move(no), std::move(level), cap, rate, plan, std::move(restriction), '1'};
}

std::vector<std::string> ky03_row(const csv::Layout& layout, const Recipient& r, std::int64_t seq) {
  const std::map<std::string, std::string> v = {
      {"seq", std::to_string(seq)},
      {"change_kind", std::string(1, r.change_kind)},
      {"correction", "0"},
      {"change_date", "20260901"},
      {"insurer_no", "149802"},
      {"insured_no", r.insured_no},
      {"name_kana", "カイゴ タロウ"},
      {"birth_date", "19400101"},
      {"sex", "1"},
      {"eligibility_from", "20050101"},
      {"care_level", r.level},
      {"cert_valid_from", "20260901"},
      {"cert_valid_to", "20270831"},
      {"monthly_cap_units", std::to_string(r.cap)},
      {"plan_kind", r.plan ? (r.level == "12" || r.level == "13" ? "2" : "1") : ""},
      {"plan_office_no", r.plan ? "1470000011" : ""},
      {"plan_valid_from", r.plan ? "20260901" : ""},
      {"copayment_rate", std::to_string(r.rate)},
      {"rate_valid_from", "20260801"},
      {"rate_valid_to", "20270731"},
      {"restriction_kind", r.restriction},
      {"restriction_from", r.restriction.empty() ? "" : "20260901"},
      {"former_address", "0"},
  };
  std::vector<std::string> row;
  for (const auto& f : layout.data.fields) {
    auto it = v.find(f.key);
    row.push_back(f.key == "record_type" ? f.value : it == v.end() ? "" : it->second);
  }
  return row;
}

std::string ky03_file(const std::vector<Recipient>& rs, const std::string& file_ref) {
  const csv::Layout* layout = config().layouts.find("KY03");
  EXPECT_NE(layout, nullptr);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < rs.size(); ++i) rows.push_back(ky03_row(*layout, rs[i], static_cast<std::int64_t>(i) + 1));
  auto text = csv::write(*layout,
                         {{"exchange_id", "KY03"}, {"layout_version", "1"}, {"insurer_no", "149802"},
                          {"created_on", "20261005"}, {"file_ref", file_ref}, {"correction_file", "0"}},
                         rows);
  EXPECT_TRUE(text) << (text ? "" : text.error().message);
  return text ? *text : "";
}

// The recipients of the test: the named ones of each kind, and 120 more so that facilities,
// purchases, 修正 and 取消 all occur.
std::vector<Recipient> recipients() {
  std::vector<Recipient> rs = {
      rec("0000000101", "21", 16765, 1),       rec("0000000102", "25", 36217, 3),
      rec("0000000103", "13", 10531, 2),       rec("0000000104", "22", 19705, 1, false),  // no care plan: no claim
      rec("0000000105", "23", 27048, 1, true, "3"),                                      // 69条 減額
      rec("0000000106", "24", 30938, 1, true, "1"),                                      // 66条 償還払い
      rec("0000000107", "01", 0, 1),                                                      // 非該当
  };
  static constexpr std::pair<const char*, std::int64_t> kLevels[] = {{"12", 5032},  {"13", 10531}, {"21", 16765},
                                                                      {"22", 19705}, {"23", 27048}, {"24", 30938},
                                                                      {"25", 36217}};
  for (int i = 0; i < 120; ++i) {
    const auto& [level, cap] = kLevels[i % 7];
    rs.push_back(rec(fmt::format("{:010}", 1000 + i), level, cap, 1 + (i / 7) % 3));
  }
  return rs;
}

struct FileOut {
  csv::ParsedFile file;
  std::string text;
};

class BenefitSimTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    channel = std::make_shared<linkage::SimulatorChannel>("kokuhoren");
    channels.bind("kokuhoren", channel);
    auto tokucho = premium::TokuchoConfig::load(config_dir());
    ASSERT_TRUE(tokucho) << tokucho.error().message;
    tokucho_config = std::make_unique<premium::TokuchoConfig>(std::move(*tokucho));
    // The pension simulator holds the channel's handler; the claims simulator shares the counterpart.
    pension = std::make_unique<sim::kokuhoren::PensionSim>(*db, tokucho_config->layouts, channel.get());
    sim = make_sim();
  }

  std::unique_ptr<ClaimsSim> make_sim() {
    return std::make_unique<ClaimsSim>(*db, config(), channel.get(), ClaimsSimOptions{77, "149802", Date(2026, 10, 20)});
  }

  // Queues a KY-03 file as the recipient sender does and lets the dispatcher send it.
  void send_ky03(const std::string& text, const std::string& key) {
    auto q = db->transaction([&](store::Connection& c) -> Result<void> {
      linkage::OutboundMessage m;
      m.flow_id = "KY-03";
      m.counterpart = "kokuhoren";
      m.payload = text;
      m.content_type = "text/csv";
      m.purpose = "受給者異動連絡票情報";
      m.actor = "test";
      m.idempotency_key = key;
      auto r = linkage::enqueue_outbound(c, clock, m);
      if (!r) return std::unexpected(r.error());
      return {};
    });
    ASSERT_TRUE(q) << q.error().message;
    dispatch();
  }

  // Runs the dispatcher with a KY-04 handler that accepts (the simulator is under test, not kaigo).
  void dispatch() {
    linkage::InboundHandlers handlers;
    handlers["KY-04"] = [](store::Connection&, const linkage::Exchange&) -> Result<void> { return {}; };
    linkage::Dispatcher d(handlers);
    auto r = d.run_once(*db, channels, clock);
    ASSERT_TRUE(r) << r.error().message;
  }

  // The KY-04 files waiting on the channel, parsed with the layout (every fault fails the test);
  // taken off the channel unless `keep` (then the dispatcher takes them into the inbox).
  std::vector<FileOut> waiting(bool keep = false) {
    auto polled = channel->poll();
    EXPECT_TRUE(polled);
    std::vector<FileOut> out;
    if (!polled) return out;
    for (const auto& env : *polled) {
      if (env.message.flow_id != "KY-04") continue;
      csv::ParseContext ctx;
      ctx.insurer_no = "149802";
      ctx.code_known = [](std::string_view list, std::string_view code) {
        if (list == "care_offices")
          return std::ranges::any_of(config().offices, [&](const auto& o) { return o.office_no == code; });
        return std::ranges::any_of(config().service_kinds, [&](const auto& k) { return k.code == code; });
      };
      auto parsed = csv::parse(config().layouts, env.message.payload, ctx);
      EXPECT_TRUE(parsed.errors.empty()) << (parsed.errors.empty() ? "" : parsed.errors.front().field + ": " + parsed.errors.front().message);
      EXPECT_EQ(parsed.file.layout->exchange_id, "KY04");
      out.push_back({std::move(parsed.file), env.message.payload});
      if (!keep) {
        EXPECT_TRUE(channel->settle(env, ""));
      }
    }
    return out;
  }

  std::unique_ptr<store::Database> db;
  SystemClock clock;
  std::shared_ptr<linkage::SimulatorChannel> channel;
  linkage::ChannelSet channels;
  std::unique_ptr<premium::TokuchoConfig> tokucho_config;
  std::unique_ptr<sim::kokuhoren::PensionSim> pension;
  std::unique_ptr<ClaimsSim> sim;
};

std::string field(const csv::ParsedFile& f, std::size_t r, const char* key) {
  return std::string(f.value(r, f.layout->data.index_of(key)));
}
std::int64_t number(const csv::ParsedFile& f, std::size_t r, const char* key) { return std::stoll(field(f, r, key)); }

TEST_P(BenefitSimTest, KY_03_KY_04_RecipientsInClaimsOutWithinCapsAndRates) {
  const auto rs = recipients();
  send_ky03(ky03_file(rs, "KGJK-1"), "test:ky03:1");
  // Nothing before the month ends (20 → 31 October lived).
  auto quiet = sim->advance(12);
  ASSERT_TRUE(quiet) << quiet.error().message;
  EXPECT_TRUE(waiting().empty());
  EXPECT_EQ(sim->recipients(), rs.size());
  // 1 November: the KY-04 of October's service.
  auto moved = sim->advance(1);
  ASSERT_TRUE(moved) << moved.error().message;
  auto files = waiting();
  ASSERT_EQ(files.size(), 1u);
  const auto& f = files.front().file;
  EXPECT_EQ(f.control[f.layout->control.index_of("review_month")], "202611");
  ASSERT_GT(f.data_count(), 100u);

  std::map<std::string, Recipient> by_no;
  for (const auto& r : rs) by_no[r.insured_no] = r;
  std::map<std::string, std::int64_t> home_units;
  std::set<std::string> kinds;
  std::set<std::string> claim_nos;
  for (std::size_t r = 0; r < f.data_count(); ++r) {
    EXPECT_EQ(field(f, r, "record_kind"), "1");
    EXPECT_EQ(field(f, r, "service_month"), "202610");
    EXPECT_TRUE(claim_nos.insert(field(f, r, "claim_no")).second) << "claim numbers are unique";
    const auto& who = by_no.at(field(f, r, "insured_no"));
    EXPECT_TRUE(who.plan) << "a claim only with a care plan";
    EXPECT_NE(who.level, "01");
    const std::string kind = field(f, r, "service_kind");
    kinds.insert(kind);
    const auto units = number(f, r, "units"), price = number(f, r, "unit_price"), cost = number(f, r, "total_cost"),
               paid = number(f, r, "insurance_paid"), copay = number(f, r, "copayment");
    EXPECT_GE(price, 1000);
    EXPECT_LE(price, 1140);
    EXPECT_EQ(cost, units * price / 100);
    EXPECT_EQ(copay, cost - paid);
    int tenths = 10 - who.rate;
    if (who.restriction == "3") tenths = who.rate == 3 ? 6 : 7;
    if (kind == "59") {
      EXPECT_EQ(paid, cost) << "特定入所者介護サービス費 is paid in full";
    } else {
      EXPECT_EQ(paid, cost * tenths / 10) << "insured " << who.insured_no;
    }
    EXPECT_EQ(field(f, r, "payment_kind"), who.restriction == "1" || kind == "41" ? "2" : "1");
    if (kind != "51" && kind != "59" && kind != "41") home_units[who.insured_no] += units;
    // 要支援 get preventive services, 要介護 the others.
    if (kind != "41" && kind != "51" && kind != "59") {
      EXPECT_EQ(kind[0] == '6' || kind == "24", who.level == "12" || who.level == "13") << kind << " for level " << who.level;
    }
  }
  for (const auto& [no, units] : home_units) EXPECT_LE(units, by_no.at(no).cap) << "within the cap of " << no;
  EXPECT_FALSE(home_units.contains("0000000104"));
  EXPECT_FALSE(home_units.contains("0000000107"));
  for (const char* k : {"51", "59"}) EXPECT_TRUE(kinds.contains(k)) << "some live in a facility: " << k;
  // The end record's sums agree (parse checked them); the file's data count is what it says.
  EXPECT_EQ(number(f, 0, "seq"), 1);
}

TEST_P(BenefitSimTest, KY_04_CorrectionsAndCancellationsReferToClaimsSentAndAreDeterministic) {
  send_ky03(ky03_file(recipients(), "KGJK-1"), "test:ky03:1");
  ASSERT_TRUE(sim->advance(13 + 30 + 31 + 31));  // through 1 February: four files (Nov, Dec, Jan, Feb)
  auto files = waiting();
  ASSERT_EQ(files.size(), 4u);
  std::map<std::string, std::string> sent;  // claim_no → its latest record kind
  std::int64_t corrected = 0, cancelled = 0;
  for (const auto& out : files) {
    const auto& f = out.file;
    const std::string review = f.control[f.layout->control.index_of("review_month")];
    for (std::size_t r = 0; r < f.data_count(); ++r) {
      const std::string no = field(f, r, "claim_no"), kind = field(f, r, "record_kind");
      if (kind == "1") {
        EXPECT_FALSE(sent.contains(no));
      } else {
        ASSERT_TRUE(sent.contains(no)) << "a 修正/取消 refers to a claim sent before: " << no;
        EXPECT_NE(sent[no], "3") << "nothing follows a 取消";
        EXPECT_LT(field(f, r, "service_month"), review);
        (kind == "2" ? corrected : cancelled) += 1;
      }
      sent[no] = kind;
    }
  }
  EXPECT_GT(corrected, 0);
  EXPECT_GT(cancelled, 0);
  EXPECT_EQ(sim->claims().size(), sent.size());

  // A second simulator with the same seed, fed the same files, makes the same bytes.
  auto again = make_sim();
  ASSERT_TRUE(again->advance(13 + 30 + 31 + 31));
  auto files2 = waiting();
  ASSERT_EQ(files2.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(files2[i].text, files[i].text);
}

TEST_P(BenefitSimTest, KY_04_ARestartedSimulatorResumesAndSendsNothingTwice) {
  send_ky03(ky03_file(recipients(), "KGJK-1"), "test:ky03:1");
  ASSERT_TRUE(sim->advance(13 + 30));  // through 1 December: November's and December's files
  dispatch();                           // taken into the inbox
  auto count = [&] {
    auto r = db->query("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-04' AND direction = 'inbound'");
    EXPECT_TRUE(r);
    return r ? r->front().i64(0) : -1;
  };
  ASSERT_EQ(count(), 2);
  const auto before = sim->claims();

  sim = make_sim();  // the process restarts: the simulator starts again on 20 October
  auto resumed = sim->resume_from_messages();
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(*resumed, 2);
  EXPECT_EQ(sim->recipients(), recipients().size());
  EXPECT_EQ(sim->claims(), before);
  EXPECT_EQ(sim->months_sent(), (std::set<std::string>{"202611", "202612"}));
  ASSERT_TRUE(sim->advance(13 + 30));  // the same two month ends again: nothing sent
  EXPECT_TRUE(waiting().empty());
  ASSERT_TRUE(sim->advance(31));  // January's end: the next file, revising claims sent before the restart
  auto files = waiting(true);
  ASSERT_EQ(files.size(), 1u);
  const auto& f = files.front().file;
  EXPECT_EQ(f.control[f.layout->control.index_of("review_month")], "202701");
  for (std::size_t r = 0; r < f.data_count(); ++r) {
    if (field(f, r, "record_kind") != "1") {
      EXPECT_TRUE(before.contains(field(f, r, "claim_no")));
    }
  }
  dispatch();
  EXPECT_EQ(count(), 3);
}

TEST_P(BenefitSimTest, KY_03_ALaterFileChangesTheRecipientAndABadFileIsRefusedWhole) {
  auto rs = recipients();
  send_ky03(ky03_file(rs, "KGJK-1"), "test:ky03:1");
  // A later file (same day: the record stands for it) ends the first recipient's care plan.
  Recipient ended = rs.front();
  ended.change_kind = '2';
  ended.plan = false;
  send_ky03(ky03_file({ended}, "KGJK-2"), "test:ky03:2");
  // A file with a bad field (care level 99) is refused whole by the 国保連.
  auto bad = ky03_file({rs[1]}, "KGJK-3");
  const auto at = bad.find("\"25\"");
  ASSERT_NE(at, std::string::npos);
  bad.replace(at, 4, "\"99\"");
  send_ky03(bad, "test:ky03:3");
  ASSERT_TRUE(sim->advance(13));
  EXPECT_EQ(sim->files_refused(), 1);
  auto files = waiting();
  ASSERT_EQ(files.size(), 1u);
  const auto& f = files.front().file;
  for (std::size_t r = 0; r < f.data_count(); ++r) EXPECT_NE(field(f, r, "insured_no"), rs.front().insured_no);
}

// Folder mode (a 国保連 reached through a shared folder, CP932): KY-03 read from out/, KY-04
// written into in/; a restarted simulator finds its file in in/ and does not write it again.
TEST_P(BenefitSimTest, KY_04_FolderModeInCp932AndResumed) {
  const fs::path dir = testing::scratch_dir("benefit-sim-folder");
  fs::create_directories(dir / "out");
  {
    auto bytes = cp932::encode(ky03_file(recipients(), "KGJK-1"));
    ASSERT_TRUE(bytes);
    std::ofstream(dir / "out" / "KY-03_KG20261020-0000000001.txt", std::ios::binary) << *bytes;
  }
  sim->write_to_folder(dir);
  ASSERT_TRUE(sim->advance(13));
  const fs::path file = dir / "in" / "KY-04_202611.csv";
  ASSERT_TRUE(fs::exists(file));
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = csv::parse_cp932(config().layouts, bytes, csv::ParseContext{"149802", [](std::string_view, std::string_view) { return true; }});
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front().message;
  EXPECT_EQ(parsed.file.data_count(), sim->claims().size());
  EXPECT_TRUE(waiting().empty()) << "nothing on the channel in folder mode";

  sim = make_sim();
  sim->write_to_folder(dir);
  auto resumed = sim->resume_from_messages();
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(*resumed, 1);
  const auto written = fs::last_write_time(file);
  ASSERT_TRUE(sim->advance(13));
  EXPECT_EQ(fs::last_write_time(file), written);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "in")) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1u);
}

// End to end through kaigo's KY-04 handler (benefit_record.hpp): the insured of a synthetic city
// as recipients, the KY-03 sent over the channel, two months of the 国保連 taken by the dispatcher
// into the inbox and applied — every claim the simulator holds current is a current benefit
// record, its 取消 are cancelled, the files are applied.
TEST_P(BenefitSimTest, KY_04_TheSimulatorsFilesAreAppliedByTheRecordsHandler) {
  const people::MyNumberVault vault(random_bytes(32));
  auto city = sim::generate_city(*db, vault, sim::CityOptions{600, 5, Date(2026, 4, 1), "test"});
  ASSERT_TRUE(city) << city.error().message;
  auto insured = db->query("SELECT insured_no FROM insured_number ORDER BY insured_no");
  ASSERT_TRUE(insured) << insured.error().message;
  ASSERT_GE(insured->size(), 60u);
  static constexpr std::pair<const char*, std::int64_t> kLevels[] = {{"13", 10531}, {"21", 16765}, {"23", 27048},
                                                                      {"25", 36217}};
  std::vector<Recipient> rs;
  for (std::size_t i = 0; i < 60; ++i) {
    const auto& [level, cap] = kLevels[i % 4];
    rs.push_back(rec((*insured)[i].str(0), level, cap, 1 + static_cast<int>(i % 3)));
  }
  send_ky03(ky03_file(rs, "KGJK-1"), "test:ky03:1");

  const kaigo::benefit::BenefitRecordOptions options{&config(), "149802", testing::scratch_dir("benefit-sim")};
  linkage::Dispatcher d(kaigo::benefit::benefit_record_inbound_handlers(clock, options));
  for (int days : {13, 30, 31}) {  // 1 November, 1 December, 1 January: three files
    ASSERT_TRUE(sim->advance(days));
    auto r = d.run_once(*db, channels, clock);
    ASSERT_TRUE(r) << r.error().message;
  }
  auto files = db->query("SELECT status, COUNT(*) FROM exchange WHERE flow_id = 'KY-04' AND direction = 'inbound' GROUP BY status");
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ(files->front().str(0), "applied") << "reason: see benefit_inbound_error";
  EXPECT_EQ(files->front().i64(1), 3);

  std::int64_t current = 0, cancelled = 0;
  for (const auto& [no, c] : sim->claims()) (c.record_kind == '3' ? cancelled : current) += 1;
  ASSERT_GT(current, 60);
  auto rows = db->query("SELECT status, COUNT(DISTINCT claim_no) FROM benefit_record GROUP BY status ORDER BY status");
  ASSERT_TRUE(rows) << rows.error().message;
  std::map<std::string, std::int64_t> by_status;
  for (const auto& row : *rows) by_status[row.str(0)] = row.i64(1);
  EXPECT_EQ(by_status["current"], current);
  EXPECT_EQ(by_status["cancelled"], cancelled);
  // The figures agree claim by claim (units, cost, insurance paid of the latest version).
  for (const auto& [no, c] : sim->claims()) {
    if (c.record_kind == '3') continue;
    auto r = db->query("SELECT units, total_cost, insurance_paid, copayment FROM benefit_record WHERE claim_no = CAST($1 AS TEXT) AND status = 'current'",
                       {no});
    ASSERT_TRUE(r && r->size() == 1u) << no;
    EXPECT_EQ(r->front().i64(0), c.units);
    EXPECT_EQ(r->front().i64(1), c.total_cost);
    EXPECT_EQ(r->front().i64(2), c.insurance_paid);
    EXPECT_EQ(r->front().i64(3), c.copayment);
  }
}

INSTANTIATE_TEST_SUITE_P(Db, BenefitSimTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::sim::benefit
