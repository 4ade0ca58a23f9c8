// The committee-support system / contractors / doctors simulator (sim/shinsa): the documents it
// writes follow docs/shinsa-layout.md (every item of config/codes/assessment_items.tsv with an
// allowed choice, one-decimal minutes, the flags, the 自立度 lists), the same seed gives the same
// documents whatever order requests arrive in, 1,000 simulated assessments reach every band of the
// first stage in plausible shares, the committee's variation, deferrals, validity and attendance
// stay within what kaigo allows, bad requests are refused naming the field, the folder mode, and
// end to end on SQLite and PostgreSQL through the dispatcher and the inbox.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "certification/application.hpp"
#include "certification/codes.hpp"
#include "certification/committee.hpp"
#include "certification/rules.hpp"
#include "certification/shinsa_format.hpp"
#include "certification/workflow.hpp"
#include "eligibility/register.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/simulator_channel.hpp"
#include "sim/shinsa/assessment_result.hpp"
#include "sim/shinsa/committee.hpp"
#include "sim/shinsa/need_model.hpp"
#include "sim/shinsa/shinsa_sim.hpp"
#include "test_db.hpp"

namespace kaigo::sim::shinsa {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const certification::CertificationConfig& config() {
  static const certification::CertificationConfig c = [] {
    auto loaded = certification::CertificationConfig::load(KAIGO_SOURCE_CONFIG_DIR);
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(*loaded);
  }();
  return c;
}

json person(const std::string& birth_date, const std::string& sex = "2") {
  return {{"name", "山田 花子"}, {"name_kana", "ヤマダ ハナコ"}, {"birth_date", birth_date}, {"sex", sex},
          {"address", "本市中央区1-2-3"}};
}

std::string application_doc(const std::string& no, const std::string& birth, const std::string& kind = "new",
                            const std::string& category = "1", const json& disease = nullptr,
                            const json& previous = nullptr) {
  return json{{"format", "kaigo.shinsa.application/1"},
              {"application_no", no},
              {"insured_no", "0000012345"},
              {"kind", kind},
              {"category", category},
              {"applied_on", "2026-11-02"},
              {"deadline_on", "2026-12-02"},
              {"place", "home"},
              {"specified_disease", disease},
              {"person", person(birth)},
              {"previous", previous}}
      .dump();
}

std::string assessment_request(const std::string& request_no, const std::string& application_no,
                               const std::string& birth, const std::string& contractor = "C001") {
  return json{{"format", "kaigo.chosa.request/1"}, {"request_no", request_no}, {"application_no", application_no},
              {"contractor_code", contractor},      {"assessor_name", ""},       {"place", "home"},
              {"kind", "new"},                       {"requested_on", "2026-11-04"}, {"due_on", "2026-11-18"},
              {"person", person(birth)}}
      .dump();
}

std::string opinion_request(const std::string& request_no, const std::string& application_no, const std::string& birth) {
  return json{{"format", "kaigo.iryokikan.opinion_request/1"},
              {"request_no", request_no},
              {"application_no", application_no},
              {"institution_code", "M0001"},
              {"doctor_name", "田中 一郎"},
              {"first_visit", true},
              {"requested_on", "2026-11-04"},
              {"due_on", "2026-11-18"},
              {"person", person(birth)}}
      .dump();
}

json session_case(const std::string& application_no, const std::string& level, const std::string& kind = "new",
                  int def = 6, int min = 3, int max = 12) {
  return {{"application_no", application_no}, {"kind", kind},
          {"first_stage_level", level},       {"standard_minutes", "45.3"},
          {"previous_level", nullptr},        {"validity_default_months", def},
          {"validity_min_months", min},       {"validity_max_months", max}};
}

json session_doc(const std::string& session_no, const std::string& held_on, const json& cases, int members = 5) {
  json m = json::array();
  for (int i = 1; i <= members; ++i)
    m.push_back({{"member_code", fmt::format("M{:02}", i)}, {"name", "委員"}, {"profession", "医師"},
                 {"role", i == 1 ? "chair" : "member"}});
  return {{"format", "kaigo.shinsa.session_request/1"}, {"session_no", session_no}, {"panel", "第1合議体"},
          {"held_on", held_on}, {"members", m}, {"cases", cases}};
}

ShinsaOptions options_from(Date start) {
  ShinsaOptions o;
  o.start = start;
  return o;
}

// The checks of docs/shinsa-layout.md on one NT-08 result.
void expect_valid_result(const json& r) {
  ASSERT_TRUE(r.is_object());
  for (const char* key : {"request_no", "application_no", "assessed_on", "assessor_name", "special_notes",
                          "standard_minutes", "dementia_independence", "bedridden_independence"})
    EXPECT_TRUE(r.contains(key) && r[key].is_string()) << key;
  EXPECT_TRUE(Date::parse(r["assessed_on"].get<std::string>()));
  EXPECT_FALSE(r["assessor_name"].get<std::string>().empty());
  EXPECT_FALSE(r["special_notes"].get<std::string>().empty());
  const std::string minutes = r["standard_minutes"];
  const auto dot = minutes.find('.');
  ASSERT_NE(dot, std::string::npos) << minutes;
  EXPECT_EQ(minutes.size() - dot, 2u) << minutes;  // one digit after the point
  EXPECT_TRUE(r["cognitive_decline"].is_boolean());
  EXPECT_TRUE(r["unstable_condition"].is_boolean());
  const auto& dl = dementia_levels();
  const auto& bl = bedridden_levels();
  EXPECT_NE(std::find(dl.begin(), dl.end(), r["dementia_independence"].get<std::string>()), dl.end());
  EXPECT_NE(std::find(bl.begin(), bl.end(), r["bedridden_independence"].get<std::string>()), bl.end());
  // 認知機能の低下 exactly when the 認知症自立度 is II or above.
  const std::string d = r["dementia_independence"];
  EXPECT_EQ(r["cognitive_decline"].get<bool>(), d != "自立" && d != "I") << d;
  const json& items = r["items"];
  ASSERT_TRUE(items.is_object());
  EXPECT_EQ(items.size(), config().assessment_items.size());
  EXPECT_EQ(config().assessment_items.size(), 74u);
  for (const auto& item : config().assessment_items) {
    ASSERT_TRUE(items.contains(item.code)) << item.code;
    const std::string v = items[item.code];
    EXPECT_NE(std::find(item.choices.begin(), item.choices.end(), v), item.choices.end()) << item.code << "=" << v;
  }
}

std::int64_t tenths_of(const std::string& minutes) {
  const auto dot = minutes.find('.');
  return std::stoll(minutes.substr(0, dot)) * 10 + std::stoll(minutes.substr(dot + 1));
}

// ---- documents and determinism -----------------------------------------------------------------

TEST(ShinsaSim, NT_08_NT_10_documents_follow_the_layout_and_come_after_the_delays) {
  linkage::SimulatorChannel shinsa("shinsa"), chosa("chosa"), iryokikan("iryokikan");
  auto sim = ShinsaSim::create(config(), &shinsa, &chosa, &iryokikan, 7, options_from(Date(2026, 11, 4)));
  ASSERT_TRUE(sim) << sim.error().message;
  ASSERT_TRUE((*sim)->receive("NT-01", "KG1", application_doc("A2026000001", "1941-05-06")));
  ASSERT_TRUE((*sim)->receive("NT-07", "KG2", assessment_request("C2026000001-1", "A2026000001", "1941-05-06")));
  ASSERT_TRUE((*sim)->receive("NT-09", "KG3", opinion_request("D2026000001-1", "A2026000001", "1941-05-06")));
  EXPECT_EQ((*sim)->pending().assessments, 1);
  EXPECT_EQ((*sim)->pending().opinions, 1);

  // The contractor's pace: 7 days + 0…4 for its code, a day either way → nothing before day 6.
  auto first = (*sim)->advance_days(5);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->assessments + first->opinions, 0);
  EXPECT_TRUE(shinsa.poll()->empty());
  auto rest = (*sim)->advance_days(20);
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_EQ(rest->assessments, 1);
  EXPECT_EQ(rest->opinions, 1);
  EXPECT_EQ(rest->documents, 2);
  EXPECT_EQ(rest->text(), "shinsa: 1 assessment result, 1 opinion, 0 sessions decided");

