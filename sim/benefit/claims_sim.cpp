// The 国保連 benefit simulator: KY-03 in, KY-04 out (see claims_sim.hpp).
#include "sim/benefit/claims_sim.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/cp932.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::sim::benefit {

namespace csv = kaigo::benefit::csv;
namespace fs = std::filesystem;

namespace {

std::string month_text(Date d) { return fmt::format("{:04}{:02}", d.year(), d.month()); }

csv::ParseContext parse_context(const kaigo::benefit::BenefitConfig& config, const std::string& insurer_no) {
  csv::ParseContext ctx;
  ctx.insurer_no = insurer_no;
  ctx.code_known = [&config](std::string_view list, std::string_view code) {
    if (list == "care_offices")
      return std::any_of(config.offices.begin(), config.offices.end(), [&](const auto& o) { return o.office_no == code; });
    if (list == "service_kinds")
      return std::any_of(config.service_kinds.begin(), config.service_kinds.end(),
                         [&](const auto& k) { return k.code == code; });
    return false;
  };
  return ctx;
}

std::string describe(const std::vector<csv::FileError>& errors) {
  const auto& e = errors.front();
  return fmt::format("line {}: {}: {}{}", e.line, e.field, e.message,
                     errors.size() > 1 ? fmt::format(" (and {} more)", errors.size() - 1) : "");
}

Result<std::string> read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return fail(ErrorKind::unavailable, fmt::format("cannot read {}", p.string()));
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

bool named(const fs::path& p, std::string_view flow) { return p.filename().string().starts_with(flow); }

}  // namespace

ClaimsSim::ClaimsSim(store::Database& db, const kaigo::benefit::BenefitConfig& config,
                     linkage::SimulatorChannel* channel, ClaimsSimOptions options)
    : db_(db), config_(config), channel_(channel), options_(std::move(options)) {}

void ClaimsSim::write_to_folder(fs::path folder_dir) {
  std::lock_guard lock(mutex_);
  folder_ = std::move(folder_dir);
}

Result<std::int64_t> ClaimsSim::receive_recipients(std::string_view utf8_text) {
  std::lock_guard lock(mutex_);
  return receive_locked(utf8_text);
}

Result<std::int64_t> ClaimsSim::receive_locked(std::string_view utf8_text) {
  auto parsed = csv::parse(config_.layouts, utf8_text, parse_context(config_, options_.insurer_no));
  if (!parsed.errors.empty()) {
    ++refused_;
    return fail(ErrorKind::invalid_input, "KY-03 refused: " + describe(parsed.errors), parsed.errors.front().field);
  }
  if (!parsed.file.layout || parsed.file.layout->exchange_id != "KY03") {
    ++refused_;
    return fail(ErrorKind::invalid_input, "the file is not a KY03 受給者異動連絡票情報", "exchange_id");
  }
  book_.apply(parsed.file);
  return static_cast<std::int64_t>(parsed.file.data_count());
}

Result<void> ClaimsSim::learn_ky04_locked(std::string_view utf8_text) {
  auto parsed = csv::parse(config_.layouts, utf8_text, parse_context(config_, options_.insurer_no));
  if (!parsed.errors.empty()) return fail(ErrorKind::invalid_input, "KY-04: " + describe(parsed.errors));
  const auto& f = parsed.file;
  if (!f.layout || f.layout->exchange_id != "KY04") return {};
  const int review = f.layout->control.index_of("review_month");
  if (review >= 0 && static_cast<std::size_t>(review) < f.control.size()) months_.insert(f.control[review]);
  for (std::size_t r = 0; r < f.data_count(); ++r) {
    Claim c = claim_from(f, r);
    ledger_[c.claim_no] = std::move(c);
  }
  return {};
}

