// 特別徴収 end to end on SQLite and PostgreSQL, driving the 国保連/pension simulator through the
// kokuhoren channel: FK-14 target list in → plan → FK-15 requests out → FK-16 results in → status
// per person; the same over a CP932 folder channel; and every kind of bad file refused whole,
// quarantined with record and field, nothing applied; the same file twice changes nothing.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/cp932.hpp"
#include "core/hash.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/folder_channel.hpp"
#include "people/my_number_vault.hpp"
#include "premium/tokucho_service.hpp"
#include "sim/city_generator.hpp"
#include "sim/kokuhoren/pension_sim.hpp"
#include "test_db.hpp"

namespace kaigo::premium::tokucho {
namespace {

namespace fs = std::filesystem;

std::string config_dir() {
#ifdef KAIGO_SOURCE_CONFIG_DIR
  return KAIGO_SOURCE_CONFIG_DIR;
#else
  return (fs::path(__FILE__).parent_path().parent_path().parent_path() / "config").string();
#endif
}

const TokuchoConfig& config() {
  static const TokuchoConfig c = [] {
    auto loaded = TokuchoConfig::load(config_dir());
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return *loaded;
  }();
  return c;
}

constexpr std::int64_t kPremium = 74'400;  // the year's premium every test person is assessed at

class TokuchoTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    const people::MyNumberVault vault(random_bytes(32));
    auto city = sim::generate_city(*db, vault, sim::CityOptions{400, 7, Date(2026, 4, 1), "test"});
    ASSERT_TRUE(city) << city.error().message;
    // Until the yearly run writes them: one current FY2026 assessment per insured person.
    ASSERT_TRUE(db->exec(
        "INSERT INTO premium_assessment (person_id, fiscal_year, revision, is_current, insured_no, base_date, stage, "
        "stage_label, ratio, reduced, annual_amount, months, amount, previous_amount, table_name, table_sha256, "
        "table_effective_from, inputs, explanation, cause, assessed_at, assessed_by) SELECT person_id, 2026, 0, 1, "
        "insured_no, '2026-04-01', 5, '第5段階', '1/1', 0, 74400, 12, 74400, 0, 'test', 'x', '2026-04-01', '{}', '[]', "
        "'annual', '2026-05-01T09:00:00+09:00', 'test' FROM insured_number"));
    channel = std::make_shared<linkage::SimulatorChannel>("kokuhoren");
    channels.bind("kokuhoren", channel);
    pension = std::make_unique<sim::kokuhoren::PensionSim>(*db, config().layouts, channel.get(),
                                                           sim::kokuhoren::PensionSimOptions{11, 0, "149802"});
  }

