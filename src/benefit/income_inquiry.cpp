// KY-08 … KY-15: the benefit's inquiries through the 番号連携 gateway and applying their answers
// (income_inquiry.hpp). The facts are written by the premium's apply (the same four kinds, the
// same checks, source 'exchange'); what differs is the link (benefit_inquiry) and the flow IDs.
#include "benefit/income_inquiry.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "benefit/income.hpp"
#include "gateway/inquiry_store.hpp"
#include "premium/premium_inputs_internal.hpp"

namespace kaigo::benefit {

namespace {

constexpr const char* kColumns =
    "bi.inquiry_id, bi.person_id, bi.purpose, bi.kind, bi.base_date, bi.created_at, bi.created_by, q.status, "
    "q.processing_no, q.answered_at, q.error_code, bi.outcome, bi.summary, bi.reject_reason, bi.applied_at, "
    "bi.applied_by, bi.answer_exchange_id";

BenefitInquiry from_row(const store::Row& r) {
  BenefitInquiry b;
  b.inquiry_id = r.i64(0);
  b.person_id = r.str(1);
  b.purpose = r.str(2);
  b.kind = r.str(3);
  if (const auto* k = benefit_input_kind(b.kind)) {
    b.request_flow = k->request_flow;
    b.answer_flow = k->answer_flow;
  }
  b.base_date = r.str(4);
  b.created_at = r.str(5);
  b.created_by = r.str(6);
  b.status = r.str(7);
  b.processing_no = r.opt_str(8);
  b.answered_at = r.opt_str(9);
  b.error_code = r.opt_str(10);
  b.outcome = r.opt_str(11);
  b.summary = r.opt_str(12);
  b.reject_reason = r.opt_str(13);
  b.applied_at = r.opt_str(14);
  b.applied_by = r.opt_str(15);
  b.answer_exchange_id = r.opt_i64(16);
  return b;
}

bool is_tax_kind(std::string_view kind) { return kind == "city_local_tax" || kind == "city_household"; }

// The period asked: the income year for the tax kinds (1 January – 31 December), else the day.
std::pair<Date, Date> period_of(std::string_view kind, Date base) {
  if (!is_tax_kind(kind)) return {base, base};
  const int y = income_year_of(base);
  return {Date(y, 1, 1), Date(y, 12, 31)};
}

// base_date range of one income year Y: from 1 August Y+1 to 31 July Y+2 (income_year_of).
std::pair<std::string, std::string> base_dates_of_income_year(int y) {
  return {Date(y + 1, 8, 1).iso(), Date(y + 2, 7, 31).iso()};
}

std::string purpose_text(std::string_view purpose, Date base, std::string_view flow) {
  return fmt::format("介護保険 {} {}時点 ({})", purpose == "high_cost" ? "高額介護サービス費" : "利用者負担割合", base.iso(), flow);
}

// The inbound exchange that brought an inquiry's answer (in reply to the request's 処理通番).
Result<std::optional<std::int64_t>> answer_exchange(store::Connection& c, std::int64_t request_exchange_id) {
  auto row = c.query_one(
      "SELECT a.exchange_id FROM exchange r JOIN exchange a ON a.in_reply_to = r.correlation_id AND a.direction = 'inbound' "
      "WHERE r.exchange_id = $1 ORDER BY a.exchange_id DESC LIMIT 1",
      {request_exchange_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->i64(0)};
}

}  // namespace

const std::vector<BenefitInputKind>& benefit_input_kinds() {
  static const std::vector<BenefitInputKind> kinds = {
      {"city_local_tax", "KY-08", "KY-09", "地方税情報"},
      {"city_household", "KY-10", "KY-11", "世帯員情報"},
      {"nenkin_old_age_welfare", "KY-12", "KY-13", "老齢福祉年金受給情報"},
      {"pref_public_assistance", "KY-14", "KY-15", "生活保護・中国残留邦人等情報"},
  };
  return kinds;
}

const BenefitInputKind* benefit_input_kind(std::string_view inquiry_kind) {
  for (const auto& k : benefit_input_kinds())
    if (k.inquiry_kind == inquiry_kind) return &k;
  return nullptr;
}

IncomeInquiryService::IncomeInquiryService(store::Database& db, const Clock& clock, gateway::InquiryService* inquiries)
    : db_(db), clock_(clock), inquiries_(inquiries) {}

Result<BenefitInquiry> IncomeInquiryService::inquire(const std::string& person_id, const std::string& kind,
                                                     const std::string& purpose, Date base_date, const std::string& actor) {
  const BenefitInputKind* use = benefit_input_kind(kind);
  if (!use)
    return fail(ErrorKind::invalid_input,
                "kind must be city_local_tax, city_household, nenkin_old_age_welfare or pref_public_assistance", "kind");
  if (purpose != "high_cost" && purpose != "copayment_rate")
    return fail(ErrorKind::invalid_input, "purpose must be high_cost or copayment_rate", "purpose");
  if (!inquiries_) return fail(ErrorKind::unavailable, "番号連携 (the 中間サーバー) is not configured on this server");
  const int y = income_year_of(base_date);
  auto check = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto exists = c.query_one("SELECT 1 FROM person WHERE person_id = $1", {person_id});
    if (!exists) return std::unexpected(exists.error());
    if (!*exists) return fail(ErrorKind::not_found, "no such person", "person_id");
    const auto [from, to] = base_dates_of_income_year(y);
    auto waiting = c.query_one(
        "SELECT inquiry_id FROM benefit_inquiry WHERE person_id = $1 AND kind = $2 AND outcome IS NULL "
        "AND base_date >= $3 AND base_date <= $4 LIMIT 1",
        {person_id, kind, from, to});
    if (!waiting) return std::unexpected(waiting.error());
    if (*waiting)
      return fail(ErrorKind::conflict,
                  fmt::format("inquiry {} of this kind is still waiting for its answer", (*waiting)->i64(0)), "kind");
    return {};
  });
  if (!check) return std::unexpected(check.error());

