#include <doctest/doctest.h>
#include <unistd.h>

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

using namespace std::chrono_literals;
using testing::HttpClient;

struct NoTokens final : identity::TokenLookup {
  std::optional<identity::Principal> principal(const std::string&) override { return std::nullopt; }
};

// A server whose GET /who names it and whose GET /slow waits until opened.
struct NamedServer {
  memory::SilentLog log;
  NoTokens tokens;
  http::Router router{tokens, log};
  std::atomic<bool> draining{false};
  std::mutex mutex;
  std::condition_variable changed;
  bool slow_entered = false;
  bool slow_open = false;
  std::unique_ptr<http::Server> server;

  NamedServer(std::string name, http::ServerSettings settings) {
    router.add({"GET", "/who", http::Access::anyone, [name](http::RouteContext&) {
                  return http::Response{200, "text/plain", {}, name, nullptr};
                }});
    router.add({"GET", "/slow", http::Access::anyone, [this](http::RouteContext&) {
                  std::unique_lock lock(mutex);
                  slow_entered = true;
                  changed.notify_all();
                  changed.wait(lock, [this] { return slow_open; });
                  return http::Response{200, "text/plain", {}, "slow", nullptr};
                }});
    http::add_health_routes(router, {}, draining);
    settings.host = "127.0.0.1";
    settings.port = 0;
    server = std::make_unique<http::Server>(settings, router, log);
    server->start();
  }
  ~NamedServer() {
    open_slow();
    server->stop();
  }
  bool wait_slow_entered() {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 5s, [this] { return slow_entered; });
  }
  void open_slow() {
    std::lock_guard lock(mutex);
    slow_open = true;
    changed.notify_all();
  }
  void wait_draining() {
    for (int i = 0; i < 500 && !server->draining(); ++i) std::this_thread::sleep_for(2ms);
    REQUIRE(server->draining());
  }
};

http::ServerSettings inheriting(int listener) {
  http::ServerSettings settings;
  settings.listener = listener;
  return settings;
}

}  // namespace

TEST_CASE("a successor on the handed-over listener takes new connections while the old drains") {
  NamedServer old("old", {});
  auto port = old.server->port();
  HttpClient kept_alive(port);
  REQUIRE(kept_alive.get("/who").body == "old");
  HttpClient silent(port);  // accepted by the old server, no request yet
  HttpClient slow(port);
  slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(old.wait_slow_entered());

  NamedServer successor("successor", inheriting(::dup(old.server->listener_handle())));
  std::atomic<bool> stopped{false};
  std::jthread stopping([&] {
    old.server->stop(0s);
    stopped = true;
  });
  old.wait_draining();

  // New connections are all answered, and go to the successor once the old
  // server's listener has closed.
  std::string answered_by;
  for (int i = 0; i < 200 && answered_by != "successor"; ++i) {
    auto reply = HttpClient(port).get("/who");
    REQUIRE(reply.status == 200);
    answered_by = reply.body;
  }
  CHECK(answered_by == "successor");
  // What the old server holds is still answered, each time with a close:
  // the request in flight, then requests sent on its idle connections a
  // moment after nothing is left in flight.
  old.open_slow();
  auto answered = slow.receive();
  CHECK(answered.body == "slow");
  CHECK(answered.header("Connection") == "close");
  std::this_thread::sleep_for(50ms);
  REQUIRE_FALSE(stopped);  // else the requests below would find no server
  auto late = kept_alive.get("/who");
  CHECK(late.status == 200);
  CHECK(late.body == "old");
  CHECK(late.header("Connection") == "close");
  auto first = silent.get("/who");
  CHECK(first.body == "old");
  CHECK(first.header("Connection") == "close");
  stopping.join();
  CHECK(HttpClient(port).get("/who").body == "successor");
}

TEST_CASE("a connection silent through the drain is closed after a short window, not the idle timeout") {
  http::ServerSettings settings;
  settings.idle_timeout = 60s;
  settings.drain_timeout = 60s;
  NamedServer server("server", settings);
  HttpClient idle(server.server->port());
  REQUIRE(idle.get("/who").status == 200);
  auto began = std::chrono::steady_clock::now();
  server.server->stop();
  CHECK(std::chrono::steady_clock::now() - began < 5s);
}

}  // namespace shop
