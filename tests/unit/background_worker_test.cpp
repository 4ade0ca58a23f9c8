#include <gtest/gtest.h>

#include <atomic>

#include "server/background_worker.hpp"

namespace {

using kaigo::Result;
using kaigo::server::BackgroundWorker;

TEST(BackgroundWorker, AFailingJobDoesNotStopTheOthers) {
  BackgroundWorker w(std::chrono::milliseconds(1));
  int a = 0, b = 0;
  w.add("fails", [&]() -> Result<std::string> {
    ++a;
    return kaigo::fail(kaigo::ErrorKind::unavailable, "counterpart down");
  });
  w.add("throws", []() -> Result<std::string> { throw std::runtime_error("bug"); });
  w.add("works", [&]() -> Result<std::string> {
    ++b;
    return std::string("did something");
  });
  w.run_once();
  w.run_once();
  EXPECT_EQ(a, 2);
  EXPECT_EQ(b, 2);
}

TEST(BackgroundWorker, RunsUntilStopped) {
  BackgroundWorker w(std::chrono::milliseconds(1));
  std::atomic<int> runs{0};
  w.add("count", [&]() -> Result<std::string> {
    ++runs;
    return std::string();
  });
  w.start();
  while (runs < 3) std::this_thread::yield();
  w.stop();
  const int after = runs;
  EXPECT_GE(after, 3);
  EXPECT_EQ(runs, after) << "nothing runs after stop";
}

}  // namespace
