#pragma once
// The words and numbers of the premium table as staff read them: thousands separators, 万円
// amounts as an ordinance writes them, the names of tax statuses, measures and rounding steps.
// Used by the explanation of an assessment (rules.cpp), IncomeInterval::describe and notices.
#include <cstdint>
#include <string>

#include "core/ratio.hpp"
#include "premium/premium_table.hpp"

namespace kaigo::premium {

// 1234567 → "1,234,567"; -120000 → "-120,000".
std::string with_commas(std::int64_t n);
// num/den in yen with separators, exactly when it is a terminating decimal ("21,289.5"), else
// truncated to three places with an ellipsis ("12,413.333…").
std::string exact_decimal(std::int64_t num, std::int64_t den);
// Amounts as an ordinance writes them: 800000 → "80万円", 809000 → "80万9千円",
// 826500 → "82万6,500円", 1200000 → "120万円", 5000 → "5千円", 0 → "0円".
std::string man_yen(std::int64_t yen);

// "世帯全員が市町村民税非課税", "本人が市町村民税非課税 (世帯に課税者あり)", "本人が市町村民税課税".
std::string status_label(TaxStatus s);
// "課税年金収入額+その他の合計所得金額", "合計所得金額 (譲渡所得の特別控除後)".
std::string measure_label(IncomeMeasure m);
// "10円未満切捨て", "100円未満四捨五入", "1円未満切上げ".
std::string rounding_label(const Rounding& r);

}  // namespace kaigo::premium
