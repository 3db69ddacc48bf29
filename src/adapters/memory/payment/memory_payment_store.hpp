#pragma once

#include <map>

#include "adapters/memory/outbox_store.hpp"
#include "application/payment/ports.hpp"

namespace shop::memory {

struct MemoryPaymentState {
  std::map<std::string, payment::Payment> payments;  // by order id: one per order
  EventTables events;
};

class MemoryPaymentStore final : public payment::PaymentStore,
                                 public OutboxStore<MemoryPaymentState> {
 public:
  void write(const std::function<void(payment::PaymentTransaction&)>& work) override;
  std::optional<payment::Payment> by_order(const std::string& order_id) override;
  std::vector<payment::Payment> refunds_due(Timestamp now, std::size_t limit) override;
  std::vector<payment::Payment> unknown_charges(std::size_t limit) override;
};

}  // namespace shop::memory
