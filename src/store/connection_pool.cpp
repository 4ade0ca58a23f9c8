#include "store/connection_pool.hpp"

namespace kaigo::store {

Result<void> ConnectionPool::with(const std::function<Result<void>(Connection&)>& fn) {
  std::unique_ptr<Connection> conn;
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;
    }
  }
  if (!conn) {
    auto made = factory_();
    if (!made) {
      std::lock_guard lock(mu_);
      --open_;
      cv_.notify_one();
      return std::unexpected(made.error());
    }
    conn = std::move(*made);
  }
  Result<void> result;
  try {
    result = fn(*conn);
  } catch (...) {
    std::lock_guard lock(mu_);
    --open_;  // the connection's state is unknown after an exception: drop it
    cv_.notify_one();
    throw;
  }
  std::lock_guard lock(mu_);
  if (!result && result.error().kind == ErrorKind::unavailable) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
  return result;
}

}  // namespace kaigo::store
