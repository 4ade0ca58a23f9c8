// 高額医療合算: KY-21 applications in, KY-22 自己負担額証明書 out, the reads. See combined.hpp.
#include "benefit/combined.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "benefit/combined_internal.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::benefit {

namespace {

using nlohmann::json;

constexpr const char* kApplicationFormat = "kaigo.kokuho.combined_application/1";
constexpr const char* kCertificateFormat = "kaigo.kokuho.care_copayment/1";

constexpr const char* kColumns =
    "combined_id, person_id, kokuho_ref, period_from, period_to, medical_insurer_no, age_band, income_class, status, "
    "care_copayment, medical_copayment, excess_total, care_share, decided_amount, decided_on, monthly, explanation, "
    "certificate_exchange_id, recorded_at";

CombinedApplication from_row(const store::Row& r) {
  CombinedApplication a;
  a.combined_id = r.i64(0);
  a.person_id = r.str(1);
  a.kokuho_ref = r.str(2);
  a.period_from = r.str(3);
  a.period_to = r.str(4);
  a.medical_insurer_no = r.str(5);
  a.age_band = r.str(6);
  a.income_class = r.str(7);
  a.status = r.str(8);
  a.care_copayment = r.opt_i64(9);
  a.medical_copayment = r.opt_i64(10);
  a.excess_total = r.opt_i64(11);
  a.care_share = r.opt_i64(12);
  a.decided_amount = r.opt_i64(13);
  a.decided_on = r.opt_str(14);
  const json m = json::parse(r.str(15).empty() ? "[]" : r.str(15), nullptr, false);
  if (m.is_array())
    for (const auto& x : m)
      a.months.push_back(CombinedMonth{x.value("month", ""), x.value("copayment", std::int64_t{0}),
                                       x.value("high_cost", std::int64_t{0}), x.value("counted", std::int64_t{0})});
  a.explanation = r.str(16);
  a.certificate_exchange_id = r.opt_i64(17);
  a.recorded_at = r.str(18);
  return a;
}

bool digits(const std::string& s, std::size_t min, std::size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char ch : s)
    if (ch < '0' || ch > '9') return false;
  return true;
}

// One application as read (valid once faults are empty).
struct Application {
  std::string path;  // applications[i]
  std::string kokuho_ref, person_id, applied_on, medical_insurer_no, age_band, income_class;
  Date period_from, period_to;
  std::string bank_code, branch_code, account_kind, account_no, holder_kana;
};

struct Parsed {
  std::vector<InboundFault> faults;
  std::vector<Application> apps;
};

