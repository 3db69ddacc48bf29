#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "application/shared/event.hpp"
#include "domain/payment/payment.hpp"
#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

// What the payment module needs from the outside world.
namespace shop::payment {

// approved / declined: the provider's final answer. failed: provably not
// charged (refused before sending, or the provider said so), safe to retry.
// unknown: sent, no answer (timeout, dropped connection): maybe charged;
// reconciled by asking again with the same idempotency key.
enum class GatewayOutcome { approved, declined, failed, unknown };

struct GatewayReply {
  GatewayOutcome outcome = GatewayOutcome::failed;
  std::string reference;  // the provider's id of the charge or refund
  std::string message;    // why, for logs and decline reasons
};

// The outside payment provider. Calls with the same idempotency key are the
// same operation to the provider: repeating one never charges twice.
class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;
  virtual GatewayReply charge(const std::string& idempotency_key, const Money& amount,
                              const std::string& token) = 0;
  virtual GatewayReply refund(const std::string& idempotency_key, const Money& amount,
                              const std::string& charge_reference) = 0;
};

// The work of one write transaction: all or nothing. Adapters serialise
// writers, so what `by_order` returns cannot change before commit.
class PaymentTransaction {
 public:
  virtual ~PaymentTransaction() = default;
  virtual std::optional<Payment> by_order(const std::string& order_id) = 0;
  // Inserts or updates by payment id; one payment per order id.
  virtual void save(const Payment& payment) = 0;
  // The inbox: true the first time `consumer` sees `event_id`, false after,
  // decided by a unique key rather than a read-then-write.
  virtual bool first_delivery(const std::string& consumer, const std::string& event_id) = 0;
  virtual void publish(const EventEnvelope& event) = 0;
};

class PaymentStore {
 public:
  virtual ~PaymentStore() = default;
  // Commits when `work` returns, rolls back when it throws (and rethrows).
  // `work` may run more than once (a transaction that lost a conflict with
  // another replica runs again): it must set its results afresh each time.
  virtual void write(const std::function<void(PaymentTransaction&)>& work) = 0;
  virtual std::optional<Payment> by_order(const std::string& order_id) = 0;
  // REFUND_PENDING payments whose next attempt is due by `now`, most
  // overdue first.
  virtual std::vector<Payment> refunds_due(Timestamp now, std::size_t limit) = 0;
  // PENDING payments whose last charge call went unanswered (maybe
  // charged), oldest first: what reconciliation asks the gateway about.
  virtual std::vector<Payment> unknown_charges(std::size_t limit) = 0;
};

}  // namespace shop::payment
