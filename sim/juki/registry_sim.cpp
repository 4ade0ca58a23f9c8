// The resident registry simulator (see registry_sim.hpp).
#include "sim/juki/registry_sim.hpp"

#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/address_maker.hpp"
#include "sim/codes.hpp"
#include "sim/name_lists.hpp"

namespace kaigo::sim::juki {

namespace ej = kaigo::eligibility::juki;
using ej::RegistryMovementKind;

namespace {

// Yearly rates per 1,000 residents (人口動態統計 and 住民基本台帳人口移動報告, rounded): the
// natural mix of a large Japanese city.
struct Rate {
  RegistryMovementKind kind;
  std::uint32_t per_mille;
};
constexpr Rate kRates[] = {
    {RegistryMovementKind::birth, 7},     {RegistryMovementKind::death, 11},      {RegistryMovementKind::move_in, 40},
    {RegistryMovementKind::move_out, 40}, {RegistryMovementKind::relocation, 50}, {RegistryMovementKind::name_change, 5},
    {RegistryMovementKind::household_change, 10},
};

std::pair<std::string, std::string> split_name(const std::string& full) {
  const auto sp = full.find(' ');
  if (sp == std::string::npos) return {full, ""};
  return {full.substr(0, sp), full.substr(sp + 1)};
}

Result<ej::RegistryPerson> person_from(const store::Row& r) {
  ej::RegistryPerson p;
  p.person_id = r.str(0);
  p.household_id = r.str(1);
  p.name_kanji = r.str(2);
  p.name_kana = r.str(3);
  auto b = Date::parse(r.str(4));
  if (!b) return fail(ErrorKind::internal, "a stored birth date is not a date");
  p.birth_date = *b;
  p.sex = r.str(5);
  p.relation = r.str(6);
  p.postal_code = r.str(7);
  p.address = r.str(8);
  p.ward_code = r.str(9);
  return p;
}

constexpr const char* kPersonSelect =
    "SELECT p.person_id, p.household_id, p.name_kanji, p.name_kana, p.birth_date, p.sex, p.relation, p.postal_code, "
    "p.address, p.ward_code, p.registry_status";

}  // namespace

std::string AdvanceSummary::text() const {
  std::string parts;
  int total = 0;
  for (const auto& [kind, n] : counts) {
    auto k = ej::parse_registry_movement_kind(kind);
    parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", k ? ej::japanese_label(*k) : kind, n);
    total += n;
  }
  return fmt::format("{} – {}: {} movements in {} files ({})", from.iso(), to.iso(), total, files,
                     parts.empty() ? "none" : parts);
}

RegistrySim::RegistrySim(store::Database& db, linkage::SimulatorChannel* channel, std::uint64_t seed,
                         RegistryOptions options)
    : db_(db), channel_(channel), prng_(seed), options_(options) {
  if (!channel_) return;
  channel_->set_handler([this](const linkage::Exchange& e) -> Result<std::optional<linkage::InboundMessage>> {
    if (e.flow_id == "SK-02") {
      auto answer = answer_inquiry(e.payload);
      if (!answer) return std::unexpected(answer.error());
      linkage::InboundMessage m;
      m.flow_id = "SK-03";
      m.counterpart = "juki";
      m.payload = std::move(*answer);
      m.content_type = "application/json";
      return std::optional<linkage::InboundMessage>{std::move(m)};
    }
    if (e.flow_id == "SK-18") {
      std::lock_guard lock(mutex_);
      sk18_.push_back(e.payload);
    }
    return std::optional<linkage::InboundMessage>{};
  });
}

void RegistrySim::write_to_folder(std::filesystem::path folder_dir) {
  std::lock_guard lock(mutex_);
  folder_ = std::move(folder_dir);
}

Date RegistrySim::today() const {
  std::lock_guard lock(mutex_);
  return day_;
}

std::vector<std::string> RegistrySim::eligibility_files() const {
  std::lock_guard lock(mutex_);
  return sk18_;
}

Result<void> RegistrySim::ensure_loaded() {
  if (loaded_) return {};
  auto r = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto each = c.query_each("SELECT person_id, birth_date, sex FROM person WHERE registry_status = 'resident' "
                             "ORDER BY person_id",
                             {}, [&](const store::Row& row) {
                               auto b = Date::parse(row.str(1));
                               if (!b) return true;
                               index_[row.str(0)] = residents_.size();
                               residents_.push_back(Resident{row.str(0), *b, row.str(2) == "2" ? '2' : '1'});
                               return true;
                             });
    if (!each) return each;
    auto ids = c.query_one("SELECT MAX(person_id), MAX(household_id) FROM person");
    if (!ids) return std::unexpected(ids.error());
    auto as_number = [](const std::string& s, std::uint64_t fallback) -> std::uint64_t {
      try {
        return s.empty() ? fallback : std::stoull(s) + 1;
      } catch (const std::exception&) {
        return fallback;
      }
    };
    next_person_ = as_number(*ids ? (*ids)->str(0) : "", 1000000001);
    next_household_ = as_number(*ids ? (*ids)->str(1) : "", 7000000001);
    if (options_.start) {
      day_ = *options_.start;
    } else {
      auto last = c.query_one("SELECT MAX(movement_date) FROM juki_movement");
      if (!last) return std::unexpected(last.error());
      auto d = *last ? Date::parse((*last)->str(0)) : Result<Date>(std::unexpected(Error{}));
      day_ = d ? d->add_days(1) : Date(2026, 4, 1);
    }
    return {};
  });
  if (!r) return r;
  loaded_ = true;
  return {};
}

