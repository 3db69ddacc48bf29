#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "adapters/memory/copy_on_write.hpp"
#include "application/dashboard/ports.hpp"

namespace shop::memory {

struct MemoryDashboardState {
  std::set<std::string> event_ids;
  std::vector<dashboard::StoredEvent> events;  // position = index + 1
  std::map<std::string, dashboard::OrderRow> orders;
  std::map<std::pair<std::string, std::string>, dashboard::TimelineRow> timeline;
  std::map<std::string, dashboard::ProductRow> products;
  std::map<std::string, dashboard::DayTotals> days;
};

// The dashboard keeps no outbox: it publishes nothing.
class MemoryDashboardStore final : public dashboard::DashboardStore {
 public:
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
  CopyOnWrite<MemoryDashboardState> state_;
};

}  // namespace shop::memory
