// KY-19 納入済通知 → repayment_receipt, and the 収納 / 還付 rows of KY-20. See repayment_receipts.hpp.
#include "benefit/repayment_receipts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "benefit/benefit_payment.hpp"
#include "benefit/repayment.hpp"
#include "core/date.hpp"

namespace kaigo::benefit {

namespace {

struct Line {
  std::int64_t line_no = 0;
  std::string slip_no;
  Date paid_on;
  std::int64_t amount = 0;
};

struct Debt {
  std::int64_t repayment_id = 0;
  std::optional<std::string> person_id;
  std::string debtor_name;
  std::int64_t total = 0;
  std::int64_t paid_total = 0;
  std::string status;
};

std::int64_t to_i64(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// The repayments named by the slips, by slip_no.
Result<std::map<std::string, Debt>> debts_of(store::Connection& c, const std::set<std::string>& slips) {
  std::map<std::string, Debt> out;
  std::vector<std::string> all(slips.begin(), slips.end());
  constexpr std::size_t kSlice = 500;
  for (std::size_t at = 0; at < all.size(); at += kSlice) {
    const std::size_t n = std::min(kSlice, all.size() - at);
    store::Params p(all.begin() + static_cast<std::ptrdiff_t>(at), all.begin() + static_cast<std::ptrdiff_t>(at + n));
    auto rows = c.query(fmt::format("SELECT slip_no, repayment_id, person_id, debtor_name, total, paid_total, status "
                                    "FROM repayment WHERE slip_no IN ({}){}",
                                    store::numbered_params(n), c.for_update()),
                        p);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows)
      out.emplace(r.str(0), Debt{r.i64(1), r.opt_str(2), r.str(3), r.i64(4), r.i64(5), r.str(6)});
  }
  return out;
}

struct Checked {
  std::vector<InboundFault> faults;
  std::vector<Line> lines;
  std::map<std::string, Debt> debts;
  std::string layout_version;
  std::int64_t amount_total = 0;
};

Result<Checked> check_file(store::Connection& c, const Clock& clock, const csv::LayoutSet& layouts,
                           const std::string& payload) {
  Checked out;
  csv::ParseContext ctx;
  ctx.code_known = [](std::string_view, std::string_view) { return false; };
  csv::ParseOutcome parsed = csv::parse(layouts, payload, ctx);
  for (const auto& e : parsed.errors) out.faults.push_back(InboundFault{e.line, e.field, e.message});
  if (!out.faults.empty()) return out;
  const csv::ParsedFile& f = parsed.file;
  if (f.layout == nullptr || f.layout->exchange_id != "KY19") {
    out.faults.push_back(InboundFault{1, "交換情報識別番号", "not a KY19 納入済通知 file"});
    return out;
  }
  out.layout_version = f.layout->version;
  const int i_slip = f.layout->data.index_of("slip_no");
  const int i_paid = f.layout->data.index_of("paid_on");
  const int i_amount = f.layout->data.index_of("amount");
  if (i_slip < 0 || i_paid < 0 || i_amount < 0)
    return fail(ErrorKind::internal, "the KY19 layout lacks slip_no, paid_on or amount");
  const Date today = clock.today();
  std::set<std::string> slips;
  for (std::size_t i = 0; i < f.data_count(); ++i) {
    Line l;
    l.line_no = f.line_of(i);
    l.slip_no = std::string(f.value(i, i_slip));
    l.amount = to_i64(f.value(i, i_amount));
    auto d = Date::parse_compact(f.value(i, i_paid));
    if (!d) {
      out.faults.push_back(InboundFault{l.line_no, "収納年月日", "not a date"});
      continue;
    }
    l.paid_on = *d;
    if (l.paid_on > today) out.faults.push_back(InboundFault{l.line_no, "収納年月日", "after today"});
    if (l.amount <= 0) out.faults.push_back(InboundFault{l.line_no, "収納金額", "must be more than 0 yen"});
    if (!slip_no_valid(l.slip_no)) {
      out.faults.push_back(InboundFault{l.line_no, "納付書番号", "the check digit does not match"});
      continue;
    }
    slips.insert(l.slip_no);
    out.amount_total += l.amount;
    out.lines.push_back(std::move(l));
  }
  auto debts = debts_of(c, slips);
  if (!debts) return std::unexpected(debts.error());
  out.debts = std::move(*debts);
  for (const Line& l : out.lines) {
    auto it = out.debts.find(l.slip_no);
    if (it == out.debts.end())
      out.faults.push_back(InboundFault{l.line_no, "納付書番号", "no repayment has this slip number"});
    else if (it->second.status == "cancelled")
      out.faults.push_back(InboundFault{l.line_no, "納付書番号", "the repayment of this slip was cancelled"});
  }
  std::sort(out.faults.begin(), out.faults.end(),
            [](const InboundFault& a, const InboundFault& b) { return a.line < b.line; });
  return out;
}

std::string status_of(const Debt& d) {
  if (d.paid_total <= 0) return "open";
  if (d.paid_total < d.total) return "partially_paid";
  if (d.paid_total == d.total) return "paid";
  return "overpaid";
}

Result<void> apply_file(store::Connection& c, const Clock& clock, const linkage::Exchange& e, Checked& checked) {
  const std::string now = clock.timestamp();
  std::map<std::string, int> counts;
  std::int64_t refunded = 0;
  // The file's summary first, so the receipts can name it; its counts are filled at the end.
  auto file_id = insert_applied_file(c, clock, "KY-19", e, checked.layout_version,
                                     static_cast<std::int64_t>(checked.lines.size()), "{}");
  if (!file_id) return std::unexpected(file_id.error());
  // A bank's daily file holds a few dozen payments: one receipt, one 収納 row (and maybe a 還付
  // row) per line, in file order so a later line of the same slip sees the earlier one.
  for (const Line& l : checked.lines) {
    Debt& d = checked.debts.at(l.slip_no);
    auto receipt = c.query_one(
        "INSERT INTO repayment_receipt (repayment_id, file_id, line_no, paid_on, amount, recorded_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING receipt_id",
        {d.repayment_id, *file_id, l.line_no, l.paid_on.iso(), l.amount, now});
    if (!receipt) return std::unexpected(receipt.error());
    const std::int64_t receipt_id = (*receipt)->i64(0);
    auto collected = add_payment(c, clock, NewPayment{"KY-20", "repayment_receipt", fmt::format("receipt:{}", receipt_id),
                                                      d.person_id, d.debtor_name, l.amount, std::nullopt});
    if (!collected) return std::unexpected(collected.error());
    const std::int64_t over_before = std::max<std::int64_t>(0, d.paid_total - d.total);
    d.paid_total += l.amount;
    const std::int64_t over_now = std::max<std::int64_t>(0, d.paid_total - d.total) - over_before;
    if (over_now > 0) {
      // 過誤納金: the yen paid beyond the total are refunded (還付) through accounting.
      auto refund = add_payment(c, clock, NewPayment{"KY-20", "repayment_refund", fmt::format("refund:{}", receipt_id),
                                                     d.person_id, d.debtor_name, over_now, std::nullopt});
      if (!refund) return std::unexpected(refund.error());
      refunded += over_now;
    }
  }
  for (auto& [slip, d] : checked.debts) {
    d.status = status_of(d);
    ++counts[d.status];
    auto up = c.exec("UPDATE repayment SET paid_total = $1, status = $2 WHERE repayment_id = $3",
                     {d.paid_total, d.status, d.repayment_id});
    if (!up) return std::unexpected(up.error());
  }
  nlohmann::json summary = {{"receipts", checked.lines.size()},
                            {"amount_total", checked.amount_total},
                            {"repayments", checked.debts.size()},
                            {"partially_paid", counts["partially_paid"]},
                            {"paid", counts["paid"]},
                            {"overpaid", counts["overpaid"]},
                            {"refunded", refunded}};
  auto s = c.exec("UPDATE benefit_inbound_file SET summary = $1 WHERE file_id = $2", {summary.dump(), *file_id});
  if (!s) return std::unexpected(s.error());
  return {};
}

}  // namespace

Result<std::shared_ptr<const csv::LayoutSet>> load_bank_layouts(const std::filesystem::path& config_dir) {
  auto set = csv::load_layouts(config_dir / "layouts" / "bank");
  if (!set) return std::unexpected(set.error());
  if (set->find("KY19") == nullptr)
    return fail(ErrorKind::invalid_input, "config/layouts/bank has no KY19 layout", "layouts/bank");
  return std::make_shared<const csv::LayoutSet>(std::move(*set));
}

Result<std::vector<InboundFault>> receipt_file_faults(store::Connection& c, const Clock& clock,
                                                      const csv::LayoutSet& layouts, const std::string& payload) {
  auto checked = check_file(c, clock, layouts, payload);
  if (!checked) return std::unexpected(checked.error());
  return std::move(checked->faults);
}

linkage::InboundHandlers repayment_inbound_handlers(const Clock& clock, std::shared_ptr<const csv::LayoutSet> bank_layouts) {
  linkage::InboundHandlers h;
  h["KY-19"] = [&clock, bank_layouts](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    // The same bytes under another message id: already applied, nothing changes.
    auto seen = applied_file(c, "KY-19", e.payload);
    if (!seen) return std::unexpected(seen.error());
    if (*seen) return {};
    auto checked = check_file(c, clock, *bank_layouts, e.payload);
    if (!checked) return std::unexpected(checked.error());
    if (!checked->faults.empty()) return std::unexpected(faults_error(checked->faults));
    return apply_file(c, clock, e, *checked);
  };
  return h;
}

Result<int> record_rejected_receipt_files(store::Database& db, const Clock& clock, const csv::LayoutSet& bank_layouts) {
  return record_rejected_inbound(db, clock, "KY-19",
                                 [&](store::Connection& c, const linkage::Exchange& e) {
                                   return receipt_file_faults(c, clock, bank_layouts, e.payload);
                                 });
}

}  // namespace kaigo::benefit
