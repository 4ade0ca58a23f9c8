#include "eligibility/movement_case_store.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "gateway/inquiry_store.hpp"

namespace kaigo::eligibility::detail {

// SQLite numbers $n parameters in order of FIRST APPEARANCE in the text, so every statement here
// uses $1, $2, … in the order they appear (both databases then bind the same Params alike).

namespace {

constexpr const char* kCaseColumns =
    "case_id, person_id, movement_kind, movement_date, new_address_on, notified_on, notifier, note, status, "
    "outcome_revision_id, outcome_summary, created_at, created_by, completed_at, completed_by, cancelled_at, "
    "cancelled_by, cancel_reason";

Result<MovementCase> case_from_row(const store::Row& r) {
  MovementCase k;
  k.case_id = r.i64(0);
  k.person_id = r.opt_str(1);
  auto kind = parse_movement_kind(r.str(2));
  if (!kind) return fail(ErrorKind::internal, "a stored case has an unknown movement kind");
  k.movement_kind = *kind;
  k.movement_date = r.str(3);
  k.new_address_on = r.opt_str(4);
  k.notified_on = r.str(5);
  k.notifier = r.str(6);
  k.note = r.str(7);
  k.status = r.str(8);
  k.outcome_revision_id = r.opt_i64(9);
  k.outcome_summary = r.opt_str(10);
  k.created_at = r.str(11);
  k.created_by = r.str(12);
  k.completed_at = r.opt_str(13);
  k.completed_by = r.opt_str(14);
  k.cancelled_at = r.opt_str(15);
  k.cancelled_by = r.opt_str(16);
  k.cancel_reason = r.opt_str(17);
  return k;
}

template <typename T>
Result<void> ok_or(const Result<T>& r) {
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace

Result<std::optional<MovementCase>> find_case_row(store::Connection& c, std::int64_t case_id, bool lock) {
  auto row = c.query_one(fmt::format("SELECT {} FROM movement_case WHERE case_id = $1{}", kCaseColumns,
                                     lock ? c.for_update() : std::string_view()),
                         {case_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<MovementCase>{};
  auto k = case_from_row(**row);
  if (!k) return std::unexpected(k.error());
  return std::optional<MovementCase>{std::move(*k)};
}

Result<std::optional<MovementCase>> load_case(store::Connection& c, std::int64_t case_id) {
  auto found = find_case_row(c, case_id, false);
  if (!found || !*found) return found;
  MovementCase& k = **found;
  if (k.person_id) {
    auto name = c.query_one("SELECT name_kanji FROM person WHERE person_id = $1", {*k.person_id});
    if (!name) return std::unexpected(name.error());
    if (*name) k.name_kanji = (*name)->str(0);
  }
  auto checks = c.query(
      "SELECT item, label, satisfied_by, done, done_by, done_at FROM movement_case_check WHERE case_id = $1 "
      "ORDER BY position, item",
      {case_id});
  if (!checks) return std::unexpected(checks.error());
  for (const auto& r : *checks)
    k.checklist.push_back(CaseCheck{r.str(0), r.str(1), r.str(2), r.i64(3) == 1, r.opt_str(4), r.opt_str(5)});
  auto links = c.query(fmt::format("SELECT {}, m.applied_at, m.applied_by, m.apply_summary FROM inquiry JOIN "
                                   "(SELECT inquiry_id AS linked_id, applied_at, applied_by, apply_summary "
                                   "FROM movement_case_inquiry WHERE case_id = $1) m ON m.linked_id = inquiry.inquiry_id "
                                   "ORDER BY m.linked_id",
                                   gateway::detail::kInquiryColumns),
                       {case_id});
  if (!links) return std::unexpected(links.error());
  for (const auto& r : *links) {
    auto q = gateway::detail::inquiry_from_row(r);
    if (!q) return std::unexpected(q.error());
    const std::size_t n = r.size();
    CaseInquiry ci{std::move(*q), !r.is_null(n - 3), r.opt_str(n - 3), r.opt_str(n - 2), r.opt_str(n - 1)};
    k.inquiries.push_back(std::move(ci));
  }
  auto contact = c.query_one(
      "SELECT question, asked_on, asked_by, answer, answered_on, answered_by FROM non_registered_contact WHERE case_id = $1",
      {case_id});
  if (!contact) return std::unexpected(contact.error());
  if (*contact) {
    const auto& r = **contact;
    k.non_registered = NonRegisteredContact{r.str(0), r.str(1), r.str(2), r.opt_str(3), r.opt_str(4), r.opt_str(5)};
  }
  if (k.outcome_revision_id) {
    auto rev = c.query_one("SELECT changes FROM eligibility_revision WHERE revision_id = $1", {*k.outcome_revision_id});
    if (!rev) return std::unexpected(rev.error());
    if (*rev) k.outcome_changes = (*rev)->str(0);
  }
  return found;
}

Result<std::vector<CaseSummary>> list_cases(store::Connection& c, const std::string& status, int limit) {
  std::string sql =
      "SELECT m.case_id, m.person_id, p.name_kanji, m.movement_kind, m.movement_date, m.notified_on, m.status, "
      "m.created_at, m.created_by, m.notifier, m.note, m.completed_at, m.completed_by, "
      "(SELECT COUNT(*) FROM movement_case_check k WHERE k.case_id = m.case_id AND k.done = 1), "
      "(SELECT COUNT(*) FROM movement_case_check k WHERE k.case_id = m.case_id) "
      "FROM movement_case m LEFT JOIN person p ON p.person_id = m.person_id ";
  store::Params params;
  if (!status.empty()) {
    sql += "WHERE m.status = CAST($1 AS TEXT) ";
    params.emplace_back(status);
  }
  sql += fmt::format("ORDER BY m.case_id DESC LIMIT {}", limit);
  auto rows = c.query(sql, params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<CaseSummary> out;
  for (const auto& r : *rows) {
    auto kind = parse_movement_kind(r.str(3));
    if (!kind) return fail(ErrorKind::internal, "a stored case has an unknown movement kind");
    out.push_back(CaseSummary{r.i64(0), r.opt_str(1), r.opt_str(2), *kind, r.str(4), r.str(5), r.str(9), r.str(10),
                              r.str(6), r.str(7), r.str(8), r.opt_str(11), r.opt_str(12), static_cast<int>(r.i64(13)),
                              static_cast<int>(r.i64(14))});
  }
  return out;
}

Result<std::int64_t> insert_case(store::Connection& c, const MovementCase& k) {
  auto row = c.query_one(
      "INSERT INTO movement_case (person_id, movement_kind, movement_date, new_address_on, notified_on, notifier, note, "
      "status, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9) RETURNING case_id",
      {store::opt(k.person_id), std::string(to_code(k.movement_kind)), k.movement_date, store::opt(k.new_address_on),
       k.notified_on, k.notifier, k.note, k.created_at, k.created_by});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::internal, "INSERT … RETURNING gave no row");
  return (*row)->i64(0);
}

Result<void> insert_checks(store::Connection& c, std::int64_t case_id, const std::vector<ChecklistItem>& items) {
  // A handful of rows per case: one INSERT per item is fine here (not a bulk load).
  int position = 0;
  for (const auto& item : items) {
    auto r = c.exec(
        "INSERT INTO movement_case_check (case_id, item, position, label, satisfied_by, done) VALUES ($1, $2, $3, $4, $5, 0)",
        {case_id, item.item, std::int64_t{++position}, item.label, item.satisfied_by});
    if (!r) return std::unexpected(r.error());
  }
  return {};
}

Result<void> delete_undone_checks_except(store::Connection& c, std::int64_t case_id, const std::vector<ChecklistItem>& keep) {
  auto rows = c.query("SELECT item FROM movement_case_check WHERE case_id = $1 AND done = 0", {case_id});
  if (!rows) return std::unexpected(rows.error());
  for (const auto& r : *rows) {
    const std::string item = r.str(0);
    if (std::any_of(keep.begin(), keep.end(), [&](const ChecklistItem& k) { return k.item == item; })) continue;
    if (auto d = c.exec("DELETE FROM movement_case_check WHERE case_id = $1 AND item = $2", {case_id, item}); !d)
      return std::unexpected(d.error());
  }
  return {};
}

Result<std::int64_t> set_check(store::Connection& c, std::int64_t case_id, const std::string& item, bool done,
                               const std::string& actor, const std::string& at) {
  if (done)
    return c.exec(
        "UPDATE movement_case_check SET done = 1, done_by = $1, done_at = $2 WHERE case_id = $3 AND item = $4 AND done = 0",
        {actor, at, case_id, item});
  return c.exec(
      "UPDATE movement_case_check SET done = 0, done_by = NULL, done_at = NULL WHERE case_id = $1 AND item = $2 AND done = 1",
      {case_id, item});
}

Result<void> tick_satisfied(store::Connection& c, std::int64_t case_id, const std::string& satisfied_by,
                            const std::string& actor, const std::string& at) {
  return ok_or(c.exec(
      "UPDATE movement_case_check SET done = 1, done_by = $1, done_at = $2 WHERE case_id = $3 AND satisfied_by = $4 "
      "AND done = 0",
      {actor, at, case_id, satisfied_by}));
}

Result<void> link_inquiry(store::Connection& c, std::int64_t case_id, std::int64_t inquiry_id) {
  return ok_or(c.exec("INSERT INTO movement_case_inquiry (case_id, inquiry_id) VALUES ($1, $2)", {case_id, inquiry_id}));
}

Result<std::optional<std::optional<std::string>>> inquiry_link(store::Connection& c, std::int64_t case_id,
                                                                std::int64_t inquiry_id) {
  auto row = c.query_one("SELECT applied_at FROM movement_case_inquiry WHERE case_id = $1 AND inquiry_id = $2",
                         {case_id, inquiry_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::optional<std::string>>{};
  return std::optional<std::optional<std::string>>{(*row)->opt_str(0)};
}

Result<void> mark_applied(store::Connection& c, std::int64_t case_id, std::int64_t inquiry_id, const std::string& actor,
                          const std::string& at, const std::string& summary) {
  return ok_or(c.exec(
      "UPDATE movement_case_inquiry SET applied_at = $1, applied_by = $2, apply_summary = $3 "
      "WHERE case_id = $4 AND inquiry_id = $5 AND applied_at IS NULL",
      {at, actor, summary, case_id, inquiry_id}));
}

Result<void> save_question(store::Connection& c, std::int64_t case_id, const std::string& question,
                           const std::string& asked_on, const std::string& actor) {
  return ok_or(c.exec(
      "INSERT INTO non_registered_contact (case_id, question, asked_on, asked_by) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (case_id) DO UPDATE SET question = excluded.question, asked_on = excluded.asked_on, "
      "asked_by = excluded.asked_by",
      {case_id, question, asked_on, actor}));
}

Result<void> save_answer(store::Connection& c, std::int64_t case_id, const std::string& answer,
                         const std::string& answered_on, const std::string& actor) {
  return ok_or(c.exec(
      "UPDATE non_registered_contact SET answer = $1, answered_on = $2, answered_by = $3 WHERE case_id = $4",
      {answer, answered_on, actor, case_id}));
}

Result<void> set_person(store::Connection& c, std::int64_t case_id, const std::string& person_id) {
  return ok_or(c.exec("UPDATE movement_case SET person_id = $1 WHERE case_id = $2 AND person_id IS NULL", {person_id, case_id}));
}

Result<void> finish_case(store::Connection& c, std::int64_t case_id, const std::string& status,
                         std::optional<std::int64_t> revision_id, const std::string& summary, const std::string& actor,
                         const std::string& at, const std::string& cancel_reason) {
  if (status == "completed")
    return ok_or(c.exec(
        "UPDATE movement_case SET status = 'completed', outcome_revision_id = $1, outcome_summary = $2, completed_at = $3, "
        "completed_by = $4 WHERE case_id = $5 AND status = 'open'",
        {store::opt(revision_id), summary, at, actor, case_id}));
  return ok_or(c.exec(
      "UPDATE movement_case SET status = 'cancelled', cancelled_at = $1, cancelled_by = $2, cancel_reason = $3 "
      "WHERE case_id = $4 AND status = 'open'",
      {at, actor, cancel_reason, case_id}));
}

}  // namespace kaigo::eligibility::detail
