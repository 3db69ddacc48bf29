#include "adapters/payment/payment/sandbox_gateway.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace shop;
using gateway::SandboxGateway;
using payment::GatewayOutcome;

namespace {

const Money amount{9000, "KRW"};

// The delay itself is not waited on here: tests never sleep.
SandboxGateway instant() {
  return SandboxGateway(gateway::SandboxSettings{std::chrono::milliseconds(0)});
}

}  // namespace

TEST_CASE("sandbox tokens decide the answer") {
  auto sandbox = instant();
  auto ok = sandbox.charge("o-1:charge", amount, "tok_ok");
  CHECK(ok.outcome == GatewayOutcome::approved);
  CHECK_FALSE(ok.reference.empty());

  auto slow = sandbox.charge("o-2:charge", amount, "tok_slow");
  CHECK(slow.outcome == GatewayOutcome::approved);
  CHECK(slow.reference != ok.reference);

  auto declined = sandbox.charge("o-3:charge", amount, "tok_decline");
  CHECK(declined.outcome == GatewayOutcome::declined);
  CHECK(declined.reference.empty());

  CHECK(sandbox.charge("o-4:charge", amount, "tok_error").outcome == GatewayOutcome::failed);

  auto unknown = sandbox.charge("o-5:charge", amount, "tok_other");
  CHECK(unknown.outcome == GatewayOutcome::declined);
  CHECK(unknown.message == "unknown token");
}

TEST_CASE("the sandbox answers a key the same every time") {
  auto sandbox = instant();
  auto first = sandbox.charge("o-1:charge", amount, "tok_ok");
  // Even with another token: the key is the operation.
  auto again = sandbox.charge("o-1:charge", amount, "tok_decline");
  CHECK(again.outcome == GatewayOutcome::approved);
  CHECK(again.reference == first.reference);

  CHECK(sandbox.charge("o-2:charge", amount, "tok_decline").outcome == GatewayOutcome::declined);
  CHECK(sandbox.charge("o-2:charge", amount, "tok_ok").outcome == GatewayOutcome::declined);
}

TEST_CASE("the sandbox refunds a charge it made, once per key") {
  auto sandbox = instant();
  auto charge = sandbox.charge("o-1:charge", amount, "tok_ok");
  auto refund = sandbox.refund("o-1:refund", amount, charge.reference);
  CHECK(refund.outcome == GatewayOutcome::approved);
  CHECK_FALSE(refund.reference.empty());
  CHECK(refund.reference != charge.reference);
  CHECK(sandbox.refund("o-1:refund", amount, charge.reference).reference == refund.reference);

  auto unknown = sandbox.refund("o-2:refund", amount, "sbx_ch_999");
  CHECK(unknown.outcome == GatewayOutcome::declined);
  CHECK(unknown.message == "unknown charge");
  CHECK(sandbox.refund("o-3:refund", {1, "KRW"}, charge.reference).outcome ==
        GatewayOutcome::declined);
}
