#include "server/auth.hpp"

#include <fmt/format.h>

#include "core/hash.hpp"
#include "server/password.hpp"

namespace kaigo::server {

namespace {

std::int64_t unix_now(const Clock& clock) { return clock.now().time_since_epoch().count(); }

bool valid_user_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  return true;
}

}  // namespace

Result<void> Auth::check_throttle(store::Connection& c, const std::string& key, std::int64_t now) {
  auto row = c.query_one("SELECT locked_until FROM login_throttle WHERE throttle_key = $1", {key});
  if (!row) return std::unexpected(row.error());
  if (*row && (*row)->i64(0) > now)
    return fail(ErrorKind::too_many_requests, "too many failed logins; try again later");
  return {};
}

Result<void> Auth::record_failure(store::Connection& c, const std::string& key, int max_failures, std::int64_t now) {
  // A new window starts when the old one has passed; reaching the limit locks the key.
  auto r = c.exec(
      "INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) VALUES ($1, 1, $2, 0) "
      "ON CONFLICT (throttle_key) DO UPDATE SET "
      "failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END, "
      "window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END",
      {key, now, now - policy_.failure_window_s});
  if (!r) return std::unexpected(r.error());
  auto lock = c.exec("UPDATE login_throttle SET locked_until = $1 WHERE throttle_key = $2 AND failures >= $3",
                     {now + policy_.lockout_s, key, static_cast<std::int64_t>(max_failures)});
  if (!lock) return std::unexpected(lock.error());
  return {};
}

Result<LoginResult> Auth::login(const std::string& user_id, const std::string& password, const std::string& address) {
  const std::int64_t now = unix_now(clock_);
  const std::string user_key = "user:" + user_id, address_key = "ip:" + address;
  std::optional<LoginResult> result;
  std::optional<Error> login_error;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    if (auto t = check_throttle(c, user_key, now); !t) return t;
    if (auto t = check_throttle(c, address_key, now); !t) return t;
    auto row = c.query_one("SELECT display_name, password_hash, roles FROM staff_user WHERE user_id = $1 AND active = 1",
                           {user_id});
    if (!row) return std::unexpected(row.error());
    if (!*row || !verify_password(password, (*row)->str(1))) {
      // The failure is recorded (committed), and the caller gets one message for an unknown user
      // and a wrong password, so login names cannot be probed.
      if (auto f = record_failure(c, user_key, policy_.max_failures_per_user, now); !f) return f;
      if (auto f = record_failure(c, address_key, policy_.max_failures_per_address, now); !f) return f;
      login_error = Error{ErrorKind::unauthenticated, "wrong user id or password", "password"};
      return {};
    }
    auto roles = parse_roles((*row)->str(2));
    if (!roles) return fail(ErrorKind::internal, "a staff user has an unknown role");
    if (auto d = c.exec("DELETE FROM login_throttle WHERE throttle_key = $1", {user_key}); !d)
      return std::unexpected(d.error());
    LoginResult lr;
    lr.token = to_hex(random_bytes(32));
    lr.session = Session{StaffUser{user_id, (*row)->str(0), *roles}, sha256_hex(lr.token), to_hex(random_bytes(24))};
    auto ins = c.exec(
        "INSERT INTO staff_session (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {lr.session.token_hash, user_id, lr.session.csrf_token, clock_.timestamp(), now + policy_.absolute_timeout_s, now});
    if (!ins) return std::unexpected(ins.error());
    result = std::move(lr);
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  if (login_error) return std::unexpected(*login_error);
  return std::move(*result);
}

Result<Session> Auth::authenticate(const std::string& token) {
  if (token.size() != 64) return fail(ErrorKind::unauthenticated, "not logged in");
  const std::int64_t now = unix_now(clock_);
  const std::string hash = sha256_hex(token);
  auto rows = db_.query(
      "SELECT s.user_id, u.display_name, u.roles, s.csrf_token, s.expires_at, s.last_seen_at FROM staff_session s "
      "JOIN staff_user u ON u.user_id = s.user_id WHERE s.token_hash = $1 AND u.active = 1",
      {hash});
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorKind::unauthenticated, "not logged in");
  const auto& r = rows->front();
  if (r.i64(4) <= now || r.i64(5) + policy_.idle_timeout_s <= now) {
    (void)db_.exec("DELETE FROM staff_session WHERE token_hash = $1", {hash});
    return fail(ErrorKind::unauthenticated, "the session has expired; log in again");
  }
  // Touch the idle timer at most once a minute, so reads do not turn into writes.
  if (now - r.i64(5) >= 60) {
    if (auto u = db_.exec("UPDATE staff_session SET last_seen_at = $1 WHERE token_hash = $2", {now, hash}); !u)
      return std::unexpected(u.error());
  }
  auto roles = parse_roles(r.str(2));
  if (!roles) return fail(ErrorKind::internal, "a staff user has an unknown role");
  return Session{StaffUser{r.str(0), r.str(1), *roles}, hash, r.str(3)};
}

Result<void> Auth::logout(const Session& s) {
  auto r = db_.exec("DELETE FROM staff_session WHERE token_hash = $1", {s.token_hash});
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<void> Auth::create_user(const std::string& user_id, const std::string& display_name, const std::string& password,
                               const RoleSet& roles) {
  if (!valid_user_id(user_id))
    return fail(ErrorKind::invalid_input, "user_id is 1–64 letters, digits, '_', '-' or '.'", "user_id");
  if (display_name.empty() || display_name.size() > 200)
    return fail(ErrorKind::invalid_input, "display_name is required (at most 200 bytes)", "display_name");
  if (roles.empty()) return fail(ErrorKind::invalid_input, "a user needs at least one role", "roles");
  if (auto p = check_password_policy(password); !p) return p;
  auto hash = hash_password(password);
  if (!hash) return std::unexpected(hash.error());
  auto r = db_.exec(
      "INSERT INTO staff_user (user_id, display_name, password_hash, roles, active, created_at) VALUES ($1,$2,$3,$4,1,$5)",
      {user_id, display_name, *hash, roles_csv(roles), clock_.timestamp()});
  if (!r) {
    if (r.error().kind == ErrorKind::conflict)
      return fail(ErrorKind::conflict, fmt::format("user {} already exists", user_id), "user_id");
    return std::unexpected(r.error());
  }
  return {};
}

Result<std::int64_t> Auth::count_users() {
  auto rows = db_.query("SELECT COUNT(*) FROM staff_user");
  if (!rows) return std::unexpected(rows.error());
  return rows->front().i64(0);
}

}  // namespace kaigo::server
