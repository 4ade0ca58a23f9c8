#include "premium/collection.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/hash.hpp"

namespace kaigo::premium {

// ---- YearMonth ----

Result<YearMonth> YearMonth::parse(std::string_view text) {
  std::string digits;
  if (text.size() == 7 && text[4] == '-') digits = std::string(text.substr(0, 4)) + std::string(text.substr(5, 2));
  else if (text.size() == 6) digits = std::string(text);
  if (digits.size() != 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fail(ErrorKind::invalid_input, "a month is YYYY-MM (or YYYYMM)", "month");
  const int y = std::stoi(digits.substr(0, 4));
  const int m = std::stoi(digits.substr(4, 2));
  if (y < 1900 || m < 1 || m > 12) return fail(ErrorKind::invalid_input, "a month is YYYY-MM with MM 01–12", "month");
  return YearMonth{y, static_cast<unsigned>(m)};
}

YearMonth YearMonth::plus(int months) const {
  const int index = year * 12 + static_cast<int>(month) - 1 + months;
  return YearMonth{index / 12, static_cast<unsigned>(index % 12 + 1)};
}

std::string YearMonth::iso() const { return fmt::format("{:04}-{:02}", year, month); }
std::string YearMonth::compact() const { return fmt::format("{:04}{:02}", year, month); }

std::string_view to_code(CollectionMethod m) { return m == CollectionMethod::special ? "special" : "ordinary"; }

Result<CollectionMethod> collection_method_from_code(std::string_view code) {
  if (code == "special") return CollectionMethod::special;
  if (code == "ordinary") return CollectionMethod::ordinary;
  return fail(ErrorKind::invalid_input, fmt::format("unknown collection method '{}' (special, ordinary)", code), "method");
}

namespace {
constexpr std::pair<InstalmentStatus, std::string_view> kStatusCodes[] = {
    {InstalmentStatus::planned, "planned"},         {InstalmentStatus::requested, "requested"},
    {InstalmentStatus::accepted, "accepted"},       {InstalmentStatus::collected, "collected"},
    {InstalmentStatus::not_accepted, "not_accepted"}, {InstalmentStatus::not_collected, "not_collected"},
    {InstalmentStatus::stopped, "stopped"},         {InstalmentStatus::cancelled, "cancelled"},
    {InstalmentStatus::refund, "refund"},
};
}  // namespace

std::string_view to_code(InstalmentStatus s) {
  for (const auto& [st, code] : kStatusCodes)
    if (st == s) return code;
  return "planned";
}

Result<InstalmentStatus> instalment_status_from_code(std::string_view code) {
  for (const auto& [st, c] : kStatusCodes)
    if (c == code) return st;
  return fail(ErrorKind::invalid_input, fmt::format("unknown instalment status '{}'", code), "status");
}

bool is_live(InstalmentStatus s) {
  return s == InstalmentStatus::planned || s == InstalmentStatus::requested || s == InstalmentStatus::accepted ||
         s == InstalmentStatus::collected;
}

// ---- The rule file ----

const CollectionRuleVersion* CollectionRules::version_on(Date day) const {
  const CollectionRuleVersion* found = nullptr;
  for (const auto& v : versions)
    if (v.effective_from <= day) found = &v;
  return found;
}

namespace {

using nlohmann::json;

std::unexpected<Error> rule_error(const std::string& source, const std::string& path, const std::string& what) {
  return fail(ErrorKind::invalid_input, fmt::format("{}: {}: {}", source, path, what), path);
}

// Strict keys: every key must be known ("_comment" is always allowed, for the city's notes).
Result<void> only_keys(const json& j, const std::string& source, const std::string& path,
                       std::initializer_list<std::string_view> known) {
  if (!j.is_object()) return rule_error(source, path.empty() ? "(top)" : path, "expected an object");
  for (const auto& [key, value] : j.items()) {
    if (key == "_comment") continue;
    if (std::find(known.begin(), known.end(), key) == known.end())
      return rule_error(source, path.empty() ? key : path + "." + key, "unknown key");
  }
  for (std::string_view k : known)
    if (!j.contains(std::string(k))) return rule_error(source, path.empty() ? std::string(k) : path + "." + std::string(k), "missing");
  return {};
}

Result<std::int64_t> integer_in(const json& j, const std::string& source, const std::string& path, std::int64_t lo,
                                std::int64_t hi) {
  if (!j.is_number_integer()) return rule_error(source, path, "expected an integer");
  const auto v = j.get<std::int64_t>();
  if (v < lo || v > hi) return rule_error(source, path, fmt::format("must be from {} to {}", lo, hi));
  return v;
}

Result<std::int64_t> unit_of(const json& j, const std::string& source, const std::string& path) {
  auto u = integer_in(j, source, path, 1, 1000);
  if (!u) return u;
  if (*u != 1 && *u != 10 && *u != 100 && *u != 1000) return rule_error(source, path, "the unit is 1, 10, 100 or 1000 yen");
  return u;
}

int fiscal_index(unsigned month) { return month >= 4 ? static_cast<int>(month) - 4 : static_cast<int>(month) + 8; }

}  // namespace

Result<CollectionRules> parse_collection_rules(std::string_view json_text, const std::string& source) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) return rule_error(source, "(top)", "not valid JSON");
  if (auto k = only_keys(doc, source, "", {"name", "versions"}); !k) return std::unexpected(k.error());
  if (!doc["name"].is_string() || doc["name"].get<std::string>().empty()) return rule_error(source, "name", "expected a name");
  if (!doc["versions"].is_array() || doc["versions"].empty())
    return rule_error(source, "versions", "expected at least one version");
  CollectionRules rules;
  rules.name = doc["name"].get<std::string>();
  rules.source = source;
  rules.sha256 = sha256_hex(json_text);
  for (size_t i = 0; i < doc["versions"].size(); ++i) {
    const json& v = doc["versions"][i];
    const std::string p = fmt::format("versions[{}]", i);
    if (auto k = only_keys(v, source, p, {"effective_from", "ordinary", "special"}); !k) return std::unexpected(k.error());
    CollectionRuleVersion out;
    if (!v["effective_from"].is_string()) return rule_error(source, p + ".effective_from", "expected YYYY-MM-DD");
    auto from = Date::parse(v["effective_from"].get<std::string>());
    if (!from) return rule_error(source, p + ".effective_from", "not a date (YYYY-MM-DD)");
    // One fiscal year's instalments follow one version: a change takes effect on a 1 April.
    if (from->month() != 4 || from->day() != 1) return rule_error(source, p + ".effective_from", "must be a 1 April");
    if (!rules.versions.empty() && *from <= rules.versions.back().effective_from)
      return rule_error(source, p + ".effective_from", "versions must be in ascending order of effective_from");
    out.effective_from = *from;

    const json& o = v["ordinary"];
    const std::string po = p + ".ordinary";
    if (auto k = only_keys(o, source, po, {"months", "unit", "remainder"}); !k) return std::unexpected(k.error());
    if (!o["months"].is_array() || o["months"].empty() || o["months"].size() > 12)
      return rule_error(source, po + ".months", "expected 1 to 12 months");
    std::set<unsigned> seen;
    for (size_t m = 0; m < o["months"].size(); ++m) {
      const std::string pm = fmt::format("{}.months[{}]", po, m);
      auto month = integer_in(o["months"][m], source, pm, 1, 12);
      if (!month) return std::unexpected(month.error());
      const auto mm = static_cast<unsigned>(*month);
      if (!seen.insert(mm).second) return rule_error(source, pm, "a month appears twice");
      if (!out.ordinary_months.empty() && fiscal_index(mm) <= fiscal_index(out.ordinary_months.back()))
        return rule_error(source, pm, "months must follow the fiscal year's order (April … March)");
      out.ordinary_months.push_back(mm);
    }
    auto ounit = unit_of(o["unit"], source, po + ".unit");
    if (!ounit) return std::unexpected(ounit.error());
    out.ordinary_unit = *ounit;
    if (!o["remainder"].is_string() || (o["remainder"] != "first" && o["remainder"] != "last"))
      return rule_error(source, po + ".remainder", "expected \"first\" or \"last\"");
    out.ordinary_remainder = o["remainder"] == "first" ? RemainderPlacement::first : RemainderPlacement::last;

    const json& s = v["special"];
    const std::string ps = p + ".special";
    if (auto k = only_keys(s, source, ps, {"threshold", "unit", "leveling"}); !k) return std::unexpected(k.error());
    auto threshold = integer_in(s["threshold"], source, ps + ".threshold", 1, 10'000'000);
    if (!threshold) return std::unexpected(threshold.error());
    out.special_threshold = *threshold;
    auto sunit = unit_of(s["unit"], source, ps + ".unit");
    if (!sunit) return std::unexpected(sunit.error());
    out.special_unit = *sunit;
    if (!s["leveling"].is_boolean()) return rule_error(source, ps + ".leveling", "expected true or false");
    out.leveling = s["leveling"].get<bool>();
    rules.versions.push_back(std::move(out));
  }
  return rules;
}

