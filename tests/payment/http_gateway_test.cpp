#include "adapters/http/payment/http_gateway.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/fake_provider.hpp"

using namespace shop;
using namespace std::chrono_literals;
using gateway::HttpGateway;
using gateway::HttpGatewaySettings;
using payment::GatewayOutcome;
using shop::testing::FakeProvider;

namespace {

const Money amount{9000, "KRW"};

HttpGatewaySettings settings_for(const FakeProvider& provider,
                                 std::chrono::milliseconds timeout = 2000ms,
                                 int max_attempts = 3) {
  return {provider.url(), "", timeout, max_attempts};
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

}  // namespace

TEST_CASE("an approved charge carries its key, amount and token, and can be refunded") {
  FakeProvider provider;
  auto settings = settings_for(provider);
  settings.api_key = "sk_test_1";
  HttpGateway gateway(settings);

  auto charged = gateway.charge("o-1:charge", amount, "tok_visa");
  REQUIRE(charged.outcome == GatewayOutcome::approved);
  auto recorded = provider.charge("o-1:charge");
  REQUIRE(recorded);
  CHECK(charged.reference == recorded->reference);
  CHECK(recorded->amount == 9000);
  CHECK(recorded->currency == "KRW");
  CHECK(recorded->source == "tok_visa");
  auto seen = provider.last_request();
  CHECK(seen.target == "/v1/charges");
  CHECK(seen.idempotency_key == "o-1:charge");
  CHECK(seen.authorization == "Bearer sk_test_1");
  CHECK(seen.body ==
        R"({"idempotency_key":"o-1:charge","amount":{"amount":9000,"currency":"KRW"},)"
        R"("token":"tok_visa"})");

  auto refunded = gateway.refund("o-1:refund", amount, charged.reference);
  CHECK(refunded.outcome == GatewayOutcome::approved);
  CHECK(refunded.reference != charged.reference);
  seen = provider.last_request();
  CHECK(seen.target == "/v1/refunds");
  CHECK(seen.body ==
        R"({"idempotency_key":"o-1:refund","amount":{"amount":9000,"currency":"KRW"},)"
        R"("charge_reference":")" + charged.reference + R"("})");
  CHECK(provider.refunds_of(charged.reference).size() == 1);
  // A refund of something never charged is the provider's final no.
  CHECK(gateway.refund("o-2:refund", amount, "ch_404").outcome == GatewayOutcome::declined);
}

TEST_CASE("without an API key no Authorization header is sent") {
  FakeProvider provider;
  HttpGateway gateway(settings_for(provider));
  CHECK(gateway.charge("o-1:charge", amount, "tok").outcome == GatewayOutcome::approved);
  CHECK(provider.last_request().authorization.empty());
}

TEST_CASE("a declined charge is declined with the provider's message") {
  FakeProvider provider;
  provider.decline_all(true);
  HttpGateway gateway(settings_for(provider));
  auto declined = gateway.charge("o-1:charge", amount, "tok");
  CHECK(declined.outcome == GatewayOutcome::declined);
  CHECK(declined.message == "card declined");
}

TEST_CASE("provider errors map to outcomes, and none is retried") {
  FakeProvider provider;
  HttpGateway gateway(settings_for(provider));
  struct Case {
    unsigned status;
    GatewayOutcome outcome;
  };
  // 5xx, 408 and 429: the provider did not take the request. 409: another
  // request with the key is in progress, it may charge. Other 4xx: refused.
  for (auto [status, outcome] : {Case{500, GatewayOutcome::failed}, Case{503, GatewayOutcome::failed},
                                 Case{408, GatewayOutcome::failed}, Case{429, GatewayOutcome::failed},
                                 Case{409, GatewayOutcome::unknown},
                                 Case{422, GatewayOutcome::declined}}) {
    INFO("HTTP ", status);
    provider.fail_next(1, status);
    int before = provider.requests();
    auto reply = gateway.charge("o-" + std::to_string(status) + ":charge", amount, "tok");
    CHECK(reply.outcome == outcome);
    CHECK(provider.requests() == before + 1);
  }
  provider.fail_next(1, 400);
  CHECK(gateway.charge("o-1:charge", amount, "tok").message == "injected failure");
  CHECK(provider.charges().empty());
}

TEST_CASE("a refused connection fails, after max_attempts attempts") {
  FakeProvider provider;
  provider.go_down();
  HttpGateway gateway(settings_for(provider, 2000ms, 3));
  auto started = std::chrono::steady_clock::now();
  auto reply = gateway.charge("o-1:charge", amount, "tok");
  CHECK(reply.outcome == GatewayOutcome::failed);
  CHECK(reply.message.find("3 attempts") != std::string::npos);
  // Two backoffs between three attempts: 100 ms, then 200 ms.
  CHECK(since(started) >= 300ms);

  HttpGateway once(settings_for(provider, 2000ms, 1));
  started = std::chrono::steady_clock::now();
  CHECK(once.charge("o-1:charge", amount, "tok").message.find("1 attempt") != std::string::npos);
  CHECK(since(started) < 100ms);
  CHECK(provider.requests() == 0);
}

TEST_CASE("a provider back during the retries is reached by a later attempt") {
  FakeProvider provider;
  provider.go_down();
  // Attempts at about 0, 100, 300, 700 and 1500 ms; it is back at 150 ms.
  HttpGateway gateway(settings_for(provider, 2000ms, 5));
  auto started = std::chrono::steady_clock::now();
  std::thread recovery([&provider] {
    std::this_thread::sleep_for(150ms);
    provider.come_back();
  });
  auto reply = gateway.charge("o-1:charge", amount, "tok");
  recovery.join();
  CHECK(reply.outcome == GatewayOutcome::approved);
  CHECK(since(started) >= 100ms);  // the first attempt was refused
  CHECK(provider.requests() == 1);
}

TEST_CASE("a name that does not resolve fails") {
  HttpGateway gateway({"http://shopbox-test.invalid/v1", "", 1000ms, 2});
  auto reply = gateway.charge("o-1:charge", amount, "tok");
  CHECK(reply.outcome == GatewayOutcome::failed);
}

TEST_CASE("https to a server that does not speak TLS fails before anything is sent") {
  FakeProvider provider;
  HttpGateway gateway(
      {"https://127.0.0.1:" + std::to_string(provider.port()) + "/v1", "", 2000ms, 1});
  CHECK(gateway.charge("o-1:charge", amount, "tok").outcome == GatewayOutcome::failed);
  CHECK(provider.requests() == 0);
}

TEST_CASE("an answer slower than the timeout is unknown, not retried, and reconciled by key") {
  FakeProvider provider;
  provider.set_latency(800ms);
  HttpGateway gateway(settings_for(provider, 200ms, 3));
  auto started = std::chrono::steady_clock::now();
  auto reply = gateway.charge("o-1:charge", amount, "tok");
  CHECK(reply.outcome == GatewayOutcome::unknown);
  CHECK(since(started) < 700ms);
  CHECK(provider.requests() == 1);
  // The provider charged all the same; asking again with the key tells.
  auto charged = provider.charge("o-1:charge");
  REQUIRE(charged);
  provider.set_latency(0ms);
  auto again = gateway.charge("o-1:charge", amount, "tok");
  CHECK(again.outcome == GatewayOutcome::approved);
  CHECK(again.reference == charged->reference);
  CHECK(provider.charges().size() == 1);
}

TEST_CASE("charge, then drop the response: unknown, then approved with the same reference") {
  FakeProvider provider;
  provider.drop_after_charging(1);
  HttpGateway gateway(settings_for(provider));
  auto dropped = gateway.charge("o-1:charge", amount, "tok");
  CHECK(dropped.outcome == GatewayOutcome::unknown);
  CHECK(provider.requests() == 1);  // not repeated: it was sent
  auto charged = provider.charge("o-1:charge");
  REQUIRE(charged);
  CHECK(charged->status == "approved");

  auto again = gateway.charge("o-1:charge", amount, "tok");
  CHECK(again.outcome == GatewayOutcome::approved);
  CHECK(again.reference == charged->reference);
  CHECK(provider.charges().size() == 1);
}

TEST_CASE("provider URLs are parsed, bad ones refused at construction") {
  auto plain = gateway::parse_provider_url("http://127.0.0.1:8081/v1/");
  CHECK_FALSE(plain.tls);
  CHECK(plain.host == "127.0.0.1");
  CHECK(plain.port == "8081");
  CHECK(plain.base_path == "/v1");

  auto tls = gateway::parse_provider_url("HTTPS://pay.example.com");
  CHECK(tls.tls);
  CHECK(tls.host == "pay.example.com");
  CHECK(tls.port == "443");
  CHECK(tls.base_path.empty());

  auto ipv6 = gateway::parse_provider_url("http://[::1]:9000/api/v2");
  CHECK(ipv6.host == "::1");
  CHECK(ipv6.port == "9000");
  CHECK(ipv6.base_path == "/api/v2");

  for (const char* bad :
       {"", "pay.example.com", "ftp://pay.example.com", "http://", "http:///v1", "http://:80/",
        "http://pay.example.com:", "http://pay.example.com:0", "http://pay.example.com:65536",
        "http://pay.example.com:8o", "http://user:secret@pay.example.com",
        "http://pay.example.com/v1?x=1", "http://pay.example.com/v1#top", "http://pay example.com",
        "http://[::1", "http://[::1]x", "http://pay.example.com/v 1"}) {
    INFO(bad);
    CHECK_THROWS_AS(HttpGateway({bad, "", 1000ms, 3}), std::invalid_argument);
  }
  CHECK_THROWS_AS(HttpGateway({"http://127.0.0.1/v1", "", 0ms, 3}), std::invalid_argument);
  CHECK_THROWS_AS(HttpGateway({"http://127.0.0.1/v1", "", 1000ms, 0}), std::invalid_argument);
  CHECK_THROWS_AS(HttpGateway({"http://127.0.0.1/v1", "key\r\nX-Evil: 1", 1000ms, 3}),
                  std::invalid_argument);
}
