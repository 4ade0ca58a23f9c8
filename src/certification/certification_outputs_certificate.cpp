// NT-06 介護保険受給資格証明書 (介護保険法36条): at the counter, and for the register's move-outs of
// certified persons, each sent to the medical insurer (iryo) (certification_outputs.hpp).
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "certification/certification_outputs_internal.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::certification {

namespace {

constexpr const char* kJob = "certification_entitlement_certificates";

struct CurrentCertification {
  std::int64_t certification_id = 0;
  std::string care_level;
  Date valid_from, valid_to, certified_on;
  std::string remarks;
};

// The person's current certification still running on `on` (a renewal granted ahead of time is
// current from its future start and carries the person on).
Result<std::optional<CurrentCertification>> current_certification(store::Connection& c, const std::string& person_id, Date on) {
  auto row = c.query_one(
      "SELECT certification_id, care_level, valid_from, valid_to, certified_on, remarks FROM care_certification "
      "WHERE person_id = $1 AND status = 'current' AND valid_to >= $2 ORDER BY valid_from DESC LIMIT 1",
      {person_id, on.iso()});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<CurrentCertification>{};
  const store::Row& r = **row;
  auto from = Date::parse(r.str(2));
  auto to = Date::parse(r.str(3));
  auto certified = Date::parse(r.str(4));
  if (!from || !to || !certified) return fail(ErrorKind::internal, "a stored certification has a date that is not a date");
  return std::optional<CurrentCertification>{CurrentCertification{r.i64(0), r.str(1), *from, *to, *certified, r.str(5)}};
}

// The day the person's address here ended: the latest move_out fact on or before `upto`.
Result<std::optional<Date>> move_out_day(store::Connection& c, const std::string& person_id, std::optional<Date> upto) {
  auto row = c.query_one(
      "SELECT on_date FROM eligibility_fact WHERE person_id = $1 AND kind = 'move_out' AND cancelled_at IS NULL "
      "AND on_date <= $2 ORDER BY on_date DESC, fact_id DESC LIMIT 1",
      {person_id, upto ? upto->iso() : std::string("9999-12-31")});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Date>{};
  auto d = Date::parse((*row)->str(0));
  if (!d) return fail(ErrorKind::internal, "a stored move_out fact has a day that is not a date");
  return std::optional<Date>{*d};
}

struct Issue {
  std::optional<std::string> once_key;
  std::optional<std::string> idempotency_key;
  std::optional<std::int64_t> batch_run_id;
  std::string actor;
};

struct IssuedCertificate {
  CertificationDocument document;
  notice::EntitlementCertificateData data;
};

// In the caller's transaction: the document row, the certificate's data (validated), the NT-06
// exchange to iryo with its items, the row's exchange_id.
Result<IssuedCertificate> issue_in(store::Connection& c, const Clock& clock, const OutputContext& out,
                                   const detail::PersonRecord& person, const CurrentCertification& cert, Date moved_out_on,
                                   const std::string& new_address, const Issue& how) {
  const Date today = clock.today();
  if (person.insured_no.empty())
    return fail(ErrorKind::conflict, "the person has no 被保険者番号: there is nothing to certify", "person_id");
  auto level = care_level_from_code(cert.care_level);
  if (!level) return fail(ErrorKind::internal, "a stored certification has an unknown care level");
  auto rules = out.rules.on(today);
  if (!rules) return std::unexpected(rules.error());
  auto doc = c.query_one(
      "INSERT INTO certification_document (person_id, certification_id, kind, issued_on, issued_by, batch_run_id, once_key) "
      "VALUES ($1, $2, 'entitlement_certificate', $3, $4, $5, $6) RETURNING document_id",
      {person.person_id, cert.certification_id, today.iso(), how.actor, store::opt(how.batch_run_id), store::opt(how.once_key)});
  if (!doc) return std::unexpected(doc.error());
  const std::int64_t document_id = (*doc)->i64(0);
  notice::EntitlementCertificateData d;
  d.issuer = out.config.issuer(out.city);
  d.document_no = detail::document_no(out, fmt::format("証-{:06}", document_id));
  d.issued_on = today;
  d.person = notice::CertificationPerson{person.insured_no, person.name, person.name_kana, person.birth_date, person.sex,
                                         person.address, ""};
  d.new_address = new_address;
  d.moved_out_on = moved_out_on;
  d.care_level = std::string(label(*level));
  d.certified_on = cert.certified_on;
  d.validity = notice::DatePeriod{cert.valid_from, cert.valid_to};
  d.committee_remarks = cert.remarks;
  d.transfer_certificate_days = (*rules)->transfer_certificate_days;
  if (auto ok = notice::validate(d); !ok)
    return fail(ErrorKind::invalid_input, fmt::format("the 受給資格証明書: {}", ok.error().message), ok.error().field);
  auto receipt = linkage::enqueue_outbound(
      c, clock,
      linkage::OutboundMessage{"NT-06", "iryo",
                               detail::certificate_payload(d, person.person_id, cert.certification_id, cert.care_level),
                               "application/json", {person.person_id}, "受給資格証明書の提供 (NT-06)", how.actor,
                               how.idempotency_key});
  if (!receipt) return std::unexpected(receipt.error());
  auto linked = c.exec("UPDATE certification_document SET exchange_id = $1 WHERE document_id = $2",
                       {receipt->exchange_id, document_id});
  if (!linked) return std::unexpected(linked.error());
  auto row = c.query_one(fmt::format("SELECT {} FROM certification_document WHERE document_id = $1", detail::kDocumentColumns),
                         {document_id});
  if (!row) return std::unexpected(row.error());
  auto stored = detail::document_from(**row);
  if (!stored) return std::unexpected(stored.error());
  return IssuedCertificate{std::move(*stored), std::move(d)};
}

// The losses of a revision that newly end a period for a move to another city (法11条1項: 転出).
std::vector<Date> move_out_losses(const std::string& changes_json) {
  std::vector<Date> out;
  const auto changes = nlohmann::json::parse(changes_json, nullptr, false);
  if (!changes.is_array()) return out;
  auto text = [](const nlohmann::json& o, const char* k) {
    return o.is_object() && o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : std::string();
  };
  for (const auto& ch : changes) {
    if (!ch.is_object()) continue;
    const std::string kind = ch.value("kind", "");
    if (kind != "added" && kind != "changed") continue;
    const auto& after = ch.contains("after") ? ch["after"] : nlohmann::json();
    if (text(after, "loss_reason") != "move_out_domestic") continue;
    const auto& before = ch.contains("before") ? ch["before"] : nlohmann::json();
    if (kind == "changed" && text(before, "lost_on") == text(after, "lost_on") &&
        text(before, "loss_reason") == text(after, "loss_reason"))
      continue;
    if (auto lost = Date::parse(text(after, "lost_on"))) out.push_back(*lost);
  }
  return out;
}

}  // namespace

