// The city's tax system linkage on SQLite and PostgreSQL: FK-01 requests (the yearly one of
// everyone needed, one person), FK-02 answers and revisions end to end through the tax office
// simulator (over its SimulatorChannel and over a real folder channel) into tax_income rows with
// their source and exchange and the re-assessment queue, every kind of bad file refused whole with
// its line and column and nothing applied, the same file twice, and FK-12 / FK-13 assessment files.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/hash.hpp"
#include "eligibility/register.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/folder_channel.hpp"
#include "people/my_number_vault.hpp"
#include "premium/premium_provision.hpp"
#include "premium/zeimu_service.hpp"
#include "sim/city_generator.hpp"
#include "server_fixture.hpp"
#include "sim/zeimu/tax_office_sim.hpp"
#include "test_db.hpp"

namespace kaigo::premium::zeimu {
namespace {

namespace fs = std::filesystem;

const std::string kHeader =
    "宛名番号,所得年,区分,合計所得金額,公的年金等収入金額,課税年金収入額,公的年金等に係る雑所得,給与所得,"
    "譲渡所得の特別控除,市町村民税,課税所得\n";
const std::string kFigures = "1200000,2000000,2000000,900000,300000,0,課税,270000";

std::string row(const std::string& person, const std::string& kind = "更正", const std::string& figures = kFigures,
                const std::string& year = "2025") {
  return person + "," + year + "," + kind + "," + figures + "\n";
}

class ZeimuLinkageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    const people::MyNumberVault vault(random_bytes(32));
    auto city = sim::generate_city(*db, vault, sim::CityOptions{300, 3, Date(2026, 4, 1), "test"});
    ASSERT_TRUE(city) << city.error().message;
    auto registered = eligibility::register_initial_residents(
        *db, clock, eligibility::ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "test", "初期登録 (模擬都市)"});
    ASSERT_TRUE(registered) << registered.error().message;
    channels.bind("zeimu", std::make_shared<linkage::SimulatorChannel>("zeimu"));
    channels.bind("fukushi", std::make_shared<linkage::SimulatorChannel>("fukushi"));
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
  std::vector<std::string> column(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    std::vector<std::string> out;
    if (rows)
      for (const auto& r : *rows) out.push_back(r.str(0));
    return out;
  }
  // A category-1 insured person of FY2026 with a ledger row, `n`-th by person_id.
  std::string insured(int n = 0) {
    auto ids = column(
        "SELECT DISTINCT p.person_id FROM eligibility_period p JOIN tax_income t ON t.person_id = p.person_id "
        "WHERE p.category = '1' AND p.lost_on IS NULL ORDER BY p.person_id");
    EXPECT_GT(ids.size(), static_cast<std::size_t>(n));
    return ids.size() > static_cast<std::size_t>(n) ? ids[n] : "";
  }
  // A current assessment of FY2026 (the lead's yearly run writes these; inserted directly here).
  void assess(const std::string& person, int revision = 0, std::int64_t amount = 74000, std::int64_t previous = 0,
              const std::string& cause = "annual") {
    ASSERT_TRUE(db->exec("UPDATE premium_assessment SET is_current = 0 WHERE person_id = $1 AND fiscal_year = 2026", {person}));
    auto r = db->exec(
        "INSERT INTO premium_assessment (person_id, fiscal_year, revision, is_current, insured_no, base_date, stage, "
        "stage_label, ratio, reduced, annual_amount, months, amount, previous_amount, table_name, table_sha256, "
        "table_effective_from, inputs, explanation, cause, batch_run_id, assessed_at, assessed_by) "
        "VALUES ($1, 2026, $2, 1, COALESCE((SELECT insured_no FROM insured_number WHERE person_id = $1), ''), "
        "'2026-04-01', 5, '第5段階', '1/1', 0, $3, 12, $3, $4, 'test', 'x', '2026-04-01', '{}', '[]', $5, NULL, "
        "'2026-07-01T09:00:00+09:00', 'test')",
        {person, std::int64_t{revision}, amount, previous, cause});
    ASSERT_TRUE(r) << r.error().message;
  }
  linkage::InboundResult receive(const std::string& payload, const std::string& in_reply_to = "",
                                 const std::string& name = "FK-02_test.csv") {
    linkage::InboundMessage m{"FK-02", "zeimu", payload, "text/csv", std::nullopt, in_reply_to, {},
                              "file " + name + " from zeimu", "channel:test"};
    auto r = linkage::receive_inbound(*db, clock, m, tax_file_handler(clock));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : linkage::InboundResult{};
  }
  linkage::DispatchReport dispatch() {
    linkage::Dispatcher dispatcher(zeimu_inbound_handlers(clock));
    auto report = dispatcher.run_once(*db, channels, clock);
    EXPECT_TRUE(report) << (report ? "" : report.error().message);
    return report ? *report : linkage::DispatchReport{};
  }
  // What applying could have changed, to prove that a refused file changed nothing.
  std::string footprint() {
    return fmt::format("tax_income {} undeclared {} queue {} exchange_person {} files-applied {}",
                       count("SELECT COUNT(*) FROM tax_income"), count("SELECT COUNT(*) FROM tax_undeclared"),
                       count("SELECT COUNT(*) FROM premium_recalc_queue"), count("SELECT COUNT(*) FROM exchange_person"),
                       count("SELECT COUNT(*) FROM zeimu_file WHERE status = 'applied'"));
  }
  // Refused whole: the reason names line and field, nothing applied, the file and its errors
  // recorded for staff, no personal data in the reason.
  void expect_refused(const std::string& payload, const std::string& in_reply_to, int line, const std::string& field,
                      const std::string& message_part) {
    const std::string before = footprint();
    auto r = receive(payload, in_reply_to, "FK-02_bad.csv");
    ASSERT_EQ(r.outcome, linkage::InboundOutcome::rejected);
    const std::string where =
        line > 0 ? fmt::format("tax file refused: line {}, field {}: ", line, field) : fmt::format("tax file refused: (no line), field {}: ", field);
    EXPECT_EQ(r.reason.rfind(where, 0), 0u) << r.reason;
    EXPECT_NE(r.reason.find(message_part), std::string::npos) << r.reason;
    EXPECT_EQ(footprint(), before);
    EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {r.exchange_id}), "rejected");
    for (const auto& p : column("SELECT person_id FROM person"))
      EXPECT_EQ(r.reason.find(p), std::string::npos) << "the reason names a person";
    auto recorded = record_rejected_files(*db, clock);
    ASSERT_TRUE(recorded) << recorded.error().message;
    EXPECT_EQ(*recorded, 1);
    EXPECT_EQ(text("SELECT status || ' ' || kind FROM zeimu_file WHERE exchange_id = $1", {r.exchange_id}),
              std::string("rejected ") + (in_reply_to.empty() ? "revision" : "answer"));
    EXPECT_EQ(count("SELECT line_no FROM zeimu_file_error WHERE exchange_id = $1 AND error_no = 1", {r.exchange_id}), line);
    EXPECT_EQ(text("SELECT field FROM zeimu_file_error WHERE exchange_id = $1 AND error_no = 1", {r.exchange_id}), field);
    EXPECT_EQ(footprint(), before);
  }
  // A one-person request, sent, so that an answer can name it.
  std::string sent_request(const std::string& person) {
    std::string correlation;
    EXPECT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
      auto s = request_person(c, clock, person, 2025, "staff1");
      if (!s) return std::unexpected(s.error());
      correlation = s->correlation_id;
      return {};
    }));
    return correlation;
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 6, 20));
  linkage::ChannelSet channels;
};

