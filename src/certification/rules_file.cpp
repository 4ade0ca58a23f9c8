// The certification rule file (config/rules/certification/*.json, docs/certification-rules.md):
// strict JSON — every key known, every value typed, the bands a partition of [0, ∞), the ranges
// ordered, a cap for each certified level once, every fee key of the workflow once. A fault is
// invalid_input "FILE: PATH: WHAT" with Error::field = the JSON path ("versions[0].bands[2].to_tenths").
#include <algorithm>
#include <array>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "certification/rules.hpp"
#include "core/rule_json.hpp"

namespace kaigo::certification {

namespace {

using nlohmann::json;

// The fee keys the workflow accrues (docs/certification-rules.md): 認定調査委託料 by kind
// (renewal / every other kind = new) and place, 主治医意見書作成料 by first visit and place,
// 審査会委員報酬 per sitting.
constexpr std::array<std::string_view, 10> kFeeKeys{
    "assessment.new.home",      "assessment.new.facility", "assessment.renewal.home", "assessment.renewal.facility",
    "opinion.first.home",       "opinion.first.facility",  "opinion.continued.home",  "opinion.continued.facility",
    "committee.chair",          "committee.member",
};

using rule_json::integer;
using rule_json::join;
using rule_json::keys;
using rule_json::rule_error;
using rule_json::text;

Result<CareLevel> level_at(const json& j, const std::string& file, const std::string& path) {
  if (!j.is_string()) return rule_error(file, path, "expected a care level code");
  auto l = care_level_from_code(j.get<std::string>());
  if (!l) return rule_error(file, path, l.error().message);
  return l;
}

Result<ValidityRange> range_at(const json& j, const std::string& file, const std::string& path) {
  if (auto k = keys(j, file, path, {"default_months", "min_months", "max_months"}); !k) return std::unexpected(k.error());
  auto d = integer(j["default_months"], file, path + ".default_months", 1, 120);
  if (!d) return std::unexpected(d.error());
  auto lo = integer(j["min_months"], file, path + ".min_months", 1, 120);
  if (!lo) return std::unexpected(lo.error());
  auto hi = integer(j["max_months"], file, path + ".max_months", 1, 120);
  if (!hi) return std::unexpected(hi.error());
  if (*lo > *d) return rule_error(file, path + ".min_months", "must not exceed default_months");
  if (*d > *hi) return rule_error(file, path + ".max_months", "must not be less than default_months");
  return ValidityRange{static_cast<int>(*d), static_cast<int>(*lo), static_cast<int>(*hi)};
}

// The bands partition [0, ∞): the first starts at 0, each starts where the previous ends, only the
// last is open-ended, none is empty, and the level never goes down as the minutes go up.
Result<std::vector<MinutesBand>> bands_at(const json& j, const std::string& file, const std::string& path) {
  if (!j.is_array() || j.empty()) return rule_error(file, path, "expected a non-empty array of bands");
  std::vector<MinutesBand> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = fmt::format("{}[{}]", path, i);
    if (auto k = keys(j[i], file, p, {"from_tenths", "level"}, {"to_tenths", "level_if_cognitive_or_unstable"}); !k)
      return std::unexpected(k.error());
    MinutesBand b;
    auto from = integer(j[i]["from_tenths"], file, p + ".from_tenths", 0, 100'000);
    if (!from) return std::unexpected(from.error());
    b.from_tenths = *from;
    if (j[i].contains("to_tenths")) {
      auto to = integer(j[i]["to_tenths"], file, p + ".to_tenths", 0, 100'000);
      if (!to) return std::unexpected(to.error());
      if (*to <= b.from_tenths) return rule_error(file, p + ".to_tenths", "must be greater than from_tenths (an empty band is unreachable)");
      b.to_tenths = *to;
    }
    auto level = level_at(j[i]["level"], file, p + ".level");
    if (!level) return std::unexpected(level.error());
    b.level = *level;
    if (j[i].contains("level_if_cognitive_or_unstable")) {
      auto alt = level_at(j[i]["level_if_cognitive_or_unstable"], file, p + ".level_if_cognitive_or_unstable");
      if (!alt) return std::unexpected(alt.error());
      if (*alt <= b.level)
        return rule_error(file, p + ".level_if_cognitive_or_unstable", "must be a higher level than the band's level");
      b.level_if_cognitive_or_unstable = *alt;
    }
    out.push_back(b);
  }
  // Sorted first, so a swapped pair is reported as such rather than as a gap.
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i].from_tenths < out[i - 1].from_tenths)
      return rule_error(file, fmt::format("{}[{}].from_tenths", path, i), "bands must be sorted by from_tenths");
  if (out.front().from_tenths != 0)
    return rule_error(file, path + "[0].from_tenths", "the first band must start at 0 (a gap below it)");
  for (size_t i = 1; i < out.size(); ++i) {
    const std::string p = fmt::format("{}[{}]", path, i);
    const MinutesBand& prev = out[i - 1];
    if (!prev.to_tenths)
      return rule_error(file, p, fmt::format("unreachable: {}[{}] has no to_tenths and already covers every minute above it", path, i - 1));
    if (out[i].from_tenths > *prev.to_tenths)
      return rule_error(file, p + ".from_tenths", fmt::format("gap: the previous band ends at {}", *prev.to_tenths));
    if (out[i].from_tenths < *prev.to_tenths)
      return rule_error(file, p + ".from_tenths", fmt::format("overlap: the previous band ends at {}", *prev.to_tenths));
    if (out[i].level < prev.level) return rule_error(file, p + ".level", "the level must not go down as the minutes go up");
  }
  if (out.back().to_tenths)
    return rule_error(file, fmt::format("{}[{}].to_tenths", path, out.size() - 1),
                      "the last band must have no to_tenths (a gap above it)");
  return out;
}

Result<std::vector<std::pair<CareLevel, std::int64_t>>> caps_at(const json& j, const std::string& file,
                                                                const std::string& path) {
  if (!j.is_array()) return rule_error(file, path, "expected an array of {\"level\", \"units\"}");
  std::vector<std::pair<CareLevel, std::int64_t>> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = fmt::format("{}[{}]", path, i);
    if (auto k = keys(j[i], file, p, {"level", "units"}); !k) return std::unexpected(k.error());
    auto level = level_at(j[i]["level"], file, p + ".level");
    if (!level) return std::unexpected(level.error());
    if (!is_certified(*level)) return rule_error(file, p + ".level", "非該当 has no monthly benefit cap");
    if (std::any_of(out.begin(), out.end(), [&](const auto& c) { return c.first == *level; }))
      return rule_error(file, p + ".level", fmt::format("{} listed twice", to_code(*level)));
    auto units = integer(j[i]["units"], file, p + ".units", 1, 10'000'000);
    if (!units) return std::unexpected(units.error());
    out.emplace_back(*level, *units);
  }
  for (CareLevel l : {CareLevel::support_1, CareLevel::support_2, CareLevel::care_1, CareLevel::care_2, CareLevel::care_3,
                      CareLevel::care_4, CareLevel::care_5})
    if (std::none_of(out.begin(), out.end(), [&](const auto& c) { return c.first == l; }))
      return rule_error(file, path, fmt::format("missing the cap of {}", to_code(l)));
  return out;
}

