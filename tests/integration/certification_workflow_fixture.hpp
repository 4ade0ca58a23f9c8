#pragma once
// What the 認定 workflow and committee tests share: a fresh database with the real config, people
// and applications made through the application service, the documents shinsa sends (built here
// as the layout says), the inbox with the workflow's handlers, and a simulator channel for the
// outbound requests so the dispatcher really sends them.
#include <unistd.h>

#include <memory>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "certification/application.hpp"
#include "certification/codes.hpp"
#include "certification/committee.hpp"
#include "certification/workflow.hpp"
#include "eligibility/register.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/exchange_store.hpp"
#include "linkage/simulator_channel.hpp"
#include "test_db.hpp"

namespace kaigo::testing {

class CertificationWorkflowFixture : public ::testing::TestWithParam<std::string> {
 protected:
  using json = nlohmann::json;

  void SetUp() override {
    db = fresh_database(GetParam());
    ASSERT_TRUE(db);
    auto cfg = certification::CertificationConfig::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(cfg) << cfg.error().message;
    config = std::make_unique<certification::CertificationConfig>(std::move(*cfg));
    applications = std::make_unique<certification::ApplicationService>(*db, clock, *config, nullptr);
    workflow = std::make_unique<certification::WorkflowService>(*db, clock, *config);
    committee = std::make_unique<certification::CommitteeService>(*db, clock, *config);
    handlers = certification::certification_workflow_inbound_handlers(clock, *config);
    for (const char* counterpart : {"shinsa", "chosa", "iryokikan"})
      channels.bind(counterpart, std::make_shared<linkage::SimulatorChannel>(counterpart));
  }

  void today(Date d) { clock.set(FixedClock::at(d).now()); }

  // A resident since birth (category 1 from 65; with medical insurance when `medical_insurance`).
  void person(const std::string& id, const std::string& birth, bool medical_insurance = false) {
    auto r = db->transaction([&](store::Connection& c) -> Result<void> {
      if (auto e = c.exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                          "ward_code, household_id, relation, registry_status, updated_at) VALUES ($1, $2, $3, $4, '2', "
                          "'1000001', 'みどり市中央区本町1丁目1番1号', '981', $5, '世帯主', 'resident', "
                          "'2026-01-01T00:00:00+09:00')",
                          {id, "試験 " + id.substr(6), "シケン " + id.substr(6), birth, "H" + id});
          !e)
        return std::unexpected(e.error());
      const eligibility::ChangeSource src{"synthetic_city", std::nullopt, std::nullopt, "test", "fixture"};
      auto in = eligibility::record_address_fact(
          c, clock, id, eligibility::AddressFact{eligibility::AddressFactKind::move_in, *Date::parse(birth), std::nullopt, ""}, src);
      if (!in) return std::unexpected(in.error());
      if (medical_insurance) {
        auto m = eligibility::record_medical_insurance_gained(
            c, clock, id, eligibility::MedicalInsuranceGain{"kyokai_kenpo", "01130012", Date(2000, 4, 1)}, src);
        if (!m) return std::unexpected(m.error());
      }
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  // An application of a new person (category 1) made today; returns its id.
  std::int64_t new_application(const std::string& person_id, const std::string& kind = "new", const std::string& place = "home",
                               std::optional<std::string> disease = std::nullopt) {
    auto a = applications->intake(
        certification::IntakeRequest{person_id, kind, clock.today(), place, "本人", disease, kind == "change" ? "状態の悪化" : ""},
        "staff1");
    EXPECT_TRUE(a) << (a ? "" : a.error().message);
    return a ? a->row.application_id : 0;
  }

  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << sql << ": " << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? (*rows)[0].i64(0) : -1;
  }
  std::string text(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows && !rows->empty()) << sql;
    return rows && !rows->empty() ? (*rows)[0].str(0) : std::string();
  }
  std::string application_no(std::int64_t id) {
    return text("SELECT application_no FROM certification_application WHERE application_id = $1", {id});
  }
  std::string status(std::int64_t id) { return text("SELECT status FROM certification_application WHERE application_id = $1", {id}); }

  // ---- requests ----

  certification::Requested<certification::AssessmentView> assess_by(std::int64_t app, const std::string& contractor = "C001") {
    auto r = workflow->request_assessment(app, {"contractor", contractor, "", std::nullopt}, "staff1");
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : certification::Requested<certification::AssessmentView>{};
  }
  certification::Requested<certification::OpinionView> opinion_of(std::int64_t app, bool first_visit = true) {
    auto r = workflow->request_opinion(app, {"M0001", "田中 医師", first_visit, std::nullopt}, "staff1");
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : certification::Requested<certification::OpinionView>{};
  }

  // The dispatcher sends what is queued over the simulator channels (which take it and answer nothing).
  linkage::DispatchReport dispatch() {
    linkage::Dispatcher dispatcher(handlers);
    auto report = dispatcher.run_once(*db, channels, clock);
    EXPECT_TRUE(report) << (report ? "" : report.error().message);
    return report ? *report : linkage::DispatchReport{};
  }

  // ---- what shinsa sends ----

