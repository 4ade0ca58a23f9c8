// FK-15 特別徴収依頼情報: the special instalments planned and not yet requested, as one file.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/cp932.hpp"
#include "core/hash.hpp"
#include "premium/tokucho_internal.hpp"
#include "premium/tokucho_service.hpp"

namespace kaigo::premium::tokucho {

namespace {

struct Requested {
  std::string person_id;
  std::map<int, std::int64_t> amounts;  // slot → yen (every live special row of the year)
  bool has_planned = false;
  std::string birth_date, sex, name_kana, insured_no;
  std::int64_t annual = 0;
  std::optional<detail::TargetRow> target;
  std::vector<detail::TargetRow> targets;
};

std::string compact(const std::string& iso_date) {
  std::string s;
  for (char ch : iso_date)
    if (ch != '-') s += ch;
  return s;
}

}  // namespace

Result<RequestsSent> send_requests(store::Database& db, const Clock& clock, const TokuchoConfig& config, int fiscal_year,
                                   const std::string& actor) {
  const CollectionRuleVersion* rules = config.rules.version_on(Date(fiscal_year, 4, 1));
  if (!rules) return fail(ErrorKind::conflict, fmt::format("no collection rules for fiscal year {}", fiscal_year), "fiscal_year");
  const Layout* layout = config.layouts.newest(FileKind::request);
  if (!layout) return fail(ErrorKind::internal, "no request layout");
  RequestsSent sent;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    const std::int64_t fy = fiscal_year;
    std::map<std::string, Requested> people;
    // Plain scans of the year's rows, filtered here: no IN (subquery) for the planner to misjudge
    // right after a plan run has bulk-written the table.
    auto rows = c.query(
        "SELECT person_id, instalment_no, amount, status FROM premium_instalment WHERE fiscal_year = $1 AND "
        "method = 'special' AND status IN ('planned', 'requested', 'accepted', 'collected') ORDER BY person_id, instalment_no",
        {fy});
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) {
      Requested& p = people[r.str(0)];
      p.person_id = r.str(0);
      p.amounts[static_cast<int>(r.i64(1))] += r.i64(2);
      if (r.str(3) == "planned") p.has_planned = true;
    }
    std::erase_if(people, [](const auto& kv) { return !kv.second.has_planned; });
    if (people.empty()) return {};
    // The persons' identity, number and premium, and their targets.
    auto persons = c.query(
        "SELECT p.person_id, p.birth_date, p.sex, p.name_kana, n.insured_no, a.amount FROM premium_assessment a "
        "JOIN person p ON p.person_id = a.person_id JOIN insured_number n ON n.person_id = a.person_id "
        "WHERE a.fiscal_year = $1 AND a.is_current = 1",
        {fy});
    if (!persons) return std::unexpected(persons.error());
    for (const auto& r : *persons) {
      auto it = people.find(r.str(0));
      if (it == people.end()) continue;
      it->second.birth_date = r.str(1);
      it->second.sex = r.str(2);
      it->second.name_kana = r.str(3);
      it->second.insured_no = r.str(4);
      it->second.annual = r.i64(5);
    }
    auto targets = c.query(
        "SELECT person_id, target_id, pension_insurer_code, pension_kind, basic_pension_no, pension_code, "
        "annual_pension_amount, start_month FROM tokucho_target");
    if (!targets) return std::unexpected(targets.error());
    for (const auto& r : *targets) {
      auto it = people.find(r.str(0));
      if (it == people.end()) continue;
      it->second.targets.push_back(detail::TargetRow{r.i64(1), r.str(0), r.str(2), r.str(3), r.str(4), r.str(5), r.i64(6),
                                                     *YearMonth::parse(r.str(7))});
    }
    // One group per pension insurer, persons in person_id order.
    std::map<std::string, std::vector<const Requested*>> by_insurer;
    for (auto& [id, p] : people) {
      if (!p.has_planned || p.insured_no.empty()) continue;
      p.target = detail::choose_target(p.targets, fiscal_year, *rules);
      if (!p.target) continue;  // no qualifying target any more: the next plan run moves the person to ordinary
      by_insurer[p.target->pension_insurer_code].push_back(&p);
    }
    if (by_insurer.empty()) return {};
    auto previous = c.query_one("SELECT COUNT(*) FROM tokucho_file WHERE flow_id = 'FK-15'");
    if (!previous) return std::unexpected(previous.error());
    const std::string file_ref = fmt::format("KGTK{}-{:06}", fiscal_year, (*previous)->i64(0) + 1);
    const std::string today = clock.today().compact();
    const std::string time = clock.timestamp().substr(11, 8);
    Values management{{"insurer_no", config.insurer_no}, {"created_on", today},
                      {"created_at", time.substr(0, 2) + time.substr(3, 2) + time.substr(6, 2)}, {"file_ref", file_ref}};
    std::vector<GroupValues> groups;
    struct RequestRow {
      const Requested* p;
      std::string kind, start, amounts;
    };
    std::vector<RequestRow> requests;
    for (const auto& [insurer, list] : by_insurer) {
      GroupValues g;
      g.header = {{"insurer_no", config.insurer_no}, {"pension_insurer_code", insurer}, {"created_on", today},
                  {"fiscal_year", std::to_string(fiscal_year)}};
      for (const Requested* p : list) {
        auto kana = cp932::to_halfwidth_katakana(p->name_kana);
        if (!kana) return fail(ErrorKind::internal, fmt::format("person {}: the kana name has no half-width form", p->person_id));
        const int first_slot = p->amounts.begin()->first;
        const bool continuing = first_slot == 1 && p->target->start < YearMonth{fiscal_year, 4};
        nlohmann::json amounts = nlohmann::json::object();
        Values d{{"basic_pension_no", p->target->basic_pension_no}, {"pension_code", p->target->pension_code},
                 {"birth_date", compact(p->birth_date)}, {"sex", p->sex}, {"kana_name", *kana},
                 {"insured_no", p->insured_no}, {"fiscal_year", std::to_string(fiscal_year)},
                 {"request_kind", continuing ? "1" : "2"},
                 {"start_month", special_slot_month(fiscal_year, first_slot).compact()},
                 {"annual_premium", std::to_string(p->annual)}};
        static const char* kKeys[] = {"", "amount_04", "amount_06", "amount_08", "amount_10", "amount_12", "amount_02"};
        for (int slot = 1; slot <= kSpecialSlots; ++slot) {
          const auto it = p->amounts.find(slot);
          const std::int64_t yen = it == p->amounts.end() ? 0 : it->second;
          d[kKeys[slot]] = std::to_string(yen);
          amounts[special_slot_month(fiscal_year, slot).iso()] = yen;
        }
        g.data.push_back(std::move(d));
        requests.push_back(RequestRow{p, continuing ? "continuing" : "new", special_slot_month(fiscal_year, first_slot).iso(),
                                      amounts.dump()});
      }
      groups.push_back(std::move(g));
    }
    auto written = write_file(*layout, management, groups);
    if (!written) return std::unexpected(written.error());
    auto payload = payload_of(written->bytes);
    if (!payload) return std::unexpected(payload.error());
    const std::string sha = sha256_hex(written->bytes);
    auto receipt = linkage::enqueue_outbound(
        c, clock,
        linkage::OutboundMessage{"FK-15", "kokuhoren", *payload, "text/plain", {},
                                 fmt::format("特別徴収依頼 {}年度 {}人 (FK-15)", fiscal_year, requests.size()), actor,
                                 fmt::format("FK-15:{}:{}", fiscal_year, sha)});
    if (!receipt) return std::unexpected(receipt.error());
    const std::int64_t exchange_id = receipt->exchange_id;
    std::size_t at = 0;
    const std::string ts = clock.timestamp();
    auto inserted = c.bulk_insert("tokucho_request",
                                  {"exchange_id", "person_id", "fiscal_year", "target_id", "pension_insurer_code",
                                   "basic_pension_no", "pension_code", "request_kind", "start_month", "amounts", "status",
                                   "requested_at"},
                                  [&](store::Params& p) {
                                    if (at == requests.size()) return false;
                                    const RequestRow& r = requests[at++];
                                    p = {exchange_id, r.p->person_id, fy, r.p->target->target_id,
                                         r.p->target->pension_insurer_code, r.p->target->basic_pension_no,
                                         r.p->target->pension_code, r.kind, r.start, r.amounts, std::string("requested"), ts};
                                    return true;
                                  });
    if (!inserted) return std::unexpected(inserted.error());
    // The planned special rows of the requested persons are requested now: one UPDATE … FROM
    // (SQLite 3.33+, PostgreSQL), after ANALYZE so PostgreSQL joins the fresh rows by hash.
    if (c.dialect() == store::Dialect::postgresql)
      if (auto a = c.exec("ANALYZE tokucho_request"); !a) return std::unexpected(a.error());
    auto marked = c.exec(
        "UPDATE premium_instalment SET status = 'requested', updated_at = $1, request_id = r.request_id FROM "
        "tokucho_request r WHERE r.exchange_id = $2 AND premium_instalment.person_id = r.person_id AND "
        "premium_instalment.fiscal_year = $3 AND premium_instalment.method = 'special' AND premium_instalment.status = "
        "'planned'",
        {ts, exchange_id, fy});
    if (!marked) return std::unexpected(marked.error());
    at = 0;
    auto linked = c.bulk_insert("exchange_person", {"exchange_id", "person_id"}, [&](store::Params& p) {
      if (at == requests.size()) return false;
      p = {exchange_id, requests[at++].p->person_id};
      return true;
    });
    if (!linked) return std::unexpected(linked.error());
    auto file = c.exec(
        "INSERT INTO tokucho_file (exchange_id, flow_id, kind, layout_version, file_name, file_ref, sha256, bytes, records, "
        "fiscal_year, applied, status, recorded_at, recorded_by) VALUES ($1, 'FK-15', 'request', $2, $3, $4, $5, $6, $7, $8, "
        "$7, 'sent', $9, $10)",
        {exchange_id, static_cast<std::int64_t>(layout->version), fmt::format("FK-15_{}.txt", receipt->correlation_id),
         file_ref, sha, static_cast<std::int64_t>(written->bytes.size()), static_cast<std::int64_t>(requests.size()), fy, ts,
         actor});
    if (!file) return std::unexpected(file.error());
    sent.persons = static_cast<std::int64_t>(requests.size());
    sent.exchange_id = exchange_id;
    sent.correlation_id = receipt->correlation_id;
    sent.substituted = written->substituted;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return sent;
}

}  // namespace kaigo::premium::tokucho
