// kaigo_bench_gateway: 100,000 inquiries (a yearly assessment's worth) submitted in bulk and
// answered through an in-process 中間サーバー that answers at once, then one run_due to fetch every
// answer. SQLite in a fresh file, and PostgreSQL when KAIGO_BENCH_PG_URL names an empty database
// (migrated first; a database that already holds inquiries is refused). Prints inquiries/second.
// Usage: kaigo_bench_gateway [inquiries]
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "gateway/inquiry_service.hpp"
#include "gateway/protocol.hpp"
#include "store/database.hpp"

namespace kaigo {
namespace {

// The smallest 中間サーバー: every request accepted, every poll answered `provided`.
Result<std::string> answer_at_once(const std::string& op, const std::string& body) {
  static std::mutex mu;
  static std::int64_t next = 0;
  std::lock_guard lock(mu);
  if (op == gateway::kOpSubmit) {
    auto reqs = gateway::parse_submit_request(body);
    if (!reqs) return std::unexpected(reqs.error());
    std::vector<gateway::SubmitAck> acks;
    for (const auto& r : *reqs) acks.push_back({r.request_key, fmt::format("CHB{:012}", ++next), "", ""});
    return gateway::build_submit_reply(acks);
  }
  auto nos = gateway::parse_poll_request(body);
  if (!nos) return std::unexpected(nos.error());
  std::vector<gateway::Answer> answers;
  for (const auto& no : *nos)
    answers.push_back({no, gateway::AnswerStatus::provided, "2026-11-24T10:00:00+09:00",
                       {{"total_income", 1200000}, {"resident_tax_taxed", 1}}, {{"public_pension_income", "該当なし"}}, "", ""});
  return gateway::build_poll_reply(answers);
}

int bench(const std::string& url, std::int64_t n, const gateway::CodeBook& codes) {
  auto db = store::open_database(url, 2);
  if (!db) return std::cerr << db.error().message << "\n", 1;
  if (auto m = store::migrate(**db); !m) return std::cerr << m.error().message << "\n", 1;
  auto existing = (*db)->query("SELECT COUNT(*) FROM inquiry");
  if (!existing || (*existing)[0].i64(0) != 0) return std::cerr << (*db)->describe() << ": not an empty database\n", 1;
  auto transport = gateway::make_in_process_transport(answer_at_once);
  FixedClock clock = FixedClock::at(Date(2026, 11, 24));
  gateway::InquiryService service(**db, *transport, codes, clock);
  std::vector<std::string> persons;
  persons.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) persons.push_back(std::to_string(1000000001 + i));

  const auto t0 = std::chrono::steady_clock::now();
  auto b = service.submit_bulk("city_local_tax", persons, Date(2025, 1, 1), Date(2025, 12, 31), "当初賦課", "bench");
  if (!b) return std::cerr << b.error().message << "\n", 1;
  const auto t1 = std::chrono::steady_clock::now();
  clock.advance(std::chrono::seconds(30));
  auto r = service.run_due(clock);
  if (!r) return std::cerr << r.error().message << "\n", 1;
  const auto t2 = std::chrono::steady_clock::now();
  auto done = (*db)->query("SELECT COUNT(*) FROM inquiry WHERE status = 'provided'");
  if (!done || (*done)[0].i64(0) != n) return std::cerr << "not every inquiry is final\n", 1;

  const double submit_s = std::chrono::duration<double>(t1 - t0).count();
  const double poll_s = std::chrono::duration<double>(t2 - t1).count();
  std::cout << fmt::format("{}: {} inquiries in {} documents: submit {:.2f} s, run_due {:.2f} s, total {:.2f} s → {:.0f} inquiries/s\n",
                           (*db)->describe(), n, b->documents, submit_s, poll_s, submit_s + poll_s, n / (submit_s + poll_s));
  return 0;
}

}  // namespace
}  // namespace kaigo

int main(int argc, char** argv) {
  const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 100000;
  auto codes = kaigo::gateway::CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
  if (!codes) return std::cerr << codes.error().message << "\n", 1;
  const std::string file = (std::filesystem::temp_directory_path() / ("kaigo-gateway-bench-" + kaigo::to_hex(kaigo::random_bytes(4)) + ".db")).string();
  int rc = kaigo::bench("sqlite:" + file, n, *codes);
  for (const auto& suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
  if (const char* pg = std::getenv("KAIGO_BENCH_PG_URL"); pg && *pg) rc |= kaigo::bench(pg, n, *codes);
  return rc;
}
