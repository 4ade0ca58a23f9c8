#pragma once
// 情報提供等記録 for one person: every inquiry kaigo made about them and every 副本 it provided —
// who asked whom, for which 事務, which items, when, and what was given (a summary of item names,
// never the values) — with the disclosure flag of the kind (番号法 施行令: the records of some
// 事務 may be withheld from マイナポータル). export_csv writes them for a disclosure request.
#include <string>
#include <vector>

#include "gateway/codes.hpp"
#include "store/database.hpp"

namespace kaigo::gateway {

struct DisclosureRecord {
  std::string direction;         // 照会 (kaigo asked) | 提供 (kaigo provided a 副本)
  std::string requester;         // who asked
  std::string provider;          // who gave (a counterpart code for an inquiry: callers show its name)
  std::string institution_code;
  std::string jimu_code;
  std::string procedure_code;
  std::string item_code;         // or the data set of a 副本
  std::string items;             // item names, comma-separated
  std::string flow_id;
  std::string processing_no;     // 処理通番 of the 中間サーバー (照会), empty for a 副本
  std::string purpose;
  std::string requested_at;
  std::string answered_at;
  std::string status;
  std::string answer_summary;
  bool disclosed = true;
};

Result<std::vector<DisclosureRecord>> exchange_records_for_person(store::Connection& c, const CodeBook& codes,
                                                                  const std::string& person_id);

// UTF-8, one header line, every field quoted ("" inside a field doubled), CRLF line ends.
std::string export_csv(const std::vector<DisclosureRecord>& records);

}  // namespace kaigo::gateway
