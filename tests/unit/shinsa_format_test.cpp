// The shinsa documents (docs/shinsa-layout.md) read and written purely: every fault a document can
// carry on its own is refused naming its JSON path, and the outbound documents carry the fields
// the counterparts read.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "certification/shinsa_format.hpp"

namespace kaigo::certification::shinsa {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const CertificationConfig& config() {
  static const CertificationConfig c = [] {
    auto loaded = CertificationConfig::load(fs::path(__FILE__).parent_path().parent_path().parent_path() / "config");
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(*loaded);
  }();
  return c;
}

json all_items(const std::string& value = "1") {
  json items = json::object();
  for (const auto& i : config().assessment_items) items[i.code] = value;
  return items;
}

json result() {
  return {{"request_no", "C2026000123-1"},   {"application_no", "A2026000123"},  {"assessed_on", "2026-11-10"},
          {"assessor_name", "佐藤 一郎"},     {"items", all_items()},             {"special_notes", "特記なし"},
          {"standard_minutes", "45.3"},       {"cognitive_decline", true},        {"unstable_condition", false},
          {"dementia_independence", "IIa"},   {"bedridden_independence", "A1"}};
}

json results_doc(std::vector<json> results) {
  return {{"format", "kaigo.shinsa.assessment_results/1"}, {"results", results}};
}

// The error of parsing `doc`, which must be refused.
Error refused_assessment(const json& doc) {
  auto r = parse_assessment_results(doc.dump(), config());
  EXPECT_FALSE(r) << doc.dump();
  return r ? Error{} : r.error();
}

TEST(ShinsaFormat, MinutesAreOneDecimalTenths) {
  struct Row {
    const char* text;
    std::optional<std::int64_t> tenths;
  };
  const Row rows[] = {{"45.3", 453}, {"0.0", 0}, {"24.9", 249}, {"110.0", 1100}, {"9.5", 95},
                      {"45", std::nullopt}, {"45.30", std::nullopt}, {"-1.0", std::nullopt}, {".5", std::nullopt},
                      {"4e1", std::nullopt}, {"045.3", std::nullopt}, {"45,3", std::nullopt}, {"", std::nullopt},
                      {"1234567.0", std::nullopt}};
  for (const auto& r : rows) EXPECT_EQ(parse_minutes(r.text), r.tenths) << r.text;
  EXPECT_EQ(minutes_text(453), "45.3");
  EXPECT_EQ(minutes_text(1100), "110.0");
  EXPECT_EQ(minutes_text(5), "0.5");
}

TEST(ShinsaFormat, NT_08_AWholeResultIsRead) {
  auto r = parse_assessment_results(results_doc({result()}).dump(), config());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const auto& a = r->front();
  EXPECT_EQ(a.request_no, "C2026000123-1");
  EXPECT_EQ(a.assessed_on, Date(2026, 11, 10));
  EXPECT_EQ(a.items.size(), 74u);
  EXPECT_EQ(a.standard_tenths, 453);
  EXPECT_TRUE(a.cognitive_decline);
  EXPECT_FALSE(a.unstable_condition);
  EXPECT_EQ(a.dementia_independence, "IIa");
  EXPECT_EQ(a.bedridden_independence, "A1");
}

TEST(ShinsaFormat, NT_08_EveryFaultNamesItsPath) {
  struct Case {
    const char* what;
    std::function<void(json&)> edit;  // on results[1] of a document of two
    std::string field;
  };
  const std::vector<Case> cases = {
      {"item missing", [](json& r) { r["items"].erase("1-1-3"); }, "results[1].items.1-1-3"},
      {"item unknown", [](json& r) { r["items"]["7-1"] = "1"; }, "results[1].items.7-1"},
      {"choice not allowed", [](json& r) { r["items"]["1-3"] = "4"; }, "results[1].items.1-3"},
      {"choice not a string", [](json& r) { r["items"]["1-3"] = 1; }, "results[1].items.1-3"},
      {"items not an object", [](json& r) { r["items"] = json::array(); }, "results[1].items"},
      {"minutes without decimal", [](json& r) { r["standard_minutes"] = "45"; }, "results[1].standard_minutes"},
      {"minutes negative", [](json& r) { r["standard_minutes"] = "-3.0"; }, "results[1].standard_minutes"},
      {"minutes a number", [](json& r) { r["standard_minutes"] = 45.3; }, "results[1].standard_minutes"},
      {"flag not boolean", [](json& r) { r["cognitive_decline"] = "yes"; }, "results[1].cognitive_decline"},
      {"flag missing", [](json& r) { r.erase("unstable_condition"); }, "results[1].unstable_condition"},
      {"dementia level unknown", [](json& r) { r["dementia_independence"] = "V"; }, "results[1].dementia_independence"},
      {"bedridden level unknown", [](json& r) { r["bedridden_independence"] = "D1"; }, "results[1].bedridden_independence"},
      {"date not real", [](json& r) { r["assessed_on"] = "2026-02-30"; }, "results[1].assessed_on"},
      {"request_no missing", [](json& r) { r.erase("request_no"); }, "results[1].request_no"},
      {"request_no twice", [](json& r) { r["request_no"] = "C2026000123-1"; }, "results[1].request_no"},
      {"application_no empty", [](json& r) { r["application_no"] = ""; }, "results[1].application_no"},
  };
  for (const auto& c : cases) {
    json second = result();
    second["request_no"] = "C2026000124-1";
    c.edit(second);
    const Error e = refused_assessment(results_doc({result(), second}));
    EXPECT_EQ(e.kind, ErrorKind::invalid_input) << c.what;
    EXPECT_EQ(e.field, c.field) << c.what << ": " << e.message;
    EXPECT_EQ(e.message.rfind(c.field + ": ", 0), 0u) << c.what << ": " << e.message;
    EXPECT_EQ(e.message.find("佐藤"), std::string::npos) << "no personal data in the reason";
  }
}

TEST(ShinsaFormat, NT_08_TheDocumentItselfIsChecked) {
  EXPECT_EQ(refused_assessment(json::array()).field, "$");
  EXPECT_EQ(refused_assessment({{"format", "kaigo.shinsa.assessment_results/2"}, {"results", {result()}}}).field, "format");
  EXPECT_EQ(refused_assessment({{"results", {result()}}}).field, "format");
  EXPECT_EQ(refused_assessment(results_doc({})).field, "results");
  EXPECT_EQ(refused_assessment({{"format", "kaigo.shinsa.assessment_results/1"}, {"results", "x"}}).field, "results");
  EXPECT_FALSE(parse_assessment_results("{not json", config()));
}

json opinion() {
  return {{"request_no", "D2026000123-1"},  {"application_no", "A2026000123"}, {"written_on", "2026-11-12"},
          {"institution_code", "M0001"},    {"doctor_name", "田中 医師"},      {"diagnoses", {"脳梗塞後遺症"}},
          {"specified_disease", nullptr},   {"dementia_independence", "IIa"},  {"bedridden_independence", "A1"},
          {"remarks", "特になし"}};
}

TEST(ShinsaFormat, NT_10_OpinionsAreReadAndChecked) {
  json doc = {{"format", "kaigo.shinsa.opinions/1"}, {"opinions", {opinion()}}};
  auto ok = parse_opinions(doc.dump(), config());
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->front().institution_code, "M0001");
  EXPECT_FALSE(ok->front().specified_disease);
  const json content = json::parse(ok->front().content_json);
  EXPECT_EQ(content["diagnoses"][0], "脳梗塞後遺症");
  EXPECT_EQ(content["bedridden_independence"], "A1");

