// SK-19: 生保異動情報 from the welfare system, applied to public_assistance in the inbox transaction
// (policies in fukushi_service.hpp and docs/fukushi-layout.md).
#include <algorithm>

#include <fmt/format.h>

#include "eligibility/fukushi_service.hpp"
#include "eligibility/register.hpp"

namespace kaigo::eligibility {

linkage::InboundHandlers fukushi_inbound_handlers(const Clock& clock) {
  return {{"SK-19", fukushi::welfare_file_handler(clock)}};
}

namespace fukushi {

namespace {

// A notice that cannot apply refuses the whole file: invalid_input naming the line and column, no
// value quoted (the reason is stored on the exchange).
Error refuse(const Notice& n, const char* field, const std::string& message) {
  return Error{ErrorKind::invalid_input,
               fmt::format("welfare file refused: line {}, field {}: {}", n.line_no, field, message),
               fmt::format("line {}: {}", n.line_no, field)};
}

Result<void> record_notice(store::Connection& c, const Clock& clock, const linkage::Exchange& e, const Notice& n,
                           const char* outcome) {
  auto r = c.exec(
      "INSERT INTO fukushi_notice (notice_no, exchange_id, line_no, person_id, kind, change_kind, on_date, case_no, "
      "outcome, applied_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {n.notice_no, e.exchange_id, static_cast<std::int64_t>(n.line_no), n.person_id, std::string(to_code(n.kind)),
       std::string(to_code(n.change)), n.on.iso(), n.case_no, std::string(outcome), clock.timestamp()});
  if (!r) return std::unexpected(r.error());
  return {};
}

// 開始: a public_assistance row from the 異動日. Returns false when the same start is already
// recorded (an SK-15 inquiry got there first).
Result<bool> apply_start(store::Connection& c, const Clock& clock, const linkage::Exchange& e, const Notice& n) {
  const std::string kind(to_code(n.kind));
  auto open = c.query_one(
      "SELECT valid_from FROM public_assistance WHERE person_id = $1 AND kind = $2 AND valid_to IS NULL "
      "ORDER BY valid_from DESC LIMIT 1",
      {n.person_id, kind});
  if (!open) return std::unexpected(open.error());
  if (*open) {
    if ((*open)->str(0) == n.on.iso()) return false;
    return std::unexpected(refuse(n, "異動区分", "a 開始 while a period of this 種別 is still open (no 廃止 received)"));
  }
  // A closed period covering the 異動日 contradicts the start.
  auto covering = c.query_one(
      "SELECT 1 FROM public_assistance WHERE person_id = $1 AND kind = $2 AND valid_from <= $3 AND valid_to > $3",
      {n.person_id, kind, n.on.iso()});
  if (!covering) return std::unexpected(covering.error());
  if (*covering) return std::unexpected(refuse(n, "異動日", "falls inside a recorded period of this 種別"));
  auto ins = c.exec(
      "INSERT INTO public_assistance (person_id, kind, valid_from, valid_to, source, source_exchange_id, recorded_at, "
      "recorded_by) VALUES ($1, $2, $3, NULL, 'fukushi', $4, $5, $6)",
      {n.person_id, kind, n.on.iso(), e.exchange_id, clock.timestamp(), fmt::format("exchange:{}", e.exchange_id)});
  if (!ins) return std::unexpected(ins.error());
  return true;
}

// 廃止: closes the open row of that kind. valid_to = the 廃止日: the welfare office's 廃止日 is the
// first day the person is no longer on assistance (a death ends it 死亡日の翌日付), which is what
// valid_to means in every migration-002 table.
Result<void> apply_end(store::Connection& c, const Notice& n) {
  auto open = c.query_one(
      "SELECT public_assistance_id, valid_from FROM public_assistance WHERE person_id = $1 AND kind = $2 AND "
      "valid_to IS NULL ORDER BY valid_from DESC LIMIT 1",
      {n.person_id, std::string(to_code(n.kind))});
  if (!open) return std::unexpected(open.error());
  if (!*open) return std::unexpected(refuse(n, "異動区分", "a 廃止 with no open period of this 種別"));
  if (n.on.iso() <= (*open)->str(1))
    return std::unexpected(refuse(n, "異動日", "a 廃止日 on or before the period's 開始日"));
  auto r = c.exec("UPDATE public_assistance SET valid_to = $1 WHERE public_assistance_id = $2",
                  {n.on.iso(), (*open)->i64(0)});
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace

linkage::ApplyFn welfare_file_handler(const Clock& clock) {
  return [&clock](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    // The whole file is validated before anything is written.
    ParseOutcome parsed = parse_welfare_file(e.payload);
    if (!parsed.notices) return std::unexpected(to_error(parsed));
    std::vector<Notice> notices = std::move(*parsed.notices);
    // In 異動日 order, so a start and its end in one file apply whatever their line order.
    std::stable_sort(notices.begin(), notices.end(), [](const Notice& a, const Notice& b) { return a.on < b.on; });
    for (const Notice& n : notices) {
      if (n.repeated_in_file) continue;
      auto seen = c.query_one("SELECT 1 FROM fukushi_notice WHERE notice_no = $1", {n.notice_no});
      if (!seen) return std::unexpected(seen.error());
      if (*seen) continue;  // applied before: a resent file or an overlapping one
      auto person = c.query_one("SELECT 1 FROM person WHERE person_id = $1", {n.person_id});
      if (!person) return std::unexpected(person.error());
      if (!*person) return std::unexpected(refuse(n, "宛名番号", "a person unknown here"));
      bool applied = true;
      if (n.change == AssistanceChange::start) {
        auto s = apply_start(c, clock, e, n);
        if (!s) return std::unexpected(s.error());
        applied = *s;
      } else if (auto r = apply_end(c, n); !r) {
        return r;
      }
      if (auto r = record_notice(c, clock, e, n, applied ? "applied" : "already_recorded"); !r) return r;
      if (auto a = linkage::add_person(c, e.exchange_id, n.person_id); !a) return a;
      if (!applied) continue;
      // 生活保護 alone changes no eligibility (rules.md §1: 65+ on assistance are category 1 like
      // anyone; 40–64 without medical insurance are not insured, which the medical insurance
      // facts already decide, 法9条2号 / 施行法). The register is re-derived so that the revision
      // history stays the single place such a change would show; the premium business reads
      // public_assistance for its stage 1 (保険料 第1段階, 施行令38条1項1号) through its own cursor.
      auto r = rederive(c, clock, n.person_id,
                        ChangeSource{"fukushi", e.exchange_id, std::nullopt, "channel:fukushi",
                                     fmt::format("{} {} (SK-19)", japanese_label(n.kind), japanese_label(n.change))});
      if (!r) return std::unexpected(r.error());
    }
    return {};
  };
}

}  // namespace fukushi
}  // namespace kaigo::eligibility
