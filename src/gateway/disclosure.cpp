#include "gateway/disclosure.hpp"

#include <nlohmann/json.hpp>

#include "gateway/inquiry_store.hpp"

namespace kaigo::gateway {

namespace {

constexpr const char* kCity = "本市 介護保険 (kaigo)";

std::string join_keys(const nlohmann::json& o) {
  std::string out;
  if (!o.is_object()) return out;
  for (const auto& [k, v] : o.items()) out += (out.empty() ? "" : ",") + k;
  return out;
}

// What was given, by item name only: the record proves an exchange, it does not repeat its data.
std::string summary_of(const Inquiry& q) {
  switch (q.status) {
    case InquiryStatus::provided: {
      auto a = nlohmann::json::parse(q.answer, nullptr, false);
      if (a.is_discarded()) return "provided";
      std::string s = "provided: " + join_keys(a.value("items", nlohmann::json::object()));
      if (auto nulls = join_keys(a.value("null_reasons", nlohmann::json::object())); !nulls.empty()) s += "; no value: " + nulls;
      return s;
    }
    case InquiryStatus::not_found: return "not_found (該当なし)";
    case InquiryStatus::error: return "error " + q.error_code;
    default: return to_string(q.status);
  }
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

Result<std::vector<DisclosureRecord>> exchange_records_for_person(store::Connection& c, const CodeBook& codes,
                                                                  const std::string& person_id) {
  std::vector<DisclosureRecord> out;
  auto rows = c.query(std::string("SELECT ") + detail::kInquiryColumns +
                          " FROM inquiry WHERE person_id = $1 ORDER BY created_at, inquiry_id",
                      {person_id});
  if (!rows) return std::unexpected(rows.error());
  for (const auto& r : *rows) {
    auto q = detail::inquiry_from_row(r);
    if (!q) return std::unexpected(q.error());
    const InquiryKind* kind = codes.kind(q->kind);
    DisclosureRecord d;
    d.direction = "照会";
    d.requester = kCity;
    d.provider = kind ? kind->counterpart : q->kind;
    d.institution_code = q->institution_code;
    d.jimu_code = q->jimu_code;
    d.procedure_code = q->procedure_code;
    d.item_code = q->item_code;
    if (kind)
      for (const auto& item : kind->items) d.items += (d.items.empty() ? "" : ",") + item;
    d.flow_id = q->flow_id;
    d.processing_no = q->processing_no;
    d.purpose = q->purpose;
    d.requested_at = q->created_at;
    d.answered_at = q->answered_at;
    d.status = to_string(q->status);
    d.answer_summary = summary_of(*q);
    d.disclosed = kind ? kind->disclosed : true;
    out.push_back(std::move(d));
  }
  auto copies = c.query(
      "SELECT data_set, version, items, null_reasons, status, staged_at, registered_at FROM provision_copy "
      "WHERE person_id = $1 ORDER BY staged_at, copy_id",
      {person_id});
  if (!copies) return std::unexpected(copies.error());
  for (const auto& r : *copies) {
    DisclosureRecord d;
    d.direction = "提供";
    d.requester = "情報提供ネットワークシステム (照会機関)";
    d.provider = kCity;
    d.item_code = r.str(0);
    d.items = join_keys(nlohmann::json::parse(r.str(2), nullptr, false));
    d.purpose = "副本 " + r.str(0) + " version " + r.str(1);
    d.requested_at = r.str(5);
    d.answered_at = r.str(6);
    d.status = r.str(4);
    const auto nulls = join_keys(nlohmann::json::parse(r.str(3), nullptr, false));
    d.answer_summary = "copy: " + d.items + (nulls.empty() ? "" : "; no value: " + nulls);
    d.disclosed = true;
    out.push_back(std::move(d));
  }
  return out;
}

std::string export_csv(const std::vector<DisclosureRecord>& records) {
  std::string out =
      "\"direction\",\"requester\",\"provider\",\"institution_code\",\"jimu_code\",\"procedure_code\",\"item_code\","
      "\"items\",\"flow_id\",\"processing_no\",\"purpose\",\"requested_at\",\"answered_at\",\"status\",\"answer_summary\",\"disclosure\"\r\n";
  for (const auto& d : records) {
    const std::string fields[] = {d.direction,    d.requester,    d.provider, d.institution_code, d.jimu_code,
                                  d.procedure_code, d.item_code,  d.items,    d.flow_id,          d.processing_no, d.purpose,
                                  d.requested_at, d.answered_at,  d.status,   d.answer_summary,   d.disclosed ? "disclosed" : "withheld"};
    bool first = true;
    for (const auto& f : fields) {
      if (!first) out += ',';
      first = false;
      out += quoted(f);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace kaigo::gateway
