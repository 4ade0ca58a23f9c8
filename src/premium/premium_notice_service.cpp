// FK-11 notices: the data of one notice from the stored assessment, the counter print, and the
// resumable print run.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "notice/pdf_writer.hpp"
#include "premium/premium_notice.hpp"

namespace kaigo::premium {
namespace {

constexpr const char* kJob = "premium_notices";
constexpr const char* kRenderCursor = "#render:";  // phase 2: the next file to render

// What a notice is printed from: the assessment, the person as the register holds them now.
constexpr const char* kNoticeColumns =
    "n.notice_id, n.kind, n.noticed_before, n.issued_on, a.fiscal_year, a.insured_no, a.base_date, a.stage_label, "
    "a.ratio, a.annual_amount, a.months, a.amount, a.explanation, a.cause, a.table_effective_from, p.postal_code, "
    "p.address, p.name_kanji, p.name_kana, a.person_id";

std::string cause_words(const std::string& cause) {
  if (cause == "eligibility") return "資格の異動";
  if (cause == "income") return "所得の更正";
  if (cause == "household") return "世帯の異動";
  if (cause == "welfare") return "生活保護等の受給状況の異動";
  if (cause == "staff") return "賦課の基礎となる事項の確認";
  return "";
}

Result<notice::PremiumNoticeData> data_of(const store::Row& r, const people::CityProfile& city,
                                          const std::vector<PremiumTable>& tables) {
  notice::PremiumNoticeData d;
  const std::int64_t notice_id = r.i64(0);
  d.revision = r.str(1) == "revision";
  d.previous_amount = r.i64(2);
  auto issued = Date::parse(r.str(3));
  auto base = Date::parse(r.str(6));
  if (!issued || !base) return fail(ErrorKind::internal, "a stored notice or assessment date is not a date");
  d.issued_on = *issued;
  d.fiscal_year = static_cast<int>(r.i64(4));
  d.insured_no = r.str(5);
  d.base_date = *base;
  d.stage_label = r.str(7);
  auto ratio = Ratio::parse(r.str(8));
  d.ratio = ratio ? ratio->decimal() : r.str(8);
  d.annual_amount = r.i64(9);
  d.months = static_cast<int>(r.i64(10));
  d.amount = r.i64(11);
  for (const auto& line : nlohmann::json::parse(r.str(12)))
    d.explanation.push_back({line.at("label").get<std::string>(), line.at("text").get<std::string>()});
  d.cause = cause_words(r.str(13));
  if (const PremiumTable* t = table_for(tables, d.fiscal_year))
    for (const auto& v : t->versions)
      if (v.effective_from.iso() == r.str(14)) d.base_amount = v.base_amount;
  d.postal_code = r.str(15);
  d.address = r.str(16);
  d.name = r.str(17);
  d.name_kana = r.str(18);
  d.insurer_name = city.insurer_name;
  d.notice_no = fmt::format("{}介保第{}-{:06}号", city.insurer_name, d.fiscal_year, notice_id);
  return d;
}

// The collection plan of each person (premium_instalment, docs/tokucho-layout.md) for the
// notices of one query: person_id → instalments in due order. Cancelled rows are not printed.
using Instalments = std::map<std::string, std::vector<notice::PremiumInstalment>>;
Result<Instalments> instalments_where(store::Connection& c, const std::string& condition, const store::Params& params) {
  auto rows = c.query(fmt::format("SELECT i.person_id, i.method, i.instalment_no, i.due_month, i.amount FROM premium_instalment i "
                                  "WHERE i.status <> 'cancelled' AND {} ORDER BY i.person_id, i.due_month, i.instalment_id",
                                  condition),
                      params);
  if (!rows) return std::unexpected(rows.error());
  Instalments out;
  for (const auto& r : *rows) {
    const bool special = r.str(1) == "special";
    auto month = Date::parse(r.str(3) + "-01");
    const std::string due = month ? to_wareki_year(*month) + fmt::format("{}月", month->month()) : r.str(3);
    out[r.str(0)].push_back({special ? fmt::format("{}月 (年金)", month ? month->month() : 0u)
                                     : fmt::format("第{}期", r.i64(2)),
                             due, r.i64(4)});
  }
  return out;
}

void add_collection(notice::PremiumNoticeData& d, const Instalments& all, const std::string& person_id) {
  auto it = all.find(person_id);
  if (it == all.end()) return;
  d.instalments = it->second;
  bool special = false, ordinary = false;
  for (const auto& i : d.instalments) (i.label.ends_with("(年金)") ? special : ordinary) = true;
  d.collection_method = special && ordinary ? "特別徴収 (年金から差引き) と普通徴収 (納付書・口座振替) の併用"
                        : special           ? "特別徴収 (年金から差引き)"
                                            : "普通徴収 (納付書・口座振替)";
}

Result<std::string> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::internal, "the rendered notice cannot be read back");
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::filesystem::path file_path(const std::filesystem::path& dir, std::int64_t run_id, std::int64_t file_no) {
  return dir / fmt::format("premium-notices-{}-{:03}.pdf", run_id, file_no);
}

// The amount each person of a range was last told for FY (their latest notice).
Result<std::map<std::string, std::int64_t>> last_noticed(store::Connection& c, int fy, const std::string& after,
                                                         const std::string& upto) {
  auto rows = c.query(
      "SELECT n.person_id, a.amount, n.notice_id FROM premium_notice n JOIN premium_assessment a "
      "ON a.assessment_id = n.assessment_id WHERE n.fiscal_year = $1 AND n.person_id > $2 AND n.person_id <= $3 "
      "ORDER BY n.notice_id",
      {static_cast<std::int64_t>(fy), after, upto});
  if (!rows) return std::unexpected(rows.error());
  std::map<std::string, std::int64_t> out;
  for (const auto& r : *rows) out[r.str(0)] = r.i64(1);  // ascending ids: the last one stays
  return out;
}

}  // namespace

