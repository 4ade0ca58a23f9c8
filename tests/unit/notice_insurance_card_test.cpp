// SK-17 insurance card (被保険者証): the card's contents per rules.md §1 read back from the PDF
// with pdftotext, reissue, a new 65-year-old without certification, a batch print file of 50
// pages, validation of the numbers and of the form's row counts.
#include <gtest/gtest.h>

#include "support/poppler.hpp"

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <unistd.h>

#include "notice/insurance_card.hpp"

namespace {

using namespace kaigo::notice;
using kaigo::testing::has_field;
using kaigo::testing::have;
using kaigo::testing::run;
using kaigo::Date;


// A new category-1 insured: turned 65, no certification yet.
InsuranceCardData new_65() {
  InsuranceCardData c;
  c.insured_no = "0000123456";
  c.address = "みどり市中央一丁目2番3号 みどりハイツ101";
  c.name_kana = "タカサキ　ハナコ";
  c.name = "髙﨑　花子";
  c.birth_date = Date(1960, 4, 2);
  c.sex = Sex::female;
  c.issued_on = Date(2025, 4, 1);
  c.insurer_no = "123456";
  c.insurer_name = "みどり市";
  return c;
}

InsuranceCardData certified() {
  InsuranceCardData c = new_65();
  c.care_level = "要介護２";
  c.certified_on = Date(2025, 6, 10);
  c.validity_period = DatePeriod{Date(2025, 6, 1), Date(2026, 5, 31)};
  c.monthly_benefit_cap_units = 19705;
  c.benefit_cap_period = DatePeriod{Date(2025, 6, 1), Date(2026, 5, 31)};
  c.committee_remarks = "通所リハビリテーションの利用が望ましい。";
  c.benefit_restrictions.push_back({"償還払い", Date(2025, 7, 1), Date(2026, 6, 30)});
  c.care_plan_offices.push_back({"みどり居宅介護支援センター", Date(2025, 6, 20)});
  c.facilities.push_back({"介護老人保健施設", "みどりの丘", Date(2025, 8, 1), std::nullopt});
  return c;
}

std::string text_of(const std::filesystem::path& file) {
  return run("pdftotext -layout " + file.string() + " -");
}

TEST(InsuranceCard, SK17_ShowsTheCardContentsAsExtractableText) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const auto file = kaigo::testing::temp_pdf("card_one");
  auto w = PdfWriter::open(file, PdfMetadata{"介護保険被保険者証", ""});
  ASSERT_TRUE(w) << w.error().message;
  ASSERT_TRUE(render_insurance_card(*w, certified()));
  auto summary = w->finish();
  ASSERT_TRUE(summary);
  EXPECT_TRUE(summary->substitutions.empty());
  const std::string text = text_of(file);
  for (const char* s : {"介護保険被保険者証", "0000123456", "髙﨑", "花子", "タカサキ", "昭和35年4月2日",
                        "女", "令和7年4月1日", "123456", "みどり市", "要介護２", "令和7年6月10日",
                        "令和7年6月1日～令和8年5月31日", "19,705単位", "通所リハビリテーション", "償還払い",
                        "みどり居宅介護支援センター", "令和7年6月20日", "介護老人", "みどりの丘",
                        "令和7年8月1日", "届出年月日", "認定の有効期間"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  }
  EXPECT_EQ(text.find("再交付の理由"), std::string::npos);
  std::filesystem::remove(file);
}

TEST(InsuranceCard, SK17_Reissue_PrintsSaikofuAndTheReason) {
  if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const auto file = kaigo::testing::temp_pdf("card_reissue");
  InsuranceCardData c = new_65();
  c.reissue_reason = "紛失";
  auto w = PdfWriter::open(file, PdfMetadata{"介護保険被保険者証", ""});
  ASSERT_TRUE(w);
  ASSERT_TRUE(render_insurance_card(*w, c));
  ASSERT_TRUE(w->finish());
  const std::string text = text_of(file);
  EXPECT_NE(text.find("再交付"), std::string::npos);
  EXPECT_NE(text.find("再交付の理由：紛失"), std::string::npos) << text;
  std::filesystem::remove(file);
}

TEST(InsuranceCard, SK17_New65WithoutCertificationPrintsEmptyCertificationBoxes) {
  auto doc = insurance_card_document(new_65());
  ASSERT_TRUE(doc) << doc.error().message;
  ASSERT_EQ(doc->pages.size(), 1u);
  const Page& p = doc->pages[0];
  EXPECT_DOUBLE_EQ(p.width_mm, 210);
  EXPECT_DOUBLE_EQ(p.height_mm, 297);
  for (const TextBlock& t : p.texts) {
    EXPECT_EQ(t.text.find("単位"), std::string::npos) << "a cap was printed without a certification";
    EXPECT_EQ(t.text.find("要介護２"), std::string::npos);
  }
}

TEST(InsuranceCard, SK17_BatchOf50CardsIsOnePrintFileOf50A4Pages) {
  std::vector<InsuranceCardData> cards;
  for (int i = 0; i < 50; ++i) {
    InsuranceCardData c = i % 2 ? certified() : new_65();
    c.insured_no = "00001" + std::to_string(10000 + i);
    cards.push_back(c);
  }
  const auto file = kaigo::testing::temp_pdf("card_batch");
  auto summary = write_insurance_cards(file, cards);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->pages, 50);
  if (have("pdfinfo")) {
    const std::string info = run("pdfinfo " + file.string());
    EXPECT_TRUE(has_field(info, "Pages", "50")) << info;
    EXPECT_NE(info.find("(A4)"), std::string::npos) << info;
    EXPECT_TRUE(has_field(info, "Creator", "kaigo")) << info;
  }
  if (have("pdftotext")) {
    const std::string last = run("pdftotext -f 50 -l 50 " + file.string() + " -");
    EXPECT_NE(last.find("0000110049"), std::string::npos) << last;
  }
  if (have("pdffonts")) {
    const std::string fonts = run("pdffonts " + file.string());
    EXPECT_NE(fonts.find("IPAexMincho"), std::string::npos);
    EXPECT_EQ(fonts.find(" no "), std::string::npos) << fonts;
  }
  std::filesystem::remove(file);
}

TEST(InsuranceCard, NumbersMustHaveTheirLengths) {
  InsuranceCardData c = new_65();
  c.insured_no = "123456789";
  auto r = insurance_card_document(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, kaigo::ErrorKind::invalid_input);
  EXPECT_EQ(r.error().field, "insured_no");
  c = new_65();
  c.insurer_no = "12345a";
  r = insurance_card_document(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "insurer_no");
}

TEST(InsuranceCard, MoreRowsThanTheFormHoldsAreRefusedNotCutOff) {
  InsuranceCardData c = certified();
  c.facilities.push_back({"介護老人福祉施設", "A", Date(2025, 9, 1), std::nullopt});
  c.facilities.push_back({"介護老人福祉施設", "B", Date(2025, 10, 1), std::nullopt});
  auto r = insurance_card_document(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "facilities");
}

TEST(InsuranceCard, ABatchNamesTheCardAtFaultAndWritesNothing) {
  std::vector<InsuranceCardData> cards = {new_65(), new_65()};
  cards[1].insurer_no = "1";
  const auto file = kaigo::testing::temp_pdf("card_badbatch");
  auto r = write_insurance_cards(file, cards);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "cards[1].insurer_no");
  EXPECT_FALSE(std::filesystem::exists(file));
}

}  // namespace
