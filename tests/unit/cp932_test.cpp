// CP932 through glibc iconv: the characters SHIFT_JIS lacks round-trip, characters with no code
// are named (or replaced by 〓 and reported), bad bytes are located, katakana widths convert.
#include <gtest/gtest.h>

#include "core/cp932.hpp"

namespace kaigo::cp932 {
namespace {

struct RoundTrip {
  const char* utf8;
  const char* cp932;  // expected bytes
  const char* note;
};

const RoundTrip kRoundTrips[] = {
    {"髙", "\xFB\xFC", "IBM extension 髙 (はしご高): lost by SHIFT_JIS"},
    {"﨑", "\xFA\xB1", "IBM extension 﨑 (たつさき)"},
    {"①", "\x87\x40", "NEC special character ①"},
    {"㈱", "\x87\x8A", "NEC special character ㈱"},
    {"Ⅰ", "\x87\x54", "NEC roman numeral Ⅰ"},
    {"～", "\x81\x60", "FULLWIDTH TILDE (CP932 0x8160, where SHIFT_JIS has WAVE DASH)"},
    {"髙橋 ﾀｶﾊｼ", "\xFB\xFC\x8B\xB4 \xC0\xB6\xCA\xBC", "half-width katakana are one byte"},
    {"ABC 123", "ABC 123", "ASCII unchanged"},
    {"\\~", "\\~", "0x5C and 0x7E stay backslash and tilde in CP932"},
};

TEST(Cp932, RoundTripsTheCharactersShiftJisLoses) {
  for (const auto& c : kRoundTrips) {
    auto bytes = encode(c.utf8);
    ASSERT_TRUE(bytes) << c.note << ": " << bytes.error().message;
    EXPECT_EQ(*bytes, std::string(c.cp932)) << c.note;
    auto back = decode(*bytes);
    ASSERT_TRUE(back) << c.note;
    EXPECT_EQ(*back, c.utf8) << c.note;
  }
}

TEST(Cp932, NamesACharacterWithNoCode) {
  auto r = encode("山田𠮷男");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(r.error().message.find("U+20BB7"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("𠮷"), std::string::npos);
  EXPECT_NE(r.error().message.find("character 3"), std::string::npos) << r.error().message;
}

TEST(Cp932, SubstitutesTheGetaMarkAndReportsIt) {
  auto r = encode_substituting("𠮷田 髙子𠀋");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->bytes, std::string("\x81\xAC\x93\x63 \xFB\xFC\x8E\x71\x81\xAC"));
  ASSERT_EQ(r->replaced.size(), 2u);
  EXPECT_EQ(r->replaced[0], U'\U00020BB7');
  EXPECT_EQ(r->replaced[1], U'\U0002000B');
  EXPECT_EQ(*decode(r->bytes), "〓田 髙子〓");
}

TEST(Cp932, LocatesBytesThatAreNotCp932) {
  auto bad = decode(std::string("AB\x81\x20", 4));  // a lead byte followed by a space
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("byte 2"), std::string::npos) << bad.error().message;
  auto cut = decode(std::string("AB\x82", 3));  // ends inside a character
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("byte 2"), std::string::npos) << cut.error().message;
  EXPECT_FALSE(encode(std::string("\xFF\xFE", 2))) << "not UTF-8";
}

TEST(Cp932, DecodeThenEncodeKeepsEveryCharactersLength) {
  // NEC row 13 ≒ (0x8790) has a JIS X 0208 twin (0x81E0): glibc gives the twin back — same length,
  // so the offsets of fixed-length fields hold.
  auto text = decode(std::string("\x87\x90", 2));
  ASSERT_TRUE(text);
  auto again = encode(*text);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->size(), 2u);
}

struct Width {
  const char* full;
  const char* half;
  const char* note;
};
const Width kWidths[] = {
    {"ヤマダ タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "voiced mark becomes a second character"},
    {"パン", "ﾊﾟﾝ", "semi-voiced"},
    {"ヴィクトール", "ｳﾞｨｸﾄｰﾙ", "ヴ and the long vowel mark"},
    {"ショウ　ジ", "ｼｮｳ ｼﾞ", "ideographic space becomes a space"},
    {"ＡＢ１", "AB1", "full-width ASCII"},
};

TEST(Cp932, KatakanaWidths) {
  for (const auto& w : kWidths) {
    auto half = to_halfwidth_katakana(w.full);
    ASSERT_TRUE(half) << w.note;
    EXPECT_EQ(*half, w.half) << w.note;
  }
  // Back to full width, marks joined (ＡＢ１ stays ASCII: only katakana widen).
  EXPECT_EQ(to_fullwidth_katakana("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダ タロウ");
  EXPECT_EQ(to_fullwidth_katakana("ｳﾞｨｸﾄｰﾙ"), "ヴィクトール");
  EXPECT_EQ(to_fullwidth_katakana("ﾊﾟﾝ ｦ"), "パン ヲ");
  EXPECT_EQ(to_fullwidth_katakana("ﾞｱ"), "゛ア") << "a mark with nothing to join";
  // ヰ ヱ ヶ have no half-width letter: the pension insurers' convention.
  EXPECT_EQ(*to_halfwidth_katakana("ヰヱヶ"), "ｲｴｹ");
  auto kanji = to_halfwidth_katakana("山田");
  ASSERT_FALSE(kanji);
  EXPECT_NE(kanji.error().message.find("U+5C71"), std::string::npos) << kanji.error().message;
}

}  // namespace
}  // namespace kaigo::cp932
