#pragma once
// The insurance card (介護保険被保険者証, SK-17), in the shape of 様式第一号 of 介護保険法施行規則:
// three panels — (1) the insured person and the insurer, (2) the care-need certification and
// the monthly benefit cap, (3) benefit restrictions, the care-plan office and care facilities —
// each at card size, framed on an A4 portrait page with the notes of the card's back in the
// fourth quarter (docs/notices.md). Everything after identity is optional: a person who has just
// turned 65 has no certification, and those boxes print empty.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "notice/document.hpp"
#include "notice/pdf_writer.hpp"

namespace kaigo::notice {

enum class Sex { male, female };

struct DatePeriod {
  Date from;
  Date to;
};

// 給付制限: what is restricted (e.g. 償還払い化) and for how long.
struct BenefitRestriction {
  std::string content;
  std::optional<Date> from;
  std::optional<Date> to;
};

// 居宅介護支援事業者 (or 介護予防支援事業者 / 地域包括支援センター) named in the care-plan notification.
struct CarePlanOffice {
  std::string name;
  Date notified_on;  // 届出年月日
};

// 介護保険施設等: kind (e.g. 介護老人福祉施設), name, entry and exit.
struct FacilityStay {
  std::string kind;
  std::string name;
  std::optional<Date> entered_on;
  std::optional<Date> left_on;
};

// How many entries each list of the form holds; more is refused, never cut off.
inline constexpr std::size_t kCardBenefitRestrictionRows = 3;
inline constexpr std::size_t kCardCarePlanOfficeRows = 3;
inline constexpr std::size_t kCardFacilityRows = 2;

struct InsuranceCardData {
  // Identity (required).
  std::string insured_no;  // 被保険者番号, 10 digits
  std::string address;
  std::string name_kana;   // フリガナ
  std::string name;
  Date birth_date;
  Sex sex = Sex::female;
  Date issued_on;          // 交付年月日
  std::string insurer_no;  // 保険者番号, 6 digits
  std::string insurer_name;  // e.g. みどり市

  // Certification (empty until the person is certified).
  std::string care_level;  // 要介護状態区分等, as printed: "要介護２", "要支援１", "事業対象者"
  std::optional<Date> certified_on;
  std::optional<DatePeriod> validity_period;
  std::optional<std::int64_t> monthly_benefit_cap_units;  // 区分支給限度基準額 (units a month)
  std::optional<DatePeriod> benefit_cap_period;
  std::string committee_remarks;  // 認定審査会の意見及びサービスの種類の指定

  std::vector<BenefitRestriction> benefit_restrictions;
  std::vector<CarePlanOffice> care_plan_offices;
  std::vector<FacilityStay> facilities;

  // Non-empty for a reissue: the card says 再交付 and prints the reason (紛失, 汚損, …).
  std::string reissue_reason;
};

// Checks the numbers' shapes and the list lengths (invalid_input, field names the part).
Result<void> validate(const InsuranceCardData& card);
// The card as a one-page document.
Result<Document> insurance_card_document(const InsuranceCardData& card);
// One card appended to a print file (a single card from the UI, or one of a batch).
Result<void> render_insurance_card(PdfWriter& writer, const InsuranceCardData& card);
// A batch print file: every card validated first (the field says which card: "cards[12].insured_no"),
// then one page per card, in order.
Result<PrintFileSummary> write_insurance_cards(const std::filesystem::path& file,
                                               std::span<const InsuranceCardData> cards);

}  // namespace kaigo::notice
