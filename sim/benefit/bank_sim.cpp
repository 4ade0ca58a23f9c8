// The bank and the debtors of 返還金: see bank_sim.hpp.
#include "sim/benefit/bank_sim.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "linkage/exchange_store.hpp"

namespace kaigo::sim::benefit {

namespace csv = kaigo::benefit::csv;

BankSim::BankSim(linkage::SimulatorChannel* person, linkage::SimulatorChannel* bank, const csv::LayoutSet& layouts,
                 const Clock& clock)
    : bank_(bank), layouts_(layouts), clock_(clock) {
  if (person != nullptr)
    person->set_handler([this](const linkage::Exchange& e) { return on_person(e); });
}

Result<std::optional<linkage::InboundMessage>> BankSim::on_person(const linkage::Exchange& e) {
  // Other mailings to persons are accepted and answer nothing.
  if (e.flow_id != "KY-18") return std::optional<linkage::InboundMessage>{};
  std::lock_guard lock(mutex_);
  if (auto k = keep_slip_locked(e.payload); !k) return std::unexpected(k.error());
  return std::optional<linkage::InboundMessage>{};
}

Result<void> BankSim::keep_slip_locked(const std::string& ky18_payload) {
  nlohmann::json j = nlohmann::json::parse(ky18_payload, nullptr, false);
  if (j.is_discarded() || !j.contains("slip_no") || !j.contains("amount"))
    return fail(ErrorKind::invalid_input, "a KY-18 mailing without slip_no and amount", "slip_no");
  const std::string slip = j["slip_no"].get<std::string>();
  for (const auto& s : slips_)
    if (s.slip_no == slip) return {};  // re-sent: kept once
  const std::int64_t amount = j["amount"].get<std::int64_t>();
  slips_.push_back(BankSlip{slip, amount, amount, j.value("due_on", "")});
  return {};
}

Result<int> BankSim::resume_from_messages(store::Database& db) {
  std::vector<std::string> mailings, receipts;
  int files = 0;
  auto read = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto m = c.query_each(
        "SELECT payload, payload_packed FROM exchange WHERE flow_id = 'KY-18' AND counterpart = 'person' AND direction = "
        "'outbound' AND status IN ('sent', 'answered', 'applied') ORDER BY exchange_id",
        {}, [&](const store::Row& r) {
          auto text = linkage::payload_at(r, 0);
          if (text) mailings.push_back(std::move(*text));
          return true;
        });
    if (!m) return m;
    // The files the bank sent; only those kaigo applied moved money (a refused one is paid again).
    return c.query_each(
        "SELECT payload, payload_packed, status FROM exchange WHERE flow_id = 'KY-19' AND counterpart = 'bank' AND direction = "
        "'inbound' ORDER BY exchange_id",
        {}, [&](const store::Row& r) {
          ++files;
          auto text = linkage::payload_at(r, 0);
          if (text && r.str(2) == "applied") receipts.push_back(std::move(*text));
          return true;
        });
  });
  if (!read) return std::unexpected(read.error());
  std::lock_guard lock(mutex_);
  for (const auto& m : mailings)
    if (auto k = keep_slip_locked(m); !k) return std::unexpected(k.error());
  for (const auto& text : receipts) {
    const auto parsed = csv::parse(layouts_, text, {});
    if (!parsed.errors.empty() || !parsed.file.layout) continue;  // kaigo applied it, so it parses
    const csv::ParsedFile& f = parsed.file;
    const int slip_col = f.layout->data.index_of("slip_no"), amount_col = f.layout->data.index_of("amount");
    for (std::size_t i = 0; i < f.data_count(); ++i) {
      const auto slip = f.value(i, slip_col);
      std::int64_t paid = 0;
      const auto amount = f.value(i, amount_col);
      std::from_chars(amount.data(), amount.data() + amount.size(), paid);
      for (auto& s : slips_)
        if (s.slip_no == slip) s.remaining = std::max<std::int64_t>(0, s.remaining - paid);
    }
  }
  files_ = std::max(files_, files);
  return static_cast<int>(slips_.size());
}

std::vector<BankSlip> BankSim::slips() const {
  std::lock_guard lock(mutex_);
  return slips_;
}

Result<std::string> BankSim::make_receipt_file() {
  std::lock_guard lock(mutex_);
  std::vector<BankSlip*> open;
  for (auto& s : slips_)
    if (s.remaining > 0) open.push_back(&s);
  if (open.empty()) return std::string();
  const csv::Layout* layout = layouts_.find("KY19");
  if (layout == nullptr) return fail(ErrorKind::internal, "no KY19 layout");
  const std::string paid_on = clock_.today().compact();
  std::vector<std::vector<std::string>> data;
  for (std::size_t i = 0; i < open.size(); ++i) {
    BankSlip& s = *open[i];
    std::int64_t pay = s.remaining;
    if (i == 0 && open.size() >= 3) pay = s.remaining + 1000;  // 過誤納: one pays too much
    else if (i % 4 == 3 && s.remaining >= 2) pay = s.remaining / 2;  // 一部納付
    s.remaining = std::max<std::int64_t>(0, s.remaining - pay);
    data.push_back({"", "", s.slip_no, paid_on, std::to_string(pay), "0179", "001"});
  }
  ++files_;
  std::map<std::string, std::string> control{{"collector_code", "0179"},
                                             {"created_on", paid_on},
                                             {"file_ref", fmt::format("BANK{}-{}", paid_on, files_)}};
  return csv::write(*layout, control, data);
}

Result<std::string> BankSim::advance(int days) {
  if (days < 1) return fail(ErrorKind::invalid_input, "days must be at least 1", "days");
  auto file = make_receipt_file();
  if (!file) return std::unexpected(file.error());
  if (file->empty()) return fmt::format("銀行: {}日進めました。未納の納付書はありません。", days);
  int lines = 0;
  for (char ch : *file) lines += ch == '\n';
  if (bank_ != nullptr) {
    linkage::InboundMessage m;
    m.flow_id = "KY-19";
    m.counterpart = "bank";
    m.payload = *file;
    m.content_type = "text/csv";
    m.purpose = "納入済通知 (返還金)";
    m.actor = "sim:bank";
    bank_->post(std::move(m));
  }
  return fmt::format("銀行: {}日進めました。納入済通知 1件 ({}件の納付) を送りました。", days, lines - 2);
}

}  // namespace kaigo::sim::benefit
