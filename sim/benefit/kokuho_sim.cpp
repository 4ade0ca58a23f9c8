// The 国保 system for 高額医療合算: see kokuho_sim.hpp.
#include "sim/benefit/kokuho_sim.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/hash.hpp"

namespace kaigo::sim::benefit {

using nlohmann::json;

namespace {

std::uint64_t mix(std::uint64_t seed, const std::string& s) {
  const std::string h = sha256_hex(fmt::format("{}:{}", seed, s));
  return std::stoull(h.substr(0, 12), nullptr, 16);
}

}  // namespace

KokuhoSim::KokuhoSim(store::Database& db, linkage::SimulatorChannel* channel, const kaigo::benefit::BenefitRules& rules,
                     const Clock& clock, std::uint64_t seed, KokuhoOptions options)
    : db_(db), channel_(channel), rules_(rules), clock_(clock), seed_(seed), options_(std::move(options)) {
  if (channel_ != nullptr)
    channel_->set_handler([this](const linkage::Exchange& e) -> Result<std::optional<linkage::InboundMessage>> {
      if (e.flow_id != "KY-22") return std::optional<linkage::InboundMessage>{};
      auto answer = answer_certificate(e.payload);
      if (!answer) return std::unexpected(answer.error());
      linkage::InboundMessage m;
      m.flow_id = "KY-23";
      m.counterpart = "kokuho";
      m.payload = *answer;
      m.purpose = "高額医療合算 計算結果";
      m.actor = "sim:kokuho";
      return std::optional<linkage::InboundMessage>{std::move(m)};
    });
}

void KokuhoSim::set_medical_total(const std::string& person_id, std::int64_t yen) {
  std::lock_guard lock(mutex_);
  medical_override_[person_id] = yen;
}

std::int64_t KokuhoSim::medical_total(const std::string& person_id) const {
  auto it = medical_override_.find(person_id);
  if (it != medical_override_.end()) return it->second;
  // A year of 医療 co-payments of an older person: 30,000 … 629,999 yen.
  return 30000 + static_cast<std::int64_t>(mix(seed_, person_id) % 600000);
}

Result<std::string> KokuhoSim::applications_for(Date period_from) {
  std::lock_guard lock(mutex_);
  const Date period_to(period_from.year() + 1, 7, 31);
  auto v = rules_.on(period_from);
  if (!v) return std::unexpected(v.error());
  const std::string from_m = fmt::format("{:04d}-08", period_from.year());
  const std::string to_m = fmt::format("{:04d}-07", period_from.year() + 1);
  json apps = json::array();
  auto done = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto rows = c.query(
        "SELECT r.person_id, n.insured_no, p.birth_date FROM benefit_record r JOIN person p ON p.person_id = r.person_id "
        "JOIN insured_number n ON n.person_id = r.person_id WHERE r.status = 'current' AND r.service_month BETWEEN $1 AND $2 "
        "GROUP BY r.person_id, n.insured_no, p.birth_date HAVING SUM(r.copayment) > 0 ORDER BY r.person_id",
        {from_m, to_m});
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) {
      if (static_cast<int>(apps.size()) >= options_.max_per_file) break;
      const std::string person = r.str(0);
      const std::string ref = fmt::format("K{}-{}", period_from.year(), person);
      if (applied_.contains(ref)) continue;
      const std::int64_t medical = medical_total(person);
      if (medical <= 0) continue;  // no medical costs: nothing to combine
      auto born = Date::parse(r.str(2));
      const bool over70 = born && period_to.age_of(*born) >= 70;
      const std::string band = over70 ? "70_plus" : "under_70";
      std::vector<std::string> classes;
      for (const auto& l : (*v)->combined_limits)
        if (l.age_band == band) classes.push_back(l.income_class);
      if (classes.empty()) continue;
      const std::string income_class =
          options_.income_class.empty() ? classes[mix(seed_ + 1, person) % classes.size()] : options_.income_class;
      const std::uint64_t h = mix(seed_ + 2, person);
      apps.push_back({{"kokuho_ref", ref},
                      {"insured_no", r.str(1)},
                      {"applied_on", clock_.today().iso()},
                      {"period_from", period_from.iso()},
                      {"period_to", period_to.iso()},
                      {"medical_insurer_no", options_.medical_insurer_no},
                      {"age_band", band},
                      {"income_class", income_class},
                      {"account",
                       {{"bank_code", "0179"},
                        {"branch_code", fmt::format("{:03d}", h % 1000)},
                        {"account_kind", "ordinary"},
                        {"account_no", fmt::format("{:07d}", (h / 1000) % 10000000)},
                        {"holder_kana", "ｺｸﾎ ｶﾞｯｻﾝ"}}}});
      applied_[ref] = Applied{band, income_class, medical, period_from};
    }
    return {};
  });
  if (!done) return std::unexpected(done.error());
  if (apps.empty()) return std::string();
  return json{{"format", "kaigo.kokuho.combined_application/1"}, {"applications", apps}}.dump();
}

Result<int> KokuhoSim::send_applications(Date period_from) {
  auto doc = applications_for(period_from);
  if (!doc) return std::unexpected(doc.error());
  if (doc->empty()) return 0;
  const int n = static_cast<int>(json::parse(*doc)["applications"].size());
  if (channel_ != nullptr) {
    linkage::InboundMessage m;
    m.flow_id = "KY-21";
    m.counterpart = "kokuho";
    m.payload = *doc;
    m.purpose = "高額医療合算 申請情報";
    m.actor = "sim:kokuho";
    channel_->post(std::move(m));
  }
  return n;
}

Result<std::string> KokuhoSim::advance(int days) {
  if (days < 1) return fail(ErrorKind::invalid_input, "days must be at least 1", "days");
  // The last whole period: the one whose 31 July is before today.
  const Date today = clock_.today();
  const int end_year = (today > Date(today.year(), 7, 31)) ? today.year() : today.year() - 1;
  auto n = send_applications(Date(end_year - 1, 8, 1));
  if (!n) return std::unexpected(n.error());
  return fmt::format("国保: {}日進めました。高額医療合算の申請 {}件を送りました。", days, *n);
}

Result<std::string> KokuhoSim::answer_certificate(const std::string& ky22_payload) {
  const json j = json::parse(ky22_payload, nullptr, false);
  if (j.is_discarded() || !j.contains("kokuho_ref") || !j.contains("care_total"))
    return fail(ErrorKind::invalid_input, "a KY-22 certificate without kokuho_ref and care_total", "kokuho_ref");
  std::lock_guard lock(mutex_);
  const std::string ref = j["kokuho_ref"].get<std::string>();
  auto it = applied_.find(ref);
  if (it == applied_.end()) return fail(ErrorKind::invalid_input, "a certificate for an application never sent", "kokuho_ref");
  const std::int64_t care = j["care_total"].get<std::int64_t>();
  auto v = rules_.on(it->second.period_from);
  if (!v) return std::unexpected(v.error());
  auto share = kaigo::benefit::combined_care_share(**v, it->second.age_band, it->second.income_class, it->second.medical, care);
  if (!share) return std::unexpected(share.error());
  json result = {{"kokuho_ref", ref},
                 {"medical_total", it->second.medical},
                 {"care_total", care},
                 {"excess", share->excess},
                 {"care_share", share->care_share}};
  return json{{"format", "kaigo.kokuho.combined_result/1"}, {"results", json::array({result})}}.dump();
}

}  // namespace kaigo::sim::benefit
