#pragma once
// 介護保険負担割合証 (施行規則28条の2: the card the insurer issues with the rate and its period),
// docs/benefit-income.md. The renderer is notice/benefit_documents (copayment_card_*); this fills
// its data from the rate row, the person and the insured number, and records the issue in
// benefit_document (kind copayment_card, ref_id = rate_id):
//
//  * the yearly run's print file: every current rate the run wrote (new or changed) without a
//    card yet (once_key "copayment_card:<rate_id>"), in one PDF under the print dir. Recorded once
//    the file is complete, set-based; a run whose printing stopped prints the rest when asked again.
//  * at the counter: the card of the rate in force today (or the next one when the person's rate
//    starts later, e.g. a new recipient); the first issue of a rate takes its once_key, a reprint
//    adds a row without one.
//
// Thread-safety: free functions; one transaction each.
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "notice/benefit_documents.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

struct CopaymentCardsPrinted {
  std::int64_t cards = 0;
  std::string path;  // "" when there was nothing to print
};

// The cards of the yearly run `batch_run_id` not printed yet → <dir>/copayment-cards-<run>.pdf.
// Sets the run's output_path when it printed.
Result<CopaymentCardsPrinted> print_copayment_cards(store::Database& db, const Clock& clock,
                                                    const notice::BenefitIssuer& issuer, std::int64_t batch_run_id,
                                                    const std::filesystem::path& dir);

struct CopaymentCardPdf {
  std::string pdf;
  std::int64_t rate_id = 0;
  bool reprint = false;
};
// The person's card at the counter. not_found: no such person, or no current rate covering today
// or later.
Result<CopaymentCardPdf> copayment_card_pdf(store::Database& db, const Clock& clock, const notice::BenefitIssuer& issuer,
                                            const std::string& person_id, const std::string& actor);

}  // namespace kaigo::benefit
