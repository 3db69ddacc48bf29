#pragma once

#include <map>
#include <string>
#include <vector>

namespace shop::cli {

// The command line: `shopbox [command...] [--flag value...]`.
struct Arguments {
  std::vector<std::string> command;          // e.g. {"user", "create"}; empty: serve
  std::string config_file;                   // --config FILE
  std::vector<std::string> overrides;        // --set section.key=value, --port, --database
  std::map<std::string, std::string> options;  // other --name value pairs
  bool password_stdin = false;
  bool take_over = false;  // serve --take-over
};

// Throws std::invalid_argument on a flag without its value or an unknown flag.
Arguments parse(int argc, char** argv);

// Reads a password from stdin (one line), or prompts for it on the
// terminal without echo. Throws std::runtime_error when there is none.
std::string read_password(bool from_stdin);

const char* usage();

}  // namespace shop::cli