TEST_P(ZeimuLinkageTest, FK_01_YearlyRequestNamesEveryInsuredAndTheirHouseholds) {
  auto sent = request_yearly(*db, clock, 2026, "staff1");
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_TRUE(sent->created);
  EXPECT_EQ(sent->tax_year, 2025);
  // Independently: the category-1 insured of FY2026 and everyone in their households (the synthetic
  // city has no household change, so the person rows are the households on 1 April).
  const auto expected = column(
      "SELECT person_id FROM person WHERE household_id IN (SELECT p.household_id FROM person p JOIN eligibility_period e "
      "ON e.person_id = p.person_id WHERE e.category = '1' AND e.acquired_on < '2027-04-01' AND (e.lost_on IS NULL OR "
      "e.lost_on > '2026-04-01')) ORDER BY person_id");
  ASSERT_GT(expected.size(), 10u);
  EXPECT_EQ(sent->persons, static_cast<std::int64_t>(expected.size()));
  const std::string payload = text("SELECT payload FROM exchange WHERE exchange_id = $1", {sent->exchange_id});
  std::string want = "宛名番号,所得年\n";
  for (const auto& p : expected) want += p + ",2025\n";
  EXPECT_EQ(payload, want);
  // Someone is left out: a household with no insured member.
  EXPECT_LT(expected.size(), static_cast<std::size_t>(count("SELECT COUNT(*) FROM person")));
  EXPECT_EQ(text("SELECT flow_id || ' ' || counterpart || ' ' || direction || ' ' || status || ' ' || content_type "
                 "FROM exchange WHERE exchange_id = $1",
                 {sent->exchange_id}),
            "FK-01 zeimu outbound queued text/csv");
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1", {sent->exchange_id}), sent->persons);
  EXPECT_EQ(text("SELECT kind || ' ' || tax_year || ' ' || fiscal_year || ' ' || lines || ' ' || status FROM zeimu_file "
                 "WHERE exchange_id = $1",
                 {sent->exchange_id}),
            fmt::format("yearly_request 2025 2026 {} sent", sent->persons));
  // Asking again with nothing changed queues nothing new.
  auto again = request_yearly(*db, clock, 2026, "staff1");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->exchange_id, sent->exchange_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'FK-01'"), 1);
  // An income year that has not ended is refused.
  auto future = request_yearly(*db, clock, 2027, "staff1");
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().field, "fiscal_year");
}

