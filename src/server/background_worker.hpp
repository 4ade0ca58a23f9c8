#pragma once
// Runs the system's periodic jobs (the outbox/inbox dispatcher, the 番号連携 poller) on one
// background thread of a server instance. Every job is safe to run on several instances at once
// (each claims its rows in the database), so no instance is special.
//
// Thread-safety: add() before start(); start()/stop() from one thread.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace kaigo::server {

class BackgroundWorker {
 public:
  // A job returns a one-line summary for the log ("" when it did nothing) or an error.
  using Job = std::function<Result<std::string>()>;

  explicit BackgroundWorker(std::chrono::milliseconds interval) : interval_(interval) {}
  ~BackgroundWorker() { stop(); }

  void add(std::string name, Job job);
  void start();
  void stop();
  // Runs every job once on the calling thread (tests, and `kaigo batch` style one-shots).
  void run_once();

 private:
  struct Named {
    std::string name;
    Job job;
  };
  std::chrono::milliseconds interval_;
  std::vector<Named> jobs_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace kaigo::server
