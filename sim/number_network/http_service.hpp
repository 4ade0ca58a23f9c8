#pragma once
// The simulator as its own HTTP service (`kaigo sim serve`), reached by a channel of type http:
//   POST /chukan/v1/{submit,poll,cancel,register}  the protocol (200 reply; 400 {"error":{…}} when
//                                                  the request is malformed; 503 when the city
//                                                  database cannot be read)
//   GET  /healthz                                  200 {"status":"ok"}
//   POST /sim/v1/scenarios                         replace the fault-injection rules
//   GET  /sim/v1/scenarios                         the rules in force
//   POST /sim/v1/clock                             {"advance_seconds":N} or {"now":"…"}
//   GET  /sim/v1/stats                             counts (SimStats) and the clock's time
// Loopback by default; the control endpoints are for tests and demos, never for production.
#include <memory>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "sim/number_network/settable_clock.hpp"

namespace kaigo::sim::network {

struct HttpServiceOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (port() tells which)
};

class HttpService {
 public:
  // `clock` must be the clock `sim` was built with, so the clock endpoint moves the simulator.
  HttpService(IntermediateServerSim& sim, SettableClock& clock, HttpServiceOptions options = {});
  ~HttpService();  // stops and joins the background thread, if any
  HttpService(const HttpService&) = delete;
  HttpService& operator=(const HttpService&) = delete;

  // Binds the port (unavailable when it cannot). Returns the bound port.
  Result<int> bind();
  // Serves until stop(); call after bind().
  void listen();
  // bind() and listen() in a background thread (tests).
  Result<int> start();
  // Safe from another thread or a signal handler.
  void stop();
  int port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  HttpServiceOptions options_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace kaigo::sim::network
