// The category-2 checks over the 番号連携 gateway: NT-02 医療保険資格 (is the applicant aged 40–64
// enrolled in a medical insurance on the application day — without it a 40–64 year-old is not
// insured, 介護保険法9条2号) and NT-04 医療保険料等の滞納 (arrears of the medical insurance premium,
// which the insurer reports because 法68条 lets the city suspend benefits of a category-2 insured in
// arrears). Asking, linking each inquiry to its application, and applying the answers (NT-03/NT-05).
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "certification/application_internal.hpp"
#include "gateway/inquiry_store.hpp"

namespace kaigo::certification {

namespace {

using detail::CheckKind;

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

Result<void> link(store::Database& db, const Clock& clock, std::int64_t application_id, const CheckKind& k,
                  std::int64_t inquiry_id, const std::string& actor) {
  return db.transaction([&](store::Connection& c) -> Result<void> {
    auto ins = c.exec(
        "INSERT INTO certification_check (inquiry_id, application_id, check_kind, created_at, created_by) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (inquiry_id) DO NOTHING",
        {inquiry_id, application_id, std::string(k.check_kind), clock.timestamp(), actor});
    if (!ins) return std::unexpected(ins.error());
    auto u = c.exec(fmt::format("UPDATE certification_application SET {} = $1 WHERE application_id = $2", k.inquiry_column),
                    {inquiry_id, application_id});
    if (!u) return std::unexpected(u.error());
    return {};
  });
}

// What an answer says, checked whole; rejected names the field, never a value.
struct Outcome {
  std::string outcome;  // insured | not_insured | none | in_arrears | failed | rejected
  std::string summary;
  std::optional<std::string> reject_reason;
  std::optional<std::int64_t> arrears_months;
};

Outcome reject(std::string reason) { return {"rejected", "回答を受け付けず", std::move(reason), std::nullopt}; }

Result<Date> item_date(const nlohmann::json& items, const char* name) {
  auto it = items.find(name);
  if (it == items.end() || !it->is_string()) return fail(ErrorKind::invalid_input, "missing", name);
  auto d = Date::parse(it->get<std::string>());
  if (!d) return fail(ErrorKind::invalid_input, "not a date", name);
  return *d;
}

Outcome judge(const CheckKind& k, const gateway::Inquiry& q, Date applied_on) {
  using gateway::InquiryStatus;
  if (q.status == InquiryStatus::not_found) {
    if (&k == &detail::insurance_check())
      return {"not_insured", "医療保険: 加入なし (該当なし)。第2号被保険者に当たらない: 資格を確認のこと", std::nullopt, std::nullopt};
    return {"none", "医療保険料等の滞納: なし", std::nullopt, std::nullopt};
  }
  if (q.status != InquiryStatus::provided)
    return {"failed", fmt::format("回答なし ({}): 再照会する", gateway::to_string(q.status)), std::nullopt, std::nullopt};
  auto answer = nlohmann::json::parse(q.answer, nullptr, false);
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("items") || !answer["items"].is_object())
    return reject("items: the answer carries no items");
  const auto& items = answer["items"];
  if (&k == &detail::insurance_check()) {
    auto acquired = item_date(items, "acquired_on");
    if (!acquired) return reject(fmt::format("items.acquired_on: {}", acquired.error().message));
    std::optional<Date> lost;
    if (auto it = items.find("lost_on"); it != items.end() && !it->is_null()) {
      auto l = item_date(items, "lost_on");
      if (!l) return reject(fmt::format("items.lost_on: {}", l.error().message));
      lost = *l;
    }
    if (*acquired <= applied_on && (!lost || applied_on < *lost))
      return {"insured", "医療保険: 申請日に加入あり", std::nullopt, std::nullopt};
    return {"not_insured", "医療保険: 申請日に加入なし。第2号被保険者に当たらない: 資格を確認のこと", std::nullopt, std::nullopt};
  }
  auto in_arrears = items.find("in_arrears");
  if (in_arrears == items.end() || !in_arrears->is_boolean()) return reject("items.in_arrears: missing or not true/false");
  if (!in_arrears->get<bool>()) return {"none", "医療保険料等の滞納: なし", std::nullopt, std::nullopt};
  auto months = items.find("arrears_months");
  if (months == items.end() || !months->is_number_integer() || months->get<std::int64_t>() < 1 ||
      months->get<std::int64_t>() > 1200)
    return reject("items.arrears_months: missing or not a number of months (1–1200)");
  const std::int64_t m = months->get<std::int64_t>();
  return {"in_arrears", fmt::format("医療保険料等の滞納あり ({}か月)。給付の一時差止 (法68条) の対象となり得る", m), std::nullopt, m};
}

}  // namespace

