#pragma once
// The databases every integration test runs on. SQLite always; PostgreSQL when
// KAIGO_TEST_PG_URL names an admin connection to a (throw-away) server — scripts/test.sh starts
// one on loopback and sets it, so the README's test command runs the whole suite on both.
//
// Use with value-parameterised suites:
//   class FooTest : public ::testing::TestWithParam<std::string> {};
//   INSTANTIATE_TEST_SUITE_P(Db, FooTest, ::testing::ValuesIn(kaigo::testing::backends()),
//                            kaigo::testing::backend_name);
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/database.hpp"

namespace kaigo::testing {

std::vector<std::string> backends();  // {"sqlite"} or {"sqlite", "postgresql"}
std::string backend_name(const ::testing::TestParamInfo<std::string>& info);

// A new, empty database private to the caller, migrated to the current schema. Fails the test
// (ASSERT) when it cannot be made. `url_out`, when given, receives the URL so a second
// process or a second server instance can open the same database.
std::unique_ptr<store::Database> fresh_database(const std::string& backend, int pool_size = 4,
                                                std::string* url_out = nullptr);

// A unique scratch folder under the system temp dir, removed at process exit.
std::string scratch_dir(const std::string& tag);

}  // namespace kaigo::testing
