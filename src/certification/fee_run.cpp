// NT-15 / NT-16 / NT-17: the fees owed as payment files to accounting (fee_run.hpp).
#include "certification/fee_run.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "linkage/exchange_store.hpp"

namespace kaigo::certification {

namespace {

struct FlowInfo {
  const char* flow_id;
  const char* purpose;
};
// In the catalog's order; the payee is the committee member, the contractor, the institution.
constexpr FlowInfo kFlows[] = {{"NT-15", "審査会委員報酬等支払情報の提供 (NT-15)"},
                               {"NT-16", "認定調査委託料の支払 (NT-16)"},
                               {"NT-17", "主治医意見書作成料の支払 (NT-17)"}};

constexpr const char* kFeeColumns =
    "f.fee_id, f.flow_id, f.basis_key, f.payee_code, f.payee_name, f.fee_kind, f.amount, f.work_on, f.application_id, "
    "f.session_id, CASE WHEN f.flow_id = 'NT-15' THEN s.session_no ELSE a.application_no END, f.exchange_id, f.created_at "
    "FROM certification_fee f LEFT JOIN certification_application a ON a.application_id = f.application_id "
    "LEFT JOIN committee_session s ON s.session_id = f.session_id";

Result<Fee> fee_of(const store::Row& r, const CertificationRules& rules) {
  Fee f;
  f.fee_id = r.i64(0);
  f.flow_id = r.str(1);
  f.basis_key = r.str(2);
  f.payee_code = r.str(3);
  f.payee_name = r.str(4);
  f.fee_kind = r.str(5);
  f.amount = r.i64(6);
  auto on = Date::parse(r.str(7));
  if (!on) return fail(ErrorKind::internal, fmt::format("fee {} has a work day that is not a date", f.fee_id));
  f.work_on = *on;
  f.application_id = r.opt_i64(8);
  f.session_id = r.opt_i64(9);
  f.basis_no = r.str(10);
  f.exchange_id = r.opt_i64(11);
  f.created_at = r.str(12);
  // The label the rule file gives the key on the work day (a fee accrued under a later-removed key
  // is refused rather than paid under a guessed name).
  auto version = rules.on(f.work_on);
  if (!version)
    return fail(ErrorKind::internal, fmt::format("fee {}: no certification rules in force on {}", f.fee_id, f.work_on.iso()));
  auto amount = fee(**version, f.fee_kind);
  if (!amount)
    return fail(ErrorKind::internal, fmt::format("fee {}: the key '{}' is not a fee of the rules in force on {}", f.fee_id,
                                                 f.fee_kind, f.work_on.iso()));
  f.fee_label = amount->label;
  return f;
}

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  return out + "\r\n";
}

// 支払番号: stable per fee, so accounting recognises a payment it has seen (flow without the dash
// + the fee id in 10 digits, e.g. NT16-0000000042).
std::string payment_no(const Fee& f) {
  std::string flow = f.flow_id;
  flow.erase(std::remove(flow.begin(), flow.end(), '-'), flow.end());
  return fmt::format("{}-{:010}", flow, f.fee_id);
}

}  // namespace

