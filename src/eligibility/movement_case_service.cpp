#include "eligibility/movement_case_service.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "eligibility/movement_case_answers.hpp"
#include "eligibility/movement_case_apply.hpp"
#include "eligibility/movement_case_store.hpp"
#include "gateway/inquiry_store.hpp"
#include "eligibility/register.hpp"
#include "people/person_store.hpp"

namespace kaigo::eligibility {

namespace {

constexpr std::size_t kMaxText = 2000;

Result<Date> date_field(const std::string& text, const char* field) {
  auto d = Date::parse(text);
  if (!d) return fail(ErrorKind::invalid_input, fmt::format("{} must be a date YYYY-MM-DD", field), field);
  return *d;
}

Result<void> text_field(const std::string& text, const char* field, bool required) {
  if (required && text.empty()) return fail(ErrorKind::invalid_input, fmt::format("{} is required", field), field);
  if (text.size() > kMaxText) return fail(ErrorKind::invalid_input, fmt::format("{} is too long", field), field);
  return {};
}

// The locked case, or not_found; conflict when it no longer takes changes.
Result<MovementCase> open_case_for_update(store::Connection& c, std::int64_t case_id) {
  auto k = detail::find_case_row(c, case_id, true);
  if (!k) return std::unexpected(k.error());
  if (!*k) return fail(ErrorKind::not_found, fmt::format("no movement case {}", case_id), "case_id");
  if ((*k)->status != "open")
    return fail(ErrorKind::conflict, fmt::format("case {} is {}: it takes no more changes", case_id, (*k)->status), "status");
  return std::move(**k);
}

Result<std::optional<Date>> birth_of(store::Connection& c, const std::string& person_id) {
  auto p = people::find_person(c, person_id);
  if (!p) return std::unexpected(p.error());
  if (!*p) return fail(ErrorKind::not_found, fmt::format("no person {}", person_id), "person_id");
  auto birth = Date::parse((*p)->birth_date);
  if (!birth) return fail(ErrorKind::internal, "a stored birth date is not a date");
  return std::optional<Date>{*birth};
}

const char* fact_label(AddressFactKind k) {
  switch (k) {
    case AddressFactKind::move_in: return "転入";
    case AddressFactKind::move_out: return "転出";
    case AddressFactKind::emigration: return "国外転出";
    case AddressFactKind::death: return "死亡";
  }
  return "";
}

std::string outcome_line(const RegisterOutcome& o) {
  std::string s = o.revision_id ? fmt::format("資格期間を更新 (revision {}, 変更 {}件)", *o.revision_id, o.changes.size())
                                : std::string("資格期間に変更なし");
  if (o.issued_insured_no) s += "; 被保険者番号を付番";
  return s;
}

// The inbound exchange that brought an inquiry's answer (in reply to the request's 処理通番).
Result<std::optional<std::int64_t>> answer_exchange(store::Connection& c, const gateway::Inquiry& q) {
  auto row = c.query_one(
      "SELECT a.exchange_id FROM exchange r JOIN exchange a ON a.in_reply_to = r.correlation_id AND a.direction = 'inbound' "
      "WHERE r.exchange_id = $1 ORDER BY a.exchange_id DESC LIMIT 1",
      {q.exchange_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->i64(0)};
}

}  // namespace

MovementCaseService::MovementCaseService(store::Database& db, const Clock& clock, const MovementChecklists& checklists,
                                         std::string insurer_no, gateway::InquiryService* inquiries)
    : db_(db), clock_(clock), checklists_(checklists), insurer_no_(std::move(insurer_no)), inquiries_(inquiries) {}

Result<MovementCase> MovementCaseService::get(std::int64_t case_id) {
  std::optional<MovementCase> out;
  auto r = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto k = detail::load_case(c, case_id);
    if (!k) return std::unexpected(k.error());
    out = std::move(*k);
    return {};
  });
  if (!r) return std::unexpected(r.error());
  if (!out) return fail(ErrorKind::not_found, fmt::format("no movement case {}", case_id), "case_id");
  return std::move(*out);
}

