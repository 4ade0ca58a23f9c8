// FK-01 / FK-02 / FK-12 / FK-13: the tax linkage's CSV layouts (docs/zeimu-layout.md). Every
// bad-input case names its line and its column; a file with any error yields no rows at all
// (nothing can be half-applied), and no message quotes a value.
#include <gtest/gtest.h>

#include "premium/zeimu_file.hpp"

namespace kaigo::premium::zeimu {
namespace {

const std::string kHeader =
    "宛名番号,所得年,区分,合計所得金額,公的年金等収入金額,課税年金収入額,公的年金等に係る雑所得,給与所得,"
    "譲渡所得の特別控除,市町村民税,課税所得\n";

// 宛名番号,所得年,区分, then the eight figures as given.
std::string row(const std::string& person, const std::string& kind, const std::string& figures,
                const std::string& year = "2025") {
  return person + "," + year + "," + kind + "," + figures + "\n";
}
// A pensioner: 合計所得 1,200,000 of which 雑所得 900,000 from 公的年金 2,000,000, 給与所得 300,000; taxed.
const std::string kPensioner = "1200000,2000000,2000000,900000,300000,0,課税,270000";

void expect_error(const AnswerParse& out, int line, const std::string& field) {
  ASSERT_FALSE(out.rows.has_value());
  ASSERT_FALSE(out.errors.empty());
  EXPECT_EQ(out.errors.items.front().line_no, line) << summarize(out.errors);
  EXPECT_EQ(out.errors.items.front().field, field) << summarize(out.errors);
}

TEST(ZeimuFile, FK_02_AnswerParsesEveryKindAndFigure) {
  const std::string text = "\xEF\xBB\xBF" + kHeader + row("1000000001", "当初", kPensioner) +
                           row("1000000002", "更正", "-350000,0,0,0,0,0,非課税,0") + row("1000000003", "未申告", ",,,,,,,") +
                           "\r\n";
  auto out = parse_answer_file(text);
  ASSERT_TRUE(out.rows) << summarize(out.errors);
  ASSERT_EQ(out.rows->size(), 3u);
  const AnswerRow& a = (*out.rows)[0];
  EXPECT_EQ(a.line_no, 2);
  EXPECT_EQ(a.person_id, "1000000001");
  EXPECT_EQ(a.tax_year, 2025);
  EXPECT_EQ(a.kind, RowKind::initial);
  EXPECT_EQ(a.figures, (TaxFigures{1200000, 2000000, 2000000, 900000, 300000, 0, true, 270000}));
  // 合計所得金額 may be negative (損益通算 of a business loss).
  EXPECT_EQ((*out.rows)[1].kind, RowKind::revision);
  EXPECT_EQ((*out.rows)[1].figures.total_income, -350000);
  EXPECT_FALSE((*out.rows)[1].figures.resident_tax_taxed);
  EXPECT_EQ((*out.rows)[2].kind, RowKind::undeclared);
  EXPECT_EQ((*out.rows)[2].figures, TaxFigures{});
}

TEST(ZeimuFile, FK_02_WrittenFileReadsBackIdentically) {
  const std::string text = kHeader + row("1000000001", "当初", kPensioner) + row("1000000003", "未申告", ",,,,,,,");
  auto first = parse_answer_file(text);
  ASSERT_TRUE(first.rows) << summarize(first.errors);
  EXPECT_EQ(write_answer_file(*first.rows), text);
}

TEST(ZeimuFile, FK_02_EachBadFieldNamesItsLineAndColumn) {
  struct Case {
    std::string line;  // the data line (line 3; line 2 is good)
    std::string field;
  };
  const std::vector<Case> cases{
      {"1000000002,2025,当初,1,2\n", "(列数)"},
      {"100000000X,2025,当初,0,0,0,0,0,0,非課税,0\n", "宛名番号"},
      {"1000000002,25,当初,0,0,0,0,0,0,非課税,0\n", "所得年"},
      {"1000000002,2025,確定,0,0,0,0,0,0,非課税,0\n", "区分"},
      {"1000000002,2025,当初,1,000,0,0,0,0,0,非課税,0\n", "(列数)"},
      {"1000000002,2025,当初,12a,0,0,0,0,0,非課税,0\n", "合計所得金額"},
      {"1000000002,2025,当初,,0,0,0,0,0,非課税,0\n", "合計所得金額"},
      // Impossible amounts.
      {"1000000002,2025,当初,0,-1,0,0,0,0,非課税,0\n", "公的年金等収入金額"},
      {"1000000002,2025,当初,0,0,0,0,-100,0,非課税,0\n", "給与所得"},
      {"1000000002,2025,当初,500000,1000000,1200000,0,0,0,非課税,0\n", "課税年金収入額"},
      {"1000000002,2025,当初,500000,1000000,1000000,1100000,0,0,非課税,0\n", "公的年金等に係る雑所得"},
      {"1000000002,2025,当初,500000,0,0,0,500000,0,課税,600000\n", "課税所得"},
      {"1000000002,2025,当初,1000000000000,0,0,0,0,0,課税,0\n", "合計所得金額"},
      {"1000000002,2025,当初,0,0,0,0,0,0,免除,0\n", "市町村民税"},
      {"1000000002,2025,未申告,0,,,,,,,\n", "合計所得金額"},
      {"1000000002,2025,当初,\"0,0,0,0,0,0,非課税,0\n", "(行)"},
      // A person twice for one year.
      {"1000000001,2025,更正,0,0,0,0,0,0,非課税,0\n", "宛名番号"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    auto out = parse_answer_file(kHeader + row("1000000001", "当初", kPensioner) + c.line);
    expect_error(out, 3, c.field);
    EXPECT_EQ(summarize(out.errors).find("1000000002"), std::string::npos) << "a message quotes a value";
  }
  // The same person for another year is no duplicate (a revision file may correct two years).
  auto two_years = parse_answer_file(kHeader + row("1000000001", "更正", kPensioner) +
                                     row("1000000001", "更正", kPensioner, "2024"));
  EXPECT_TRUE(two_years.rows) << summarize(two_years.errors);
}

TEST(ZeimuFile, FK_02_AllErrorsCollectedAndSummarized) {
  auto out = parse_answer_file(kHeader + row("1000000001", "当初", "0,-1,0,0,0,0,課税,0") + row("1000000002", "x", "") +
                               "\n" + row("1000000003", "当初", "0,0,0,0,0,0,非課税,0"));
  ASSERT_FALSE(out.rows);
  ASSERT_EQ(out.errors.items.size(), 2u);
  EXPECT_EQ(summarize(out.errors), "line 2, field 公的年金等収入金額: a negative amount is impossible here (and 1 more error)");
  const Error e = to_error(out.errors);
  EXPECT_EQ(e.kind, ErrorKind::invalid_input);
  EXPECT_EQ(e.field, "line 2: 公的年金等収入金額");
  EXPECT_EQ(e.message.rfind("tax file refused: line 2,", 0), 0u) << e.message;
  // The well-formed 宛名番号 of a bad line is kept for the staff table, never in the message.
  EXPECT_EQ(out.errors.items[0].person_id, "1000000001");
  EXPECT_EQ(e.message.find("1000000001"), std::string::npos);
}

TEST(ZeimuFile, FK_02_HeaderAndEmptyFile) {
  expect_error(parse_answer_file(""), 1, "(ヘッダ)");
  expect_error(parse_answer_file("宛名番号,所得年\n1000000001,2025\n"), 1, "(ヘッダ)");
  // Only the header: a valid file of no rows.
  auto empty = parse_answer_file(kHeader);
  ASSERT_TRUE(empty.rows);
  EXPECT_TRUE(empty.rows->empty());
}

TEST(ZeimuFile, FK_02_AnswerCheckedAgainstTheRequest) {
  AskedPersons asked;
  asked.tax_year = 2025;
  asked.request_line = {{person_key("1000000001"), 2}, {person_key("1000000002"), 3}, {person_key("1000000003"), 4}};
  auto parsed = parse_answer_file(kHeader + row("1000000001", "当初", kPensioner) +
                                  row("1000000009", "当初", kPensioner) +
                                  row("1000000002", "当初", kPensioner, "2024"));
  ASSERT_TRUE(parsed.rows);
  Errors errors;
  check_answer(*parsed.rows, asked, errors);
  errors.sort();
  ASSERT_EQ(errors.items.size(), 3u);
  // A person left out: no line of the answer; the request's line is named.
  EXPECT_EQ(errors.items[0], (LineError{0, "宛名番号",
                                        "the person of request line 4 is not answered (send 未申告 when nothing is held)",
                                        "1000000003"}));
  EXPECT_EQ(errors.items[1].line_no, 3);
  EXPECT_EQ(errors.items[1].message, "a person the request did not ask about");
  EXPECT_EQ(errors.items[2].line_no, 4);
  EXPECT_EQ(errors.items[2].field, "所得年");
  EXPECT_EQ(summarize(errors).rfind("(no line), field 宛名番号: the person of request line 4", 0), 0u) << summarize(errors);

  Errors none;
  auto good = parse_answer_file(kHeader + row("1000000003", "未申告", ",,,,,,,") + row("1000000001", "当初", kPensioner) +
                                row("1000000002", "更正", kPensioner));
  ASSERT_TRUE(good.rows);
  check_answer(*good.rows, asked, none);
  EXPECT_TRUE(none.empty()) << summarize(none);
}

TEST(ZeimuFile, FK_02_RevisionFileChecks) {
  const std::unordered_set<std::uint64_t> known{person_key("1000000001")};
  const Date today(2026, 4, 20);
  auto parsed = parse_answer_file(kHeader + row("1000000001", "更正", kPensioner) + row("1000000001", "当初", kPensioner, "2024") +
                                  row("1000000002", "更正", kPensioner) + row("1000000001", "更正", kPensioner, "2026") +
                                  row("1000000001", "更正", kPensioner, "2018"));
  ASSERT_TRUE(parsed.rows) << summarize(parsed.errors);
  Errors errors;
  check_revision(*parsed.rows, known, today, errors);
  ASSERT_EQ(errors.items.size(), 4u) << summarize(errors);
  EXPECT_EQ(errors.items[0].line_no, 3);
  EXPECT_EQ(errors.items[0].field, "区分");
  EXPECT_EQ(errors.items[1].line_no, 4);
  EXPECT_EQ(errors.items[1].message, "a person unknown here");
  EXPECT_EQ(errors.items[2].line_no, 5);  // the income year 2026 has not ended
  EXPECT_EQ(errors.items[2].field, "所得年");
  EXPECT_EQ(errors.items[3].line_no, 6);  // more than 7 years back
  EXPECT_EQ(errors.items[3].field, "所得年");
  EXPECT_TRUE(plausible_tax_year(2025, today));
  EXPECT_TRUE(plausible_tax_year(2019, today));
  EXPECT_FALSE(plausible_tax_year(2018, today));
  EXPECT_FALSE(plausible_tax_year(2026, today));
}

TEST(ZeimuFile, FK_01_RequestRoundTripAndErrors) {
  const std::string text = write_request_file({{0, "1000000001", 2025}, {0, "1000000002", 2025}});
  EXPECT_EQ(text, "宛名番号,所得年\n1000000001,2025\n1000000002,2025\n");
  auto back = parse_request_file(text);
  ASSERT_TRUE(back.rows) << summarize(back.errors);
  ASSERT_EQ(back.rows->size(), 2u);
  EXPECT_EQ((*back.rows)[1].line_no, 3);
  EXPECT_EQ((*back.rows)[1].person_id, "1000000002");
  EXPECT_EQ((*back.rows)[1].tax_year, 2025);
  auto twice = parse_request_file(text + "1000000001,2025\n");
  ASSERT_FALSE(twice.rows);
  EXPECT_EQ(twice.errors.items.front().line_no, 4);
  EXPECT_EQ(twice.errors.items.front().field, "宛名番号");
  auto bad_year = parse_request_file("宛名番号,所得年\n1000000001,20x5\n");
  ASSERT_FALSE(bad_year.rows);
  EXPECT_EQ(bad_year.errors.items.front().field, "所得年");
}

TEST(ZeimuFile, FK_12_FK_13_AssessmentFile) {
  const std::string text = write_assessment_file(
      {{"0000000123", "1000000001", 2026, 0, 5, 74000, 0, "annual", Date(2026, 7, 1)},
       {"0000000124", "1000000002", 2026, 2, 7, 96200, 88800, "income", Date(2026, 9, 15)}});
  EXPECT_EQ(text,
            "被保険者番号,宛名番号,賦課年度,更正回数,所得段階,確定保険料額,更正前保険料額,増減額,賦課事由,賦課日\n"
            "0000000123,1000000001,2026,0,5,74000,0,74000,当初賦課,20260701\n"
            "0000000124,1000000002,2026,2,7,96200,88800,7400,所得更正,20260915\n");
  EXPECT_EQ(cause_label("welfare"), "生活保護");
  EXPECT_EQ(cause_label("something_new"), "something_new");
}

}  // namespace
}  // namespace kaigo::premium::zeimu
