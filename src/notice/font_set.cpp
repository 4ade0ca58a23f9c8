#include "notice/font_set.hpp"

#include <pango/pangocairo.h>

#include <utility>

namespace kaigo::notice {

namespace {

bool is_variation_selector(gunichar c) {
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

// Characters that are layout, not glyphs: never looked up in the font.
bool is_layout_control(gunichar c) { return c == '\n' || c == '\t' || c == '\r'; }

}  // namespace

struct FontSet::Impl {
  FontNames names;
  PangoFontMap* map = nullptr;
  PangoContext* context = nullptr;
  PangoFont* mincho = nullptr;
  PangoFont* gothic = nullptr;

  ~Impl() {
    if (mincho) g_object_unref(mincho);
    if (gothic) g_object_unref(gothic);
    if (context) g_object_unref(context);
    if (map) g_object_unref(map);
  }
  PangoFont* font(FontFamily f) const { return f == FontFamily::mincho ? mincho : gothic; }
};

FontSet::FontSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FontSet::FontSet(FontSet&&) noexcept = default;
FontSet& FontSet::operator=(FontSet&&) noexcept = default;
FontSet::~FontSet() = default;

static PangoContext* configured_context(PangoFontMap* map) {
  PangoContext* ctx = pango_font_map_create_context(map);
  pango_cairo_context_set_resolution(ctx, 72.0);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(ctx, options);
  cairo_font_options_destroy(options);
  return ctx;
}

// Loads the family and checks that fontconfig did not hand back a stand-in.
static Result<PangoFont*> load_family(PangoFontMap* map, PangoContext* ctx, const std::string& family) {
  PangoFontDescription* desc = pango_font_description_new();
  pango_font_description_set_family(desc, family.c_str());
  pango_font_description_set_size(desc, 10 * PANGO_SCALE);
  PangoFont* font = pango_font_map_load_font(map, ctx, desc);
  pango_font_description_free(desc);
  if (font) {
    PangoFontDescription* got = pango_font_describe(font);
    const char* got_family = pango_font_description_get_family(got);
    const bool same = got_family && g_ascii_strcasecmp(got_family, family.c_str()) == 0;
    pango_font_description_free(got);
    if (same) return font;
    g_object_unref(font);
  }
  return fail(ErrorKind::unavailable,
              "font family '" + family + "' is not installed (Debian package fonts-ipaexfont provides "
              "IPAexMincho and IPAexGothic); notices are not printed with a substitute font",
              "font");
}

Result<FontSet> FontSet::load(const FontNames& names) {
  auto impl = std::make_unique<Impl>();
  impl->names = names;
  impl->map = pango_cairo_font_map_new();
  impl->context = configured_context(impl->map);
  auto mincho = load_family(impl->map, impl->context, names.mincho);
  if (!mincho) return std::unexpected(mincho.error());
  impl->mincho = *mincho;
  auto gothic = load_family(impl->map, impl->context, names.gothic);
  if (!gothic) return std::unexpected(gothic.error());
  impl->gothic = *gothic;
  return FontSet(std::move(impl));
}

const std::string& FontSet::family_name(FontFamily f) const {
  return f == FontFamily::mincho ? impl_->names.mincho : impl_->names.gothic;
}

Result<std::string> FontSet::fit_text(std::string_view utf8, FontFamily f,
                                      std::vector<char32_t>& missing) const {
  const char* end = nullptr;
  if (!g_utf8_validate(utf8.data(), static_cast<gssize>(utf8.size()), &end)) {
    return fail(ErrorKind::invalid_input, "text for a notice is not valid UTF-8", "text");
  }
  PangoFont* font = impl_->font(f);
  std::string out;
  out.reserve(utf8.size());
  const char* p = utf8.data();
  const char* stop = utf8.data() + utf8.size();
  while (p < stop) {
    const char* next = g_utf8_next_char(p);
    const gunichar c = g_utf8_get_char(p);
    if (is_layout_control(c) || pango_font_has_char(font, c)) {
      out.append(p, next);
    } else {
      missing.push_back(static_cast<char32_t>(c));
      if (!is_variation_selector(c)) out += "\u3013";
    }
    p = next;
  }
  return out;
}

_PangoContext* FontSet::new_context() const { return configured_context(impl_->map); }

}  // namespace kaigo::notice
