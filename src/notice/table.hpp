#pragma once
// Ruled tables on a Page: rows of cells, each cell a bordered box with its text centred
// vertically. Label cells (the printed headings of a form) are Gothic and small; value cells
// (what is filled in) are Mincho. Used by every form-like notice.
#include <string>
#include <vector>

#include "notice/document.hpp"

namespace kaigo::notice {

struct Cell {
  double width_mm = 0;
  std::string text;
  bool label = false;
  Align align = Align::left;
  double size_pt = 0;  // 0: the table style's size for labels / values
};

struct Row {
  double height_mm = 0;
  std::vector<Cell> cells;
};

struct TableStyle {
  double label_size_pt = 7;
  double value_size_pt = 9;
  double padding_mm = 1.2;
  double line_width_pt = 0.5;
};

// Draws rows top-down starting at (x, y). Returns the y just below the last row.
double draw_table(Page& page, double x_mm, double y_mm, const std::vector<Row>& rows,
                  const TableStyle& style = {});

// Shorthand for a label cell and a value cell.
Cell label_cell(double width_mm, std::string text, Align align = Align::center);
Cell value_cell(double width_mm, std::string text, Align align = Align::left);

}  // namespace kaigo::notice