Result<IssuedDocument> issue_entitlement_certificate(store::Database& db, const Clock& clock, const OutputContext& out,
                                                     const CertificateRequest& request, const std::string& actor) {
  const Date today = clock.today();
  IssuedDocument issued;
  std::optional<notice::EntitlementCertificateData> data;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto person = detail::person_record(c, request.person_id);
    if (!person) return std::unexpected(person.error());
    Date moved = today;
    if (request.moved_out_on) {
      moved = *request.moved_out_on;
    } else {
      auto fact = move_out_day(c, request.person_id, std::nullopt);
      if (!fact) return std::unexpected(fact.error());
      if (*fact) moved = **fact;
    }
    auto cert = current_certification(c, request.person_id, std::min(moved, today));
    if (!cert) return std::unexpected(cert.error());
    if (!*cert)
      return fail(ErrorKind::conflict, "the person has no current certification: there is no 受給資格証明書 to issue", "person_id");
    auto made = issue_in(c, clock, out, *person, **cert, moved, request.new_address, Issue{std::nullopt, std::nullopt, std::nullopt, actor});
    if (!made) return std::unexpected(made.error());
    issued.document = std::move(made->document);
    data = std::move(made->data);
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  auto pages = notice::entitlement_certificate_document(*data);
  if (!pages) return std::unexpected(pages.error());
  auto pdf = detail::pdf_bytes(*pages, "介護保険受給資格証明書", "NT-06");
  if (!pdf) return std::unexpected(pdf.error());
  issued.pdf = std::move(*pdf);
  return issued;
}

