// The 国保連 / pension insurers simulator for 特別徴収 (see pension_sim.hpp).
#include "sim/kokuhoren/pension_sim.hpp"

#include <algorithm>
#include <fstream>

#include <fmt/format.h>

#include "core/cp932.hpp"
#include "core/hash.hpp"

namespace kaigo::sim::kokuhoren {

namespace tk = premium::tokucho;
using premium::YearMonth;

namespace {

std::string compact(const std::string& iso) {
  std::string s;
  for (char ch : iso)
    if (ch != '-') s += ch;
  return s;
}

std::string pension_code_of(const std::string& insurer) { return insurer == "001" ? "1150" : "2150"; }

// At most `n` characters (a field's width in double-byte characters).
std::string first_chars(const std::string& utf8, std::size_t n) {
  auto chars = cp932::utf8_to_u32(utf8);
  if (!chars) return "";
  if (chars->size() > n) chars->resize(n);
  return cp932::u32_to_utf8(*chars);
}

const char* kAmountKeys[] = {"amount_04", "amount_06", "amount_08", "amount_10", "amount_12", "amount_02"};

}  // namespace

PensionSim::PensionSim(store::Database& db, const tk::LayoutSet& layouts, linkage::SimulatorChannel* channel,
                       PensionSimOptions options)
    : db_(db), layouts_(layouts), channel_(channel), options_(std::move(options)) {
  if (!channel_) return;
  channel_->set_handler([this](const linkage::Exchange& e) -> Result<std::optional<linkage::InboundMessage>> {
    if (e.flow_id != "FK-15") return std::optional<linkage::InboundMessage>{};  // other 国保連 flows: accepted, no answer
    auto bytes = cp932::encode(e.payload);
    if (!bytes) return fail(ErrorKind::invalid_input, "the request is not CP932 text: " + bytes.error().message, "payload");
    auto answer = answer_request(*bytes, Date::parse(e.created_at.substr(0, 10)).value_or(Date(2026, 7, 1)));
    if (!answer) return std::unexpected(answer.error());
    auto payload = cp932::decode(*answer);
    if (!payload) return std::unexpected(payload.error());
    linkage::InboundMessage m;
    m.flow_id = "FK-16";
    m.counterpart = "kokuhoren";
    m.payload = std::move(*payload);
    m.content_type = "text/plain";
    m.purpose = fmt::format("file FK-16_result_re-{}.txt from kokuhoren", e.correlation_id);
    m.actor = "simulator:kokuhoren";
    return std::optional<linkage::InboundMessage>{std::move(m)};
  });
}

void PensionSim::write_to_folder(std::filesystem::path folder_dir) {
  std::lock_guard lock(mutex_);
  folder_ = std::move(folder_dir);
}

std::string PensionSim::basic_pension_no(const std::string& person_id) {
  // A stand-in for the insurer's own number, stable and unique per person: a 10-digit 宛名番号 is
  // scrambled by a bijection of [0, 10^10) (× 7,919, coprime to 10, + an offset), so two persons
  // never share a number (a real 基礎年金番号 is unique too); other ids fall back to a hash.
  constexpr std::uint64_t kSpace = 10'000'000'000ULL;
  if (person_id.size() == 10 && std::all_of(person_id.begin(), person_id.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fmt::format("{:010}", (std::stoull(person_id) * 7919ULL + 4'242'424'242ULL) % kSpace);
  const std::string h = sha256_hex("basic-pension-no:" + person_id);
  return fmt::format("{:010}", std::stoull(h.substr(0, 15), nullptr, 16) % kSpace);
}

void PensionSim::stop_pension(const std::string& person_id) {
  std::lock_guard lock(mutex_);
  stopped_by_hand_.insert(person_id);
}

bool PensionSim::stopped(const std::string& person_id) {
  if (stopped_by_hand_.contains(person_id)) return true;
  const std::string h = sha256_hex(fmt::format("stopped:{}:{}", options_.seed, person_id));
  return std::stoul(h.substr(0, 6), nullptr, 16) % 1000 < options_.stopped_per_mille;
}

Result<std::string> PensionSim::target_list(int fiscal_year, YearMonth capture_month, Date created_on, std::int64_t limit) {
  const tk::Layout* layout = layouts_.newest(tk::FileKind::target_list);
  if (!layout) return fail(ErrorKind::internal, "no target list layout");
  if (capture_month.month % 2 != 0) return fail(ErrorKind::invalid_input, "capture months are even months", "capture_month");
  const Date on = capture_month.first_day();
  // Aged 65 on the capture day (民法143条: reached on the day before the birthday).
  const Date born_by = on.add_days(1).add_months(-65 * 12);
  std::map<std::string, tk::GroupValues> groups;
  std::int64_t n = 0;
  auto each = db_.with_connection([&](store::Connection& c) -> Result<void> {
    return c.query_each(
        "SELECT p.person_id, p.birth_date, p.sex, p.name_kana, p.name_kanji, p.postal_code, p.address, "
        "n.pension_insurer_code, n.annual_amount FROM pension n JOIN person p ON p.person_id = n.person_id "
        "WHERE n.pension_kind = 'old_age' AND n.annual_amount >= 180000 AND n.valid_from <= $1 AND "
        "(n.valid_to IS NULL OR n.valid_to > $1) AND p.registry_status = 'resident' AND p.birth_date <= $2 "
        "ORDER BY n.pension_insurer_code, p.person_id, n.pension_id",
        {on.iso(), born_by.iso()}, [&](const store::Row& r) {
          if (limit > 0 && n >= limit) return false;
          auto kana = cp932::to_halfwidth_katakana(r.str(3));
          if (!kana || kana->size() > 50) return true;  // a name the file cannot carry: the insurer leaves it out
          const std::string insurer = r.str(7);
          auto& g = groups[insurer];
          if (g.header.empty())
            g.header = {{"insurer_no", options_.insurer_no}, {"pension_insurer_code", insurer},
                        {"created_on", created_on.compact()}, {"fiscal_year", std::to_string(fiscal_year)}};
          g.data.push_back({{"basic_pension_no", basic_pension_no(r.str(0))},
                            {"pension_code", pension_code_of(insurer)},
                            {"birth_date", compact(r.str(1))},
                            {"sex", r.str(2)},
                            {"kana_name", *kana},
                            {"kanji_name", first_chars(r.str(4), 25)},
                            {"postal_code", r.str(5)},
                            {"address", first_chars(r.str(6), 70)},
                            {"annual_pension_amount", std::to_string(r.i64(8))},
                            {"capture_month", capture_month.compact()}});
          ++n;
          return true;
        });
  });
  if (!each) return std::unexpected(each.error());
  std::vector<tk::GroupValues> list;
  for (auto& [insurer, g] : groups) list.push_back(std::move(g));
  auto written = tk::write_file(*layout,
                                {{"insurer_no", options_.insurer_no}, {"created_on", created_on.compact()},
                                 {"created_at", "090000"}, {"file_ref", fmt::format("KKR{}-{:04}", created_on.compact(), ++files_)}},
                                list);
  if (!written) return std::unexpected(written.error());
  return written->bytes;
}

Result<Summary> PensionSim::send_target_list(int fiscal_year, YearMonth capture_month, Date created_on, std::int64_t limit) {
  auto bytes = target_list(fiscal_year, capture_month, created_on, limit);
  if (!bytes) return std::unexpected(bytes.error());
  Summary s;
  for (std::size_t at = tk::kManagementBytes; at < bytes->size(); at += tk::kRecordBytes)
    if ((*bytes)[at] == '2') ++s.records;  // data records
  s.file_name = fmt::format("FK-14_{}_{}.txt", created_on.compact(), capture_month.compact());
  if (auto d = deliver(s.file_name, "FK-14", *bytes, ""); !d) return std::unexpected(d.error());
  return s;
}

Result<std::optional<std::string>> PensionSim::person_state(const std::string& person_id, Date on) {
  std::optional<std::string> state;
  auto q = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto p = c.query_one("SELECT registry_status FROM person WHERE person_id = $1", {person_id});
    if (!p) return std::unexpected(p.error());
    if (!*p || (*p)->str(0) == "deceased") {
      state = "01";
      return {};
    }
    auto pension = c.query_one(
        "SELECT 1 FROM pension WHERE person_id = $1 AND pension_kind = 'old_age' AND (valid_to IS NULL OR valid_to > $2)",
        {person_id, on.iso()});
    if (!pension) return std::unexpected(pension.error());
    if (!*pension) state = "03";
    return {};
  });
  if (!q) return std::unexpected(q.error());
  if (!state && stopped(person_id)) state = "02";
  return state;
}

Result<std::string> PensionSim::answer_request(const std::string& request_bytes, Date today) {
  const tk::Layout* result_layout = layouts_.newest(tk::FileKind::request_result);
  auto parsed = tk::parse_file(request_bytes, layouts_, tk::ParseContext{options_.insurer_no, tk::FileKind::request, {}});
  if (!parsed.file) return std::unexpected(tk::to_error(parsed.errors, parsed.truncated));
  const tk::ParsedFile& f = *parsed.file;
  // The pension insurer knows its own numbers: 基礎年金番号 → person.
  std::map<std::string, std::string> persons;
  auto index = db_.with_connection([&](store::Connection& c) -> Result<void> {
    return c.query_each("SELECT DISTINCT person_id FROM pension WHERE pension_kind = 'old_age'", {}, [&](const store::Row& r) {
      persons[basic_pension_no(r.str(0))] = r.str(0);
      return true;
    });
  });
  if (!index) return std::unexpected(index.error());
  std::vector<tk::GroupValues> groups;
  std::lock_guard lock(mutex_);
  for (const auto& g : f.groups) {
    tk::GroupValues out;
    out.header = {{"insurer_no", options_.insurer_no}, {"pension_insurer_code", f.get(g.header, '1', "pension_insurer_code")},
                  {"created_on", today.compact()}, {"fiscal_year", f.get(g.header, '1', "fiscal_year")},
                  {"request_ref", f.get(f.management, 'M', "file_ref")}};
    for (const auto& d : g.data) {
      tk::Values v;
      for (const char* key : {"basic_pension_no", "pension_code", "birth_date", "sex", "kana_name", "insured_no", "fiscal_year"})
        v[key] = f.get(d, '2', key);
      const auto it = persons.find(v["basic_pension_no"]);
      std::optional<std::string> reason = std::string("09");
      if (it != persons.end()) {
        auto start = YearMonth::parse(f.get(d, '2', "start_month"));
        auto state = person_state(it->second, start ? start->first_day() : today);
        if (!state) return std::unexpected(state.error());
        reason = *state;
      }
      v["result"] = reason ? "1" : "0";
      v["reason_code"] = reason.value_or("00");
      if (!reason) {
        Accepted a{v, it->second, f.get(g.header, '1', "pension_insurer_code"), {}};
        for (int slot = 1; slot <= premium::kSpecialSlots; ++slot) {
          const std::int64_t yen = f.number(d, '2', kAmountKeys[slot - 1]);
          if (yen > 0)
            a.amounts[premium::special_slot_month(static_cast<int>(f.number(d, '2', "fiscal_year")), slot).compact()] = yen;
        }
        accepted_[v["basic_pension_no"] + "|" + a.pension_insurer_code] = std::move(a);
      }
      out.data.push_back(std::move(v));
    }
    groups.push_back(std::move(out));
  }
  auto written = tk::write_file(*result_layout,
                                {{"insurer_no", options_.insurer_no}, {"created_on", today.compact()}, {"created_at", "090000"},
                                 {"file_ref", fmt::format("KKR{}-{:04}", today.compact(), ++files_)}},
                                groups);
  if (!written) return std::unexpected(written.error());
  return written->bytes;
}

Result<int> PensionSim::answer_folder_requests(Date today) {
  std::filesystem::path out;
  {
    std::lock_guard lock(mutex_);
    if (!folder_) return fail(ErrorKind::invalid_input, "the simulator has no folder", "folder");
    out = *folder_ / "out";
  }
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(out, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.starts_with("FK-15_")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  int answered = 0;
  for (const auto& path : files) {
    const std::string name = path.filename().string();
    {
      std::lock_guard lock(mutex_);
      if (answered_files_.contains(name)) continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto answer = answer_request(bytes, today);
    if (!answer) return std::unexpected(answer.error());
    const std::string correlation = path.stem().string().substr(6);  // FK-15_<処理通番>
    if (auto d = deliver(fmt::format("FK-16_result_{}_re-{}.txt", today.compact(), correlation), "FK-16", *answer, correlation); !d)
      return std::unexpected(d.error());
    std::lock_guard lock(mutex_);
    answered_files_.insert(name);
    ++answered;
  }
  return answered;
}

Result<std::optional<std::string>> PensionSim::deduction_results(YearMonth month, Date today) {
  const tk::Layout* layout = layouts_.newest(tk::FileKind::collection_result);
  std::map<std::string, tk::GroupValues> groups;
  std::lock_guard lock(mutex_);
  for (auto& [key, a] : accepted_) {
    const auto amount = a.amounts.find(month.compact());
    if (amount == a.amounts.end()) continue;
    auto state = person_state(a.person_id, month.first_day());
    if (!state) return std::unexpected(state.error());
    auto& g = groups[a.pension_insurer_code];
    if (g.header.empty())
      g.header = {{"insurer_no", options_.insurer_no}, {"pension_insurer_code", a.pension_insurer_code},
                  {"created_on", today.compact()}, {"fiscal_year", std::to_string(month.fiscal_year())},
                  {"deduction_month", month.compact()}};
    tk::Values v = a.identity;
    v["fiscal_year"] = std::to_string(month.fiscal_year());
    v["deduction_month"] = month.compact();
    v["result"] = *state ? "1" : "0";
    v["reason_code"] = state->value_or("00");
    v["collected_amount"] = *state ? "0" : std::to_string(amount->second);
    g.data.push_back(std::move(v));
  }
  if (groups.empty()) return std::optional<std::string>{};
  std::vector<tk::GroupValues> list;
  for (auto& [insurer, g] : groups) list.push_back(std::move(g));
  auto written = tk::write_file(*layout,
                                {{"insurer_no", options_.insurer_no}, {"created_on", today.compact()}, {"created_at", "090000"},
                                 {"file_ref", fmt::format("KKR{}-{:04}", today.compact(), ++files_)}},
                                list);
  if (!written) return std::unexpected(written.error());
  return std::optional<std::string>{std::move(written->bytes)};
}

Result<Summary> PensionSim::deduct(YearMonth month, Date today) {
  auto bytes = deduction_results(month, today);
  if (!bytes) return std::unexpected(bytes.error());
  Summary s;
  if (!*bytes) return s;
  auto parsed = tk::parse_file(**bytes, layouts_, tk::ParseContext{options_.insurer_no, std::nullopt, {}});
  if (parsed.file)
    for (const auto& g : parsed.file->groups)
      for (const auto& d : g.data) {
        ++s.records;
        if (parsed.file->get(d, '2', "result") != "0") ++s.not_ok;
      }
  s.file_name = fmt::format("FK-16_deduction_{}.txt", month.compact());
  if (auto d = deliver(s.file_name, "FK-16", **bytes, ""); !d) return std::unexpected(d.error());
  return s;
}

Result<std::string> PensionSim::advance(int days) {
  if (days < 1 || days > 366) return fail(ErrorKind::invalid_input, "days must be 1..366", "days");
  Date day;
  bool send_list = false;
  {
    std::lock_guard lock(mutex_);
    if (!day_) day_ = options_.start;
    day = *day_;
    send_list = !list_sent_;
    list_sent_ = true;
    day_ = day.add_days(days);
  }
  std::string out;
  if (send_list) {
    const int fy = day.fiscal_year();
    auto s = send_target_list(fy, YearMonth{fy - 1, 10}, day);
    if (!s) return std::unexpected(s.error());
    out = fmt::format("FK-14 特別徴収対象者情報 {}年度: {}件", fy, s->records);
  }
  for (int i = 0; i < days; ++i) {
    const Date d = day.add_days(i);
    if (d.day() != 15 || d.month() % 2 != 0) continue;
    auto s = deduct(YearMonth{d.year(), d.month()}, d);
    if (!s) return std::unexpected(s.error());
    if (s->records > 0)
      out += fmt::format("{}FK-16 徴収結果 {}: {}件 (未徴収 {}件)", out.empty() ? "" : "; ", YearMonth{d.year(), d.month()}.iso(),
                         s->records, s->not_ok);
  }
  return fmt::format("{} – {}: {}", day.iso(), day.add_days(days - 1).iso(), out.empty() ? "nothing to deliver" : out);
}

Result<void> PensionSim::deliver(const std::string& name, const std::string& flow_id, const std::string& bytes,
                                 const std::string& in_reply_to) {
  std::optional<std::filesystem::path> folder;
  {
    std::lock_guard lock(mutex_);
    folder = folder_;
  }
  if (folder) {
    namespace fs = std::filesystem;
    const fs::path in = *folder / "in";
    std::error_code ec;
    fs::create_directories(in, ec);
    const fs::path tmp = in / (".tmp-" + name);
    {
      std::ofstream f(tmp, std::ios::binary);
      f << bytes;  // CP932, as the 国保連 sends it
      if (!f) return fail(ErrorKind::unavailable, fmt::format("cannot write {}", tmp.string()));
    }
    fs::rename(tmp, in / name, ec);
    if (ec) return fail(ErrorKind::unavailable, fmt::format("cannot rename into {}", in.string()));
    return {};
  }
  if (!channel_) return fail(ErrorKind::unavailable, "the pension simulator has neither a channel nor a folder");
  auto payload = cp932::decode(bytes);
  if (!payload) return std::unexpected(payload.error());
  linkage::InboundMessage m;
  m.flow_id = flow_id;
  m.counterpart = "kokuhoren";
  m.payload = std::move(*payload);
  m.content_type = "text/plain";
  m.in_reply_to = in_reply_to;
  m.purpose = fmt::format("file {} from kokuhoren", name);  // the words the folder channel uses
  m.actor = "simulator:kokuhoren";
  channel_->post(std::move(m));
  return {};
}

}  // namespace kaigo::sim::kokuhoren
