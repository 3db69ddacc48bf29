#pragma once

#include <doctest/doctest.h>

#include <deque>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "adapters/memory/payment/memory_payment_store.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "application/order/events.hpp"
#include "application/payment/api.hpp"

namespace shop::testing {

// A memory store that knows whether a write transaction is open, so that a
// test can prove the gateway is never called inside one.
class WatchedPaymentStore final : public payment::PaymentStore {
 public:
  void write(const std::function<void(payment::PaymentTransaction&)>& work) override {
    if (crash_on_write > 0 && --crash_on_write == 0) throw std::runtime_error("process killed");
    inner.write([&](payment::PaymentTransaction& tx) {
      in_write = true;
      try {
        work(tx);
      } catch (...) {
        in_write = false;
        throw;
      }
      in_write = false;
    });
  }
  std::optional<payment::Payment> by_order(const std::string& order_id) override {
    return inner.by_order(order_id);
  }
  std::vector<payment::Payment> refunds_due(Timestamp now, std::size_t limit) override {
    return inner.refunds_due(now, limit);
  }
  std::vector<payment::Payment> unknown_charges(std::size_t limit) override {
    return inner.unknown_charges(limit);
  }

  memory::MemoryPaymentStore inner;
  bool in_write = false;
  // When positive, the write that many writes from now fails as if the
  // process died just before it: the earlier ones are committed.
  int crash_on_write = 0;
};

struct GatewayCall {
  std::string operation;  // "charge" or "refund"
  std::string key;
  Money amount;
  std::string argument;  // the token or the charge reference
  bool inside_write = false;
};

// Answers from a script, then a default; records every call.
class ScriptedGateway final : public payment::PaymentGateway {
 public:
  explicit ScriptedGateway(const WatchedPaymentStore& store) : store_(store) {}

  payment::GatewayReply charge(const std::string& key, const Money& amount,
                               const std::string& token) override {
    return answer("charge", key, amount, token, charges, charge_default);
  }
  payment::GatewayReply refund(const std::string& key, const Money& amount,
                               const std::string& charge_reference) override {
    return answer("refund", key, amount, charge_reference, refunds, refund_default);
  }

  std::vector<std::string> operations() const {
    std::vector<std::string> names;
    for (const auto& call : calls) names.push_back(call.operation);
    return names;
  }

  std::deque<payment::GatewayReply> charges;
  std::deque<payment::GatewayReply> refunds;
  payment::GatewayReply charge_default{payment::GatewayOutcome::approved, "ch-1", ""};
  payment::GatewayReply refund_default{payment::GatewayOutcome::approved, "re-1", ""};
  // Runs inside the next call, before it answers (then is cleared): a
  // cancel racing a charge in flight, say.
  std::function<void()> during_call;
  bool throw_next = false;
  std::vector<GatewayCall> calls;

 private:
  payment::GatewayReply answer(const char* operation, const std::string& key, const Money& amount,
                               const std::string& argument,
                               std::deque<payment::GatewayReply>& script,
                               const payment::GatewayReply& fallback) {
    calls.push_back({operation, key, amount, argument, store_.in_write});
    if (auto hook = std::exchange(during_call, nullptr)) hook();
    if (std::exchange(throw_next, false)) throw std::runtime_error("connection reset");
    if (script.empty()) return fallback;
    auto reply = script.front();
    script.pop_front();
    return reply;
  }

  const WatchedPaymentStore& store_;
};

inline const Money nine_thousand{9000, "KRW"};

struct PaymentFixture {
  WatchedPaymentStore store;
  ScriptedGateway gateway{store};
  memory::ManualClock clock;
  memory::SequentialIds ids;
  memory::SilentLog log;
  int refunds_queued = 0;
  std::unique_ptr<payment::PaymentApi> payments;

  explicit PaymentFixture(payment::PaymentSettings settings = {})
      : payments(payment::make_payment_service(
            {store, gateway, clock, ids, log, settings, [this] { ++refunds_queued; }})) {}

  static payment::ChargeRequest request(const std::string& order_id, Money amount = nine_thousand) {
    return {order_id, "c-1", amount, "card", "tok_ok"};
  }

  payment::PaymentStatus status_of(const std::string& order_id) {
    auto views = payments->for_order(order_id);
    REQUIRE(views.size() == 1);
    return views[0].status;
  }

  Outbox& outbox() { return store.inner; }

  static EventEnvelope order_cancelled(const std::string& order_id, const std::string& event_id,
                                       const std::string& reason = "changed my mind") {
    order::OrderCancelled event;
    event.order_id = order_id;
    event.customer_id = "c-1";
    event.reason = reason;
    event.total = nine_thousand;
    return make_envelope(event, event_id, Timestamp{});
  }
};

inline payment::GatewayReply reply(payment::GatewayOutcome outcome, std::string reference = "",
                                   std::string message = "") {
  return {outcome, std::move(reference), std::move(message)};
}

}  // namespace shop::testing
