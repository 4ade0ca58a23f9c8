#pragma once
// Reading PDFs back in tests with poppler-utils (pdftotext, pdfinfo, pdffonts; installed by
// scripts/install-deps.sh): what staff and printers will see is what the tests assert.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace kaigo::testing {

// Runs a command and returns its standard output (stderr discarded).
inline std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  return out;
}

inline bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// pdfinfo pads its field names with a varying number of spaces.
inline bool has_field(const std::string& info, const std::string& name, const std::string& value) {
  return std::regex_search(info, std::regex("(^|\\n)" + name + ":\\s+" + value + "\\s*(\\n|$)"));
}

// A per-process temporary PDF path.
inline std::filesystem::path temp_pdf(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("kaigo_" + name + "_" + std::to_string(::getpid()) + ".pdf");
}

// pdftotext -layout of a PDF held in memory (an HTTP response body).
inline std::string pdf_text(const std::string& pdf_bytes) {
  static int n = 0;
  const auto path = temp_pdf("text_" + std::to_string(++n));
  { std::ofstream(path, std::ios::binary) << pdf_bytes; }
  std::string text = run("pdftotext -layout " + path.string() + " -");
  std::filesystem::remove(path);
  return text;
}

}  // namespace kaigo::testing
