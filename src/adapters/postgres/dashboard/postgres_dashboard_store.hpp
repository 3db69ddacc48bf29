#pragma once

#include "adapters/postgres/database.hpp"
#include "adapters/postgres/migrations.hpp"
#include "application/dashboard/ports.hpp"

namespace shop::postgres {

ModuleSchema dashboard_schema();

// The dashboard keeps no outbox (it publishes nothing); its stored events
// double as its inbox.
class PostgresDashboardStore final : public dashboard::DashboardStore {
 public:
  explicit PostgresDashboardStore(Database& database) : database_(database) {}

  void write(const std::function<void(dashboard::DashboardTransaction&)>& work) override;
  std::optional<dashboard::OrderRow> order_row(const std::string& order_id) override;
  std::vector<dashboard::TimelineRow> timeline(const std::string& order_id) override;
  dashboard::CustomerTotals customer_totals(const std::string& customer_id) override;
  std::optional<dashboard::ProductRow> product_row(const std::string& product_id) override;
  std::vector<dashboard::ProductRow> active_products(const std::string& category,
                                                     const std::string& after_id,
                                                     std::size_t limit) override;
  dashboard::DayTotals day_totals(const std::string& date) override;
  std::map<std::string, std::int64_t> deliveries_by_status() override;
  std::vector<dashboard::ProductRow> low_stock(std::int64_t default_threshold,
                                               std::size_t limit) override;
  std::vector<dashboard::StoredEvent> stored_events(std::int64_t after_position,
                                                    std::size_t limit) override;
  std::int64_t event_count() override;

 private:
  Database& database_;
};

}  // namespace shop::postgres
