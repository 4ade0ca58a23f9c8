#pragma once
// KY-17 高額介護サービス費等 支払情報 / KY-20 支払情報 (返還・支払): the amounts owed to or by
// someone (benefit_payment, migration 016) sent to the city's accounting system (zaimu) as one
// CSV payment file per flow and run (docs/benefit.md "KY-17 / KY-20 payment files").
//
// Writers: the high-cost engineer inserts kind high_cost (KY-17), the payments engineer combined
// (KY-17) and repayment_charge / repayment_receipt / repayment_refund (KY-20), each with
// add_payment inside their own transaction. This file's sender is the only one that sends them:
// it takes every row of the flow not sent yet (exchange_id NULL), writes the file with a trailer
// (record count and total), checks the trailer against the database's own count and sum of the
// same rows, enqueues one outbound exchange and sets the rows' exchange_id — one transaction, so a
// crash sends nothing twice and a row is never in two files. Nothing owed: no file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

// The account a payment goes to (high_cost_application's columns); absent for a charge/receipt.
struct PaymentAccount {
  std::string bank_code;     // 4 digits
  std::string branch_code;   // 3 digits
  std::string account_kind;  // ordinary | current
  std::string account_no;    // 7 digits
  std::string holder_kana;   // 口座名義 (カナ)
};

struct NewPayment {
  std::string flow_id;    // KY-17 | KY-20
  std::string kind;       // high_cost | combined | repayment_charge | repayment_receipt | repayment_refund
  std::string basis_key;  // "high_cost:<decision_id>", "combined:<combined_id>", "repayment:<id>", …
  std::optional<std::string> person_id;
  std::string payee_name;  // 債権者 / 債務者 (the person's or the provider's name)
  std::int64_t amount = 0; // yen, > 0
  std::optional<PaymentAccount> account;
};

// Inserts the row inside the caller's transaction. The same basis_key again returns the row that
// is there (created = false) and changes nothing, whatever else differs. invalid_input when the
// flow/kind pair is not one of the table's or the amount is not positive.
struct PaymentAdded {
  std::int64_t payment_id = 0;
  bool created = true;
};
Result<PaymentAdded> add_payment(store::Connection& c, const Clock& clock, const NewPayment& p);

struct Payment {
  std::int64_t payment_id = 0;
  std::string flow_id, kind, basis_key;
  std::optional<std::string> person_id;
  std::string payee_name;
  std::int64_t amount = 0;
  std::optional<PaymentAccount> account;
  std::optional<std::int64_t> exchange_id;
  std::string created_at;
};

// The payment CSV of one flow (UTF-8, header, CRLF, a trailer with the count and the total):
// docs/benefit.md "KY-17 / KY-20 payment files".
std::string write_payment_file(const std::string& flow_id, const std::vector<Payment>& rows);

struct PaymentFile {
  std::int64_t exchange_id = 0;
  std::string flow_id;
  std::int64_t rows = 0;
  std::int64_t total = 0;   // yen: the trailer's total, equal to the database's sum of the rows
  std::string created_at;   // the first row's
};

// Sends the unsent rows of `flow_id` (KY-17 or KY-20) as one file; nullopt: nothing to send.
Result<std::optional<PaymentFile>> send_payment_file(store::Database& db, const Clock& clock, const std::string& flow_id,
                                                     const std::string& actor);
// Both flows, KY-17 then KY-20 (the background job and the route without a flow).
Result<std::vector<PaymentFile>> send_payment_files(store::Database& db, const Clock& clock, const std::string& actor);

// Files sent, newest first (flow "" for both).
Result<std::vector<PaymentFile>> list_payment_files(store::Connection& c, const std::string& flow_id, int limit);
// Rows of a flow: sent = false the unsent ones, true the sent, nullopt all; oldest first.
Result<std::vector<Payment>> list_payments(store::Connection& c, const std::string& flow_id, std::optional<bool> sent,
                                           int limit);

}  // namespace kaigo::benefit