Result<PersonNotice> notice_for_person(store::Database& db, const people::CityProfile& city,
                                       const std::vector<PremiumTable>& tables, const std::string& person_id,
                                       int fy, Date issued_on, const std::string& actor) {
  PersonNotice out;
  std::optional<notice::PremiumNoticeData> data;
  auto recorded = db.transaction([&](store::Connection& c) -> Result<void> {
    auto current = c.query_one(
        "SELECT assessment_id, amount FROM premium_assessment WHERE person_id = $1 AND fiscal_year = $2 AND is_current = 1",
        {person_id, static_cast<std::int64_t>(fy)});
    if (!current) return std::unexpected(current.error());
    if (!*current) return fail(ErrorKind::not_found, fmt::format("no assessment of fiscal year {} for this person", fy), "fiscal_year");
    const std::int64_t assessment_id = (*current)->i64(0);
    auto noticed = c.query_one("SELECT notice_id FROM premium_notice WHERE assessment_id = $1", {assessment_id});
    if (!noticed) return std::unexpected(noticed.error());
    if (!*noticed) {  // first print of this assessment: record it
      auto before = last_noticed(c, fy, "", person_id);
      if (!before) return std::unexpected(before.error());
      auto last = before->find(person_id);
      auto ins = c.exec(
          "INSERT INTO premium_notice (assessment_id, person_id, fiscal_year, kind, noticed_before, batch_run_id, file_no, "
          "issued_on, issued_by) VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, $7)",
          {assessment_id, person_id, static_cast<std::int64_t>(fy),
           std::string(last == before->end() ? "decision" : "revision"), last == before->end() ? 0 : last->second,
           issued_on.iso(), actor});
      if (!ins) return std::unexpected(ins.error());
    }
    auto row = c.query_one(fmt::format("SELECT {} FROM premium_notice n JOIN premium_assessment a ON a.assessment_id = "
                                       "n.assessment_id JOIN person p ON p.person_id = a.person_id WHERE n.assessment_id = $1",
                                       kNoticeColumns),
                           {assessment_id});
    if (!row) return std::unexpected(row.error());
    auto d = data_of(**row, city, tables);
    if (!d) return std::unexpected(d.error());
    auto plan = instalments_where(c, "i.person_id = $1 AND i.fiscal_year = $2", {person_id, static_cast<std::int64_t>(fy)});
    if (!plan) return std::unexpected(plan.error());
    add_collection(*d, *plan, person_id);
    out.notice_id = (*row)->i64(0);
    out.kind = (*row)->str(1);
    data = std::move(*d);
    return {};
  });
  if (!recorded) return std::unexpected(recorded.error());
  auto doc = notice::premium_notice(*data);
  if (!doc) return std::unexpected(doc.error());
  const auto path = std::filesystem::temp_directory_path() / fmt::format("kaigo-notice-{}.pdf", to_hex(random_bytes(8)));
  auto writer = notice::PdfWriter::open(path, {"介護保険料額決定通知書", "FK-11"});
  if (!writer) return std::unexpected(writer.error());
  auto added = writer->add(*doc);
  auto finished = writer->finish();
  auto bytes = read_bytes(path);
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!added) return std::unexpected(added.error());
  if (!finished) return std::unexpected(finished.error());
  if (!bytes) return std::unexpected(bytes.error());
  out.pdf = std::move(*bytes);
  return out;
}