Result<std::vector<CaseSummary>> MovementCaseService::list(const std::string& status, int limit) {
  if (!status.empty() && status != "open" && status != "completed" && status != "cancelled")
    return fail(ErrorKind::invalid_input, "status must be open, completed or cancelled", "status");
  if (limit < 1 || limit > 500) return fail(ErrorKind::invalid_input, "limit must be 1 to 500", "limit");
  std::vector<CaseSummary> out;
  auto r = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto rows = detail::list_cases(c, status, limit);
    if (!rows) return std::unexpected(rows.error());
    out = std::move(*rows);
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

Result<MovementCase> MovementCaseService::open(const OpenCaseRequest& req, const std::string& actor) {
  // Validate the whole request before writing anything.
  auto kind = parse_movement_kind(req.movement_kind);
  if (!kind) return std::unexpected(kind.error());
  auto moved = date_field(req.movement_date, "movement_date");
  if (!moved) return std::unexpected(moved.error());
  auto notified = date_field(req.notified_on, "notified_on");
  if (!notified) return std::unexpected(notified.error());
  const Date today = clock_.today();
  if (*notified > today) return fail(ErrorKind::invalid_input, "notified_on is in the future", "notified_on");
  if (*moved > today && !may_be_in_future(*kind))
    return fail(ErrorKind::invalid_input, fmt::format("a {} cannot be notified before it happens", label(*kind)),
                "movement_date");
  std::optional<std::string> new_address_on;
  if (req.new_address_on && !req.new_address_on->empty()) {
    if (*kind != MovementKind::move_out)
      return fail(ErrorKind::invalid_input, "new_address_on belongs to a move_out only", "new_address_on");
    auto d = date_field(*req.new_address_on, "new_address_on");
    if (!d) return std::unexpected(d.error());
    if (*d < *moved) return fail(ErrorKind::invalid_input, "new_address_on is before the movement date", "new_address_on");
    new_address_on = d->iso();
  }
  auto notifier = parse_notifier(req.notifier);
  if (!notifier) return std::unexpected(notifier.error());
  if (auto t = text_field(req.note, "note", false); !t) return std::unexpected(t.error());
  const bool has_person = req.person_id && !req.person_id->empty();
  if (!has_person && !allows_newcomer(*kind))
    return fail(ErrorKind::invalid_input, fmt::format("a {} case needs the person (person_id)", label(*kind)), "person_id");

  std::int64_t case_id = 0;
  auto r = db_.transaction([&](store::Connection& c) -> Result<void> {
    std::optional<Date> birth;
    if (has_person) {
      auto b = birth_of(c, *req.person_id);
      if (!b) return std::unexpected(b.error());
      birth = *b;
    }
    MovementCase k;
    if (has_person) k.person_id = *req.person_id;
    k.movement_kind = *kind;
    k.movement_date = moved->iso();
    k.new_address_on = new_address_on;
    k.notified_on = notified->iso();
    k.notifier = *notifier;
    k.note = req.note;
    k.created_at = clock_.timestamp();
    k.created_by = actor;
    auto id = detail::insert_case(c, k);
    if (!id) return std::unexpected(id.error());
    case_id = *id;
    return detail::insert_checks(c, case_id, checklists_.items_for(*kind, birth, *moved));
  });
  if (!r) return std::unexpected(r.error());
  return get(case_id);
}

Result<MovementCase> MovementCaseService::attach_person(std::int64_t case_id, const std::string& person_id,
                                                        const std::string& actor) {
  (void)actor;  // the access log (server) records who; the case keeps its creator
  if (person_id.empty()) return fail(ErrorKind::invalid_input, "person_id is required", "person_id");
  auto r = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto k = open_case_for_update(c, case_id);
    if (!k) return std::unexpected(k.error());
    if (k->person_id) {
      if (*k->person_id == person_id) return {};  // the same person again changes nothing
      return fail(ErrorKind::conflict, "the case already has a person", "person_id");
    }
    auto birth = birth_of(c, person_id);
    if (!birth) return std::unexpected(birth.error());
    if (auto s = detail::set_person(c, case_id, person_id); !s) return std::unexpected(s.error());
    auto moved = Date::parse(k->movement_date);
    if (!moved) return fail(ErrorKind::internal, "a stored movement date is not a date");
    return detail::delete_undone_checks_except(c, case_id, checklists_.items_for(k->movement_kind, *birth, *moved));
  });
  if (!r) return std::unexpected(r.error());
  return get(case_id);
}

Result<MovementCase> MovementCaseService::set_check(std::int64_t case_id, const std::string& item, bool done,
                                                    const std::string& actor) {
  auto r = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto k = open_case_for_update(c, case_id);
    if (!k) return std::unexpected(k.error());
    auto exists = c.query_one("SELECT 1 FROM movement_case_check WHERE case_id = $1 AND item = $2", {case_id, item});
    if (!exists) return std::unexpected(exists.error());
    if (!*exists) return fail(ErrorKind::not_found, fmt::format("case {} has no checklist item '{}'", case_id, item), "item");
    auto s = detail::set_check(c, case_id, item, done, actor, clock_.timestamp());
    if (!s) return std::unexpected(s.error());
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return get(case_id);
}

