// The config loader on a TOML file and --set/--env overrides. The input is
// the file's text, except lines "--set section.key=value" and
// "--env SHOPBOX_SECTION_KEY=value", which become those sources. Bad config
// must be refused with the loader's error, std::runtime_error itself; any
// other exception type escapes or traps.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <unistd.h>

#include "adapters/config/config.hpp"

namespace {

shop::config::Sources sources_of(std::string_view input, const std::string& file) {
  shop::config::Sources sources;
  sources.config_file = file;
  std::string toml;
  while (!input.empty()) {
    auto end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    if (line.starts_with("--set ")) {
      sources.overrides.emplace_back(line.substr(6));
    } else if (line.starts_with("--env ")) {
      auto setting = line.substr(6);
      auto equals = setting.find('=');
      sources.environment[std::string(setting.substr(0, equals))] =
          equals == std::string_view::npos ? "" : std::string(setting.substr(equals + 1));
    } else {
      toml.append(line).append("\n");
    }
  }
  std::ofstream(file, std::ios::binary | std::ios::trunc) << toml;
  return sources;
}

// load() reads a file: one per process, so that parallel fuzzers never
// share one, removed at exit.
struct ScratchFile {
  std::string path =
      (std::filesystem::temp_directory_path() / ("shopbox-fuzz-config-" + std::to_string(getpid()) + ".toml"))
          .string();
  ~ScratchFile() { std::filesystem::remove(path); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ScratchFile file;
  auto sources = sources_of({reinterpret_cast<const char*>(data), size}, file.path);
  try {
    shop::config::load(sources);
  } catch (const std::runtime_error& error) {
    if (typeid(error) != typeid(std::runtime_error)) throw;
  }
  return 0;
}