  struct Case {
    const char* what;
    std::function<void(json&)> edit;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"institution unknown", [](json& o) { o["institution_code"] = "M9999"; }, "opinions[0].institution_code"},
      {"disease unknown", [](json& o) { o["specified_disease"] = "99"; }, "opinions[0].specified_disease"},
      {"no diagnosis", [](json& o) { o["diagnoses"] = json::array(); }, "opinions[0].diagnoses"},
      {"empty diagnosis", [](json& o) { o["diagnoses"] = {""}; }, "opinions[0].diagnoses[0]"},
      {"written_on bad", [](json& o) { o["written_on"] = "2026-13-01"; }, "opinions[0].written_on"},
      {"doctor missing", [](json& o) { o.erase("doctor_name"); }, "opinions[0].doctor_name"},
      {"dementia unknown", [](json& o) { o["dementia_independence"] = "II"; }, "opinions[0].dementia_independence"},
  };
  for (const auto& c : cases) {
    json o = opinion();
    c.edit(o);
    auto r = parse_opinions(json{{"format", "kaigo.shinsa.opinions/1"}, {"opinions", {o}}}.dump(), config());
    ASSERT_FALSE(r) << c.what;
    EXPECT_EQ(r.error().field, c.field) << c.what << ": " << r.error().message;
  }
  json with_disease = opinion();
  with_disease["specified_disease"] = config().specified_diseases.front().code;
  auto d = parse_opinions(json{{"format", "kaigo.shinsa.opinions/1"}, {"opinions", {with_disease}}}.dump(), config());
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->front().specified_disease, config().specified_diseases.front().code);
}