Result<MovementCase> MovementCaseService::ask_non_registered(std::int64_t case_id, const std::string& question,
                                                             const std::string& asked_on, const std::string& actor) {
  if (auto t = text_field(question, "question", true); !t) return std::unexpected(t.error());
  auto on = date_field(asked_on, "asked_on");
  if (!on) return std::unexpected(on.error());
  if (*on > clock_.today()) return fail(ErrorKind::invalid_input, "asked_on is in the future", "asked_on");
  auto r = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto k = open_case_for_update(c, case_id);
    if (!k) return std::unexpected(k.error());
    auto existing = c.query_one("SELECT question, asked_on, answer FROM non_registered_contact WHERE case_id = $1", {case_id});
    if (!existing) return std::unexpected(existing.error());
    if (*existing) {
      if ((*existing)->str(0) == question && (*existing)->str(1) == on->iso()) return {};  // the same question again
      if (!(*existing)->is_null(2))
        return fail(ErrorKind::conflict, "the 住登外 question is answered already and can no longer change", "question");
    }
    return detail::save_question(c, case_id, question, on->iso(), actor);
  });
  if (!r) return std::unexpected(r.error());
  return get(case_id);
}

Result<MovementCase> MovementCaseService::answer_non_registered(std::int64_t case_id, const std::string& answer,
                                                                const std::string& answered_on, const std::string& actor) {
  if (auto t = text_field(answer, "answer", true); !t) return std::unexpected(t.error());
  auto on = date_field(answered_on, "answered_on");
  if (!on) return std::unexpected(on.error());
  if (*on > clock_.today()) return fail(ErrorKind::invalid_input, "answered_on is in the future", "answered_on");
  auto r = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto k = open_case_for_update(c, case_id);
    if (!k) return std::unexpected(k.error());
    auto existing = c.query_one("SELECT asked_on, answer, answered_on FROM non_registered_contact WHERE case_id = $1", {case_id});
    if (!existing) return std::unexpected(existing.error());
    if (!*existing) return fail(ErrorKind::conflict, "record the 住登外 question (SK-06) before its answer", "question");
    if (!(*existing)->is_null(1)) {
      if ((*existing)->str(1) == answer && (*existing)->str(2) == on->iso()) return {};  // the same answer again
      return fail(ErrorKind::conflict, "a different answer is recorded already", "answer");
    }
    if (*on < *Date::parse((*existing)->str(0)))
      return fail(ErrorKind::invalid_input, "answered_on is before the question was asked", "answered_on");
    if (auto s = detail::save_answer(c, case_id, answer, on->iso(), actor); !s) return std::unexpected(s.error());
    return detail::tick_satisfied(c, case_id, kSatisfiedByNonRegistered, actor, clock_.timestamp());
  });
  if (!r) return std::unexpected(r.error());
  return get(case_id);
}

Result<MovementCase> MovementCaseService::submit_inquiry(std::int64_t case_id, const std::string& kind,
                                                         const std::string& actor) {
  const CaseInquiryKind* use = case_inquiry_kind(kind);
  if (!use)
    return fail(ErrorKind::invalid_input,
                "kind must be city_resident, city_certificate, city_former_address_rule, iryo_insurance or "
                "pref_public_assistance",
                "kind");
  if (!inquiries_) return fail(ErrorKind::unavailable, "番号連携 (the 中間サーバー) is not configured on this server");
  // Checked first in its own read; the gateway commits the inquiry in its own transaction.
  std::optional<MovementCase> k;
  auto check = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto locked = open_case_for_update(c, case_id);
    if (!locked) return std::unexpected(locked.error());
    if (!locked->person_id)
      return fail(ErrorKind::conflict, "the case has no person yet: attach them once the registry copy has them", "person_id");
    auto open = c.query_one(fmt::format("SELECT inquiry.inquiry_id FROM inquiry JOIN movement_case_inquiry m ON "
                                        "m.inquiry_id = inquiry.inquiry_id WHERE m.case_id = $1 AND inquiry.kind = $2 "
                                        "AND inquiry.status IN {} LIMIT 1",
                                        gateway::detail::kOpenStatuses),
                            {case_id, kind});
    if (!open) return std::unexpected(open.error());
    if (*open)
      return fail(ErrorKind::conflict, fmt::format("an inquiry of this kind is still open ({})", (*open)->i64(0)), "kind");
    k = std::move(*locked);
    return {};
  });
  if (!check) return std::unexpected(check.error());
  auto moved = Date::parse(k->movement_date);
  if (!moved) return fail(ErrorKind::internal, "a stored movement date is not a date");
  const Date today = clock_.today();
  // The answer as of the movement date (for 転出予定 also as of today): the former city's record
  // at the move, the insurance and assistance in effect since then.
  gateway::InquiryRequestSpec spec{kind,
                                   *k->person_id,
                                   std::min(*moved, today),
                                   std::max(*moved, today),
                                   fmt::format("介護保険 資格 窓口 {} (SK-01 case {})", label(k->movement_kind), case_id),
                                   std::string(use->request_flow),
                                   ""};
  auto q = inquiries_->submit(spec, actor);
  if (!q) return std::unexpected(q.error());
  // Linked in a second transaction: if this one fails, the inquiry stands alone in the gateway's
  // queue (visible on the inquiry screen) and the case can ask again.
  auto linked = db_.transaction([&](store::Connection& c) { return detail::link_inquiry(c, case_id, q->inquiry_id); });
  if (!linked) return std::unexpected(linked.error());
  return get(case_id);
}

