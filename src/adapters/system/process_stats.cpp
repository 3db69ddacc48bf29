#include "adapters/system/process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace shop::system {

ProcessStats read_process_stats() {
  ProcessStats stats;
  std::ifstream stat_file("/proc/self/stat");
  std::string line;
  std::getline(stat_file, line);
  // The command name, in parentheses, may hold spaces: count fields after it.
  auto after_name = line.rfind(')');
  if (after_name != std::string::npos) {
    std::istringstream rest(line.substr(after_name + 2));
    std::vector<std::string> fields{std::istream_iterator<std::string>(rest),
                                    std::istream_iterator<std::string>()};
    // Fields 14, 15 and 24 of proc(5), counted from the state (field 3).
    if (fields.size() > 21) {
      double ticks = double(sysconf(_SC_CLK_TCK));
      stats.cpu_seconds = (std::stod(fields[11]) + std::stod(fields[12])) / ticks;
      stats.resident_bytes = std::stoll(fields[21]) * sysconf(_SC_PAGESIZE);
    }
  }
  std::error_code ignored;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ignored);
       it != std::filesystem::directory_iterator(); it.increment(ignored)) {
    ++stats.open_fds;
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) stats.max_fds = std::int64_t(limit.rlim_cur);
  return stats;
}

}  // namespace shop::system
