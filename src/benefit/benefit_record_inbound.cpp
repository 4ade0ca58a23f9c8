// KY-04 給付実績情報: the file checked whole against the database, then applied set-based in the
// inbox's transaction (benefit_record.hpp). A million records are a few statements and two bulk
// inserts, never a round trip per record.
#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "benefit/benefit_record_internal.hpp"
#include "core/hash.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::benefit {

namespace records {

namespace {

// Above this many distinct keys a lookup table is read whole (insured_number) or the keys go
// through a temporary table (claims), instead of IN lists.
constexpr std::size_t kInListsUpTo = 5000;
constexpr std::size_t kInList = 500;

struct Columns {
  int seq, kind, claim, insurer, insured, month, office, service_kind, payment, days, units, price, cost, paid, copay,
      public_paid;
  explicit Columns(const csv::RecordLayout& d)
      : seq(d.index_of("seq")), kind(d.index_of("record_kind")), claim(d.index_of("claim_no")), insurer(d.index_of("insurer_no")),
        insured(d.index_of("insured_no")), month(d.index_of("service_month")), office(d.index_of("office_no")),
        service_kind(d.index_of("service_kind")), payment(d.index_of("payment_kind")), days(d.index_of("days")),
        units(d.index_of("units")), price(d.index_of("unit_price")), cost(d.index_of("total_cost")),
        paid(d.index_of("insurance_paid")), copay(d.index_of("copayment")), public_paid(d.index_of("public_paid")) {}
  bool complete() const {
    for (int i : {seq, kind, claim, insurer, insured, month, office, service_kind, payment, days, units, price, cost, paid, copay,
                  public_paid})
      if (i < 0) return false;
    return true;
  }
};

std::int64_t num(std::string_view s) {
  std::int64_t n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

std::string month_iso(std::string_view yyyymm) { return fmt::format("{}-{}", yyyymm.substr(0, 4), yyyymm.substr(4, 2)); }

const char* payment_kind_of(std::string_view code) { return code == "2" ? "reimbursement" : "in_kind"; }

// The content of a claim that a repeated 新規 must carry unchanged (the review month may differ).
struct Content {
  std::string person_id, service_month, office_no, service_kind, payment_kind;
  std::int64_t days, units, price, cost, paid, copay, public_paid;
  bool operator==(const Content&) const = default;
};

Content content_of(const csv::ParsedFile& f, const Columns& col, std::size_t i, const std::string& person_id) {
  return Content{person_id,
                 month_iso(f.value(i, col.month)),
                 std::string(f.value(i, col.office)),
                 std::string(f.value(i, col.service_kind)),
                 payment_kind_of(f.value(i, col.payment)),
                 num(f.value(i, col.days)),
                 num(f.value(i, col.units)),
                 num(f.value(i, col.price)),
                 num(f.value(i, col.cost)),
                 num(f.value(i, col.paid)),
                 num(f.value(i, col.copay)),
                 num(f.value(i, col.public_paid))};
}

struct Current {
  std::int64_t record_id = 0;
  Content content;
};

// Maps looked up by a file's string_view values without building a string per record.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using TextMap = std::unordered_map<std::string, V, TextHash, std::equal_to<>>;

template <typename F>
Result<void> in_slices(const std::vector<std::string_view>& keys, F&& fn) {
  for (std::size_t at = 0; at < keys.size(); at += kInList) {
    const std::size_t n = std::min(kInList, keys.size() - at);
    store::Params params;
    params.reserve(n);
    for (std::size_t j = at; j < at + n; ++j) params.emplace_back(std::string(keys[j]));
    if (auto r = fn(params, n); !r) return r;
  }
  return {};
}

Result<TextMap<std::string>> persons_of(store::Connection& c, const std::vector<std::string_view>& insured) {
  TextMap<std::string> out;
  out.reserve(insured.size());
  auto take = [&](const store::Row& r) {
    out.emplace(r.str(0), r.str(1));
    return true;
  };
  if (insured.size() > kInListsUpTo) {
    // The city's insured numbers are fewer than a month's claims: one scan.
    auto r = c.query_each("SELECT insured_no, person_id FROM insured_number", {}, take);
    if (!r) return std::unexpected(r.error());
    return out;
  }
  auto r = in_slices(insured, [&](store::Params& p, std::size_t n) -> Result<void> {
    return c.query_each(fmt::format("SELECT insured_no, person_id FROM insured_number WHERE insured_no IN ({})", store::numbered_params(n)),
                        p, take);
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

constexpr const char* kCurrentColumns =
    "b.claim_no, b.record_id, b.person_id, b.service_month, b.office_no, b.service_kind, b.payment_kind, b.days, b.units, "
    "b.unit_price_hundredths, b.total_cost, b.insurance_paid, b.copayment, b.public_paid";

// The current rows of the file's claims, by claim_no.
Result<TextMap<Current>> current_of(store::Connection& c, const std::vector<std::string_view>& claims) {
  TextMap<Current> out;
  auto take = [&](const store::Row& r) {
    out.emplace(r.str(0), Current{r.i64(1), Content{r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.i64(7), r.i64(8), r.i64(9),
                                                    r.i64(10), r.i64(11), r.i64(12), r.i64(13)}});
    return true;
  };
  if (claims.size() <= kInListsUpTo) {
    auto r = in_slices(claims, [&](store::Params& p, std::size_t n) -> Result<void> {
      return c.query_each(fmt::format("SELECT {} FROM benefit_record b WHERE b.status = 'current' AND b.claim_no IN ({})",
                                      kCurrentColumns, store::numbered_params(n)),
                          p, take);
    });
    if (!r) return std::unexpected(r.error());
    return out;
  }
  // A large file: the claim numbers through a temporary table (COPY on PostgreSQL), one join.
  const bool pg = c.dialect() == store::Dialect::postgresql;
  if (auto d = c.exec(pg ? "CREATE TEMP TABLE IF NOT EXISTS benefit_ky04_claim (claim_no TEXT NOT NULL) ON COMMIT DELETE ROWS"
                         : "CREATE TEMP TABLE IF NOT EXISTS benefit_ky04_claim (claim_no TEXT NOT NULL)");
      !d)
    return std::unexpected(d.error());
  if (auto d = c.exec("DELETE FROM benefit_ky04_claim"); !d) return std::unexpected(d.error());
  std::size_t i = 0;
  auto n = c.bulk_insert("benefit_ky04_claim", {"claim_no"}, [&](store::Params& p) {
    if (i == claims.size()) return false;
    p = {std::string(claims[i++])};
    return true;
  });
  if (!n) return std::unexpected(n.error());
  if (pg) (void)c.exec("ANALYZE benefit_ky04_claim");
  auto r = c.query_each(fmt::format("SELECT {} FROM benefit_ky04_claim t JOIN benefit_record b ON b.claim_no = t.claim_no "
                                    "AND b.status = 'current'",
                                    kCurrentColumns),
                        {}, take);
  if (!r) return std::unexpected(r.error());
  if (auto d = c.exec("DELETE FROM benefit_ky04_claim"); !d) return std::unexpected(d.error());
  return out;
}

}  // namespace

std::string reason_of(const std::vector<csv::FileError>& errors) {
  if (errors.empty()) return "KY-04 file refused";
  const auto& e = errors.front();
  return fmt::format("KY-04 file refused whole: {}{} fault(s); first at line {}{}: {}", errors.size(),
                     errors.size() >= 1000 ? "+" : "", e.line, e.field.empty() ? "" : " " + e.field, e.message);
}

Result<Validated> validate(store::Connection& c, const BenefitRecordOptions& options, const std::string& utf8_text,
                           Lookup lookup) {
  Validated out;
  const BenefitConfig& config = *options.config;
  csv::ParseContext ctx;
  ctx.insurer_no = options.insurer_no;
  ctx.code_known = [&config](std::string_view list, std::string_view code) {
    if (list == "service_kinds") return config.service_kind(code) != nullptr;
    if (list == "care_offices") return config.office(code) != nullptr;
    return false;
  };
  out.parsed = csv::parse(config.layouts, utf8_text, ctx);
  auto& errors = out.parsed.errors;
  const csv::ParsedFile& f = out.parsed.file;
  if (f.layout && f.layout->exchange_id != "KY04")
    errors.insert(errors.begin(), csv::FileError{1, "交換情報識別番号", fmt::format("a {} file is not a KY-04 給付実績情報", f.layout->exchange_id)});
  if (!errors.empty() || !f.layout) return out;
  const Columns col(f.layout->data);
  if (!col.complete()) return fail(ErrorKind::internal, "the KY04 layout lacks a field the import reads");

  // Within the file: no claim twice. Sorted rather than hashed (with the insured numbers, a
  // million records: 0.3 s, was 0.6 s); the claims to look up go to the database in index order.
  const std::size_t n = f.data_count();
  std::vector<std::uint32_t> by_claim(n);
  for (std::size_t i = 0; i < n; ++i) by_claim[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(by_claim.begin(), by_claim.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return f.value(a, col.claim) < f.value(b, col.claim); });
  std::vector<std::string_view> claims, insured;  // claims: those to look up among the current records
  claims.reserve(lookup == Lookup::all ? n : 0);
  for (std::size_t k = 0; k < n; ++k) {
    const auto claim = f.value(by_claim[k], col.claim);
    if (k > 0 && f.value(by_claim[k - 1], col.claim) == claim) {
      std::size_t first = k - 1;
      while (first > 0 && f.value(by_claim[first - 1], col.claim) == claim) --first;
      errors.push_back({f.line_of(by_claim[k]), "給付実績管理番号",
                        fmt::format("the claim '{}' is already on line {} of this file", claim, f.line_of(by_claim[first]))});
    } else if (lookup == Lookup::all || static_cast<Kind>(f.value(by_claim[k], col.kind)[0]) != Kind::fresh) {
      claims.push_back(claim);
    }
  }
  std::unordered_set<std::string_view> insured_seen;
  for (std::size_t i = 0; i < n; ++i)
    if (insured_seen.insert(f.value(i, col.insured)).second) insured.push_back(f.value(i, col.insured));
  auto persons = persons_of(c, insured);
  if (!persons) return std::unexpected(persons.error());
  auto current = current_of(c, claims);
  if (!current) return std::unexpected(current.error());

  out.records.resize(n);
  for (std::size_t i = 0; i < n && errors.size() < 1000; ++i) {
    Checked& ch = out.records[i];
    const auto p = persons->find(f.value(i, col.insured));
    if (p == persons->end()) {
      errors.push_back({f.line_of(i), "被保険者番号", "no insured person of this city has this number"});
      continue;
    }
    ch.person_id = p->second;
    const auto kind = static_cast<Kind>(f.value(i, col.kind)[0]);
    const auto cur = current->find(f.value(i, col.claim));
    if (kind == Kind::fresh) {
      if (cur != current->end()) {
        if (cur->second.content == content_of(f, col, i, ch.person_id)) ch.unchanged = true;
        else errors.push_back({f.line_of(i), "給付実績管理番号", "a 新規 of a claim already recorded with other content (a change is a 修正)"});
      }
    } else if (cur == current->end()) {
      errors.push_back({f.line_of(i), "給付実績管理番号",
                        fmt::format("a {} of a claim with no current record", kind == Kind::correction ? "修正" : "取消")});
    } else if (cur->second.content.person_id != ch.person_id) {
      errors.push_back({f.line_of(i), "被保険者番号", "the claim is recorded for another insured person"});
    } else {
      ch.ended_record_id = cur->second.record_id;
    }
  }
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    out.records.clear();
  }
  return out;
}

namespace {

// The inbox hashed the payload when it stored the exchange (a 138 MB month takes ~0.5 s a hash).
std::string sha256_of(const linkage::Exchange& e) { return e.payload_sha256.empty() ? sha256_hex(e.payload) : e.payload_sha256; }

struct Counts {
  std::int64_t fresh = 0, corrected = 0, cancelled = 0, unchanged = 0, total_cost = 0, insurance_paid = 0, copayment = 0;
};

Result<void> apply(store::Connection& c, const Clock& clock, const linkage::Exchange& e, const Validated& v) {
  const csv::ParsedFile& f = v.parsed.file;
  const Columns col(f.layout->data);
  const std::size_t n = f.data_count();
  const std::string now = clock.timestamp();
  Counts counts;
  std::vector<std::int64_t> superseded, cancelled;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& ch = v.records[i];
    const auto kind = static_cast<Kind>(f.value(i, col.kind)[0]);
    if (ch.unchanged) ++counts.unchanged;
    else if (kind == Kind::fresh) ++counts.fresh;
    else if (kind == Kind::correction) ++counts.corrected, superseded.push_back(ch.ended_record_id);
    else ++counts.cancelled, cancelled.push_back(ch.ended_record_id);
    if (kind != Kind::cancellation) {
      counts.total_cost += num(f.value(i, col.cost));
      counts.insurance_paid += num(f.value(i, col.paid));
      counts.copayment += num(f.value(i, col.copay));
    }
  }
  const nlohmann::json summary = {{"new", counts.fresh},           {"corrected", counts.corrected},
                                  {"cancelled", counts.cancelled}, {"unchanged", counts.unchanged},
                                  {"total_cost", counts.total_cost}, {"insurance_paid", counts.insurance_paid},
                                  {"copayment", counts.copayment}, {"review_month", month_iso(f.control_value("review_month"))}};
  // A file refused before (e.g. an insured person registered since) is applied over its row.
  auto file = c.query_one(
      "INSERT INTO benefit_inbound_file (flow_id, exchange_id, sha256, layout_version, status, record_count, summary, "
      "quarantine_path, received_at) VALUES ('KY-04', $1, $2, $3, 'applied', $4, $5, NULL, $6) "
      "ON CONFLICT (flow_id, sha256) DO UPDATE SET status = 'applied', exchange_id = excluded.exchange_id, "
      "summary = excluded.summary, received_at = excluded.received_at RETURNING file_id",
      {e.exchange_id, sha256_of(e), f.layout->version, static_cast<std::int64_t>(n), summary.dump(), now});
  if (!file) return std::unexpected(file.error());
  const std::int64_t file_id = (*file)->i64(0);
  if (auto d = c.exec("DELETE FROM benefit_inbound_error WHERE file_id = $1", {file_id}); !d) return std::unexpected(d.error());

  // End the rows a 修正 / 取消 replaces before the new current rows arrive (one current per claim).
  for (auto [ids, status] : {std::pair{&superseded, "superseded"}, std::pair{&cancelled, "cancelled"}}) {
    for (std::size_t at = 0; at < ids->size(); at += kInList) {
      const std::size_t k = std::min(kInList, ids->size() - at);
      store::Params p{std::string(status)};
      for (std::size_t j = 0; j < k; ++j) p.emplace_back((*ids)[at + j]);
      auto u = c.exec(fmt::format("UPDATE benefit_record SET status = CAST($1 AS TEXT) WHERE record_id IN ({})",
                                  store::numbered_params(k, 2)),
                      p);
      if (!u) return std::unexpected(u.error());
    }
  }
  // SQLite: the new rows and their four index entries of a million-record month are ~300 MB; with
  // the connection's usual 64 MB page cache the person index (random order) spills and re-reads
  // pages. A quarter KiB a record (64 … 256 MB) for the import, then back to the connection's own size.
  struct CacheSize {
    store::Connection& c;
    std::optional<std::int64_t> pages;
    ~CacheSize() {
      if (pages) (void)c.exec(fmt::format("PRAGMA cache_size = {}", *pages));
    }
  } cache{c, std::nullopt};
  if (c.dialect() == store::Dialect::sqlite) {
    auto cs = c.query_one("PRAGMA cache_size");
    if (!cs) return std::unexpected(cs.error());
    if (*cs) cache.pages = (*cs)->i64(0);
    if (auto d = c.exec(fmt::format("PRAGMA cache_size = -{}", std::clamp<std::size_t>(n / 4, 65536, 262144))); !d)
      return std::unexpected(d.error());
  }
  // The rows' own values; review_month, file_id and recorded_at are the file's.
  static const std::vector<std::string> kRowColumns = {
      "claim_no", "person_id", "insured_no", "service_month", "office_no", "service_kind", "payment_kind", "days", "units",
      "unit_price_hundredths", "total_cost", "insurance_paid", "copayment", "public_paid", "status", "line_no"};
  // The rows go in person order (line order within a person), so the database's two person
  // indexes take their entries in order: PostgreSQL's COPY of a million rows took 6.1 s in the
  // file's order and 5.4 s so.
  std::vector<std::uint32_t> order;
  order.reserve(n);
  for (std::size_t r = 0; r < n; ++r)
    if (!v.records[r].unchanged) order.push_back(static_cast<std::uint32_t>(r));
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return v.records[a].person_id < v.records[b].person_id; });
  std::size_t next = 0;
  const std::string review = month_iso(f.control_value("review_month"));
  auto next_row = [&](store::Params& p) {
    if (next == order.size()) return false;
    const std::size_t i = order[next++];
    const auto kind = static_cast<Kind>(f.value(i, col.kind)[0]);
    p.reserve(kRowColumns.size() + 3);
    p.emplace_back(std::string(f.value(i, col.claim)));
    p.emplace_back(v.records[i].person_id);
    p.emplace_back(std::string(f.value(i, col.insured)));
    p.emplace_back(month_iso(f.value(i, col.month)));
    p.emplace_back(std::string(f.value(i, col.office)));
    p.emplace_back(std::string(f.value(i, col.service_kind)));
    p.emplace_back(std::string(payment_kind_of(f.value(i, col.payment))));
    for (int k : {col.days, col.units, col.price, col.cost, col.paid, col.copay, col.public_paid}) p.emplace_back(num(f.value(i, k)));
    p.emplace_back(std::string(kind == Kind::cancellation ? "cancelled" : "current"));
    p.emplace_back(static_cast<std::int64_t>(f.line_of(i)));
    return true;
  };
  // One bulk load straight into the table: COPY on PostgreSQL, 64-row INSERTs on SQLite.
  std::vector<std::string> all = kRowColumns;
  all.insert(all.end(), {"review_month", "file_id", "recorded_at"});
  auto inserted = c.bulk_insert("benefit_record", all, [&](store::Params& p) {
    if (!next_row(p)) return false;
    p.emplace_back(review);
    p.emplace_back(file_id);
    p.emplace_back(now);
    return true;
  });
  if (!inserted) return std::unexpected(inserted.error());

  // replaced_by: the row this file wrote for the same claim — of the same person (validate refuses
  // a 修正/取消 for another), found through the person index rather than keeping a claim index
  // up to date for every row of every month (017_benefit_record_noclaimidx).
  std::vector<std::int64_t> ended = superseded;
  ended.insert(ended.end(), cancelled.begin(), cancelled.end());
  for (std::size_t at = 0; at < ended.size(); at += kInList) {
    const std::size_t k = std::min(kInList, ended.size() - at);
    store::Params p{file_id};
    for (std::size_t j = 0; j < k; ++j) p.emplace_back(ended[at + j]);
    auto u = c.exec(fmt::format("UPDATE benefit_record SET replaced_by = (SELECT n.record_id FROM benefit_record n WHERE "
                                "n.person_id = benefit_record.person_id AND n.claim_no = benefit_record.claim_no AND n.file_id = $1) "
                                "WHERE record_id IN ({})",
                                store::numbered_params(k, 2)),
                    p);
    if (!u) return std::unexpected(u.error());
  }

  // The exchange lists the persons of the file (情報提供等記録), one bulk insert in person order.
  std::unordered_set<std::string_view> linked(e.person_ids.begin(), e.person_ids.end());
  std::vector<const std::string*> to_link;
  for (const auto& r : v.records)
    if (linked.insert(r.person_id).second) to_link.push_back(&r.person_id);
  std::sort(to_link.begin(), to_link.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  std::size_t k = 0;
  auto l = c.bulk_insert("exchange_person", {"exchange_id", "person_id"}, [&](store::Params& p) {
    if (k == to_link.size()) return false;
    p = {e.exchange_id, *to_link[k++]};
    return true;
  });
  if (!l) return std::unexpected(l.error());
  spdlog::info("KY-04 file {} applied: {} new, {} corrected, {} cancelled, {} unchanged", file_id, counts.fresh, counts.corrected,
               counts.cancelled, counts.unchanged);
  return {};
}

}  // namespace
}  // namespace records

linkage::ApplyFn benefit_record_handler(const Clock& clock, const BenefitRecordOptions& options) {
  return [&clock, &options](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    if (!options.config) return fail(ErrorKind::unavailable, "the benefit config is not loaded");
    // The same file twice changes nothing.
    const std::string sha256 = records::sha256_of(e);
    auto seen = c.query_one("SELECT file_id FROM benefit_inbound_file WHERE flow_id = 'KY-04' AND sha256 = $1 AND status = 'applied'",
                            {sha256});
    if (!seen) return std::unexpected(seen.error());
    if (*seen) return {};
    // Nearly all of a month's claims are 新規 never seen before. The first pass looks up only the
    // 修正/取消 and leaves a 新規 already current to the current-claim index: when the index refuses
    // one, the rows written are rolled back and every claim is checked (a 新規 sent again with
    // the same content is 'unchanged', with other content an error). A million claims: ~0.8 s less.
    auto v = records::validate(c, options, e.payload, records::Lookup::corrections);
    if (!v) return std::unexpected(v.error());
    if (v->parsed.errors.empty()) {
      if (auto s = c.exec("SAVEPOINT ky04_apply"); !s) return std::unexpected(s.error());
      auto applied = records::apply(c, clock, e, *v);
      if (applied) {
        if (auto s = c.exec("RELEASE SAVEPOINT ky04_apply"); !s) return std::unexpected(s.error());
        return {};
      }
      if (applied.error().kind != ErrorKind::conflict) return applied;
      if (auto s = c.exec("ROLLBACK TO SAVEPOINT ky04_apply"); !s) return std::unexpected(s.error());
    }
    v = records::validate(c, options, e.payload, records::Lookup::all);
    if (!v) return std::unexpected(v.error());
    // Refused whole: the inbox rolls back and keeps the exchange rejected with this reason;
    // record_rejected_files adds the file row, its errors and the quarantine copy.
    if (!v->parsed.errors.empty()) return fail(ErrorKind::invalid_input, records::reason_of(v->parsed.errors));
    return records::apply(c, clock, e, *v);
  };
}

linkage::InboundHandlers benefit_record_inbound_handlers(const Clock& clock, const BenefitRecordOptions& options) {
  return {{"KY-04", benefit_record_handler(clock, options)}};
}

}  // namespace kaigo::benefit
