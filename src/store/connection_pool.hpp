#pragma once
// A fixed pool of connections shared by the SQLite and PostgreSQL databases.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/database.hpp"

namespace kaigo::store {

class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Connection>>()>;
  ConnectionPool(Factory factory, int size) : factory_(std::move(factory)), size_(size) {}

  // Borrows an idle connection (opening one lazily, up to the pool size) for the duration of fn.
  // A connection that reports `unavailable` is dropped instead of returned, so a restarted
  // database server is reconnected on the next call.
  Result<void> with(const std::function<Result<void>(Connection&)>& fn);

 private:
  Factory factory_;
  int size_;
  int open_ = 0;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace kaigo::store
