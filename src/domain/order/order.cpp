#include "domain/order/order.hpp"

#include <algorithm>
#include <utility>

#include "domain/shared/failure.hpp"
#include "domain/shared/text.hpp"

namespace shop::order {

namespace {

constexpr const char* status_names[] = {"PLACING",         "REJECTED",    "PAYMENT_PENDING",
                                        "PAID",            "PAYMENT_DECLINED", "IN_DELIVERY",
                                        "DELIVERED",       "CANCELLED"};
constexpr const char* step_names[] = {"reserving",  "authorizing", "awaiting_retry", "confirming",
                                      "refunding", "releasing",   "finished"};

Failure conflict(const char* code, std::string detail) {
  return Failure(FailureKind::conflict, code, std::move(detail));
}

}  // namespace

const char* to_string(Status status) { return status_names[static_cast<int>(status)]; }
const char* to_string(Step step) { return step_names[static_cast<int>(step)]; }

std::optional<Status> status_from_string(const std::string& text) {
  for (int i = 0; i < 8; ++i) {
    if (text == status_names[i]) return static_cast<Status>(i);
  }
  return std::nullopt;
}

std::optional<Step> step_from_string(const std::string& text) {
  for (int i = 0; i < 7; ++i) {
    if (text == step_names[i]) return static_cast<Step>(i);
  }
  return std::nullopt;
}

void validate(const Address& address) {
  validate_text(address.name, "delivery_address.name", 1, 100);
  validate_text(address.line1, "delivery_address.line1", 1, 200);
  validate_text(address.line2, "delivery_address.line2", 0, 200);
  validate_text(address.city, "delivery_address.city", 1, 100);
  validate_text(address.postal_code, "delivery_address.postal_code", 1, 20);
  validate_text(address.phone, "delivery_address.phone", 1, 30);
}

Order Order::start(std::string id, std::string customer_id, std::vector<OrderLine> lines,
                   Address address, std::string payment_method, std::string payment_token,
                   Timestamp now) {
  if (lines.empty()) throw invalid_field("items", "must not be empty");
  if (lines.size() > max_order_lines) {
    throw invalid_field("items", "must have at most " + std::to_string(max_order_lines) + " lines");
  }
  Money total{0, lines.front().unit_price.currency};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    std::string field = "items[" + std::to_string(i) + "]";
    if (line.quantity <= 0 || line.quantity > max_line_quantity) {
      throw invalid_field(field + ".quantity",
                          "must be between 1 and " + std::to_string(max_line_quantity));
    }
    if (line.unit_price.currency != total.currency) {
      throw invalid_field(field + ".product_id", "is priced in another currency");
    }
    total.amount += line.unit_price.amount * line.quantity;
  }
  if (total.amount > max_money_amount) throw invalid_field("items", "the total is too large");
  // A card cannot be charged nothing; free goods are not sold through orders.
  if (total.amount == 0) throw invalid_field("items", "the total must be above zero");
  validate(address);
  validate_text(payment_method, "payment.method", 1, 20);
  validate_text(payment_token, "payment.token", 1, 200);
  OrderData data;
  data.id = std::move(id);
  data.customer_id = std::move(customer_id);
  data.lines = std::move(lines);
  data.total = std::move(total);
  data.address = std::move(address);
  data.payment_method = std::move(payment_method);
  data.payment_token = std::move(payment_token);
  data.created_at = data.updated_at = now;
  return Order(std::move(data));
}

Action Order::next_action(Timestamp now) const {
  switch (data_.step) {
    case Step::reserving: return Action::reserve_stock;
    case Step::authorizing: return Action::authorize_payment;
    case Step::awaiting_retry:
      return data_.retry_at && *data_.retry_at <= now ? Action::authorize_payment : Action::none;
    case Step::confirming: return Action::confirm_stock;
    case Step::refunding: return Action::refund_payment;
    case Step::releasing: return Action::release_stock;
    case Step::finished: return Action::none;
  }
  return Action::none;
}

// A payment reply is expected while authorizing or waiting to retry, and in
// `releasing` only for an order cancelled meanwhile (a background retry's
// late answer); a declined or rejected order takes no second answer.
void Order::require_payment_reply(const char* reply) const {
  if (data_.step == Step::releasing && data_.status == Status::cancelled) return;
  require_step({Step::authorizing, Step::awaiting_retry}, reply);
}

void Order::require_step(std::initializer_list<Step> allowed, const char* reply) const {
  if (std::find(allowed.begin(), allowed.end(), data_.step) == allowed.end()) {
    throw conflict("saga_state", std::string("order ") + data_.id + " cannot take '" + reply +
                                     "' while " + to_string(data_.step));
  }
}

void Order::move(Step step, Timestamp now) {
  data_.step = step;
  data_.updated_at = now;
}

