// The 特別徴収 fixed-length codec (src/premium/tokucho_file.hpp): the shipped layouts load and
// tile, bad layouts are refused naming file, line and field, files round-trip, and every kind of
// bad input names the record and the field (rules.md §5).
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "core/cp932.hpp"
#include "premium/tokucho_file.hpp"

namespace kaigo::premium::tokucho {
namespace {

namespace fs = std::filesystem;

fs::path config_dir() { return fs::path(__FILE__).parent_path().parent_path().parent_path() / "config"; }

const LayoutSet& layouts() {
  static const LayoutSet set = [] {
    auto l = load_layouts(config_dir());
    if (!l) throw std::runtime_error(l.error().message);
    return *l;
  }();
  return set;
}

const ParseContext kContext{"149802", std::nullopt, {}};

Values target(const std::string& pension_no, const std::string& kana, const std::string& amount) {
  return {{"basic_pension_no", pension_no}, {"pension_code", "1150"}, {"birth_date", "19560510"}, {"sex", "2"},
          {"kana_name", kana},             {"kanji_name", "髙橋 花子"}, {"postal_code", "2910100"},
          {"address", "神奈川県みどり市中央区本町１丁目１番１号"}, {"annual_pension_amount", amount},
          {"capture_month", "202604"}};
}

// Two pension insurers, three targets.
std::string target_file() {
  const Layout* l = layouts().newest(FileKind::target_list);
  Values m{{"insurer_no", "149802"}, {"created_on", "20260515"}, {"created_at", "093000"}, {"file_ref", "KKR-20260515-01"}};
  GroupValues a{{{"insurer_no", "149802"}, {"pension_insurer_code", "001"}, {"created_on", "20260515"}, {"fiscal_year", "2026"}},
                {target("1234567890", "ﾀｶﾊｼ ﾊﾅｺ", "1200000"), target("1234567891", "ﾀｶﾊｼ ﾀﾛｳ", "2400000")},
                {}};
  GroupValues b{{{"insurer_no", "149802"}, {"pension_insurer_code", "002"}, {"created_on", "20260515"}, {"fiscal_year", "2026"}},
                {target("2234567890", "ﾔﾏﾀﾞ ｼﾞﾛｳ", "900000")},
                {}};
  auto w = write_file(*l, m, {a, b});
  if (!w) throw std::runtime_error(w.error().message);
  return w->bytes;
}

// Overwrites field `key` of record `record` (0 = management area) with `bytes` (padded with spaces).
void poke(std::string& file, char type, size_t record, const std::string& key, const std::string& bytes) {
  const Layout* l = layouts().newest(FileKind::target_list);
  const RecordSpec& spec = l->spec(type);
  const FieldSpec& f = spec.fields.at(static_cast<size_t>(spec.index_of(key)));
  const size_t at = (record == 0 ? 0 : kManagementBytes + (record - 1) * kRecordBytes) + f.start;
  std::string v = bytes;
  v.resize(f.length, ' ');
  file.replace(at, f.length, v);
}

TEST(TokuchoFile, ShippedLayoutsLoadAndTile) {
  const auto& set = layouts();
  for (auto kind : {FileKind::target_list, FileKind::request, FileKind::request_result, FileKind::collection_result}) {
    const Layout* l = set.newest(kind);
    ASSERT_NE(l, nullptr) << to_code(kind);
    for (char type : {'M', '1', '2', '3'}) {
      size_t total = 0;
      for (const auto& f : l->spec(type).fields) total += f.length;
      EXPECT_EQ(total, type == 'M' ? kManagementBytes : kRecordBytes) << to_code(kind) << " " << type;
    }
  }
  EXPECT_TRUE(set.codes.contains("pension_insurers"));
  EXPECT_TRUE(set.codes.at("pension_kinds").contains("1650"));
}

TEST(TokuchoFile, WritesAndReadsBackATargetList) {
  const std::string file = target_file();
  EXPECT_EQ(file.size(), kManagementBytes + 7 * kRecordBytes) << "2 groups: 1+2+1 and 1+1+1 records";
  EXPECT_EQ(file.find('\n'), std::string::npos) << "no line breaks";
  auto parsed = parse_file(file, layouts(), kContext);
  ASSERT_TRUE(parsed.file) << to_error(parsed.errors, parsed.truncated).message;
  const ParsedFile& f = *parsed.file;
  EXPECT_EQ(f.layout->kind, FileKind::target_list);
  ASSERT_EQ(f.groups.size(), 2u);
  EXPECT_EQ(f.data_records(), 3u);
  const Record& r = f.groups[0].data[0];
  EXPECT_EQ(r.number, 2u);
  EXPECT_EQ(f.get(r, '2', "kana_name"), "ﾀｶﾊｼ ﾊﾅｺ");
  EXPECT_EQ(f.get(r, '2', "kanji_name"), "髙橋　花子") << "髙 is CP932 (IBM extension); the space became 全角";
  EXPECT_EQ(f.get(r, '2', "address"), "神奈川県みどり市中央区本町１丁目１番１号");
  EXPECT_EQ(f.number(r, '2', "annual_pension_amount"), 1'200'000);
  EXPECT_EQ(f.number(f.groups[0].trailer, '3', "total_amount"), 3'600'000);
  EXPECT_EQ(f.number(f.groups[1].trailer, '3', "record_count"), 1);
  EXPECT_EQ(f.number(f.management, 'M', "record_count"), 7);
}

TEST(TokuchoFile, ACharacterWithNoCodeIsWrittenAsGetaAndReported) {
  const Layout* l = layouts().newest(FileKind::target_list);
  Values t = target("1234567890", "ﾖｼﾀﾞ ﾊﾅｺ", "1200000");
  t["kanji_name"] = "𠮷田 花子";
  auto w = write_file(*l, {{"insurer_no", "149802"}, {"created_on", "20260515"}},
                      {{{{"insurer_no", "149802"}, {"pension_insurer_code", "001"}, {"created_on", "20260515"}, {"fiscal_year", "2026"}},
                        {t},
                        {}}});
  ASSERT_TRUE(w) << w.error().message;
  ASSERT_EQ(w->substituted.size(), 1u);
  EXPECT_EQ(w->substituted[0], U'\U00020BB7');
  auto parsed = parse_file(w->bytes, layouts(), kContext);
  ASSERT_TRUE(parsed.file);
  EXPECT_EQ(parsed.file->get(parsed.file->groups[0].data[0], '2', "kanji_name"), "〓田　花子");
}

TEST(TokuchoFile, WriterRefusesValuesThatDoNotFit) {
  const Layout* l = layouts().newest(FileKind::target_list);
  const Values header{{"insurer_no", "149802"}, {"pension_insurer_code", "001"}, {"created_on", "20260515"}, {"fiscal_year", "2026"}};
  Values full_width = target("1234567890", "タカハシ", "1");
  auto a = write_file(*l, {}, {{header, {full_width}, {}}});
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("カナ氏名"), std::string::npos) << a.error().message;
  Values long_amount = target("1234567890", "ﾀｶﾊｼ", "123456789012");
  auto b = write_file(*l, {}, {{header, {long_amount}, {}}});
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message.find("レコード2 年金支払額"), std::string::npos) << b.error().message;
}

