// kaigo_bench_notice: insurance cards (SK-17) into one print file, as the monthly "turning 65"
// run writes them. Half the cards carry a certification, so both shapes of the card are drawn.
// Prints cards/second and bytes/page. The file is written to the system temp dir and removed.
// Usage: kaigo_bench_notice [cards]   (default 10,000)
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "notice/insurance_card.hpp"

namespace {

using namespace kaigo::notice;
using kaigo::Date;

InsuranceCardData card(int i) {
  InsuranceCardData c;
  c.insured_no = fmt::format("{:010d}", 1000000 + i);
  c.address = fmt::format("みどり市中央{}丁目{}番{}号", 1 + i % 5, 1 + i % 30, 1 + i % 20);
  c.name_kana = "タカサキ　ハナコ";
  c.name = i % 3 ? "髙﨑　花子" : "山田　太郎";
  c.birth_date = Date(1960, 1 + i % 12, 1 + i % 28);
  c.sex = i % 2 ? Sex::male : Sex::female;
  c.issued_on = Date(2025, 4, 1);
  c.insurer_no = "123456";
  c.insurer_name = "みどり市";
  if (i % 2) {
    c.care_level = "要介護２";
    c.certified_on = Date(2025, 6, 10);
    c.validity_period = DatePeriod{Date(2025, 6, 1), Date(2026, 5, 31)};
    c.monthly_benefit_cap_units = 19705;
    c.benefit_cap_period = c.validity_period;
    c.care_plan_offices.push_back({"みどり居宅介護支援センター", Date(2025, 6, 20)});
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  if (n <= 0) {
    std::cerr << "usage: kaigo_bench_notice [cards]\n";
    return 2;
  }
  std::vector<InsuranceCardData> cards;
  cards.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) cards.push_back(card(i));
  const auto file = std::filesystem::temp_directory_path() / "kaigo_bench_notice.pdf";
  const auto start = std::chrono::steady_clock::now();
  auto summary = write_insurance_cards(file, cards);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!summary) {
    std::cerr << "failed: " << summary.error().message << "\n";
    return 1;
  }
  std::cout << fmt::format("{} cards, {} pages, {:.1f} s: {:.0f} cards/s; {} bytes ({:.1f} KB/page)\n", n,
                           summary->pages, seconds, n / seconds, summary->bytes,
                           static_cast<double>(summary->bytes) / summary->pages / 1024.0);
  std::filesystem::remove(file);
  return 0;
}
