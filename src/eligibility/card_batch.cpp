#include "eligibility/card_batch.hpp"

#include <fmt/format.h>

#include "eligibility/register.hpp"
#include "eligibility/rules.hpp"

namespace kaigo::eligibility {

namespace {

constexpr const char* kJob = "insurance_cards_turning_65";

// The card's facility panel: 住所地特例 stays of our insured in a facility elsewhere.
void add_facilities(const RegisterView& v, notice::InsuranceCardData& card) {
  for (const auto& r : v.former_address_rules) {
    if (r.direction != FormerAddressDirection::ours_living_elsewhere) continue;
    if (card.facilities.size() == notice::kCardFacilityRows) break;
    card.facilities.push_back({"住所地特例対象施設", r.facility_name, r.started_on, r.ended_on});
  }
}

Result<CardBatchRun> run_from(const store::Row& r) {
  return CardBatchRun{r.i64(0), r.str(1), r.str(2), r.i64(3), r.str(4), r.str(5), r.str(6), r.str(7)};
}

constexpr const char* kRunColumns =
    "batch_run_id, run_key, status, done_count, COALESCE(output_path, ''), started_at, COALESCE(finished_at, ''), started_by";

}  // namespace

Result<std::optional<notice::InsuranceCardData>> card_data_for(store::Connection& c, const people::CityProfile& city,
                                                               const std::string& person_id, Date issued_on) {
  auto person = c.query_one(
      "SELECT name_kanji, name_kana, birth_date, sex, address FROM person WHERE person_id = $1", {person_id});
  if (!person) return std::unexpected(person.error());
  if (!*person) return std::optional<notice::InsuranceCardData>{};
  auto view = load_register(c, person_id);
  if (!view) return std::unexpected(view.error());
  const RegisterView& v = **view;
  if (!v.insured_no) return fail(ErrorKind::conflict, "this person has no 被保険者番号: not insured, so there is no card", "insured_no");
  // In force on the issue date, or starting later inside the horizon (a card sent before the 65th).
  bool insured = period_on(v.periods, issued_on).has_value();
  for (const auto& p : v.periods)
    if (p.acquired_on > issued_on) insured = true;
  if (!insured) return fail(ErrorKind::conflict, "this person is not insured on or after the issue date", "person_id");
  auto birth = Date::parse((*person)->str(2));
  if (!birth) return fail(ErrorKind::internal, "a stored birth date is not a date");
  notice::InsuranceCardData card;
  card.insured_no = *v.insured_no;
  card.address = (*person)->str(4);
  card.name_kana = (*person)->str(1);
  card.name = (*person)->str(0);
  card.birth_date = *birth;
  card.sex = (*person)->str(3) == "1" ? notice::Sex::male : notice::Sex::female;
  card.issued_on = issued_on;
  card.insurer_no = city.insurer_no;
  card.insurer_name = city.insurer_name;
  add_facilities(v, card);
  return std::optional<notice::InsuranceCardData>{std::move(card)};
}

Result<std::int64_t> record_card_issue(store::Connection& c, const std::string& person_id, const std::string& insured_no,
                                       Date issued_on, const std::string& reason, std::optional<std::int64_t> batch_run_id,
                                       const std::string& actor) {
  auto row = c.query_one(
      "INSERT INTO insurance_card_issue (person_id, insured_no, issued_on, reason, batch_run_id, issued_by) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING card_issue_id",
      {person_id, insured_no, issued_on.iso(), reason, store::opt(batch_run_id), actor});
  if (!row) return std::unexpected(row.error());
  return (*row)->i64(0);
}

Result<std::vector<CardIssue>> card_issues_for(store::Connection& c, const std::string& person_id) {
  auto rows = c.query(
      "SELECT card_issue_id, insured_no, issued_on, reason, issued_by, batch_run_id FROM insurance_card_issue "
      "WHERE person_id = $1 ORDER BY card_issue_id DESC",
      {person_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<CardIssue> out;
  for (const auto& r : *rows) out.push_back(CardIssue{r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.opt_i64(5)});
  return out;
}

Result<std::vector<CardBatchRun>> list_card_batches(store::Connection& c, int limit) {
  auto rows = c.query(fmt::format("SELECT {} FROM batch_run WHERE job = $1 ORDER BY batch_run_id DESC LIMIT $2", kRunColumns),
                      {std::string(kJob), static_cast<std::int64_t>(limit)});
  if (!rows) return std::unexpected(rows.error());
  std::vector<CardBatchRun> out;
  for (const auto& r : *rows) {
    auto run = run_from(r);
    if (!run) return std::unexpected(run.error());
    out.push_back(std::move(*run));
  }
  return out;
}

Result<std::optional<CardBatchRun>> find_card_batch(store::Connection& c, std::int64_t batch_run_id) {
  auto row = c.query_one(fmt::format("SELECT {} FROM batch_run WHERE job = $1 AND batch_run_id = $2", kRunColumns),
                         {std::string(kJob), batch_run_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<CardBatchRun>{};
  auto run = run_from(**row);
  if (!run) return std::unexpected(run.error());
  return std::optional<CardBatchRun>{std::move(*run)};
}

Result<CardBatchRun> run_turning_65_cards(store::Database& db, const Clock& clock, const people::CityProfile& city,
                                          const CardBatchOptions& o) {
  auto first_day = Date::parse(o.month + "-01");
  if (o.month.size() != 7 || !first_day)
    return fail(ErrorKind::invalid_input, "month must be YYYY-MM", "month");
  const Date last_day = first_day->last_of_month();
  // Reaching 65 in the month ⇔ the 65th birthday is in [first+1, last+1] (民法143条: the day
  // before the birthday). Candidates are read a day wider on each side and filtered exactly.
  const Date birth_from = first_day->add_months(-65 * 12).add_days(-1);
  const Date birth_to = last_day.add_months(-65 * 12).add_days(2);

  std::int64_t run_id = 0;
  auto opened = db.transaction([&](store::Connection& c) -> Result<void> {
    auto existing = c.query_one("SELECT batch_run_id FROM batch_run WHERE job = $1 AND run_key = $2",
                                {std::string(kJob), o.month});
    if (!existing) return std::unexpected(existing.error());
    if (*existing) {
      run_id = (*existing)->i64(0);
      return {};
    }
    auto row = c.query_one(
        "INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, started_by) "
        "VALUES ($1, $2, 'running', '', 0, $3, $4) RETURNING batch_run_id",
        {std::string(kJob), o.month, clock.timestamp(), o.actor});
    if (!row) return std::unexpected(row.error());
    run_id = (*row)->i64(0);
    return {};
  });
  if (!opened) return std::unexpected(opened.error());

  const ChangeSource source{"batch", std::nullopt, std::nullopt, o.actor, fmt::format("65歳到達 ({}分 被保険者証)", o.month)};
  // Phase 1: chunks of candidates, cursor moved with each chunk.
  for (;;) {
    bool finished = false;
    auto chunk = db.transaction([&](store::Connection& c) -> Result<void> {
      auto state = c.query_one(fmt::format("SELECT status, cursor FROM batch_run WHERE batch_run_id = $1{}", c.for_update()),
                               {run_id});
      if (!state) return std::unexpected(state.error());
      if ((*state)->str(0) == "done") {
        finished = true;
        return {};
      }
      auto candidates = c.query(
          "SELECT person_id, birth_date FROM person WHERE birth_date >= $1 AND birth_date <= $2 AND person_id > $3 "
          "ORDER BY person_id LIMIT $4",
          {birth_from.iso(), birth_to.iso(), (*state)->str(1), static_cast<std::int64_t>(o.chunk)});
      if (!candidates) return std::unexpected(candidates.error());
      if (candidates->empty()) {
        finished = true;
        return {};
      }
      std::int64_t issued = 0;
      for (const auto& r : *candidates) {
        auto birth = Date::parse(r.str(1));
        if (!birth) return fail(ErrorKind::internal, "a stored birth date is not a date");
        const Date at_65 = date_reaching(*birth, 65);
        if (at_65 < *first_day || at_65 > last_day) continue;
        auto outcome = rederive(c, clock, r.str(0), source);
        if (!outcome) return std::unexpected(outcome.error());
        auto p = period_on(outcome->periods, at_65);
        if (!p || p->category != InsuredCategory::category_1) continue;  // not insured here (moved out, 住所地特例 …)
        auto number = c.query_one("SELECT insured_no FROM insured_number WHERE person_id = $1", {r.str(0)});
        if (!number) return std::unexpected(number.error());
        if (!*number) return fail(ErrorKind::internal, "an insured person has no 被保険者番号");
        auto rec = record_card_issue(c, r.str(0), (*number)->str(0), at_65, "turning_65", run_id, o.actor);
        if (!rec) return std::unexpected(rec.error());
        ++issued;
      }
      auto moved = c.exec("UPDATE batch_run SET cursor = $1, done_count = done_count + $2 WHERE batch_run_id = $3",
                          {candidates->back().str(0), issued, run_id});
      if (!moved) return std::unexpected(moved.error());
      return {};
    });
    if (!chunk) return std::unexpected(chunk.error());
    if (finished) break;
  }

  // Phase 2: one print file from the run's issue rows, in person order.
  std::vector<notice::InsuranceCardData> cards;
  auto read = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto issues = c.query("SELECT person_id, issued_on FROM insurance_card_issue WHERE batch_run_id = $1 ORDER BY person_id",
                          {run_id});
    if (!issues) return std::unexpected(issues.error());
    for (const auto& r : *issues) {
      auto card = card_data_for(c, city, r.str(0), *Date::parse(r.str(1)));
      if (!card) return std::unexpected(card.error());
      if (*card) cards.push_back(std::move(**card));
    }
    return {};
  });
  if (!read) return std::unexpected(read.error());
  std::string output;
  if (!cards.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.output_dir, ec);
    const auto path = o.output_dir / fmt::format("insurance-cards-turning-65-{}.pdf", o.month);
    auto written = notice::write_insurance_cards(path, cards);
    if (!written) return std::unexpected(written.error());
    output = path.string();
  }
  auto done = db.transaction([&](store::Connection& c) -> Result<void> {
    auto r = c.exec("UPDATE batch_run SET status = 'done', output_path = $1, finished_at = COALESCE(finished_at, $2) "
                    "WHERE batch_run_id = $3",
                    {output.empty() ? store::null() : store::Value(output), clock.timestamp(), run_id});
    if (!r) return std::unexpected(r.error());
    return {};
  });
  if (!done) return std::unexpected(done.error());
  std::optional<CardBatchRun> run;
  auto found = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto r = find_card_batch(c, run_id);
    if (!r) return std::unexpected(r.error());
    run = std::move(*r);
    return {};
  });
  if (!found) return std::unexpected(found.error());
  if (!run) return fail(ErrorKind::internal, "the batch run vanished");
  return *run;
}

}  // namespace kaigo::eligibility
