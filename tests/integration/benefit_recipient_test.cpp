// KY-03 受給者異動連絡票情報 over SQLite and PostgreSQL: the draft after a certification, a care
// plan and a co-payment rate (fields as the KY03 layout writes them), every pre-send check, a held
// record fixed and sent next time, the file through the kokuhoren channel as CP932, the same
// events never sent twice, and 訂正 (correct / delete).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "benefit/care_plan.hpp"
#include "benefit/kokuhoren_csv.hpp"
#include "benefit/recipient.hpp"
#include "benefit/restriction.hpp"
#include "benefit_recipient_fixture.hpp"
#include "core/cp932.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/folder_channel.hpp"

namespace kaigo {
namespace {

namespace fs = std::filesystem;
using certification::CareLevel;

class BenefitRecipient : public testing::BenefitRecipientFixture {
 protected:
  benefit::RecipientBuild build() {
    auto b = benefit::build_recipient_draft(*db, clock, recipient_ctx(), "tester");
    EXPECT_TRUE(b) << b.error().message;
    return b ? *b : benefit::RecipientBuild{};
  }
  std::vector<benefit::RecipientRecord> records(std::int64_t file_id) {
    std::vector<benefit::RecipientRecord> out;
    auto r = db->with_connection([&](store::Connection& c) -> Result<void> {
      auto x = benefit::recipient_file_records(c, file_id);
      if (!x) return std::unexpected(x.error());
      out = *x;
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return out;
  }
  const benefit::RecipientRecord* of(const std::vector<benefit::RecipientRecord>& recs, const std::string& person) {
    for (const auto& r : recs)
      if (r.person_id == person) return &r;
    return nullptr;
  }
  std::vector<std::string> causes(const benefit::RecipientRecord* r) {
    std::vector<std::string> out;
    if (r)
      for (const auto& k : r->check_causes) out.push_back(k.cause + "@" + k.field);
    return out;
  }
  // A certified (要介護2) person with a 居宅介護支援 plan and a 1割 rate.
  void full_recipient(const std::string& id, const std::string& kanji) {
    person(id, kanji);
    decide(apply(id), CareLevel::care_2, 6);  // 2026-11-02 … 2027-05-31
    auto plan = benefit::register_care_plan(*db, clock, *benefit_config, id,
                                            {"home_care", std::string(kOffice), clock.today(), Date(2026, 11, 2)}, "tester");
    ASSERT_TRUE(plan) << plan.error().message;
    rate(id, 1, "2026-11-02", "2027-07-31");
  }
  // A care_plan row as an older system would have left it (past the service's checks), with its event.
  void raw_plan(const std::string& id, const std::string& office, const std::string& from) {
    auto done = db->transaction([&](store::Connection& c) -> Result<void> {
      auto row = c.query_one(
          "INSERT INTO care_plan (person_id, plan_kind, office_no, notified_on, valid_from, status, recorded_at, recorded_by) "
          "VALUES ($1, 'home_care', $2, $3, $3, 'current', 'x', 'migration') RETURNING care_plan_id",
          {id, office, from});
      if (!row) return std::unexpected(row.error());
      auto e = benefit::add_recipient_event(c, clock, id, "care_plan", (*row)->i64(0));
      if (!e) return std::unexpected(e.error());
      return {};
    });
    ASSERT_TRUE(done) << done.error().message;
  }
};

TEST_P(BenefitRecipient, KY_03_DraftAfterGrantPlanAndRate_FieldsAsTheLayout_SentOnce) {
  full_recipient("1000002001", "受給 一郎");
  person("1000002002", "対象外 次郎");  // insured, no benefit business: not a recipient
  auto b = build();
  ASSERT_TRUE(b.file);
  EXPECT_EQ(b.file->status, "draft");
  EXPECT_EQ(b.file->record_count, 1);
  EXPECT_EQ(b.file->held_count, 0);
  EXPECT_GE(b.skipped, 1);
  const auto recs = records(b.file->file_id);
  ASSERT_EQ(recs.size(), 1u);
  const auto& r = recs[0];
  const std::string insured = text("SELECT insured_no FROM insured_number WHERE person_id = '1000002001'");
  EXPECT_EQ(r.change_kind, "new");
  EXPECT_EQ(r.check_status, "ok") << ::testing::PrintToString(causes(&r));
  EXPECT_EQ(r.change_date, "2026-11-02");
  std::map<std::string, std::string> want = {
      {"seq", "1"},           {"change_kind", "1"},         {"correction", "0"},          {"change_date", "20261102"},
      {"insurer_no", city->insurer_no}, {"insured_no", insured}, {"name_kana", "ニンテイ タロウ"}, {"birth_date", "19400501"},
      {"sex", "1"},           {"eligibility_from", "20050430"} /* the eve of the 65th birthday, 法10条 */, {"eligibility_to", ""},   {"care_level", "22"},
      {"cert_valid_from", "20261102"}, {"cert_valid_to", "20270531"}, {"monthly_cap_units", "19705"}, {"plan_kind", "1"},
      {"plan_office_no", kOffice}, {"plan_valid_from", "20261102"}, {"plan_valid_to", ""}, {"copayment_rate", "1"},
      {"rate_valid_from", "20261102"}, {"rate_valid_to", "20270731"}, {"restriction_kind", ""}, {"former_address", "0"}};
  for (const auto& [k, v] : want) EXPECT_EQ(r.fields.at(k), v) << k;
  // Every field of the layout's data record is there, no other.
  const auto* layout = benefit_config->layouts.find("KY03");
  ASSERT_TRUE(layout);
  EXPECT_EQ(r.fields.size(), layout->data.fields.size());

  auto sent = benefit::send_recipient_file(*db, clock, recipient_ctx(), b.file->file_id, "tester");
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->status, "sent");
  ASSERT_TRUE(sent->exchange_id);
  EXPECT_EQ(text("SELECT flow_id || '/' || counterpart FROM exchange WHERE exchange_id = $1", {*sent->exchange_id}), "KY-03/kokuhoren");
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_pending"), 0);
  // The payload parses back with the codec (every check of the layout) and encodes to CP932.
  const std::string payload = text("SELECT payload FROM exchange WHERE exchange_id = $1", {*sent->exchange_id});
  benefit::csv::ParseContext pc{city->insurer_no, [](std::string_view, std::string_view code) { return code == kOffice; }};
  auto parsed = benefit::csv::parse(benefit_config->layouts, payload, pc);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front().field << ": " << parsed.errors.front().message;
  EXPECT_EQ(parsed.file.data_count(), 1u);
  EXPECT_EQ(parsed.file.value(0, layout->data.index_of("insured_no")), insured);
  EXPECT_TRUE(cp932::encode(payload));
  // Sending twice: refused; building again: nothing new, nothing sent twice.
  EXPECT_FALSE(benefit::send_recipient_file(*db, clock, recipient_ctx(), b.file->file_id, "tester"));
  auto again = build();
  EXPECT_FALSE(again.file);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-03'"), 1);

  // A later change (a 給付制限) makes a change record of the same person, and only that.
  set_day(Date(2026, 12, 1));
  ASSERT_TRUE(benefit::register_restriction(*db, clock, "1000002001",
                                            {"reimbursement_only", Date(2026, 12, 1), std::nullopt, clock.today(), "保険料滞納 1年以上"},
                                            "tester"));
  auto next = build();
  ASSERT_TRUE(next.file);
  const auto changed = records(next.file->file_id);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].change_kind, "change");
  EXPECT_EQ(changed[0].fields.at("change_kind"), "2");
  EXPECT_EQ(changed[0].fields.at("restriction_kind"), "1");
  EXPECT_EQ(changed[0].fields.at("restriction_from"), "20261201");
}

TEST_P(BenefitRecipient, KY_03_EveryCheckCauseHoldsTheRecord) {
  // A care plan without a certification (self-made plans need no certification to register).
  person("1000002101", "原因 一");
  ASSERT_TRUE(benefit::register_care_plan(*db, clock, *benefit_config, "1000002101",
                                          {"self", std::nullopt, clock.today(), Date(2026, 11, 2)}, "tester"));
  // Certified category-1 person without a co-payment rate.
  person("1000002102", "原因 二");
  decide(apply("1000002102"), CareLevel::care_1, 6);
  // A plan office not in the office register.
  person("1000002103", "原因 三");
  decide(apply("1000002103"), CareLevel::care_1, 6);
  rate("1000002103", 1, "2026-11-02", "2027-07-31");
  raw_plan("1000002103", "1399999999", "2026-11-02");
  // A plan starting before the person was insured (eligible from 2000-04-01).
  person("1000002104", "原因 四");
  decide(apply("1000002104"), CareLevel::care_1, 6);
  rate("1000002104", 1, "2026-11-02", "2027-07-31");
  raw_plan("1000002104", kOffice, "1999-04-01");
  // A certification reaching before the eligibility period.
  full_recipient("1000002105", "原因 五");
  ASSERT_TRUE(db->exec("UPDATE care_certification SET valid_from = '1999-10-01' WHERE person_id = '1000002105'"));
  // Two current certifications overlapping.
  full_recipient("1000002106", "原因 六");
  auto change = applications->intake({"1000002106", "change", clock.today(), "home", "本人", std::nullopt, "状態の悪化"}, "tester");
  ASSERT_TRUE(change) << change.error().message;
  const std::int64_t second_app = change->row.application_id;
  ASSERT_TRUE(db->exec("INSERT INTO care_certification (person_id, application_id, care_level, valid_from, valid_to, certified_on, "
                       "monthly_cap_units, status, recorded_at) VALUES ('1000002106', $1, 'care_3', '2027-01-01', '2027-12-31', "
                       "'2026-11-02', 27048, 'current', 'x')",
                       {second_app}));
  // A name with a character the 国保連 file cannot carry (no CP932 code).
  full_recipient("1000002107", "原因 七");
  ASSERT_TRUE(db->exec("UPDATE person SET name_kana = '𠮷ダ タロウ' WHERE person_id = '1000002107'"));

  auto b = build();
  ASSERT_TRUE(b.file);
  const auto recs = records(b.file->file_id);
  using V = std::vector<std::string>;
  EXPECT_EQ(causes(of(recs, "1000002101")), (V{"certification_missing@care_level"}));
  EXPECT_EQ(causes(of(recs, "1000002102")), (V{"copayment_rate_missing@copayment_rate"}));
  EXPECT_EQ(causes(of(recs, "1000002103")), (V{"office_unknown@plan_office_no"}));
  EXPECT_EQ(causes(of(recs, "1000002104")), (V{"plan_outside_eligibility@plan_valid_from"}));
  EXPECT_EQ(causes(of(recs, "1000002105")), (V{"certification_outside_eligibility@cert_valid_from"}));
  EXPECT_EQ(causes(of(recs, "1000002106")), (V{"certification_overlap@cert_valid_from"}));
  ASSERT_TRUE(of(recs, "1000002107"));
  ASSERT_EQ(of(recs, "1000002107")->check_causes.size(), 1u);
  EXPECT_EQ(of(recs, "1000002107")->check_causes[0].cause, "field_invalid");
  EXPECT_EQ(b.file->held_count, 7);
  EXPECT_EQ(b.file->record_count, 0);
  // No message carries the person's data.
  for (const auto& r : recs)
    for (const auto& k : r.check_causes) {
      EXPECT_EQ(k.message.find(r.insured_no.empty() ? "\x01" : r.insured_no), std::string::npos);
      EXPECT_EQ(k.message.find("タロウ"), std::string::npos);
    }
  auto nothing = benefit::send_recipient_file(*db, clock, recipient_ctx(), b.file->file_id, "tester");
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().kind, ErrorKind::conflict);
}

