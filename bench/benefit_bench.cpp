// kaigo_bench_benefit [RECORDS] [PERSONS]: the KY-04 給付実績 import at scale (default 1,000,000
// records for 200,000 recipients). Builds the persons and their insured numbers (not timed) and
// one KY04 file with the codec, then times on SQLite (a file under the temp dir) and on
// PostgreSQL when KAIGO_BENCH_PG_URL names an empty database:
//   1. parse alone (the codec's every check, no database);
//   2. parse + validate against the database (insured numbers, current claims);
//   3. the file received through the inbox: validate + apply (bulk insert; COPY on PostgreSQL);
//   4. the same file again (recognised by its sha256, nothing changes).
// Beside each wall time: the CPU seconds of this process and, when the PostgreSQL server runs on
// this machine, of its processes (the machine is shared; CPU time is the steadier figure).
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <fmt/format.h>

#include "benefit/benefit_record.hpp"
#include "benefit/benefit_record_internal.hpp"
#include "benefit/kokuhoren_csv.hpp"
#include "core/clock.hpp"
#include "linkage/exchange_store.hpp"
#include "store/database.hpp"

namespace {

using namespace kaigo;
using Seconds = std::chrono::duration<double>;

double since(std::chrono::steady_clock::time_point t) { return Seconds(std::chrono::steady_clock::now() - t).count(); }

double process_cpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// utime + stime of the children of the postmaster `pid` (the backends), from /proc; 0 elsewhere.
double server_cpu(long postmaster) {
  if (postmaster <= 0) return 0;
  double ticks = 0;
  std::error_code ec;
  for (const auto& d : std::filesystem::directory_iterator("/proc", ec)) {
    std::ifstream in(d.path() / "stat");
    std::string line;
    if (!in || !std::getline(in, line)) continue;
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid != postmaster && std::to_string(postmaster) != d.path().filename().string()) continue;
    std::string skip;
    for (int i = 0; i < 9; ++i) rest >> skip;  // pgrp … cmajflt
    double utime = 0, stime = 0;
    rest >> utime >> stime;
    ticks += utime + stime;
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The postmaster of a local PostgreSQL server (its data directory's postmaster.pid), else 0.
long postmaster_of(store::Database& db) {
  if (db.dialect() != store::Dialect::postgresql) return 0;
  auto dir = db.query("SHOW data_directory");
  if (!dir || dir->empty()) return 0;
  std::ifstream in(std::filesystem::path(dir->front().str(0)) / "postmaster.pid");
  long pid = 0;
  in >> pid;
  return in ? pid : 0;
}

// "12.3 s wall, 4.5 s CPU here, 6.7 s CPU in the server" since the marks.
struct Marks {
  long postmaster = 0;
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = process_cpu(), server = 0;
  explicit Marks(long pm) : postmaster(pm), server(server_cpu(pm)) {}
  double seconds() const { return since(wall); }
  std::string cpu_text() const {
    const double here = process_cpu() - cpu;
    return postmaster ? fmt::format("CPU {:.2f} s here + {:.2f} s server", here, server_cpu(postmaster) - server)
                      : fmt::format("CPU {:.2f} s", here);
  }
};

std::string config_dir() { return KAIGO_SOURCE_CONFIG_DIR; }

benefit::BenefitConfig make_config() {
  benefit::BenefitConfig b;
  auto layouts = benefit::csv::load_layouts(std::filesystem::path(config_dir()) / "layouts" / "kokuhoren");
  if (!layouts) throw std::runtime_error(layouts.error().message);
  b.layouts = std::move(*layouts);
  b.service_kinds = {{"11", "訪問介護", true, true}, {"15", "通所介護", true, true}, {"13", "訪問看護", true, true}};
  for (int i = 0; i < 50; ++i) b.offices.push_back({fmt::format("13100{:05}", i), fmt::format("事業所{}", i), "", {"11", "15", "13"}, false});
  return b;
}

// The file: RECORDS 新規 claims spread over the persons, service month 2026-09, review 2026-10.
Result<std::string> make_file(const benefit::BenefitConfig& config, std::size_t records, std::size_t persons) {
  benefit::csv::Writer w(*config.layouts.find("KY04"));
  static const char* kKinds[] = {"11", "15", "13"};
  std::vector<std::string> v(17);
  std::vector<std::string_view> views(17);
  for (std::size_t i = 0; i < records; ++i) {
    const std::int64_t units = 500 + static_cast<std::int64_t>(i % 20000);
    const std::int64_t cost = units * 1072 / 100;
    const std::int64_t copay = cost / 10;
    v = {"", "", "1", fmt::format("K202610{:010}", i), "132011", fmt::format("{:010}", 1 + i % persons), "202609",
         fmt::format("13100{:05}", i % 50), kKinds[i % 3], i % 97 == 0 ? "2" : "1", std::to_string(1 + i % 28),
         std::to_string(units), "1072", std::to_string(cost), std::to_string(cost - copay), std::to_string(copay), "0"};
    for (std::size_t j = 0; j < v.size(); ++j) views[j] = v[j];
    if (auto ok = w.add(views); !ok) return std::unexpected(ok.error());
  }
  return w.finish({{"insurer_no", "132011"}, {"created_on", "20261010"}, {"review_month", "202610"}, {"file_ref", "BENCH-1"}});
}

Result<void> make_persons(store::Database& db, std::size_t persons) {
  return db.transaction([&](store::Connection& c) -> Result<void> {
    std::size_t i = 0;
    auto p = c.bulk_insert("person",
                           {"person_id", "name_kanji", "name_kana", "birth_date", "sex", "postal_code", "address", "ward_code",
                            "household_id", "relation", "registry_status", "updated_at"},
                           [&](store::Params& row) {
                             if (i == persons) return false;
                             const std::string id = fmt::format("B{:011}", ++i);
                             row = {id, std::string("介護 太郎"), std::string("カイゴ タロウ"), std::string("1945-04-01"), std::string("1"),
                                    std::string("1000001"), std::string("本町1-1"), std::string("01"), "H" + id, std::string("世帯主"),
                                    std::string("resident"), std::string("2026-01-01T00:00:00Z")};
                             return true;
                           });
    if (!p) return std::unexpected(p.error());
    std::size_t j = 0;
    auto n = c.bulk_insert("insured_number", {"insured_no", "person_id", "assigned_on"}, [&](store::Params& row) {
      if (j == persons) return false;
      ++j;
      row = {fmt::format("{:010}", j), fmt::format("B{:011}", j), std::string("2010-04-01")};
      return true;
    });
    if (!n) return std::unexpected(n.error());
    return {};
  });
}

int run(const std::string& label, const std::string& url, const benefit::BenefitConfig& config, const std::string& file,
        std::size_t records, std::size_t persons) {
  auto db = store::open_database(url, 2);
  if (!db) {
    std::cerr << fmt::format("{}: {}\n", label, db.error().message);
    return 1;
  }
  if (auto m = store::migrate(**db); !m) {
    std::cerr << fmt::format("{}: migrate: {}\n", label, m.error().message);
    return 1;
  }
  if (auto p = make_persons(**db, persons); !p) {
    std::cerr << fmt::format("{}: persons: {}\n", label, p.error().message);
    return 1;
  }
  const SystemClock clock;
  benefit::BenefitRecordOptions options{&config, "132011", std::filesystem::temp_directory_path() / "kaigo_bench_benefit"};
  const double n = static_cast<double>(records);
  const long postmaster = postmaster_of(**db);

  Marks t(postmaster);
  benefit::csv::ParseContext ctx;
  ctx.insurer_no = "132011";
  ctx.code_known = [&config](std::string_view list, std::string_view code) {
    return list == "service_kinds" ? config.service_kind(code) != nullptr : config.office(code) != nullptr;
  };
  const auto parsed = benefit::csv::parse(config.layouts, file, ctx);
  const double parse_s = t.seconds();
  if (!parsed.errors.empty()) {
    std::cerr << fmt::format("{}: the file does not parse: {}\n", label, parsed.errors.front().message);
    return 1;
  }
  std::cout << fmt::format("{}: parse {} records: {:.2f} s ({:.0f} records/s; {})\n", label, records, parse_s, n / parse_s, t.cpu_text());

  t = Marks(postmaster);
  auto v = (*db)->transaction([&](store::Connection& c) -> Result<void> {
    auto r = benefit::records::validate(c, options, file);
    if (!r) return std::unexpected(r.error());
    if (!r->parsed.errors.empty()) return fail(ErrorKind::invalid_input, benefit::records::reason_of(r->parsed.errors));
    return {};
  });
  const double validate_s = t.seconds();
  if (!v) {
    std::cerr << fmt::format("{}: validate: {}\n", label, v.error().message);
    return 1;
  }
  std::cout << fmt::format("{}: parse + validate: {:.2f} s ({:.0f} records/s; {})\n", label, validate_s, n / validate_s,
                           t.cpu_text());

  linkage::InboundMessage m;
  m.flow_id = "KY-04";
  m.counterpart = "kokuhoren";
  m.payload = file;
  m.content_type = "text/csv";
  m.message_id = "BENCH-KY04-202610";
  m.purpose = "file KY-04 from kokuhoren";
  m.actor = "bench";
  t = Marks(postmaster);
  auto r = linkage::receive_inbound(**db, clock, m, benefit::benefit_record_handler(clock, options));
  const double apply_s = t.seconds();
  const std::string apply_cpu = t.cpu_text();
  if (!r || r->outcome != linkage::InboundOutcome::applied) {
    std::cerr << fmt::format("{}: import: {}\n", label, r ? r->reason : r.error().message);
    return 1;
  }
  auto stored = (*db)->query("SELECT COUNT(*) FROM benefit_record WHERE status = 'current'");
  std::cout << fmt::format("{}: import through the inbox (parse + validate + apply): {:.2f} s ({:.0f} records/s; {}), {} rows current\n",
                           label, apply_s, n / apply_s, apply_cpu, stored && !stored->empty() ? stored->front().i64(0) : -1);

  m.message_id = "BENCH-KY04-202610-resent";
  t = Marks(postmaster);
  auto again = linkage::receive_inbound(**db, clock, m, benefit::benefit_record_handler(clock, options));
  if (!again) {
    std::cerr << fmt::format("{}: again: {}\n", label, again.error().message);
    return 1;
  }
  std::cout << fmt::format("{}: the same file again: {} in {:.2f} s ({})\n", label, linkage::to_string(again->outcome), t.seconds(),
                           t.cpu_text());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t records = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
  const std::size_t persons = argc > 2 ? std::stoul(argv[2]) : 200'000;
  const auto config = make_config();
  auto t = std::chrono::steady_clock::now();
  auto file = make_file(config, records, persons);
  if (!file) {
    std::cerr << "make file: " << file.error().message << "\n";
    return 1;
  }
  std::cout << fmt::format("KY04 file of {} records ({} MB) written in {:.2f} s\n", records, file->size() / 1'000'000, since(t));
  const auto sqlite_path = std::filesystem::temp_directory_path() / fmt::format("kaigo_bench_benefit_{}.db", ::getpid());
  std::filesystem::remove(sqlite_path);
  int rc = run("SQLite", "sqlite:" + sqlite_path.string(), config, *file, records, persons);
  std::filesystem::remove(sqlite_path);
  std::filesystem::remove(sqlite_path.string() + "-wal");
  std::filesystem::remove(sqlite_path.string() + "-shm");
  if (const char* pg = std::getenv("KAIGO_BENCH_PG_URL"); pg && *pg) rc |= run("PostgreSQL", pg, config, *file, records, persons);
  return rc;
}
