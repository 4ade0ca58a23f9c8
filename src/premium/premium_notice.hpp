#pragma once
// FK-11: the 介護保険料額決定通知書 (first notice of a fiscal year) and 変更通知書 (a later
// revision), for one person at the counter or for a whole run into print files. Each noticed
// assessment gets a premium_notice row (migration 013), so a revision is noticed once, and a
// revision notice shows the amount the person was last told, whatever happened in between.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "notice/premium_notice.hpp"
#include "people/city_profile.hpp"
#include "premium/premium_table.hpp"
#include "store/database.hpp"

namespace kaigo::premium {

struct PersonNotice {
  std::string pdf;            // the rendered page
  std::int64_t notice_id = 0;
  std::string kind;           // decision, revision
};

// The notice of the person's current assessment of FY, recorded as issued on `issued_on` unless
// that assessment was noticed already (a reprint). not_found: no person or no assessment of FY.
Result<PersonNotice> notice_for_person(store::Database& db, const people::CityProfile& city,
                                       const std::vector<PremiumTable>& tables, const std::string& person_id,
                                       int fiscal_year, Date issued_on, const std::string& actor);

struct NoticeRunOptions {
  int fiscal_year = 0;
  std::filesystem::path output_dir;  // print files: premium-notices-<run>-<n>.pdf
  std::string actor;
  int chunk = 2000;
  int notices_per_file = 5000;       // a print file the print shop can take
};

struct NoticeRun {
  std::int64_t batch_run_id = 0;     // 0: nothing was waiting to be noticed
  std::string status;                // running, done, nothing_to_notice
  std::int64_t decisions = 0, revisions = 0;  // of this run (all of it, resumed parts included)
  std::vector<std::string> files;    // the print files, in order
  std::int64_t pages = 0;
};

// Notices every current assessment of FY not noticed yet — decisions and revisions — into print
// files. Resumable: phase 1 records premium_notice rows chunk by chunk with the run's cursor;
// phase 2 renders the files in order (a file is rendered again whole after a stop). An unfinished
// run of the same year is resumed before a new one is opened.
Result<NoticeRun> run_premium_notices(store::Database& db, const Clock& clock, const people::CityProfile& city,
                                      const std::vector<PremiumTable>& tables, const NoticeRunOptions& options);

// The screen's button: opens the run of FY (or finds the unfinished one) without working it; the
// background job `resume_notice_runs` works it. batch_run_id 0 when nothing waits to be noticed.
Result<NoticeRun> open_notice_run(store::Database& db, const Clock& clock, int fiscal_year, const std::string& actor);
// Works every unfinished notice run (output into `output_dir`). "" when there was none.
Result<std::string> resume_notice_runs(store::Database& db, const Clock& clock, const people::CityProfile& city,
                                       const std::vector<PremiumTable>& tables, const std::filesystem::path& output_dir);

struct NoticeRunSummary {
  std::int64_t batch_run_id = 0;
  int fiscal_year = 0;
  std::string status, started_at, finished_at, started_by;
  std::int64_t notices = 0;
  std::int64_t files = 0;       // print files rendered so far
};
Result<std::vector<NoticeRunSummary>> list_notice_runs(store::Connection& c, int limit);
// The path of one print file of a finished or running run; not_found when it is not rendered.
Result<std::filesystem::path> notice_run_file(store::Connection& c, std::int64_t batch_run_id, std::int64_t file_no,
                                              const std::filesystem::path& output_dir);

}  // namespace kaigo::premium
