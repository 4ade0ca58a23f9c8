// KY-24 the statement schedule (config/benefit_statements.json) and the periods (statement.hpp).
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/statement.hpp"

namespace kaigo::benefit {

namespace {

using nlohmann::json;

Result<int> int_at(const json& j, const std::string& key, int lo, int hi) {
  if (!j.contains(key)) return fail(ErrorKind::invalid_input, fmt::format("{} is missing", key), key);
  if (!j[key].is_number_integer()) return fail(ErrorKind::invalid_input, fmt::format("{} must be an integer", key), key);
  const auto v = j[key].get<std::int64_t>();
  if (v < lo || v > hi) return fail(ErrorKind::invalid_input, fmt::format("{} must be between {} and {}", key, lo, hi), key);
  return static_cast<int>(v);
}

bool is_month(const std::string& m) {
  if (m.size() != 7 || m[4] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
    if (m[i] < '0' || m[i] > '9') return false;
  const int month = std::stoi(m.substr(5, 2));
  return month >= 1 && month <= 12;
}

std::string month_of(Date d) { return fmt::format("{:04}-{:02}", d.year(), d.month()); }

}  // namespace

Result<StatementConfig> StatementConfig::parse(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(ErrorKind::invalid_input, "benefit_statements.json is not a JSON object", "");
  StatementConfig c;
  auto period = int_at(j, "period_months", 1, 12);
  if (!period) return std::unexpected(period.error());
  c.period_months = *period;
  auto lag = int_at(j, "lag_months", 0, 12);
  if (!lag) return std::unexpected(lag.error());
  c.lag_months = *lag;
  auto day = int_at(j, "send_day", 1, 28);
  if (!day) return std::unexpected(day.error());
  c.send_day = *day;
  auto chunk = int_at(j, "chunk", 1, 100000);
  if (!chunk) return std::unexpected(chunk.error());
  c.chunk = *chunk;
  if (!j.contains("send_months") || !j["send_months"].is_array() || j["send_months"].empty())
    return fail(ErrorKind::invalid_input, "send_months must be a non-empty array of months (1-12)", "send_months");
  const json& months = j["send_months"];
  for (std::size_t i = 0; i < months.size(); ++i) {
    const std::string path = fmt::format("send_months[{}]", i);
    if (!months[i].is_number_integer() || months[i].get<int>() < 1 || months[i].get<int>() > 12)
      return fail(ErrorKind::invalid_input, "a send month is an integer 1-12", path);
    const int m = months[i].get<int>();
    if (!c.send_months.empty() && m <= c.send_months.back())
      return fail(ErrorKind::invalid_input, "send months are listed once each, ascending", path);
    c.send_months.push_back(m);
  }
  // Every service month on exactly one statement: the sends are period_months apart, round the year.
  if (static_cast<int>(c.send_months.size()) * c.period_months != 12)
    return fail(ErrorKind::invalid_input,
                fmt::format("{} send months of {} months each do not cover the year once", c.send_months.size(), c.period_months),
                "send_months");
  for (std::size_t i = 1; i < c.send_months.size(); ++i)
    if (c.send_months[i] - c.send_months[i - 1] != c.period_months)
      return fail(ErrorKind::invalid_input, fmt::format("send months must be period_months ({}) apart", c.period_months),
                  fmt::format("send_months[{}]", i));
  return c;
}

Result<StatementConfig> StatementConfig::load(const std::filesystem::path& config_dir) {
  const auto file = config_dir / "benefit_statements.json";
  std::ifstream in(file);
  if (!in) return fail(ErrorKind::invalid_input, fmt::format("{} cannot be read", file.string()), "benefit_statements.json");
  std::stringstream text;
  text << in.rdbuf();
  auto c = parse(text.str());
  if (!c) {
    Error e = c.error();
    e.message = "config/benefit_statements.json: " + e.message;
    return std::unexpected(e);
  }
  return c;
}

Result<StatementPeriod> statement_period(const std::string& from, const std::string& to) {
  if (!is_month(from)) return fail(ErrorKind::invalid_input, "from must be a service month YYYY-MM", "from");
  if (!is_month(to)) return fail(ErrorKind::invalid_input, "to must be a service month YYYY-MM", "to");
  if (to < from) return fail(ErrorKind::invalid_input, "the period ends before it starts", "to");
  const int months = (std::stoi(to.substr(0, 4)) - std::stoi(from.substr(0, 4))) * 12 + std::stoi(to.substr(5, 2)) -
                     std::stoi(from.substr(5, 2)) + 1;
  if (months > 12) return fail(ErrorKind::invalid_input, "a statement covers at most 12 service months", "to");
  return StatementPeriod{from, to};
}

StatementPeriod scheduled_period(const StatementConfig& config, Date today) {
  // The latest send date on or before today: this year's send months, then last year's.
  std::optional<Date> send;
  for (int year : {today.year(), today.year() - 1}) {
    for (auto it = config.send_months.rbegin(); it != config.send_months.rend() && !send; ++it) {
      const Date d(year, static_cast<unsigned>(*it), static_cast<unsigned>(config.send_day));
      if (d <= today) send = d;
    }
    if (send) break;
  }
  const Date last = send->first_of_month().add_months(-config.lag_months);
  const Date first = last.add_months(-(config.period_months - 1));
  return StatementPeriod{month_of(first), month_of(last)};
}

Result<std::optional<StatementPeriod>> due_period(store::Database& db, const StatementConfig& config, Date today) {
  const StatementPeriod p = scheduled_period(config, today);
  const std::string key = fmt::format("{}-{}", p.from, p.to);
  auto opened = db.query("SELECT 1 FROM batch_run WHERE job = 'benefit_statements' AND (run_key = $1 OR run_key LIKE $2)",
                         {key, key + "#%"});
  if (!opened) return std::unexpected(opened.error());
  if (!opened->empty()) return std::optional<StatementPeriod>{};
  return std::optional<StatementPeriod>{p};
}

}  // namespace kaigo::benefit
