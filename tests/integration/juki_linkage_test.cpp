// 住民基本台帳 linkage on SQLite and PostgreSQL: SK-16 difference files (every kind, duplicates,
// unknown persons, out-of-order movements, a bad file refused whole and recorded for staff), the
// full load (reconciliation, resumable chunks), SK-02/03 through the registry simulator, SK-18,
// and the registry simulator living simulated months over a real folder channel.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/hash.hpp"
#include "eligibility/juki_service.hpp"
#include "eligibility/register.hpp"
#include "eligibility/rules.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/folder_channel.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "sim/juki/registry_sim.hpp"
#include "test_db.hpp"

namespace kaigo::eligibility::juki {
namespace {

namespace fs = std::filesystem;

const std::string kDiffHeader =
    "異動番号,異動事由,異動日,届出日,宛名番号,世帯番号,氏名,氏名カナ,生年月日,性別,続柄,郵便番号,住所,区コード,"
    "前住所市町村コード,前住所市町村名,転出先転入日\n";

struct Line {
  std::string id, kind, date, person = "2000000001", birth = "19560510", address = "神奈川県みどり市中央区本町1丁目1番1号",
                                      former_code = "", former_name = "", new_on = "", name = "佐藤 花子",
                                      kana = "サトウ ハナコ";
};
std::string line(const Line& l) {
  return l.id + "," + l.kind + "," + l.date + "," + l.date + "," + l.person + ",7100000001," + l.name + "," + l.kana + "," +
         l.birth + ",2,世帯主,2910100," + l.address + ",981," + l.former_code + "," + l.former_name + "," + l.new_on + "\n";
}
Line move_in(std::string id, std::string date) {
  Line l{std::move(id), "01", std::move(date)};
  l.former_code = "141003";
  l.former_name = "神奈川県横浜市";
  return l;
}

class JukiLinkageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    const people::MyNumberVault vault(random_bytes(32));
    auto city = sim::generate_city(*db, vault, sim::CityOptions{120, 3, Date(2026, 4, 1), "test"});
    ASSERT_TRUE(city) << city.error().message;
  }

  linkage::InboundResult receive(const std::string& payload, const std::string& name = "SK-16_test.csv") {
    linkage::InboundMessage m{"SK-16", "juki", payload, "text/csv", std::nullopt, "", {}, "file " + name + " from juki",
                              "channel:test"};
    auto r = linkage::receive_inbound(*db, clock, m, registry_file_handler(clock));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : linkage::InboundResult{};
  }
  Load load_of(std::int64_t exchange_id) {
    Load out;
    EXPECT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
      auto l = find_load_by_exchange(c, exchange_id);
      if (!l) return std::unexpected(l.error());
      if (!*l) return fail(ErrorKind::not_found, "no load");
      out = **l;
      return {};
    }));
    return out;
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
  RegisterView view(const std::string& person_id) {
    RegisterView out;
    EXPECT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
      auto v = load_register(c, person_id);
      if (!v) return std::unexpected(v.error());
      if (*v) out = **v;
      return {};
    }));
    return out;
  }
  std::vector<QuarantineItem> quarantine(const std::string& status = "open") {
    std::vector<QuarantineItem> out;
    EXPECT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
      auto q = list_quarantine(c, status, 100);
      if (!q) return std::unexpected(q.error());
      out = *q;
      return {};
    }));
    return out;
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 4, 20));
};