  const auto [from, to] = period_of(kind, base_date);
  gateway::InquiryRequestSpec spec{kind, person_id, from, to, purpose_text(purpose, base_date, use->request_flow),
                                   std::string(use->request_flow), ""};
  auto q = inquiries_->submit(spec, actor);
  if (!q) return std::unexpected(q.error());
  // Linked in a second transaction (the gateway commits the inquiry with its exchange first).
  auto linked = db_.exec(
      "INSERT INTO benefit_inquiry (inquiry_id, person_id, purpose, kind, base_date, created_at, created_by) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {q->inquiry_id, person_id, purpose, kind, base_date.iso(), clock_.timestamp(), actor});
  if (!linked) return std::unexpected(linked.error());
  auto found = find(q->inquiry_id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::internal, "a linked benefit inquiry vanished");
  return std::move(**found);
}

Result<BulkInquiry> IncomeInquiryService::inquire_missing(std::string_view month, const std::string& actor) {
  if (!inquiries_) return fail(ErrorKind::unavailable, "番号連携 (the 中間サーバー) is not configured on this server");
  auto last = last_day_of_month(month);
  if (!last) return std::unexpected(last.error());
  const int y = income_year_of(*last);
  BulkInquiry out;
  std::set<std::string> wanted;
  auto read = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto missing = missing_for_month(c, month);
    if (!missing) return std::unexpected(missing.error());
    for (const auto& m : *missing)
      if (m.ask_flow == "KY-08") wanted.insert(m.person_id);
    if (wanted.empty()) return {};
    // Asked already for the year (waiting, or answered with facts): not again.
    const auto [from, to] = base_dates_of_income_year(y);
    auto asked = c.query(
        "SELECT DISTINCT person_id FROM benefit_inquiry WHERE kind = 'city_local_tax' AND base_date >= $1 "
        "AND base_date <= $2 AND (outcome IS NULL OR outcome IN ('applied', 'unchanged', 'not_found'))",
        {from, to});
    if (!asked) return std::unexpected(asked.error());
    for (const auto& r : *asked)
      if (wanted.erase(r.str(0))) ++out.already_asked;
    return {};
  });
  if (!read) return std::unexpected(read.error());
  if (wanted.empty()) return out;
  const std::vector<std::string> persons(wanted.begin(), wanted.end());
  const auto [from, to] = period_of("city_local_tax", *last);
  auto receipt = inquiries_->submit_bulk("city_local_tax", persons, from, to,
                                         purpose_text("high_cost", *last, "KY-08"), actor, "KY-08");
  if (!receipt) return std::unexpected(receipt.error());
  out.bulk_id = receipt->bulk_id;
  out.asked = receipt->count;
  out.submitted = receipt->submitted;
  out.refused = receipt->refused;
  out.queued = receipt->queued;
  // One statement links the bulk's inquiries.
  auto link = db_.exec(
      "INSERT INTO benefit_inquiry (inquiry_id, person_id, purpose, kind, base_date, created_at, created_by) "
      "SELECT inquiry_id, person_id, 'high_cost', kind, CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS TEXT) "
      "FROM inquiry WHERE bulk_id = $1",
      {receipt->bulk_id, last->iso(), clock_.timestamp(), actor});
  if (!link) return std::unexpected(link.error());
  spdlog::info("benefit inputs: KY-08 bulk {} asked {} for {}", receipt->bulk_id, receipt->count, month);
  return out;
}

