// The simulator's pure parts: the scenario rule format (every field checked, the offending one
// named), the kind table (built in, and read from a TSV by its header names), the deterministic
// shares, and the timestamps of the clock endpoint.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "sim/number_network/kinds.hpp"
#include "sim/number_network/scenario.hpp"
#include "sim/number_network/settable_clock.hpp"
#include "sim/number_network/shares.hpp"

namespace kaigo::sim::network {
namespace {

using json = nlohmann::json;

TEST(SimNetworkScenario, ParsesRulesAndPicksTheFirstMatch) {
  auto s = Scenario::from_json(json::parse(R"({"rules":[
      {"person_id":"1000000042","kind":"iryo_insurance","effect":"manual_pending","latency_seconds":600,"manual_seconds":3600},
      {"kind":"iryo_insurance","effect":"not_found"},
      {"effect":"error","error_code":"E_TARGET"}]})"));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->rule_for("1000000042", "iryo_insurance").effect, Effect::manual_pending);
  EXPECT_EQ(s->rule_for("1000000042", "iryo_insurance").manual_seconds, 3600);
  EXPECT_EQ(s->rule_for("1000000043", "iryo_insurance").effect, Effect::not_found);
  EXPECT_EQ(s->rule_for("1000000043", "city_resident").effect, Effect::error);
  EXPECT_EQ(Scenario{}.rule_for("1", "city_resident").effect, Effect::answer);
  auto round = Scenario::from_json(s->to_json());
  ASSERT_TRUE(round);
  EXPECT_EQ(round->to_json(), s->to_json());
}

TEST(SimNetworkScenario, RejectsBadRulesNamingTheField) {
  auto field_of = [](const char* text) {
    auto s = Scenario::from_json(json::parse(text));
    return s ? std::string("(accepted)") : s.error().field;
  };
  EXPECT_EQ(field_of(R"({})"), "rules");
  EXPECT_EQ(field_of(R"({"rules":[{"effect":"explode"}]})"), "rules[0].effect");
  EXPECT_EQ(field_of(R"({"rules":[{},{"kind":"city_weather"}]})"), "rules[1].kind");
  EXPECT_EQ(field_of(R"({"rules":[{"latency_seconds":86401}]})"), "rules[0].latency_seconds");  // at most a day
  EXPECT_EQ(field_of(R"({"rules":[{"latency_seconds":-1}]})"), "rules[0].latency_seconds");
  EXPECT_EQ(field_of(R"({"rules":[{"malformation":"garbled"}]})"), "rules[0].malformation");
  EXPECT_EQ(field_of(R"({"rules":[{"malformed_polls":0}]})"), "rules[0].malformed_polls");
  EXPECT_EQ(field_of(R"({"rules":[{"latency":5}]})"), "rules[0].latency");  // unknown field
  EXPECT_EQ(field_of(R"({"rules":[{"latency_seconds":86400,"effect":"late"}]})"), "(accepted)");
}

TEST(SimNetworkKinds, BuiltInCoversEveryKindOnce) {
  const auto t = KindTable::built_in();
  EXPECT_EQ(t.codes().size(), known_kinds().size());
  for (auto kind : known_kinds()) {
    auto item = t.item_for_kind(kind);
    ASSERT_TRUE(item) << kind;
    EXPECT_EQ(t.kind_for_item(*item), std::string(kind));
  }
  EXPECT_FALSE(t.kind_for_item("TK9999999999"));
}

TEST(SimNetworkKinds, LoadsATsvByItsHeaderNames) {
  const auto path = std::filesystem::temp_directory_path() / "sim_network_kinds_test.tsv";
  {
    std::ofstream f(path);
    f << "# comment\n"
      << "item_code\tdescription\tkind\n"
      << "TK1\t地方税\tcity_local_tax\n"
      << "TK2\tunknown to the simulator\tcity_weather\n"
      << "TK1\t地方税 (next version)\tcity_local_tax\n";
  }
  auto t = KindTable::load(path.string());
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->kind_for_item("TK1"), "city_local_tax");
  EXPECT_FALSE(t->kind_for_item("TK2"));
  {
    std::ofstream f(path);
    f << "kind\tcode\ncity_local_tax\tTK1\n";
  }
  auto bad = KindTable::load(path.string());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "item_code");
  std::filesystem::remove(path);
}

TEST(SimNetworkShares, AreDeterministicAndNearTheirSize) {
  int certificate = 0, rule = 0, arrears = 0;
  for (int i = 1; i <= 20000; ++i) {
    const std::string id = std::to_string(1000000000 + i);
    certificate += has_former_certificate(id) ? 1 : 0;
    rule += has_former_address_rule(id) ? 1 : 0;
    arrears += has_arrears(id) ? 1 : 0;
    EXPECT_EQ(has_arrears(id), has_arrears(std::string(id)));
  }
  // 30%, 20% and 5% of 20,000 within ±2 points.
  EXPECT_NEAR(certificate, 6000, 400);
  EXPECT_NEAR(rule, 4000, 400);
  EXPECT_NEAR(arrears, 1000, 400);
  EXPECT_EQ(share_point("x", "1000000001"), share_point("x", "1000000001"));
  EXPECT_LT(share_pick("x", "1000000001", 12), 12u);
}

TEST(SimNetworkClock, ParsesTimestampsAndMovesOverItsBase) {
  auto jst = parse_timestamp("2026-11-24T10:00:00+09:00");
  auto utc = parse_timestamp("2026-11-24T01:00:00Z");
  ASSERT_TRUE(jst && utc);
  EXPECT_EQ(*jst, *utc);
  EXPECT_EQ(jst_timestamp(*jst), "2026-11-24T10:00:00+09:00");
  EXPECT_FALSE(parse_timestamp("2026-11-24 10:00:00"));
  EXPECT_FALSE(parse_timestamp("2026-02-30T10:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-11-24T24:00:00Z"));

  FixedClock base = FixedClock::at(Date{2026, 11, 24});
  SettableClock c(base);
  EXPECT_EQ(c.now(), base.now());
  c.advance(std::chrono::seconds{86400});
  EXPECT_EQ(c.today(), (Date{2026, 11, 25}));
  c.set(*jst);
  EXPECT_EQ(c.timestamp(), "2026-11-24T10:00:00+09:00");
  base.advance(std::chrono::seconds{60});  // the base keeps moving under the offset
  EXPECT_EQ(c.timestamp(), "2026-11-24T10:01:00+09:00");
}

}  // namespace
}  // namespace kaigo::sim::network
