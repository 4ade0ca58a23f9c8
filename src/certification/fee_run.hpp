#pragma once
// NT-15 審査会委員報酬, NT-16 認定調査委託料, NT-17 主治医意見書作成料: the fees owed
// (certification_fee, accrued by the workflow when the work is done) sent to the city's accounting
// system (zaimu) as payment data, one CSV per flow and run (docs/certification.md "NT-15 … NT-17").
//
// A run takes, per flow, every fee row not sent yet (exchange_id NULL), writes the file with a
// trailer (record count and total), checks the trailer against the database's own sum of the same
// rows, enqueues one outbound exchange and sets the rows' exchange_id — all in one transaction per
// flow, so a crash sends nothing twice and a row is never in two files. Nothing owed: no file.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "certification/certification_outputs_config.hpp"
#include "certification/rules.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::certification {

// One fee as the screens and the file read it.
struct Fee {
  std::int64_t fee_id = 0;
  std::string flow_id;       // NT-15, NT-16, NT-17
  std::string basis_key;
  std::string payee_code, payee_name;
  std::string fee_kind;      // the rule file's fee key, e.g. assessment.new.home
  std::string fee_label;     // the rule file's label of that key on work_on
  std::int64_t amount = 0;   // yen
  Date work_on;
  std::optional<std::int64_t> application_id, session_id;
  std::string basis_no;      // application_no (NT-16, NT-17) or session_no (NT-15)
  std::optional<std::int64_t> exchange_id;
  std::string created_at;
};

// The fees, oldest first: sent = false the ones owed, true the ones sent, nullopt all; flow_id ""
// for every flow. Labels from `rules` (the version in force on each fee's work day).
Result<std::vector<Fee>> list_fees(store::Connection& c, const CertificationRules& rules, std::optional<bool> sent,
                                   const std::string& flow_id, int limit, int offset);

// The payment CSV of one flow (UTF-8, header, CRLF, a trailer record): docs/certification.md.
std::string write_fee_file(const std::string& flow_id, const std::vector<Fee>& fees, const BudgetAccount& account);

struct FeeFile {
  std::string flow_id;
  std::int64_t rows = 0;
  std::int64_t total = 0;  // yen: the trailer's total, equal to the database's sum of the rows
  std::int64_t exchange_id = 0;
};
struct FeeRun {
  std::vector<FeeFile> files;  // one per flow that had fees owed, in flow order; empty: nothing owed
};

// Sends every fee owed (NT-15, NT-16, NT-17 to zaimu). internal when a fee's key is not in the
// rules of its work day (nothing of that flow is sent).
Result<FeeRun> run_fee_payments(store::Database& db, const Clock& clock, const CertificationRules& rules,
                                const std::map<std::string, BudgetAccount>& accounts, const std::string& actor);

}  // namespace kaigo::certification
