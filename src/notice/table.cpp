#include "notice/table.hpp"

#include <utility>

namespace kaigo::notice {

double draw_table(Page& page, double x_mm, double y_mm, const std::vector<Row>& rows,
                  const TableStyle& style) {
  double y = y_mm;
  for (const Row& row : rows) {
    double x = x_mm;
    for (const Cell& cell : row.cells) {
      page.box(x, y, cell.width_mm, row.height_mm, style.line_width_pt);
      if (!cell.text.empty()) {
        TextBlock& t = page.text(x + style.padding_mm, y, cell.text,
                                 cell.size_pt > 0 ? cell.size_pt
                                 : cell.label     ? style.label_size_pt
                                                  : style.value_size_pt,
                                 cell.label ? FontFamily::gothic : FontFamily::mincho);
        t.width_mm = cell.width_mm - 2 * style.padding_mm;
        t.height_mm = row.height_mm;
        t.align = cell.align;
      }
      x += cell.width_mm;
    }
    y += row.height_mm;
  }
  return y;
}

Cell label_cell(double width_mm, std::string text, Align align) {
  return Cell{width_mm, std::move(text), true, align, 0};
}

Cell value_cell(double width_mm, std::string text, Align align) {
  return Cell{width_mm, std::move(text), false, align, 0};
}

}  // namespace kaigo::notice
