// KY-04 files refused: their benefit_inbound_file row, errors and quarantine copy; the CLI import of
// a CP932 file from disk (benefit_record.hpp).
#include <fstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "benefit/benefit_record_internal.hpp"
#include "core/cp932.hpp"
#include "core/hash.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::benefit {

namespace fs = std::filesystem;

namespace records {

Result<std::optional<std::int64_t>> record_rejected(store::Connection& c, const Clock& clock, const BenefitRecordOptions& options,
                                                    std::optional<std::int64_t> exchange_id, const std::string& sha256,
                                                    const std::string& layout_version, std::int64_t record_count,
                                                    const std::string& bytes_to_keep, const std::vector<csv::FileError>& errors) {
  auto row = c.query_one(
      "INSERT INTO benefit_inbound_file (flow_id, exchange_id, sha256, layout_version, status, record_count, summary, "
      "received_at) VALUES ('KY-04', $1, $2, $3, 'rejected', $4, $5, $6) ON CONFLICT (flow_id, sha256) DO NOTHING "
      "RETURNING file_id",
      {store::opt(exchange_id), sha256, layout_version.empty() ? store::null() : store::Value(layout_version), record_count,
       fmt::format(R"({{"errors":{}}})", errors.size()), clock.timestamp()});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  const std::int64_t file_id = (*row)->i64(0);
  std::size_t i = 0;
  auto n = c.bulk_insert("benefit_inbound_error", {"file_id", "line_no", "field", "message"}, [&](store::Params& p) {
    if (i == errors.size()) return false;
    p = {file_id, errors[i].line, errors[i].field, errors[i].message};
    ++i;
    return true;
  });
  if (!n) return std::unexpected(n.error());
  // The file as received, for staff to look at (CP932, as the 国保連 wrote it).
  const fs::path dir = options.data_dir / "quarantine" / "benefit";
  const fs::path path = dir / fmt::format("KY-04_{}_{}.csv", clock.today().compact(), file_id);
  std::error_code ec;
  fs::create_directories(dir, ec);
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes_to_keep;
    if (!out) return fail(ErrorKind::unavailable, fmt::format("cannot write {}", path.string()));
  }
  auto u = c.exec("UPDATE benefit_inbound_file SET quarantine_path = $1 WHERE file_id = $2", {path.string(), file_id});
  if (!u) return std::unexpected(u.error());
  spdlog::warn("KY-04 file {} refused ({} faults), kept at {}", file_id, errors.size(), path.string());
  return std::optional<std::int64_t>{file_id};
}

}  // namespace records

namespace {

std::int64_t data_lines(const std::string& text) {
  std::int64_t lines = 0;
  for (char ch : text) lines += ch == '\n';
  return lines > 2 ? lines - 2 : 0;
}

}  // namespace

Result<int> record_rejected_files(store::Database& db, const Clock& clock, const BenefitRecordOptions& options) {
  if (!options.config) return 0;
  std::vector<std::int64_t> ids;
  auto listed = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto rows = c.query(
        "SELECT e.exchange_id FROM exchange e WHERE e.flow_id = 'KY-04' AND e.direction = 'inbound' AND e.status = 'rejected' "
        "AND NOT EXISTS (SELECT 1 FROM benefit_inbound_file f WHERE f.exchange_id = e.exchange_id) ORDER BY e.exchange_id");
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) ids.push_back(r.i64(0));
    return {};
  });
  if (!listed) return std::unexpected(listed.error());
  int recorded = 0;
  for (auto id : ids) {
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto e = linkage::load_exchange(c, id);
      if (!e) return std::unexpected(e.error());
      if (!*e) return {};
      auto v = records::validate(c, options, (*e)->payload);
      if (!v) return std::unexpected(v.error());
      auto errors = v->parsed.errors;
      // Refused for another reason (no handler at the time, …): the exchange's reason is the line.
      if (errors.empty()) errors.push_back({0, "", (*e)->reason});
      auto bytes = cp932::encode_substituting((*e)->payload);
      auto r = records::record_rejected(c, clock, options, id, sha256_hex((*e)->payload),
                                        v->parsed.file.layout ? v->parsed.file.layout->version : "", data_lines((*e)->payload),
                                        bytes ? bytes->bytes : (*e)->payload, errors);
      if (!r) return std::unexpected(r.error());
      if (*r) ++recorded;
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
  }
  return recorded;
}

Result<ImportOutcome> import_records_file(store::Database& db, const Clock& clock, const BenefitRecordOptions& options,
                                          const std::string& file_name, const std::string& cp932_bytes, const std::string& actor) {
  if (!options.config) return fail(ErrorKind::unavailable, "the benefit config is not loaded");
  ImportOutcome out;
  auto text = cp932::decode(cp932_bytes);
  if (!text) {
    // Not CP932: refused here with the line of the broken byte (no exchange: nothing was received
    // as text).
    const auto parsed = csv::parse_cp932(options.config->layouts, cp932_bytes, {}, 10);
    std::optional<std::int64_t> file_id;
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto r = records::record_rejected(c, clock, options, std::nullopt, sha256_hex(cp932_bytes), "", data_lines(cp932_bytes),
                                        cp932_bytes, parsed.errors);
      if (!r) return std::unexpected(r.error());
      file_id = *r;
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
    out.outcome = file_id ? "rejected" : "already_rejected";
    out.file_id = file_id;
    return out;
  }
  linkage::InboundMessage msg;
  msg.flow_id = "KY-04";
  msg.counterpart = "kokuhoren";
  msg.payload = std::move(*text);
  msg.content_type = "text/csv";
  msg.purpose = fmt::format("file {} from kokuhoren", file_name);
  msg.actor = actor;
  auto r = linkage::receive_inbound(db, clock, msg, benefit_record_handler(clock, options));
  if (!r) return std::unexpected(r.error());
  if (auto rec = record_rejected_files(db, clock, options); !rec) return std::unexpected(rec.error());
  out.outcome = linkage::to_string(r->outcome);
  out.exchange_id = r->exchange_id;
  auto f = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto row = c.query_one("SELECT file_id FROM benefit_inbound_file WHERE flow_id = 'KY-04' AND sha256 = $1", {sha256_hex(msg.payload)});
    if (!row) return std::unexpected(row.error());
    if (*row) out.file_id = (*row)->i64(0);
    return {};
  });
  if (!f) return std::unexpected(f.error());
  return out;
}

}  // namespace kaigo::benefit