Result<NoticeRun> open_notice_run(store::Database& db, const Clock& clock, int fiscal_year, const std::string& actor) {
  const std::string fy_key = std::to_string(fiscal_year);
  NoticeRun run;
  // Resume an unfinished run of the year, or open one when something waits to be noticed.
  auto opened = db.transaction([&](store::Connection& c) -> Result<void> {
    auto open = c.query_one("SELECT batch_run_id FROM batch_run WHERE job = $1 AND run_key LIKE $2 AND status = 'running'",
                            {std::string(kJob), fy_key + "-%"});
    if (!open) return std::unexpected(open.error());
    if (*open) {
      run.batch_run_id = (*open)->i64(0);
      return {};
    }
    auto waiting = c.query_one(
        "SELECT 1 FROM premium_assessment a WHERE a.fiscal_year = $1 AND a.is_current = 1 AND NOT EXISTS "
        "(SELECT 1 FROM premium_notice n WHERE n.assessment_id = a.assessment_id) LIMIT 1",
        {static_cast<std::int64_t>(fiscal_year)});
    if (!waiting) return std::unexpected(waiting.error());
    if (!*waiting) return {};
    auto count = c.query_one("SELECT COUNT(*) FROM batch_run WHERE job = $1 AND run_key LIKE $2",
                             {std::string(kJob), fy_key + "-%"});
    if (!count) return std::unexpected(count.error());
    auto row = c.query_one(
        "INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, started_by) "
        "VALUES ($1, $2, 'running', '', 0, $3, $4) RETURNING batch_run_id",
        {std::string(kJob), fmt::format("{}-{}", fy_key, (*count)->i64(0) + 1), clock.timestamp(), actor});
    if (!row) return std::unexpected(row.error());
    run.batch_run_id = (*row)->i64(0);
    return {};
  });
  if (!opened) return std::unexpected(opened.error());
  run.status = run.batch_run_id == 0 ? "nothing_to_notice" : "running";
  return run;
}

