#pragma once
// How a year's premium is collected (rules.md §2 "Collection"), as pure functions: 特別徴収
// (pension deduction, 介護保険法134〜141条) and 普通徴収 (payment slips in the city's instalments,
// 法131条 and the city's 介護保険条例), and the rule file that holds the city's choices
// (config/rules/collection.json, docs/premium-collection.md).
//
// Special collection happens at the six pension payments of a fiscal year Y: April, June, August
// (仮徴収, provisional) and October, December, February of Y+1 (本徴収, definitive) — slots 1…6.
//   * A continuing target (deducted in the previous February) pays that February amount in each
//     仮徴収 month (法140条1項); with 平準化 on, June and August become (annual/2 − April)/2 each
//     (法140条2項: the city may change the 仮徴収 amount). 本徴収 = (annual − 仮徴収 total) ÷ 3,
//     each floored to the unit (100 yen), the remainder in October (法135条, 施行令). When annual −
//     仮徴収 total ≤ 0 there is no 本徴収: the deduction stops and the excess is refunded.
//   * A new target starts in the month the capture month gives (April → October, June → December,
//     August → February, October → April, December → June, February → August: the pension
//     insurer's 捕捉 takes about six months, 法134条). The slots before the start are the share of
//     普通徴収 (annual × slots before / 6, floored), billed in the ordinary months before the start;
//     the rest is split over the slots from the start: each 仮徴収 slot an equal part floored to the
//     unit, 本徴収 the balance ÷ their number, remainder in the first.
//   * Ordinary collection splits an amount over the city's instalment months still ahead (e.g. 10
//     from June to March), each floored to the unit, the remainder on the first (or last) one.
// A revision during the year (rules.md §2: "decreases and newcomers go to 普通徴収") keeps what is
// settled and re-plans the balance: an increase is billed by slip beside the deduction; a decrease
// stops the deduction still ahead and the balance goes to 普通徴収, or is refunded when negative.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::premium {

// A calendar month.
struct YearMonth {
  int year = 1970;
  unsigned month = 1;  // 1..12

  static YearMonth of(Date d) { return {d.year(), d.month()}; }
  // "YYYY-MM" or "YYYYMM"; invalid_input otherwise.
  static Result<YearMonth> parse(std::string_view text);
  YearMonth plus(int months) const;
  int fiscal_year() const { return month >= 4 ? year : year - 1; }
  Date first_day() const { return Date(year, month, 1); }
  std::string iso() const;      // "2026-10"
  std::string compact() const;  // "202610"
  auto operator<=>(const YearMonth&) const = default;
};

enum class CollectionMethod { special, ordinary };
std::string_view to_code(CollectionMethod m);  // "special", "ordinary"
Result<CollectionMethod> collection_method_from_code(std::string_view code);

// ---- The rule file ----

enum class RemainderPlacement { first, last };

struct CollectionRuleVersion {
  Date effective_from;                         // a 1 April: a fiscal year's instalments follow one version
  std::vector<unsigned> ordinary_months;       // calendar months of the 普通徴収 instalments, in fiscal order
  std::int64_t ordinary_unit = 100;            // each instalment floored to this (1, 10, 100, 1000)
  RemainderPlacement ordinary_remainder = RemainderPlacement::first;
  std::int64_t special_threshold = 180'000;    // 年額18万円以上 の年金 (法134条1項, 施行令41条)
  std::int64_t special_unit = 100;             // 本徴収 (and a new target's 仮徴収) floored to this
  bool leveling = false;                       // 平準化 of the June/August 仮徴収 (法140条2項)
};

struct CollectionRules {
  std::string name;
  std::filesystem::path source;
  std::string sha256;  // of the file's bytes
  std::vector<CollectionRuleVersion> versions;  // ascending effective_from
  // The version in force on `day`; nullptr before the first.
  const CollectionRuleVersion* version_on(Date day) const;
};

// Parses and validates a rule file's text. Unknown keys are errors (a misspelt key must not
// silently fall back to a default); errors name the JSON path: "versions[0].ordinary.months[3]: …".
Result<CollectionRules> parse_collection_rules(std::string_view json_text, const std::string& source_name);
Result<CollectionRules> load_collection_rules(const std::filesystem::path& file);

// ---- Special collection ----

inline constexpr int kSpecialSlots = 6;
// The month of slot 1…6 of fiscal year `fy`: April, June, August, October, December, February.
YearMonth special_slot_month(int fiscal_year, int slot);
// The slot of a month, or 0 when the month is not a pension payment month.
int special_slot_of(YearMonth m);
inline bool is_provisional_slot(int slot) { return slot >= 1 && slot <= 3; }  // 仮徴収

