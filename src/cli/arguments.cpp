#include "cli/arguments.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <set>
#include <stdexcept>

namespace shop::cli {

namespace {
const std::set<std::string> value_options = {"email", "name", "role"};
}

Arguments parse(int argc, char** argv) {
  Arguments arguments;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (!word.starts_with("--")) {
      arguments.command.push_back(word);
      continue;
    }
    std::string flag = word.substr(2);
    if (flag == "password-stdin") {
      arguments.password_stdin = true;
      continue;
    }
    if (flag == "take-over") {
      arguments.take_over = true;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument(word + " needs a value");
    std::string value = argv[++i];
    if (flag == "config") {
      arguments.config_file = value;
    } else if (flag == "set") {
      arguments.overrides.push_back(value);
    } else if (flag == "port") {
      arguments.overrides.push_back("http.port=" + value);
    } else if (flag == "database") {
      arguments.overrides.push_back("database.path=" + value);
    } else if (flag == "modules") {
      arguments.overrides.push_back("modules.run=" + value);
    } else if (value_options.contains(flag)) {
      arguments.options[flag] = value;
    } else {
      throw std::invalid_argument("unknown flag " + word);
    }
  }
  return arguments;
}

std::string read_password(bool from_stdin) {
  std::string password;
  if (from_stdin || !isatty(STDIN_FILENO)) {
    std::getline(std::cin, password);
  } else {
    std::cerr << "Password: " << std::flush;
    termios saved{};
    tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    std::getline(std::cin, password);
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << '\n';
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) throw std::runtime_error("no password given");
  return password;
}

const char* usage() {
  return R"(usage: shopbox [command] [flags]

commands:
  serve                 run the HTTP server (the default)
  serve --take-over     replace the server running on the same database
                        without dropping a request: take its listening
                        socket, then its background work once it has drained
  migrate               apply database migrations and exit
  user create           create a user: --email E [--name N] [--role staff|customer]
                        [--password-stdin] (else the password is prompted for)
  replay                rebuild the dashboard's read models from its stored events
  backup FILE           write a consistent copy of the database to FILE (a new
                        file), while the server keeps running on it
  healthcheck           exit 0 when the local server answers /health/live
  dev kafka             host an in-memory Kafka cluster (librdkafka's mock) with
                        every module's topic and print its brokers; for
                        development with events.bus = "kafka", never production
  version               print the version

flags (any command):
  --config FILE         read settings from FILE (default: config/shopbox.toml if present)
  --set SECTION.KEY=V   override one setting (see config/shopbox.example.toml)
  --port N              same as --set http.port=N
  --database PATH       same as --set database.path=PATH
  --modules A,B         run only these modules, the others in other processes;
                        same as --set modules.run=A,B (README "Scaling out")
)";
}

}  // namespace shop::cli
