// Reading issued documents, rendering one again as PDF, and rendering a print run's documents into
// one file (certification_outputs.hpp).
#include <fmt/format.h>

#include "certification/certification_outputs_internal.hpp"
#include "notice/pdf_writer.hpp"

namespace kaigo::certification {

namespace {

std::string title_of(const std::string& kind) {
  if (kind == "result_notice") return "要介護認定等結果通知書";
  if (kind == "entitlement_certificate") return "介護保険受給資格証明書";
  if (kind == "renewal_reminder") return "要介護認定 更新申請のお知らせ";
  if (kind == "postponement_notice") return "介護保険 認定延期通知書";
  return "認定";
}

std::string flow_of(const std::string& kind) {
  if (kind == "result_notice") return "NT-13";
  if (kind == "entitlement_certificate") return "NT-06";
  return "認定";
}

}  // namespace

Result<std::optional<CertificationDocument>> find_document(store::Connection& c, std::int64_t document_id) {
  auto row = c.query_one(fmt::format("SELECT {} FROM certification_document WHERE document_id = $1", detail::kDocumentColumns),
                         {document_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<CertificationDocument>{};
  auto d = detail::document_from(**row);
  if (!d) return std::unexpected(d.error());
  return std::optional<CertificationDocument>{std::move(*d)};
}

Result<std::vector<CertificationDocument>> documents_of_person(store::Connection& c, const std::string& person_id) {
  auto rows = c.query(fmt::format("SELECT {} FROM certification_document WHERE person_id = $1 ORDER BY document_id DESC",
                                  detail::kDocumentColumns),
                      {person_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<CertificationDocument> out;
  for (const auto& r : *rows) {
    auto d = detail::document_from(r);
    if (!d) return std::unexpected(d.error());
    out.push_back(std::move(*d));
  }
  return out;
}

Result<std::string> document_pdf(store::Database& db, const OutputContext& out, std::int64_t document_id) {
  std::optional<notice::Document> pages;
  std::string kind;
  auto read = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto d = find_document(c, document_id);
    if (!d) return std::unexpected(d.error());
    if (!*d) return fail(ErrorKind::not_found, fmt::format("no document {}", document_id), "document_id");
    kind = (*d)->kind;
    auto p = detail::document_pages(c, out, **d);
    if (!p) return std::unexpected(p.error());
    pages = std::move(*p);
    return {};
  });
  if (!read) return std::unexpected(read.error());
  return detail::pdf_bytes(*pages, title_of(kind), flow_of(kind));
}

Result<std::string> render_print_run(store::Database& db, const Clock& clock, const OutputContext& out,
                                     std::int64_t batch_run_id, const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  std::optional<notice::PdfWriter> writer;
  std::string kind;
  auto streamed = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto rows = c.query(fmt::format("SELECT {} FROM certification_document WHERE batch_run_id = $1 ORDER BY document_id",
                                    detail::kDocumentColumns),
                        {batch_run_id});
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) {
      auto d = detail::document_from(r);
      if (!d) return std::unexpected(d.error());
      if (!writer) {
        kind = d->kind;
        auto w = notice::PdfWriter::open(file, {title_of(kind), flow_of(kind)});
        if (!w) return std::unexpected(w.error());
        writer.emplace(std::move(*w));
      }
      auto pages = detail::document_pages(c, out, *d);
      if (!pages) return std::unexpected(pages.error());
      if (auto added = writer->add(*pages); !added) return added;
    }
    return {};
  });
  if (!streamed) return std::unexpected(streamed.error());
  std::string output;
  if (writer) {
    auto summary = writer->finish();
    if (!summary) return std::unexpected(summary.error());
    if (summary->pages > 0) output = file.string();
  }
  auto done = db.exec(
      "UPDATE batch_run SET status = 'done', output_path = $1, finished_at = $2, "
      "done_count = (SELECT COUNT(*) FROM certification_document WHERE batch_run_id = $3) WHERE batch_run_id = $3",
      {output.empty() ? store::null() : store::Value(output), clock.timestamp(), batch_run_id});
  if (!done) return std::unexpected(done.error());
  return output;
}

}  // namespace kaigo::certification
