#include "notice/pdf_writer.hpp"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <system_error>
#include <utility>

namespace kaigo::notice {

namespace {

double pt(double mm) { return mm * points_per_mm(); }

PangoAlignment pango_alignment(Align a) {
  switch (a) {
    case Align::center: return PANGO_ALIGN_CENTER;
    case Align::right: return PANGO_ALIGN_RIGHT;
    case Align::left: break;
  }
  return PANGO_ALIGN_LEFT;
}

// A text block after the font rule was applied, ready to draw.
struct FittedText {
  const TextBlock* block;
  std::string text;
};

}  // namespace

struct PdfWriter::Impl {
  std::filesystem::path file;
  FontSet fonts;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  PangoContext* context = nullptr;
  PangoLayout* layout = nullptr;  // reused for every text block (a new one each costs more)
  PangoFontDescription* faces[2][2] = {};  // [family][bold]
  int pages = 0;
  std::vector<Substitution> substitutions;
  bool finished = false;

  explicit Impl(FontSet f) : fonts(std::move(f)) {}
  ~Impl() {
    close();
    for (auto& by_family : faces)
      for (PangoFontDescription* d : by_family)
        if (d) pango_font_description_free(d);
    if (layout) g_object_unref(layout);
    if (context) g_object_unref(context);
  }

  // Ends the PDF; returns cairo's status.
  cairo_status_t close() {
    if (finished) return CAIRO_STATUS_SUCCESS;
    finished = true;
    cairo_status_t status = CAIRO_STATUS_SUCCESS;
    if (cr) {
      cairo_destroy(cr);
      cr = nullptr;
    }
    if (surface) {
      cairo_surface_finish(surface);
      status = cairo_surface_status(surface);
      cairo_surface_destroy(surface);
      surface = nullptr;
    }
    return status;
  }

  void draw_text(const TextBlock& b, const std::string& text) {
    PangoFontDescription* face = faces[b.family == FontFamily::gothic ? 1 : 0][b.bold ? 1 : 0];
    pango_font_description_set_size(face, static_cast<int>(b.size_pt * PANGO_SCALE));
    pango_layout_set_font_description(layout, face);
    pango_layout_set_width(layout, b.width_mm > 0 ? pango_units_from_double(pt(b.width_mm)) : -1);
    pango_layout_set_alignment(layout, pango_alignment(b.align));
    pango_layout_set_spacing(layout, pango_units_from_double(b.line_spacing_pt));
    pango_layout_set_text(layout, text.c_str(), static_cast<int>(text.size()));
    double y = pt(b.y_mm);
    if (b.height_mm > 0) {
      PangoRectangle logical;
      pango_layout_get_extents(layout, nullptr, &logical);
      y += (pt(b.height_mm) - pango_units_to_double(logical.height)) / 2;
    }
    cairo_move_to(cr, pt(b.x_mm), y);
    pango_cairo_show_layout(cr, layout);
  }

