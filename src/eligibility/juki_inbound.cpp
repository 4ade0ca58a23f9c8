// The registry's inbound flows: SK-16 files (parsed whole, then a difference applied or a full
// load staged) and SK-03 answers; the record of refused files for staff; SK-02 requests.
#include <nlohmann/json.hpp>
#include <fmt/format.h>

#include "eligibility/juki_internal.hpp"
#include "eligibility/juki_service.hpp"
#include "eligibility/register.hpp"
#include "people/person_store.hpp"

namespace kaigo::eligibility {

linkage::InboundHandlers juki_inbound_handlers(const Clock& clock) {
  return {{"SK-16", juki::registry_file_handler(clock)}, {"SK-03", juki::registry_answer_handler(clock)}};
}

namespace juki {

linkage::ApplyFn registry_file_handler(const Clock& clock) {
  return [&clock](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    // The whole file is validated before anything is written; a refusal rolls the inbox
    // transaction back and quarantines the exchange (record_rejected_files adds the details).
    ParseOutcome parsed = parse_juki_file(e.payload);
    if (!parsed.file) return std::unexpected(to_error(parsed));
    if (parsed.file->kind == JukiFileKind::diff) return detail::apply_diff(c, clock, e, *parsed.file);
    return detail::stage_full_load(c, clock, e, *parsed.file);
  };
}

Result<int> record_rejected_files(store::Database& db, const Clock& clock) {
  int recorded = 0;
  std::vector<std::int64_t> ids;
  auto listed = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto rows = c.query(
        "SELECT e.exchange_id FROM exchange e WHERE e.flow_id = 'SK-16' AND e.direction = 'inbound' AND "
        "e.status = 'rejected' AND NOT EXISTS (SELECT 1 FROM juki_load l WHERE l.exchange_id = e.exchange_id) "
        "ORDER BY e.exchange_id");
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) ids.push_back(r.i64(0));
    return {};
  });
  if (!listed) return std::unexpected(listed.error());
  for (auto id : ids) {
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto e = linkage::load_exchange(c, id);
      if (!e) return std::unexpected(e.error());
      if (!*e) return {};
      const ParseOutcome parsed = parse_juki_file((*e)->payload);
      // A file may also be refused for another reason (e.g. no handler at the time): then the
      // exchange's reason is the only line for staff.
      std::vector<detail::QuarantineRow> rows;
      for (const auto& err : parsed.errors) rows.push_back({err.line_no, err.field, err.message, std::nullopt, std::nullopt});
      if (parsed.truncated)
        rows.push_back({0, "(ファイル)", fmt::format("more than {} errors; only the first are listed", kMaxErrors), std::nullopt, std::nullopt});
      if (rows.empty()) rows.push_back({0, "(ファイル)", (*e)->reason, std::nullopt, std::nullopt});
      const std::string kind = parsed.file ? std::string(to_code(parsed.file->kind))
                               : (*e)->payload.starts_with("宛名番号") || (*e)->payload.starts_with("\xEF\xBB\xBF宛名番号")
                                   ? "full"
                                   : "diff";
      std::int64_t lines = 0;
      for (char ch : (*e)->payload) lines += ch == '\n';
      auto load = c.query_one(
          "INSERT INTO juki_load (exchange_id, kind, file_name, received_at, lines, quarantined, status, reason, "
          "finished_at) VALUES ($1, $2, $3, $4, $5, $6, 'rejected', $7, $4) ON CONFLICT (exchange_id) DO NOTHING "
          "RETURNING load_id",
          {id, kind, detail::file_name_of(**e), clock.timestamp(), lines > 0 ? lines - 1 : 0,
           static_cast<std::int64_t>(rows.size()), (*e)->reason});
      if (!load) return std::unexpected(load.error());
      if (!*load) return {};  // another instance recorded it
      ++recorded;
      return detail::add_quarantine(c, clock, (*load)->i64(0), rows);
    });
    if (!tx) return std::unexpected(tx.error());
  }
  return recorded;
}