  auto posted = shinsa.poll();
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->size(), 2u);
  std::map<std::string, json> by_flow;
  for (const auto& env : *posted) {
    EXPECT_EQ(env.message.counterpart, "shinsa");
    EXPECT_EQ(env.message.content_type, "application/json");
    EXPECT_TRUE(env.message.in_reply_to.empty());  // the requests went to chosa / iryokikan, not shinsa
    by_flow[env.message.flow_id] = json::parse(env.message.payload);
  }
  // kaigo's own parser (the workflow's judge of the layout) takes both whole.
  auto parsed_results = certification::shinsa::parse_assessment_results(by_flow.at("NT-08").dump(), config());
  ASSERT_TRUE(parsed_results) << parsed_results.error().message;
  EXPECT_EQ(parsed_results->size(), 1u);
  auto parsed_opinions = certification::shinsa::parse_opinions(by_flow.at("NT-10").dump(), config());
  ASSERT_TRUE(parsed_opinions) << parsed_opinions.error().message;
  const json& nt08 = by_flow.at("NT-08");
  EXPECT_EQ(nt08["format"], "kaigo.shinsa.assessment_results/1");
  ASSERT_EQ(nt08["results"].size(), 1u);
  const json& r = nt08["results"][0];
  expect_valid_result(r);
  EXPECT_EQ(r["request_no"], "C2026000001-1");
  EXPECT_EQ(r["application_no"], "A2026000001");
  const Date assessed = *Date::parse(r["assessed_on"].get<std::string>());
  EXPECT_GE(Date(2026, 11, 4).days_until(assessed), 6);
  EXPECT_LE(Date(2026, 11, 4).days_until(assessed), 12);

  const json& nt10 = by_flow.at("NT-10");
  EXPECT_EQ(nt10["format"], "kaigo.shinsa.opinions/1");
  ASSERT_EQ(nt10["opinions"].size(), 1u);
  const json& o = nt10["opinions"][0];
  EXPECT_EQ(o["request_no"], "D2026000001-1");
  EXPECT_EQ(o["institution_code"], "M0001");
  EXPECT_EQ(o["doctor_name"], "田中 一郎");
  EXPECT_TRUE(o["specified_disease"].is_null());  // category 1
  EXPECT_TRUE(o["diagnoses"].is_array() && !o["diagnoses"].empty());
  const Date written = *Date::parse(o["written_on"].get<std::string>());
  EXPECT_GE(Date(2026, 11, 4).days_until(written), 9);
  EXPECT_LE(Date(2026, 11, 4).days_until(written), 11);
  EXPECT_EQ((*sim)->pending().assessments + (*sim)->pending().opinions, 0);
}

