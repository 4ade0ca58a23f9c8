#include "core/cp932.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

namespace kaigo::cp932 {

namespace {

// One conversion descriptor per thread and direction: an iconv_t keeps shift state and must not
// be shared between threads.
class Converter {
 public:
  Converter(const char* to, const char* from) : cd_(::iconv_open(to, from)) {
    if (cd_ == reinterpret_cast<iconv_t>(-1))
      throw std::runtime_error(fmt::format("iconv cannot convert {} to {} (glibc gconv modules missing?)", from, to));
  }
  ~Converter() { ::iconv_close(cd_); }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;
  iconv_t get() {
    ::iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // back to the initial state
    return cd_;
  }

 private:
  iconv_t cd_;
};

iconv_t encoder() {
  thread_local Converter c("CP932", "UTF-8");
  return c.get();
}
iconv_t decoder() {
  thread_local Converter c("UTF-8", "CP932");
  return c.get();
}

// Length of the UTF-8 sequence starting with byte b (0 when b cannot start one).
size_t utf8_length(unsigned char b) {
  if (b < 0x80) return 1;
  if ((b >> 5) == 0x6) return 2;
  if ((b >> 4) == 0xE) return 3;
  if ((b >> 3) == 0x1E) return 4;
  return 0;
}

// Decodes one UTF-8 character at s[i]; nullopt when malformed.
std::optional<std::pair<char32_t, size_t>> next_char(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const size_t n = utf8_length(b0);
  if (n == 0 || i + n > s.size()) return std::nullopt;
  char32_t c = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b >> 6) != 0x2) return std::nullopt;
    c = (c << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
      (c >= 0xD800 && c <= 0xDFFF))
    return std::nullopt;
  return std::pair{c, n};
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Counts the characters of the (valid UTF-8) prefix s[0, end).
size_t char_index(std::string_view s, size_t end) {
  size_t n = 0;
  for (size_t i = 0; i < end; ++n) i += std::max<size_t>(1, utf8_length(static_cast<unsigned char>(s[i])));
  return n;
}

// The shared loop of encode / encode_substituting: converts `utf8`, and on a character with no
// code calls on_unmappable(code point, character index), which either appends a substitute to
// `out` and returns true (go on) or returns false (stop with that error).
template <typename OnUnmappable>
Result<std::string> encode_with(std::string_view utf8, OnUnmappable on_unmappable) {
  if (is_ascii(utf8)) return std::string(utf8);
  // Validate first, so iconv only ever stops on characters CP932 lacks.
  for (size_t i = 0; i < utf8.size();) {
    auto ch = next_char(utf8, i);
    if (!ch) return fail(ErrorKind::invalid_input, fmt::format("byte {} is not UTF-8", i), "encoding");
    i += ch->second;
  }
  std::string out(utf8.size() + 8, '\0');
  iconv_t cd = encoder();
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* dst = out.data();
  size_t out_left = out.size();
  while (in_left > 0) {
    const size_t r = ::iconv(cd, &in, &in_left, &dst, &out_left);
    if (r != static_cast<size_t>(-1)) break;
    if (errno == EILSEQ) {
      const size_t at = static_cast<size_t>(in - utf8.data());
      auto ch = next_char(utf8, at);
      if (!ch) return fail(ErrorKind::invalid_input, fmt::format("byte {} is not UTF-8", at), "encoding");
      const size_t written = static_cast<size_t>(dst - out.data());
      std::string tail;
      auto stop = on_unmappable(ch->first, char_index(utf8, at), tail);
      if (stop) return std::unexpected(*stop);
      // Grow for the substitute, then continue after the character.
      out.resize(out.size() + tail.size());
      dst = out.data() + written;
      out_left = out.size() - written;
      std::copy(tail.begin(), tail.end(), dst);
      dst += tail.size();
      out_left -= tail.size();
      in += ch->second;
      in_left -= ch->second;
      continue;
    }
    if (errno == E2BIG) {  // cannot happen with the size chosen above; grow anyway
      const size_t written = static_cast<size_t>(dst - out.data());
      out.resize(out.size() * 2);
      dst = out.data() + written;
      out_left = out.size() - written;
      continue;
    }
    return fail(ErrorKind::invalid_input, "the text ends inside a character", "encoding");
  }
  out.resize(static_cast<size_t>(dst - out.data()));
  return out;
}

}  // namespace

bool is_ascii(std::string_view s) {
  for (char ch : s)
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  return true;
}

std::string code_point_name(char32_t c) { return fmt::format("U+{:04X}", static_cast<std::uint32_t>(c)); }

Result<std::string> encode(std::string_view utf8) {
  return encode_with(utf8, [](char32_t c, size_t index, std::string&) -> std::optional<Error> {
    std::string ch;
    append_utf8(ch, c);
    return Error{ErrorKind::invalid_input,
                 fmt::format("{} ({}) at character {} has no CP932 code", code_point_name(c), ch, index + 1), "encoding"};
  });
}

