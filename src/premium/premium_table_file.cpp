// Reading rule files (config/rules/premium/*.json, docs/premium-table.md) strictly: unknown or
// repeated keys, wrong types and inexact numbers are errors naming the file and the JSON path,
// and the whole table is validated before anyone uses it.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "premium/premium_table.hpp"

namespace kaigo::premium {

namespace {

using nlohmann::json;

// Errors carry the JSON path as the field; the file is prefixed by load_premium_table.
std::unexpected<Error> bad(const std::string& path, const std::string& what) {
  return fail(ErrorKind::invalid_input, fmt::format("{}: {}", path, what), path);
}

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

// nlohmann keeps the last of two equal keys silently; a rule file edited by hand must not.
// The parser callback tracks the path so that the error can name where the repetition is.
struct DuplicateKeyFinder {
  struct Frame {
    bool array = false;
    long index = -1;
    std::set<std::string> keys;
    std::string key;
  };
  std::vector<Frame> frames;
  std::string duplicate;  // path of the first repeated key

  std::string path() const {
    std::string p;
    for (const Frame& f : frames) {
      if (f.array) p += fmt::format("[{}]", f.index);
      else if (!f.key.empty()) p = join(p, f.key);
    }
    return p;
  }
  void enter_value() {
    if (!frames.empty() && frames.back().array) ++frames.back().index;
  }
  bool operator()(int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: enter_value(); frames.emplace_back(); break;
      case json::parse_event_t::array_start: enter_value(); frames.emplace_back().array = true; break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end: frames.pop_back(); break;
      case json::parse_event_t::key: {
        Frame& f = frames.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second && duplicate.empty()) duplicate = path();
        break;
      }
      case json::parse_event_t::value: enter_value(); break;
    }
    return true;
  }
};

// The reader of one JSON object: every key must be one it knows.
class Obj {
 public:
  Obj(const json& j, std::string path) : j_(j), path_(std::move(path)) {}

  static Result<Obj> of(const json& j, const std::string& path) {
    if (!j.is_object()) return bad(path.empty() ? "(top)" : path, "must be a JSON object { … }");
    return Obj(j, path);
  }
  Result<void> only(std::initializer_list<std::string_view> keys) const {
    for (const auto& [key, value] : j_.items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        std::string allowed;
        for (std::string_view k : keys) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
        return bad(at(key), fmt::format("unknown key (allowed here: {})", allowed));
      }
    return {};
  }
  bool has(std::string_view key) const { return j_.contains(key); }
  std::string at(std::string_view key) const { return join(path_, key); }
  const json& get(std::string_view key) const { return j_.at(key); }

  Result<std::string> string(std::string_view key, bool required = true) const {
    if (!has(key)) return required ? bad(at(key), "is required") : Result<std::string>(std::string());
    if (!get(key).is_string() || get(key).get<std::string>().empty()) return bad(at(key), "must be a non-empty string");
    return get(key).get<std::string>();
  }
  Result<std::int64_t> integer(std::string_view key) const {
    if (!has(key)) return bad(at(key), "is required");
    const json& v = get(key);
    if (!v.is_number_integer())
      return bad(at(key), fmt::format("must be a whole number (yen, no decimals or quotes), not {}", v.dump()));
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      return bad(at(key), fmt::format("{} is too large", v.dump()));
    return v.get<std::int64_t>();
  }
  Result<bool> boolean(std::string_view key, std::optional<bool> dflt = std::nullopt) const {
    if (!has(key)) {
      if (dflt) return *dflt;
      return bad(at(key), "is required (true or false)");
    }
    if (!get(key).is_boolean()) return bad(at(key), fmt::format("must be true or false, not {}", get(key).dump()));
    return get(key).get<bool>();
  }
  Result<Ratio> ratio(std::string_view key) const {
    if (!get(key).is_string())
      return bad(at(key), fmt::format("write the ratio as a string of an exact decimal, e.g. \"0.455\", not {}", get(key).dump()));
    auto r = Ratio::parse(get(key).get<std::string>());
    if (!r) return bad(at(key), r.error().message);
    return *r;
  }
  Result<const json*> array(std::string_view key, bool required = true) const {
    static const json empty = json::array();
    if (!has(key)) return required ? Result<const json*>(bad(at(key), "is required")) : Result<const json*>(&empty);
    if (!get(key).is_array()) return bad(at(key), "must be a JSON array [ … ]");
    return &get(key);
  }

 private:
  const json& j_;
  std::string path_;
};

