#include "premium/premium_inputs_answers.hpp"

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "eligibility/movement_case_answers.hpp"

namespace kaigo::premium {

namespace {

using nlohmann::json;

// Amounts beyond this are not an income a municipality records (1兆円): a broken answer.
constexpr std::int64_t kMaxYen = 1'000'000'000'000;

std::string field_name(std::string_view item) { return fmt::format("answer.items.{}", item); }

struct Doc {
  json items;
  json null_reasons;
};

Result<Doc> doc_of(const std::string& answer_json) {
  json doc = json::parse(answer_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return fail(ErrorKind::invalid_input, "the answer is not a JSON object", "answer");
  auto it = doc.find("items");
  if (it == doc.end() || !it->is_object()) return fail(ErrorKind::invalid_input, "the answer has no items object", "answer.items");
  Doc d{*it, json::object()};
  if (auto n = doc.find("null_reasons"); n != doc.end() && !n->is_null()) {
    if (!n->is_object()) return fail(ErrorKind::invalid_input, "null_reasons must be an object", "answer.null_reasons");
    d.null_reasons = *n;
  }
  return d;
}

// An answer that names a person names the one asked (the 中間サーバー maps 符号 back to our number).
Result<void> same_person(const json& items, const std::string& person_id) {
  auto it = items.find("person_id");
  if (it == items.end() || it->is_null()) return {};
  if (!it->is_string() || it->get<std::string>() != person_id)
    return fail(ErrorKind::invalid_input, "the answer is about another person than the one asked", field_name("person_id"));
  return {};
}

// A yen amount: an integer item; an item left out with null reason 該当なし is 0 (nothing applies);
// 保有なし or missing is an error (the city does not hold it: kaigo cannot use the answer).
Result<std::int64_t> yen(const Doc& d, const char* item, bool may_be_negative = false) {
  auto it = d.items.find(item);
  if (it == d.items.end() || it->is_null()) {
    auto why = d.null_reasons.find(item);
    if (why != d.null_reasons.end() && why->is_string() && why->get<std::string>() == "該当なし") return 0;
    return fail(ErrorKind::invalid_input, fmt::format("the answer lacks {}", item), field_name(item));
  }
  if (!it->is_number_integer()) return fail(ErrorKind::invalid_input, fmt::format("{} must be an integer (yen)", item), field_name(item));
  const std::int64_t v = it->get<std::int64_t>();
  if (!may_be_negative && v < 0) return fail(ErrorKind::invalid_input, fmt::format("{} must not be negative", item), field_name(item));
  if (v > kMaxYen || v < -kMaxYen) return fail(ErrorKind::invalid_input, fmt::format("{} is out of range", item), field_name(item));
  return v;
}

// 1/0 or true/false.
Result<std::optional<bool>> flag(const json& obj, const char* item, const std::string& field) {
  auto it = obj.find(item);
  if (it == obj.end() || it->is_null()) return std::optional<bool>{};
  if (it->is_boolean()) return std::optional<bool>{it->get<bool>()};
  if (it->is_number_integer() && (it->get<std::int64_t>() == 0 || it->get<std::int64_t>() == 1))
    return std::optional<bool>{it->get<std::int64_t>() == 1};
  return fail(ErrorKind::invalid_input, fmt::format("{} must be 1 (課税) or 0 (非課税)", item), field);
}

Result<Date> date_item(const json& items, const char* item) {
  auto it = items.find(item);
  if (it == items.end() || !it->is_string()) return fail(ErrorKind::invalid_input, fmt::format("the answer lacks {}", item), field_name(item));
  auto d = Date::parse(it->get<std::string>());
  if (!d) return fail(ErrorKind::invalid_input, fmt::format("{} is not a date (YYYY-MM-DD)", item), field_name(item));
  return *d;
}

Result<std::optional<Date>> opt_date_item(const json& items, const char* item) {
  auto it = items.find(item);
  if (it == items.end() || it->is_null()) return std::optional<Date>{};
  auto d = date_item(items, item);
  if (!d) return std::unexpected(d.error());
  return std::optional<Date>{*d};
}

std::optional<std::string> opt_text(const json& obj, const char* item) {
  auto it = obj.find(item);
  if (it == obj.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

bool digits(std::string_view s, std::size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

Result<LocalTaxAnswer> parse_local_tax_answer(const std::string& answer_json, const std::string& person_id, int income_year) {
  auto d = doc_of(answer_json);
  if (!d) return std::unexpected(d.error());
  if (auto p = same_person(d->items, person_id); !p) return std::unexpected(p.error());
  LocalTaxAnswer a;
  auto year = d->items.find("tax_year");
  if (year == d->items.end() || !year->is_number_integer())
    return fail(ErrorKind::invalid_input, "the answer lacks tax_year (the income year)", field_name("tax_year"));
  if (year->get<std::int64_t>() != income_year)
    return fail(ErrorKind::invalid_input, fmt::format("tax_year is not the income year {} asked", income_year), field_name("tax_year"));
  a.tax_year = income_year;
  struct Item {
    const char* name;
    std::int64_t* target;
    bool negative;
  };
  for (auto [name, target, negative] :
       {Item{"total_income", &a.total_income, true}, Item{"public_pension_income", &a.public_pension_income, false},
        Item{"taxable_pension_income", &a.taxable_pension_income, false},
        Item{"pension_misc_income", &a.pension_misc_income, false}, Item{"salary_income", &a.salary_income, false},
        Item{"land_sale_special_deduction", &a.land_sale_special_deduction, false},
        Item{"taxable_income", &a.taxable_income, false}}) {
    auto v = yen(*d, name, negative);
    if (!v) return std::unexpected(v.error());
    *target = *v;
  }
  auto taxed = flag(d->items, "resident_tax_taxed", field_name("resident_tax_taxed"));
  if (!taxed) return std::unexpected(taxed.error());
  if (!*taxed) return fail(ErrorKind::invalid_input, "the answer lacks resident_tax_taxed", field_name("resident_tax_taxed"));
  a.resident_tax_taxed = **taxed;
  // Impossible combinations: 課税年金収入額 is part of 公的年金等収入; the 雑所得 of pensions is
  // what remains of that revenue after the 公的年金等控除, never more than it.
  if (a.taxable_pension_income > a.public_pension_income)
    return fail(ErrorKind::invalid_input, "taxable_pension_income exceeds public_pension_income", field_name("taxable_pension_income"));
  if (a.pension_misc_income > a.public_pension_income)
    return fail(ErrorKind::invalid_input, "pension_misc_income exceeds public_pension_income", field_name("pension_misc_income"));
  if (!a.resident_tax_taxed && a.taxable_income > 0)
    return fail(ErrorKind::invalid_input, "an untaxed person with a taxable income", field_name("taxable_income"));
  return a;
}

Result<HouseholdAnswer> parse_household_answer(const std::string& answer_json, const std::string& person_id) {
  auto d = doc_of(answer_json);
  if (!d) return std::unexpected(d.error());
  if (auto p = same_person(d->items, person_id); !p) return std::unexpected(p.error());
  HouseholdAnswer a;
  a.household_id = opt_text(d->items, "household_id");
  auto household_taxed = flag(d->items, "resident_tax_taxed", field_name("resident_tax_taxed"));
  if (!household_taxed) return std::unexpected(household_taxed.error());
  a.household_taxed = *household_taxed;
  auto m = d->items.find("members");
  if (m == d->items.end() || !m->is_array() || m->empty())
    return fail(ErrorKind::invalid_input, "the answer lists no household members", field_name("members"));
  std::set<std::string> keys;
  bool any_person_id = false, asked_is_member = false, any_taxed = false;
  for (std::size_t i = 0; i < m->size(); ++i) {
    const json& e = (*m)[i];
    const std::string at = fmt::format("answer.items.members[{}]", i);
    if (!e.is_object()) return fail(ErrorKind::invalid_input, "a household member is not an object", at);
    HouseholdMember member;
    member.person_id = opt_text(e, "person_id");
    auto member_no = opt_text(e, "member_no");
    if (member.person_id) {
      member.key = *member.person_id;
      any_person_id = true;
      asked_is_member = asked_is_member || *member.person_id == person_id;
    } else if (member_no) {
      member.key = "ext:" + *member_no;
    } else {
      return fail(ErrorKind::invalid_input, "a household member has neither person_id nor member_no", at + ".person_id");
    }
    if (!keys.insert(member.key).second) return fail(ErrorKind::invalid_input, "a household member is listed twice", at);
    member.relation = opt_text(e, "relation");
    auto taxed = flag(e, "resident_tax_taxed", at + ".resident_tax_taxed");
    if (!taxed) return std::unexpected(taxed.error());
    member.resident_tax_taxed = *taxed;
    any_taxed = any_taxed || (*taxed && **taxed);
    a.members.push_back(std::move(member));
  }
  if (any_person_id && !asked_is_member)
    return fail(ErrorKind::invalid_input, "the household answered does not include the person asked", field_name("members"));
  if (auto count = d->items.find("member_count"); count != d->items.end() && !count->is_null()) {
    if (!count->is_number_integer() || count->get<std::int64_t>() != static_cast<std::int64_t>(a.members.size()))
      return fail(ErrorKind::invalid_input, "member_count does not match the members listed", field_name("member_count"));
  }
  if (a.household_taxed && !*a.household_taxed && any_taxed)
    return fail(ErrorKind::invalid_input, "the household is answered untaxed while a member is taxed", field_name("resident_tax_taxed"));
  return a;
}

Result<OldAgeWelfareAnswer> parse_old_age_welfare_answer(const std::string& answer_json, const std::string& person_id) {
  auto d = doc_of(answer_json);
  if (!d) return std::unexpected(d.error());
  if (auto p = same_person(d->items, person_id); !p) return std::unexpected(p.error());
  auto receives = flag(d->items, "receives", field_name("receives"));
  if (!receives) return std::unexpected(receives.error());
  // A provided answer is a receipt of 老齢福祉年金; "not received" comes as not_found.
  if (!*receives || !**receives)
    return fail(ErrorKind::invalid_input, "a provided answer must say receives true (not received is 該当なし)", field_name("receives"));
  OldAgeWelfareAnswer a;
  auto amount = yen(*d, "annual_amount");
  if (!amount) return std::unexpected(amount.error());
  if (*amount <= 0) return fail(ErrorKind::invalid_input, "annual_amount must be positive", field_name("annual_amount"));
  a.annual_amount = *amount;
  a.pension_insurer_code = opt_text(d->items, "pension_insurer_code").value_or("001");
  if (!digits(a.pension_insurer_code, 3))
    return fail(ErrorKind::invalid_input, "pension_insurer_code must be 3 digits", field_name("pension_insurer_code"));
  auto started = date_item(d->items, "started_on");
  if (!started) return std::unexpected(started.error());
  a.started_on = *started;
  auto ended = opt_date_item(d->items, "ended_on");
  if (!ended) return std::unexpected(ended.error());
  a.ended_on = *ended;
  if (a.ended_on && *a.ended_on < a.started_on)
    return fail(ErrorKind::invalid_input, "ended_on is before started_on", field_name("ended_on"));
  return a;
}

Result<AssistanceAnswer> parse_assistance_answer(const std::string& answer_json, const std::string& person_id) {
  auto d = doc_of(answer_json);
  if (!d) return std::unexpected(d.error());
  if (auto p = same_person(d->items, person_id); !p) return std::unexpected(p.error());
  auto a = eligibility::parse_public_assistance_answer(answer_json);
  if (!a) return std::unexpected(a.error());
  return AssistanceAnswer{a->assistance_kind, a->started_on, a->ended_on};
}

}  // namespace kaigo::premium
