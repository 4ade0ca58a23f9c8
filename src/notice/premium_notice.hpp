#pragma once
// 介護保険料額決定通知書 (FK-11) and its revision form 介護保険料額変更通知書: one A4 portrait page
// per person — the address block for a window envelope, the decision (stage, annual amount,
// months, the year's premium; before → after and the difference for a revision), why the stage
// (the assessment's explanation lines), how it is collected when the plan is known, and the
// 教示 (how to appeal: 介護保険法183条 審査請求 to the prefecture's 介護保険審査会 within three
// months, 行政事件訴訟法14条 取消訴訟 within six). docs/notices.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "notice/document.hpp"

namespace kaigo::notice {

struct PremiumNoticeLine {  // one explanation line: a label and its text
  std::string label;
  std::string text;
};

struct PremiumInstalment {  // one payment: 期別 label, due month, amount
  std::string label;        // "4月 (仮徴収)", "第1期"
  std::string due;          // e.g. "令和8年7月31日" or "令和8年4月"
  std::int64_t amount = 0;
};

struct PremiumNoticeData {
  // Addressee (宛名).
  std::string postal_code;  // 7 digits
  std::string address;
  std::string name;
  std::string name_kana;
  std::string insured_no;
  // Issuer.
  std::string insurer_name;  // "みどり市"
  std::string notice_no;     // 文書番号 shown top right, e.g. "みどり介保第2026-000123号"
  Date issued_on;
  // Decision.
  int fiscal_year = 0;
  bool revision = false;            // 変更通知書
  std::string cause;                // for a revision: why (所得の更正, 資格異動, …)
  Date base_date;
  std::string stage_label;          // "第4段階"
  std::string ratio;                // "0.9"
  std::int64_t base_amount = 0;     // 基準額
  std::int64_t annual_amount = 0;   // 年額
  int months = 0;
  std::int64_t amount = 0;          // the year's premium
  std::int64_t previous_amount = 0; // revision only
  std::vector<PremiumNoticeLine> explanation;
  // Collection (empty: not yet planned, the notice says a 納入通知書 follows).
  std::string collection_method;    // "特別徴収 (年金から差引き)", "普通徴収 (納付書・口座振替)"
  std::vector<PremiumInstalment> instalments;
};

// The page. invalid_input when a required field is empty (address, name, insured_no, insurer).
Result<Document> premium_notice(const PremiumNoticeData& data);

}  // namespace kaigo::notice
