// The benefit rule file (config/rules/benefit/*.json, docs/benefit-rules.md): strict JSON — every
// key known ("_comment" allowed anywhere), every value typed and within its range, the caps one per
// income category and all six present, the co-payment thresholds ordered (3割 above 2割), the
// 合算 limits one per (age band, income class), versions ascending by effective_from. A fault is
// invalid_input "FILE: PATH: WHAT" with Error::field = the JSON path ("versions[1].high_cost.caps[2].household").
#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/rules.hpp"
#include "core/rule_json.hpp"

namespace kaigo::benefit {

namespace {

using nlohmann::json;

// A yen figure of the rules is at most 100 million (the largest, 合算 limits, are 212万).
constexpr std::int64_t kMaxYen = 100'000'000;

using rule_json::integer;
using rule_json::join;
using rule_json::keys;
using rule_json::rule_error;
using rule_json::text;

Result<CopaymentThresholds> copayment_at(const json& j, const std::string& file, const std::string& p) {
  if (auto k = keys(j, file, p,
                    {"rate3_total_income", "rate3_single", "rate3_multi", "rate2_total_income", "rate2_single",
                     "rate2_multi"});
      !k)
    return std::unexpected(k.error());
  std::int64_t v[6];
  const char* names[6] = {"rate3_total_income", "rate3_single", "rate3_multi",
                          "rate2_total_income", "rate2_single", "rate2_multi"};
  for (int i = 0; i < 6; ++i) {
    auto x = integer(j[names[i]], file, join(p, names[i]), 1, kMaxYen);
    if (!x) return std::unexpected(x.error());
    v[i] = *x;
  }
  CopaymentThresholds t{v[0], v[1], v[2], v[3], v[4], v[5]};
  // 3割 is the higher band: each of its thresholds above 2割's, or 2割 would never apply.
  if (t.rate3_total_income <= t.rate2_total_income)
    return rule_error(file, p + ".rate3_total_income", "must be greater than rate2_total_income");
  if (t.rate3_single <= t.rate2_single) return rule_error(file, p + ".rate3_single", "must be greater than rate2_single");
  if (t.rate3_multi <= t.rate2_multi) return rule_error(file, p + ".rate3_multi", "must be greater than rate2_multi");
  // A household of two or more has the higher threshold (rules.md §4).
  if (t.rate3_multi < t.rate3_single) return rule_error(file, p + ".rate3_multi", "must not be less than rate3_single");
  if (t.rate2_multi < t.rate2_single) return rule_error(file, p + ".rate2_multi", "must not be less than rate2_single");
  return t;
}

Result<void> high_cost_at(const json& j, const std::string& file, const std::string& p, BenefitRulesVersion& out) {
  if (auto k = keys(j, file, p, {"taxable_690", "taxable_380", "low_income_limit", "caps"}); !k) return k;
  auto t690 = integer(j["taxable_690"], file, p + ".taxable_690", 1, kMaxYen);
  if (!t690) return std::unexpected(t690.error());
  auto t380 = integer(j["taxable_380"], file, p + ".taxable_380", 1, kMaxYen);
  if (!t380) return std::unexpected(t380.error());
  if (*t380 >= *t690) return rule_error(file, p + ".taxable_380", "must be less than taxable_690");
  auto low = integer(j["low_income_limit"], file, p + ".low_income_limit", 1, kMaxYen);
  if (!low) return std::unexpected(low.error());
  out.taxable_690 = *t690;
  out.taxable_380 = *t380;
  out.low_income_limit = *low;

  const json& caps = j["caps"];
  const std::string pc = p + ".caps";
  if (!caps.is_array()) return rule_error(file, pc, "expected an array of {\"category\", \"household\", \"individual\"?}");
  for (size_t i = 0; i < caps.size(); ++i) {
    const std::string pi = fmt::format("{}[{}]", pc, i);
    if (auto k = keys(caps[i], file, pi, {"category", "household"}, {"individual"}); !k) return k;
    if (!caps[i]["category"].is_string()) return rule_error(file, pi + ".category", "expected an income category code");
    auto c = income_category_from_code(caps[i]["category"].get<std::string>());
    if (!c) return rule_error(file, pi + ".category", c.error().message);
    if (std::any_of(out.high_cost_caps.begin(), out.high_cost_caps.end(), [&](const auto& e) { return e.first == *c; }))
      return rule_error(file, pi + ".category", fmt::format("{} listed twice", to_code(*c)));
    HighCostCap cap;
    auto h = integer(caps[i]["household"], file, pi + ".household", 1, kMaxYen);
    if (!h) return std::unexpected(h.error());
    cap.household = *h;
    if (caps[i].contains("individual")) {
      auto ind = integer(caps[i]["individual"], file, pi + ".individual", 1, kMaxYen);
      if (!ind) return std::unexpected(ind.error());
      if (*ind > cap.household) return rule_error(file, pi + ".individual", "must not exceed the household cap");
      cap.individual = *ind;
    }
    out.high_cost_caps.emplace_back(*c, cap);
  }
  for (IncomeCategory c : {IncomeCategory::taxable_690, IncomeCategory::taxable_380, IncomeCategory::taxed,
                           IncomeCategory::household_untaxed, IncomeCategory::low_income, IncomeCategory::public_assistance})
    if (std::none_of(out.high_cost_caps.begin(), out.high_cost_caps.end(), [&](const auto& e) { return e.first == c; }))
      return rule_error(file, pc, fmt::format("missing the cap of {}", to_code(c)));
  return {};
}

Result<void> combined_at(const json& j, const std::string& file, const std::string& p, BenefitRulesVersion& out) {
  if (auto k = keys(j, file, p, {"minimum", "limits"}); !k) return k;
  auto minimum = integer(j["minimum"], file, p + ".minimum", 0, kMaxYen);
  if (!minimum) return std::unexpected(minimum.error());
  out.combined_minimum = *minimum;
  const json& limits = j["limits"];
  const std::string pl = p + ".limits";
  if (!limits.is_array() || limits.empty())
    return rule_error(file, pl, "expected a non-empty array of {\"age_band\", \"income_class\", \"limit\"}");
  for (size_t i = 0; i < limits.size(); ++i) {
    const std::string pi = fmt::format("{}[{}]", pl, i);
    if (auto k = keys(limits[i], file, pi, {"age_band", "income_class", "limit"}); !k) return k;
    auto band = text(limits[i]["age_band"], file, pi + ".age_band");
    if (!band) return std::unexpected(band.error());
    if (*band != "70_plus" && *band != "under_70") return rule_error(file, pi + ".age_band", "must be 70_plus or under_70");
    auto cls = text(limits[i]["income_class"], file, pi + ".income_class");
    if (!cls) return std::unexpected(cls.error());
    auto limit = integer(limits[i]["limit"], file, pi + ".limit", 1, kMaxYen);
    if (!limit) return std::unexpected(limit.error());
    if (std::any_of(out.combined_limits.begin(), out.combined_limits.end(),
                    [&](const CombinedLimit& l) { return l.age_band == *band && l.income_class == *cls; }))
      return rule_error(file, pi + ".income_class", fmt::format("{} / {} listed twice", *band, *cls));
    out.combined_limits.push_back(CombinedLimit{*band, *cls, *limit});
  }
  return {};
}

Result<void> repayment_at(const json& j, const std::string& file, const std::string& p, BenefitRulesVersion& out) {
  if (auto k = keys(j, file, p, {"surcharge_numerator", "surcharge_denominator", "due_days"}); !k) return k;
  auto num = integer(j["surcharge_numerator"], file, p + ".surcharge_numerator", 0, 1'000'000);
  if (!num) return std::unexpected(num.error());
  auto den = integer(j["surcharge_denominator"], file, p + ".surcharge_denominator", 1, 1'000'000);
  if (!den) return std::unexpected(den.error());
  // 法22条3項: 100分の40 at most — a file asking for more than the whole is surely a typo.
  if (*num > *den) return rule_error(file, p + ".surcharge_numerator", "must not exceed surcharge_denominator");
  auto due = integer(j["due_days"], file, p + ".due_days", 1, 365);
  if (!due) return std::unexpected(due.error());
  out.surcharge_numerator = *num;
  out.surcharge_denominator = *den;
  out.repayment_due_days = static_cast<int>(*due);
  return {};
}

Result<BenefitRulesVersion> version_at(const json& v, const std::string& file, const std::string& p) {
  if (auto k = keys(v, file, p, {"effective_from", "source", "copayment", "high_cost", "combined", "repayment"}); !k)
    return std::unexpected(k.error());
  BenefitRulesVersion out;
  if (!v["effective_from"].is_string()) return rule_error(file, p + ".effective_from", "expected YYYY-MM-DD");
  auto from = Date::parse(v["effective_from"].get<std::string>());
  if (!from) return rule_error(file, p + ".effective_from", "not a date (YYYY-MM-DD)");
  out.effective_from = *from;
  auto source = text(v["source"], file, p + ".source");
  if (!source) return std::unexpected(source.error());
  out.source = *source;
  auto co = copayment_at(v["copayment"], file, p + ".copayment");
  if (!co) return std::unexpected(co.error());
  out.copayment = *co;
  if (auto ok = high_cost_at(v["high_cost"], file, p + ".high_cost", out); !ok) return std::unexpected(ok.error());
  if (auto ok = combined_at(v["combined"], file, p + ".combined", out); !ok) return std::unexpected(ok.error());
  if (auto ok = repayment_at(v["repayment"], file, p + ".repayment", out); !ok) return std::unexpected(ok.error());
  return out;
}

}  // namespace

Result<BenefitRules> parse_benefit_rules(const std::string& json_text, const std::string& file_name) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) return rule_error(file_name, "(top)", "not valid JSON");
  if (auto k = keys(doc, file_name, "", {"name", "versions"}); !k) return std::unexpected(k.error());
  if (auto n = text(doc["name"], file_name, "name"); !n) return std::unexpected(n.error());
  if (!doc["versions"].is_array() || doc["versions"].empty())
    return rule_error(file_name, "versions", "expected at least one version");
  BenefitRules rules;
  for (size_t i = 0; i < doc["versions"].size(); ++i) {
    const std::string p = fmt::format("versions[{}]", i);
    auto v = version_at(doc["versions"][i], file_name, p);
    if (!v) return std::unexpected(v.error());
    if (!rules.versions.empty() && v->effective_from == rules.versions.back().effective_from)
      return rule_error(file_name, p + ".effective_from", "two versions take effect on the same day");
    if (!rules.versions.empty() && v->effective_from < rules.versions.back().effective_from)
      return rule_error(file_name, p + ".effective_from", "versions must be in ascending order of effective_from");
    rules.versions.push_back(std::move(*v));
  }
  return rules;
}