TEST_P(JukiLinkageTest, SK_16_DiffAppliesMovementsToPersonHistoryOriginAndRegister) {
  // A 69-year-old moves in: a new person with the registry's 宛名番号, where they came from, and a
  // category-1 period from the 転入日 (法10条2号).
  auto in = receive(kDiffHeader + line(move_in("M1", "20260402")));
  ASSERT_EQ(in.outcome, linkage::InboundOutcome::applied) << in.reason;
  EXPECT_EQ(text("SELECT registry_status FROM person WHERE person_id = '2000000001'"), "resident");
  EXPECT_EQ(text("SELECT recorded_by FROM person_history WHERE person_id = '2000000001' AND reason = 'move_in'"),
            "exchange:" + std::to_string(in.exchange_id));
  EXPECT_EQ(text("SELECT former_municipality_code FROM person_origin WHERE person_id = '2000000001'"), "141003");
  auto v = view("2000000001");
  ASSERT_EQ(v.periods.size(), 1u);
  EXPECT_EQ(v.periods[0].acquired_on, Date(2026, 4, 2));
  EXPECT_EQ(v.periods[0].category, InsuredCategory::category_1);
  EXPECT_EQ(v.periods[0].acquisition_reason, AcquisitionReason::move_in);
  ASSERT_EQ(v.facts.size(), 1u);
  EXPECT_EQ(v.facts[0].fact.registry_movement_id, "M1");
  EXPECT_EQ(v.facts[0].source_exchange_id, in.exchange_id);

  // A relocation changes the person only; a death ends the period the next day (法11条1項).
  Line reloc{"M2", "03", "20260410"};
  reloc.address = "神奈川県みどり市北区緑町2丁目3番4号";
  auto second = receive(kDiffHeader + line(reloc) + line(Line{"M3", "04", "20260415", "2000000001", "19560510",
                                                             reloc.address}));
  ASSERT_EQ(second.outcome, linkage::InboundOutcome::applied) << second.reason;
  EXPECT_EQ(text("SELECT address FROM person WHERE person_id = '2000000001'"), reloc.address);
  EXPECT_EQ(text("SELECT registry_status FROM person WHERE person_id = '2000000001'"), "deceased");
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_history WHERE person_id = '2000000001'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_history WHERE person_id = '2000000001' AND valid_to IS NULL"), 1);
  v = view("2000000001");
  ASSERT_EQ(v.periods.size(), 1u);
  EXPECT_EQ(v.periods[0].lost_on, Date(2026, 4, 16));
  EXPECT_EQ(v.periods[0].loss_reason, LossReason::death);
  const Load l = load_of(second.exchange_id);
  EXPECT_EQ(l.kind, "diff");
  EXPECT_EQ(l.status, "applied");
  EXPECT_EQ(l.applied, 2);
  EXPECT_EQ(l.file_name, "SK-16_test.csv");
  // A later relocation changes the address only: it does not make the person a resident again.
  Line after{"M4", "03", "20260418"};
  after.address = "神奈川県みどり市南区1丁目";
  ASSERT_EQ(receive(kDiffHeader + line(after), "SK-16_after.csv").outcome, linkage::InboundOutcome::applied);
  EXPECT_EQ(text("SELECT registry_status FROM person WHERE person_id = '2000000001'"), "deceased");
  EXPECT_EQ(text("SELECT address FROM person WHERE person_id = '2000000001'"), after.address);
  // The exchange lists the person, so it shows on their case.
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1 AND person_id = '2000000001'",
                  {second.exchange_id}),
            1);
}

TEST_P(JukiLinkageTest, SK_16_SameMovementTwiceChangesNothing) {
  const std::string file = kDiffHeader + line(move_in("M1", "20260402"));
  ASSERT_EQ(receive(file).outcome, linkage::InboundOutcome::applied);
  const auto history = count("SELECT COUNT(*) FROM person_history");
  const auto revisions = count("SELECT COUNT(*) FROM eligibility_revision");
  // The same file again: recognised by its hash.
  EXPECT_EQ(receive(file).outcome, linkage::InboundOutcome::already_applied);
  // Another file repeating movement M1 (and the same line twice inside it): skipped as duplicates.
  Line name{"M9", "07", "20260405"};
  name.name = "鈴木 花子", name.kana = "スズキ ハナコ";
  auto again = receive(kDiffHeader + line(move_in("M1", "20260402")) + line(name) + line(name), "SK-16_again.csv");
  ASSERT_EQ(again.outcome, linkage::InboundOutcome::applied) << again.reason;
  const Load l = load_of(again.exchange_id);
  EXPECT_EQ(l.duplicates, 2);
  EXPECT_EQ(l.applied, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_history"), history + 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_revision"), revisions);
  EXPECT_EQ(count("SELECT COUNT(*) FROM juki_movement WHERE movement_id = 'M1'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_origin WHERE person_id = '2000000001'"), 1);
}

