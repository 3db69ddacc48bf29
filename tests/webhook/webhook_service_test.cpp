#include <doctest/doctest.h>

#include <set>
#include <stdexcept>

#include "domain/shared/failure.hpp"
#include "webhook/webhook_fixture.hpp"

using namespace shop;
using namespace std::chrono_literals;
using shop::testing::WebhookFixture;
using webhook::DeliveryStatus;
using webhook::SendResult;
using webhook::Subscriber;

namespace {

const Subscriber everything{"https://all.example.com/hooks", "secret-a", {"*"}};
const Subscriber paid_only{"https://paid.example.com/hooks", "secret-b", {"shop.order.paid.v1"}};
const Subscriber stock_only{"https://stock.example.com/hooks", "secret-c", {"shop.stock.low.v1"}};

const webhook::SendOutcome failed{SendResult::retryable, "HTTP 503"};
const webhook::SendOutcome refused{SendResult::rejected, "HTTP 400: bad signature"};

std::set<std::pair<std::string, std::string>> sent_pairs(const WebhookFixture& hooks) {
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& sent : hooks.scripted.sent()) pairs.emplace(sent.subscriber_url, sent.event_id);
  return pairs;
}

}  // namespace

TEST_CASE("an event is queued once for each subscriber that wants its type") {
  WebhookFixture hooks({everything, paid_only, stock_only, {"https://none.example.com", "s", {}}});
  hooks.api->on_events({hooks.event("e-paid"), hooks.event("e-placed", "shop.order.placed.v1")});

  CHECK(hooks.pending().size() == 5);
  CHECK(hooks.queued_signals == 1);
  CHECK(hooks.deliver() == 5);
  CHECK(sent_pairs(hooks) == std::set<std::pair<std::string, std::string>>{
                                 {everything.url, "e-paid"},
                                 {everything.url, "e-placed"},
                                 {paid_only.url, "e-paid"},
                                 {"https://none.example.com", "e-paid"},
                                 {"https://none.example.com", "e-placed"}});
  CHECK(hooks.pending().empty());
  CHECK(hooks.deliver() == 0);
}

TEST_CASE("events no subscriber wants queue nothing and wake no one") {
  WebhookFixture hooks({stock_only});
  hooks.api->on_events({hooks.event("e-1")});
  CHECK(hooks.pending().empty());
  CHECK(hooks.queued_signals == 0);
}

TEST_CASE("a redelivered event is queued and sent once") {
  WebhookFixture hooks({everything, paid_only});
  auto paid = hooks.event("e-paid");
  hooks.api->on_events({paid, paid});  // twice in one batch
  hooks.api->on_events({paid});         // and once more, as the relay redelivers
  CHECK(hooks.pending().size() == 2);
  CHECK(hooks.deliver() == 2);

  hooks.api->on_events({paid});  // after it was delivered
  CHECK(hooks.pending().empty());
  CHECK(hooks.deliver() == 0);
  CHECK(hooks.scripted.sent().size() == 2);
}

TEST_CASE("a failed attempt is retried after a backoff that doubles up to the cap") {
  WebhookFixture hooks({paid_only}, {10, 1000ms, 5000ms});
  hooks.scripted.script({failed, failed, failed, failed, failed});
  hooks.api->on_events({hooks.event("e-1")});
  auto delivery = hooks.only_pending();

  // Equal jitter at 0.5: three quarters of 1, 2, 4, then the capped 5 seconds.
  for (auto expected : {750ms, 1500ms, 3000ms, 3750ms, 3750ms}) {
    CAPTURE(expected.count());
    REQUIRE(hooks.deliver() == 1);
    auto after = hooks.reread(delivery);
    CHECK(after.status == DeliveryStatus::pending);
    CHECK(after.last_error == "HTTP 503");
    CHECK(after.next_attempt_at - hooks.clock.now() == expected);
    // Not before it is due...
    hooks.clock.advance(expected - 1ms);
    CHECK(hooks.deliver() == 0);
    // ...and then at once.
    hooks.clock.advance(1ms);
  }
  CHECK(hooks.deliver() == 1);
  CHECK(hooks.reread(delivery).status == DeliveryStatus::delivered);
  CHECK(hooks.reread(delivery).attempts == 6);
  CHECK(hooks.reread(delivery).last_error.empty());
}

