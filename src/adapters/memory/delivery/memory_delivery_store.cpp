#include "adapters/memory/delivery/memory_delivery_store.hpp"

#include "domain/shared/failure.hpp"

namespace shop::memory {

namespace {

using delivery::Delivery;

std::optional<Delivery> find_in(const MemoryDeliveryState& state, const std::string& id) {
  auto it = state.deliveries.find(id);
  if (it == state.deliveries.end()) return std::nullopt;
  return it->second;
}

std::optional<Delivery> by_order_in(const MemoryDeliveryState& state,
                                    const std::string& order_id) {
  auto it = state.by_order.find(order_id);
  if (it == state.by_order.end()) return std::nullopt;
  return find_in(state, it->second);
}

bool matches(const Delivery& delivery, const delivery::DeliveryFilter& filter) {
  const auto& d = delivery.data();
  return (!filter.status || d.status == *filter.status) &&
         (filter.order_id.empty() || d.order_id == filter.order_id) &&
         (filter.customer_id.empty() || d.customer_id == filter.customer_id);
}

class Transaction final : public delivery::DeliveryTransaction {
 public:
  explicit Transaction(MemoryDeliveryState& state) : state_(state) {}

  std::optional<Delivery> find(const std::string& delivery_id) override {
    return find_in(state_, delivery_id);
  }
  std::optional<Delivery> by_order(const std::string& order_id) override {
    return by_order_in(state_, order_id);
  }
  // The twin of the SQLite table's UNIQUE order_id.
  void save(const Delivery& delivery) override {
    auto [it, inserted] = state_.by_order.emplace(delivery.order_id(), delivery.id());
    if (!inserted && it->second != delivery.id()) {
      throw Failure(FailureKind::conflict, "delivery_exists",
                    "order " + delivery.order_id() + " already has a delivery");
    }
    state_.deliveries.insert_or_assign(delivery.id(), delivery);
  }
  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return state_.events.first_delivery(consumer, event_id);
  }
  void publish(const EventEnvelope& event) override { state_.events.append(event); }

 private:
  MemoryDeliveryState& state_;
};

}  // namespace

void MemoryDeliveryStore::write(
    const std::function<void(delivery::DeliveryTransaction&)>& work) {
  state_.write([&](MemoryDeliveryState& state) {
    Transaction transaction(state);
    work(transaction);
  });
}

std::optional<Delivery> MemoryDeliveryStore::find(const std::string& delivery_id) {
  return state_.read(
      [&](const MemoryDeliveryState& state) { return find_in(state, delivery_id); });
}

std::optional<Delivery> MemoryDeliveryStore::by_order(const std::string& order_id) {
  return state_.read(
      [&](const MemoryDeliveryState& state) { return by_order_in(state, order_id); });
}

std::vector<Delivery> MemoryDeliveryStore::list(const delivery::DeliveryFilter& filter) {
  return state_.read([&](const MemoryDeliveryState& state) {
    std::vector<Delivery> found;
    // Ids below the cursor, highest first; an empty cursor starts at the top.
    auto it = filter.before_id.empty() ? state.deliveries.end()
                                       : state.deliveries.lower_bound(filter.before_id);
    while (it != state.deliveries.begin() && found.size() < filter.limit) {
      --it;
      if (matches(it->second, filter)) found.push_back(it->second);
    }
    return found;
  });
}

}  // namespace shop::memory