TEST_P(ZeimuLinkageTest, FK_01_FK_02_YearlyRunEndToEndThroughSimulator) {
  sim::zeimu::TaxOfficeSim office(*db, channels.simulator("zeimu"), 7, sim::zeimu::TaxOfficeOptions{Date(2026, 6, 20), 0});
  const std::string assessed = insured(0), other = insured(1);
  assess(assessed);
  auto sent = request_yearly(*db, clock, 2026, "staff1");
  ASSERT_TRUE(sent) << sent.error().message;

  // One pass: the request goes out, the simulated tax office answers from its ledger, the answer
  // is applied.
  auto report = dispatch();
  EXPECT_EQ(report.sent, 1);
  EXPECT_EQ(report.applied, 1);
  EXPECT_EQ(report.rejected, 0);
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {sent->exchange_id}), "applied");
  const std::int64_t answer = count("SELECT exchange_id FROM exchange WHERE flow_id = 'FK-02' AND in_reply_to = $1",
                                    {sent->correlation_id});
  ASSERT_GT(answer, 0);
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {answer}), "applied");

  // kaigo's own rows: one per person asked that the ledger holds, same figures, source and exchange.
  const auto ledger = count(
      "SELECT COUNT(*) FROM tax_income t JOIN exchange_person ep ON ep.person_id = t.person_id AND ep.exchange_id = $1 "
      "WHERE t.source = 'synthetic_city' AND t.tax_year = 2025",
      {sent->exchange_id});
  ASSERT_GT(ledger, 10);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE source = 'tax_office' AND source_exchange_id = $1", {answer}),
            ledger);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income o JOIN tax_income l ON l.person_id = o.person_id AND l.tax_year = "
                  "o.tax_year AND l.source = 'synthetic_city' WHERE o.source = 'tax_office' AND (o.total_income <> "
                  "l.total_income OR o.public_pension_income <> l.public_pension_income OR o.taxable_pension_income <> "
                  "l.taxable_pension_income OR o.pension_misc_income <> l.pension_misc_income OR o.salary_income <> "
                  "l.salary_income OR o.land_sale_special_deduction <> l.land_sale_special_deduction OR "
                  "o.resident_tax_taxed <> l.resident_tax_taxed OR o.taxable_income <> l.taxable_income)"),
            0);
  EXPECT_EQ(text("SELECT recorded_by FROM tax_income WHERE source = 'tax_office' AND person_id = $1", {assessed}),
            fmt::format("exchange:{}", answer));
  // The others asked (children under 16: no ledger row) are 未申告.
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_undeclared WHERE source_exchange_id = $1", {answer}), sent->persons - ledger);
  EXPECT_GT(sent->persons - ledger, 0);
  // The answer lists its persons; the file row carries the counts.
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1", {answer}), sent->persons);
  EXPECT_EQ(text("SELECT kind || ' ' || lines || ' ' || applied || ' ' || unchanged || ' ' || undeclared || ' ' || queued "
                 "|| ' ' || request_exchange_id FROM zeimu_file WHERE exchange_id = $1",
                 {answer}),
            fmt::format("answer {} {} 0 {} 1 {}", sent->persons, ledger, sent->persons - ledger, sent->exchange_id));
  // The assessed person (and only they: nobody else has an assessment) waits for re-assessment.
  EXPECT_EQ(text("SELECT person_id || ' ' || fiscal_year || ' ' || cause FROM premium_recalc_queue"),
            assessed + " 2026 income");
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_recalc_queue WHERE person_id = $1", {other}), 0);

  // Settled: nothing more to do.
  auto second = dispatch();
  EXPECT_EQ(second.sent + second.applied + second.rejected + second.duplicates, 0);

  // The tax office lives two days: 更正 as later ledger rows, sent as revision files, applied.
  ASSERT_TRUE(db->exec("DELETE FROM premium_recalc_queue"));
  sim::zeimu::TaxOfficeSim busy(*db, channels.simulator("zeimu"), 11, sim::zeimu::TaxOfficeOptions{Date(2026, 6, 21), 3});
  auto lived = busy.advance_days(2);
  ASSERT_TRUE(lived) << lived.error().message;
  EXPECT_EQ(lived->files, 2);
  EXPECT_GE(lived->revisions, 2);
  auto third = dispatch();
  EXPECT_EQ(third.applied, 2);
  EXPECT_EQ(third.rejected, 0);
  // Each revised person's latest own row equals the ledger's latest row.
  const auto revised = column("SELECT DISTINCT person_id FROM tax_income WHERE recorded_by = 'simulator:zeimu'");
  ASSERT_FALSE(revised.empty());
  EXPECT_LE(static_cast<int>(revised.size()), lived->revisions);  // a person may be corrected on both days
  for (const auto& p : revised) {
    SCOPED_TRACE(p);
    const std::string sql =
        "SELECT total_income || ' ' || salary_income || ' ' || public_pension_income || ' ' || resident_tax_taxed || ' ' "
        "|| taxable_income FROM tax_income WHERE person_id = $1 AND tax_year = 2025 AND source {} "
        "ORDER BY recorded_at DESC, tax_income_id DESC LIMIT 1";
    EXPECT_EQ(text(fmt::format(fmt::runtime(sql), "= 'tax_office'"), {p}),
              text(fmt::format(fmt::runtime(sql), "= 'synthetic_city'"), {p}));
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM zeimu_file WHERE kind = 'revision' AND status = 'applied'"), 2);
}

