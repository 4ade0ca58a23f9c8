// 副本 backlog (staging, batches, resume after a failure), 情報提供等記録 and its CSV, and the rule
// that the My Number never leaves: every document sent is scanned for it. SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "core/hash.hpp"
#include "gateway/disclosure.hpp"
#include "gateway/inquiry_service.hpp"
#include "gateway/provision_service.hpp"
#include "gateway_fake_chukan.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "test_db.hpp"

namespace kaigo::gateway {
namespace {

class GatewayProvisionTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = kaigo::testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    auto loaded = CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(loaded) << loaded.error().message;
    codes = std::make_unique<CodeBook>(std::move(*loaded));
    sim::CityOptions o;
    o.people = 400;
    o.seed = 7;
    ASSERT_TRUE(sim::generate_city(*db, vault, o));
    transport = make_in_process_transport([this](const std::string& op, const std::string& body) -> Result<std::string> {
      if (op == kOpRegister && ++register_calls == fail_register_call)
        return fail(ErrorKind::unavailable, "中間サーバー down");
      return fake.handle(op, body);
    });
  }
  std::int64_t count(const std::string& sql) {
    auto rows = db->query(sql);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? (*rows)[0].i64(0) : -1;
  }

  std::unique_ptr<store::Database> db;
  people::MyNumberVault vault{random_bytes(32)};
  std::unique_ptr<CodeBook> codes;
  testing::FakeChukan fake;
  int register_calls = 0;
  int fail_register_call = 0;
  std::unique_ptr<Transport> transport;
  FixedClock clock = FixedClock::at(Date(2026, 11, 24));
};

TEST_P(GatewayProvisionTest, TheMyNumberNeverLeaves) {
  auto people = db->query("SELECT person_id FROM person ORDER BY person_id");
  ASSERT_TRUE(people);
  std::vector<std::string> ids;
  for (const auto& r : *people) ids.push_back(r.str(0));
  InquiryService service(*db, *transport, *codes, clock);
  ASSERT_TRUE(service.submit_bulk("city_resident", ids, Date(2026, 1, 1), Date(2026, 11, 24), "転入確認", "batch"));
  ASSERT_TRUE(service.submit(InquiryRequestSpec{"iryo_insurance", ids.front(), Date(2026, 1, 1), Date(2026, 11, 24),
                                                "第2号 医療保険資格", "NT-02", ""},
                             "staff1"));
  clock.advance(std::chrono::seconds(30));
  ASSERT_TRUE(service.run_due(clock));
  ASSERT_TRUE(stage_eligibility(*db, clock, clock.timestamp() + "#1"));
  ASSERT_TRUE(register_pending(*db, *transport, clock, 100, 100));

  auto numbers = db->query("SELECT person_id, ciphertext FROM my_number");
  ASSERT_TRUE(numbers);
  ASSERT_EQ(numbers->size(), ids.size());
  std::string all_documents;
  for (const auto& [op, body] : fake.documents) all_documents += body + "\n";
  EXPECT_GE(fake.documents.size(), 4u);
  EXPECT_NE(all_documents.find(ids.front()), std::string::npos);  // person_id is what travels
  for (const auto& r : *numbers) {
    auto plain = vault.decrypt(r.str(0), r.str(1));
    ASSERT_TRUE(plain);
    ASSERT_EQ(plain->size(), 12u);
    EXPECT_EQ(all_documents.find(*plain), std::string::npos) << "a My Number left kaigo";
  }
}

