// The tax files for the staff screen: requests sent, answers and revisions received, refused
// files with their errors.
#include <fmt/format.h>

#include "premium/zeimu_service.hpp"

namespace kaigo::premium::zeimu {

namespace {

constexpr const char* kColumns =
    "exchange_id, flow_id, kind, file_name, tax_year, fiscal_year, request_exchange_id, lines, applied, unchanged, "
    "undeclared, queued, status, reason, recorded_at, recorded_by";

File file_from(const store::Row& r) {
  File f;
  f.exchange_id = r.i64(0);
  f.flow_id = r.str(1);
  f.kind = r.str(2);
  f.file_name = r.str(3);
  f.tax_year = r.opt_i64(4);
  f.fiscal_year = r.opt_i64(5);
  f.request_exchange_id = r.opt_i64(6);
  f.lines = r.i64(7);
  f.applied = r.i64(8);
  f.unchanged = r.i64(9);
  f.undeclared = r.i64(10);
  f.queued = r.i64(11);
  f.status = r.str(12);
  f.reason = r.opt_str(13);
  f.recorded_at = r.str(14);
  f.recorded_by = r.str(15);
  return f;
}

}  // namespace

Result<std::vector<File>> list_files(store::Connection& c, const std::string& kind, const std::string& status, int limit) {
  if (!kind.empty() && kind != "yearly_request" && kind != "person_request" && kind != "benefit_request" && kind != "answer" && kind != "revision")
    return fail(ErrorKind::invalid_input, "kind must be yearly_request, person_request, benefit_request, answer or revision", "kind");
  if (!status.empty() && status != "sent" && status != "applied" && status != "rejected")
    return fail(ErrorKind::invalid_input, "status must be sent, applied or rejected", "status");
  // "" matches every kind / status.
  auto rows = c.query(fmt::format("SELECT {} FROM zeimu_file WHERE (CAST($1 AS TEXT) = '' OR kind = CAST($1 AS TEXT)) "
                                  "AND (CAST($2 AS TEXT) = '' OR status = CAST($2 AS TEXT)) "
                                  "ORDER BY exchange_id DESC LIMIT $3",
                                  kColumns),
                      {kind, status, std::int64_t{limit}});
  if (!rows) return std::unexpected(rows.error());
  std::vector<File> out;
  for (const auto& r : *rows) out.push_back(file_from(r));
  for (auto& f : out) {
    if (f.status != "rejected") continue;
    auto errors = c.query(
        "SELECT line_no, field, message, person_id FROM zeimu_file_error WHERE exchange_id = $1 ORDER BY error_no",
        {f.exchange_id});
    if (!errors) return std::unexpected(errors.error());
    for (const auto& e : *errors) f.errors.push_back(FileError{e.i64(0), e.str(1), e.str(2), e.opt_str(3)});
  }
  return out;
}

}  // namespace kaigo::premium::zeimu
