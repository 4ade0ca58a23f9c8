// KY-03: composing and checking the recipient records (recipient_internal.hpp). The checks are the
// 国保連's rejection causes of a 受給者異動連絡票 that the city can see before sending.
#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/codes.hpp"
#include "benefit/recipient_internal.hpp"

namespace kaigo::benefit::recipient_detail {

namespace {

// One dated row of a person: [from, to] inclusive unless said otherwise; to '' = open.
struct Span {
  std::string from, to;
  std::vector<std::string> v;
};

struct Person {
  std::string kana, birth, sex, insured_no;
  bool found = false;
  std::vector<Span> periods;   // eligibility_period: v = {category}; to = lost_on (exclusive)
  std::vector<Span> certs;     // v = {care_level, monthly_cap_units}
  std::vector<Span> plans;     // v = {plan_kind, office_no}
  std::vector<Span> rates;     // v = {rate}
  std::vector<Span> limits;    // v = {kind}
  std::vector<Span> former;    // v = {facility_name}; to = ended_on (exclusive)
  bool sent_before = false;
};

std::string compact(const std::string& iso) {
  std::string out;
  for (char ch : iso)
    if (ch != '-') out += ch;
  return out;
}

bool covers(const Span& s, const std::string& day, bool exclusive_end) {
  if (s.from > day) return false;
  if (s.to.empty()) return true;
  return exclusive_end ? s.to > day : s.to >= day;
}

// The row in force on `day`, else the first one starting after it.
const Span* in_force_or_next(const std::vector<Span>& rows, const std::string& day, bool exclusive_end = false) {
  const Span* best = nullptr;
  for (const auto& s : rows)
    if (covers(s, day, exclusive_end) && (!best || s.from > best->from)) best = &s;
  if (best) return best;
  for (const auto& s : rows)
    if (s.from > day && (!best || s.from < best->from)) best = &s;
  return best;
}

// 要介護状態区分コード of the 受給者異動連絡票 (KY03 layout enum).
std::string level_code(const std::string& level) {
  static const std::map<std::string, std::string> codes = {{"none", "01"},   {"support_1", "12"}, {"support_2", "13"},
                                                          {"care_1", "21"}, {"care_2", "22"},    {"care_3", "23"},
                                                          {"care_4", "24"}, {"care_5", "25"}};
  auto it = codes.find(level);
  return it == codes.end() ? std::string() : it->second;
}

std::string plan_code(const std::string& k) { return k == "home_care" ? "1" : k == "prevention" ? "2" : k == "self" ? "3" : ""; }
std::string restriction_code(const std::string& k) {
  return k == "reimbursement_only" ? "1" : k == "payment_suspended" ? "2" : k == "benefit_reduced" ? "3" : "";
}
std::string change_code(const std::string& k) { return k == "new" ? "1" : k == "change" ? "2" : "3"; }

Result<void> load(store::Connection& c, const std::string& sql, const store::Params& params,
                  const std::function<void(const store::Row&)>& each) {
  return c.query_each(sql, params, [&](const store::Row& r) {
    each(r);
    return true;
  });
}

}  // namespace

const csv::Layout* layout(const RecipientContext& ctx) { return ctx.config.layouts.find("KY03"); }

Result<const csv::Layout*> require_layout(const RecipientContext& ctx) {
  const csv::Layout* l = layout(ctx);
  if (!l) return fail(ErrorKind::unavailable, "no KY03 layout loaded (config/layouts/kokuhoren/KY03.v*.tsv)");
  return l;
}

std::string causes_json(const std::vector<RecipientCheck>& causes) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& k : causes) a.push_back({{"cause", k.cause}, {"field", k.field}, {"message", k.message}});
  return a.dump();
}

std::string fields_json(const std::map<std::string, std::string>& fields) { return nlohmann::json(fields).dump(); }

