// KY-05 高額介護サービス費 支給申請: register, withdraw, list (high_cost.hpp). The application
// registers the account once; later months are paid automatically (the city's 要綱 under
// 施行規則83条の9: 申請は初回のみ). Registering pays the person's decisions held for want of one.
#include <algorithm>

#include <fmt/format.h>

#include "benefit/high_cost.hpp"
#include "benefit/high_cost_internal.hpp"
#include "core/cp932.hpp"

namespace kaigo::benefit {

namespace {

bool all_digits(const std::string& s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// 口座名義 as the 全銀 format carries it: katakana (full-width U+30A1–30F6 or half-width
// U+FF66–FF9F, with ー and the voiced marks), spaces, upper-case letters, digits and the symbols
// ( ) . - / ,  — at most 30 characters after conversion to half-width (one field of the 全銀 record).
Result<void> check_holder(const std::string& kana) {
  const std::string field = "account_holder_kana";
  if (kana.empty()) return fail(ErrorKind::invalid_input, "口座名義 (カナ) is required", field);
  auto u32 = cp932::utf8_to_u32(kana);
  if (!u32) return fail(ErrorKind::invalid_input, "口座名義 is not valid UTF-8", field);
  bool any_kana = false;
  for (std::size_t i = 0; i < u32->size(); ++i) {
    const char32_t ch = (*u32)[i];
    const bool full_kana = (ch >= 0x30A1 && ch <= 0x30F6) || ch == 0x30FC || ch == 0x309B || ch == 0x309C;
    const bool half_kana = ch >= 0xFF66 && ch <= 0xFF9F;
    const bool ascii_ok = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == ' ' || ch == '(' ||
                          ch == ')' || ch == '.' || ch == '-' || ch == '/' || ch == ',';
    const bool full_space = ch == 0x3000;
    if (full_kana || half_kana) any_kana = true;
    if (!full_kana && !half_kana && !ascii_ok && !full_space)
      return fail(ErrorKind::invalid_input,
                  fmt::format("口座名義 must be katakana (character {} is not): 全銀 accepts katakana, spaces, A–Z, "
                              "0–9 and ( ) . - / ,",
                              i + 1),
                  field);
  }
  if (!any_kana) return fail(ErrorKind::invalid_input, "口座名義 must contain katakana", field);
  auto half = cp932::to_halfwidth_katakana(kana);
  if (!half) return fail(ErrorKind::invalid_input, "口座名義 cannot be written in half-width katakana", field);
  auto half32 = cp932::utf8_to_u32(*half);
  if (half32 && half32->size() > 30)
    return fail(ErrorKind::invalid_input, fmt::format("口座名義 is {} characters in half-width; at most 30", half32->size()),
                field);
  return {};
}

constexpr const char* kApplicationFields =
    "application_id, person_id, received_on, first_month, bank_code, branch_code, account_kind, account_no, "
    "account_holder_kana, status, recorded_at, recorded_by";

HighCostApplication application_of(const store::Row& r) {
  return HighCostApplication{r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4),  r.str(5),
                             r.str(6), r.str(7), r.str(8), r.str(9), r.str(10), r.str(11)};
}

}  // namespace

Result<void> validate_high_cost_application(const HighCostApplicationInput& in) {
  if (in.person_id.empty()) return fail(ErrorKind::invalid_input, "person_id is required", "person_id");
  auto received = Date::parse(in.received_on);
  if (!received) return fail(ErrorKind::invalid_input, "received_on must be a date YYYY-MM-DD", "received_on");
  auto first = detail::month_start(in.first_month, "first_month");
  if (!first) return std::unexpected(first.error());
  if (!all_digits(in.bank_code, 4)) return fail(ErrorKind::invalid_input, "金融機関コード must be 4 digits", "bank_code");
  if (!all_digits(in.branch_code, 3)) return fail(ErrorKind::invalid_input, "支店コード must be 3 digits", "branch_code");
  if (in.account_kind != "ordinary" && in.account_kind != "current")
    return fail(ErrorKind::invalid_input, "預金種目 must be ordinary (普通) or current (当座)", "account_kind");
  if (!all_digits(in.account_no, 7)) return fail(ErrorKind::invalid_input, "口座番号 must be 7 digits", "account_no");
  return check_holder(in.account_holder_kana);
}

Result<RegisteredApplication> register_high_cost_application(store::Database& db, const Clock& clock,
                                                             const HighCostApplicationInput& in) {
  auto valid = validate_high_cost_application(in);
  if (!valid) return std::unexpected(valid.error());
  // Stored full-width (the form staff key in either); the payment file carries it as stored.
  const std::string holder = cp932::to_fullwidth_katakana(in.account_holder_kana);
  RegisteredApplication out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto person = c.query_one(fmt::format("SELECT person_id FROM person WHERE person_id = $1{}", c.for_update()),
                              {in.person_id});
    if (!person) return std::unexpected(person.error());
    if (!*person) return fail(ErrorKind::not_found, "no such person", "person_id");
    auto active = c.query_one("SELECT application_id FROM high_cost_application WHERE person_id = $1 AND status = 'active'",
                              {in.person_id});
    if (!active) return std::unexpected(active.error());
    if (*active)
      return fail(ErrorKind::conflict,
                  fmt::format("the person has an active application ({}); withdraw it to register another account",
                              (*active)->i64(0)),
                  "person_id");
    auto row = c.query_one(
        fmt::format("INSERT INTO high_cost_application (person_id, received_on, first_month, bank_code, branch_code, "
                    "account_kind, account_no, account_holder_kana, status, recorded_at, recorded_by) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10) RETURNING {}",
                    kApplicationFields),
        {in.person_id, in.received_on, in.first_month, in.bank_code, in.branch_code, in.account_kind, in.account_no, holder,
         clock.timestamp(), in.actor});
    if (!row) return std::unexpected(row.error());
    out.application = application_of(**row);
    // The person's held decisions from first_month on are paid to this account now.
    const std::string where = "d.person_id = CAST($1 AS TEXT) AND d.service_month >= CAST($2 AS TEXT)";
    auto attached = detail::attach_held_decisions(c, where, {in.person_id, in.first_month});
    if (!attached) return std::unexpected(attached.error());
    auto paid = detail::pay_decisions(c, clock, where, {in.person_id, in.first_month});
    if (!paid) return std::unexpected(paid.error());
    out.held_paid = paid->rows;
    out.held_paid_total = paid->total;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<HighCostApplication> withdraw_high_cost_application(store::Database& db, const Clock& clock,
                                                           std::int64_t application_id, const std::string& actor) {
  HighCostApplication out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto row = c.query_one(fmt::format("SELECT {} FROM high_cost_application WHERE application_id = $1{}", kApplicationFields, c.for_update()),
                           {application_id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail(ErrorKind::not_found, "no such application", "application_id");
    if ((*row)->str(9) != "active") return fail(ErrorKind::conflict, "the application is already withdrawn", "application_id");
    auto changed = c.exec(
        "UPDATE high_cost_application SET status = 'withdrawn', recorded_at = $2, recorded_by = $3 "
        "WHERE application_id = $1",
        {application_id, clock.timestamp(), actor});
    if (!changed) return std::unexpected(changed.error());
    auto again = c.query_one(fmt::format("SELECT {} FROM high_cost_application WHERE application_id = $1", kApplicationFields), {application_id});
    if (!again) return std::unexpected(again.error());
    out = application_of(**again);
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<std::vector<HighCostApplication>> list_high_cost_applications(store::Connection& c, const std::string& person_id) {
  auto rows = c.query(fmt::format("SELECT {} FROM high_cost_application WHERE person_id = $1 ORDER BY application_id DESC", kApplicationFields),
                      {person_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<HighCostApplication> out;
  for (const auto& r : *rows) out.push_back(application_of(r));
  return out;
}

Result<HighCostApplication> load_high_cost_application(store::Connection& c, std::int64_t application_id) {
  auto row = c.query_one(fmt::format("SELECT {} FROM high_cost_application WHERE application_id = $1", kApplicationFields), {application_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, "no such application", "application_id");
  return application_of(**row);
}

}  // namespace kaigo::benefit
