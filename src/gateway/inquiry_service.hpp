#pragma once
// 情報照会 through the 中間サーバー: asynchronous inquiries with explicit states (docs/gateway.md).
//
//   queued ──send──▶ submitted ──poll──▶ pending / manual_pending ──poll──▶ provided | not_found | error
//     │  (unavailable: stays queued,         │ (back-off 30 s doubling, capped)
//     │   back-off)                          └─ deadline passed ──▶ timed_out
//     └─ refused at once (符号未取得 …) ──▶ error          any open state ──cancel──▶ cancelled
//   error | timed_out ──retry──▶ queued (a new request key and exchange)
//
// Every request document is an outbound exchange (linkage outbox: the kind's request flow and
// counterpart, purpose, persons), claimed by the gateway so the linkage dispatcher never sends it;
// every final answer is an inbound exchange (receive_inbound, the kind's answer flow, in_reply_to
// the request's 処理通番) whose apply step stores the answers, so the business change and the
// exchange record commit together. Rows are claimed with a lease (compare-and-set on
// next_poll_at), so several instances may call run_due at once without polling twice.
//
// Thread-safety: an InquiryService may be used from several threads; run_due callers in several
// processes share the work through the claims.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "gateway/codes.hpp"
#include "gateway/protocol.hpp"
#include "gateway/transport.hpp"
#include "store/database.hpp"

namespace kaigo::gateway {

struct GatewayOptions {
  int bulk_split = 1000;  // inquiries per submit document
  int poll_batch = 1000;  // processing numbers per poll document
  std::chrono::seconds first_poll{30};      // first poll after submission; back-off doubles from here
  std::chrono::seconds max_backoff{3600};
  std::chrono::seconds lease{300};          // a claim lasts this long (a killed caller's rows come back)
  std::chrono::seconds answer_deadline{7 * 86400};   // submitted/pending → timed_out after this
  std::chrono::seconds manual_deadline{30 * 86400};  // from the first manual_pending answer
};

enum class InquiryStatus { queued, submitted, pending, manual_pending, provided, not_found, error, timed_out, cancelled };
const char* to_string(InquiryStatus s);
Result<InquiryStatus> parse_inquiry_status(std::string_view s);
bool is_final(InquiryStatus s);

struct InquiryRequestSpec {
  std::string kind;              // config/codes/inquiry_kinds.tsv
  std::string person_id;         // 統合宛名番号
  Date period_from;
  Date period_to;
  std::string purpose;           // why (情報提供等記録)
  std::string flow_id;           // the kind's request flow used; empty: the kind's first
  std::string institution_code;  // 照会先; empty: the kind's default
};

struct Inquiry {
  std::int64_t inquiry_id = 0;
  std::string request_key;
  std::string kind;
  std::string flow_id;
  std::string person_id;
  std::string jimu_code;
  std::string procedure_code;
  std::string item_code;
  std::string institution_code;
  std::string period_from;
  std::string period_to;
  std::string processing_no;
  InquiryStatus status = InquiryStatus::queued;
  std::string answer;  // JSON {"items":…,"null_reasons":…} when provided
  std::string error_code;
  std::string error_message;
  std::string cancel_reason;
  std::int64_t attempts = 0;
  std::optional<std::int64_t> next_poll_at;
  std::optional<std::int64_t> deadline_at;
  std::optional<std::int64_t> bulk_id;
  std::int64_t exchange_id = 0;
  std::string created_by;
  std::string purpose;
  std::string created_at;
  std::string updated_at;
  std::string answered_at;
};

struct InquiryFilter {
  std::optional<InquiryStatus> status;
  std::string kind;
  std::string person_id;
  int limit = 100;
};

struct BulkReceipt {
  std::int64_t bulk_id = 0;
  std::int64_t count = 0;
  std::int64_t documents = 0;  // submit documents made
  std::int64_t submitted = 0;  // accepted by the 中間サーバー now
  std::int64_t refused = 0;    // refused at once (error)
  std::int64_t queued = 0;     // left queued (transport unavailable)
};

struct RunReport {
  std::int64_t sent = 0;            // inquiries submitted now
  std::int64_t send_failed = 0;     // left queued (unavailable or malformed reply)
  std::int64_t polled = 0;          // processing numbers asked
  std::int64_t still_open = 0;      // pending / manual_pending after the poll
  std::int64_t provided = 0;
  std::int64_t not_found = 0;
  std::int64_t errors = 0;          // error answers (incl. refused at submission)
  std::int64_t timed_out = 0;
  std::int64_t poll_failed = 0;     // left for a later poll (transport unavailable)
  std::int64_t malformed = 0;       // replies rejected as malformed
};

class InquiryService {
 public:
  InquiryService(store::Database& db, Transport& transport, const CodeBook& codes, const Clock& clock,
                 GatewayOptions options = {});

  // Validates the spec against the code tables in effect today, stores the inquiry `queued`
  // with its outbound exchange (committed), then sends it. Returns the inquiry as it is after
  // sending: submitted, error (refused at once) or still queued (transport unavailable).
  // Errors: invalid_input (unknown kind, flow, institution, code not in effect, bad period).
  Result<Inquiry> submit(const InquiryRequestSpec& spec, const std::string& actor);

  // Many people, one kind: stored and sent in documents of at most bulk_split inquiries each
  // (one transaction and one outbound exchange per document). flow_id: the kind's request flow
  // used (e.g. FK-09 of pref_public_assistance); empty: the kind's first.
  Result<BulkReceipt> submit_bulk(const std::string& kind, const std::vector<std::string>& person_ids, Date period_from,
                                  Date period_to, const std::string& purpose, const std::string& actor,
                                  const std::string& flow_id = {});

  // One pass: time-outs, then queued inquiries sent, then due ones polled in batches.
  Result<RunReport> run_due(const Clock& clock);

  // Cancels an open inquiry (at the 中間サーバー first when it has a processing number).
  // Errors: not_found; conflict when it is final or the 中間サーバー has answered already.
  Result<Inquiry> cancel(std::int64_t inquiry_id, const std::string& reason, const std::string& actor);
  // Sends an error / timed_out inquiry again with a new request key and exchange. conflict otherwise.
  Result<Inquiry> retry(std::int64_t inquiry_id, const std::string& actor);

  Result<std::optional<Inquiry>> find(std::int64_t inquiry_id);
  Result<std::vector<Inquiry>> list(const InquiryFilter& filter);
  Result<std::vector<Inquiry>> for_person(const std::string& person_id);

 private:
  Result<void> send_documents(std::vector<Inquiry> rows, const Clock& clock, std::int64_t lease_value,
                              RunReport& report);
  Result<void> poll_batch(std::vector<Inquiry> rows, const Clock& clock, std::int64_t lease_value, RunReport& report);
  Result<void> apply_final(const std::vector<std::pair<Inquiry, Answer>>& answers, const Clock& clock,
                           std::int64_t lease_value, RunReport& report);

  store::Database& db_;
  Transport& transport_;
  const CodeBook& codes_;
  const Clock& clock_;
  GatewayOptions options_;
};

}  // namespace kaigo::gateway