  linkage::DispatchReport dispatch() {
    linkage::Dispatcher d(tokucho_inbound_handlers(clock, config()));
    auto r = d.run_once(*db, channels, clock);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    auto recorded = record_rejected_files(*db, clock, config());
    EXPECT_TRUE(recorded) << (recorded ? "" : recorded.error().message);
    return r ? *r : linkage::DispatchReport{};
  }
  linkage::InboundResult receive(const std::string& flow, const std::string& bytes, const std::string& name = "test.txt") {
    auto payload = payload_of(bytes);
    EXPECT_TRUE(payload) << (payload ? "" : payload.error().message);
    linkage::InboundMessage m{flow, "kokuhoren", payload ? *payload : "", "text/plain", std::nullopt, "", {},
                              "file " + name + " from kokuhoren", "channel:test"};
    auto r = linkage::receive_inbound(*db, clock, m, flow == "FK-14" ? target_list_handler(clock, config())
                                                                      : result_handler(clock, config()));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    auto recorded = record_rejected_files(*db, clock, config());
    EXPECT_TRUE(recorded) << (recorded ? "" : recorded.error().message);
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
  PlanRun plan(int chunk = 5000, int max_chunks = -1) {
    PlanOptions o;
    o.fiscal_year = 2026;
    o.actor = "test";
    o.chunk = chunk;
    o.max_chunks = max_chunks;
    auto r = plan_collection(*db, clock, config(), o);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : PlanRun{};
  }
  std::string status_of(const std::string& person_id) {
    std::string out;
    EXPECT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
      auto s = deduction_status(c, person_id, 2026);
      if (!s) return std::unexpected(s.error());
      out = *s;
      return {};
    }));
    return out;
  }
  // Live instalments minus refunds: always the year's premium after a plan.
  std::int64_t planned_total(const std::string& person_id) {
    return count(
        "SELECT COALESCE(SUM(CASE WHEN status = 'refund' THEN -amount WHEN status = 'collected' THEN "
        "COALESCE(collected_amount, amount) ELSE amount END), 0) FROM premium_instalment WHERE person_id = $1 AND "
        "fiscal_year = 2026 AND status IN ('planned', 'requested', 'accepted', 'collected', 'refund')",
        {person_id});
  }
  std::vector<FileRow> files(const std::string& status = "") {
    std::vector<FileRow> out;
    EXPECT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
      auto f = list_files(c, status, 50);
      if (!f) return std::unexpected(f.error());
      out = *f;
      return {};
    }));
    return out;
  }
  // The target list the simulator makes (persons captured in October 2025 start in April 2026).
  std::string target_bytes(std::int64_t limit = 0) {
    auto bytes = pension->target_list(2026, YearMonth{2025, 10}, Date(2026, 5, 15), limit);
    EXPECT_TRUE(bytes) << (bytes ? "" : bytes.error().message);
    return bytes ? *bytes : "";
  }
  void expect_refused(const linkage::InboundResult& r, std::size_t record, const std::string& field) {
    EXPECT_EQ(r.outcome, linkage::InboundOutcome::rejected) << r.reason;
    auto refused = files("rejected");
    ASSERT_FALSE(refused.empty());
    const FileRow& f = refused.front();
    EXPECT_EQ(f.exchange_id, r.exchange_id);
    bool found = false;
    for (const auto& e : f.errors) found = found || (static_cast<std::size_t>(e.record_no) == record && e.field == field);
    EXPECT_TRUE(found) << "no error at record " << record << " field " << field << "; first: "
                       << (f.errors.empty() ? "(none)" : std::to_string(f.errors[0].record_no) + " " + f.errors[0].field + " " +
                                                             f.errors[0].message);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tokucho_target"), 0) << "nothing applied";
    EXPECT_EQ(count("SELECT COUNT(*) FROM tokucho_pension_link"), 0) << "nothing applied";
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 5, 20));
  std::shared_ptr<linkage::SimulatorChannel> channel;
  linkage::ChannelSet channels;
  std::unique_ptr<sim::kokuhoren::PensionSim> pension;
};

// Overwrites field `key` of data/header/trailer record `record` of a target list.
void poke(std::string& file, char type, std::size_t record, const std::string& key, const std::string& value) {
  const Layout* l = config().layouts.newest(FileKind::target_list);
  const RecordSpec& spec = l->spec(type);
  const FieldSpec& f = spec.fields.at(static_cast<std::size_t>(spec.index_of(key)));
  std::string v = value;
  v.resize(f.length, ' ');
  file.replace((record == 0 ? 0 : kManagementBytes + (record - 1) * kRecordBytes) + f.start, f.length, v);
}

