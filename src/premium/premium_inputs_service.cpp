// The premium's inquiries to other institutions: asking (one person, or the yearly bulk), applying
// the answers, and reading them back (docs/premium-inputs.md).
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "gateway/inquiry_store.hpp"
#include "people/person_store.hpp"
#include "premium/premium_inputs.hpp"
#include "premium/premium_inputs_internal.hpp"

namespace kaigo::premium {

namespace {

constexpr const char* kColumns =
    "pi.inquiry_id, pi.person_id, pi.fiscal_year, pi.kind, pi.reason, pi.municipality_code, pi.base_date, pi.run_id, "
    "pi.created_at, pi.created_by, q.status, q.processing_no, q.answered_at, q.error_code, pi.outcome, pi.summary, "
    "pi.reject_reason, pi.applied_at, pi.applied_by, pi.answer_exchange_id, pi.recalc_queued";

PremiumInquiry from_row(const store::Row& r) {
  PremiumInquiry p;
  p.inquiry_id = r.i64(0);
  p.person_id = r.str(1);
  p.fiscal_year = static_cast<int>(r.i64(2));
  p.kind = r.str(3);
  if (const auto* k = premium_input_kind(p.kind)) {
    p.request_flow = k->request_flow;
    p.answer_flow = k->answer_flow;
  }
  p.reason = r.str(4);
  p.municipality_code = r.opt_str(5);
  p.base_date = r.str(6);
  p.run_id = r.opt_i64(7);
  p.created_at = r.str(8);
  p.created_by = r.str(9);
  p.status = r.str(10);
  p.processing_no = r.opt_str(11);
  p.answered_at = r.opt_str(12);
  p.error_code = r.opt_str(13);
  p.outcome = r.opt_str(14);
  p.summary = r.opt_str(15);
  p.reject_reason = r.opt_str(16);
  p.applied_at = r.opt_str(17);
  p.applied_by = r.opt_str(18);
  p.answer_exchange_id = r.opt_i64(19);
  p.recalc_queued = r.i64(20) == 1;
  return p;
}

Result<std::vector<PremiumInquiry>> rows_of(const Result<store::Rows>& rows) {
  if (!rows) return std::unexpected(rows.error());
  std::vector<PremiumInquiry> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(from_row(r));
  return out;
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

// Links gateway inquiries to the premium in one bulk load.
struct Link {
  std::int64_t inquiry_id;
  const InputTarget* target;
};
Result<void> insert_links(store::Connection& c, const std::vector<Link>& links, int fiscal_year,
                          std::optional<std::int64_t> run_id, const std::string& now, const std::string& actor) {
  std::size_t i = 0;
  auto n = c.bulk_insert("premium_inquiry",
                         {"inquiry_id", "person_id", "fiscal_year", "kind", "reason", "municipality_code", "base_date",
                          "run_id", "created_at", "created_by", "recalc_queued"},
                         [&](store::Params& p) {
                           if (i == links.size()) return false;
                           const Link& l = links[i++];
                           const InputTarget& t = *l.target;
                           p = {l.inquiry_id,
                                t.person_id,
                                std::int64_t{fiscal_year},
                                t.inquiry_kind,
                                t.reason,
                                t.municipality_code.empty() ? store::null() : store::Value(t.municipality_code),
                                t.base_date.iso(),
                                store::opt(run_id),
                                now,
                                actor,
                                std::int64_t{0}};
                           return true;
                         });
  if (!n) return std::unexpected(n.error());
  return {};
}

nlohmann::json counts_json(const std::vector<KindCounts>& kinds) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& k : kinds)
    out.push_back({{"kind", k.kind},
                   {"request_flow", k.request_flow},
                   {"selected", k.selected},
                   {"already_asked", k.already_asked},
                   {"asked", k.asked},
                   {"submitted", k.submitted},
                   {"refused", k.refused},
                   {"queued", k.queued},
                   {"bulk_id", k.bulk_id ? nlohmann::json(*k.bulk_id) : nlohmann::json(nullptr)}});
  return out;
}

std::vector<KindCounts> counts_from_json(const std::string& text) {
  std::vector<KindCounts> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    KindCounts k;
    k.kind = e.value("kind", "");
    k.request_flow = e.value("request_flow", "");
    k.selected = e.value("selected", std::int64_t{0});
    k.already_asked = e.value("already_asked", std::int64_t{0});
    k.asked = e.value("asked", std::int64_t{0});
    k.submitted = e.value("submitted", std::int64_t{0});
    k.refused = e.value("refused", std::int64_t{0});
    k.queued = e.value("queued", std::int64_t{0});
    if (e.contains("bulk_id") && e["bulk_id"].is_number_integer()) k.bulk_id = e["bulk_id"].get<std::int64_t>();
    out.push_back(std::move(k));
  }
  return out;
}

