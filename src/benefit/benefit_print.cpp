#include "benefit/benefit_print.hpp"

#include <system_error>

namespace kaigo::benefit {

Result<std::int64_t> print_rows(store::Database& db, const std::filesystem::path& path,
                                const notice::PdfMetadata& meta, std::string_view sql, const store::Params& params,
                                const std::function<Result<notice::Document>(const store::Row&)>& render) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  auto writer = notice::PdfWriter::open(path, meta);
  if (!writer) return std::unexpected(writer.error());
  std::int64_t rendered = 0;
  Result<void> drawn;
  auto streamed = db.with_connection([&](store::Connection& c) -> Result<void> {
    return c.query_each(sql, params, [&](const store::Row& r) {
      auto doc = render(r);
      if (!doc) {
        drawn = std::unexpected(doc.error());
        return false;
      }
      drawn = writer->add(*doc);
      ++rendered;
      return drawn.has_value();
    });
  });
  if (!streamed) return std::unexpected(streamed.error());
  if (!drawn) return std::unexpected(drawn.error());
  auto summary = writer->finish();
  if (!summary) return std::unexpected(summary.error());
  return rendered;
}

}  // namespace kaigo::benefit
