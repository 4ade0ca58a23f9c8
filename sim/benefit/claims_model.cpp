// The 国保連's recipients and claims as pure rules (see claims_model.hpp).
#include "sim/benefit/claims_model.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "sim/prng.hpp"

namespace kaigo::sim::benefit {

namespace csv = kaigo::benefit::csv;

namespace {

std::optional<Date> date_at(const csv::ParsedFile& f, std::size_t r, int i) {
  if (i < 0) return std::nullopt;
  auto v = f.value(r, i);
  if (v.empty()) return std::nullopt;
  auto d = Date::parse_compact(v);
  return d ? std::optional<Date>(*d) : std::nullopt;
}

std::string str_at(const csv::ParsedFile& f, std::size_t r, int i) {
  return i < 0 ? std::string() : std::string(f.value(r, i));
}

std::int64_t int_at(const csv::ParsedFile& f, std::size_t r, int i) {
  auto v = str_at(f, r, i);
  if (v.empty()) return 0;
  try {
    return std::stoll(v);
  } catch (...) {
    return 0;
  }
}

// In force at some day of the month [first, last]: from ≤ last and (no end or end ≥ first).
bool overlaps(const std::optional<Date>& from, const std::optional<Date>& to, Date first, Date last) {
  if (from && *from > last) return false;
  if (to && *to < first) return false;
  return true;
}

// サービス種類コード (国保連 交換情報 コード表) by what the claim is.
bool is_facility(std::string_view k) { return k == "51" || k == "52" || k == "53" || k == "54" || k == "55"; }
bool is_food_housing(std::string_view k) { return k == "59"; }
bool is_purchase(std::string_view k) { return k == "41" || k == "44"; }  // 特定(介護予防)福祉用具販売
bool is_care_management(std::string_view k) { return k == "43" || k == "46"; }
bool is_short_stay(std::string_view k) { return k == "21" || k == "22" || k == "23" || k == "24" || k == "25" || k == "26"; }
// 介護予防 services (for 要支援): the 6x codes and the preventive short stays, 居宅療養管理指導,
// 特定施設, group homes and 地域密着型 day care / 小規模多機能.
bool is_preventive(std::string_view k) {
  static constexpr std::string_view kOthers[] = {"24", "25", "26", "34", "35", "37", "39", "74", "75"};
  return (!k.empty() && k[0] == '6') || std::ranges::find(kOthers, k) != std::end(kOthers);
}
bool is_home(std::string_view k) {
  return !is_facility(k) && !is_food_housing(k) && !is_purchase(k) && !is_care_management(k) && k != "42" && k != "45";
}
// A 居宅サービス given in kind under a care plan (service_kinds.tsv needs_care_plan; 法41条6項).
bool under_plan(const kaigo::benefit::BenefitConfig& config, std::string_view k) {
  for (const auto& kind : config.service_kinds)
    if (kind.code == k) return kind.needs_care_plan;
  return false;
}
bool is_support_level(std::string_view level) { return level == "12" || level == "13"; }

struct OfficeKind {
  const kaigo::benefit::CareOffice* office;
  std::string kind;
};

// Every (office, kind) of the config a test predicate accepts, in config order.
template <class Pred>
std::vector<OfficeKind> offered(const kaigo::benefit::BenefitConfig& config, Pred pred) {
  std::vector<OfficeKind> out;
  for (const auto& o : config.offices)
    for (const auto& k : o.service_kinds)
      if (pred(k)) out.push_back({&o, k});
  return out;
}

std::string month_text(Date month) { return fmt::format("{:04}{:02}", month.year(), month.month()); }

}  // namespace

std::uint64_t draw_seed(std::uint64_t seed, std::string_view what) {
  const std::string h = sha256_hex(fmt::format("{}|{}", seed, what));
  return std::stoull(h.substr(0, 16), nullptr, 16);
}

void RecipientBook::apply(const csv::ParsedFile& f) {
  const auto& d = f.layout->data;
  const int insured = d.index_of("insured_no"), change_kind = d.index_of("change_kind"),
            correction = d.index_of("correction"), change_date = d.index_of("change_date");
  for (std::size_t r = 0; r < f.data_count(); ++r) {
    RecipientRecord rec;
    rec.insured_no = str_at(f, r, insured);
    const std::string kind = str_at(f, r, change_kind);
    rec.change_kind = kind.empty() ? '1' : kind[0];
    auto on = date_at(f, r, change_date);
    if (rec.insured_no.empty() || !on) continue;  // parse() has refused such a file already
    rec.change_date = *on;
    auto& records = book_[rec.insured_no];
    if (str_at(f, r, correction) == "2") {  // 削除: the record of that day is withdrawn
      records.erase(rec.change_date);
      if (records.empty()) book_.erase(rec.insured_no);
      continue;
    }
    rec.eligibility_to = date_at(f, r, d.index_of("eligibility_to"));
    rec.care_level = str_at(f, r, d.index_of("care_level"));
    rec.cert_from = date_at(f, r, d.index_of("cert_valid_from"));
    rec.cert_to = date_at(f, r, d.index_of("cert_valid_to"));
    rec.cap_units = int_at(f, r, d.index_of("monthly_cap_units"));
    rec.plan_kind = str_at(f, r, d.index_of("plan_kind"));
    rec.plan_office_no = str_at(f, r, d.index_of("plan_office_no"));
    rec.plan_from = date_at(f, r, d.index_of("plan_valid_from"));
    rec.plan_to = date_at(f, r, d.index_of("plan_valid_to"));
    const auto rate = int_at(f, r, d.index_of("copayment_rate"));
    rec.copayment_rate = rate >= 1 && rate <= 3 ? static_cast<int>(rate) : 1;
    rec.rate_from = date_at(f, r, d.index_of("rate_valid_from"));
    rec.rate_to = date_at(f, r, d.index_of("rate_valid_to"));
    rec.restriction_kind = str_at(f, r, d.index_of("restriction_kind"));
    rec.restriction_from = date_at(f, r, d.index_of("restriction_from"));
    rec.restriction_to = date_at(f, r, d.index_of("restriction_to"));
    records[rec.change_date] = std::move(rec);  // 新規, 変更 and 訂正 all stand for their day
  }
}

std::optional<MonthState> RecipientBook::in_month(const std::string& insured_no, Date month) const {
  auto it = book_.find(insured_no);
  if (it == book_.end()) return std::nullopt;
  const Date first = month.first_of_month(), last = month.last_of_month();
  auto at = it->second.upper_bound(last);
  if (at == it->second.begin()) return std::nullopt;
  const RecipientRecord& r = std::prev(at)->second;
  if (r.change_kind == '3' && r.change_date <= first) return std::nullopt;  // 終了 before the month
  if (r.eligibility_to && *r.eligibility_to <= first) return std::nullopt;  // 資格喪失 (the day after leaving)
  if (r.care_level.size() != 2 || r.care_level == "01") return std::nullopt;
  if (!r.cert_from || !overlaps(r.cert_from, r.cert_to, first, last)) return std::nullopt;
  if (r.plan_kind.empty() || !overlaps(r.plan_from, r.plan_to, first, last)) return std::nullopt;
  if (r.cap_units <= 0) return std::nullopt;
  MonthState s;
  s.insured_no = insured_no;
  s.care_level = r.care_level;
  s.cap_units = r.cap_units;
  // 負担割合 (介護保険法49条の2, 59条の2): 1割 unless a 2割/3割 is in force this month.
  const int rate = r.rate_from && overlaps(r.rate_from, r.rate_to, first, last) ? r.copayment_rate : 1;
  s.insurance_tenths = 10 - rate;
  if (!r.restriction_kind.empty() && r.restriction_from && overlaps(r.restriction_from, r.restriction_to, first, last)) {
    if (r.restriction_kind == "3")
      s.insurance_tenths = rate == 3 ? 6 : 7;  // 給付額減額 (69条): 100分の70, 3割負担者は100分の60
    else
      s.reimbursed = true;  // 支払方法変更 (66条) / 一時差止 (67条): 償還払い
  }
  return s;
}

std::vector<std::string> RecipientBook::insured_nos() const {
  std::vector<std::string> out;
  out.reserve(book_.size());
  for (const auto& [no, _] : book_) out.push_back(no);
  return out;
}

const std::map<Date, RecipientRecord>* RecipientBook::records_of(const std::string& insured_no) const {
  auto it = book_.find(insured_no);
  return it == book_.end() ? nullptr : &it->second;
}

void price(Claim& c) {
  c.total_cost = c.units * c.unit_price / 100;
  c.insurance_paid = is_food_housing(c.service_kind) ? c.total_cost : c.total_cost * c.insurance_tenths / 10;
  c.copayment = c.total_cost - c.insurance_paid;
  c.public_paid = 0;
}

int unit_price_of(std::string_view office_no) {
  static constexpr std::array<int, 8> kPrices = {1000, 1021, 1045, 1068, 1070, 1090, 1114, 1140};
  return kPrices[draw_seed(0, office_no) % kPrices.size()];
}

std::vector<Claim> make_claims(const MonthState& who, Date month, const kaigo::benefit::BenefitConfig& config,
                               std::uint64_t seed) {
  const std::string ym = month_text(month);
  Prng prng(draw_seed(seed, "claims|" + who.insured_no + "|" + ym));
  const int days_in_month = month.first_of_month().days_until(month.last_of_month()) + 1;
  const bool support = is_support_level(who.care_level);
  const int level_step = support ? 0 : who.care_level[1] - '1';  // 要介護1 → 0 … 要介護5 → 4
  std::vector<Claim> out;
  auto add = [&](const OfficeKind& ok, int days, std::int64_t units, char payment_kind) {
    Claim c;
    c.claim_no = fmt::format("{}{}{:02}", ym, who.insured_no, out.size() + 1);
    c.insured_no = who.insured_no;
    c.service_month = ym;
    c.office_no = ok.office->office_no;
    c.service_kind = ok.kind;
    c.payment_kind = who.reimbursed ? '2' : payment_kind;
    c.days = days;
    c.units = std::max<std::int64_t>(units, 1);
    c.unit_price = unit_price_of(c.office_no);
    c.insurance_tenths = is_food_housing(ok.kind) ? 10 : who.insurance_tenths;
    price(c);
    out.push_back(std::move(c));
  };
  // Some of the heavier-care recipients live in a facility this month (施設サービス, outside the
  // 区分支給限度, 43条), with food and housing paid as 特定入所者介護サービス費 (59).
  const auto facilities = offered(config, is_facility);
  if (!support && level_step >= 2 && !facilities.empty() && prng.chance(15, 100)) {
    const auto& fac = facilities[prng.below(facilities.size())];
    add(fac, days_in_month, static_cast<std::int64_t>(days_in_month) * (700 + 70 * level_step), '1');
    const auto food = offered(config, is_food_housing);
    if (!food.empty()) add(food[prng.below(food.size())], days_in_month, static_cast<std::int64_t>(days_in_month) * 290, '1');
    return out;
  }
  // Home services within the cap: 40–95% of it, split over 1–4 claims.
  auto home = offered(config, [&](const std::string& k) {
    return is_home(k) && under_plan(config, k) && is_preventive(k) == support;
  });
  if (home.empty()) home = offered(config, [&](const std::string& k) { return is_home(k) && under_plan(config, k); });
  if (home.empty()) return out;
  const int n = static_cast<int>(prng.between(1, 4));
  const std::int64_t total = who.cap_units * prng.between(40, 95) / 100;
  std::vector<std::int64_t> weights;
  std::int64_t weight_sum = 0;
  for (int i = 0; i < n; ++i) weight_sum += weights.emplace_back(prng.between(1, 10));
  std::int64_t given = 0;
  for (int i = 0; i < n; ++i) {
    const auto& ok = home[prng.below(home.size())];
    std::int64_t units = i + 1 == n ? total - given : total * weights[i] / weight_sum;
    if (units < 1) continue;  // the cap is spent
    given += units;
    const int days = is_short_stay(ok.kind) ? static_cast<int>(prng.between(3, 10)) : static_cast<int>(prng.between(2, 20));
    add(ok, days, units, '1');
  }
  // Now and then a 特定福祉用具 bought and reimbursed (償還払い, 44条; outside the 区分支給限度).
  const auto purchase = offered(config, is_purchase);
  if (!purchase.empty() && prng.chance(3, 100))
    add(purchase[prng.below(purchase.size())], 1, prng.between(100, 1000) * 10, '2');
  return out;
}

std::optional<Claim> revise(const Claim& latest, std::string_view review_month, std::uint64_t seed) {
  if (latest.record_kind == '3') return std::nullopt;  // cancelled: nothing follows
  Prng prng(draw_seed(seed, fmt::format("revise|{}|{}", latest.claim_no, review_month)));
  const auto draw = prng.below(1000);
  if (draw < 10) {
    Claim c = latest;
    c.record_kind = '3';
    return c;
  }
  if (draw < 30 && latest.units > 1) {
    Claim c = latest;
    c.record_kind = '2';
    c.units = std::max<std::int64_t>(1, latest.units - latest.units * prng.between(3, 15) / 100);
    price(c);
    return c;
  }
  return std::nullopt;
}

Result<std::vector<std::string>> to_row(const csv::Layout& layout, const Claim& c, std::int64_t seq,
                                        std::string_view insurer_no) {
  const std::map<std::string, std::string> values = {
      {"seq", std::to_string(seq)},
      {"record_kind", std::string(1, c.record_kind)},
      {"claim_no", c.claim_no},
      {"insurer_no", std::string(insurer_no)},
      {"insured_no", c.insured_no},
      {"service_month", c.service_month},
      {"office_no", c.office_no},
      {"service_kind", c.service_kind},
      {"payment_kind", std::string(1, c.payment_kind)},
      {"days", std::to_string(c.days)},
      {"units", std::to_string(c.units)},
      {"unit_price", std::to_string(c.unit_price)},
      {"total_cost", std::to_string(c.total_cost)},
      {"insurance_paid", std::to_string(c.insurance_paid)},
      {"copayment", std::to_string(c.copayment)},
      {"public_paid", std::to_string(c.public_paid)},
  };
  std::vector<std::string> row;
  row.reserve(layout.data.fields.size());
  for (const auto& f : layout.data.fields) {
    if (f.key == "record_type") {
      row.push_back(f.value);
      continue;
    }
    auto it = values.find(f.key);
    if (it == values.end())
      return fail(ErrorKind::invalid_input, fmt::format("KY04 layout field {} is unknown to the simulator", f.key), f.key);
    row.push_back(it->second);
  }
  return row;
}

Claim claim_from(const csv::ParsedFile& f, std::size_t r) {
  const auto& d = f.layout->data;
  Claim c;
  const std::string kind = str_at(f, r, d.index_of("record_kind"));
  c.record_kind = kind.empty() ? '1' : kind[0];
  c.claim_no = str_at(f, r, d.index_of("claim_no"));
  c.insured_no = str_at(f, r, d.index_of("insured_no"));
  c.service_month = str_at(f, r, d.index_of("service_month"));
  c.office_no = str_at(f, r, d.index_of("office_no"));
  c.service_kind = str_at(f, r, d.index_of("service_kind"));
  const std::string pk = str_at(f, r, d.index_of("payment_kind"));
  c.payment_kind = pk.empty() ? '1' : pk[0];
  c.days = static_cast<int>(int_at(f, r, d.index_of("days")));
  c.units = int_at(f, r, d.index_of("units"));
  c.unit_price = static_cast<int>(int_at(f, r, d.index_of("unit_price")));
  c.total_cost = int_at(f, r, d.index_of("total_cost"));
  c.insurance_paid = int_at(f, r, d.index_of("insurance_paid"));
  c.copayment = int_at(f, r, d.index_of("copayment"));
  c.public_paid = int_at(f, r, d.index_of("public_paid"));
  // The rate the claim was paid at, for a later 修正 priced the same way: paid = ⌊cost × t / 10⌋
  // gives back t = ⌈paid × 10 / cost⌉ exactly while cost ≥ 10 (always: units ≥ 1, price ≥ 10.00 円).
  c.insurance_tenths = is_food_housing(c.service_kind) ? 10
                       : c.total_cost > 0 ? static_cast<int>((c.insurance_paid * 10 + c.total_cost - 1) / c.total_cost)
                                          : 9;
  return c;
}

}  // namespace kaigo::sim::benefit
