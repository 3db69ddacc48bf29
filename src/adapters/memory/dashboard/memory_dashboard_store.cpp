#include "adapters/memory/dashboard/memory_dashboard_store.hpp"

#include <algorithm>

namespace shop::memory {

namespace {

using dashboard::DayTotals;
using dashboard::OrderRow;
using dashboard::ProductRow;
using dashboard::StoredEvent;
using dashboard::TimelineRow;

std::optional<OrderRow> row_in(const MemoryDashboardState& state, const std::string& order_id) {
  auto it = state.orders.find(order_id);
  if (it == state.orders.end()) return std::nullopt;
  return it->second;
}

std::optional<ProductRow> product_in(const MemoryDashboardState& state,
                                     const std::string& product_id) {
  auto it = state.products.find(product_id);
  if (it == state.products.end()) return std::nullopt;
  return it->second;
}

std::vector<StoredEvent> events_in(const MemoryDashboardState& state, std::int64_t after_position,
                                   std::size_t limit) {
  // Positions are 1, 2, 3...: the events after `after_position` start at that index.
  std::size_t first = std::min<std::size_t>(std::max<std::int64_t>(after_position, 0),
                                            state.events.size());
  std::size_t last = first + std::min(limit, state.events.size() - first);
  return std::vector<StoredEvent>(state.events.begin() + first, state.events.begin() + last);
}

class Transaction final : public dashboard::DashboardTransaction {
 public:
  explicit Transaction(MemoryDashboardState& state) : state_(state) {}

  bool store_event(const EventEnvelope& event) override {
    if (!state_.event_ids.insert(event.id).second) return false;
    state_.events.push_back(StoredEvent{std::int64_t(state_.events.size()) + 1, event});
    return true;
  }
  std::optional<OrderRow> order_row(const std::string& order_id) override {
    return row_in(state_, order_id);
  }
  void put_order_row(const OrderRow& row) override {
    state_.orders.insert_or_assign(row.order_id, row);
  }
  void add_timeline_entry(const TimelineRow& entry) override {
    state_.timeline.try_emplace({entry.order_id, entry.event_id}, entry);
  }
  std::optional<ProductRow> product_row(const std::string& product_id) override {
    return product_in(state_, product_id);
  }
  void put_product_row(const ProductRow& row) override {
    state_.products.insert_or_assign(row.product_id, row);
  }
  void add_day_totals(const DayTotals& delta) override {
    auto& day = state_.days[delta.date];
    day = dashboard::add(day, delta);
  }
  void clear_read_models() override {
    state_.orders.clear();
    state_.timeline.clear();
    state_.products.clear();
    state_.days.clear();
  }
  std::vector<StoredEvent> stored_events(std::int64_t after_position, std::size_t limit) override {
    return events_in(state_, after_position, limit);
  }
  std::int64_t event_count() override { return std::int64_t(state_.events.size()); }

 private:
  MemoryDashboardState& state_;
};

}  // namespace

void MemoryDashboardStore::write(
    const std::function<void(dashboard::DashboardTransaction&)>& work) {
  state_.write([&](MemoryDashboardState& state) {
    Transaction transaction(state);
    work(transaction);
  });
}

std::optional<OrderRow> MemoryDashboardStore::order_row(const std::string& order_id) {
  return state_.read([&](const MemoryDashboardState& state) { return row_in(state, order_id); });
}

std::vector<TimelineRow> MemoryDashboardStore::timeline(const std::string& order_id) {
  return state_.read([&](const MemoryDashboardState& state) {
    std::vector<TimelineRow> rows;
    for (auto it = state.timeline.lower_bound({order_id, ""});
         it != state.timeline.end() && it->first.first == order_id; ++it) {
      rows.push_back(it->second);
    }
    dashboard::sort_timeline(rows);
    return rows;
  });
}

dashboard::CustomerTotals MemoryDashboardStore::customer_totals(const std::string& customer_id) {
  return state_.read([&](const MemoryDashboardState& state) {
    std::vector<OrderRow> rows;
    for (const auto& [order_id, row] : state.orders) {
      if (row.customer_id == customer_id) rows.push_back(row);
    }
    return dashboard::summarize(rows);
  });
}

std::optional<ProductRow> MemoryDashboardStore::product_row(const std::string& product_id) {
  return state_.read(
      [&](const MemoryDashboardState& state) { return product_in(state, product_id); });
}

std::vector<ProductRow> MemoryDashboardStore::active_products(const std::string& category,
                                                              const std::string& after_id,
                                                              std::size_t limit) {
  return state_.read([&](const MemoryDashboardState& state) {
    std::vector<ProductRow> rows;
    for (auto it = state.products.upper_bound(after_id);
         it != state.products.end() && rows.size() < limit; ++it) {
      const ProductRow& row = it->second;
      if (row.active && (category.empty() || row.category == category)) rows.push_back(row);
    }
    return rows;
  });
}

DayTotals MemoryDashboardStore::day_totals(const std::string& date) {
  return state_.read([&](const MemoryDashboardState& state) {
    auto it = state.days.find(date);
    if (it == state.days.end()) return DayTotals{date};
    return it->second;
  });
}

std::map<std::string, std::int64_t> MemoryDashboardStore::deliveries_by_status() {
  return state_.read([](const MemoryDashboardState& state) {
    std::map<std::string, std::int64_t> counts;
    for (const auto& [order_id, row] : state.orders) {
      if (!row.delivery_status.empty()) ++counts[row.delivery_status];
    }
    return counts;
  });
}

std::vector<ProductRow> MemoryDashboardStore::low_stock(std::int64_t default_threshold,
                                                        std::size_t limit) {
  return state_.read([&](const MemoryDashboardState& state) {
    std::vector<ProductRow> rows;
    for (const auto& [product_id, row] : state.products) {
      if (rows.size() >= limit) break;
      if (dashboard::is_low(row, default_threshold)) rows.push_back(row);
    }
    return rows;
  });
}

std::vector<StoredEvent> MemoryDashboardStore::stored_events(std::int64_t after_position,
                                                             std::size_t limit) {
  return state_.read([&](const MemoryDashboardState& state) {
    return events_in(state, after_position, limit);
  });
}

std::int64_t MemoryDashboardStore::event_count() {
  return state_.read(
      [](const MemoryDashboardState& state) { return std::int64_t(state.events.size()); });
}

}  // namespace shop::memory
