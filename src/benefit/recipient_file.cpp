// KY-03: building, sending, discarding and correcting the recipient files (recipient.hpp).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/codes.hpp"
#include "benefit/recipient.hpp"
#include "benefit/recipient_internal.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::benefit {

using namespace recipient_detail;

namespace {

constexpr const char* kFileColumns =
    "file_id, kind, status, layout_version, record_count, held_count, exchange_id, built_at, built_by, sent_at, sent_by";

RecipientFile file_from(const store::Row& r) {
  return RecipientFile{r.i64(0),    r.str(1),    r.str(2),       r.str(3),       r.i64(4),       r.i64(5),
                       r.opt_i64(6), r.str(7),   r.str(8),       r.opt_str(9),   r.opt_str(10)};
}

// The three streams of KY-03, in the fixed order their locks and cursors are taken.
struct Stream {
  const char* cursor;
  const char* lock;
  const char* table;
  std::string touched;  // SELECT person_id, d (effective date) of the events after $1
};

const std::vector<Stream>& streams() {
  static const std::vector<Stream> s = {
      {"recipient", "eligibility_event_lock", "eligibility_event",
       "SELECT person_id, effective_from AS d FROM eligibility_event WHERE event_id > $1"},
      {"KY-03:certification", "certification_event_lock", "certification_event",
       "SELECT e.person_id, cc.valid_from AS d FROM certification_event e JOIN care_certification cc "
       "ON cc.certification_id = e.certification_id WHERE e.event_id > $1"},
      {"KY-03:recipient", "recipient_event_lock", "recipient_event",
       "SELECT e.person_id, COALESCE(cp.valid_from, cr.valid_from, br.valid_from, SUBSTR(e.created_at, 1, 10)) AS d "
       "FROM recipient_event e LEFT JOIN care_plan cp ON e.kind = 'care_plan' AND cp.care_plan_id = e.ref_id "
       "LEFT JOIN copayment_rate cr ON e.kind = 'copayment_rate' AND cr.rate_id = e.ref_id "
       "LEFT JOIN benefit_restriction br ON e.kind = 'benefit_restriction' AND br.restriction_id = e.ref_id "
       "WHERE e.event_id > $1"},
  };
  return s;
}

Result<RecipientFile> reread(store::Connection& c, std::int64_t file_id) {
  auto f = find_recipient_file(c, file_id);
  if (!f) return std::unexpected(f.error());
  if (!*f) return fail(ErrorKind::not_found, "no such recipient file", "file_id");
  return **f;
}

Result<void> set_counts(store::Connection& c, std::int64_t file_id) {
  auto n = c.exec(
      "UPDATE recipient_file SET record_count = (SELECT COUNT(*) FROM recipient_record r WHERE r.file_id = $1 AND "
      "r.check_status = 'ok'), held_count = (SELECT COUNT(*) FROM recipient_record r WHERE r.file_id = $1 AND "
      "r.check_status = 'held') WHERE file_id = $1",
      {file_id});
  if (!n) return std::unexpected(n.error());
  return {};
}

Result<std::int64_t> new_file(store::Connection& c, const Clock& clock, const csv::Layout& layout, const std::string& kind,
                              const std::string& actor) {
  auto id = c.query_one(
      "INSERT INTO recipient_file (kind, status, layout_version, record_count, held_count, built_at, built_by) "
      "VALUES ($1, 'draft', $2, 0, 0, $3, $4) RETURNING file_id",
      {kind, layout.version, clock.timestamp(), actor});
  if (!id) return std::unexpected(id.error());
  return (*id)->i64(0);
}

}  // namespace

Result<std::vector<RecipientFile>> list_recipient_files(store::Connection& c, int limit) {
  auto rows = c.query(fmt::format("SELECT {} FROM recipient_file ORDER BY file_id DESC LIMIT $1", kFileColumns), {std::int64_t{limit}});
  if (!rows) return std::unexpected(rows.error());
  std::vector<RecipientFile> out;
  for (const auto& r : *rows) out.push_back(file_from(r));
  return out;
}

