#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>

#include "adapters/http/webhook/http_webhook_sender.hpp"
#include "application/shared/event_json.hpp"
#include "webhook/webhook_fixture.hpp"
#include "webhook/webhook_receiver.hpp"

using namespace shop;
using namespace std::chrono_literals;
using shop::testing::ReceivedRequest;
using shop::testing::WebhookFixture;
using shop::testing::WebhookReceiver;
using webhook::DeliveryStatus;
using webhook::SendResult;
using webhook::Subscriber;

namespace {

const std::string secret = "whsec-3f9a1c";

// The receiver's side of the contract, written from the README rather than
// from the sender's code: HMAC-SHA256 over "<t>.<body>", lowercase hex.
std::string expected_signature(const std::string& key, const std::string& timestamp,
                               const std::string& body) {
  std::string text = timestamp + "." + body;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest, &length);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

struct Signature {
  std::string timestamp;
  std::string v1;
};

Signature parse_signature(const std::string& header) {
  auto comma = header.find(',');
  if (!header.starts_with("t=") || comma == std::string::npos ||
      header.compare(comma + 1, 3, "v1=") != 0) {
    return {};
  }
  return {header.substr(2, comma - 2), header.substr(comma + 4)};
}

bool verified(const ReceivedRequest& request, const std::string& key) {
  auto signature = parse_signature(request.signature);
  return !signature.v1.empty() &&
         signature.v1 == expected_signature(key, signature.timestamp, request.body);
}

// The webhook service on the memory store, sending through the real HTTP
// sender to a receiver started by the test.
struct Delivering {
  WebhookReceiver receiver;
  Subscriber subscriber{receiver.url("/hooks/shop"), secret, {"*"}};
  memory::ManualClock clock;
  http::HttpWebhookSender sender;
  WebhookFixture hooks;

  explicit Delivering(webhook::RetryPolicy retry = {3, 1000ms, 60000ms},
                      std::chrono::milliseconds timeout = 2000ms)
      : sender({subscriber}, timeout, clock), hooks({subscriber}, retry, &sender, &clock) {}
};

}  // namespace

TEST_CASE("an event arrives as a signed CloudEvents document the receiver can verify") {
  Delivering app;
  auto event = app.hooks.event("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  app.hooks.api->on_events({event});
  auto delivery = app.hooks.only_pending();
  REQUIRE(app.hooks.deliver() == 1);
  CHECK(app.hooks.reread(delivery).status == DeliveryStatus::delivered);

  auto received = app.receiver.received();
  REQUIRE(received.size() == 1);
  const auto& request = received[0];
  CHECK(request.method == "POST");
  CHECK(request.target == "/hooks/shop");
  CHECK(request.content_type == "application/cloudevents+json");
  CHECK(request.event_id == event.id);
  CHECK(decode_envelope_json(request.body) == event);
  CHECK(request.body.find(R"("specversion":"1.0")") != std::string::npos);

  auto signature = parse_signature(request.signature);
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
      app.hooks.clock.now().time_since_epoch());
  CHECK(signature.timestamp == std::to_string(now.count()));
  CHECK(verified(request, secret));
  // The check can fail: another secret, or a body changed on the way.
  CHECK_FALSE(verified(request, "another-secret"));
  auto tampered = request;
  tampered.body.replace(tampered.body.find("4500"), 4, "9999");
  CHECK_FALSE(verified(tampered, secret));
}

TEST_CASE("a 500 is retried after the backoff, then delivered with the same event id") {
  Delivering app;
  app.receiver.answer({{500}, {200}});
  app.hooks.api->on_events({app.hooks.event("e-1")});
  auto delivery = app.hooks.only_pending();

  REQUIRE(app.hooks.deliver() == 1);
  auto failed = app.hooks.reread(delivery);
  CHECK(failed.status == DeliveryStatus::pending);
  CHECK(failed.attempts == 1);
  CHECK(failed.last_error.starts_with("HTTP 500"));
  CHECK(app.hooks.deliver() == 0);  // not due yet

  app.hooks.clock.advance(1000ms);
  REQUIRE(app.hooks.deliver() == 1);
  CHECK(app.hooks.reread(delivery).status == DeliveryStatus::delivered);
  CHECK(app.hooks.reread(delivery).attempts == 2);

  auto received = app.receiver.received();
  REQUIRE(received.size() == 2);
  CHECK(received[0].event_id == "e-1");
  CHECK(received[1].event_id == "e-1");
  CHECK(received[0].body == received[1].body);
  CHECK(verified(received[0], secret));
  CHECK(verified(received[1], secret));
}

TEST_CASE("a 400 makes a dead letter at once, with no retry") {
  Delivering app;
  app.receiver.answer({{400}});
  app.hooks.api->on_events({app.hooks.event("e-1")});
  auto delivery = app.hooks.only_pending();
  REQUIRE(app.hooks.deliver() == 1);
  auto dead = app.hooks.reread(delivery);
  CHECK(dead.status == DeliveryStatus::dead);
  CHECK(dead.attempts == 1);
  CHECK(dead.last_error == "HTTP 400: refused by the test");
  app.hooks.clock.advance(24h);
  CHECK(app.hooks.deliver() == 0);
  CHECK(app.receiver.received().size() == 1);
}