Result<CheckRunReport> ApplicationService::ask_checks(std::int64_t application_id, const std::string& actor) {
  return certification::ask_checks(db_, clock_, inquiries_, application_id, actor);
}

Result<CheckRunReport> ask_checks(store::Database& db, const Clock& clock, gateway::InquiryService* inquiries,
                                  std::int64_t application_id, const std::string& actor) {
  CheckRunReport report;
  if (!inquiries) return fail(ErrorKind::unavailable, "番号連携 (the 中間サーバー) is not configured on this server");
  struct Need {
    const CheckKind* kind;
    std::int64_t attempts;
  };
  std::vector<Need> needs;
  std::string application_no, person_id;
  Date applied_on;
  auto read = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto row = c.query_one(
        "SELECT a.application_no, a.person_id, a.applied_on, a.status, a.insurance_check, a.arrears_check, "
        "(SELECT c.outcome FROM certification_check c WHERE c.inquiry_id = a.insurance_inquiry_id), "
        "(SELECT c.outcome FROM certification_check c WHERE c.inquiry_id = a.arrears_inquiry_id), "
        "a.insurance_inquiry_id, a.arrears_inquiry_id, "
        "(SELECT COUNT(*) FROM certification_check c WHERE c.application_id = a.application_id AND c.check_kind = 'insurance'), "
        "(SELECT COUNT(*) FROM certification_check c WHERE c.application_id = a.application_id AND c.check_kind = 'arrears') "
        "FROM certification_application a WHERE a.application_id = $1",
        {application_id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail(ErrorKind::not_found, fmt::format("no application {}", application_id), "application_id");
    const store::Row& a = **row;
    application_no = a.str(0);
    person_id = a.str(1);
    auto d = Date::parse(a.str(2));
    if (!d) return fail(ErrorKind::internal, "an application with a malformed applied_on");
    applied_on = *d;
    if (a.str(3) == "withdrawn") return {};
    for (std::size_t i = 0; i < 2; ++i) {
      const CheckKind& k = i == 0 ? detail::insurance_check() : detail::arrears_check();
      const bool pending = a.str(4 + i) == "pending";
      const bool no_inquiry = a.is_null(8 + i);
      const std::string last = a.str(6 + i);  // outcome of the latest inquiry ("" while it waits)
      const bool ended_without = !no_inquiry && (last == "failed" || last == "rejected");
      if (pending && (no_inquiry || ended_without) && a.i64(10 + i) < kMaxCheckAttempts) needs.push_back({&k, a.i64(10 + i)});
    }
    return {};
  });
  if (!read) return std::unexpected(read.error());
  for (const auto& need : needs) {
    const CheckKind& k = *need.kind;
    const std::string purpose = detail::check_purpose(application_no, k);
    // An inquiry an interrupted intake sent but did not link is adopted, not asked twice.
    auto orphan = db.query(
        "SELECT q.inquiry_id FROM inquiry q WHERE q.person_id = $1 AND q.kind = $2 AND q.purpose = $3 AND NOT EXISTS "
        "(SELECT 1 FROM certification_check c WHERE c.inquiry_id = q.inquiry_id) ORDER BY q.inquiry_id DESC LIMIT 1",
        {person_id, std::string(k.inquiry_kind), purpose});
    if (!orphan) return std::unexpected(orphan.error());
    if (!orphan->empty()) {
      if (auto l = link(db, clock, application_id, k, orphan->front().i64(0), actor); !l) return std::unexpected(l.error());
      ++report.adopted;
      continue;
    }
    // The period asked is the application day: insured (or in arrears) on the day the person applied.
    gateway::InquiryRequestSpec spec{std::string(k.inquiry_kind), person_id, applied_on, applied_on, purpose,
                                     std::string(k.request_flow), ""};
    auto q = inquiries->submit(spec, actor);
    if (!q) return std::unexpected(q.error());
    if (auto l = link(db, clock, application_id, k, q->inquiry_id, actor); !l) return std::unexpected(l.error());
    ++report.asked;
  }
  return report;
}

