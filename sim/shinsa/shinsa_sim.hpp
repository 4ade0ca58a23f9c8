#pragma once
// The city's committee-support system (本市認定審査会支援システム, counterpart shinsa), the
// assessment contractors (認定調査 委託事業者, chosa) and the doctors (医療機関, iryokikan) as one
// simulator, speaking docs/shinsa-layout.md (docs/simulator.md "shinsa"):
//  * NT-01 received by shinsa: the application remembered (person, kind, place, category, 特定疾病,
//    previous level); a withdrawal (withdrawn_on) drops its pending assessment and opinion;
//  * NT-07 received by chosa: the contractor visits after assessment_delay_days plus its own pace
//    (0…contractor_spread_days by contractor code) and a day either way; the result reaches kaigo
//    through shinsa as NT-08 (kaigo.shinsa.assessment_results/1). A second request for the same
//    application replaces the first (the contractor gave it back);
//  * NT-09 received by iryokikan: the doctor writes after opinion_delay_days (a day either way);
//    the opinion reaches kaigo through shinsa as NT-10 (kaigo.shinsa.opinions/1);
//  * NT-11 received by shinsa: the committee decides on held_on + decision_delay_days, posted as
//    NT-12 (kaigo.shinsa.decisions/1) answering the NT-11 (committee.hpp);
//  * advance(days) lives that many simulated days and posts every answer due by then: one NT-08
//    and one NT-10 document per day with any, one NT-12 per session. With kaigo's clock given,
//    nothing is dated after its today and no session is decided before its day (ShinsaOptions).
// Nothing is sent before advance(): requests only schedule work. Every answer is drawn from the
// seed and what it answers (need_model.hpp), so the same seed gives the same documents whatever
// order the requests arrived in. The same request delivered twice (at-least-once delivery) is
// taken once.
//
// State is in memory, like the other counterparts' simulators; after a restart resume_from(db)
// takes up again the requests kaigo sent before and still waits for (its outbox and the open
// requests' rows, read only), as the real counterparts would still have them on their desks.
//
// Thread-safety: the three channel handlers, advance() and take_folder_requests() share state
// under a mutex.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "certification/codes.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "linkage/simulator_channel.hpp"
#include "sim/shinsa/committee.hpp"
#include "sim/shinsa/need_model.hpp"
#include "sim/shinsa/requests.hpp"
#include "store/database.hpp"

namespace kaigo::sim::shinsa {

struct ShinsaOptions {
  Date start{2026, 4, 1};              // the first simulated day (serve passes today)
  int assessment_delay_days = 7;       // request → visit
  int contractor_spread_days = 4;      // each contractor's own pace: 0…this many days more
  int opinion_delay_days = 10;         // request → opinion written
  int decision_delay_days = 0;         // held_on → decision sent
  int variation_percent = 10;          // second stage one level off the first
  int deferred_percent = 2;            // 再審査
  int absence_percent = 5;             // a member missing a sitting
  std::vector<NeedBand> need_bands = default_need_bands();
  // kaigo's clock (serve passes its own; null: simulated days only). kaigo refuses work dated
  // after its today and a decision before the session's day, as no real counterpart can send
  // them, so with a clock no visit or opinion is dated after its today (a demo's fast-forward
  // compresses the counterparts' days into today) and a session is decided only once its today
  // has reached held_on.
  const Clock* clock = nullptr;
};

// invalid_input naming the option at fault (delays 0…365, percents 0…100, the band model).
Result<void> check_options(const ShinsaOptions& options);

struct AdvanceSummary {
  Date from, to;  // the simulated days lived, inclusive
  int assessments = 0;
  int opinions = 0;
  int sessions = 0;
  int sessions_waiting = 0;  // due but held_on not reached by kaigo's today yet
  int documents = 0;
  // "shinsa: 3 assessment results, 2 opinions, 1 session decided" (", 1 session not held yet")
  std::string text() const;
};

// One document the simulator sent (kept for tests and the demo).
struct SentDocument {
  std::string name;      // NT-08_20261110.json, NT-12_S20261120-1.json
  std::string flow_id;
  std::string payload;
  std::string in_reply_to;
};

class ShinsaSim {
 public:
  // Registers handlers on the three simulator channels (any may be null: folder mode). `config`
  // gives the 74 items and the 特定疾病 names; it must outlive the simulator.
  static Result<std::unique_ptr<ShinsaSim>> create(const certification::CertificationConfig& config,
                                                   linkage::SimulatorChannel* shinsa, linkage::SimulatorChannel* chosa,
                                                   linkage::SimulatorChannel* iryokikan, std::uint64_t seed,
                                                   ShinsaOptions options = {});
  ~ShinsaSim();
  ShinsaSim(const ShinsaSim&) = delete;
  ShinsaSim& operator=(const ShinsaSim&) = delete;