// A premium inquiry of (person, FY, kind) that still counts: waiting for its answer or applied
// with an answer. Failed (no answer), rejected and ended-without-answer ones may be asked again.
constexpr const char* kStillCounts =
    "q.status NOT IN ('error', 'timed_out', 'cancelled') AND (pi.outcome IS NULL OR pi.outcome IN ('applied', 'unchanged', "
    "'not_found'))";

}  // namespace

PremiumInputsService::PremiumInputsService(store::Database& db, const Clock& clock, const PremiumInputsConfig& config,
                                           gateway::InquiryService* inquiries)
    : db_(db), clock_(clock), config_(config), inquiries_(inquiries) {}

Result<std::optional<PremiumInquiry>> PremiumInputsService::find(std::int64_t inquiry_id) {
  auto rows = rows_of(db_.query(
      fmt::format("SELECT {} FROM premium_inquiry pi JOIN inquiry q ON q.inquiry_id = pi.inquiry_id WHERE pi.inquiry_id = $1",
                  kColumns),
      {inquiry_id}));
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return std::optional<PremiumInquiry>{};
  return std::optional<PremiumInquiry>{std::move(rows->front())};
}

Result<std::vector<PremiumInquiry>> PremiumInputsService::for_person(const std::string& person_id) {
  return rows_of(db_.query(
      fmt::format("SELECT {} FROM premium_inquiry pi JOIN inquiry q ON q.inquiry_id = pi.inquiry_id WHERE pi.person_id = $1 "
                  "ORDER BY pi.inquiry_id DESC",
                  kColumns),
      {person_id}));
}

Result<std::vector<InquiryRun>> PremiumInputsService::runs(int limit) {
  auto rows = db_.query(fmt::format("SELECT run_id, fiscal_year, counts, created_at, created_by FROM premium_inquiry_run "
                                    "ORDER BY run_id DESC LIMIT {}",
                                    std::clamp(limit, 1, 500)));
  if (!rows) return std::unexpected(rows.error());
  std::vector<InquiryRun> out;
  for (const auto& r : *rows)
    out.push_back(InquiryRun{r.i64(0), static_cast<int>(r.i64(1)), counts_from_json(r.str(2)), r.str(3), r.str(4)});
  return out;
}