Result<Parsed> read_applications(store::Connection& c, const BenefitRules& rules, const std::string& payload) {
  Parsed out;
  auto bad = [&](const std::string& field, const std::string& message) {
    out.faults.push_back(InboundFault{0, field, message});
  };
  const json j = json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    bad("(document)", "not a JSON object");
    return out;
  }
  if (j.value("format", "") != kApplicationFormat) bad("format", fmt::format("must be {}", kApplicationFormat));
  if (!j.contains("applications") || !j["applications"].is_array() || j["applications"].empty()) {
    bad("applications", "must be a non-empty array");
    return out;
  }
  std::set<std::string> refs;
  for (std::size_t i = 0; i < j["applications"].size(); ++i) {
    const json& a = j["applications"][i];
    Application x;
    x.path = fmt::format("applications[{}]", i);
    const std::string p = x.path;
    if (!a.is_object()) {
      bad(p, "must be an object");
      continue;
    }
    auto str = [&](const json& o, const char* key, const std::string& path, bool required) -> std::string {
      if (!o.contains(key) || o[key].is_null()) {
        if (required) bad(path, "is required");
        return "";
      }
      if (!o[key].is_string()) {
        bad(path, "must be text");
        return "";
      }
      return o[key].get<std::string>();
    };
    x.kokuho_ref = str(a, "kokuho_ref", p + ".kokuho_ref", true);
    if (!x.kokuho_ref.empty() && !refs.insert(x.kokuho_ref).second) bad(p + ".kokuho_ref", "appears twice in the document");
    const std::string insured_no = str(a, "insured_no", p + ".insured_no", false);
    x.person_id = str(a, "person_id", p + ".person_id", false);
    if (insured_no.empty() && x.person_id.empty()) bad(p + ".insured_no", "insured_no or person_id is required");
    x.applied_on = str(a, "applied_on", p + ".applied_on", true);
    if (!x.applied_on.empty() && !Date::parse(x.applied_on)) bad(p + ".applied_on", "must be a date YYYY-MM-DD");
    x.medical_insurer_no = str(a, "medical_insurer_no", p + ".medical_insurer_no", true);
    if (!x.medical_insurer_no.empty() && !digits(x.medical_insurer_no, 6, 8))
      bad(p + ".medical_insurer_no", "must be 6 or 8 digits");
    x.age_band = str(a, "age_band", p + ".age_band", true);
    x.income_class = str(a, "income_class", p + ".income_class", true);
    const std::string from = str(a, "period_from", p + ".period_from", true);
    const std::string to = str(a, "period_to", p + ".period_to", true);
    auto f = Date::parse(from);
    auto t = Date::parse(to);
    if (!from.empty() && (!f || f->month() != 8 || f->day() != 1)) bad(p + ".period_from", "must be a 1 August");
    else if (!to.empty() && (!t || !f || *t != Date(f->year() + 1, 7, 31)))
      bad(p + ".period_to", "must be the 31 July after period_from");
    if (f && t) {
      x.period_from = *f;
      x.period_to = *t;
      auto v = rules.on(*f);
      if (!v) bad(p + ".period_from", "no benefit rules for this period");
      else if (!x.age_band.empty() && !x.income_class.empty() &&
               !combined_care_share(**v, x.age_band, x.income_class, 1, 1))
        bad(p + ".income_class", "no annual limit for this age_band and income_class (施行令22条の3)");
    }
    if (!a.contains("account") || !a["account"].is_object()) {
      bad(p + ".account", "is required (the account the care share is paid to)");
    } else {
      const json& ac = a["account"];
      x.bank_code = str(ac, "bank_code", p + ".account.bank_code", true);
      if (!x.bank_code.empty() && !digits(x.bank_code, 4, 4)) bad(p + ".account.bank_code", "must be 4 digits");
      x.branch_code = str(ac, "branch_code", p + ".account.branch_code", true);
      if (!x.branch_code.empty() && !digits(x.branch_code, 3, 3)) bad(p + ".account.branch_code", "must be 3 digits");
      x.account_kind = str(ac, "account_kind", p + ".account.account_kind", true);
      if (!x.account_kind.empty() && x.account_kind != "ordinary" && x.account_kind != "current")
        bad(p + ".account.account_kind", "must be ordinary or current");
      x.account_no = str(ac, "account_no", p + ".account.account_no", true);
      if (!x.account_no.empty() && !digits(x.account_no, 7, 7)) bad(p + ".account.account_no", "must be 7 digits");
      x.holder_kana = str(ac, "holder_kana", p + ".account.holder_kana", true);
    }
    // The person: by insured_no (the 国保 knows it from the 資格) or by person_id.
    if (!insured_no.empty()) {
      auto r = c.query_one("SELECT person_id FROM insured_number WHERE insured_no = $1", {insured_no});
      if (!r) return std::unexpected(r.error());
      if (!*r) bad(p + ".insured_no", "no insured person has this number");
      else if (!x.person_id.empty() && x.person_id != (*r)->str(0))
        bad(p + ".person_id", "does not match insured_no");
      else x.person_id = (*r)->str(0);
    } else if (!x.person_id.empty()) {
      auto r = c.query_one("SELECT person_id FROM person WHERE person_id = $1", {x.person_id});
      if (!r) return std::unexpected(r.error());
      if (!*r) bad(p + ".person_id", "no such person");
    }
    out.apps.push_back(std::move(x));
  }
  return out;
}

}  // namespace