struct BadCase {
  const char* what;
  std::function<void(std::string&)> spoil;
  size_t record;
  std::string field;
};

TEST(TokuchoFile, EveryBadInputNamesRecordAndField) {
  const BadCase kCases[] = {
      {"length not 96 + n × 500", [](std::string& f) { f.pop_back(); }, 0, "(ファイル)"},
      {"length: a line break appended", [](std::string& f) { f += "\r\n"; }, 0, "(ファイル)"},
      {"unknown 通知内容コード", [](std::string& f) { poke(f, 'M', 0, "notice_code", "77"); }, 0, "通知内容コード"},
      {"management record count", [](std::string& f) { poke(f, 'M', 0, "record_count", "000000006"); }, 0, "レコード件数"},
      {"record type not 1/2/3", [](std::string& f) { poke(f, '2', 2, "record_type", "4"); }, 2, "レコード区分"},
      {"data before any header",
       [](std::string& f) { std::swap_ranges(f.begin() + 96, f.begin() + 596, f.begin() + 596); }, 1, "レコード区分"},
      {"a group without trailer (its trailer turned into data)", [](std::string& f) { poke(f, '3', 7, "record_type", "2"); }, 7,
       "レコード区分"},
      {"trailer count disagrees", [](std::string& f) { poke(f, '3', 4, "record_count", "000000003"); }, 4, "データレコード件数"},
      {"trailer total disagrees",
       [](std::string& f) { poke(f, '3', 4, "total_amount", "000000003600001"); }, 4, "年金支払額合計"},
      {"numeric field with a space", [](std::string& f) { poke(f, '2', 3, "annual_pension_amount", "0000240000 "); }, 3,
       "年金支払額"},
      {"unknown 年金保険者コード in the header", [](std::string& f) { poke(f, '1', 5, "pension_insurer_code", "999"); }, 5,
       "特別徴収義務者コード"},
      {"data of another pension insurer than its header",
       [](std::string& f) { poke(f, '2', 2, "pension_insurer_code", "002"); }, 2, "特別徴収義務者コード"},
      {"unknown 年金コード", [](std::string& f) { poke(f, '2', 3, "pension_code", "9999"); }, 3, "年金コード"},
      {"a date that does not exist", [](std::string& f) { poke(f, '2', 2, "birth_date", "19560231"); }, 2, "生年月日"},
      {"capture month 13", [](std::string& f) { poke(f, '2', 6, "capture_month", "202613"); }, 6, "捕捉月"},
      {"another city's 保険者番号", [](std::string& f) { poke(f, '2', 6, "insurer_no", "131016"); }, 6, "保険者番号"},
      {"sex outside the enum", [](std::string& f) { poke(f, '2', 2, "sex", "3"); }, 2, "性別"},
      {"full-width bytes in an X field", [](std::string& f) { poke(f, '2', 2, "kana_name", "\x83\x5E"); }, 2, "カナ氏名"},
      {"ASCII in an N field", [](std::string& f) { poke(f, '2', 3, "address", "ABC"); }, 3, "住所"},
      {"empty required kana name", [](std::string& f) { poke(f, '2', 3, "kana_name", ""); }, 3, "カナ氏名"},
      {"reserve not blank", [](std::string& f) { poke(f, '2', 3, "reserve", "X"); }, 3, "予備"},
  };
  for (const auto& c : kCases) {
    std::string file = target_file();
    c.spoil(file);
    auto parsed = parse_file(file, layouts(), kContext);
    EXPECT_FALSE(parsed.file) << c.what;
    ASSERT_FALSE(parsed.errors.empty()) << c.what;
    bool found = false;
    for (const auto& e : parsed.errors) found = found || (e.record == c.record && e.field == c.field);
    EXPECT_TRUE(found) << c.what << ": first error record " << parsed.errors[0].record << " " << parsed.errors[0].field << ": "
                       << parsed.errors[0].message;
    const Error e = to_error(parsed.errors, parsed.truncated);
    EXPECT_EQ(e.kind, ErrorKind::invalid_input);
    EXPECT_EQ(e.message.find("ﾀｶﾊｼ"), std::string::npos) << "no personal data in the reason: " << e.message;
  }
}