TEST_CASE("the jitter keeps each wait between half its ceiling and all of it") {
  webhook::RetryPolicy policy{8, 1000ms, 300000ms};
  for (int failures = 1; failures <= 12; ++failures) {
    auto ceiling = std::min<std::chrono::milliseconds>(1000ms * (1 << (failures - 1)), 300000ms);
    CAPTURE(failures);
    CHECK(webhook::retry_delay(policy, failures, 0.0) == ceiling / 2);
    CHECK(webhook::retry_delay(policy, failures, 0.25) == ceiling / 2 + ceiling / 8);
    auto highest = webhook::retry_delay(policy, failures, 0.999999);
    CHECK(highest <= ceiling);
    CHECK(highest >= ceiling - 1ms);
  }
  // The injected random source decides where in that range a wait falls.
  WebhookFixture hooks({paid_only}, {3, 1000ms, 300000ms});
  hooks.scripted.script({failed});
  hooks.random.set(0.1);
  hooks.api->on_events({hooks.event("e-1")});
  hooks.deliver();
  CHECK(hooks.only_pending().next_attempt_at - hooks.clock.now() == 550ms);
  // A thousand failures still wait the cap, no more.
  CHECK(webhook::retry_delay(policy, 1000, 0.999999) <= 300000ms);
}

TEST_CASE("after max_attempts failures the delivery is a dead letter") {
  WebhookFixture hooks({paid_only}, {3, 1000ms, 5000ms});
  hooks.scripted.script({failed, failed, {SendResult::retryable, "no answer within 5000 ms"}});
  hooks.api->on_events({hooks.event("e-1")});
  auto delivery = hooks.only_pending();
  for (int attempt = 0; attempt < 3; ++attempt) {
    REQUIRE(hooks.deliver() == 1);
    hooks.clock.advance(1h);
  }
  auto dead = hooks.reread(delivery);
  CHECK(dead.status == DeliveryStatus::dead);
  CHECK(dead.attempts == 3);
  CHECK(dead.last_error == "no answer within 5000 ms");
  CHECK(hooks.deliver() == 0);
  CHECK(hooks.scripted.sent().size() == 3);

  auto page = hooks.api->dead_letters({});
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == delivery.id);
  CHECK(page.items[0].event == delivery.event);
  CHECK_FALSE(page.next_cursor.has_value());
}

TEST_CASE("a refusal (4xx) is a dead letter at once, without a retry") {
  WebhookFixture hooks({paid_only});
  hooks.scripted.script({refused});
  hooks.api->on_events({hooks.event("e-1")});
  auto delivery = hooks.only_pending();
  CHECK(hooks.deliver() == 1);
  auto dead = hooks.reread(delivery);
  CHECK(dead.status == DeliveryStatus::dead);
  CHECK(dead.attempts == 1);
  CHECK(dead.last_error == "HTTP 400: bad signature");
  hooks.clock.advance(24h);
  CHECK(hooks.deliver() == 0);
  CHECK(hooks.scripted.sent().size() == 1);
}

TEST_CASE("a sender that throws counts as a failure to retry") {
  struct Throwing final : webhook::WebhookSender {
    webhook::SendOutcome send(const Subscriber&, const EventEnvelope&) override {
      throw std::runtime_error("out of sockets");
    }
  } throwing;
  WebhookFixture hooks({paid_only}, {}, &throwing);
  hooks.api->on_events({hooks.event("e-1")});
  CHECK(hooks.deliver() == 1);
  auto after = hooks.only_pending();
  CHECK(after.attempts == 1);
  CHECK(after.last_error == "out of sockets");
}

TEST_CASE("a delivery for a subscriber no longer configured becomes a dead letter") {
  WebhookFixture before({paid_only});
  before.api->on_events({before.event("e-1")});
  auto later = webhook::make_webhook_service({before.store, before.scripted, before.clock,
                                              before.ids, before.random, before.log, {}, {}, {}});
  CHECK(later->deliver_due(std::stop_token{}) == 1);
  CHECK(before.scripted.sent().empty());
  auto page = later->dead_letters({});
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].last_error == "the subscriber is no longer configured");
}