TEST_P(TokuchoTest, FK_14_TargetListIsMatchedToPersonsAndStored) {
  auto sent = pension->send_target_list(2026, YearMonth{2025, 10}, Date(2026, 5, 15));
  ASSERT_TRUE(sent) << sent.error().message;
  const auto report = dispatch();
  EXPECT_EQ(report.applied, 1);
  EXPECT_EQ(report.rejected, 0);
  const std::int64_t targets = count("SELECT COUNT(*) FROM tokucho_target");
  ASSERT_GT(targets, 20) << "the synthetic city has pensioners";
  EXPECT_EQ(targets, count("SELECT COUNT(*) FROM pension n JOIN person p ON p.person_id = n.person_id WHERE n.pension_kind "
                           "= 'old_age' AND n.annual_amount >= 180000 AND n.valid_from <= '2025-10-01' AND "
                           "p.registry_status = 'resident' AND p.birth_date <= '1960-10-02'"));
  // Every target is the person the pension is: the simulator's number is derived from the person.
  EXPECT_EQ(count("SELECT COUNT(*) FROM tokucho_pension_link"), count("SELECT COUNT(DISTINCT person_id) FROM tokucho_target"));
  auto links = db->query("SELECT basic_pension_no, person_id FROM tokucho_pension_link");
  ASSERT_TRUE(links);
  for (const auto& r : *links) EXPECT_EQ(r.str(0), sim::kokuhoren::PensionSim::basic_pension_no(r.str(1)));
  EXPECT_EQ(text("SELECT MIN(start_month) FROM tokucho_target"), "2026-04") << "captured October → April (rules.md §2)";
  EXPECT_EQ(count("SELECT COUNT(*) FROM tokucho_target WHERE pension_kind <> 'old_age'"), 0);
  auto f = files();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].status, "applied");
  EXPECT_EQ(f[0].kind, "target_list");
  EXPECT_EQ(f[0].applied, targets);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1", {f[0].exchange_id}),
            count("SELECT COUNT(DISTINCT person_id) FROM tokucho_target"));
  EXPECT_EQ(status_of(text("SELECT MIN(person_id) FROM tokucho_target")), "target");
}

TEST_P(TokuchoTest, FK_14_TheSameFileTwiceChangesNothing) {
  const std::string bytes = target_bytes();
  auto first = receive("FK-14", bytes, "FK-14_a.txt");
  ASSERT_EQ(first.outcome, linkage::InboundOutcome::applied) << first.reason;
  const std::int64_t targets = count("SELECT COUNT(*) FROM tokucho_target");
  auto again = receive("FK-14", bytes, "FK-14_a.txt");
  EXPECT_EQ(again.outcome, linkage::InboundOutcome::already_applied);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tokucho_target"), targets);
  // Over the channel too: the inbox knows the payload's hash.
  auto payload = payload_of(bytes);
  ASSERT_TRUE(payload);
  channel->post(linkage::InboundMessage{"FK-14", "kokuhoren", *payload, "text/plain", std::nullopt, "", {},
                                        "file FK-14_copy.txt from kokuhoren", "simulator:kokuhoren"});
  EXPECT_EQ(dispatch().duplicates, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tokucho_target"), targets);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tokucho_file"), 1);
}

TEST_P(TokuchoTest, FK_14_OverAFolderChannelInCp932) {
  const std::string dir = testing::scratch_dir("tokucho-folder");
  channels.bind("kokuhoren", std::make_shared<linkage::FolderChannel>("kokuhoren", dir, linkage::FileEncoding::cp932));
  pension->write_to_folder(dir);
  auto sent = pension->send_target_list(2026, YearMonth{2025, 10}, Date(2026, 5, 15));
  ASSERT_TRUE(sent) << sent.error().message;
  // What lies in the folder is the 国保連's file: CP932, 96 + n × 500 bytes, no line break.
  std::ifstream in(fs::path(dir) / "in" / sent->file_name, std::ios::binary);
  const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(raw.empty());
  EXPECT_EQ((raw.size() - kManagementBytes) % kRecordBytes, 0u);
  EXPECT_EQ(raw.find('\n'), std::string::npos);
  EXPECT_FALSE(cp932::is_ascii(raw));
  EXPECT_TRUE(cp932::decode(raw)) << "CP932 text";
  in.close();
  const auto report = dispatch();
  EXPECT_EQ(report.applied, 1);
  EXPECT_TRUE(fs::exists(fs::path(dir) / "processed" / sent->file_name));
  EXPECT_GT(count("SELECT COUNT(*) FROM tokucho_target"), 20);
  EXPECT_EQ(files()[0].sha256, sha256_hex(raw)) << "the file's hash is of its CP932 bytes";

  // A file that is not CP932 never reaches the inbox: quarantined, the reason names the byte.
  std::ofstream(fs::path(dir) / "in" / "FK-14_broken.txt", std::ios::binary) << std::string("00\x81\x20", 4);
  dispatch();
  EXPECT_TRUE(fs::exists(fs::path(dir) / "quarantine" / "FK-14_broken.txt"));
  std::ifstream reason(fs::path(dir) / "quarantine" / "FK-14_broken.txt.reason.txt");
  std::string why((std::istreambuf_iterator<char>(reason)), std::istreambuf_iterator<char>());
  EXPECT_NE(why.find("byte 2"), std::string::npos) << why;
}