void Order::stock_reserved(Timestamp now) {
  require_step({Step::reserving}, "stock reserved");
  data_.status = Status::payment_pending;
  move(Step::authorizing, now);
}

void Order::stock_short(Timestamp now) {
  require_step({Step::reserving}, "stock short");
  data_.status = Status::rejected;
  move(Step::finished, now);
}

// A payment reply may come back after a cancel of a deferred order (the
// background retry raced it): then an approval is refunded, anything else
// leaves the release under way.
void Order::payment_approved(Timestamp now) {
  require_payment_reply("payment approved");
  ++data_.payment_attempts;
  move(data_.status == Status::cancelled ? Step::refunding : Step::confirming, now);
}

void Order::payment_declined(const std::string& reason, Timestamp now) {
  require_payment_reply("payment declined");
  ++data_.payment_attempts;
  if (data_.status == Status::cancelled) return;
  data_.status = Status::payment_declined;
  data_.cancel_reason = reason;
  move(Step::releasing, now);
}

void Order::payment_unavailable(bool defer, Timestamp retry_at, Timestamp deadline,
                                Timestamp now) {
  require_payment_reply("payment unavailable");
  ++data_.payment_attempts;
  if (data_.status == Status::cancelled) return;
  if (!data_.payment_deadline) data_.payment_deadline = deadline;
  if (!defer || now >= *data_.payment_deadline) {
    data_.status = Status::cancelled;
    data_.cancel_reason = defer ? "payment_expired" : "payment_unavailable";
    data_.retry_at.reset();
    move(Step::releasing, now);
    return;
  }
  data_.status = Status::payment_pending;
  // The last try happens at the deadline, not a backoff after it.
  data_.retry_at = std::min(retry_at, *data_.payment_deadline);
  move(Step::awaiting_retry, now);
}

void Order::stock_confirmed(Timestamp now) {
  require_step({Step::confirming}, "stock confirmed");
  data_.status = Status::paid;
  move(Step::finished, now);
}

void Order::stock_expired(Timestamp now) {
  require_step({Step::confirming}, "stock expired");
  data_.status = Status::cancelled;
  data_.cancel_reason = "stock_expired";
  move(Step::refunding, now);
}

void Order::payment_refunded(Timestamp now) {
  require_step({Step::refunding}, "payment refunded");
  move(Step::releasing, now);
}

void Order::stock_released(Timestamp now) {
  require_step({Step::releasing}, "stock released");
  data_.retry_at.reset();
  move(Step::finished, now);
}

void Order::cancel(const std::string& reason, Timestamp now) {
  validate_text(reason, "reason", 0, 500);
  switch (data_.status) {
    case Status::cancelled: throw conflict("already_cancelled", "the order is already cancelled");
    case Status::in_delivery:
    case Status::delivered:
      throw conflict("dispatch_started", "the order is on its way and can no longer be cancelled");
    case Status::payment_declined:
      throw conflict("not_cancellable", "the payment was declined; there is nothing to cancel");
    case Status::placing:
    case Status::rejected: throw Failure(FailureKind::not_found, "order_not_found", "no such order");
    case Status::payment_pending:
    case Status::paid: break;
  }
  bool settled = (data_.status == Status::paid && data_.step == Step::finished) ||
                 (data_.status == Status::payment_pending && data_.step == Step::awaiting_retry);
  if (!settled) {
    throw conflict("order_in_progress", "the order is still being placed; try again in a moment");
  }
  bool deferred = data_.status == Status::payment_pending;
  data_.status = Status::cancelled;
  data_.cancel_reason = reason.empty() ? "cancelled" : reason;
  data_.retry_at.reset();
  // A deferred order still holds its reservation: the saga releases it. A
  // paid one is compensated by the consumers of order.cancelled.
  move(deferred ? Step::releasing : Step::finished, now);
}

bool Order::begin_dispatch(Timestamp now) {
  if (data_.status == Status::in_delivery) return false;
  if (data_.status == Status::cancelled) {
    throw conflict("order_cancelled", "the order was cancelled; do not dispatch it");
  }
  if (data_.status != Status::paid) {
    throw conflict("order_not_paid", "only a paid order can be dispatched");
  }
  data_.status = Status::in_delivery;
  data_.updated_at = now;
  return true;
}

bool Order::delivered(Timestamp now) {
  if (data_.status == Status::delivered) return false;
  if (data_.status != Status::in_delivery) {
    throw conflict("order_not_in_delivery", "only an order in delivery can be delivered");
  }
  data_.status = Status::delivered;
  data_.updated_at = now;
  return true;
}

bool Order::paid() const {
  return data_.status == Status::paid || data_.status == Status::in_delivery ||
         data_.status == Status::delivered;
}

}  // namespace shop::order