Result<PremiumInquiry> PremiumInputsService::inquire(const std::string& person_id, const std::string& kind, int fiscal_year,
                                                     const std::string& actor) {
  const PremiumInputKind* use = premium_input_kind(kind);
  if (!use)
    return fail(ErrorKind::invalid_input,
                "kind must be city_local_tax, city_household, nenkin_old_age_welfare or pref_public_assistance", "kind");
  if (fiscal_year < 2000 || fiscal_year > 2999) return fail(ErrorKind::invalid_input, "fiscal_year must be 2000…2999", "fiscal_year");
  if (!inquiries_) return fail(ErrorKind::unavailable, "番号連携 (the 中間サーバー) is not configured on this server");

  std::optional<InputTarget> target;
  auto check = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto p = people::find_person(c, person_id);
    if (!p) return std::unexpected(p.error());
    if (!*p) return fail(ErrorKind::not_found, fmt::format("no person {}", person_id), "person_id");
    auto waiting = c.query_one(
        "SELECT pi.inquiry_id FROM premium_inquiry pi WHERE pi.person_id = $1 AND pi.fiscal_year = $2 AND pi.kind = $3 "
        "AND pi.outcome IS NULL LIMIT 1",
        {person_id, std::int64_t{fiscal_year}, kind});
    if (!waiting) return std::unexpected(waiting.error());
    if (*waiting)
      return fail(ErrorKind::conflict,
                  fmt::format("inquiry {} of this kind for {} is still waiting for its answer", (*waiting)->i64(0), fiscal_year),
                  "kind");
    auto targets = select_targets(c, config_, fiscal_year, person_id);
    if (!targets) return std::unexpected(targets.error());
    for (const auto& t : *targets)
      if (t.inquiry_kind == kind) target = t;
    if (target) return {};
    // Outside the rules, staff may still ask (e.g. a revision): the person must be insured in FY.
    auto first = c.query_one(
        "SELECT MIN(acquired_on) FROM eligibility_period WHERE person_id = $1 AND category = '1' AND acquired_on < $2 "
        "AND (lost_on IS NULL OR lost_on > $3)",
        {person_id, Date(fiscal_year + 1, 4, 1).iso(), Date(fiscal_year, 4, 1).iso()});
    if (!first) return std::unexpected(first.error());
    if (!*first || (*first)->is_null(0))
      return fail(ErrorKind::conflict, fmt::format("the person is not category-1 insured in {}", fiscal_year), "fiscal_year");
    auto acquired = Date::parse((*first)->str(0));
    InputTarget t{person_id, kind, kReasonStaff, "",
                  acquired && Date(fiscal_year, 4, 1) < *acquired ? *acquired : Date(fiscal_year, 4, 1)};
    if (kind == "city_local_tax" || kind == "city_household") {
      auto origin = c.query_one(
          "SELECT former_municipality_code FROM person_origin WHERE person_id = $1 ORDER BY moved_in_on DESC, "
          "person_origin_id DESC LIMIT 1",
          {person_id});
      if (!origin) return std::unexpected(origin.error());
      if (!*origin)
        return fail(ErrorKind::conflict, "no other municipality is known for the person (no 転入 recorded)", "kind");
      t.municipality_code = (*origin)->str(0);
    }
    target = std::move(t);
    return {};
  });
  if (!check) return std::unexpected(check.error());

  const auto [from, to] = inquiry_period(kind, fiscal_year);
  gateway::InquiryRequestSpec spec{kind, person_id, from, to, inquiry_purpose(fiscal_year, use->request_flow),
                                   std::string(use->request_flow), ""};
  auto q = inquiries_->submit(spec, actor);
  if (!q) return std::unexpected(q.error());
  // Linked in a second transaction: if it fails, the yearly run adopts the inquiry by its purpose.
  auto linked = db_.transaction([&](store::Connection& c) {
    return insert_links(c, {Link{q->inquiry_id, &*target}}, fiscal_year, std::nullopt, clock_.timestamp(), actor);
  });
  if (!linked) return std::unexpected(linked.error());
  auto found = find(q->inquiry_id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::internal, "a linked premium inquiry vanished");
  return std::move(**found);
}

