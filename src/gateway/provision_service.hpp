#pragma once
// 副本 (copies the city provides through the 中間サーバー): a versioned backlog in provision_copy,
// staged by the business services and registered in batches (docs/gateway.md).
// Data sets: eligibility (built here from what exists now), former_address_rule, recipient,
// copayment_rate, benefits (staged by their business issues through stage_copies).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "gateway/transport.hpp"
#include "store/database.hpp"

namespace kaigo::gateway {

bool is_data_set(const std::string& data_set);

struct StagedCopy {
  std::string person_id;
  std::string version;  // e.g. the timestamp of the change plus "#<sequence>"
  nlohmann::json items = nlohmann::json::object();
  nlohmann::json null_reasons = nlohmann::json::object();  // item → why it has no value (該当なし, …)
};

// Adds copies to the backlog as `pending` on the caller's connection (inside its transaction),
// in multi-row statements. A (data_set, person, version) already staged is skipped. Returns the
// number newly staged. Errors: invalid_input for an unknown data set or an empty person/version.
Result<std::int64_t> stage_copies(store::Connection& c, const Clock& clock, const std::string& data_set,
                                  const std::vector<StagedCopy>& rows);

// Stages the eligibility copy of every insured person (insured_number + person): insured_no,
// acquired_on (= assigned_on), category "1"; items the eligibility issue will fill carry null
// reasons. One transaction per 10,000 people. Returns the number newly staged.
Result<std::int64_t> stage_eligibility(store::Database& db, const Clock& clock, const std::string& version);

struct RegisterReport {
  std::int64_t sends = 0;
  std::int64_t registered = 0;  // copies marked registered
  std::int64_t remaining = 0;   // still pending afterwards
  std::string stopped;          // why it stopped early (transport error), empty otherwise
};

// Sends the pending backlog in batches of at most cap_per_send copies, at most max_sends
// batches, each batch marked registered in its own transaction after the 中間サーバー accepted
// it — so an interrupted flush resumes where it stopped. A failed batch gets attempts + 1 and
// goes behind the others (the backlog never stalls on one bad batch); the flush stops there.
Result<RegisterReport> register_pending(store::Database& db, Transport& transport, const Clock& clock,
                                        int cap_per_send, int max_sends);

}  // namespace kaigo::gateway