TEST(ShinsaSim, NT_10_category_2_opinion_names_the_applications_specified_disease) {
  linkage::SimulatorChannel shinsa("shinsa");
  auto sim = ShinsaSim::create(config(), &shinsa, nullptr, nullptr, 7, options_from(Date(2026, 11, 4)));
  ASSERT_TRUE(sim);
  ASSERT_TRUE((*sim)->receive("NT-01", "KG1", application_doc("A2026000002", "1966-02-03", "new", "2", "13")));
  ASSERT_TRUE((*sim)->receive("NT-09", "KG2", opinion_request("D2026000002-1", "A2026000002", "1966-02-03")));
  ASSERT_TRUE((*sim)->advance_days(15));
  const auto sent = (*sim)->sent();
  ASSERT_EQ(sent.size(), 1u);
  const json o = json::parse(sent[0].payload)["opinions"][0];
  EXPECT_EQ(o["specified_disease"], "13");
  const auto* disease = config().specified_disease("13");
  ASSERT_NE(disease, nullptr);
  EXPECT_EQ(o["diagnoses"][0], disease->name.substr(0, disease->name.find("（")));
}

TEST(ShinsaSim, same_seed_gives_the_same_documents_whatever_the_order_of_requests) {
  auto run = [](std::uint64_t seed, bool reversed) {
    linkage::SimulatorChannel shinsa("shinsa");
    auto sim = ShinsaSim::create(config(), &shinsa, nullptr, nullptr, seed, options_from(Date(2026, 11, 4)));
    EXPECT_TRUE(sim);
    std::vector<std::pair<std::string, std::string>> msgs;
    for (int i = 1; i <= 30; ++i) {
      const std::string app = fmt::format("A2026{:06}", i);
      const std::string birth = fmt::format("{}-0{}-1{}", 1930 + i, 1 + i % 9, i % 10);
      msgs.emplace_back("NT-01", application_doc(app, birth));
      msgs.emplace_back("NT-07", assessment_request(fmt::format("C2026{:06}-1", i), app, birth, fmt::format("C00{}", 1 + i % 6)));
      msgs.emplace_back("NT-09", opinion_request(fmt::format("D2026{:06}-1", i), app, birth));
    }
    if (reversed) {
      // NT-01 still first for each application, the applications in the other order.
      std::vector<std::pair<std::string, std::string>> r;
      for (int i = 29; i >= 0; --i) r.insert(r.end(), msgs.begin() + i * 3, msgs.begin() + i * 3 + 3);
      msgs = r;
    }
    for (const auto& [flow, payload] : msgs) EXPECT_TRUE((*sim)->receive(flow, "KG", payload));
    EXPECT_TRUE((*sim)->advance_days(30));
    std::vector<std::string> docs;
    for (const auto& d : (*sim)->sent()) {
      docs.push_back(d.name + "\n" + d.payload);
      if (d.flow_id == "NT-08") {
        auto parsed = certification::shinsa::parse_assessment_results(d.payload, config());
        EXPECT_TRUE(parsed) << parsed.error().message;
        for (const auto& r : json::parse(d.payload)["results"]) expect_valid_result(r);
      } else {
        auto parsed = certification::shinsa::parse_opinions(d.payload, config());
        EXPECT_TRUE(parsed) << parsed.error().message;
      }
    }
    return docs;
  };
  const auto a = run(42, false);
  const auto b = run(42, true);
  const auto c = run(43, false);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

// ---- the minutes model -------------------------------------------------------------------------

TEST(ShinsaSim, NT_08_one_thousand_assessments_reach_every_band_in_plausible_shares) {
  auto version = config().rules.on(Date(2026, 11, 4));
  ASSERT_TRUE(version) << version.error().message;
  const auto bands = default_need_bands();
  std::map<certification::CareLevel, int> levels;
  std::map<std::size_t, std::pair<int, int>> mobility_by_band;  // band → (sum of 2-2 移動 choice, count)
  for (int i = 0; i < 1000; ++i) {
    Subject s;
    s.key = fmt::format("A2026{:06}", i);
    s.on = Date(2026, 11, 2);
    s.birth_date = Date(1926 + i % 35, 1 + static_cast<unsigned>(i % 12), 1);  // aged 65 … 99
    s.kind = "new";
    const Need need = latent_need(2026, s, bands);
    ASSERT_LT(need.band, bands.size());
    ASSERT_GE(need.standard_tenths, bands[need.band].from_tenths);
    ASSERT_LT(need.standard_tenths, bands[need.band].to_tenths);
    const auto fs = certification::first_stage(**version, need.standard_tenths, need.cognitive_decline, need.unstable_condition);
    ++levels[fs.level];
    const auto items = assessment_items(2026, "C" + s.key, need, config().assessment_items);
    for (const auto& [code, value] : items)
      if (code == "2-2") {
        mobility_by_band[need.band].first += std::stoi(value);
        ++mobility_by_band[need.band].second;
      }
  }
  using certification::CareLevel;
  for (auto l : {CareLevel::none, CareLevel::support_1, CareLevel::support_2, CareLevel::care_1, CareLevel::care_2,
                 CareLevel::care_3, CareLevel::care_4, CareLevel::care_5})
    EXPECT_GT(levels[l], 0) << certification::to_code(l);
  // Roughly 15% 非該当/要支援1 and each level within a plausible range of the national shares.
  const int light = levels[CareLevel::none] + levels[CareLevel::support_1];
  EXPECT_GE(light, 90);
  EXPECT_LE(light, 250);
  EXPECT_GE(levels[CareLevel::care_1], 120);
  EXPECT_LE(levels[CareLevel::care_1], 300);
  EXPECT_GE(levels[CareLevel::care_5], 30);
  EXPECT_LE(levels[CareLevel::care_5], 150);
  // The items agree with the minutes: 移動 needs more help in every heavier band.
  double previous = 0;
  for (const auto& [band, sum_count] : mobility_by_band) {
    const double mean = static_cast<double>(sum_count.first) / sum_count.second;
    EXPECT_GT(mean, previous) << "band " << band;
    previous = mean;
  }
}

TEST(ShinsaSim, renewals_start_from_the_previous_level) {
  const auto bands = default_need_bands();
  int same_or_next = 0;
  for (int i = 0; i < 200; ++i) {
    Subject s;
    s.key = fmt::format("R{}", i);
    s.on = Date(2026, 11, 2);
    s.birth_date = Date(1940, 1, 1);
    s.kind = "renewal";
    s.previous_level = "care_3";
    const Need need = latent_need(9, s, bands);
    EXPECT_GE(need.band, 3u);
    EXPECT_LE(need.band, 5u);
    if (need.band == 4) ++same_or_next;
  }
  EXPECT_GT(same_or_next, 100);  // 65% stay in 要介護3's band
}

TEST(ShinsaSim, a_model_that_does_not_partition_the_minutes_is_refused_naming_the_band) {
  ShinsaOptions o;
  o.need_bands[2].from_tenths += 1;
  auto r = check_options(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "need_bands");
  EXPECT_NE(r.error().message.find("need_bands[2].from_tenths"), std::string::npos) << r.error().message;
  ShinsaOptions p;
  p.variation_percent = 101;
  ASSERT_FALSE(check_options(p));
  EXPECT_EQ(check_options(p).error().field, "variation_percent");
}

// ---- the committee -----------------------------------------------------------------------------

TEST(ShinsaSim, NT_12_committee_varies_one_level_defers_few_and_keeps_validity_in_range) {
  json cases = json::array();
  const std::vector<std::string> levels{"none", "support_1", "support_2", "care_1", "care_2", "care_3", "care_4", "care_5"};
  for (int i = 0; i < 2000; ++i)
    cases.push_back(i % 2 ? session_case(fmt::format("A{}", i), levels[static_cast<std::size_t>(i) % levels.size()])
                          : session_case(fmt::format("A{}", i), levels[static_cast<std::size_t>(i) % levels.size()],
                                         "renewal", 12, 3, 48));
  auto session = parse_session_request(session_doc("S20261120-1", "2026-11-20", cases, 5).dump());
  ASSERT_TRUE(session) << session.error().message;
  auto outcome = decide_session(11, *session, CommitteeOptions{});
  ASSERT_TRUE(outcome) << outcome.error().message;
  const json doc = json::parse(outcome->document.dump());
  auto parsed = certification::shinsa::parse_decisions(outcome->document.dump());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->decisions.size(), 2000u);
  EXPECT_EQ(doc["format"], "kaigo.shinsa.decisions/1");
  EXPECT_EQ(doc["session_no"], "S20261120-1");
  EXPECT_EQ(doc["held_on"], "2026-11-20");
  ASSERT_EQ(doc["decisions"].size(), 2000u);
  int changed = 0, deferred = 0, other_validity = 0;
  for (std::size_t i = 0; i < 2000; ++i) {
    const json& d = doc["decisions"][i];
    const json& c = cases[i];
    EXPECT_EQ(d["application_no"], c["application_no"]);
    if (d["outcome"] == "deferred") {
      ++deferred;
      EXPECT_TRUE(d["care_level"].is_null());
      continue;
    }
    ASSERT_EQ(d["outcome"], "decided");
    const auto first = std::find(levels.begin(), levels.end(), c["first_stage_level"].get<std::string>()) - levels.begin();
    const auto now = std::find(levels.begin(), levels.end(), d["care_level"].get<std::string>()) - levels.begin();
    ASSERT_LT(now, static_cast<long>(levels.size()));
    EXPECT_LE(std::abs(now - first), 1);
    if (now != first) {
      ++changed;
      EXPECT_FALSE(d["change_reason"].get<std::string>().empty());
    }
    if (d["care_level"] == "none") {
      EXPECT_TRUE(d["validity_months"].is_null());
      continue;
    }
    const int months = d["validity_months"];
    EXPECT_GE(months, c["validity_min_months"].get<int>());
    EXPECT_LE(months, c["validity_max_months"].get<int>());
    if (months != c["validity_default_months"].get<int>()) {
      ++other_validity;
      EXPECT_EQ(now, first);  // another validity only where the range is the case's own
    }
  }
  EXPECT_EQ(changed, outcome->changed);
  EXPECT_EQ(deferred, outcome->deferred);
  EXPECT_GT(changed, 120);  // ≈ 10% of 1,960
  EXPECT_LT(changed, 280);
  EXPECT_GT(deferred, 15);  // ≈ 2% of 2,000
  EXPECT_LT(deferred, 70);
  EXPECT_GT(other_validity, 100);
  // Attendance: the chair, and a majority.
  const json& attended = doc["attended"];
  EXPECT_EQ(attended[0], "M01");
  EXPECT_GE(attended.size(), 3u);
  EXPECT_LE(attended.size(), 5u);
}

