#pragma once

#include <map>

#include "adapters/memory/outbox_store.hpp"
#include "application/delivery/ports.hpp"

namespace shop::memory {

struct MemoryDeliveryState {
  std::map<std::string, delivery::Delivery> deliveries;  // by id
  std::map<std::string, std::string> by_order;           // order id -> delivery id
  EventTables events;
};

class MemoryDeliveryStore final : public delivery::DeliveryStore,
                                  public OutboxStore<MemoryDeliveryState> {
 public:
  void write(const std::function<void(delivery::DeliveryTransaction&)>& work) override;
  std::optional<delivery::Delivery> find(const std::string& delivery_id) override;
  std::optional<delivery::Delivery> by_order(const std::string& order_id) override;
  std::vector<delivery::Delivery> list(const delivery::DeliveryFilter& filter) override;
};

}  // namespace shop::memory