  // Folder mode: requests are read from each folder's out/ (take_folder_requests), documents are
  // written to the shinsa folder's in/ (atomically: tmp + rename).
  void write_to_folder(std::filesystem::path shinsa_dir, std::filesystem::path chosa_dir,
                       std::filesystem::path iryokikan_dir);
  // Takes every NT-01/NT-11 in shinsa's out/, NT-07 in chosa's, NT-09 in iryokikan's not taken yet
  // (name order); returns how many. A file the simulator cannot read is skipped and named in the error.
  Result<int> take_folder_requests();

  // The requests kaigo sent (exchange status sent) and still waits for, taken again as if
  // received now: the NT-01 of every open application, each NT-07/NT-09 whose assessment/opinion
  // is still requested, each NT-11 whose session is still requested. Returns how many requests.
  Result<int> resume_from(store::Database& db);

  // One message received by the counterpart `flow_id` is sent to (what the handlers call).
  // `correlation_id` is kaigo's 処理通番 (the NT-12 answers the NT-11's).
  Result<void> receive(const std::string& flow_id, const std::string& correlation_id, const std::string& payload);

  Result<AdvanceSummary> advance_days(int days);
  Result<std::string> advance(int days);  // the summary's text (the demo control's answer)
  Date today() const;                      // the next day advance() will live

  struct Pending {
    int applications = 0;  // known (NT-01)
    int assessments = 0;
    int opinions = 0;
    int sessions = 0;
  };
  Pending pending() const;
  std::vector<SentDocument> sent() const;  // oldest first

 private:
  struct Assessment {
    AssessmentRequestDoc request;
    Date due;
  };
  struct Opinion {
    OpinionRequestDoc request;
    Date due;
  };
  struct Session {
    SessionRequestDoc request;
    std::string correlation_id;
    Date due;
  };

  ShinsaSim(const certification::CertificationConfig& config, std::uint64_t seed, ShinsaOptions options);
  Result<void> receive_locked(const std::string& flow_id, const std::string& correlation_id, const std::string& payload);
  Subject subject_of(const std::string& application_no, const PersonPart& person, const std::string& kind,
                     const std::string& place, Date fallback_on) const;
  Result<void> deliver(const std::string& name, const std::string& flow_id, const std::string& payload,
                       const std::string& in_reply_to);
  Result<void> live_one_day(Date day, AdvanceSummary& s);
  // The day a visit or opinion due on `due` is dated: `due`, or kaigo's today when that is earlier
  // (never before the request).
  Date dated(Date due, Date requested_on) const;

  const certification::CertificationConfig& config_;
  std::uint64_t seed_;
  ShinsaOptions options_;
  linkage::SimulatorChannel* shinsa_ = nullptr;
  std::vector<linkage::SimulatorChannel*> attached_;
  std::optional<std::filesystem::path> shinsa_dir_, chosa_dir_, iryokikan_dir_;

  mutable std::mutex mutex_;
  Date day_;
  std::map<std::string, ApplicationDoc> applications_;  // by application_no
  std::map<std::string, Assessment> assessments_;       // pending, by request_no
  std::map<std::string, Opinion> opinions_;             // pending, by request_no
  std::map<std::string, Session> sessions_;             // pending, by session_no
  std::set<std::string> seen_;                          // requests taken ("NT-07:<request_no>", …)
  std::set<std::string> taken_files_;                   // folder mode
  std::vector<SentDocument> sent_;
};

}  // namespace kaigo::sim::shinsa
