// KY-24 介護保険給付費支払のお知らせ (給付費通知) on SQLite and PostgreSQL: benefit records applied
// through the KY-04 handler (a file posted on the kokuhoren channel, dispatched into the inbox), the
// period's run → one statement per person with records (month × office × service, totals) in one
// print file read back with pdftotext; once per period (a rerun prints nobody twice, a later pass
// only the newcomers); a killed run resumes without duplicates or gaps; the counter reprint; a
// person with no records gets none; the routes end to end with the access log; the schedule file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "benefit/benefit_record.hpp"
#include "benefit/codes.hpp"
#include "benefit/kokuhoren_csv.hpp"
#include "benefit/statement.hpp"
#include "core/clock.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/simulator_channel.hpp"
#include "server_fixture.hpp"
#include "support/poppler.hpp"
#include "test_db.hpp"

namespace kaigo::benefit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The repository's KY-04 layout; offices and kinds made here (the test does not depend on the city's lists).
const BenefitConfig& config() {
  static const BenefitConfig c = [] {
    BenefitConfig b;
    auto layouts = csv::load_layouts(fs::path(KAIGO_SOURCE_CONFIG_DIR) / "layouts" / "kokuhoren");
    if (!layouts) throw std::runtime_error(layouts.error().message);
    b.layouts = std::move(*layouts);
    b.service_kinds = {{"11", "訪問介護", true, true}, {"15", "通所介護", true, true}, {"41", "福祉用具購入費", false, false}};
    b.offices = {{"1310000011", "訪問介護さくら", "", {"11"}, false},
                 {"1310000029", "福祉用具つばさ", "", {"41"}, false},
                 {"1310000037", "デイサービスみどり", "", {"15"}, false}};
    return b;
  }();
  return c;
}

notice::BenefitIssuer issuer() {
  notice::BenefitIssuer i;
  i.insurer_no = "132011";
  i.insurer_name = "みどり市";
  i.department = "みどり市 健康福祉局 介護保険課 給付係";
  i.address = "みどり市中央区本町1-1-1";
  i.phone = "000-000-0000";
  return i;
}

struct Claim {
  std::string claim_no;
  std::string insured_no;
  std::string service_month = "202505";  // YYYYMM as the 国保連 writes it
  std::string office_no = "1310000011";
  std::string service_kind = "11";
  std::int64_t cost = 10720;
  std::int64_t copay = 1072;
  char kind = '1';  // 1 新規 2 修正 3 取消
  std::string days = "4";
};

std::string ky04(const std::vector<Claim>& claims, const std::string& review, const std::string& ref) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : claims)
    rows.push_back({"", "", std::string(1, c.kind), c.claim_no, "132011", c.insured_no, c.service_month, c.office_no,
                    c.service_kind, "1", c.days, std::to_string(c.cost * 100 / 1072), "1072", std::to_string(c.cost),
                    std::to_string(c.cost - c.copay), std::to_string(c.copay), "0"});
  auto text = csv::write(*config().layouts.find("KY04"),
                         {{"insurer_no", "132011"}, {"created_on", review + "10"}, {"review_month", review}, {"file_ref", ref}},
                         rows);
  EXPECT_TRUE(text) << (text ? "" : text.error().message);
  return text ? *text : "";
}

std::string insured(int i) { return fmt::format("{:010}", 700 + i); }
std::string pid(int i) { return fmt::format("S{:09}", i); }

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// Feeds KY-04 files through the inbox (the handler the server wires) into `db`.
struct Feeder {
  explicit Feeder(store::Database& db) : db(db) {
    options.config = &config();
    options.insurer_no = "132011";
    options.data_dir = testing::scratch_dir("benefit_statement");
    channel = std::make_shared<linkage::SimulatorChannel>("kokuhoren");
    channels.bind("kokuhoren", channel);
  }
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
    linkage::Dispatcher d(benefit_record_inbound_handlers(clock, options));
    auto r = d.run_once(db, channels, clock);
    ASSERT_TRUE(r) << r.error().message;
    auto applied = db.query("SELECT status FROM benefit_inbound_file ORDER BY file_id DESC LIMIT 1");
    ASSERT_TRUE(applied && !applied->empty());
    ASSERT_EQ(applied->front().str(0), "applied") << message_id;
  }
  store::Database& db;
  SystemClock clock;
  BenefitRecordOptions options;
  std::shared_ptr<linkage::SimulatorChannel> channel;
  linkage::ChannelSet channels;
};

