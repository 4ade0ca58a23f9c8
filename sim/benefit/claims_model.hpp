#pragma once
// The 国保連's side of the benefit records, as pure data and rules (claims_sim.hpp uses it):
//  * RecipientBook: the 受給者台帳 the 国保連 keeps from KY-03 受給者異動連絡票情報 — per 被保険者番号
//    the records by 異動年月日 (新規/変更 replace the record of their day, 訂正 replaces it too,
//    削除 removes it), read as "the recipient in service month M" (the newest record on or before
//    the month's last day);
//  * make_claims(): the 給付実績 (KY-04 新規) of one recipient in one service month — 1–4 claims from
//    the offices of the config with plausible service kinds, units within the level's 区分支給限度
//    基準額 (介護保険法43条), or a facility month with its 特定入所者介護サービス費 (51条の3);
//  * revise(): the later 修正 (units changed) and 取消 of a claim sent in an earlier month (過誤).
// Everything is drawn from a seed and the recipient, so the same inputs give the same claims.
//
// Thread-safety: values; a RecipientBook is used by one thread at a time (the simulator's mutex).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "benefit/codes.hpp"
#include "benefit/kokuhoren_csv.hpp"
#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::sim::benefit {

// One KY-03 data record as the 国保連 keeps it.
struct RecipientRecord {
  std::string insured_no;
  char change_kind = '1';  // 1 新規 2 変更 3 終了
  Date change_date;
  std::optional<Date> eligibility_to;
  std::string care_level;  // 01, 12, 13, 21–25, or empty
  std::optional<Date> cert_from, cert_to;
  std::int64_t cap_units = 0;
  std::string plan_kind;  // 1 2 3, or empty (no care plan notified)
  std::string plan_office_no;
  std::optional<Date> plan_from, plan_to;
  int copayment_rate = 1;  // 1–3 割
  std::optional<Date> rate_from, rate_to;
  std::string restriction_kind;  // 1 2 3, or empty
  std::optional<Date> restriction_from, restriction_to;
};

// What a claim month needs of a recipient (in_month()).
struct MonthState {
  std::string insured_no;
  std::string care_level;
  std::int64_t cap_units = 0;
  int insurance_tenths = 9;  // 保険給付の率 (9, 8, 7 割; 6 under a 69条 reduction of a 3割 payer)
  bool reimbursed = false;   // 給付制限 66条/67条 in force: every claim 償還払い
};

class RecipientBook {
 public:
  // Applies the data records of one parsed KY-03 file in file order.
  void apply(const kaigo::benefit::csv::ParsedFile& file);
  // The recipient in the service month starting `month` (a first day), when a claim can be made
  // for it: certified (要支援/要介護) and with a care plan in force during the month, not ended.
  std::optional<MonthState> in_month(const std::string& insured_no, Date month) const;
  std::vector<std::string> insured_nos() const;
  std::size_t size() const { return book_.size(); }
  const std::map<Date, RecipientRecord>* records_of(const std::string& insured_no) const;

 private:
  std::map<std::string, std::map<Date, RecipientRecord>> book_;
};

// One KY-04 data record (one claim in one version).
struct Claim {
  char record_kind = '1';  // 1 新規 2 修正 3 取消
  std::string claim_no;    // 給付実績管理番号, the same on 新規/修正/取消
  std::string insured_no;
  std::string service_month;  // YYYYMM
  std::string office_no;
  std::string service_kind;
  char payment_kind = '1';  // 1 現物給付 2 償還払い
  int days = 0;
  std::int64_t units = 0;
  int unit_price = 1000;  // 円×100
  int insurance_tenths = 9;  // 10 for 59 (paid in full)
  std::int64_t total_cost = 0, insurance_paid = 0, copayment = 0, public_paid = 0;
  bool operator==(const Claim&) const = default;
};

// cost = floor(units × price / 100); insurance paid = floor(cost × tenths / 10) (the 国保連's
// 1円未満切り捨て); co-payment = cost − insurance paid. 特定入所者介護サービス費 (59) is paid in full.
void price(Claim& c);

// The 単位数単価 of an office (円×100): by its 地域区分, here a stand-in drawn from the office
// number among the published prices 10.00–11.40 円 (厚生労働大臣が定める一単位の単価).
int unit_price_of(std::string_view office_no);

// The new claims of one recipient in one service month (first day `month`), numbered from the
// month and the 被保険者番号. Empty when the config offers no office for its services.
std::vector<Claim> make_claims(const MonthState& who, Date month, const kaigo::benefit::BenefitConfig& config,
                               std::uint64_t seed);

// A later version of a claim sent before, reviewed in `review_month` (YYYYMM): a 修正 with changed
// units, a 取消, or nothing (most claims). ~2% corrected and ~1% cancelled per month.
std::optional<Claim> revise(const Claim& latest, std::string_view review_month, std::uint64_t seed);

// A KY-04 data record's values in the layout's order / read back from a parsed KY-04 file.
Result<std::vector<std::string>> to_row(const kaigo::benefit::csv::Layout& layout, const Claim& c, std::int64_t seq,
                                        std::string_view insurer_no);
Claim claim_from(const kaigo::benefit::csv::ParsedFile& file, std::size_t record);

// A 64-bit seed for a draw, from the simulator's seed and words naming what is drawn.
std::uint64_t draw_seed(std::uint64_t seed, std::string_view what);

}  // namespace kaigo::sim::benefit
