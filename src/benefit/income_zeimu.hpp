#pragma once
// KY-06 / KY-07: the benefit asks the city's tax system (本市税務システム, counterpart zeimu) for
// the tax facts a co-payment rate or a 高額 category misses (docs/benefit-income.md). income.hpp
// names what is missing and who holds it: KY-06 for a household member resident here on 1 January
// after the income year (the city assesses that member's 市町村民税, 地方税法294条), KY-08 for the
// others. The request is a file of the FK-01 layout (宛名番号, 所得年) sent as flow KY-06; the tax
// system answers KY-07 in the FK-02 layout, applied by the premium's zeimu handler taken by flow
// (premium/zeimu_service.hpp: validated whole against the KY-06 asked, tax_income rows with source
// 'tax_office' only where the figures differ, 未申告 kept), so the facts are the premium's too.
//
// A person already named in a KY-06 request of the income year is not asked again (the answer is
// awaited or was applied; a 未申告 answer stays 未申告 until the tax system sends a 更正).
//
// Thread-safety: free functions over the caller's Database; one transaction each.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

struct ZeimuRequestSent {
  std::int64_t exchange_id = 0;     // 0: nothing to ask
  std::string correlation_id;       // 処理通番; the KY-07 answer names it
  int tax_year = 0;
  std::int64_t persons = 0;         // asked in this request
  std::int64_t already_asked = 0;   // missing but named in an earlier KY-06 of the year
  std::vector<std::string> person_ids;  // those asked (the access log's)
};

// Runs in the request's transaction with the persons asked (the API records its access there).
using ZeimuPersonsHook = std::function<Result<void>(store::Connection&, const std::vector<std::string>&)>;

// Staff: the person's household members that miss a tax row of the income year of `on`
// (income_year_of) and are the city's to answer (ask_flow KY-06). not_found: no such person;
// conflict: nothing of the city's is missing, or every such member was asked already.
Result<ZeimuRequestSent> ask_zeimu_for_person(store::Database& db, const Clock& clock, const std::string& person_id, Date on,
                                              const std::string& actor, const ZeimuPersonsHook& also = {});

// The month's missing (missing_for_month) of ask_flow KY-06, in ONE request file; persons asked
// already for the year are left out; exchange_id 0 when nobody is left to ask.
Result<ZeimuRequestSent> ask_zeimu_for_month(store::Database& db, const Clock& clock, std::string_view month,
                                             const std::string& actor, const ZeimuPersonsHook& also = {});

}  // namespace kaigo::benefit