TEST(ShinsaSim, NT_12_absences_never_break_the_quorum) {
  int absences = 0;
  for (int s = 0; s < 200; ++s) {
    auto session = parse_session_request(
        session_doc(fmt::format("S2026112{}-{}", s % 10, s), "2026-11-20", json::array({session_case("A1", "care_1")}), 5)
            .dump());
    ASSERT_TRUE(session);
    auto outcome = decide_session(3, *session, CommitteeOptions{10, 2, 30, 15});
    ASSERT_TRUE(outcome);
    const auto n = outcome->document["attended"].size();
    EXPECT_GE(n, 3u);
    EXPECT_EQ(outcome->document["attended"][0], "M01");
    absences += static_cast<int>(5 - n);
  }
  EXPECT_GT(absences, 50);
}

TEST(ShinsaSim, NT_11_is_answered_on_held_on_quoting_its_correlation_id) {
  linkage::SimulatorChannel shinsa("shinsa");
  auto sim = ShinsaSim::create(config(), &shinsa, nullptr, nullptr, 5, options_from(Date(2026, 11, 18)));
  ASSERT_TRUE(sim);
  linkage::Exchange e;
  e.flow_id = "NT-11";
  e.counterpart = "shinsa";
  e.correlation_id = "KG20261118-0000000042";
  e.payload = session_doc("S20261120-1", "2026-11-20", json::array({session_case("A2026000001", "care_2")})).dump();
  auto answer = shinsa.send(e);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_FALSE(*answer);  // nothing synchronous
  auto two = (*sim)->advance_days(2);  // 18th, 19th
  ASSERT_TRUE(two);
  EXPECT_EQ(two->sessions, 0);
  auto third = (*sim)->advance_days(1);  // the 20th: held
  ASSERT_TRUE(third);
  EXPECT_EQ(third->sessions, 1);
  EXPECT_NE(third->text().find("1 session decided"), std::string::npos);
  auto posted = shinsa.poll();
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->size(), 1u);
  EXPECT_EQ((*posted)[0].message.flow_id, "NT-12");
  EXPECT_EQ((*posted)[0].message.in_reply_to, "KG20261118-0000000042");
  const json d = json::parse((*posted)[0].message.payload);
  EXPECT_EQ(d["decisions"].size(), 1u);
  // The same NT-11 delivered again (at least once) is not decided twice.
  ASSERT_TRUE(shinsa.send(e));
  auto later = (*sim)->advance_days(5);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->sessions, 0);
}