json decisions_doc(std::vector<json> decisions) {
  return {{"format", "kaigo.shinsa.decisions/1"},
          {"session_no", "S20261120-1"},
          {"held_on", "2026-11-20"},
          {"attended", {"M01", "M02", "M03"}},
          {"decisions", decisions}};
}

json decided(const std::string& no, const std::string& level, json months) {
  return {{"application_no", no}, {"outcome", "decided"}, {"care_level", level}, {"validity_months", months},
          {"remarks", ""}, {"change_reason", ""}};
}

TEST(ShinsaFormat, NT_12_DecisionsAreRead) {
  json deferred = {{"application_no", "A3"}, {"outcome", "deferred"}, {"care_level", nullptr}, {"validity_months", nullptr},
                   {"remarks", "再審査"}};
  auto r = parse_decisions(decisions_doc({decided("A1", "care_1", 6), decided("A2", "none", nullptr), deferred}).dump());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->session_no, "S20261120-1");
  EXPECT_EQ(r->held_on, Date(2026, 11, 20));
  EXPECT_EQ(r->attended.size(), 3u);
  ASSERT_EQ(r->decisions.size(), 3u);
  EXPECT_EQ(r->decisions[0].level, CareLevel::care_1);
  EXPECT_EQ(r->decisions[0].validity_months, 6);
  EXPECT_EQ(r->decisions[1].level, CareLevel::none);
  EXPECT_FALSE(r->decisions[1].validity_months);
  EXPECT_TRUE(r->decisions[2].deferred);
  EXPECT_FALSE(r->decisions[2].level);
  EXPECT_EQ(r->decisions[2].remarks, "再審査");
}

TEST(ShinsaFormat, NT_12_EveryFaultNamesItsPath) {
  struct Case {
    const char* what;
    json doc;
    std::string field;
  };
  json deferred_with_level = {{"application_no", "A2"}, {"outcome", "deferred"}, {"care_level", "care_1"}};
  json bad_outcome = {{"application_no", "A2"}, {"outcome", "postponed"}};
  json no_level = decided("A2", "care_1", 6);
  no_level.erase("care_level");
  json no_attendance = decisions_doc({decided("A1", "care_1", 6)});
  no_attendance.erase("attended");
  json twice_attended = decisions_doc({decided("A1", "care_1", 6)});
  twice_attended["attended"] = {"M01", "M01"};
  json bad_held = decisions_doc({decided("A1", "care_1", 6)});
  bad_held["held_on"] = "20261120";
  const std::vector<Case> cases = {
      {"level unknown", decisions_doc({decided("A1", "care_1", 6), decided("A2", "care_6", 6)}), "decisions[1].care_level"},
      {"level missing", decisions_doc({decided("A1", "care_1", 6), no_level}), "decisions[1].care_level"},
      {"months missing", decisions_doc({decided("A1", "care_1", nullptr)}), "decisions[0].validity_months"},
      {"months not whole", decisions_doc({decided("A1", "care_1", 6.5)}), "decisions[0].validity_months"},
      {"months for none", decisions_doc({decided("A1", "none", 6)}), "decisions[0].validity_months"},
      {"deferred with a level", decisions_doc({decided("A1", "care_1", 6), deferred_with_level}), "decisions[1].care_level"},
      {"outcome unknown", decisions_doc({bad_outcome}), "decisions[0].outcome"},
      {"case twice", decisions_doc({decided("A1", "care_1", 6), decided("A1", "care_2", 6)}), "decisions[1].application_no"},
      {"no decisions", decisions_doc({}), "decisions"},
      {"attendance missing", no_attendance, "attended"},
      {"member twice", twice_attended, "attended[1]"},
      {"held_on not ISO", bad_held, "held_on"},
  };
  for (const auto& c : cases) {
    auto r = parse_decisions(c.doc.dump());
    ASSERT_FALSE(r) << c.what;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << c.what;
    EXPECT_EQ(r.error().field.rfind(c.field, 0), 0u) << c.what << ": " << r.error().field << " " << r.error().message;
  }
}

