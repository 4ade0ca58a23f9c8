#include "sim/number_network/http_service.hpp"

#include <httplib.h>

#include <array>

#include <fmt/format.h>

namespace kaigo::sim::network {

using json = nlohmann::json;

struct HttpService::Impl {
  Impl(IntermediateServerSim& s, SettableClock& c) : sim(s), clock(c) {}
  IntermediateServerSim& sim;
  SettableClock& clock;
  httplib::Server server;
};

namespace {

void reply_error(httplib::Response& res, const Error& e) {
  res.status = http_status(e.kind);
  json body{{"error", {{"kind", to_string(e.kind)}, {"message", e.message}, {"field", e.field}}}};
  res.set_content(body.dump(), "application/json");
}

void reply_json(httplib::Response& res, const json& body) { res.set_content(body.dump(), "application/json"); }

}  // namespace

HttpService::HttpService(IntermediateServerSim& sim, SettableClock& clock, HttpServiceOptions options)
    : impl_(std::make_unique<Impl>(sim, clock)), options_(std::move(options)) {
  auto& srv = impl_->server;
  srv.set_tcp_nodelay(true);
  Impl* impl = impl_.get();
  for (const char* op : {"submit", "poll", "cancel", "register"}) {
    srv.Post(fmt::format("/chukan/v1/{}", op), [impl, op = std::string(op)](const httplib::Request& req, httplib::Response& res) {
      auto reply = impl->sim.handle(op, req.body);
      if (!reply) return reply_error(res, reply.error());
      res.set_content(*reply, "application/json");
    });
  }
  srv.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { reply_json(res, {{"status", "ok"}}); });
  srv.Post("/sim/v1/scenarios", [impl](const httplib::Request& req, httplib::Response& res) {
    json doc = json::parse(req.body, nullptr, false);
    if (doc.is_discarded()) return reply_error(res, Error{ErrorKind::invalid_input, "not valid JSON", "rules"});
    auto s = Scenario::from_json(doc);
    if (!s) return reply_error(res, s.error());
    impl->sim.set_scenario(*s);
    reply_json(res, {{"rules", s->rules().size()}});
  });
  srv.Get("/sim/v1/scenarios", [impl](const httplib::Request&, httplib::Response& res) {
    reply_json(res, impl->sim.scenario().to_json());
  });
  srv.Post("/sim/v1/clock", [impl](const httplib::Request& req, httplib::Response& res) {
    json doc = json::parse(req.body, nullptr, false);
    if (!doc.is_object()) return reply_error(res, Error{ErrorKind::invalid_input, "expected a JSON object", "advance_seconds"});
    if (doc.contains("advance_seconds")) {
      const auto& v = doc.at("advance_seconds");
      // Forward only: the simulated world never runs backwards (set "now" to jump anywhere).
      if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
        return reply_error(res, Error{ErrorKind::invalid_input, "must be a non-negative integer", "advance_seconds"});
      impl->clock.advance(std::chrono::seconds{v.get<std::int64_t>()});
    } else if (doc.contains("now") && doc.at("now").is_string()) {
      auto t = parse_timestamp(doc.at("now").get<std::string>());
      if (!t) return reply_error(res, t.error());
      impl->clock.set(*t);
    } else {
      return reply_error(res, Error{ErrorKind::invalid_input, "give advance_seconds or now", "advance_seconds"});
    }
    reply_json(res, {{"now", impl->clock.timestamp()}});
  });
  srv.Get("/sim/v1/stats", [impl](const httplib::Request&, httplib::Response& res) {
    json body = impl->sim.stats().to_json();
    body["now"] = impl->clock.timestamp();
    reply_json(res, body);
  });
}

HttpService::~HttpService() {
  stop();
  if (thread_.joinable()) thread_.join();
}

Result<int> HttpService::bind() {
  auto& srv = impl_->server;
  if (options_.port == 0) {
    port_ = srv.bind_to_any_port(options_.host);
    if (port_ <= 0) return fail(ErrorKind::unavailable, fmt::format("cannot bind {}", options_.host));
  } else {
    if (!srv.bind_to_port(options_.host, options_.port))
      return fail(ErrorKind::unavailable, fmt::format("cannot bind {}:{}", options_.host, options_.port));
    port_ = options_.port;
  }
  return port_;
}

void HttpService::listen() { impl_->server.listen_after_bind(); }

Result<int> HttpService::start() {
  auto p = bind();
  if (!p) return p;
  thread_ = std::thread([this] { listen(); });
  // stop() only acts on a running server: wait until the thread is accepting, so a stop right
  // after start is never lost (a synchronisation wait, not simulated time).
  while (!impl_->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return p;
}

void HttpService::stop() { impl_->server.stop(); }

}  // namespace kaigo::sim::network
