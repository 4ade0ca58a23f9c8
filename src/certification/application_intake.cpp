// NT-01: taking an application in (新規, 更新, 区分変更, 職権, 転入 with a 受給資格証明書) and its
// withdrawal. Everything is checked before anything is written; the application, its clock and the
// document to the committee-support system commit together.
#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "certification/application_internal.hpp"
#include "certification/certification_decision.hpp"
#include "eligibility/rules.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::certification {

namespace {

// The person's certification in force on `day` (status current, not ended before it).
struct CurrentCertification {
  std::int64_t certification_id = 0;
  std::string care_level;
  Date valid_from, valid_to;
};
Result<std::optional<CurrentCertification>> current_certification(store::Connection& c, const std::string& person_id,
                                                                   Date day) {
  auto row = c.query_one(
      "SELECT certification_id, care_level, valid_from, valid_to FROM care_certification WHERE person_id = $1 "
      "AND status = 'current' AND valid_to >= $2 ORDER BY valid_from DESC, certification_id DESC LIMIT 1",
      {person_id, day.iso()});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<CurrentCertification>{};
  auto from = Date::parse((*row)->str(2));
  auto to = Date::parse((*row)->str(3));
  if (!from || !to) return fail(ErrorKind::internal, "a certification with a malformed validity");
  return std::optional<CurrentCertification>{CurrentCertification{(*row)->i64(0), (*row)->str(1), *from, *to}};
}

// The latest 受給資格証明書 of the person (SK-09).
struct Certificate {
  std::int64_t certificate_id = 0;
  std::string care_level;
  Date certified_from, certified_to, acquired_on;
};
Result<std::optional<Certificate>> latest_certificate(store::Connection& c, const std::string& person_id) {
  auto row = c.query_one(
      "SELECT certificate_id, care_level, certified_from, certified_to, acquired_on FROM certificate_of_entitlement "
      "WHERE person_id = $1 ORDER BY certificate_id DESC LIMIT 1",
      {person_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Certificate>{};
  auto from = Date::parse((*row)->str(2));
  auto to = Date::parse((*row)->str(3));
  auto acquired = Date::parse((*row)->str(4));
  if (!from || !to || !acquired) return fail(ErrorKind::internal, "a certificate of entitlement with a malformed date");
  return std::optional<Certificate>{Certificate{(*row)->i64(0), (*row)->str(1), *from, *to, *acquired}};
}

// Field checks that need no database.
struct Checked {
  ApplicationKind kind = ApplicationKind::new_application;
  const CertificationRulesVersion* rules = nullptr;
  std::string applicant_relation;
};
Result<Checked> check_fields(const IntakeRequest& r, const CertificationConfig& config, Date today) {
  Checked out;
  auto kind = application_kind_from_code(r.kind);
  if (!kind) return fail(ErrorKind::invalid_input, "kind must be new, renewal, change, ex_officio or transfer", "kind");
  out.kind = *kind;
  if (r.person_id.empty()) return fail(ErrorKind::invalid_input, "person_id is required", "person_id");
  if (today < r.applied_on)
    return fail(ErrorKind::invalid_input, fmt::format("applied_on {} is after today ({})", r.applied_on.iso(), today.iso()),
                "applied_on");
  auto rules = config.rules.on(r.applied_on);
  if (!rules)
    return fail(ErrorKind::invalid_input, fmt::format("no certification rules are in force on {}", r.applied_on.iso()),
                "applied_on");
  out.rules = *rules;
  if (r.place != "home" && r.place != "facility")
    return fail(ErrorKind::invalid_input, "place must be home (在宅) or facility (施設)", "place");
  out.applicant_relation = r.applicant_relation;
  if (out.applicant_relation.empty() && out.kind == ApplicationKind::ex_officio) out.applicant_relation = "職権";
  const auto& relations = applicant_relations();
  if (std::find(relations.begin(), relations.end(), out.applicant_relation) == relations.end())
    return fail(ErrorKind::invalid_input, "applicant_relation must be 本人, 家族, 地域包括支援センター, 居宅介護支援事業者, 施設 or 職権",
                "applicant_relation");
  if ((out.kind == ApplicationKind::change || out.kind == ApplicationKind::ex_officio) && r.reason.empty())
    return fail(ErrorKind::invalid_input,
                fmt::format("a {} application needs its reason", out.kind == ApplicationKind::change ? "区分変更" : "職権"),
                "reason");
  if (r.specified_disease && !config.specified_disease(*r.specified_disease))
    return fail(ErrorKind::invalid_input,
                fmt::format("specified_disease {} is not one of the 16 特定疾病 (config/codes/specified_diseases.tsv)",
                            *r.specified_disease),
                "specified_disease");
  return out;
}

constexpr const char* kShinsa = "shinsa";

}  // namespace

ApplicationService::ApplicationService(store::Database& db, const Clock& clock, const CertificationConfig& config,
                                       gateway::InquiryService* inquiries)
    : db_(db), clock_(clock), config_(config), inquiries_(inquiries) {}

Result<Application> ApplicationService::intake(const IntakeRequest& r, const std::string& actor) {
  const Date today = clock_.today();
  auto checked = check_fields(r, config_, today);
  if (!checked) return std::unexpected(checked.error());
  const ApplicationKind kind = checked->kind;
  const CertificationRulesVersion& rules = *checked->rules;

  std::int64_t application_id = 0;
  bool category_2 = false;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    // The person's row is the lock that keeps two intakes of one person apart (PostgreSQL; SQLite
    // write transactions are exclusive).
    auto person = c.query_one(fmt::format("SELECT person_id FROM person WHERE person_id = $1{}", c.for_update()), {r.person_id});
    if (!person) return std::unexpected(person.error());
    if (!*person) return fail(ErrorKind::not_found, fmt::format("no person {}", r.person_id), "person_id");

    // Insured here on the application day (介護保険法27条: the insured apply to their insurer).
    auto period = c.query_one(
        "SELECT category FROM eligibility_period WHERE person_id = $1 AND acquired_on <= $2 AND (lost_on IS NULL OR "
        "lost_on > $2) ORDER BY acquired_on DESC LIMIT 1",
        {r.person_id, r.applied_on.iso()});
    if (!period) return std::unexpected(period.error());
    if (!*period)
      return fail(ErrorKind::conflict, fmt::format("the person is not insured here on {}", r.applied_on.iso()), "person_id");
    const std::string category = (*period)->str(0);
    category_2 = category == "2";
    // 第2号被保険者 are certified only for a condition caused by one of the 特定疾病 (法7条3項2号, 施行令2条).
    if (category_2 && !r.specified_disease)
      return fail(ErrorKind::invalid_input, "a category-2 applicant (aged 40–64) needs one of the 16 特定疾病", "specified_disease");
    if (!category_2 && r.specified_disease)
      return fail(ErrorKind::invalid_input, "only a category-2 applicant (aged 40–64) names a 特定疾病", "specified_disease");
    auto insured = c.query_one("SELECT insured_no FROM insured_number WHERE person_id = $1", {r.person_id});
    if (!insured) return std::unexpected(insured.error());
    if (!*insured) return fail(ErrorKind::conflict, "the person has no 被保険者番号 yet", "person_id");

    auto open = c.query_one(fmt::format("SELECT application_no FROM certification_application WHERE person_id = $1 AND status IN {} "
                                        "ORDER BY application_id LIMIT 1",
                                        detail::kOpenStatuses),
                            {r.person_id});
    if (!open) return std::unexpected(open.error());
    if (*open)
      return fail(ErrorKind::conflict,
                  fmt::format("the person already has an open application {}: withdraw it or wait for its decision", (*open)->str(0)),
                  "person_id");

    auto current = current_certification(c, r.person_id, r.applied_on);
    if (!current) return std::unexpected(current.error());
    std::optional<std::int64_t> previous_id;
    std::optional<Certificate> certificate;
    switch (kind) {
      case ApplicationKind::new_application:
        if (*current)
          return fail(ErrorKind::conflict,
                      fmt::format("the person is certified until {}: file a renewal or a change, not a new application",
                                  (*current)->valid_to.iso()),
                      "kind");
        break;
      case ApplicationKind::renewal: {
        if (!*current) return fail(ErrorKind::conflict, "a renewal needs a current certification: file a new application", "kind");
        // 更新申請は有効期間満了の60日前から (施行規則35条; the days are the rule file's).
        const Date opens = renewal_opens(rules, (*current)->valid_to);
        if (r.applied_on < opens || (*current)->valid_to < r.applied_on)
          return fail(ErrorKind::conflict,
                      fmt::format("a renewal of the certification ending {} is accepted from {} to {}", (*current)->valid_to.iso(),
                                  opens.iso(), (*current)->valid_to.iso()),
                      "applied_on");
        previous_id = (*current)->certification_id;
        break;
      }
      case ApplicationKind::change:
        if (!*current) return fail(ErrorKind::conflict, "a change (区分変更) needs a current certification", "kind");
        if (r.applied_on < (*current)->valid_from)
          return fail(ErrorKind::conflict,
                      fmt::format("the current certification starts {}, after applied_on", (*current)->valid_from.iso()),
                      "applied_on");
        previous_id = (*current)->certification_id;
        break;
      case ApplicationKind::ex_officio:
        if (*current) previous_id = (*current)->certification_id;
        break;
      case ApplicationKind::transfer: {
        auto cert = latest_certificate(c, r.person_id);
        if (!cert) return std::unexpected(cert.error());
        if (!*cert)
          return fail(ErrorKind::conflict, "no 受給資格証明書 of the former city is recorded for the person (SK-08/09)", "kind");
        // 法36条: within 14 days of becoming insured here the certificate's terms are taken over.
        if (!eligibility::certificate_carries_over((*cert)->acquired_on, r.applied_on))
          return fail(ErrorKind::conflict,
                      fmt::format("the 受給資格証明書 is taken over only for an application from {} to {} (14 days after "
                                  "acquisition, 法36条): file a new application instead",
                                  (*cert)->acquired_on.iso(), eligibility::certificate_deadline((*cert)->acquired_on).iso()),
                      "applied_on");
        if ((*cert)->certified_to < r.applied_on)
          return fail(ErrorKind::conflict,
                      fmt::format("the certificate's validity ended {}: file a new application", (*cert)->certified_to.iso()),
                      "applied_on");
        if (*current) return fail(ErrorKind::conflict, "the person is already certified here", "kind");
        certificate = *cert;
        break;
      }
    }

    auto seq = c.query_one(
        "UPDATE number_sequence SET next_value = next_value + 1 WHERE name = 'certification_application' "
        "RETURNING next_value - 1");
    if (!seq) return std::unexpected(seq.error());
    if (!*seq) return fail(ErrorKind::internal, "number_sequence has no certification_application row");
    const std::string application_no = fmt::format("A{}{:06}", r.applied_on.fiscal_year(), (*seq)->i64(0));
    const std::string now = clock_.timestamp();
    auto made = c.query_one(
        "INSERT INTO certification_application (application_no, person_id, insured_no, kind, category, applied_on, "
        "deadline_on, warn_on, specified_disease, previous_certification_id, certificate_id, place, applicant_relation, "
        "reason, status, insurance_check, arrears_check, created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7, $8, $9, $10, $11, $12, $13, $14, 'received', $15, $15, $16, $17, $16) RETURNING application_id",
        {application_no, r.person_id, (*insured)->str(0), std::string(to_code(kind)), category, r.applied_on.iso(),
         deadline(rules, r.applied_on).iso(), warn_from(rules, r.applied_on).iso(), store::opt(r.specified_disease),
         store::opt(previous_id), certificate ? store::Value(certificate->certificate_id) : store::null(), r.place,
         checked->applicant_relation, r.reason, std::string(category_2 ? "pending" : "not_needed"), now, actor});
    if (!made) return std::unexpected(made.error());
    application_id = (*made)->i64(0);

    // NT-01: the application to the committee-support system, with the business change.
    auto doc = detail::shinsa_application_document(c, application_id);
    if (!doc) return std::unexpected(doc.error());
    auto sent = linkage::enqueue_outbound(
        c, clock_,
        linkage::OutboundMessage{"NT-01", kShinsa, doc->dump(), "application/json", {r.person_id},
                                 fmt::format("要介護認定等申請 {} の提供 (NT-01)", application_no), actor,
                                 fmt::format("NT-01:application:{}", application_no)});
    if (!sent) return std::unexpected(sent.error());
    auto handed = c.exec("UPDATE certification_application SET handed_exchange_id = $1 WHERE application_id = $2",
                         {sent->exchange_id, application_id});
    if (!handed) return std::unexpected(handed.error());

    if (certificate) {
      // Decided at once on the certificate's terms: its level, from the application day to its end.
      auto level = care_level_from_code(certificate->care_level);
      if (!level) return fail(ErrorKind::conflict, "the certificate carries an unknown care level", "kind");
      DecisionInput d;
      d.application_id = application_id;
      d.level = *level;
      d.fixed_validity = Validity{r.applied_on, certificate->certified_to};
      d.remarks = "受給資格証明書による認定 (介護保険法36条)";
      d.decided_on = today;
      d.actor = actor;
      auto decided = record_decision(c, clock_, config_.rules, d);
      if (!decided) return std::unexpected(decided.error());
    }
    return {};
  });
  if (!tx) return std::unexpected(tx.error());