Result<InquiryRun> PremiumInputsService::inquire_bulk(int fiscal_year, const std::string& actor) {
  if (fiscal_year < 2000 || fiscal_year > 2999) return fail(ErrorKind::invalid_input, "fiscal_year must be 2000…2999", "fiscal_year");
  if (!inquiries_) return fail(ErrorKind::unavailable, "番号連携 (the 中間サーバー) is not configured on this server");
  std::vector<InputTarget> targets;
  std::set<std::pair<std::string, std::string>> asked;  // (kind, person)
  auto read = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto t = select_targets(c, config_, fiscal_year);
    if (!t) return std::unexpected(t.error());
    targets = std::move(*t);
    return {};
  });
  if (!read) return std::unexpected(read.error());

  InquiryRun run;
  run.fiscal_year = fiscal_year;
  run.created_at = clock_.timestamp();
  run.created_by = actor;
  auto made = db_.query(
      "INSERT INTO premium_inquiry_run (fiscal_year, counts, created_at, created_by) VALUES ($1, '[]', $2, $3) RETURNING run_id",
      {std::int64_t{fiscal_year}, run.created_at, actor});
  if (!made) return std::unexpected(made.error());
  run.run_id = made->at(0).i64(0);

  for (const auto& k : premium_input_kinds()) {
    KindCounts counts;
    counts.kind = k.inquiry_kind;
    counts.request_flow = k.request_flow;
    std::map<std::string, const InputTarget*> wanted;
    for (const auto& t : targets)
      if (t.inquiry_kind == k.inquiry_kind) wanted.emplace(t.person_id, &t);
    counts.selected = static_cast<std::int64_t>(wanted.size());
    const std::string purpose = inquiry_purpose(fiscal_year, k.request_flow);
    // Adopt inquiries of an earlier, interrupted run (sent, not linked), then skip whoever was asked.
    auto adopt = db_.transaction([&](store::Connection& c) -> Result<void> {
      auto orphans = c.query(
          "SELECT q.inquiry_id, q.person_id FROM inquiry q WHERE q.kind = $1 AND q.purpose = $2 AND NOT EXISTS "
          "(SELECT 1 FROM premium_inquiry pi WHERE pi.inquiry_id = q.inquiry_id) ORDER BY q.inquiry_id",
          {std::string(k.inquiry_kind), purpose});
      if (!orphans) return std::unexpected(orphans.error());
      std::vector<Link> links;
      std::set<std::string> seen;
      for (const auto& r : *orphans) {
        auto w = wanted.find(r.str(1));
        if (w != wanted.end() && seen.insert(r.str(1)).second) links.push_back(Link{r.i64(0), w->second});
      }
      if (!links.empty())
        if (auto l = insert_links(c, links, fiscal_year, run.run_id, clock_.timestamp(), actor); !l) return l;
      auto done = c.query(fmt::format("SELECT DISTINCT pi.person_id FROM premium_inquiry pi JOIN inquiry q ON q.inquiry_id = "
                                      "pi.inquiry_id WHERE pi.fiscal_year = $1 AND pi.kind = $2 AND {}",
                                      kStillCounts),
                          {std::int64_t{fiscal_year}, std::string(k.inquiry_kind)});
      if (!done) return std::unexpected(done.error());
      for (const auto& r : *done)
        if (wanted.erase(r.str(0))) ++counts.already_asked;
      return {};
    });
    if (!adopt) return std::unexpected(adopt.error());

    if (!wanted.empty()) {
      std::vector<std::string> persons;
      persons.reserve(wanted.size());
      for (const auto& [pid, t] : wanted) persons.push_back(pid);
      const auto [from, to] = inquiry_period(k.inquiry_kind, fiscal_year);
      auto receipt = inquiries_->submit_bulk(std::string(k.inquiry_kind), persons, from, to, purpose, actor,
                                             std::string(k.request_flow));
      if (!receipt) return std::unexpected(receipt.error());
      counts.bulk_id = receipt->bulk_id;
      counts.asked = receipt->count;
      counts.submitted = receipt->submitted;
      counts.refused = receipt->refused;
      counts.queued = receipt->queued;
      auto link = db_.transaction([&](store::Connection& c) -> Result<void> {
        auto ids = c.query("SELECT inquiry_id, person_id FROM inquiry WHERE bulk_id = $1 ORDER BY inquiry_id", {receipt->bulk_id});
        if (!ids) return std::unexpected(ids.error());
        std::vector<Link> links;
        links.reserve(ids->size());
        for (const auto& r : *ids) links.push_back(Link{r.i64(0), wanted.at(r.str(1))});
        return insert_links(c, links, fiscal_year, run.run_id, clock_.timestamp(), actor);
      });
      if (!link) return std::unexpected(link.error());
    }
    run.kinds.push_back(std::move(counts));
    auto u = db_.exec("UPDATE premium_inquiry_run SET counts = $1 WHERE run_id = $2", {counts_json(run.kinds).dump(), run.run_id});
    if (!u) return std::unexpected(u.error());
  }
  spdlog::info("premium inputs: run {} for {} asked {} inquiries", run.run_id, fiscal_year, [&] {
    std::int64_t n = 0;
    for (const auto& k : run.kinds) n += k.asked;
    return n;
  }());
  return run;
}

