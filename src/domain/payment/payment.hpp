#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

namespace shop::payment {

// PENDING (asked, no final answer yet), APPROVED, DECLINED, REFUND_PENDING,
// CANCELLED (refunded), REFUND_FAILED (staff must resolve).
enum class PaymentStatus { pending, approved, declined, refund_pending, cancelled, refund_failed };

const char* to_string(PaymentStatus status);
std::optional<PaymentStatus> payment_status_from_string(const std::string& text);

// How hard a refund is tried: `max_attempts` failed calls in all, the n-th
// failure waiting `backoff * 2^(n-1)` before the next one.
struct RefundPolicy {
  int max_attempts = 8;
  std::chrono::milliseconds backoff{5000};
};

// Everything a payment stores; `Payment` guards how it may change.
struct PaymentData {
  std::string id;
  std::string order_id;
  std::string customer_id;
  Money amount;
  std::string method;
  // The provider's payment token (a reference, never card data): kept so
  // that an unanswered charge can be asked about again with the same key.
  std::string token;
  PaymentStatus status = PaymentStatus::pending;
  std::string charge_reference;
  // The last charge call went out without an answer: maybe charged.
  bool charge_unknown = false;
  // The order gave up on this payment before it was approved: an approval
  // that still arrives (or is found by reconciliation) is refunded at once.
  bool abandoned = false;
  std::string failure_reason;
  std::string refund_reason;
  std::string refund_reference;
  int refund_attempts = 0;
  Timestamp next_refund_at;
  Timestamp created_at;
  Timestamp updated_at;
};

// One order's payment. Gateway answers can arrive twice (a retried call, a
// reconciliation racing the saga), so the transitions they drive answer
// false when the payment is already there and Failure(conflict) only for a
// move that contradicts what is known.
class Payment {
 public:
  // Failure(invalid) naming the field for a bad id, amount, method or token.
  static Payment start(std::string id, std::string order_id, std::string customer_id, Money amount,
                       std::string method, std::string token, Timestamp now);
  static Payment restore(PaymentData data) { return Payment(std::move(data)); }

  // The provider charged. False when it had been approved already (a later
  // refund included); conflict when it was declined.
  bool approve(const std::string& charge_reference, Timestamp now);
  // The provider refused. False when declined already; conflict once approved.
  bool decline(const std::string& reason, Timestamp now);
  // No final answer from this call: `unknown` (maybe charged) or `pending`
  // (this call provably charged nothing, but an earlier unknown one still
  // may have). Both keep PENDING; false when a final answer is known already.
  bool mark_unknown(const std::string& reason, Timestamp now);
  bool mark_pending(const std::string& reason, Timestamp now);
  // The order was cancelled while the charge had no final answer. False when
  // marked already; conflict unless PENDING.
  bool cancel_pending(const std::string& reason, Timestamp now);

  // APPROVED -> REFUND_PENDING, first attempt due at `first_retry_at` (the
  // caller's own call is in flight until then). False when a refund was
  // requested before; conflict when nothing was charged.
  bool request_refund(const std::string& reason, Timestamp first_retry_at, Timestamp now);
  // The provider refunded: CANCELLED. Also from REFUND_FAILED, for a retry
  // that went through after all. False when CANCELLED already.
  bool refunded(const std::string& refund_reference, Timestamp now);
  // A refund call failed: retried later with backoff, REFUND_FAILED once
  // `policy.max_attempts` calls failed. Conflict unless REFUND_PENDING.
  void refund_failed_attempt(const std::string& reason, const RefundPolicy& policy, Timestamp now);

  bool refund_due(Timestamp now) const {
    return data_.status == PaymentStatus::refund_pending && now >= data_.next_refund_at;
  }

  const PaymentData& data() const { return data_; }
  const std::string& id() const { return data_.id; }
  const std::string& order_id() const { return data_.order_id; }
  PaymentStatus status() const { return data_.status; }
  bool abandoned() const { return data_.abandoned; }

 private:
  explicit Payment(PaymentData data) : data_(std::move(data)) {}
  [[noreturn]] void refuse(const char* move) const;
  bool was_approved() const;

  PaymentData data_;
};

}  // namespace shop::payment