Result<CollectionRules> load_collection_rules(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(ErrorKind::invalid_input, fmt::format("cannot read {}", file.string()), "collection.json");
  std::stringstream buf;
  buf << in.rdbuf();
  return parse_collection_rules(buf.str(), file.string());
}

// ---- Special collection ----

YearMonth special_slot_month(int fiscal_year, int slot) { return YearMonth{fiscal_year, 4}.plus(2 * (slot - 1)); }

int special_slot_of(YearMonth m) {
  const int offset = (static_cast<int>(m.month) + 12 - 4) % 12;  // months since April
  return offset % 2 == 0 ? offset / 2 + 1 : 0;
}

Result<YearMonth> special_start_month(YearMonth captured) {
  if (captured.month % 2 != 0)
    return fail(ErrorKind::invalid_input,
                fmt::format("capture month {} is not one of April, June, August, October, December, February", captured.iso()),
                "capture_month");
  return captured.plus(6);
}

bool pension_qualifies(std::int64_t annual_pension, bool old_age_welfare_pension, const CollectionRuleVersion& rules) {
  return !old_age_welfare_pension && annual_pension >= rules.special_threshold;
}

// ---- Plans ----

namespace {

std::int64_t floor_to(std::int64_t amount, std::int64_t unit) {
  if (amount <= 0) return 0;
  return amount / unit * unit;
}

std::int64_t counted(const Instalment& i) {
  if (is_live(i.status)) return i.amount;
  if (i.status == InstalmentStatus::refund) return -i.amount;
  return 0;
}

std::string yen(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "−" : "") + out + "円";
}

