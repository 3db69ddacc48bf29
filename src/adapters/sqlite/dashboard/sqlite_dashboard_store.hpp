#pragma once

#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "application/dashboard/ports.hpp"

namespace shop::sqlite {

ModuleSchema dashboard_schema();

// The dashboard keeps no outbox (it publishes nothing); its stored events
// double as its inbox.
class SqliteDashboardStore final : public dashboard::DashboardStore {
 public:
  explicit SqliteDashboardStore(Database& database);

  void write(const std::function<void(dashboard::DashboardTransaction&)>& work) override;
  std::optional<dashboard::OrderRow> order_row(const std::string& order_id) override;
  std::vector<dashboard::TimelineRow> timeline(const std::string& order_id) override;
  dashboard::CustomerTotals customer_totals(const std::string& customer_id) override;
  std::vector<dashboard::StoredEvent> stored_events(std::int64_t after_position,
                                                    std::size_t limit) override;
  std::int64_t event_count() override;

 private:
  Database& database_;
};

}  // namespace shop::sqlite