Result<BenefitInquiry> IncomeInquiryService::apply(std::int64_t inquiry_id, const std::string& actor) {
  bool raced = false;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto link_row = c.query_one(
        fmt::format("SELECT {} FROM benefit_inquiry bi JOIN inquiry q ON q.inquiry_id = bi.inquiry_id WHERE bi.inquiry_id = $1{}",
                    kColumns, c.dialect() == store::Dialect::postgresql ? " FOR UPDATE OF bi" : ""),
        {inquiry_id});
    if (!link_row) return std::unexpected(link_row.error());
    if (!*link_row)
      return fail(ErrorKind::not_found, fmt::format("inquiry {} is not an inquiry of the benefit", inquiry_id), "inquiry_id");
    const BenefitInquiry link = from_row(**link_row);
    if (link.outcome) return {};  // applied already: the same answer again changes nothing
    auto q_row = c.query_one(fmt::format("SELECT {} FROM inquiry WHERE inquiry_id = $1", gateway::detail::kInquiryColumns),
                             {inquiry_id});
    if (!q_row) return std::unexpected(q_row.error());
    if (!*q_row) return fail(ErrorKind::internal, "a linked inquiry is missing");
    auto q = gateway::detail::inquiry_from_row(**q_row);
    if (!q) return std::unexpected(q.error());
    if (!gateway::is_final(q->status))
      return fail(ErrorKind::conflict, fmt::format("the inquiry has no answer yet ({})", gateway::to_string(q->status)), "status");
    auto exchange = answer_exchange(c, q->exchange_id);
    if (!exchange) return std::unexpected(exchange.error());
    auto base = Date::parse(link.base_date);
    if (!base) return std::unexpected(base.error());

    premium::detail::Effects effects;
    const BenefitInputKind* kind = benefit_input_kind(q->kind);
    if (q->person_id != link.person_id) {
      effects = {"rejected", "回答を受け付けず (照会した人と異なる)", "person_id: the answered inquiry is about another person", {}};
    } else if (q->kind != link.kind || !kind || q->flow_id != kind->request_flow) {
      effects = {"rejected", "回答を受け付けず (照会の種類が異なる)", "kind: the answer is not of the kind the benefit asked", {}};
    } else {
      // The premium's view of the same facts: fiscal year = income year + 1 (its tax kinds read
      // income year FY − 1), base date = the day asked about.
      premium::PremiumInquiry as_premium;
      as_premium.inquiry_id = link.inquiry_id;
      as_premium.person_id = link.person_id;
      as_premium.fiscal_year = income_year_of(*base) + 1;
      as_premium.kind = link.kind;
      as_premium.base_date = link.base_date;
      auto e = premium::detail::apply_effects(c, clock_, premium::detail::ApplyInput{as_premium, *q, *exchange, actor});
      if (!e) return std::unexpected(e.error());
      effects = std::move(*e);
      // What kaigo now knows reaches the premium too (a re-assessment of that fiscal year).
      if (effects.outcome == "applied") {
        auto n = premium::detail::queue_recalc(c, clock_, as_premium.fiscal_year, effects.recalc);
        if (!n) return std::unexpected(n.error());
      }
    }
    auto u = c.exec(
        "UPDATE benefit_inquiry SET outcome = $1, summary = $2, reject_reason = $3, answer_exchange_id = $4, "
        "applied_at = $5, applied_by = $6 WHERE inquiry_id = $7 AND outcome IS NULL",
        {effects.outcome, effects.summary, store::opt(effects.reject_reason), store::opt(*exchange), clock_.timestamp(),
         actor, inquiry_id});
    if (!u) return std::unexpected(u.error());
    // Another instance applied it meanwhile (SQLite has no row lock): undo ours.
    if (*u != 1) {
      raced = true;
      return fail(ErrorKind::conflict, fmt::format("inquiry {} was applied meanwhile", inquiry_id), "inquiry_id");
    }
    if (effects.outcome == "rejected")
      spdlog::warn("benefit inputs: answer to inquiry {} rejected: {}", inquiry_id, effects.reject_reason.value_or(""));
    return {};
  });
  if (!tx && !raced) return std::unexpected(tx.error());
  auto found = find(inquiry_id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::internal, "a benefit inquiry vanished");
  return std::move(**found);
}