const char* slot_label(int slot) {
  static const char* kLabels[] = {"", "4月 仮徴収", "6月 仮徴収", "8月 仮徴収", "10月 本徴収", "12月 本徴収", "2月 本徴収"};
  return kLabels[slot];
}

Instalment special_row(int fiscal_year, int slot, std::int64_t amount) {
  return Instalment{0, CollectionMethod::special, slot, special_slot_month(fiscal_year, slot), amount, InstalmentStatus::planned};
}

// A settled row keeps its amount whatever the new plan says.
bool settled(const Instalment& i, YearMonth first_open, bool continuing) {
  if (i.status == InstalmentStatus::refund) return true;
  if (!is_live(i.status)) return false;
  if (i.method == CollectionMethod::ordinary) return i.due < first_open;
  if (i.status != InstalmentStatus::planned) return true;  // requested, accepted, collected
  // 仮徴収 of a continuing target is deducted without a request (法140条1項): past ones are done.
  return continuing && is_provisional_slot(i.number) && i.due < first_open;
}

struct Wanted {
  std::vector<Instalment> rows;
  std::int64_t refund = 0;
};

// The special schedule for `balance`, given the slots already settled. Appends explanation lines.
Wanted special_plan(const PlanInputs& in, std::int64_t balance, std::int64_t settled_total, YearMonth start,
                    bool continuing, const std::set<int>& settled_slots, const CollectionRuleVersion& r,
                    std::vector<std::string>& why) {
  Wanted w;
  const int fy = in.fiscal_year;
  if (continuing) {
    // 仮徴収: the previous February's amount in April, June and August (法140条1項).
    const std::int64_t p = *in.previous_february;
    std::int64_t provisional[4] = {0, p, p, p};
    why.push_back(fmt::format("仮徴収: 前年度2月の特別徴収額 {} を4月・6月・8月に (介護保険法140条1項)", yen(p)));
    if (r.leveling) {
      // 平準化 (法140条2項): June and August so that 仮徴収 ≈ half the year.
      const std::int64_t leveled = floor_to((in.annual_premium / 2 - p) / 2, r.special_unit);
      provisional[2] = provisional[3] = std::max<std::int64_t>(leveled, 0);
      why.push_back(fmt::format("平準化: 6月・8月 = (年額 {} ÷ 2 − 4月 {}) ÷ 2 = {} (単位 {}円 切捨て)", yen(in.annual_premium),
                                yen(p), yen(provisional[2]), r.special_unit));
    }
    std::int64_t rest = balance;
    for (int slot = 1; slot <= 3; ++slot) {
      if (settled_slots.contains(slot)) continue;
      if (provisional[slot] > 0) w.rows.push_back(special_row(fy, slot, provisional[slot]));
      rest -= provisional[slot];
    }
    if (rest <= 0) {
      why.push_back(fmt::format("本徴収: 年額 − 仮徴収 = {} ≤ 0: 本徴収なし (特別徴収は停止){}", yen(rest),
                                rest < 0 ? fmt::format("、過誤納 {} を還付", yen(-rest)) : ""));
      w.refund = -rest;
      return w;
    }
    std::vector<int> definitive;
    for (int slot = 4; slot <= 6; ++slot)
      if (!settled_slots.contains(slot) && special_slot_month(fy, slot) >= in.first_open_month) definitive.push_back(slot);
    if (definitive.empty()) {
      why.push_back(fmt::format("本徴収の月が残っていない: 残額 {} は普通徴収", yen(rest)));
      auto ord = ordinary_instalments(rest, fy, in.first_open_month, std::nullopt, r);
      w.rows.insert(w.rows.end(), ord.begin(), ord.end());
      return w;
    }
    const auto n = static_cast<std::int64_t>(definitive.size());
    const std::int64_t each = floor_to(rest / n, r.special_unit);
    why.push_back(fmt::format("本徴収: (年額 − 仮徴収) {} ÷ {} = {} ({}円未満切捨て、端数 {} は{}) (介護保険法135条)", yen(rest), n,
                              yen(each), r.special_unit, yen(rest - each * n), slot_label(definitive.front())));
    for (size_t k = 0; k < definitive.size(); ++k) {
      const std::int64_t amount = k == 0 ? rest - each * (n - 1) : each;
      if (amount > 0) w.rows.push_back(special_row(fy, definitive[k], amount));
    }
    return w;
  }

  // A new target: the slots from the start month.
  const YearMonth from = std::max(start, in.first_open_month);
  std::vector<int> slots;
  for (int slot = 1; slot <= kSpecialSlots; ++slot)
    if (!settled_slots.contains(slot) && special_slot_month(fy, slot) >= from) slots.push_back(slot);
  if (slots.empty()) {
    why.push_back("特別徴収の月が残っていない: 普通徴収");
    auto ord = ordinary_instalments(balance, fy, in.first_open_month, std::nullopt, r);
    w.rows.insert(w.rows.end(), ord.begin(), ord.end());
    return w;
  }
  // The slots before the start are the share of 普通徴収 (the year is six pension payments).
  const int before = slots.front() - 1;
  std::int64_t ordinary_share = 0;
  if (before > 0) {
    // What is settled already (ordinary instalments billed) counts towards that share.
    const std::int64_t share = floor_to(in.annual_premium * before / kSpecialSlots, r.ordinary_unit);
    ordinary_share = std::clamp<std::int64_t>(share - settled_total, 0, balance);
    const YearMonth first = special_slot_month(fy, slots.front());
    why.push_back(fmt::format("特別徴収は{}から ({}): それより前の{}回分 {} × {}/6 = {}{} を普通徴収", first.iso(),
                              first == start ? "捕捉から6か月後、介護保険法134条"
                                             : fmt::format("捕捉による開始月 {} のうち、まだ来ていない年金支払月", start.iso()),
                              before, yen(in.annual_premium), before,
                              yen(share), settled_total > 0 ? fmt::format(" − 確定済み {} = {}", yen(settled_total), yen(ordinary_share)) : ""));
    auto ord = ordinary_instalments(ordinary_share, fy, in.first_open_month, special_slot_month(fy, slots.front()), r);
    w.rows.insert(w.rows.end(), ord.begin(), ord.end());
  }
  const std::int64_t special_total = balance - ordinary_share;
  if (special_total <= 0) return w;
  const auto n = static_cast<std::int64_t>(slots.size());
  const std::int64_t provisional_each = floor_to(special_total / n, r.special_unit);
  std::int64_t rest = special_total;
  std::vector<int> definitive;
  for (int slot : slots) {
    if (is_provisional_slot(slot)) {
      if (provisional_each > 0) w.rows.push_back(special_row(fy, slot, provisional_each));
      rest -= provisional_each;
    } else {
      definitive.push_back(slot);
    }
  }
  if (provisional_each > 0 && slots.front() <= 3)
    why.push_back(fmt::format("仮徴収 (新規): {} ÷ {}回 = {} ({}円未満切捨て)", yen(special_total), n, yen(provisional_each),
                              r.special_unit));
  const auto d = static_cast<std::int64_t>(definitive.size());
  const std::int64_t each = floor_to(rest / d, r.special_unit);
  why.push_back(fmt::format("本徴収: {} ÷ {} = {} ({}円未満切捨て、端数 {} は{})", yen(rest), d, yen(each), r.special_unit,
                            yen(rest - each * d), slot_label(definitive.front())));
  for (size_t k = 0; k < definitive.size(); ++k) {
    const std::int64_t amount = k == 0 ? rest - each * (d - 1) : each;
    if (amount > 0) w.rows.push_back(special_row(fy, definitive[k], amount));
  }
  return w;
}