TEST_P(ZeimuLinkageTest, FK_02_RevisionQueuesTheAssessedHouseholdMembers) {
  // An assessed 65+ person and a member of their household without an assessment.
  auto pair = db->query(
      "SELECT a.person_id, b.person_id FROM person a JOIN person b ON b.household_id = a.household_id AND b.person_id <> "
      "a.person_id JOIN eligibility_period e ON e.person_id = a.person_id AND e.category = '1' "
      "WHERE b.birth_date < '2009-01-01' ORDER BY a.person_id, b.person_id LIMIT 1");
  ASSERT_TRUE(pair && !pair->empty()) << "the city has no household of an insured with another adult";
  const std::string assessed = pair->front().str(0), member = pair->front().str(1);
  assess(assessed);
  const std::string unrelated = text(
      "SELECT e.person_id FROM eligibility_period e JOIN person p ON p.person_id = e.person_id WHERE e.category = '1' "
      "AND p.household_id <> (SELECT household_id FROM person WHERE person_id = $1) ORDER BY e.person_id LIMIT 1",
      {assessed});
  ASSERT_FALSE(unrelated.empty());
  assess(unrelated);
  // The member's income is corrected by the tax office: the assessed person's stage may change
  // (household taxed or not), so they are queued; the unrelated assessed person is not.
  auto r = receive(kHeader + row(member));
  ASSERT_EQ(r.outcome, linkage::InboundOutcome::applied) << r.reason;
  EXPECT_EQ(column("SELECT person_id || ' ' || cause FROM premium_recalc_queue ORDER BY person_id"),
            std::vector<std::string>{assessed + " income"});
  EXPECT_EQ(count("SELECT queued FROM zeimu_file WHERE exchange_id = $1", {r.exchange_id}), 1);
}

