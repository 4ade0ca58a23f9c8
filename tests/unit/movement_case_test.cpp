// Counter cases (SK-01), the pure parts: movement kinds, the checklist table and its validation,
// and reading the 番号連携 answers a case applies (SK-05, 09, 11, 13, 15).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <algorithm>

#include "eligibility/movement_case_answers.hpp"
#include "eligibility/movement_case_checklist.hpp"
#include "eligibility/movement_case_kinds.hpp"

namespace kaigo::eligibility {
namespace {

const std::string kConfigDir = (std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "config").string();

std::vector<std::string> codes(const std::vector<ChecklistItem>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.item);
  return out;
}

TEST(MovementCaseKinds, SK_01_EveryKindHasACodeALabelAndParsesBack) {
  for (MovementKind k : all_movement_kinds()) {
    auto back = parse_movement_kind(to_code(k));
    ASSERT_TRUE(back) << to_code(k);
    EXPECT_EQ(*back, k);
    EXPECT_FALSE(label(k).empty());
    // A kind either writes an address fact or says why it changes nothing.
    EXPECT_TRUE(address_fact_for(k).has_value() || !no_fact_reason(k).empty()) << to_code(k);
  }
  auto bad = parse_movement_kind("moving_in");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(bad.error().field, "movement_kind");
}

TEST(MovementCaseKinds, SK_01_WhatCompletingEachKindRecords) {
  EXPECT_EQ(address_fact_for(MovementKind::move_in), AddressFactKind::move_in);            // 法10条2号
  EXPECT_EQ(address_fact_for(MovementKind::certificate_move_in), AddressFactKind::move_in);
  EXPECT_EQ(address_fact_for(MovementKind::move_out), AddressFactKind::move_out);          // 法11条1項
  EXPECT_EQ(address_fact_for(MovementKind::emigration), AddressFactKind::emigration);
  EXPECT_EQ(address_fact_for(MovementKind::death), AddressFactKind::death);
  EXPECT_FALSE(address_fact_for(MovementKind::relocation));
  EXPECT_FALSE(address_fact_for(MovementKind::name_change));
  EXPECT_FALSE(address_fact_for(MovementKind::household_change));
  EXPECT_FALSE(address_fact_for(MovementKind::birth));  // 法9条: under 40, never insured
  EXPECT_TRUE(allows_newcomer(MovementKind::move_in));
  EXPECT_TRUE(allows_newcomer(MovementKind::birth));
  EXPECT_FALSE(allows_newcomer(MovementKind::death));
  EXPECT_TRUE(may_be_in_future(MovementKind::move_out));  // 転出予定日
  EXPECT_FALSE(may_be_in_future(MovementKind::death));
}

TEST(MovementCaseKinds, SK_01_NotifierIsOneOfThree) {
  EXPECT_TRUE(parse_notifier("本人"));
  EXPECT_TRUE(parse_notifier("世帯員"));
  EXPECT_TRUE(parse_notifier("代理人"));
  auto bad = parse_notifier("友人");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "notifier");
}

TEST(MovementChecklists, SK_01_TheShippedTableLoadsAndCoversEveryKind) {
  auto t = MovementChecklists::load(kConfigDir);
  ASSERT_TRUE(t) << t.error().message;
  for (MovementKind k : all_movement_kinds()) EXPECT_FALSE(t->all_items(k).empty()) << to_code(k);
  const Date moved(2026, 4, 1);
  // 70 on the movement date: no category-2 medical insurance check, a card.
  auto old = codes(t->items_for(MovementKind::move_in, Date(1956, 1, 10), moved));
  EXPECT_EQ(old, (std::vector<std::string>{"identity", "former_city_address", "certificate", "former_address_rule",
                                           "public_assistance", "card"}));
  // 50: the medical insurance decides category 2 (法9条2号); no card unless asked.
  auto mid = codes(t->items_for(MovementKind::move_in, Date(1976, 1, 10), moved));
  EXPECT_NE(std::find(mid.begin(), mid.end(), "medical_insurance"), mid.end());
  EXPECT_EQ(std::find(mid.begin(), mid.end(), "card"), mid.end());
  // 30: only the checks every mover gets.
  EXPECT_EQ(codes(t->items_for(MovementKind::move_in, Date(1996, 1, 10), moved)),
            (std::vector<std::string>{"identity", "former_city_address"}));
  // A newcomer not yet in the registry copy: every item.
  EXPECT_EQ(t->items_for(MovementKind::move_in, std::nullopt, moved).size(), t->all_items(MovementKind::move_in).size());
  // The SK-04 item is ticked by the city_resident answer.
  for (const auto& i : t->all_items(MovementKind::move_in)) {
    if (i.item == "former_city_address") {
      EXPECT_EQ(i.satisfied_by, "city_resident");
    }
  }
}

class ChecklistFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("kaigo-checklist-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                                    "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  // The shipped table with `extra` appended.
  Result<MovementChecklists> load_with(const std::string& extra) {
    std::ifstream in(std::filesystem::path(kConfigDir) / "codes" / "movement_checklists.tsv");
    std::stringstream s;
    s << in.rdbuf();
    const std::string shipped = s.str();
    appended_line = static_cast<int>(std::count(shipped.begin(), shipped.end(), '\n')) + 1;
    s << extra;
    std::ofstream(dir / "movement_checklists.tsv") << s.str();
    return MovementChecklists::load_files((dir / "movement_checklists.tsv").string(),
                                         (std::filesystem::path(kConfigDir) / "codes" / "inquiry_kinds.tsv").string());
  }
  std::filesystem::path dir;
  int appended_line = 0;
};

TEST_F(ChecklistFileTest, SK_01_UnknownInquiryKindIsRefusedNamingLineAndField) {
  auto t = load_with("move_in\textra\t何か\tcity_weather\tall\n");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().field, "satisfied_by");
  EXPECT_NE(t.error().message.find("city_weather"), std::string::npos) << t.error().message;
  EXPECT_NE(t.error().message.find(":" + std::to_string(appended_line) + ":"), std::string::npos) << t.error().message;
}

TEST_F(ChecklistFileTest, SK_01_KindsTheCaseCannotApplyAndOtherMistakesAreRefused) {
  auto tax = load_with("move_in\ttax\t所得\tcity_local_tax\tall\n");  // configured, but a case does not apply it
  ASSERT_FALSE(tax);
  EXPECT_EQ(tax.error().field, "satisfied_by");
  auto kind = load_with("moving\tx\tX\t-\tall\n");
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().field, "movement_kind");
  auto dup = load_with("move_in\tidentity\tもう一度\t-\tall\n");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().field, "item");
  auto ages = load_with("move_in\tx\tX\t-\tage_75_plus\n");
  ASSERT_FALSE(ages);
  EXPECT_EQ(ages.error().field, "applies_to");
  auto cols = load_with("move_in\tx\tX\t-\n");
  ASSERT_FALSE(cols);
  EXPECT_EQ(cols.error().field, "columns");
}

TEST(MovementCaseAnswers, SK_04_05_ResidentAnswerOfTheFormerCity) {
  auto a = parse_resident_answer(
      R"({"items":{"former_municipality_code":"141003","former_municipality_name":"神奈川県横浜市","name":"山田 太郎",)"
      R"("address":"横浜市本町1丁目","moved_out_on":"2026-03-31","relation":"世帯主",)"
      R"("household_members":[{"person_id":"1000000001","relation":"世帯主"},{"person_id":"1000000002","relation":"妻"}]},)"
      R"("null_reasons":{"moved_in_on":"保有なし","household_id":"保有なし"}})");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->former_municipality_code, "141003");
  EXPECT_EQ(a->moved_out_on, Date(2026, 3, 31));
  EXPECT_EQ(a->household_member_ids, (std::vector<std::string>{"1000000001", "1000000002"}));
  auto bad = parse_resident_answer(R"({"items":{"former_municipality_code":"14100","former_municipality_name":"x"}})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "answer.items.former_municipality_code");
  auto broken = parse_resident_answer("not json");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().field, "answer");
}

TEST(MovementCaseAnswers, SK_08_09_CertificateCareLevelsFromLabelsOrCodes) {
  auto a = parse_certificate_answer(
      R"({"items":{"former_insurer_no":"141003","former_insured_no":"0900000123","care_level":"要介護２",)"
      R"("certified_on":"2025-10-01","certified_from":"2025-10-01","certified_to":"2026-09-30"},"null_reasons":{}})");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->care_level, "care_2");  // full-width digit as printed on a certificate
  EXPECT_EQ(a->insurer_no, "141003");
  EXPECT_EQ(a->certified_to, Date(2026, 9, 30));
  EXPECT_EQ(*parse_care_level("要支援1", "f"), "support_1");
  EXPECT_EQ(*parse_care_level("非該当", "f"), "none");
  EXPECT_EQ(*parse_care_level("care_5", "f"), "care_5");
  EXPECT_EQ(parse_care_level("要介護6", "f").error().field, "f");
  auto reversed = parse_certificate_answer(
      R"({"items":{"former_insurer_no":"141003","care_level":"要介護1","certified_on":"2025-10-01",)"
      R"("certified_from":"2025-10-01","certified_to":"2025-09-30"}})");
  ASSERT_FALSE(reversed);
  EXPECT_EQ(reversed.error().field, "answer.items.certified_to");
}

