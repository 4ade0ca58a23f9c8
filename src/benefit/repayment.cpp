// 返還金の決定 (KY-18) and its 調定 row for accounting (KY-20). docs/benefit.md §KY-18.
#include "benefit/repayment.hpp"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "benefit/benefit_payment.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::benefit {

namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "repayment_id, debtor_kind, person_id, office_no, debtor_name, reason_kind, reason, principal, surcharge, total, "
    "paid_total, slip_no, decided_on, due_on, status, explanation, decided_by, recorded_at, changed_by, changed_at";

Repayment from_row(const store::Row& r) {
  Repayment x;
  x.repayment_id = r.i64(0);
  x.debtor_kind = r.str(1);
  x.person_id = r.opt_str(2);
  x.office_no = r.opt_str(3);
  x.debtor_name = r.str(4);
  x.reason_kind = r.str(5);
  x.reason = r.str(6);
  x.principal = r.i64(7);
  x.surcharge = r.i64(8);
  x.total = r.i64(9);
  x.paid_total = r.i64(10);
  x.slip_no = r.str(11);
  x.decided_on = r.str(12);
  x.due_on = r.str(13);
  x.status = r.str(14);
  x.explanation = r.str(15);
  x.decided_by = r.str(16);
  x.recorded_at = r.str(17);
  x.changed_by = r.opt_str(18);
  x.changed_at = r.opt_str(19);
  return x;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s)
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
  return true;
}

int check_digit(std::string_view body) {
  // Weights 3, 1, 3, … from the rightmost digit of the body (the JAN / GS1 scheme).
  int sum = 0;
  int weight = 3;
  for (auto it = body.rbegin(); it != body.rend(); ++it) {
    sum += (*it - '0') * weight;
    weight = weight == 3 ? 1 : 3;
  }
  return (10 - sum % 10) % 10;
}

}  // namespace

std::string make_slip_no(int year, std::int64_t sequence) {
  const std::string body = fmt::format("{:04d}{:07d}", year, sequence % 10000000);
  return body + static_cast<char>('0' + check_digit(body));
}

bool slip_no_valid(std::string_view slip_no) {
  if (slip_no.size() != 12 || !all_digits(slip_no)) return false;
  return check_digit(slip_no.substr(0, 11)) == slip_no[11] - '0';
}

Result<Repayment> decide_repayment(store::Connection& c, const Clock& clock, const BenefitRules& rules,
                                   const RepaymentInput& in) {
  if (in.debtor_kind != "insured" && in.debtor_kind != "provider")
    return fail(ErrorKind::invalid_input, "debtor_kind must be insured or provider", "debtor_kind");
  if (in.principal <= 0) return fail(ErrorKind::invalid_input, "principal must be a positive number of yen", "principal");
  if (in.reason.empty()) return fail(ErrorKind::invalid_input, "reason is required", "reason");
  if (in.reason.size() > 1000) return fail(ErrorKind::invalid_input, "reason is longer than 1000 bytes", "reason");
  if (in.debtor_kind == "insured" && (!in.person_id || in.person_id->empty()))
    return fail(ErrorKind::invalid_input, "an insured debtor needs person_id", "person_id");
  if (in.debtor_kind == "provider") {
    if (!in.office_no || in.office_no->size() != 10 || !all_digits(*in.office_no))
      return fail(ErrorKind::invalid_input, "a provider debtor needs its 10-digit office_no", "office_no");
    if (in.debtor_name.empty()) return fail(ErrorKind::invalid_input, "a provider debtor needs debtor_name", "debtor_name");
  }
  if (in.reason_kind == RepaymentReason::provider_fraud && in.debtor_kind != "provider")
    return fail(ErrorKind::invalid_input, "provider_fraud is a provider's repayment (法22条3項)", "reason_kind");
  std::string debtor_name = in.debtor_name;
  if (in.person_id && !in.person_id->empty()) {
    auto p = c.query_one("SELECT name_kanji FROM person WHERE person_id = $1", {*in.person_id});
    if (!p) return std::unexpected(p.error());
    if (!*p) return fail(ErrorKind::not_found, "no such person", "person_id");
    if (debtor_name.empty()) debtor_name = (*p)->str(0);
  }
  auto version = rules.on(in.decided_on);
  if (!version) return fail(ErrorKind::invalid_input, "no benefit rules in effect on decided_on", "decided_on");
  const BenefitRulesVersion& v = **version;
  // 加算金 (法22条3項): only for a provider's fraudulent claim; the rule gives the ratio.
  const std::int64_t surcharge = repayment_surcharge(v, in.reason_kind, in.principal);
  const std::int64_t total = in.principal + surcharge;
  const Date due = in.decided_on.add_days(v.repayment_due_days);

  auto seq = c.query_one(
      "UPDATE number_sequence SET next_value = next_value + 1 WHERE name = 'repayment_slip' RETURNING next_value");
  if (!seq) return std::unexpected(seq.error());
  if (!*seq) return fail(ErrorKind::internal, "number_sequence has no repayment_slip row");
  const std::string slip = make_slip_no(in.decided_on.year(), (*seq)->i64(0));

  json explanation = {
      {"rules_effective_from", v.effective_from.iso()},
      {"rules_source", v.source},
      {"reason_kind", std::string(to_code(in.reason_kind))},
      {"reason_label", std::string(label(in.reason_kind))},
      {"principal", in.principal},
      {"surcharge", surcharge},
      {"surcharge_rule",
       surcharge > 0 ? fmt::format("加算金 = 返還額 {} 円 × {}/{} (円未満切捨て, 介護保険法22条3項)", in.principal,
                                   v.surcharge_numerator, v.surcharge_denominator)
                     : std::string("加算金なし (偽りその他不正の行為による事業者の返還ではない)")},
      {"total", total},
      {"due_rule", fmt::format("納期限 = 決定日 {} + {} 日", in.decided_on.iso(), v.repayment_due_days)},
  };
  const std::string now = clock.timestamp();
  auto row = c.query_one(
      fmt::format("INSERT INTO repayment (debtor_kind, person_id, office_no, debtor_name, reason_kind, reason, principal, "
                  "surcharge, total, paid_total, slip_no, decided_on, due_on, status, explanation, decided_by, recorded_at) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, $12, 'open', $13, $14, $15) RETURNING {}",
                  kColumns),
      {in.debtor_kind, store::opt(in.person_id), store::opt(in.office_no), debtor_name,
       std::string(to_code(in.reason_kind)), in.reason, in.principal, surcharge, total, slip, in.decided_on.iso(),
       due.iso(), explanation.dump(), in.actor, now});
  if (!row) return std::unexpected(row.error());
  Repayment out = from_row(**row);

  // 調定 to accounting (KY-20): the amount owed to the city; sent by the payment-file sender.
  NewPayment charge;
  charge.flow_id = "KY-20";
  charge.kind = "repayment_charge";
  charge.basis_key = fmt::format("repayment:{}", out.repayment_id);
  charge.person_id = in.person_id;
  charge.payee_name = debtor_name;
  charge.amount = total;
  auto pay = add_payment(c, clock, charge);
  if (!pay) return std::unexpected(pay.error());

  // The mailing of the 決定通知書 + 納付書 (KY-18, counterpart person): what the 納付書 carries.
  linkage::OutboundMessage m;
  m.flow_id = "KY-18";
  m.counterpart = "person";
  m.payload = json{{"repayment_id", out.repayment_id},
                   {"slip_no", slip},
                   {"amount", total},
                   {"due_on", due.iso()},
                   {"debtor_kind", in.debtor_kind},
                   {"document", "返還金決定通知書・納付書"}}
                  .dump();
  if (in.person_id) m.person_ids.push_back(*in.person_id);
  m.purpose = "返還金決定通知書・納付書の送付";
  m.actor = in.actor;
  m.idempotency_key = fmt::format("KY-18:repayment:{}", out.repayment_id);
  auto sent = linkage::enqueue_outbound(c, clock, m);
  if (!sent) return std::unexpected(sent.error());
  return out;
}