  void draw_page(const Page& page, const std::vector<FittedText>& texts) {
    cairo_pdf_surface_set_size(surface, pt(page.width_mm), pt(page.height_mm));
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (const Box& b : page.boxes) {
      cairo_set_line_width(cr, b.line_width_pt);
      cairo_rectangle(cr, pt(b.x_mm), pt(b.y_mm), pt(b.width_mm), pt(b.height_mm));
      cairo_stroke(cr);
    }
    const double dash[] = {3.0, 2.0};
    for (const LineSegment& l : page.lines) {
      cairo_set_line_width(cr, l.width_pt);
      cairo_set_dash(cr, dash, l.dashed ? 2 : 0, 0);
      cairo_move_to(cr, pt(l.x1_mm), pt(l.y1_mm));
      cairo_line_to(cr, pt(l.x2_mm), pt(l.y2_mm));
      cairo_stroke(cr);
    }
    cairo_set_dash(cr, dash, 0, 0);
    for (const FittedText& t : texts) draw_text(*t.block, t.text);
    cairo_show_page(cr);
  }
};

PdfWriter::PdfWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfWriter::PdfWriter(PdfWriter&&) noexcept = default;
PdfWriter& PdfWriter::operator=(PdfWriter&&) noexcept = default;
PdfWriter::~PdfWriter() = default;

Result<PdfWriter> PdfWriter::open(const std::filesystem::path& file, const PdfMetadata& metadata,
                                  const FontNames& fonts) {
  auto font_set = FontSet::load(fonts);
  if (!font_set) return std::unexpected(font_set.error());
  auto impl = std::make_unique<Impl>(std::move(*font_set));
  impl->file = file;
  impl->surface = cairo_pdf_surface_create(file.c_str(), pt(kA4WidthMm), pt(kA4HeightMm));
  if (cairo_surface_status(impl->surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(impl->surface);
    impl->surface = nullptr;
    impl->finished = true;
    return fail(ErrorKind::unavailable, "cannot create the PDF print file", "file");
  }
  cairo_pdf_surface_set_metadata(impl->surface, CAIRO_PDF_METADATA_TITLE, metadata.title.c_str());
  if (!metadata.subject.empty())
    cairo_pdf_surface_set_metadata(impl->surface, CAIRO_PDF_METADATA_SUBJECT, metadata.subject.c_str());
  cairo_pdf_surface_set_metadata(impl->surface, CAIRO_PDF_METADATA_CREATOR, kPdfCreator);
  impl->cr = cairo_create(impl->surface);
  impl->context = impl->fonts.new_context();
  pango_cairo_update_context(impl->cr, impl->context);
  impl->layout = pango_layout_new(impl->context);
  pango_layout_set_wrap(impl->layout, PANGO_WRAP_WORD_CHAR);
  for (int family = 0; family < 2; ++family) {
    for (int bold = 0; bold < 2; ++bold) {
      PangoFontDescription* d = pango_font_description_new();
      const FontFamily f = family == 0 ? FontFamily::mincho : FontFamily::gothic;
      pango_font_description_set_family(d, impl->fonts.family_name(f).c_str());
      pango_font_description_set_weight(d, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
      impl->faces[family][bold] = d;
    }
  }
  return PdfWriter(std::move(impl));
}

Result<void> PdfWriter::add(const Document& doc) {
  Impl& w = *impl_;
  if (w.finished) return fail(ErrorKind::conflict, "the print file is already finished");
  // Fit every text first: a document that cannot be printed leaves the file untouched.
  std::vector<std::vector<FittedText>> fitted(doc.pages.size());
  std::vector<Substitution> found;
  for (std::size_t i = 0; i < doc.pages.size(); ++i) {
    for (const TextBlock& b : doc.pages[i].texts) {
      std::vector<char32_t> missing;
      auto text = w.fonts.fit_text(b.text, b.family, missing);
      if (!text) return std::unexpected(text.error());
      for (char32_t c : missing) found.push_back(Substitution{c, w.pages + static_cast<int>(i) + 1});
      fitted[i].push_back(FittedText{&b, std::move(*text)});
    }
  }
  for (std::size_t i = 0; i < doc.pages.size(); ++i) {
    w.draw_page(doc.pages[i], fitted[i]);
    ++w.pages;
  }
  w.substitutions.insert(w.substitutions.end(), found.begin(), found.end());
  if (cairo_status(w.cr) != CAIRO_STATUS_SUCCESS)
    return fail(ErrorKind::unavailable, "writing the PDF print file failed", "file");
  return {};
}

Result<PrintFileSummary> PdfWriter::finish() {
  Impl& w = *impl_;
  if (w.finished) return fail(ErrorKind::conflict, "the print file is already finished");
  if (w.close() != CAIRO_STATUS_SUCCESS)
    return fail(ErrorKind::unavailable, "finishing the PDF print file failed", "file");
  std::error_code ec;
  if (w.pages == 0) {
    // cairo writes one blank page for an empty surface; a run with nothing to print (no one
    // turned 65 this month) leaves no print file instead.
    std::filesystem::remove(w.file, ec);
    return PrintFileSummary{};
  }
  const auto bytes = std::filesystem::file_size(w.file, ec);
  if (ec) return fail(ErrorKind::unavailable, "the PDF print file is not readable after writing", "file");
  return PrintFileSummary{w.pages, bytes, w.substitutions};
}

int PdfWriter::pages() const { return impl_->pages; }
const std::vector<Substitution>& PdfWriter::substitutions() const { return impl_->substitutions; }

}  // namespace kaigo::notice