Result<std::vector<FeeAmount>> fees_at(const json& j, const std::string& file, const std::string& path) {
  if (!j.is_array()) return rule_error(file, path, "expected an array of {\"key\", \"yen\", \"label\"}");
  std::vector<FeeAmount> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = fmt::format("{}[{}]", path, i);
    if (auto k = keys(j[i], file, p, {"key", "yen", "label"}); !k) return std::unexpected(k.error());
    auto key = text(j[i]["key"], file, p + ".key");
    if (!key) return std::unexpected(key.error());
    if (std::find(kFeeKeys.begin(), kFeeKeys.end(), *key) == kFeeKeys.end())
      return rule_error(file, p + ".key", fmt::format("unknown fee key '{}'", *key));
    if (std::any_of(out.begin(), out.end(), [&](const FeeAmount& f) { return f.key == *key; }))
      return rule_error(file, p + ".key", fmt::format("fee '{}' listed twice", *key));
    auto yen = integer(j[i]["yen"], file, p + ".yen", 0, 10'000'000);
    if (!yen) return std::unexpected(yen.error());
    auto lbl = text(j[i]["label"], file, p + ".label");
    if (!lbl) return std::unexpected(lbl.error());
    out.push_back(FeeAmount{*key, *yen, *lbl});
  }
  for (std::string_view k : kFeeKeys)
    if (std::none_of(out.begin(), out.end(), [&](const FeeAmount& f) { return f.key == k; }))
      return rule_error(file, path, fmt::format("missing the fee '{}'", k));
  return out;
}

