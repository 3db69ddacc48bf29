// The ports of a split deployment: each Remote* port calls the internal
// routes of a real server owning the modules, over a real socket.
#include <doctest/doctest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/io_context.hpp>

#include "adapters/http/client/module_client.hpp"
#include "adapters/http/client/remote_ports.hpp"
#include "http/http_fixture.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

const std::string service_token = "a-service-token-of-the-shop";

struct Owner : testing::HttpFixture {
  Owner() : HttpFixture(1 << 20, std::chrono::seconds(30), service_token) {}

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
  std::string product(const std::string& sku, std::int64_t units) {
    auto created = catalog->create({sku, "Tea " + sku, "green", {4500, "KRW"}, "drinks"});
    if (units > 0) stock->restock(created.id, units);
    return created.id;
  }
};

// A port nothing listens on: every call there is refused at connect.
unsigned short closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

http::ModuleClientSettings settings_for(const std::string& module, const std::string& url,
                                        const std::string& token = service_token) {
  http::ModuleClientSettings settings{module, url, token, 1000ms, {}};
  settings.circuit.failure_threshold = 3;
  settings.circuit.open_duration = 10s;
  return settings;
}

}  // namespace

TEST_CASE("remote catalog and stock answer as the local modules would") {
  Owner owner;
  memory::ManualMonotonicClock time;
  http::ModuleClient catalog_client(settings_for("catalog", owner.url()), time, owner.log);
  http::ModuleClient stock_client(settings_for("stock", owner.url()), time, owner.log);
  http::RemoteProductLookup products(catalog_client);
  http::RemoteReservations reservations(stock_client);
  auto tea = owner.product("TEA-1", 5);

  auto found = products.find_active(tea);
  REQUIRE(found);
  auto local = owner.catalog->find_active(tea);
  CHECK(found->name == local->name);
  CHECK(found->price == local->price);
  CHECK(found->created_at == local->created_at);
  CHECK_FALSE(products.find_active("no-such-product"));
  CHECK_FALSE(products.find_active("a/../odd id"));

  auto short_of = reservations.reserve("order-1", {{tea, 7}});
  CHECK_FALSE(short_of.reserved);
  REQUIRE(short_of.shortages.size() == 1);
  CHECK(short_of.shortages[0].available == 5);
  CHECK(reservations.reserve("order-2", {{tea, 2}}).reserved);
  CHECK(owner.stock->level(tea).reserved == 2);
  reservations.confirm("order-2");
  CHECK(owner.stock->level(tea).on_hand == 3);
  reservations.return_units("order-2");
  CHECK(owner.stock->level(tea).on_hand == 5);

  // A refusal is the owner's own Failure, kind and code.
  try {
    reservations.confirm("never-reserved");
    FAIL("confirm of an unknown reservation succeeded");
  } catch (const Failure& failure) {
    CHECK(failure.kind() == FailureKind::not_found);
  }
  try {
    reservations.reserve("order-2", {{tea, 1}});
    FAIL("a reservation repeated with other lines succeeded");
  } catch (const Failure& failure) {
    CHECK(failure.kind() == FailureKind::conflict);
    CHECK(failure.code() == "reservation_mismatch");
  }
  CHECK(stock_client.circuit().state() == CircuitState::closed);
}

TEST_CASE("remote payments and dispatch reach the owner's order and payment modules") {
  Owner owner;
  memory::ManualMonotonicClock time;
  http::ModuleClient payment_client(settings_for("payment", owner.url()), time, owner.log);
  http::ModuleClient order_client(settings_for("order", owner.url()), time, owner.log);
  http::RemotePayments payments(payment_client);
  http::RemoteDispatch dispatch(order_client);

  auto approved = payments.authorize({"order-9", "customer-1", {9000, "KRW"}, "card", "tok_ok"});
  CHECK(approved.result == payment::AuthorizationResult::approved);
  CHECK(approved.payment_id == owner.payments->for_order("order-9").at(0).id);
  payments.refund("order-9", "customer asked");
  CHECK(owner.payments->for_order("order-9").at(0).status != payment::PaymentStatus::approved);

  try {
    dispatch.begin_dispatch("no-such-order");
    FAIL("dispatch of an unknown order succeeded");
  } catch (const Failure& failure) {
    CHECK(failure.kind() == FailureKind::not_found);
  }
}

