#pragma once
// The fonts a PdfWriter draws with: the Mincho and Gothic families looked up by name through
// fontconfig (via pango), checked to really be those families (fontconfig silently substitutes
// another font for a missing one, which would print Japanese as boxes), and the rule for
// characters a font does not have.
//
// The rule (docs/notices.md): a character the family's font cannot show is printed as 〓
// (U+3013, the 下駄記号 Japanese print uses for "character not available") and reported; a variation
// selector the font cannot apply is left out (the base character still prints) and reported.
// Nothing is dropped without a report. IPAex has 髙, 﨑, ① and half-width kana but not 𠮷.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "notice/document.hpp"

struct _PangoContext;  // pango's own type, kept out of this header

namespace kaigo::notice {

struct FontNames {
  std::string mincho = "IPAexMincho";
  std::string gothic = "IPAexGothic";
};

constexpr char32_t kSubstituteChar = U'\u3013';  // 〓

class FontSet {
 public:
  // Fails (unavailable) when a family is not installed; the message names the family and the
  // Debian package that provides it.
  static Result<FontSet> load(const FontNames& names = {});
  FontSet(FontSet&&) noexcept;
  FontSet& operator=(FontSet&&) noexcept;
  ~FontSet();

  const std::string& family_name(FontFamily f) const;
  // Applies the rule above to UTF-8 text. Replaced or left-out code points are appended to
  // `missing`. Invalid UTF-8 is an error (invalid_input), never printed as garbage.
  Result<std::string> fit_text(std::string_view utf8, FontFamily f,
                               std::vector<char32_t>& missing) const;
  // A fresh pango context on this set's font map (72 dpi, so a point is a PDF unit; no hinting,
  // so the layout is the same whatever the output). The caller owns it (g_object_unref).
  _PangoContext* new_context() const;

 private:
  struct Impl;
  explicit FontSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaigo::notice