Result<std::vector<RecipientRecord>> compose(store::Connection& c, const Clock& clock, const RecipientContext& ctx,
                                             const std::string& persons_sql, const store::Params& params,
                                             const std::vector<Wanted>& wanted) {
  auto lay = require_layout(ctx);
  if (!lay) return std::unexpected(lay.error());
  std::map<std::string, Person> people;
  const std::string in = "person_id IN (" + persons_sql + ")";
  auto q = load(c, "SELECT p.person_id, p.name_kana, p.birth_date, p.sex, i.insured_no FROM person p LEFT JOIN insured_number i "
                   "ON i.person_id = p.person_id WHERE p." + in,
                params, [&](const store::Row& r) {
                  auto& p = people[r.str(0)];
                  p.found = true;
                  p.kana = r.str(1), p.birth = r.str(2), p.sex = r.str(3), p.insured_no = r.str(4);
                });
  if (!q) return std::unexpected(q.error());
  struct Source {
    std::string sql;
    std::vector<Span> Person::*rows;
    int values;
  };
  const std::vector<Source> sources = {
      {"SELECT person_id, acquired_on, lost_on, category FROM eligibility_period WHERE " + in + " ORDER BY person_id, period_no",
       &Person::periods, 1},
      {"SELECT person_id, valid_from, valid_to, care_level, monthly_cap_units FROM care_certification WHERE status = 'current' AND " +
           in + " ORDER BY person_id, valid_from",
       &Person::certs, 2},
      {"SELECT person_id, valid_from, valid_to, plan_kind, office_no FROM care_plan WHERE status <> 'cancelled' AND " + in +
           " ORDER BY person_id, valid_from",
       &Person::plans, 2},
      {"SELECT person_id, valid_from, valid_to, rate FROM copayment_rate WHERE status = 'current' AND " + in +
           " ORDER BY person_id, valid_from",
       &Person::rates, 1},
      {"SELECT person_id, valid_from, valid_to, kind FROM benefit_restriction WHERE status <> 'cancelled' AND " + in +
           " ORDER BY person_id, valid_from",
       &Person::limits, 1},
      // 住所地特例: our insured living in a facility of another city (法13条).
      {"SELECT person_id, started_on, ended_on, facility_name FROM former_address_rule WHERE direction = 'ours_living_elsewhere' AND " +
           in + " ORDER BY person_id, started_on",
       &Person::former, 1},
  };
  for (const auto& s : sources) {
    auto r = load(c, s.sql, params, [&](const store::Row& row) {
      Span span{row.str(1), row.str(2), {}};
      for (int k = 0; k < s.values; ++k) span.v.push_back(row.str(static_cast<std::size_t>(3 + k)));
      (people[row.str(0)].*s.rows).push_back(std::move(span));
    });
    if (!r) return std::unexpected(r.error());
  }
  auto sent = load(c,
                   "SELECT DISTINCT r.person_id FROM recipient_record r JOIN recipient_file f ON f.file_id = r.file_id "
                   "WHERE f.status = 'sent' AND r.check_status = 'ok' AND r.correction <> 'delete' AND r." + in,
                   params, [&](const store::Row& r) { people[r.str(0)].sent_before = true; });
  if (!sent) return std::unexpected(sent.error());

  const csv::Layout& layout = **lay;
  std::vector<RecipientRecord> out;
  for (const auto& w : wanted) {
    const Person& p = people[w.person_id];
    if (!p.found) return fail(ErrorKind::internal, "a pending recipient is not in the person table");
    RecipientRecord rec;
    rec.person_id = w.person_id;
    rec.insured_no = p.insured_no;
    rec.correction = "none";
    std::vector<RecipientCheck> causes;
    // The period: the last one ended (lost_on set) makes an end record when the 国保連 has the person.
    const Span* last_period = p.periods.empty() ? nullptr : &p.periods.back();
    std::string kind = w.forced_kind;
    if (kind.empty()) kind = !p.sent_before ? "new" : (last_period && !last_period->to.empty() ? "end" : "change");
    std::string day = w.change_date;
    if (kind == "end" && w.forced_kind.empty() && last_period) day = last_period->to;
    // The record describes the person on the last insured day for an end, else on the change date.
    const std::string as_of = kind == "end" && last_period && !last_period->to.empty()
                                  ? Date::parse(last_period->to).value_or(Date()).add_days(-1).iso()
                                  : day;
    const Span *period = nullptr, *cert = nullptr, *plan = nullptr, *rate = nullptr, *limit = nullptr, *former = nullptr;
    // Every row the record carries is the one in force on the same day.
    auto describe_on = [&](const std::string& d) {
      period = in_force_or_next(p.periods, d, true);
      if (!period && last_period) period = last_period;
      cert = in_force_or_next(p.certs, d);
      plan = in_force_or_next(p.plans, d);
      rate = in_force_or_next(p.rates, d);
      limit = in_force_or_next(p.limits, d);
      former = nullptr;
      for (const auto& f : p.former)
        if (covers(f, d, true)) former = &f;
    };
    describe_on(as_of);
    // A new record starts where its first content does (not before the certification it notifies),
    // and describes the person on that day: the pending date can be far earlier (the register's
    // oldest event, e.g. the start of a category-2 period that ended at 65), and the period in
    // force then is not the one the certification lies in.
    if (kind == "new" && w.forced_kind.empty()) {
      std::string first;
      for (const Span* s : {cert, plan, rate, limit})
        if (s && (first.empty() || s->from < first)) first = s->from;
      if (!first.empty() && first > day) {
        day = first;
        describe_on(day);
      }
    }
    rec.change_kind = kind;
    rec.change_date = day;

    auto& f = rec.fields;
    for (const auto& field : layout.data.fields) f[field.key] = "";
    f["change_kind"] = change_code(kind);
    f["correction"] = "0";
    f["change_date"] = compact(day);
    f["insurer_no"] = ctx.insurer_no;
    f["insured_no"] = p.insured_no;
    f["name_kana"] = p.kana;
    f["birth_date"] = compact(p.birth);
    f["sex"] = p.sex;
    if (period) {
      f["eligibility_from"] = compact(period->from);
      f["eligibility_to"] = compact(period->to);
    }
    if (cert) {
      f["care_level"] = level_code(cert->v[0]);
      f["cert_valid_from"] = compact(cert->from);
      f["cert_valid_to"] = compact(cert->to);
      if (cert->v[0] != "none") f["monthly_cap_units"] = cert->v[1];
    }
    if (plan) {
      f["plan_kind"] = plan_code(plan->v[0]);
      f["plan_office_no"] = plan->v[1];
      f["plan_valid_from"] = compact(plan->from);
      f["plan_valid_to"] = compact(plan->to);
    }
    if (rate) {
      f["copayment_rate"] = rate->v[0];
      f["rate_valid_from"] = compact(rate->from);
      f["rate_valid_to"] = compact(rate->to);
    }
    if (limit) {
      f["restriction_kind"] = restriction_code(limit->v[0]);
      f["restriction_from"] = compact(limit->from);
      f["restriction_to"] = compact(limit->to);
    }
    f["former_address"] = former ? "1" : "0";
    if (former) f["former_address_facility"] = former->v[0];

    // ---- the checks (cause, layout field, message without personal data) ----
    if (p.insured_no.empty()) causes.push_back({"insured_no_missing", "insured_no", "被保険者番号がありません"});
    if (plan && !cert)
      causes.push_back({"certification_missing", "care_level", "居宅サービス計画の届出がありますが、認定がありません"});
    auto inside = [&](const Span& s) {
      if (!period) return false;
      if (s.from < period->from) return false;
      if (!period->to.empty() && (s.to.empty() || s.to >= period->to)) return false;
      return true;
    };
    if (cert && !inside(*cert))
      causes.push_back({"certification_outside_eligibility", "cert_valid_from", "認定有効期間が資格期間の外にあります"});
    if (plan && (!period || plan->from < period->from || (!period->to.empty() && plan->from >= period->to)))
      causes.push_back({"plan_outside_eligibility", "plan_valid_from", "計画適用開始日が資格期間の外にあります"});
    for (std::size_t i = 0; i + 1 < p.certs.size(); ++i)
      if (p.certs[i + 1].from <= p.certs[i].to) {
        causes.push_back({"certification_overlap", "cert_valid_from", "認定有効期間が重複しています"});
        break;
      }
    if (plan && !plan->v[1].empty()) {
      const CareOffice* office = ctx.config.office(plan->v[1]);
      if (!office || !office->makes_care_plans)
        causes.push_back({"office_unknown", "plan_office_no", "居宅介護支援事業所番号が事業所台帳にありません"});
    }
    if (cert && cert->v[0] != "none" && period && period->v[0] == "1" && !rate)
      causes.push_back({"copayment_rate_missing", "copayment_rate", "第1号被保険者の利用者負担割合が決まっていません"});
    // What the codec would refuse (lengths, kinds, characters with no CP932 code).
    if (causes.empty()) {
      std::vector<std::string> row;
      for (const auto& field : layout.data.fields) row.push_back(f[field.key]);
      auto written = csv::write(layout,
                                {{"insurer_no", ctx.insurer_no}, {"created_on", clock.today().compact()}, {"file_ref", "CHECK"},
                                 {"correction_file", "0"}},
                                {row});
      if (!written) causes.push_back({"field_invalid", written.error().field, written.error().message});
    }
    rec.check_status = causes.empty() ? "ok" : "held";
    rec.check_causes = std::move(causes);
    out.push_back(std::move(rec));
  }
  return out;
}