// The whole year: targets in, plan, FK-15 out, FK-16 request results and deductions in.
TEST_P(TokuchoTest, FK_15_FK_16_TheYearThroughTheSimulator) {
  ASSERT_TRUE(pension->send_target_list(2026, YearMonth{2025, 10}, Date(2026, 5, 15)));
  dispatch();
  const std::string continuing = text("SELECT MIN(person_id) FROM tokucho_target");
  const std::string refused = text("SELECT MAX(person_id) FROM tokucho_target");
  const std::string dies = text("SELECT MIN(person_id) FROM tokucho_target WHERE person_id > $1", {continuing});
  ASSERT_NE(continuing, refused);
  ASSERT_NE(dies, refused);
  // One continuing target: deducted 12,000 last February (法140条1項: 仮徴収 = that amount).
  ASSERT_TRUE(db->exec("INSERT INTO premium_instalment (person_id, fiscal_year, method, instalment_no, due_month, amount, "
                       "status, plan_revision, collected_amount, created_at, updated_at) VALUES ($1, 2025, 'special', 6, "
                       "'2026-02', 12000, 'collected', 1, 12000, 'x', 'x')",
                       {continuing}));

  const PlanRun run = plan();
  EXPECT_EQ(run.status, "done");
  EXPECT_EQ(run.done_count, count("SELECT COUNT(*) FROM premium_assessment WHERE fiscal_year = 2026"));
  EXPECT_EQ(run.special, count("SELECT COUNT(DISTINCT t.person_id) FROM tokucho_target t JOIN premium_assessment a ON "
                               "a.person_id = t.person_id"));
  // The continuing target: 12,000 in April, June, August; (74,400 − 36,000) ÷ 3 = 12,800 after.
  auto rows = db->query("SELECT due_month, amount FROM premium_instalment WHERE person_id = $1 AND fiscal_year = 2026 "
                        "ORDER BY due_month",
                        {continuing});
  ASSERT_TRUE(rows);
  std::string shown;
  for (const auto& r : *rows) shown += r.str(0) + ":" + std::to_string(r.i64(1)) + " ";
  EXPECT_EQ(shown, "2026-04:12000 2026-06:12000 2026-08:12000 2026-10:12800 2026-12:12800 2027-02:12800 ");
  // A person with no target pays by slip: 10 instalments June–March (条例), 74,400 = 7,800 + 9 × 7,400.
  const std::string slip = text("SELECT MIN(a.person_id) FROM premium_assessment a WHERE NOT EXISTS (SELECT 1 FROM "
                                "tokucho_target t WHERE t.person_id = a.person_id)");
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_instalment WHERE person_id = $1 AND method = 'ordinary'", {slip}), 10);
  EXPECT_EQ(status_of(slip), "none");
  for (const auto& p : {continuing, refused, dies, slip}) EXPECT_EQ(planned_total(p), kPremium) << p;
  EXPECT_EQ(status_of(continuing), "planned");

  // FK-15 out; the simulator answers at once with the 依頼処理結果 (FK-16): the stopped pension is refused.
  pension->stop_pension(refused);
  auto requests = send_requests(*db, clock, config(), 2026, "test");
  ASSERT_TRUE(requests) << requests.error().message;
  ASSERT_TRUE(requests->exchange_id);
  EXPECT_EQ(requests->persons, run.special);
  EXPECT_EQ(status_of(continuing), "requested");
  const auto report = dispatch();
  EXPECT_EQ(report.sent, 1);
  EXPECT_EQ(report.applied, 1) << "the 依頼処理結果: " << text("SELECT reason FROM exchange WHERE flow_id = 'FK-16'");
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {*requests->exchange_id}), "applied");
  EXPECT_EQ(status_of(continuing), "accepted");
  EXPECT_EQ(status_of(refused), "not_accepted");
  EXPECT_EQ(text("SELECT reason_code FROM tokucho_request WHERE person_id = $1", {refused}), "02");
  // Not accepted → 普通徴収 for the year, over the months still ahead (rules.md §2).
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_instalment WHERE person_id = $1 AND method = 'special' AND status IN "
                  "('planned', 'requested', 'accepted')",
                  {refused}),
            0);
  EXPECT_GT(count("SELECT COUNT(*) FROM premium_instalment WHERE person_id = $1 AND method = 'ordinary' AND status = "
                  "'planned'",
                  {refused}),
            0);
  EXPECT_EQ(planned_total(refused), kPremium);
  // What the simulator received is a real FK-15 file.
  const auto received = channel->received();
  ASSERT_EQ(received.size(), 1u);
  auto bytes = bytes_of(received[0].payload);
  ASSERT_TRUE(bytes);
  auto parsed = parse_file(*bytes, config().layouts, ParseContext{"149802", FileKind::request, {}});
  ASSERT_TRUE(parsed.file) << to_error(parsed.errors, parsed.truncated).message;
  EXPECT_EQ(static_cast<std::int64_t>(parsed.file->data_records()), requests->persons);

  // FK-16 徴収結果 per pension month: April and June deducted; the person who dies in July is not
  // deducted in August, and the rest of the year goes to 普通徴収.
  clock.set(FixedClock::at(Date(2026, 6, 20)).now());
  auto june = pension->deduct(YearMonth{2026, 6}, Date(2026, 6, 20));
  ASSERT_TRUE(june) << june.error().message;
  auto april = pension->deduct(YearMonth{2026, 4}, Date(2026, 6, 20));
  ASSERT_TRUE(april) << april.error().message;
  EXPECT_EQ(dispatch().applied, 2);
  EXPECT_EQ(status_of(continuing), "deducting");
  EXPECT_EQ(count("SELECT collected_amount FROM premium_instalment WHERE person_id = $1 AND due_month = '2026-04'", {continuing}),
            12000);
  ASSERT_TRUE(db->exec("UPDATE person SET registry_status = 'deceased', status_date = '2026-07-10' WHERE person_id = $1", {dies}));
  clock.set(FixedClock::at(Date(2026, 8, 20)).now());
  auto august = pension->deduct(YearMonth{2026, 8}, Date(2026, 8, 20));
  ASSERT_TRUE(august) << august.error().message;
  EXPECT_EQ(august->not_ok, 1);
  EXPECT_EQ(dispatch().applied, 1);
  EXPECT_EQ(status_of(dies), "not_collected");
  EXPECT_EQ(text("SELECT reason_code FROM tokucho_result WHERE person_id = $1 AND deduction_month = '2026-08'", {dies}), "01");
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_instalment WHERE person_id = $1 AND status = 'stopped'", {dies}), 3)
      << "October, December, February stop";
  EXPECT_EQ(planned_total(dies), kPremium) << "the balance is billed by slip from September";
  EXPECT_GT(count("SELECT COUNT(*) FROM premium_instalment WHERE person_id = $1 AND method = 'ordinary' AND due_month >= "
                  "'2026-09' AND status = 'planned'",
                  {dies}),
            0);

  // Idempotent: the same deduction file again changes nothing; asking again sends nothing.
  auto again = pension->deduction_results(YearMonth{2026, 8}, Date(2026, 8, 20));
  ASSERT_TRUE(again && *again);
  EXPECT_EQ(receive("FK-16", **again, "FK-16_again.txt").outcome, linkage::InboundOutcome::rejected)
      << "a result for a month already recorded is refused (the simulator's second file has another 作成 number)";
  auto none = send_requests(*db, clock, config(), 2026, "test");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->exchange_id);
  const auto before = count("SELECT COUNT(*) FROM premium_instalment");
  const PlanRun later = plan();
  EXPECT_EQ(later.changed, 0) << "a plan run that finds everything in order writes nothing";
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_instalment"), before);

  // The person's view: plan, targets, requests, results, explanation.
  nlohmann::json view;
  ASSERT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
    auto v = person_collection(c, continuing);
    if (!v) return std::unexpected(v.error());
    view = *v;
    return {};
  }));
  ASSERT_EQ(view["years"].size(), 2u);
  const auto& y = view["years"][1];
  EXPECT_EQ(y["fiscal_year"], 2026);
  EXPECT_EQ(y["deduction_status"], "deducting");
  EXPECT_EQ(y["results"].size(), 3u) << "April, June, August";
  EXPECT_FALSE(y["plans"][0]["explanation"].empty());
  EXPECT_EQ(view["targets"].size(), count("SELECT COUNT(*) FROM tokucho_target WHERE person_id = $1", {continuing}));
}

