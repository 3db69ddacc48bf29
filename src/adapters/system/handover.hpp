#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "application/shared/log.hpp"

namespace shop::system {

// The Unix socket through which a running server hands its listening TCP
// socket to a successor (`shopbox serve --take-over`), as nginx and Envoy
// do for hot restarts. Both processes then accept on the one socket, so
// its queue of connections is never dropped; the old one stops accepting
// and drains. Only one live server answers on the path at a time, which is
// also how a plain start learns that another server already runs.
//
// The exchange, one line each way:
//   successor: TAKE-OVER          server: LISTENER <pid> (with the socket)
//   (the successor accepts on it and binds the path over the server's)
//   successor: ACCEPTING          server: DONE
// The path is always replaced by rename(), never left missing, and binding
// it is serialised by a lock file beside it.
class HandoverPoint {
 public:
  enum class Start { only_server, successor };

  // Binds `path`. As the only server, throws std::runtime_error when a
  // live server answers there; as a successor, replaces its predecessor's.
  HandoverPoint(std::string path, Log& log, Start start);
  ~HandoverPoint();
  HandoverPoint(const HandoverPoint&) = delete;
  HandoverPoint& operator=(const HandoverPoint&) = delete;

  // Serves successors on a thread of its own: sends `listener` (a copy is
  // kept until refuse()), and once the successor accepts on it calls
  // `handed_over` with the successor's pid.
  void open(int listener, std::function<void(long)> handed_over);
  // Refuses successors from now on (this server is stopping by itself) and
  // lets go of its copy of the listener, so that the listener can close.
  void refuse();

 private:
  void serve(std::stop_token stop);
  bool serve_one(int connection);
  // Binds a fresh socket at a temporary name and renames it over the path.
  void bind_fresh();
  // After a successor gave up: binds the path again if it took it.
  void reclaim();

  std::string path_;
  Log& log_;
  int socket_ = -1;
  dev_t device_ = 0;  // the path's file once bound, to know it is still ours
  ino_t inode_ = 0;
  std::mutex listener_mutex_;
  int listener_ = -1;
  bool refusing_ = false;
  std::function<void(long)> handed_over_;
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
  // Tells the predecessor that this process accepts (and has bound the
  // path): it stops accepting and drains. Returns when it answered, or at
  // once if it died meanwhile, which changes nothing for this process.
  void confirm();

 private:
  Takeover(int connection, int listener, long predecessor)
      : connection_(connection), listener_(listener), predecessor_(predecessor) {}

  int connection_;
  int listener_;
  long predecessor_;
};

// The default hand-over socket for a database file: beside it, or under
// the temporary directory when that path is too long for a Unix socket.
std::string handover_path_for(const std::string& database);

}  // namespace shop::system
