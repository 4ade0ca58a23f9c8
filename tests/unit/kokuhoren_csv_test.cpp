// The 国保連 CSV codec (kokuhoren_csv.hpp): the layouts load, write → parse round trips, and every
// check of parse names the line and the field.
#include <gtest/gtest.h>

#include <fstream>

#include "benefit/kokuhoren_csv.hpp"
#include "core/cp932.hpp"

namespace kaigo::benefit::csv {
namespace {

namespace fs = std::filesystem;

fs::path layouts_dir() {
  return fs::path(__FILE__).parent_path().parent_path().parent_path() / "config" / "layouts" / "kokuhoren";
}

const LayoutSet& layouts() {
  static const LayoutSet set = [] {
    auto s = load_layouts(layouts_dir());
    if (!s) throw std::runtime_error(s.error().message);
    return *s;
  }();
  return set;
}

ParseContext context() {
  ParseContext ctx;
  ctx.insurer_no = "132011";
  ctx.code_known = [](std::string_view list, std::string_view code) {
    if (list == "service_kinds") return code == "11" || code == "15";
    return code == "1310000011" || code == "1310000029";
  };
  return ctx;
}

// A KY04 data record in layout order; record_type and seq are filled by the writer.
std::vector<std::string> ky04(std::string claim, std::string kind, std::string insured, std::int64_t cost) {
  const std::int64_t paid = cost * 9 / 10;
  return {"", "", kind, claim, "132011", insured, "202504", "1310000011", "11", "1", "12", "8000", "1072",
          std::to_string(cost), std::to_string(paid), std::to_string(cost - paid), "0"};
}

std::map<std::string, std::string> ky04_control() {
  return {{"insurer_no", "132011"}, {"created_on", "20250610"}, {"review_month", "202505"}, {"file_ref", "R202505-01"}};
}

std::string good_ky04() {
  auto text = write(*layouts().find("KY04"), ky04_control(),
                    {ky04("C0001", "1", "0000000001", 85760), ky04("C0002", "1", "0000000002", 12000),
                     ky04("C0001", "2", "0000000001", 86000)});
  if (!text) throw std::runtime_error(text.error().message);
  return *text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find("\r\n", pos);
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 2;
  }
  return out;
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\r\n";
  return s;
}

// Whether some error is on `line` for `field` (field "" matches any) and mentions `what`.
bool has_error(const ParseOutcome& o, std::int64_t line, std::string_view field, std::string_view what) {
  for (const auto& e : o.errors)
    if (e.line == line && (field.empty() || e.field == field) && e.message.find(what) != std::string::npos) return true;
  return false;
}

std::string dump(const ParseOutcome& o) {
  std::string s;
  for (const auto& e : o.errors) s += std::to_string(e.line) + " " + e.field + ": " + e.message + "\n";
  return s;
}

TEST(KokuhorenCsv, LayoutsLoadBothExchanges) {
  const auto& set = layouts();
  const Layout* ky04 = set.find("KY04");
  ASSERT_NE(ky04, nullptr);
  EXPECT_EQ(ky04->version, "1");
  EXPECT_EQ(ky04->title, "給付実績情報");
  EXPECT_EQ(ky04->data.fields.size(), 17u);
  EXPECT_EQ(ky04->data.index_of("claim_no"), 3);
  EXPECT_EQ(ky04->data.index_of("nothing"), -1);
  const Layout* ky03 = set.find("KY03", "1");
  ASSERT_NE(ky03, nullptr);
  EXPECT_EQ(ky03->data.fields[static_cast<std::size_t>(ky03->data.index_of("name_kana"))].kind, FieldKind::text);
  EXPECT_EQ(set.find("KY03", "2"), nullptr);
  EXPECT_EQ(set.find("KY99"), nullptr);
}

class LayoutErrors : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("kokuhoren_layout_test_" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  // KY04.v1.tsv with `line` (1-based among the data lines of the real file) replaced.
  Error load_with(const std::string& name, int replace_line, const std::string& replacement) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ifstream in(layouts_dir() / "KY04.v1.tsv");
    std::ofstream out(dir / name);
    std::string l;
    int n = 0;
    while (std::getline(in, l)) {
      ++n;
      out << (n == replace_line ? replacement : l) << "\n";
    }
    out.close();
    auto r = load_layouts(dir);
    EXPECT_FALSE(r.has_value());
    return r ? Error{} : r.error();
  }
};

