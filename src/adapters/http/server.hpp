#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "adapters/http/http_metrics.hpp"
#include "adapters/http/router.hpp"
#include "application/shared/log.hpp"

namespace shop::http {

struct ServerSettings {
  std::string host = "0.0.0.0";
  unsigned short port = 8080;  // 0: any free port (tests)
  int threads = 2;                 // network I/O
  int workers = 64;                // request handlers running at once
  // Requests waiting for a free worker; past it, 503 at once: under overload
  // a fast refusal beats a queue where every request times out.
  int max_queued_requests = 256;
  int max_connections = 1024;
  std::size_t body_limit_bytes = 1 << 20;
  std::size_t header_limit_bytes = 16 * 1024;  // start line and headers
  // For an idle keep-alive connection, for sending a request once begun, and
  // for reading the answer; never applied while the handler runs.
  std::chrono::seconds idle_timeout{30};
  std::chrono::seconds drain_timeout{10};
  // Between stop() (readiness 503 at once) and closing the listener.
  std::chrono::seconds shutdown_grace{0};
  // A listening socket handed over by a predecessor, accepted on instead
  // of binding host and port; -1 for none.
  int listener = -1;
};

// The Boost.Beast server: a coroutine per connection, keep-alive, limits
// and timeouts, and a request id on every response and log line.
class Server {
 public:
  Server(ServerSettings settings, const Router& router, Log& log);
  ~Server();

  // Binds and listens (or takes settings.listener); throws when the
  // address is taken.
  void start();
  // The bound port (useful with port 0).
  unsigned short port() const;
  // The listening socket, to hand over to a successor that will accept on
  // it while this server drains.
  int listener_handle() const;
  // Turns draining (readiness 503) at once, keeps accepting for the
  // shutdown grace, stops accepting, lets requests in flight finish and
  // open connections close (up to the drain timeout), then stops the
  // threads. Safe to call from any thread.
  void stop();
  // The same with a grace of its own: none after a hand-over, where the
  // successor accepts on the same socket.
  void stop(std::chrono::seconds grace);
  // Blocks until stop() finished.
  void wait();
  const std::atomic<bool>& draining() const;
  const HttpMetrics& metrics() const;
  int open_connections() const;

  struct State;  // opaque: keeps Asio and Beast out of this header

 private:
  std::unique_ptr<State> state_;
};

}  // namespace shop::http
