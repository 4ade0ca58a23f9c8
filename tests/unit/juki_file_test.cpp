// SK-16: the registry's CSV layouts (docs/juki-layout.md). Every bad-input case names its line
// and its column; a file with any error yields no rows at all (nothing can be half-applied).
#include <gtest/gtest.h>

#include "eligibility/juki_file.hpp"

namespace kaigo::eligibility::juki {
namespace {

const std::string kDiffHeader =
    "異動番号,異動事由,異動日,届出日,宛名番号,世帯番号,氏名,氏名カナ,生年月日,性別,続柄,郵便番号,住所,区コード,"
    "前住所市町村コード,前住所市町村名,転出先転入日\n";
const std::string kFullHeader = "宛名番号,世帯番号,氏名,氏名カナ,生年月日,性別,続柄,郵便番号,住所,区コード,住民区分,住民区分異動日\n";

std::string diff_line(const std::string& id, const std::string& kind, const std::string& date,
                      const std::string& former_code = "", const std::string& former_name = "",
                      const std::string& new_on = "", const std::string& birth = "19600315") {
  return id + "," + kind + "," + date + "," + date + ",1000000001,7000000001,佐藤 太郎,サトウ タロウ," + birth +
         ",1,世帯主,2910100,神奈川県みどり市中央区本町1丁目1番1号,981," + former_code + "," + former_name + "," + new_on + "\n";
}

// Expects exactly one error and that it names this line and field.
void expect_error(const ParseOutcome& out, int line, const std::string& field) {
  ASSERT_FALSE(out.file.has_value());
  ASSERT_FALSE(out.errors.empty());
  EXPECT_EQ(out.errors.front().line_no, line) << summarize(out);
  EXPECT_EQ(out.errors.front().field, field) << summarize(out);
}

TEST(JukiFile, SK_16_DiffLayoutParsesEveryKind) {
  std::string text = kDiffHeader;
  text += diff_line("M1", "01", "20260402", "141003", "神奈川県横浜市");
  text += diff_line("M2", "02", "20260403", "", "", "20260405");
  for (int k = 3; k <= 9; ++k) text += diff_line("M" + std::to_string(k), "0" + std::to_string(k), "20260404");
  auto out = parse_juki_file(text);
  ASSERT_TRUE(out.file) << summarize(out);
  EXPECT_EQ(out.file->kind, JukiFileKind::diff);
  ASSERT_EQ(out.file->movements.size(), 9u);
  EXPECT_EQ(out.file->lines, 9);
  const auto& in = out.file->movements[0];
  EXPECT_EQ(in.kind, RegistryMovementKind::move_in);
  EXPECT_EQ(in.line_no, 2);
  EXPECT_EQ(in.movement_date, Date(2026, 4, 2));
  EXPECT_EQ(in.former_municipality_code, "141003");
  EXPECT_EQ(in.person.birth_date, Date(1960, 3, 15));
  EXPECT_EQ(in.person.name_kana, "サトウ タロウ");
  EXPECT_EQ(out.file->movements[1].kind, RegistryMovementKind::move_out);
  EXPECT_EQ(out.file->movements[1].new_address_on, Date(2026, 4, 5));
  EXPECT_EQ(out.file->movements[8].kind, RegistryMovementKind::correction);
}

TEST(JukiFile, SK_16_WrittenFilesReadBackIdentically) {
  std::string text = kDiffHeader + diff_line("M1", "01", "20260402", "141003", "神奈川県横浜市");
  auto first = parse_juki_file(text);
  ASSERT_TRUE(first.file);
  first.file->movements[0].person.address = "東京都\"本町\",1丁目";  // a quote and a comma survive quoting
  auto again = parse_juki_file(write_diff_file(first.file->movements));
  ASSERT_TRUE(again.file) << summarize(again);
  EXPECT_EQ(again.file->movements[0].person.address, "東京都\"本町\",1丁目");
  EXPECT_EQ(write_diff_file(again.file->movements), write_diff_file(first.file->movements));

  auto full = parse_juki_file(kFullHeader +
                              "1000000001,7000000001,佐藤 太郎,サトウ タロウ,19600315,1,世帯主,2910100,住所,981,1,19600315\n");
  ASSERT_TRUE(full.file) << summarize(full);
  EXPECT_EQ(full.file->kind, JukiFileKind::full);
  EXPECT_EQ(full.file->rows[0].status, RegistryStatus::resident);
  EXPECT_EQ(write_full_file(full.file->rows),
            kFullHeader + "1000000001,7000000001,佐藤 太郎,サトウ タロウ,19600315,1,世帯主,2910100,住所,981,1,19600315\n");
}

TEST(JukiFile, SK_16_BomCrlfAndTrailingBlankLinesAreAccepted) {
  std::string text = "\xEF\xBB\xBF" + kDiffHeader + diff_line("M1", "03", "20260402");
  for (std::size_t p = 0; (p = text.find('\n', p)) != std::string::npos; p += 2) text.replace(p, 1, "\r\n");
  text += "\r\n";
  auto out = parse_juki_file(text);
  ASSERT_TRUE(out.file) << summarize(out);
  EXPECT_EQ(out.file->movements.size(), 1u);
}

TEST(JukiFile, SK_16_WrongColumnCountNamesLineAndColumns) {
  std::string bad = diff_line("M2", "03", "20260402");
  bad.insert(bad.size() - 1, ",extra");
  auto out = parse_juki_file(kDiffHeader + diff_line("M1", "03", "20260402") + bad);
  expect_error(out, 3, "(列数)");
  EXPECT_NE(out.errors.front().message.find("18 columns, the layout has 17"), std::string::npos);
}

TEST(JukiFile, SK_16_DateThatDoesNotExistNamesField) {
  expect_error(parse_juki_file(kDiffHeader + diff_line("M1", "03", "20260230")), 2, "異動日");
  expect_error(parse_juki_file(kDiffHeader + diff_line("M1", "03", "2026-04-02")), 2, "異動日");
  expect_error(parse_juki_file(kDiffHeader + diff_line("M1", "03", "20260402", "", "", "", "19590229")), 2, "生年月日");
}

TEST(JukiFile, SK_16_UnknownCodesAndMalformedFieldsNameTheirField) {
  expect_error(parse_juki_file(kDiffHeader + diff_line("M1", "10", "20260402")), 2, "異動事由");
  expect_error(parse_juki_file(kDiffHeader + diff_line("M 1", "03", "20260402")), 2, "異動番号");
  expect_error(parse_juki_file(kDiffHeader + diff_line("M1", "01", "20260402")), 2, "前住所市町村コード");
  expect_error(parse_juki_file(kDiffHeader + diff_line("M1", "03", "20260402", "", "", "20260405")), 2, "転出先転入日");
  expect_error(parse_juki_file(kDiffHeader + diff_line("M1", "03", "20260402", "", "", "", "20260403")), 2, "生年月日");
  std::string kanji_kana = diff_line("M1", "03", "20260402");
  kanji_kana.replace(kanji_kana.find("サトウ タロウ"), std::string("サトウ タロウ").size(), "佐藤 太郎");
  expect_error(parse_juki_file(kDiffHeader + kanji_kana), 2, "氏名カナ");
  expect_error(parse_juki_file(kFullHeader + "1000000001,7000000001,佐藤 太郎,サトウ タロウ,19600315,3,世帯主,2910100,住所,981,1,19600315\n"),
               2, "性別");
  expect_error(parse_juki_file(kFullHeader + "1000000001,7000000001,佐藤 太郎,サトウ タロウ,19600315,1,世帯主,2910100,住所,981,9,19600315\n"),
               2, "住民区分");
  expect_error(parse_juki_file(kFullHeader + "100000001,7000000001,佐藤 太郎,サトウ タロウ,19600315,1,世帯主,2910100,住所,981,1,19600315\n"),
               2, "宛名番号");
}

TEST(JukiFile, SK_16_HeaderAndQuotingErrors) {
  expect_error(parse_juki_file(""), 1, "(ヘッダ)");
  expect_error(parse_juki_file("a,b,c\n"), 1, "(ヘッダ)");
  std::string open_quote = diff_line("M1", "03", "20260402");
  open_quote.replace(open_quote.find("神奈川県"), 0, "\"");
  expect_error(parse_juki_file(kDiffHeader + open_quote), 2, "(引用符)");
}

TEST(JukiFile, SK_16_EveryErrorOfTheFileIsReportedAndNoRowSurvives) {
  auto out = parse_juki_file(kDiffHeader + diff_line("M1", "03", "20260402") + diff_line("M2", "99", "20260431") +
                             diff_line("M3", "03", "20260402"));
  ASSERT_FALSE(out.file);
  ASSERT_EQ(out.errors.size(), 3u);  // line 3: the code, the 異動日 and the 届出日
  EXPECT_EQ(out.errors[0].field, "異動事由");
  EXPECT_EQ(out.errors[1].field, "異動日");
  EXPECT_EQ(out.errors[2].field, "届出日");
  EXPECT_EQ(out.errors[1].line_no, 3);
  EXPECT_EQ(summarize(out), "line 3, field 異動事由: unknown code (01 転入 … 09 職権修正) (and 2 more errors)");
  const Error e = to_error(out);
  EXPECT_EQ(e.kind, ErrorKind::invalid_input);
  EXPECT_EQ(e.field, "line 3: 異動事由");
  // No value of the file is quoted in a message (they may be personal data).
  EXPECT_EQ(e.message.find("20260431"), std::string::npos);
}

TEST(JukiFile, SK_16_SameMovementTwiceInOneFile) {
  // An identical repeated line is a duplicate, applied once.
  auto dup = parse_juki_file(kDiffHeader + diff_line("M1", "03", "20260402") + diff_line("M1", "03", "20260402"));
  ASSERT_TRUE(dup.file) << summarize(dup);
  EXPECT_FALSE(dup.file->movements[0].repeated_in_file);
  EXPECT_TRUE(dup.file->movements[1].repeated_in_file);
  // The same 異動番号 with other content is an error naming the first line.
  auto clash = parse_juki_file(kDiffHeader + diff_line("M1", "03", "20260402") + diff_line("M1", "03", "20260403"));
  expect_error(clash, 3, "異動番号");
  EXPECT_NE(clash.errors[0].message.find("line 2"), std::string::npos);
  // A full load lists a person once.
  const std::string row = "1000000001,7000000001,佐藤 太郎,サトウ タロウ,19600315,1,世帯主,2910100,住所,981,1,19600315\n";
  expect_error(parse_juki_file(kFullHeader + row + row), 3, "宛名番号");
}

TEST(JukiFile, SK_18_EligibilityChangeFile) {
  std::vector<EligibilityChangeRow> rows{
      {"1000000001", "1000000002", "取得", Date(2026, 4, 1), "1", "move_in", "転入"},
      {"", "1000000003", "喪失", Date(2026, 5, 2), "1", "death", "死亡"}};
  EXPECT_EQ(write_eligibility_change_file(rows),
            "被保険者番号,宛名番号,異動区分,異動日,被保険者区分,事由コード,事由\n"
            "1000000001,1000000002,取得,20260401,1,move_in,転入\n"
            ",1000000003,喪失,20260502,1,death,死亡\n");
}

TEST(JukiFile, MovementKindCodes) {
  for (auto k : {RegistryMovementKind::move_in, RegistryMovementKind::emigration, RegistryMovementKind::correction}) {
    auto back = parse_registry_movement_kind(to_code(k));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, k);
  }
  EXPECT_EQ(japanese_label(RegistryMovementKind::household_change), "世帯変更");
  EXPECT_FALSE(parse_registry_movement_kind("moving"));
}

}  // namespace
}  // namespace kaigo::eligibility::juki