// ---- bad requests, withdrawal, re-request ---------------------------------------------------------

TEST(ShinsaSim, bad_requests_are_refused_naming_the_field) {
  linkage::SimulatorChannel shinsa("shinsa"), chosa("chosa");
  auto sim = ShinsaSim::create(config(), &shinsa, &chosa, nullptr, 1, options_from(Date(2026, 11, 4)));
  ASSERT_TRUE(sim);
  json bad = json::parse(assessment_request("C1-1", "A1", "1940-01-01"));
  bad.erase("request_no");
  linkage::Exchange e;
  e.flow_id = "NT-07";
  e.counterpart = "chosa";
  e.payload = bad.dump();
  auto sent = chosa.send(e);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(sent.error().field, "request_no");

  bad = json::parse(assessment_request("C1-1", "A1", "1940-01-01"));
  bad["format"] = "kaigo.chosa.request/2";
  auto wrong_format = (*sim)->receive("NT-07", "KG", bad.dump());
  ASSERT_FALSE(wrong_format);
  EXPECT_EQ(wrong_format.error().field, "format");

  auto not_json = (*sim)->receive("NT-09", "KG", "{not json");
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.error().field, "$");

  json cases = json::array({session_case("A1", "care_1"), session_case("A2", "care_9")});
  auto unknown_level = (*sim)->receive("NT-11", "KG", session_doc("S1", "2026-11-20", cases).dump());
  ASSERT_FALSE(unknown_level);
  EXPECT_EQ(unknown_level.error().field, "cases[1].first_stage_level");

  json range = session_doc("S2", "2026-11-20", json::array({session_case("A1", "care_1", "new", 13, 3, 12)}));
  auto out_of_range = (*sim)->receive("NT-11", "KG", range.dump());
  ASSERT_FALSE(out_of_range);
  EXPECT_EQ(out_of_range.error().field, "cases[0].validity_default_months");
  const auto pending = (*sim)->pending();
  EXPECT_EQ(pending.assessments + pending.opinions + pending.sessions, 0);
  auto quiet = (*sim)->advance_days(30);  // nothing refused was kept
  ASSERT_TRUE(quiet);
  EXPECT_EQ(quiet->documents, 0);
}