Result<void> insert_records(store::Connection& c, std::int64_t file_id, std::vector<RecipientRecord>& records) {
  int seq = 0;
  for (auto& r : records) {
    r.file_id = file_id;
    if (r.check_status == "ok") r.fields["seq"] = std::to_string(++seq);
  }
  std::size_t i = 0;
  auto n = c.bulk_insert("recipient_record",
                         {"file_id", "person_id", "insured_no", "change_kind", "correction", "corrects_record_id", "change_date",
                          "fields", "check_status", "check_causes"},
                         [&](store::Params& p) {
                           if (i == records.size()) return false;
                           const auto& r = records[i++];
                           p = {file_id, r.person_id, r.insured_no, r.change_kind, r.correction, store::opt(r.corrects_record_id),
                                r.change_date, fields_json(r.fields), r.check_status, causes_json(r.check_causes)};
                           return true;
                         });
  if (!n) return std::unexpected(n.error());
  return {};
}

Result<std::string> write_text(const RecipientContext& ctx, const csv::Layout& layout, std::int64_t file_id,
                               const std::string& kind, const std::vector<RecipientRecord>& records, const std::string& created_on) {
  std::vector<std::vector<std::string>> data;
  for (const auto& r : records) {
    if (r.check_status != "ok") continue;
    std::vector<std::string> row;
    for (const auto& field : layout.data.fields) {
      auto it = r.fields.find(field.key);
      row.push_back(it == r.fields.end() ? std::string() : it->second);
    }
    data.push_back(std::move(row));
  }
  return csv::write(layout,
                    {{"insurer_no", ctx.insurer_no}, {"created_on", created_on}, {"file_ref", fmt::format("KGJK-{}", file_id)},
                     {"correction_file", kind == "correction" ? "1" : "0"}},
                    data);
}

}  // namespace kaigo::benefit::recipient_detail