TEST_P(TokuchoTest, FK_16_AResultForARequestNeverSentIsRefused) {
  ASSERT_TRUE(pension->send_target_list(2026, YearMonth{2025, 10}, Date(2026, 5, 15)));
  dispatch();
  plan();
  // A result file answering requests kaigo never sent: the simulator's answer to a request built by
  // hand (no tokucho_request rows, no FK-15 file).
  const Layout* l = config().layouts.newest(FileKind::request);
  const std::string person = text("SELECT MIN(person_id) FROM tokucho_target");
  Values d{{"basic_pension_no", sim::kokuhoren::PensionSim::basic_pension_no(person)}, {"pension_code", "1150"},
           {"birth_date", text("SELECT REPLACE(birth_date, '-', '') FROM person WHERE person_id = $1", {person})},
           {"sex", text("SELECT sex FROM person WHERE person_id = $1", {person})}, {"kana_name", "ﾃｽﾄ"},
           {"insured_no", "0000000001"}, {"fiscal_year", "2026"}, {"request_kind", "2"}, {"start_month", "202604"},
           {"amount_04", "12400"}, {"annual_premium", "74400"}};
  auto request = write_file(*l, {{"insurer_no", "149802"}, {"created_on", "20260520"}, {"file_ref", "FORGED-1"}},
                            {{{{"insurer_no", "149802"}, {"pension_insurer_code", "001"}, {"created_on", "20260520"},
                               {"fiscal_year", "2026"}},
                              {d},
                              {}}});
  ASSERT_TRUE(request) << request.error().message;
  auto answer = pension->answer_request(request->bytes, Date(2026, 5, 21));
  ASSERT_TRUE(answer) << answer.error().message;
  const auto before = count("SELECT COUNT(*) FROM premium_instalment WHERE status <> 'planned'");
  auto r = receive("FK-16", *answer, "FK-16_forged.txt");
  EXPECT_EQ(r.outcome, linkage::InboundOutcome::rejected);
  auto refused = files("rejected");
  ASSERT_FALSE(refused.empty());
  bool header = false, record = false;
  for (const auto& e : refused[0].errors) {
    header = header || (e.record_no == 1 && e.field == "依頼ファイル通番");
    record = record || (e.record_no == 2 && e.field == "基礎年金番号");
  }
  EXPECT_TRUE(header) << "the header names no FK-15 file we sent";
  EXPECT_TRUE(record) << "the record answers no request";
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_instalment WHERE status <> 'planned'"), before) << "nothing applied";
}

