#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "application/payment/circuit_breaker.hpp"
#include "application/payment/ports.hpp"
#include "application/shared/clock.hpp"
#include "application/shared/event.hpp"
#include "application/shared/id_generator.hpp"
#include "application/shared/log.hpp"
#include "domain/payment/payment.hpp"
#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

// Payment's facade, and the `Payments` port the order saga calls.
namespace shop::payment {

// PaymentStatus and its to_string come from the domain (payment.hpp).

struct PaymentView {
  std::string id;
  std::string order_id;
  std::string customer_id;
  Money amount;
  PaymentStatus status = PaymentStatus::pending;
  std::string method;
  std::string failure_reason;
  Timestamp created_at;
  Timestamp updated_at;
};

enum class AuthorizationResult {
  approved,
  declined,
  // Failed (provably not charged), unknown (maybe charged) or circuit open:
  // the saga decides between reject and defer; an unknown is reconciled.
  unavailable,
};

struct Authorization {
  AuthorizationResult result = AuthorizationResult::unavailable;
  std::string payment_id;
  std::string reason;  // why declined or unavailable
};

struct ChargeRequest {
  std::string order_id;
  std::string customer_id;
  Money amount;
  std::string method;  // "card"
  std::string token;   // the provider's payment token (tok_ok in the sandbox)
};

// One payment per order: every call is idempotent by order id, and every
// gateway call carries `<order_id>:charge` or `<order_id>:refund`.
class Payments {
 public:
  virtual ~Payments() = default;
  // Asks the gateway (through the circuit breaker). A repeated call for an
  // approved or declined order returns that answer without a second charge
  // (approved also once refunded); a payment still without a final answer
  // is asked about again with the same key. Declined with reason
  // "payment_cancelled", without a gateway call, once `refund` gave up a
  // pending payment. Failure(invalid) for a bad request,
  // Failure(conflict, "payment_mismatch") when repeated with another amount.
  virtual Authorization authorize(const ChargeRequest& request) = 0;
  // Refunds an approved payment: at once if the gateway answers, else
  // REFUND_PENDING and retried by `retry_refunds`. No-op when nothing was
  // charged or it was refunded already. On a payment without a final answer
  // yet (PENDING) it gives the charge up: an approval that still arrives, or
  // a charge reconciliation finds, is refunded automatically.
  virtual void refund(const std::string& order_id, const std::string& reason) = 0;
};

class PaymentApi : public Payments {
 public:
  virtual std::vector<PaymentView> for_order(const std::string& order_id) = 0;
  // Background work: retries pending refunds with backoff, turning them
  // REFUND_FAILED after the bound. It also reconciles: each charge whose
  // call went unanswered (`unknown`) is asked about again with the same
  // idempotency key; one found charged for an order that gave it up is
  // refunded. Returns how many were settled (refunded, given up, or a
  // charge answered for good).
  virtual std::size_t retry_refunds() = 0;
  // Consumer of order events (through the inbox, so a redelivery is a
  // no-op): a cancelled paid order's refund is queued (REFUND_PENDING, due
  // at once) for `retry_refunds`, so that a slow provider never holds up
  // the event relay; a cancelled order with a pending payment stops being
  // charged, as with `refund`.
  virtual void on_order_event(const EventEnvelope& event) = 0;
};

struct PaymentSettings {
  int refund_max_attempts = 8;
  std::chrono::seconds refund_backoff{5};  // doubled after each failure
};

struct PaymentDependencies {
  PaymentStore& store;
  PaymentGateway& gateway;  // already wrapped in the circuit breaker
  Clock& clock;
  IdGenerator& ids;
  Log& log;
  PaymentSettings settings;
  // Told when a refund was queued, so that whoever runs `retry_refunds`
  // runs it now rather than at its next period. May be empty.
  std::function<void()> refund_queued;
};

std::unique_ptr<PaymentApi> make_payment_service(PaymentDependencies dependencies);

}  // namespace shop::payment
