#include "server/eligibility_labels.hpp"

#include "core/tsv.hpp"

namespace kaigo::server {

using namespace eligibility;

std::string_view label(AcquisitionReason r) {
  switch (r) {
    case AcquisitionReason::reaching_65: return "65歳到達";
    case AcquisitionReason::reaching_40_with_medical_insurance: return "40歳到達";
    case AcquisitionReason::move_in: return "転入";
    case AcquisitionReason::medical_insurance_gained: return "医療保険加入";
    case AcquisitionReason::left_exempt_facility: return "適用除外施設退所";
    case AcquisitionReason::former_address_rule_ended: return "住所地特例終了";
    case AcquisitionReason::category_change: return "第1号到達 (第2号から)";
  }
  return "";
}

std::string_view label(LossReason r) {
  switch (r) {
    case LossReason::move_out_domestic: return "転出";
    case LossReason::emigration: return "国外転出";
    case LossReason::death: return "死亡";
    case LossReason::medical_insurance_lost: return "医療保険喪失";
    case LossReason::entered_exempt_facility: return "適用除外施設入所";
    case LossReason::former_address_rule_elsewhere: return "住所地特例 (他市町村の被保険者)";
    case LossReason::former_address_rule_ended: return "住所地特例終了";
    case LossReason::category_change: return "第1号到達";
  }
  return "";
}

std::string_view label(AddressFactKind k) {
  switch (k) {
    case AddressFactKind::move_in: return "転入";
    case AddressFactKind::move_out: return "転出";
    case AddressFactKind::emigration: return "国外転出";
    case AddressFactKind::death: return "死亡";
  }
  return "";
}

std::string_view label(FacilityKind k) {
  switch (k) {
    case FacilityKind::special_nursing_home: return "介護老人福祉施設 (特養)";
    case FacilityKind::geriatric_health_facility: return "介護老人保健施設";
    case FacilityKind::integrated_care_hospital: return "介護医療院";
    case FacilityKind::paid_nursing_home: return "有料老人ホーム";
    case FacilityKind::serviced_housing_counting_as_paid_home: return "サービス付き高齢者向け住宅 (有料老人ホーム該当)";
    case FacilityKind::serviced_housing_other: return "サービス付き高齢者向け住宅 (非該当)";
    case FacilityKind::low_cost_home: return "軽費老人ホーム";
    case FacilityKind::protective_home: return "養護老人ホーム";
    case FacilityKind::community_special_nursing_home: return "地域密着型介護老人福祉施設";
    case FacilityKind::community_specified_facility: return "地域密着型特定施設";
    case FacilityKind::dementia_group_home: return "認知症対応型共同生活介護";
  }
  return "";
}

std::string_view label(FormerAddressDirection d) {
  return d == FormerAddressDirection::ours_living_elsewhere ? "他市町村に住む当市の被保険者" : "当市に住む他市町村の被保険者";
}

namespace {

const std::map<std::string_view, std::string_view>& card_reasons() {
  static const std::map<std::string_view, std::string_view> m{{"new", "新規交付"},
                                                              {"turning_65", "65歳到達"},
                                                              {"reissue_lost", "再交付 (紛失)"},
                                                              {"reissue_damaged", "再交付 (破損・汚損)"},
                                                              {"reissue_change", "再交付 (記載事項変更)"},
                                                              {"certification", "認定結果 (NT-13)"}};
  return m;
}

const std::map<std::string_view, std::string_view>& insurer_kinds() {
  static const std::map<std::string_view, std::string_view> m{{"kokuho", "国民健康保険"},
                                                              {"kyokai_kenpo", "全国健康保険協会"},
                                                              {"kumiai", "健康保険組合"},
                                                              {"kyosai", "共済組合"},
                                                              {"koki", "後期高齢者医療"}};
  return m;
}

}  // namespace

std::string_view card_reason_label(std::string_view code) {
  auto it = card_reasons().find(code);
  return it == card_reasons().end() ? std::string_view{} : it->second;
}

bool is_card_reason(std::string_view code) { return card_reasons().contains(code); }

std::string_view insurer_kind_label(std::string_view code) {
  auto it = insurer_kinds().find(code);
  return it == insurer_kinds().end() ? std::string_view{} : it->second;
}

Result<std::map<std::string, std::string>> load_exempt_facility_kinds(const std::string& config_dir) {
  const std::string path = config_dir + "/codes/exempt_facility_kinds.tsv";
  auto table = read_tsv(path, {"code", "label", "source"});
  if (!table) return std::unexpected(table.error());
  std::map<std::string, std::string> out;
  for (const auto& [line, fields] : table->rows) {
    const std::string code = table->cell(fields, "code"), text = table->cell(fields, "label");
    if (code.empty() || text.empty()) return tsv_error(path, line, "code", "code and label are required");
    if (!out.emplace(code, text).second) return tsv_error(path, line, "code", "the code appears twice");
  }
  if (out.empty()) return fail(ErrorKind::invalid_input, path + " lists no facility kinds", "exempt_facility_kinds");
  return out;
}

nlohmann::json eligibility_code_lists(const std::map<std::string, std::string>& exempt_facility_kinds) {
  using nlohmann::json;
  auto pair = [](std::string_view code, std::string_view text) { return json{{"code", code}, {"label", text}}; };
  json fact_kinds = json::array(), facilities = json::array(), exempt = json::array(), acquisitions = json::array(),
       losses = json::array(), cards = json::array(), insurers = json::array();
  for (auto k : {AddressFactKind::move_in, AddressFactKind::move_out, AddressFactKind::emigration, AddressFactKind::death})
    fact_kinds.push_back(pair(to_code(k), label(k)));
  for (auto k : {FacilityKind::special_nursing_home, FacilityKind::geriatric_health_facility, FacilityKind::integrated_care_hospital,
                 FacilityKind::paid_nursing_home, FacilityKind::serviced_housing_counting_as_paid_home,
                 FacilityKind::serviced_housing_other, FacilityKind::low_cost_home, FacilityKind::protective_home,
                 FacilityKind::community_special_nursing_home, FacilityKind::community_specified_facility,
                 FacilityKind::dementia_group_home}) {
    json f = pair(to_code(k), label(k));
    f["former_address_rule"] = former_address_rule_applies(k, true);
    facilities.push_back(f);
  }
  for (const auto& [code, text] : exempt_facility_kinds) exempt.push_back(pair(code, text));
  for (auto r : {AcquisitionReason::reaching_65, AcquisitionReason::reaching_40_with_medical_insurance, AcquisitionReason::move_in,
                 AcquisitionReason::medical_insurance_gained, AcquisitionReason::left_exempt_facility,
                 AcquisitionReason::former_address_rule_ended, AcquisitionReason::category_change})
    acquisitions.push_back(pair(to_code(r), label(r)));
  for (auto r : {LossReason::move_out_domestic, LossReason::emigration, LossReason::death, LossReason::medical_insurance_lost,
                 LossReason::entered_exempt_facility, LossReason::former_address_rule_elsewhere,
                 LossReason::former_address_rule_ended, LossReason::category_change})
    losses.push_back(pair(to_code(r), label(r)));
  for (const auto& [code, text] : card_reasons()) cards.push_back(pair(code, text));
  for (const auto& [code, text] : insurer_kinds()) insurers.push_back(pair(code, text));
  return {{"address_fact_kinds", fact_kinds}, {"facility_kinds", facilities},   {"exempt_facility_kinds", exempt},
          {"acquisition_reasons", acquisitions}, {"loss_reasons", losses},      {"card_reasons", cards},
          {"insurer_kinds", insurers}};
}

}  // namespace kaigo::server
