#pragma once
// The HTTP server: the JSON API under /api/v1, /healthz, /metrics, and the staff UI's static
// files. Holds no state outside the database (sessions included), so several instances can serve
// the same users behind a load balancer.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "benefit/codes.hpp"
#include "certification/codes.hpp"
#include "core/clock.hpp"
#include "gateway/codes.hpp"
#include "gateway/inquiry_service.hpp"
#include "people/city_profile.hpp"
#include "people/my_number_vault.hpp"
#include "premium/premium_table.hpp"
#include "server/auth.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "store/database.hpp"

namespace kaigo::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                // 0: any free port (see Server::port())
  int threads = 8;                // worker threads; the database pool should be as large
  std::string web_dir;            // the built UI (web/dist); empty: no UI
  std::string config_dir;         // config/ (flow catalog, rules, codes)
  std::string data_dir = "var";   // the data dir: print files go to <data_dir>/print
  bool secure_cookie = false;     // set behind TLS
  AuthPolicy auth_policy;
};

// Everything a route needs; owned by the Server, shared read-only by the handlers.
struct ServerContext {
  store::Database& db;
  const Clock& clock;
  const people::MyNumberVault& vault;
  const people::CityProfile& city;
  Auth& auth;
  const ServerOptions& options;
  // 番号連携: set by attach_gateway when the 中間サーバー is configured; routes answer
  // unavailable until then.
  gateway::InquiryService* inquiries = nullptr;
  const gateway::CodeBook* codes = nullptr;
  // Demo controls of the bundled simulators, by counterpart (e.g. "juki": let the simulated
  // registry live `days` more days and post its movements). Set by attach_simulator on the
  // embedded default only; empty in production, where the routes answer not_found.
  std::map<std::string, std::function<Result<std::string>(int days)>> simulator_controls;
  // The premium tables (config/rules/premium), loaded and validated at start by the caller;
  // the premium routes answer unavailable until attach_premium_tables.
  const std::vector<premium::PremiumTable>* premium_tables = nullptr;
  // The certification rules and code lists (config/rules/certification, config/codes), loaded
  // and validated at start; the certification routes answer unavailable until attach_certification.
  const certification::CertificationConfig* certification = nullptr;
  // The benefit rules, code lists and 国保連 layouts (config/rules/benefit, config/codes,
  // config/layouts/kokuhoren); the benefit routes answer unavailable until attach_benefit.
  const benefit::BenefitConfig* benefit = nullptr;
  // The benefit config, or unavailable when it is not attached (every benefit route starts here).
  Result<const benefit::BenefitConfig*> benefit_config() const;
};

class Server {
 public:
  Server(store::Database& db, const Clock& clock, const people::MyNumberVault& vault, const people::CityProfile& city,
         ServerOptions options);
  ~Server();

  // Binds the port; returns invalid_input/unavailable if it cannot.
  Result<void> bind();
  int port() const { return port_; }
  // Serves until stop() (blocking).
  void listen();
  // Starts serving on a background thread (tests).
  void start();
  void stop();

  const Router& router() const { return router_; }
  // Connects the 番号連携 routes to the gateway (call before start/listen).
  void attach_gateway(gateway::InquiryService& inquiries, const gateway::CodeBook& codes);
  // Registers a simulator's demo control (call before start/listen).
  void attach_simulator(const std::string& counterpart, std::function<Result<std::string>(int days)> advance);
  // The premium tables the premium routes use (must outlive the server).
  void attach_premium_tables(const std::vector<premium::PremiumTable>& tables);
  // The certification config the certification routes use (must outlive the server).
  void attach_certification(const certification::CertificationConfig& config);
  // The benefit config the benefit routes use (must outlive the server).
  void attach_benefit(const benefit::BenefitConfig& config);

 private:
  void add_routes();

  store::Database& db_;
  const Clock& clock_;
  const people::MyNumberVault& vault_;
  const people::CityProfile& city_;
  ServerOptions options_;
  Auth auth_;
  Metrics metrics_;
  Router router_;
  ServerContext context_;
  httplib::Server http_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace kaigo::server
