// SK-19 / SK-20: the welfare linkage's CSV layouts (docs/fukushi-layout.md). Every bad-input case
// names its line and its column; a file with any error yields no notices at all (nothing can be
// half-applied), and no message quotes a value.
#include <gtest/gtest.h>

#include "eligibility/fukushi_file.hpp"

namespace kaigo::eligibility::fukushi {
namespace {

const std::string kHeader = "通知番号,宛名番号,種別,異動区分,異動日,ケース番号\n";

std::string row(const std::string& no, const std::string& kind, const std::string& change, const std::string& on,
                const std::string& person = "1000000001", const std::string& case_no = "C-0001") {
  return no + "," + person + "," + kind + "," + change + "," + on + "," + case_no + "\n";
}

// Expects that the first error names this line and field, and that no notice came out.
void expect_error(const ParseOutcome& out, int line, const std::string& field) {
  ASSERT_FALSE(out.notices.has_value());
  ASSERT_FALSE(out.errors.empty());
  EXPECT_EQ(out.errors.front().line_no, line) << summarize(out);
  EXPECT_EQ(out.errors.front().field, field) << summarize(out);
}

TEST(FukushiFile, SK_19_LayoutParsesStartsAndEndsOfBothKinds) {
  const std::string text = "\xEF\xBB\xBF" + kHeader + row("N1", "生活保護", "開始", "20260401") +
                           row("N2", "中国残留邦人等支援給付", "廃止", "20260501", "1000000002", "K_77") + "\r\n";
  auto out = parse_welfare_file(text);
  ASSERT_TRUE(out.notices) << summarize(out);
  ASSERT_EQ(out.notices->size(), 2u);
  const Notice& a = (*out.notices)[0];
  EXPECT_EQ(a.line_no, 2);
  EXPECT_EQ(a.notice_no, "N1");
  EXPECT_EQ(a.person_id, "1000000001");
  EXPECT_EQ(a.kind, AssistanceKind::welfare);
  EXPECT_EQ(a.change, AssistanceChange::start);
  EXPECT_EQ(a.on, Date(2026, 4, 1));
  EXPECT_EQ(a.case_no, "C-0001");
  const Notice& b = (*out.notices)[1];
  EXPECT_EQ(b.line_no, 3);
  EXPECT_EQ(b.kind, AssistanceKind::repatriate);
  EXPECT_EQ(b.change, AssistanceChange::end);
  EXPECT_EQ(b.on, Date(2026, 5, 1));
  EXPECT_EQ(to_code(b.kind), "repatriate");
  EXPECT_EQ(to_code(b.change), "end");
}

TEST(FukushiFile, SK_19_WrittenFileReadsBackIdentically) {
  auto first = parse_welfare_file(kHeader + row("N1", "生活保護", "開始", "20260401") +
                                  row("N2", "生活保護", "廃止", "20260601"));
  ASSERT_TRUE(first.notices) << summarize(first);
  const std::string written = write_welfare_file(*first.notices);
  EXPECT_EQ(written, kHeader + row("N1", "生活保護", "開始", "20260401") + row("N2", "生活保護", "廃止", "20260601"));
  auto again = parse_welfare_file(written);
  ASSERT_TRUE(again.notices);
  EXPECT_EQ(write_welfare_file(*again.notices), written);
}

TEST(FukushiFile, SK_19_EachBadFieldNamesItsLineAndColumn) {
  struct Case {
    std::string line, field;
  };
  const std::vector<Case> cases{
      {row("", "生活保護", "開始", "20260401"), "通知番号"},
      {row("N 1", "生活保護", "開始", "20260401"), "通知番号"},
      {row("N1", "生活保護", "開始", "20260401", "123"), "宛名番号"},
      {row("N1", "生活保護", "開始", "20260401", "10000000x1"), "宛名番号"},
      {row("N1", "医療扶助", "開始", "20260401"), "種別"},
      {row("N1", "", "開始", "20260401"), "種別"},
      {row("N1", "生活保護", "停止", "20260401"), "異動区分"},
      {row("N1", "生活保護", "再開", "20260401"), "異動区分"},
      {row("N1", "生活保護", "開始", "20260231"), "異動日"},
      {row("N1", "生活保護", "開始", "2026-04-01"), "異動日"},
      {row("N1", "生活保護", "開始", ""), "異動日"},
      {row("N1", "生活保護", "開始", "20260401", "1000000001", ""), "ケース番号"},
      {"N1,1000000001,生活保護,開始,20260401\n", "(列数)"},
      {"N1,1000000001,\"生活保護,開始,20260401,C1\n", "(引用符)"},
  };
  for (const Case& c : cases) {
    // The bad line is line 3, after a good one: the good line must not come out either.
    auto out = parse_welfare_file(kHeader + row("N0", "生活保護", "開始", "20260301") + c.line);
    SCOPED_TRACE(c.line);
    expect_error(out, 3, c.field);
    EXPECT_EQ(to_error(out).kind, ErrorKind::invalid_input);
    EXPECT_EQ(to_error(out).field, "line 3: " + c.field);
  }
}

TEST(FukushiFile, SK_19_MessagesNeverQuoteAValue) {
  auto out = parse_welfare_file(kHeader + row("N1", "生活保護", "開始", "20269999", "98765x4321"));
  ASSERT_EQ(out.errors.size(), 2u);
  const std::string reason = to_error(out).message;
  EXPECT_EQ(reason.rfind("welfare file refused: line 2, field 宛名番号: ", 0), 0u) << reason;
  EXPECT_NE(reason.find("(and 1 more error)"), std::string::npos) << reason;
  EXPECT_EQ(reason.find("98765x4321"), std::string::npos);
  EXPECT_EQ(reason.find("20269999"), std::string::npos);
}

TEST(FukushiFile, SK_19_HeaderAndEmptyFileRefused) {
  expect_error(parse_welfare_file(""), 1, "(ヘッダ)");
  expect_error(parse_welfare_file("宛名番号,種別,異動区分,異動日\n" + row("N1", "生活保護", "開始", "20260401")), 1,
               "(ヘッダ)");
}

TEST(FukushiFile, SK_19_SameNoticeTwiceInAFile) {
  // Identical: the second is marked a duplicate (the apply skips it).
  auto same = parse_welfare_file(kHeader + row("N1", "生活保護", "開始", "20260401") +
                                 row("N1", "生活保護", "開始", "20260401"));
  ASSERT_TRUE(same.notices) << summarize(same);
  ASSERT_EQ(same.notices->size(), 2u);
  EXPECT_FALSE((*same.notices)[0].repeated_in_file);
  EXPECT_TRUE((*same.notices)[1].repeated_in_file);
  // Different content under one 通知番号: refused, naming the second line.
  auto clash = parse_welfare_file(kHeader + row("N1", "生活保護", "開始", "20260401") +
                                  row("N1", "生活保護", "廃止", "20260501"));
  expect_error(clash, 3, "通知番号");
  EXPECT_NE(clash.errors.front().message.find("line 2"), std::string::npos);
}

TEST(FukushiFile, SK_19_ErrorsAreCappedAndCounted) {
  std::string text = kHeader;
  for (int i = 0; i < static_cast<int>(kMaxErrors) + 5; ++i) text += row("N" + std::to_string(i), "生活保護", "開始", "x");
  auto out = parse_welfare_file(text);
  EXPECT_FALSE(out.notices);
  EXPECT_EQ(out.errors.size(), kMaxErrors);
  EXPECT_TRUE(out.truncated);
  EXPECT_NE(summarize(out).find("(and over 199 more errors)"), std::string::npos) << summarize(out);
}

TEST(FukushiFile, SK_20_ChangeFileLayout) {
  std::vector<EligibilityChangeRow> rows{
      {"1000000001", "2000000001", "取得", "1", Date(2026, 4, 2), std::nullopt, "move_in", ""},
      {"", "2000000002", "変更", "2", Date(2020, 1, 10), Date(2026, 4, 11), "medical_insurance_gained", "death"},
  };
  EXPECT_EQ(write_eligibility_change_file(rows),
            "被保険者番号,宛名番号,異動区分,被保険者区分,資格取得日,資格喪失日,取得事由,喪失事由\n"
            "1000000001,2000000001,取得,1,20260402,,move_in,\n"
            ",2000000002,変更,2,20200110,20260411,medical_insurance_gained,death\n");
}

}  // namespace
}  // namespace kaigo::eligibility::fukushi
