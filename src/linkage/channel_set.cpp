#include "linkage/channel_set.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "linkage/flow_catalog.hpp"
#include "linkage/folder_channel.hpp"
#include "linkage/http_channel.hpp"

namespace kaigo::linkage {

namespace {

Result<std::shared_ptr<Channel>> make_channel(const std::string& code, const nlohmann::json& cfg,
                                              const std::string& data_dir) {
  const std::string field = "counterparts." + code;
  if (!cfg.is_object() || !cfg.contains("type") || !cfg["type"].is_string())
    return fail(ErrorKind::invalid_input, "needs a \"type\": folder, http or simulator", field);
  const std::string type = cfg["type"];
  if (type == "simulator") return std::make_shared<SimulatorChannel>(code);
  if (type == "folder") {
    if (!cfg.contains("dir") || !cfg["dir"].is_string() || cfg["dir"].get<std::string>().empty())
      return fail(ErrorKind::invalid_input, "a folder channel needs \"dir\"", field + ".dir");
    std::filesystem::path dir = cfg["dir"].get<std::string>();
    if (dir.is_relative()) dir = std::filesystem::path(data_dir) / dir;
    FileEncoding encoding = FileEncoding::utf8;
    if (cfg.contains("encoding")) {
      if (cfg["encoding"] == "cp932") encoding = FileEncoding::cp932;
      else if (cfg["encoding"] != "utf-8")
        return fail(ErrorKind::invalid_input, "encoding must be \"utf-8\" (the default) or \"cp932\"", field + ".encoding");
    }
    return std::make_shared<FolderChannel>(code, dir, encoding);
  }
  if (type == "http") {
    if (!cfg.contains("url") || !cfg["url"].is_string() ||
        !(cfg["url"].get<std::string>().starts_with("http://") || cfg["url"].get<std::string>().starts_with("https://")))
      return fail(ErrorKind::invalid_input, "an http channel needs \"url\": http://host:port[/prefix]", field + ".url");
    int timeout = 10;
    if (cfg.contains("timeout_seconds")) {
      if (!cfg["timeout_seconds"].is_number_integer() || cfg["timeout_seconds"].get<int>() < 1 ||
          cfg["timeout_seconds"].get<int>() > 600)
        return fail(ErrorKind::invalid_input, "timeout_seconds must be an integer from 1 to 600",
                    field + ".timeout_seconds");
      timeout = cfg["timeout_seconds"];
    }
    return std::make_shared<HttpChannel>(code, cfg["url"].get<std::string>(), timeout);
  }
  return fail(ErrorKind::invalid_input, fmt::format("unknown channel type '{}' (folder, http, simulator)", type),
              field + ".type");
}

}  // namespace

Result<ChannelSet> ChannelSet::from_config(const std::string& config_dir, const std::string& data_dir) {
  const auto path = std::filesystem::path(config_dir) / "channels.json";
  std::ifstream in(path);
  if (!in) return fail(ErrorKind::invalid_input, fmt::format("cannot read {}", path.string()), "channels.json");
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("counterparts") || !doc["counterparts"].is_object())
    return fail(ErrorKind::invalid_input, fmt::format("{}: expected an object with \"counterparts\"", path.string()),
                "channels.json");
  auto known = load_counterparts(config_dir);
  if (!known) return std::unexpected(known.error());
  std::set<std::string> codes;
  for (const auto& c : *known) codes.insert(c.code);

  ChannelSet set;
  for (const auto& [code, cfg] : doc["counterparts"].items()) {
    if (!codes.contains(code))
      return fail(ErrorKind::invalid_input, fmt::format("{}: unknown counterpart '{}'", path.string(), code),
                  "counterparts." + code);
    auto ch = make_channel(code, cfg, data_dir);
    if (!ch) return fail(ch.error().kind, fmt::format("{}: {}", path.string(), ch.error().message), ch.error().field);
    set.bind(code, std::move(*ch));
  }
  for (const auto& code : codes)
    if (!set.find(code))
      return fail(ErrorKind::invalid_input, fmt::format("{}: counterpart '{}' has no channel", path.string(), code),
                  "counterparts." + code);
  return set;
}

void ChannelSet::bind(const std::string& counterpart, std::shared_ptr<Channel> channel) {
  channels_[counterpart] = std::move(channel);
}

Channel* ChannelSet::find(const std::string& counterpart) const {
  auto it = channels_.find(counterpart);
  return it == channels_.end() ? nullptr : it->second.get();
}

SimulatorChannel* ChannelSet::simulator(const std::string& counterpart) const {
  return dynamic_cast<SimulatorChannel*>(find(counterpart));
}

}  // namespace kaigo::linkage
