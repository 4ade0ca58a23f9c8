// The dispatcher sends queued exchanges through each counterpart's channel and feeds what comes
// back through the inbox: the simulator in process, a folder with atomic renames, and HTTP with
// back-off when the counterpart is down.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <httplib.h>

#include <gtest/gtest.h>

#include "linkage/dispatcher.hpp"
#include "linkage/folder_channel.hpp"
#include "linkage/http_channel.hpp"
#include "test_db.hpp"

namespace kaigo::linkage {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, const std::string& data) { std::ofstream(p) << data; }

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class LinkageDispatcherTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE linkage_test_case (case_id TEXT PRIMARY KEY, note TEXT NOT NULL)"));
  }
  std::int64_t enqueue(const std::string& flow, const std::string& counterpart, const std::string& payload,
                       const std::string& content_type = "application/json", std::string* correlation = nullptr) {
    std::int64_t id = 0;
    auto tx = db->transaction([&](store::Connection& c) -> Result<void> {
      OutboundMessage m{flow, counterpart, payload, content_type, {"P0000001"}, "test purpose", "staff1", {}};
      auto r = enqueue_outbound(c, clock, m);
      if (!r) return std::unexpected(r.error());
      id = r->exchange_id;
      if (correlation) *correlation = r->correlation_id;
      return {};
    });
    EXPECT_TRUE(tx) << tx.error().message;
    return id;
  }
  Exchange load(std::int64_t id) {
    Exchange out;
    EXPECT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
      auto e = load_exchange(c, id);
      if (!e) return std::unexpected(e.error());
      out = **e;
      return {};
    }));
    return out;
  }
  // Handlers that record each applied payload as a case; "BAD" payloads are refused.
  InboundHandlers handlers(std::initializer_list<std::string> flows) {
    InboundHandlers h;
    for (const auto& f : flows)
      h[f] = [](store::Connection& c, const Exchange& e) -> Result<void> {
        if (e.payload.find("BAD") != std::string::npos) return fail(ErrorKind::invalid_input, "record 1: unknown insured_no", "insured_no");
        auto r = c.exec("INSERT INTO linkage_test_case (case_id, note) VALUES ($1, $2)",
                        {e.flow_id + "#" + std::to_string(e.exchange_id), e.payload});
        if (!r) return std::unexpected(r.error());
        return {};
      };
    return h;
  }
  std::int64_t cases() {
    auto rows = db->query("SELECT COUNT(*) FROM linkage_test_case");
    return rows ? (*rows)[0].i64(0) : -1;
  }
  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 11, 24));
};

TEST_P(LinkageDispatcherTest, SimulatorAnswersSynchronously) {
  ChannelSet channels;
  auto sim = std::make_shared<SimulatorChannel>("juki");
  sim->set_handler([](const Exchange& e) -> Result<std::optional<InboundMessage>> {
    InboundMessage answer;
    answer.flow_id = "SK-03";
    answer.payload = R"({"household":"H1","asked":")" + e.correlation_id + "\"}";
    return std::optional<InboundMessage>{answer};
  });
  channels.bind("juki", sim);
  const auto id = enqueue("SK-02", "juki", R"({"person":"P0000001"})");
  Dispatcher dispatcher(handlers({"SK-03"}));
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(report->applied, 1);
  EXPECT_EQ(sim->received().size(), 1u);
  EXPECT_EQ(load(id).status, ExchangeStatus::applied);
  EXPECT_EQ(cases(), 1);
  auto answer = db->query("SELECT status, in_reply_to FROM exchange WHERE direction = 'inbound'");
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->size(), 1u);
  EXPECT_EQ((*answer)[0].str(0), "applied");
  EXPECT_EQ((*answer)[0].str(1), load(id).correlation_id);
  auto persons = db->query("SELECT COUNT(*) FROM exchange_person WHERE person_id = 'P0000001'");
  ASSERT_TRUE(persons);
  EXPECT_EQ((*persons)[0].i64(0), 2);  // the answer concerns the person the request did

  auto idle = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(idle);
  EXPECT_EQ(idle->sent, 0);
  EXPECT_EQ(sim->received().size(), 1u);
}