// ---- Bad target lists: refused whole, quarantined with record and field, nothing applied ----

TEST_P(TokuchoTest, FK_14_LengthNot96PlusNTimes500IsRefused) {
  std::string bytes = target_bytes(5);
  bytes.pop_back();
  expect_refused(receive("FK-14", bytes), 0, "(ファイル)");
  EXPECT_NE(files("rejected")[0].reason->find("96 + n × 500"), std::string::npos) << *files("rejected")[0].reason;
}

TEST_P(TokuchoTest, FK_14_RecordOrderIsChecked) {
  std::string bytes = target_bytes(5);
  // The first data record (record 2) and the header (record 1) swapped: data before any header.
  std::swap_ranges(bytes.begin() + 96, bytes.begin() + 596, bytes.begin() + 596);
  expect_refused(receive("FK-14", bytes), 1, "レコード区分");
}

TEST_P(TokuchoTest, FK_14_TrailerCountDisagreeingIsRefused) {
  std::string bytes = target_bytes(5);
  const std::size_t trailer = (bytes.size() - kManagementBytes) / kRecordBytes;
  poke(bytes, '3', trailer, "record_count", "000000009");
  expect_refused(receive("FK-14", bytes), trailer, "データレコード件数");
}

TEST_P(TokuchoTest, FK_14_TrailerTotalDisagreeingIsRefused) {
  std::string bytes = target_bytes(5);
  const std::size_t trailer = (bytes.size() - kManagementBytes) / kRecordBytes;
  poke(bytes, '3', trailer, "total_amount", "000000000000001");
  expect_refused(receive("FK-14", bytes), trailer, "年金支払額合計");
}