void add_person(store::Database& db, const std::string& person_id, const std::string& insured_no, const std::string& name) {
  ASSERT_TRUE(db.exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, ward_code, "
                      "household_id, relation, registry_status, updated_at) VALUES ($1, $2, 'カイゴ ハナコ', '1944-04-01', "
                      "'2', '2910000', 'みどり市中央区本町1-1', '01', $3, '世帯主', 'resident', '2026-01-01T00:00:00Z')",
                      {person_id, name, "H" + person_id}));
  ASSERT_TRUE(db.exec("INSERT INTO insured_number (insured_no, person_id, assigned_on) VALUES ($1, $2, '2010-04-01')",
                      {insured_no, person_id}));
}

class BenefitStatementTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    for (int i = 1; i <= 6; ++i) add_person(*db, pid(i), insured(i), fmt::format("給付 花子{}", i));
    feeder = std::make_unique<Feeder>(*db);
    print_dir = testing::scratch_dir("statement-print");
  }

  StatementRun run(const std::string& from = "2025-04", const std::string& to = "2025-09", int chunk = 1000, int stop = 0) {
    StatementRunOptions o;
    o.period = {from, to};
    o.actor = "tester";
    o.print_dir = print_dir;
    o.chunk = chunk;
    o.stop_after_chunks = stop;
    auto r = run_benefit_statements(*db, clock, config(), issuer(), o);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : StatementRun{};
  }

  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? rows->front().i64(0) : -1;
  }

  std::unique_ptr<store::Database> db;
  std::unique_ptr<Feeder> feeder;
  SystemClock clock;
  std::string print_dir;
};

TEST_P(BenefitStatementTest, KY_24_RunPrintsMonthsOfficesServicesAmountsAndTotals) {
  // Person 1: May and June, two offices and kinds; a 修正 of a May claim (the corrected amount is
  // printed, not the first) and a 取消 of a June claim (not printed); a claim of October (outside).
  feeder->deliver(ky04({{"C1", insured(1), "202505", "1310000011", "11", 10720, 1072},
                        {"C2", insured(1), "202505", "1310000029", "41", 50000, 5000},
                        {"C3", insured(1), "202506", "1310000037", "15", 30000, 3000},
                        {"C4", insured(1), "202506", "1310000011", "11", 7700, 770},
                        {"C5", insured(2), "202507", "1310000011", "11", 21440, 2144},
                        {"C6", insured(1), "202510", "1310000011", "11", 99999, 9999}},
                       "202507", "R1"),
                  "KR-1");
  feeder->deliver(ky04({{"C1", insured(1), "202505", "1310000011", "11", 12000, 1200, '2', "5"},
                        {"C4", insured(1), "202506", "1310000011", "11", 7700, 770, '3'}},
                       "202508", "R2"),
                  "KR-2");

  const StatementRun r = run();
  EXPECT_EQ(r.status, "done");
  EXPECT_EQ(r.run_key, "2025-04-2025-09");
  EXPECT_EQ(r.statements, 2);
  EXPECT_EQ(r.rows, 4);  // person 1: 3 rows; person 2: 1
  EXPECT_EQ(r.total_cost, 12000 + 50000 + 30000 + 21440);
  EXPECT_EQ(r.copayment, 1200 + 5000 + 3000 + 2144);
  EXPECT_EQ(r.insurance_paid, r.total_cost - r.copayment);
  ASSERT_FALSE(r.print_file.empty());
  EXPECT_EQ(fs::path(r.print_file).parent_path(), fs::path(print_dir));
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE kind = 'benefit_statement' AND batch_run_id = $1", {r.batch_run_id}), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE once_key = $1", {"statement:2025-04-2025-09:" + pid(1)}), 1);

  if (testing::have("pdftotext")) {
    const std::string text = testing::pdf_text(file_text(r.print_file));
    EXPECT_EQ(occurrences(text, "介護保険給付費支払のお知らせ"), 2u) << text;
    for (const char* s : {"令和7年5月", "令和7年6月", "令和7年7月", "訪問介護さくら", "福祉用具つばさ", "デイサービスみどり",
                          "福祉用具購入費", "通所介護", "12,000", "10,800", "50,000", "45,000", "30,000", "27,000", "21,440",
                          "19,296", "2,144", insured(1).c_str(), insured(2).c_str(), "給付 花子1", "給付 花子2"})
      EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
    // Person 1's totals: 92,000 cost, 82,800 paid, 9,200 co-payment.
    for (const char* s : {"92,000", "82,800", "9,200"}) EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
    // Neither the first May amount (corrected), the cancelled June claim, nor October.
    for (const char* s : {"10,720", "7,700", "6,930", "99,999", "令和7年10月"}) EXPECT_EQ(text.find(s), std::string::npos) << s;
    EXPECT_EQ(text.find(insured(3)), std::string::npos);
  }
}