Result<PremiumInquiry> PremiumInputsService::apply(std::int64_t inquiry_id, const std::string& actor) {
  bool raced = false;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto link_row = c.query_one(
        fmt::format("SELECT {} FROM premium_inquiry pi JOIN inquiry q ON q.inquiry_id = pi.inquiry_id WHERE pi.inquiry_id = $1{}",
                    kColumns, c.dialect() == store::Dialect::postgresql ? " FOR UPDATE OF pi" : ""),
        {inquiry_id});
    if (!link_row) return std::unexpected(link_row.error());
    if (!*link_row)
      return fail(ErrorKind::not_found, fmt::format("inquiry {} is not an inquiry of the premium", inquiry_id), "inquiry_id");
    const PremiumInquiry link = from_row(**link_row);
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

    detail::Effects effects;
    const PremiumInputKind* kind = premium_input_kind(q->kind);
    if (q->person_id != link.person_id) {
      effects = {"rejected", "回答を受け付けず (照会した人と異なる)", "person_id: the answered inquiry is about another person", {}};
    } else if (q->kind != link.kind || !kind || q->flow_id != kind->request_flow) {
      effects = {"rejected", "回答を受け付けず (照会の種類が異なる)", "kind: the answer is not of the kind the premium asked", {}};
    } else {
      auto e = detail::apply_effects(c, clock_, detail::ApplyInput{link, *q, *exchange, actor});
      if (!e) return std::unexpected(e.error());
      effects = std::move(*e);
    }
    std::int64_t queued = 0;
    if (effects.outcome == "applied") {
      auto n = detail::queue_recalc(c, clock_, link.fiscal_year, effects.recalc);
      if (!n) return std::unexpected(n.error());
      queued = *n;
    }
    auto u = c.exec(
        "UPDATE premium_inquiry SET outcome = $1, summary = $2, reject_reason = $3, answer_exchange_id = $4, "
        "recalc_queued = $5, applied_at = $6, applied_by = $7 WHERE inquiry_id = $8 AND outcome IS NULL",
        {effects.outcome, effects.summary, store::opt(effects.reject_reason), store::opt(*exchange),
         std::int64_t{queued > 0 ? 1 : 0}, clock_.timestamp(), actor, inquiry_id});
    if (!u) return std::unexpected(u.error());
    // Another instance applied it meanwhile (SQLite has no row lock): undo ours.
    if (*u != 1) {
      raced = true;
      return fail(ErrorKind::conflict, fmt::format("inquiry {} was applied meanwhile", inquiry_id), "inquiry_id");
    }
    if (effects.outcome == "rejected")
      spdlog::warn("premium inputs: answer to inquiry {} rejected: {}", inquiry_id, effects.reject_reason.value_or(""));
    return {};
  });
  if (!tx && !raced) return std::unexpected(tx.error());
  auto found = find(inquiry_id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::internal, "a premium inquiry vanished");
  return std::move(**found);
}

Result<ApplyReport> PremiumInputsService::apply_due(const std::string& actor, int limit) {
  auto due = db_.query(fmt::format("SELECT pi.inquiry_id FROM premium_inquiry pi JOIN inquiry q ON q.inquiry_id = pi.inquiry_id "
                                   "WHERE pi.outcome IS NULL AND q.status IN ('provided', 'not_found', 'error', 'timed_out', "
                                   "'cancelled') ORDER BY pi.inquiry_id LIMIT {}",
                                   std::clamp(limit, 1, 100000)));
  if (!due) return std::unexpected(due.error());
  ApplyReport report;
  for (const auto& r : *due) {
    auto p = apply(r.i64(0), actor);
    if (!p) return std::unexpected(p.error());
    const std::string outcome = p->outcome.value_or("");
    if (outcome == "applied") ++report.applied;
    else if (outcome == "unchanged") ++report.unchanged;
    else if (outcome == "not_found") ++report.not_found;
    else if (outcome == "failed") ++report.failed;
    else if (outcome == "rejected") ++report.rejected;
    if (p->recalc_queued) ++report.recalc_queued;
  }
  return report;
}

}  // namespace kaigo::premium
