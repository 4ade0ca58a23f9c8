#include "gateway/inquiry_store.hpp"

#include <fmt/format.h>

namespace kaigo::gateway::detail {

const char* const kInquiryColumns =
    "inquiry_id, request_key, kind, flow_id, person_id, jimu_code, procedure_code, item_code, institution_code, "
    "period_from, period_to, processing_no, status, answer, error_code, error_message, cancel_reason, attempts, "
    "next_poll_at, deadline_at, bulk_id, exchange_id, created_by, purpose, created_at, updated_at, answered_at";

Result<Inquiry> inquiry_from_row(const store::Row& r) {
  Inquiry q;
  q.inquiry_id = r.i64(0);
  q.request_key = r.str(1);
  q.kind = r.str(2);
  q.flow_id = r.str(3);
  q.person_id = r.str(4);
  q.jimu_code = r.str(5);
  q.procedure_code = r.str(6);
  q.item_code = r.str(7);
  q.institution_code = r.str(8);
  q.period_from = r.str(9);
  q.period_to = r.str(10);
  q.processing_no = r.str(11);
  auto st = parse_inquiry_status(r.str(12));
  if (!st) return std::unexpected(st.error());
  q.status = *st;
  q.answer = r.str(13);
  q.error_code = r.str(14);
  q.error_message = r.str(15);
  q.cancel_reason = r.str(16);
  q.attempts = r.i64(17);
  q.next_poll_at = r.opt_i64(18);
  q.deadline_at = r.opt_i64(19);
  q.bulk_id = r.opt_i64(20);
  q.exchange_id = r.i64(21);
  q.created_by = r.str(22);
  q.purpose = r.str(23);
  q.created_at = r.str(24);
  q.updated_at = r.str(25);
  q.answered_at = r.str(26);
  return q;
}

Result<std::int64_t> update_from_values(store::Connection& c, const std::string& set, const std::string& where,
                                        const std::vector<std::string>& types, const std::vector<store::Params>& rows,
                                        const store::Params& extra) {
  // 500 rows × ~10 columns stays far below SQLite's 32,766 and PostgreSQL's 65,535 parameters.
  // PostgreSQL: 500 rows × ~12 columns per statement, far below its 65,535 parameters, so a batch
  // is a couple of round trips. SQLite looks named parameters up by a linear scan while compiling
  // (cost grows with the square of their number), and has no round trips: 40 rows per statement.
  const std::size_t kChunk = c.dialect() == store::Dialect::sqlite ? 40 : 500;
  // The extra parameters ride along as the last columns of every row (the store binds `$n` by
  // number on both databases, see sqlite_database.cpp).
  std::vector<std::string> all_types = types;
  for (const auto& e : extra) all_types.push_back(std::holds_alternative<std::int64_t>(e) ? "BIGINT" : "TEXT");
  std::string s = set, w = where;
  for (std::size_t k = 0; k < extra.size(); ++k) {
    const std::string token = fmt::format("{{extra{}}}", k + 1), column = fmt::format("v.column{}", types.size() + k + 1);
    for (auto* text : {&s, &w})
      for (std::size_t pos; (pos = text->find(token)) != std::string::npos;) text->replace(pos, token.size(), column);
  }
  std::int64_t changed = 0;
  for (std::size_t start = 0; start < rows.size(); start += kChunk) {
    const std::size_t end = std::min(rows.size(), start + kChunk);
    store::Params params;
    params.reserve((end - start) * all_types.size());
    std::string values;
    int n = 0;
    for (std::size_t i = start; i < end; ++i) {
      values += i == start ? "(" : ", (";
      for (std::size_t k = 0; k < all_types.size(); ++k) {
        values += fmt::format("{}CAST(${} AS {})", k ? ", " : "", ++n, all_types[k]);
        params.push_back(k < types.size() ? rows[i].at(k) : extra[k - types.size()]);
      }
      values += ")";
    }
    auto r = c.exec(fmt::format("UPDATE inquiry SET {} FROM (VALUES {}) AS v WHERE inquiry.inquiry_id = v.column1{}{}", s,
                                values, w.empty() ? "" : " AND ", w),
                    params);
    if (!r) return std::unexpected(r.error());
    changed += *r;
  }
  return changed;
}

}  // namespace kaigo::gateway::detail