Result<std::vector<CombinedMonth>> care_copayment_months(store::Connection& c, const std::string& person_id,
                                                         Date period_from) {
  std::map<std::string, CombinedMonth> by_month;
  std::vector<std::string> order;
  for (int i = 0; i < 12; ++i) {
    const Date d = period_from.add_months(i);
    const std::string m = fmt::format("{:04d}-{:02d}", d.year(), d.month());
    order.push_back(m);
    by_month[m] = CombinedMonth{m, 0, 0, 0};
  }
  // Both sums in one statement, grouped by month.
  auto rows = c.query(
      "SELECT m, SUM(copay), SUM(paid) FROM ("
      " SELECT service_month AS m, copayment AS copay, 0 AS paid FROM benefit_record"
      "  WHERE person_id = $1 AND status = 'current' AND service_month BETWEEN $2 AND $3"
      " UNION ALL"
      " SELECT service_month AS m, 0 AS copay, paid_before + amount AS paid FROM high_cost_decision"
      "  WHERE person_id = $1 AND status = 'current' AND service_month BETWEEN $2 AND $3"
      ") x GROUP BY m ORDER BY m",
      {person_id, order.front(), order.back()});
  if (!rows) return std::unexpected(rows.error());
  for (const auto& r : *rows) {
    auto it = by_month.find(r.str(0));
    if (it == by_month.end()) continue;
    it->second.copayment = r.i64(1);
    it->second.high_cost = r.i64(2);
    it->second.counted = std::max<std::int64_t>(0, it->second.copayment - it->second.high_cost);
  }
  std::vector<CombinedMonth> out;
  for (const auto& m : order) out.push_back(by_month[m]);
  return out;
}

Result<std::vector<InboundFault>> combined_application_faults(store::Connection& c, const BenefitRules& rules,
                                                              const std::string& payload) {
  auto parsed = read_applications(c, rules, payload);
  if (!parsed) return std::unexpected(parsed.error());
  return std::move(parsed->faults);
}

