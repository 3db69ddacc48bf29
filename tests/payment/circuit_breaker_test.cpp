#include "application/payment/circuit_breaker.hpp"

#include "adapters/memory/test_doubles.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace shop;
using namespace shop::payment;
using namespace std::chrono_literals;

namespace {

using memory::ManualMonotonicClock;

// The provider behind the breaker: answers `outcome`, taking `duration` of
// the manual clock; counts the calls that reach it.
class FakeProvider final : public PaymentGateway {
 public:
  explicit FakeProvider(ManualMonotonicClock& time) : time_(time) {}

  GatewayReply charge(const std::string&, const Money&, const std::string&) override {
    return answer();
  }
  GatewayReply refund(const std::string&, const Money&, const std::string&) override {
    return answer();
  }

  GatewayOutcome outcome = GatewayOutcome::approved;
  std::chrono::nanoseconds duration{10ms};
  bool throws = false;
  std::function<void()> during_call;
  int calls = 0;

 private:
  GatewayReply answer() {
    ++calls;
    time_.advance(duration);
    if (auto hook = std::exchange(during_call, nullptr)) hook();
    if (throws) throw std::runtime_error("socket closed");
    return {outcome, outcome == GatewayOutcome::approved ? "ch-1" : "", "provider says"};
  }

  ManualMonotonicClock& time_;
};

struct Transition {
  std::string from;
  std::string to;
};

class RecordingLog final : public Log {
 public:
  void write(LogLevel, std::string_view message, std::initializer_list<LogField> fields) override {
    if (message != "payment circuit breaker changed state") return;
    Transition transition;
    for (const auto& field : fields) {
      if (field.key == "from") transition.from = std::get<std::string_view>(field.value);
      if (field.key == "to") transition.to = std::get<std::string_view>(field.value);
    }
    transitions.push_back(transition);
  }
  std::vector<std::string> trail() const {
    std::vector<std::string> lines;
    for (const auto& t : transitions) lines.push_back(t.from + "->" + t.to);
    return lines;
  }
  std::vector<Transition> transitions;
};

struct BreakerFixture {
  ManualMonotonicClock time;
  FakeProvider provider{time};
  RecordingLog log;
  CircuitBreaker breaker{provider, time, log, settings()};

  static CircuitBreakerSettings settings() {
    CircuitBreakerSettings settings;
    settings.failure_threshold = 3;
    settings.window = 10s;
    settings.slow_call_threshold = 1s;
    settings.open_duration = 30s;
    return settings;
  }

  GatewayReply call() { return breaker.charge("o-1:charge", {9000, "KRW"}, "tok_ok"); }

  void open_it() {
    provider.outcome = GatewayOutcome::failed;
    for (int i = 0; i < 3; ++i) call();
    REQUIRE(breaker.state() == CircuitState::open);
  }
};

}  // namespace

TEST_CASE_FIXTURE(BreakerFixture,
                  "the circuit opens after N failures and then refuses without calling") {
  provider.outcome = GatewayOutcome::unknown;
  call();
  provider.outcome = GatewayOutcome::failed;
  call();
  CHECK(breaker.state() == CircuitState::closed);
  call();
  CHECK(breaker.state() == CircuitState::open);
  CHECK(provider.calls == 3);
  CHECK(log.trail() == std::vector<std::string>{"closed->open"});

  provider.outcome = GatewayOutcome::approved;
  for (int i = 0; i < 5; ++i) {
    auto reply = call();
    CHECK(reply.outcome == GatewayOutcome::failed);
    CHECK(reply.message == "circuit open");
    CHECK(reply.reference.empty());
  }
  // Refunds go through the same circuit.
  CHECK(breaker.refund("o-1:refund", {9000, "KRW"}, "ch-1").message == "circuit open");
  CHECK(provider.calls == 3);
}

TEST_CASE_FIXTURE(BreakerFixture, "failures count only within the rolling window") {
  provider.outcome = GatewayOutcome::failed;
  provider.duration = 0s;
  call();
  time.advance(6s);
  call();
  time.advance(5s);
  call();  // the first failure is now more than a window old
  CHECK(breaker.state() == CircuitState::closed);
  call();
  CHECK(breaker.state() == CircuitState::open);
}

