#include "test_db.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "core/hash.hpp"

namespace kaigo::testing {

namespace {

std::string pg_admin_url() {
  const char* env = std::getenv("KAIGO_TEST_PG_URL");
  return env ? env : "";
}

// postgresql://user@host:port/dbname?opts → same with another dbname.
std::string with_database(const std::string& url, const std::string& dbname) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme + 3);
  const auto query = url.find('?', scheme + 3);
  std::string base = url.substr(0, slash == std::string::npos ? (query == std::string::npos ? url.size() : query) : slash);
  std::string opts = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + dbname + opts;
}

struct ScratchRoot {
  std::filesystem::path path;
  ScratchRoot() {
    path = std::filesystem::temp_directory_path() / fmt::format("kaigo-test-{}", getpid());
    std::filesystem::create_directories(path);
  }
  ~ScratchRoot() {
    if (!std::getenv("KAIGO_TEST_KEEP")) {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  }
};

ScratchRoot& root() {
  static ScratchRoot r;
  return r;
}

std::atomic<int> counter{0};

}  // namespace

std::vector<std::string> backends() {
  if (pg_admin_url().empty()) return {"sqlite"};
  return {"sqlite", "postgresql"};
}

std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

std::string scratch_dir(const std::string& tag) {
  auto dir = root().path / fmt::format("{}-{}", tag, counter++);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::unique_ptr<store::Database> fresh_database(const std::string& backend, int pool_size, std::string* url_out) {
  std::string url;
  if (backend == "sqlite") {
    url = "sqlite:" + scratch_dir("db") + "/kaigo.db";
  } else {
    const std::string admin = pg_admin_url();
    if (admin.empty()) {
      ADD_FAILURE() << "KAIGO_TEST_PG_URL is not set";
      return nullptr;
    }
    auto admin_db = store::open_database(admin, 1);
    if (!admin_db) {
      ADD_FAILURE() << "cannot reach the test PostgreSQL: " << admin_db.error().message;
      return nullptr;
    }
    // Each test is its own process and pids are reused, so a random part keeps names unique.
    const std::string name = fmt::format("kaigo_t_{}_{}_{}", getpid(), counter++, to_hex(random_bytes(4)));
    auto created = (*admin_db)->exec("CREATE DATABASE " + name);
    if (!created) {
      ADD_FAILURE() << "CREATE DATABASE failed: " << created.error().message;
      return nullptr;
    }
    url = with_database(admin, name);
  }
  auto db = store::open_database(url, pool_size);
  if (!db) {
    ADD_FAILURE() << "cannot open " << url << ": " << db.error().message;
    return nullptr;
  }
  auto applied = store::migrate(**db);
  if (!applied) {
    ADD_FAILURE() << "migration failed: " << applied.error().message;
    return nullptr;
  }
  if (url_out) *url_out = url;
  return std::move(*db);
}

}  // namespace kaigo::testing