// Every *.json of the directory in name order, the versions merged by date. Two versions on one
// day (in one file or two) are refused: which one applies would be a guess.
Result<BenefitRules> load_benefit_rules(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return fail(ErrorKind::invalid_input, fmt::format("{}: not a directory of benefit rules", dir.string()), "rules");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  if (ec) return fail(ErrorKind::invalid_input, fmt::format("{}: cannot be listed", dir.string()), "rules");
  if (files.empty())
    return fail(ErrorKind::invalid_input, fmt::format("{}: no *.json benefit rule file", dir.string()), "rules");
  std::sort(files.begin(), files.end());

  BenefitRules merged;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return fail(ErrorKind::invalid_input, fmt::format("{}: cannot be read", f.string()), "rules");
    std::stringstream buf;
    buf << in.rdbuf();
    auto one = parse_benefit_rules(buf.str(), f.string());
    if (!one) return std::unexpected(one.error());
    for (size_t i = 0; i < one->versions.size(); ++i) {
      for (const auto& have : merged.versions)
        if (have.effective_from == one->versions[i].effective_from)
          return rule_error(f.string(), fmt::format("versions[{}].effective_from", i),
                            "another file has a version taking effect on the same day");
      merged.versions.push_back(std::move(one->versions[i]));
    }
  }
  std::sort(merged.versions.begin(), merged.versions.end(),
            [](const auto& a, const auto& b) { return a.effective_from < b.effective_from; });
  return merged;
}

Result<const BenefitRulesVersion*> BenefitRules::on(Date d) const {
  const BenefitRulesVersion* found = nullptr;
  for (const auto& v : versions)
    if (v.effective_from <= d) found = &v;
  if (!found)
    return fail(ErrorKind::not_found, fmt::format("no benefit rules in effect on {}", d.iso()), "date");
  return found;
}

}  // namespace kaigo::benefit