Result<NoticeRun> run_premium_notices(store::Database& db, const Clock& clock, const people::CityProfile& city,
                                      const std::vector<PremiumTable>& tables, const NoticeRunOptions& o) {
  auto opened = open_notice_run(db, clock, o.fiscal_year, o.actor);
  if (!opened) return std::unexpected(opened.error());
  NoticeRun run = *opened;
  if (run.batch_run_id == 0) return run;
  const std::string issued_on = clock.today().iso();

  // Phase 1: record the notices, chunk by chunk, with the cursor.
  for (;;) {
    bool phase1_done = false;
    auto chunk = db.transaction([&](store::Connection& c) -> Result<void> {
      auto state = c.query_one(fmt::format("SELECT cursor, done_count FROM batch_run WHERE batch_run_id = $1{}", c.for_update()),
                               {run.batch_run_id});
      if (!state) return std::unexpected(state.error());
      const std::string cursor = (*state)->str(0);
      if (cursor.starts_with(kRenderCursor)) {
        phase1_done = true;
        return {};
      }
      std::int64_t done = (*state)->i64(1);
      auto due = c.query(
          "SELECT a.assessment_id, a.person_id, a.amount FROM premium_assessment a WHERE a.fiscal_year = $1 "
          "AND a.is_current = 1 AND a.person_id > $2 AND NOT EXISTS (SELECT 1 FROM premium_notice n "
          "WHERE n.assessment_id = a.assessment_id) ORDER BY a.person_id LIMIT $3",
          {static_cast<std::int64_t>(o.fiscal_year), cursor, static_cast<std::int64_t>(o.chunk)});
      if (!due) return std::unexpected(due.error());
      if (due->empty()) {
        auto r = c.exec("UPDATE batch_run SET cursor = $1 WHERE batch_run_id = $2",
                        {std::string(kRenderCursor) + "0", run.batch_run_id});
        if (!r) return std::unexpected(r.error());
        phase1_done = true;
        return {};
      }
      auto before = last_noticed(c, o.fiscal_year, cursor, due->back().str(1));
      if (!before) return std::unexpected(before.error());
      std::vector<store::Params> rows;
      for (const auto& r : *due) {
        auto last = before->find(r.str(1));
        // A first notice of nothing to pay is not sent (the person was never charged this year).
        if (last == before->end() && r.i64(2) == 0) continue;
        rows.push_back({r.i64(0), r.str(1), static_cast<std::int64_t>(o.fiscal_year),
                        std::string(last == before->end() ? "decision" : "revision"),
                        last == before->end() ? std::int64_t{0} : last->second, run.batch_run_id,
                        done / o.notices_per_file, issued_on, o.actor});
        ++done;
      }
      std::size_t next = 0;
      auto loaded = c.bulk_insert("premium_notice",
                                  {"assessment_id", "person_id", "fiscal_year", "kind", "noticed_before", "batch_run_id",
                                   "file_no", "issued_on", "issued_by"},
                                  [&](store::Params& p) {
                                    if (next == rows.size()) return false;
                                    p = rows[next++];
                                    return true;
                                  });
      if (!loaded) return std::unexpected(loaded.error());
      auto moved = c.exec("UPDATE batch_run SET cursor = $1, done_count = $2 WHERE batch_run_id = $3",
                          {due->back().str(1), done, run.batch_run_id});
      if (!moved) return std::unexpected(moved.error());
      return {};
    });
    if (!chunk) return std::unexpected(chunk.error());
    if (phase1_done) break;
  }

  // Phase 2: render each print file in order; the cursor names the next one.
  std::error_code ec;
  std::filesystem::create_directories(o.output_dir, ec);
  for (;;) {
    auto state = db.query("SELECT cursor, done_count FROM batch_run WHERE batch_run_id = $1", {run.batch_run_id});
    if (!state) return std::unexpected(state.error());
    const std::int64_t file_no = std::stoll(state->at(0).str(0).substr(std::string(kRenderCursor).size()));
    const std::int64_t total = state->at(0).i64(1);
    const std::int64_t files = (total + o.notices_per_file - 1) / o.notices_per_file;
    if (file_no >= files) break;
    const auto path = file_path(o.output_dir, run.batch_run_id, file_no);
    auto writer = notice::PdfWriter::open(path, {"介護保険料額決定通知書", "FK-11"});
    if (!writer) return std::unexpected(writer.error());
    Result<void> drawn;
    auto streamed = db.with_connection([&](store::Connection& c) -> Result<void> {
      auto plan = instalments_where(c,
                                    "EXISTS (SELECT 1 FROM premium_notice n WHERE n.batch_run_id = $1 AND n.file_no = $2 "
                                    "AND n.person_id = i.person_id AND n.fiscal_year = i.fiscal_year)",
                                    {run.batch_run_id, file_no});
      if (!plan) return std::unexpected(plan.error());
      return c.query_each(fmt::format("SELECT {} FROM premium_notice n JOIN premium_assessment a ON a.assessment_id = "
                                      "n.assessment_id JOIN person p ON p.person_id = a.person_id WHERE n.batch_run_id = $1 "
                                      "AND n.file_no = $2 ORDER BY n.notice_id",
                                      kNoticeColumns),
                          {run.batch_run_id, file_no}, [&](const store::Row& r) {
                            auto d = data_of(r, city, tables);
                            if (!d) {
                              drawn = std::unexpected(d.error());
                              return false;
                            }
                            add_collection(*d, *plan, r.str(19));
                            auto doc = notice::premium_notice(*d);
                            if (!doc) {
                              drawn = std::unexpected(doc.error());
                              return false;
                            }
                            drawn = writer->add(*doc);
                            return drawn.has_value();
                          });
    });
    if (!streamed) return std::unexpected(streamed.error());
    if (!drawn) return std::unexpected(drawn.error());
    auto summary = writer->finish();
    if (!summary) return std::unexpected(summary.error());
    auto moved = db.exec("UPDATE batch_run SET cursor = $1 WHERE batch_run_id = $2",
                         {fmt::format("{}{}", kRenderCursor, file_no + 1), run.batch_run_id});
    if (!moved) return std::unexpected(moved.error());
  }
  auto done = db.exec("UPDATE batch_run SET status = 'done', output_path = $1, finished_at = $2 WHERE batch_run_id = $3",
                      {o.output_dir.string(), clock.timestamp(), run.batch_run_id});
  if (!done) return std::unexpected(done.error());

  auto counts = db.query("SELECT kind, COUNT(*), MAX(file_no) FROM premium_notice WHERE batch_run_id = $1 GROUP BY kind",
                         {run.batch_run_id});
  if (!counts) return std::unexpected(counts.error());
  std::int64_t files = 0;
  for (const auto& r : *counts) {
    (r.str(0) == "decision" ? run.decisions : run.revisions) = r.i64(1);
    files = std::max(files, r.i64(2) + 1);
  }
  for (std::int64_t f = 0; f < files; ++f) run.files.push_back(file_path(o.output_dir, run.batch_run_id, f).string());
  run.pages = run.decisions + run.revisions;  // one page per notice
  run.status = "done";
  return run;
}

