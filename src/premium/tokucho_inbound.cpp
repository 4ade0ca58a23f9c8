// FK-14 (target lists) and FK-16 (request results, collection results) in: validated whole
// against the database, then applied; refused files recorded for staff.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/cp932.hpp"
#include "core/hash.hpp"
#include "people/city_profile.hpp"
#include "premium/tokucho_internal.hpp"
#include "premium/tokucho_service.hpp"

namespace kaigo::premium {

Result<TokuchoConfig> TokuchoConfig::load(const std::string& config_dir) {
  TokuchoConfig config;
  auto layouts = tokucho::load_layouts(config_dir);
  if (!layouts) return std::unexpected(layouts.error());
  config.layouts = std::move(*layouts);
  auto rules = load_collection_rules(std::filesystem::path(config_dir) / "rules" / "collection.json");
  if (!rules) return std::unexpected(rules.error());
  config.rules = std::move(*rules);
  auto city = people::load_city_profile(config_dir);
  if (!city) return std::unexpected(city.error());
  config.insurer_no = city->insurer_no;
  return config;
}

linkage::InboundHandlers tokucho_inbound_handlers(const Clock& clock, const TokuchoConfig& config) {
  return {{"FK-14", tokucho::target_list_handler(clock, config)}, {"FK-16", tokucho::result_handler(clock, config)}};
}

namespace tokucho {

Result<std::string> payload_of(std::string_view cp932_bytes) { return cp932::decode(cp932_bytes); }
Result<std::string> bytes_of(const std::string& payload) { return cp932::encode(payload); }

namespace {

constexpr const char* kFile = "(ファイル)";

// The key persons are matched on: birth date, sex and the kana name in full width without spaces.
std::string identity_key(const std::string& birth_iso, const std::string& sex, const std::string& kana) {
  std::string k = cp932::to_fullwidth_katakana(kana);
  std::string out;
  for (size_t i = 0; i < k.size();) {
    if (k[i] == ' ') {
      ++i;
    } else if (k.compare(i, 3, "\xE3\x80\x80") == 0) {  // 全角空白
      i += 3;
    } else {
      out += k[i++];
    }
  }
  return birth_iso + "|" + sex + "|" + out;
}

// Addresses compared without spaces and with full-width ASCII folded (１丁目 = 1丁目).
std::string address_key(const std::string& address) {
  auto chars = cp932::utf8_to_u32(address);
  if (!chars) return address;
  std::u32string out;
  for (char32_t c : *chars) {
    if (c == U' ' || c == 0x3000) continue;
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
    if (c == 0x2212 || c == 0x30FC || c == 0xFF0D) c = U'-';  // the dashes of 番地
    out += c;
  }
  return cp932::u32_to_utf8(out);
}

std::string iso_of(const std::string& yyyymmdd) {
  return yyyymmdd.size() == 8 ? yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2) : yyyymmdd;
}

struct Resolution {
  std::string person_id;
  std::string matched_by;        // FK-14: "" (a known 基礎年金番号), identity, identity_address
  std::int64_t request_id = 0;   // FK-16 依頼処理結果
  std::int64_t instalment_id = 0;  // FK-16 徴収結果
  std::int64_t planned_amount = 0;
};

struct Checked {
  Validation v;
  std::vector<Resolution> resolved;  // per data record, in file order
};

void add(Checked& out, std::size_t record, const std::string& field, std::string message) {
  if (out.v.errors.size() >= kMaxErrors) {
    out.v.truncated = true;
    return;
  }
  out.v.errors.push_back(FileError{record, field, std::move(message)});
}

const std::string& field_name(const Layout& l, char type, std::string_view key) {
  const auto& spec = l.spec(type);
  return spec.fields[static_cast<size_t>(spec.index_of(key))].name;
}

// FK-14: every target matched to exactly one person.
Result<void> match_targets(store::Connection& c, const ParsedFile& f, Checked& out) {
  const Layout& l = *f.layout;
  std::map<std::string, std::pair<std::string, std::string>> links;  // 基礎年金番号 → person, birth date
  auto rows = c.query("SELECT l.basic_pension_no, l.person_id, p.birth_date FROM tokucho_pension_link l "
                      "JOIN person p ON p.person_id = l.person_id");
  if (!rows) return std::unexpected(rows.error());
  for (const auto& r : *rows) links[r.str(0)] = {r.str(1), r.str(2)};

  std::string min_birth = "9999-99-99", max_birth;
  for (const auto& g : f.groups)
    for (const auto& d : g.data)
      if (!links.contains(f.get(d, '2', "basic_pension_no"))) {
        const std::string b = iso_of(f.get(d, '2', "birth_date"));
        min_birth = std::min(min_birth, b);
        max_birth = std::max(max_birth, b);
      }
  struct Candidate {
    std::string person_id, address;
  };
  std::unordered_map<std::string, std::vector<Candidate>> by_identity;
  if (!max_birth.empty()) {
    auto each = c.query_each(
        "SELECT person_id, birth_date, sex, name_kana, address FROM person WHERE birth_date >= $1 AND birth_date <= $2",
        {min_birth, max_birth}, [&](const store::Row& r) {
          by_identity[identity_key(r.str(1), r.str(2), r.str(3))].push_back(Candidate{r.str(0), address_key(r.str(4))});
          return true;
        });
    if (!each) return std::unexpected(each.error());
  }
  // One 基礎年金番号 is one person: records of a file sharing a number must agree on who it is.
  std::map<std::string, std::string> identity_in_file;
  for (const auto& g : f.groups)
    for (const auto& d : g.data) {
      Resolution res;
      const std::string no = f.get(d, '2', "basic_pension_no");
      const std::string birth = iso_of(f.get(d, '2', "birth_date"));
      const std::string identity = identity_key(birth, f.get(d, '2', "sex"), f.get(d, '2', "kana_name"));
      if (auto [seen, first] = identity_in_file.emplace(no, identity); !first && seen->second != identity) {
        add(out, d.number, field_name(l, '2', "basic_pension_no"), "同じ基礎年金番号の前のレコードと生年月日・性別・カナ氏名が違う");
        out.resolved.push_back(std::move(res));
        continue;
      }
      if (auto it = links.find(no); it != links.end()) {
        if (it->second.second != birth)
          add(out, d.number, field_name(l, '2', "birth_date"), "基礎年金番号で結び付いた人と生年月日が違う");
        res.person_id = it->second.first;
      } else {
        const auto it2 = by_identity.find(identity_key(birth, f.get(d, '2', "sex"), f.get(d, '2', "kana_name")));
        const std::vector<Candidate> none;
        const auto& candidates = it2 == by_identity.end() ? none : it2->second;
        if (candidates.size() == 1) {
          res.person_id = candidates[0].person_id;
          res.matched_by = "identity";
        } else if (candidates.empty()) {
          add(out, d.number, field_name(l, '2', "basic_pension_no"),
              "該当する人がいない (基礎年金番号は未登録、生年月日・性別・カナ氏名の一致なし)");
        } else {
          const std::string address = address_key(f.get(d, '2', "address"));
          std::vector<const Candidate*> same;
          for (const auto& cand : candidates)
            if (cand.address == address) same.push_back(&cand);
          if (same.size() == 1) {
            res.person_id = same[0]->person_id;
            res.matched_by = "identity_address";
          } else {
            add(out, d.number, field_name(l, '2', "basic_pension_no"),
                fmt::format("一人に決まらない (生年月日・性別・カナ氏名が同じ人が{}人、住所でも絞れない)", candidates.size()));
          }
        }
      }
      if (!res.matched_by.empty()) links[no] = {res.person_id, birth};  // the same number later in the file
      out.resolved.push_back(std::move(res));
      if (out.v.truncated) return {};
    }
  // Capture months must be the months a pension insurer captures in (even months).
  for (const auto& g : f.groups)
    for (const auto& d : g.data) {
      auto m = YearMonth::parse(f.get(d, '2', "capture_month"));
      if (m && !special_start_month(*m)) add(out, d.number, field_name(l, '2', "capture_month"), "捕捉月は偶数月 (4・6・8・10・12・2月)");
    }
  return {};
}

// FK-16: every record answers a request we sent / a deduction we planned.
Result<void> match_results(store::Connection& c, const ParsedFile& f, Checked& out) {
  const Layout& l = *f.layout;
  const bool requests = l.kind == FileKind::request_result;
  std::map<std::string, std::pair<std::string, std::string>> links;  // 基礎年金番号 → person, birth date, sex
  std::map<std::string, std::string> sexes;
  auto rows = c.query("SELECT l.basic_pension_no, l.person_id, p.birth_date, p.sex FROM tokucho_pension_link l "
                      "JOIN person p ON p.person_id = l.person_id");
  if (!rows) return std::unexpected(rows.error());
  for (const auto& r : *rows) {
    links[r.str(0)] = {r.str(1), r.str(2)};
    sexes[r.str(1)] = r.str(3);
  }
  // Open requests by (基礎年金番号, 年度, 年金保険者) and planned deductions by (person, month).
  std::map<std::tuple<std::string, std::int64_t, std::string>, std::pair<std::int64_t, std::string>> open_requests;
  std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::int64_t>> deductions;
  std::set<std::pair<std::string, std::string>> results_seen;
  std::set<std::int64_t> years;
  for (const auto& g : f.groups)
    for (const auto& d : g.data) years.insert(f.number(d, '2', "fiscal_year"));
  for (std::int64_t fy : years) {
    if (requests) {
      auto req = c.query("SELECT request_id, basic_pension_no, pension_insurer_code, status FROM tokucho_request "
                         "WHERE fiscal_year = $1 ORDER BY request_id",
                         {fy});
      if (!req) return std::unexpected(req.error());
      for (const auto& r : *req) open_requests[{r.str(1), fy, r.str(2)}] = {r.i64(0), r.str(3)};
    } else {
      auto inst = c.query("SELECT instalment_id, person_id, due_month, amount FROM premium_instalment WHERE fiscal_year = $1 "
                          "AND method = 'special' AND status IN ('planned', 'requested', 'accepted')",
                          {fy});
      if (!inst) return std::unexpected(inst.error());
      for (const auto& r : *inst) deductions[{r.str(1), r.str(2)}] = {r.i64(0), r.i64(3)};
      auto seen = c.query("SELECT person_id, deduction_month FROM tokucho_result WHERE fiscal_year = $1", {fy});
      if (!seen) return std::unexpected(seen.error());
      for (const auto& r : *seen) results_seen.insert({r.str(0), r.str(1)});
    }
  }
  std::set<std::pair<std::string, std::string>> in_file;
  std::set<std::string> sent_refs;
  if (requests) {
    auto refs = c.query("SELECT file_ref FROM tokucho_file WHERE flow_id = 'FK-15' AND file_ref IS NOT NULL");
    if (!refs) return std::unexpected(refs.error());
    for (const auto& r : *refs) sent_refs.insert(r.str(0));
  }
  for (const auto& g : f.groups) {
    if (requests && !sent_refs.contains(f.get(g.header, '1', "request_ref")))
      add(out, g.header.number, field_name(l, '1', "request_ref"), "この市が送った特別徴収依頼ファイルの通番でない");
    for (const auto& d : g.data) {
      Resolution res;
      const std::string no = f.get(d, '2', "basic_pension_no");
      const auto link = links.find(no);
      if (link == links.end()) {
        add(out, d.number, field_name(l, '2', "basic_pension_no"), "この基礎年金番号の人に特別徴収を依頼していない");
        out.resolved.push_back(res);
        continue;
      }
      res.person_id = link->second.first;
      if (link->second.second != iso_of(f.get(d, '2', "birth_date")))
        add(out, d.number, field_name(l, '2', "birth_date"), "基礎年金番号の人と生年月日が違う");
      if (sexes[res.person_id] != f.get(d, '2', "sex")) add(out, d.number, field_name(l, '2', "sex"), "基礎年金番号の人と性別が違う");
      const bool ok = f.get(d, '2', "result") == "0";
      const bool reason_none = f.get(d, '2', "reason_code") == "00";
      if (ok != reason_none)
        add(out, d.number, field_name(l, '2', "reason_code"),
            ok ? "結果が 0 (受付・徴収済) なら理由は 00" : "結果が 1 (不能・未徴収) なら 00 以外の理由が要る");
      const std::int64_t fy = f.number(d, '2', "fiscal_year");
      if (requests) {
        auto it = open_requests.find({no, fy, f.get(d, '2', "pension_insurer_code")});
        if (it == open_requests.end()) {
          add(out, d.number, field_name(l, '2', "basic_pension_no"), "この年度・年金保険者への依頼がない");
        } else if (it->second.second != "requested") {
          add(out, d.number, field_name(l, '2', "basic_pension_no"), "この依頼には処理結果を受け取り済み");
        } else {
          res.request_id = it->second.first;
        }
      } else {
        const std::string month = f.get(d, '2', "deduction_month");
        const std::string iso = month.substr(0, 4) + "-" + month.substr(4, 2);
        if (month != f.get(g.header, '1', "deduction_month"))
          add(out, d.number, field_name(l, '2', "deduction_month"), "ヘッダの徴収月と違う");
        auto ym = YearMonth::parse(month);
        if (ym && ym->fiscal_year() != fy) add(out, d.number, field_name(l, '2', "deduction_month"), "対象年度の月でない");
        if (results_seen.contains({res.person_id, iso}) || !in_file.insert({res.person_id, iso}).second) {
          add(out, d.number, field_name(l, '2', "deduction_month"), "この人のこの月の徴収結果は受け取り済み");
        } else if (auto it = deductions.find({res.person_id, iso}); it == deductions.end()) {
          add(out, d.number, field_name(l, '2', "deduction_month"), "この月の特別徴収を計画・依頼していない");
        } else {
          res.instalment_id = it->second.first;
          res.planned_amount = it->second.second;
        }
        const std::int64_t amount = f.number(d, '2', "collected_amount");
        if (ok && amount <= 0) add(out, d.number, field_name(l, '2', "collected_amount"), "徴収済なのに徴収額が 0");
        if (!ok && amount != 0) add(out, d.number, field_name(l, '2', "collected_amount"), "未徴収なのに徴収額がある");
      }
      out.resolved.push_back(std::move(res));
      if (out.v.truncated) return {};
    }
  }
  return {};
}

Result<Checked> check(store::Connection& c, const TokuchoConfig& config, const std::string& flow_id,
                      const std::string& payload) {
  Checked out;
  auto bytes = bytes_of(payload);
  if (!bytes) {
    add(out, 0, kFile, "CP932 にできない文字がある: " + bytes.error().message);
    return out;
  }
  ParseContext ctx{config.insurer_no, std::nullopt, {}};
  if (flow_id == "FK-14") ctx.allowed = {FileKind::target_list};
  else ctx.allowed = {FileKind::request_result, FileKind::collection_result};
  ParseOutcome parsed = parse_file(*bytes, config.layouts, ctx);
  out.v.errors = std::move(parsed.errors);
  out.v.truncated = parsed.truncated;
  if (!parsed.file) return out;
  Result<void> matched = flow_id == "FK-14" ? match_targets(c, *parsed.file, out) : match_results(c, *parsed.file, out);
  if (!matched) return std::unexpected(matched.error());
  out.v.file = std::move(parsed.file);
  return out;
}

// The same bytes applied before (another name, another channel): recognised, nothing applied.
Result<std::optional<std::int64_t>> applied_before(store::Connection& c, const std::string& sha256) {
  auto row = c.query_one("SELECT exchange_id FROM tokucho_file WHERE sha256 = $1 AND status = 'applied' AND applied > 0",
                         {sha256});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->i64(0)};
}

Result<void> record_file(store::Connection& c, const Clock& clock, const linkage::Exchange& e, const ParsedFile& f,
                         std::int64_t applied, const std::optional<std::string>& note) {
  auto r = c.exec(
      "INSERT INTO tokucho_file (exchange_id, flow_id, kind, layout_version, file_name, file_ref, sha256, bytes, records, "
      "fiscal_year, applied, status, reason, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "'applied', $12, $13, $14)",
      {e.exchange_id, e.flow_id, std::string(to_code(f.layout->kind)), static_cast<std::int64_t>(f.layout->version),
       detail::file_name_of(e), f.get(f.management, 'M', "file_ref"), f.sha256, static_cast<std::int64_t>(f.bytes), static_cast<std::int64_t>(f.data_records()),
       f.groups.empty() ? store::null() : store::Value(f.number(f.groups.front().header, '1', "fiscal_year")), applied,
       store::opt(note), clock.timestamp(), e.created_by});
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<void> link_persons(store::Connection& c, std::int64_t exchange_id, const std::vector<Resolution>& resolved) {
  std::set<std::string> persons;
  for (const auto& r : resolved)
    if (!r.person_id.empty()) persons.insert(r.person_id);
  // An answer the dispatcher received carries its request's persons already.
  auto linked = c.query("SELECT person_id FROM exchange_person WHERE exchange_id = $1", {exchange_id});
  if (!linked) return std::unexpected(linked.error());
  for (const auto& r : *linked) persons.erase(r.str(0));
  auto it = persons.begin();
  auto n = c.bulk_insert("exchange_person", {"exchange_id", "person_id"}, [&](store::Params& p) {
    if (it == persons.end()) return false;
    p = {exchange_id, *it++};
    return true;
  });
  if (!n) return std::unexpected(n.error());
  return {};
}

Result<void> apply_targets(store::Connection& c, const Clock& clock, const linkage::Exchange& e, const ParsedFile& f,
                           const std::vector<Resolution>& resolved, const TokuchoConfig& config) {
  const std::string now = clock.timestamp();
  const CodeList& kinds = config.layouts.codes.at("pension_kinds");
  // Links learnt from this file (a number seen twice in the file is linked once).
  std::map<std::string, std::pair<std::string, std::string>> learnt;
  std::size_t k = 0;
  struct Row {
    const Record* record;
    const Record* header;
    const Resolution* res;
  };
  std::vector<Row> rows;
  for (const auto& g : f.groups)
    for (const auto& d : g.data) {
      const Resolution& res = resolved.at(k++);
      rows.push_back(Row{&d, &g.header, &res});
      if (!res.matched_by.empty()) learnt.emplace(f.get(d, '2', "basic_pension_no"), std::pair{res.person_id, res.matched_by});
    }
  auto it = learnt.begin();
  auto links = c.bulk_insert("tokucho_pension_link", {"basic_pension_no", "person_id", "matched_by", "first_exchange_id", "linked_at"},
                             [&](store::Params& p) {
                               if (it == learnt.end()) return false;
                               p = {it->first, it->second.first, it->second.second, e.exchange_id, now};
                               ++it;
                               return true;
                             });
  if (!links) return std::unexpected(links.error());
  std::size_t at = 0;
  auto targets = c.bulk_insert(
      "tokucho_target",
      {"exchange_id", "record_no", "person_id", "fiscal_year", "pension_insurer_code", "basic_pension_no", "pension_code",
       "pension_kind", "annual_pension_amount", "capture_month", "start_month", "received_at"},
      [&](store::Params& p) {
        if (at == rows.size()) return false;
        const Row& r = rows[at++];
        const Record& d = *r.record;
        const YearMonth captured = *YearMonth::parse(f.get(d, '2', "capture_month"));
        const std::string code = f.get(d, '2', "pension_code");
        p = {e.exchange_id, static_cast<std::int64_t>(d.number), r.res->person_id, f.number(*r.header, '1', "fiscal_year"),
             f.get(d, '2', "pension_insurer_code"), f.get(d, '2', "basic_pension_no"), code, kinds.rows.at(code).at("kind"),
             f.number(d, '2', "annual_pension_amount"), captured.iso(), special_start_month(captured)->iso(), now};
        return true;
      });
  if (!targets) return std::unexpected(targets.error());
  if (auto l = link_persons(c, e.exchange_id, resolved); !l) return l;
  return record_file(c, clock, e, f, static_cast<std::int64_t>(rows.size()), std::nullopt);
}

Result<void> apply_results(store::Connection& c, const Clock& clock, const linkage::Exchange& e, const ParsedFile& f,
                           const std::vector<Resolution>& resolved, const TokuchoConfig& config) {
  const std::string now = clock.timestamp();
  const bool requests = f.layout->kind == FileKind::request_result;
  std::vector<std::int64_t> accepted_requests, plain_collections;
  std::set<std::pair<std::string, int>> to_replan;  // persons whose deduction failed
  std::size_t k = 0;
  struct ResultRow {
    const Record* d;
    const Resolution* res;
  };
  std::vector<ResultRow> results;
  for (const auto& g : f.groups)
    for (const auto& d : g.data) {
      const Resolution& res = resolved.at(k++);
      const bool ok = f.get(d, '2', "result") == "0";
      const std::string reason = f.get(d, '2', "reason_code");
      const int fy = static_cast<int>(f.number(d, '2', "fiscal_year"));
      if (requests) {
        if (ok) {
          accepted_requests.push_back(res.request_id);
          continue;
        }
        // Not accepted (death, pension stopped …): the request and its instalments, then the
        // amount goes to 普通徴収 (rules.md §2).
        auto r1 = c.exec("UPDATE tokucho_request SET status = 'not_accepted', reason_code = $1, result_exchange_id = $2, "
                         "answered_at = $3 WHERE request_id = $4",
                         {reason, e.exchange_id, now, res.request_id});
        if (!r1) return std::unexpected(r1.error());
        // By the person's index (request_id alone has none).
        auto r2 = c.exec("UPDATE premium_instalment SET status = 'not_accepted', reason_code = $1, updated_at = $2 "
                         "WHERE person_id = $3 AND fiscal_year = $4 AND request_id = $5 AND status IN ('planned', "
                         "'requested', 'accepted')",
                         {reason, now, res.person_id, static_cast<std::int64_t>(fy), res.request_id});
        if (!r2) return std::unexpected(r2.error());
        to_replan.insert({res.person_id, fy});
        continue;
      }
      results.push_back(ResultRow{&d, &res});
      const std::int64_t amount = f.number(d, '2', "collected_amount");
      if (ok && amount == res.planned_amount) {
        plain_collections.push_back(res.instalment_id);
        continue;
      }
      if (ok) {  // deducted, but another amount: the difference is re-planned
        auto r = c.exec("UPDATE premium_instalment SET status = 'collected', collected_amount = $1, updated_at = $2 "
                        "WHERE instalment_id = $3",
                        {amount, now, res.instalment_id});
        if (!r) return std::unexpected(r.error());
      } else {
        // Not deducted: this month and the rest of the year's deduction stop; the balance goes to
        // 普通徴収.
        auto r = c.exec("UPDATE premium_instalment SET status = 'not_collected', reason_code = $1, collected_amount = 0, "
                        "updated_at = $2 WHERE instalment_id = $3",
                        {reason, now, res.instalment_id});
        if (!r) return std::unexpected(r.error());
        auto later = c.exec(
            "UPDATE premium_instalment SET status = 'stopped', reason_code = $1, updated_at = $2 WHERE person_id = $3 AND "
            "fiscal_year = $4 AND method = 'special' AND status IN ('planned', 'requested', 'accepted') AND due_month > $5",
            {reason, now, res.person_id, static_cast<std::int64_t>(fy),
             f.get(d, '2', "deduction_month").substr(0, 4) + "-" + f.get(d, '2', "deduction_month").substr(4, 2)});
        if (!later) return std::unexpected(later.error());
      }
      to_replan.insert({res.person_id, fy});
    }
  if (!accepted_requests.empty()) {
    auto r1 = detail::exec_in(c, "UPDATE tokucho_request SET status = 'accepted', reason_code = '00', result_exchange_id = $1, "
                                 "answered_at = $2 WHERE request_id IN ",
                              {e.exchange_id, now}, accepted_requests);
    if (!r1) return std::unexpected(r1.error());
    // Set-based over the year's requested deductions (one pass, whatever the number of requests).
    std::set<std::int64_t> years;
    for (const auto& g : f.groups)
      for (const auto& d : g.data) years.insert(f.number(d, '2', "fiscal_year"));
    for (std::int64_t fy : years) {
      auto r2 = c.exec(
          "UPDATE premium_instalment SET status = 'accepted', updated_at = $1 FROM tokucho_request r WHERE "
          "r.result_exchange_id = $3 AND r.status = 'accepted' AND premium_instalment.request_id = r.request_id AND "
          "premium_instalment.person_id = r.person_id AND premium_instalment.fiscal_year = $2 AND "
          "premium_instalment.method = 'special' AND premium_instalment.status = 'requested'",
          {now, fy, e.exchange_id});
      if (!r2) return std::unexpected(r2.error());
    }
  }
  if (!plain_collections.empty()) {
    auto r = detail::exec_in(c, "UPDATE premium_instalment SET status = 'collected', collected_amount = amount, updated_at = $1 "
                                "WHERE instalment_id IN ",
                             {now}, plain_collections);
    if (!r) return std::unexpected(r.error());
  }
  if (!results.empty()) {
    std::size_t at = 0;
    auto n = c.bulk_insert("tokucho_result",
                           {"exchange_id", "record_no", "person_id", "fiscal_year", "deduction_month", "collected", "reason_code",
                            "amount", "received_at"},
                           [&](store::Params& p) {
                             if (at == results.size()) return false;
                             const ResultRow& r = results[at++];
                             const std::string m = f.get(*r.d, '2', "deduction_month");
                             p = {e.exchange_id, static_cast<std::int64_t>(r.d->number), r.res->person_id,
                                  f.number(*r.d, '2', "fiscal_year"), m.substr(0, 4) + "-" + m.substr(4, 2),
                                  static_cast<std::int64_t>(f.get(*r.d, '2', "result") == "0"), f.get(*r.d, '2', "reason_code"),
                                  f.number(*r.d, '2', "collected_amount"), now};
                             return true;
                           });
    if (!n) return std::unexpected(n.error());
  }
  for (const auto& [person, fy] : to_replan) {
    auto r = replan_person(c, clock, config, person, fy, requests ? "not_accepted" : "not_collected",
                           fmt::format("exchange:{}", e.exchange_id));
    if (!r) return std::unexpected(r.error());
  }
  if (auto l = link_persons(c, e.exchange_id, resolved); !l) return l;
  return record_file(c, clock, e, f, static_cast<std::int64_t>(f.data_records()), std::nullopt);
}

linkage::ApplyFn handler(const Clock& clock, const TokuchoConfig& config, const std::string& flow_id) {
  return [&clock, &config, flow_id](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    auto checked = check(c, config, flow_id, e.payload);
    if (!checked) return std::unexpected(checked.error());
    if (!checked->v.errors.empty()) return std::unexpected(to_error(checked->v.errors, checked->v.truncated));
    const ParsedFile& f = *checked->v.file;
    auto before = applied_before(c, f.sha256);
    if (!before) return std::unexpected(before.error());
    if (*before)  // the same file again (another name): recognised, nothing applied
      return record_file(c, clock, e, f, 0, fmt::format("同じファイル (SHA-256) を exchange {} で適用済み: 何も変えない", **before));
    if (f.layout->kind == FileKind::target_list) return apply_targets(c, clock, e, f, checked->resolved, config);
    return apply_results(c, clock, e, f, checked->resolved, config);
  };
}

}  // namespace