Result<MoveOutCertificates> issue_move_out_certificates(store::Database& db, const Clock& clock, const OutputContext& out,
                                                        const std::filesystem::path& output_dir, int limit) {
  MoveOutCertificates report;
  const std::string actor = "job:NT-06";
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto cursor = c.query_one(fmt::format("SELECT last_event_id FROM event_cursor WHERE consumer = 'NT-06'{}", c.for_update()));
    if (!cursor) return std::unexpected(cursor.error());
    if (!*cursor) return fail(ErrorKind::internal, "no event_cursor row for NT-06 (migration 015_certification_outputs)");
    // The register's writers hold this row until they commit: after it, no earlier event is missing.
    auto lock = c.query_one(
        fmt::format("SELECT next_value FROM number_sequence WHERE name = 'eligibility_event_lock'{}", c.for_update()));
    if (!lock) return std::unexpected(lock.error());
    const std::int64_t after = (*cursor)->i64(0);
    auto window = c.query_one(
        "SELECT COUNT(*), COALESCE(MAX(event_id), 0) FROM (SELECT event_id FROM eligibility_event WHERE event_id > $1 "
        "ORDER BY event_id LIMIT $2) t",
        {after, static_cast<std::int64_t>(limit)});
    if (!window) return std::unexpected(window.error());
    report.events = (*window)->i64(0);
    if (report.events == 0) return {};
    const std::int64_t last = (*window)->i64(1);
    // Only revisions that mention a move-out are read and parsed (the initial registration of a
    // city is a million events that end nothing); the cursor still moves past the whole window.
    auto events = c.query(
        "SELECT e.event_id, e.person_id, r.changes FROM eligibility_event e JOIN eligibility_revision r "
        "ON r.revision_id = e.revision_id WHERE e.event_id > $1 AND e.event_id <= $2 "
        "AND r.changes LIKE '%move_out_domestic%' ORDER BY e.event_id",
        {after, last});
    if (!events) return std::unexpected(events.error());
    std::set<std::string> persons;
    for (const auto& e : *events) {
      for (const Date lost : move_out_losses(e.str(2))) {
        const Date last_insured = lost.add_days(-1);
        auto cert = current_certification(c, e.str(1), last_insured);
        if (!cert) return std::unexpected(cert.error());
        if (!*cert) continue;  // not certified when leaving
        const std::string key = fmt::format("entitlement_certificate:{}:{}", (*cert)->certification_id, lost.iso());
        auto seen = c.query_one("SELECT 1 FROM certification_document WHERE once_key = $1", {key});
        if (!seen) return std::unexpected(seen.error());
        if (*seen) continue;
        auto person = detail::person_record(c, e.str(1));
        if (!person) return std::unexpected(person.error());
        auto moved = move_out_day(c, e.str(1), lost);
        if (!moved) return std::unexpected(moved.error());
        if (report.batch_run_id == 0) {
          auto run = detail::running_print_run(c, clock, kJob, actor, true);
          if (!run) return std::unexpected(run.error());
          report.batch_run_id = *run;
        }
        auto made = issue_in(c, clock, out, *person, **cert, moved->value_or(last_insured), "",
                             Issue{key, "NT-06:" + key, report.batch_run_id, actor});
        if (!made) return std::unexpected(made.error());
        ++report.issued;
        persons.insert(e.str(1));
      }
    }
    report.person_ids.assign(persons.begin(), persons.end());
    auto moved = c.exec("UPDATE event_cursor SET last_event_id = $1 WHERE consumer = 'NT-06' AND last_event_id = $2",
                        {last, after});
    if (!moved) return std::unexpected(moved.error());
    if (*moved != 1) return fail(ErrorKind::conflict, "the NT-06 cursor moved during the run; run again");
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  // The pass's certificates — or those of a pass whose file a crash left unwritten — printed.
  if (report.batch_run_id == 0) {
    std::int64_t left = 0;
    auto open = db.transaction([&](store::Connection& c) -> Result<void> {
      auto run = detail::running_print_run(c, clock, kJob, actor, false);
      if (!run) return std::unexpected(run.error());
      left = *run;
      return {};
    });
    if (!open) return std::unexpected(open.error());
    report.batch_run_id = left;
  }
  if (report.batch_run_id != 0) {
    auto file = render_print_run(db, clock, out, report.batch_run_id,
                                 output_dir / fmt::format("entitlement-certificates-{}.pdf", report.batch_run_id));
    if (!file) return std::unexpected(file.error());
    report.output_path = *file;
  }
  return report;
}

}  // namespace kaigo::certification