TEST_P(BenefitStatementTest, KY_24_RerunOfThePeriodPrintsNobodyTwice) {
  feeder->deliver(ky04({{"C1", insured(1)}, {"C2", insured(2), "202506"}}, "202507", "R1"), "KR-1");
  const StatementRun first = run();
  EXPECT_EQ(first.statements, 2);

  // The same period again: nobody is owed it — no pass opened, nothing printed.
  const StatementRun again = run();
  EXPECT_EQ(again.status, "nothing_to_print");
  EXPECT_EQ(again.batch_run_id, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM batch_run WHERE job = 'benefit_statements'"), 1);

  // A late file: person 1 has one more claim (already sent: not again), person 3 is new.
  feeder->deliver(ky04({{"C3", insured(1), "202508"}, {"C4", insured(3), "202508"}}, "202509", "R2"), "KR-2");
  const StatementRun later = run();
  EXPECT_EQ(later.status, "done");
  EXPECT_EQ(later.run_key, "2025-04-2025-09#2");
  EXPECT_EQ(later.statements, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE batch_run_id = $1 AND person_id = $2", {later.batch_run_id, pid(3)}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE kind = 'benefit_statement' AND person_id = $1", {pid(1)}), 1);
  if (testing::have("pdftotext")) {
    const std::string text = testing::pdf_text(file_text(later.print_file));
    EXPECT_NE(text.find(insured(3)), std::string::npos) << text;
    EXPECT_EQ(text.find(insured(1)), std::string::npos) << text;
  }
  // Another period is another statement.
  const StatementRun next = run("2025-08", "2025-08");
  EXPECT_EQ(next.statements, 2);
}