TEST_P(LinkageDispatcherTest, SimulatorAnswersLater) {
  ChannelSet channels;
  auto sim = std::make_shared<SimulatorChannel>("zeimu");
  channels.bind("zeimu", sim);
  std::string correlation;
  const auto id = enqueue("FK-01", "zeimu", R"({"fiscal_year":2026})", "application/json", &correlation);
  Dispatcher dispatcher(handlers({"FK-02"}));
  ASSERT_TRUE(dispatcher.run_once(*db, channels, clock));
  EXPECT_EQ(load(id).status, ExchangeStatus::sent);

  InboundMessage later;
  later.flow_id = "FK-02";
  later.payload = R"({"income":1200000})";
  later.in_reply_to = correlation;
  sim->post(later);
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->applied, 1);
  EXPECT_EQ(load(id).status, ExchangeStatus::applied);
  auto again = dispatcher.run_once(*db, channels, clock);  // a settled message is not offered again
  ASSERT_TRUE(again);
  EXPECT_EQ(again->applied + again->duplicates, 0);
}

TEST_P(LinkageDispatcherTest, UnimplementedFlowIsRejectedWithReason) {
  ChannelSet channels;
  auto sim = std::make_shared<SimulatorChannel>("fukushi");
  channels.bind("fukushi", sim);
  InboundMessage m;
  m.flow_id = "SK-19";
  m.payload = R"({"welfare":"start"})";
  sim->post(m);
  Dispatcher dispatcher({});
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->rejected, 1);
  auto row = db->query("SELECT status, reason FROM exchange");
  ASSERT_TRUE(row);
  EXPECT_EQ((*row)[0].str(0), "rejected");
  EXPECT_NE((*row)[0].str(1).find("no handler for flow SK-19"), std::string::npos);
}

TEST_P(LinkageDispatcherTest, FolderChannelWritesFilesByAtomicRename) {
  const fs::path dir = testing::scratch_dir("folder");
  ChannelSet channels;
  channels.bind("kokuhoren", std::make_shared<FolderChannel>("kokuhoren", dir));
  std::string correlation;
  const auto id = enqueue("FK-15", "kokuhoren", "insured_no,amount\n0000000001,5000\n", "text/csv", &correlation);
  Dispatcher dispatcher({});
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(load(id).status, ExchangeStatus::sent);
  const std::string name = "FK-15_" + correlation + ".csv";
  EXPECT_EQ(names_in(dir / "out"), (std::vector<std::string>{name}));  // no .tmp- file left behind
  EXPECT_EQ(read_file(dir / "out" / name), "insured_no,amount\n0000000001,5000\n");
}

TEST_P(LinkageDispatcherTest, FolderChannelPicksUpAppliesAndQuarantines) {
  const fs::path dir = testing::scratch_dir("folder");
  fs::create_directories(dir / "in");
  write_file(dir / "in" / "FK-16_20261124.csv", "insured_no,collected\n0000000001,5000\n");
  write_file(dir / "in" / "FK-16_20261125.csv", "insured_no,collected\nBAD,5000\n");
  write_file(dir / "in" / "readme.txt", "not a flow file\n");
  ChannelSet channels;
  channels.bind("kokuhoren", std::make_shared<FolderChannel>("kokuhoren", dir));
  Dispatcher dispatcher(handlers({"FK-16"}));
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->applied, 1);
  EXPECT_EQ(report->rejected, 1);
  EXPECT_EQ(cases(), 1);  // the bad file applied nothing
  EXPECT_TRUE(names_in(dir / "in").empty());
  EXPECT_EQ(names_in(dir / "processed"), (std::vector<std::string>{"FK-16_20261124.csv"}));
  EXPECT_EQ(names_in(dir / "quarantine"),
            (std::vector<std::string>{"FK-16_20261125.csv", "FK-16_20261125.csv.reason.txt", "readme.txt",
                                      "readme.txt.reason.txt"}));
  EXPECT_EQ(read_file(dir / "quarantine" / "FK-16_20261125.csv.reason.txt"),
            "record 1: unknown insured_no (field insured_no)\n");
  EXPECT_NE(read_file(dir / "quarantine" / "readme.txt.reason.txt").find("names no flow"), std::string::npos);
  auto rejected = db->query("SELECT flow_id, reason FROM exchange WHERE status = 'rejected'");
  ASSERT_TRUE(rejected);
  ASSERT_EQ(rejected->size(), 1u);
  EXPECT_EQ((*rejected)[0].str(0), "FK-16");

  // The same file dropped again (under another name) is a duplicate: processed, nothing applied.
  write_file(dir / "in" / "FK-16_20261124-resent.csv", "insured_no,collected\n0000000001,5000\n");
  auto again = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->duplicates, 1);
  EXPECT_EQ(cases(), 1);
  EXPECT_EQ(names_in(dir / "processed").size(), 2u);
}

