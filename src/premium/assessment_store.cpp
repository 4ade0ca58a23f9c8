// The premium_assessment rows (migration 009): reading, and writing a new revision only when the
// result changed. New rows of a chunk are loaded in bulk (COPY on PostgreSQL).
#include <fmt/format.h>

#include "premium/assessment_internal.hpp"

namespace kaigo::premium::detail {

const char* const kAssessmentColumns =
    "assessment_id, person_id, fiscal_year, revision, is_current, insured_no, base_date, stage, stage_label, ratio, "
    "reduced, annual_amount, months, amount, previous_amount, table_name, table_sha256, table_effective_from, inputs, "
    "explanation, cause, batch_run_id, assessed_at, assessed_by";

Assessment row_to_assessment(const store::Row& r) {
  Assessment a;
  a.assessment_id = r.i64(0);
  a.person_id = r.str(1);
  a.fiscal_year = static_cast<int>(r.i64(2));
  a.revision = static_cast<int>(r.i64(3));
  a.is_current = r.i64(4) == 1;
  a.insured_no = r.str(5);
  a.base_date = r.str(6);
  a.stage = static_cast<int>(r.i64(7));
  a.stage_label = r.str(8);
  a.ratio = r.str(9);
  a.reduced = r.i64(10) == 1;
  a.annual_amount = r.i64(11);
  a.months = static_cast<int>(r.i64(12));
  a.amount = r.i64(13);
  a.previous_amount = r.i64(14);
  a.table_name = r.str(15);
  a.table_sha256 = r.str(16);
  a.table_effective_from = r.str(17);
  a.inputs = r.str(18);
  a.explanation = r.str(19);
  a.cause = r.str(20);
  a.batch_run_id = r.opt_i64(21);
  a.assessed_at = r.str(22);
  a.assessed_by = r.str(23);
  return a;
}

namespace {

const std::vector<std::string> kInsertColumns = {
    "person_id", "fiscal_year", "revision", "is_current", "insured_no", "base_date", "stage", "stage_label",
    "ratio", "reduced", "annual_amount", "months", "amount", "previous_amount", "table_name", "table_sha256",
    "table_effective_from", "inputs", "explanation", "cause", "batch_run_id", "assessed_at", "assessed_by"};

store::Params insert_params(const Assessment& a) {
  return {a.person_id, static_cast<std::int64_t>(a.fiscal_year), static_cast<std::int64_t>(a.revision),
          std::int64_t{1}, a.insured_no, a.base_date, static_cast<std::int64_t>(a.stage), a.stage_label, a.ratio,
          std::int64_t{a.reduced ? 1 : 0}, a.annual_amount, static_cast<std::int64_t>(a.months), a.amount,
          a.previous_amount, a.table_name, a.table_sha256, a.table_effective_from, a.inputs, a.explanation, a.cause,
          store::opt(a.batch_run_id), a.assessed_at, a.assessed_by};
}

// Fills the revision fields of `computed` from the current row; false when nothing changed.
bool prepare(const PersonFacts& person, Computed& computed, const std::string& cause,
             std::optional<std::int64_t> batch_run_id, const std::string& now, const std::string& actor) {
  Assessment& a = computed.row;
  if (person.current && compare_key_of(*person.current) == computed.compare_key) return false;
  a.revision = person.current ? person.current->revision + 1 : 0;
  a.previous_amount = person.current ? person.current->amount : 0;
  a.is_current = true;
  a.cause = cause;
  a.batch_run_id = batch_run_id;
  a.assessed_at = now;
  a.assessed_by = actor;
  return true;
}

Result<void> retire(store::Connection& c, const Assessment& old) {
  auto r = c.exec("UPDATE premium_assessment SET is_current = 0 WHERE assessment_id = $1", {old.assessment_id});
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace

Result<WriteResult> write_if_changed(store::Connection& c, const PersonFacts& person, Computed computed,
                                     const std::string& cause, std::optional<std::int64_t> batch_run_id,
                                     const std::string& now, const std::string& actor) {
  if (!prepare(person, computed, cause, batch_run_id, now, actor))
    return WriteResult{AssessOutcome::Kind::unchanged, person.current};
  if (person.current) {
    auto r = retire(c, *person.current);
    if (!r) return std::unexpected(r.error());
  }
  std::string columns;
  for (const auto& col : kInsertColumns) columns += (columns.empty() ? "" : ", ") + col;
  auto id = c.query_one(fmt::format("INSERT INTO premium_assessment ({}) VALUES ({}) RETURNING assessment_id", columns,
                                    store::numbered_params(kInsertColumns.size())),
                        insert_params(computed.row));
  if (!id) return std::unexpected(id.error());
  computed.row.assessment_id = (*id)->i64(0);
  const auto kind = person.current ? AssessOutcome::Kind::revised : AssessOutcome::Kind::created;
  return WriteResult{kind, std::move(computed.row)};
}

Result<BatchCounts> write_batch(store::Connection& c, std::vector<PendingWrite>& writes, const std::string& cause,
                                std::optional<std::int64_t> batch_run_id, const std::string& now,
                                const std::string& actor) {
  BatchCounts counts;
  std::vector<const Assessment*> rows;
  for (auto& w : writes) {
    if (!prepare(*w.person, w.computed, cause, batch_run_id, now, actor)) {
      ++counts.unchanged;
      continue;
    }
    if (w.person->current) {
      auto r = retire(c, *w.person->current);
      if (!r) return std::unexpected(r.error());
      ++counts.revised;
    } else {
      ++counts.created;
    }
    rows.push_back(&w.computed.row);
  }
  std::size_t next = 0;
  auto loaded = c.bulk_insert("premium_assessment", kInsertColumns, [&](store::Params& p) {
    if (next == rows.size()) return false;
    p = insert_params(*rows[next++]);
    return true;
  });
  if (!loaded) return std::unexpected(loaded.error());
  return counts;
}

}  // namespace kaigo::premium::detail

namespace kaigo::premium {
using detail::kAssessmentColumns;
using detail::row_to_assessment;

Result<std::vector<Assessment>> assessments_for(store::Connection& c, const std::string& person_id) {
  auto rows = c.query(fmt::format("SELECT {} FROM premium_assessment WHERE person_id = $1 "
                                  "ORDER BY fiscal_year DESC, revision DESC",
                                  kAssessmentColumns),
                      {person_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<Assessment> out;
  for (const auto& r : *rows) out.push_back(row_to_assessment(r));
  return out;
}

Result<std::optional<Assessment>> current_assessment(store::Connection& c, const std::string& person_id,
                                                     int fiscal_year) {
  auto row = c.query_one(fmt::format("SELECT {} FROM premium_assessment WHERE person_id = $1 AND fiscal_year = $2 "
                                     "AND is_current = 1",
                                     kAssessmentColumns),
                         {person_id, static_cast<std::int64_t>(fiscal_year)});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Assessment>{};
  return std::optional<Assessment>{row_to_assessment(**row)};
}

}  // namespace kaigo::premium
