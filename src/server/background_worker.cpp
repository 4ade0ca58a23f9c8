#include "server/background_worker.hpp"

#include <spdlog/spdlog.h>

namespace kaigo::server {

void BackgroundWorker::add(std::string name, Job job) { jobs_.push_back(Named{std::move(name), std::move(job)}); }

void BackgroundWorker::run_once() {
  for (auto& j : jobs_) {
    try {
      auto r = j.job();
      if (!r) spdlog::warn("{}: {}", j.name, r.error().message);  // messages carry no personal data
      else if (!r->empty()) spdlog::info("{}: {}", j.name, *r);
    } catch (const std::exception& e) {
      spdlog::error("{}: unexpected failure: {}", j.name, e.what());
    }
  }
}

void BackgroundWorker::start() {
  if (jobs_.empty() || thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      run_once();
      lock.lock();
      cv_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  });
}

void BackgroundWorker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace kaigo::server