TEST(ShinsaSim, a_withdrawal_cancels_the_visits_and_a_new_request_replaces_the_old) {
  linkage::SimulatorChannel shinsa("shinsa");
  auto sim = ShinsaSim::create(config(), &shinsa, nullptr, nullptr, 1, options_from(Date(2026, 11, 4)));
  ASSERT_TRUE(sim);
  ASSERT_TRUE((*sim)->receive("NT-01", "KG", application_doc("A1", "1940-01-01")));
  ASSERT_TRUE((*sim)->receive("NT-07", "KG", assessment_request("C1-1", "A1", "1940-01-01")));
  ASSERT_TRUE((*sim)->receive("NT-07", "KG", assessment_request("C1-2", "A1", "1940-01-01", "C002")));
  ASSERT_TRUE((*sim)->receive("NT-07", "KG", assessment_request("C1-2", "A1", "1940-01-01", "C002")));  // twice
  EXPECT_EQ((*sim)->pending().assessments, 1);
  ASSERT_TRUE((*sim)->receive("NT-01", "KG", application_doc("A2", "1938-01-01")));
  ASSERT_TRUE((*sim)->receive("NT-07", "KG", assessment_request("C2-1", "A2", "1938-01-01")));
  ASSERT_TRUE((*sim)->receive("NT-09", "KG", opinion_request("D2-1", "A2", "1938-01-01")));
  json withdrawn = json::parse(application_doc("A2", "1938-01-01"));
  withdrawn["withdrawn_on"] = "2026-11-05";
  withdrawn["withdraw_reason"] = "入院のため";
  ASSERT_TRUE((*sim)->receive("NT-01", "KG", withdrawn.dump()));
  EXPECT_EQ((*sim)->pending().assessments, 1);
  EXPECT_EQ((*sim)->pending().opinions, 0);
  auto s = (*sim)->advance_days(30);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->assessments, 1);
  const json doc = json::parse((*sim)->sent().at(0).payload);
  EXPECT_EQ(doc["results"][0]["request_no"], "C1-2");
}

// ---- folder mode -------------------------------------------------------------------------------

TEST(ShinsaSim, folder_mode_reads_out_and_writes_in) {
  const fs::path root = testing::scratch_dir("shinsa-folders");
  const fs::path shinsa = root / "shinsa", chosa = root / "chosa", iryokikan = root / "iryokikan";
  for (const auto& d : {shinsa, chosa, iryokikan}) fs::create_directories(d / "out");
  auto write = [](const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; };
  write(shinsa / "out" / "NT-01_KG20261104-0000000001.json", application_doc("A1", "1940-01-01"));
  write(chosa / "out" / "NT-07_KG20261104-0000000002.json", assessment_request("C1-1", "A1", "1940-01-01"));
  write(iryokikan / "out" / "NT-09_KG20261104-0000000003.json", opinion_request("D1-1", "A1", "1940-01-01"));
  write(shinsa / "out" / "NT-11_KG20261104-0000000004.json",
        session_doc("S20261105-1", "2026-11-05", json::array({session_case("A0", "care_2")})).dump());
  auto sim = ShinsaSim::create(config(), nullptr, nullptr, nullptr, 1, options_from(Date(2026, 11, 4)));
  ASSERT_TRUE(sim);
  (*sim)->write_to_folder(shinsa, chosa, iryokikan);
  auto s = (*sim)->advance_days(20);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->assessments, 1);
  EXPECT_EQ(s->opinions, 1);
  EXPECT_EQ(s->sessions, 1);
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(shinsa / "in")) names.insert(e.path().filename().string());
  ASSERT_EQ(names.size(), 3u);
  EXPECT_TRUE(names.contains("NT-12_S20261105-1_re-KG20261104-0000000004.json"));
  EXPECT_EQ(std::count_if(names.begin(), names.end(), [](const std::string& n) { return n.starts_with("NT-08_"); }), 1);
  EXPECT_EQ(std::count_if(names.begin(), names.end(), [](const std::string& n) { return n.starts_with("NT-10_"); }), 1);
  // Taken once: a second pass finds nothing new.
  auto again = (*sim)->take_folder_requests();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
}

// ---- end to end through the dispatcher and kaigo's workflow (SQLite and PostgreSQL) --------------

const Date kDay0 = Date(2026, 11, 2);

class ShinsaSimEndToEnd : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    for (const char* c : {"shinsa", "chosa", "iryokikan"}) {
      auto ch = std::make_shared<linkage::SimulatorChannel>(c);
      sims[c] = ch.get();
      channels.bind(c, ch);
    }
    ShinsaOptions o;
    o.start = kDay0;
    o.clock = &clock;
    auto made = ShinsaSim::create(config(), sims["shinsa"], sims["chosa"], sims["iryokikan"], 2026, o);
    ASSERT_TRUE(made) << made.error().message;
    sim = std::move(*made);
    dispatcher = std::make_unique<linkage::Dispatcher>(certification::certification_workflow_inbound_handlers(clock, config()));
  }

  // A resident aged 65+ since birth: insured (category 1).
  void person(const std::string& id, const std::string& birth) {
    auto r = db->transaction([&](store::Connection& c) -> Result<void> {
      if (auto e = c.exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                          "ward_code, household_id, relation, registry_status, updated_at) VALUES ($1, '試験 花子', "
                          "'シケン ハナコ', $2, '2', '1000001', 'みどり市中央区本町1丁目1番1号', '981', $3, '世帯主', "
                          "'resident', '2026-01-01T00:00:00+09:00')",
                          {id, birth, "H" + id});
          !e)
        return std::unexpected(e.error());
      const eligibility::ChangeSource src{"synthetic_city", std::nullopt, std::nullopt, "test", "fixture"};
      auto in = eligibility::record_address_fact(
          c, clock, id, eligibility::AddressFact{eligibility::AddressFactKind::move_in, *Date::parse(birth), std::nullopt, ""},
          src);
      if (!in) return std::unexpected(in.error());
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  linkage::DispatchReport dispatch() {
    auto r = dispatcher->run_once(*db, channels, clock);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : linkage::DispatchReport{};
  }

  void today(Date d) { clock.set(FixedClock::at(d).now()); }

  std::string text(const std::string& sql, const store::Params& params) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows && !rows->empty()) << sql;
    return rows && !rows->empty() ? (*rows)[0].str(0) : std::string();
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(kDay0);
  linkage::ChannelSet channels;
  std::map<std::string, linkage::SimulatorChannel*> sims;
  std::unique_ptr<ShinsaSim> sim;
  std::unique_ptr<linkage::Dispatcher> dispatcher;
};