Result<BenefitApplyReport> IncomeInquiryService::apply_due(const std::string& actor, int limit) {
  auto due = db_.query(fmt::format("SELECT bi.inquiry_id FROM benefit_inquiry bi JOIN inquiry q ON q.inquiry_id = bi.inquiry_id "
                                   "WHERE bi.outcome IS NULL AND q.status IN ('provided', 'not_found', 'error', 'timed_out', "
                                   "'cancelled') ORDER BY bi.inquiry_id LIMIT {}",
                                   std::clamp(limit, 1, 100000)));
  if (!due) return std::unexpected(due.error());
  BenefitApplyReport report;
  for (const auto& r : *due) {
    auto p = apply(r.i64(0), actor);
    if (!p) return std::unexpected(p.error());
    const std::string outcome = p->outcome.value_or("");
    if (outcome == "applied") ++report.applied;
    else if (outcome == "unchanged") ++report.unchanged;
    else if (outcome == "not_found") ++report.not_found;
    else if (outcome == "failed") ++report.failed;
    else if (outcome == "rejected") ++report.rejected;
  }
  return report;
}

Result<std::vector<BenefitInquiry>> IncomeInquiryService::for_person(const std::string& person_id) {
  auto rows = db_.query(fmt::format("SELECT {} FROM benefit_inquiry bi JOIN inquiry q ON q.inquiry_id = bi.inquiry_id "
                                    "WHERE bi.person_id = $1 ORDER BY bi.inquiry_id DESC",
                                    kColumns),
                        {person_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<BenefitInquiry> out;
  for (const auto& r : *rows) out.push_back(from_row(r));
  return out;
}

Result<std::optional<BenefitInquiry>> IncomeInquiryService::find(std::int64_t inquiry_id) {
  auto rows = db_.query(fmt::format("SELECT {} FROM benefit_inquiry bi JOIN inquiry q ON q.inquiry_id = bi.inquiry_id "
                                    "WHERE bi.inquiry_id = $1",
                                    kColumns),
                        {inquiry_id});
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return std::optional<BenefitInquiry>{};
  return std::optional<BenefitInquiry>{from_row(rows->front())};
}

}  // namespace kaigo::benefit