TEST_P(BenefitRecipient, KY_03_HeldThenFixedThenSent_CrashBetweenBuildAndSendLosesNothing) {
  person("1000002201", "保留 一郎");
  decide(apply("1000002201"), CareLevel::care_1, 6);
  full_recipient("1000002202", "送付 二郎");
  auto first = build();
  ASSERT_TRUE(first.file);
  EXPECT_EQ(first.file->record_count, 1);
  EXPECT_EQ(first.file->held_count, 1);
  // The draft is dropped (as after a crash or a discard): both persons are still pending.
  auto rebuilt = build();
  ASSERT_TRUE(rebuilt.file);
  EXPECT_EQ(rebuilt.discarded_file_id, first.file->file_id);
  EXPECT_EQ(text("SELECT status FROM recipient_file WHERE file_id = $1", {first.file->file_id}), "discarded");
  EXPECT_EQ(rebuilt.file->record_count + rebuilt.file->held_count, 2);
  auto sent = benefit::send_recipient_file(*db, clock, recipient_ctx(), rebuilt.file->file_id, "tester");
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_pending"), 1);  // the held one
  // Fixed: the rate decided. The next draft has the held person, ok, as new.
  rate("1000002201", 2, "2026-11-02", "2027-07-31");
  auto fixed = build();
  ASSERT_TRUE(fixed.file);
  const auto recs = records(fixed.file->file_id);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].person_id, "1000002201");
  EXPECT_EQ(recs[0].check_status, "ok");
  EXPECT_EQ(recs[0].change_kind, "new");
  EXPECT_EQ(recs[0].fields.at("copayment_rate"), "2");
  ASSERT_TRUE(benefit::send_recipient_file(*db, clock, recipient_ctx(), fixed.file->file_id, "tester"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_pending"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-03'"), 2);
}