Result<std::vector<Fee>> list_fees(store::Connection& c, const CertificationRules& rules, std::optional<bool> sent,
                                   const std::string& flow_id, int limit, int offset) {
  std::string where = "1 = 1";
  store::Params params;
  if (sent) where += *sent ? " AND f.exchange_id IS NOT NULL" : " AND f.exchange_id IS NULL";
  if (!flow_id.empty()) {
    params.push_back(flow_id);
    where += fmt::format(" AND f.flow_id = CAST(${} AS TEXT)", params.size());
  }
  params.push_back(static_cast<std::int64_t>(limit));
  params.push_back(static_cast<std::int64_t>(offset));
  auto rows = c.query(fmt::format("SELECT {} WHERE {} ORDER BY f.fee_id LIMIT ${} OFFSET ${}", kFeeColumns, where,
                                  params.size() - 1, params.size()),
                      params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<Fee> out;
  for (const auto& r : *rows) {
    auto f = fee_of(r, rules);
    if (!f) return std::unexpected(f.error());
    out.push_back(std::move(*f));
  }
  return out;
}

std::string write_fee_file(const std::string& flow_id, const std::vector<Fee>& fees, const BudgetAccount& account) {
  std::string out = csv_line({"レコード区分", "支払番号", "債権者コード", "債権者名", "支払区分", "支払区分コード", "金額",
                              "根拠", "作業日", "予算科目コード", "予算科目名", "連携区分"});
  std::int64_t total = 0;
  for (const auto& f : fees) {
    total += f.amount;
    out += csv_line({"D", payment_no(f), f.payee_code, f.payee_name, f.fee_label, f.fee_kind, std::to_string(f.amount),
                     f.basis_no, f.work_on.compact(), account.code, account.name, flow_id});
  }
  // The trailer: the record count in 支払番号's column, the total in 金額's.
  out += csv_line({"T", std::to_string(fees.size()), "", "", "", "", std::to_string(total), "", "", account.code,
                   account.name, flow_id});
  return out;
}

Result<FeeRun> run_fee_payments(store::Database& db, const Clock& clock, const CertificationRules& rules,
                                const std::map<std::string, BudgetAccount>& accounts, const std::string& actor) {
  FeeRun run;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    run.files.clear();
    for (const auto& flow : kFlows) {
      auto account = accounts.find(flow.flow_id);
      if (account == accounts.end())
        return fail(ErrorKind::internal, fmt::format("no budget account for {}", flow.flow_id));
      // The unsent rows, locked: a second instance running the same job waits, then finds them sent.
      auto rows = c.query(fmt::format("SELECT {} WHERE f.flow_id = $1 AND f.exchange_id IS NULL ORDER BY f.fee_id{}",
                                      kFeeColumns, c.dialect() == store::Dialect::postgresql ? " FOR UPDATE OF f" : ""),
                          {std::string(flow.flow_id)});
      if (!rows) return std::unexpected(rows.error());
      if (rows->empty()) continue;
      std::vector<Fee> fees;
      std::int64_t total = 0;
      for (const auto& r : *rows) {
        auto f = fee_of(r, rules);
        if (!f) return std::unexpected(f.error());
        if (f->amount < 0) return fail(ErrorKind::internal, fmt::format("fee {} has a negative amount", f->fee_id));
        total += f->amount;
        fees.push_back(std::move(*f));
      }
      const std::int64_t first = fees.front().fee_id, last = fees.back().fee_id;
      auto receipt = linkage::enqueue_outbound(
          c, clock,
          linkage::OutboundMessage{flow.flow_id, "zaimu", write_fee_file(flow.flow_id, fees, account->second), "text/csv", {},
                                   flow.purpose, actor, fmt::format("{}:fees:{}-{}:{}", flow.flow_id, first, last, fees.size())});
      if (!receipt) return std::unexpected(receipt.error());
      // Set-based: the rows of the file get its exchange; the count and the sum must be the file's.
      auto marked = c.exec(
          "UPDATE certification_fee SET exchange_id = $1 WHERE flow_id = $2 AND exchange_id IS NULL AND fee_id >= $3 "
          "AND fee_id <= $4",
          {receipt->exchange_id, std::string(flow.flow_id), first, last});
      if (!marked) return std::unexpected(marked.error());
      auto check = c.query_one("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM certification_fee WHERE exchange_id = $1",
                               {receipt->exchange_id});
      if (!check) return std::unexpected(check.error());
      if (*marked != static_cast<std::int64_t>(fees.size()) || (*check)->i64(0) != static_cast<std::int64_t>(fees.size()) ||
          (*check)->i64(1) != total)
        return fail(ErrorKind::conflict,
                    fmt::format("{}: the fees owed changed during the run (file {} rows / {} yen, marked {} rows / {} yen); "
                                "nothing was sent, run again",
                                flow.flow_id, fees.size(), total, (*check)->i64(0), (*check)->i64(1)));
      run.files.push_back(FeeFile{flow.flow_id, static_cast<std::int64_t>(fees.size()), total, receipt->exchange_id});
    }
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return run;
}

}  // namespace kaigo::certification
