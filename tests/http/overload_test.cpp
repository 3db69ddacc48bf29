#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "adapters/http/health_routes.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/server.hpp"
#include "adapters/memory/test_doubles.hpp"
#include "support/http_client.hpp"

namespace shop {
namespace {

using testing::HttpClient;

struct NoTokens final : identity::TokenLookup {
  std::optional<identity::Principal> principal(const std::string&) override { return std::nullopt; }
};

// A handler that holds its worker until released: a stand-in for a slow
// database, to fill the server on purpose.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  int entered = 0;
  bool open = false;

  void pass() {
    std::unique_lock lock(mutex);
    ++entered;
    changed.notify_all();
    changed.wait(lock, [this] { return open; });
  }
  bool wait_entered(int count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(5), [&] { return entered >= count; });
  }
  int entered_count() {
    std::lock_guard lock(mutex);
    return entered;
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
};

struct LimitedServer {
  memory::SilentLog log;
  NoTokens tokens;
  http::Router router{tokens, log};
  std::atomic<bool> draining{false};
  Gate gate;
  std::unique_ptr<http::Server> server;

  explicit LimitedServer(http::ServerSettings settings) {
    router.add({"GET", "/slow", http::Access::anyone, [this](http::RouteContext&) {
                  gate.pass();
                  return http::Response{200, "text/plain", {}, "done", nullptr};
                }});
    http::add_health_routes(router, {}, draining);
    settings.host = "127.0.0.1";
    settings.port = 0;
    server = std::make_unique<http::Server>(settings, router, log);
    server->start();
  }
  ~LimitedServer() {
    gate.release();
    server->stop();
  }
};

http::ServerSettings settings_with(int workers, int queued) {
  http::ServerSettings settings;
  settings.workers = workers;
  settings.max_queued_requests = queued;
  return settings;
}

constexpr const char* slow_request = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";

TEST_CASE("with every worker busy and no queue left, a request gets 503 at once; liveness answers") {
  LimitedServer shop(settings_with(1, 0));
  HttpClient running(shop.server->port());
  running.send(slow_request);
  REQUIRE(shop.gate.wait_entered(1));

  HttpClient late(shop.server->port());
  auto refused = late.get("/slow");
  CHECK(refused.status == 503);
  CHECK(refused.content_type == "application/problem+json");
  CHECK(refused.header("Retry-After") == "1");
  CHECK(refused.json().at("type").as_string().ends_with("overloaded"));
  CHECK(late.get("/health/live").status == 200);

  shop.gate.release();
  CHECK(running.receive().status == 200);
  CHECK(late.get("/slow").status == 200);
}

TEST_CASE("on stop, new connections are still served through the grace, then refused") {
  auto settings = settings_with(4, 4);
  settings.shutdown_grace = std::chrono::seconds(1);
  LimitedServer shop(settings);
  auto port = shop.server->port();
  std::thread stopping([&] { shop.server->stop(); });
  for (int i = 0; i < 200 && !shop.server->draining(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(shop.server->draining());

  HttpClient during_grace(port);
  auto served = during_grace.get("/health/live");
  CHECK(served.status == 200);
  CHECK(served.header("Connection") == "close");
  stopping.join();
  CHECK_THROWS(HttpClient(port));
}

TEST_CASE("a request that finds every worker busy waits in the queue and is served") {
  LimitedServer shop(settings_with(1, 1));
  HttpClient running(shop.server->port());
  running.send(slow_request);
  REQUIRE(shop.gate.wait_entered(1));
  HttpClient queued(shop.server->port());
  queued.send(slow_request);
  shop.gate.release();
  CHECK(running.receive().status == 200);
  CHECK(queued.receive().status == 200);
  CHECK(shop.gate.entered_count() == 2);
}

TEST_CASE("over the connection cap, a probe is answered, anything else gets 503, then closes") {
  auto settings = settings_with(4, 4);
  settings.max_connections = 1;
  LimitedServer shop(settings);
  HttpClient first(shop.server->port());
  REQUIRE(first.get("/health/live").status == 200);

  HttpClient second(shop.server->port());
  auto refusal = second.get("/slow");
  CHECK(refusal.status == 503);
  CHECK(refusal.header("Retry-After") == "1");
  CHECK(refusal.header("Connection") == "close");
  CHECK(shop.gate.entered_count() == 0);

  HttpClient probe(shop.server->port());
  auto live = probe.get("/health/live");
  CHECK(live.status == 200);
  CHECK(live.header("Connection") == "close");
  CHECK(first.get("/health/live").status == 200);
}

TEST_CASE("a request whose headers pass the limit gets 431") {
  auto settings = settings_with(1, 1);
  settings.header_limit_bytes = 1024;
  LimitedServer shop(settings);
  HttpClient client(shop.server->port());
  auto reply = client.request("GET", "/health/live", "", {{"X-Padding", std::string(2000, 'a')}});
  CHECK(reply.status == 431);
  CHECK(reply.content_type == "application/problem+json");
  CHECK(reply.json().at("title").as_string() == "Request Header Fields Too Large");

  HttpClient fitting(shop.server->port());
  CHECK(fitting.request("GET", "/health/live", "", {{"X-Padding", std::string(500, 'a')}}).status ==
        200);
}

}  // namespace
}  // namespace shop
