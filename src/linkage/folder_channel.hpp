#pragma once
// A counterpart reached through a shared folder (庁内 file exchange, 国保連 batch files):
//   <dir>/out/         files we send: <flow_id>_<処理通番>.<ext>, written as out/.tmp-<name> and
//                      renamed into place, so a reader never sees half a file
//   <dir>/in/          files the counterpart drops for us: <flow_id>[_<anything>][_re-<処理通番>].<ext>
//                      ("re-" names the request a file answers); taken in name order. The
//                      counterpart must drop them atomically too (write elsewhere, then rename).
//   <dir>/processed/   in/ files that were applied (or were duplicates)
//   <dir>/quarantine/  in/ files that were refused, each with <name>.reason.txt beside it
// Payloads are UTF-8 text; a file that is not, or whose name names no flow, is quarantined by
// poll() with its reason and never reaches the inbox. The idempotency key of a file is its SHA-256.
// A counterpart whose files are CP932 (the 国保連's, rules.md §5) gets `encoding: cp932`: files in
// are decoded to UTF-8 (a file that is not CP932 is quarantined, naming the byte), payloads out are
// encoded to CP932 (a character with no CP932 code refuses the message, naming the character).
#include <filesystem>
#include <string>

#include "linkage/channel.hpp"

namespace kaigo::linkage {

enum class FileEncoding { utf8, cp932 };

class FolderChannel final : public Channel {
 public:
  FolderChannel(std::string counterpart, std::filesystem::path dir, FileEncoding encoding = FileEncoding::utf8);
  std::string describe() const override;
  Result<std::optional<InboundMessage>> send(const Exchange& e) override;
  Result<std::vector<InboundEnvelope>> poll() override;
  Result<void> settle(const InboundEnvelope& env, const std::string& rejection_reason) override;

  // The name an outbound exchange gets in out/.
  static std::string file_name(const Exchange& e);

 private:
  Result<void> quarantine(const std::string& name, const std::string& reason);
  std::string counterpart_;
  std::filesystem::path dir_;
  FileEncoding encoding_;
};

}  // namespace kaigo::linkage