// The month deduction starts for a person captured by the pension insurer in `captured`: six
// months later. invalid_input when `captured` is not an even month (capture months are the pension
// payment months' predecessors: April, June, August, October, December, February).
Result<YearMonth> special_start_month(YearMonth captured);

// Whether a pension qualifies for deduction: 年額18万円以上 and not 老齢福祉年金 (法134条1項,
// 施行令41条).
bool pension_qualifies(std::int64_t annual_pension, bool old_age_welfare_pension, const CollectionRuleVersion& rules);

// ---- Plans ----

// Where an instalment stands. Live states count towards the year's total; the others are history.
enum class InstalmentStatus {
  planned,        // live: billed (ordinary) or planned, not yet requested (special)
  requested,      // live: special, in an FK-15 request file
  accepted,       // live: special, the pension insurer accepted the request (FK-16)
  collected,      // live: special, deducted (FK-16 徴収結果)
  not_accepted,   // special, refused by the pension insurer (FK-16): the amount went to ordinary
  not_collected,  // special, not deducted (death, pension stopped): the balance went to ordinary
  stopped,        // special, stopped by a decrease during the year (the balance went to ordinary)
  cancelled,      // ordinary or not-yet-requested special, replaced by a later plan (a revision)
  refund,         // an excess to pay back (amount > 0 = yen to refund; counts negatively)
};
std::string_view to_code(InstalmentStatus s);
Result<InstalmentStatus> instalment_status_from_code(std::string_view code);
bool is_live(InstalmentStatus s);

struct Instalment {
  std::int64_t id = 0;  // the stored row, when there is one (0 for a new one)
  CollectionMethod method = CollectionMethod::ordinary;
  int number = 0;       // special: slot 1…6; ordinary: 期 = position of the month in the city's list (1…n)
  YearMonth due;
  std::int64_t amount = 0;
  InstalmentStatus status = InstalmentStatus::planned;
  bool operator==(const Instalment&) const = default;
};

struct PlanInputs {
  int fiscal_year = 0;
  std::int64_t annual_premium = 0;  // the year's premium (premium_assessment.amount)
  // Ordinary instalments go on months ≥ this (the months still ahead); special 本徴収 slots too.
  YearMonth first_open_month;
  // The month deduction starts, when the person is a target whose pension qualifies; none: not a
  // target (ordinary collection only).
  std::optional<YearMonth> special_start;
  // The previous fiscal year's February deduction, when there was one (a continuing target).
  std::optional<std::int64_t> previous_february;
};

struct PlanChange {
  std::vector<std::int64_t> cancel;    // ids of current rows that become cancelled
  std::vector<std::int64_t> stop;      // ids of special rows whose deduction stops (status stopped)
  std::vector<Instalment> add;         // new rows (ordinary or special), due order
  std::int64_t refund = 0;             // yen to pay back (0: none)
  std::vector<std::string> explanation;  // how it was computed, in reading order
  bool empty() const { return cancel.empty() && stop.empty() && add.empty() && refund == 0; }
};

// The change that brings a person's plan for the year in line with `in`, given the rows stored
// now (`current`, every status, of this fiscal year). It computes the plan the year should have
// and compares it with what is stored, so running it twice changes nothing:
//   * settled rows are kept as they are: ordinary rows due before first_open_month (billed),
//     special rows requested, accepted or collected (sent to the pension insurer), 仮徴収 rows of
//     a continuing target due before first_open_month (deducted without a request), refunds;
//   * a decrease below the live total while requested/accepted special rows are still ahead stops
//     them (rules.md §2: decreases go to 普通徴収), and the deduction does not restart that year —
//     nor after an FK-16 refusal or a failed deduction (not_accepted / not_collected);
//   * the balance (premium − settled) is planned: as special collection when the person is a
//     qualifying target and no special row is settled yet (the schedule above), else as ordinary
//     instalments over the months still ahead; a negative balance is a refund;
//   * the open rows (live, not settled) are kept whole when they already collect the balance the
//     same way — the same special rows, ordinary rows with the same total however split (slips
//     already billed are not re-split) — else replaced where they differ.
// Counted: live rows by amount, refund rows negatively.
PlanChange plan_change(const PlanInputs& in, const std::vector<Instalment>& current, const CollectionRuleVersion& rules);

// Ordinary instalments for `amount` over the city's months of `fiscal_year` that are ≥ `from` and
// < `before` (none: to the year's end): floor(amount / n) to the unit each, the remainder on the
// first or last. No such month → one instalment in `from` (an extra 随時期). amount ≤ 0 → none.
std::vector<Instalment> ordinary_instalments(std::int64_t amount, int fiscal_year, YearMonth from,
                                             std::optional<YearMonth> before, const CollectionRuleVersion& rules);

}  // namespace kaigo::premium