Result<Repayment> cancel_repayment(store::Connection& c, const Clock& clock, std::int64_t repayment_id,
                                   const std::string& actor) {
  auto current = c.query_one(fmt::format("SELECT {} FROM repayment WHERE repayment_id = $1{}", kColumns, c.for_update()),
                             {repayment_id});
  if (!current) return std::unexpected(current.error());
  if (!*current) return fail(ErrorKind::not_found, "no such repayment", "repayment_id");
  Repayment r = from_row(**current);
  if (r.status != "open" || r.paid_total != 0)
    return fail(ErrorKind::conflict, fmt::format("a repayment {} cannot be cancelled", r.status), "status");
  // The 調定 goes away while it is unsent; once accounting has it, its 調定減 is made there.
  auto sent = c.query_one("SELECT exchange_id FROM benefit_payment WHERE basis_key = $1",
                          {fmt::format("repayment:{}", repayment_id)});
  if (!sent) return std::unexpected(sent.error());
  if (*sent && !(*sent)->is_null(0))
    return fail(ErrorKind::conflict, "the charge was already sent to accounting (KY-20); cancel it there", "status");
  auto del = c.exec("DELETE FROM benefit_payment WHERE basis_key = $1 AND exchange_id IS NULL",
                    {fmt::format("repayment:{}", repayment_id)});
  if (!del) return std::unexpected(del.error());
  const std::string now = clock.timestamp();
  auto up = c.exec("UPDATE repayment SET status = 'cancelled', changed_by = $2, changed_at = $3 WHERE repayment_id = $1",
                   {repayment_id, actor, now});
  if (!up) return std::unexpected(up.error());
  r.status = "cancelled";
  r.changed_by = actor;
  r.changed_at = now;
  return r;
}

Result<Repayment> load_repayment(store::Connection& c, std::int64_t repayment_id) {
  auto row = c.query_one(fmt::format("SELECT {} FROM repayment WHERE repayment_id = $1", kColumns), {repayment_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, "no such repayment", "repayment_id");
  return from_row(**row);
}

Result<std::vector<Repayment>> list_repayments(store::Connection& c, const std::optional<std::string>& status,
                                               const std::optional<std::string>& person_id) {
  if (status && *status != "open" && *status != "partially_paid" && *status != "paid" && *status != "overpaid" &&
      *status != "cancelled")
    return fail(ErrorKind::invalid_input, "status must be open, partially_paid, paid, overpaid or cancelled", "status");
  auto rows = c.query(fmt::format("SELECT {} FROM repayment WHERE (CAST($1 AS TEXT) = '' OR status = CAST($1 AS TEXT)) "
                                  "AND (CAST($2 AS TEXT) = '' OR person_id = CAST($2 AS TEXT)) "
                                  "ORDER BY repayment_id DESC LIMIT 500",
                                  kColumns),
                      {status.value_or(""), person_id.value_or("")});
  if (!rows) return std::unexpected(rows.error());
  std::vector<Repayment> out;
  for (const auto& r : *rows) out.push_back(from_row(r));
  return out;
}

}  // namespace kaigo::benefit
