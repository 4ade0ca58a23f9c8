#pragma once
// The yearly run's chunks as a two-stage pipeline on the machine's two cores: a reader thread
// reads the next chunk's facts in a read-only transaction and computes it (the chunk's persons
// split between two threads), while the run's thread writes the chunk before and moves the
// cursor in its own transaction (assessment_run.cpp).
//
// Why reading ahead is safe: the run's thread re-checks, in its write transaction, that the cursor
// is still where the reader started (else another instance moved it: the reader is restarted
// there) and that no assessment of the chunk's persons was written since the reader's snapshot
// (the fingerprint; else the chunk is read and computed again inside the write transaction).
// Other facts that change after the snapshot (tax, welfare, register) are no different from a
// change a moment after the chunk commits: their writers queue the person for the revision run of
// every year whose 本算定 has started (queue_changes, premium_recalc_queue).
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "premium/assessment_internal.hpp"

namespace kaigo::premium::detail {

// What an assessment of a range looked like: the number of rows of FY and the highest id. Rows are
// never deleted and a revision always adds a row, so any write in the range changes it.
struct Fingerprint {
  std::int64_t rows = 0, max_id = 0;
  bool operator==(const Fingerprint&) const = default;
};
Result<Fingerprint> fingerprint(store::Connection& c, int fiscal_year, const PersonRange& range);

// Computes every person of `facts` (in person_id order), half of them on a second thread.
std::vector<PendingWrite> compute_chunk(const ChunkFacts& facts, int fiscal_year, const PremiumTable& table,
                                        const PremiumTableVersion& version);

struct PreparedChunk {
  PersonRange range;  // range.upto empty: no persons after range.after (the run is complete)
  ChunkFacts facts;   // the writes point into it: a PreparedChunk is never moved, only its pointer
  std::vector<PendingWrite> writes;
  Fingerprint seen;
};

class ChunkReader {
 public:
  ChunkReader(store::Database& db, int fiscal_year, const PremiumTable& table, const PremiumTableVersion& version,
              std::string after, int chunk);
  ~ChunkReader();  // stops the reader and waits for it
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  // The next chunk after the previous one (blocks until it is read and computed).
  Result<std::unique_ptr<PreparedChunk>> next();

 private:
  void run();
  Result<std::unique_ptr<PreparedChunk>> read_one(const std::string& after);

  store::Database& db_;
  int fiscal_year_;
  const PremiumTable& table_;
  const PremiumTableVersion& version_;
  int chunk_;
  std::string after_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Result<std::unique_ptr<PreparedChunk>>> ready_;  // at most kAhead
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace kaigo::premium::detail
