// 高額介護サービス費 decisions: reads, and the set-based attach/pay steps shared by the run and the
// application (high_cost_internal.hpp).
#include <fmt/format.h>

#include "benefit/high_cost.hpp"
#include "benefit/high_cost_internal.hpp"

namespace kaigo::benefit {

namespace detail {

const char* const kDecisionColumns =
    "d.decision_id, d.person_id, d.service_month, d.household_key, d.category, d.household_copayment, d.own_copayment, "
    "d.cap, d.amount, d.paid_before, d.application_id, d.status, d.explanation, d.batch_run_id, d.decided_at, "
    "d.repayment_id, b.payment_id, b.amount FROM high_cost_decision d LEFT JOIN benefit_payment b "
    "ON b.basis_key = 'high_cost:' || CAST(d.decision_id AS TEXT)";

HighCostDecision decision_of(const store::Row& r) {
  HighCostDecision d;
  d.decision_id = r.i64(0);
  d.person_id = r.str(1);
  d.service_month = r.str(2);
  d.household_key = r.str(3);
  d.category = r.str(4);
  d.household_copayment = r.i64(5);
  d.own_copayment = r.i64(6);
  d.cap = r.i64(7);
  d.amount = r.i64(8);
  d.paid_before = r.i64(9);
  d.application_id = r.opt_i64(10);
  d.status = r.str(11);
  d.explanation = r.str(12);
  d.batch_run_id = r.opt_i64(13);
  d.decided_at = r.str(14);
  d.repayment_id = r.opt_i64(15);
  d.payment_id = r.opt_i64(16);
  d.payment_amount = r.i64(17);
  return d;
}

Result<Date> month_start(const std::string& month, const std::string& field) {
  if (month.size() != 7 || month[4] != '-')
    return fail(ErrorKind::invalid_input, fmt::format("{} must be a month YYYY-MM", field), field);
  auto d = Date::parse(month + "-01");
  if (!d) return fail(ErrorKind::invalid_input, fmt::format("{} must be a month YYYY-MM", field), field);
  return *d;
}

Result<std::int64_t> attach_held_decisions(store::Connection& c, const std::string& where, const store::Params& params) {
  // The latest active application whose first month is not after the decision's month.
  constexpr const char* kCovering =
      "FROM high_cost_application a WHERE a.person_id = d.person_id AND a.status = 'active' "
      "AND a.first_month <= d.service_month";
  // UPDATE … AS d reads the same on both databases (SQLite's qualified-table-name takes an alias).
  return c.exec(fmt::format("UPDATE high_cost_decision AS d SET application_id = (SELECT MAX(a.application_id) {0}) "
                            "WHERE d.status = 'current' AND d.application_id IS NULL AND {1} AND EXISTS (SELECT 1 {0})",
                            kCovering, where),
                params);
}

Result<Paid> pay_decisions(store::Connection& c, const Clock& clock, const std::string& where, const store::Params& params) {
  const std::string ts_param = fmt::format("${}", params.size() + 1);
  store::Params all = params;
  all.push_back(clock.timestamp());
  const std::string selected = fmt::format(
      "FROM high_cost_decision d JOIN high_cost_application a ON a.application_id = d.application_id "
      "JOIN person p ON p.person_id = d.person_id "
      "WHERE d.status = 'current' AND d.amount > d.paid_before AND a.status = 'active' AND {} "
      "AND NOT EXISTS (SELECT 1 FROM benefit_payment x WHERE x.basis_key = 'high_cost:' || CAST(d.decision_id AS TEXT))",
      where);
  auto sum = c.query_one(fmt::format("SELECT COUNT(*), COALESCE(SUM(d.amount - d.paid_before), 0) {}", selected), params);
  if (!sum) return std::unexpected(sum.error());
  Paid paid{(*sum)->i64(0), (*sum)->i64(1)};
  if (paid.rows == 0) return paid;
  auto inserted = c.exec(
      fmt::format("INSERT INTO benefit_payment (flow_id, kind, basis_key, person_id, payee_name, amount, bank_code, "
                  "branch_code, account_kind, account_no, account_holder_kana, exchange_id, created_at) "
                  "SELECT 'KY-17', 'high_cost', 'high_cost:' || CAST(d.decision_id AS TEXT), d.person_id, p.name_kanji, "
                  "d.amount - d.paid_before, a.bank_code, a.branch_code, a.account_kind, a.account_no, "
                  "a.account_holder_kana, NULL, CAST({} AS TEXT) {}",
                  ts_param, selected),
      all);
  if (!inserted) return std::unexpected(inserted.error());
  if (*inserted != paid.rows)
    return fail(ErrorKind::conflict, "the decisions to pay changed while paying them; nothing was paid, run again");
  return paid;
}

}  // namespace detail

Result<std::vector<HighCostDecision>> list_high_cost_decisions(store::Connection& c, const std::string& person_id) {
  auto rows = c.query(fmt::format("SELECT {} WHERE d.person_id = $1 ORDER BY d.service_month DESC, d.decision_id DESC",
                                  detail::kDecisionColumns),
                      {person_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<HighCostDecision> out;
  for (const auto& r : *rows) out.push_back(detail::decision_of(r));
  return out;
}

Result<HighCostDecision> load_high_cost_decision(store::Connection& c, std::int64_t decision_id) {
  auto row = c.query_one(fmt::format("SELECT {} WHERE d.decision_id = $1", detail::kDecisionColumns), {decision_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, "no such decision", "decision_id");
  return detail::decision_of(**row);
}

}  // namespace kaigo::benefit
