// Counter cases (窓口 異動受付, docs/movement-cases.md, API: docs/api-eligibility.md "Counter cases"):
// a 住民異動届 as a case (SK-01), its checklist, the 住登外 question and answer (SK-06/07), the
// 番号連携 inquiries the case needs (SK-04/08/10/12/14) and their answers applied (SK-05/09/11/13/15),
// completion into the insured register, cancel. 資格担当 and 監督者 only. Every case shown is a read
// of its person and every change a write, both in the access log.
#include <mutex>

#include <fmt/format.h>

#include "eligibility/movement_case_answers.hpp"
#include "eligibility/movement_case_service.hpp"
#include "server/access_log.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;

const RoleSet& case_workers() {
  static const RoleSet s{Role::eligibility_staff, Role::supervisor};
  return s;
}

json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json opt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

// The checklist table, loaded from the server's config directory on first use (the server knows
// nothing of it at start-up) and kept; a broken table fails every case request with its line.
Result<const eligibility::MovementChecklists*> checklists(const ServerContext& ctx) {
  static std::mutex mutex;
  static std::map<std::string, eligibility::MovementChecklists> loaded;
  std::lock_guard lock(mutex);
  if (auto it = loaded.find(ctx.options.config_dir); it != loaded.end()) return &it->second;
  auto t = eligibility::MovementChecklists::load(ctx.options.config_dir);
  if (!t) return fail(ErrorKind::internal, fmt::format("the checklist table cannot be used: {}", t.error().message));
  return &loaded.emplace(ctx.options.config_dir, std::move(*t)).first->second;
}

json inquiry_json(const eligibility::CaseInquiry& ci) {
  const auto& q = ci.inquiry;
  json answer = nullptr;
  if (!q.answer.empty()) {
    answer = json::parse(q.answer, nullptr, false);
    if (answer.is_discarded()) answer = nullptr;
  }
  const auto* use = eligibility::case_inquiry_kind(q.kind);
  return {{"inquiry_id", q.inquiry_id},
          {"kind", q.kind},
          {"flow_id", q.flow_id},
          {"answer_flow_id", use ? json(std::string(use->answer_flow)) : json(nullptr)},
          {"status", gateway::to_string(q.status)},
          {"processing_no", q.processing_no.empty() ? json(nullptr) : json(q.processing_no)},
          {"error_message", q.error_message.empty() ? json(nullptr) : json(q.error_message)},
          {"answer", answer},
          {"answered_at", q.answered_at.empty() ? json(nullptr) : json(q.answered_at)},
          {"applied", ci.applied},
          {"applied_at", opt(ci.applied_at)},
          {"applied_by", opt(ci.applied_by)},
          {"apply_summary", opt(ci.apply_summary)}};
}

json case_json(const eligibility::MovementCase& k) {
  json checklist = json::array();
  for (const auto& c : k.checklist)
    checklist.push_back({{"item", c.item},
                         {"label", c.label},
                         {"satisfied_by", c.satisfied_by.empty() ? json(nullptr) : json(c.satisfied_by)},
                         {"done", c.done},
                         {"done_by", opt(c.done_by)},
                         {"done_at", opt(c.done_at)}});
  json inquiries = json::array();
  for (const auto& q : k.inquiries) inquiries.push_back(inquiry_json(q));
  json non_registered = nullptr;
  if (k.non_registered) {
    const auto& n = *k.non_registered;
    non_registered = {{"question", n.question},  {"asked_on", n.asked_on},       {"asked_by", n.asked_by},
                      {"answer", opt(n.answer)}, {"answered_on", opt(n.answered_on)}, {"answered_by", opt(n.answered_by)}};
  }
  json outcome = nullptr;
  if (k.status == "completed") {
    json changes = json::array();
    if (k.outcome_changes) {
      changes = json::parse(*k.outcome_changes, nullptr, false);
      if (changes.is_discarded() || !changes.is_array()) changes = json::array();
    }
    outcome = {{"revision_id", opt(k.outcome_revision_id)}, {"changes", changes}, {"summary", opt(k.outcome_summary)}};
  }
  return {{"case_id", k.case_id},
          {"person_id", opt(k.person_id)},
          {"name_kanji", opt(k.name_kanji)},
          {"movement_kind", std::string(eligibility::to_code(k.movement_kind))},
          {"movement_kind_label", std::string(eligibility::label(k.movement_kind))},
          {"movement_date", k.movement_date},
          {"new_address_on", opt(k.new_address_on)},
          {"notified_on", k.notified_on},
          {"notifier", k.notifier},
          {"status", k.status},
          {"note", k.note},
          {"checklist", checklist},
          {"inquiries", inquiries},
          {"non_registered", non_registered},
          {"outcome", outcome},
          {"created_at", k.created_at},
          {"created_by", k.created_by},
          {"completed_at", opt(k.completed_at)},
          {"completed_by", opt(k.completed_by)},
          {"cancelled_at", opt(k.cancelled_at)},
          {"cancelled_by", opt(k.cancelled_by)},
          {"cancel_reason", opt(k.cancel_reason)}};
}

json summary_json(const eligibility::CaseSummary& s) {
  return {{"case_id", s.case_id},
          {"person_id", opt(s.person_id)},
          {"name_kanji", opt(s.name_kanji)},
          {"movement_kind", std::string(eligibility::to_code(s.movement_kind))},
          {"movement_kind_label", std::string(eligibility::label(s.movement_kind))},
          {"movement_date", s.movement_date},
          {"notified_on", s.notified_on},
          {"notifier", s.notifier},
          {"note", s.note},
          {"status", s.status},
          {"checks_done", s.checks_done},
          {"checks_total", s.checks_total},
          {"created_at", s.created_at},
          {"created_by", s.created_by},
          {"completed_at", opt(s.completed_at)},
          {"completed_by", opt(s.completed_by)}};
}

Result<std::int64_t> id_of(const std::string& text, const char* field) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return fail(ErrorKind::invalid_input, fmt::format("{} is a number", field), field);
  return std::stoll(text);
}

// A string field of the body; absent or null → nullopt (required → invalid_input naming it).
Result<std::optional<std::string>> string_field(const json& body, const char* name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return fail(ErrorKind::invalid_input, fmt::format("{} is required", name), name);
    return std::optional<std::string>{};
  }
  if (!it->is_string()) return fail(ErrorKind::invalid_input, fmt::format("{} must be a string", name), name);
  return std::optional<std::string>{it->get<std::string>()};
}

Result<std::string> required_string(const json& body, const char* name) {
  auto v = string_field(body, name, true);
  if (!v) return std::unexpected(v.error());
  return **v;
}

// The case sent back, with its person's access recorded (read or write) in its own transaction,
// before the data leaves the server.
Result<ApiResponse> respond(ServerContext& ctx, const ApiRequest& req, const eligibility::MovementCase& k,
                            AccessAction action, const std::string& resource, int status = 200) {
  if (k.person_id) {
    auto logged = ctx.db.transaction([&](store::Connection& c) {
      return record_access(c, ctx.clock, req.user().user.user_id, *k.person_id, action, resource, false);
    });
    if (!logged) return std::unexpected(logged.error());
  }
  return ApiResponse::json(case_json(k), status);
}

using CaseAction = std::function<Result<eligibility::MovementCase>(eligibility::MovementCaseService&, ApiRequest&,
                                                                    std::int64_t case_id)>;

// A POST on one case: the service call, then the write recorded for the case's person.
Handler case_write(ServerContext& ctx, std::string resource, CaseAction action) {
  return [&ctx, resource = std::move(resource), action = std::move(action)](ApiRequest& req) -> Result<ApiResponse> {
    auto id = id_of(req.path_params.at(0), "case_id");
    if (!id) return std::unexpected(id.error());
    auto lists = checklists(ctx);
    if (!lists) return std::unexpected(lists.error());
    eligibility::MovementCaseService service(ctx.db, ctx.clock, **lists, ctx.city.insurer_no, ctx.inquiries);
    auto k = action(service, req, *id);
    if (!k) return std::unexpected(k.error());
    return respond(ctx, req, *k, AccessAction::write, resource);
  };
}

}  // namespace

