// From the facts of one person to the row stored: base date, months, the inputs with their
// sources, the stage and amount from the pure rules, and the explanation in reading order.
#include <set>

#include <fmt/format.h>

#include "eligibility/chargeable_months.hpp"
#include "premium/assessment_internal.hpp"
#include "premium/premium_table_text.hpp"
#include "premium/rules.hpp"

namespace kaigo::premium::detail {
namespace {

// The inputs and the explanation are written as JSON text directly: a yearly run writes two
// documents per person for a million persons, and a DOM per document (nlohmann's maps) cost more
// than everything else the run does. Values are already JSON text when they reach obj()/arr().
std::string q(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += ch;  // UTF-8 passes through
    }
  }
  out += '"';
  return out;
}
std::string num(std::int64_t n) { return std::to_string(n); }
std::string boolean(bool b) { return b ? "true" : "false"; }
const std::string kNull = "null";
std::string obj(std::initializer_list<std::pair<const char*, std::string>> fields) {
  std::string out = "{";
  for (const auto& [k, v] : fields) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += k;
    out += "\":";
    out += v;
  }
  return out + "}";
}
std::string arr(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& i : items) {
    if (out.size() > 1) out += ',';
    out += i;
  }
  return out + "]";
}

std::string source_of(const std::string& table, std::int64_t id, const std::string& source,
                      const std::optional<std::int64_t>& exchange_id) {
  if (exchange_id) return obj({{"table", q(table)}, {"id", num(id)}, {"source", q(source)}, {"exchange_id", num(*exchange_id)}});
  return obj({{"table", q(table)}, {"id", num(id)}, {"source", q(source)}});
}

const DatedFact* covering(const std::vector<DatedFact>& facts, const std::string& day) {
  for (const auto& f : facts)
    if (f.covers(day)) return &f;
  return nullptr;
}

// 賦課基準日 (rules.md §2): 1 April when insured that day, else the first acquisition in FY.
Date base_date_of(const PersonFacts& p, int fy) {
  const Date start = fiscal_year_start(fy);
  std::optional<Date> first;
  for (const auto& period : p.periods) {
    if (period.acquired_on <= start && (!period.lost_on || *period.lost_on > start)) return start;
    if (period.acquired_on >= start && (!first || period.acquired_on < *first)) first = period.acquired_on;
  }
  return first.value_or(start);
}

// The person's household on `day`: their row covering it, else the nearest earlier one, else the first.
const HistoryFact* household_row_on(const std::vector<HistoryFact>& rows, const std::string& day) {
  const HistoryFact* best = nullptr;
  for (const auto& r : rows) {
    if (r.covers(day)) return &r;
    if (r.valid_from <= day && (!best || r.valid_from > best->valid_from)) best = &r;
  }
  if (best) return best;
  for (const auto& r : rows)
    if (!best || r.valid_from < best->valid_from) best = &r;
  return best;
}


std::string explanation_json(const std::vector<ExplanationLine>& lines) {
  std::vector<std::string> items;
  items.reserve(lines.size());
  for (const auto& l : lines) items.push_back(obj({{"label", q(l.label)}, {"text", q(l.text)}}));
  return arr(items);
}

const AnsweredMember* answered_member(const PersonFacts& p, const std::string& person_id) {
  for (const auto& a : p.answered_members)
    if (a.member_person_id == person_id) return &a;
  return nullptr;
}

}  // namespace

