#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace shop::testing {

// A throwaway TOML file in the system's temporary directory.
struct TomlFile {
  std::filesystem::path path;
  explicit TomlFile(const std::string& text)
      : path(std::filesystem::temp_directory_path() /
             ("shopbox-config-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) +
              ".toml")) {
    std::ofstream(path) << text;
  }
  ~TomlFile() { std::filesystem::remove(path); }
  TomlFile(const TomlFile&) = delete;
  TomlFile& operator=(const TomlFile&) = delete;
};

}  // namespace shop::testing
