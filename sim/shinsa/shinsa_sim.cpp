// The committee-support system, contractors and doctors simulator (see shinsa_sim.hpp).
#include "sim/shinsa/shinsa_sim.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "linkage/exchange_store.hpp"
#include "sim/shinsa/assessment_result.hpp"
#include "sim/shinsa/opinion.hpp"

namespace kaigo::sim::shinsa {

namespace {

constexpr int kMaxDelayDays = 365;

Result<void> check_range(int value, int lo, int hi, const char* field) {
  if (value < lo || value > hi) return fail(ErrorKind::invalid_input, fmt::format("{} must be {}..{}", field, lo, hi), field);
  return {};
}

std::string plural(int n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); }

Date later(Date a, Date b) { return a < b ? b : a; }

}  // namespace

Result<void> check_options(const ShinsaOptions& o) {
  for (auto r : {check_range(o.assessment_delay_days, 0, kMaxDelayDays, "assessment_delay_days"),
                 check_range(o.contractor_spread_days, 0, 60, "contractor_spread_days"),
                 check_range(o.opinion_delay_days, 0, kMaxDelayDays, "opinion_delay_days"),
                 check_range(o.decision_delay_days, 0, kMaxDelayDays, "decision_delay_days"),
                 check_range(o.variation_percent, 0, 100, "variation_percent"),
                 check_range(o.deferred_percent, 0, 100, "deferred_percent"),
                 check_range(o.absence_percent, 0, 100, "absence_percent")})
    if (!r) return r;
  if (auto problem = need_bands_problem(o.need_bands)) return fail(ErrorKind::invalid_input, *problem, "need_bands");
  return {};
}

std::string AdvanceSummary::text() const {
  const std::string waiting =
      sessions_waiting ? fmt::format(", {} not held yet", plural(sessions_waiting, "session", "sessions")) : "";
  // No dates: with kaigo's clock the simulated days run ahead of the dates staff see.
  return fmt::format("shinsa: {}, {}, {}{}", plural(assessments, "assessment result", "assessment results"),
                     plural(opinions, "opinion", "opinions"), plural(sessions, "session decided", "sessions decided"),
                     waiting);
}

Result<std::unique_ptr<ShinsaSim>> ShinsaSim::create(const certification::CertificationConfig& config,
                                                     linkage::SimulatorChannel* shinsa, linkage::SimulatorChannel* chosa,
                                                     linkage::SimulatorChannel* iryokikan, std::uint64_t seed,
                                                     ShinsaOptions options) {
  if (auto c = check_options(options); !c) return std::unexpected(c.error());
  if (config.assessment_items.empty())
    return fail(ErrorKind::invalid_input, "the certification config has no assessment items", "assessment_items");
  std::unique_ptr<ShinsaSim> sim(new ShinsaSim(config, seed, std::move(options)));
  sim->shinsa_ = shinsa;
  ShinsaSim* self = sim.get();
  auto handler = [self](const linkage::Exchange& e) -> Result<std::optional<linkage::InboundMessage>> {
    // Answers come later (advance), posted to the shinsa channel: nothing synchronous.
    if (auto r = self->receive(e.flow_id, e.correlation_id, e.payload); !r) return std::unexpected(r.error());
    return std::optional<linkage::InboundMessage>{};
  };
  for (auto* channel : {shinsa, chosa, iryokikan}) {
    if (!channel) continue;
    channel->set_handler(handler);
    sim->attached_.push_back(channel);
  }
  return sim;
}

ShinsaSim::ShinsaSim(const certification::CertificationConfig& config, std::uint64_t seed, ShinsaOptions options)
    : config_(config), seed_(seed), options_(std::move(options)), day_(options_.start) {}

ShinsaSim::~ShinsaSim() {
  for (auto* channel : attached_) channel->set_handler(nullptr);
}

void ShinsaSim::write_to_folder(std::filesystem::path shinsa_dir, std::filesystem::path chosa_dir,
                                std::filesystem::path iryokikan_dir) {
  std::lock_guard lock(mutex_);
  shinsa_dir_ = std::move(shinsa_dir);
  chosa_dir_ = std::move(chosa_dir);
  iryokikan_dir_ = std::move(iryokikan_dir);
}

Date ShinsaSim::today() const {
  std::lock_guard lock(mutex_);
  return day_;
}

ShinsaSim::Pending ShinsaSim::pending() const {
  std::lock_guard lock(mutex_);
  return Pending{static_cast<int>(applications_.size()), static_cast<int>(assessments_.size()),
                 static_cast<int>(opinions_.size()), static_cast<int>(sessions_.size())};
}

std::vector<SentDocument> ShinsaSim::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

Result<void> ShinsaSim::receive(const std::string& flow_id, const std::string& correlation_id, const std::string& payload) {
  std::lock_guard lock(mutex_);
  return receive_locked(flow_id, correlation_id, payload);
}