TEST_P(ZeimuLinkageTest, FK_02_SameFileTwiceAndSameFiguresAgainChangeNothing) {
  const std::string p = insured(0);
  assess(p);
  const std::string file = kHeader + row(p);
  auto first = receive(file);
  ASSERT_EQ(first.outcome, linkage::InboundOutcome::applied) << first.reason;
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE source = 'tax_office'"), 1);
  ASSERT_TRUE(db->exec("DELETE FROM premium_recalc_queue"));
  const std::string before = footprint();
  // The same bytes: recognised by the inbox.
  auto again = receive(file);
  EXPECT_EQ(again.outcome, linkage::InboundOutcome::already_applied);
  EXPECT_EQ(again.exchange_id, first.exchange_id);
  EXPECT_EQ(footprint(), before);
  // Another file with the same figures (a resend with another line ending): applied, writes nothing.
  std::string crlf = file;
  crlf.insert(crlf.size() - 1, "\r");
  auto same = receive(crlf, "", "FK-02_resent.csv");
  ASSERT_EQ(same.outcome, linkage::InboundOutcome::applied) << same.reason;
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income"), count("SELECT COUNT(*) FROM tax_income WHERE source <> 'tax_office'") + 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_recalc_queue"), 0);
  EXPECT_EQ(text("SELECT applied || ' ' || unchanged FROM zeimu_file WHERE exchange_id = $1", {same.exchange_id}), "0 1");
  // New figures: a new row, the old one kept as history.
  auto changed = receive(kHeader + row(p, "更正", "1500000,2000000,2000000,900000,600000,0,課税,520000"));
  ASSERT_EQ(changed.outcome, linkage::InboundOutcome::applied) << changed.reason;
  EXPECT_EQ(column("SELECT salary_income FROM tax_income WHERE source = 'tax_office' ORDER BY tax_income_id"),
            (std::vector<std::string>{"300000", "600000"}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM premium_recalc_queue WHERE person_id = $1", {p}), 1);
}

TEST_P(ZeimuLinkageTest, FK_01_FK_02_OnePersonRequestedAndAnswered) {
  sim::zeimu::TaxOfficeSim office(*db, channels.simulator("zeimu"), 7, sim::zeimu::TaxOfficeOptions{Date(2026, 6, 20), 0});
  const std::string p = insured(2);
  const std::string correlation = sent_request(p);
  auto report = dispatch();
  EXPECT_EQ(report.sent, 1);
  EXPECT_EQ(report.applied, 1);
  const auto answer = count("SELECT exchange_id FROM exchange WHERE flow_id = 'FK-02' AND in_reply_to = $1", {correlation});
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE source = 'tax_office' AND person_id = $1 AND source_exchange_id = $2",
                  {p, answer}),
            1);
  EXPECT_EQ(text("SELECT kind FROM zeimu_file WHERE exchange_id = (SELECT exchange_id FROM exchange WHERE correlation_id = $1)",
                 {correlation}),
            "person_request");
  // A person unknown here, an income year not ended: refused before anything is queued.
  EXPECT_FALSE(db->transaction([&](store::Connection& c) -> Result<void> {
    auto s = request_person(c, clock, "9999999999", 2025, "staff1");
    if (!s) return std::unexpected(s.error());
    return {};
  }));
  EXPECT_FALSE(db->transaction([&](store::Connection& c) -> Result<void> {
    auto s = request_person(c, clock, p, 2026, "staff1");
    if (!s) return std::unexpected(s.error());
    return {};
  }));
}

TEST_P(ZeimuLinkageTest, FK_01_FK_02_OverFolderChannel) {
  const fs::path dir = testing::scratch_dir("zeimu-folder");
  channels.bind("zeimu", std::make_shared<linkage::FolderChannel>("zeimu", dir));
  sim::zeimu::TaxOfficeSim office(*db, nullptr, 7, sim::zeimu::TaxOfficeOptions{Date(2026, 6, 20), 1});
  office.write_to_folder(dir);
  auto sent = request_yearly(*db, clock, 2026, "staff1");
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(dispatch().sent, 1);
  ASSERT_TRUE(fs::exists(dir / "out" / ("FK-01_" + sent->correlation_id + ".csv")));
  // The tax office takes the request from the folder and drops its answer, then a day of 更正
  // and a broken file beside them.
  auto taken = office.take_folder_requests();
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(*taken, 1);
  auto again = office.take_folder_requests();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  ASSERT_TRUE(office.advance_days(1));
  std::ofstream(dir / "in" / "FK-02_zz_broken.csv") << kHeader << row(insured(0), "更正", "0,-5,0,0,0,0,非課税,0");
  auto report = dispatch();
  EXPECT_EQ(report.applied, 2);
  EXPECT_EQ(report.rejected, 1);
  const std::string answer_name = "FK-02_answer_re-" + sent->correlation_id + ".csv";
  EXPECT_TRUE(fs::exists(dir / "processed" / answer_name));
  EXPECT_TRUE(fs::exists(dir / "processed" / "FK-02_kosei_20260620.csv"));
  ASSERT_TRUE(fs::exists(dir / "quarantine" / "FK-02_zz_broken.csv.reason.txt"));
  std::stringstream reason;
  reason << std::ifstream(dir / "quarantine" / "FK-02_zz_broken.csv.reason.txt").rdbuf();
  EXPECT_NE(reason.str().find("line 2, field 公的年金等収入金額"), std::string::npos) << reason.str();
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {sent->exchange_id}), "applied");
  EXPECT_EQ(text("SELECT file_name FROM zeimu_file WHERE kind = 'answer'"), answer_name);
  EXPECT_GT(count("SELECT COUNT(*) FROM tax_income WHERE source = 'tax_office'"), 10);
}