Result<MovementCase> MovementCaseService::apply_answer(std::int64_t case_id, std::int64_t inquiry_id,
                                                       const std::string& actor, const ApplyOptions& options) {
  auto r = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto k = detail::find_case_row(c, case_id, true);
    if (!k) return std::unexpected(k.error());
    if (!*k) return fail(ErrorKind::not_found, fmt::format("no movement case {}", case_id), "case_id");
    auto link = detail::inquiry_link(c, case_id, inquiry_id);
    if (!link) return std::unexpected(link.error());
    if (!*link) return fail(ErrorKind::not_found, fmt::format("inquiry {} is not one of case {}", inquiry_id, case_id), "inquiry_id");
    if (**link) return {};  // applied already: the same answer again changes nothing
    if ((*k)->status != "open")
      return fail(ErrorKind::conflict, fmt::format("case {} is {}: it takes no more changes", case_id, (*k)->status), "status");
    auto row = c.query_one(fmt::format("SELECT {} FROM inquiry WHERE inquiry_id = $1", gateway::detail::kInquiryColumns),
                           {inquiry_id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail(ErrorKind::internal, "a linked inquiry is missing");
    auto q = gateway::detail::inquiry_from_row(**row);
    if (!q) return std::unexpected(q.error());
    if (q->status != gateway::InquiryStatus::provided && q->status != gateway::InquiryStatus::not_found)
      return fail(ErrorKind::conflict,
                  gateway::is_final(q->status)
                      ? fmt::format("the inquiry ended {} without an answer: retry it or ask again", gateway::to_string(q->status))
                      : fmt::format("the inquiry has no answer yet ({})", gateway::to_string(q->status)),
                  "status");
    auto exchange = answer_exchange(c, *q);
    if (!exchange) return std::unexpected(exchange.error());
    const detail::ApplyInput in{**k, *q, *exchange, actor, insurer_no_, options};
    auto applied = detail::apply_answer_effects(c, clock_, in);
    if (!applied) return std::unexpected(applied.error());
    const std::string now = clock_.timestamp();
    if (auto m = detail::mark_applied(c, case_id, inquiry_id, actor, now, applied->summary); !m)
      return std::unexpected(m.error());
    if (applied->satisfied)
      if (auto t = detail::tick_satisfied(c, case_id, q->kind, actor, now); !t) return std::unexpected(t.error());
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return get(case_id);
}

Result<MovementCase> MovementCaseService::complete(std::int64_t case_id, const std::string& actor,
                                                   const CompleteOptions& options) {
  std::optional<Date> later_new_address;
  if (options.new_address_on && !options.new_address_on->empty()) {
    auto d = date_field(*options.new_address_on, "new_address_on");
    if (!d) return std::unexpected(d.error());
    later_new_address = *d;
  }
  auto r = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto k = open_case_for_update(c, case_id);
    if (!k) return std::unexpected(k.error());
    if (!k->person_id)
      return fail(ErrorKind::conflict, "the case has no person yet: attach them before completing", "person_id");
    auto undone = c.query("SELECT item FROM movement_case_check WHERE case_id = $1 AND done = 0 ORDER BY position", {case_id});
    if (!undone) return std::unexpected(undone.error());
    if (!undone->empty()) {
      std::vector<std::string> items;
      for (const auto& row : *undone) items.push_back(row.str(0));
      return fail(ErrorKind::conflict, fmt::format("checklist items not done: {}", fmt::join(items, ", ")), "checklist");
    }
    auto moved = Date::parse(k->movement_date);
    if (!moved) return fail(ErrorKind::internal, "a stored movement date is not a date");
    const ChangeSource src{"counter_case", std::nullopt, case_id, actor, ""};
    std::optional<std::int64_t> revision;
    std::string summary;
    if (auto fact_kind = address_fact_for(k->movement_kind)) {
      AddressFact fact;
      fact.kind = *fact_kind;
      fact.on = *moved;
      if (*fact_kind == AddressFactKind::move_out) {
        if (later_new_address) {
          fact.new_address_on = later_new_address;
        } else if (k->new_address_on) {
          auto d = Date::parse(*k->new_address_on);
          if (!d) return fail(ErrorKind::internal, "a stored new_address_on is not a date");
          fact.new_address_on = *d;
        }
        if (fact.new_address_on && *fact.new_address_on < *moved)
          return fail(ErrorKind::invalid_input, "new_address_on is before the movement date", "new_address_on");
      } else if (later_new_address) {
        return fail(ErrorKind::invalid_input, "new_address_on belongs to a move_out only", "new_address_on");
      }
      ChangeSource s = src;
      s.cause = fmt::format("窓口 {}届 (SK-01)", fact_label(*fact_kind));
      auto outcome = record_address_fact(c, clock_, *k->person_id, fact, s);
      if (!outcome) return std::unexpected(outcome.error());
      revision = outcome->revision_id;
      summary = fmt::format("{} {} を記録: {}", fact_label(*fact_kind), moved->iso(), outcome_line(*outcome));
    } else if (k->movement_kind == MovementKind::former_address_rule_end ||
               k->movement_kind == MovementKind::exemption_end ||
               k->movement_kind == MovementKind::former_address_rule_start ||
               k->movement_kind == MovementKind::exemption_start) {
      auto reg = load_register(c, *k->person_id);
      if (!reg) return std::unexpected(reg.error());
      const bool rule = k->movement_kind == MovementKind::former_address_rule_end ||
                        k->movement_kind == MovementKind::former_address_rule_start;
      const bool ending = k->movement_kind == MovementKind::former_address_rule_end ||
                          k->movement_kind == MovementKind::exemption_end;
      std::optional<std::int64_t> open_id;
      if (*reg) {
        if (rule) {
          for (const auto& x : (*reg)->former_address_rules)
            if (!x.ended_on) open_id = x.rule_id;
        } else {
          for (const auto& x : (*reg)->exemptions)
            if (!x.left_on) open_id = x.exemption_id;
        }
      }
      const char* what = rule ? "住所地特例" : "適用除外";
      if (!ending) {
        // A start needs the facility's details: the SK-11 answer or the 資格 screen records it.
        if (!open_id)
          return fail(ErrorKind::conflict,
                      fmt::format("no open {} is recorded: apply the SK-11 answer or record it on the 資格 screen first", what),
                      "movement_kind");
        summary = fmt::format("{}は記録済み (資格画面または照会結果の適用による)", what);
      } else if (!open_id) {
        summary = fmt::format("終了する{}がありません: 資格期間に変更なし", what);
      } else {
        ChangeSource s = src;
        s.cause = fmt::format("窓口 {}終了届 (SK-01)", what);
        auto outcome = rule ? end_former_address_rule(c, clock_, *open_id, *moved, s)
                            : end_exemption(c, clock_, *open_id, *moved, s);
        if (!outcome) return std::unexpected(outcome.error());
        revision = outcome->revision_id;
        summary = fmt::format("{}を {} で終了: {}", what, moved->iso(), outcome_line(*outcome));
      }
    } else {
      summary = std::string(no_fact_reason(k->movement_kind));
    }
    return detail::finish_case(c, case_id, "completed", revision, summary, actor, clock_.timestamp(), "");
  });
  if (!r) return std::unexpected(r.error());
  return get(case_id);
}

Result<MovementCase> MovementCaseService::cancel(std::int64_t case_id, const std::string& reason, const std::string& actor) {
  if (auto t = text_field(reason, "reason", true); !t) return std::unexpected(t.error());
  auto r = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto k = open_case_for_update(c, case_id);
    if (!k) return std::unexpected(k.error());
    return detail::finish_case(c, case_id, "cancelled", std::nullopt, "", actor, clock_.timestamp(), reason);
  });
  if (!r) return std::unexpected(r.error());
  return get(case_id);
}

}  // namespace kaigo::eligibility