Result<void> ShinsaSim::receive_locked(const std::string& flow_id, const std::string& correlation_id,
                                       const std::string& payload) {
  if (flow_id == "NT-01") {
    auto doc = parse_application(payload);
    if (!doc) return std::unexpected(doc.error());
    if (doc->withdrawn_on) {
      // 取下げ: the contractor and the doctor are told not to come.
      std::erase_if(assessments_, [&](const auto& kv) { return kv.second.request.application_no == doc->application_no; });
      std::erase_if(opinions_, [&](const auto& kv) { return kv.second.request.application_no == doc->application_no; });
    }
    applications_[doc->application_no] = std::move(*doc);
    return {};
  }
  if (flow_id == "NT-07") {
    auto doc = parse_assessment_request(payload);
    if (!doc) return std::unexpected(doc.error());
    if (!seen_.insert("NT-07:" + doc->request_no).second) return {};  // delivered twice
    // A new request for the application replaces an open one (kaigo cancelled it).
    std::erase_if(assessments_, [&](const auto& kv) { return kv.second.request.application_no == doc->application_no; });
    // Each contractor has its own pace (a steady offset by its code) and each visit a day's play.
    const int pace = static_cast<int>(
        stream(seed_, "contractor", doc->contractor_code).below(static_cast<std::uint64_t>(options_.contractor_spread_days) + 1));
    const int play = static_cast<int>(stream(seed_, "visit", doc->request_no).between(-1, 1));
    const int delay = std::max(0, options_.assessment_delay_days + pace + play);
    const Date due = later(day_, doc->requested_on).add_days(delay);
    const std::string request_no = doc->request_no;
    assessments_.emplace(request_no, Assessment{std::move(*doc), due});
    return {};
  }
  if (flow_id == "NT-09") {
    auto doc = parse_opinion_request(payload);
    if (!doc) return std::unexpected(doc.error());
    if (!seen_.insert("NT-09:" + doc->request_no).second) return {};
    std::erase_if(opinions_, [&](const auto& kv) { return kv.second.request.application_no == doc->application_no; });
    const int play = static_cast<int>(stream(seed_, "write", doc->request_no).between(-1, 1));
    const int delay = std::max(0, options_.opinion_delay_days + play);
    const Date due = later(day_, doc->requested_on).add_days(delay);
    const std::string request_no = doc->request_no;
    opinions_.emplace(request_no, Opinion{std::move(*doc), due});
    return {};
  }
  if (flow_id == "NT-11") {
    auto doc = parse_session_request(payload);
    if (!doc) return std::unexpected(doc.error());
    if (auto c = check_session(*doc); !c) return c;
    if (!seen_.insert("NT-11:" + doc->session_no).second) return {};
    const Date due = doc->held_on.add_days(options_.decision_delay_days);
    const std::string session_no = doc->session_no;
    sessions_.emplace(session_no, Session{std::move(*doc), correlation_id, due});
    return {};
  }
  // Other flows to these counterparts carry nothing the simulator acts on.
  return {};
}

Result<int> ShinsaSim::resume_from(store::Database& db) {
  // Oldest first, NT-01 before the requests that follow it (tables of migration 014).
  static constexpr const char* kOpen[] = {
      "SELECT e.flow_id, e.correlation_id, e.payload, e.payload_packed FROM certification_application a JOIN exchange e ON "
      "e.exchange_id = a.handed_exchange_id WHERE a.status NOT IN ('decided', 'notified', 'withdrawn') AND e.status = "
      "'sent' ORDER BY a.application_id",
      "SELECT e.flow_id, e.correlation_id, e.payload, e.payload_packed FROM home_assessment h JOIN exchange e ON e.exchange_id = "
      "h.request_exchange_id WHERE h.status = 'requested' AND e.status = 'sent' ORDER BY h.assessment_id",
      "SELECT e.flow_id, e.correlation_id, e.payload, e.payload_packed FROM physician_opinion o JOIN exchange e ON e.exchange_id = "
      "o.request_exchange_id WHERE o.status = 'requested' AND e.status = 'sent' ORDER BY o.opinion_id",
      "SELECT e.flow_id, e.correlation_id, e.payload, e.payload_packed FROM committee_session s JOIN exchange e ON e.exchange_id = "
      "s.request_exchange_id WHERE s.status = 'requested' AND e.status IN ('sent', 'answered') ORDER BY s.session_id",
  };
  std::vector<std::array<std::string, 3>> requests;
  auto read = db.with_connection([&](store::Connection& c) -> Result<void> {
    for (const char* sql : kOpen) {
      auto r = c.query_each(sql, {}, [&](const store::Row& row) {
        auto payload = linkage::payload_at(row, 2);
        if (!payload) {
          spdlog::warn("shinsa simulator: a stored request does not unpack: {}", payload.error().message);
          return true;
        }
        requests.push_back({row.str(0), row.str(1), std::move(*payload)});
        return true;
      });
      if (!r) return r;
    }
    return {};
  });
  if (!read) return std::unexpected(read.error());
  std::lock_guard lock(mutex_);
  int taken = 0;
  for (const auto& [flow, correlation, payload] : requests) {
    // A request the simulator cannot read was refused when it was sent; it is skipped again.
    if (receive_locked(flow, correlation, payload)) ++taken;
  }
  return taken;
}

