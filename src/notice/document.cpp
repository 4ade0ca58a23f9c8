#include "notice/document.hpp"

#include <utility>

namespace kaigo::notice {

TextBlock& Page::text(double x_mm, double y_mm, std::string text, double size_pt, FontFamily family) {
  TextBlock t;
  t.x_mm = x_mm;
  t.y_mm = y_mm;
  t.text = std::move(text);
  t.size_pt = size_pt;
  t.family = family;
  texts.push_back(std::move(t));
  return texts.back();
}

void Page::line(double x1_mm, double y1_mm, double x2_mm, double y2_mm, double width_pt, bool dashed) {
  lines.push_back(LineSegment{x1_mm, y1_mm, x2_mm, y2_mm, width_pt, dashed});
}

void Page::box(double x_mm, double y_mm, double width_mm, double height_mm, double line_width_pt) {
  boxes.push_back(Box{x_mm, y_mm, width_mm, height_mm, line_width_pt});
}

Page a4_portrait() { return Page{}; }

}  // namespace kaigo::notice
