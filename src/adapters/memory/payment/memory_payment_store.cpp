#include "adapters/memory/payment/memory_payment_store.hpp"

#include <algorithm>
#include <stdexcept>

namespace shop::memory {

namespace {

using payment::Payment;
using payment::PaymentStatus;

std::optional<Payment> find_copy(const MemoryPaymentState& state, const std::string& order_id) {
  auto it = state.payments.find(order_id);
  if (it == state.payments.end()) return std::nullopt;
  return it->second;
}

class Transaction final : public payment::PaymentTransaction {
 public:
  explicit Transaction(MemoryPaymentState& state) : state_(state) {}

  std::optional<Payment> by_order(const std::string& order_id) override {
    return find_copy(state_, order_id);
  }
  void save(const Payment& payment) override {
    // The twin of the table's UNIQUE order_id: a second payment for an
    // order is a bug, not an update.
    auto existing = state_.payments.find(payment.order_id());
    if (existing != state_.payments.end() && existing->second.id() != payment.id()) {
      throw std::runtime_error("order " + payment.order_id() + " already has a payment");
    }
    state_.payments.insert_or_assign(payment.order_id(), payment);
  }
  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return state_.events.first_delivery(consumer, event_id);
  }
  void publish(const EventEnvelope& event) override { state_.events.append(event); }

 private:
  MemoryPaymentState& state_;
};

// The first `limit` payments matching `keep`, in the order `before` sorts them.
template <class Keep, class Before>
std::vector<Payment> select(const MemoryPaymentState& state, std::size_t limit, Keep keep,
                            Before before) {
  std::vector<Payment> found;
  for (const auto& [order_id, payment] : state.payments) {
    if (keep(payment)) found.push_back(payment);
  }
  std::ranges::stable_sort(found, before);
  if (found.size() > limit) found.erase(found.begin() + std::ptrdiff_t(limit), found.end());
  return found;
}

}  // namespace

void MemoryPaymentStore::write(const std::function<void(payment::PaymentTransaction&)>& work) {
  state_.write([&](MemoryPaymentState& state) {
    Transaction transaction(state);
    work(transaction);
  });
}

std::optional<Payment> MemoryPaymentStore::by_order(const std::string& order_id) {
  return state_.read([&](const MemoryPaymentState& state) { return find_copy(state, order_id); });
}

std::vector<Payment> MemoryPaymentStore::refunds_due(Timestamp now, std::size_t limit) {
  return state_.read([&](const MemoryPaymentState& state) {
    return select(
        state, limit, [&](const Payment& p) { return p.refund_due(now); },
        [](const Payment& a, const Payment& b) {
          return a.data().next_refund_at < b.data().next_refund_at;
        });
  });
}

std::vector<Payment> MemoryPaymentStore::unknown_charges(std::size_t limit) {
  return state_.read([&](const MemoryPaymentState& state) {
    return select(
        state, limit,
        [](const Payment& p) {
          return p.status() == PaymentStatus::pending && p.data().charge_unknown;
        },
        [](const Payment& a, const Payment& b) {
          return a.data().created_at < b.data().created_at;
        });
  });
}

}  // namespace shop::memory