TEST_F(LayoutErrors, EachFaultNamesFileLineAndColumn) {
  // Line 4 is the header; line 5 the control record's record_type, 6 its exchange_id.
  auto e = load_with("KY04.v1.tsv", 6, "1\texchange_id\t交換情報識別番号\tZ\t4\t1\tKY04\t\t");
  EXPECT_NE(e.message.find("KY04.v1.tsv:6: kind"), std::string::npos) << e.message;
  EXPECT_EQ(e.field, "kind");
  e = load_with("KY04.v1.tsv", 6, "1\texchange_id\t交換情報識別番号\tX\t3\t1\tKY04\t\t");
  EXPECT_NE(e.message.find(":6: value"), std::string::npos) << e.message;
  e = load_with("KY04.v1.tsv", 6, "1\trecord_type\t交換情報識別番号\tX\t4\t1\tKY04\t\t");
  EXPECT_NE(e.message.find("appears twice"), std::string::npos) << e.message;
  e = load_with("KY04.v1.tsv", 6, "1\texchange_id\t交換情報識別番号\tX\t4\t1\tKY04\tsometimes\t");
  EXPECT_NE(e.message.find(":6: check"), std::string::npos) << e.message;
  e = load_with("KY04.v1.tsv", 6, "1\texchange_id\t交換情報識別番号\tX\t4\t2\tKY04\t\t");
  EXPECT_NE(e.message.find(":6: required"), std::string::npos) << e.message;
  e = load_with("KY04.v1.tsv", 5, "1\tkind\tレコード種別\t9\t1\t1\t1\t\t");
  EXPECT_NE(e.message.find("first field of record 1 must be record_type"), std::string::npos) << e.message;
  e = load_with("KY04.v1.tsv", 6, "1\texchange_id\t交換情報識別番号\tX\t4\t1\tKY05\t\t");
  EXPECT_NE(e.message.find("exchange_id with value KY04"), std::string::npos) << e.message;
  // Line 31: the end record's sum of total_cost.
  e = load_with("KY04.v1.tsv", 31, "3\ttotal_cost\t費用合計額の合計\t9\t12\t1\t\tsum:no_such\t");
  EXPECT_NE(e.message.find("sum:no_such names no data field"), std::string::npos) << e.message;
  e = load_with("KY4.tsv", 0, "");
  EXPECT_NE(e.message.find("<exchange>.v<N>.tsv"), std::string::npos) << e.message;
}

TEST(KokuhorenCsv, WriteThenParseRoundTrips) {
  const std::string text = good_ky04();
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], R"("1","KY04","1","132011","20250610","202505","R202505-01")");
  EXPECT_EQ(lines[1].substr(0, 22), R"("2","1","1","C0001","1)");
  EXPECT_EQ(lines[4], R"("3","3","183760","165384","18376")");
  EXPECT_TRUE(text.ends_with("\r\n"));

  const auto o = parse(layouts(), text, context());
  ASSERT_TRUE(o.errors.empty()) << dump(o);
  ASSERT_EQ(o.file.layout, layouts().find("KY04"));
  ASSERT_EQ(o.file.data_count(), 3u);
  const int claim = o.file.layout->data.index_of("claim_no"), cost = o.file.layout->data.index_of("total_cost");
  EXPECT_EQ(o.file.value(2, claim), "C0001");
  EXPECT_EQ(o.file.value(2, cost), "86000");
  EXPECT_EQ(o.file.value(1, o.file.layout->data.index_of("seq")), "2");
  EXPECT_EQ(o.file.control_value("review_month"), "202505");
  EXPECT_EQ(o.file.end_value("data_count"), "3");
  EXPECT_EQ(o.file.line_of(2), 4);

  // Through CP932 bytes too.
  auto bytes = cp932::encode(text);
  ASSERT_TRUE(bytes);
  EXPECT_TRUE(parse_cp932(layouts(), *bytes, context()).errors.empty());
}