  json items(const std::string& value = "1") {
    json out = json::object();
    for (const auto& i : config->assessment_items) out[i.code] = value;
    return out;
  }
  json result(const std::string& request_no, std::int64_t app, const std::string& minutes = "45.3", bool cognitive = false,
              bool unstable = false) {
    return {{"request_no", request_no},
            {"application_no", application_no(app)},
            {"assessed_on", clock.today().iso()},
            {"assessor_name", "佐藤 一郎"},
            {"items", items()},
            {"special_notes", "居室内は伝い歩き。"},
            {"standard_minutes", minutes},
            {"cognitive_decline", cognitive},
            {"unstable_condition", unstable},
            {"dementia_independence", cognitive ? "IIb" : "I"},
            {"bedridden_independence", "A1"}};
  }
  static json results_doc(std::vector<json> results) {
    return {{"format", "kaigo.shinsa.assessment_results/1"}, {"results", std::move(results)}};
  }
  json opinion(const std::string& request_no, std::int64_t app, std::optional<std::string> disease = std::nullopt) {
    return {{"request_no", request_no},
            {"application_no", application_no(app)},
            {"written_on", clock.today().iso()},
            {"institution_code", "M0001"},
            {"doctor_name", "田中 医師"},
            {"diagnoses", {"脳梗塞後遺症"}},
            {"specified_disease", disease ? json(*disease) : json(nullptr)},
            {"dementia_independence", "I"},
            {"bedridden_independence", "A1"},
            {"remarks", "右片麻痺あり"}};
  }
  static json opinions_doc(std::vector<json> opinions) {
    return {{"format", "kaigo.shinsa.opinions/1"}, {"opinions", std::move(opinions)}};
  }

  linkage::InboundResult receive(const std::string& flow, const json& doc, const std::string& in_reply_to = "") {
    linkage::InboundMessage m{flow, "shinsa", doc.dump(), "application/json", std::nullopt, in_reply_to, {},
                              "document from shinsa", "channel:simulator:shinsa"};
    auto r = linkage::receive_inbound(*db, clock, m, handlers.at(flow));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : linkage::InboundResult{};
  }

  // An application with its assessment (minutes, flags) and opinion in: ready, first stage computed.
  void make_ready(std::int64_t app, const std::string& minutes = "45.3", bool cognitive = false, bool unstable = false,
                  bool first_visit = true) {
    auto a = assess_by(app);
    auto o = opinion_of(app, first_visit);
    ASSERT_EQ(receive("NT-08", results_doc({result(a.view.request_no, app, minutes, cognitive, unstable)})).outcome,
              linkage::InboundOutcome::applied);
    ASSERT_EQ(receive("NT-10", opinions_doc({opinion(o.view.request_no, app)})).outcome, linkage::InboundOutcome::applied);
    ASSERT_EQ(status(app), "ready");
  }

  // A planned session of three members (M01 chair) held on `held_on`, with `cases`.
  std::int64_t session(Date held_on, const std::vector<std::int64_t>& cases) {
    auto s = committee->create_session({"第1合議体", held_on, {{"M01", "chair"}, {"M02", "member"}, {"M06", "member"}}}, "staff1");
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    if (!s) return 0;
    if (!cases.empty()) {
      auto added = committee->add_cases(s->session_id, cases, "staff1");
      EXPECT_TRUE(added) << (added ? "" : added.error().message);
    }
    return s->session_id;
  }
  std::string session_no(std::int64_t id) { return text("SELECT session_no FROM committee_session WHERE session_id = $1", {id}); }
  std::string nt11_correlation(std::int64_t id) {
    return text("SELECT e.correlation_id FROM committee_session s JOIN exchange e ON e.exchange_id = s.request_exchange_id "
                "WHERE s.session_id = $1",
                {id});
  }
  json decided(std::int64_t app, const std::string& level, json months, const std::string& remarks = "") {
    return {{"application_no", application_no(app)}, {"outcome", "decided"}, {"care_level", level},
            {"validity_months", months}, {"remarks", remarks}, {"change_reason", ""}};
  }
  json deferred(std::int64_t app) {
    return {{"application_no", application_no(app)}, {"outcome", "deferred"}, {"care_level", nullptr},
            {"validity_months", nullptr}, {"remarks", "再審査"}, {"change_reason", ""}};
  }
  json decisions_doc(std::int64_t session_id, std::vector<json> decisions, json attended = json{"M01", "M02", "M06"}) {
    return {{"format", "kaigo.shinsa.decisions/1"},
            {"session_no", session_no(session_id)},
            {"held_on", text("SELECT held_on FROM committee_session WHERE session_id = $1", {session_id})},
            {"attended", attended},
            {"decisions", std::move(decisions)}};
  }

  // Sends the session's NT-11 (requested, dispatched) and takes the committee's decisions in.
  linkage::InboundResult decide(std::int64_t session_id, std::vector<json> decisions, json attended = json{"M01", "M02", "M06"}) {
    if (text("SELECT status FROM committee_session WHERE session_id = $1", {session_id}) == "planned") {
      auto r = committee->request(session_id, "staff1");
      EXPECT_TRUE(r) << (r ? "" : r.error().message);
      dispatch();
    }
    return receive("NT-12", decisions_doc(session_id, std::move(decisions), std::move(attended)), nt11_correlation(session_id));
  }

  std::int64_t fee_yen(const std::string& key, Date on) {
    auto version = config->rules.on(on);
    EXPECT_TRUE(version);
    auto f = certification::fee(**version, key);
    EXPECT_TRUE(f) << key;
    return f ? f->yen : -1;
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 11, 2));
  std::unique_ptr<certification::CertificationConfig> config;
  std::unique_ptr<certification::ApplicationService> applications;
  std::unique_ptr<certification::WorkflowService> workflow;
  std::unique_ptr<certification::CommitteeService> committee;
  linkage::InboundHandlers handlers;
  linkage::ChannelSet channels;
};

}  // namespace kaigo::testing