Result<std::string> resume_notice_runs(store::Database& db, const Clock& clock, const people::CityProfile& city,
                                       const std::vector<PremiumTable>& tables, const std::filesystem::path& output_dir) {
  auto open = db.query("SELECT run_key, started_by FROM batch_run WHERE job = $1 AND status = 'running' ORDER BY batch_run_id",
                       {std::string(kJob)});
  if (!open) return std::unexpected(open.error());
  std::string summary;
  for (const auto& r : *open) {
    NoticeRunOptions o;
    o.fiscal_year = std::stoi(r.str(0).substr(0, r.str(0).find('-')));
    o.actor = r.str(1);
    o.output_dir = output_dir;
    auto run = run_premium_notices(db, clock, city, tables, o);
    if (!run) return std::unexpected(run.error());
    summary += fmt::format("{}FK-11 {}年度: {} decisions, {} revisions in {} files", summary.empty() ? "" : "; ",
                           o.fiscal_year, run->decisions, run->revisions, run->files.size());
  }
  return summary;
}

Result<std::vector<NoticeRunSummary>> list_notice_runs(store::Connection& c, int limit) {
  auto rows = c.query("SELECT batch_run_id, run_key, status, started_at, COALESCE(finished_at, ''), started_by, done_count, "
                      "cursor FROM batch_run WHERE job = $1 ORDER BY batch_run_id DESC LIMIT $2",
                      {std::string(kJob), static_cast<std::int64_t>(limit)});
  if (!rows) return std::unexpected(rows.error());
  std::vector<NoticeRunSummary> out;
  for (const auto& r : *rows) {
    NoticeRunSummary s;
    s.batch_run_id = r.i64(0);
    s.fiscal_year = std::stoi(r.str(1).substr(0, r.str(1).find('-')));
    s.status = r.str(2);
    s.started_at = r.str(3);
    s.finished_at = r.str(4);
    s.started_by = r.str(5);
    s.notices = r.i64(6);
    const std::string cursor = r.str(7);
    s.files = cursor.starts_with(kRenderCursor) ? std::stoll(cursor.substr(std::string(kRenderCursor).size())) : 0;
    out.push_back(s);
  }
  return out;
}

Result<std::filesystem::path> notice_run_file(store::Connection& c, std::int64_t batch_run_id, std::int64_t file_no,
                                              const std::filesystem::path& output_dir) {
  auto runs = list_notice_runs(c, 1000);
  if (!runs) return std::unexpected(runs.error());
  for (const auto& r : *runs)
    if (r.batch_run_id == batch_run_id && file_no >= 0 && file_no < r.files) {
      auto path = file_path(output_dir, batch_run_id, file_no);
      if (std::filesystem::exists(path)) return path;
    }
  return fail(ErrorKind::not_found, "no such print file", "file_no");
}

}  // namespace kaigo::premium
