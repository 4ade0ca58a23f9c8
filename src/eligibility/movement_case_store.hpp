#pragma once
// SQL of the counter-case tables (migration 007) for movement_case_service: rows in and out, on the
// caller's Connection (and so in the caller's transaction). Internal to the eligibility service.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eligibility/movement_case_service.hpp"
#include "store/database.hpp"

namespace kaigo::eligibility::detail {

// The case row alone (no checklist, inquiries or contact).
Result<std::optional<MovementCase>> find_case_row(store::Connection& c, std::int64_t case_id, bool lock);
// The case with its checklist, inquiries, 住登外 contact, the person's name and the outcome's changes.
Result<std::optional<MovementCase>> load_case(store::Connection& c, std::int64_t case_id);
Result<std::vector<CaseSummary>> list_cases(store::Connection& c, const std::string& status, int limit);

Result<std::int64_t> insert_case(store::Connection& c, const MovementCase& row);
Result<void> insert_checks(store::Connection& c, std::int64_t case_id, const std::vector<ChecklistItem>& items);
Result<void> delete_undone_checks_except(store::Connection& c, std::int64_t case_id, const std::vector<ChecklistItem>& keep);
// Sets done (with who and when) or clears it; returns the rows changed.
Result<std::int64_t> set_check(store::Connection& c, std::int64_t case_id, const std::string& item, bool done,
                               const std::string& actor, const std::string& at);
// Ticks every not-done item of the case satisfied by `satisfied_by`.
Result<void> tick_satisfied(store::Connection& c, std::int64_t case_id, const std::string& satisfied_by,
                            const std::string& actor, const std::string& at);

Result<void> link_inquiry(store::Connection& c, std::int64_t case_id, std::int64_t inquiry_id);
// The link row's applied_at, or nullopt when the inquiry is not the case's (outer) / not applied (inner).
Result<std::optional<std::optional<std::string>>> inquiry_link(store::Connection& c, std::int64_t case_id,
                                                                std::int64_t inquiry_id);
Result<void> mark_applied(store::Connection& c, std::int64_t case_id, std::int64_t inquiry_id, const std::string& actor,
                          const std::string& at, const std::string& summary);

Result<void> save_question(store::Connection& c, std::int64_t case_id, const std::string& question,
                           const std::string& asked_on, const std::string& actor);
Result<void> save_answer(store::Connection& c, std::int64_t case_id, const std::string& answer,
                         const std::string& answered_on, const std::string& actor);

Result<void> set_person(store::Connection& c, std::int64_t case_id, const std::string& person_id);
Result<void> finish_case(store::Connection& c, std::int64_t case_id, const std::string& status,
                         std::optional<std::int64_t> revision_id, const std::string& summary, const std::string& actor,
                         const std::string& at, const std::string& cancel_reason);

}  // namespace kaigo::eligibility::detail