namespace {

// Applies one final answer in one transaction; returns the outcome written ("" when another
// caller applied it first or it was applied before).
Result<std::string> apply_answer(store::Database& db, const Clock& clock, std::int64_t inquiry_id, const std::string& actor) {
  std::string written;
  bool raced = false;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto link_row = c.query_one(
        fmt::format("SELECT c.application_id, c.check_kind, c.outcome, a.person_id, a.applied_on FROM certification_check c "
                    "JOIN certification_application a ON a.application_id = c.application_id WHERE c.inquiry_id = $1{}",
                    c.dialect() == store::Dialect::postgresql ? " FOR UPDATE OF c" : ""),
        {inquiry_id});
    if (!link_row) return std::unexpected(link_row.error());
    if (!*link_row) return fail(ErrorKind::not_found, fmt::format("inquiry {} is not a check of an application", inquiry_id));
    const store::Row& l = **link_row;
    if (!l.is_null(2)) return {};  // applied before: the same answer again changes nothing
    const std::int64_t application_id = l.i64(0);
    const CheckKind* k = detail::check_kind(l.str(1));
    if (!k) return fail(ErrorKind::internal, "a check of an unknown kind");
    auto applied_on = Date::parse(l.str(4));
    if (!applied_on) return fail(ErrorKind::internal, "an application with a malformed applied_on");
    auto q_row = c.query_one(fmt::format("SELECT {} FROM inquiry WHERE inquiry_id = $1", gateway::detail::kInquiryColumns),
                             {inquiry_id});
    if (!q_row) return std::unexpected(q_row.error());
    if (!*q_row) return fail(ErrorKind::internal, "a linked inquiry is missing");
    auto q = gateway::detail::inquiry_from_row(**q_row);
    if (!q) return std::unexpected(q.error());
    if (!gateway::is_final(q->status)) return {};  // not answered yet
    auto exchange = answer_exchange(c, q->exchange_id);
    if (!exchange) return std::unexpected(exchange.error());

    Outcome o;
    if (q->person_id != l.str(3)) o = reject("person_id: the answered inquiry is about another person than the applicant");
    else if (q->kind != k->inquiry_kind || q->flow_id != k->request_flow)
      o = reject(fmt::format("kind: the answer is not of the {} check ({}) the application asked", k->check_kind, k->request_flow));
    else o = judge(*k, *q, *applied_on);

    auto u = c.exec(
        "UPDATE certification_check SET outcome = $1, summary = $2, reject_reason = $3, answer_exchange_id = $4, "
        "applied_at = $5, applied_by = $6 WHERE inquiry_id = $7 AND outcome IS NULL",
        {o.outcome, o.summary, store::opt(o.reject_reason), store::opt(*exchange), clock.timestamp(), actor, inquiry_id});
    if (!u) return std::unexpected(u.error());
    if (*u != 1) {
      raced = true;  // another instance applied it meanwhile (SQLite has no row lock): undo ours
      return fail(ErrorKind::conflict, "applied meanwhile");
    }
    if (o.outcome != "failed" && o.outcome != "rejected") {
      // Only the application's latest inquiry of the kind sets its check.
      auto a = c.exec(fmt::format("UPDATE certification_application SET {} = $1, arrears_months = CASE WHEN CAST($2 AS TEXT) = 'arrears' "
                                  "THEN CAST($3 AS BIGINT) ELSE arrears_months END, updated_at = $4 WHERE application_id = $5 "
                                  "AND {} = $6",
                                  k->column, k->inquiry_column),
                      {o.outcome, std::string(k->check_kind), store::opt(o.arrears_months), clock.timestamp(), application_id,
                       inquiry_id});
      if (!a) return std::unexpected(a.error());
    }
    if (o.outcome == "rejected")
      spdlog::warn("certification: answer to inquiry {} ({}) rejected: {}", inquiry_id, k->answer_flow, o.reject_reason.value_or(""));
    written = o.outcome;
    return {};
  });
  if (!tx && !raced) return std::unexpected(tx.error());
  return raced ? std::string() : written;
}

}  // namespace