TEST_P(TokuchoTest, FK_14_NonNumericFieldIsRefused) {
  std::string bytes = target_bytes(5);
  poke(bytes, '2', 3, "annual_pension_amount", "00001ABC000");
  expect_refused(receive("FK-14", bytes), 3, "年金支払額");
}

TEST_P(TokuchoTest, FK_14_UnknownPensionInsurerCodeIsRefused) {
  std::string bytes = target_bytes(5);
  poke(bytes, '1', 1, "pension_insurer_code", "777");
  expect_refused(receive("FK-14", bytes), 1, "特別徴収義務者コード");
}

TEST_P(TokuchoTest, FK_14_UnknownPersonIsRefused) {
  std::string bytes = target_bytes(5);
  poke(bytes, '2', 4, "kana_name", *cp932::encode("ﾀﾞﾚﾃﾞﾓﾅｲ ﾋﾄ"));
  expect_refused(receive("FK-14", bytes), 4, "基礎年金番号");
  // The reason stored on the exchange quotes no name.
  EXPECT_EQ(text("SELECT reason FROM exchange WHERE flow_id = 'FK-14'").find("ﾀﾞﾚ"), std::string::npos);
}

TEST_P(TokuchoTest, FK_14_AKnownPensionNumberWithAnotherBirthDateIsRefused) {
  const std::string good = target_bytes(5);
  ASSERT_EQ(receive("FK-14", good).outcome, linkage::InboundOutcome::applied);
  const auto targets = count("SELECT COUNT(*) FROM tokucho_target");
  std::string bytes = good;
  poke(bytes, '2', 2, "birth_date", "19300101");
  poke(bytes, 'M', 0, "file_ref", "KKR-again");
  auto r = receive("FK-14", bytes);
  EXPECT_EQ(r.outcome, linkage::InboundOutcome::rejected);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tokucho_target"), targets) << "nothing applied";
  auto refused = files("rejected");
  ASSERT_FALSE(refused.empty());
  EXPECT_EQ(refused[0].errors[0].record_no, 2);
  EXPECT_EQ(refused[0].errors[0].field, "生年月日");
}