TEST_P(BenefitRecipient, KY_03_FileThroughTheKokuhorenChannelAsCp932) {
  full_recipient("1000002301", "国保連 一郎");
  auto b = build();
  ASSERT_TRUE(b.file);
  auto sent = benefit::send_recipient_file(*db, clock, recipient_ctx(), b.file->file_id, "tester");
  ASSERT_TRUE(sent) << sent.error().message;
  const fs::path dir = testing::scratch_dir("kokuhoren-out");
  linkage::ChannelSet channels;
  channels.bind("kokuhoren", std::make_shared<linkage::FolderChannel>("kokuhoren", dir, linkage::FileEncoding::cp932));
  linkage::Dispatcher dispatcher({});
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {*sent->exchange_id}), "sent");
  const std::string correlation = text("SELECT correlation_id FROM exchange WHERE exchange_id = $1", {*sent->exchange_id});
  const fs::path file = dir / "out" / ("KY-03_" + correlation + ".csv");
  ASSERT_TRUE(fs::exists(file)) << file;
  std::stringstream bytes;
  bytes << std::ifstream(file, std::ios::binary).rdbuf();
  benefit::csv::ParseContext pc{city->insurer_no, [](std::string_view, std::string_view code) { return code == kOffice; }};
  auto parsed = benefit::csv::parse_cp932(benefit_config->layouts, bytes.str(), pc);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front().field << ": " << parsed.errors.front().message;
  EXPECT_EQ(parsed.file.data_count(), 1u);
  EXPECT_EQ(parsed.file.control[static_cast<std::size_t>(parsed.file.layout->control.index_of("file_ref"))],
            fmt::format("KGJK-{}", b.file->file_id));
  // The CSV download is the same bytes.
  std::string text_again;
  ASSERT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
    auto t = benefit::recipient_file_text(c, clock, recipient_ctx(), b.file->file_id);
    if (!t) return std::unexpected(t.error());
    text_again = *t;
    return {};
  }));
  EXPECT_EQ(*cp932::encode(text_again), bytes.str());
}

