// The clock of a 認定 application, pure (certification/application.hpp): 法27条11項 gives 30 days
// from the application (the rule file's deadline_days; warn_days_before 5 in config/rules/
// certification/certification.json) — each row one day of a case applied on 2026-11-02.
#include <gtest/gtest.h>

#include "certification/application.hpp"

namespace kaigo::certification {
namespace {

const Date kApplied(2026, 11, 2);
const Date kDeadline = kApplied.add_days(30);  // 2026-12-02
const Date kWarn = kDeadline.add_days(-5);     // 2026-11-27

struct ClockRow {
  const char* why;
  int today;                       // days after the application
  std::optional<int> finished;     // decided / withdrawn that many days after
  std::optional<int> postponed_to; // 延期通知's expected day, days after
  ClockState state;
  int days_elapsed, days_left;
};

class ClockTable : public ::testing::TestWithParam<ClockRow> {};

TEST_P(ClockTable, StateAndDays) {
  const ClockRow& r = GetParam();
  ClockInput in{kApplied, kDeadline, kWarn, std::nullopt, std::nullopt};
  if (r.finished) in.finished_on = kApplied.add_days(*r.finished);
  if (r.postponed_to) in.postponed_until = kApplied.add_days(*r.postponed_to);
  const ClockView v = clock_of(in, kApplied.add_days(r.today));
  EXPECT_EQ(v.state, r.state) << r.why;
  EXPECT_EQ(v.days_elapsed, r.days_elapsed) << r.why;
  EXPECT_EQ(v.days_left, r.days_left) << r.why;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ClockTable,
    ::testing::Values(ClockRow{"the application day", 0, {}, {}, ClockState::on_time, 0, 30},
                      ClockRow{"day 24: still on time", 24, {}, {}, ClockState::on_time, 24, 6},
                      ClockRow{"day 25 = warn_from: warning", 25, {}, {}, ClockState::warning, 25, 5},
                      ClockRow{"day 30 = the deadline itself: warning, not late", 30, {}, {}, ClockState::warning, 30, 0},
                      ClockRow{"day 31: overdue", 31, {}, {}, ClockState::overdue, 31, -1},
                      ClockRow{"day 31 with a 延期通知 to day 45", 31, {}, 45, ClockState::postponed, 31, -1},
                      ClockRow{"day 45 = the expected day: still postponed", 45, {}, 45, ClockState::postponed, 45, -15},
                      ClockRow{"day 46: the expected day passed, overdue again", 46, {}, 45, ClockState::overdue, 46, -16},
                      ClockRow{"decided on day 20, seen on day 40: done, the clock stopped", 40, 20, {}, ClockState::done, 20, 10},
                      ClockRow{"decided late on day 38", 50, 38, {}, ClockState::done, 38, -8},
                      ClockRow{"decided after a postponement", 50, 44, 45, ClockState::done, 44, -14}));

TEST(ApplicationStages, EachStageFromItsStartToItsEndOrToday) {
  StageDates d;
  d.applied_on = kApplied;
  d.assessment_requested_on = kApplied.add_days(2);
  d.assessment_received_on = kApplied.add_days(12);
  d.opinion_requested_on = kApplied.add_days(3);
  const auto s = stages_of(d, kApplied.add_days(20));
  ASSERT_EQ(s.size(), 7u);
  EXPECT_EQ(s[0].label, "申請→調査依頼");
  EXPECT_EQ(s[0].days, 2);
  EXPECT_EQ(s[1].days, 10);                 // 調査依頼→調査結果
  EXPECT_EQ(s[2].days, 3);                  // 申請→意見書依頼
  EXPECT_EQ(s[3].days, 17);                 // 意見書依頼→ (running until today)
  EXPECT_FALSE(s[3].to);
  EXPECT_FALSE(s[4].days);                  // 揃い→審査会 has not started
  EXPECT_FALSE(s[6].days);
  // Withdrawn on day 15: the running stage stops there.
  const auto w = stages_of(d, kApplied.add_days(20), kApplied.add_days(15));
  EXPECT_EQ(w[3].days, 12);
  // A transfer decided at once: the stages it never went through stop at the decision, and the
  // notice stage runs from it.
  StageDates t;
  t.applied_on = kApplied;
  t.decided_on = kApplied;
  const auto ts = stages_of(t, kApplied.add_days(4));
  EXPECT_EQ(ts[0].days, 0);
  EXPECT_EQ(ts[6].days, 4);  // 決定→通知
}

TEST(ApplicationLabels, WhatTheListSays) {
  ApplicationRow r;
  r.status = "investigating";
  r.dates.assessment_requested_on = kApplied;
  EXPECT_EQ(stage_label(r), "調査結果待ち・意見書依頼前");
  r.dates.assessment_received_on = kApplied;
  r.dates.opinion_requested_on = kApplied;
  EXPECT_EQ(stage_label(r), "意見書待ち");
  r.dates.opinion_received_on = kApplied;
  EXPECT_EQ(stage_label(r), "一次判定待ち");
  r.status = "ready";
  EXPECT_EQ(stage_label(r), "審査会待ち");
  r.status = "decided";
  EXPECT_EQ(stage_label(r), "通知待ち");
  EXPECT_EQ(kind_label("renewal"), "更新");
  EXPECT_EQ(status_label("withdrawn"), "取下げ");
  EXPECT_EQ(to_code(ClockState::overdue), "overdue");
  EXPECT_EQ(label(ClockState::warning), "期限間近");
  EXPECT_TRUE(list_filter_from_code("waiting_opinion"));
  auto bad = list_filter_from_code("late");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "filter");
}

}  // namespace
}  // namespace kaigo::certification
