#pragma once
// The city's 国保 system (counterpart kokuho) for 高額医療合算 (docs/simulator.md, docs/benefit.md
// §KY-21…23):
//  * its ledger of medical co-payments is simulated: a person's medical total for a period is drawn
//    from the seed and the person (or set by set_medical_total);
//  * send_applications(period_from) / advance(days) (demo control "kokuho"): one KY-21 document
//    with an application for every person with care co-payments in the last whole period
//    (1 August – 31 July before today) and a medical total, not applied for yet (at most
//    max_per_file);
//  * answers each KY-22 自己負担額証明書 at once with a KY-23 result computed by the rule
//    (combined_care_share of the period's rules version).
//
// Thread-safety: the channel handler and advance() share state under a mutex.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "benefit/rules.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "linkage/simulator_channel.hpp"
#include "store/database.hpp"

namespace kaigo::sim::benefit {

struct KokuhoOptions {
  std::string medical_insurer_no = "00149802";  // the city's 国保 (8 digits: 法別番号 + 保険者番号)
  int max_per_file = 50;
  std::string income_class;  // "" → drawn per person among its age band's classes; else this one
};

class KokuhoSim {
 public:
  // Registers its handler on `channel`; `rules`, the database and the clock outlive it.
  KokuhoSim(store::Database& db, linkage::SimulatorChannel* channel, const kaigo::benefit::BenefitRules& rules,
            const Clock& clock, std::uint64_t seed, KokuhoOptions options = {});

  void set_medical_total(const std::string& person_id, std::int64_t yen);
  // The KY-21 document for the period starting `period_from` ("" when nobody is to apply).
  Result<std::string> applications_for(Date period_from);
  // Builds it and posts it on the channel; returns how many applications it holds.
  Result<int> send_applications(Date period_from);
  Result<std::string> advance(int days);
  // KY-22 → KY-23 (what the handler answers).
  Result<std::string> answer_certificate(const std::string& ky22_payload);

 private:
  std::int64_t medical_total(const std::string& person_id) const;

  struct Applied {
    std::string age_band, income_class;
    std::int64_t medical = 0;
    Date period_from;
  };
  store::Database& db_;
  linkage::SimulatorChannel* channel_;
  const kaigo::benefit::BenefitRules& rules_;
  const Clock& clock_;
  std::uint64_t seed_;
  KokuhoOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> medical_override_;
  std::map<std::string, Applied> applied_;  // by kokuho_ref
};

}  // namespace kaigo::sim::benefit
