// FK-11 保険料額決定通知書 / 変更通知書 over a real database: the notice of one person read back
// with pdftotext (stage, amount, the explanation, 教示), a revision noticed with the amount the
// person was last told, and the print run: every assessment noticed once, nothing twice.
#include <filesystem>

#include <gtest/gtest.h>

#include "people/city_profile.hpp"
#include "premium/premium_notice.hpp"
#include "premium_fixture.hpp"
#include "support/poppler.hpp"

namespace kaigo::premium {
namespace {

using testing::backend_name;
using testing::backends;

class PremiumNoticeTest : public PremiumFixture {
 protected:
  people::CityProfile city_{"149802", "みどり市", {{"981", "中央区"}}};
};

TEST_P(PremiumNoticeTest, FK_11_DecisionNoticeShowsStageAmountAndWhy) {
  if (!kaigo::testing::have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  couple(false);
  annual();
  auto notice = notice_for_person(*db_, city_, tables_, "P1", 2026, d("2026-11-24"), "tester");
  ASSERT_TRUE(notice) << notice.error().message;
  EXPECT_EQ(notice->kind, "decision");
  const std::string text = kaigo::testing::pdf_text(notice->pdf);
  EXPECT_NE(text.find("介護保険料額決定通知書"), std::string::npos) << text;
  EXPECT_NE(text.find("第1段階"), std::string::npos) << text;
  EXPECT_NE(text.find("21,280円"), std::string::npos) << text;
  EXPECT_NE(text.find("保険料段階の判定"), std::string::npos) << text;
  EXPECT_NE(text.find("賦課基準日"), std::string::npos) << text;
  EXPECT_NE(text.find("介護保険審査会"), std::string::npos) << text;  // 教示
  // A reprint records nothing new.
  auto again = notice_for_person(*db_, city_, tables_, "P1", 2026, d("2026-11-25"), "tester");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->notice_id, notice->notice_id);
}

TEST_P(PremiumNoticeTest, FK_11_RevisionNoticeShowsWhatThePersonWasLastTold) {
  if (!kaigo::testing::have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  couple(false);
  annual();
  ASSERT_TRUE(notice_for_person(*db_, city_, tables_, "P1", 2026, d("2026-07-10"), "tester"));
  add_tax("P2", true, 2000000, 2500000, 900000, "2026-08-01T09:00:00+09:00");
  ASSERT_TRUE(run_revisions(*db_, clock_, tables_, "tester"));
  auto notice = notice_for_person(*db_, city_, tables_, "P1", 2026, d("2026-11-24"), "tester");
  ASSERT_TRUE(notice) << notice.error().message;
  EXPECT_EQ(notice->kind, "revision");
  const std::string text = kaigo::testing::pdf_text(notice->pdf);
  EXPECT_NE(text.find("介護保険料額変更通知書"), std::string::npos) << text;
  EXPECT_NE(text.find("所得の更正"), std::string::npos) << text;
  EXPECT_NE(text.find("21,280円"), std::string::npos) << text;  // before
  EXPECT_NE(text.find("67,230円"), std::string::npos) << text;  // after
  EXPECT_NE(text.find("45,950円"), std::string::npos) << text;  // 増額
}

// The collection plan (FK-14/15, premium_instalment) is printed with the notice when it exists.
TEST_P(PremiumNoticeTest, FK_11_TheNoticeShowsTheCollectionPlan) {
  if (!kaigo::testing::have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  couple(false);
  annual();
  for (int n = 1; n <= 2; ++n)
    ASSERT_TRUE(db_->exec("INSERT INTO premium_instalment (person_id, fiscal_year, method, instalment_no, due_month, amount, "
                          "status, plan_revision, created_at, updated_at) VALUES ('P1', 2026, 'ordinary', $1, $2, $3, "
                          "'planned', 1, '2026-06-01T09:00:00+09:00', '2026-06-01T09:00:00+09:00')",
                          {std::int64_t{n}, std::string(n == 1 ? "2026-07" : "2026-08"), std::int64_t{n == 1 ? 10680 : 10600}}));
  auto notice = notice_for_person(*db_, city_, tables_, "P1", 2026, d("2026-11-24"), "tester");
  ASSERT_TRUE(notice) << notice.error().message;
  const std::string text = kaigo::testing::pdf_text(notice->pdf);
  EXPECT_NE(text.find("普通徴収"), std::string::npos) << text;
  EXPECT_NE(text.find("第1期"), std::string::npos) << text;
  EXPECT_NE(text.find("10,680円"), std::string::npos) << text;
  EXPECT_NE(text.find("令和8年7月"), std::string::npos) << text;
}

TEST_P(PremiumNoticeTest, FK_11_PrintRunNoticesEachAssessmentOnce) {
  couple(true);
  add_person("P3", "1940-01-15", "H3", "世帯主");
  register_everyone();
  annual();
  const auto dir = std::filesystem::path(kaigo::testing::scratch_dir("notices"));
  NoticeRunOptions o;
  o.fiscal_year = 2026;
  o.output_dir = dir;
  o.actor = "tester";
  o.notices_per_file = 2;
  auto run = run_premium_notices(*db_, clock_, city_, tables_, o);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->status, "done");
  EXPECT_EQ(run->decisions, 3);
  ASSERT_EQ(run->files.size(), 2u);  // 2 + 1 notices
  for (const auto& f : run->files) EXPECT_TRUE(std::filesystem::exists(f)) << f;
  if (kaigo::testing::have("pdfinfo")) {
    EXPECT_TRUE(kaigo::testing::has_field(kaigo::testing::run("pdfinfo " + run->files[0]), "Pages", "2"));
  }
  auto second = run_premium_notices(*db_, clock_, city_, tables_, o);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, "nothing_to_notice");
  auto rows = db_->query("SELECT COUNT(*), COUNT(DISTINCT assessment_id) FROM premium_notice");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->at(0).i64(0), 3);
  EXPECT_EQ(rows->at(0).i64(1), 3);
}

INSTANTIATE_TEST_SUITE_P(Db, PremiumNoticeTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::premium