TEST_CASE("a receiver that does not answer in time gets the delivery again later") {
  Delivering app({3, 1000ms, 60000ms}, 200ms);
  app.receiver.answer({{200, 2000ms}});
  app.hooks.api->on_events({app.hooks.event("e-1")});
  auto delivery = app.hooks.only_pending();
  auto started = std::chrono::steady_clock::now();
  REQUIRE(app.hooks.deliver() == 1);
  CHECK(std::chrono::steady_clock::now() - started < 1500ms);  // gave up at the deadline
  auto after = app.hooks.reread(delivery);
  CHECK(after.status == DeliveryStatus::pending);
  CHECK(after.attempts == 1);
  CHECK(after.last_error == "no answer within 200 ms");

  app.hooks.clock.advance(1000ms);
  REQUIRE(app.hooks.deliver() == 1);
  CHECK(app.hooks.reread(delivery).status == DeliveryStatus::delivered);
}

TEST_CASE("after the last attempt fails it is a dead letter, and redelivery sends it") {
  Delivering app({2, 1000ms, 60000ms});
  app.receiver.answer({{503}, {502}});
  app.hooks.api->on_events({app.hooks.event("e-1")});
  auto delivery = app.hooks.only_pending();
  REQUIRE(app.hooks.deliver() == 1);
  app.hooks.clock.advance(1000ms);
  REQUIRE(app.hooks.deliver() == 1);
  auto dead = app.hooks.reread(delivery);
  CHECK(dead.status == DeliveryStatus::dead);
  CHECK(dead.attempts == 2);
  CHECK(dead.last_error.starts_with("HTTP 502"));
  app.hooks.clock.advance(1h);
  CHECK(app.hooks.deliver() == 0);
  REQUIRE(app.hooks.api->dead_letters({}).items.size() == 1);

  app.hooks.api->redeliver(delivery.id);
  REQUIRE(app.hooks.deliver() == 1);
  CHECK(app.hooks.reread(delivery).status == DeliveryStatus::delivered);
  CHECK(app.hooks.api->dead_letters({}).items.empty());
  auto received = app.receiver.received();
  REQUIRE(received.size() == 3);
  CHECK(received[2].event_id == "e-1");
  CHECK(verified(received[2], secret));
}

TEST_CASE("the sender retries only timeouts, transport failures, 5xx, 408 and 429") {
  WebhookReceiver receiver;
  memory::ManualClock clock;
  Subscriber at_root{receiver.url(), secret, {}};
  Subscriber with_slash{receiver.url("/in/"), secret, {}};
  http::HttpWebhookSender sender({at_root, with_slash}, 2000ms, clock);
  EventEnvelope event{"e-1", "shop.order.paid.v1", "/shopbox/order", "order-1", clock.now(),
                      R"({"order_id":"order-1"})"};

  const std::vector<std::pair<unsigned, SendResult>> cases{
      {200, SendResult::delivered}, {204, SendResult::delivered}, {301, SendResult::rejected},
      {400, SendResult::rejected},  {404, SendResult::rejected},  {410, SendResult::rejected},
      {408, SendResult::retryable}, {429, SendResult::retryable}, {500, SendResult::retryable},
      {503, SendResult::retryable}};
  for (const auto& [status, result] : cases) {
    CAPTURE(status);
    receiver.answer({{status}});
    CHECK(sender.send(at_root, event).result == result);
  }
  receiver.answer({{200}});
  CHECK(sender.send(with_slash, event).result == SendResult::delivered);
  auto received = receiver.received();
  REQUIRE(received.size() == cases.size() + 1);
  CHECK(received.front().target == "/");
  CHECK(received.back().target == "/in/");

  // Nothing listens on the port of a receiver that is gone: retryable.
  std::string gone;
  {
    WebhookReceiver closed;
    gone = closed.url("/hooks");
  }
  Subscriber unreachable{gone, secret, {}};
  http::HttpWebhookSender to_nowhere({unreachable}, 2000ms, clock);
  auto outcome = to_nowhere.send(unreachable, event);
  CHECK(outcome.result == SendResult::retryable);
  CHECK(outcome.reason.starts_with("transport error"));
}

TEST_CASE("a subscriber URL that is not plain http(s) is refused when the sender is built") {
  memory::ManualClock clock;
  for (const char* url : {"ftp://hooks.example.com", "https://hooks.example.com/in?token=1",
                          "https://user:pw@hooks.example.com", "https://"}) {
    CAPTURE(url);
    CHECK_THROWS_AS(http::HttpWebhookSender({{url, secret, {}}}, 1000ms, clock),
                    std::invalid_argument);
  }
}