// ---- Bad input: one test per case, each refused whole with its line and column ----

TEST_P(ZeimuLinkageTest, FK_02_RefusedWrongColumnCount) {
  expect_refused(kHeader + row(insured(0)) + insured(1) + ",2025,更正,1200000\n", "", 3, "(列数)", "4 columns, the layout has 11");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedNotANumber) {
  expect_refused(kHeader + row(insured(0)) + row(insured(1), "更正", "1,200,000,0,0,0,0,0,課税,0"), "", 3, "(列数)", "13 columns");
  expect_refused(kHeader + row(insured(0)) + row(insured(1), "更正", "12O0000,0,0,0,0,0,課税,0"), "", 3, "合計所得金額",
                 "not an integer amount");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedNegativeRevenue) {
  expect_refused(kHeader + row(insured(0)) + row(insured(1), "更正", "0,-100000,0,0,0,0,非課税,0"), "", 3,
                 "公的年金等収入金額", "a negative amount is impossible here");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedTaxablePensionAboveRevenue) {
  expect_refused(kHeader + row(insured(0)) + row(insured(1), "更正", "500000,1000000,1200000,0,0,0,非課税,0"), "", 3,
                 "課税年金収入額", "greater than 公的年金等収入金額");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedMiscIncomeAboveRevenue) {
  expect_refused(kHeader + row(insured(0)) + row(insured(1), "更正", "1500000,1000000,1000000,1500000,0,0,課税,0"), "", 3,
                 "公的年金等に係る雑所得", "greater than 公的年金等収入金額");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedImplausibleAmount) {
  expect_refused(kHeader + row(insured(0)) + row(insured(1), "更正", "1000000000000,0,0,0,0,0,課税,0"), "", 3,
                 "合計所得金額", "not plausible");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedUnknownPerson) {
  expect_refused(kHeader + row(insured(0)) + row("9999999999"), "", 3, "宛名番号", "a person unknown here");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedPersonTwice) {
  expect_refused(kHeader + row(insured(0)) + row(insured(1)) + row(insured(0), "更正", "0,0,0,0,0,0,非課税,0"), "", 4,
                 "宛名番号", "the same 宛名番号 and 所得年 as line 2");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedTaxYearNotPlausible) {
  expect_refused(kHeader + row(insured(0)) + row(insured(1), "更正", kFigures, "2026"), "", 3, "所得年",
                 "not a plausible income year");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedTaxYearNotAsked) {
  const std::string p = insured(0);
  const std::string correlation = sent_request(p);
  expect_refused(kHeader + row(p, "当初", kFigures, "2024"), correlation, 2, "所得年", "not the income year asked (2025)");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedPersonNotAsked) {
  const std::string correlation = sent_request(insured(0));
  expect_refused(kHeader + row(insured(0), "当初") + row(insured(1), "当初"), correlation, 3, "宛名番号",
                 "a person the request did not ask about");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedRequestedPersonMissing) {
  const std::string correlation = sent_request(insured(0));
  // An answer that answers nobody: the person of request line 2 is missing (no line of the answer).
  expect_refused(kHeader, correlation, 0, "宛名番号", "the person of request line 2 is not answered");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedInitialRowWithoutRequest) {
  expect_refused(kHeader + row(insured(0), "当初"), "", 2, "区分", "当初 comes only in an answer to a request");
}

TEST_P(ZeimuLinkageTest, FK_02_RefusedBadHeader) {
  expect_refused("宛名番号,所得年,区分\n" + row(insured(0)), "", 1, "(ヘッダ)", "the header is not");
}

// ---- FK-12 / FK-13 ----