Subject ShinsaSim::subject_of(const std::string& application_no, const PersonPart& person, const std::string& kind,
                              const std::string& place, Date fallback_on) const {
  Subject s;
  s.key = application_no;
  s.birth_date = person.birth_date;
  s.sex = person.sex.empty() ? "2" : person.sex;
  s.on = fallback_on;
  s.kind = kind;
  s.place = place.empty() ? "home" : place;
  if (auto it = applications_.find(application_no); it != applications_.end()) {
    const ApplicationDoc& a = it->second;
    s.on = a.applied_on;
    s.kind = a.kind;
    s.category = a.category;
    s.place = a.place;
    s.previous_level = a.previous_level;
    s.specified_disease = a.specified_disease;
    if (a.person.birth_date) s.birth_date = a.person.birth_date;
  } else if (s.birth_date && fallback_on.age_of(*s.birth_date) < 65) {
    s.category = "2";  // no NT-01 seen (e.g. a restarted simulator): the age says it
  }
  return s;
}

Result<void> ShinsaSim::deliver(const std::string& name, const std::string& flow_id, const std::string& payload,
                                const std::string& in_reply_to) {
  if (shinsa_dir_) {
    namespace fs = std::filesystem;
    const fs::path in = *shinsa_dir_ / "in";
    std::error_code ec;
    fs::create_directories(in, ec);
    const fs::path tmp = in / (".tmp-" + name);
    {
      std::ofstream f(tmp, std::ios::binary);
      f << payload;
      if (!f) return fail(ErrorKind::unavailable, fmt::format("cannot write {}", tmp.string()));
    }
    fs::rename(tmp, in / name, ec);
    if (ec) return fail(ErrorKind::unavailable, fmt::format("cannot rename into {}", in.string()));
  } else if (shinsa_) {
    linkage::InboundMessage m;
    m.flow_id = flow_id;
    m.counterpart = "shinsa";
    m.payload = payload;
    m.content_type = "application/json";
    m.in_reply_to = in_reply_to;
    m.purpose = fmt::format("file {} from shinsa", name);  // the words the folder channel uses
    m.actor = "simulator:shinsa";
    shinsa_->post(std::move(m));
  } else {
    return fail(ErrorKind::unavailable, "the shinsa simulator has neither a channel nor a folder");
  }
  sent_.push_back(SentDocument{name, flow_id, payload, in_reply_to});
  return {};
}

Date ShinsaSim::dated(Date due, Date requested_on) const {
  if (!options_.clock) return due;
  const Date today = options_.clock->today();
  if (due <= today) return due;
  return today < requested_on ? requested_on : today;
}