TEST_P(GatewayProvisionTest, StagingIsIdempotentPerDataSetPersonAndVersion) {
  const auto insured = count("SELECT COUNT(*) FROM insured_number");
  ASSERT_GT(insured, 0);
  auto first = stage_eligibility(*db, clock, "2026-11-24T09:00:00+09:00#1");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, insured);
  EXPECT_EQ(stage_eligibility(*db, clock, "2026-11-24T09:00:00+09:00#1").value(), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM provision_copy WHERE data_set = 'eligibility'"), insured);
  auto row = db->query("SELECT items, null_reasons FROM provision_copy LIMIT 1");
  ASSERT_TRUE(row);
  EXPECT_NE((*row)[0].str(0).find("\"category\":\"1\""), std::string::npos);
  EXPECT_NE((*row)[0].str(1).find("該当なし"), std::string::npos);

  auto other = db->transaction([&](store::Connection& c) -> Result<void> {
    auto n = stage_copies(c, clock, "recipient", {StagedCopy{"1000000001", "v1", {{"care_level", "21"}}, {}}});
    if (!n) return std::unexpected(n.error());
    EXPECT_EQ(*n, 1);
    auto bad = stage_copies(c, clock, "no_such_set", {StagedCopy{"1000000001", "v1", {}, {}}});
    EXPECT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "data_set");
    return {};
  });
  ASSERT_TRUE(other);
}

TEST_P(GatewayProvisionTest, RegisterResumesAfterAFailureMidWay) {
  auto staged = stage_eligibility(*db, clock, "v1");
  ASSERT_TRUE(staged);
  ASSERT_GT(*staged, 60);
  fail_register_call = 3;  // the third batch fails
  auto first = register_pending(*db, *transport, clock, 20, 1000);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->registered, 40);
  EXPECT_FALSE(first->stopped.empty());
  EXPECT_EQ(first->remaining, *staged - 40);
  auto second = register_pending(*db, *transport, clock, 20, 1000);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->stopped.empty());
  EXPECT_EQ(second->registered, *staged - 40);
  EXPECT_EQ(second->remaining, 0);
  EXPECT_EQ(static_cast<std::int64_t>(fake.registered.size()), *staged);
  EXPECT_EQ(count("SELECT COUNT(*) FROM provision_copy WHERE status = 'registered'"), *staged);
}

TEST_P(GatewayProvisionTest, DisclosureRecordsAndCsv) {
  InquiryService service(*db, *transport, *codes, clock);
  auto a = service.submit(InquiryRequestSpec{"city_local_tax", "1000000001", Date(2025, 1, 1), Date(2025, 12, 31),
                                             "保険料賦課", "", ""},
                          "staff1");
  ASSERT_TRUE(a);
  auto b = service.submit(InquiryRequestSpec{"pref_public_assistance", "1000000001", Date(2026, 1, 1), Date(2026, 11, 24),
                                             "境界層 確認", "FK-09", ""},
                          "staff1");
  ASSERT_TRUE(b);
  clock.advance(std::chrono::seconds(30));
  ASSERT_TRUE(service.run_due(clock));
  ASSERT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
    auto n = stage_copies(c, clock, "eligibility", {StagedCopy{"1000000001", "v9", {{"insured_no", "0100000001"}}, {{"lost_on", "該当なし"}}}});
    if (!n) return std::unexpected(n.error());
    return {};
  }));
  std::vector<DisclosureRecord> records;
  ASSERT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
    auto r = exchange_records_for_person(c, *codes, "1000000001");
    if (!r) return std::unexpected(r.error());
    records = std::move(*r);
    return {};
  }));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].direction, "照会");
  EXPECT_EQ(records[0].provider, "city");
  EXPECT_EQ(records[0].flow_id, "FK-03");
  EXPECT_EQ(records[0].status, "provided");
  EXPECT_NE(records[0].answer_summary.find("total_income"), std::string::npos);
  EXPECT_EQ(records[0].answer_summary.find("1200000"), std::string::npos);  // names, never values
  EXPECT_TRUE(records[0].disclosed);
  EXPECT_FALSE(records[1].disclosed);  // 生活保護: withheld from マイナポータル
  EXPECT_EQ(records[2].direction, "提供");
  const std::string csv = export_csv(records);
  EXPECT_TRUE(csv.starts_with("\"direction\",\"requester\""));
  EXPECT_NE(csv.find("\"withheld\""), std::string::npos);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
}

INSTANTIATE_TEST_SUITE_P(Db, GatewayProvisionTest, ::testing::ValuesIn(kaigo::testing::backends()),
                         kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo::gateway