bool same_row(const Instalment& a, const Instalment& b) {
  return a.method == b.method && a.number == b.number && a.due == b.due && a.amount == b.amount;
}

}  // namespace

std::vector<Instalment> ordinary_instalments(std::int64_t amount, int fiscal_year, YearMonth from,
                                             std::optional<YearMonth> before, const CollectionRuleVersion& r) {
  std::vector<Instalment> out;
  if (amount <= 0) return out;
  for (size_t k = 0; k < r.ordinary_months.size(); ++k) {
    const unsigned m = r.ordinary_months[k];
    const YearMonth due{m >= 4 ? fiscal_year : fiscal_year + 1, m};
    if (due < from || (before && due >= *before)) continue;
    out.push_back(Instalment{0, CollectionMethod::ordinary, static_cast<int>(k + 1), due, 0, InstalmentStatus::planned});
  }
  if (out.empty()) {
    // No instalment month left (or none before the deduction starts): one extra instalment
    // (随時期) in the first open month, numbered after the city's last.
    out.push_back(Instalment{0, CollectionMethod::ordinary, static_cast<int>(r.ordinary_months.size()) + 1, from, amount,
                             InstalmentStatus::planned});
    return out;
  }
  const auto n = static_cast<std::int64_t>(out.size());
  const std::int64_t each = floor_to(amount / n, r.ordinary_unit);
  const std::int64_t remainder = amount - each * n;
  for (auto& i : out) i.amount = each;
  (r.ordinary_remainder == RemainderPlacement::first ? out.front() : out.back()).amount += remainder;
  std::erase_if(out, [](const Instalment& i) { return i.amount == 0; });
  return out;
}