Result<void> ShinsaSim::live_one_day(Date day, AdvanceSummary& s) {
  // NT-08: every visit due by today, in request order (the map's).
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (auto it = assessments_.begin(); it != assessments_.end();) {
    if (day < it->second.due) {
      ++it;
      continue;
    }
    const AssessmentRequestDoc& r = it->second.request;
    const Subject subject = subject_of(r.application_no, r.person, r.kind, r.place, r.requested_on);
    const Need need = latent_need(seed_, subject, options_.need_bands);
    AssessmentVisit visit{r.request_no, r.application_no, r.contractor_code, r.assessor_name, subject.place,
                          dated(it->second.due, r.requested_on)};
    results.push_back(assessment_result(seed_, visit, need, config_.assessment_items));
    it = assessments_.erase(it);
  }
  if (!results.empty()) {
    nlohmann::ordered_json doc;
    doc["format"] = "kaigo.shinsa.assessment_results/1";
    doc["results"] = results;
    if (auto d = deliver(fmt::format("NT-08_{}.json", day.compact()), "NT-08", doc.dump(), ""); !d) return d;
    s.assessments += static_cast<int>(results.size());
    ++s.documents;
  }

  // NT-10: every opinion due by today.
  nlohmann::ordered_json opinions = nlohmann::ordered_json::array();
  for (auto it = opinions_.begin(); it != opinions_.end();) {
    if (day < it->second.due) {
      ++it;
      continue;
    }
    const OpinionRequestDoc& r = it->second.request;
    const Subject subject = subject_of(r.application_no, r.person, "", "", r.requested_on);
    const Need need = latent_need(seed_, subject, options_.need_bands);
    OpinionVisit visit{r.request_no, r.application_no, r.institution_code, r.doctor_name,
                       dated(it->second.due, r.requested_on)};
    opinions.push_back(opinion(seed_, visit, subject, need, config_.specified_diseases));
    it = opinions_.erase(it);
  }
  if (!opinions.empty()) {
    nlohmann::ordered_json doc;
    doc["format"] = "kaigo.shinsa.opinions/1";
    doc["opinions"] = opinions;
    if (auto d = deliver(fmt::format("NT-10_{}.json", day.compact()), "NT-10", doc.dump(), ""); !d) return d;
    s.opinions += static_cast<int>(opinions.size());
    ++s.documents;
  }

  // NT-12: every session whose decision day has come, one document each.
  const CommitteeOptions committee{options_.variation_percent, options_.deferred_percent, options_.absence_percent};
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (day < it->second.due) {
      ++it;
      continue;
    }
    if (options_.clock && options_.clock->today() < it->second.request.held_on) {
      ++it;  // the committee cannot sit before its day: kept until kaigo's today reaches it
      continue;
    }
    auto outcome = decide_session(seed_, it->second.request, committee);
    if (!outcome) return std::unexpected(outcome.error());
    const std::string name = it->second.correlation_id.empty()
                                 ? fmt::format("NT-12_{}.json", it->first)
                                 : fmt::format("NT-12_{}_re-{}.json", it->first, it->second.correlation_id);
    if (auto d = deliver(name, "NT-12", outcome->document.dump(), it->second.correlation_id); !d) return d;
    ++s.sessions;
    ++s.documents;
    it = sessions_.erase(it);
  }
  return {};
}

Result<AdvanceSummary> ShinsaSim::advance_days(int days) {
  if (days < 1 || days > 366) return fail(ErrorKind::invalid_input, "days must be 1..366", "days");
  if (shinsa_dir_) {
    if (auto t = take_folder_requests(); !t) return std::unexpected(t.error());
  }
  std::lock_guard lock(mutex_);
  AdvanceSummary s;
  s.from = day_;
  for (int i = 0; i < days; ++i) {
    if (auto r = live_one_day(day_, s); !r) return std::unexpected(r.error());
    s.to = day_;
    day_ = day_.add_days(1);
  }
  for (const auto& [no, session] : sessions_)
    if (session.due < day_) ++s.sessions_waiting;
  return s;
}

Result<std::string> ShinsaSim::advance(int days) {
  auto s = advance_days(days);
  if (!s) return std::unexpected(s.error());
  return s->text();
}

Result<int> ShinsaSim::take_folder_requests() {
  namespace fs = std::filesystem;
  std::lock_guard lock(mutex_);
  if (!shinsa_dir_) return fail(ErrorKind::unavailable, "the shinsa simulator has no folders");
  struct Source {
    const fs::path* dir;
    std::vector<std::string> flows;
  };
  const Source sources[] = {{&*shinsa_dir_, {"NT-01", "NT-11"}}, {&*chosa_dir_, {"NT-07"}}, {&*iryokikan_dir_, {"NT-09"}}};
  std::vector<std::pair<std::string, fs::path>> files;  // (name, path), taken in name order per folder
  for (const auto& src : sources) {
    std::vector<std::pair<std::string, fs::path>> here;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(*src.dir / "out", ec)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || !name.ends_with(".json")) continue;
      for (const auto& flow : src.flows)
        if (name.starts_with(flow + "_")) here.emplace_back(name, entry.path());
    }
    std::sort(here.begin(), here.end());
    files.insert(files.end(), here.begin(), here.end());
  }
  // NT-01 before the requests that follow it, whichever folder they are in.
  std::stable_sort(files.begin(), files.end(),
                   [](const auto& a, const auto& b) { return a.first.starts_with("NT-01_") && !b.first.starts_with("NT-01_"); });
  int taken = 0;
  for (const auto& [name, path] : files) {
    const std::string key = path.parent_path().parent_path().filename().string() + "/" + name;
    if (taken_files_.contains(key)) continue;
    std::ifstream f(path, std::ios::binary);
    std::stringstream buf;
    buf << f.rdbuf();
    // out/<flow>_<処理通番>.json: the 処理通番 is what an answer quotes.
    const std::string flow = name.substr(0, 5);
    const std::string correlation = name.substr(6, name.size() - 6 - 5);
    if (auto r = receive_locked(flow, correlation, buf.str()); !r)
      return fail(r.error().kind, fmt::format("{}: {}", name, r.error().message), r.error().field);
    taken_files_.insert(key);
    ++taken;
  }
  return taken;
}

}  // namespace kaigo::sim::shinsa