TEST_P(BenefitRecipient, KY_03_CorrectionOfTheLastSentRecord) {
  full_recipient("1000002401", "訂正 一郎");
  auto b = build();
  ASSERT_TRUE(b.file);
  auto none = benefit::build_recipient_correction(*db, clock, recipient_ctx(), "1000002401", "correct", "tester");
  ASSERT_FALSE(none);  // nothing sent yet
  ASSERT_TRUE(benefit::send_recipient_file(*db, clock, recipient_ctx(), b.file->file_id, "tester"));
  const std::int64_t original = count("SELECT MAX(record_id) FROM recipient_record WHERE person_id = '1000002401'");
  // The rate was wrong: 2割. Corrected (訂正区分 1) from today's data, as of the original change date.
  ASSERT_TRUE(db->exec("UPDATE copayment_rate SET rate = 2 WHERE person_id = '1000002401'"));
  auto fix = benefit::build_recipient_correction(*db, clock, recipient_ctx(), "1000002401", "correct", "tester");
  ASSERT_TRUE(fix) << fix.error().message;
  EXPECT_EQ(fix->kind, "correction");
  auto recs = records(fix->file_id);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].correction, "correct");
  EXPECT_EQ(recs[0].corrects_record_id, original);
  EXPECT_EQ(recs[0].fields.at("correction"), "1");
  EXPECT_EQ(recs[0].fields.at("change_kind"), "1");
  EXPECT_EQ(recs[0].fields.at("change_date"), "20261102");
  EXPECT_EQ(recs[0].fields.at("copayment_rate"), "2");
  auto sent = benefit::send_recipient_file(*db, clock, recipient_ctx(), fix->file_id, "tester");
  ASSERT_TRUE(sent) << sent.error().message;
  const std::string payload = text("SELECT payload FROM exchange WHERE exchange_id = $1", {*sent->exchange_id});
  benefit::csv::ParseContext pc{city->insurer_no, [](std::string_view, std::string_view) { return true; }};
  auto parsed = benefit::csv::parse(benefit_config->layouts, payload, pc);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front().message;
  EXPECT_EQ(parsed.file.control[static_cast<std::size_t>(parsed.file.layout->control.index_of("correction_file"))], "1");
  // Then deleted (訂正区分 2): the corrected record as sent.
  auto del = benefit::build_recipient_correction(*db, clock, recipient_ctx(), "1000002401", "delete", "tester");
  ASSERT_TRUE(del) << del.error().message;
  auto drecs = records(del->file_id);
  ASSERT_EQ(drecs.size(), 1u);
  EXPECT_EQ(drecs[0].correction, "delete");
  EXPECT_EQ(drecs[0].fields.at("correction"), "2");
  EXPECT_EQ(drecs[0].fields.at("copayment_rate"), "2");
  EXPECT_EQ(drecs[0].corrects_record_id, count("SELECT MAX(record_id) FROM recipient_record WHERE file_id = $1", {fix->file_id}));
}