TEST(ShinsaFormat, NT_07_NT_09_NT_11_OutboundDocumentsCarryTheLayout) {
  PersonPart person{"山田 花子", "ヤマダ ハナコ", "1944-03-01", "2", "みどり市中央区本町1丁目1番1号", ""};
  const json a = json::parse(assessment_request_document(
      {"C2026000123-1", "A2026000123", "contractor", "C001", "", "home", "new", Date(2026, 11, 4), Date(2026, 11, 18), person}));
  EXPECT_EQ(a["format"], "kaigo.chosa.request/1");
  EXPECT_EQ(a["contractor_code"], "C001");
  EXPECT_EQ(a["assessor_kind"], "contractor");
  EXPECT_EQ(a["due_on"], "2026-11-18");
  EXPECT_EQ(a["person"]["name_kana"], "ヤマダ ハナコ");
  const json city = json::parse(assessment_request_document(
      {"C2026000123-2", "A2026000123", "city", std::nullopt, "市 調査員", "home", "new", Date(2026, 11, 4), Date(2026, 11, 18), person}));
  EXPECT_TRUE(city["contractor_code"].is_null());
  EXPECT_EQ(city["assessor_name"], "市 調査員");

  const json o = json::parse(opinion_request_document(
      {"D2026000123-1", "A2026000123", "M0001", "田中 医師", false, Date(2026, 11, 4), Date(2026, 11, 18), person}));
  EXPECT_EQ(o["format"], "kaigo.iryokikan.opinion_request/1");
  EXPECT_EQ(o["first_visit"], false);

  SessionRequestDoc s{"S20261120-1", "第1合議体", Date(2026, 11, 20), {{"M01", "大森 健一", "医師", "chair"}}, {}};
  s.cases.push_back({"A2026000123", ApplicationKind::new_application, CareLevel::care_1, 453, std::nullopt, {6, 3, 12},
                     std::nullopt, std::nullopt});
  s.cases.push_back({"A2026000124", ApplicationKind::renewal, CareLevel::care_2, 612, CareLevel::care_1, {12, 3, 36},
                     ValidityRange{12, 3, 48}, ValidityRange{12, 3, 36}});
  const json doc = json::parse(session_request_document(s));
  EXPECT_EQ(doc["format"], "kaigo.shinsa.session_request/1");
  EXPECT_EQ(doc["members"][0]["role"], "chair");
  EXPECT_EQ(doc["cases"][0]["standard_minutes"], "45.3");
  EXPECT_EQ(doc["cases"][0]["validity_max_months"], 12);
  EXPECT_TRUE(doc["cases"][0]["previous_level"].is_null());
  EXPECT_TRUE(doc["cases"][0]["validity_same_level"].is_null());
  EXPECT_EQ(doc["cases"][1]["previous_level"], "care_1");
  EXPECT_EQ(doc["cases"][1]["validity_same_level"]["max_months"], 48);
  EXPECT_EQ(doc["cases"][1]["validity_other_level"]["max_months"], 36);
}

}  // namespace
}  // namespace kaigo::certification::shinsa
