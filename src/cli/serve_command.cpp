// kaigo serve: the API, the staff UI and the health/metrics endpoints.
// With no database option it runs on the embedded default: SQLite under the data dir, created and
// migrated on first start, filled with a synthetic city, with a demo login printed on the console.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "benefit/benefit_demo.hpp"
#include "benefit/benefit_payment.hpp"
#include "benefit/benefit_record.hpp"
#include "benefit/codes.hpp"
#include "benefit/combined.hpp"
#include "benefit/repayment_receipts.hpp"
#include "benefit/repayment_notice.hpp"
#include "benefit/statement.hpp"
#include "benefit/copayment.hpp"
#include "benefit/income_inquiry.hpp"
#include "benefit/care_plan_provision.hpp"
#include "benefit/recipient.hpp"
#include "certification/certification_outputs.hpp"
#include "certification/application.hpp"
#include "certification/codes.hpp"
#include "certification/workflow.hpp"
#include "certification/renewal.hpp"
#include "certification/results_to_welfare.hpp"
#include "cli/command.hpp"
#include "core/clock.hpp"
#include "core/hash.hpp"
#include "people/city_profile.hpp"
#include "premium/assessment.hpp"
#include "premium/premium_inputs.hpp"
#include "premium/premium_notice.hpp"
#include "premium/premium_provision.hpp"
#include "premium/zeimu_service.hpp"
#include "premium/tokucho_service.hpp"
#include "people/my_number_vault.hpp"
#include <fstream>

#include <nlohmann/json.hpp>

#include "eligibility/fukushi_service.hpp"
#include "eligibility/juki_service.hpp"
#include "eligibility/register.hpp"
#include "gateway/codes.hpp"
#include "gateway/inquiry_service.hpp"
#include "gateway/provision_service.hpp"
#include "gateway/transport.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "server/background_worker.hpp"
#include "server/server.hpp"
#include "sim/city_generator.hpp"
#include "sim/juki/registry_sim.hpp"
#include "sim/zeimu/tax_office_sim.hpp"
#include "sim/benefit/claims_sim.hpp"
#include "sim/kokuhoren/pension_sim.hpp"
#include "sim/benefit/kokuho_sim.hpp"
#include "sim/benefit/bank_sim.hpp"
#include "sim/shinsa/shinsa_sim.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "store/database.hpp"

#ifndef KAIGO_SOURCE_WEB_DIST
#define KAIGO_SOURCE_WEB_DIST "web/dist"
#endif

