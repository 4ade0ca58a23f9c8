// KY-17 / KY-20: the payment rows and the payment files to accounting (benefit_payment.hpp).
#include "benefit/benefit_payment.hpp"

#include <fmt/format.h>

#include "linkage/exchange_store.hpp"

namespace kaigo::benefit {

namespace {

struct KindInfo {
  const char* flow_id;
  const char* kind;
  const char* label;      // 区分 as accounting reads it
  const char* direction;  // 支払 (the city pays) | 調定 / 収納 (the city is owed / received)
};
// The flow of each kind is fixed (docs/benefit.md "KY-17 / KY-20 payment files").
constexpr KindInfo kKinds[] = {
    {"KY-17", "high_cost", "高額介護サービス費", "支払"},
    {"KY-17", "combined", "高額医療合算介護サービス費", "支払"},
    {"KY-20", "repayment_charge", "返還金", "調定"},
    {"KY-20", "repayment_receipt", "返還金", "収納"},
    {"KY-20", "repayment_refund", "返還金 過誤納還付", "支払"},
};

const KindInfo* kind_info(const std::string& kind) {
  for (const auto& k : kKinds)
    if (kind == k.kind) return &k;
  return nullptr;
}

struct FlowInfo {
  const char* flow_id;
  const char* purpose;
};
constexpr FlowInfo kFlows[] = {{"KY-17", "高額介護サービス費等支払情報の提供 (KY-17)"},
                               {"KY-20", "支払情報 (返還・支払) の提供 (KY-20)"}};

const FlowInfo* flow_info(const std::string& flow_id) {
  for (const auto& f : kFlows)
    if (flow_id == f.flow_id) return &f;
  return nullptr;
}

constexpr const char* kColumns =
    "payment_id, flow_id, kind, basis_key, person_id, payee_name, amount, bank_code, branch_code, account_kind, "
    "account_no, account_holder_kana, exchange_id, created_at FROM benefit_payment";

Payment payment_of(const store::Row& r) {
  Payment p;
  p.payment_id = r.i64(0);
  p.flow_id = r.str(1);
  p.kind = r.str(2);
  p.basis_key = r.str(3);
  p.person_id = r.opt_str(4);
  p.payee_name = r.str(5);
  p.amount = r.i64(6);
  if (!r.is_null(7)) p.account = PaymentAccount{r.str(7), r.str(8), r.str(9), r.str(10), r.str(11)};
  p.exchange_id = r.opt_i64(12);
  p.created_at = r.str(13);
  return p;
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

// 支払番号: stable per row, so accounting recognises a payment it has seen (KY17-0000000042).
std::string payment_no(const Payment& p) {
  std::string flow;
  for (char ch : p.flow_id)
    if (ch != '-') flow += ch;
  return fmt::format("{}-{:010}", flow, p.payment_id);
}

std::string account_kind_code(const std::string& kind) {
  // 預金種目 as the 全銀 format codes it: 1 普通, 2 当座.
  if (kind == "ordinary") return "1";
  if (kind == "current") return "2";
  return "";
}

}  // namespace

Result<PaymentAdded> add_payment(store::Connection& c, const Clock& clock, const NewPayment& p) {
  const KindInfo* info = kind_info(p.kind);
  if (!info) return fail(ErrorKind::invalid_input, fmt::format("unknown payment kind '{}'", p.kind), "kind");
  if (p.flow_id != info->flow_id)
    return fail(ErrorKind::invalid_input, fmt::format("a {} payment belongs to {}, not {}", p.kind, info->flow_id, p.flow_id),
                "flow_id");
  if (p.basis_key.empty()) return fail(ErrorKind::invalid_input, "basis_key is required", "basis_key");
  if (p.payee_name.empty()) return fail(ErrorKind::invalid_input, "payee_name is required", "payee_name");
  if (p.amount <= 0) return fail(ErrorKind::invalid_input, "the amount must be positive", "amount");
  auto existing = c.query_one("SELECT payment_id FROM benefit_payment WHERE basis_key = $1", {p.basis_key});
  if (!existing) return std::unexpected(existing.error());
  if (*existing) return PaymentAdded{(*existing)->i64(0), false};
  const auto& a = p.account;
  auto row = c.query_one(
      "INSERT INTO benefit_payment (flow_id, kind, basis_key, person_id, payee_name, amount, bank_code, branch_code, "
      "account_kind, account_no, account_holder_kana, exchange_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12) RETURNING payment_id",
      {p.flow_id, p.kind, p.basis_key, store::opt(p.person_id), p.payee_name, p.amount,
       a ? store::Value(a->bank_code) : store::null(), a ? store::Value(a->branch_code) : store::null(),
       a ? store::Value(a->account_kind) : store::null(), a ? store::Value(a->account_no) : store::null(),
       a ? store::Value(a->holder_kana) : store::null(), clock.timestamp()});
  if (!row) return std::unexpected(row.error());
  return PaymentAdded{(*row)->i64(0), true};
}

std::string write_payment_file(const std::string& flow_id, const std::vector<Payment>& rows) {
  std::string out = csv_line({"レコード区分", "支払番号", "区分", "区分コード", "収支", "債権者・債務者名", "金額",
                              "金融機関コード", "支店コード", "預金種目", "口座番号", "口座名義カナ", "根拠", "作成日時",
                              "連携区分"});
  std::int64_t total = 0;
  for (const auto& p : rows) {
    const KindInfo* info = kind_info(p.kind);
    total += p.amount;
    const PaymentAccount none;
    const PaymentAccount& a = p.account ? *p.account : none;
    out += csv_line({"D", payment_no(p), info ? info->label : p.kind, p.kind, info ? info->direction : "",
                     p.payee_name, std::to_string(p.amount), a.bank_code, a.branch_code, account_kind_code(a.account_kind),
                     a.account_no, a.holder_kana, p.basis_key, p.created_at, flow_id});
  }
  // The trailer: the record count in 支払番号's column, the total in 金額's.
  out += csv_line({"T", std::to_string(rows.size()), "", "", "", "", std::to_string(total), "", "", "", "", "", "", "",
                   flow_id});
  return out;
}

Result<std::optional<PaymentFile>> send_payment_file(store::Database& db, const Clock& clock, const std::string& flow_id,
                                                     const std::string& actor) {
  const FlowInfo* flow = flow_info(flow_id);
  if (!flow) return fail(ErrorKind::invalid_input, fmt::format("flow must be KY-17 or KY-20, not '{}'", flow_id), "flow");
  std::optional<PaymentFile> sent;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    sent.reset();
    // The unsent rows, locked: a second sender waits, then finds them sent.
    auto rows = c.query(fmt::format("SELECT {} WHERE flow_id = $1 AND exchange_id IS NULL ORDER BY payment_id{}", kColumns,
                                    c.for_update()),
                        {flow_id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return {};
    std::vector<Payment> payments;
    std::int64_t total = 0;
    for (const auto& r : *rows) {
      payments.push_back(payment_of(r));
      total += payments.back().amount;
    }
    const std::int64_t first = payments.front().payment_id, last = payments.back().payment_id;
    auto receipt = linkage::enqueue_outbound(
        c, clock,
        linkage::OutboundMessage{flow_id, "zaimu", write_payment_file(flow_id, payments), "text/csv", {}, flow->purpose,
                                 actor, fmt::format("{}:payments:{}-{}:{}", flow_id, first, last, payments.size())});
    if (!receipt) return std::unexpected(receipt.error());
    // Set-based: the rows of the file get its exchange; the count and the sum must be the file's.
    auto marked = c.exec(
        "UPDATE benefit_payment SET exchange_id = $1 WHERE flow_id = $2 AND exchange_id IS NULL AND payment_id >= $3 "
        "AND payment_id <= $4",
        {receipt->exchange_id, flow_id, first, last});
    if (!marked) return std::unexpected(marked.error());
    auto check = c.query_one("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM benefit_payment WHERE exchange_id = $1",
                             {receipt->exchange_id});
    if (!check) return std::unexpected(check.error());
    const auto n = static_cast<std::int64_t>(payments.size());
    if (*marked != n || (*check)->i64(0) != n || (*check)->i64(1) != total)
      return fail(ErrorKind::conflict,
                  fmt::format("{}: the unsent payments changed during the run (file {} rows / {} yen, marked {} rows / {} "
                              "yen); nothing was sent, run again",
                              flow_id, n, total, (*check)->i64(0), (*check)->i64(1)));
    sent = PaymentFile{receipt->exchange_id, flow_id, n, total, payments.front().created_at};
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return sent;
}

Result<std::vector<PaymentFile>> send_payment_files(store::Database& db, const Clock& clock, const std::string& actor) {
  std::vector<PaymentFile> out;
  for (const auto& f : kFlows) {
    auto one = send_payment_file(db, clock, f.flow_id, actor);
    if (!one) return std::unexpected(one.error());
    if (*one) out.push_back(**one);
  }
  return out;
}

Result<std::vector<PaymentFile>> list_payment_files(store::Connection& c, const std::string& flow_id, int limit) {
  store::Params params;
  std::string where = "exchange_id IS NOT NULL";
  if (!flow_id.empty()) {
    params.push_back(flow_id);
    where += " AND flow_id = CAST($1 AS TEXT)";
  }
  params.push_back(static_cast<std::int64_t>(limit));
  auto rows = c.query(fmt::format("SELECT exchange_id, MIN(flow_id), COUNT(*), SUM(amount), MIN(created_at) FROM "
                                  "benefit_payment WHERE {} GROUP BY exchange_id ORDER BY exchange_id DESC LIMIT ${}",
                                  where, params.size()),
                      params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<PaymentFile> out;
  for (const auto& r : *rows) out.push_back(PaymentFile{r.i64(0), r.str(1), r.i64(2), r.i64(3), r.str(4)});
  return out;
}

Result<std::vector<Payment>> list_payments(store::Connection& c, const std::string& flow_id, std::optional<bool> sent,
                                           int limit) {
  store::Params params{flow_id};
  std::string where = "flow_id = CAST($1 AS TEXT)";
  if (sent) where += *sent ? " AND exchange_id IS NOT NULL" : " AND exchange_id IS NULL";
  params.push_back(static_cast<std::int64_t>(limit));
  auto rows = c.query(fmt::format("SELECT {} WHERE {} ORDER BY payment_id LIMIT $2", kColumns, where), params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<Payment> out;
  for (const auto& r : *rows) out.push_back(payment_of(r));
  return out;
}

}  // namespace kaigo::benefit