TEST_P(ZeimuLinkageTest, FK_13_ChangedAssessmentsSentToTaxAndCursorMoves) {
  sim::zeimu::TaxOfficeSim office(*db, channels.simulator("zeimu"), 7);
  const std::string a = insured(0), b = insured(1);
  assess(a);
  assess(b, 0, 88800);
  auto sent = send_assessments_to_tax(*db, clock);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->scanned, 2);
  EXPECT_EQ(sent->rows, 2);
  ASSERT_TRUE(sent->exchange_id);
  const std::string no_a = text("SELECT insured_no FROM insured_number WHERE person_id = $1", {a});
  const std::string no_b = text("SELECT insured_no FROM insured_number WHERE person_id = $1", {b});
  EXPECT_FALSE(no_a.empty());
  const std::string header = "被保険者番号,宛名番号,賦課年度,更正回数,所得段階,確定保険料額,更正前保険料額,増減額,賦課事由,賦課日\n";
  EXPECT_EQ(text("SELECT payload FROM exchange WHERE exchange_id = $1", {*sent->exchange_id}),
            header + no_a + "," + a + ",2026,0,5,74000,0,74000,当初賦課,20260701\n" + no_b + "," + b +
                ",2026,0,5,88800,0,88800,当初賦課,20260701\n");
  EXPECT_EQ(text("SELECT flow_id || ' ' || counterpart || ' ' || status FROM exchange WHERE exchange_id = $1",
                 {*sent->exchange_id}),
            "FK-13 zeimu queued");
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1", {*sent->exchange_id}), 2);
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'FK-13'"),
            count("SELECT MAX(assessment_id) FROM premium_assessment"));
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'FK-12'"), 0);

  // Nothing new: no file.
  auto none = send_assessments_to_tax(*db, clock);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->scanned, 0);
  EXPECT_FALSE(none->exchange_id);

  // Two revisions of a: only the current one goes, with its previous amount.
  assess(a, 1, 80000, 74000, "income");
  assess(a, 2, 96200, 80000, "income");
  auto revised = send_assessments_to_tax(*db, clock);
  ASSERT_TRUE(revised);
  EXPECT_EQ(revised->scanned, 2);
  EXPECT_EQ(revised->rows, 1);
  ASSERT_TRUE(revised->exchange_id);
  EXPECT_EQ(text("SELECT payload FROM exchange WHERE exchange_id = $1", {*revised->exchange_id}),
            header + no_a + "," + a + ",2026,2,5,96200,80000,16200,所得更正,20260701\n");

  // Sent through the simulator: the tax office holds both files.
  auto report = dispatch();
  EXPECT_EQ(report.sent, 2);
  const auto files = office.assessment_files();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1], text("SELECT payload FROM exchange WHERE exchange_id = $1", {*revised->exchange_id}));
}

TEST_P(ZeimuLinkageTest, FK_12_AssessmentsOfWelfareCasesSentToWelfare) {
  const fs::path dir = testing::scratch_dir("fukushi-fk12");
  channels.bind("fukushi", std::make_shared<linkage::FolderChannel>("fukushi", dir));
  const std::string on_welfare = insured(0), ended_before = insured(1), never = insured(2);
  for (const auto& p : {on_welfare, ended_before, never})
    ASSERT_TRUE(db->exec("DELETE FROM public_assistance WHERE person_id = $1", {p}));
  ASSERT_TRUE(db->exec("INSERT INTO public_assistance (person_id, kind, valid_from, valid_to, source, recorded_at, "
                       "recorded_by) VALUES ($1, 'welfare', '2026-05-01', NULL, 'fukushi', 'x', 'test'), "
                       "($2, 'welfare', '2024-01-01', '2026-04-01', 'fukushi', 'x', 'test')",
                       {on_welfare, ended_before}));
  for (const auto& p : {on_welfare, ended_before, never}) assess(p);
  auto sent = send_assessments_to_welfare(*db, clock);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->scanned, 3);
  // Only the case on assistance during FY2026 (an end on 2026-04-01 is before the year).
  EXPECT_EQ(sent->rows, 1);
  ASSERT_TRUE(sent->exchange_id);
  const std::string payload = text("SELECT payload FROM exchange WHERE exchange_id = $1", {*sent->exchange_id});
  EXPECT_NE(payload.find("," + on_welfare + ",2026,0,5,74000,0,74000,当初賦課,20260701\n"), std::string::npos) << payload;
  EXPECT_EQ(payload.find(ended_before), std::string::npos);
  EXPECT_EQ(payload.find(never), std::string::npos);
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'FK-12'"),
            count("SELECT MAX(assessment_id) FROM premium_assessment"));
  // The FK-13 cursor is its own.
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'FK-13'"), 0);
  // Written to the welfare folder.
  EXPECT_EQ(dispatch().sent, 1);
  const std::string correlation = text("SELECT correlation_id FROM exchange WHERE exchange_id = $1", {*sent->exchange_id});
  std::stringstream content;
  content << std::ifstream(dir / "out" / ("FK-12_" + correlation + ".csv")).rdbuf();
  EXPECT_EQ(content.str(), payload);
  // A run with only non-cases moves the cursor and makes no file.
  assess(never, 1, 80000, 74000, "income");
  auto only_other = send_assessments_to_welfare(*db, clock);
  ASSERT_TRUE(only_other);
  EXPECT_EQ(only_other->scanned, 1);
  EXPECT_FALSE(only_other->exchange_id);
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'FK-12'"),
            count("SELECT MAX(assessment_id) FROM premium_assessment"));
}