TEST_P(ShinsaSimEndToEnd, NT_07_to_NT_12_simulated_counterparts_walk_an_application_to_its_decision) {
  person("1000000001", "1940-03-01");
  certification::ApplicationService applications(*db, clock, config(), nullptr);
  auto app = applications.intake(certification::IntakeRequest{"1000000001", "new", kDay0, "home", "本人", std::nullopt, ""},
                                 "staff1");
  ASSERT_TRUE(app) << app.error().message;
  const std::int64_t id = app->row.application_id;
  certification::WorkflowService workflow(*db, clock, config());
  auto assessment = workflow.request_assessment(id, {"contractor", std::string("C001"), "", std::nullopt}, "staff1");
  ASSERT_TRUE(assessment) << assessment.error().message;
  auto opinion = workflow.request_opinion(id, {"M0001", "田中 一郎", true, std::nullopt}, "staff1");
  ASSERT_TRUE(opinion) << opinion.error().message;

  // NT-01, NT-07, NT-09 out through the dispatcher: the counterparts have them.
  EXPECT_EQ(dispatch().sent, 3);
  EXPECT_EQ(sim->pending().applications, 1);
  EXPECT_EQ(sim->pending().assessments, 1);
  EXPECT_EQ(sim->pending().opinions, 1);

  // Two weeks pass: the visit and the opinion come back through shinsa.
  today(kDay0.add_days(14));
  auto lived = sim->advance_days(14);
  ASSERT_TRUE(lived) << lived.error().message;
  EXPECT_EQ(lived->assessments, 1);
  EXPECT_EQ(lived->opinions, 1);
  // Each document is one kaigo's own parser accepts.
  for (const auto& d : sim->sent()) {
    if (d.flow_id == "NT-08") {
      auto parsed = certification::shinsa::parse_assessment_results(d.payload, config());
      EXPECT_TRUE(parsed) << parsed.error().message;
    } else {
      auto parsed = certification::shinsa::parse_opinions(d.payload, config());
      EXPECT_TRUE(parsed) << parsed.error().message;
    }
  }
  const auto in = dispatch();
  EXPECT_EQ(in.applied, 2);
  EXPECT_EQ(in.rejected, 0);
  auto ready = applications.find(id);
  ASSERT_TRUE(ready && *ready);
  EXPECT_EQ((*ready)->row.status, "ready");
  ASSERT_TRUE((*ready)->first_stage);
  const json result = json::parse(sim->sent().at(0).flow_id == "NT-08" ? sim->sent()[0].payload : sim->sent()[1].payload);
  EXPECT_EQ((*ready)->first_stage->standard_tenths, tenths_of(result["results"][0]["standard_minutes"]));
  ASSERT_EQ((*ready)->assessments.size(), 1u);
  EXPECT_EQ((*ready)->assessments[0].assessed_on, result["results"][0]["assessed_on"].get<std::string>());

  // A session held in three days: the committee waits for its day, then decides (NT-11 → NT-12).
  certification::CommitteeService committee(*db, clock, config());
  std::vector<certification::SessionMemberInput> members;
  for (const auto& m : config().members)
    if (m.active && members.size() < 5) members.push_back({m.member_code, members.empty() ? "chair" : "member"});
  std::string level = "deferred";
  for (int round = 0; round < 3 && level == "deferred"; ++round) {
    const Date held = clock.today().add_days(3);
    auto session = committee.create_session({"第1合議体", held, members}, "staff1");
    ASSERT_TRUE(session) << session.error().message;
    ASSERT_TRUE(committee.add_cases(session->session_id, {id}, "staff1"));
    ASSERT_TRUE(committee.request(session->session_id, "staff1"));
    EXPECT_EQ(dispatch().sent, 1);
    EXPECT_EQ(sim->pending().sessions, 1);
    auto early = sim->advance_days(5);  // simulated days pass, kaigo's today is before held_on
    ASSERT_TRUE(early);
    EXPECT_EQ(early->sessions, 0);
    EXPECT_EQ(early->sessions_waiting, 1);
    EXPECT_NE(early->text().find("1 session not held yet"), std::string::npos) << early->text();
    today(held);
    auto decided = sim->advance_days(1);
    ASSERT_TRUE(decided);
    EXPECT_EQ(decided->sessions, 1);
    const SentDocument nt12 = sim->sent().back();
    ASSERT_EQ(nt12.flow_id, "NT-12");
    auto parsed = certification::shinsa::parse_decisions(nt12.payload);
    ASSERT_TRUE(parsed) << parsed.error().message;
    const auto back = dispatch();
    EXPECT_EQ(back.applied, 1);
    EXPECT_EQ(back.rejected, 0);
    auto view = committee.find(session->session_id);
    ASSERT_TRUE(view && *view);
    EXPECT_EQ((*view)->status, "decided");
    // The NT-12 answered the NT-11 (in_reply_to): the request is applied with its answer.
    EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {*(*view)->request_exchange_id}), "applied");
    const json doc = json::parse(nt12.payload);
    level = doc["decisions"][0]["outcome"] == "deferred" ? "deferred" : doc["decisions"][0]["care_level"].get<std::string>();
  }
  ASSERT_NE(level, "deferred");
  auto done = applications.find(id);
  ASSERT_TRUE(done && *done);
  EXPECT_EQ((*done)->row.status, "decided");
  ASSERT_TRUE((*done)->decision);
  EXPECT_EQ((*done)->decision->care_level, level);
  EXPECT_EQ(static_cast<bool>((*done)->certification), level != "none");
}

