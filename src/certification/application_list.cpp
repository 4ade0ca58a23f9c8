// Reading applications: the list with its timers (filters and urgency order in SQL), one
// application with its whole workflow, and a person's certifications and applications.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "certification/application_internal.hpp"

namespace kaigo::certification {

namespace {

std::optional<bool> opt_bool(const store::Row& r, std::size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return r.i64(i) != 0;
}

// The filter as SQL over kRowFrom; $1 is today.
std::string filter_sql(ListFilter f) {
  const std::string open = fmt::format("a.status IN {}", detail::kOpenStatuses);
  switch (f) {
    case ListFilter::open: return open;
    case ListFilter::warning:
      return open + " AND COALESCE(a.warn_on, a.deadline_on) <= CAST($1 AS TEXT) AND a.deadline_on >= CAST($1 AS TEXT)";
    case ListFilter::overdue:
      return open + " AND a.deadline_on < CAST($1 AS TEXT) AND (pp.until IS NULL OR pp.until < CAST($1 AS TEXT))";
    case ListFilter::postponed: return open + " AND pp.until >= CAST($1 AS TEXT)";
    case ListFilter::waiting_assessment:
      return "a.status IN ('received', 'investigating') AND a.assessment_received_on IS NULL";
    case ListFilter::waiting_opinion: return "a.status IN ('received', 'investigating') AND a.opinion_received_on IS NULL";
    case ListFilter::ready: return "a.status = 'ready'";
    case ListFilter::scheduled: return "a.status = 'scheduled'";
    case ListFilter::decided: return "a.status = 'decided'";
    case ListFilter::all: return "1 = 1";
  }
  return open;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isdigit(ch) != 0; });
}

// Without surrounding spaces, ASCII or the full-width 　 (U+3000) typed in a Japanese input mode.
std::string trimmed(std::string s) {
  static const std::string kWide = "\u3000";
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.erase(0, 1);
    } else if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
      s.pop_back();
    } else if (s.starts_with(kWide)) {
      s.erase(0, kWide.size());
    } else if (s.ends_with(kWide)) {
      s.erase(s.size() - kWide.size());
    } else {
      return s;
    }
  }
}

// Overdue first, then the open ones by their deadline (= by days left), then the finished ones.
std::string urgency_order() {
  return fmt::format(
      " ORDER BY CASE WHEN a.status IN {0} AND a.deadline_on < CAST($1 AS TEXT) AND (pp.until IS NULL OR pp.until < "
      "CAST($1 AS TEXT)) THEN 0 WHEN a.status IN {0} THEN 1 ELSE 2 END, a.deadline_on, a.application_id",
      detail::kOpenStatuses);
}

CertificationView certification_from(const store::Row& r) {
  return CertificationView{r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), r.i64(6), r.str(7), r.str(8)};
}
constexpr const char* kCertificationColumns =
    "certification_id, application_id, care_level, valid_from, valid_to, certified_on, monthly_cap_units, status, remarks";

}  // namespace

