// The synthetic city (kaigo demo): 2,000 people land in the database with the promised shapes —
// age shares, one head per household, valid unique My Numbers, 被保険者番号 only for 65+, tax rows
// for everyone aged 16+, no medical insurance for 40–64s on 生活保護 — and the same seed gives
// the same city while another seed gives another. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "test_db.hpp"

namespace kaigo {
namespace {

constexpr std::int64_t kPeople = 2'000;
const Date kBase{2026, 4, 1};

sim::CityOptions options(std::uint64_t seed) { return sim::CityOptions{kPeople, seed, kBase, "test"}; }

std::int64_t count(store::Database& db, const std::string& sql) {
  auto rows = db.query(sql);
  EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
  return rows && !rows->empty() ? rows->front().i64(0) : -1;
}

// SHA-256 over every value of a query's rows, streamed.
std::string digest(store::Database& db, const std::string& sql) {
  std::string all;
  auto r = db.with_connection([&](store::Connection& c) {
    return c.query_each(sql, {}, [&](const store::Row& row) {
      for (std::size_t i = 0; i < row.size(); ++i) all += row.str(i) + '\x1f';
      all += '\x1e';
      return true;
    });
  });
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return sha256_hex(all);
}

int age_on_base(const std::string& birth) { return kBase.age_of(*Date::parse(birth)); }

class SimCityTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam(), 4, &url);
    ASSERT_TRUE(db);
    auto built = sim::generate_city(*db, vault, options(1));
    ASSERT_TRUE(built) << built.error().message;
    report = *built;
  }
  people::MyNumberVault vault{random_bytes(32)};
  std::unique_ptr<store::Database> db;
  std::string url;
  sim::CityReport report;
};

TEST_P(SimCityTest, BuildsTheAskedNumberOfPeopleWithJapaneseAgeShares) {
  EXPECT_EQ(report.people, kPeople);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM person"), kPeople);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM person_history"), kPeople);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM my_number"), kPeople);
  EXPECT_EQ(count(*db, "SELECT COUNT(DISTINCT household_id) FROM person"), report.households);

  std::int64_t old = 0, middle = 0, women = 0;
  auto rows = db->query("SELECT birth_date, sex FROM person");
  ASSERT_TRUE(rows);
  for (const auto& r : *rows) {
    const int age = age_on_base(r.str(0));
    if (age >= 65) ++old;
    if (age >= 40 && age <= 64) ++middle;
    if (r.str(1) == "2") ++women;
  }
  EXPECT_EQ(old, report.aged_65_plus);
  EXPECT_EQ(middle, report.aged_40_64);
  EXPECT_GE(old * 100, kPeople * 25);
  EXPECT_LE(old * 100, kPeople * 35);
  EXPECT_GE(middle * 100, kPeople * 28);
  EXPECT_LE(middle * 100, kPeople * 38);
  EXPECT_GE(women * 100, kPeople * 47);
  EXPECT_LE(women * 100, kPeople * 56);
  // 生活保護 ≈ 2–3% and movers ≈ 3%; wide bounds for a city of 2,000.
  EXPECT_GE(report.public_assistance, kPeople / 200);
  EXPECT_LE(report.public_assistance, kPeople * 6 / 100);
  EXPECT_EQ(count(*db, "SELECT COUNT(DISTINCT person_id) FROM public_assistance"), report.public_assistance);
  EXPECT_GE(report.movers, kPeople / 100);
  EXPECT_LE(report.movers, kPeople * 6 / 100);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM person_origin"), report.movers);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM person_history WHERE reason = 'move_in'"), report.movers);
}

TEST_P(SimCityTest, EachHouseholdHasOneHeadAndRelationsFitAges) {
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM (SELECT household_id FROM person GROUP BY household_id "
                       "HAVING SUM(CASE WHEN relation = '世帯主' THEN 1 ELSE 0 END) <> 1) AS bad"),
            0);
  struct Member {
    int age;
    std::string relation, family, address;
  };
  std::map<std::string, std::vector<Member>> households;
  auto rows = db->query("SELECT household_id, birth_date, relation, name_kanji, address FROM person ORDER BY person_id");
  ASSERT_TRUE(rows);
  for (const auto& r : *rows) {
    const std::string name = r.str(3);
    households[r.str(0)].push_back({age_on_base(r.str(1)), r.str(2), name.substr(0, name.find(' ')), r.str(4)});
  }
  for (const auto& [id, members] : households) {
    const Member& head = members.front();
    ASSERT_EQ(head.relation, "世帯主") << id;
    for (const auto& m : members) {
      EXPECT_EQ(m.family, head.family) << id << ": family members share the family name";
      EXPECT_EQ(m.address, head.address) << id;
      if (m.relation == "子") {
        EXPECT_LE(m.age + 15, head.age) << id;
      }
      if (m.relation == "父" || m.relation == "母") {
        EXPECT_GE(m.age, head.age + 15) << id;
      }
      if (m.relation == "妻" || m.relation == "夫") {
        EXPECT_GE(m.age, 18) << id;
      }
    }
  }
}

TEST_P(SimCityTest, MyNumbersDecryptToValidUniqueNumbers) {
  std::set<std::string> numbers;
  auto rows = db->query("SELECT person_id, ciphertext, key_id FROM my_number");
  ASSERT_TRUE(rows);
  for (const auto& r : *rows) {
    auto plain = vault.decrypt(r.str(0), r.str(1));
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_TRUE(people::MyNumberVault::valid_my_number(*plain));
    EXPECT_EQ(r.str(2), vault.key_id());
    numbers.insert(*plain);
  }
  EXPECT_EQ(static_cast<std::int64_t>(numbers.size()), kPeople);
}

