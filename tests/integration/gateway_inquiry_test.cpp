// The 番号連携 gateway's inquiries against a scripted 中間サーバー, on SQLite and PostgreSQL: every
// state and transition, back-off, time-outs, cancel/retry, duplicates and late answers, malformed
// replies, bulk splitting, concurrent run_due callers, and the exchange log of record.
#include <thread>

#include <gtest/gtest.h>

#include "gateway/inquiry_service.hpp"
#include "gateway_fake_chukan.hpp"
#include "linkage/exchange_store.hpp"
#include "linkage/flow_catalog.hpp"
#include "test_db.hpp"

namespace kaigo::gateway {
namespace {

using std::chrono::seconds;

class GatewayInquiryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = kaigo::testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    auto loaded = CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(loaded) << loaded.error().message;
    codes = std::make_unique<CodeBook>(std::move(*loaded));
    transport = make_in_process_transport([this](const std::string& op, const std::string& body) -> Result<std::string> {
      if (op == kOpPoll && before_poll) before_poll();
      return fake.handle(op, body);
    });
    service = std::make_unique<InquiryService>(*db, *transport, *codes, clock, options);
  }
  InquiryRequestSpec spec(const std::string& person, const std::string& kind = "city_local_tax") {
    return InquiryRequestSpec{kind, person, Date(2025, 1, 1), Date(2025, 12, 31), "保険料賦課 (転入者の所得)", "", ""};
  }
  Inquiry get(std::int64_t id) {
    auto q = service->find(id);
    EXPECT_TRUE(q && *q);
    return q && *q ? **q : Inquiry{};
  }
  std::int64_t count(const std::string& sql) {
    auto rows = db->query(sql);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? (*rows)[0].i64(0) : -1;
  }
  RunReport run() {
    auto r = service->run_due(clock);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(RunReport{});
  }

  std::unique_ptr<store::Database> db;
  std::unique_ptr<CodeBook> codes;
  testing::FakeChukan fake;
  std::function<void()> before_poll;
  std::unique_ptr<Transport> transport;
  FixedClock clock = FixedClock::at(Date(2026, 11, 24));
  GatewayOptions options;
  std::unique_ptr<InquiryService> service;
};

TEST_P(GatewayInquiryTest, FK_03_FK_04_SubmittedPendingProvidedAndRecordedAsExchanges) {
  fake.script["1000000001"] = {AnswerStatus::pending, AnswerStatus::provided};
  auto q = service->submit(spec("1000000001"), "staff1");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->status, InquiryStatus::submitted);
  EXPECT_FALSE(q->processing_no.empty());
  EXPECT_EQ(q->flow_id, "FK-03");

  EXPECT_EQ(run().polled, 0);  // not due yet
  clock.advance(seconds(30));
  auto r1 = run();
  EXPECT_EQ(r1.polled, 1);
  EXPECT_EQ(get(q->inquiry_id).status, InquiryStatus::pending);
  clock.advance(seconds(59));
  EXPECT_EQ(run().polled, 0);  // back-off doubled to 60 s
  clock.advance(seconds(1));
  EXPECT_EQ(run().provided, 1);
  const Inquiry done = get(q->inquiry_id);
  EXPECT_EQ(done.status, InquiryStatus::provided);
  EXPECT_NE(done.answer.find("total_income"), std::string::npos);
  EXPECT_NE(done.answer.find("該当なし"), std::string::npos);
  EXPECT_EQ(done.answered_at, "2026-11-24T10:00:00+09:00");

  // Linkage: the request (FK-03, outbound, applied) and its answer (FK-04, inbound, applied).
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'FK-03' AND counterpart = 'city' AND "
                  "direction = 'outbound' AND status = 'applied'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'FK-04' AND direction = 'inbound' AND status = 'applied'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE person_id = '1000000001'"), 2);
  EXPECT_GE(count("SELECT COUNT(*) FROM exchange_log WHERE flow_id IN ('FK-03', 'FK-04')"), 4);
  auto traffic = linkage::flow_traffic(*db);
  ASSERT_TRUE(traffic);
  EXPECT_EQ(traffic->at("FK-03").count, 1);
  EXPECT_EQ(traffic->at("FK-04").count, 1);
  // The linkage dispatcher never sends the gateway's documents.
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE status = 'queued'"), 0);
}

