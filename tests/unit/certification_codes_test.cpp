// The 認定 code lists are data checked at load: the shipped files hold the 74 基本調査 items of the
// national form and the demo city's contractors, institutions and committee members; a broken
// line fails naming the file, the line and the column.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "certification/codes.hpp"

namespace kaigo::certification {
namespace {

namespace fs = std::filesystem;

fs::path codes_dir() { return fs::path(__FILE__).parent_path().parent_path().parent_path() / "config" / "codes"; }

// A temporary TSV file with the given text.
class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    static int n = 0;
    path_ = fs::temp_directory_path() / fmt::format("kaigo-certcodes-{}-{}.tsv", getpid(), n++);
    std::ofstream(path_) << text;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(CertificationCodeLists, ShippedAssessmentItemsAreThe74ItemsOfTheForm) {
  auto items = load_assessment_items(codes_dir() / "assessment_items.tsv");
  ASSERT_TRUE(items) << items.error().message;
  // 認定調査票 (基本調査): 第1群 20, 第2群 12, 第3群 9, 第4群 15, 第5群 6, 特別な医療 12.
  ASSERT_EQ(items->size(), 74u);
  std::map<std::string, int> per_group;
  for (const auto& i : *items) ++per_group[i.group.substr(0, i.group.find(' '))];
  EXPECT_EQ(per_group["第1群"], 20);
  EXPECT_EQ(per_group["第2群"], 12);
  EXPECT_EQ(per_group["第3群"], 9);
  EXPECT_EQ(per_group["第4群"], 15);
  EXPECT_EQ(per_group["第5群"], 6);
  EXPECT_EQ(per_group["特別な医療"], 12);
  EXPECT_EQ(items->front().code, "1-1-1");
  EXPECT_EQ(items->front().choices, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(items->front().choice_labels, (std::vector<std::string>{"ない", "ある"}));
  const auto sitting = std::find_if(items->begin(), items->end(), [](const auto& i) { return i.code == "1-5"; });
  ASSERT_NE(sitting, items->end());
  EXPECT_EQ(sitting->name, "座位保持");
  EXPECT_EQ(sitting->choices.size(), 4u);
}

TEST(CertificationCodeLists, ShippedPartyListsLoad) {
  auto contractors = load_contractors(codes_dir() / "assessment_contractors.tsv");
  ASSERT_TRUE(contractors) << contractors.error().message;
  EXPECT_GE(contractors->size(), 5u);
  auto institutions = load_medical_institutions(codes_dir() / "medical_institutions.tsv");
  ASSERT_TRUE(institutions) << institutions.error().message;
  EXPECT_GE(institutions->size(), 20u);
  auto members = load_committee_members(codes_dir() / "committee_members.tsv");
  ASSERT_TRUE(members) << members.error().message;
  EXPECT_GE(members->size(), 15u);
  std::set<std::string> professions;
  for (const auto& m : *members) professions.insert(m.profession);
  EXPECT_GE(professions.size(), 5u) << "a committee of several professions (法15条: 保健・医療・福祉)";
}

TEST(CertificationCodeLists, LookupsFindByCode) {
  CertificationConfig c;
  c.contractors = {{"C001", "委託先", "1"}};
  c.institutions = {{"M0001", "病院", "2"}};
  c.members = {{"M01", "委員", "医師", "3", true}};
  c.assessment_items = {{"1-3", "第1群", "寝返り", {"1", "2", "3"}, {"a", "b", "c"}}};
  ASSERT_NE(c.contractor("C001"), nullptr);
  EXPECT_EQ(c.contractor("C001")->payee_code, "1");
  EXPECT_EQ(c.contractor("C002"), nullptr);
  EXPECT_EQ(c.institution("M0001")->name, "病院");
  EXPECT_EQ(c.member("M01")->profession, "医師");
  EXPECT_EQ(c.assessment_item("1-3")->choices.size(), 3u);
  EXPECT_EQ(c.assessment_item("1-4"), nullptr);
}

struct BadLine {
  const char* what;
  const char* text;       // the file
  int line;               // the line reported
  const char* column;     // the field reported
};

TEST(CertificationCodeLists, BadAssessmentItemLinesNameFileLineAndColumn) {
  const std::string header = "# items\ncode\tgroup\tname\tchoices\n";
  const BadLine rows[] = {
      {"too few fields", "1-3\t第1群\t寝返り\n", 3, "columns"},
      {"bad code", "1_3\t第1群\t寝返り\t1:a|2:b\n", 3, "code"},
      {"duplicate code", "1-3\t第1群\t寝返り\t1:a|2:b\n1-3\t第1群\t寝返り\t1:a|2:b\n", 4, "code"},
      {"empty name", "1-3\t第1群\t\t1:a|2:b\n", 3, "name"},
      {"choice without label", "1-3\t第1群\t寝返り\t1:a|2\n", 3, "choices"},
      {"non-digit value", "1-3\t第1群\t寝返り\tx:a|2:b\n", 3, "choices"},
      {"duplicate value", "1-3\t第1群\t寝返り\t1:a|1:b\n", 3, "choices"},
      {"one choice", "1-3\t第1群\t寝返り\t1:a\n", 3, "choices"},
  };
  for (const auto& r : rows) {
    TempFile f(header + r.text);
    auto items = load_assessment_items(f.path());
    ASSERT_FALSE(items) << r.what;
    EXPECT_EQ(items.error().kind, ErrorKind::invalid_input) << r.what;
    EXPECT_EQ(items.error().field, r.column) << r.what;
    EXPECT_NE(items.error().message.find(fmt::format("{}:{}:", f.path().string(), r.line)), std::string::npos)
        << r.what << ": " << items.error().message;
  }
}

TEST(CertificationCodeLists, BadPartyLinesNameFileLineAndColumn) {
  {
    TempFile f("code\tname\tpayee_code\nC001\t事業者\t12a\n");
    auto c = load_contractors(f.path());
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().field, "payee_code");
    EXPECT_NE(c.error().message.find(":2:"), std::string::npos) << c.error().message;
  }
  {
    TempFile f("code\tname\tpayee_code\nC001\t事業者\t1\nC001\t別の事業者\t2\n");
    auto c = load_contractors(f.path());
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().field, "code");
    EXPECT_NE(c.error().message.find(":3:"), std::string::npos) << c.error().message;
  }
  {
    TempFile f("code\tname\nM0001\t病院\n");
    auto m = load_medical_institutions(f.path());
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().field, "payee_code");  // missing column, named
  }
  {
    TempFile f("member_code\tname\tprofession\tpayee_code\tactive\nM01\t委員\t医師\t1\tyes\n");
    auto m = load_committee_members(f.path());
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().field, "active");
    EXPECT_NE(m.error().message.find(":2:"), std::string::npos) << m.error().message;
  }
  {
    TempFile f("member_code\tname\tprofession\tpayee_code\nM01\t委員\t\t1\n");
    auto m = load_committee_members(f.path());
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().field, "profession");
  }
  {
    auto missing = load_contractors(codes_dir() / "no_such_file.tsv");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("no_such_file.tsv"), std::string::npos);
  }
}

TEST(CertificationCodeLists, ShippedConfigLoadsWhole) {
  auto c = CertificationConfig::load(codes_dir().parent_path());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->rules.versions.empty());
  EXPECT_EQ(c->specified_diseases.size(), 16u);  // 介護保険法施行令2条
  EXPECT_EQ(c->assessment_items.size(), 74u);
  EXPECT_NE(c->contractor("C001"), nullptr);
  EXPECT_NE(c->institution("M0001"), nullptr);
  EXPECT_NE(c->member("M01"), nullptr);
}

TEST(CertificationCodeLists, InactiveMembersAreKept) {
  TempFile f("member_code\tname\tprofession\tpayee_code\tactive\nM01\t委員\t医師\t1\t0\nM02\t委員\t看護師\t2\t1\n");
  auto m = load_committee_members(f.path());
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->size(), 2u);
  EXPECT_FALSE((*m)[0].active);
  EXPECT_TRUE((*m)[1].active);
}

}  // namespace
}  // namespace kaigo::certification