TEST_P(BenefitStatementTest, KY_24_KilledRunResumesWithoutDuplicatesOrGaps) {
  std::vector<Claim> claims;
  for (int i = 1; i <= 5; ++i) claims.push_back({fmt::format("C{}", i), insured(i), "202505", "1310000011", "11", 10720 * i, 1072 * i});
  feeder->deliver(ky04(claims, "202506", "R1"), "KR-1");

  const StatementRun killed = run("2025-04", "2025-09", 2, 1);  // dies after its first chunk of 2
  EXPECT_EQ(killed.status, "running");
  EXPECT_EQ(killed.statements, 2);
  EXPECT_TRUE(killed.print_file.empty());

  const StatementRun resumed = run("2025-04", "2025-09", 2);
  EXPECT_EQ(resumed.batch_run_id, killed.batch_run_id);
  EXPECT_EQ(resumed.status, "done");
  EXPECT_EQ(resumed.statements, 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE batch_run_id = $1", {resumed.batch_run_id}), 5);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT person_id) FROM benefit_document WHERE batch_run_id = $1", {resumed.batch_run_id}), 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM batch_run WHERE job = 'benefit_statements'"), 1);
  if (testing::have("pdftotext")) {
    const std::string text = testing::pdf_text(file_text(resumed.print_file));
    EXPECT_EQ(occurrences(text, "介護保険給付費支払のお知らせ"), 5u) << text;
    for (int i = 1; i <= 5; ++i) EXPECT_NE(text.find(insured(i)), std::string::npos) << i;
  }
  // The serve job's resume finds nothing left.
  auto again = resume_benefit_statements(*db, clock, config(), issuer(), print_dir, 2);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, "");
}

TEST_P(BenefitStatementTest, KY_24_CounterReprintLeavesTheMailingOwed) {
  feeder->deliver(ky04({{"C1", insured(1)}, {"C2", insured(1), "202506", "1310000037", "15", 30000, 3000}}, "202507", "R1"), "KR-1");
  auto pdf = statement_pdf(*db, clock, config(), issuer(), pid(1), {"2025-04", "2025-09"}, "counter");
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pdf->rfind("%PDF", 0), 0u);
  if (testing::have("pdftotext")) {
    const std::string text = testing::pdf_text(*pdf);
    for (const char* s : {"令和7年5月", "令和7年6月", "10,720", "30,000", "40,720", "4,072", "デイサービスみどり"})
      EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE person_id = $1 AND once_key IS NULL AND batch_run_id IS NULL "
                  "AND issued_by = 'counter'",
                  {pid(1)}),
            1);
  // The period's run still mails it (the counter print was a reprint), once.
  const StatementRun r = run();
  EXPECT_EQ(r.statements, 1);
  ASSERT_TRUE(statement_pdf(*db, clock, config(), issuer(), pid(1), {"2025-04", "2025-09"}, "counter"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE person_id = $1", {pid(1)}), 3);
}

TEST_P(BenefitStatementTest, KY_24_PersonWithNoRecordsGetsNone) {
  feeder->deliver(ky04({{"C1", insured(1)}, {"C2", insured(2), "202511"}}, "202512", "R1"), "KR-1");
  auto none = statement_pdf(*db, clock, config(), issuer(), pid(4), {"2025-04", "2025-09"}, "counter");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::not_found);
  auto outside = statement_pdf(*db, clock, config(), issuer(), pid(2), {"2025-04", "2025-09"}, "counter");
  ASSERT_FALSE(outside);  // records, but not in the period
  const StatementRun r = run();
  EXPECT_EQ(r.statements, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE person_id IN ($1, $2)", {pid(2), pid(4)}), 0);
  // Nobody in the period: no pass at all.
  EXPECT_EQ(run("2024-01", "2024-06").status, "nothing_to_print");
}

TEST_P(BenefitStatementTest, KY_24_ScheduledJobRunsThePeriodOnceOnItsSendDate) {
  feeder->deliver(ky04({{"C1", insured(1), "202505"}, {"C2", insured(2), "202509"}}, "202510", "R1"), "KR-1");
  auto schedule = StatementConfig::load(KAIGO_SOURCE_CONFIG_DIR);
  ASSERT_TRUE(schedule) << schedule.error().message;
  // 9 October: April's period (September 2024 … February 2025) — nobody had records then: no pass.
  FixedClock before = FixedClock::at(Date(2025, 10, 9));
  auto none = scheduled_statements(*db, before, config(), issuer(), *schedule, print_dir);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(*none, "");
  // 10 October, the send day: March … August — person 1 (May), not person 2 (September).
  FixedClock on = FixedClock::at(Date(2025, 10, 10));
  auto sent = scheduled_statements(*db, on, config(), issuer(), *schedule, print_dir);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(*sent, "KY-24 2025-03-2025-08: 1 statements");
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE once_key = $1", {"statement:2025-03-2025-08:" + pid(1)}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE person_id = $1", {pid(2)}), 0);
  // The next ticks do nothing (the period's pass exists).
  auto again = scheduled_statements(*db, on, config(), issuer(), *schedule, print_dir);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, "");
}