TEST_P(GatewayInquiryTest, SK_13_NotFound) {
  fake.default_answer = AnswerStatus::not_found;
  auto q = service->submit(spec("1000000002", "iryo_insurance"), "staff1");
  ASSERT_TRUE(q);
  clock.advance(seconds(30));
  EXPECT_EQ(run().not_found, 1);
  EXPECT_EQ(get(q->inquiry_id).status, InquiryStatus::not_found);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'SK-13' AND direction = 'inbound'"), 1);
}

TEST_P(GatewayInquiryTest, ManualPendingStaysOpenPastTheAnswerDeadlineThenProvided) {
  fake.script["1000000003"] = {AnswerStatus::manual_pending, AnswerStatus::manual_pending, AnswerStatus::manual_pending,
                               AnswerStatus::provided};
  auto q = service->submit(spec("1000000003"), "staff1");
  ASSERT_TRUE(q);
  for (int i = 0; i < 3; ++i) {
    clock.advance(seconds(4000));
    run();
    EXPECT_EQ(get(q->inquiry_id).status, InquiryStatus::manual_pending);
  }
  clock.advance(options.answer_deadline);  // past the automatic deadline, within the manual one
  auto r = run();
  EXPECT_EQ(r.timed_out, 0);
  EXPECT_EQ(get(q->inquiry_id).status, InquiryStatus::provided);
}

TEST_P(GatewayInquiryTest, ErrorLinkCodeAtSubmitAndAtPoll) {
  fake.refuse_at_submit.insert("1000000004");
  auto q = service->submit(spec("1000000004"), "staff1");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->status, InquiryStatus::error);
  EXPECT_EQ(q->error_code, "E_LINK_CODE");
  EXPECT_EQ(q->error_message, "符号未取得");
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'FK-04' AND direction = 'inbound'"), 1);

  fake.error_at_poll.insert("1000000005");
  auto p = service->submit(spec("1000000005"), "staff1");
  ASSERT_TRUE(p);
  clock.advance(seconds(30));
  EXPECT_EQ(run().errors, 1);
  EXPECT_EQ(get(p->inquiry_id).status, InquiryStatus::error);
  EXPECT_EQ(get(p->inquiry_id).error_code, "E_LINK_CODE");
}

TEST_P(GatewayInquiryTest, UnavailableAtSubmitStaysQueuedAndIsSentNextRun) {
  fake.unavailable = true;
  auto q = service->submit(spec("1000000006"), "staff1");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->status, InquiryStatus::queued);
  EXPECT_EQ(q->attempts, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_log WHERE event = 'send_failed'"), 1);
  fake.unavailable = false;
  EXPECT_EQ(run().sent, 0);  // back-off: not due yet
  clock.advance(seconds(30));
  EXPECT_EQ(run().sent, 1);
  EXPECT_EQ(get(q->inquiry_id).status, InquiryStatus::submitted);
}

TEST_P(GatewayInquiryTest, UnavailableAtPollRetriedWithBackOff) {
  auto q = service->submit(spec("1000000007"), "staff1");
  ASSERT_TRUE(q);
  fake.unavailable = true;
  clock.advance(seconds(30));
  EXPECT_EQ(run().poll_failed, 1);
  const Inquiry after = get(q->inquiry_id);
  EXPECT_EQ(after.status, InquiryStatus::submitted);
  EXPECT_EQ(after.attempts, 1);
  EXPECT_EQ(*after.next_poll_at, clock.now().time_since_epoch().count() + 60);
  fake.unavailable = false;
  clock.advance(seconds(60));
  EXPECT_EQ(run().provided, 1);
}

