#include "adapters/sqlite/sqlite_storage.hpp"

#include <map>
#include <stdexcept>

#include "adapters/sqlite/migrations.hpp"

namespace shop::sqlite {

int SqliteStorage::migrate(const std::vector<std::string>& modules) {
  static const std::map<std::string, ModuleSchema (*)()> schemas{
      {"identity", identity_schema}, {"catalog", catalog_schema},
      {"stock", stock_schema},       {"order", order_schema},
      {"payment", payment_schema},   {"delivery", delivery_schema},
      {"dashboard", dashboard_schema}, {"webhook", webhook_schema}};
  std::vector<ModuleSchema> wanted;
  for (const auto& module : modules) wanted.push_back(schemas.at(module)());
  wanted.push_back(runtime_schema());
  return sqlite::migrate(database_, wanted).applied;
}

std::vector<wiring::Storage::Metric> SqliteStorage::metrics() {
  auto stats = database_.stats();
  return {
      {"shopbox_sqlite_commits_total", "counter",
       "Group commits: each one transaction and one sync for the writes queued.",
       {{"shopbox_sqlite_commits_total", double(stats.commits)}}},
      {"shopbox_sqlite_writes_total", "counter", "Writes committed in those groups.",
       {{"shopbox_sqlite_writes_total", double(stats.writes)}}},
      {"shopbox_sqlite_commit_seconds", "summary", "Time from BEGIN to COMMIT.",
       {{"shopbox_sqlite_commit_seconds_sum", stats.commit_seconds},
        {"shopbox_sqlite_commit_seconds_count", double(stats.commits)}}},
      {"shopbox_sqlite_busy_total", "counter",
       "Writes refused because another process held the database lock too long.",
       {{"shopbox_sqlite_busy_total", double(stats.busy)}}},
      {"shopbox_sqlite_checkpoints_total", "counter",
       "Checkpoints copying the write-ahead log back into the file.",
       {{"shopbox_sqlite_checkpoints_total", double(stats.checkpoints)}}},
  };
}

}  // namespace shop::sqlite