INSTANTIATE_TEST_SUITE_P(Db, BenefitStatementTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

// ---- through the API ----

class BenefitStatementApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<testing::ServerFixture>(GetParam());
    testing::seed_standard_data(*f);
    f->server().attach_benefit(config());
    f->clock().set(FixedClock::at(Date(2025, 10, 12)).now());
    add_person(f->db(), pid(1), insured(1), "給付 花子");
    add_person(f->db(), pid(2), insured(2), "給付 次郎");
    Feeder feeder(f->db());
    feeder.deliver(ky04({{"C1", insured(1), "202505", "1310000011", "11", 10720, 1072},
                         {"C2", insured(2), "202508", "1310000037", "15", 30000, 3000}},
                        "202509", "R1"),
                   "KR-1");
    client = std::make_unique<testing::ApiClient>(f->port());
    ASSERT_EQ(client->login("benefit_staff")->status, 200);
  }
  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto r = f->db().query(sql, params);
    EXPECT_TRUE(r);
    return r && !r->empty() ? r->front().i64(0) : -1;
  }
  std::unique_ptr<testing::ServerFixture> f;
  std::unique_ptr<testing::ApiClient> client;
};

TEST_P(BenefitStatementApi, KY_24_RunListPrintFileAndCounterStatementThroughTheApi) {
  auto bad = client->post("/api/v1/benefit/statement-runs", json{{"from", "2025-13"}, {"to", "2025-09"}}.dump());
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(json::parse(bad->body)["error"]["field"], "from");

  // No period given: the scheduled one (config/benefit_statements.json: sent in October, the six
  // service months up to August).
  auto posted = client->post("/api/v1/benefit/statement-runs", "{}");
  ASSERT_EQ(posted->status, 201) << posted->body;
  const json run = json::parse(posted->body);
  EXPECT_EQ(run["from"], "2025-03");
  EXPECT_EQ(run["to"], "2025-08");
  EXPECT_EQ(run["status"], "done");
  EXPECT_EQ(run["statements"], 2);
  EXPECT_EQ(run["total_cost"], 40720);
  ASSERT_TRUE(run["pdf"].is_string());
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = $1 AND resource = 'POST /api/v1/benefit/statement-runs'",
                  {pid(1)}),
            1);

  auto again = client->post("/api/v1/benefit/statement-runs", json{{"from", "2025-03"}, {"to", "2025-08"}}.dump());
  ASSERT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(json::parse(again->body)["status"], "nothing_to_print");

  auto list = client->get("/api/v1/benefit/statement-runs");
  ASSERT_EQ(list->status, 200);
  const json items = json::parse(list->body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["statements"], 2);
  EXPECT_EQ(items[0]["pdf"], run["pdf"]);

  auto file = client->get(run["pdf"].get<std::string>());
  ASSERT_EQ(file->status, 200) << file->body;
  EXPECT_EQ(file->get_header_value("Content-Type"), "application/pdf");
  if (testing::have("pdftotext")) {
    const std::string text = testing::pdf_text(file->body);
    for (const char* s : {"訪問介護さくら", "デイサービスみどり", "10,720", "30,000", "27,000"})
      EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = $1 AND resource = "
                  "'GET /api/v1/benefit/statement-runs/{batch_run_id}.pdf'",
                  {pid(2)}),
            1);

  auto one = client->get(fmt::format("/api/v1/persons/{}/statement.pdf?from=2025-05&to=2025-05", pid(1)));
  ASSERT_EQ(one->status, 200) << one->body;
  EXPECT_EQ(one->body.rfind("%PDF", 0), 0u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = $1 AND resource = "
                  "'GET /api/v1/persons/{person_id}/statement.pdf'",
                  {pid(1)}),
            1);
  auto none = client->get(fmt::format("/api/v1/persons/{}/statement.pdf?from=2025-05&to=2025-05", pid(2)));
  EXPECT_EQ(none->status, 404) << none->body;
  auto half = client->get(fmt::format("/api/v1/persons/{}/statement.pdf?from=2025-05", pid(1)));
  ASSERT_EQ(half->status, 400) << half->body;
  EXPECT_EQ(json::parse(half->body)["error"]["field"], "to");
}

