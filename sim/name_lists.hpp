#pragma once
// Japanese family and given names for the synthetic city, kanji with full-width katakana readings.
//
// Family names follow the frequency order of the common surname rankings (佐藤, 鈴木, 高橋, …);
// weights are rough population figures in thousands. The list deliberately includes variant
// kanji that Shift_JIS loses but CP932 keeps (髙橋, 山﨑, 宮﨑, 髙木, 髙田, 岩﨑) and one name
// outside the BMP with no CP932 code at all (𠮷田), so the file codecs meet them in tests.
// Given names are by sex and birth generation (names popular when each cohort was born).
#include <cstdint>
#include <span>
#include <string_view>

namespace kaigo::sim {

struct NameEntry {
  std::string_view kanji;
  std::string_view kana;  // full-width katakana
  std::uint32_t weight;
};

std::span<const NameEntry> family_names();
// sex: '1' male, '2' female (住基 code).
std::span<const NameEntry> given_names(char sex, int birth_year);

// Weights of a name list, for Prng::pick.
std::span<const std::uint32_t> weights_of(std::span<const NameEntry> names);

}  // namespace kaigo::sim