Result<CertificationRulesVersion> version_at(const json& v, const std::string& file, const std::string& p) {
  if (auto k = keys(v, file, p,
                    {"effective_from", "source", "deadline_days", "warn_days_before", "renewal_window_days",
                     "transfer_certificate_days", "bands", "validity", "monthly_cap_units", "fees"});
      !k)
    return std::unexpected(k.error());
  CertificationRulesVersion out;
  if (!v["effective_from"].is_string()) return rule_error(file, p + ".effective_from", "expected YYYY-MM-DD");
  auto from = Date::parse(v["effective_from"].get<std::string>());
  if (!from) return rule_error(file, p + ".effective_from", "not a date (YYYY-MM-DD)");
  out.effective_from = *from;
  auto source = text(v["source"], file, p + ".source");
  if (!source) return std::unexpected(source.error());
  out.source = *source;
  auto deadline = integer(v["deadline_days"], file, p + ".deadline_days", 1, 365);
  if (!deadline) return std::unexpected(deadline.error());
  out.deadline_days = static_cast<int>(*deadline);
  auto warn = integer(v["warn_days_before"], file, p + ".warn_days_before", 0, 365);
  if (!warn) return std::unexpected(warn.error());
  if (*warn >= *deadline) return rule_error(file, p + ".warn_days_before", "must be less than deadline_days");
  out.warn_days_before = static_cast<int>(*warn);
  auto window = integer(v["renewal_window_days"], file, p + ".renewal_window_days", 1, 365);
  if (!window) return std::unexpected(window.error());
  out.renewal_window_days = static_cast<int>(*window);
  auto transfer = integer(v["transfer_certificate_days"], file, p + ".transfer_certificate_days", 1, 365);
  if (!transfer) return std::unexpected(transfer.error());
  out.transfer_certificate_days = static_cast<int>(*transfer);

  auto bands = bands_at(v["bands"], file, p + ".bands");
  if (!bands) return std::unexpected(bands.error());
  out.bands = std::move(*bands);

  const json& val = v["validity"];
  const std::string pv = p + ".validity";
  if (auto k = keys(val, file, pv, {"new_or_change", "renewal_same_level", "renewal_other_level"}); !k)
    return std::unexpected(k.error());
  auto noc = range_at(val["new_or_change"], file, pv + ".new_or_change");
  if (!noc) return std::unexpected(noc.error());
  auto same = range_at(val["renewal_same_level"], file, pv + ".renewal_same_level");
  if (!same) return std::unexpected(same.error());
  auto other = range_at(val["renewal_other_level"], file, pv + ".renewal_other_level");
  if (!other) return std::unexpected(other.error());
  out.new_or_change = *noc;
  out.renewal_same_level = *same;
  out.renewal_other_level = *other;

  auto caps = caps_at(v["monthly_cap_units"], file, p + ".monthly_cap_units");
  if (!caps) return std::unexpected(caps.error());
  out.monthly_cap_units = std::move(*caps);
  auto fees = fees_at(v["fees"], file, p + ".fees");
  if (!fees) return std::unexpected(fees.error());
  out.fees = std::move(*fees);
  return out;
}

}  // namespace

Result<CertificationRules> parse_certification_rules(const std::string& json_text, const std::string& file_name) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) return rule_error(file_name, "(top)", "not valid JSON");
  if (auto k = keys(doc, file_name, "", {"name", "versions"}); !k) return std::unexpected(k.error());
  if (auto n = text(doc["name"], file_name, "name"); !n) return std::unexpected(n.error());
  if (!doc["versions"].is_array() || doc["versions"].empty())
    return rule_error(file_name, "versions", "expected at least one version");
  CertificationRules rules;
  rules.file_name = file_name;
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

// Every *.json of the directory, in name order; the versions of all files merged by date. Two
// versions on one day (in one file or two) are refused: which one applies would be a guess.
Result<CertificationRules> load_certification_rules(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return fail(ErrorKind::invalid_input, fmt::format("{}: not a directory of certification rules", dir.string()),
                "rules");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  if (ec) return fail(ErrorKind::invalid_input, fmt::format("{}: cannot be listed", dir.string()), "rules");
  if (files.empty())
    return fail(ErrorKind::invalid_input, fmt::format("{}: no *.json certification rule file", dir.string()), "rules");
  std::sort(files.begin(), files.end());

  CertificationRules merged;
  std::vector<std::pair<std::string, std::string>> origin;  // per merged version: file, JSON path
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return fail(ErrorKind::invalid_input, fmt::format("{}: cannot be read", f.string()), "rules");
    std::stringstream buf;
    buf << in.rdbuf();
    auto one = parse_certification_rules(buf.str(), f.string());
    if (!one) return std::unexpected(one.error());
    merged.file_name += (merged.file_name.empty() ? "" : ", ") + f.string();
    for (size_t i = 0; i < one->versions.size(); ++i) {
      const std::string p = fmt::format("versions[{}].effective_from", i);
      for (size_t j = 0; j < merged.versions.size(); ++j)
        if (merged.versions[j].effective_from == one->versions[i].effective_from)
          return rule_error(f.string(), p,
                            fmt::format("another version takes effect on the same day ({}: {})", origin[j].first,
                                        origin[j].second));
      merged.versions.push_back(std::move(one->versions[i]));
      origin.emplace_back(f.string(), p);
    }
  }
  std::sort(merged.versions.begin(), merged.versions.end(),
            [](const auto& a, const auto& b) { return a.effective_from < b.effective_from; });
  return merged;
}

}  // namespace kaigo::certification