TEST_P(LinkageDispatcherTest, FolderAnswerNamesItsRequest) {
  const fs::path dir = testing::scratch_dir("folder");
  ChannelSet channels;
  channels.bind("zeimu", std::make_shared<FolderChannel>("zeimu", dir));
  std::string correlation;
  const auto id = enqueue("KY-06", "zeimu", R"({"fiscal_year":2026})", "application/json", &correlation);
  Dispatcher dispatcher(handlers({"KY-07"}));
  ASSERT_TRUE(dispatcher.run_once(*db, channels, clock));
  fs::create_directories(dir / "in");
  write_file(dir / "in" / ("KY-07_re-" + correlation + ".json"), R"({"income":0})");
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->applied, 1);
  EXPECT_EQ(load(id).status, ExchangeStatus::applied);
}

// A counterpart on 127.0.0.1 whose answers the test chooses.
class FakeCounterpart {
 public:
  FakeCounterpart() {
    server_.Post(R"(/kaigo/([A-Z]{2}-[0-9]{2}))", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(req);
      }
      const int status = next_status_.exchange(200);
      res.status = status;
      if (status == 200 && req.matches[1] == "SK-02") {
        res.set_header("X-Kaigo-Answer-Flow", "SK-03");
        res.set_header("X-Kaigo-Message-Id", "JUKI-A-" + req.get_header_value("X-Kaigo-Correlation-Id"));
        res.set_content(R"({"household":"H1"})", "application/json");
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost and join() would wait for ever.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeCounterpart() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/kaigo"; }
  void fail_next_with(int status) { next_status_ = status; }
  std::vector<httplib::Request> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> next_status_{200};
  std::mutex mutex_;
  std::vector<httplib::Request> requests_;
};

TEST_P(LinkageDispatcherTest, HttpChannelPostsAndTakesTheAnswer) {
  FakeCounterpart juki;
  ChannelSet channels;
  channels.bind("juki", std::make_shared<HttpChannel>("juki", juki.url(), 5));
  const auto id = enqueue("SK-02", "juki", R"({"person":"P0000001"})");
  Dispatcher dispatcher(handlers({"SK-03"}));
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(report->applied, 1);
  const Exchange sent = load(id);
  EXPECT_EQ(sent.status, ExchangeStatus::applied);
  auto requests = juki.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/kaigo/SK-02");
  EXPECT_EQ(requests[0].body, R"({"person":"P0000001"})");
  EXPECT_EQ(requests[0].get_header_value("Idempotency-Key"), sent.idempotency_key);
  EXPECT_EQ(requests[0].get_header_value("X-Kaigo-Correlation-Id"), sent.correlation_id);
  EXPECT_EQ(cases(), 1);
}

TEST_P(LinkageDispatcherTest, HttpServerErrorBacksOffAndRetries) {
  FakeCounterpart zeimu;
  zeimu.fail_next_with(500);
  ChannelSet channels;
  channels.bind("zeimu", std::make_shared<HttpChannel>("zeimu", zeimu.url(), 5));
  const auto id = enqueue("FK-13", "zeimu", R"({"assessment":1})");
  Dispatcher dispatcher({});
  auto first = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->retry_later, 1);
  Exchange queued = load(id);
  EXPECT_EQ(queued.status, ExchangeStatus::queued);
  EXPECT_EQ(queued.attempts, 1);
  EXPECT_NE(queued.reason.find("HTTP 500"), std::string::npos) << queued.reason;
  const std::int64_t now = clock.now().time_since_epoch().count();
  EXPECT_EQ(queued.next_attempt_at, now + 30);

  ASSERT_TRUE(dispatcher.run_once(*db, channels, clock));  // not due yet: nothing is sent
  EXPECT_EQ(zeimu.requests().size(), 1u);
  clock.advance(std::chrono::seconds(30));
  auto second = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->sent, 1);
  EXPECT_EQ(load(id).status, ExchangeStatus::sent);
  auto requests = zeimu.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].get_header_value("Idempotency-Key"), requests[1].get_header_value("Idempotency-Key"));
  auto events = db->query("SELECT event FROM exchange_log WHERE exchange_id = $1 ORDER BY seq", {id});
  ASSERT_TRUE(events);
  std::vector<std::string> names;
  for (const auto& r : *events) names.push_back(r.str(0));
  EXPECT_EQ(names, (std::vector<std::string>{"queued", "send_failed", "sent"}));
}