TEST_P(JukiLinkageTest, SK_16_UnknownPersonQuarantinedOtherLinesApplied) {
  Line ghost{"M1", "02", "20260403", "9999999999"};
  ghost.new_on = "20260403";
  auto r = receive(kDiffHeader + line(ghost) + line(move_in("M2", "20260402")));
  ASSERT_EQ(r.outcome, linkage::InboundOutcome::applied) << r.reason;
  const Load l = load_of(r.exchange_id);
  EXPECT_EQ(l.applied, 1);
  EXPECT_EQ(l.quarantined, 1);
  auto open = quarantine();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].line_no, 2);
  EXPECT_EQ(open[0].field, "宛名番号");
  EXPECT_EQ(open[0].person_id, "9999999999");
  EXPECT_EQ(open[0].movement_id, "M1");
  EXPECT_NE(open[0].message.find("unknown person"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM person WHERE person_id = '9999999999'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM juki_movement WHERE movement_id = 'M1'"), 0);
  // Staff resolve it with a note.
  auto resolved = db->transaction([&](store::Connection& c) -> Result<void> {
    auto q = resolve_quarantine(c, clock, open[0].quarantine_id, "staff1", "住基に照会: 他市の宛名番号の誤送付");
    if (!q) return std::unexpected(q.error());
    EXPECT_EQ(q->status, "resolved");
    EXPECT_EQ(q->resolved_by, "staff1");
    auto twice = resolve_quarantine(c, clock, open[0].quarantine_id, "staff1", "again");
    EXPECT_FALSE(twice);
    if (!twice) {
      EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
    }
    return {};
  });
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_TRUE(quarantine().empty());
  EXPECT_EQ(quarantine("resolved").size(), 1u);
}

TEST_P(JukiLinkageTest, SK_16_OutOfOrderMovementsApplyByDate) {
  // Inside one file the relocation comes first but is later: sorted by 異動日, the 転入 applies first.
  Line reloc{"M2", "03", "20260420"};
  reloc.address = "神奈川県みどり市東区3丁目";
  auto first = receive(kDiffHeader + line(reloc) + line(move_in("M1", "20260410")));
  ASSERT_EQ(first.outcome, linkage::InboundOutcome::applied) << first.reason;
  EXPECT_EQ(load_of(first.exchange_id).applied, 2);
  EXPECT_EQ(load_of(first.exchange_id).out_of_order, 0);
  // A later file brings a name change dated before the relocation: applied by its date (history
  // in between), counted as out of order; the current row keeps the newer state.
  Line late{"M3", "07", "20260415"};
  late.name = "田中 花子", late.kana = "タナカ ハナコ";
  auto second = receive(kDiffHeader + line(late), "SK-16_late.csv");
  ASSERT_EQ(second.outcome, linkage::InboundOutcome::applied) << second.reason;
  EXPECT_EQ(load_of(second.exchange_id).out_of_order, 1);
  EXPECT_EQ(text("SELECT address FROM person WHERE person_id = '2000000001'"), reloc.address);
  auto rows = db->query(
      "SELECT valid_from, valid_to, reason, name_kanji FROM person_history WHERE person_id = '2000000001' "
      "ORDER BY valid_from");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].str(0), "2026-04-10");
  EXPECT_EQ((*rows)[0].str(1), "2026-04-15");
  EXPECT_EQ((*rows)[1].str(2), "name_change");
  EXPECT_EQ((*rows)[1].str(3), "田中 花子");
  EXPECT_EQ((*rows)[1].str(1), "2026-04-20");
  EXPECT_EQ((*rows)[2].str(0), "2026-04-20");
  EXPECT_TRUE((*rows)[2].is_null(1));
  // A late 転出 (dated before a 転出 already there would not be; here: a death reported late, dated
  // before the file's newest movement) still ends the period by its own date.
  auto death = receive(kDiffHeader + line(Line{"M4", "04", "20260418", "2000000001", "19560510", reloc.address}),
                       "SK-16_death.csv");
  ASSERT_EQ(death.outcome, linkage::InboundOutcome::applied) << death.reason;
  auto v = view("2000000001");
  ASSERT_EQ(v.periods.size(), 1u);
  EXPECT_EQ(v.periods[0].lost_on, Date(2026, 4, 19));
}

