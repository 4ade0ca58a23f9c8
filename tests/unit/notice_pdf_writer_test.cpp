// The notice engine: a document into a PDF whose text reads back, fonts embedded, A4 pages,
// metadata, missing fonts refused, characters outside the font substituted and reported.
#include <gtest/gtest.h>

#include "support/poppler.hpp"

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

#include <unistd.h>

#include "notice/document.hpp"
#include "notice/pdf_writer.hpp"

namespace {

using namespace kaigo::notice;
using kaigo::testing::has_field;
using kaigo::testing::have;
using kaigo::testing::run;


Document sample(const std::string& text) {
  Page page = a4_portrait();
  page.text(20, 20, "見出し", 14, FontFamily::gothic).bold = true;
  TextBlock& body = page.text(20, 40, text, 10);
  body.width_mm = 100;
  page.text(20, 30, "ゴシック体", 9, FontFamily::gothic);
  page.box(15, 15, 180, 100);
  page.line(15, 30, 195, 30, 0.5, true);
  Document doc;
  doc.pages.push_back(std::move(page));
  return doc;
}

TEST(NoticePdfWriter, TextReadsBackAndFontsAreEmbeddedOnA4) {
  if (!have("pdftotext") || !have("pdffonts") || !have("pdfinfo")) GTEST_SKIP() << "poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed";
  const auto file = kaigo::testing::temp_pdf("notice_basic");
  auto w = PdfWriter::open(file, PdfMetadata{"テスト通知", ""});
  ASSERT_TRUE(w) << w.error().message;
  ASSERT_TRUE(w->add(sample("髙橋　﨑　①　ｶﾀｶﾅ　令和7年4月1日")));
  auto summary = w->finish();
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->pages, 1);
  EXPECT_GT(summary->bytes, 0u);
  EXPECT_TRUE(summary->substitutions.empty());

  const std::string text = run("pdftotext -layout " + file.string() + " -");
  for (const char* s : {"見出し", "髙橋", "﨑", "①", "ｶﾀｶﾅ", "令和7年4月1日"}) EXPECT_NE(text.find(s), std::string::npos) << s;
  const std::string fonts = run("pdffonts " + file.string());
  EXPECT_NE(fonts.find("IPAexMincho"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("IPAexGothic"), std::string::npos) << fonts;
  // Synthetic bold (IPAex has no bold face) is embedded as cairo's converted outline font
  // "CairoFont-…"; every font line says emb "yes": no font is left to the viewer's substitution.
  EXPECT_EQ(fonts.find(" no "), std::string::npos) << fonts;
  const std::string info = run("pdfinfo " + file.string());
  EXPECT_NE(info.find("(A4)"), std::string::npos) << info;
  EXPECT_TRUE(has_field(info, "Title", "テスト通知")) << info;
  EXPECT_TRUE(has_field(info, "Creator", "kaigo")) << info;
  std::filesystem::remove(file);
}

TEST(NoticePdfWriter, ACharacterOutsideTheFontIsPrintedAsGetaAndReported) {
  const auto file = kaigo::testing::temp_pdf("notice_geta");
  auto w = PdfWriter::open(file, PdfMetadata{"t", ""});
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->add(sample("一頁目")));
  // 𠮷 (U+20BB7) is not in IPAex; a variation selector the font cannot apply is left out.
  ASSERT_TRUE(w->add(sample("𠮷野　葛\U000E0100城")));
  ASSERT_EQ(w->substitutions().size(), 2u);
  EXPECT_EQ(w->substitutions()[0].code_point, U'\U00020BB7');
  EXPECT_EQ(w->substitutions()[0].page, 2);
  EXPECT_EQ(w->substitutions()[1].code_point, U'\U000E0100');
  auto summary = w->finish();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->substitutions.size(), 2u);
  if (have("pdftotext")) {
    const std::string text = run("pdftotext -f 2 -l 2 " + file.string() + " -");
    EXPECT_NE(text.find("〓野"), std::string::npos) << text;
    EXPECT_NE(text.find("葛城"), std::string::npos) << text;
  }
  std::filesystem::remove(file);
}

TEST(NoticePdfWriter, MissingFontsAreRefusedWithAClearError) {
  const auto file = kaigo::testing::temp_pdf("notice_nofont");
  auto w = PdfWriter::open(file, PdfMetadata{"t", ""}, FontNames{"KaigoNoSuchMincho", "IPAexGothic"});
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().kind, kaigo::ErrorKind::unavailable);
  EXPECT_NE(w.error().message.find("KaigoNoSuchMincho"), std::string::npos);
  EXPECT_NE(w.error().message.find("fonts-ipaexfont"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(file));
}

TEST(NoticePdfWriter, InvalidUtf8IsRefusedAndNoPageIsWritten) {
  const auto file = kaigo::testing::temp_pdf("notice_utf8");
  auto w = PdfWriter::open(file, PdfMetadata{"t", ""});
  ASSERT_TRUE(w);
  auto r = w->add(sample(std::string("abc\xff\xfe")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, kaigo::ErrorKind::invalid_input);
  EXPECT_EQ(w->pages(), 0);
  ASSERT_TRUE(w->add(sample("正しい文字列")));
  EXPECT_EQ(w->pages(), 1);
  ASSERT_TRUE(w->finish());
  std::filesystem::remove(file);
}

TEST(NoticePdfWriter, FinishTwiceIsAConflict) {
  const auto file = kaigo::testing::temp_pdf("notice_twice");
  auto w = PdfWriter::open(file, PdfMetadata{"t", ""});
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->add(sample("x")));
  ASSERT_TRUE(w->finish());
  auto again = w->finish();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, kaigo::ErrorKind::conflict);
  EXPECT_FALSE(w->add(sample("y")));
  std::filesystem::remove(file);
}

TEST(NoticePdfWriter, AWriterWithNoPageLeavesNoPrintFile) {
  const auto file = kaigo::testing::temp_pdf("notice_empty");
  auto w = PdfWriter::open(file, PdfMetadata{"t", ""});
  ASSERT_TRUE(w);
  auto summary = w->finish();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->pages, 0);
  EXPECT_EQ(summary->bytes, 0u);
  EXPECT_FALSE(std::filesystem::exists(file));
}

}  // namespace
