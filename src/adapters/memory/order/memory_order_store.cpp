#include "adapters/memory/order/memory_order_store.hpp"

namespace shop::memory {

namespace {

using order::IdempotencyRecord;
using order::Order;

class Transaction final : public order::OrderTransaction {
 public:
  explicit Transaction(MemoryOrderState& state) : state_(state) {}

  std::optional<Order> find(const std::string& order_id) override {
    auto it = state_.orders.find(order_id);
    if (it == state_.orders.end()) return std::nullopt;
    return it->second;
  }
  void save(const Order& order) override { state_.orders.insert_or_assign(order.id(), order); }
  std::optional<IdempotencyRecord> idempotency(const std::string& customer_id,
                                               const std::string& key) override {
    auto it = state_.keys.find({customer_id, key});
    if (it == state_.keys.end()) return std::nullopt;
    return it->second;
  }
  void save(const IdempotencyRecord& record) override {
    state_.keys.insert_or_assign({record.customer_id, record.key}, record);
  }
  void forget(const std::string& customer_id, const std::string& key) override {
    state_.keys.erase({customer_id, key});
  }
  std::size_t forget_keys_before(Timestamp cutoff) override {
    return std::erase_if(state_.keys, [&](const auto& entry) { return entry.second.created_at < cutoff; });
  }
  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return state_.events.first_delivery(consumer, event_id);
  }
  void publish(const EventEnvelope& event) override { state_.events.append(event); }

 private:
  MemoryOrderState& state_;
};

}  // namespace

void MemoryOrderStore::write(const std::function<void(order::OrderTransaction&)>& work) {
  state_.write([&](MemoryOrderState& state) {
    Transaction transaction(state);
    work(transaction);
  });
}

std::optional<Order> MemoryOrderStore::find(const std::string& order_id) {
  return state_.read([&](const MemoryOrderState& state) -> std::optional<Order> {
    auto it = state.orders.find(order_id);
    if (it == state.orders.end()) return std::nullopt;
    return it->second;
  });
}

std::optional<IdempotencyRecord> MemoryOrderStore::idempotency(const std::string& customer_id,
                                                              const std::string& key) {
  return state_.read([&](const MemoryOrderState& state) -> std::optional<IdempotencyRecord> {
    auto it = state.keys.find({customer_id, key});
    if (it == state.keys.end()) return std::nullopt;
    return it->second;
  });
}

std::vector<Order> MemoryOrderStore::list(const order::OrderFilter& filter) {
  return state_.read([&](const MemoryOrderState& state) {
    std::vector<Order> found;
    for (auto it = state.orders.rbegin(); it != state.orders.rend() && found.size() < filter.limit;
         ++it) {
      const Order& order = it->second;
      if (!filter.before_id.empty() && order.id() >= filter.before_id) continue;
      if (!order.visible()) continue;
      if (filter.status && order.status() != *filter.status) continue;
      if (!filter.customer_id.empty() && order.data().customer_id != filter.customer_id) continue;
      found.push_back(order);
    }
    return found;
  });
}

std::vector<std::string> MemoryOrderStore::unfinished(Timestamp now, std::size_t limit) {
  return state_.read([&](const MemoryOrderState& state) {
    std::vector<std::string> found;
    for (const auto& [id, order] : state.orders) {
      if (found.size() >= limit) break;
      const auto& d = order.data();
      bool waiting = d.step == order::Step::awaiting_retry && d.retry_at && *d.retry_at > now;
      if (d.step != order::Step::finished && !waiting) found.push_back(id);
    }
    return found;
  });
}

std::vector<std::pair<order::Status, std::int64_t>> MemoryOrderStore::count_by_status() {
  return state_.read([](const MemoryOrderState& state) {
    std::map<order::Status, std::int64_t> counts;
    for (const auto& [id, order] : state.orders) ++counts[order.status()];
    return std::vector<std::pair<order::Status, std::int64_t>>(counts.begin(), counts.end());
  });
}

}  // namespace shop::memory