TEST_CASE("remote sessions, known or not, are kept for a while") {
  Owner owner;
  memory::ManualMonotonicClock time;
  http::ModuleClient identity_client(settings_for("identity", owner.url()), time, owner.log);
  http::RemoteTokenLookup tokens(identity_client, time, 10s);
  auto token = owner.sign_in("kim@x.kr", identity::Role::staff);

  auto principal = tokens.principal(token);
  REQUIRE(principal);
  CHECK(principal->is_staff());
  CHECK_FALSE(tokens.principal("not-a-token"));

  // Kept: answered while the owner is gone, until the time runs out.
  owner.server->stop(0s);
  CHECK(tokens.principal(token));
  CHECK_FALSE(tokens.principal("not-a-token"));
  time.advance(11s);
  CHECK_THROWS_AS(tokens.principal(token), Failure);
}

TEST_CASE("internal routes are hidden from callers without the service token") {
  Owner owner;
  auto client = owner.client();
  auto tea = owner.product("TEA-2", 0);
  CHECK(client.get("/internal/v1/catalog/products/" + tea).status == 404);

  memory::ManualMonotonicClock time;
  http::ModuleClient wrong(settings_for("catalog", owner.url(), "not-the-service-token"), time,
                           owner.log);
  http::RemoteProductLookup products(wrong);
  // Not "no such product": a misconfigured peer must not look like one.
  try {
    products.find_active(tea);
    FAIL("a wrong service token was accepted");
  } catch (const Failure& failure) {
    CHECK(failure.kind() == FailureKind::unavailable);
    CHECK(failure.code() == "catalog_unavailable");
  }
}

TEST_CASE("an owner out of reach opens the circuit; payments answer unavailable") {
  memory::ManualMonotonicClock time;
  memory::SilentLog log;
  auto url = "http://127.0.0.1:" + std::to_string(closed_port());
  http::ModuleClient stock_client(settings_for("stock", url), time, log);
  http::ModuleClient payment_client(settings_for("payment", url), time, log);
  http::RemoteReservations reservations(stock_client);
  http::RemotePayments payments(payment_client);

  for (int attempt = 0; attempt < 3; ++attempt) {
    try {
      reservations.confirm("order-1");
      FAIL("a call to a closed port succeeded");
    } catch (const Failure& failure) {
      CHECK(failure.kind() == FailureKind::unavailable);
      CHECK(failure.retry_after_seconds() > 0);
    }
  }
  CHECK(stock_client.circuit().state() == CircuitState::open);
  // Open: refused at once, and the caller sees no internal address.
  try {
    reservations.confirm("order-1");
    FAIL("an open circuit let a call through");
  } catch (const Failure& failure) {
    CHECK(failure.code() == "stock_unavailable");
    CHECK(std::string(failure.what()).find("127.0.0.1") == std::string::npos);
  }
  time.advance(11s);
  CHECK_THROWS_AS(reservations.confirm("order-1"), Failure);  // the probe, failed
  CHECK(stock_client.circuit().state() == CircuitState::open);

  auto authorization = payments.authorize({"order-1", "customer-1", {100, "KRW"}, "card", "tok_ok"});
  CHECK(authorization.result == payment::AuthorizationResult::unavailable);
  CHECK(authorization.reason.find("payment") != std::string::npos);
}

TEST_CASE("with identity out of reach, public routes answer as to anyone; the others 503") {
  memory::ManualMonotonicClock time;
  memory::SilentLog log;
  http::ModuleClient identity_client(
      settings_for("identity", "http://127.0.0.1:" + std::to_string(closed_port())), time, log);
  http::RemoteTokenLookup tokens(identity_client, time);
  http::Router router(tokens, log);
  auto who = [](http::RouteContext& context) {
    return http::Response(200, "text/plain", {}, context.principal ? "someone" : "anyone");
  };
  router.add({"GET", "/public", http::Access::anyone, who});
  router.add({"GET", "/mine", http::Access::signed_in, who});
  http::Request request;
  request.method = "GET";
  request.headers = {{"authorization", "Bearer a-session-token"}};

  request.path = "/public";
  auto answer = router.handle(request);
  CHECK(answer.status == 200);
  CHECK(answer.body == "anyone");
  request.path = "/mine";
  CHECK(router.handle(request).status == 503);
}