// ---- The API: roles, requests, refused files for staff, the access log ----

class ZeimuApiTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ZeimuApiTest, FK_01_FK_02_RequestsAndFilesThroughTheApi) {
  testing::ServerFixture f(GetParam());
  testing::seed_standard_data(f);
  auto count = [&](const std::string& sql, const store::Params& params = {}) {
    auto rows = f.db().query(sql, params);
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? rows->front().i64(0) : -1;
  };
  testing::ApiClient staff(f.port());
  ASSERT_TRUE(staff.login("premium_staff"));

  // One person: 201, an FK-01 exchange, a write in the access log.
  auto one = staff.post("/api/v1/persons/1000000003/zeimu/request", R"({"tax_year": 2025})");
  ASSERT_TRUE(one);
  ASSERT_EQ(one->status, 201) << one->body;
  const auto body = nlohmann::json::parse(one->body);
  EXPECT_EQ(body["persons"], 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'FK-01' AND exchange_id = $1",
                  {body["exchange_id"].get<std::int64_t>()}),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000003' AND action = 'write' AND resource = "
                  "'POST /api/v1/persons/{person_id}/zeimu/request'"),
            1);
  auto bad_year = staff.post("/api/v1/persons/1000000003/zeimu/request", R"({"tax_year": 2026})");
  ASSERT_TRUE(bad_year);
  EXPECT_EQ(bad_year->status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad_year->body)["error"]["field"], "tax_year");
  auto unknown = staff.post("/api/v1/persons/9999999999/zeimu/request", R"({"tax_year": 2025})");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);

  // The yearly request: the two insured of household H0001 (the third person is 46).
  auto yearly = staff.post("/api/v1/zeimu/requests", R"({"fiscal_year": 2026})");
  ASSERT_TRUE(yearly);
  ASSERT_EQ(yearly->status, 201) << yearly->body;
  EXPECT_EQ(nlohmann::json::parse(yearly->body)["persons"], 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE action = 'write' AND resource = 'POST /api/v1/zeimu/requests' "
                  "AND person_id IN ('1000000001', '1000000002')"),
            2);
  auto again = staff.post("/api/v1/zeimu/requests", R"({"fiscal_year": 2026})");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(nlohmann::json::parse(again->body)["created"], false);

  // A refused revision file, recorded for staff, listed with its errors; the person it names is
  // a read in the access log.
  linkage::InboundMessage m{"FK-02", "zeimu", kHeader + row("1000000001", "更正", "0,-1,0,0,0,0,非課税,0"), "text/csv",
                            std::nullopt, "", {}, "file FK-02_bad.csv from zeimu", "channel:test"};
  auto r = linkage::receive_inbound(f.db(), f.clock(), m, tax_file_handler(f.clock()));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->outcome, linkage::InboundOutcome::rejected);
  ASSERT_TRUE(record_rejected_files(f.db(), f.clock()));
  auto files = staff.get("/api/v1/zeimu/files?status=rejected");
  ASSERT_TRUE(files);
  ASSERT_EQ(files->status, 200) << files->body;
  const auto items = nlohmann::json::parse(files->body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["file_name"], "FK-02_bad.csv");
  EXPECT_EQ(items[0]["kind"], "revision");
  ASSERT_EQ(items[0]["errors"].size(), 1u);
  EXPECT_EQ(items[0]["errors"][0]["line_no"], 2);
  EXPECT_EQ(items[0]["errors"][0]["field"], "公的年金等収入金額");
  EXPECT_EQ(items[0]["errors"][0]["person_id"], "1000000001");
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001' AND action = 'read' AND resource = "
                  "'GET /api/v1/zeimu/files'"),
            1);
  auto all = staff.get("/api/v1/zeimu/files");
  ASSERT_TRUE(all);
  EXPECT_EQ(nlohmann::json::parse(all->body)["items"].size(), 3u);  // two requests, one refused file

  // 資格担当 may not.
  testing::ApiClient other(f.port());
  ASSERT_TRUE(other.login("eligibility_staff"));
  auto denied = other.get("/api/v1/zeimu/files");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
}

INSTANTIATE_TEST_SUITE_P(Db, ZeimuApiTest, ::testing::ValuesIn(kaigo::testing::backends()), kaigo::testing::backend_name);

INSTANTIATE_TEST_SUITE_P(Db, ZeimuLinkageTest, ::testing::ValuesIn(kaigo::testing::backends()),
                         kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo::premium::zeimu