TEST(TokuchoFile, AFileOfAnotherKindIsRefusedByTheFlow) {
  ParseContext ctx = kContext;
  ctx.allowed = {FileKind::request_result, FileKind::collection_result};
  auto parsed = parse_file(target_file(), layouts(), ctx);
  ASSERT_FALSE(parsed.file);
  EXPECT_EQ(parsed.errors[0].field, "通知内容コード");
}

// ---- Bad layouts ----

class BadLayout : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kaigo-layout-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // The shipped target_list layout with line `from` replaced by `to`.
  Result<Layout> load_with(const std::string& from, const std::string& to) {
    std::ifstream in(config_dir() / "layouts" / "tokucho" / "target_list.v1.tsv");
    std::stringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    std::ofstream(dir_ / "target_list.v1.tsv") << text;
    std::map<std::string, CodeList> codes;
    return load_layout(dir_ / "target_list.v1.tsv", config_dir() / "codes", codes);
  }
  fs::path dir_;
};

TEST_F(BadLayout, RefusedNamingTheField) {
  struct Case {
    std::string from, to, field;
  };
  const Case kCases[] = {
      {"2\tpension_code\t年金コード\t23\t4", "2\tpension_code\t年金コード\t23\t5", "birth_date"},  // overlaps the next field
      {"2\tsex\t性別\t35\t1\t9", "2\tsex\t性別\t35\t1\tZ", "kind"},                  // unknown kind
      {"\tenum:1|2\t", "\tenum:one|two\t", "check"},                                 // enum values of another length
      {"\tcode:pension_kinds\t", "\tcode:no_such_list\t", "check"},                   // a code list that does not exist
      {"\tsum:annual_pension_amount\t", "\tsum:kanji_name\t", "total_amount"},       // sums a field that is not 9
      {"2\tcapture_month\t捕捉月\t294\t6\t9\t\tmonth", "2\tcapture_month\t捕捉月\t294\t6\t9\t\tweekday", "check"},
      {"M\tnotice_code\t通知内容コード\t1\t2\t9\t00", "M\tnotice_code\t通知内容コード\t1\t2\t9\t01", "notice_code"},
      {"2\tbasic_pension_no\t", "2\tpension_no\t", "basic_pension_no"},               // a key the code needs
  };
  for (const auto& c : kCases) {
    auto l = load_with(c.from, c.to);
    ASSERT_FALSE(l) << c.to;
    EXPECT_EQ(l.error().field, c.field) << l.error().message;
    EXPECT_NE(l.error().message.find("target_list.v1.tsv"), std::string::npos) << l.error().message;
  }
}

}  // namespace
}  // namespace kaigo::premium::tokucho
