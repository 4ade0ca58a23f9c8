// The city's tax system simulator (see tax_office_sim.hpp).
#include "sim/zeimu/tax_office_sim.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "premium/zeimu_file.hpp"

namespace kaigo::sim::zeimu {

namespace pz = kaigo::premium::zeimu;

namespace {

constexpr const char* kLedgerColumns =
    "person_id, total_income, public_pension_income, taxable_pension_income, pension_misc_income, salary_income, "
    "land_sale_special_deduction, resident_tax_taxed, taxable_income, recorded_at, tax_income_id";

struct LedgerRow {
  pz::TaxFigures figures;
  std::string recorded_at;
  std::int64_t id = 0;
  int rows = 0;  // ledger rows of the person and year (more than one: corrected since the 当初)
};

void take_row(std::unordered_map<std::uint64_t, LedgerRow>& out, const store::Row& r) {
  LedgerRow l;
  l.figures = pz::TaxFigures{r.i64(1), r.i64(2), r.i64(3), r.i64(4), r.i64(5), r.i64(6), r.i64(7) == 1, r.i64(8)};
  l.recorded_at = r.str(9);
  l.id = r.i64(10);
  l.rows = 1;
  auto [it, fresh] = out.try_emplace(pz::person_key(r.str(0)), l);
  if (fresh) return;
  const int rows = it->second.rows + 1;
  if (std::tie(l.recorded_at, l.id) > std::tie(it->second.recorded_at, it->second.id)) it->second = l;
  it->second.rows = rows;
}

std::int64_t floor_1000(std::int64_t v) { return v / 1000 * 1000; }

}  // namespace

std::string AdvanceSummary::text() const {
  return fmt::format("{} – {}: {} 更正 in {} files", from.iso(), to.iso(), revisions, files);
}

TaxOfficeSim::TaxOfficeSim(store::Database& db, linkage::SimulatorChannel* channel, std::uint64_t seed,
                           TaxOfficeOptions options)
    : db_(db), channel_(channel), prng_(seed), options_(options), day_(options.start) {
  if (!channel_) return;
  channel_->set_handler([this](const linkage::Exchange& e) -> Result<std::optional<linkage::InboundMessage>> {
    std::lock_guard lock(mutex_);
    if (e.flow_id == "FK-01" || e.flow_id == "KY-06") {
      // KY-06 (the benefit's request) is the FK-01 layout and is answered alike, as KY-07.
      const std::string answer_flow = e.flow_id == "FK-01" ? "FK-02" : "KY-07";
      auto answer = answer_locked(e.payload);
      if (!answer) return std::unexpected(answer.error());
      // Answered later (posted), as a tax office does: the dispatcher takes it in on its next poll.
      if (auto d = deliver(fmt::format("{}_answer_re-{}.csv", answer_flow, e.correlation_id), *answer, e.correlation_id,
                           answer_flow);
          !d)
        return std::unexpected(d.error());
    } else if (e.flow_id == "FK-13") {
      fk13_.push_back(e.payload);
    }
    return std::optional<linkage::InboundMessage>{};
  });
}

void TaxOfficeSim::write_to_folder(std::filesystem::path folder_dir) {
  std::lock_guard lock(mutex_);
  folder_ = std::move(folder_dir);
}

Date TaxOfficeSim::today() const {
  std::lock_guard lock(mutex_);
  return day_;
}

std::vector<std::string> TaxOfficeSim::assessment_files() const {
  std::lock_guard lock(mutex_);
  return fk13_;
}

Result<std::string> TaxOfficeSim::answer_request(const std::string& request_csv) {
  std::lock_guard lock(mutex_);
  return answer_locked(request_csv);
}

Result<std::string> TaxOfficeSim::answer_locked(const std::string& request_csv) {
  const pz::RequestParse request = pz::parse_request_file(request_csv);
  if (!request.rows) return std::unexpected(pz::to_error(request.errors, "FK-01 request"));
  // The ledger rows of the persons asked, by year: one scan of the year for a large request,
  // by person for a small one.
  std::map<int, std::vector<std::string>> by_year;
  for (const auto& r : *request.rows) by_year[r.tax_year].push_back(r.person_id);
  std::map<int, std::unordered_map<std::uint64_t, LedgerRow>> ledger;
  auto read = db_.with_connection([&](store::Connection& c) -> Result<void> {
    for (const auto& [year, persons] : by_year) {
      auto& rows = ledger[year];
      const std::string select =
          fmt::format("SELECT {} FROM tax_income WHERE source = 'synthetic_city' AND tax_year = $1", kLedgerColumns);
      if (persons.size() > 2000) {
        auto r = c.query_each(select, {std::int64_t{year}}, [&](const store::Row& row) {
          take_row(rows, row);
          return true;
        });
        if (!r) return r;
        continue;
      }
      for (const auto& p : persons) {
        auto r = c.query_each(select + " AND person_id = $2", {std::int64_t{year}, p}, [&](const store::Row& row) {
          take_row(rows, row);
          return true;
        });
        if (!r) return r;
      }
    }
    return {};
  });
  if (!read) return std::unexpected(read.error());
  std::string out = pz::write_answer_file({});
  out.reserve(out.size() + request.rows->size() * 64);
  for (const auto& r : *request.rows) {
    pz::AnswerRow a{0, r.person_id, r.tax_year, pz::RowKind::undeclared, {}};
    const auto& rows = ledger[r.tax_year];
    if (auto it = rows.find(pz::person_key(r.person_id)); it != rows.end()) {
      a.kind = it->second.rows > 1 ? pz::RowKind::revision : pz::RowKind::initial;
      a.figures = it->second.figures;
      // Revisions prefer the persons kaigo asked about that the ledger holds.
      if (asked_set_.insert(r.person_id).second) asked_.push_back(r.person_id);
    }
    out += pz::answer_line(a);
  }
  return out;
}

Result<int> TaxOfficeSim::take_folder_requests() {
  namespace fs = std::filesystem;
  std::lock_guard lock(mutex_);
  if (!folder_) return fail(ErrorKind::unavailable, "the tax office simulator has no folder");
  const fs::path out = *folder_ / "out";
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && (name.starts_with("FK-01_") || name.starts_with("KY-06_")) && name.ends_with(".csv"))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  int answered = 0;
  for (const auto& path : files) {
    const std::string name = path.filename().string();
    if (answered_files_.contains(name)) continue;
    std::ifstream f(path, std::ios::binary);
    std::stringstream buf;
    buf << f.rdbuf();
    auto answer = answer_locked(buf.str());
    if (!answer) return std::unexpected(answer.error());
    const std::string correlation = path.stem().string().substr(6);  // after "FK-01_" / "KY-06_"
    const std::string answer_flow = name.starts_with("FK-01_") ? "FK-02" : "KY-07";
    if (auto d = deliver(fmt::format("{}_answer_re-{}.csv", answer_flow, correlation), *answer, correlation, answer_flow); !d)
      return std::unexpected(d.error());
    answered_files_.insert(name);
    ++answered;
  }
  return answered;
}