Result<JobsReport> run_juki_jobs(store::Database& db, const Clock& clock) {
  JobsReport report;
  auto rejected = record_rejected_files(db, clock);
  if (!rejected) return std::unexpected(rejected.error());
  report.rejected_recorded = *rejected;
  auto full = apply_staged_full_loads(db, clock);
  if (!full) return std::unexpected(full.error());
  report.full = *full;
  return report;
}

// ---- SK-02 / SK-03 ----

Result<linkage::EnqueueReceipt> request_registry_record(store::Connection& c, const Clock& clock,
                                                        const std::string& person_id, const std::string& actor) {
  auto person = people::find_person(c, person_id);
  if (!person) return std::unexpected(person.error());
  if (!*person) return fail(ErrorKind::not_found, fmt::format("no person {}", person_id), "person_id");
  const nlohmann::json body{{"request", "resident_record"}, {"person_id", person_id}, {"household", true}};
  return linkage::enqueue_outbound(
      c, clock,
      linkage::OutboundMessage{"SK-02", "juki", body.dump(), "application/json", {person_id},
                               "住民票 (氏名・世帯・住所) の照会 (SK-02)", actor, std::nullopt});
}

namespace {

Result<std::string> text_field(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty())
    return fail(ErrorKind::invalid_input, fmt::format("the answer has no {}", key), std::string("person.") + key);
  return j[key].get<std::string>();
}

}  // namespace

linkage::ApplyFn registry_answer_handler(const Clock& clock) {
  return [&clock](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    const auto j = nlohmann::json::parse(e.payload, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(ErrorKind::invalid_input, "the answer is not a JSON object", "payload");
    if (!j.contains("person_id") || !j["person_id"].is_string())
      return fail(ErrorKind::invalid_input, "the answer names no person_id", "person_id");
    const std::string pid = j["person_id"].get<std::string>();
    auto current = detail::load_person(c, pid);
    if (!current) return std::unexpected(current.error());
    if (!*current) return fail(ErrorKind::not_found, "the answer names a person unknown here", "person_id");
    if (auto a = linkage::add_person(c, e.exchange_id, pid); !a) return a;
    if (!j.value("found", false)) return {};  // the registry does not hold the person: nothing to apply
    if (!j.contains("person") || !j["person"].is_object())
      return fail(ErrorKind::invalid_input, "a found answer carries no person", "person");
    const auto& p = j["person"];
    detail::PersonRow row = **current;
    struct Field {
      const char* key;
      std::string* target;
    };
    for (Field f : {Field{"household_id", &row.household_id}, Field{"name_kanji", &row.name_kanji},
                    Field{"name_kana", &row.name_kana}, Field{"birth_date", &row.birth_date}, Field{"sex", &row.sex},
                    Field{"relation", &row.relation}, Field{"postal_code", &row.postal_code},
                    Field{"address", &row.address}, Field{"ward_code", &row.ward_code},
                    Field{"registry_status", &row.registry_status}}) {
      auto v = text_field(p, f.key);
      if (!v) return std::unexpected(v.error());
      *f.target = *v;
    }
    if (!Date::parse(row.birth_date)) return fail(ErrorKind::invalid_input, "birth_date is not a date", "person.birth_date");
    if (row.registry_status != "resident" && row.registry_status != "moved_out" && row.registry_status != "deceased")
      return fail(ErrorKind::invalid_input, "registry_status must be resident, moved_out or deceased",
                  "person.registry_status");
    if (detail::same_registry_fields(row, **current)) return {};  // the register already agrees
    row.status_date = std::nullopt;  // keep the date of the last movement
    if (auto w = detail::write_person(c, clock, row, true, true, clock.today().iso(), "registry_inquiry", e.exchange_id);
        !w)
      return w;
    if (row.birth_date != (*current)->birth_date) {
      auto r = rederive(c, clock, pid,
                        ChangeSource{"juki", e.exchange_id, std::nullopt, fmt::format("exchange:{}", e.exchange_id),
                                     "住基照会 回答 生年月日 (SK-03)"});
      if (!r) return std::unexpected(r.error());
    }
    return {};
  };
}

}  // namespace juki
}  // namespace kaigo::eligibility
