#include "adapters/memory/webhook/memory_webhook_store.hpp"

#include <algorithm>

namespace shop::memory {

namespace {

using webhook::DeliveryStatus;
using webhook::WebhookDelivery;

std::optional<WebhookDelivery> find_in(const MemoryWebhookState& state, const std::string& id) {
  auto it = state.deliveries.find(id);
  if (it == state.deliveries.end()) return std::nullopt;
  return it->second;
}

class Transaction final : public webhook::WebhookTransaction {
 public:
  explicit Transaction(MemoryWebhookState& state) : state_(state) {}

  // The twin of the SQLite table's UNIQUE (event_id, subscriber_url).
  bool enqueue(const WebhookDelivery& delivery) override {
    if (!state_.keys.emplace(delivery.event.id, delivery.subscriber_url).second) return false;
    state_.deliveries.insert_or_assign(delivery.id, delivery);
    return true;
  }
  std::optional<WebhookDelivery> find(const std::string& delivery_id) override {
    return find_in(state_, delivery_id);
  }
  void save(const WebhookDelivery& delivery) override {
    state_.deliveries.insert_or_assign(delivery.id, delivery);
  }

 private:
  MemoryWebhookState& state_;
};

}  // namespace

void MemoryWebhookStore::write(const std::function<void(webhook::WebhookTransaction&)>& work) {
  state_.write([&](MemoryWebhookState& state) {
    Transaction transaction(state);
    work(transaction);
  });
}

std::optional<WebhookDelivery> MemoryWebhookStore::find(const std::string& delivery_id) {
  return state_.read([&](const MemoryWebhookState& state) { return find_in(state, delivery_id); });
}

std::vector<WebhookDelivery> MemoryWebhookStore::due(Timestamp now, std::size_t limit) {
  return state_.read([&](const MemoryWebhookState& state) {
    std::vector<WebhookDelivery> found;
    for (const auto& [id, delivery] : state.deliveries) {
      if (delivery.status == DeliveryStatus::pending && delivery.next_attempt_at <= now) {
        found.push_back(delivery);
      }
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return a.next_attempt_at < b.next_attempt_at;
    });
    if (found.size() > limit) found.resize(limit);
    return found;
  });
}

std::vector<WebhookDelivery> MemoryWebhookStore::dead(const std::string& before_id,
                                                      std::size_t limit) {
  return state_.read([&](const MemoryWebhookState& state) {
    std::vector<WebhookDelivery> found;
    // Ids below the cursor, highest first; an empty cursor starts at the top.
    auto it = before_id.empty() ? state.deliveries.end() : state.deliveries.lower_bound(before_id);
    while (it != state.deliveries.begin() && found.size() < limit) {
      --it;
      if (it->second.status == DeliveryStatus::dead) found.push_back(it->second);
    }
    return found;
  });
}

}  // namespace shop::memory