TEST_P(ShinsaSimEndToEnd, NT_08_with_a_clock_no_visit_is_dated_after_kaigos_today) {
  person("1000000002", "1938-07-07");
  certification::ApplicationService applications(*db, clock, config(), nullptr);
  auto app = applications.intake(certification::IntakeRequest{"1000000002", "new", kDay0, "home", "本人", std::nullopt, ""},
                                 "staff1");
  ASSERT_TRUE(app) << app.error().message;
  certification::WorkflowService workflow(*db, clock, config());
  ASSERT_TRUE(workflow.request_assessment(app->row.application_id, {"contractor", std::string("C002"), "", std::nullopt}, "staff1"));
  EXPECT_EQ(dispatch().sent, 2);
  // The demo's fast-forward: 30 simulated days while kaigo's today is still the request day.
  auto lived = sim->advance_days(30);
  ASSERT_TRUE(lived);
  EXPECT_EQ(lived->assessments, 1);
  const json doc = json::parse(sim->sent().at(0).payload);
  EXPECT_EQ(doc["results"][0]["assessed_on"], kDay0.iso());
  EXPECT_EQ(dispatch().applied, 1);
  auto a = applications.find(app->row.application_id);
  ASSERT_TRUE(a && *a);
  ASSERT_EQ((*a)->assessments.size(), 1u);
  EXPECT_EQ((*a)->assessments[0].status, "received");
}

TEST_P(ShinsaSimEndToEnd, NT_08_NT_10_a_restarted_simulator_takes_up_the_open_requests_again) {
  person("1000000003", "1942-01-15");
  person("1000000004", "1939-09-09");
  certification::ApplicationService applications(*db, clock, config(), nullptr);
  certification::WorkflowService workflow(*db, clock, config());
  std::vector<std::int64_t> ids;
  for (const char* p : {"1000000003", "1000000004"}) {
    auto app = applications.intake(certification::IntakeRequest{p, "new", kDay0, "home", "本人", std::nullopt, ""}, "staff1");
    ASSERT_TRUE(app) << app.error().message;
    ids.push_back(app->row.application_id);
    ASSERT_TRUE(workflow.request_assessment(app->row.application_id, {"contractor", std::string("C003"), "", std::nullopt}, "staff1"));
    ASSERT_TRUE(workflow.request_opinion(app->row.application_id, {"M0002", "青葉 次郎", true, std::nullopt}, "staff1"));
  }
  EXPECT_EQ(dispatch().sent, 6);
  // The first visit is done before the restart; the rest were still on the counterparts' desks.
  today(kDay0.add_days(14));
  auto first = sim->advance_days(14);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->assessments + first->opinions, 4);
  const auto in = dispatch();  // an NT-08 and an NT-10 document per day with any
  EXPECT_GE(in.applied, 2);
  EXPECT_EQ(in.rejected, 0);
  for (auto id : ids) {
    auto a = applications.find(id);
    ASSERT_TRUE(a && *a);
    EXPECT_EQ((*a)->row.status, "ready");
  }
  ASSERT_TRUE(workflow.request_assessment(ids[0], {"contractor", std::string("C004"), "", std::nullopt}, "staff1"));  // a re-assessment
  EXPECT_EQ(dispatch().sent, 1);

  sim.reset();  // the server stops; a new one starts with a fresh simulator
  ShinsaOptions o;
  o.start = clock.today();
  o.clock = &clock;
  auto made = ShinsaSim::create(config(), sims["shinsa"], sims["chosa"], sims["iryokikan"], 2026, o);
  ASSERT_TRUE(made);
  sim = std::move(*made);
  auto resumed = sim->resume_from(*db);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(*resumed, 3);  // both open applications' NT-01 and the new NT-07; nothing already answered
  EXPECT_EQ(sim->pending().applications, 2);
  EXPECT_EQ(sim->pending().assessments, 1);
  EXPECT_EQ(sim->pending().opinions, 0);
  today(clock.today().add_days(14));
  auto second = sim->advance_days(14);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->assessments, 1);
  const auto back = dispatch();
  EXPECT_EQ(back.applied, 1);
  EXPECT_EQ(back.rejected, 0);
  auto a = applications.find(ids[0]);
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->row.status, "ready");
}

INSTANTIATE_TEST_SUITE_P(Db, ShinsaSimEndToEnd, ::testing::ValuesIn(kaigo::testing::backends()), kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo::sim::shinsa