  if (category_2) {
    // NT-02 / NT-04 right away; when the gateway is down or absent the background job asks.
    auto asked = ask_checks(application_id, actor);
    if (!asked) spdlog::warn("certification: checks of application {} not asked yet: {}", application_id, asked.error().message);
  }
  auto found = find(application_id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::internal, "an application vanished after intake");
  return std::move(**found);
}

Result<Application> ApplicationService::withdraw(std::int64_t application_id, const std::string& reason,
                                                 const std::string& actor) {
  if (reason.empty()) return fail(ErrorKind::invalid_input, "the reason of the withdrawal (取下げ) is required", "reason");
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto locked = detail::lock_application(c, application_id);
    if (!locked) return std::unexpected(locked.error());
    const auto& [status, person_id] = *locked;
    if (status == "withdrawn") return fail(ErrorKind::conflict, "the application is withdrawn already", "application_id");
    if (status == "decided" || status == "notified")
      return fail(ErrorKind::conflict, "the application is decided: it can no longer be withdrawn", "application_id");
    const std::string now = clock_.timestamp();
    auto u = c.exec(
        "UPDATE certification_application SET status = 'withdrawn', withdrawn_on = $1, withdraw_reason = $2, updated_at = $3 "
        "WHERE application_id = $4",
        {clock_.today().iso(), reason, now, application_id});
    if (!u) return std::unexpected(u.error());
    auto doc = detail::shinsa_application_document(c, application_id);
    if (!doc) return std::unexpected(doc.error());
    const std::string no = (*doc)["application_no"].get<std::string>();
    auto sent = linkage::enqueue_outbound(
        c, clock_,
        linkage::OutboundMessage{"NT-01", kShinsa, doc->dump(), "application/json", {person_id},
                                 fmt::format("要介護認定等申請 {} の取下げの提供 (NT-01)", no), actor,
                                 fmt::format("NT-01:withdrawal:{}", no)});
    if (!sent) return std::unexpected(sent.error());
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  auto found = find(application_id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::internal, "an application vanished after its withdrawal");
  return std::move(**found);
}

}  // namespace kaigo::certification