TEST_P(GatewayInquiryTest, TimedOutAfterTheDeadlineThenRetried) {
  fake.default_answer = AnswerStatus::pending;
  auto q = service->submit(spec("1000000008"), "staff1");
  ASSERT_TRUE(q);
  clock.advance(options.answer_deadline);
  EXPECT_EQ(run().timed_out, 1);
  EXPECT_EQ(get(q->inquiry_id).status, InquiryStatus::timed_out);

  fake.default_answer = AnswerStatus::provided;
  auto again = service->retry(q->inquiry_id, "staff1");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->status, InquiryStatus::submitted);
  EXPECT_NE(again->request_key, q->request_key);
  EXPECT_NE(again->exchange_id, q->exchange_id);
  clock.advance(seconds(30));
  EXPECT_EQ(run().provided, 1);
  auto refused = service->retry(q->inquiry_id, "staff1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::conflict);
}

TEST_P(GatewayInquiryTest, CancelAndCancelRefusedWhenFinal) {
  auto q = service->submit(spec("1000000009"), "staff1");
  ASSERT_TRUE(q);
  auto c = service->cancel(q->inquiry_id, "申請取下げ", "staff1");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->status, InquiryStatus::cancelled);
  EXPECT_EQ(fake.calls[kOpCancel], 1);
  clock.advance(seconds(30));
  EXPECT_EQ(run().polled, 0);
  auto again = service->cancel(q->inquiry_id, "again", "staff1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);

  auto p = service->submit(spec("1000000010"), "staff1");
  ASSERT_TRUE(p);
  fake.cancel_refused = true;  // the 中間サーバー has answered already
  auto late = service->cancel(p->inquiry_id, "取下げ", "staff1");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().kind, ErrorKind::conflict);
}

TEST_P(GatewayInquiryTest, DuplicateAndLateAnswersChangeNothing) {
  auto q = service->submit(spec("1000000011"), "staff1");
  ASSERT_TRUE(q);
  clock.advance(seconds(30));
  EXPECT_EQ(run().provided, 1);
  const Inquiry final_state = get(q->inquiry_id);

  // The same answer document again: the inbox knows it.
  auto inbound = db->query("SELECT payload, counterpart, in_reply_to FROM exchange WHERE direction = 'inbound'");
  ASSERT_TRUE(inbound);
  ASSERT_EQ(inbound->size(), 1u);
  linkage::InboundMessage m;
  m.flow_id = "FK-04";
  m.counterpart = (*inbound)[0].str(1);
  m.payload = (*inbound)[0].str(0);
  m.in_reply_to = (*inbound)[0].str(2);
  m.actor = "gateway";
  auto dup = linkage::receive_inbound(*db, clock, m, [](store::Connection&, const linkage::Exchange&) -> Result<void> {
    return fail(ErrorKind::internal, "must not be applied twice");
  });
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->outcome, linkage::InboundOutcome::already_applied);
  EXPECT_EQ(get(q->inquiry_id).updated_at, final_state.updated_at);

  // A late answer: the inquiry is cancelled while its poll is on the wire.
  auto p = service->submit(spec("1000000012"), "staff1");
  ASSERT_TRUE(p);
  before_poll = [&] {
    before_poll = nullptr;
    ASSERT_TRUE(service->cancel(p->inquiry_id, "取下げ", "staff1"));
  };
  clock.advance(seconds(30));
  EXPECT_EQ(run().provided, 0);
  const Inquiry late = get(p->inquiry_id);
  EXPECT_EQ(late.status, InquiryStatus::cancelled);
  EXPECT_TRUE(late.answer.empty());
}

TEST_P(GatewayInquiryTest, MalformedReplyIsRejectedAndTheInquiryStaysOpen) {
  auto q = service->submit(spec("1000000013"), "staff1");
  ASSERT_TRUE(q);
  clock.advance(seconds(30));
  fake.malformed_reply = R"({"protocol":"kaigo-chukan/1","answers":[{"processing_no":"CH-NEVER-ASKED","status":"provided"}]})";
  auto r = run();
  EXPECT_EQ(r.malformed, 1);
  EXPECT_EQ(get(q->inquiry_id).status, InquiryStatus::submitted);
  fake.malformed_reply.clear();
  clock.advance(options.lease);  // the claim runs out; polled again
  EXPECT_EQ(run().provided, 1);
}