TEST_P(TokuchoTest, FK_14_OnePensionNumberForTwoPersonsIsRefused) {
  std::string bytes = target_bytes(5);
  // Record 3 carries record 2's 基礎年金番号 but is another person.
  const Layout* l = config().layouts.newest(FileKind::target_list);
  const FieldSpec& f = l->data.fields.at(static_cast<std::size_t>(l->data.index_of("basic_pension_no")));
  poke(bytes, '2', 3, "basic_pension_no", bytes.substr(kManagementBytes + kRecordBytes + f.start, f.length));
  expect_refused(receive("FK-14", bytes), 3, "基礎年金番号");
}

// ---- The plan run: resumable, idempotent, revisions ----

TEST_P(TokuchoTest, FK_15_PlanRunResumesAfterAKillWithNoDuplicateAndNoGap) {
  ASSERT_TRUE(pension->send_target_list(2026, YearMonth{2025, 10}, Date(2026, 5, 15)));
  dispatch();
  const PlanRun first = plan(40, 2);  // killed after two chunks
  EXPECT_EQ(first.status, "running");
  EXPECT_EQ(first.done_count, 80);
  const PlanRun rest = plan(40);
  EXPECT_EQ(rest.status, "done");
  EXPECT_EQ(rest.batch_run_id, first.batch_run_id) << "the same run resumed";
  const auto persons = count("SELECT COUNT(*) FROM premium_assessment WHERE fiscal_year = 2026");
  EXPECT_EQ(rest.done_count, persons);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT person_id) FROM premium_instalment"), persons) << "no gap";
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_collection_plan"), persons) << "no duplicate";
  EXPECT_EQ(count("SELECT COUNT(*) FROM (SELECT person_id FROM premium_instalment WHERE status <> 'cancelled' GROUP BY "
                  "person_id HAVING SUM(amount) <> 74400) x"),
            0);
  // The next day's run finds every plan in order.
  clock.advance(std::chrono::hours(24));
  const PlanRun next = plan();
  EXPECT_NE(next.batch_run_id, first.batch_run_id);
  EXPECT_EQ(next.changed, 0);
}

TEST_P(TokuchoTest, FK_15_ARevisionDownStopsTheDeductionAndBillsTheBalance) {
  ASSERT_TRUE(pension->send_target_list(2026, YearMonth{2025, 10}, Date(2026, 5, 15)));
  dispatch();
  plan();
  ASSERT_TRUE(send_requests(*db, clock, config(), 2026, "test"));
  dispatch();
  const std::string person = text("SELECT MIN(person_id) FROM tokucho_request WHERE status = 'accepted'");
  ASSERT_FALSE(person.empty());
  ASSERT_EQ(status_of(person), "accepted");
  // 更正 in September: the premium falls to 50,000 (a new revision is current).
  clock.set(FixedClock::at(Date(2026, 9, 10)).now());
  ASSERT_TRUE(db->exec("UPDATE premium_assessment SET is_current = 0 WHERE person_id = $1", {person}));
  ASSERT_TRUE(db->exec(
      "INSERT INTO premium_assessment (person_id, fiscal_year, revision, is_current, insured_no, base_date, stage, "
      "stage_label, ratio, reduced, annual_amount, months, amount, previous_amount, table_name, table_sha256, "
      "table_effective_from, inputs, explanation, cause, assessed_at, assessed_by) SELECT person_id, 2026, 1, 1, insured_no, "
      "'2026-04-01', 3, '第3段階', '69/100', 0, 50000, 12, 50000, 74400, 'test', 'x', '2026-04-01', '{}', '[]', 'income', "
      "'2026-09-10T09:00:00+09:00', 'test' FROM insured_number WHERE person_id = $1",
      {person}));
  const PlanRun run = plan();
  EXPECT_EQ(run.changed, 1);
  EXPECT_EQ(status_of(person), "stopped");
  EXPECT_EQ(planned_total(person), 50'000);
  EXPECT_EQ(text("SELECT cause FROM premium_collection_plan WHERE person_id = $1 ORDER BY plan_revision DESC", {person}), "plan");
}

INSTANTIATE_TEST_SUITE_P(Db, TokuchoTest, ::testing::ValuesIn(kaigo::testing::backends()), kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo::premium::tokucho