Result<ApplicationPage> ApplicationService::list(const ListQuery& query) {
  if (query.limit < 1 || query.limit > 500) return fail(ErrorKind::invalid_input, "limit must be between 1 and 500", "limit");
  if (query.offset < 0) return fail(ErrorKind::invalid_input, "offset must not be negative", "offset");
  const Date today = clock_.today();
  store::Params params{today.iso()};
  std::string where = " WHERE " + filter_sql(query.filter);
  const std::string q = trimmed(query.q);
  if (!q.empty()) {
    std::string column;
    std::string key = q;
    if ((q[0] == 'A' || q[0] == 'a') && (q.size() == 1 || all_digits(q.substr(1)))) {
      key[0] = 'A';
      column = "a.application_no";
    } else if (all_digits(q)) {
      column = "a.insured_no";
    } else {
      column = "p.name_kana";  // a byte-wise prefix range over the kana index
    }
    params.push_back(key);
    params.push_back(detail::prefix_end(key));
    where += fmt::format(" AND {0} >= $2 AND {0} < $3", column);
  }
  ApplicationPage page;
  // (today is named in the select list: a filter may not use it, and every parameter must be.)
  auto count = db_.query(fmt::format("SELECT COUNT(*), MAX(CAST($1 AS TEXT)){}{}", detail::kRowFrom, where), params);
  if (!count) return std::unexpected(count.error());
  page.total = count->front().i64(0);
  params.push_back(std::int64_t{query.limit});
  params.push_back(std::int64_t{query.offset});
  auto rows = db_.query(fmt::format("SELECT {}{}{}{} LIMIT ${} OFFSET ${}", detail::kRowColumns, detail::kRowFrom, where,
                                    urgency_order(), params.size() - 1, params.size()),
                        params);
  if (!rows) return std::unexpected(rows.error());
  page.items.reserve(rows->size());
  for (const auto& r : *rows) page.items.push_back(detail::row_from(r, config_.rules, today));
  return page;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> ApplicationService::filter_counts() {
  static constexpr std::pair<const char*, ListFilter> kFilters[] = {
      {"open", ListFilter::open},           {"warning", ListFilter::warning},
      {"overdue", ListFilter::overdue},     {"postponed", ListFilter::postponed},
      {"waiting_assessment", ListFilter::waiting_assessment}, {"waiting_opinion", ListFilter::waiting_opinion},
      {"ready", ListFilter::ready},         {"scheduled", ListFilter::scheduled},
      {"decided", ListFilter::decided},     {"all", ListFilter::all}};
  std::string select;
  for (const auto& [name, f] : kFilters)
    select += fmt::format("{}CAST(SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS BIGINT)", select.empty() ? "" : ", ", filter_sql(f));
  auto row = db_.query(fmt::format("SELECT {}, MAX(CAST($1 AS TEXT)){}", select, detail::kRowFrom), {clock_.today().iso()});
  if (!row) return std::unexpected(row.error());
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (std::size_t i = 0; i < std::size(kFilters); ++i) out.emplace_back(kFilters[i].first, row->front().i64(i));
  return out;
}

Result<std::optional<Application>> ApplicationService::find(std::int64_t application_id) {
  const Date today = clock_.today();
  std::optional<Application> out;
  auto read = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto row = c.query_one(
        fmt::format("SELECT {}, a.place, a.applicant_relation, a.reason, a.specified_disease, a.previous_certification_id, "
                    "a.certificate_id, a.insurance_inquiry_id, a.arrears_inquiry_id, a.arrears_months, a.handed_exchange_id, "
                    "a.withdraw_reason, a.created_at, a.created_by{} WHERE a.application_id = $1",
                    detail::kRowColumns, detail::kRowFrom),
        {application_id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
    const store::Row& r = **row;
    Application a;
    a.row = detail::row_from(r, config_.rules, today);
    constexpr std::size_t k = 24;  // first column after kRowColumns
    a.place = r.str(k);
    a.applicant_relation = r.str(k + 1);
    a.reason = r.str(k + 2);
    a.specified_disease = r.opt_str(k + 3);
    a.previous_certification_id = r.opt_i64(k + 4);
    a.certificate_id = r.opt_i64(k + 5);
    a.insurance_inquiry_id = r.opt_i64(k + 6);
    a.arrears_inquiry_id = r.opt_i64(k + 7);
    a.arrears_months = r.opt_i64(k + 8);
    a.handed_exchange_id = r.opt_i64(k + 9);
    a.withdraw_reason = r.opt_str(k + 10);
    a.created_at = r.str(k + 11);
    a.created_by = r.str(k + 12);
    a.stages = stages_of(a.row.dates, today, a.row.withdrawn_on);

    auto pps = c.query(
        "SELECT pp.postponement_id, pp.application_id, pp.reason, pp.expected_on, pp.issued_on, pp.issued_by, d.document_id "
        "FROM certification_postponement pp LEFT JOIN certification_document d ON d.once_key = 'postponement_notice:' || "
        "CAST(pp.postponement_id AS TEXT) WHERE pp.application_id = $1 ORDER BY pp.postponement_id",
        {application_id});
    if (!pps) return std::unexpected(pps.error());
    for (const auto& p : *pps)
      a.postponements.push_back(Postponement{p.i64(0), p.i64(1), p.str(2), detail::opt_date(p, 3).value_or(today),
                                             detail::opt_date(p, 4).value_or(today), p.str(5), p.opt_i64(6)});

    auto checks = c.query(
        "SELECT c.inquiry_id, c.check_kind, q.flow_id, q.status, c.outcome, c.summary, c.reject_reason, c.applied_at, "
        "c.created_at FROM certification_check c JOIN inquiry q ON q.inquiry_id = c.inquiry_id WHERE c.application_id = $1 "
        "ORDER BY c.inquiry_id",
        {application_id});
    if (!checks) return std::unexpected(checks.error());
    for (const auto& x : *checks)
      a.checks.push_back(CheckRecord{x.i64(0), x.str(1), x.str(2), x.str(3), x.opt_str(4), x.opt_str(5), x.opt_str(6),
                                     x.opt_str(7), x.str(8)});

    auto assessments = c.query(
        "SELECT assessment_id, request_no, assessor_kind, contractor_code, assessor_name, requested_on, due_on, status, "
        "assessed_on, received_on, standard_tenths, cognitive_decline, unstable_condition, dementia_independence, "
        "bedridden_independence, items, special_notes FROM home_assessment WHERE application_id = $1 ORDER BY assessment_id",
        {application_id});
    if (!assessments) return std::unexpected(assessments.error());
    for (const auto& x : *assessments)
      a.assessments.push_back(AssessmentView{x.i64(0), x.str(1), x.str(2), x.opt_str(3), x.str(4), x.str(5), x.str(6),
                                             x.str(7), x.opt_str(8), x.opt_str(9), x.opt_i64(10), opt_bool(x, 11),
                                             opt_bool(x, 12), x.opt_str(13), x.opt_str(14), x.opt_str(15), x.opt_str(16)});

    auto opinions = c.query(
        "SELECT opinion_id, request_no, institution_code, doctor_name, first_visit, requested_on, due_on, status, written_on, "
        "received_on, specified_disease, content FROM physician_opinion WHERE application_id = $1 ORDER BY opinion_id",
        {application_id});
    if (!opinions) return std::unexpected(opinions.error());
    for (const auto& x : *opinions)
      a.opinions.push_back(OpinionView{x.i64(0), x.str(1), x.str(2), x.str(3), x.i64(4) != 0, x.str(5), x.str(6), x.str(7),
                                       x.opt_str(8), x.opt_str(9), x.opt_str(10), x.opt_str(11)});

    auto first = c.query_one(
        "SELECT care_level, standard_tenths, explanation, computed_at FROM first_stage_result WHERE application_id = $1",
        {application_id});
    if (!first) return std::unexpected(first.error());
    if (*first) a.first_stage = FirstStageView{(*first)->str(0), (*first)->i64(1), (*first)->str(2), (*first)->str(3)};

    auto cases = c.query(
        "SELECT cc.session_id, s.session_no, s.held_on, s.status, cc.outcome FROM committee_case cc JOIN committee_session s "
        "ON s.session_id = cc.session_id WHERE cc.application_id = $1 ORDER BY s.held_on, cc.session_id",
        {application_id});
    if (!cases) return std::unexpected(cases.error());
    for (const auto& x : *cases) a.cases.push_back(CaseView{x.i64(0), x.str(1), x.str(2), x.str(3), x.opt_str(4)});

    auto decision = c.query_one(
        "SELECT decision_id, session_id, care_level, first_stage_level, validity_months, valid_from, valid_to, remarks, "
        "change_reason, decided_on FROM certification_decision WHERE application_id = $1",
        {application_id});
    if (!decision) return std::unexpected(decision.error());
    if (*decision) {
      const store::Row& x = **decision;
      a.decision = DecisionView{x.i64(0),     x.opt_i64(1), x.str(2), x.opt_str(3), x.opt_i64(4),
                                x.opt_str(5), x.opt_str(6), x.str(7), x.str(8),     x.str(9)};
    }

    auto granted = c.query_one(fmt::format("SELECT {} FROM care_certification WHERE application_id = $1", kCertificationColumns),
                               {application_id});
    if (!granted) return std::unexpected(granted.error());
    if (*granted) a.certification = certification_from(**granted);

    auto documents = c.query(
        "SELECT document_id, kind, issued_on, issued_by, certification_id FROM certification_document WHERE application_id = $1 "
        "ORDER BY document_id",
        {application_id});
    if (!documents) return std::unexpected(documents.error());
    for (const auto& x : *documents) a.documents.push_back(DocumentView{x.i64(0), x.str(1), x.str(2), x.str(3), x.opt_i64(4)});

    if (a.previous_certification_id) {
      auto prev = c.query_one(fmt::format("SELECT {} FROM care_certification WHERE certification_id = $1", kCertificationColumns),
                              {*a.previous_certification_id});
      if (!prev) return std::unexpected(prev.error());
      if (*prev) a.previous_certification = certification_from(**prev);
    }
    out = std::move(a);
    return {};
  });
  if (!read) return std::unexpected(read.error());
  return out;
}

Result<std::optional<Postponement>> ApplicationService::find_postponement(std::int64_t application_id,
                                                                          std::int64_t postponement_id) {
  auto app = find(application_id);
  if (!app) return std::unexpected(app.error());
  if (!*app) return std::optional<Postponement>{};
  for (const auto& p : (*app)->postponements)
    if (p.postponement_id == postponement_id) return std::optional<Postponement>{p};
  return std::optional<Postponement>{};
}

Result<std::optional<PersonCertifications>> ApplicationService::for_person(const std::string& person_id) {
  const Date today = clock_.today();
  std::optional<PersonCertifications> out;
  auto read = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto person = c.query_one(
        "SELECT p.person_id, p.name_kanji, p.name_kana, i.insured_no FROM person p LEFT JOIN insured_number i ON "
        "i.person_id = p.person_id WHERE p.person_id = $1",
        {person_id});
    if (!person) return std::unexpected(person.error());
    if (!*person) return {};
    PersonCertifications pc;
    pc.person_id = (*person)->str(0);
    pc.name = (*person)->str(1);
    pc.name_kana = (*person)->str(2);
    pc.insured_no = (*person)->opt_str(3);
    auto certs = c.query(fmt::format("SELECT {} FROM care_certification WHERE person_id = $1 ORDER BY valid_from DESC, "
                                     "certification_id DESC",
                                     kCertificationColumns),
                         {person_id});
    if (!certs) return std::unexpected(certs.error());
    for (const auto& r : *certs) pc.certifications.push_back(certification_from(r));
    auto apps = c.query(fmt::format("SELECT {}{} WHERE a.person_id = $1 ORDER BY a.applied_on DESC, a.application_id DESC",
                                    detail::kRowColumns, detail::kRowFrom),
                        {person_id});
    if (!apps) return std::unexpected(apps.error());
    for (const auto& r : *apps) pc.applications.push_back(detail::row_from(r, config_.rules, today));
    out = std::move(pc);
    return {};
  });
  if (!read) return std::unexpected(read.error());
  return out;
}

}  // namespace kaigo::certification
