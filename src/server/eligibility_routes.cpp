// The insured register over HTTP (docs/api-eligibility.md): one person's register, 職権 facts and
// their cancellation, medical insurance, the 住所地特例 ledgers and the exemption list.
// Reads by every business role; writes by eligibility staff and supervisors. Every person shown or
// changed is in the access log.
#include <fmt/format.h>

#include "eligibility/card_batch.hpp"
#include "eligibility/register.hpp"
#include "server/access_log.hpp"
#include "server/eligibility_labels.hpp"
#include "server/json_fields.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;
using namespace eligibility;

json opt_date(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }
template <typename T>
json opt(const std::optional<T>& v) { return v ? json(*v) : json(nullptr); }

json period_json(const EligibilityPeriod& p, std::size_t no) {
  return {{"period_no", no},
          {"acquired_on", p.acquired_on.iso()},
          {"lost_on", opt_date(p.lost_on)},
          {"category", std::string(to_code(p.category))},
          {"acquisition_reason", std::string(to_code(p.acquisition_reason))},
          {"acquisition_reason_label", std::string(label(p.acquisition_reason))},
          {"loss_reason", p.loss_reason ? json(std::string(to_code(*p.loss_reason))) : json(nullptr)},
          {"loss_reason_label", p.loss_reason ? json(std::string(label(*p.loss_reason))) : json(nullptr)}};
}

json periods_json(const std::vector<EligibilityPeriod>& periods) {
  json out = json::array();
  for (std::size_t i = 0; i < periods.size(); ++i) out.push_back(period_json(periods[i], i + 1));
  return out;
}

// The stored diff (register_json.cpp) with labels added for the screen.
json labelled_changes(const std::string& changes_json) {
  json changes = json::parse(changes_json, nullptr, false);
  if (changes.is_discarded()) return json::array();
  for (auto& ch : changes)
    for (const char* side : {"before", "after"}) {
      json& p = ch[side];
      if (p.is_null()) continue;
      if (auto r = parse_acquisition_reason(p.value("acquisition_reason", "")); r) p["acquisition_reason_label"] = label(*r);
      if (p["loss_reason"].is_string())
        if (auto r = parse_loss_reason(p["loss_reason"].get<std::string>()); r) p["loss_reason_label"] = label(*r);
    }
  return changes;
}

json outcome_json(const RegisterOutcome& o) {
  json changes = json::array();
  for (const PeriodChange& ch : o.changes) {
    const char* kind = ch.kind == PeriodChangeKind::added ? "added" : ch.kind == PeriodChangeKind::removed ? "removed" : "changed";
    changes.push_back({{"kind", kind},
                       {"before", ch.before ? period_json(*ch.before, 0) : json(nullptr)},
                       {"after", ch.after ? period_json(*ch.after, 0) : json(nullptr)}});
  }
  return {{"revision_id", opt(o.revision_id)}, {"changes", changes}, {"periods", periods_json(o.periods)},
          {"issued_insured_no", opt(o.issued_insured_no)}};
}

json rule_json(const FormerAddressRule& r) {
  return {{"rule_id", r.rule_id},
          {"person_id", r.person_id},
          {"direction", std::string(to_code(r.direction))},
          {"direction_label", std::string(label(r.direction))},
          {"facility_kind", std::string(to_code(r.facility_kind))},
          {"facility_kind_label", std::string(label(r.facility_kind))},
          {"facility_name", r.facility_name},
          {"facility_municipality_code", r.facility_municipality_code},
          {"other_insurer_no", r.other_insurer_no},
          {"started_on", r.started_on.iso()},
          {"ended_on", opt_date(r.ended_on)},
          {"source", r.source},
          {"recorded_at", r.recorded_at},
          {"recorded_by", r.recorded_by}};
}

json exemption_json(const Exemption& e, const std::map<std::string, std::string>& kinds) {
  auto k = kinds.find(e.facility_kind);
  return {{"exemption_id", e.exemption_id},
          {"person_id", e.person_id},
          {"facility_kind", e.facility_kind},
          {"facility_kind_label", k == kinds.end() ? e.facility_kind : k->second},
          {"facility_name", e.facility_name},
          {"entered_on", e.entered_on.iso()},
          {"left_on", opt_date(e.left_on)},
          {"source", e.source},
          {"recorded_at", e.recorded_at},
          {"recorded_by", e.recorded_by}};
}

const RoleSet& eligibility_writers() { return card_issuers(); }  // 資格担当 and 監督者

ChangeSource staff_source(const ApiRequest& req, std::string cause) {
  return ChangeSource{"staff", std::nullopt, std::nullopt, req.user().user.user_id, std::move(cause)};
}

// Runs a register write in one transaction with its access-log row.
Result<ApiResponse> write_for(ServerContext& ctx, ApiRequest& req, const std::string& resource,
                              const std::function<Result<std::pair<std::string, json>>(store::Connection&)>& write,
                              int status = 200) {
  json body;
  auto tx = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
    auto done = write(c);
    if (!done) return std::unexpected(done.error());
    body = std::move(done->second);
    return record_access(c, ctx.clock, req.user().user.user_id, done->first, AccessAction::write, resource, false);
  });
  if (!tx) return std::unexpected(tx.error());
  return ApiResponse::json(body, status);
}

// The names and numbers shown beside ledger rows.
Result<std::map<std::string, std::pair<std::string, std::string>>> names_of(store::Connection& c,
                                                                             const std::vector<std::string>& ids) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (const auto& id : ids) {
    auto row = c.query_one(
        "SELECT p.name_kanji, COALESCE(n.insured_no, '') FROM person p LEFT JOIN insured_number n ON n.person_id = p.person_id "
        "WHERE p.person_id = $1",
        {id});
    if (!row) return std::unexpected(row.error());
    if (*row) out[id] = {(*row)->str(0), (*row)->str(1)};
  }
  return out;
}

Result<std::map<std::string, std::string>> exempt_kinds(ServerContext& ctx) {
  static std::mutex mutex;
  static std::map<std::string, std::map<std::string, std::string>> cache;  // by config dir
  std::lock_guard lock(mutex);
  auto it = cache.find(ctx.options.config_dir);
  if (it != cache.end()) return it->second;
  auto loaded = load_exempt_facility_kinds(ctx.options.config_dir);
  if (!loaded) return std::unexpected(loaded.error());
  return cache.emplace(ctx.options.config_dir, std::move(*loaded)).first->second;
}

void add_register_read(Router& router, ServerContext& ctx) {
  router.add(Route{
      "GET", "/api/v1/persons/{person_id}/eligibility", "the person's insured register: periods, facts, ledgers, revisions, cards",
      person_readers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string& id = req.path_params.at(0);
        auto kinds = exempt_kinds(ctx);
        if (!kinds) return std::unexpected(kinds.error());
        json out;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto view = load_register(c, id);
          if (!view) return std::unexpected(view.error());
          if (!*view) return fail(ErrorKind::not_found, fmt::format("no person {}", id), "person_id");
          const RegisterView& v = **view;
          const Date today = ctx.clock.today();
          json today_json{{"insured", false}, {"category", nullptr}, {"period_no", nullptr}};
          for (std::size_t i = 0; i < v.periods.size(); ++i)
            if (period_on({v.periods[i]}, today))
              today_json = {{"insured", true}, {"category", std::string(to_code(v.periods[i].category))}, {"period_no", i + 1}};
          json facts = json::array();
          for (const auto& f : v.facts)
            facts.push_back({{"fact_id", f.fact_id},
                             {"kind", std::string(to_code(f.fact.kind))},
                             {"kind_label", std::string(label(f.fact.kind))},
                             {"on", f.fact.on.iso()},
                             {"new_address_on", opt_date(f.fact.new_address_on)},
                             {"registry_movement_id", f.fact.registry_movement_id.empty() ? json(nullptr) : json(f.fact.registry_movement_id)},
                             {"source", f.source},
                             {"source_exchange_id", opt(f.source_exchange_id)},
                             {"case_id", opt(f.case_id)},
                             {"recorded_at", f.recorded_at},
                             {"recorded_by", f.recorded_by},
                             {"cancelled", f.cancelled_at.has_value()},
                             {"cancel_reason", opt(f.cancel_reason)}});
          auto insurance = c.query(
              "SELECT insurer_kind, insurer_no, valid_from, valid_to FROM medical_insurance WHERE person_id = $1 "
              "ORDER BY valid_from, medical_insurance_id",
              {id});
          if (!insurance) return std::unexpected(insurance.error());
          json medical = json::array();
          for (const auto& r : *insurance)
            medical.push_back({{"insurer_kind", r.str(0)}, {"insurer_kind_label", std::string(insurer_kind_label(r.str(0)))},
                               {"insurer_no", r.str(1)}, {"valid_from", r.str(2)}, {"valid_to", opt(r.opt_str(3))}});
          json rules = json::array(), exemptions = json::array(), revisions = json::array(), cards = json::array();
          for (const auto& r : v.former_address_rules) rules.push_back(rule_json(r));
          for (const auto& e : v.exemptions) exemptions.push_back(exemption_json(e, *kinds));
          for (const auto& r : v.revisions)
            revisions.push_back({{"revision_id", r.revision_id},        {"revised_at", r.revised_at},
                                 {"revised_by", r.revised_by},          {"source", r.source},
                                 {"source_exchange_id", opt(r.source_exchange_id)}, {"case_id", opt(r.case_id)},
                                 {"cause", r.cause},                    {"earliest_change_on", r.earliest_change_on},
                                 {"changes", labelled_changes(r.changes_json)}});
          auto issued = card_issues_for(c, id);
          if (!issued) return std::unexpected(issued.error());
          for (const auto& ci : *issued)
            cards.push_back({{"card_issue_id", ci.card_issue_id}, {"insured_no", ci.insured_no}, {"issued_on", ci.issued_on},
                             {"reason", ci.reason}, {"reason_label", std::string(card_reason_label(ci.reason))},
                             {"issued_by", ci.issued_by}, {"batch_run_id", opt(ci.batch_run_id)}});
          out = {{"person_id", id},          {"insured_no", opt(v.insured_no)}, {"today", today_json},
                 {"periods", periods_json(v.periods)}, {"facts", facts},     {"medical_insurance", medical},
                 {"former_address_rules", rules}, {"exemptions", exemptions}, {"revisions", revisions},
                 {"cards", cards}};
          return {};
        });
        if (!read) return std::unexpected(read.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                               "GET /api/v1/persons/{person_id}/eligibility", false);
        });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(out);
      }});

  router.add(Route{"GET", "/api/v1/code-lists/eligibility", "labels of the eligibility codes for the forms", person_readers(),
                   [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     auto kinds = exempt_kinds(ctx);
                     if (!kinds) return std::unexpected(kinds.error());
                     return ApiResponse::json(eligibility_code_lists(*kinds));
                   }});
}

void add_fact_writes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/eligibility/facts", "record a 職権 address fact (転入, 転出, 国外転出, 死亡)",
      eligibility_writers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string id = req.path_params.at(0);
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto kind_text = string_field(*body, "kind");
        if (!kind_text) return std::unexpected(kind_text.error());
        auto kind = parse_address_fact_kind(*kind_text);
        if (!kind) return std::unexpected(kind.error());
        auto on = date_field(*body, "on");
        if (!on) return std::unexpected(on.error());
        auto next = date_field(*body, "new_address_on", false);
        if (!next) return std::unexpected(next.error());
        auto reason = string_field(*body, "reason");
        if (!reason) return std::unexpected(reason.error());
        if (reason->empty()) return fail(ErrorKind::invalid_input, "a 職権 entry needs its reason", "reason");
        return write_for(
            ctx, req, "POST /api/v1/persons/{person_id}/eligibility/facts",
            [&](store::Connection& c) -> Result<std::pair<std::string, json>> {
              auto o = record_address_fact(c, ctx.clock, id, AddressFact{*kind, **on, *next, ""},
                                           staff_source(req, fmt::format("職権 {}: {}", label(*kind), *reason)));
              if (!o) return std::unexpected(o.error());
              return std::pair{id, outcome_json(*o)};
            },
            201);
      },
      {},
      {{"kind", "move_in | move_out | emigration | death", true},
       {"on", "the date of the fact (YYYY-MM-DD)", true},
       {"new_address_on", "転出: the new city's 転入日", false},
       {"reason", "why staff enter it (職権の理由)", true}}});

  router.add(Route{"POST", "/api/v1/persons/{person_id}/eligibility/facts/{fact_id}/cancel",
                   "cancel a recorded address fact (correction), re-deriving the periods", eligibility_writers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string id = req.path_params.at(0);
                     auto fact_id = id_param(req.path_params.at(1), "fact_id");
                     if (!fact_id) return std::unexpected(fact_id.error());
                     auto body = req.json_body();
                     if (!body) return std::unexpected(body.error());
                     auto reason = string_field(*body, "reason");
                     if (!reason) return std::unexpected(reason.error());
                     return write_for(ctx, req, "POST /api/v1/persons/{person_id}/eligibility/facts/{fact_id}/cancel",
                                      [&](store::Connection& c) -> Result<std::pair<std::string, json>> {
                                        auto o = cancel_address_fact(c, ctx.clock, id, *fact_id, *reason,
                                                                     staff_source(req, fmt::format("取消: {}", *reason)));
                                        if (!o) return std::unexpected(o.error());
                                        return std::pair{id, outcome_json(*o)};
                                      });
                   },
                   {},
                   {{"reason", "why the fact is cancelled", true}}});

  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/medical-insurance", "record a medical insurance gained (category 2)",
      eligibility_writers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string id = req.path_params.at(0);
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto kind = string_field(*body, "insurer_kind");
        if (!kind) return std::unexpected(kind.error());
        auto no = string_field(*body, "insurer_no");
        if (!no) return std::unexpected(no.error());
        auto from = date_field(*body, "valid_from");
        if (!from) return std::unexpected(from.error());
        return write_for(ctx, req, "POST /api/v1/persons/{person_id}/medical-insurance",
                         [&](store::Connection& c) -> Result<std::pair<std::string, json>> {
                           auto o = record_medical_insurance_gained(c, ctx.clock, id, MedicalInsuranceGain{*kind, *no, **from},
                                                                    staff_source(req, "医療保険加入 (職権)"));
                           if (!o) return std::unexpected(o.error());
                           return std::pair{id, outcome_json(*o)};
                         },
                         201);
      },
      {},
      {{"insurer_kind", "kokuho | kyokai_kenpo | kumiai | kyosai | koki", true},
       {"insurer_no", "保険者番号 (6 or 8 digits)", true},
       {"valid_from", "資格取得日", true}}});

  router.add(Route{"POST", "/api/v1/persons/{person_id}/medical-insurance/loss",
                   "record the loss of the open medical insurance (category 2 ends that day)", eligibility_writers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string id = req.path_params.at(0);
                     auto body = req.json_body();
                     if (!body) return std::unexpected(body.error());
                     auto lost = date_field(*body, "lost_on");
                     if (!lost) return std::unexpected(lost.error());
                     return write_for(ctx, req, "POST /api/v1/persons/{person_id}/medical-insurance/loss",
                                      [&](store::Connection& c) -> Result<std::pair<std::string, json>> {
                                        auto o = record_medical_insurance_lost(c, ctx.clock, id, **lost,
                                                                               staff_source(req, "医療保険喪失 (職権)"));
                                        if (!o) return std::unexpected(o.error());
                                        return std::pair{id, outcome_json(*o)};
                                      });
                   },
                   {},
                   {{"lost_on", "資格喪失日 of the medical insurance", true}}});
}

void add_ledgers(Router& router, ServerContext& ctx) {
  router.add(Route{
      "GET", "/api/v1/former-address-rules", "the 住所地特例 ledgers", card_issuers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        std::optional<FormerAddressDirection> direction;
        if (auto d = req.query("direction")) {
          auto parsed = parse_former_address_direction(*d);
          if (!parsed) return std::unexpected(parsed.error());
          direction = *parsed;
        }
        std::optional<Date> open_on;
        if (auto o = req.query("open_on")) {
          auto parsed = Date::parse(*o);
          if (!parsed) return fail(ErrorKind::invalid_input, "open_on must be YYYY-MM-DD", "open_on");
          open_on = *parsed;
        }
        auto limit = limit_param(req.query("limit"), 100, 500);
        if (!limit) return std::unexpected(limit.error());
        auto offset = offset_param(req.query("offset"));
        if (!offset) return std::unexpected(offset.error());
        json items = json::array();
        std::vector<std::string> ids;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto rules = list_former_address_rules(c, direction, open_on, *limit, *offset);
          if (!rules) return std::unexpected(rules.error());
          for (const auto& r : *rules) ids.push_back(r.person_id);
          auto names = names_of(c, ids);
          if (!names) return std::unexpected(names.error());
          for (const auto& r : *rules) {
            json j = rule_json(r);
            j["name_kanji"] = (*names)[r.person_id].first;
            j["insured_no"] = (*names)[r.person_id].second;
            items.push_back(j);
          }
          return {};
        });
        if (!read) return std::unexpected(read.error());
        auto logged = ctx.db.transaction(
            [&](store::Connection& c) { return record_reads(c, ctx.clock, req.user().user.user_id, ids, "GET /api/v1/former-address-rules"); });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json({{"items", items}});
      },
      {{"direction", "ours_living_elsewhere | theirs_living_here"},
       {"open_on", "only rules in force that day"},
       {"limit", "1–500, default 100"},
       {"offset", "rows to skip"}}});

  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/former-address-rules", "start a 住所地特例 (either direction)", eligibility_writers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string id = req.path_params.at(0);
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        FormerAddressRule rule;
        rule.person_id = id;
        auto direction = string_field(*body, "direction");
        if (!direction) return std::unexpected(direction.error());
        auto d = parse_former_address_direction(*direction);
        if (!d) return std::unexpected(d.error());
        rule.direction = *d;
        auto kind = string_field(*body, "facility_kind");
        if (!kind) return std::unexpected(kind.error());
        auto k = parse_facility_kind(*kind);
        if (!k) return std::unexpected(k.error());
        rule.facility_kind = *k;
        for (auto [field, target] : {std::pair{"facility_name", &rule.facility_name},
                                     std::pair{"facility_municipality_code", &rule.facility_municipality_code},
                                     std::pair{"other_insurer_no", &rule.other_insurer_no}}) {
          auto v = string_field(*body, field);
          if (!v) return std::unexpected(v.error());
          *target = *v;
        }
        auto started = date_field(*body, "started_on");
        if (!started) return std::unexpected(started.error());
        rule.started_on = **started;
        return write_for(ctx, req, "POST /api/v1/persons/{person_id}/former-address-rules",
                         [&](store::Connection& c) -> Result<std::pair<std::string, json>> {
                           auto o = start_former_address_rule(c, ctx.clock, rule,
                                                              staff_source(req, fmt::format("住所地特例 開始 ({})", label(rule.direction))));
                           if (!o) return std::unexpected(o.error());
                           json j = outcome_json(o->second);
                           j["rule_id"] = o->first;
                           return std::pair{id, j};
                         },
                         201);
      },
      {},
      {{"direction", "ours_living_elsewhere | theirs_living_here", true},
       {"facility_kind", "施設種別 (GET /code-lists/eligibility)", true},
       {"facility_name", "施設名", true},
       {"facility_municipality_code", "施設所在市町村コード (6 digits)", true},
       {"other_insurer_no", "相手方保険者番号 (6 digits)", true},
       {"started_on", "適用開始日", true}}});

  router.add(Route{"POST", "/api/v1/former-address-rules/{rule_id}/end", "end a 住所地特例", eligibility_writers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto rule_id = id_param(req.path_params.at(0), "rule_id");
                     if (!rule_id) return std::unexpected(rule_id.error());
                     auto body = req.json_body();
                     if (!body) return std::unexpected(body.error());
                     auto ended = date_field(*body, "ended_on");
                     if (!ended) return std::unexpected(ended.error());
                     return write_for(ctx, req, "POST /api/v1/former-address-rules/{rule_id}/end",
                                      [&](store::Connection& c) -> Result<std::pair<std::string, json>> {
                                        auto person = c.query_one("SELECT person_id FROM former_address_rule WHERE rule_id = $1", {*rule_id});
                                        if (!person) return std::unexpected(person.error());
                                        if (!*person) return fail(ErrorKind::not_found, "no such 住所地特例", "rule_id");
                                        auto o = end_former_address_rule(c, ctx.clock, *rule_id, **ended, staff_source(req, "住所地特例 終了"));
                                        if (!o) return std::unexpected(o.error());
                                        return std::pair{(*person)->str(0), outcome_json(*o)};
                                      });
                   },
                   {},
                   {{"ended_on", "the first day the rule no longer applies", true}}});

  router.add(Route{
      "GET", "/api/v1/exemptions", "the 適用除外 list", card_issuers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        std::optional<Date> open_on;
        if (auto o = req.query("open_on")) {
          auto parsed = Date::parse(*o);
          if (!parsed) return fail(ErrorKind::invalid_input, "open_on must be YYYY-MM-DD", "open_on");
          open_on = *parsed;
        }
        auto limit = limit_param(req.query("limit"), 100, 500);
        if (!limit) return std::unexpected(limit.error());
        auto offset = offset_param(req.query("offset"));
        if (!offset) return std::unexpected(offset.error());
        auto kinds = exempt_kinds(ctx);
        if (!kinds) return std::unexpected(kinds.error());
        json items = json::array();
        std::vector<std::string> ids;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto list = list_exemptions(c, open_on, *limit, *offset);
          if (!list) return std::unexpected(list.error());
          for (const auto& e : *list) ids.push_back(e.person_id);
          auto names = names_of(c, ids);
          if (!names) return std::unexpected(names.error());
          for (const auto& e : *list) {
            json j = exemption_json(e, *kinds);
            j["name_kanji"] = (*names)[e.person_id].first;
            j["insured_no"] = (*names)[e.person_id].second;
            items.push_back(j);
          }
          return {};
        });
        if (!read) return std::unexpected(read.error());
        auto logged = ctx.db.transaction(
            [&](store::Connection& c) { return record_reads(c, ctx.clock, req.user().user.user_id, ids, "GET /api/v1/exemptions"); });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json({{"items", items}});
      },
      {{"open_on", "only stays in force that day"}, {"limit", "1–500, default 100"}, {"offset", "rows to skip"}}});

  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/exemptions", "start an 適用除外 stay", eligibility_writers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string id = req.path_params.at(0);
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto kinds = exempt_kinds(ctx);
        if (!kinds) return std::unexpected(kinds.error());
        auto kind = string_field(*body, "facility_kind");
        if (!kind) return std::unexpected(kind.error());
        if (!kinds->contains(*kind))
          return fail(ErrorKind::invalid_input, "not an 適用除外施設 kind (config/codes/exempt_facility_kinds.tsv)", "facility_kind");
        auto name = string_field(*body, "facility_name");
        if (!name) return std::unexpected(name.error());
        auto entered = date_field(*body, "entered_on");
        if (!entered) return std::unexpected(entered.error());
        return write_for(ctx, req, "POST /api/v1/persons/{person_id}/exemptions",
                         [&](store::Connection& c) -> Result<std::pair<std::string, json>> {
                           Exemption e{0, id, *kind, *name, **entered, std::nullopt, "", "", ""};
                           auto o = start_exemption(c, ctx.clock, e, staff_source(req, "適用除外 開始"));
                           if (!o) return std::unexpected(o.error());
                           json j = outcome_json(o->second);
                           j["exemption_id"] = o->first;
                           return std::pair{id, j};
                         },
                         201);
      },
      {},
      {{"facility_kind", "適用除外施設の種類", true}, {"facility_name", "施設名", true}, {"entered_on", "入所日", true}}});

  router.add(Route{"POST", "/api/v1/exemptions/{exemption_id}/end", "end an 適用除外 stay (退所)", eligibility_writers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto exemption_id = id_param(req.path_params.at(0), "exemption_id");
                     if (!exemption_id) return std::unexpected(exemption_id.error());
                     auto body = req.json_body();
                     if (!body) return std::unexpected(body.error());
                     auto left = date_field(*body, "left_on");
                     if (!left) return std::unexpected(left.error());
                     return write_for(ctx, req, "POST /api/v1/exemptions/{exemption_id}/end",
                                      [&](store::Connection& c) -> Result<std::pair<std::string, json>> {
                                        auto person = c.query_one("SELECT person_id FROM exemption WHERE exemption_id = $1", {*exemption_id});
                                        if (!person) return std::unexpected(person.error());
                                        if (!*person) return fail(ErrorKind::not_found, "no such 適用除外", "exemption_id");
                                        auto o = end_exemption(c, ctx.clock, *exemption_id, **left, staff_source(req, "適用除外 終了"));
                                        if (!o) return std::unexpected(o.error());
                                        return std::pair{(*person)->str(0), outcome_json(*o)};
                                      });
                   },
                   {},
                   {{"left_on", "退所日", true}}});
}

}  // namespace

void add_eligibility_routes(Router& router, ServerContext& ctx) {
  add_register_read(router, ctx);
  add_fact_writes(router, ctx);
  add_ledgers(router, ctx);
}

}  // namespace kaigo::server
