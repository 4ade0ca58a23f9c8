#include "linkage/folder_channel.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "core/cp932.hpp"

namespace kaigo::linkage {

namespace fs = std::filesystem;

namespace {

std::string extension_for(const std::string& content_type) {
  if (content_type.starts_with("application/json")) return "json";
  if (content_type.starts_with("text/csv")) return "csv";
  if (content_type.starts_with("application/xml")) return "xml";
  return "txt";
}

std::string content_type_for(const std::string& ext) {
  if (ext == ".json") return "application/json";
  if (ext == ".csv") return "text/csv";
  if (ext == ".xml") return "application/xml";
  return "text/plain";
}

bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;  // continuation bytes that follow
    if (c < 0x80) n = 0;
    else if ((c >> 5) == 0x6) n = 1;
    else if ((c >> 4) == 0xE) n = 2;
    else if ((c >> 3) == 0x1E) n = 3;
    else return false;
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += n + 1;
  }
  return true;
}

// Writes the whole file and flushes it to disk before the rename makes it visible.
Result<void> write_durably(const fs::path& path, const std::string& data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return fail(ErrorKind::unavailable, fmt::format("cannot create {}", path.string()));
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      ::close(fd);
      return fail(ErrorKind::unavailable, fmt::format("cannot write {}", path.string()));
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return fail(ErrorKind::unavailable, fmt::format("cannot flush {}", path.string()));
  return {};
}

Result<void> ensure_dir(const fs::path& p) {
  std::error_code ec;
  fs::create_directories(p, ec);
  if (ec) return fail(ErrorKind::unavailable, fmt::format("cannot create folder {}: {}", p.string(), ec.message()));
  return {};
}

// Moves `from` into folder `to_dir` under its own name, or name.1, name.2 … if that is taken.
Result<fs::path> move_into(const fs::path& from, const fs::path& to_dir) {
  if (auto d = ensure_dir(to_dir); !d) return std::unexpected(d.error());
  fs::path target = to_dir / from.filename();
  for (int n = 1; fs::exists(target); ++n) target = to_dir / fmt::format("{}.{}", from.filename().string(), n);
  std::error_code ec;
  fs::rename(from, target, ec);
  if (ec) return fail(ErrorKind::unavailable, fmt::format("cannot move {}: {}", from.string(), ec.message()));
  return target;
}

}  // namespace

FolderChannel::FolderChannel(std::string counterpart, fs::path dir, FileEncoding encoding)
    : counterpart_(std::move(counterpart)), dir_(std::move(dir)), encoding_(encoding) {}

std::string FolderChannel::describe() const {
  return "folder:" + dir_.string() + (encoding_ == FileEncoding::cp932 ? " (CP932)" : "");
}

std::string FolderChannel::file_name(const Exchange& e) {
  return fmt::format("{}_{}.{}", e.flow_id, e.correlation_id, extension_for(e.content_type));
}

Result<std::optional<InboundMessage>> FolderChannel::send(const Exchange& e) {
  const fs::path out = dir_ / "out";
  if (auto d = ensure_dir(out); !d) return std::unexpected(d.error());
  const std::string name = file_name(e);
  const fs::path tmp = out / (".tmp-" + name);
  std::string bytes = e.payload;
  if (encoding_ == FileEncoding::cp932) {
    auto encoded = cp932::encode(e.payload);
    if (!encoded) return fail(ErrorKind::invalid_input, "cannot be written in CP932: " + encoded.error().message, "payload");
    bytes = std::move(*encoded);
  }
  if (auto w = write_durably(tmp, bytes); !w) return std::unexpected(w.error());
  std::error_code ec;
  fs::rename(tmp, out / name, ec);
  if (ec) return fail(ErrorKind::unavailable, fmt::format("cannot rename into {}: {}", out.string(), ec.message()));
  return std::optional<InboundMessage>{};
}

Result<std::vector<InboundEnvelope>> FolderChannel::poll() {
  static const std::regex kName(R"(([A-Z]{2}-[0-9]{2})(_[A-Za-z0-9.\-]+)*)");
  static const std::regex kReply(R"(_re-([A-Za-z0-9\-]+))");
  const fs::path in = dir_ / "in";
  if (auto d = ensure_dir(in); !d) return std::unexpected(d.error());
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(in, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && !name.starts_with(".")) names.push_back(name);
  }
  if (ec) return fail(ErrorKind::unavailable, fmt::format("cannot list {}: {}", in.string(), ec.message()));
  std::sort(names.begin(), names.end());

  std::vector<InboundEnvelope> out;
  for (const auto& name : names) {
    const fs::path path = in / name;
    const std::string stem = path.stem().string();
    std::smatch m;
    if (!std::regex_match(stem, m, kName)) {
      if (auto q = quarantine(name, "the file name names no flow (expected <flow_id>[_…].<ext>, e.g. SK-16_20261124.csv)"); !q)
        return std::unexpected(q.error());
      continue;
    }
    std::ifstream f(path, std::ios::binary);
    std::stringstream buf;
    buf << f.rdbuf();
    if (!f) return fail(ErrorKind::unavailable, fmt::format("cannot read {}", path.string()));
    std::string payload = buf.str();
    if (encoding_ == FileEncoding::cp932) {
      auto decoded = cp932::decode(payload);
      if (!decoded) {
        if (auto q = quarantine(name, "the file is not CP932 text: " + decoded.error().message); !q) return std::unexpected(q.error());
        continue;
      }
      payload = std::move(*decoded);
    }
    if (!valid_utf8(payload)) {
      if (auto q = quarantine(name, "the file is not UTF-8 text"); !q) return std::unexpected(q.error());
      continue;
    }
    InboundMessage msg;
    msg.flow_id = m[1].str();
    msg.counterpart = counterpart_;
    msg.payload = std::move(payload);
    msg.content_type = content_type_for(path.extension().string());
    std::smatch r;
    if (std::regex_search(stem, r, kReply)) msg.in_reply_to = r[1].str();
    msg.purpose = fmt::format("file {} from {}", name, counterpart_);
    msg.actor = "channel:folder:" + counterpart_;
    out.push_back(InboundEnvelope{std::move(msg), name});
  }
  return out;
}

Result<void> FolderChannel::settle(const InboundEnvelope& env, const std::string& rejection_reason) {
  if (!rejection_reason.empty()) return quarantine(env.handle, rejection_reason);
  auto moved = move_into(dir_ / "in" / env.handle, dir_ / "processed");
  if (!moved) return std::unexpected(moved.error());
  return {};
}

Result<void> FolderChannel::quarantine(const std::string& name, const std::string& reason) {
  auto moved = move_into(dir_ / "in" / name, dir_ / "quarantine");
  if (!moved) return std::unexpected(moved.error());
  return write_durably(moved->string() + ".reason.txt", reason + "\n");
}

}  // namespace kaigo::linkage