Result<std::optional<ej::RegistryPerson>> RegistrySim::current(const std::string& person_id) {
  if (auto it = changed_.find(person_id); it != changed_.end()) return std::optional<ej::RegistryPerson>{it->second};
  std::optional<ej::RegistryPerson> out;
  auto r = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto row = c.query_one(std::string(kPersonSelect) + " FROM person p WHERE p.person_id = $1", {person_id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
    auto p = person_from(**row);
    if (!p) return std::unexpected(p.error());
    out = std::move(*p);
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

std::string RegistrySim::new_person_id() { return fmt::format("{:010d}", next_person_++); }
std::string RegistrySim::new_household_id() { return fmt::format("{:010d}", next_household_++); }

std::optional<std::size_t> RegistrySim::pick_resident(const std::function<bool(const Resident&)>& accept) {
  if (residents_.empty()) return std::nullopt;
  for (int tries = 0; tries < 500; ++tries) {
    const std::size_t i = prng_.below(residents_.size());
    if (accept(residents_[i])) return i;
  }
  return std::nullopt;
}

ej::RegistryPerson RegistrySim::newcomer(Date birth, char sex, const std::string& household_id,
                                         const std::string& family_kanji, const std::string& family_kana,
                                         const std::string& relation) {
  const auto given = given_names(sex, birth.year());
  const auto& g = given[prng_.pick(weights_of(given))];
  ej::RegistryPerson p;
  p.person_id = new_person_id();
  p.household_id = household_id;
  p.name_kanji = family_kanji + " " + std::string(g.kanji);
  p.name_kana = family_kana + " " + std::string(g.kana);
  p.birth_date = birth;
  p.sex = std::string(1, sex);
  p.relation = relation;
  return p;
}

Result<std::vector<ej::Movement>> RegistrySim::next_day() {
  std::lock_guard lock(mutex_);
  if (auto l = ensure_loaded(); !l) return std::unexpected(l.error());
  const Date day = day_;
  // How many of each kind today.
  std::vector<RegistryMovementKind> kinds;
  if (options_.daily_movements > 0) {
    std::vector<std::uint32_t> weights;
    for (const auto& r : kRates) weights.push_back(r.per_mille);
    for (int i = 0; i < options_.daily_movements; ++i) kinds.push_back(kRates[prng_.pick(weights)].kind);
  } else {
    for (const auto& r : kRates) {
      // Expected count in millionths, then a whole number drawn without floating point.
      const std::uint64_t micro = static_cast<std::uint64_t>(residents_.size()) * r.per_mille * 1000 / 365;
      std::uint64_t n = micro / 1'000'000 + (prng_.chance(micro % 1'000'000, 1'000'000) ? 1 : 0);
      for (std::uint64_t i = 0; i < n; ++i) kinds.push_back(r.kind);
    }
  }

  std::vector<ej::Movement> out;
  auto movement = [&](RegistryMovementKind kind, ej::RegistryPerson person) {
    ej::Movement m;
    m.movement_id = fmt::format("J{}{:06d}", day.compact(), next_movement_++);
    m.kind = kind;
    m.movement_date = day;
    m.notified_on = day;
    m.person = std::move(person);
    return m;
  };
  auto leave = [&](std::size_t i, const char* status) {
    const std::string id = residents_[i].person_id;
    status_[id] = status;
    index_.erase(id);
    if (i + 1 != residents_.size()) {
      residents_[i] = std::move(residents_.back());
      index_[residents_[i].person_id] = i;
    }
    residents_.pop_back();
  };
  auto age = [&](const Resident& r) { return day.age_of(r.birth); };

  for (auto kind : kinds) {
    switch (kind) {
      case RegistryMovementKind::move_in: {
        // 10% are 64 and turn 65 within two months (a 65th birthday inside the simulated window);
        // 20% are 65–90; the rest 20–63.
        Date birth;
        const auto roll = prng_.below(10);
        if (roll == 0) {
          const Date d65 = day.add_days(static_cast<int>(prng_.between(2, 61)));
          birth = Date(d65.year() - 65, d65.month(), std::min(d65.day(), 28u));
        } else {
          const int years = roll <= 2 ? static_cast<int>(prng_.between(65, 90)) : static_cast<int>(prng_.between(20, 63));
          birth = day.add_days(-(years * 365 + years / 4) - static_cast<int>(prng_.between(1, 360)));
        }
        const char sex = prng_.chance(1, 2) ? '1' : '2';
        const auto families = family_names();
        const auto& f = families[prng_.pick(weights_of(families))];
        auto p = newcomer(birth, sex, new_household_id(), std::string(f.kanji), std::string(f.kana), "世帯主");
        const Address a = make_address(prng_);
        p.postal_code = a.postal_code, p.address = a.text, p.ward_code = a.ward_code;
        auto m = movement(kind, p);
        const auto& from = former_municipalities()[prng_.pick(former_municipality_weights())];
        m.former_municipality_code = local_government_code(from.code5);
        m.former_municipality_name = std::string(from.name);
        index_[p.person_id] = residents_.size();
        residents_.push_back(Resident{p.person_id, birth, sex});
        changed_[p.person_id] = p;
        out.push_back(std::move(m));
        break;
      }
      case RegistryMovementKind::birth: {
        auto mother = pick_resident([&](const Resident& r) { return r.sex == '2' && age(r) >= 22 && age(r) <= 44; });
        if (!mother) break;
        auto mp = current(residents_[*mother].person_id);
        if (!mp) return std::unexpected(mp.error());
        if (!*mp) break;
        const char sex = prng_.chance(1, 2) ? '1' : '2';
        auto [fk, gk] = split_name((*mp)->name_kanji);
        auto [fa, ga] = split_name((*mp)->name_kana);
        auto p = newcomer(day, sex, (*mp)->household_id, fk, fa, "子");
        p.postal_code = (*mp)->postal_code, p.address = (*mp)->address, p.ward_code = (*mp)->ward_code;
        index_[p.person_id] = residents_.size();
        residents_.push_back(Resident{p.person_id, day, sex});
        changed_[p.person_id] = p;
        out.push_back(movement(kind, p));
        break;
      }
      case RegistryMovementKind::death: {
        // Older people far more likely (acceptance by age band).
        auto who = pick_resident([&](const Resident& r) {
          const int a = age(r);
          return a >= 85 ? prng_.chance(1, 2) : a >= 75 ? prng_.chance(1, 5) : a >= 65 ? prng_.chance(1, 20)
                                                                                          : prng_.chance(1, 200);
        });
        if (!who) break;
        auto p = current(residents_[*who].person_id);
        if (!p) return std::unexpected(p.error());
        if (!*p) break;
        leave(*who, "deceased");
        out.push_back(movement(kind, **p));
        break;
      }
      case RegistryMovementKind::move_out: {
        auto who = pick_resident([](const Resident&) { return true; });
        if (!who) break;
        auto p = current(residents_[*who].person_id);
        if (!p) return std::unexpected(p.error());
        if (!*p) break;
        leave(*who, "moved_out");
        if (prng_.chance(12, 100)) {
          out.push_back(movement(RegistryMovementKind::emigration, **p));
        } else {
          auto m = movement(kind, **p);
          m.new_address_on = day.add_days(static_cast<int>(prng_.between(0, 3)));  // the new city's 転入日
          out.push_back(std::move(m));
        }
        break;
      }
      case RegistryMovementKind::relocation:
      case RegistryMovementKind::name_change:
      case RegistryMovementKind::household_change: {
        auto who = pick_resident([&](const Resident& r) {
          return kind != RegistryMovementKind::name_change || (r.sex == '2' && age(r) >= 20 && age(r) <= 45);
        });
        if (!who) break;
        auto cur = current(residents_[*who].person_id);
        if (!cur) return std::unexpected(cur.error());
        if (!*cur) break;
        ej::RegistryPerson p = **cur;
        if (kind == RegistryMovementKind::relocation) {
          const Address a = make_address(prng_);
          p.postal_code = a.postal_code, p.address = a.text, p.ward_code = a.ward_code;
        } else if (kind == RegistryMovementKind::name_change) {
          const auto families = family_names();
          const auto& f = families[prng_.pick(weights_of(families))];
          p.name_kanji = std::string(f.kanji) + " " + split_name(p.name_kanji).second;
          p.name_kana = std::string(f.kana) + " " + split_name(p.name_kana).second;
        } else {
          p.household_id = new_household_id();  // 世帯分離: heads a household of their own
          p.relation = "世帯主";
        }
        changed_[p.person_id] = p;
        out.push_back(movement(kind, p));
        break;
      }
      default: break;
    }
  }
  day_ = day_.add_days(1);
  return out;
}

Result<void> RegistrySim::deliver(const std::string& name, const std::string& csv) {
  if (folder_) {
    namespace fs = std::filesystem;
    const fs::path in = *folder_ / "in";
    std::error_code ec;
    fs::create_directories(in, ec);
    const fs::path tmp = in / (".tmp-" + name);
    {
      std::ofstream f(tmp, std::ios::binary);
      f << csv;
      if (!f) return fail(ErrorKind::unavailable, fmt::format("cannot write {}", tmp.string()));
    }
    fs::rename(tmp, in / name, ec);
    if (ec) return fail(ErrorKind::unavailable, fmt::format("cannot rename into {}", in.string()));
    return {};
  }
  if (!channel_) return fail(ErrorKind::unavailable, "the registry simulator has neither a channel nor a folder");
  linkage::InboundMessage m;
  m.flow_id = "SK-16";
  m.counterpart = "juki";
  m.payload = csv;
  m.content_type = "text/csv";
  m.purpose = fmt::format("file {} from juki", name);  // the same words the folder channel uses
  m.actor = "simulator:juki";
  channel_->post(std::move(m));
  return {};
}

Result<AdvanceSummary> RegistrySim::advance_days(int days) {
  if (days < 1 || days > 366) return fail(ErrorKind::invalid_input, "days must be 1..366", "days");
  AdvanceSummary s;
  s.from = today();
  for (int i = 0; i < days; ++i) {
    const Date day = today();
    auto movements = next_day();
    if (!movements) return std::unexpected(movements.error());
    s.to = day;
    if (movements->empty()) continue;
    for (const auto& m : *movements) ++s.counts[std::string(ej::to_code(m.kind))];
    if (auto d = deliver(fmt::format("SK-16_diff_{}.csv", day.compact()), ej::write_diff_file(*movements)); !d)
      return std::unexpected(d.error());
    ++s.files;
  }
  return s;
}

Result<std::string> RegistrySim::advance(int days) {
  auto s = advance_days(days);
  if (!s) return std::unexpected(s.error());
  return s->text();
}

Result<std::string> RegistrySim::answer_inquiry(const std::string& request_json) {
  const auto j = nlohmann::json::parse(request_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("person_id") || !j["person_id"].is_string())
    return fail(ErrorKind::invalid_input, "an SK-02 request names a person_id", "person_id");
  const std::string pid = j["person_id"].get<std::string>();
  std::lock_guard lock(mutex_);
  nlohmann::json answer{{"person_id", pid}, {"found", false}};
  std::optional<ej::RegistryPerson> p;
  std::string status = "resident";
  auto r = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto row = c.query_one(std::string(kPersonSelect) + " FROM person p WHERE p.person_id = $1", {pid});
    if (!row) return std::unexpected(row.error());
    if (*row) {
      auto got = person_from(**row);
      if (!got) return std::unexpected(got.error());
      p = std::move(*got);
      status = (*row)->str(10);
    }
    if (auto it = changed_.find(pid); it != changed_.end()) p = it->second;
    if (auto it = status_.find(pid); it != status_.end()) status = it->second;
    if (!p || status == "non_registered") return {};
    auto members = c.query("SELECT person_id, relation FROM person WHERE household_id = $1 ORDER BY person_id",
                           {p->household_id});
    if (!members) return std::unexpected(members.error());
    auto household = nlohmann::json::array();
    for (const auto& m : *members) household.push_back({{"person_id", m.str(0)}, {"relation", m.str(1)}});
    answer["found"] = true;
    answer["person"] = {{"person_id", pid},           {"household_id", p->household_id}, {"name_kanji", p->name_kanji},
                        {"name_kana", p->name_kana},  {"birth_date", p->birth_date.iso()}, {"sex", p->sex},
                        {"relation", p->relation},    {"postal_code", p->postal_code},   {"address", p->address},
                        {"ward_code", p->ward_code},  {"registry_status", status}};
    answer["household"] = household;
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return answer.dump();
}

Result<std::string> full_load_file(store::Database& db) {
  std::string out = ej::write_full_file({});
  std::vector<ej::FullRow> batch;
  auto flush = [&] {
    std::string part = ej::write_full_file(batch);
    out.append(part, part.find('\n') + 1);  // without its header
    batch.clear();
  };
  Result<void> inner;
  auto r = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto each = c.query_each(
        std::string(kPersonSelect) +
            ", COALESCE(p.status_date, (SELECT MAX(o.moved_in_on) FROM person_origin o WHERE o.person_id = p.person_id), "
            "p.birth_date) FROM person p WHERE p.registry_status <> 'non_registered' ORDER BY p.person_id",
        {}, [&](const store::Row& row) {
          auto p = person_from(row);
          auto d = Date::parse(row.str(11));
          if (!p || !d) {
            inner = fail(ErrorKind::internal, "a stored person has a date that is not one");
            return false;
          }
          const std::string s = row.str(10);
          batch.push_back(ej::FullRow{0, std::move(*p),
                                      s == "deceased"    ? ej::RegistryStatus::deceased
                                      : s == "moved_out" ? ej::RegistryStatus::moved_out
                                                         : ej::RegistryStatus::resident,
                                      *d});
          if (batch.size() == 10000) flush();
          return true;
        });
    if (!each) return each;
    return inner;
  });
  if (!r) return std::unexpected(r.error());
  flush();
  return out;
}

}  // namespace kaigo::sim::juki
