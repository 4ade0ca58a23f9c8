#pragma once
// The four external bodies behind the 中間サーバー, answering from the synthetic city's data in
// the kaigo database (read-only): other municipalities (city_*), medical insurers (iryo_*), the
// prefecture (pref_*) and pension insurers (nenkin_*). docs/simulator.md lists what each kind
// answers and from which table.
//
// Thread-safety: the functions keep no state; the Database is thread-safe.
#include <string>

#include <nlohmann/json.hpp>

#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::sim::network {

struct BodyQuery {
  std::string kind;       // one of known_kinds()
  std::string person_id;  // 統合宛名番号 (the simulator shares the city's numbering)
  Date period_from;
  Date period_to;
};

struct BodyAnswer {
  bool found = false;                                    // false: 該当なし (not_found)
  nlohmann::json items = nlohmann::json::object();       // the 特定個人情報 items provided
  nlohmann::json null_reasons = nlohmann::json::object();  // items without a value, and why
};

// The reason given for an item that has no value because nothing applies (e.g. valid_to of a
// status still in effect).
inline constexpr const char* kNullNotApplicable = "該当なし";
// The reason for an item the body does not hold.
inline constexpr const char* kNullNotHeld = "保有なし";

// The sources of rows kaigo recorded itself: the city's tax office (FK-02), answers it applied
// (exchange: FK-04/08/10, inquiry: SK-15), the city's welfare system (SK-19), staff. They are
// kaigo's knowledge, not another body's ledger: the bodies of FK-03…FK-10 never answer from them.
inline constexpr const char* kKaigoOwnSources = "('tax_office', 'exchange', 'inquiry', 'fukushi', 'staff')";

// Dispatches to the body of the query's kind. Errors: invalid_input for an unknown kind;
// the database's error (unavailable) when a read fails.
Result<BodyAnswer> answer_from_bodies(store::Database& db, const BodyQuery& q);

// One function per body (each reads only its own tables).
Result<BodyAnswer> city_body(store::Connection& c, const BodyQuery& q);
Result<BodyAnswer> iryo_body(store::Connection& c, const BodyQuery& q);
Result<BodyAnswer> pref_body(store::Connection& c, const BodyQuery& q);
Result<BodyAnswer> nenkin_body(store::Connection& c, const BodyQuery& q);

// A nullable date column as an item: the value, or (left out of items) kNullNotApplicable in
// null_reasons — an item is either in items or in null_reasons, never both.
void put_optional_date(BodyAnswer& a, const char* item, const store::Row& row, std::size_t col);
// An item the body does not hold: left out of items, kNullNotHeld in null_reasons.
inline void put_not_held(BodyAnswer& a, const char* item) { a.null_reasons[item] = kNullNotHeld; }

}  // namespace kaigo::sim::network