TEST_P(JukiLinkageTest, SK_16_BadFileRefusedWholeAndRecordedForStaff) {
  const auto people = count("SELECT COUNT(*) FROM person");
  const auto history = count("SELECT COUNT(*) FROM person_history");
  std::string wide = line(Line{"M3", "03", "20260402", "1000000001"});
  wide.insert(wide.size() - 1, ",x");
  // A good line, a date that does not exist, a wrong column count: nothing applies.
  auto r = receive(kDiffHeader + line(move_in("M1", "20260402")) + line(move_in("M2", "20260230")) + wide);
  ASSERT_EQ(r.outcome, linkage::InboundOutcome::rejected);
  EXPECT_NE(r.reason.find("line 3, field 異動日"), std::string::npos) << r.reason;
  EXPECT_EQ(count("SELECT COUNT(*) FROM person"), people);
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_history"), history);
  EXPECT_EQ(count("SELECT COUNT(*) FROM juki_movement"), 0);

  auto recorded = record_rejected_files(*db, clock);
  ASSERT_TRUE(recorded);
  EXPECT_EQ(*recorded, 1);
  const Load l = load_of(r.exchange_id);
  EXPECT_EQ(l.status, "rejected");
  EXPECT_EQ(l.quarantined, 3);
  auto open = quarantine();
  ASSERT_EQ(open.size(), 3u);  // newest first: line 4's column count, line 3's 届出日 and 異動日
  EXPECT_EQ(open[2].line_no, 3);
  EXPECT_EQ(open[2].field, "異動日");
  EXPECT_EQ(open[1].line_no, 3);
  EXPECT_EQ(open[1].field, "届出日");
  EXPECT_EQ(open[0].line_no, 4);
  EXPECT_EQ(open[0].field, "(列数)");
  // Recorded once.
  auto again = record_rejected_files(*db, clock);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
}

TEST_P(JukiLinkageTest, SK_16_FullLoadReconcilesInResumableChunks) {
  auto exported = sim::juki::full_load_file(*db);
  ASSERT_TRUE(exported) << exported.error().message;
  auto parsed = parse_juki_file(*exported);
  ASSERT_TRUE(parsed.file) << summarize(parsed);
  auto rows = parsed.file->rows;
  ASSERT_EQ(rows.size(), 120u);
  // The registry: one resident left out, one died, one newcomer (aged 70) — and kaigo holds two
  // stale addresses that the load corrects.
  const std::string missing = rows[10].person.person_id;
  rows.erase(rows.begin() + 10);
  const std::string died = rows[20].person.person_id;
  rows[20].status = RegistryStatus::deceased;
  rows[20].status_date = Date(2026, 4, 5);
  FullRow added = rows.back();
  added.person.person_id = "2000000001";
  added.person.birth_date = Date(1956, 1, 10);
  added.status_date = Date(2026, 3, 1);
  rows.push_back(added);
  ASSERT_TRUE(db->exec("UPDATE person SET address = 'stale' WHERE person_id IN ($1, $2)",
                       {rows[30].person.person_id, rows[40].person.person_id}));
  const std::string file = write_full_file(rows);
  const auto history = count("SELECT COUNT(*) FROM person_history");

  auto r = receive(file, "SK-16_full.csv");
  ASSERT_EQ(r.outcome, linkage::InboundOutcome::applied) << r.reason;
  EXPECT_EQ(load_of(r.exchange_id).status, "staged");
  EXPECT_EQ(count("SELECT COUNT(*) FROM juki_staging"), 120);
  // Two chunks of 50, then the process "dies"; the cursor says where to go on.
  auto part = apply_staged_full_loads(*db, clock, 50, 2);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->chunks, 2);
  Load mid = load_of(r.exchange_id);
  EXPECT_EQ(mid.status, "applying");
  auto rest = apply_staged_full_loads(*db, clock, 50);
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_EQ(rest->loads_finished, 1);
  const Load done = load_of(r.exchange_id);
  EXPECT_EQ(done.status, "applied");
  EXPECT_EQ(done.applied, 4);  // 1 added + 2 addresses + 1 death
  EXPECT_EQ(done.unchanged, 116);
  EXPECT_EQ(done.quarantined, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM juki_staging"), 0);
  // No duplicate and no gap: exactly one history row per changed or added person.
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_history"), history + 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM person WHERE address = 'stale'"), 0);
  EXPECT_EQ(text("SELECT registry_status FROM person WHERE person_id = $1", {died}), "deceased");
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_fact WHERE person_id = $1 AND kind = 'death'", {died}), 1);
  auto v = view("2000000001");
  ASSERT_EQ(v.periods.size(), 1u);
  EXPECT_EQ(v.periods[0].acquired_on, Date(2026, 3, 1));
  // The person the registry no longer lists is reported, not deleted.
  auto open = quarantine();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].person_id, missing);
  EXPECT_EQ(text("SELECT registry_status FROM person WHERE person_id = $1", {missing}), "resident");

  // The same registry state again (another file): everything unchanged, nothing written.
  const auto revisions = count("SELECT COUNT(*) FROM eligibility_revision");
  auto again = receive(file + "\n", "SK-16_full2.csv");
  ASSERT_EQ(again.outcome, linkage::InboundOutcome::applied);
  ASSERT_TRUE(apply_staged_full_loads(*db, clock, 50));
  EXPECT_EQ(load_of(again.exchange_id).applied, 0);
  EXPECT_EQ(load_of(again.exchange_id).unchanged, 120);
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_history"), history + 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM eligibility_revision"), revisions);
}