Result<void> TaxOfficeSim::ensure_loaded() {
  if (loaded_) return {};
  auto r = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto year = c.query_one("SELECT MAX(tax_year) FROM tax_income WHERE source = 'synthetic_city'");
    if (!year) return std::unexpected(year.error());
    ledger_year_ = *year ? static_cast<int>((*year)->i64(0)) : 0;
    return c.query_each(
        "SELECT DISTINCT person_id FROM tax_income WHERE source = 'synthetic_city' AND tax_year = $1 ORDER BY person_id",
        {std::int64_t{ledger_year_}}, [&](const store::Row& row) {
          ledger_persons_.push_back(row.str(0));
          return true;
        });
  });
  if (!r) return r;
  loaded_ = true;
  return {};
}

// One day of 更正: persons drawn (those kaigo asked about first), their latest ledger row changed
// as a 修正申告 or the tax office's 更正 would, written as a later ledger row; `file` gets the FK-02
// revision file. Returns how many.
Result<int> TaxOfficeSim::revise_one_day(Date day, std::string& file) {
  const std::vector<std::string>& pool = asked_.empty() ? ledger_persons_ : asked_;
  if (pool.empty() || ledger_year_ == 0) return 0;
  int n = options_.daily_revisions;
  if (n < 0) {
    // ≈ 1.5% of the ledger a year: the expected count per day, its fraction by chance.
    const std::uint64_t per_year_milli = ledger_persons_.size() * 15;  // × 1/1000
    n = static_cast<int>(per_year_milli / 365000);
    if (prng_.chance(per_year_milli % 365000, 365000)) ++n;
  }
  std::vector<pz::AnswerRow> rows;
  std::set<std::string> done;
  const std::string recorded_at = fmt::format("{}T09:00:00+09:00", day.iso());
  auto r = db_.transaction([&](store::Connection& c) -> Result<void> {
    for (int i = 0; i < n; ++i) {
      const std::string& person = pool[prng_.below(pool.size())];
      if (!done.insert(person).second) continue;
      std::unordered_map<std::uint64_t, LedgerRow> latest;
      auto q = c.query_each(fmt::format("SELECT {} FROM tax_income WHERE source = 'synthetic_city' AND tax_year = $1 "
                                        "AND person_id = $2",
                                        kLedgerColumns),
                            {std::int64_t{ledger_year_}, person}, [&](const store::Row& row) {
                              take_row(latest, row);
                              return true;
                            });
      if (!q) return q;
      if (latest.empty()) continue;  // asked about, but not in the ledger (未申告): nothing to correct
      pz::TaxFigures f = latest.begin()->second.figures;
      // A late 給与 declaration (income up), a deduction found (income down), or a pension
      // correction — each keeping the layout's invariants (雑所得 ≤ 収入, 課税所得 ≤ 合計所得).
      const std::uint64_t kind = prng_.below(10);
      std::int64_t delta = 0;
      if (kind < 5) {
        delta = prng_.between(5, 150) * 10000;
        f.salary_income += delta;
      } else if (kind < 8) {
        delta = -std::min<std::int64_t>(prng_.between(1, 50) * 10000, f.salary_income);
        f.salary_income += delta;
        if (delta == 0) {
          delta = prng_.between(1, 20) * 10000;
          f.salary_income += delta;
        }
      } else {
        delta = prng_.between(1, 30) * 10000;
        f.public_pension_income += delta;
        f.taxable_pension_income += delta;
        f.pension_misc_income += delta;
      }
      f.total_income += delta;
      // The 非課税 line of a single person of this city (地方税法295条: 35万 + 10万, rounded up to
      // 45万): below it untaxed; a large increase makes the person taxed.
      if (f.total_income <= 450000) f.resident_tax_taxed = false;
      else if (delta >= 1000000) f.resident_tax_taxed = true;
      f.taxable_income = f.resident_tax_taxed
                             ? std::clamp<std::int64_t>(floor_1000(f.taxable_income + delta), 0,
                                                        std::max<std::int64_t>(f.total_income, 0))
                             : 0;
      auto ins = c.exec(
          "INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
          "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income, source, "
          "source_exchange_id, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
          "'synthetic_city', NULL, $11, 'simulator:zeimu')",
          {person, std::int64_t{ledger_year_}, f.total_income, f.public_pension_income, f.taxable_pension_income,
           f.pension_misc_income, f.salary_income, f.land_sale_special_deduction,
           std::int64_t{f.resident_tax_taxed ? 1 : 0}, f.taxable_income, recorded_at});
      if (!ins) return std::unexpected(ins.error());
      rows.push_back(pz::AnswerRow{0, person, ledger_year_, pz::RowKind::revision, f});
    }
    return {};
  });
  if (!r) return std::unexpected(r.error());
  file = rows.empty() ? std::string() : pz::write_answer_file(rows);
  return static_cast<int>(rows.size());
}

