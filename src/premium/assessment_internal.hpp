#pragma once
// Internals of the assessment service: the facts read for a range of persons (set-based, a few
// queries per chunk), the computation from facts to a stored row, and the row store.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "eligibility/types.hpp"
#include "premium/assessment.hpp"
#include "premium/premium_table.hpp"
#include "store/database.hpp"

namespace kaigo::premium::detail {

// Fiscal year FY runs [1 April FY, 1 April FY+1).
inline Date fiscal_year_start(int fy) { return Date(fy, 4, 1); }
inline Date fiscal_year_end(int fy) { return Date(fy + 1, 4, 1); }

struct TaxFact {
  std::int64_t tax_income_id = 0;
  std::string source;
  std::optional<std::int64_t> exchange_id;
  std::string recorded_at;
  std::int64_t total_income = 0, public_pension_income = 0, taxable_pension_income = 0, pension_misc_income = 0,
               salary_income = 0, land_sale_special_deduction = 0;
  bool taxed = false;
};

struct HistoryFact {  // one person_history row (valid_to exclusive)
  std::string person_id, household_id, valid_from;
  std::optional<std::string> valid_to;
  std::string registry_status;
  bool covers(const std::string& day) const { return valid_from <= day && (!valid_to || day < *valid_to); }
};

struct DatedFact {  // public_assistance / pension rows
  std::int64_t id = 0;
  std::string kind, valid_from;
  std::optional<std::string> valid_to;
  std::string source;
  std::optional<std::int64_t> exchange_id;
  bool covers(const std::string& day) const { return valid_from <= day && (!valid_to || day < *valid_to); }
};

// A household member's tax status as another municipality answered it (FK-06,
// household_member_tax_status): for members who moved in together (no tax row of kaigo's own) and
// members living elsewhere (no person here).
struct AnsweredMember {
  std::int64_t id = 0;
  std::string member_key;
  std::optional<std::string> member_person_id;
  std::optional<bool> taxed;  // none: the other city holds no tax data for the member
  std::optional<std::int64_t> exchange_id;
};

struct PersonFacts {
  std::string person_id;
  std::string insured_no;
  std::vector<eligibility::EligibilityPeriod> periods;  // category 1, touching FY
  std::vector<DatedFact> assistance;                     // 生活保護・中国残留邦人等
  std::vector<DatedFact> old_age_welfare;                // 老齢福祉年金
  std::vector<AnsweredMember> answered_members;          // FK-06, the latest answer for FY
  std::optional<Assessment> current;
};

// The facts of every person in a range, and of the members of their households.
struct ChunkFacts {
  std::map<std::string, PersonFacts> persons;                        // the persons to assess
  std::map<std::string, std::vector<HistoryFact>> household_rows;    // household_id → member rows in FY
  std::map<std::string, std::vector<HistoryFact>> own_rows;          // person_id → own rows in FY
  std::map<std::string, TaxFact> tax;                                // person_id → latest own-source row
};

// A range of persons: (after, upto] in person_id order, or exactly one person.
struct PersonRange {
  std::string after;  // exclusive lower bound ("" = from the first)
  std::string upto;   // inclusive upper bound
  static PersonRange one(const std::string& person_id);
  bool single = false;
};

// The persons with a category-1 month in FY or a current assessment for FY, after `after`, in
// person_id order: the last person_id of the next `limit` of them (none: no more).
Result<std::optional<std::string>> chunk_upper_bound(store::Connection& c, int fiscal_year, const std::string& after,
                                                     int limit);

// Counts the persons chunk_upper_bound would still walk after `after` (for progress).
Result<std::int64_t> count_candidates(store::Connection& c, int fiscal_year, const std::string& after);

Result<ChunkFacts> load_chunk(store::Connection& c, int fiscal_year, const PersonRange& range);

// The row to store for one person, or none when the person has nothing to charge and no current
// assessment (never insured in FY).
struct Computed {
  Assessment row;      // assessment_id / revision / is_current / previous_amount unset
  std::string compare_key;  // what must differ for a new revision (explanation + amounts)
};
// `version` is the table version in force on 1 April of FY (a what-if passes another table's).
std::optional<Computed> compute(const ChunkFacts& facts, const PersonFacts& person, int fiscal_year,
                                const PremiumTable& table, const PremiumTableVersion& version);

// Writes `computed` as the next revision when it differs from the current one. Returns the kind.
struct WriteResult {
  AssessOutcome::Kind kind = AssessOutcome::Kind::unchanged;
  std::optional<Assessment> current;
};
Result<WriteResult> write_if_changed(store::Connection& c, const PersonFacts& person, Computed computed,
                                     const std::string& cause, std::optional<std::int64_t> batch_run_id,
                                     const std::string& now, const std::string& actor);

// Batch rows of many persons at once: new rows go through bulk_insert (COPY on PostgreSQL).
struct PendingWrite {
  const PersonFacts* person = nullptr;
  Computed computed;
};
struct BatchCounts {
  std::int64_t created = 0, revised = 0, unchanged = 0;
};
Result<BatchCounts> write_batch(store::Connection& c, std::vector<PendingWrite>& writes, const std::string& cause,
                                std::optional<std::int64_t> batch_run_id, const std::string& now,
                                const std::string& actor);

// Moves every change source's cursor (register events, tax, welfare, pension, household rows) and
// queues the (person, fiscal year) pairs they touch for the years whose 本算定 has run. The yearly
// run calls it before it opens a new year, so the cursors start from there.
Result<void> queue_changes(store::Connection& c, const Clock& clock);

// The stored compare key of a row (same function compute() uses).
std::string compare_key_of(const Assessment& a);

// batch_run rows of the premium jobs.
extern const char* const kRunColumns;  // SELECT list matching run_of
AssessmentRun run_of(const store::Row& r);
// Finds or opens the yearly run of FY (queueing the changes so far for the years already assessed
// first); fills the progress so far and the total.
Result<std::int64_t> open_annual(store::Database& db, const Clock& clock, int fiscal_year, const std::string& actor,
                                 AssessmentRunProgress* progress);

extern const char* const kAssessmentColumns;  // SELECT list matching row_to_assessment
Assessment row_to_assessment(const store::Row& r);

}  // namespace kaigo::premium::detail