TEST_CASE("redelivery queues a dead letter again, due now, its attempts reset") {
  WebhookFixture hooks({paid_only}, {2, 1000ms, 5000ms});
  hooks.scripted.script({failed, failed});
  hooks.api->on_events({hooks.event("e-1")});
  auto delivery = hooks.only_pending();
  hooks.deliver();
  hooks.clock.advance(1h);
  hooks.deliver();
  REQUIRE(hooks.reread(delivery).status == DeliveryStatus::dead);
  int signals = hooks.queued_signals;

  hooks.clock.advance(1h);
  auto again = hooks.api->redeliver(delivery.id);
  CHECK(again.status == DeliveryStatus::pending);
  CHECK(again.attempts == 0);
  CHECK(again.next_attempt_at == hooks.clock.now());
  CHECK(hooks.queued_signals == signals + 1);
  CHECK(hooks.api->dead_letters({}).items.empty());

  CHECK(hooks.deliver() == 1);  // the fallback answer: delivered
  CHECK(hooks.reread(delivery).status == DeliveryStatus::delivered);
  CHECK(hooks.reread(delivery).attempts == 1);
  CHECK(hooks.scripted.sent().size() == 3);

  CHECK_THROWS_AS(hooks.api->redeliver(delivery.id), Failure);  // not a dead letter
  try {
    hooks.api->redeliver(delivery.id);
  } catch (const Failure& failure) {
    CHECK(failure.kind() == FailureKind::conflict);
  }
  try {
    hooks.api->redeliver("no-such-delivery");
    FAIL("an unknown id was redelivered");
  } catch (const Failure& failure) {
    CHECK(failure.kind() == FailureKind::not_found);
  }
}

TEST_CASE("dead letters page newest first by cursor") {
  WebhookFixture hooks({paid_only}, {1, 1000ms, 5000ms});
  hooks.api->on_events({hooks.event("e-1"), hooks.event("e-2"), hooks.event("e-3")});
  hooks.scripted.script({failed, failed, failed});
  // One a pass: a subscriber that failed gets no more until the next.
  for (int pass = 0; pass < 3; ++pass) CHECK(hooks.deliver() == 1);

  auto first = hooks.api->dead_letters({"", 2});
  REQUIRE(first.items.size() == 2);
  CHECK(first.items[0].event.id == "e-3");
  CHECK(first.items[1].event.id == "e-2");
  REQUIRE(first.next_cursor.has_value());
  auto second = hooks.api->dead_letters({*first.next_cursor, 2});
  REQUIRE(second.items.size() == 1);
  CHECK(second.items[0].event.id == "e-1");
  CHECK_FALSE(second.next_cursor.has_value());

  CHECK_THROWS_AS(hooks.api->dead_letters({"", 0}), Failure);
  CHECK_THROWS_AS(hooks.api->dead_letters({"", 101}), Failure);
}

TEST_CASE("a pass stops when asked, leaving what it did not send due") {
  WebhookFixture hooks({everything});
  hooks.api->on_events({hooks.event("e-1"), hooks.event("e-2")});
  std::stop_source stop;
  stop.request_stop();
  CHECK(hooks.api->deliver_due(stop.get_token()) == 0);
  CHECK(hooks.scripted.sent().empty());
  CHECK(hooks.pending().size() == 2);
}

TEST_CASE("a subscriber that fails gets no more this pass; the others get theirs") {
  WebhookFixture hooks({paid_only, everything}, {5, 1000ms, 5000ms});
  hooks.api->on_events({hooks.event("e-1"), hooks.event("e-2"), hooks.event("e-3")});
  // Deliveries go out in the order they were queued: paid_only's first.
  hooks.scripted.script({failed});
  CHECK(hooks.deliver() == 4);
  std::size_t to_paid_only = 0;
  for (const auto& sent : hooks.scripted.sent()) to_paid_only += sent.subscriber_url == paid_only.url;
  CHECK(to_paid_only == 1);
  CHECK(hooks.pending().size() == 3);  // paid_only's three, one of them with an attempt behind it
}
