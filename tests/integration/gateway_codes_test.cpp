// The code tables of config/codes load; broken copies fail naming file, line and field.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/hash.hpp"
#include "gateway/codes.hpp"

namespace kaigo::gateway {
namespace {

namespace fs = std::filesystem;

TEST(GatewayCodes, TheRealFilesLoad) {
  auto b = CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
  ASSERT_TRUE(b) << b.error().message;
  for (const char* k : {"city_resident", "city_certificate", "city_former_address_rule", "city_local_tax", "city_household",
                        "iryo_insurance", "iryo_arrears", "pref_public_assistance", "nenkin_old_age_welfare"})
    EXPECT_NE(b->kind(k), nullptr) << k;
  const auto* tax = b->kind("city_local_tax");
  EXPECT_EQ(tax->counterpart, "city");
  ASSERT_EQ(tax->flows.size(), 2u);
  EXPECT_EQ(tax->flows[1].request_flow, "KY-08");
  EXPECT_EQ(tax->flows[1].answer_flow, "KY-09");
  EXPECT_FALSE(b->kind("pref_public_assistance")->disclosed);
  // A revision is a row: version 1 until 2024-12-31, version 2 from 2025-01-01.
  EXPECT_EQ(b->in_effect("items", "TK0000000201", Date(2024, 6, 1))->version, 1);
  EXPECT_EQ(b->in_effect("items", "TK0000000201", Date(2026, 6, 1))->version, 2);
}

// A copy of config/ with one line of one file replaced.
std::string broken_copy(const std::string& file, const std::string& from, const std::string& to) {
  const fs::path dir = fs::temp_directory_path() / ("kaigo-codes-" + to_hex(random_bytes(6)));
  fs::copy(KAIGO_SOURCE_CONFIG_DIR, dir, fs::copy_options::recursive);
  const fs::path path = dir / "codes" / file;
  std::stringstream ss;
  ss << std::ifstream(path).rdbuf();
  std::string text = ss.str();
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  std::ofstream(path, std::ios::trunc) << text;
  return dir.string();
}

struct Broken {
  const char* file;
  const char* from;
  const char* to;
  const char* field;
  const char* where;  // "file:line" expected in the message
};

TEST(GatewayCodes, BrokenCopiesNameFileLineAndField) {
  const Broken cases[] = {
      {"jimu.tsv", "code\tname\tversion", "code\tnom\tversion", "name", "jimu.tsv:7"},
      {"procedures.tsv", "JT0000009302\tJM0000000093", "JT0000009302\tJM0000000099", "jimu_code", "procedures.tsv:9"},
      {"items.tsv", "2015-10-05\t2024-12-31", "2015-10-05\t2025-03-31", "valid_from", "items.tsv:11"},
      {"items.tsv", "TK0000000101\t住民票関係情報\t1\t2015-10-05", "TK0000000101\t住民票関係情報\t1\t2015-13-05", "valid_from", "items.tsv:8"},
      {"institutions.tsv", "2000000000001\tiryo", "2000000000001\tiryx", "counterpart", "institutions.tsv:9"},
      {"inquiry_kinds.tsv", "iryo_arrears\tiryo\tJM0000000093\tTK0000000402", "iryo_arrears\tiryo\tJM0000000093\tTK0000000999", "item_code", "inquiry_kinds.tsv:18"},
      {"inquiry_kinds.tsv", "\tNT-04\tNT-05\t", "\tNT-04\tSK-05\t", "answer_flows", "inquiry_kinds.tsv:18"},
      {"inquiry_kinds.tsv", "\twithheld\t", "\thidden\t", "disclosure", "inquiry_kinds.tsv:19"},
  };
  for (const auto& c : cases) {
    auto b = CodeBook::load(broken_copy(c.file, c.from, c.to));
    ASSERT_FALSE(b) << c.file << " " << c.to;
    EXPECT_EQ(b.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(b.error().field, c.field) << b.error().message;
    EXPECT_NE(b.error().message.find(c.where), std::string::npos) << b.error().message;
  }
}

}  // namespace
}  // namespace kaigo::gateway