std::optional<Computed> compute(const ChunkFacts& facts, const PersonFacts& p, int fy, const PremiumTable& table,
                                const PremiumTableVersion& version) {
  // Chargeable months over every category-1 period (a month counts once even when two periods touch it).
  std::set<std::string> months;
  std::vector<std::string> period_list;
  for (const auto& period : p.periods) {
    for (const auto& m : eligibility::chargeable_months(period, fy).months) months.insert(m.iso().substr(0, 7));
    period_list.push_back(obj({{"acquired_on", q(period.acquired_on.iso())},
                               {"lost_on", period.lost_on ? q(period.lost_on->iso()) : kNull},
                               {"acquisition_reason", q(eligibility::to_code(period.acquisition_reason))},
                               {"loss_reason", period.loss_reason ? q(eligibility::to_code(*period.loss_reason)) : kNull}}));
  }
  if (months.empty() && !p.current) return std::nullopt;

  const Date base = base_date_of(p, fy);
  const std::string day = base.iso();

  AssessmentInputs in;
  std::vector<std::string> month_list;
  for (const auto& m : months) month_list.push_back(q(m));
  std::string tax_json = kNull, assistance_json, pension_json, household_json;
  std::vector<ExplanationLine> lines;
  lines.push_back({"賦課基準日", base == fiscal_year_start(fy) ? fmt::format("{} (4月1日)", day)
                                                               : fmt::format("{} (年度途中の資格取得日)", day)});

  // Self: tax, 生活保護, 老齢福祉年金.
  auto tax = facts.tax.find(p.person_id);
  if (tax != facts.tax.end()) {
    const TaxFact& t = tax->second;
    in.self_taxed = t.taxed;
    in.total_income = t.total_income;
    in.land_sale_special_deduction = t.land_sale_special_deduction;
    in.pension_misc_income = t.pension_misc_income;
    in.salary_income = t.salary_income;
    in.taxable_pension_revenue = t.taxable_pension_income;
    tax_json = obj({{"taxed", boolean(t.taxed)},
                    {"total_income", num(t.total_income)},
                    {"public_pension_income", num(t.public_pension_income)},
                    {"taxable_pension_income", num(t.taxable_pension_income)},
                    {"pension_misc_income", num(t.pension_misc_income)},
                    {"salary_income", num(t.salary_income)},
                    {"land_sale_special_deduction", num(t.land_sale_special_deduction)},
                    {"from", source_of("tax_income", t.tax_income_id, t.source, t.exchange_id)}});
  } else {
    in.income_known = false;
  }
  if (const DatedFact* a = covering(p.assistance, day)) {
    in.public_assistance = true;
    assistance_json = obj({{"kind", q(a->kind)}, {"from", source_of("public_assistance", a->id, a->source, a->exchange_id)}});
  }
  if (const DatedFact* w = covering(p.old_age_welfare, day)) {
    in.old_age_welfare_pension = true;
    pension_json = obj({{"from", source_of("pension", w->id, w->source, w->exchange_id)}});
  }

  // Household on the base date: the other residents of the same household_id that day.
  std::vector<std::string> members;
  int taxed_members = 0, unknown_members = 0;
  auto own = facts.own_rows.find(p.person_id);
  const HistoryFact* row = own == facts.own_rows.end() ? nullptr : household_row_on(own->second, day);
  if (row) {
    household_json = q(row->household_id);
    auto all = facts.household_rows.find(row->household_id);
    std::set<std::string> seen;
    if (all != facts.household_rows.end()) {
      for (const auto& m : all->second) {
        if (m.person_id == p.person_id || !m.covers(day) || m.registry_status != "resident") continue;
        if (!seen.insert(m.person_id).second) continue;
        auto mt = facts.tax.find(m.person_id);
        const AnsweredMember* answer = answered_member(p, m.person_id);
        if (mt == facts.tax.end() && answer && answer->taxed) {
          // Moved in with the person: their tax status as the former city answered it (FK-06).
          members.push_back(obj({{"person_id", q(m.person_id)}, {"taxed", boolean(*answer->taxed)},
                                 {"from", source_of("household_member_tax_status", answer->id, "exchange", answer->exchange_id)}}));
          if (*answer->taxed) {
            ++taxed_members;
            in.household_taxed = true;
          }
        } else if (mt == facts.tax.end()) {
          members.push_back(obj({{"person_id", q(m.person_id)}, {"taxed", kNull}}));
          ++unknown_members;
        } else {
          members.push_back(obj({{"person_id", q(m.person_id)}, {"taxed", boolean(mt->second.taxed)},
                                 {"from", source_of("tax_income", mt->second.tax_income_id, mt->second.source,
                                                    mt->second.exchange_id)}}));
          if (mt->second.taxed) {
            ++taxed_members;
            in.household_taxed = true;
          }
        }
      }
    }
  }
  // Members living elsewhere on the base date, as the former city answered (FK-06): they count
  // towards the household's tax status (施行令38条: 世帯員 of the 賦課期日).
  for (const auto& answer : p.answered_members) {
    if (answer.member_person_id) continue;
    members.push_back(obj({{"member_key", q(answer.member_key)},
                           {"taxed", answer.taxed ? boolean(*answer.taxed) : kNull},
                           {"from", source_of("household_member_tax_status", answer.id, "exchange", answer.exchange_id)}}));
    if (!answer.taxed) {
      ++unknown_members;
    } else if (*answer.taxed) {
      ++taxed_members;
      in.household_taxed = true;
    }
  }
  lines.push_back({"世帯", fmt::format("基準日の世帯員 {}人 (本人を除く): 課税 {}人, 非課税 {}人{}", members.size(),
                                      taxed_members, members.size() - taxed_members - unknown_members,
                                      unknown_members ? fmt::format(", 課税情報なし {}人", unknown_members) : "")});
  if (in.self_taxed) in.household_taxed = true;  // the household includes the person

  Computed out;
  Assessment& a = out.row;
  a.person_id = p.person_id;
  a.fiscal_year = fy;
  a.insured_no = p.insured_no;
  a.base_date = day;
  a.months = static_cast<int>(months.size());
  a.table_name = table.name;
  a.table_sha256 = table.sha256;
  a.table_effective_from = version.effective_from.iso();
  if (months.empty()) {
    a.stage = 0;
    a.stage_label = "賦課なし";
    a.ratio = "0/1";
    lines.push_back({"月数", fmt::format("{}年度に第1号被保険者である月がないため保険料は0円", fy)});
  } else {
    StageDecision d = decide_stage(in, version);
    a.stage = d.stage;
    a.stage_label = d.label;
    a.ratio = d.ratio.str();
    a.reduced = d.reduced;
    a.annual_amount = d.annual_amount;
    for (auto& l : d.explanation) lines.push_back(std::move(l));
    lines.push_back({"月数", fmt::format("{}か月 ({}〜{})", months.size(), *months.begin(), *months.rbegin())});
    a.amount = prorated_amount(d.annual_amount, a.months, version, &lines);
  }
  lines.push_back({"保険料", fmt::format("{}年度 {}円", fy, with_commas(a.amount))});
  std::string inputs = obj({{"base_date", q(day)}, {"fiscal_year", num(fy)}, {"income_year", num(fy - 1)},
                            {"periods", arr(period_list)}, {"months", arr(month_list)}, {"tax", tax_json}});
  inputs.pop_back();  // the optional facts follow, present only when they apply
  if (!assistance_json.empty()) inputs += ",\"public_assistance\":" + assistance_json;
  if (!pension_json.empty()) inputs += ",\"old_age_welfare_pension\":" + pension_json;
  if (!household_json.empty()) inputs += ",\"household_id\":" + household_json;
  inputs += ",\"household_members\":" + arr(members) + "}";
  a.inputs = std::move(inputs);
  a.explanation = explanation_json(lines);
  out.compare_key = compare_key_of(a);
  return out;
}

std::string compare_key_of(const Assessment& a) {
  return fmt::format("{}|{}|{}|{}|{}|{}|{}", a.stage, a.ratio, a.annual_amount, a.months, a.amount, a.base_date,
                     a.explanation);
}

}  // namespace kaigo::premium::detail