// 第2号 → 第1号: a person insured as category 2 since 40 (医療保険加入者, 法9条2号) who turned 65
// (category 1 from the eve of the birthday, 法9条1号 and 年齢計算ニ関スル法律) shortly before the
// certification. The pending date is the category-2 period's start (the register's oldest event);
// the new record moves to the certification's start and must describe the person there, in the
// category-1 period — not be held as a certification outside the (old) eligibility period.
TEST_P(BenefitRecipient, KY_03_NewRecordAfterCategory2To1_DescribesTheCategory1Period) {
  const std::string id = "1000002501";
  auto r = db->transaction([&](store::Connection& c) -> Result<void> {
    if (auto e = c.exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                        "ward_code, household_id, relation, registry_status, updated_at) VALUES ($1, '移行 一郎', "
                        "'イコウ イチロウ', '1961-10-15', '1', '1000001', 'みどり市中央区本町2丁目3番4号', '981', $2, "
                        "'世帯主', 'resident', '2026-01-01T00:00:00+09:00')",
                        {id, "H" + id});
        !e)
      return std::unexpected(e.error());
    const eligibility::ChangeSource src{"synthetic_city", std::nullopt, std::nullopt, "test", "fixture"};
    auto in = eligibility::record_address_fact(
        c, clock, id, eligibility::AddressFact{eligibility::AddressFactKind::move_in, Date(2000, 4, 1), std::nullopt, ""}, src);
    if (!in) return std::unexpected(in.error());
    auto m = eligibility::record_medical_insurance_gained(
        c, clock, id, eligibility::MedicalInsuranceGain{"kyokai_kenpo", "01130012", Date(2000, 4, 1)}, src);
    if (!m) return std::unexpected(m.error());
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(text("SELECT category || ':' || acquired_on || ':' || COALESCE(lost_on, '') FROM eligibility_period "
                 "WHERE person_id = $1 AND period_no = 1",
                 {id}),
            "2:2001-10-14:2026-10-14");
  ASSERT_EQ(text("SELECT category || ':' || acquired_on FROM eligibility_period WHERE person_id = $1 AND period_no = 2", {id}),
            "1:2026-10-14");
  decide(apply(id), CareLevel::care_2, 6);  // 2026-11-02 … 2027-05-31
  ASSERT_TRUE(benefit::register_care_plan(*db, clock, *benefit_config, id,
                                          {"home_care", std::string(kOffice), clock.today(), Date(2026, 11, 2)}, "tester"));
  rate(id, 1, "2026-11-02", "2027-07-31");

  auto b = build();
  ASSERT_TRUE(b.file);
  const auto recs = records(b.file->file_id);
  const auto* rec = of(recs, id);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->check_status, "ok") << ::testing::PrintToString(causes(rec));
  EXPECT_EQ(rec->change_kind, "new");
  EXPECT_EQ(rec->change_date, "2026-11-02");
  EXPECT_EQ(rec->fields.at("eligibility_from"), "20261014");
  EXPECT_EQ(rec->fields.at("eligibility_to"), "");
  EXPECT_EQ(rec->fields.at("cert_valid_from"), "20261102");
  EXPECT_EQ(rec->fields.at("copayment_rate"), "1");
  EXPECT_EQ(b.file->held_count, 0);
  EXPECT_EQ(b.file->record_count, 1);

  // Without a rate a category-1 person is still held for it (the check reads the category-1 period).
  ASSERT_TRUE(db->exec("UPDATE copayment_rate SET status = 'superseded' WHERE person_id = $1", {id}));
  auto again = build();  // the draft is rebuilt from the same pending person
  ASSERT_TRUE(again.file);
  using V = std::vector<std::string>;
  EXPECT_EQ(causes(of(records(again.file->file_id), id)), (V{"copayment_rate_missing@copayment_rate"}));
}

INSTANTIATE_TEST_SUITE_P(Db, BenefitRecipient, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo
