// GET /api/v1/persons (search) and GET /api/v1/persons/{person_id} (the person page).
// Every person returned is a read of personal data: it is recorded in the access log in the
// same transaction.
#include <fmt/format.h>

#include "core/date.hpp"
#include "people/person_store.hpp"
#include "server/access_log.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;

json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

json summary_json(const people::Person& p, const people::CityProfile& city) {
  return {{"person_id", p.person_id}, {"name_kanji", p.name_kanji}, {"name_kana", p.name_kana},
          {"birth_date", p.birth_date}, {"sex", p.sex}, {"address", p.address}, {"ward_code", p.ward_code},
          {"ward_name", city.ward_name(p.ward_code)}, {"insured_no", opt(p.insured_no)},
          {"registry_status", p.registry_status}};
}

bool holds_any(const Session& s, const RoleSet& roles) {
  for (Role r : s.user.roles)
    if (roles.contains(r)) return true;
  return false;
}

}  // namespace

void add_person_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "GET", "/api/v1/persons", "search the person register (宛名検索)", person_readers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        people::PersonQuery q{req.query("kana"), req.query("kanji"), req.query("birth_date"), req.query("person_id"),
                              req.query("insured_no")};
        if (auto limit = req.query("limit")) {
          if (limit->size() > 3 || limit->find_first_not_of("0123456789") != std::string::npos)
            return fail(ErrorKind::invalid_input, "limit must be a number from 1 to 200", "limit");
          q.limit = std::stoi(*limit);
        }
        people::SearchResult found;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto r = people::search_persons(c, q);
          if (!r) return std::unexpected(r.error());
          found = std::move(*r);
          return {};
        });
        if (!read) return std::unexpected(read.error());
        std::vector<std::string> ids;
        for (const auto& p : found.items) ids.push_back(p.person_id);
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_reads(c, ctx.clock, req.user().user.user_id, ids, "GET /api/v1/persons");
        });
        if (!logged) return std::unexpected(logged.error());
        json items = json::array();
        for (const auto& p : found.items) items.push_back(summary_json(p, ctx.city));
        return ApiResponse::json({{"items", items}, {"truncated", found.truncated}});
      },
      {{"kana", "カナ氏名 (prefix)"},
       {"kanji", "漢字氏名 (prefix)"},
       {"birth_date", "生年月日 YYYY-MM-DD"},
       {"person_id", "宛名番号"},
       {"insured_no", "被保険者番号 (10 digits)"},
       {"limit", "1–200, default 50"}}});

  router.add(Route{
      "GET", "/api/v1/persons/{person_id}", "one person: identity, household, history (個人ページ)", person_readers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string& id = req.path_params.at(0);
        const bool allowed = holds_any(req.user(), my_number_viewers());
        const bool want_number = req.query("show_my_number") == "1";
        if (want_number && !allowed) return fail(ErrorKind::forbidden, "your role may not see the My Number", "show_my_number");
        json out;
        std::vector<std::string> household_ids;
        auto read = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto person = people::find_person(c, id);
          if (!person) return std::unexpected(person.error());
          if (!*person) return fail(ErrorKind::not_found, fmt::format("no person {}", id), "person_id");
          const auto& p = **person;
          auto household = people::household_members(c, p.household_id);
          if (!household) return std::unexpected(household.error());
          auto history = people::person_history(c, id);
          if (!history) return std::unexpected(history.error());
          auto cipher = people::my_number_ciphertext(c, id);
          if (!cipher) return std::unexpected(cipher.error());
          json my_number = nullptr;
          bool shown = false;
          if (*cipher) {
            auto plain = ctx.vault.decrypt(id, **cipher);
            if (!plain) return std::unexpected(plain.error());
            shown = want_number;
            my_number = shown ? *plain : people::MyNumberVault::mask(*plain);
          }
          json person_json = summary_json(p, ctx.city);
          auto birth = Date::parse(p.birth_date);
          person_json["age"] = birth ? json(ctx.clock.today().age_of(*birth)) : json(nullptr);
          person_json["postal_code"] = p.postal_code;
          person_json["household_id"] = p.household_id;
          person_json["relation"] = p.relation;
          person_json["status_date"] = opt(p.status_date);
          json members = json::array();
          for (const auto& m : *household) {
            // Household members' names and birth dates are shown too: each is a read of their data.
            if (m.person_id != id) household_ids.push_back(m.person_id);
            members.push_back({{"person_id", m.person_id}, {"name_kanji", m.name_kanji}, {"name_kana", m.name_kana},
                               {"relation", m.relation}, {"birth_date", m.birth_date}, {"sex", m.sex}});
          }
          json hist = json::array();
          for (const auto& h : *history)
            hist.push_back({{"valid_from", h.valid_from}, {"valid_to", opt(h.valid_to)}, {"name_kanji", h.name_kanji},
                            {"name_kana", h.name_kana}, {"address", h.address}, {"household_id", h.household_id},
                            {"relation", h.relation}, {"registry_status", h.registry_status}, {"reason", h.reason},
                            {"recorded_at", h.recorded_at}, {"recorded_by", h.recorded_by}});
          out = {{"person", person_json}, {"my_number", my_number}, {"my_number_shown", shown},
                 {"can_show_my_number", allowed}, {"can_issue_insurance_card", holds_any(req.user(), card_issuers())},
                 {"household", members}, {"history", hist}};
          return {};
        });
        if (!read) return std::unexpected(read.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          if (auto a = record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                                     "GET /api/v1/persons/{person_id}", out["my_number_shown"].get<bool>());
              !a)
            return a;
          return record_reads(c, ctx.clock, req.user().user.user_id, household_ids,
                              "GET /api/v1/persons/{person_id} (household)");
        });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(out);
      },
      {{"show_my_number", "1 to show the My Number unmasked (eligibility staff and supervisors only; logged)"}}});
}

}  // namespace kaigo::server
