// BenefitConfig::load: the benefit rule files, the two code lists and the 国保連 layouts, validated
// at start so a bad line stops the server naming the file, the line and the column (codes.hpp).
#include "benefit/codes.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/tsv.hpp"

namespace kaigo::benefit {

namespace {

bool is_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<bool> flag(const TsvTable& t, const std::vector<std::string>& row, int line, const std::string& column) {
  const std::string& v = t.cell(row, column);
  if (v == "1") return true;
  if (v == "0") return false;
  return tsv_error(t.path, line, column, "must be 1 or 0");
}

Result<std::string> required_text(const TsvTable& t, const std::vector<std::string>& row, int line, const std::string& column) {
  const std::string& v = t.cell(row, column);
  if (v.empty()) return tsv_error(t.path, line, column, "is required");
  return v;
}

}  // namespace

Result<std::vector<ServiceKind>> load_service_kinds(const std::filesystem::path& file) {
  auto t = read_tsv(file, {"code", "name", "counts_for_high_cost", "needs_care_plan"});
  if (!t) return std::unexpected(t.error());
  std::vector<ServiceKind> out;
  for (const auto& [line, row] : t->rows) {
    ServiceKind k;
    k.code = t->cell(row, "code");
    // Two digits: the KY-04 field サービス種類コード is kind 9, max 2 (config/layouts/kokuhoren).
    if (k.code.size() != 2 || !is_digits(k.code)) return tsv_error(t->path, line, "code", "must be 2 digits");
    if (std::any_of(out.begin(), out.end(), [&](const ServiceKind& s) { return s.code == k.code; }))
      return tsv_error(t->path, line, "code", fmt::format("{} appears twice", k.code));
    auto name = required_text(*t, row, line, "name");
    if (!name) return std::unexpected(name.error());
    k.name = *name;
    auto counts = flag(*t, row, line, "counts_for_high_cost");
    if (!counts) return std::unexpected(counts.error());
    k.counts_for_high_cost = *counts;
    auto plan = flag(*t, row, line, "needs_care_plan");
    if (!plan) return std::unexpected(plan.error());
    k.needs_care_plan = *plan;
    out.push_back(std::move(k));
  }
  if (out.empty()) return fail(ErrorKind::invalid_input, fmt::format("{}: no service kind", file.string()), "code");
  return out;
}

Result<std::vector<CareOffice>> load_care_offices(const std::filesystem::path& file) {
  auto t = read_tsv(file, {"office_no", "name", "address", "service_kinds", "makes_care_plans"});
  if (!t) return std::unexpected(t.error());
  std::vector<CareOffice> out;
  for (const auto& [line, row] : t->rows) {
    CareOffice o;
    o.office_no = t->cell(row, "office_no");
    if (o.office_no.size() != 10 || !is_digits(o.office_no))
      return tsv_error(t->path, line, "office_no", "must be 10 digits (事業所番号)");
    if (std::any_of(out.begin(), out.end(), [&](const CareOffice& c) { return c.office_no == o.office_no; }))
      return tsv_error(t->path, line, "office_no", fmt::format("{} appears twice", o.office_no));
    auto name = required_text(*t, row, line, "name");
    if (!name) return std::unexpected(name.error());
    o.name = *name;
    auto address = required_text(*t, row, line, "address");
    if (!address) return std::unexpected(address.error());
    o.address = *address;
    const std::string& kinds = t->cell(row, "service_kinds");
    if (kinds.empty()) return tsv_error(t->path, line, "service_kinds", "is required (at least one サービス種類コード)");
    for (const auto& k : split(kinds, '|')) {
      if (k.size() != 2 || !is_digits(k))
        return tsv_error(t->path, line, "service_kinds", fmt::format("'{}' is not a 2-digit サービス種類コード", k));
      if (!o.service_kinds.insert(k).second)
        return tsv_error(t->path, line, "service_kinds", fmt::format("{} appears twice", k));
    }
    auto plans = flag(*t, row, line, "makes_care_plans");
    if (!plans) return std::unexpected(plans.error());
    o.makes_care_plans = *plans;
    // A care plan is made by a 居宅介護支援事業所 (43) or, for 要支援, a 地域包括支援センター
    // giving 介護予防支援 (46) (法46条, 58条).
    if (o.makes_care_plans && !o.service_kinds.contains("43") && !o.service_kinds.contains("46"))
      return tsv_error(t->path, line, "makes_care_plans", "an office making care plans provides 43 or 46");
    out.push_back(std::move(o));
  }
  if (out.empty()) return fail(ErrorKind::invalid_input, fmt::format("{}: no care office", file.string()), "office_no");
  return out;
}

Result<BenefitConfig> BenefitConfig::load(const std::filesystem::path& config_dir) {
  BenefitConfig c;
  auto rules = load_benefit_rules(config_dir / "rules" / "benefit");
  if (!rules) return std::unexpected(rules.error());
  c.rules = std::move(*rules);
  const auto kinds_file = config_dir / "codes" / "service_kinds.tsv";
  auto kinds = load_service_kinds(kinds_file);
  if (!kinds) return std::unexpected(kinds.error());
  c.service_kinds = std::move(*kinds);
  const auto offices_file = config_dir / "codes" / "care_offices.tsv";
  auto offices = load_care_offices(offices_file);
  if (!offices) return std::unexpected(offices.error());
  c.offices = std::move(*offices);
  // Every kind an office provides is in the service kind list (a typo would make its claims fail).
  auto table = read_tsv(offices_file, {"office_no", "service_kinds"});
  if (!table) return std::unexpected(table.error());
  for (std::size_t i = 0; i < c.offices.size(); ++i)
    for (const auto& k : c.offices[i].service_kinds)
      if (!c.service_kind(k))
        return tsv_error(offices_file, table->rows[i].first, "service_kinds",
                         fmt::format("{} is not in {}", k, kinds_file.filename().string()));
  auto layouts = csv::load_layouts(config_dir / "layouts" / "kokuhoren");
  if (!layouts) return std::unexpected(layouts.error());
  c.layouts = std::move(*layouts);
  return c;
}

const ServiceKind* BenefitConfig::service_kind(std::string_view code) const {
  for (const auto& k : service_kinds)
    if (k.code == code) return &k;
  return nullptr;
}

const CareOffice* BenefitConfig::office(std::string_view office_no) const {
  for (const auto& o : offices)
    if (o.office_no == office_no) return &o;
  return nullptr;
}

}  // namespace kaigo::benefit