linkage::InboundHandlers combined_inbound_handlers(const Clock& clock, const BenefitRules& rules) {
  linkage::InboundHandlers h;
  h["KY-21"] = [&clock, &rules](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    auto seen = applied_file(c, "KY-21", e.payload);
    if (!seen) return std::unexpected(seen.error());
    if (*seen) return {};
    auto parsed = read_applications(c, rules, e.payload);
    if (!parsed) return std::unexpected(parsed.error());
    if (!parsed->faults.empty()) return std::unexpected(faults_error(parsed->faults));
    auto file_id = insert_applied_file(c, clock, "KY-21", e, "1", static_cast<std::int64_t>(parsed->apps.size()), "{}");
    if (!file_id) return std::unexpected(file_id.error());
    int stored = 0, known = 0;
    const std::string now = clock.timestamp();
    for (const Application& a : parsed->apps) {
      // Stored once: an application number seen before is left as it is.
      auto row = c.query_one(
          "INSERT INTO combined_application (person_id, kokuho_ref, period_from, period_to, medical_insurer_no, status, "
          "received_file_id, recorded_at, age_band, income_class, applied_on, bank_code, branch_code, account_kind, "
          "account_no, account_holder_kana) VALUES ($1, $2, $3, $4, $5, 'received', $6, $7, $8, $9, $10, $11, $12, $13, "
          "$14, $15) ON CONFLICT (kokuho_ref) DO NOTHING RETURNING combined_id",
          {a.person_id, a.kokuho_ref, a.period_from.iso(), a.period_to.iso(), a.medical_insurer_no, *file_id, now,
           a.age_band, a.income_class, a.applied_on, a.bank_code, a.branch_code, a.account_kind, a.account_no,
           a.holder_kana});
      if (!row) return std::unexpected(row.error());
      if (!*row) {
        ++known;
        continue;
      }
      ++stored;
      const std::int64_t id = (*row)->i64(0);
      // KY-22: the 自己負担額証明書 for the 国保's computation.
      auto months = care_copayment_months(c, a.person_id, a.period_from);
      if (!months) return std::unexpected(months.error());
      std::int64_t total = 0;
      json mj = json::array();
      for (const auto& m : *months) {
        total += m.counted;
        mj.push_back({{"month", m.month}, {"copayment", m.copayment}, {"high_cost", m.high_cost}, {"counted", m.counted}});
      }
      auto insured = c.query_one("SELECT insured_no FROM insured_number WHERE person_id = $1", {a.person_id});
      if (!insured) return std::unexpected(insured.error());
      linkage::OutboundMessage m;
      m.flow_id = "KY-22";
      m.counterpart = "kokuho";
      m.payload = json{{"format", kCertificateFormat},
                       {"kokuho_ref", a.kokuho_ref},
                       {"insured_no", *insured ? (*insured)->str(0) : std::string()},
                       {"period_from", a.period_from.iso()},
                       {"period_to", a.period_to.iso()},
                       {"care_total", total},
                       {"months", mj}}
                      .dump();
      m.person_ids = {a.person_id};
      m.purpose = "高額医療合算 自己負担額証明書";
      m.actor = "KY-21";
      m.idempotency_key = fmt::format("KY-22:{}", a.kokuho_ref);
      auto sent = linkage::enqueue_outbound(c, clock, m);
      if (!sent) return std::unexpected(sent.error());
      auto up = c.exec(
          "UPDATE combined_application SET status = 'certified', care_copayment = $1, monthly = $2, "
          "certificate_exchange_id = $3 WHERE combined_id = $4",
          {total, mj.dump(), sent->exchange_id, id});
      if (!up) return std::unexpected(up.error());
      if (auto p = linkage::add_person(c, e.exchange_id, a.person_id); !p) return std::unexpected(p.error());
    }
    auto s = c.exec("UPDATE benefit_inbound_file SET summary = $1 WHERE file_id = $2",
                    {json{{"applications", parsed->apps.size()}, {"stored", stored}, {"already_known", known}}.dump(), *file_id});
    if (!s) return std::unexpected(s.error());
    return {};
  };
  h["KY-23"] = [&clock, &rules](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    auto seen = applied_file(c, "KY-23", e.payload);
    if (!seen) return std::unexpected(seen.error());
    if (*seen) return {};
    auto faults = combined_result_faults(c, rules, e.payload);
    if (!faults) return std::unexpected(faults.error());
    if (!faults->empty()) return std::unexpected(faults_error(*faults));
    return combined_detail::apply_results(c, clock, rules, e);
  };
  return h;
}

Result<CombinedApplication> load_combined(store::Connection& c, std::int64_t combined_id) {
  auto row = c.query_one(fmt::format("SELECT {} FROM combined_application WHERE combined_id = $1", kColumns), {combined_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, "no such combined application", "combined_id");
  return from_row(**row);
}

Result<std::vector<CombinedApplication>> list_combined(store::Connection& c, const std::optional<std::string>& status,
                                                       const std::optional<std::string>& person_id) {
  if (status && *status != "received" && *status != "certified" && *status != "decided" && *status != "not_payable")
    return fail(ErrorKind::invalid_input, "status must be received, certified, decided or not_payable", "status");
  auto rows = c.query(fmt::format("SELECT {} FROM combined_application WHERE (CAST($1 AS TEXT) = '' OR status = CAST($1 AS TEXT)) "
                                  "AND (CAST($2 AS TEXT) = '' OR person_id = CAST($2 AS TEXT)) "
                                  "ORDER BY combined_id DESC LIMIT 500",
                                  kColumns),
                      {status.value_or(""), person_id.value_or("")});
  if (!rows) return std::unexpected(rows.error());
  std::vector<CombinedApplication> out;
  for (const auto& r : *rows) out.push_back(from_row(r));
  return out;
}

}  // namespace kaigo::benefit