TEST(KokuhorenCsv, TextFieldsRoundTripWithQuotesAndKana) {
  const Layout& ky03 = *layouts().find("KY03");
  std::vector<std::string> rec(ky03.data.fields.size());
  auto set = [&](const char* key, std::string v) { rec[static_cast<std::size_t>(ky03.data.index_of(key))] = std::move(v); };
  set("change_kind", "1");
  set("correction", "0");
  set("change_date", "20250401");
  set("insurer_no", "132011");
  set("insured_no", "0000000001");
  set("name_kana", "ﾔﾏﾀﾞ \"ﾀﾛｳ\"");
  set("birth_date", "19500101");
  set("sex", "1");
  set("eligibility_from", "20150101");
  set("former_address", "1");
  set("former_address_facility", "特別養護老人ホーム髙﨑");
  auto text = write(ky03, {{"insurer_no", "132011"}, {"created_on", "20250501"}, {"file_ref", "KGJK-1"}, {"correction_file", "0"}},
                    {rec});
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_NE(text->find(R"("ﾔﾏﾀﾞ ""ﾀﾛｳ""")"), std::string::npos);
  const auto o = parse(layouts(), *text, context());
  ASSERT_TRUE(o.errors.empty()) << dump(o);
  EXPECT_EQ(o.file.value(0, ky03.data.index_of("name_kana")), "ﾔﾏﾀﾞ \"ﾀﾛｳ\"");
  EXPECT_EQ(o.file.value(0, ky03.data.index_of("former_address_facility")), "特別養護老人ホーム髙﨑");
}

TEST(KokuhorenCsv, WriteRefusesWhatDoesNotFit) {
  const Layout& ky03 = *layouts().find("KY03");
  std::vector<std::string> rec(ky03.data.fields.size(), "");
  auto set = [&](const char* key, std::string v) { rec[static_cast<std::size_t>(ky03.data.index_of(key))] = std::move(v); };
  for (auto [k, v] : std::vector<std::pair<const char*, const char*>>{
           {"change_kind", "1"}, {"correction", "0"}, {"change_date", "20250401"}, {"insurer_no", "132011"},
           {"insured_no", "0000000001"}, {"name_kana", "ﾀﾛｳ"}, {"birth_date", "19500101"}, {"sex", "1"},
           {"eligibility_from", "20150101"}, {"former_address", "0"}})
    set(k, v);
  const std::map<std::string, std::string> control{{"insurer_no", "132011"}, {"created_on", "20250501"}, {"file_ref", "K"}, {"correction_file", "0"}};
  ASSERT_TRUE(write(ky03, control, {rec}));
  set("former_address_facility", "𠮷野家ホーム");
  auto e = write(ky03, control, {rec});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().field, "住所地特例施設名");
  EXPECT_NE(e.error().message.find("U+20BB7"), std::string::npos) << e.error().message;
  EXPECT_NE(e.error().message.find("record 1"), std::string::npos);
  // 31 full-width characters are 62 bytes of CP932: longer than 60.
  std::string wide;
  for (int i = 0; i < 31; ++i) wide += "施";
  set("former_address_facility", wide);
  e = write(ky03, control, {rec});
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("62 bytes in CP932, longer than 60"), std::string::npos) << e.error().message;
  set("former_address_facility", "");
  set("sex", "9");
  e = write(ky03, control, {rec});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().field, "性別");
  auto bad_control = control;
  bad_control["nonsense"] = "1";
  EXPECT_FALSE(write(ky03, bad_control, {}));
}

TEST(KokuhorenCsv, BadQuotingNamesTheLine) {
  auto lines = lines_of(good_ky04());
  auto l = lines;
  l[2].replace(l[2].find("\"C0002\""), 7, "C0002");
  auto o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 3, "", "field 4 does not start with a double quote")) << dump(o);
  l = lines;
  l[2].replace(l[2].find("\"C0002\""), 7, "\"C00\"02\"");
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 3, "", "field 4 has text after its closing double quote")) << dump(o);
  l = lines;
  l[3].pop_back();
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 4, "", "field 17 has no closing double quote")) << dump(o);
  // A bare LF.
  std::string text = join(lines);
  text.erase(text.find("\r\n"), 1);
  o = parse(layouts(), text, context());
  EXPECT_TRUE(has_error(o, 1, "", "LF alone")) << dump(o);
}

TEST(KokuhorenCsv, FieldCountAndKindsAndRequired) {
  auto lines = lines_of(good_ky04());
  auto l = lines;
  l[1] += ",\"0\"";
  auto o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 2, "", "18 fields, the layout of record 2 has 17")) << dump(o);
  l = lines;
  l[1].replace(l[1].find("\"0000000001\""), 12, "\"00000A0001\"");
  l[2].replace(l[2].find("\"202504\""), 8, "\"202513\"");
  l[3].replace(l[3].find("\"C0001\""), 7, "\"\"");
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 2, "被保険者番号", "must be digits")) << dump(o);
  EXPECT_TRUE(has_error(o, 3, "サービス提供年月", "is not a month YYYYMM")) << dump(o);
  EXPECT_TRUE(has_error(o, 4, "給付実績管理番号", "is required")) << dump(o);
  l = lines;
  l[0].replace(l[0].find("\"20250610\""), 10, "\"20250230\"");
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 1, "作成年月日", "is not a date")) << dump(o);
  l = lines;
  l[1].replace(l[1].find("\"C0001\""), 7, "\"C0001-TOO-LONG-FOR-TWENTY\"");
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 2, "給付実績管理番号", "longer than 20")) << dump(o);
  l = lines;
  l[1].replace(l[1].find("\"1310000011\",\"11\",\"1\""), 21, "\"1310000011\",\"11\",\"7\"");
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 2, "給付区分", "'7' is not one of 1|2")) << dump(o);
}

TEST(KokuhorenCsv, CodesInsurerAndSeq) {
  auto l = lines_of(good_ky04());
  l[1].replace(l[1].find("\"1310000011\""), 12, "\"1399999999\"");
  l[2].replace(l[2].find("\"132011\""), 8, "\"139999\"");
  l[3].replace(0, 7, "\"2\",\"7\"");
  auto o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 2, "事業所番号", "'1399999999' is not a known code of care_offices")) << dump(o);
  EXPECT_TRUE(has_error(o, 3, "保険者番号", "139999 is not this city's insurer number 132011")) << dump(o);
  EXPECT_TRUE(has_error(o, 4, "連番", "is 7, the record is number 3")) << dump(o);
  l = lines_of(good_ky04());
  l[0].replace(l[0].find("\"132011\""), 8, "\"132012\"");
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 1, "保険者番号", "not this city's insurer")) << dump(o);
}

TEST(KokuhorenCsv, CountsAndSumsMustAgreeWithTheEndRecord) {
  auto lines = lines_of(good_ky04());
  auto l = lines;
  l.erase(l.begin() + 3);  // a data record lost: count and sums disagree
  auto o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 4, "データ件数", "the end record says 3, the file has 2 data records")) << dump(o);
  EXPECT_TRUE(has_error(o, 4, "費用合計額の合計", "the end record says 183760, the data records add up to 97760")) << dump(o);
  l = lines;
  l[4] = R"("3","3","183760","165384","18378")";
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 5, "利用者負担額の合計", "add up to 18376")) << dump(o);
  EXPECT_EQ(o.errors.size(), 1u) << dump(o);
}

TEST(KokuhorenCsv, RecordOrder) {
  auto lines = lines_of(good_ky04());
  auto l = lines;
  std::swap(l[0], l[1]);
  auto o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 1, "レコード種別", "the first record must be the control record")) << dump(o);
  l = lines;
  l.push_back(lines[1]);
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 6, "レコード種別", "a record after the end record")) << dump(o);
  l = lines;
  l.pop_back();
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 0, "", "no end record")) << dump(o);
  l = lines;
  l.insert(l.begin() + 2, lines[0]);
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 3, "レコード種別", "a second control record")) << dump(o);
  l = lines;
  l[0].replace(l[0].find("\"KY04\""), 6, "\"KY05\"");
  o = parse(layouts(), join(l), context());
  EXPECT_TRUE(has_error(o, 1, "交換情報識別番号", "exchange 'KY05' version '1' has no layout")) << dump(o);
  EXPECT_TRUE(has_error(parse(layouts(), "", context()), 0, "", "empty"));
}

TEST(KokuhorenCsv, BrokenCp932ByteNamesItsLine) {
  auto bytes = cp932::encode(good_ky04());
  ASSERT_TRUE(bytes);
  // Line 3's claim number gets a lead byte followed by a byte no CP932 character has as its second.
  const auto at = bytes->find("C0002");
  (*bytes)[at + 1] = static_cast<char>(0x81);
  (*bytes)[at + 2] = static_cast<char>(0x20);
  auto o = parse_cp932(layouts(), *bytes, context());
  ASSERT_EQ(o.errors.size(), 1u) << dump(o);
  EXPECT_EQ(o.errors[0].line, 3);
  EXPECT_NE(o.errors[0].message.find("0x81 0x20"), std::string::npos) << dump(o);
}

TEST(KokuhorenCsv, ErrorsStopAtTheLimit) {
  auto l = lines_of(good_ky04());
  for (int i = 1; i <= 3; ++i) l[static_cast<std::size_t>(i)].replace(l[static_cast<std::size_t>(i)].find("\"132011\""), 8, "\"139999\"");
  EXPECT_EQ(parse(layouts(), join(l), context(), 2).errors.size(), 2u);
}

}  // namespace
}  // namespace kaigo::benefit::csv