TEST_P(JukiLinkageTest, SK_02_03_RegistryInquiryAnsweredBySimulatorUpdatesWhatDiffers) {
  linkage::ChannelSet channels;
  auto sim_channel = std::make_shared<linkage::SimulatorChannel>("juki");
  channels.bind("juki", sim_channel);
  sim::juki::RegistrySim registry(*db, sim_channel.get(), 11, sim::juki::RegistryOptions{Date(2026, 4, 2), 0});
  // The registry moves on; kaigo has not taken its files in (they are dropped here), so for a
  // relocated person kaigo's copy is stale and the SK-03 answer must correct it.
  auto days = registry.advance_days(60);
  ASSERT_TRUE(days) << days.error().message;
  auto pending = sim_channel->poll();
  ASSERT_TRUE(pending);
  std::string person, address;
  for (const auto& env : *pending) {
    auto p = parse_juki_file(env.message.payload);
    ASSERT_TRUE(p.file) << summarize(p);
    for (const auto& m : p.file->movements)
      if (m.kind == RegistryMovementKind::relocation && m.person.person_id < "2000000000")
        person = m.person.person_id, address = m.person.address;
  }
  ASSERT_FALSE(person.empty()) << "60 simulated days of 120 people brought no relocation; change the seed";
  for (const auto& env : *pending) ASSERT_TRUE(sim_channel->settle(env, ""));  // kaigo has not taken them in
  ASSERT_NE(text("SELECT address FROM person WHERE person_id = $1", {person}), address);

  std::int64_t request = 0;
  ASSERT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
    auto r = request_registry_record(c, clock, person, "staff1");
    if (!r) return std::unexpected(r.error());
    request = r->exchange_id;
    return {};
  }));
  linkage::Dispatcher dispatcher(juki_inbound_handlers(clock));
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(report->applied, 1);
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {request}), "applied");
  EXPECT_EQ(text("SELECT address FROM person WHERE person_id = $1", {person}), address);
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_history WHERE person_id = $1 AND reason = 'registry_inquiry'", {person}), 1);
  // Asking again: the register already agrees, nothing is written.
  ASSERT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
    auto r = request_registry_record(c, clock, person, "staff1");
    if (!r) return std::unexpected(r.error());
    return {};
  }));
  ASSERT_TRUE(dispatcher.run_once(*db, channels, clock));
  EXPECT_EQ(count("SELECT COUNT(*) FROM person_history WHERE person_id = $1 AND reason = 'registry_inquiry'", {person}), 1);
  // An unknown person cannot be asked about.
  ASSERT_FALSE(db->transaction([&](store::Connection& c) -> Result<void> {
    auto r = request_registry_record(c, clock, "9999999999", "staff1");
    if (!r) return std::unexpected(r.error());
    return {};
  }));
}

TEST_P(JukiLinkageTest, SK_18_EligibilityChangesSentAsOneFileAndCursorMoves) {
  ASSERT_EQ(receive(kDiffHeader + line(move_in("M1", "20260402"))).outcome, linkage::InboundOutcome::applied);
  ASSERT_EQ(receive(kDiffHeader + line(Line{"M2", "04", "20260410"}), "SK-16_b.csv").outcome,
            linkage::InboundOutcome::applied);
  auto sent = send_eligibility_changes(*db, clock);
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_TRUE(sent->exchange_id);
  EXPECT_EQ(sent->events, 2);
  const std::string payload = text("SELECT payload FROM exchange WHERE exchange_id = $1", {*sent->exchange_id});
  const std::string insured = text("SELECT insured_no FROM insured_number WHERE person_id = '2000000001'");
  ASSERT_FALSE(insured.empty());
  EXPECT_EQ(payload,
            "被保険者番号,宛名番号,異動区分,異動日,被保険者区分,事由コード,事由\n" +
                insured + ",2000000001,取得,20260402,1,move_in,転入\n" +
                insured + ",2000000001,喪失,20260411,1,death,死亡\n");
  EXPECT_EQ(text("SELECT flow_id || ' ' || counterpart || ' ' || content_type FROM exchange WHERE exchange_id = $1",
                  {*sent->exchange_id}),
            "SK-18 juki text/csv");
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'SK-18'"),
            count("SELECT MAX(event_id) FROM eligibility_event"));
  // Nothing new: no file.
  auto none = send_eligibility_changes(*db, clock);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->exchange_id);
  EXPECT_EQ(none->events, 0);

  // Through the registry simulator: it receives the file.
  linkage::ChannelSet channels;
  auto sim_channel = std::make_shared<linkage::SimulatorChannel>("juki");
  channels.bind("juki", sim_channel);
  sim::juki::RegistrySim registry(*db, sim_channel.get(), 5);
  linkage::Dispatcher dispatcher(juki_inbound_handlers(clock));
  ASSERT_TRUE(dispatcher.run_once(*db, channels, clock));
  ASSERT_EQ(registry.eligibility_files().size(), 1u);
  EXPECT_EQ(registry.eligibility_files()[0], payload);
}