TEST_P(SimCityTest, InsuredNumbersOnlyForThe65PlusTenDigitsUnique) {
  auto rows = db->query("SELECT n.insured_no, p.birth_date, n.assigned_on FROM insured_number n "
                        "JOIN person p ON p.person_id = n.person_id");
  ASSERT_TRUE(rows);
  std::set<std::string> seen;
  for (const auto& r : *rows) {
    const std::string no = r.str(0);
    EXPECT_EQ(no.size(), 10u);
    EXPECT_EQ(no.find_first_not_of("0123456789"), std::string::npos);
    EXPECT_TRUE(seen.insert(no).second) << "duplicate insured_no";
    EXPECT_GE(age_on_base(r.str(1)), 65);
    // Assigned on reaching 65 (or on moving in later), never after the base date.
    EXPECT_GE(*Date::parse(r.str(2)), Date::reaches_age(*Date::parse(r.str(1)), 65));
    EXPECT_LE(*Date::parse(r.str(2)), kBase);
  }
  EXPECT_EQ(static_cast<std::int64_t>(rows->size()), report.aged_65_plus);
}

TEST_P(SimCityTest, TaxRowsForEveryoneAged16PlusAndConsistentWithWelfare) {
  std::int64_t sixteen_plus = 0;
  auto people = db->query("SELECT birth_date FROM person");
  ASSERT_TRUE(people);
  for (const auto& r : *people)
    if (age_on_base(r.str(0)) >= 16) ++sixteen_plus;
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM tax_income"), sixteen_plus);
  EXPECT_EQ(count(*db, "SELECT COUNT(DISTINCT person_id) FROM tax_income"), sixteen_plus);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM tax_income WHERE tax_year <> 2025"), 0);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM tax_income WHERE resident_tax_taxed = 1"), report.taxed);
  // Taxed and untaxed both occur; the taxed have income, the untaxed have no 課税所得.
  EXPECT_GT(report.taxed, sixteen_plus / 3);
  EXPECT_LT(report.taxed, sixteen_plus * 9 / 10);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM tax_income WHERE resident_tax_taxed = 0 AND taxable_income <> 0"), 0);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM tax_income WHERE resident_tax_taxed = 1 AND total_income <= 450000"), 0);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM tax_income t JOIN public_assistance a ON a.person_id = t.person_id "
                       "WHERE t.resident_tax_taxed = 1"),
            0);
  // 40–64 year-olds on 生活保護 have no medical insurance; the others all have one.
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM medical_insurance m JOIN public_assistance a ON a.person_id = m.person_id"), 0);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM medical_insurance"), report.medical_insured_40_64);
  EXPECT_GT(report.medical_insured_40_64, report.aged_40_64 * 9 / 10);
  // Everyone 65+ with an old-age pension has it in 公的年金等収入 unless it started this year.
  EXPECT_GT(count(*db, "SELECT COUNT(*) FROM pension WHERE pension_kind = 'old_age'"), report.aged_65_plus * 9 / 10);
}

TEST_P(SimCityTest, SameSeedSameCityOtherSeedDiffers) {
  auto same = testing::fresh_database(GetParam());
  auto other = testing::fresh_database(GetParam());
  ASSERT_TRUE(same && other);
  ASSERT_TRUE(sim::generate_city(*same, vault, options(1)));
  ASSERT_TRUE(sim::generate_city(*other, vault, options(2)));
  const std::string people_sql = "SELECT * FROM person ORDER BY person_id";
  const std::string tax_sql = "SELECT * FROM tax_income ORDER BY tax_income_id";
  const std::string pension_sql = "SELECT * FROM pension ORDER BY pension_id";
  EXPECT_EQ(digest(*db, people_sql), digest(*same, people_sql));
  EXPECT_EQ(digest(*db, tax_sql), digest(*same, tax_sql));
  EXPECT_EQ(digest(*db, pension_sql), digest(*same, pension_sql));
  EXPECT_NE(digest(*db, people_sql), digest(*other, people_sql));

  // The ciphertexts differ (fresh nonces) but the My Numbers are the same.
  auto numbers = [&](store::Database& d) {
    std::string all;
    auto rows = d.query("SELECT person_id, ciphertext FROM my_number ORDER BY person_id");
    EXPECT_TRUE(rows);
    for (const auto& r : *rows) all += vault.decrypt(r.str(0), r.str(1)).value_or("?") + ",";
    return all;
  };
  EXPECT_EQ(numbers(*db), numbers(*same));
}

TEST_P(SimCityTest, ClearCityRemovesEveryRowItWrote) {
  ASSERT_TRUE(sim::clear_city(*db));
  for (const char* table : {"person", "person_history", "my_number", "insured_number", "tax_income", "pension",
                            "public_assistance", "medical_insurance", "person_origin"})
    EXPECT_EQ(count(*db, fmt::format("SELECT COUNT(*) FROM {}", table)), 0) << table;
}

TEST_P(SimCityTest, DemoCommandRefusesAPopulatedDatabaseUnlessReplace) {
  const std::string dir = testing::scratch_dir("demo");
  const std::string base = fmt::format("'{}' --db '{}' --data-dir '{}' demo --people 300", KAIGO_BINARY, url, dir);
  auto run = [](const std::string& cmd) {
    const int status = std::system((cmd + " >/dev/null 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(run(base), 1) << "the database already holds the fixture's city";
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM person"), kPeople);
  EXPECT_EQ(run(base + " --replace --seed 3"), 0);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM person"), 300);
  EXPECT_EQ(run(base + " --base-date 2026-02-30 --replace"), 1);
}

INSTANTIATE_TEST_SUITE_P(Db, SimCityTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo
