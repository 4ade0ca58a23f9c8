// The reader side of the yearly run's pipeline (assessment_pipeline.hpp).
#include "premium/assessment_pipeline.hpp"

#include <future>

#include <fmt/format.h>

namespace kaigo::premium::detail {
namespace {

constexpr std::size_t kAhead = 2;  // chunks read ahead of the writer (memory: ~2 × a chunk's facts)

// A read-only transaction on a borrowed connection: on SQLite a deferred BEGIN takes no write lock
// and reads one WAL snapshot beside the writer; on PostgreSQL READ ONLY.
Result<void> read_only(store::Database& db, const std::function<Result<void>(store::Connection&)>& fn) {
  return db.with_connection([&](store::Connection& c) -> Result<void> {
    auto begun = c.exec(c.dialect() == store::Dialect::sqlite ? "BEGIN" : "BEGIN READ ONLY");
    if (!begun) return std::unexpected(begun.error());
    Result<void> result;
    try {
      result = fn(c);
    } catch (...) {
      (void)c.exec("ROLLBACK");
      throw;
    }
    (void)c.exec(result ? "COMMIT" : "ROLLBACK");
    return result;
  });
}

}  // namespace

Result<Fingerprint> fingerprint(store::Connection& c, int fiscal_year, const PersonRange& range) {
  // is_current IN (0, 1) lets both backends range-scan premium_assessment_year(fiscal_year, is_current, person_id).
  auto row = c.query_one(
      "SELECT COUNT(*), COALESCE(MAX(assessment_id), 0) FROM premium_assessment WHERE fiscal_year = $1 "
      "AND is_current IN (0, 1) AND person_id > $2 AND person_id <= $3",
      {static_cast<std::int64_t>(fiscal_year), range.after, range.upto});
  if (!row) return std::unexpected(row.error());
  return Fingerprint{(*row)->i64(0), (*row)->i64(1)};
}

std::vector<PendingWrite> compute_chunk(const ChunkFacts& facts, int fy, const PremiumTable& table,
                                        const PremiumTableVersion& version) {
  std::vector<const PersonFacts*> persons;
  persons.reserve(facts.persons.size());
  for (const auto& [id, person] : facts.persons) persons.push_back(&person);
  // compute() reads only its arguments, so the two halves need no lock.
  auto half = [&](std::size_t from, std::size_t to) {
    std::vector<PendingWrite> out;
    out.reserve(to - from);
    for (std::size_t i = from; i < to; ++i)
      if (auto computed = compute(facts, *persons[i], fy, table, version)) out.push_back({persons[i], std::move(*computed)});
    return out;
  };
  const std::size_t mid = persons.size() / 2;
  auto second = std::async(std::launch::async, half, mid, persons.size());
  std::vector<PendingWrite> writes = half(0, mid);
  auto rest = second.get();
  writes.insert(writes.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
  return writes;
}

ChunkReader::ChunkReader(store::Database& db, int fiscal_year, const PremiumTable& table,
                         const PremiumTableVersion& version, std::string after, int chunk)
    : db_(db), fiscal_year_(fiscal_year), table_(table), version_(version), chunk_(chunk), after_(std::move(after)) {
  thread_ = std::thread([this] { run(); });
}

ChunkReader::~ChunkReader() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

Result<std::unique_ptr<PreparedChunk>> ChunkReader::next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !ready_.empty(); });
  auto out = std::move(ready_.front());
  ready_.pop_front();
  changed_.notify_all();
  return out;
}

Result<std::unique_ptr<PreparedChunk>> ChunkReader::read_one(const std::string& after) {
  auto prepared = std::make_unique<PreparedChunk>();
  prepared->range.after = after;
  auto read = read_only(db_, [&](store::Connection& c) -> Result<void> {
    auto upto = chunk_upper_bound(c, fiscal_year_, after, chunk_);
    if (!upto) return std::unexpected(upto.error());
    if (!*upto) return {};  // no more persons
    prepared->range.upto = **upto;
    auto facts = load_chunk(c, fiscal_year_, prepared->range);
    if (!facts) return std::unexpected(facts.error());
    prepared->facts = std::move(*facts);
    auto seen = fingerprint(c, fiscal_year_, prepared->range);
    if (!seen) return std::unexpected(seen.error());
    prepared->seen = *seen;
    return {};
  });
  if (!read) return std::unexpected(read.error());
  if (!prepared->range.upto.empty()) prepared->writes = compute_chunk(prepared->facts, fiscal_year_, table_, version_);
  return prepared;
}

void ChunkReader::run() {
  std::string after = after_;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stop_ || ready_.size() < kAhead; });
      if (stop_) return;
    }
    auto chunk = read_one(after);
    const bool last = !chunk || (*chunk)->range.upto.empty();
    if (chunk) after = (*chunk)->range.upto;
    {
      std::lock_guard lock(mutex_);
      ready_.push_back(std::move(chunk));
    }
    changed_.notify_all();
    if (last) return;  // the writer reads the end (or the error) and stops asking
  }
}

}  // namespace kaigo::premium::detail