TEST_P(JukiLinkageTest, SK_16_RegistryDiffOverFolderChannelForSimulatedMonths) {
  const fs::path dir = testing::scratch_dir("juki-folder");
  linkage::ChannelSet channels;
  channels.bind("juki", std::make_shared<linkage::FolderChannel>("juki", dir));
  // Three movements a day, so that a city of 120 sees newcomers aged 64 in four months.
  sim::juki::RegistrySim registry(*db, nullptr, 21, sim::juki::RegistryOptions{Date(2026, 4, 1), 3});
  registry.write_to_folder(dir);
  auto lived = registry.advance_days(120);
  ASSERT_TRUE(lived) << lived.error().message;
  ASSERT_GT(lived->files, 0);
  // A bad file dropped beside them is refused whole and recorded for staff.
  std::ofstream(dir / "in" / "SK-16_zz_broken.csv") << kDiffHeader << line(move_in("X1", "20261301"));

  linkage::Dispatcher dispatcher(juki_inbound_handlers(clock));
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->applied, lived->files);
  EXPECT_EQ(report->rejected, 1);
  auto jobs = run_juki_jobs(*db, clock);
  ASSERT_TRUE(jobs);
  EXPECT_EQ(jobs->rejected_recorded, 1);
  EXPECT_TRUE(fs::exists(dir / "quarantine" / "SK-16_zz_broken.csv.reason.txt"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM juki_load WHERE status = 'applied'"), lived->files);
  int moves = 0;
  for (const auto& [kind, n] : lived->counts) moves += n;
  EXPECT_EQ(count("SELECT COUNT(*) FROM juki_movement"), moves);
  EXPECT_EQ(count("SELECT COUNT(*) FROM juki_quarantine WHERE line_no > 0 AND field = '宛名番号'"), 0);

  // Newcomers who were 64 at their 転入 and turned 65 inside the simulated window became
  // category 1 on the day before their 65th birthday (民法 age rule) with no typing.
  auto movers = db->query("SELECT m.person_id, p.birth_date, m.movement_date FROM juki_movement m JOIN person p "
                          "ON p.person_id = m.person_id WHERE m.kind = 'move_in' ORDER BY m.person_id");
  ASSERT_TRUE(movers);
  int crossed = 0;
  for (const auto& r : *movers) {
    const Date birth = *Date::parse(r.str(1)), moved = *Date::parse(r.str(2));
    const Date turns = date_reaching(birth, 65);
    if (moved.age_of(birth) != 64 || turns > Date(2026, 7, 29)) continue;
    auto v = view(r.str(0));
    if (v.facts.size() != 1) continue;  // moved out or died again inside the window
    ASSERT_FALSE(v.periods.empty()) << r.str(0);
    EXPECT_EQ(v.periods.front().acquired_on, turns);
    EXPECT_EQ(v.periods.front().category, InsuredCategory::category_1);
    EXPECT_EQ(v.periods.front().acquisition_reason, AcquisitionReason::reaching_65);
    ++crossed;
  }
  EXPECT_GT(crossed, 0) << "no newcomer crossed 65 in the window; change the seed";
  // The files were settled: nothing is offered again.
  auto second = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->applied + second->duplicates + second->rejected, 0);
}

INSTANTIATE_TEST_SUITE_P(Db, JukiLinkageTest, ::testing::ValuesIn(kaigo::testing::backends()),
                         kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo::eligibility::juki
