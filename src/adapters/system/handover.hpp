#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "application/shared/log.hpp"

namespace shop::system {

// The Unix socket through which a running server hands its listening TCP
// socket to a successor (`shopbox serve --take-over`), as nginx and Envoy
// do for hot restarts. Both processes then accept on the one socket, so
// its queue of connections is never dropped; the old one stops accepting
// and drains. Only one live server owns the path at a time, which is also
// how a plain start learns that another server already runs.
//
// The exchange, one line each way:
//   successor: TAKE-OVER          server: LISTENER <pid> (with the socket)
//   successor: ACCEPTING          server: DONE (the path is free to bind)
class HandoverPoint {
 public:
  // Binds `path`, replacing a file no server answers on (a crashed one's).
  // Throws std::runtime_error when a live server answers there.
  HandoverPoint(std::string path, Log& log);
  ~HandoverPoint();
  HandoverPoint(const HandoverPoint&) = delete;
  HandoverPoint& operator=(const HandoverPoint&) = delete;

  // Serves successors on a thread of its own: sends `listener`, and once
  // the successor accepts on it, frees the path and calls `handed_over`
  // with the successor's pid.
  void open(int listener, std::function<void(long)> handed_over);
  // Refuses successors from now on (this server is stopping by itself).
  void refuse() { refusing_ = true; }

 private:
  void serve(std::stop_token stop);
  bool serve_one(int connection);
  void unbind();

  std::string path_;
  Log& log_;
  int socket_ = -1;
  int listener_ = -1;
  std::function<void(long)> handed_over_;
  std::atomic<bool> refusing_{false};
  std::jthread thread_;
};

// A successor's side of the exchange.
class Takeover {
 public:
  // Asks the server at `path` for its listening socket; nullopt when no
  // server answers there. Throws std::runtime_error when the server is
  // stopping or answers out of protocol.
  static std::optional<Takeover> request(const std::string& path);
  Takeover(Takeover&& other) noexcept;
  ~Takeover();

  // The listening socket, now this process's too.
  int listener() const { return listener_; }
  long predecessor() const { return predecessor_; }
  // Tells the predecessor that this process accepts; returns once it has
  // freed the path (or died), so that a HandoverPoint can bind it.
  void confirm();

 private:
  Takeover(int connection, int listener, long predecessor)
      : connection_(connection), listener_(listener), predecessor_(predecessor) {}

  int connection_;
  int listener_;
  long predecessor_;
};

}  // namespace shop::system
