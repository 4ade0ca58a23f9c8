#pragma once
// Staff users, login with throttling, and database-backed sessions (so any server instance
// serves any user). The session cookie carries a random 256-bit token; the database keeps only its
// SHA-256, so a leaked database backup gives no live sessions.
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "server/roles.hpp"
#include "store/database.hpp"

namespace kaigo::server {

struct AuthPolicy {
  std::int64_t idle_timeout_s = 30 * 60;       // a session unused for 30 minutes ends
  std::int64_t absolute_timeout_s = 9 * 3600;  // and every session ends after a working day
  int max_failures_per_user = 5;               // failures within the window lock the login name
  int max_failures_per_address = 20;           // … or the client address
  std::int64_t failure_window_s = 15 * 60;
  std::int64_t lockout_s = 15 * 60;
};

struct StaffUser {
  std::string user_id, display_name;
  RoleSet roles;
};

struct Session {
  StaffUser user;
  std::string token_hash;
  std::string csrf_token;
};

struct LoginResult {
  Session session;
  std::string token;  // goes into the cookie; never stored
};

class Auth {
 public:
  Auth(store::Database& db, const Clock& clock, AuthPolicy policy = {}) : db_(db), clock_(clock), policy_(policy) {}

  // unauthenticated on a wrong user or password (one message for both), too_many_requests when
  // the login name or address is locked out.
  Result<LoginResult> login(const std::string& user_id, const std::string& password, const std::string& address);
  // unauthenticated when the token is unknown or expired.
  Result<Session> authenticate(const std::string& token);
  Result<void> logout(const Session& s);

  Result<void> create_user(const std::string& user_id, const std::string& display_name, const std::string& password,
                           const RoleSet& roles);
  Result<std::int64_t> count_users();

 private:
  Result<void> check_throttle(store::Connection& c, const std::string& key, std::int64_t now);
  Result<void> record_failure(store::Connection& c, const std::string& key, int max_failures, std::int64_t now);

  store::Database& db_;
  const Clock& clock_;
  AuthPolicy policy_;
};

}  // namespace kaigo::server