Result<void> TaxOfficeSim::deliver(const std::string& name, const std::string& csv, const std::string& in_reply_to,
                                   const std::string& flow) {
  if (folder_) {
    namespace fs = std::filesystem;
    const fs::path in = *folder_ / "in";
    std::error_code ec;
    fs::create_directories(in, ec);
    const fs::path tmp = in / (".tmp-" + name);
    {
      std::ofstream f(tmp, std::ios::binary);
      f << csv;
      if (!f) return fail(ErrorKind::unavailable, fmt::format("cannot write {}", tmp.string()));
    }
    fs::rename(tmp, in / name, ec);
    if (ec) return fail(ErrorKind::unavailable, fmt::format("cannot rename into {}", in.string()));
    return {};
  }
  if (!channel_) return fail(ErrorKind::unavailable, "the tax office simulator has neither a channel nor a folder");
  linkage::InboundMessage m;
  m.flow_id = flow;
  m.counterpart = "zeimu";
  m.payload = csv;
  m.content_type = "text/csv";
  m.in_reply_to = in_reply_to;
  m.purpose = fmt::format("file {} from zeimu", name);  // the same words the folder channel uses
  m.actor = "simulator:zeimu";
  channel_->post(std::move(m));
  return {};
}

Result<AdvanceSummary> TaxOfficeSim::advance_days(int days) {
  if (days < 1 || days > 366) return fail(ErrorKind::invalid_input, "days must be 1..366", "days");
  std::lock_guard lock(mutex_);
  if (auto l = ensure_loaded(); !l) return std::unexpected(l.error());
  AdvanceSummary s;
  s.from = day_;
  for (int i = 0; i < days; ++i) {
    const Date day = day_;
    std::string file;
    auto n = revise_one_day(day, file);
    if (!n) return std::unexpected(n.error());
    s.to = day;
    day_ = day_.add_days(1);
    if (*n == 0) continue;
    if (auto d = deliver(fmt::format("FK-02_kosei_{}.csv", day.compact()), file, ""); !d)
      return std::unexpected(d.error());
    s.revisions += *n;
    ++s.files;
  }
  return s;
}

Result<std::string> TaxOfficeSim::advance(int days) {
  auto s = advance_days(days);
  if (!s) return std::unexpected(s.error());
  return s->text();
}

}  // namespace kaigo::sim::zeimu