TEST(MovementCaseAnswers, SK_10_11_FormerAddressRuleAndTheFacilityKindFromItsName) {
  auto none = parse_former_address_rule_answer(R"({"items":{"applies":false}})");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->applies);
  auto yes = parse_former_address_rule_answer(
      R"({"items":{"applies":true,"insurer_no":"141003","valid_from":"2026-04-01","facility_name":"介護老人保健施設 あおば苑"},)"
      R"("null_reasons":{"valid_to":"該当なし"}})");
  ASSERT_TRUE(yes) << yes.error().message;
  EXPECT_EQ(yes->valid_from, Date(2026, 4, 1));
  EXPECT_FALSE(yes->valid_to);
  auto missing = parse_former_address_rule_answer(R"({"items":{"applies":true,"facility_name":"x","valid_from":"2026-04-01"}})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "answer.items.insurer_no");
  // 法13条: the kinds by name; 特別養護 before 養護, 地域密着型 (excluded from the rule) before 特養.
  EXPECT_EQ(facility_kind_from_name("特別養護老人ホーム みどりの郷"), FacilityKind::special_nursing_home);
  EXPECT_EQ(facility_kind_from_name("養護老人ホーム さくら"), FacilityKind::protective_home);
  EXPECT_EQ(facility_kind_from_name("地域密着型特別養護老人ホーム はな"), FacilityKind::community_special_nursing_home);
  EXPECT_EQ(facility_kind_from_name("介護老人保健施設 あおば苑"), FacilityKind::geriatric_health_facility);
  EXPECT_EQ(facility_kind_from_name("有料老人ホーム ひだまり"), FacilityKind::paid_nursing_home);
  EXPECT_FALSE(facility_kind_from_name("ひまわり荘"));
}

TEST(MovementCaseAnswers, SK_12_13_MedicalInsuranceAndTheInsurerKindFromItsNumber) {
  auto a = parse_medical_insurance_answer(
      R"({"items":{"insurer_kind":"kyokai_kenpo","insurer_no":"01130012","acquired_on":"2010-04-01"},)"
      R"("null_reasons":{"lost_on":"該当なし","insured_symbol":"保有なし"}})");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->insurer_kind, "kyokai_kenpo");
  EXPECT_FALSE(a->lost_on);
  auto guessed = parse_medical_insurance_answer(
      R"({"items":{"insurer_no":"39141004","acquired_on":"2024-01-01","lost_on":"2026-04-01"}})");
  ASSERT_TRUE(guessed) << guessed.error().message;
  EXPECT_EQ(guessed->insurer_kind, "koki");
  EXPECT_EQ(guessed->lost_on, Date(2026, 4, 1));
  EXPECT_EQ(insurer_kind_from_number("141003"), "kokuho");
  EXPECT_EQ(insurer_kind_from_number("06130011"), "kumiai");
  EXPECT_EQ(insurer_kind_from_number("31130011"), "kyosai");
  EXPECT_FALSE(insurer_kind_from_number("99999999"));
  auto backwards = parse_medical_insurance_answer(
      R"({"items":{"insurer_kind":"kokuho","insurer_no":"141003","acquired_on":"2026-04-01","lost_on":"2026-03-01"}})");
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().field, "answer.items.lost_on");
}

TEST(MovementCaseAnswers, SK_14_15_PublicAssistance) {
  auto a = parse_public_assistance_answer(
      R"({"items":{"assistance_kind":"repatriate","assistance_name":"中国残留邦人等支援給付","started_on":"2020-05-01"},)"
      R"("null_reasons":{"ended_on":"該当なし"}})");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->assistance_kind, "repatriate");
  EXPECT_EQ(a->started_on, Date(2020, 5, 1));
  EXPECT_FALSE(a->ended_on);
  auto bad = parse_public_assistance_answer(R"({"items":{"assistance_kind":"pension","started_on":"2020-05-01"}})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "answer.items.assistance_kind");
}

TEST(MovementCaseAnswers, SK_04_15_OnlyTheFiveCaseKindsWithTheirFlows) {
  ASSERT_EQ(case_inquiry_kinds().size(), 5u);
  EXPECT_EQ(case_inquiry_kind("city_resident")->request_flow, "SK-04");
  EXPECT_EQ(case_inquiry_kind("iryo_insurance")->request_flow, "SK-12");  // not NT-02
  EXPECT_EQ(case_inquiry_kind("pref_public_assistance")->answer_flow, "SK-15");
  EXPECT_EQ(case_inquiry_kind("city_local_tax"), nullptr);
}

}  // namespace
}  // namespace kaigo::eligibility