PlanChange plan_change(const PlanInputs& in, const std::vector<Instalment>& current, const CollectionRuleVersion& r) {
  PlanChange change;
  auto& why = change.explanation;
  const int fy = in.fiscal_year;
  const bool continuing = in.previous_february && *in.previous_february > 0 && in.special_start &&
                          *in.special_start <= special_slot_month(fy, 1);

  std::int64_t live_total = 0;
  bool special_blocked = false;  // refused, failed or stopped this year: no restart
  for (const auto& i : current) {
    live_total += counted(i);
    if (i.method == CollectionMethod::special &&
        (i.status == InstalmentStatus::not_accepted || i.status == InstalmentStatus::not_collected ||
         i.status == InstalmentStatus::stopped))
      special_blocked = true;
  }

  // A decrease stops the deduction still ahead (rules.md §2: decreases go to 普通徴収).
  std::set<std::int64_t> stopping;
  if (in.annual_premium < live_total) {
    for (const auto& i : current)
      if (i.method == CollectionMethod::special && is_live(i.status) && i.status != InstalmentStatus::collected &&
          i.status != InstalmentStatus::planned && i.due >= in.first_open_month)
        stopping.insert(i.id);
    if (!stopping.empty()) {
      special_blocked = true;
      why.push_back(fmt::format("減額 ({} → {}): 依頼済みの特別徴収 {}件を中止し、残額は普通徴収", yen(live_total),
                                yen(in.annual_premium), stopping.size()));
    }
  }

  std::vector<Instalment> open;
  std::set<int> settled_slots;
  std::int64_t settled_total = 0;
  bool special_settled = false;
  for (const auto& i : current) {
    if (stopping.contains(i.id)) continue;
    if (settled(i, in.first_open_month, continuing)) {
      settled_total += counted(i);
      if (i.method == CollectionMethod::special) {
        settled_slots.insert(i.number);
        if (i.status != InstalmentStatus::planned) special_settled = true;
      }
    } else if (is_live(i.status)) {
      open.push_back(i);
    }
  }
  const std::int64_t balance = in.annual_premium - settled_total;
  why.insert(why.begin(), fmt::format("{}年度 保険料 {}、確定済み {}、計画する残額 {}", fy, yen(in.annual_premium),
                                      yen(settled_total), yen(balance)));

  Wanted wanted;
  const bool special = in.special_start && in.special_start->fiscal_year() <= fy && !special_blocked && !special_settled;
  if (balance < 0) {
    wanted.refund = -balance;
    why.push_back(fmt::format("確定済みが保険料を超える: 過誤納 {} を還付", yen(-balance)));
  } else if (balance > 0 && special) {
    wanted = special_plan(in, balance, settled_total, std::max(*in.special_start, special_slot_month(fy, 1)), continuing,
                          settled_slots, r, why);
  } else if (balance > 0) {
    if (special_settled && in.annual_premium > live_total)
      why.push_back("増額: 依頼済みの特別徴収額はそのまま (年度途中に増やせない)、増えた分は普通徴収");
    else if (!in.special_start)
      why.push_back("特別徴収の対象者ではない (年金18万円未満・老齢福祉年金・対象者情報なし・年度途中の資格取得): 普通徴収");
    else if (special_blocked)
      why.push_back("今年度の特別徴収は停止・不能: 普通徴収");
    auto ord = ordinary_instalments(balance, fy, in.first_open_month, std::nullopt, r);
    why.push_back(fmt::format("普通徴収: {} を{}回 ({}円未満切捨て、端数は{}の期)", yen(balance), ord.size(), r.ordinary_unit,
                              r.ordinary_remainder == RemainderPlacement::first ? "最初" : "最後"));
    wanted.rows = std::move(ord);
  }

  // A stored plan that already collects the balance the same way is kept whole: the same special
  // rows, and ordinary rows adding up to the same amount however they are split (a split made
  // earlier over other months, or the share before a deduction's start billed in one 随時期, stays
  // as billed — re-splitting it would change slips already sent).
  if (stopping.empty() && wanted.refund == 0) {
    std::vector<Instalment> open_special, wanted_special;
    std::int64_t open_ordinary = 0, wanted_ordinary = 0;
    for (const auto& i : open) {
      if (i.method == CollectionMethod::special) open_special.push_back(i);
      else open_ordinary += i.amount;
    }
    for (const auto& i : wanted.rows) {
      if (i.method == CollectionMethod::special) wanted_special.push_back(i);
      else wanted_ordinary += i.amount;
    }
    bool same_special = open_special.size() == wanted_special.size();
    for (const auto& w : wanted_special)
      same_special = same_special && std::any_of(open_special.begin(), open_special.end(),
                                                 [&](const Instalment& o) { return same_row(o, w); });
    if (same_special && open_ordinary == wanted_ordinary) {
      change.explanation.clear();
      return change;
    }
  }
  // Keep every open row the plan still wants as it is; cancel the others, add what is missing.
  std::vector<bool> kept(open.size(), false);
  for (auto& w : wanted.rows) {
    bool matched = false;
    for (size_t k = 0; k < open.size() && !matched; ++k)
      if (!kept[k] && same_row(open[k], w)) kept[k] = matched = true;
    if (!matched) change.add.push_back(w);
  }
  for (size_t k = 0; k < open.size(); ++k)
    if (!kept[k]) change.cancel.push_back(open[k].id);
  change.stop.assign(stopping.begin(), stopping.end());
  if (change.add.empty() && change.cancel.empty() && change.stop.empty() && wanted.refund == 0) {
    change.explanation.clear();  // the stored plan is already right: nothing changes
    return change;
  }
  std::sort(change.add.begin(), change.add.end(),
            [](const Instalment& a, const Instalment& b) { return std::tie(a.due, a.number) < std::tie(b.due, b.number); });
  change.refund = wanted.refund;
  return change;
}

}  // namespace kaigo::premium
