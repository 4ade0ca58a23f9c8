// The clock of an application, pure: days since application, days to the deadline (法27条11項:
// 申請のあった日から30日以内 — the number of days is the rule file's), the state the list shows, and
// the days of each stage.
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "certification/application.hpp"

namespace kaigo::certification {

std::string_view to_code(ClockState s) {
  switch (s) {
    case ClockState::on_time: return "on_time";
    case ClockState::warning: return "warning";
    case ClockState::overdue: return "overdue";
    case ClockState::postponed: return "postponed";
    case ClockState::done: return "done";
  }
  return "on_time";
}

std::string_view label(ClockState s) {
  switch (s) {
    case ClockState::on_time: return "期限内";
    case ClockState::warning: return "期限間近";
    case ClockState::overdue: return "期限超過";
    case ClockState::postponed: return "延期通知済";
    case ClockState::done: return "完了";
  }
  return "期限内";
}

ClockView clock_of(const ClockInput& in, Date today) {
  ClockView v;
  const Date end = in.finished_on.value_or(today);
  v.days_elapsed = in.applied_on.days_until(end);
  v.days_left = end.days_until(in.deadline_on);
  if (in.finished_on) v.state = ClockState::done;
  else if (in.postponed_until && today <= *in.postponed_until) v.state = ClockState::postponed;
  else if (in.deadline_on < today) v.state = ClockState::overdue;
  else if (in.warn_on <= today) v.state = ClockState::warning;
  else v.state = ClockState::on_time;
  return v;
}

std::vector<StageSpan> stages_of(const StageDates& d, Date today, std::optional<Date> stop) {
  struct Def {
    const char* stage;
    const char* label;
    std::optional<Date> from, to;
  };
  const std::array<Def, 7> defs{{
      {"application_to_assessment_request", "申請→調査依頼", d.applied_on, d.assessment_requested_on},
      {"assessment", "調査依頼→調査結果", d.assessment_requested_on, d.assessment_received_on},
      {"application_to_opinion_request", "申請→意見書依頼", d.applied_on, d.opinion_requested_on},
      {"opinion", "意見書依頼→意見書", d.opinion_requested_on, d.opinion_received_on},
      {"ready_to_committee", "揃い→審査会", d.ready_on, d.scheduled_on},
      {"committee_to_decision", "審査会→決定", d.scheduled_on, d.decided_on},
      {"decision_to_notice", "決定→通知", d.decided_on, d.notified_on},
  }};
  std::vector<StageSpan> out;
  out.reserve(defs.size());
  for (const auto& def : defs) {
    StageSpan s{def.stage, def.label, def.from, def.to, std::nullopt};
    if (def.from && def.to) {
      s.days = def.from->days_until(*def.to);
    } else if (def.from) {
      // Running: until today, or until the day the application stopped (withdrawn, or decided
      // without this stage, e.g. a transfer decided on the certificate's terms).
      std::optional<Date> end = stop;
      const bool before_decision = std::string_view(def.stage) != "decision_to_notice";
      if (!end && before_decision && d.decided_on) end = d.decided_on;
      const Date until = end.value_or(today);
      s.days = def.from->days_until(until < *def.from ? *def.from : until);
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string_view kind_label(std::string_view kind) {
  auto k = application_kind_from_code(kind);
  return k ? label(*k) : kind;
}

std::string_view status_label(std::string_view status) {
  if (status == "received") return "受付";
  if (status == "investigating") return "調査・意見書依頼中";
  if (status == "ready") return "審査会待ち";
  if (status == "scheduled") return "審査会付議";
  if (status == "decided") return "認定済 (通知前)";
  if (status == "notified") return "通知済";
  if (status == "withdrawn") return "取下げ";
  return status;
}

std::string stage_label(const ApplicationRow& r) {
  const auto& d = r.dates;
  if (r.status == "withdrawn") return "取下げ";
  if (r.status == "notified") return "通知済";
  if (r.status == "decided") return "通知待ち";
  if (r.status == "scheduled") return "審査会 (判定待ち)";
  if (r.status == "ready") return "審査会待ち";
  // received / investigating: what is still missing of the assessment and the opinion.
  std::vector<std::string> waiting;
  if (!d.assessment_requested_on) waiting.emplace_back("調査依頼前");
  else if (!d.assessment_received_on) waiting.emplace_back("調査結果待ち");
  if (!d.opinion_requested_on) waiting.emplace_back("意見書依頼前");
  else if (!d.opinion_received_on) waiting.emplace_back("意見書待ち");
  if (waiting.empty()) return "一次判定待ち";
  return fmt::format("{}", fmt::join(waiting, "・"));
}

const std::vector<std::string>& applicant_relations() {
  static const std::vector<std::string> all{"本人", "家族", "地域包括支援センター", "居宅介護支援事業者", "施設", "職権"};
  return all;
}

Result<ListFilter> list_filter_from_code(std::string_view code) {
  static const std::array<std::pair<std::string_view, ListFilter>, 10> all{{{"open", ListFilter::open},
                                                                            {"warning", ListFilter::warning},
                                                                            {"overdue", ListFilter::overdue},
                                                                            {"postponed", ListFilter::postponed},
                                                                            {"waiting_assessment", ListFilter::waiting_assessment},
                                                                            {"waiting_opinion", ListFilter::waiting_opinion},
                                                                            {"ready", ListFilter::ready},
                                                                            {"scheduled", ListFilter::scheduled},
                                                                            {"decided", ListFilter::decided},
                                                                            {"all", ListFilter::all}}};
  for (const auto& [c, f] : all)
    if (c == code) return f;
  return fail(ErrorKind::invalid_input,
              "filter must be open, warning, overdue, postponed, waiting_assessment, waiting_opinion, ready, scheduled, "
              "decided or all",
              "filter");
}

}  // namespace kaigo::certification
