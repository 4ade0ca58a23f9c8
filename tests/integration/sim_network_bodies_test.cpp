// The counterparts' simulator answers from the synthetic city: for every inquiry kind, a person
// who has the fact gets the city's values (provided) and one who does not gets not_found. Through
// the 中間サーバー's own protocol (submit, then poll) in process, on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "sim/number_network/shares.hpp"
#include "test_db.hpp"

namespace kaigo {
namespace {

using json = nlohmann::json;
namespace net = sim::network;

const Date kBase{2026, 4, 1};

// One city per backend for the whole suite (the simulator only reads it).
store::Database& city(const std::string& backend) {
  static std::map<std::string, std::unique_ptr<store::Database>> cities;
  auto& db = cities[backend];
  if (!db) {
    db = testing::fresh_database(backend);
    people::MyNumberVault vault(random_bytes(32));
    auto built = sim::generate_city(*db, vault, sim::CityOptions{1'500, 1, kBase, "test"});
    EXPECT_TRUE(built) << (built ? "" : built.error().message);
    // 1% of the 95+ get 老齢福祉年金: a city of 1,500 has none, so one recipient is added the
    // way the pension insurer's data would hold them.
    auto oldest = db->query("SELECT person_id FROM person ORDER BY birth_date, person_id LIMIT 1");
    EXPECT_TRUE(oldest && !oldest->empty());
    auto added = db->exec(
        "INSERT INTO pension (person_id, pension_kind, annual_amount, pension_insurer_code, valid_from, valid_to, source, "
        "recorded_at, recorded_by) VALUES ($1, 'old_age_welfare', 410000, '001', '2000-04-01', NULL, 'synthetic_city', "
        "'2026-04-01T00:00:00+09:00', 'test')",
        {oldest->front().str(0)});
    EXPECT_TRUE(added) << (added ? "" : added.error().message);
  }
  return *db;
}

std::string first(store::Database& db, const std::string& sql) {
  auto rows = db.query(sql);
  EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
  EXPECT_TRUE(rows && !rows->empty()) << sql;
  return rows && !rows->empty() ? rows->front().str(0) : "";
}

std::vector<std::string> column(store::Database& db, const std::string& sql) {
  std::vector<std::string> out;
  auto rows = db.query(sql);
  EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
  if (rows)
    for (const auto& r : *rows) out.push_back(r.str(0));
  return out;
}

class SimNetworkBodiesTest : public ::testing::TestWithParam<std::string> {
 protected:
  SimNetworkBodiesTest() : db(city(GetParam())), sim(db, clock) {}

  // Submits one inquiry for FY2026 and polls it once (no latency by default): the answer entry.
  json ask(const std::string& kind, const std::string& person_id) {
    const auto item = net::KindTable::built_in().item_for_kind(kind);
    EXPECT_TRUE(item) << kind;
    json req{{"protocol", net::kProtocol},
             {"requests",
              {{{"request_key", fmt::format("INQ-{}", ++key)},
                {"person_id", person_id},
                {"jimu_code", "JM0000000093"},
                {"procedure_code", "JT0000009301"},
                {"item_code", item.value_or("")},
                {"institution_code", "1000000000001"},
                {"period_from", "2026-04-01"},
                {"period_to", "2027-03-31"}}}}};
    auto submitted = sim.handle("submit", req.dump());
    EXPECT_TRUE(submitted) << (submitted ? "" : submitted.error().message);
    const auto no = json::parse(*submitted)["accepted"][0]["processing_no"].get<std::string>();
    auto polled = sim.handle("poll", json{{"protocol", net::kProtocol}, {"processing_nos", {no}}}.dump());
    EXPECT_TRUE(polled) << (polled ? "" : polled.error().message);
    auto answer = json::parse(*polled)["answers"][0];
    EXPECT_EQ(answer["processing_no"], no);
    return answer;
  }
  void expect_not_found(const std::string& kind, const std::string& person_id) {
    SCOPED_TRACE(kind);
    auto a = ask(kind, person_id);
    EXPECT_EQ(a["status"], "not_found");
    EXPECT_FALSE(a.contains("items"));
  }

  store::Database& db;
  FixedClock clock = FixedClock::at(Date{2026, 5, 1});
  net::IntermediateServerSim sim;
  int key = 0;
};

// A person who never moved (the other cities know nothing of them).
const char* kNonMover =
    "SELECT person_id FROM person WHERE person_id NOT IN (SELECT person_id FROM person_origin) ORDER BY person_id LIMIT 1";

TEST_P(SimNetworkBodiesTest, CityResidentGivesTheFormerMunicipalityOfAMover_SK04) {
  const auto mover = first(db, "SELECT person_id FROM person_origin ORDER BY person_id LIMIT 1");
  auto origin = db.query("SELECT former_municipality_code, former_municipality_name, moved_in_on FROM person_origin "
                         "WHERE person_id = $1", {mover});
  ASSERT_TRUE(origin);
  auto a = ask("city_resident", mover);
  ASSERT_EQ(a["status"], "provided") << a.dump();
  EXPECT_EQ(a["items"]["former_municipality_code"], origin->front().str(0));
  EXPECT_EQ(a["items"]["former_municipality_name"], origin->front().str(1));
  EXPECT_EQ(a["items"]["moved_out_on"], origin->front().str(2));
  EXPECT_TRUE(a["items"]["address"].get<std::string>().starts_with(origin->front().str(1)));
  EXPECT_EQ(a["items"]["name"], first(db, fmt::format("SELECT name_kanji FROM person WHERE person_id = '{}'", mover)));
  EXPECT_EQ(a["null_reasons"]["household_id"], net::kNullNotHeld);
  EXPECT_FALSE(a["items"].contains("household_id"));
  bool self = false;
  for (const auto& m : a["items"]["household_members"]) self = self || m["person_id"] == mover;
  EXPECT_TRUE(self);
  expect_not_found("city_resident", first(db, kNonMover));
}

TEST_P(SimNetworkBodiesTest, CityCertificateForTheDeterministicShareOfMoversAged40Plus_SK08) {
  std::string certified, uncertified;
  for (const auto& p : column(db, "SELECT o.person_id FROM person_origin o JOIN person p ON p.person_id = o.person_id "
                                  "WHERE p.birth_date <= '1985-01-01' ORDER BY o.person_id")) {
    if (net::has_former_certificate(p) && certified.empty()) certified = p;
    if (!net::has_former_certificate(p) && uncertified.empty()) uncertified = p;
  }
  ASSERT_FALSE(certified.empty()) << "no mover aged 40+ in the share: the city or the share changed";
  auto a = ask("city_certificate", certified);
  ASSERT_EQ(a["status"], "provided") << a.dump();
  EXPECT_EQ(a["items"]["former_insurer_no"],
            first(db, fmt::format("SELECT former_municipality_code FROM person_origin WHERE person_id = '{}'", certified)));
  EXPECT_TRUE(a["items"]["care_level"].get<std::string>().starts_with("要"));
  EXPECT_LT(a["items"]["certified_from"].get<std::string>(), a["items"]["certified_to"].get<std::string>());
  EXPECT_EQ(ask("city_certificate", certified)["items"], a["items"]);  // the same every time
  if (!uncertified.empty()) expect_not_found("city_certificate", uncertified);
  expect_not_found("city_certificate", first(db, kNonMover));
}

TEST_P(SimNetworkBodiesTest, CityFormerAddressRuleForItsShare_SK10) {
  std::string applies;
  for (const auto& p : column(db, "SELECT o.person_id FROM person_origin o JOIN person p ON p.person_id = o.person_id "
                                  "WHERE p.birth_date <= '1985-01-01' ORDER BY o.person_id"))
    if (net::has_former_address_rule(p) && applies.empty()) applies = p;
  ASSERT_FALSE(applies.empty()) << "no mover aged 40+ in the share";
  auto a = ask("city_former_address_rule", applies);
  ASSERT_EQ(a["status"], "provided") << a.dump();
  EXPECT_EQ(a["items"]["applies"], true);
  EXPECT_EQ(a["items"]["insurer_no"].get<std::string>().size(), 6u);
  EXPECT_EQ(a["null_reasons"]["valid_to"], net::kNullNotApplicable);
  expect_not_found("city_former_address_rule", first(db, kNonMover));
}

TEST_P(SimNetworkBodiesTest, CityLocalTaxGivesTheMoversTaxRow_FK03) {
  const auto mover = first(db, "SELECT o.person_id FROM person_origin o JOIN tax_income t ON t.person_id = o.person_id "
                               "ORDER BY o.person_id LIMIT 1");
  auto tax = db.query("SELECT tax_year, total_income, taxable_pension_income, resident_tax_taxed, taxable_income "
                      "FROM tax_income WHERE person_id = $1", {mover});
  ASSERT_TRUE(tax);
  auto a = ask("city_local_tax", mover);
  ASSERT_EQ(a["status"], "provided") << a.dump();
  EXPECT_EQ(a["items"]["tax_year"], tax->front().i64(0));
  EXPECT_EQ(a["items"]["total_income"], tax->front().i64(1));
  EXPECT_EQ(a["items"]["taxable_pension_income"], tax->front().i64(2));
  EXPECT_EQ(a["items"]["resident_tax_taxed"], tax->front().i64(3));
  EXPECT_EQ(a["items"]["taxable_income"], tax->front().i64(4));
  expect_not_found("city_local_tax", first(db, kNonMover));
}

TEST_P(SimNetworkBodiesTest, CityHouseholdListsTheMembersWithTheirTaxedFlag_FK05) {
  const auto mover = first(db, "SELECT person_id FROM person_origin ORDER BY person_id LIMIT 1");
  const auto household = first(db, fmt::format("SELECT household_id FROM person WHERE person_id = '{}'", mover));
  auto members = db.query("SELECT p.person_id, t.resident_tax_taxed FROM person p LEFT JOIN tax_income t "
                          "ON t.person_id = p.person_id WHERE p.household_id = $1 ORDER BY p.person_id", {household});
  ASSERT_TRUE(members);
  auto a = ask("city_household", mover);
  ASSERT_EQ(a["status"], "provided") << a.dump();
  EXPECT_EQ(a["items"]["household_id"], household);
  // The city's members first; then, for a share of households, one who stayed in the former city
  // (a member number of that city, no person_id).
  const std::size_t extra = net::has_member_elsewhere(household) ? 1 : 0;
  ASSERT_EQ(a["items"]["members"].size(), members->size() + extra);
  EXPECT_EQ(a["items"]["member_count"], members->size() + extra);
  for (std::size_t i = 0; i < members->size(); ++i) {
    const auto& m = a["items"]["members"][i];
    EXPECT_EQ(m["person_id"], (*members)[i].str(0));
    if ((*members)[i].is_null(1)) EXPECT_EQ(m["null_reasons"]["resident_tax_taxed"], net::kNullNotHeld);
    else EXPECT_EQ(m["resident_tax_taxed"], (*members)[i].i64(1));
  }
  if (extra) {
    const auto& stayed = a["items"]["members"].back();
    EXPECT_FALSE(stayed.contains("person_id"));
    EXPECT_TRUE(stayed["member_no"].is_string());
  }
  expect_not_found("city_household", first(db, kNonMover));
}

TEST_P(SimNetworkBodiesTest, IryoInsuranceGivesTheInsurerOfA40To64YearOld_SK12) {
  auto row = db.query("SELECT person_id, insurer_kind, insurer_no, valid_from FROM medical_insurance ORDER BY person_id LIMIT 1");
  ASSERT_TRUE(row && !row->empty());
  auto a = ask("iryo_insurance", row->front().str(0));
  ASSERT_EQ(a["status"], "provided") << a.dump();
  EXPECT_EQ(a["items"]["insurer_kind"], row->front().str(1));
  EXPECT_EQ(a["items"]["insurer_no"], row->front().str(2));
  EXPECT_EQ(a["items"]["acquired_on"], row->front().str(3));
  EXPECT_EQ(a["null_reasons"]["lost_on"], net::kNullNotApplicable);
  expect_not_found("iryo_insurance", first(db, "SELECT person_id FROM person WHERE birth_date < '1950-01-01' "
                                               "ORDER BY person_id LIMIT 1"));
}

TEST_P(SimNetworkBodiesTest, IryoArrearsForItsShareOfTheInsured_NT04) {
  std::string in_arrears, paying;
  for (const auto& p : column(db, "SELECT person_id FROM medical_insurance ORDER BY person_id")) {
    if (net::has_arrears(p) && in_arrears.empty()) in_arrears = p;
    if (!net::has_arrears(p) && paying.empty()) paying = p;
  }
  ASSERT_FALSE(in_arrears.empty());
  auto a = ask("iryo_arrears", in_arrears);
  ASSERT_EQ(a["status"], "provided") << a.dump();
  EXPECT_EQ(a["items"]["in_arrears"], true);
  EXPECT_GE(a["items"]["arrears_months"].get<int>(), 1);
  EXPECT_LE(a["items"]["arrears_months"].get<int>(), 12);
  expect_not_found("iryo_arrears", paying);
}

TEST_P(SimNetworkBodiesTest, PrefPublicAssistanceGivesKindAndStart_SK14) {
  auto row = db.query("SELECT person_id, kind, valid_from FROM public_assistance ORDER BY person_id LIMIT 1");
  ASSERT_TRUE(row && !row->empty());
  auto a = ask("pref_public_assistance", row->front().str(0));
  ASSERT_EQ(a["status"], "provided") << a.dump();
  EXPECT_EQ(a["items"]["assistance_kind"], row->front().str(1));
  EXPECT_EQ(a["items"]["started_on"], row->front().str(2));
  EXPECT_EQ(a["null_reasons"]["ended_on"], net::kNullNotApplicable);
  expect_not_found("pref_public_assistance",
                   first(db, "SELECT person_id FROM person WHERE person_id NOT IN (SELECT person_id FROM public_assistance) "
                             "ORDER BY person_id LIMIT 1"));
}

TEST_P(SimNetworkBodiesTest, NenkinOldAgeWelfareFromThePensionRows_FK07) {
  const auto recipient = first(db, "SELECT person_id FROM pension WHERE pension_kind = 'old_age_welfare' LIMIT 1");
  auto a = ask("nenkin_old_age_welfare", recipient);
  ASSERT_EQ(a["status"], "provided") << a.dump();
  EXPECT_EQ(a["items"]["receives"], true);
  EXPECT_EQ(a["items"]["annual_amount"], 410000);
  EXPECT_EQ(a["items"]["started_on"], "2000-04-01");
  expect_not_found("nenkin_old_age_welfare",
                   first(db, "SELECT person_id FROM pension WHERE pension_kind = 'old_age' ORDER BY person_id LIMIT 1"));
}

// The gateway's code table (config/codes/inquiry_kinds.tsv) maps every kind the simulator answers,
// to the same item codes as the simulator's built-in table: both sides agree without wiring.
TEST(SimNetworkKinds, TheGatewaysTableAgreesWithTheBuiltInOne) {
  const std::filesystem::path real = std::filesystem::path(KAIGO_SOURCE_CONFIG_DIR) / "codes" / "inquiry_kinds.tsv";
  if (!std::filesystem::exists(real)) GTEST_SKIP() << "no config/codes/inquiry_kinds.tsv";
  auto t = net::KindTable::load(real.string());
  ASSERT_TRUE(t) << t.error().message;
  const auto built_in = net::KindTable::built_in();
  for (auto kind : net::known_kinds()) EXPECT_EQ(t->item_for_kind(kind), built_in.item_for_kind(kind)) << kind;
}

INSTANTIATE_TEST_SUITE_P(Db, SimNetworkBodiesTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo
