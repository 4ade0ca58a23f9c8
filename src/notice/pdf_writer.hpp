#pragma once
// Streams documents into ONE PDF file, page after page: a single notice from the UI is a file of
// one document; a batch run (every new insurance card of the month) is one print file of
// thousands. Pages are drawn by cairo's PDF surface and text is laid out by pango (Japanese line
// breaking, kinsoku) in the IPAex fonts, which are embedded as subsets, so the text stays
// extractable (pdftotext reads it back).
//
// Thread-safety: a PdfWriter is used by one thread at a time. Writers on different threads are
// independent (each has its own font map and pango context), so batch runs may write several
// print files in parallel.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "notice/document.hpp"
#include "notice/font_set.hpp"

namespace kaigo::notice {

struct PdfMetadata {
  std::string title;    // e.g. "介護保険被保険者証"; no personal data (print files are listed)
  std::string subject;  // optional
};
inline constexpr const char* kPdfCreator = "kaigo";

// A character the fonts could not show (see font_set.hpp for the rule): staff see the list after
// a run and write those characters by hand on the printed page.
struct Substitution {
  char32_t code_point = 0;
  int page = 0;  // 1-based page of the print file
};

struct PrintFileSummary {
  int pages = 0;
  std::uintmax_t bytes = 0;
  std::vector<Substitution> substitutions;
};

class PdfWriter {
 public:
  // Creates (truncates) the file. Fails when the fonts are missing (unavailable) or the file
  // cannot be created (unavailable).
  static Result<PdfWriter> open(const std::filesystem::path& file, const PdfMetadata& metadata,
                                const FontNames& fonts = {});
  PdfWriter(PdfWriter&&) noexcept;
  PdfWriter& operator=(PdfWriter&&) noexcept;
  // Finishes the file if finish() was not called (its errors are then lost: call finish()).
  ~PdfWriter();

  // Appends the document's pages. A document with invalid UTF-8 is refused before any of its
  // pages is drawn, so the print file never holds half a notice.
  Result<void> add(const Document& doc);
  // Writes the trailer and closes the file. A writer that got no page removes its file and
  // reports 0 pages: an empty run leaves no print file (cairo would write one blank page).
  Result<PrintFileSummary> finish();

  int pages() const;
  const std::vector<Substitution>& substitutions() const;

 private:
  struct Impl;
  explicit PdfWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaigo::notice