namespace kaigo::cli {
namespace {

struct ServeOptions {
  server::ServerOptions server;
  std::int64_t demo_people = 10000;
  int worker_interval_ms = 5000;  // the dispatcher's pace; 0: no background jobs on this instance
  int inquiry_first_poll_s = 30;  // 番号連携: first poll of an inquiry after it is submitted
};

std::string dispatch_summary(const linkage::DispatchReport& r) {
  if (r.sent + r.retry_later + r.refused + r.applied + r.duplicates + r.rejected + r.deferred == 0) return "";
  return fmt::format("sent {}, retry later {}, refused {}, applied {}, duplicates {}, rejected {}, deferred {}", r.sent,
                     r.retry_later, r.refused, r.applied, r.duplicates, r.rejected, r.deferred);
}

server::Server* running = nullptr;

void on_signal(int) {
  if (running) running->stop();
}

std::string demo_password() {
  if (const char* env = std::getenv("KAIGO_DEMO_PASSWORD"); env && *env) return env;
  return to_hex(random_bytes(8));
}

// The 中間サーバー as configured in config/channels.json, key "chukan": {"type":"http","url":…}
// reaches a real gateway adapter or `kaigo sim serve`; {"type":"simulator"} (or no key) runs the
// bundled simulator in process, answering from this database's synthetic city.
Result<std::unique_ptr<gateway::Transport>> chukan_transport(const std::string& config_dir,
                                                             sim::network::IntermediateServerSim& simulator) {
  const std::string path = config_dir + "/channels.json";
  std::ifstream in(path);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return fail(ErrorKind::invalid_input, fmt::format("{} is not valid JSON", path), "channels.json");
  if (!j.contains("chukan") || j["chukan"].value("type", "") == "simulator")
    return gateway::make_in_process_transport(simulator.handler());
  const auto& c = j["chukan"];
  if (c.value("type", "") == "http" && c.contains("url") && c["url"].is_string())
    return gateway::make_http_transport(c["url"].get<std::string>(), c.value("timeout_seconds", 30));
  return fail(ErrorKind::invalid_input, fmt::format("{}: chukan must be {{\"type\":\"simulator\"}} or {{\"type\":\"http\",\"url\":…}}", path),
              "chukan");
}

std::string gateway_summary(const gateway::RunReport& r) {
  if (r.sent + r.send_failed + r.polled + r.timed_out + r.malformed == 0) return "";
  return fmt::format("sent {}, polled {}, provided {}, not found {}, errors {}, still open {}, timed out {}, malformed {}",
                     r.sent, r.polled, r.provided, r.not_found, r.errors, r.still_open, r.timed_out, r.malformed);
}

int run_serve(const GlobalOptions& g, ServeOptions& o) {
  const bool embedded = g.db_url.empty() && !std::getenv("KAIGO_DB");
  SystemClock clock;
  auto db = open_migrated(g, "serve", o.server.threads + 2);
  if (!db) return 2;
  // The embedded default makes its own key on first start; production must be given one.
  auto vault = people::MyNumberVault::load(g.key_file, g.data_dir + "/my_number.key", embedded);
  if (!vault) {
    std::cerr << fmt::format("kaigo serve: {}\n", vault.error().message);
    return 2;
  }
  auto city = people::load_city_profile(g.config_path());
  if (!city) {
    std::cerr << fmt::format("kaigo serve: {}\n", city.error().message);
    return 2;
  }
  // A bad premium table stops the server before anything is computed with it.
  auto premium_tables = premium::load_premium_tables(g.config_path() + "/rules/premium");
  if (!premium_tables) {
    std::cerr << fmt::format("kaigo serve: {}\n", premium_tables.error().message);
    return 2;
  }
  // 特別徴収: the file layouts, code lists and collection rules, validated before serving.
  auto tokucho_config = premium::TokuchoConfig::load(g.config_path());
  if (!tokucho_config) {
    std::cerr << fmt::format("kaigo serve: {}\n", tokucho_config.error().message);
    return 2;
  }
  // 認定: the rule files and code lists (items, contractors, institutions, committee members).
  auto certification_config = certification::CertificationConfig::load(g.config_path());
  if (!certification_config) {
    std::cerr << fmt::format("kaigo serve: {}\n", certification_config.error().message);
    return 2;
  }
  // 給付: the rule files, サービス種類コード, care offices and 国保連 layouts (benefit/codes.hpp).
  auto benefit_config = benefit::BenefitConfig::load(g.config_path());
  if (!benefit_config) {
    std::cerr << fmt::format("kaigo serve: {}\n", benefit_config.error().message);
    return 2;
  }
  // KY-24 給付費通知: the send schedule (config/benefit_statements.json) and the office printed on it.
  auto statement_schedule = benefit::StatementConfig::load(g.config_path());
  if (!statement_schedule) {
    std::cerr << fmt::format("kaigo serve: {}\n", statement_schedule.error().message);
    return 2;
  }
  // 認定 outputs: the office on the notices, the 予算科目 of the payment files.
  auto certification_outputs = certification::OutputsConfig::load(g.config_path());
  if (!certification_outputs) {
    std::cerr << fmt::format("kaigo serve: {}\n", certification_outputs.error().message);
    return 2;
  }
  bool first_start = false;  // the demo city was built now: its tax data is fetched below
  if (embedded && o.demo_people > 0) {
    auto people = db->query("SELECT COUNT(*) FROM person");
    if (!people) {
      std::cerr << fmt::format("kaigo serve: {}\n", people.error().message);
      return 2;
    }
    first_start = people->front().i64(0) == 0;
    if (first_start) {
      std::cout << fmt::format("kaigo: building a synthetic city of {} people (first start)…\n", o.demo_people) << std::flush;
      sim::CityOptions city_options;
      city_options.people = o.demo_people;
      city_options.base_date = clock.today();
      auto report = sim::generate_city(*db, *vault, city_options);
      if (!report) {
        std::cerr << fmt::format("kaigo serve: {}\n", report.error().message);
        return 2;
      }
      auto registered = eligibility::register_initial_residents(
          *db, clock, eligibility::ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "demo", "初期登録 (模擬都市)"});
      if (!registered) {
        std::cerr << fmt::format("kaigo serve: {}\n", registered.error().message);
        return 2;
      }
    }
  }
  server::Server srv(*db, clock, *vault, *city, o.server);
  server::Auth auth(*db, clock);
  auto users = auth.count_users();
  if (!users) {
    std::cerr << fmt::format("kaigo serve: {}\n", users.error().message);
    return 2;
  }
  if (*users == 0) {
    if (embedded) {
      const std::string password = demo_password();
      server::RoleSet every(server::all_roles().begin(), server::all_roles().end());
      if (auto c = auth.create_user("demo", "デモ 職員", password, every); !c) {
        std::cerr << fmt::format("kaigo serve: {}\n", c.error().message);
        return 2;
      }
      std::cout << fmt::format("kaigo: demo login  user: demo  password: {}\n", password);
    } else {
      std::cout << "kaigo: no staff users yet — create one with `kaigo user add`\n";
    }
  }
  auto channels = linkage::ChannelSet::from_config(g.config_path(), g.data_dir);
  if (!channels) {
    std::cerr << fmt::format("kaigo serve: {}\n", channels.error().message);
    return 2;
  }
  auto codes = gateway::CodeBook::load(g.config_path());
  if (!codes) {
    std::cerr << fmt::format("kaigo serve: {}\n", codes.error().message);
    return 2;
  }
  auto premium_inputs = premium::PremiumInputsConfig::load(g.config_path());
  if (!premium_inputs) {
    std::cerr << fmt::format("kaigo serve: {}\n", premium_inputs.error().message);
    return 2;
  }
  sim::network::IntermediateServerSim chukan_simulator(*db, clock);
  auto transport = chukan_transport(g.config_path(), chukan_simulator);
  if (!transport) {
    std::cerr << fmt::format("kaigo serve: {}\n", transport.error().message);
    return 2;
  }
  gateway::GatewayOptions gateway_options;
  gateway_options.first_poll = std::chrono::seconds(o.inquiry_first_poll_s);
  gateway::InquiryService inquiries(*db, **transport, *codes, clock, gateway_options);
  srv.attach_gateway(inquiries, *codes);
  srv.attach_premium_tables(*premium_tables);
  srv.attach_certification(*certification_config);
  srv.attach_benefit(*benefit_config);
  // Business handlers of inbound flows, by flow ID.
  linkage::InboundHandlers handlers = eligibility::juki_inbound_handlers(clock);
  handlers.merge(eligibility::fukushi_inbound_handlers(clock));
  handlers.merge(premium::zeimu_inbound_handlers(clock));
  handlers.merge(premium::tokucho_inbound_handlers(clock, *tokucho_config));
  // 認定: NT-08 assessment results, NT-10 opinions, NT-12 committee decisions from shinsa.
  handlers.merge(certification::certification_workflow_inbound_handlers(clock, *certification_config));
  // 給付: KY-04 給付実績 from the 国保連 (refused files recorded for staff by the "KY-04" job below).
  const benefit::BenefitRecordOptions benefit_record_options{&*benefit_config, city->insurer_no, g.data_dir};
  handlers.merge(benefit::benefit_record_inbound_handlers(clock, benefit_record_options));
  // 給付: KY-19 the bank's 納入済通知 (layout config/layouts/bank, docs/bank-receipt-layout.md).
  auto bank_layouts = benefit::load_bank_layouts(g.config_path());
  if (!bank_layouts) {
    std::cerr << fmt::format("kaigo serve: {}\n", bank_layouts.error().message);
    return 2;
  }
  handlers.merge(benefit::repayment_inbound_handlers(clock, *bank_layouts));
  handlers.merge(benefit::combined_inbound_handlers(clock, benefit_config->rules));
  linkage::Dispatcher dispatcher(std::move(handlers));
  // The bundled registry simulator plays juki when the channel is the simulator (the embedded
  // default): staff advance its days from the UI (demo control) and its files arrive over the channel.
  std::unique_ptr<sim::juki::RegistrySim> registry_sim;
  if (auto* juki_channel = channels->simulator("juki")) {
    // Its days start a year back, so the first year a demo advances is days that have
    // happened (movements dated in the past, as a registry reports them). After a restart the same
    // seed replays the same movement ids, which the inbox skips as duplicates.
    registry_sim = std::make_unique<sim::juki::RegistrySim>(*db, juki_channel, 20261124,
                                                           sim::juki::RegistryOptions{clock.today().add_days(-365), 0});
    srv.attach_simulator("juki", [&registry_sim](int days) { return registry_sim->advance(days); });
  }
  // The bundled tax office plays zeimu likewise: it answers FK-01 from its ledger (the synthetic
  // city's tax rows) and its days bring 更正 files (FK-02).
  std::unique_ptr<sim::zeimu::TaxOfficeSim> tax_office_sim;
  if (auto* zeimu_channel = channels->simulator("zeimu")) {
    tax_office_sim = std::make_unique<sim::zeimu::TaxOfficeSim>(*db, zeimu_channel, 20261124,
                                                               sim::zeimu::TaxOfficeOptions{clock.today(), -1});
    srv.attach_simulator("zeimu", [&tax_office_sim](int days) { return tax_office_sim->advance(days); });
  }
  // The 国保連 and the pension insurers: FK-14 target lists and FK-16 results over the kokuhoren
  // simulator channel; FK-15 is answered at once. The same 国保連 for 給付 (sim/benefit): the KY-03
  // files the channel took are its recipients, every month end crossed sends the KY-04 of the month
  // before (resumed from the messages). One counterpart, one calendar: the control "kokuhoren"
  // lives both simulators' days (docs/simulator.md).
  std::unique_ptr<sim::kokuhoren::PensionSim> pension_sim;
  std::unique_ptr<sim::benefit::ClaimsSim> claims_sim;
  if (auto* kokuhoren_channel = channels->simulator("kokuhoren")) {
    sim::kokuhoren::PensionSimOptions pension_options;
    pension_options.insurer_no = city->insurer_no;
    pension_options.start = clock.today();
    pension_sim = std::make_unique<sim::kokuhoren::PensionSim>(*db, tokucho_config->layouts, kokuhoren_channel, pension_options);
    claims_sim = std::make_unique<sim::benefit::ClaimsSim>(
        *db, *benefit_config, kokuhoren_channel, sim::benefit::ClaimsSimOptions{20261124, city->insurer_no, clock.today()});
    if (auto resumed = claims_sim->resume_from_messages(); !resumed) {
      std::cerr << fmt::format("kaigo serve: kokuhoren benefit simulator: {}\n", resumed.error().message);
      return 2;
    }
    srv.attach_simulator("kokuhoren", [&pension_sim, &claims_sim](int days) -> Result<std::string> {
      auto pension = pension_sim->advance(days);
      if (!pension) return std::unexpected(pension.error());
      auto claims = claims_sim->advance(days);
      if (!claims) return std::unexpected(claims.error());
      return *pension + "; " + *claims;
    });
  }
  // The bank and the debtors of 返還金 (person + bank): the KY-18 slips mailed are kept (read back
  // from the messages after a restart); the demo control "bank" pays them as a KY-19 file (in
  // full, partly, one over).
  std::unique_ptr<sim::benefit::BankSim> bank_sim;
  auto* person_channel = channels->simulator("person");
  auto* bank_channel = channels->simulator("bank");
  if (person_channel && bank_channel) {
    bank_sim = std::make_unique<sim::benefit::BankSim>(person_channel, bank_channel, **bank_layouts, clock);
    if (auto resumed = bank_sim->resume_from_messages(*db); !resumed) {
      std::cerr << fmt::format("kaigo serve: bank simulator: {}\n", resumed.error().message);
      return 2;
    }
    srv.attach_simulator("bank", [&bank_sim](int days) { return bank_sim->advance(days); });
  }
  // The city's 国保 system for 高額医療合算 (KY-21 … KY-23): demo control "kokuho".
  std::unique_ptr<sim::benefit::KokuhoSim> kokuho_sim;
  if (auto* kokuho_channel = channels->simulator("kokuho")) {
    kokuho_sim = std::make_unique<sim::benefit::KokuhoSim>(*db, kokuho_channel, benefit_config->rules, clock, 20261124);
    srv.attach_simulator("kokuho", [&kokuho_sim](int days) { return kokuho_sim->advance(days); });
  }
  // The committee-support system, contractors and doctors (shinsa, chosa, iryokikan) as one
  // simulator: NT-07/NT-09 answered through shinsa as NT-08/NT-10 after their delays, NT-11 decided
  // as NT-12; the demo control "shinsa" lives its days. Given this clock, it dates nothing after
  // today and decides no session before its day (docs/simulator.md).
  std::unique_ptr<sim::shinsa::ShinsaSim> shinsa_sim;
  auto* shinsa_channel = channels->simulator("shinsa");
  auto* chosa_channel = channels->simulator("chosa");
  auto* iryokikan_channel = channels->simulator("iryokikan");
  if (shinsa_channel && chosa_channel && iryokikan_channel) {
    sim::shinsa::ShinsaOptions shinsa_options;
    shinsa_options.start = clock.today();
    shinsa_options.clock = &clock;
    auto made = sim::shinsa::ShinsaSim::create(*certification_config, shinsa_channel, chosa_channel, iryokikan_channel,
                                               20261124, shinsa_options);
    if (!made) {
      std::cerr << fmt::format("kaigo serve: shinsa simulator: {}\n", made.error().message);
      return 2;
    }
    shinsa_sim = std::move(*made);
    // After a restart the counterparts still have what kaigo sent them and it still waits for.
    if (auto resumed = shinsa_sim->resume_from(*db); !resumed) {
      std::cerr << fmt::format("kaigo serve: shinsa simulator: {}\n", resumed.error().message);
      return 2;
    }
    srv.attach_simulator("shinsa", [&shinsa_sim](int days) { return shinsa_sim->advance(days); });
  }
  // First start of the demo: the tax data of the current fiscal year arrives the way a city's does
  // (FK-01 to the simulated tax office, its FK-02 answer applied), so the 本算定 can be run from
  // the 賦課 screen at once. Two dispatcher passes: the request out, the answer in.
  if (first_start) {
    auto asked = premium::zeimu::request_yearly(*db, clock, clock.today().fiscal_year(), "demo");
    if (!asked) {
      std::cerr << fmt::format("kaigo serve: FK-01: {}\n", asked.error().message);
      return 2;
    }
    for (int pass = 0; pass < 3; ++pass) {
      auto report = dispatcher.run_once(*db, *channels, clock);
      if (!report) {
        std::cerr << fmt::format("kaigo serve: {}\n", report.error().message);
        return 2;
      }
    }
    // The demo's 給付 (benefit/benefit_demo.hpp): certified persons, care plans, rates, KY-03 sent
    // and two months of KY-04 from the 国保連 simulator applied — counts only on the console.
    if (claims_sim) {
      auto seeded = benefit::seed_demo_benefits(
          *db, clock, *certification_config, benefit::RecipientContext{*benefit_config, city->insurer_no},
          benefit::DemoCounterparts{
              [&]() -> Result<void> {
                auto r = dispatcher.run_once(*db, *channels, clock);
                if (!r) return std::unexpected(r.error());
                return {};
              },
              [&](Date review, Date created_on) -> Result<std::int64_t> {
                auto s = claims_sim->send_month(review, created_on);
                if (!s) return std::unexpected(s.error());
                return *s ? (*s)->records() : 0;
              }});
      if (!seeded) {
        std::cerr << fmt::format("kaigo serve: demo benefits: {}\n", seeded.error().message);
        return 2;
      }
      std::cout << fmt::format("kaigo: demo benefits: {}\n", seeded->summary());
    }
  }
  server::BackgroundWorker worker(std::chrono::milliseconds(std::max(o.worker_interval_ms, 1)));
  worker.add("dispatcher", [&]() -> Result<std::string> {
    auto report = dispatcher.run_once(*db, *channels, clock);
    if (!report) return std::unexpected(report.error());
    return dispatch_summary(*report);
  });
  worker.add("gateway", [&]() -> Result<std::string> {
    auto report = inquiries.run_due(clock);
    if (!report) return std::unexpected(report.error());
    return gateway_summary(*report);
  });
  worker.add("juki", [&]() -> Result<std::string> {
    auto report = eligibility::juki::run_juki_jobs(*db, clock);
    if (!report) return std::unexpected(report.error());
    if (report->rejected_recorded == 0 && report->full.chunks == 0) return std::string();
    return fmt::format("registry: rejected files recorded {}, full-load chunks {} (added {}, changed {}, missing {})",
                       report->rejected_recorded, report->full.chunks, report->full.persons_added,
                       report->full.persons_changed, report->full.persons_missing);
  });
  worker.add("SK-18", [&]() -> Result<std::string> {
    auto sent = eligibility::juki::send_eligibility_changes(*db, clock);
    if (!sent) return std::unexpected(sent.error());
    return sent->exchange_id ? fmt::format("{} changes sent to the registry", sent->rows) : std::string();
  });
  worker.add("SK-20", [&]() -> Result<std::string> {
    auto sent = eligibility::fukushi::send_eligibility_changes_to_welfare(*db, clock);
    if (!sent) return std::unexpected(sent.error());
    return sent->exchange_id ? fmt::format("{} changes of welfare cases sent", sent->rows) : std::string();
  });
  worker.add("zeimu", [&]() -> Result<std::string> {
    auto recorded = premium::zeimu::record_rejected_files(*db, clock);
    if (!recorded) return std::unexpected(recorded.error());
    return *recorded ? fmt::format("tax files refused and recorded for staff: {}", *recorded) : std::string();
  });
  worker.add("KY-19", [&]() -> Result<std::string> {
    auto receipts = benefit::record_rejected_receipt_files(*db, clock, **bank_layouts);
    if (!receipts) return std::unexpected(receipts.error());
    return *receipts ? fmt::format("bank receipt files refused and recorded for staff: {}", *receipts) : std::string();
  });
  worker.add("KY-21", [&]() -> Result<std::string> {
    auto combined = benefit::record_rejected_combined_files(*db, clock, benefit_config->rules);
    if (!combined) return std::unexpected(combined.error());
    return *combined ? fmt::format("高額医療合算 files refused and recorded for staff: {}", *combined) : std::string();
  });
  worker.add("KY-04", [&]() -> Result<std::string> {
    auto recorded = benefit::record_rejected_files(*db, clock, benefit_record_options);
    if (!recorded) return std::unexpected(recorded.error());
    return *recorded ? fmt::format("給付実績 files refused and recorded for staff: {}", *recorded) : std::string();
  });
  worker.add("tokucho", [&]() -> Result<std::string> {
    auto recorded = premium::tokucho::record_rejected_files(*db, clock, *tokucho_config);
    if (!recorded) return std::unexpected(recorded.error());
    return *recorded ? fmt::format("特別徴収 files refused and recorded for staff: {}", *recorded) : std::string();
  });
  worker.add("FK-12", [&]() -> Result<std::string> {
    auto sent = premium::send_assessments_to_welfare(*db, clock);
    if (!sent) return std::unexpected(sent.error());
    return sent->exchange_id ? fmt::format("{} assessments of welfare cases sent", sent->rows) : std::string();
  });
  worker.add("FK-13", [&]() -> Result<std::string> {
    auto sent = premium::send_assessments_to_tax(*db, clock);
    if (!sent) return std::unexpected(sent.error());
    return sent->exchange_id ? fmt::format("{} assessments sent to the tax system", sent->rows) : std::string();
  });
  // KY-17 / KY-20: the payment rows owed (高額, 合算, 返還金) sent to accounting, one file per flow.
  worker.add("benefit_payments", [&]() -> Result<std::string> {
    auto files = benefit::send_payment_files(*db, clock, "job:benefit-payments");
    if (!files) return std::unexpected(files.error());
    std::string out;
    for (const auto& f : *files) out += fmt::format("{}{}: {} rows, {} yen", out.empty() ? "" : "; ", f.flow_id, f.rows, f.total);
    return out.empty() ? std::string() : "payment files to accounting: " + out;
  });
  // KY-24: the 給付費通知 of the scheduled period once its send date has come; unfinished passes resumed.
  worker.add("KY-24", [&]() -> Result<std::string> {
    auto office = benefit::load_payments_office(g.config_path(), *city);
    if (!office) return std::unexpected(office.error());
    return benefit::scheduled_statements(*db, clock, *benefit_config, office->issuer, *statement_schedule,
                                         std::filesystem::path(g.data_dir) / "print");
  });
  worker.add("age_arrivals", [&]() -> Result<std::string> {
    auto r = eligibility::run_age_arrivals(*db, clock, "job:age_arrivals");
    if (!r) return std::unexpected(r.error());
    return r->persons ? fmt::format("年齢到達: {} persons re-derived, {} changed", r->persons, r->changed) : std::string();
  });
  // 本算定 runs opened on the screen are worked here (and resumed after a restart).
  worker.add("premium_annual", [&]() -> Result<std::string> {
    return premium::resume_annual_runs(*db, clock, *premium_tables);
  });
  worker.add("premium_notices", [&]() -> Result<std::string> {
    return premium::resume_notice_runs(*db, clock, *city, *premium_tables, std::filesystem::path(g.data_dir) / "print");
  });
  // FK-04/06/08/10: the premium's answered inquiries applied (before the revision run of the same pass).
  worker.add("premium_inputs", [&]() -> Result<std::string> {
    premium::PremiumInputsService service(*db, clock, *premium_inputs, &inquiries);
    auto r = service.apply_due("job:premium-inputs");
    if (!r) return std::unexpected(r.error());
    return r->total() ? fmt::format("賦課の入力: {} applied, {} unchanged, {} not found, {} without answer, {} rejected; {} queued",
                                    r->applied, r->unchanged, r->not_found, r->failed, r->rejected, r->recalc_queued)
                      : std::string();
  });
  // KY-09/11/13/15: the benefit's answered inquiries applied into the income facts.
  worker.add("benefit_inputs", [&]() -> Result<std::string> {
    benefit::IncomeInquiryService service(*db, clock, &inquiries);
    auto r = service.apply_due("job:benefit-inputs");
    if (!r) return std::unexpected(r.error());
    return r->total() ? fmt::format("給付の入力: {} applied, {} unchanged, {} not found, {} without answer, {} rejected",
                                    r->applied, r->unchanged, r->not_found, r->failed, r->rejected)
                      : std::string();
  });
  // 負担割合 of a recipient certified mid-year, from the certification's first day (certification_event).
  worker.add("copayment_new_recipients", [&]() -> Result<std::string> {
    benefit::CopaymentService service(*db, clock, benefit_config->rules);
    auto n = service.pick_up_new_recipients("job:copayment");
    if (!n) return std::unexpected(n.error());
    return *n ? fmt::format("負担割合 of new recipients: {}", *n) : std::string();
  });
  // NT-03/NT-05: the category-2 checks of 認定 applications answered by the medical insurers applied
  // (NT-02/NT-04 asked again where the gateway was down or an inquiry ended without an answer).
  worker.add("certification_checks", [&]() -> Result<std::string> {
    auto r = certification::run_checks_due(*db, clock, &inquiries, "job:certification-checks");
    if (!r) return std::unexpected(r.error());
    return r->total() ? fmt::format("認定 第2号の確認: {} applied, {} without answer, {} rejected; {} asked, {} adopted",
                                    r->applied, r->failed, r->rejected, r->asked, r->adopted)
                      : std::string();
  });
  worker.add("premium_revisions", [&]() -> Result<std::string> {
    auto run = premium::run_revisions(*db, clock, *premium_tables, "job:premium_revisions");
    if (!run) return std::unexpected(run.error());
    return run->batch_run_id ? fmt::format("異動賦課: {} re-assessed, {} revised", run->done_count, run->revised)
                             : std::string();
  });
  // 認定 outputs: NT-14 to welfare, NT-06 for certified persons moving out, renewal reminders as
  // windows open, and an NT-13 print run a stop left unfinished.
  const certification::OutputContext certification_out{*city, certification_config->rules, *certification_outputs};
  const auto print_dir = std::filesystem::path(g.data_dir) / "print";
  worker.add("NT-14", [&]() -> Result<std::string> {
    auto sent = certification::send_results_to_welfare(*db, clock);
    if (!sent) return std::unexpected(sent.error());
    return sent->exchange_id ? fmt::format("{} certification results sent to welfare", sent->rows) : std::string();
  });
  // KY-02: care-plan notifications on to welfare and committee support.
  worker.add("KY-02", [&]() -> Result<std::string> {
    auto sent = benefit::send_care_plans(*db, clock);
    if (!sent) return std::unexpected(sent.error());
    return sent->rows ? fmt::format("{} care-plan changes sent to welfare and committee support", sent->rows) : std::string();
  });
  // KY-03: the month's 受給者異動連絡票 built from the 1st and sent when nothing is held (docs/benefit-recipients.md).
  const benefit::RecipientContext recipient_ctx{*benefit_config, city->insurer_no};
  worker.add("KY-03", [&]() -> Result<std::string> {
    return benefit::run_recipient_month(*db, clock, recipient_ctx, benefit::RecipientSchedule{});
  });
  worker.add("NT-06", [&]() -> Result<std::string> {
    auto r = certification::issue_move_out_certificates(*db, clock, certification_out, print_dir);
    if (!r) return std::unexpected(r.error());
    return r->issued ? fmt::format("受給資格証明書 for {} moving out", r->issued) : std::string();
  });
  worker.add("renewal_reminders", [&]() -> Result<std::string> {
    auto r = certification::run_renewal_reminders(*db, clock, certification_out, print_dir, "job:renewal_reminders");
    if (!r) return std::unexpected(r.error());
    return r->issued ? fmt::format("更新申請のお知らせ: {}", r->issued) : std::string();
  });
  worker.add("certification_notices", [&]() -> Result<std::string> {
    return certification::resume_result_notices(*db, clock, certification_out, print_dir);
  });
  // 副本 backlog: at most 20 sends of 1,000 copies a pass, so a full re-send of the city drains
  // over a few passes without holding up the other jobs.
  worker.add("provision", [&]() -> Result<std::string> {
    auto report = gateway::register_pending(*db, **transport, clock, 1000, 20);
    if (!report) return std::unexpected(report.error());
    if (report->sends == 0 && report->stopped.empty()) return std::string();
    return fmt::format("副本 registered {}, remaining {}{}", report->registered, report->remaining,
                       report->stopped.empty() ? "" : ", stopped: " + report->stopped);
  });
  if (auto b = srv.bind(); !b) {
    std::cerr << fmt::format("kaigo serve: {}\n", b.error().message);
    return 2;
  }
  std::cout << fmt::format("kaigo: database {}\n", db->describe());
  std::cout << fmt::format("kaigo: serving on http://{}:{}/\n", o.server.host, srv.port()) << std::flush;
  running = &srv;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  if (o.worker_interval_ms > 0) worker.start();
  srv.listen();
  worker.stop();
  running = nullptr;
  return 0;
}

}  // namespace

KAIGO_COMMAND("serve", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  static ServeOptions o;
  if (std::filesystem::exists(KAIGO_SOURCE_WEB_DIST)) o.server.web_dir = KAIGO_SOURCE_WEB_DIST;
  auto* cmd = app.add_subcommand("serve", "serve the API and the staff UI");
  cmd->add_option("--port", o.server.port, "TCP port (0: any free port)")->capture_default_str();
  cmd->add_option("--host", o.server.host, "address to listen on")->capture_default_str();
  cmd->add_option("--threads", o.server.threads, "worker threads")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--web-dir", o.server.web_dir, "the built staff UI (web/dist)");
  cmd->add_option("--demo-people", o.demo_people, "size of the synthetic city built on the embedded default's first start (0: none)")
      ->capture_default_str();
  cmd->add_option("--worker-interval-ms", o.worker_interval_ms, "pace of the background jobs (outbox, inbox, 番号連携); 0: none on this instance")
      ->capture_default_str();
  cmd->add_option("--inquiry-first-poll-s", o.inquiry_first_poll_s, "番号連携: seconds before an inquiry's first poll")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  cmd->add_flag("--secure-cookie", o.server.secure_cookie, "mark the session cookie Secure (behind TLS)");
  cmd->callback([&g, &exit_code] {
    o.server.config_dir = g.config_path();
    o.server.data_dir = g.data_dir;
    exit_code = run_serve(g, o);
  });
});

}  // namespace kaigo::cli
