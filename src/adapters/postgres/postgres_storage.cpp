#include "adapters/postgres/postgres_storage.hpp"

#include <map>

#include "adapters/postgres/migrations.hpp"

namespace shop::postgres {

int PostgresStorage::migrate(const std::vector<std::string>& modules) {
  static const std::map<std::string, ModuleSchema (*)()> schemas{
      {"identity", identity_schema}, {"catalog", catalog_schema},
      {"stock", stock_schema},       {"order", order_schema},
      {"payment", payment_schema},   {"delivery", delivery_schema},
      {"dashboard", dashboard_schema}, {"webhook", webhook_schema}};
  std::vector<ModuleSchema> wanted;
  for (const auto& module : modules) wanted.push_back(schemas.at(module)());
  wanted.push_back(runtime_schema());
  return postgres::migrate(database_, wanted).applied;
}

std::vector<wiring::Storage::Metric> PostgresStorage::metrics() {
  auto stats = database_.stats();
  return {
      {"shopbox_postgres_commits_total", "counter", "Write transactions committed.",
       {{"shopbox_postgres_commits_total", double(stats.commits)}}},
      {"shopbox_postgres_retries_total", "counter",
       "Write transactions run again after losing a conflict with another replica.",
       {{"shopbox_postgres_retries_total", double(stats.retries)}}},
  };
}

}  // namespace shop::postgres