void add_movement_case_routes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/movement-cases";

  router.add(Route{
      "POST", base, "register a 住民異動届 as a counter case with its checklist (SK-01)", case_workers(),
      [&ctx, base](ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        eligibility::OpenCaseRequest open;
        auto person = string_field(*body, "person_id", false);
        if (!person) return std::unexpected(person.error());
        open.person_id = *person;
        for (auto [field, target] : {std::pair{"movement_kind", &open.movement_kind},
                                     std::pair{"movement_date", &open.movement_date},
                                     std::pair{"notified_on", &open.notified_on}, std::pair{"notifier", &open.notifier}}) {
          auto v = required_string(*body, field);
          if (!v) return std::unexpected(v.error());
          *target = *v;
        }
        auto note = string_field(*body, "note", false);
        if (!note) return std::unexpected(note.error());
        open.note = note->value_or("");
        auto later = string_field(*body, "new_address_on", false);
        if (!later) return std::unexpected(later.error());
        open.new_address_on = *later;
        auto lists = checklists(ctx);
        if (!lists) return std::unexpected(lists.error());
        eligibility::MovementCaseService service(ctx.db, ctx.clock, **lists, ctx.city.insurer_no, ctx.inquiries);
        auto k = service.open(open, req.user().user.user_id);
        if (!k) return std::unexpected(k.error());
        return respond(ctx, req, *k, AccessAction::write, "POST " + base, 201);
      },
      {},
      {{"person_id", "宛名番号; null for a newcomer (転入・出生) not yet in the registry copy"},
       {"movement_kind", "move_in | certificate_move_in | move_out | emigration | death | birth | relocation | name_change | "
                         "household_change | former_address_rule_start | former_address_rule_end | exemption_start | "
                         "exemption_end | medical_insurance_change",
        true},
       {"movement_date", "異動日 YYYY-MM-DD", true},
       {"notified_on", "届出日 YYYY-MM-DD (not after today)", true},
       {"notifier", "本人 | 世帯員 | 代理人", true},
       {"note", "備考"},
       {"new_address_on", "move_out: the new city's 転入日, when known"}}});

  router.add(Route{
      "GET", base, "counter cases, newest first", case_workers(),
      [&ctx, base](ApiRequest& req) -> Result<ApiResponse> {
        int limit = 100;
        if (auto l = req.query("limit")) {
          if (l->size() > 3 || l->find_first_not_of("0123456789") != std::string::npos)
            return fail(ErrorKind::invalid_input, "limit must be a number from 1 to 500", "limit");
          limit = std::stoi(*l);
        }
        auto lists = checklists(ctx);
        if (!lists) return std::unexpected(lists.error());
        eligibility::MovementCaseService service(ctx.db, ctx.clock, **lists, ctx.city.insurer_no, ctx.inquiries);
        auto items = service.list(req.query("status").value_or(""), limit);
        if (!items) return std::unexpected(items.error());
        std::vector<std::string> persons;
        json out = json::array();
        for (const auto& s : *items) {
          if (s.person_id) persons.push_back(*s.person_id);
          out.push_back(summary_json(s));
        }
        auto logged = ctx.db.transaction(
            [&](store::Connection& c) { return record_reads(c, ctx.clock, req.user().user.user_id, persons, "GET " + base); });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json({{"items", out}});
      },
      {{"status", "open | completed | cancelled"}, {"limit", "1..500 (default 100)"}}});

  router.add(Route{"GET", base + "/{case_id}", "one counter case: checklist, inquiries, 住登外, outcome", case_workers(),
                   [&ctx, base](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_of(req.path_params.at(0), "case_id");
                     if (!id) return std::unexpected(id.error());
                     auto lists = checklists(ctx);
                     if (!lists) return std::unexpected(lists.error());
                     eligibility::MovementCaseService service(ctx.db, ctx.clock, **lists, ctx.city.insurer_no, ctx.inquiries);
                     auto k = service.get(*id);
                     if (!k) return std::unexpected(k.error());
                     return respond(ctx, req, *k, AccessAction::read, "GET " + base + "/{case_id}");
                   }});

  router.add(Route{"POST", base + "/{case_id}/person",
                   "attach the person to a newcomer's case once the registry copy has them", case_workers(),
                   case_write(ctx, "POST " + base + "/{case_id}/person",
                              [](eligibility::MovementCaseService& s, ApiRequest& req, std::int64_t id) -> Result<eligibility::MovementCase> {
                                auto body = req.json_body();
                                if (!body) return std::unexpected(body.error());
                                auto person = required_string(*body, "person_id");
                                if (!person) return std::unexpected(person.error());
                                return s.attach_person(id, *person, req.user().user.user_id);
                              }),
                   {},
                   {{"person_id", "宛名番号", true}}});

  router.add(Route{"POST", base + "/{case_id}/checklist/{item}", "tick or untick a checklist item", case_workers(),
                   case_write(ctx, "POST " + base + "/{case_id}/checklist/{item}",
                              [](eligibility::MovementCaseService& s, ApiRequest& req, std::int64_t id) -> Result<eligibility::MovementCase> {
                                auto body = req.json_body();
                                if (!body) return std::unexpected(body.error());
                                auto done = body->find("done");
                                if (done == body->end() || !done->is_boolean())
                                  return fail(ErrorKind::invalid_input, "done must be true or false", "done");
                                return s.set_check(id, req.path_params.at(1), done->get<bool>(), req.user().user.user_id);
                              }),
                   {},
                   {{"done", "true | false", true}}});

  router.add(Route{"POST", base + "/{case_id}/inquiries",
                   "send a 番号連携 inquiry for the case through the gateway (SK-04/08/10/12/14)", case_workers(),
                   case_write(ctx, "POST " + base + "/{case_id}/inquiries",
                              [](eligibility::MovementCaseService& s, ApiRequest& req, std::int64_t id) -> Result<eligibility::MovementCase> {
                                auto body = req.json_body();
                                if (!body) return std::unexpected(body.error());
                                auto kind = required_string(*body, "kind");
                                if (!kind) return std::unexpected(kind.error());
                                return s.submit_inquiry(id, *kind, req.user().user.user_id);
                              }),
                   {},
                   {{"kind", "city_resident | city_certificate | city_former_address_rule | iryo_insurance | pref_public_assistance",
                     true}}});

  router.add(Route{"POST", base + "/{case_id}/inquiries/{inquiry_id}/apply",
                   "apply the inquiry's answer to the register or the case (SK-05/09/11/13/15)", case_workers(),
                   case_write(ctx, "POST " + base + "/{case_id}/inquiries/{inquiry_id}/apply",
                              [](eligibility::MovementCaseService& s, ApiRequest& req, std::int64_t id) -> Result<eligibility::MovementCase> {
                                auto inquiry = id_of(req.path_params.at(1), "inquiry_id");
                                if (!inquiry) return std::unexpected(inquiry.error());
                                eligibility::ApplyOptions options;
                                if (!req.raw.body.empty()) {
                                  auto body = req.json_body();
                                  if (!body) return std::unexpected(body.error());
                                  auto kind = string_field(*body, "facility_kind", false);
                                  if (!kind) return std::unexpected(kind.error());
                                  options.facility_kind = *kind;
                                }
                                return s.apply_answer(id, *inquiry, req.user().user.user_id, options);
                              }),
                   {},
                   {{"facility_kind", "SK-11: the facility's kind when its name does not say it"}}});

  router.add(Route{"POST", base + "/{case_id}/non-registered/question", "record the 住登外 question to the person (SK-06)",
                   case_workers(),
                   case_write(ctx, "POST " + base + "/{case_id}/non-registered/question",
                              [](eligibility::MovementCaseService& s, ApiRequest& req, std::int64_t id) -> Result<eligibility::MovementCase> {
                                auto body = req.json_body();
                                if (!body) return std::unexpected(body.error());
                                auto question = required_string(*body, "question");
                                if (!question) return std::unexpected(question.error());
                                auto on = required_string(*body, "asked_on");
                                if (!on) return std::unexpected(on.error());
                                return s.ask_non_registered(id, *question, *on, req.user().user.user_id);
                              }),
                   {},
                   {{"question", "what was asked", true}, {"asked_on", "YYYY-MM-DD", true}}});

  router.add(Route{"POST", base + "/{case_id}/non-registered/answer", "record the person's 住登外 answer (SK-07)",
                   case_workers(),
                   case_write(ctx, "POST " + base + "/{case_id}/non-registered/answer",
                              [](eligibility::MovementCaseService& s, ApiRequest& req, std::int64_t id) -> Result<eligibility::MovementCase> {
                                auto body = req.json_body();
                                if (!body) return std::unexpected(body.error());
                                auto answer = required_string(*body, "answer");
                                if (!answer) return std::unexpected(answer.error());
                                auto on = required_string(*body, "answered_on");
                                if (!on) return std::unexpected(on.error());
                                return s.answer_non_registered(id, *answer, *on, req.user().user.user_id);
                              }),
                   {},
                   {{"answer", "the person's answer", true}, {"answered_on", "YYYY-MM-DD", true}}});

  router.add(Route{"POST", base + "/{case_id}/complete", "apply the movement to the insured register and close the case",
                   case_workers(),
                   case_write(ctx, "POST " + base + "/{case_id}/complete",
                              [](eligibility::MovementCaseService& s, ApiRequest& req, std::int64_t id) -> Result<eligibility::MovementCase> {
                                eligibility::CompleteOptions options;
                                if (!req.raw.body.empty()) {
                                  auto body = req.json_body();
                                  if (!body) return std::unexpected(body.error());
                                  auto later = string_field(*body, "new_address_on", false);
                                  if (!later) return std::unexpected(later.error());
                                  options.new_address_on = *later;
                                }
                                return s.complete(id, req.user().user.user_id, options);
                              }),
                   {},
                   {{"new_address_on", "move_out: the new city's 転入日 learned since the case was opened"}}});

  router.add(Route{"POST", base + "/{case_id}/cancel", "cancel an open case (nothing is applied)", case_workers(),
                   case_write(ctx, "POST " + base + "/{case_id}/cancel",
                              [](eligibility::MovementCaseService& s, ApiRequest& req, std::int64_t id) -> Result<eligibility::MovementCase> {
                                auto body = req.json_body();
                                if (!body) return std::unexpected(body.error());
                                auto reason = required_string(*body, "reason");
                                if (!reason) return std::unexpected(reason.error());
                                return s.cancel(id, *reason, req.user().user.user_id);
                              }),
                   {},
                   {{"reason", "why", true}}});
}

}  // namespace kaigo::server