Validation validate_inbound(store::Connection& c, const TokuchoConfig& config, const std::string& flow_id,
                            const std::string& payload) {
  auto checked = check(c, config, flow_id, payload);
  if (!checked) {
    Validation v;
    v.errors.push_back(FileError{0, kFile, checked.error().message});
    return v;
  }
  return std::move(checked->v);
}

linkage::ApplyFn target_list_handler(const Clock& clock, const TokuchoConfig& config) { return handler(clock, config, "FK-14"); }
linkage::ApplyFn result_handler(const Clock& clock, const TokuchoConfig& config) { return handler(clock, config, "FK-16"); }

namespace {
// The data records ("2" at a record's first byte) of a file that may not parse.
std::int64_t data_records_of(const std::string& raw) {
  std::int64_t n = 0;
  for (std::size_t at = kManagementBytes; at < raw.size(); at += kRecordBytes) n += raw[at] == '2';
  return n;
}
}  // namespace

Result<int> record_rejected_files(store::Database& db, const Clock& clock, const TokuchoConfig& config) {
  std::vector<std::int64_t> ids;
  auto listed = db.query(
      "SELECT e.exchange_id FROM exchange e WHERE e.flow_id IN ('FK-14', 'FK-16') AND e.direction = 'inbound' AND "
      "e.status = 'rejected' AND NOT EXISTS (SELECT 1 FROM tokucho_file t WHERE t.exchange_id = e.exchange_id) "
      "ORDER BY e.exchange_id");
  if (!listed) return std::unexpected(listed.error());
  for (const auto& r : *listed) ids.push_back(r.i64(0));
  int recorded = 0;
  for (auto id : ids) {
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto e = linkage::load_exchange(c, id);
      if (!e) return std::unexpected(e.error());
      if (!*e) return {};
      auto checked = check(c, config, (*e)->flow_id, (*e)->payload);
      std::vector<FileError> errors;
      std::string kind = "unknown";
      std::optional<std::int64_t> version;
      if (checked) {
        errors = checked->v.errors;
        if (checked->v.truncated)
          errors.push_back(FileError{0, kFile, fmt::format("エラーが {} 件を超える: 最初の分だけを記録", kMaxErrors)});
      }
      // Refused for another reason (no handler at the time, a database error): the exchange's reason.
      if (errors.empty()) errors.push_back(FileError{0, kFile, (*e)->reason});
      auto bytes = bytes_of((*e)->payload);
      const std::string raw = bytes ? *bytes : (*e)->payload;
      if (bytes && raw.size() >= kManagementBytes) {
        for (const auto& l : config.layouts.layouts)
          if (raw.compare(0, 2, l.notice_code) == 0 && raw.compare(2, 2, fmt::format("{:02}", l.version)) == 0) {
            kind = to_code(l.kind);
            version = l.version;
          }
      }
      auto ins = c.query_one(
          "INSERT INTO tokucho_file (exchange_id, flow_id, kind, layout_version, file_name, sha256, bytes, records, "
          "fiscal_year, applied, status, reason, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, 0, "
          "'rejected', $9, $10, $11) ON CONFLICT (exchange_id) DO NOTHING RETURNING exchange_id",
          {id, (*e)->flow_id, kind, store::opt(version), detail::file_name_of(**e), sha256_hex(raw),
           static_cast<std::int64_t>(raw.size()),
           data_records_of(raw),
           (*e)->reason, clock.timestamp(), (*e)->created_by});
      if (!ins) return std::unexpected(ins.error());
      if (!*ins) return {};  // another instance recorded it
      std::int64_t n = 0;
      std::size_t at = 0;
      auto rows = c.bulk_insert("tokucho_file_error", {"exchange_id", "error_no", "record_no", "field", "message"},
                                [&](store::Params& p) {
                                  if (at == errors.size()) return false;
                                  const auto& err = errors[at++];
                                  p = {id, ++n, static_cast<std::int64_t>(err.record), err.field, err.message};
                                  return true;
                                });
      if (!rows) return std::unexpected(rows.error());
      ++recorded;
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
  }
  return recorded;
}

}  // namespace tokucho
}  // namespace kaigo::premium