Result<CheckRunReport> run_checks_due(store::Database& db, const Clock& clock, gateway::InquiryService* inquiries,
                                      const std::string& actor, int limit) {
  CheckRunReport report;
  limit = std::clamp(limit, 1, 100000);
  // NT-03 / NT-05: every final answer not applied yet.
  auto due = db.query(fmt::format("SELECT c.inquiry_id FROM certification_check c JOIN inquiry q ON q.inquiry_id = c.inquiry_id "
                                  "WHERE c.outcome IS NULL AND q.status IN ('provided', 'not_found', 'error', 'timed_out', "
                                  "'cancelled') ORDER BY c.inquiry_id LIMIT {}",
                                  limit));
  if (!due) return std::unexpected(due.error());
  for (const auto& r : *due) {
    auto o = apply_answer(db, clock, r.i64(0), actor);
    if (!o) return std::unexpected(o.error());
    if (*o == "failed") ++report.failed;
    else if (*o == "rejected") ++report.rejected;
    else if (!o->empty()) ++report.applied;
  }
  if (!inquiries) return report;
  // NT-02 / NT-04: pending checks without an inquiry (the gateway was down at intake) or whose
  // last inquiry ended without a usable answer, up to kMaxCheckAttempts each.
  auto ask = db.query(fmt::format(
      "SELECT a.application_id FROM certification_application a WHERE a.status <> 'withdrawn' AND ("
      "(a.insurance_check = 'pending' AND (a.insurance_inquiry_id IS NULL OR EXISTS (SELECT 1 FROM certification_check c "
      "WHERE c.inquiry_id = a.insurance_inquiry_id AND c.outcome IN ('failed', 'rejected'))) AND (SELECT COUNT(*) FROM "
      "certification_check c WHERE c.application_id = a.application_id AND c.check_kind = 'insurance') < {0}) OR "
      "(a.arrears_check = 'pending' AND (a.arrears_inquiry_id IS NULL OR EXISTS (SELECT 1 FROM certification_check c "
      "WHERE c.inquiry_id = a.arrears_inquiry_id AND c.outcome IN ('failed', 'rejected'))) AND (SELECT COUNT(*) FROM "
      "certification_check c WHERE c.application_id = a.application_id AND c.check_kind = 'arrears') < {0})) "
      "ORDER BY a.application_id LIMIT {1}",
      kMaxCheckAttempts, limit));
  if (!ask) return std::unexpected(ask.error());
  if (ask->empty()) return report;
  for (const auto& r : *ask) {
    auto asked = ask_checks(db, clock, inquiries, r.i64(0), actor);
    if (!asked) {
      // The gateway refused or is down: the next pass asks again; the others go on.
      spdlog::warn("certification: checks of application {} not asked: {}", r.i64(0), asked.error().message);
      continue;
    }
    report.asked += asked->asked;
    report.adopted += asked->adopted;
  }
  return report;
}

}  // namespace kaigo::certification
