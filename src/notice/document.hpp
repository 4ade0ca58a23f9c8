#pragma once
// The layout model every notice is written in: pages of a fixed size holding positioned text
// blocks, straight lines and ruled boxes. Coordinates are millimetres from the page's top-left
// corner (the unit of printed forms); font sizes are points. A document says nothing about PDF:
// PdfWriter turns it into pages, so a notice can be checked (tests, previews) without rendering.
#include <string>
#include <vector>

namespace kaigo::notice {

// The two families every notice uses; the writer maps them to IPAexMincho / IPAexGothic.
enum class FontFamily { mincho, gothic };
enum class Align { left, center, right };

struct TextBlock {
  double x_mm = 0;
  double y_mm = 0;
  // Wrapping width: pango breaks Japanese lines (kinsoku) inside it. 0 = one unwrapped line.
  double width_mm = 0;
  // When > 0 the text is centred vertically in a box of this height (table cells).
  double height_mm = 0;
  std::string text;  // UTF-8; '\n' starts a new line
  FontFamily family = FontFamily::mincho;
  double size_pt = 10;
  bool bold = false;
  Align align = Align::left;
  double line_spacing_pt = 0;  // extra space between lines (notes and letters read better)
};

struct LineSegment {
  double x1_mm = 0, y1_mm = 0, x2_mm = 0, y2_mm = 0;
  double width_pt = 0.5;
  bool dashed = false;  // fold and cut lines
};

struct Box {
  double x_mm = 0, y_mm = 0, width_mm = 0, height_mm = 0;
  double line_width_pt = 0.5;
};

struct Page {
  double width_mm = 210;
  double height_mm = 297;
  std::vector<TextBlock> texts;
  std::vector<LineSegment> lines;
  std::vector<Box> boxes;

  // Builders, so a notice reads as a list of what goes where.
  TextBlock& text(double x_mm, double y_mm, std::string text, double size_pt = 10,
                  FontFamily family = FontFamily::mincho);
  void line(double x1_mm, double y1_mm, double x2_mm, double y2_mm, double width_pt = 0.5,
            bool dashed = false);
  void box(double x_mm, double y_mm, double width_mm, double height_mm, double line_width_pt = 0.5);
};

struct Document {
  std::vector<Page> pages;
};

constexpr double kA4WidthMm = 210;
constexpr double kA4HeightMm = 297;
Page a4_portrait();

constexpr double points_per_mm() { return 72.0 / 25.4; }

}  // namespace kaigo::notice
