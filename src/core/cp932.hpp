#pragma once
// CP932 (Windows-31J, "Shift_JIS" as the 国保連 and the pension insurers mean it) ↔ UTF-8, through
// glibc iconv under the name "CP932" — never "SHIFT_JIS", which has no 髙, 﨑, ①, Ⅰ, ㈱ (NEC and
// IBM extensions) and maps 0x5C/0x7E to ¥/‾.
//
// Characters with no CP932 code (𠮷 U+20BB7 and everything else outside the BMP, most JIS X 0213
// additions): `encode` refuses them with an error that names the character (code point and the
// character itself — one character is not personal data) and its position; `encode_substituting`
// writes 〓 (U+3013, 0x81AC, the geta mark Japanese administrative files use for a 外字) instead
// and reports which characters were replaced, so a caller can say so (never silently).
//
// Round trip: decode(encode(s)) == s for every s that encodes. encode(decode(b)) keeps every
// character's byte length, so fixed-length fields keep their offsets; the bytes themselves may
// differ only for the NEC/IBM duplicates (e.g. 0x8790 ≒ comes back as 0x81E0), which glibc
// encodes to one canonical code.
//
// Thread-safety: every function is thread-safe (one iconv_t per thread and direction).
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kaigo::cp932 {

// UTF-8 → CP932. invalid_input when the input is not UTF-8 or holds a character with no CP932
// code: "U+20BB7 (𠮷) at character 3 has no CP932 code".
Result<std::string> encode(std::string_view utf8);

// The geta mark 〓 written for a character with no CP932 code.
inline constexpr std::string_view kSubstitute = "\xE3\x80\x93";  // U+3013

struct Substituted {
  std::string bytes;                 // CP932
  std::vector<char32_t> replaced;    // the characters written as 〓, in order
};
// UTF-8 → CP932 with 〓 for each character that has no code. invalid_input only when the input
// is not UTF-8.
Result<Substituted> encode_substituting(std::string_view utf8);

// CP932 → UTF-8. invalid_input "byte 17 (0x81 0x20) is not a CP932 character", with the offset
// (0-based) of the first bad sequence, when the bytes are not CP932.
Result<std::string> decode(std::string_view bytes);

// Whether every byte is 7-bit (ASCII is the same in CP932 and UTF-8: no conversion needed).
bool is_ascii(std::string_view s);

// "U+20BB7" for a code point.
std::string code_point_name(char32_t c);

// UTF-8 → code points; invalid_input (naming the byte offset) when not UTF-8.
Result<std::u32string> utf8_to_u32(std::string_view utf8);
std::string u32_to_utf8(std::u32string_view s);

// ---- Katakana width (the "X" fields of fixed-length files hold half-width katakana) ----

// Full-width katakana, ー, ・, 「」、。 and the ideographic space to their half-width forms
// (ガ → ｶﾞ, パ → ﾊﾟ, ヴ → ｳﾞ); ASCII is kept. ヮ ヰ ヱ ヵ ヶ have no half-width form and become
// ﾜ ｲ ｴ ｶ ｹ (the convention of the pension insurers' files). Full-width ASCII (Ａ, １) becomes
// ASCII. invalid_input naming the character for anything else (kanji, hiragana).
Result<std::string> to_halfwidth_katakana(std::string_view utf8);

// Half-width katakana to full-width, a voiced or semi-voiced mark joined to the kana before it
// (ｶﾞ → ガ, ｳﾞ → ヴ); a mark that cannot join becomes ゛/゜. Everything else is kept.
std::string to_fullwidth_katakana(std::string_view utf8);

}  // namespace kaigo::cp932
