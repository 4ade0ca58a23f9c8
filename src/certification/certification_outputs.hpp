#pragma once
// The documents a certification gives the person (docs/certification.md "Documents"):
//   NT-13  要介護認定等結果通知書 and, for a certified level, the updated 被保険者証 — one at the
//          counter (issue_result_notice) or every decided application not notified yet in a
//          resumable print run (run_result_notices);
//   NT-06  介護保険受給資格証明書 for a certified person moving out (法36条) — at the counter
//          (issue_entitlement_certificate) or for the register's move-outs (issue_move_out_certificates),
//          each also sent to the medical insurer (iryo) as an outbound exchange;
//   any issued document rendered again as PDF (document_pdf).
//
// Each issue is one transaction: the document row (certification_document; its once_key makes a
// document issued once), what goes with it (the card's insurance_card_issue, the application →
// notified, the NT-06 exchange) — after the document's data were built and validated, so nothing is
// recorded as issued that cannot be printed. The PDF is rendered after the commit from the stored
// rows (the same function renders a reprint).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "certification/certification_outputs_config.hpp"
#include "certification/rules.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "notice/insurance_card.hpp"
#include "people/city_profile.hpp"
#include "store/database.hpp"

namespace kaigo::certification {

// What every output needs besides the database and the clock (all loaded and validated at start).
// Fills the card's certification panel from the person's certification in force on `on` (else the
// next one decided); leaves it empty when the person is not certified.
Result<void> fill_certification_panel(store::Connection& c, const std::string& person_id, Date on,
                                      notice::InsuranceCardData& card);

struct OutputContext {
  const people::CityProfile& city;
  const CertificationRules& rules;
  const OutputsConfig& config;
};

struct CertificationDocument {
  std::int64_t document_id = 0;
  std::string person_id;
  std::optional<std::int64_t> application_id, certification_id;
  std::string kind;  // result_notice, postponement_notice, entitlement_certificate, renewal_reminder
  Date issued_on;
  std::string issued_by;
  std::optional<std::int64_t> exchange_id, batch_run_id;
  std::optional<std::string> once_key;  // none: a reprint at the counter
};

Result<std::optional<CertificationDocument>> find_document(store::Connection& c, std::int64_t document_id);
// The person's documents, newest first.
Result<std::vector<CertificationDocument>> documents_of_person(store::Connection& c, const std::string& person_id);

// The document as PDF bytes, rendered from the stored rows. not_found: no such document.
Result<std::string> document_pdf(store::Database& db, const OutputContext& out, std::int64_t document_id);

struct IssuedDocument {
  CertificationDocument document;
  std::string pdf;
  bool reprint = false;                       // NT-13: the application had been notified before
  std::optional<std::int64_t> card_issue_id;  // NT-13 of a certified level, when the person has a card
};

// NT-13 at the counter. The application must be decided; one already notified gets a reprint (a
// document row without once_key, and the card printed again is recorded as issued again; the
// application stays notified). conflict before the decision or for a withdrawn application;
// not_found for no such application. A certified person without a card in force on the day (moved
// out, not insured) gets the notice alone.
Result<IssuedDocument> issue_result_notice(store::Database& db, const Clock& clock, const OutputContext& out,
                                           std::int64_t application_id, const std::string& actor);

struct ResultNoticeRun {
  std::int64_t batch_run_id = 0;  // 0: nothing was waiting
  std::string status;             // done, nothing_to_notice
  std::int64_t notices = 0;       // documents of the run (resumed parts included)
  std::int64_t cards = 0;
  std::vector<std::string> person_ids;
  std::string output_path;        // the print file
};

// NT-13 batch: every decided application not notified yet. Resumable (batch_run, job
// certification_result_notices): phase 1 records document rows, card issues and the status in
// chunks of applications with the run's cursor; phase 2 renders the run's documents in order into
// <output_dir>/certification-result-notices-<run>.pdf. An unfinished run is finished before a new
// one opens.
Result<ResultNoticeRun> run_result_notices(store::Database& db, const Clock& clock, const OutputContext& out,
                                           const std::filesystem::path& output_dir, const std::string& actor,
                                           int chunk = 500);

// The background job's part: finishes an NT-13 run a crash (or a stop) left running — with any
// application decided since — and opens none. "" when none was running.
Result<std::string> resume_result_notices(store::Database& db, const Clock& clock, const OutputContext& out,
                                          const std::filesystem::path& output_dir);

struct CertificateRequest {
  std::string person_id;
  std::optional<Date> moved_out_on;  // default: the person's latest move_out fact, else today
  std::string new_address;           // 転出先, may be empty
};

// NT-06 at the counter: the 受給資格証明書 of the person's current certification, the document row
// (kind entitlement_certificate, exchange_id) and the NT-06 exchange to iryo with the certificate's
// items, in one transaction. conflict when the person has no current certification; not_found for
// no such person.
Result<IssuedDocument> issue_entitlement_certificate(store::Database& db, const Clock& clock, const OutputContext& out,
                                                     const CertificateRequest& request, const std::string& actor);

struct MoveOutCertificates {
  std::int64_t events = 0;        // register events looked at
  std::int64_t issued = 0;
  std::vector<std::string> person_ids;
  std::int64_t batch_run_id = 0;  // the print run of this pass (0: nothing issued)
  std::string output_path;
};

// NT-06 for the register's move-outs: the eligibility events after the cursor 'NT-06' (at most
// `limit`) whose revision newly ends a period for move_out_domestic, of a person whose current
// certification covers the last insured day, each get their certificate (once per certification
// and loss day: once_key "entitlement_certificate:<certification_id>:<lost_on>") and exchange, the
// cursor moved in the same transaction; the certificates of the pass are printed into
// <output_dir>/entitlement-certificates-<run>.pdf.
Result<MoveOutCertificates> issue_move_out_certificates(store::Database& db, const Clock& clock, const OutputContext& out,
                                                        const std::filesystem::path& output_dir, int limit = 5000);

// Renders the documents of a print run (batch_run) into one PDF, in document order, and marks the
// run done with the file. Used by the runs above and the renewal reminders; a run left running by
// a crash is rendered again whole.
Result<std::string> render_print_run(store::Database& db, const Clock& clock, const OutputContext& out,
                                     std::int64_t batch_run_id, const std::filesystem::path& file);

}  // namespace kaigo::certification
