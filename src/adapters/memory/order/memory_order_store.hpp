#pragma once

#include <map>
#include <utility>

#include "adapters/memory/outbox_store.hpp"
#include "application/order/ports.hpp"

namespace shop::memory {

struct MemoryOrderState {
  std::map<std::string, order::Order> orders;
  std::map<std::pair<std::string, std::string>, order::IdempotencyRecord> keys;
  EventTables events;
};

class MemoryOrderStore final : public order::OrderStore, public OutboxStore<MemoryOrderState> {
 public:
  void write(const std::function<void(order::OrderTransaction&)>& work) override;
  std::optional<order::Order> find(const std::string& order_id) override;
  std::optional<order::IdempotencyRecord> idempotency(const std::string& customer_id,
                                                      const std::string& key) override;
  std::vector<order::Order> list(const order::OrderFilter& filter) override;
  std::vector<std::string> unfinished(Timestamp now, std::size_t limit) override;
  std::vector<std::pair<order::Status, std::int64_t>> count_by_status() override;
};

}  // namespace shop::memory