// The KY-03 exchanges the channel has taken (sent or later) and not read yet, oldest first; a
// refused file is counted and skipped (the real 国保連 returns it to the city as an error list).
Result<void> ClaimsSim::collect_locked() {
  std::vector<std::string> texts;
  if (folder_) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(*folder_ / "out", ec))
      if (e.is_regular_file() && named(e.path(), "KY-03") && !ky03_files_.contains(e.path().filename().string()))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& p : files) {
      auto bytes = read_file(p);
      if (!bytes) return std::unexpected(bytes.error());
      ky03_files_.insert(p.filename().string());
      auto text = cp932::decode(*bytes);
      if (!text) {
        ++refused_;
        spdlog::warn("kokuhoren benefit simulator: {} is not CP932, refused", p.filename().string());
        continue;
      }
      texts.push_back(std::move(*text));
    }
  } else {
    auto ids = db_.query(
        "SELECT exchange_id FROM exchange WHERE flow_id = 'KY-03' AND counterpart = 'kokuhoren' AND direction = "
        "'outbound' AND status IN ('sent', 'answered', 'applied') ORDER BY exchange_id");
    if (!ids) return std::unexpected(ids.error());
    for (const auto& row : *ids) {
      const std::int64_t id = row.i64(0);
      if (ky03_exchanges_.contains(id)) continue;
      auto payload = db_.query("SELECT payload, payload_packed FROM exchange WHERE exchange_id = $1", {id});
      if (!payload) return std::unexpected(payload.error());
      ky03_exchanges_.insert(id);
      if (payload->empty()) continue;
      auto text = linkage::payload_at(payload->front(), 0);
      if (!text) return std::unexpected(text.error());
      texts.push_back(std::move(*text));
    }
  }
  for (const auto& t : texts)
    if (auto r = receive_locked(t); !r) spdlog::warn("kokuhoren benefit simulator: {}", r.error().message);
  return {};
}

Result<int> ClaimsSim::resume_from_messages() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> texts;
  if (folder_) {
    std::vector<fs::path> files;
    for (const char* sub : {"in", "processed", "quarantine"}) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(*folder_ / sub, ec))
        if (e.is_regular_file() && named(e.path(), "KY-04") && e.path().extension() != ".txt") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    for (const auto& p : files) {
      auto bytes = read_file(p);
      if (!bytes) return std::unexpected(bytes.error());
      auto text = cp932::decode(*bytes);
      if (text) texts.push_back(std::move(*text));
    }
  } else {
    auto rows = db_.query(
        "SELECT payload, payload_packed FROM exchange WHERE flow_id = 'KY-04' AND counterpart = 'kokuhoren' AND direction = "
        "'inbound' ORDER BY exchange_id");
    if (!rows) return std::unexpected(rows.error());
    for (const auto& row : *rows) {
      auto text = linkage::payload_at(row, 0);
      if (!text) return std::unexpected(text.error());
      texts.push_back(std::move(*text));
    }
  }
  int found = 0;
  for (const auto& t : texts) {
    // A KY-04 this simulator cannot read is not one it made; it is left out of its ledger.
    if (auto r = learn_ky04_locked(t); !r)
      spdlog::warn("kokuhoren benefit simulator: a KY-04 file was not read back: {}", r.error().message);
    else
      ++found;
  }
  if (auto c = collect_locked(); !c) return std::unexpected(c.error());
  return found;
}

Result<std::optional<MonthSummary>> ClaimsSim::send_month(Date review, Date created_on) {
  std::lock_guard lock(mutex_);
  if (auto c = collect_locked(); !c) return std::unexpected(c.error());
  const std::string review_ym = month_text(review);
  if (months_.contains(review_ym)) return std::optional<MonthSummary>{};
  const Date service = review.first_of_month().add_months(-1);
  const std::string service_ym = month_text(service);
  const csv::Layout* layout = config_.layouts.find("KY04");
  if (!layout) return fail(ErrorKind::invalid_input, "no KY04 layout in config/layouts/kokuhoren", "layout");

  MonthSummary summary;
  summary.review_month = review_ym;
  std::vector<Claim> records;
  // Claims of earlier months first revised (過誤・再審査), then the month's new claims.
  for (const auto& [no, latest] : ledger_) {
    if (latest.service_month >= service_ym) continue;
    if (auto next = revise(latest, review_ym, options_.seed)) {
      (next->record_kind == '3' ? summary.cancelled : summary.corrected) += 1;
      records.push_back(std::move(*next));
    }
  }
  for (const auto& insured_no : book_.insured_nos()) {
    auto who = book_.in_month(insured_no, service);
    if (!who) continue;
    for (auto& c : make_claims(*who, service, config_, options_.seed)) {
      if (ledger_.contains(c.claim_no)) continue;  // that month was sent before
      ++summary.new_claims;
      records.push_back(std::move(c));
    }
  }
  if (!records.empty()) {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      auto row = to_row(*layout, records[i], static_cast<std::int64_t>(i) + 1, options_.insurer_no);
      if (!row) return std::unexpected(row.error());
      rows.push_back(std::move(*row));
    }
    const std::map<std::string, std::string> control = {
        {"exchange_id", "KY04"},
        {"layout_version", layout->version},
        {"insurer_no", options_.insurer_no},
        {"created_on", created_on.compact()},
        {"review_month", review_ym},
        {"file_ref", "KR-KY04-" + review_ym},
    };
    auto text = csv::write(*layout, control, rows);
    if (!text) return std::unexpected(text.error());
    summary.file_name = fmt::format("KY-04_{}.csv", review_ym);
    if (auto d = deliver_locked(summary.file_name, review_ym, *text); !d) return std::unexpected(d.error());
  }
  months_.insert(review_ym);
  for (auto& c : records) ledger_[c.claim_no] = std::move(c);
  return std::optional<MonthSummary>{std::move(summary)};
}

