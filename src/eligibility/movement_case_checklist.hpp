#pragma once
// The checklist table of counter cases (config/codes/movement_checklists.tsv): per movement kind,
// the items staff go through, which 番号連携 answer (or the 住登外 answer) ticks each, and for
// which ages it applies. Data, not code; validated whole at load.
//
// Thread-safety: a loaded MovementChecklists is immutable.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "eligibility/movement_case_kinds.hpp"

namespace kaigo::eligibility {

enum class ChecklistAges { all, age_40_plus, age_40_64, age_65_plus };

struct ChecklistItem {
  std::string item;          // code, unique within the kind
  std::string label;
  std::string satisfied_by;  // an inquiry kind, "non_registered", or "" (staff tick it)
  ChecklistAges applies_to = ChecklistAges::all;
};

inline constexpr const char* kSatisfiedByNonRegistered = "non_registered";

class MovementChecklists {
 public:
  // Reads <config_dir>/codes/movement_checklists.tsv and checks every row against the movement
  // kinds, the inquiry kinds of <config_dir>/codes/inquiry_kinds.tsv that a case can apply
  // (case_inquiry_kinds) and the age rules. Errors: invalid_input "PATH:LINE: FIELD: WHAT".
  static Result<MovementChecklists> load(const std::string& config_dir);
  // The same from explicit files (tests).
  static Result<MovementChecklists> load_files(const std::string& checklist_path, const std::string& inquiry_kinds_path);

  // The items of a kind for a person born on `birth` (age on `movement_date`); every item when
  // the birth date is unknown (a newcomer not yet in the registry copy).
  std::vector<ChecklistItem> items_for(MovementKind kind, std::optional<Date> birth, Date movement_date) const;
  const std::vector<ChecklistItem>& all_items(MovementKind kind) const;

 private:
  std::map<MovementKind, std::vector<ChecklistItem>> items_;
};

// Whether an item of this age rule applies to a person of `age` years.
bool applies_to_age(ChecklistAges rule, int age);

}  // namespace kaigo::eligibility
