#pragma once
// KY-19 納入済通知: the bank's file of payments made with 返還金 納付書 (layout
// config/layouts/bank/KY19.v1.tsv, docs/benefit.md §KY-19), and the KY-20 rows it makes.
// The file is validated whole — the codec (fields, counts, total) and then every slip: known,
// check digit right, not cancelled, amount > 0, paid_on not after today — and applied in the
// inbox's transaction: a repayment_receipt per line, paid_total and status (partially_paid /
// paid / overpaid) of each repayment, a benefit_payment row kind repayment_receipt (収納,
// "receipt:<receipt_id>") and, for the yen paid beyond the total, one kind repayment_refund
// ("refund:<receipt_id>", 還付). A file with any fault is refused whole (nothing applied) and
// recorded as rejected with its faults by record_rejected_receipt_files(). The same file twice
// changes nothing.
#include <filesystem>
#include <memory>
#include <string>

#include "benefit/kokuhoren_csv.hpp"
#include "benefit/repayment_inbound.hpp"
#include "core/clock.hpp"
#include "linkage/dispatcher.hpp"

namespace kaigo::benefit {

// config/layouts/bank (the bank's layouts; the codec of kokuhoren_csv.hpp reads them).
Result<std::shared_ptr<const csv::LayoutSet>> load_bank_layouts(const std::filesystem::path& config_dir);

// The faults of a KY-19 file (empty: it can be applied).
Result<std::vector<InboundFault>> receipt_file_faults(store::Connection& c, const Clock& clock,
                                                      const csv::LayoutSet& layouts, const std::string& payload);

// The inbox handler of KY-19.
linkage::InboundHandlers repayment_inbound_handlers(const Clock& clock, std::shared_ptr<const csv::LayoutSet> bank_layouts);

// Records the KY-19 files the inbox rejected (benefit_inbound_file 'rejected' + errors).
Result<int> record_rejected_receipt_files(store::Database& db, const Clock& clock, const csv::LayoutSet& bank_layouts);

}  // namespace kaigo::benefit
