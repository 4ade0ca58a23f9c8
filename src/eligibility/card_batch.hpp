#pragma once
// 被保険者証 (SK-17): what a card shows for a person, the record of every card issued, and the
// monthly run that issues a card to everyone who becomes a category-1 insured by reaching 65 in
// a month (年齢到達), into one print file.
//
// The run is resumable (batch_run, migration 005): phase 1 walks the candidates in person_id
// order in chunks — each chunk re-derives them (so the register's horizon has caught up), records
// an insurance_card_issue per person insured on their 65th-reaching day, and moves the cursor in
// the same transaction; phase 2 renders the run's issue rows, in order, into one PDF (re-rendering
// overwrites it). A killed run started again continues after the cursor: no card twice, none missed.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "notice/insurance_card.hpp"
#include "people/city_profile.hpp"
#include "store/database.hpp"

namespace kaigo::eligibility {

// The card of a person as the register holds it on `issued_on`. nullopt: no such person.
// conflict: the person has no 被保険者番号 or no period in force on or after `issued_on` within
// the register's horizon (not insured, so no card).
Result<std::optional<notice::InsuranceCardData>> card_data_for(store::Connection& c, const people::CityProfile& city,
                                                               const std::string& person_id, Date issued_on);

// Records one card handed out. reason: new, turning_65, reissue_lost, reissue_damaged, reissue_change.
Result<std::int64_t> record_card_issue(store::Connection& c, const std::string& person_id, const std::string& insured_no,
                                       Date issued_on, const std::string& reason, std::optional<std::int64_t> batch_run_id,
                                       const std::string& actor);

struct CardIssue {
  std::int64_t card_issue_id = 0;
  std::string insured_no, issued_on, reason, issued_by;
  std::optional<std::int64_t> batch_run_id;
};
Result<std::vector<CardIssue>> card_issues_for(store::Connection& c, const std::string& person_id);

struct CardBatchOptions {
  std::string month;                   // YYYY-MM: the month in which the persons reach 65
  std::filesystem::path output_dir;    // where the print file goes
  std::string actor;
  int chunk = 2000;
};

struct CardBatchRun {
  std::int64_t batch_run_id = 0;
  std::string month;
  std::string status;  // running, done, failed
  std::int64_t count = 0;
  std::string output_path;  // "" until rendered (or when no card was due)
  std::string started_at, finished_at, started_by;
};

// Runs (or resumes, or returns the finished) run of `month`. invalid_input for a malformed month.
Result<CardBatchRun> run_turning_65_cards(store::Database& db, const Clock& clock, const people::CityProfile& city,
                                          const CardBatchOptions& options);
Result<std::vector<CardBatchRun>> list_card_batches(store::Connection& c, int limit);
Result<std::optional<CardBatchRun>> find_card_batch(store::Connection& c, std::int64_t batch_run_id);

}  // namespace kaigo::eligibility
