#include "server/server.hpp"

#include <fmt/format.h>

#include "server/routes.hpp"

namespace kaigo::server {

Server::Server(store::Database& db, const Clock& clock, const people::MyNumberVault& vault,
               const people::CityProfile& city, ServerOptions options)
    : db_(db),
      clock_(clock),
      vault_(vault),
      city_(city),
      options_(std::move(options)),
      auth_(db, clock, options_.auth_policy),
      router_(auth_, metrics_),
      context_{db_, clock_, vault_, city_, auth_, options_, nullptr, nullptr, {}} {
  // Untuned, cpp-httplib waits on Nagle + delayed ACK (~44 ms a request); see machine-notes.md.
  http_.set_tcp_nodelay(true);
  http_.set_keep_alive_max_count(1000);
  http_.set_keep_alive_timeout(30);
  http_.set_payload_max_length(64 * 1024 * 1024);
  const int threads = options_.threads;
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http_.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                             {"X-Frame-Options", "DENY"},
                             {"Referrer-Policy", "no-referrer"},
                             {"Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'"}});
  if (!options_.web_dir.empty()) http_.set_mount_point("/", options_.web_dir);
  add_routes();
  auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    if (req.path.starts_with("/api/")) res.set_header("Cache-Control", "no-store");
    if (!router_.dispatch(req, res))
      write_error(res, Error{ErrorKind::not_found, fmt::format("no such route: {} {}", req.method, req.path), "path"});
  };
  http_.Get(".*", handle);
  http_.Post(".*", handle);
  http_.Put(".*", handle);
  http_.Patch(".*", handle);
  http_.Delete(".*", handle);
}

Server::~Server() { stop(); }

void Server::attach_gateway(gateway::InquiryService& inquiries, const gateway::CodeBook& codes) {
  context_.inquiries = &inquiries;
  context_.codes = &codes;
}

void Server::attach_simulator(const std::string& counterpart, std::function<Result<std::string>(int days)> advance) {
  context_.simulator_controls[counterpart] = std::move(advance);
}

void Server::attach_premium_tables(const std::vector<premium::PremiumTable>& tables) {
  context_.premium_tables = &tables;
}

void Server::attach_certification(const certification::CertificationConfig& config) {
  context_.certification = &config;
}

void Server::attach_benefit(const benefit::BenefitConfig& config) { context_.benefit = &config; }

Result<const benefit::BenefitConfig*> ServerContext::benefit_config() const {
  if (!benefit) return fail(ErrorKind::unavailable, "the benefit rules are not loaded on this server");
  return benefit;
}

void Server::add_routes() {
  add_session_routes(router_, context_);
  add_person_routes(router_, context_);
  add_flow_routes(router_, context_);
  add_audit_routes(router_, context_);
  add_user_routes(router_, context_);
  add_inquiry_routes(router_, context_);
  add_card_routes(router_, context_);
  add_eligibility_routes(router_, context_);
  add_movement_case_routes(router_, context_);
  add_juki_routes(router_, context_);
  add_simulator_routes(router_, context_);
  add_premium_routes(router_, context_);
  add_zeimu_routes(router_, context_);
  add_premium_inputs_routes(router_, context_);
  add_tokucho_routes(router_, context_);
  add_certification_output_routes(router_, context_);
  add_certification_application_routes(router_, context_);
  add_certification_workflow_routes(router_, context_);
  add_benefit_recipient_routes(router_, context_);
  add_benefit_income_routes(router_, context_);
  add_benefit_payment_routes(router_, context_);
  add_high_cost_routes(router_, context_);
  add_benefit_record_routes(router_, context_);
  add_benefit_statement_routes(router_, context_);
  add_system_routes(router_, context_, metrics_);
}

Result<void> Server::bind() {
  if (options_.port == 0) {
    port_ = http_.bind_to_any_port(options_.host);
    if (port_ <= 0) return fail(ErrorKind::unavailable, fmt::format("cannot bind any port on {}", options_.host), "host");
  } else {
    if (!http_.bind_to_port(options_.host, options_.port))
      return fail(ErrorKind::unavailable, fmt::format("cannot bind {}:{} (in use?)", options_.host, options_.port), "port");
    port_ = options_.port;
  }
  return {};
}

void Server::listen() { http_.listen_after_bind(); }

void Server::start() {
  thread_ = std::thread([this] { http_.listen_after_bind(); });
  while (!http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

void Server::stop() {
  if (http_.is_running()) http_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace kaigo::server
