#include "eligibility/movement_case_apply.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "eligibility/movement_case_answers.hpp"
#include "eligibility/register.hpp"
#include "eligibility/rules.hpp"
#include "people/person_store.hpp"

namespace kaigo::eligibility::detail {

namespace {

ChangeSource source_of(const ApplyInput& in, const char* flow) {
  return ChangeSource{"inquiry", in.answer_exchange_id, in.kase.case_id, in.actor,
                      fmt::format("番号連携 {} の回答 (窓口 case {})", flow, in.kase.case_id)};
}

std::string revision_note(const RegisterOutcome& o) {
  if (!o.revision_id) return "資格期間に変更なし";
  return fmt::format("資格期間を更新 (revision {})", *o.revision_id);
}

// Names compared without the spaces between family and given name (half- or full-width).
std::string without_spaces(std::string s) {
  for (std::size_t pos; (pos = s.find("\xE3\x80\x80")) != std::string::npos;) s.erase(pos, 3);
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

Result<people::Person> person_of(store::Connection& c, const MovementCase& k) {
  auto p = people::find_person(c, *k.person_id);
  if (!p) return std::unexpected(p.error());
  if (!*p) return fail(ErrorKind::not_found, "the case's person is not in the register", "person_id");
  return std::move(**p);
}

// SK-05: the former municipality recorded as the person's origin (person_origin, migration 002);
// the name and household compared with ours.
Result<Applied> apply_resident(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  auto a = parse_resident_answer(in.inquiry.answer);
  if (!a) return std::unexpected(a.error());
  auto person = person_of(c, in.kase);
  if (!person) return std::unexpected(person.error());
  const std::string& pid = *in.kase.person_id;
  auto seen = c.query_one(
      "SELECT 1 FROM person_origin WHERE person_id = $1 AND former_municipality_code = $2 AND moved_in_on = $3",
      {pid, a->former_municipality_code, in.kase.movement_date});
  if (!seen) return std::unexpected(seen.error());
  Applied out;
  std::vector<std::string> parts;
  if (*seen) {
    parts.push_back(fmt::format("前住所地 {} ({}) は記録済み", a->former_municipality_name, a->former_municipality_code));
  } else {
    auto ins = c.exec(
        "INSERT INTO person_origin (person_id, former_municipality_code, former_municipality_name, moved_in_on, source, "
        "source_exchange_id, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, 'inquiry', $5, $6, $7)",
        {pid, a->former_municipality_code, a->former_municipality_name, in.kase.movement_date,
         store::opt(in.answer_exchange_id), clock.timestamp(), in.actor});
    if (!ins) return std::unexpected(ins.error());
    parts.push_back(fmt::format("前住所地 {} ({}) を記録", a->former_municipality_name, a->former_municipality_code));
  }
  if (!a->name) {
    parts.push_back("氏名: 回答になし");
  } else if (without_spaces(*a->name) == without_spaces(person->name_kanji)) {
    parts.push_back("氏名: 一致");
  } else {
    parts.push_back("氏名: 不一致 (要確認)");
    out.satisfied = false;  // staff check the 届 against the former city's record and tick the item themselves
  }
  if (!a->household_member_ids.empty()) {
    auto members = people::household_members(c, person->household_id);
    if (!members) return std::unexpected(members.error());
    std::set<std::string> ours;
    for (const auto& m : *members) ours.insert(m.person_id);
    const auto together = std::count_if(a->household_member_ids.begin(), a->household_member_ids.end(),
                                         [&](const std::string& id) { return ours.contains(id); });
    parts.push_back(fmt::format("世帯: 前住所地の同一世帯 {}人のうち {}人が本市の同じ世帯", a->household_member_ids.size(), together));
  }
  if (a->moved_out_on) {
    auto moved = Date::parse(in.kase.movement_date);
    if (moved && *a->moved_out_on > *moved) {
      parts.push_back(fmt::format("転出日 {} が転入日 {} より後 (要確認)", a->moved_out_on->iso(), in.kase.movement_date));
      out.satisfied = false;
    } else {
      parts.push_back(fmt::format("前住所地の転出日 {}", a->moved_out_on->iso()));
    }
  }
  out.summary = fmt::format("{}", fmt::join(parts, "; "));
  return out;
}

// The 資格取得日 here the 14 days of 法36条 count from: the period in force on the movement date
// when the register has one, else the movement date itself (転入: 法10条2号, acquired on the 転入日).
Result<Date> acquisition_here(store::Connection& c, const MovementCase& k) {
  auto moved = Date::parse(k.movement_date);
  if (!moved) return fail(ErrorKind::internal, "a stored movement date is not a date");
  auto reg = load_register(c, *k.person_id);
  if (!reg) return std::unexpected(reg.error());
  if (*reg)
    if (auto p = period_on((*reg)->periods, *moved)) return p->acquired_on;
  return *moved;
}

// SK-09: the 受給資格証明書 stored for the certification business, with whether it carries over.
Result<Applied> apply_certificate(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  auto a = parse_certificate_answer(in.inquiry.answer);
  if (!a) return std::unexpected(a.error());
  auto acquired = acquisition_here(c, in.kase);
  if (!acquired) return std::unexpected(acquired.error());
  auto applied_on = Date::parse(in.kase.notified_on);
  if (!applied_on) return fail(ErrorKind::internal, "a stored notified_on is not a date");
  // 法36条: the application with the certificate is the notice handed in at the counter (届出日).
  const bool carries = certificate_carries_over(*acquired, *applied_on);
  auto ins = c.exec(
      "INSERT INTO certificate_of_entitlement (person_id, case_id, inquiry_id, insurer_no, former_insured_no, care_level, "
      "certified_from, certified_to, certified_on, acquired_on, applied_on, carries_over, recorded_at, recorded_by) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (inquiry_id) DO NOTHING",
      {*in.kase.person_id, in.kase.case_id, in.inquiry.inquiry_id, a->insurer_no, store::opt(a->former_insured_no),
       a->care_level, a->certified_from.iso(), a->certified_to.iso(), a->certified_on.iso(), acquired->iso(),
       applied_on->iso(), std::int64_t{carries ? 1 : 0}, clock.timestamp(), in.actor});
  if (!ins) return std::unexpected(ins.error());
  Applied out;
  out.summary = fmt::format(
      "受給資格証明書 (保険者 {}, {}, 有効 {}〜{}) を記録; {}", a->insurer_no, a->care_level, a->certified_from.iso(),
      a->certified_to.iso(),
      carries ? fmt::format("届出日 {} は資格取得日 {} から14日以内: 証明書の内容で認定 (法36条)", applied_on->iso(), acquired->iso())
              : fmt::format("届出日 {} は期限 {} を過ぎている: 新規申請として審査", applied_on->iso(),
                            certificate_deadline(*acquired).iso()));
  return out;
}

// SK-11: another city's 住所地特例 for a person living in a facility here (theirs_living_here).
Result<Applied> apply_former_address_rule(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  auto a = parse_former_address_rule_answer(in.inquiry.answer);
  if (!a) return std::unexpected(a.error());
  Applied out;
  if (!a->applies) {
    out.summary = "住所地特例: 該当なし";
    return out;
  }
  if (a->insurer_no == in.city_insurer_no)
    return fail(ErrorKind::invalid_input, "the answer names this city as the insurer of a person moving in",
                "answer.items.insurer_no");
  FacilityKind kind{};
  if (in.options.facility_kind) {
    auto k = parse_facility_kind(*in.options.facility_kind);
    if (!k) return fail(ErrorKind::invalid_input, k.error().message, "facility_kind");
    kind = *k;
  } else if (auto k = facility_kind_from_name(a->facility_name)) {
    kind = *k;
  } else {
    return fail(ErrorKind::invalid_input, "the facility's kind is not in its name: give facility_kind", "facility_kind");
  }
  auto reg = load_register(c, *in.kase.person_id);
  if (!reg) return std::unexpected(reg.error());
  if (*reg) {
    for (const auto& r : (*reg)->former_address_rules) {
      if (r.ended_on) continue;
      if (r.direction == FormerAddressDirection::theirs_living_here && r.other_insurer_no == a->insurer_no &&
          r.started_on == *a->valid_from) {
        out.summary = fmt::format("住所地特例 (保険者 {}, {}から) は記録済み", a->insurer_no, a->valid_from->iso());
        return out;
      }
      return fail(ErrorKind::conflict, "the person already has another open 住所地特例: end it on the 資格 screen first",
                  "former_address_rule");
    }
  }
  FormerAddressRule rule;
  rule.person_id = *in.kase.person_id;
  rule.direction = FormerAddressDirection::theirs_living_here;
  rule.facility_kind = kind;
  rule.facility_name = a->facility_name;
  rule.facility_municipality_code = in.city_insurer_no;  // the facility is here
  rule.other_insurer_no = a->insurer_no;
  rule.started_on = *a->valid_from;
  const ChangeSource src = source_of(in, "SK-11");
  auto started = start_former_address_rule(c, clock, rule, src);
  if (!started) return std::unexpected(started.error());
  std::string note = revision_note(started->second);
  if (a->valid_to) {
    auto ended = end_former_address_rule(c, clock, started->first, *a->valid_to, src);
    if (!ended) return std::unexpected(ended.error());
    note = revision_note(*ended);
  }
  out.summary = fmt::format("他市町村 (保険者 {}) の住所地特例を {} から記録{}; {}", a->insurer_no, a->valid_from->iso(),
                            a->valid_to ? fmt::format(" ({} 終了)", a->valid_to->iso()) : std::string(), note);
  return out;
}

// SK-13: the medical insurance of a 40–64 year-old (category 2, 法9条2号 / 11条2項).
Result<Applied> apply_medical_insurance(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  auto a = parse_medical_insurance_answer(in.inquiry.answer);
  if (!a) return std::unexpected(a.error());
  const std::string& pid = *in.kase.person_id;
  auto row = c.query_one(
      "SELECT valid_to FROM medical_insurance WHERE person_id = $1 AND insurer_no = $2 AND valid_from = $3 "
      "ORDER BY medical_insurance_id DESC LIMIT 1",
      {pid, a->insurer_no, a->acquired_on.iso()});
  if (!row) return std::unexpected(row.error());
  const ChangeSource src = source_of(in, "SK-13");
  std::vector<std::string> parts;
  std::optional<RegisterOutcome> last;
  const bool known = row->has_value();
  const bool open = known && (*row)->is_null(0);
  if (!known) {
    auto gained = record_medical_insurance_gained(c, clock, pid, MedicalInsuranceGain{a->insurer_kind, a->insurer_no, a->acquired_on}, src);
    if (!gained) return std::unexpected(gained.error());
    last = *gained;
    parts.push_back(fmt::format("医療保険 ({} {}) の資格取得 {} を記録", a->insurer_kind, a->insurer_no, a->acquired_on.iso()));
  } else {
    parts.push_back(fmt::format("医療保険 ({} {}) の資格取得 {} は記録済み", a->insurer_kind, a->insurer_no, a->acquired_on.iso()));
  }
  if (a->lost_on) {
    if (!known || open) {
      auto lost = record_medical_insurance_lost(c, clock, pid, *a->lost_on, src);
      if (!lost) return std::unexpected(lost.error());
      last = *lost;
      parts.push_back(fmt::format("資格喪失 {} を記録", a->lost_on->iso()));
    } else {
      parts.push_back(fmt::format("資格喪失 {} は記録済み", (*row)->str(0)));
    }
  }
  if (last) parts.push_back(revision_note(*last));
  Applied out;
  out.summary = fmt::format("{}", fmt::join(parts, "; "));
  return out;
}

// SK-15: 生活保護 / 中国残留邦人等支援給付 (public_assistance, migration 002) for the premium stage 1.
Result<Applied> apply_public_assistance(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  auto a = parse_public_assistance_answer(in.inquiry.answer);
  if (!a) return std::unexpected(a.error());
  const std::string& pid = *in.kase.person_id;
  const char* name = a->assistance_kind == "repatriate" ? "中国残留邦人等支援給付" : "生活保護";
  auto seen = c.query_one(
      "SELECT valid_to FROM public_assistance WHERE person_id = $1 AND kind = $2 AND valid_from = $3 "
      "ORDER BY public_assistance_id DESC LIMIT 1",
      {pid, a->assistance_kind, a->started_on.iso()});
  if (!seen) return std::unexpected(seen.error());
  const std::optional<std::string> ended = a->ended_on ? std::optional<std::string>(a->ended_on->iso()) : std::nullopt;
  Applied out;
  // The same period already held: nothing to add. A changed end is a correction: a new row (never overwritten).
  if (*seen && (*seen)->opt_str(0) == ended) {
    out.summary = fmt::format("{} ({}から) は記録済み", name, a->started_on.iso());
    return out;
  }
  auto ins = c.exec(
      "INSERT INTO public_assistance (person_id, kind, valid_from, valid_to, source, source_exchange_id, recorded_at, "
      "recorded_by) VALUES ($1, $2, $3, $4, 'inquiry', $5, $6, $7)",
      {pid, a->assistance_kind, a->started_on.iso(), store::opt(ended), store::opt(in.answer_exchange_id),
       clock.timestamp(), in.actor});
  if (!ins) return std::unexpected(ins.error());
  out.summary = fmt::format("{} ({}から{}) を記録", name, a->started_on.iso(), ended ? fmt::format(" {}まで", *ended) : "");
  return out;
}

std::string not_found_summary(const std::string& kind) {
  if (kind == "city_resident") return "前住所地: 該当者なし (要確認)";
  if (kind == "city_certificate") return "受給資格証明書: なし";
  if (kind == "city_former_address_rule") return "住所地特例: 該当なし";
  if (kind == "iryo_insurance") return "医療保険: 加入なし";
  return "生活保護・中国残留邦人等支援給付: 該当なし";
}

}  // namespace

Result<Applied> apply_answer_effects(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  const std::string& kind = in.inquiry.kind;
  if (in.inquiry.status == gateway::InquiryStatus::not_found) {
    // Nothing to record; the item is answered ("none") except for an unknown former address,
    // which staff must look into.
    return Applied{not_found_summary(kind), kind != "city_resident"};
  }
  if (kind == "city_resident") return apply_resident(c, clock, in);
  if (kind == "city_certificate") return apply_certificate(c, clock, in);
  if (kind == "city_former_address_rule") return apply_former_address_rule(c, clock, in);
  if (kind == "iryo_insurance") return apply_medical_insurance(c, clock, in);
  if (kind == "pref_public_assistance") return apply_public_assistance(c, clock, in);
  return fail(ErrorKind::invalid_input, fmt::format("a counter case does not apply '{}' answers", kind), "kind");
}

}  // namespace kaigo::eligibility::detail
