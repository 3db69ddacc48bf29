#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "application/catalog/api.hpp"
#include "application/order/events.hpp"
#include "application/order/ports.hpp"
#include "application/payment/api.hpp"
#include "application/shared/clock.hpp"
#include "application/shared/event.hpp"
#include "application/shared/id_generator.hpp"
#include "application/shared/log.hpp"
#include "application/shared/paging.hpp"
#include "application/stock/api.hpp"
#include "domain/order/order.hpp"
#include "domain/shared/failure.hpp"
#include "domain/shared/money.hpp"
#include "domain/shared/time.hpp"

// The order module's facade: placing and cancelling orders (the saga it
// orchestrates), the queries, and the `Dispatch` port delivery calls.
namespace shop::order {

// The synchronous port offered to delivery (SPEC 2, step 6).
class Dispatch {
 public:
  virtual ~Dispatch() = default;
  // Called by delivery before a delivery becomes DISPATCHED: the order turns
  // IN_DELIVERY, after which it can no longer be cancelled. Idempotent.
  // Failure(conflict, "order_cancelled") once the order is cancelled,
  // Failure(not_found) for an unknown order. The order's own transaction
  // serialises it with cancel: of a cancel and a dispatch, exactly one wins.
  virtual void begin_dispatch(const std::string& order_id) = 0;
};

struct OrderView {
  std::string id;
  std::string customer_id;
  Status status = Status::payment_pending;
  std::string cancel_reason;
  std::vector<OrderLineData> lines;
  Money total;
  DeliveryAddress delivery_address;
  std::string payment_method;
  Timestamp created_at;
  Timestamp updated_at;
};

struct RequestedLine {
  std::string product_id;
  std::int64_t quantity = 0;
};

enum class PlacementResult {
  paid,              // 201
  payment_pending,   // 202: deferred, retried in the background
  payment_declined,  // 402
  out_of_stock,      // 409 naming the short lines; no order is visible
  unavailable,       // 503: the gateway could not answer and config says reject
  // 503: the order was written but its saga failed half-way (the database,
  // say); recovery finishes it and the request's key answers from it then.
  interrupted,
};

struct Placement {
  PlacementResult result = PlacementResult::unavailable;
  std::optional<OrderView> order;            // absent only when out of stock
  std::vector<stock::Shortage> shortages;
  int retry_after_seconds = 0;
  // The answer was stored for replays (or the key forgotten) together with
  // the saga's last step; otherwise the caller completes the request.
  bool request_settled = false;
};

// A response kept for replays, byte for byte.
struct StoredAnswer {
  int status = 0;
  std::string body;
};

struct PlaceOrder {
  std::string customer_id;
  // The request's Idempotency-Key, claimed in the transaction that writes
  // the order and bound to it, so that a request cut off by a crash can be
  // answered from the order once recovery settled it. Empty: no key.
  std::string idempotency_key;
  std::string body_digest;
  // Encodes the response to keep for a replayable result (SPEC 2, step 1).
  // It is stored in the transaction of the saga's last step, which saves a
  // commit per order; an unreplayable result forgets the key there instead.
  std::function<StoredAnswer(const Placement&)> answer;
  std::vector<RequestedLine> lines;
  DeliveryAddress delivery_address;
  std::string payment_method;
  std::string payment_token;
};

// What an Idempotency-Key finds (SPEC 2, step 1).
struct IdempotencyBegin {
  enum class State {
    fresh,        // go ahead and place the order
    replay,       // answer with the stored response
    in_progress,  // 409: the first request still runs
    mismatch,     // 422: the key was used with another body
    settled,      // the first request was cut off (a crash); its order has an
                  // answer now: respond with `placement`, then store it
  } state = State::fresh;
  int status = 0;      // replay: the stored status
  std::string body;    // replay: the stored body, byte for byte
  Placement placement;  // settled
};

struct OrderQuery {
  std::optional<Status> status;
  std::string customer_id;  // empty: every customer
  std::string cursor;
  std::size_t limit = default_page_size;
};

struct OrderPage {
  std::vector<OrderView> items;
  std::optional<std::string> next_cursor;
};

class OrderApi : public Dispatch {
 public:
  // Runs the saga synchronously up to a final answer or a deferral.
  // Failure(invalid) for bad lines or address, or a product that is unknown
  // or deleted (422, naming the line); Failure(conflict, request_in_progress)
  // when another request claimed the same key first.
  virtual Placement place(const PlaceOrder& command) = 0;
  // From PAYMENT_PENDING or PAID: CANCELLED at once, compensation by events.
  // Failure(conflict) when already cancelled or dispatch has begun,
  // Failure(not_found) when not `customer_id`'s order (unless staff).
  virtual OrderView cancel(const std::string& order_id, const std::string& reason) = 0;
  // Failure(not_found) when unknown or not yet placed.
  virtual OrderView get(const std::string& order_id) = 0;
  // Newest first.
  virtual OrderPage list(const OrderQuery& query) = 0;
  // Every order (placing and rejected ones too) counted by status, for metrics.
  virtual std::vector<std::pair<Status, std::int64_t>> count_by_status() = 0;

  // Idempotency keys, scoped per customer, kept `idempotency_ttl`. Reads
  // only, for a key not seen yet: `place` claims it with the order. A key
  // left in progress by a crash before its order was written is fresh again
  // after `abandoned_request_after`.
  virtual IdempotencyBegin begin_request(const std::string& customer_id, const std::string& key,
                                         const std::string& body_digest) = 0;
  // Stores the response to replay (201, 202 and 402 only).
  virtual void complete_request(const std::string& customer_id, const std::string& key,
                                int status, const std::string& body) = 0;
  // Forgets the key, so that a retry may succeed later (409, 422, 5xx).
  virtual void abandon_request(const std::string& customer_id, const std::string& key) = 0;

  // Background work: resumes or compensates sagas left unfinished by a
  // crash, retries deferred payments, expires old ones and old keys.
  // Returns how many sagas moved.
  virtual std::size_t recover() = 0;
  // Consumer of delivery events (DELIVERED -> order DELIVERED).
  virtual void on_delivery_event(const EventEnvelope& event) = 0;
};

// What to do when the gateway cannot answer (SPEC 2, step 4).
enum class PaymentUnavailablePolicy { reject, defer };

struct OrderSettings {
  PaymentUnavailablePolicy when_payment_unavailable = PaymentUnavailablePolicy::reject;
  std::chrono::seconds payment_retry_backoff{5};
  // A deferred payment not approved by then cancels the order (payment_expired).
  std::chrono::seconds payment_pending_ttl{600};
  std::chrono::seconds idempotency_ttl{std::chrono::hours(24)};
  std::chrono::seconds abandoned_request_after{60};
  // Recovery leaves alone sagas that moved more recently than this: they are
  // most likely being driven by the request that started them.
  std::chrono::seconds recovery_grace{10};
  int retry_after_seconds = 5;
};

struct OrderDependencies {
  OrderStore& store;
  catalog::ProductLookup& products;
  stock::Reservations& reservations;
  payment::Payments& payments;
  Clock& clock;
  IdGenerator& ids;
  Log& log;
  OrderSettings settings;
};

std::unique_ptr<OrderApi> make_order_service(OrderDependencies dependencies);

// 409: a request with the same Idempotency-Key is still being processed.
Failure request_in_progress();

}  // namespace shop::order
