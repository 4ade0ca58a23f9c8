#pragma once
// Which channel reaches each counterpart, from config/channels.json:
//   {"counterparts": {"juki": {"type": "simulator"},
//                     "kokuhoren": {"type": "folder", "dir": "exchange/kokuhoren", "encoding": "cp932"},
//                     "zeimu": {"type": "http", "url": "http://10.0.0.5:8080/kaigo", "timeout_seconds": 10}}}
// A folder "dir" is relative to the data dir unless absolute; its "encoding" is "utf-8" (the
// default) or "cp932" (files converted at the folder, payloads stay UTF-8). JSON rather than TOML because
// nlohmann-json is already a dependency. Every counterpart of config/flows/counterparts.tsv must
// be bound, and only those, so a typo fails at start-up instead of leaving messages queued.
#include <map>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "linkage/channel.hpp"
#include "linkage/simulator_channel.hpp"

namespace kaigo::linkage {

class ChannelSet {
 public:
  static Result<ChannelSet> from_config(const std::string& config_dir, const std::string& data_dir);

  // Binds (or re-binds) a counterpart to a channel.
  void bind(const std::string& counterpart, std::shared_ptr<Channel> channel);
  // The channel of a counterpart; nullptr when it has none.
  Channel* find(const std::string& counterpart) const;
  // The simulator of a counterpart, so sim/ can register its handler; nullptr when the
  // counterpart is bound to a real channel.
  SimulatorChannel* simulator(const std::string& counterpart) const;
  const std::map<std::string, std::shared_ptr<Channel>>& all() const { return channels_; }

 private:
  std::map<std::string, std::shared_ptr<Channel>> channels_;
};

}  // namespace kaigo::linkage