INSTANTIATE_TEST_SUITE_P(Db, BenefitStatementApi, ::testing::ValuesIn(testing::backends()), testing::backend_name);

// ---- the schedule (config/benefit_statements.json) ----

TEST(BenefitStatementConfig, KY_24_ScheduleValidatedAtLoadAndPeriods) {
  auto repo = StatementConfig::load(KAIGO_SOURCE_CONFIG_DIR);
  ASSERT_TRUE(repo) << repo.error().message;
  EXPECT_EQ(repo->period_months, 6);
  // Sent in April and October: October covers March…August, April covers September…February.
  EXPECT_EQ(scheduled_period(*repo, Date(2025, 10, 10)).from, "2025-03");
  EXPECT_EQ(scheduled_period(*repo, Date(2025, 10, 10)).to, "2025-08");
  EXPECT_EQ(scheduled_period(*repo, Date(2025, 10, 9)).from, "2024-09");  // before the send day: April's
  EXPECT_EQ(scheduled_period(*repo, Date(2025, 10, 9)).to, "2025-02");
  EXPECT_EQ(scheduled_period(*repo, Date(2026, 2, 1)).to, "2025-08");

  auto field_of = [](const std::string& text) {
    auto c = StatementConfig::parse(text);
    return c ? std::string("ok") : c.error().field;
  };
  const std::string ok = R"({"period_months": 6, "send_months": [4, 10], "lag_months": 2, "send_day": 10, "chunk": 500})";
  EXPECT_EQ(field_of(ok), "ok");
  EXPECT_EQ(field_of(R"({"period_months": 0, "send_months": [4, 10], "lag_months": 2, "send_day": 10, "chunk": 500})"), "period_months");
  EXPECT_EQ(field_of(R"({"period_months": 6, "send_months": [4, 13], "lag_months": 2, "send_day": 10, "chunk": 500})"), "send_months[1]");
  EXPECT_EQ(field_of(R"({"period_months": 6, "send_months": [10, 4], "lag_months": 2, "send_day": 10, "chunk": 500})"), "send_months[1]");
  EXPECT_EQ(field_of(R"({"period_months": 6, "send_months": [4, 9], "lag_months": 2, "send_day": 10, "chunk": 500})"), "send_months[1]");
  EXPECT_EQ(field_of(R"({"period_months": 6, "send_months": [4], "lag_months": 2, "send_day": 10, "chunk": 500})"), "send_months");
  EXPECT_EQ(field_of(R"({"period_months": 6, "send_months": [4, 10], "send_day": 10, "chunk": 500})"), "lag_months");
  EXPECT_EQ(field_of(R"({"period_months": 6, "send_months": [4, 10], "lag_months": 2, "send_day": 31, "chunk": 500})"), "send_day");
  EXPECT_EQ(field_of(R"({"period_months": 6, "send_months": [4, 10], "lag_months": 2, "send_day": 10, "chunk": "x"})"), "chunk");

  auto period = statement_period("2025-04", "2026-04");
  ASSERT_FALSE(period);
  EXPECT_EQ(period.error().field, "to");
  EXPECT_TRUE(statement_period("2025-04", "2026-03"));
  EXPECT_EQ(statement_period("2025-4", "2025-09").error().field, "from");
}

}  // namespace
}  // namespace kaigo::benefit