TEST_P(GatewayInquiryTest, BulkOf2500SplitAt1000IsThreeSubmitCalls) {
  std::vector<std::string> persons;
  for (int i = 0; i < 2500; ++i) persons.push_back(std::to_string(2000000000 + i));
  fake.refuse_at_submit.insert("2000000007");
  auto b = service->submit_bulk("city_local_tax", persons, Date(2025, 1, 1), Date(2025, 12, 31), "当初賦課", "batch");
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(fake.calls[kOpSubmit], 3);
  EXPECT_EQ(b->documents, 3);
  EXPECT_EQ(b->submitted, 2499);
  EXPECT_EQ(b->refused, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'FK-03' AND direction = 'outbound'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM inquiry WHERE status = 'submitted'"), 2499);
  clock.advance(seconds(30));
  auto r = run();
  EXPECT_EQ(r.polled, 2499);
  EXPECT_EQ(fake.calls[kOpPoll], 3);
  EXPECT_EQ(r.provided, 2499);
  EXPECT_EQ(count("SELECT COUNT(*) FROM inquiry WHERE status = 'provided'"), 2499);
}

TEST_P(GatewayInquiryTest, TwoRunDueCallersDoNotDoublePoll) {
  std::vector<std::string> persons;
  for (int i = 0; i < 300; ++i) persons.push_back(std::to_string(3000000000 + i));
  options.poll_batch = 20;
  service = std::make_unique<InquiryService>(*db, *transport, *codes, clock, options);
  InquiryService other(*db, *transport, *codes, clock, options);
  fake.default_answer = AnswerStatus::pending;
  ASSERT_TRUE(service->submit_bulk("city_household", persons, Date(2025, 1, 1), Date(2025, 12, 31), "賦課", "batch"));
  clock.advance(seconds(30));
  Result<RunReport> a = RunReport{}, b = RunReport{};
  std::thread t1([&] { a = service->run_due(clock); });
  std::thread t2([&] { b = other.run_due(clock); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(a->polled + b->polled, 300);
  for (const auto& [no, n] : fake.polls) EXPECT_EQ(n, 1) << no;
  EXPECT_EQ(count("SELECT COUNT(*) FROM inquiry WHERE status = 'pending'"), 300);
}

TEST_P(GatewayInquiryTest, ListAndForPersonAndInvalidSpecs) {
  ASSERT_TRUE(service->submit(spec("1000000014"), "staff1"));
  ASSERT_TRUE(service->submit(spec("1000000014", "nenkin_old_age_welfare"), "staff1"));
  auto mine = service->for_person("1000000014");
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->size(), 2u);
  auto listed = service->list(InquiryFilter{InquiryStatus::submitted, "nenkin_old_age_welfare", "", 10});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().flow_id, "FK-07");

  auto bad_kind = service->submit(spec("1000000015", "no_such_kind"), "staff1");
  ASSERT_FALSE(bad_kind);
  EXPECT_EQ(bad_kind.error().field, "kind");
  auto s = spec("1000000015");
  s.flow_id = "SK-04";
  EXPECT_EQ(service->submit(s, "staff1").error().field, "flow_id");
  s = spec("1000000015");
  s.institution_code = "2000000000001";  // an iryo institution for a city kind
  EXPECT_EQ(service->submit(s, "staff1").error().field, "institution_code");
  s = spec("1000000015");
  s.period_to = Date(2024, 1, 1);
  EXPECT_EQ(service->submit(s, "staff1").error().field, "period_to");
}

INSTANTIATE_TEST_SUITE_P(Db, GatewayInquiryTest, ::testing::ValuesIn(kaigo::testing::backends()),
                         kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo::gateway
