// kaigo benefit import-records FILE: one KY-04 給付実績情報 file (CP932, as the 国保連 writes it)
// taken in from disk through the same path as the channel's files (benefit_record.hpp): decoded,
// received through the inbox as flow KY-04 from kokuhoren, validated whole and applied, or refused
// and recorded for staff with its errors and a quarantine copy. Exit 0 applied (or already
// applied), 1 refused, 2 could not run.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "benefit/benefit_record.hpp"
#include "benefit/codes.hpp"
#include "cli/command.hpp"
#include "core/clock.hpp"
#include "people/city_profile.hpp"

namespace kaigo::cli {
namespace {

int error(const std::string& message, int code) {
  std::cerr << fmt::format("kaigo benefit import-records: {}\n", message);
  return code;
}

int import_records(const GlobalOptions& g, const std::string& path, const std::string& actor) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error(fmt::format("cannot read {}", path), 2);
  std::stringstream buf;
  buf << in.rdbuf();
  auto config = benefit::BenefitConfig::load(g.config_path());
  if (!config) return error(config.error().message, 2);
  auto city = people::load_city_profile(g.config_path());
  if (!city) return error(city.error().message, 2);
  auto db = open_migrated(g, "benefit import-records", 2);
  if (!db) return 2;
  const SystemClock clock;
  const benefit::BenefitRecordOptions options{&*config, city->insurer_no, g.data_dir};
  const std::string name = std::filesystem::path(path).filename().string();
  auto out = benefit::import_records_file(*db, clock, options, name, buf.str(), actor);
  if (!out) return error(out.error().message, 2);
  std::cout << fmt::format("{}: {}{}{}\n", name, out->outcome,
                           out->exchange_id ? fmt::format(" (exchange {})", *out->exchange_id) : std::string(),
                           out->file_id ? fmt::format(", file {}", *out->file_id) : std::string());
  if (out->file_id) {
    (void)db->with_connection([&](store::Connection& c) -> Result<void> {
      auto f = benefit::inbound_file(c, *out->file_id);
      if (!f || !*f) return {};
      std::cout << fmt::format("  {} records, {}\n", (*f)->record_count, (*f)->summary);
      int shown = 0;
      for (const auto& e : (*f)->errors) {
        if (++shown > 20) {
          std::cout << fmt::format("  … {} more errors (GET /api/v1/benefit/inbound-files/{})\n", (*f)->errors.size() - 20, *out->file_id);
          break;
        }
        std::cout << fmt::format("  line {}{}: {}\n", e.line_no, e.field.empty() ? "" : " " + e.field, e.message);
      }
      if (!(*f)->quarantine_path.empty()) std::cout << fmt::format("  kept at {}\n", (*f)->quarantine_path);
      return {};
    });
  }
  return out->outcome == "applied" || out->outcome == "already_applied" ? 0 : 1;
}

void setup(CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* benefit = group(app, "benefit", "給付: 国保連 files, benefit records, statements");
  static std::string path, actor = "cli:benefit-import";
  auto* im = benefit->add_subcommand("import-records", "take one KY-04 給付実績情報 file (CP932) in as the channel would");
  im->add_option("FILE", path, "a KY04 CSV (docs/kokuhoren-csv.md)")->required();
  im->add_option("--actor", actor, "who takes it in (recorded on the exchange)")->capture_default_str();
  im->callback([&g, &exit_code] { exit_code = import_records(g, path, actor); });
}

}  // namespace

KAIGO_COMMAND("benefit-records", setup);

}  // namespace kaigo::cli