Result<void> ClaimsSim::deliver_locked(const std::string& name, const std::string& review, const std::string& utf8_text) {
  if (folder_) {
    auto bytes = cp932::encode(utf8_text);
    if (!bytes) return std::unexpected(bytes.error());
    const fs::path in = *folder_ / "in";
    std::error_code ec;
    fs::create_directories(in, ec);
    const fs::path tmp = in / (".tmp-" + name);
    {
      std::ofstream f(tmp, std::ios::binary);
      f << *bytes;
      if (!f) return fail(ErrorKind::unavailable, fmt::format("cannot write {}", tmp.string()));
    }
    fs::rename(tmp, in / name, ec);
    if (ec) return fail(ErrorKind::unavailable, fmt::format("cannot rename into {}", in.string()));
    return {};
  }
  if (!channel_) return fail(ErrorKind::unavailable, "the kokuhoren benefit simulator has neither a channel nor a folder");
  linkage::InboundMessage m;
  m.flow_id = "KY-04";
  m.counterpart = "kokuhoren";
  m.payload = utf8_text;
  m.content_type = "text/csv";
  m.message_id = "KR-KY04-" + review;  // the 国保連's file number: made again after a restart, taken once
  m.purpose = fmt::format("file {} from kokuhoren", name);  // the words the folder channel uses
  m.actor = "simulator:kokuhoren";
  channel_->post(std::move(m));
  return {};
}

// Lives the days from the next one (options.start at first), as the pension simulator does (one
// counterpart, one calendar): living the 1st of a month sends the KY-04 of the month before.
Result<std::string> ClaimsSim::advance(int days) {
  if (days < 1 || days > 366) return fail(ErrorKind::invalid_input, "days must be 1..366", "days");
  Date day;
  {
    std::lock_guard lock(mutex_);
    if (!day_) day_ = options_.start;
    day = *day_;
    if (auto c = collect_locked(); !c) return std::unexpected(c.error());  // the KY-03 taken so far
  }
  const Date first = day;
  std::vector<std::string> sent;
  for (int i = 0; i < days; ++i, day = day.add_days(1)) {
    if (day.day() == 1) {
      auto month = send_month(day, day);
      if (!month) return std::unexpected(month.error());
      if (*month)
        sent.push_back(fmt::format("KY-04 {}: {} records (new {}, corrected {}, cancelled {})", (*month)->review_month,
                                   (*month)->records(), (*month)->new_claims, (*month)->corrected, (*month)->cancelled));
    }
    std::lock_guard lock(mutex_);
    day_ = day.add_days(1);
  }
  std::lock_guard lock(mutex_);
  return fmt::format("国保連 (給付) {} – {}: {} recipients{}{}", first.iso(), day.add_days(-1).iso(), book_.size(),
                     sent.empty() ? "" : "; ", fmt::format("{}", fmt::join(sent, "; ")));
}

std::size_t ClaimsSim::recipients() const {
  std::lock_guard lock(mutex_);
  return book_.size();
}

std::map<std::string, Claim> ClaimsSim::claims() const {
  std::lock_guard lock(mutex_);
  return ledger_;
}

std::set<std::string> ClaimsSim::months_sent() const {
  std::lock_guard lock(mutex_);
  return months_;
}

std::int64_t ClaimsSim::files_refused() const {
  std::lock_guard lock(mutex_);
  return refused_;
}

}  // namespace kaigo::sim::benefit