TEST_CASE_FIXTURE(BreakerFixture, "declines are answers, not failures") {
  provider.outcome = GatewayOutcome::declined;
  for (int i = 0; i < 10; ++i) CHECK(call().outcome == GatewayOutcome::declined);
  CHECK(breaker.state() == CircuitState::closed);
  CHECK(provider.calls == 10);
}

TEST_CASE_FIXTURE(BreakerFixture, "slow calls count as failures, though their answer is kept") {
  provider.duration = 1001ms;
  CHECK(call().outcome == GatewayOutcome::approved);
  CHECK(call().outcome == GatewayOutcome::approved);
  provider.duration = 1s;  // at the threshold is not slow
  call();
  CHECK(breaker.state() == CircuitState::closed);
  provider.duration = 2s;
  CHECK(call().outcome == GatewayOutcome::approved);
  CHECK(breaker.state() == CircuitState::open);
}

TEST_CASE_FIXTURE(BreakerFixture, "exceptions count as failures and reach the caller") {
  provider.throws = true;
  for (int i = 0; i < 3; ++i) CHECK_THROWS_AS(call(), std::runtime_error);
  CHECK(breaker.state() == CircuitState::open);
  CHECK(call().message == "circuit open");
}

TEST_CASE_FIXTURE(BreakerFixture,
                  "after the open duration one probe closes the circuit on success") {
  open_it();
  provider.outcome = GatewayOutcome::approved;
  time.advance(29s);
  CHECK(call().message == "circuit open");
  CHECK(provider.calls == 3);
  time.advance(1s);
  CHECK(call().outcome == GatewayOutcome::approved);
  CHECK(provider.calls == 4);
  CHECK(breaker.state() == CircuitState::closed);
  CHECK(log.trail() ==
        std::vector<std::string>{"closed->open", "open->half_open", "half_open->closed"});
  // Closed again with a clean count: it takes N new failures to open.
  provider.outcome = GatewayOutcome::failed;
  call();
  call();
  CHECK(breaker.state() == CircuitState::closed);
}

TEST_CASE_FIXTURE(BreakerFixture, "a failed probe opens the circuit for another open duration") {
  open_it();
  time.advance(30s);
  CHECK(call().outcome == GatewayOutcome::failed);
  CHECK(provider.calls == 4);
  CHECK(breaker.state() == CircuitState::open);
  CHECK(log.trail() ==
        std::vector<std::string>{"closed->open", "open->half_open", "half_open->open"});
  time.advance(29s);
  call();
  CHECK(provider.calls == 4);
  time.advance(1s);
  provider.outcome = GatewayOutcome::approved;
  CHECK(call().outcome == GatewayOutcome::approved);
  CHECK(breaker.state() == CircuitState::closed);
}

TEST_CASE_FIXTURE(BreakerFixture, "a slow probe opens the circuit again") {
  open_it();
  time.advance(30s);
  provider.outcome = GatewayOutcome::approved;
  provider.duration = 5s;
  CHECK(call().outcome == GatewayOutcome::approved);
  CHECK(breaker.state() == CircuitState::open);
}

TEST_CASE_FIXTURE(BreakerFixture, "only one probe is out at a time") {
  open_it();
  time.advance(30s);
  provider.outcome = GatewayOutcome::approved;
  GatewayReply during_probe;
  provider.during_call = [&] { during_probe = call(); };
  CHECK(call().outcome == GatewayOutcome::approved);
  CHECK(during_probe.message == "circuit open");
  CHECK(provider.calls == 4);
}

TEST_CASE_FIXTURE(BreakerFixture,
                  "a late failure of a call let through before opening is not a probe result") {
  provider.outcome = GatewayOutcome::failed;
  call();
  call();
  // A third call is in flight when another opens the circuit.
  provider.during_call = [&] { call(); };
  call();
  CHECK(breaker.state() == CircuitState::open);
  CHECK(log.trail() == std::vector<std::string>{"closed->open"});
}

TEST_CASE("a breaker needs a positive failure threshold") {
  ManualMonotonicClock time;
  FakeProvider provider(time);
  RecordingLog log;
  CircuitBreakerSettings settings;
  settings.failure_threshold = 0;
  CHECK_THROWS_AS(CircuitBreaker(provider, time, log, settings), std::invalid_argument);
}