TEST_P(LinkageDispatcherTest, HttpRefusalRejectsTheExchange) {
  FakeCounterpart zaimu;
  zaimu.fail_next_with(422);
  ChannelSet channels;
  channels.bind("zaimu", std::make_shared<HttpChannel>("zaimu", zaimu.url(), 5));
  const auto id = enqueue("KY-17", "zaimu", R"({"payment":1})");
  Dispatcher dispatcher({});
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->refused, 1);
  const Exchange e = load(id);
  EXPECT_EQ(e.status, ExchangeStatus::rejected);
  EXPECT_NE(e.reason.find("HTTP 422"), std::string::npos) << e.reason;
}

TEST_P(LinkageDispatcherTest, UnreachableCounterpartStaysQueued) {
  std::string url;
  {
    FakeCounterpart gone;  // a port that was just freed: nothing listens there now
    url = gone.url();
  }
  ChannelSet channels;
  channels.bind("zeimu", std::make_shared<HttpChannel>("zeimu", url, 2));
  const auto id = enqueue("FK-13", "zeimu", R"({"assessment":1})");
  Dispatcher dispatcher({}, DispatchOptions{.max_attempts = 2});
  auto first = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->retry_later, 1);
  Exchange e = load(id);
  EXPECT_EQ(e.status, ExchangeStatus::queued);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_FALSE(e.reason.empty());

  clock.advance(std::chrono::seconds(30));  // the second and last attempt
  auto second = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->refused, 1);
  e = load(id);
  EXPECT_EQ(e.status, ExchangeStatus::rejected);
  EXPECT_NE(e.reason.find("gave up after 2 attempts"), std::string::npos) << e.reason;
}

TEST_P(LinkageDispatcherTest, DefaultConfigBindsEveryCounterpartToTheSimulator) {
  auto channels = ChannelSet::from_config(KAIGO_SOURCE_CONFIG_DIR, testing::scratch_dir("data"));
  ASSERT_TRUE(channels) << channels.error().message;
  EXPECT_EQ(channels->all().size(), 15u);
  for (const char* code : {"juki", "zeimu", "fukushi", "zaimu", "kokuho", "shinsa", "city", "iryo", "pref", "nenkin",
                           "kokuhoren", "chosa", "iryokikan", "bank", "person"})
    EXPECT_NE(channels->simulator(code), nullptr) << code;
}

TEST_P(LinkageDispatcherTest, ChannelConfigIsChecked) {
  const fs::path config = testing::scratch_dir("config");
  fs::copy(fs::path(KAIGO_SOURCE_CONFIG_DIR) / "flows", config / "flows", fs::copy_options::recursive);
  auto with = [&](const std::string& json) {
    write_file(config / "channels.json", json);
    return ChannelSet::from_config(config.string(), "/srv/kaigo");
  };
  std::string all = R"("juki":{"type":"folder","dir":"exchange/juki"},"zeimu":{"type":"http","url":"http://10.0.0.5:8080/kaigo"})";
  for (const char* code : {"fukushi", "zaimu", "kokuho", "shinsa", "city", "iryo", "pref", "nenkin", "kokuhoren", "chosa",
                           "iryokikan", "bank", "person"})
    all += std::string(",\"") + code + R"(":{"type":"simulator"})";
  auto good = with("{\"counterparts\":{" + all + "}}");
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->find("juki")->describe(), "folder:/srv/kaigo/exchange/juki");
  EXPECT_EQ(good->find("zeimu")->describe(), "http://10.0.0.5:8080/kaigo");
  EXPECT_EQ(good->simulator("juki"), nullptr);

  auto typo = with("{\"counterparts\":{" + all + R"(,"jyuki":{"type":"simulator"}}})");
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().field, "counterparts.jyuki");
  auto missing = with(R"({"counterparts":{"juki":{"type":"simulator"}}})");
  ASSERT_FALSE(missing);
  auto bad_type = with("{\"counterparts\":{" + all + R"(,"bank":{"type":"ftp"}}})");
  ASSERT_FALSE(bad_type);
  EXPECT_EQ(bad_type.error().field, "counterparts.bank.type");
}

INSTANTIATE_TEST_SUITE_P(Db, LinkageDispatcherTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::linkage