Result<Substituted> encode_substituting(std::string_view utf8) {
  Substituted s;
  auto bytes = encode_with(utf8, [&s](char32_t c, size_t, std::string& tail) -> std::optional<Error> {
    s.replaced.push_back(c);
    tail = "\x81\xAC";  // 〓 in CP932
    return std::nullopt;
  });
  if (!bytes) return std::unexpected(bytes.error());
  s.bytes = std::move(*bytes);
  return s;
}

Result<std::string> decode(std::string_view bytes) {
  if (is_ascii(bytes)) return std::string(bytes);
  std::string out(bytes.size() * 3 + 8, '\0');
  iconv_t cd = decoder();
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* dst = out.data();
  size_t out_left = out.size();
  if (::iconv(cd, &in, &in_left, &dst, &out_left) == static_cast<size_t>(-1)) {
    const size_t at = static_cast<size_t>(in - bytes.data());
    const std::string shown = at + 1 < bytes.size()
                                  ? fmt::format("0x{:02X} 0x{:02X}", static_cast<unsigned char>(bytes[at]),
                                                static_cast<unsigned char>(bytes[at + 1]))
                                  : fmt::format("0x{:02X}", static_cast<unsigned char>(bytes[at]));
    if (errno == EINVAL)
      return fail(ErrorKind::invalid_input, fmt::format("byte {} ({}) starts a CP932 character that the text cuts off", at, shown),
                  "encoding");
    return fail(ErrorKind::invalid_input, fmt::format("byte {} ({}) is not a CP932 character", at, shown), "encoding");
  }
  out.resize(static_cast<size_t>(dst - out.data()));
  return out;
}

Result<std::u32string> utf8_to_u32(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    auto ch = next_char(utf8, i);
    if (!ch) return fail(ErrorKind::invalid_input, fmt::format("byte {} is not UTF-8", i), "encoding");
    out += ch->first;
    i += ch->second;
  }
  return out;
}

std::string u32_to_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

// ---- Katakana width ----

namespace {

// Full-width katakana ァ (U+30A1) … ン (U+30F3) to half-width: the base letter, and 1 for a
// voiced mark (ﾞ) or 2 for a semi-voiced mark (ﾟ). 0 = no half-width form (handled apart).
struct Half {
  char32_t base;
  int mark;
};
constexpr Half kHalf[] = {
    // ァ ア ィ イ ゥ ウ ェ エ ォ オ
    {0xFF67, 0}, {0xFF71, 0}, {0xFF68, 0}, {0xFF72, 0}, {0xFF69, 0}, {0xFF73, 0}, {0xFF6A, 0}, {0xFF74, 0}, {0xFF6B, 0}, {0xFF75, 0},
    // カ ガ キ ギ ク グ ケ ゲ コ ゴ
    {0xFF76, 0}, {0xFF76, 1}, {0xFF77, 0}, {0xFF77, 1}, {0xFF78, 0}, {0xFF78, 1}, {0xFF79, 0}, {0xFF79, 1}, {0xFF7A, 0}, {0xFF7A, 1},
    // サ ザ シ ジ ス ズ セ ゼ ソ ゾ
    {0xFF7B, 0}, {0xFF7B, 1}, {0xFF7C, 0}, {0xFF7C, 1}, {0xFF7D, 0}, {0xFF7D, 1}, {0xFF7E, 0}, {0xFF7E, 1}, {0xFF7F, 0}, {0xFF7F, 1},
    // タ ダ チ ヂ ッ ツ ヅ テ デ ト ド
    {0xFF80, 0}, {0xFF80, 1}, {0xFF81, 0}, {0xFF81, 1}, {0xFF6F, 0}, {0xFF82, 0}, {0xFF82, 1}, {0xFF83, 0}, {0xFF83, 1}, {0xFF84, 0},
    {0xFF84, 1},
    // ナ ニ ヌ ネ ノ
    {0xFF85, 0}, {0xFF86, 0}, {0xFF87, 0}, {0xFF88, 0}, {0xFF89, 0},
    // ハ バ パ ヒ ビ ピ フ ブ プ ヘ ベ ペ ホ ボ ポ
    {0xFF8A, 0}, {0xFF8A, 1}, {0xFF8A, 2}, {0xFF8B, 0}, {0xFF8B, 1}, {0xFF8B, 2}, {0xFF8C, 0}, {0xFF8C, 1}, {0xFF8C, 2},
    {0xFF8D, 0}, {0xFF8D, 1}, {0xFF8D, 2}, {0xFF8E, 0}, {0xFF8E, 1}, {0xFF8E, 2},
    // マ ミ ム メ モ
    {0xFF8F, 0}, {0xFF90, 0}, {0xFF91, 0}, {0xFF92, 0}, {0xFF93, 0},
    // ャ ヤ ュ ユ ョ ヨ
    {0xFF6C, 0}, {0xFF94, 0}, {0xFF6D, 0}, {0xFF95, 0}, {0xFF6E, 0}, {0xFF96, 0},
    // ラ リ ル レ ロ
    {0xFF97, 0}, {0xFF98, 0}, {0xFF99, 0}, {0xFF9A, 0}, {0xFF9B, 0},
    // ヮ ワ ヰ ヱ ヲ ン
    {0xFF9C, 0}, {0xFF9C, 0}, {0xFF72, 0}, {0xFF74, 0}, {0xFF66, 0}, {0xFF9D, 0},
};
static_assert(std::size(kHalf) == 0x30F3 - 0x30A1 + 1);

constexpr char32_t kVoiced = 0xFF9E, kSemiVoiced = 0xFF9F;

}  // namespace

Result<std::string> to_halfwidth_katakana(std::string_view utf8) {
  auto chars = utf8_to_u32(utf8);
  if (!chars) return std::unexpected(chars.error());
  std::u32string out;
  size_t index = 0;
  for (char32_t c : *chars) {
    ++index;
    if (c < 0x80) {
      out += c;
    } else if (c >= 0x30A1 && c <= 0x30F3) {
      const Half h = kHalf[c - 0x30A1];
      out += h.base;
      if (h.mark == 1) out += kVoiced;
      if (h.mark == 2) out += kSemiVoiced;
    } else if (c == 0x30F4) {  // ヴ
      out += U"\uFF73\uFF9E";
    } else if (c == 0x30F5) {  // ヵ
      out += 0xFF76;
    } else if (c == 0x30F6) {  // ヶ
      out += 0xFF79;
    } else if (c == 0x30FC) {  // ー
      out += 0xFF70;
    } else if (c == 0x30FB) {  // ・
      out += 0xFF65;
    } else if (c == 0x3000) {  // 全角空白
      out += U' ';
    } else if (c == 0x3001) {
      out += 0xFF64;
    } else if (c == 0x3002) {
      out += 0xFF61;
    } else if (c == 0x300C) {
      out += 0xFF62;
    } else if (c == 0x300D) {
      out += 0xFF63;
    } else if (c == 0x309B || c == 0x3099) {
      out += kVoiced;
    } else if (c == 0x309C || c == 0x309A) {
      out += kSemiVoiced;
    } else if (c >= 0xFF01 && c <= 0xFF5E) {  // full-width ASCII
      out += c - 0xFF01 + 0x21;
    } else if (c >= 0xFF61 && c <= 0xFF9F) {  // already half-width
      out += c;
    } else {
      return fail(ErrorKind::invalid_input,
                  fmt::format("{} ({}) at character {} has no half-width form", code_point_name(c),
                              u32_to_utf8(std::u32string(1, c)), index),
                  "encoding");
    }
  }
  return u32_to_utf8(out);
}

std::string to_fullwidth_katakana(std::string_view utf8) {
  auto chars = utf8_to_u32(utf8);
  if (!chars) return std::string(utf8);
  std::u32string out;
  for (char32_t c : *chars) {
    if ((c == kVoiced || c == kSemiVoiced) && !out.empty()) {
      // Join the mark to the kana before it when a voiced form exists (カ+ﾞ → ガ, ウ+ﾞ → ヴ).
      const char32_t prev = out.back();
      const int mark = c == kVoiced ? 1 : 2;
      bool joined = false;
      if (prev == 0x30A6 && mark == 1) {
        out.back() = 0x30F4;
        joined = true;
      } else if (prev >= 0x30A1 && prev <= 0x30F3) {
        const Half base = kHalf[prev - 0x30A1];
        if (base.mark == 0) {
          for (char32_t k = prev + 1; k <= 0x30F3 && k <= prev + 2; ++k)
            if (kHalf[k - 0x30A1].base == base.base && kHalf[k - 0x30A1].mark == mark) {
              out.back() = k;
              joined = true;
              break;
            }
        }
      }
      if (!joined) out += c == kVoiced ? 0x309B : 0x309C;
      continue;
    }
    if (c >= 0xFF66 && c <= 0xFF9D) {
      // The first full-width katakana whose half-width form is this letter without a mark.
      char32_t full = 0;
      if (c == 0xFF70) full = 0x30FC;
      else
        for (char32_t k = 0x30A1; k <= 0x30F3; ++k)
          if (kHalf[k - 0x30A1].base == c && kHalf[k - 0x30A1].mark == 0 && k != 0x30EE && k != 0x30F0 && k != 0x30F1) {
            full = k;
            break;
          }
      out += full ? full : c;
      continue;
    }
    switch (c) {
      case 0xFF61: out += 0x3002; break;
      case 0xFF62: out += 0x300C; break;
      case 0xFF63: out += 0x300D; break;
      case 0xFF64: out += 0x3001; break;
      case 0xFF65: out += 0x30FB; break;
      case kVoiced: out += 0x309B; break;
      case kSemiVoiced: out += 0x309C; break;
      default: out += c;
    }
  }
  return u32_to_utf8(out);
}

}  // namespace kaigo::cp932