Result<std::optional<RecipientFile>> find_recipient_file(store::Connection& c, std::int64_t file_id) {
  auto row = c.query_one(fmt::format("SELECT {} FROM recipient_file WHERE file_id = $1", kFileColumns), {file_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<RecipientFile>{};
  return std::optional<RecipientFile>{file_from(**row)};
}

Result<std::vector<RecipientRecord>> recipient_file_records(store::Connection& c, std::int64_t file_id) {
  auto rows = c.query(
      "SELECT record_id, file_id, person_id, insured_no, change_kind, correction, corrects_record_id, change_date, fields, "
      "check_status, check_causes FROM recipient_record WHERE file_id = $1 ORDER BY record_id",
      {file_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<RecipientRecord> out;
  for (const auto& r : *rows) {
    RecipientRecord rec{r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), r.opt_i64(6), r.str(7), {}, r.str(9), {}};
    auto fields = nlohmann::json::parse(r.str(8), nullptr, false);
    auto causes = nlohmann::json::parse(r.str(10), nullptr, false);
    if (fields.is_discarded() || !fields.is_object() || causes.is_discarded() || !causes.is_array())
      return fail(ErrorKind::internal, fmt::format("recipient_record {} has stored JSON that does not parse", rec.record_id));
    for (auto it = fields.begin(); it != fields.end(); ++it) rec.fields[it.key()] = it.value().is_string() ? it.value().get<std::string>() : "";
    for (const auto& k : causes)
      rec.check_causes.push_back({k.value("cause", ""), k.value("field", ""), k.value("message", "")});
    out.push_back(std::move(rec));
  }
  return out;
}

Result<RecipientBuild> build_recipient_draft(store::Database& db, const Clock& clock, const RecipientContext& ctx,
                                             const std::string& actor) {
  auto lay = require_layout(ctx);
  if (!lay) return std::unexpected(lay.error());
  RecipientBuild out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    // Cursors, then the writers' locks, always in this order (no deadlock with another build).
    std::vector<std::int64_t> after;
    for (const auto& s : streams()) {
      auto cur = c.query_one(fmt::format("SELECT last_event_id FROM event_cursor WHERE consumer = '{}'{}", s.cursor, c.for_update()));
      if (!cur) return std::unexpected(cur.error());
      if (!*cur) return fail(ErrorKind::internal, fmt::format("no event_cursor row {} (migrations 005, 016)", s.cursor));
      after.push_back((*cur)->i64(0));
    }
    for (const auto& s : streams()) {
      auto lock = c.query_one(fmt::format("SELECT next_value FROM number_sequence WHERE name = '{}'{}", s.lock, c.for_update()));
      if (!lock) return std::unexpected(lock.error());
    }
    const std::string now = clock.timestamp();
    for (std::size_t i = 0; i < streams().size(); ++i) {
      const auto& s = streams()[i];
      auto window = c.query_one(fmt::format("SELECT COUNT(*), MAX(event_id) FROM {} WHERE event_id > $1", s.table), {after[i]});
      if (!window) return std::unexpected(window.error());
      const std::int64_t events = (*window)->i64(0);
      if (events == 0) continue;
      out.events += events;
      // The persons touched, with the earliest effective date of what is not sent yet.
      auto up = c.exec(fmt::format("INSERT INTO recipient_pending (person_id, change_date, touched_at) "
                                   "SELECT person_id, MIN(d), CAST($2 AS TEXT) FROM ({}) t WHERE true GROUP BY person_id "
                                   "ON CONFLICT (person_id) DO UPDATE SET change_date = CASE WHEN excluded.change_date < "
                                   "recipient_pending.change_date THEN excluded.change_date ELSE recipient_pending.change_date END",
                                   s.touched),
                       {after[i], now});
      if (!up) return std::unexpected(up.error());
      auto moved = c.exec("UPDATE event_cursor SET last_event_id = $1 WHERE consumer = $2 AND last_event_id = $3",
                          {(*window)->i64(1), std::string(s.cursor), after[i]});
      if (!moved) return std::unexpected(moved.error());
      if (*moved != 1) return fail(ErrorKind::conflict, "a KY-03 cursor moved during the build; build again");
    }
    // Persons the 国保連 has no business with (never certified, no plan, rate, restriction or record).
    auto dropped = c.exec(
        "DELETE FROM recipient_pending WHERE NOT EXISTS (SELECT 1 FROM care_certification x WHERE x.person_id = "
        "recipient_pending.person_id) AND NOT EXISTS (SELECT 1 FROM care_plan x WHERE x.person_id = recipient_pending.person_id) "
        "AND NOT EXISTS (SELECT 1 FROM copayment_rate x WHERE x.person_id = recipient_pending.person_id) "
        "AND NOT EXISTS (SELECT 1 FROM benefit_restriction x WHERE x.person_id = recipient_pending.person_id) "
        "AND NOT EXISTS (SELECT 1 FROM recipient_record x JOIN recipient_file f ON f.file_id = x.file_id WHERE "
        "x.person_id = recipient_pending.person_id AND f.status = 'sent' AND x.check_status = 'ok')");
    if (!dropped) return std::unexpected(dropped.error());
    out.skipped = *dropped;
    std::vector<Wanted> wanted;
    auto pending = c.query("SELECT person_id, change_date FROM recipient_pending ORDER BY person_id");
    if (!pending) return std::unexpected(pending.error());
    for (const auto& r : *pending) wanted.push_back({r.str(0), r.str(1), ""});
    if (wanted.empty()) return {};
    // A new build replaces the open regular draft: its persons are still pending.
    auto old = c.query("UPDATE recipient_file SET status = 'discarded' WHERE kind = 'regular' AND status = 'draft' RETURNING file_id");
    if (!old) return std::unexpected(old.error());
    if (!old->empty()) out.discarded_file_id = old->front().i64(0);
    auto records = compose(c, clock, ctx, "SELECT person_id FROM recipient_pending", {}, wanted);
    if (!records) return std::unexpected(records.error());
    auto file_id = new_file(c, clock, **lay, "regular", actor);
    if (!file_id) return std::unexpected(file_id.error());
    if (auto ins = insert_records(c, *file_id, *records); !ins) return ins;
    if (auto n = set_counts(c, *file_id); !n) return n;
    auto f = reread(c, *file_id);
    if (!f) return std::unexpected(f.error());
    out.file = *f;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<std::string> recipient_file_text(store::Connection& c, const Clock& clock, const RecipientContext& ctx, std::int64_t file_id) {
  auto f = reread(c, file_id);
  if (!f) return std::unexpected(f.error());
  if (f->exchange_id) {
    auto payload = linkage::load_payload(c, *f->exchange_id);
    if (!payload) return std::unexpected(payload.error());
    if (!*payload) return fail(ErrorKind::internal, "the recipient file's exchange is missing");
    return std::move(**payload);
  }
  const csv::Layout* l = ctx.config.layouts.find("KY03", f->layout_version);
  if (!l) return fail(ErrorKind::unavailable, fmt::format("the KY03 layout version {} is not loaded", f->layout_version));
  auto records = recipient_file_records(c, file_id);
  if (!records) return std::unexpected(records.error());
  return write_text(ctx, *l, file_id, f->kind, *records, clock.today().compact());
}

Result<RecipientFile> send_recipient_file(store::Database& db, const Clock& clock, const RecipientContext& ctx, std::int64_t file_id,
                                          const std::string& actor) {
  RecipientFile out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    // Serialised with a build (which may discard this draft) by the cursor row a build locks first.
    auto cur = c.query_one(fmt::format("SELECT last_event_id FROM event_cursor WHERE consumer = 'recipient'{}", c.for_update()));
    if (!cur) return std::unexpected(cur.error());
    auto f = c.query_one(fmt::format("SELECT status, kind, layout_version FROM recipient_file WHERE file_id = $1{}", c.for_update()),
                         {file_id});
    if (!f) return std::unexpected(f.error());
    if (!*f) return fail(ErrorKind::not_found, "no such recipient file", "file_id");
    if ((*f)->str(0) != "draft") return fail(ErrorKind::conflict, fmt::format("the file is {}, not a draft", (*f)->str(0)), "file_id");
    const csv::Layout* l = ctx.config.layouts.find("KY03", (*f)->str(2));
    if (!l) return fail(ErrorKind::unavailable, fmt::format("the KY03 layout version {} is not loaded", (*f)->str(2)));
    auto records = recipient_file_records(c, file_id);
    if (!records) return std::unexpected(records.error());
    std::vector<std::string> persons;
    for (const auto& r : *records)
      if (r.check_status == "ok") persons.push_back(r.person_id);
    if (persons.empty()) return fail(ErrorKind::conflict, "the file has no record to send (all held)", "file_id");
    auto text = write_text(ctx, *l, file_id, (*f)->str(1), *records, clock.today().compact());
    if (!text) return std::unexpected(text.error());
    auto receipt = linkage::enqueue_outbound(
        c, clock,
        linkage::OutboundMessage{"KY-03", "kokuhoren", *text, "text/csv", persons, "受給者異動連絡票情報の提供 (KY-03)", actor,
                                 fmt::format("KY-03:file:{}", file_id)});
    if (!receipt) return std::unexpected(receipt.error());
    auto n = c.exec("UPDATE recipient_file SET status = 'sent', exchange_id = $1, sent_at = $2, sent_by = $3 WHERE file_id = $4",
                    {receipt->exchange_id, clock.timestamp(), actor, file_id});
    if (!n) return std::unexpected(n.error());
    // The persons sent leave the pending set; held ones stay for the next draft.
    auto done = c.exec(
        "DELETE FROM recipient_pending WHERE person_id IN (SELECT person_id FROM recipient_record WHERE file_id = $1 AND "
        "check_status = 'ok')",
        {file_id});
    if (!done) return std::unexpected(done.error());
    auto again = reread(c, file_id);
    if (!again) return std::unexpected(again.error());
    out = *again;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<RecipientFile> discard_recipient_file(store::Database& db, std::int64_t file_id, const std::string& actor) {
  RecipientFile out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto n = c.exec("UPDATE recipient_file SET status = 'discarded', sent_by = $2 WHERE file_id = $1 AND status = 'draft'",
                    {file_id, actor});
    if (!n) return std::unexpected(n.error());
    auto f = reread(c, file_id);
    if (!f) return std::unexpected(f.error());
    if (*n != 1) return fail(ErrorKind::conflict, fmt::format("the file is {}, not a draft", f->status), "file_id");
    out = *f;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<RecipientFile> build_recipient_correction(store::Database& db, const Clock& clock, const RecipientContext& ctx,
                                                 const std::string& person_id, const std::string& correction,
                                                 const std::string& actor) {
  if (correction != "correct" && correction != "delete")
    return fail(ErrorKind::invalid_input, "correction must be correct or delete", "correction");
  auto lay = require_layout(ctx);
  if (!lay) return std::unexpected(lay.error());
  RecipientFile out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto last = c.query_one(
        "SELECT r.record_id FROM recipient_record r JOIN recipient_file f ON f.file_id = r.file_id WHERE r.person_id = $1 "
        "AND f.status = 'sent' AND r.check_status = 'ok' ORDER BY r.record_id DESC LIMIT 1",
        {person_id});
    if (!last) return std::unexpected(last.error());
    if (!*last) return fail(ErrorKind::conflict, "no record of the person has been sent", "person_id");
    const std::int64_t corrected_id = (*last)->i64(0);
    auto prior = c.query(
        "SELECT record_id, file_id, person_id, insured_no, change_kind, correction, corrects_record_id, change_date, fields, "
        "check_status, check_causes FROM recipient_record WHERE record_id = $1",
        {corrected_id});
    if (!prior) return std::unexpected(prior.error());
    auto all = recipient_file_records(c, prior->front().i64(1));
    if (!all) return std::unexpected(all.error());
    RecipientRecord original;
    for (auto& r : *all)
      if (r.record_id == corrected_id) original = r;
    if (original.correction == "delete") return fail(ErrorKind::conflict, "the person's last record was deleted", "person_id");
    std::vector<RecipientRecord> records;
    if (correction == "delete") {
      RecipientRecord d = original;
      d.fields["correction"] = "2";
      d.fields["seq"] = "";
      d.check_causes.clear();
      records.push_back(std::move(d));
    } else {
      auto rebuilt = compose(c, clock, ctx, "SELECT CAST($1 AS TEXT)", {person_id},
                             {Wanted{person_id, original.change_date, original.change_kind}});
      if (!rebuilt) return std::unexpected(rebuilt.error());
      records = std::move(*rebuilt);
      records.front().fields["correction"] = "1";
    }
    records.front().correction = correction;
    records.front().corrects_record_id = corrected_id;
    auto file_id = new_file(c, clock, **lay, "correction", actor);
    if (!file_id) return std::unexpected(file_id.error());
    if (auto ins = insert_records(c, *file_id, records); !ins) return ins;
    if (auto n = set_counts(c, *file_id); !n) return n;
    auto f = reread(c, *file_id);
    if (!f) return std::unexpected(f.error());
    out = *f;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<std::string> run_recipient_month(store::Database& db, const Clock& clock, const RecipientContext& ctx,
                                        const RecipientSchedule& schedule, const std::string& actor) {
  const Date today = clock.today();
  if (static_cast<int>(today.day()) < schedule.build_day) return std::string();
  const std::string month = today.iso().substr(0, 7);
  auto seen = db.query(
      "SELECT COUNT(*) FROM recipient_file WHERE (built_by = $1 AND SUBSTR(built_at, 1, 7) = $2) OR (kind = 'regular' AND "
      "status = 'draft')",
      {actor, month});
  if (!seen) return std::unexpected(seen.error());
  if ((*seen)[0].i64(0) > 0) return std::string();
  auto built = build_recipient_draft(db, clock, ctx, actor);
  if (!built) return std::unexpected(built.error());
  if (!built->file) return std::string();
  const RecipientFile& f = *built->file;
  if (f.held_count > 0 || !schedule.send_when_clean || f.record_count == 0)
    return fmt::format("受給者異動 draft {}: {} records, {} held (waiting for staff)", f.file_id, f.record_count, f.held_count);
  auto sent = send_recipient_file(db, clock, ctx, f.file_id, actor);
  if (!sent) return std::unexpected(sent.error());
  return fmt::format("受給者異動 file {} sent: {} records", f.file_id, f.record_count);
}

}  // namespace kaigo::benefit
