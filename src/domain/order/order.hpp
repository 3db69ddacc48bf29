#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

namespace shop::order {

inline constexpr std::size_t max_order_lines = 100;
inline constexpr std::int64_t max_line_quantity = 10'000;

struct OrderLine {
  std::string product_id;
  std::string sku;
  std::string name;
  Money unit_price;
  std::int64_t quantity = 0;

  friend bool operator==(const OrderLine&, const OrderLine&) = default;
};

struct Address {
  std::string name;
  std::string line1;
  std::string line2;
  std::string city;
  std::string postal_code;
  std::string phone;

  friend bool operator==(const Address&, const Address&) = default;
};

// Throws Failure(invalid) naming the first field that breaks a rule.
void validate(const Address& address);

// What customers see (SPEC 3). `placing` and `rejected` are the saga's own:
// an order in them is not visible (SPEC 2, step 2).
enum class Status { placing, rejected, payment_pending, paid, payment_declined, in_delivery, delivered, cancelled };

// Where the saga stands, persisted so that a restarted process resumes it.
enum class Step {
  reserving,       // ask stock to reserve every line
  authorizing,     // ask payment to charge
  awaiting_retry,  // deferred: ask payment again when `retry_at` comes
  confirming,      // payment approved: ask stock to confirm the reservation
  refunding,       // charged but the order cannot stand: ask payment to refund
  releasing,       // ask stock to release the reservation
  finished,        // nothing left for the saga; events do the rest
};

// The saga's next request to another module, derived from the step alone:
// the pure half of the state machine (`next_action`), whose other half is
// the transitions below (given a reply, the new step).
enum class Action { none, reserve_stock, authorize_payment, confirm_stock, refund_payment, release_stock };

const char* to_string(Status status);
const char* to_string(Step step);
std::optional<Status> status_from_string(const std::string& text);
std::optional<Step> step_from_string(const std::string& text);

struct OrderData {
  std::string id;
  std::string customer_id;
  std::vector<OrderLine> lines;
  Money total;
  Address address;
  std::string payment_method;
  std::string payment_token;
  Status status = Status::placing;
  Step step = Step::reserving;
  std::string cancel_reason;
  int payment_attempts = 0;
  std::optional<Timestamp> retry_at;
  std::optional<Timestamp> payment_deadline;
  Timestamp created_at;
  Timestamp updated_at;
};

// An order and its saga. Transitions name the reply that caused them and
// refuse (Failure(conflict)) what is not allowed from the current state.
class Order {
 public:
  // Validates lines (1..100, positive quantities, one currency) and the address.
  static Order start(std::string id, std::string customer_id, std::vector<OrderLine> lines,
                     Address address, std::string payment_method, std::string payment_token,
                     Timestamp now);
  static Order restore(OrderData data) { return Order(std::move(data)); }

  Action next_action(Timestamp now) const;

  // Replies of the saga's steps.
  void stock_reserved(Timestamp now);
  void stock_short(Timestamp now);
  void payment_approved(Timestamp now);
  void payment_declined(const std::string& reason, Timestamp now);
  // The gateway could not answer: reject now, or defer until `deadline`.
  void payment_unavailable(bool defer, Timestamp retry_at, Timestamp deadline, Timestamp now);
  void stock_confirmed(Timestamp now);
  // The reservation ran out before the approval arrived.
  void stock_expired(Timestamp now);
  void payment_refunded(Timestamp now);
  void stock_released(Timestamp now);

  // Customer or staff. Allowed from PAYMENT_PENDING and PAID only.
  void cancel(const std::string& reason, Timestamp now);
  // Delivery is about to dispatch: PAID -> IN_DELIVERY (again: no-op).
  // Returns whether the status changed.
  bool begin_dispatch(Timestamp now);
  // Returns whether the status changed.
  bool delivered(Timestamp now);

  bool visible() const { return data_.status != Status::placing && data_.status != Status::rejected; }
  // Whether the customer was charged and not refunded by the saga itself.
  bool paid() const;
  const OrderData& data() const { return data_; }
  const std::string& id() const { return data_.id; }
  Status status() const { return data_.status; }
  Step step() const { return data_.step; }
  std::span<const OrderLine> lines() const { return data_.lines; }

 private:
  explicit Order(OrderData data) : data_(std::move(data)) {}
  void require_step(std::initializer_list<Step> allowed, const char* reply) const;
  void require_payment_reply(const char* reply) const;
  void move(Step step, Timestamp now);

  OrderData data_;
};

}  // namespace shop::order