#define TRY(var, expr)                                   \
  auto var##_r = (expr);                                 \
  if (!var##_r) return std::unexpected(var##_r.error()); \
  auto var = std::move(*var##_r)

#define TRY_VOID(expr) \
  if (auto r_ = (expr); !r_) return std::unexpected(r_.error())

Result<Rounding> read_rounding(const Obj& parent, std::string_view key) {
  if (!parent.has(key)) return bad(parent.at(key), "is required ({\"unit\": 10, \"method\": \"floor\"})");
  TRY(o, Obj::of(parent.get(key), parent.at(key)));
  TRY_VOID(o.only({"unit", "method"}));
  TRY(unit, o.integer("unit"));
  TRY(method, o.string("method"));
  auto r = Rounding::parse(unit, method);
  if (!r) return bad(o.at(r.error().field), r.error().message);
  return *r;
}

Result<std::int64_t> read_bound(const Obj& o, std::string_view key) {
  TRY(v, o.integer(key));
  return v;
}

Result<StageAlternative> read_alternative(const json& j, const std::string& path) {
  TRY(o, Obj::of(j, path));
  StageAlternative a;
  TRY(status_code, o.string("status"));
  auto status = tax_status_from_code(status_code);
  if (!status) return bad(o.at("status"), status.error().message);
  a.status = *status;
  TRY(owp, o.boolean("old_age_welfare_pension", false));
  a.old_age_welfare_pension = owp;
  if (owp) {
    // 施行令38条1項1号ロ: the pension alone decides; an interval here would be a misunderstanding.
    TRY_VOID(o.only({"status", "old_age_welfare_pension"}));
    return a;
  }
  TRY_VOID(o.only({"status", "old_age_welfare_pension", "measure", "lower", "lower_inclusive", "upper", "upper_inclusive"}));
  TRY(measure_code, o.string("measure"));
  auto measure = income_measure_from_code(measure_code);
  if (!measure) return bad(o.at("measure"), measure.error().message);
  a.measure = *measure;
  // A bound and its inclusivity go together: the ordinance's 以下/未満 is never left to a default.
  for (auto [bound, flag, value, inclusive] :
       {std::tuple{"lower", "lower_inclusive", &a.interval.lower, &a.interval.lower_inclusive},
        std::tuple{"upper", "upper_inclusive", &a.interval.upper, &a.interval.upper_inclusive}}) {
    if (o.has(bound)) {
      TRY(v, read_bound(o, bound));
      *value = v;
      if (!o.has(flag))
        return bad(o.at(flag), fmt::format("is required with '{}': true for {}, false for {}", bound,
                                           std::string_view(bound) == "lower" ? "以上" : "以下",
                                           std::string_view(bound) == "lower" ? "を超える" : "未満"));
      TRY(f, o.boolean(flag));
      *inclusive = f;
    } else if (o.has(flag)) {
      return bad(o.at(flag), fmt::format("without '{}': leave both out for no bound", bound));
    }
  }
  return a;
}

Result<Stage> read_stage(const json& j, const std::string& path) {
  TRY(o, Obj::of(j, path));
  TRY_VOID(o.only({"number", "label", "welfare", "ratio", "reduced_ratio", "alternatives", "note"}));
  Stage s;
  TRY(number, o.integer("number"));
  s.number = static_cast<int>(std::clamp<std::int64_t>(number, -1, 1000));
  TRY(label, o.string("label"));
  s.label = label;
  TRY(welfare, o.boolean("welfare", false));
  s.welfare = welfare;
  if (!o.has("ratio")) return bad(o.at("ratio"), "is required (e.g. \"0.455\")");
  TRY(ratio, o.ratio("ratio"));
  s.ratio = ratio;
  if (o.has("reduced_ratio")) {
    TRY(reduced, o.ratio("reduced_ratio"));
    s.reduced_ratio = reduced;
  }
  TRY(note, o.string("note", false));
  s.note = note;
  TRY(alts, o.array("alternatives", false));
  for (std::size_t i = 0; i < alts->size(); ++i) {
    TRY(a, read_alternative((*alts)[i], fmt::format("{}[{}]", o.at("alternatives"), i)));
    s.alternatives.push_back(a);
  }
  return s;
}

Result<PremiumTableVersion> read_version(const json& j, const std::string& path) {
  TRY(o, Obj::of(j, path));
  TRY_VOID(o.only({"effective_from", "base_amount", "apply_reduced_ratio", "salary_income_deduction", "annual_rounding",
                   "proration_rounding", "stages", "note"}));
  PremiumTableVersion v;
  TRY(from, o.string("effective_from"));
  auto day = Date::parse(from);
  if (!day) return bad(o.at("effective_from"), fmt::format("'{}' is not a date YYYY-MM-DD", from));
  v.effective_from = *day;
  TRY(base, o.integer("base_amount"));
  v.base_amount = base;
  TRY(apply, o.boolean("apply_reduced_ratio"));
  v.apply_reduced_ratio = apply;
  TRY(deduction, o.integer("salary_income_deduction"));
  v.salary_income_deduction = deduction;
  TRY(annual, read_rounding(o, "annual_rounding"));
  v.annual_rounding = annual;
  TRY(proration, read_rounding(o, "proration_rounding"));
  v.proration_rounding = proration;
  TRY(note, o.string("note", false));
  v.note = note;
  TRY(stages, o.array("stages"));
  for (std::size_t i = 0; i < stages->size(); ++i) {
    TRY(s, read_stage((*stages)[i], fmt::format("{}[{}]", o.at("stages"), i)));
    v.stages.push_back(std::move(s));
  }
  return v;
}

Result<PremiumTable> read_table(const json& j) {
  TRY(o, Obj::of(j, ""));
  TRY_VOID(o.only({"name", "first_fiscal_year", "last_fiscal_year", "versions", "note"}));
  PremiumTable t;
  TRY(name, o.string("name"));
  t.name = name;
  TRY(note, o.string("note", false));
  t.note = note;
  TRY(first, o.integer("first_fiscal_year"));
  TRY(last, o.integer("last_fiscal_year"));
  t.first_fiscal_year = static_cast<int>(std::clamp<std::int64_t>(first, 0, 100000));
  t.last_fiscal_year = static_cast<int>(std::clamp<std::int64_t>(last, 0, 100000));
  TRY(versions, o.array("versions"));
  for (std::size_t i = 0; i < versions->size(); ++i) {
    TRY(v, read_version((*versions)[i], fmt::format("versions[{}]", i)));
    t.versions.push_back(std::move(v));
  }
  TRY_VOID(validate(t));
  return t;
}

int line_of(std::string_view bytes, std::size_t byte) {
  return 1 + static_cast<int>(std::count(bytes.begin(), bytes.begin() + static_cast<long>(std::min(byte, bytes.size())), '\n'));
}

}  // namespace

Result<PremiumTable> parse_premium_table(std::string_view bytes, const std::string& name) {
  auto in_file = [&](Error e) {
    e.message = fmt::format("{}: {}", name, e.message);
    return std::unexpected(std::move(e));
  };
  DuplicateKeyFinder duplicates;
  json j;
  try {
    j = json::parse(bytes, std::ref(duplicates));
  } catch (const json::parse_error& e) {
    return in_file(Error{ErrorKind::invalid_input,
                         fmt::format("line {}: not valid JSON ({})", line_of(bytes, e.byte), e.what()),
                         fmt::format("line {}", line_of(bytes, e.byte))});
  }
  if (!duplicates.duplicate.empty())
    return in_file(Error{ErrorKind::invalid_input, fmt::format("{}: the key appears twice", duplicates.duplicate),
                         duplicates.duplicate});

  auto table = read_table(j);
  if (!table) return in_file(table.error());
  table->sha256 = sha256_hex(bytes);
  return table;
}

Result<PremiumTable> load_premium_table(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(ErrorKind::unavailable, fmt::format("cannot read the premium table {}", file.string()), file.string());
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto table = parse_premium_table(bytes, file.string());
  if (table) table->source = file;
  return table;
}

Result<std::vector<PremiumTable>> load_premium_tables(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return fail(ErrorKind::unavailable, fmt::format("the premium table directory {} does not exist", dir.string()),
                dir.string());
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  if (ec) return fail(ErrorKind::unavailable, fmt::format("cannot list {}: {}", dir.string(), ec.message()), dir.string());
  std::sort(files.begin(), files.end());

  std::vector<PremiumTable> tables;
  for (const auto& f : files) {
    auto t = load_premium_table(f);
    if (!t) return std::unexpected(t.error());
    for (const PremiumTable& other : tables)
      if (t->first_fiscal_year <= other.last_fiscal_year && other.first_fiscal_year <= t->last_fiscal_year)
        return fail(ErrorKind::invalid_input,
                    fmt::format("{}: the plan period FY{}–FY{} overlaps FY{}–FY{} of {}", f.string(), t->first_fiscal_year,
                                t->last_fiscal_year, other.first_fiscal_year, other.last_fiscal_year,
                                other.source.string()),
                    "first_fiscal_year");
    tables.push_back(std::move(*t));
  }
  std::sort(tables.begin(), tables.end(),
            [](const PremiumTable& a, const PremiumTable& b) { return a.first_fiscal_year < b.first_fiscal_year; });
  return tables;
}

}  // namespace kaigo::premium
