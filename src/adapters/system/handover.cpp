#include "adapters/system/handover.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace shop::system {

namespace {

constexpr auto exchange_timeout_seconds = 10;

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

sockaddr_un address_of(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path) {
    throw std::runtime_error("the hand-over socket path \"" + path + "\" must be 1 to " +
                             std::to_string(sizeof address.sun_path - 1) +
                             " bytes long; set http.handover_socket to a shorter one");
  }
  std::memcpy(address.sun_path, path.data(), path.size());
  return address;
}

int unix_socket() {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket");
  return fd;
}

// Bounds every read and write of the exchange: a stuck peer must not hold
// a server's hand-over thread, or a successor's start, for ever.
void bound_waits(int fd) {
  timeval timeout{exchange_timeout_seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

// Connects to `path`; -1 when no server listens there.
int connect_to(const std::string& path) {
  auto address = address_of(path);
  int fd = unix_socket();
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return fd;
  int error = errno;
  ::close(fd);
  if (error == ENOENT || error == ECONNREFUSED) return -1;
  errno = error;
  fail("connect to " + path);
}

ucred peer_of(int fd) {
  ucred peer{};
  socklen_t length = sizeof peer;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0) fail("SO_PEERCRED");
  return peer;
}

// Sends `line`, with `descriptor` attached when it is not -1.
void send_line(int fd, const std::string& line, int descriptor = -1) {
  std::string text = line + "\n";
  iovec data{text.data(), text.size()};
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (descriptor >= 0) {
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &descriptor, sizeof(int));
  }
  if (::sendmsg(fd, &message, MSG_NOSIGNAL) != ssize_t(text.size())) fail("send " + line);
}

// Reads one line; a descriptor sent with it lands in `descriptor`. Empty
// at the end of the stream or after the timeout.
std::string receive_line(int fd, int* descriptor = nullptr) {
  std::string line;
  char buffer[128];
  while (line.size() < 256) {
    iovec data{buffer, sizeof buffer};
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    ssize_t got = ::recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
    if (got <= 0) return {};
    for (cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
      if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
        int received = -1;
        std::memcpy(&received, CMSG_DATA(header), sizeof(int));
        if (descriptor) {
          *descriptor = received;
        } else {
          ::close(received);
        }
      }
    }
    line.append(buffer, std::size_t(got));
    if (auto end = line.find('\n'); end != std::string::npos) return line.substr(0, end);
  }
  return {};
}

}  // namespace

HandoverPoint::HandoverPoint(std::string path, Log& log) : path_(std::move(path)), log_(log) {
  auto address = address_of(path_);
  socket_ = unix_socket();
  auto bind_path = [&] {
    return ::bind(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  };
  if (!bind_path()) {
    if (errno != EADDRINUSE) fail("bind " + path_);
    if (int live = connect_to(path_); live >= 0) {
      long pid = peer_of(live).pid;
      ::close(live);
      ::close(socket_);
      throw std::runtime_error("another shopbox server (pid " + std::to_string(pid) +
                               ") serves this database; stop it, or start this one with "
                               "serve --take-over to replace it without downtime");
    }
    // Nothing answers: the file is a crashed server's.
    ::unlink(path_.c_str());
    if (!bind_path()) fail("bind " + path_);
  }
  if (::chmod(path_.c_str(), 0600) != 0 || ::listen(socket_, 4) != 0) fail("listen on " + path_);
}

HandoverPoint::~HandoverPoint() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
  unbind();
}

void HandoverPoint::unbind() {
  if (socket_ < 0) return;
  ::close(socket_);
  socket_ = -1;
  ::unlink(path_.c_str());
}

void HandoverPoint::open(int listener, std::function<void(long)> handed_over) {
  listener_ = listener;
  handed_over_ = std::move(handed_over);
  thread_ = std::jthread([this](std::stop_token stop) { serve(stop); });
}

void HandoverPoint::serve(std::stop_token stop) {
  while (!stop.stop_requested()) {
    pollfd waiting{socket_, POLLIN, 0};
    if (::poll(&waiting, 1, 200) <= 0) continue;
    int connection = ::accept4(socket_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    bool done = false;
    try {
      done = serve_one(connection);
    } catch (const std::exception& error) {
      log_.write(LogLevel::warn, "hand-over failed", {{"error", error.what()}});
    }
    ::close(connection);
    if (done) return;
  }
}

bool HandoverPoint::serve_one(int connection) {
  bound_waits(connection);
  ucred peer = peer_of(connection);
  if (peer.uid != ::geteuid()) {
    log_.write(LogLevel::warn, "hand-over refused: another user asked",
               {{"uid", std::int64_t(peer.uid)}});
    return false;
  }
  // A start probing for a live server connects and says nothing.
  if (receive_line(connection) != "TAKE-OVER") return false;
  if (refusing_) {
    send_line(connection, "STOPPING");
    return false;
  }
  send_line(connection, "LISTENER " + std::to_string(::getpid()), listener_);
  if (receive_line(connection) != "ACCEPTING") {
    log_.write(LogLevel::warn, "hand-over abandoned by the successor",
               {{"successor_pid", std::int64_t(peer.pid)}});
    return false;
  }
  unbind();
  send_line(connection, "DONE");
  log_.write(LogLevel::info, "listener handed over", {{"successor_pid", std::int64_t(peer.pid)}});
  handed_over_(peer.pid);
  return true;
}

std::optional<Takeover> Takeover::request(const std::string& path) {
  int connection = connect_to(path);
  if (connection < 0) return std::nullopt;
  bound_waits(connection);
  int listener = -1;
  std::string answer;
  try {
    send_line(connection, "TAKE-OVER");
    answer = receive_line(connection, &listener);
  } catch (...) {
    ::close(connection);
    throw;
  }
  if (answer.starts_with("LISTENER ") && listener >= 0) {
    return Takeover(connection, listener, std::atol(answer.c_str() + 9));
  }
  ::close(connection);
  if (listener >= 0) ::close(listener);
  if (answer == "STOPPING") {
    throw std::runtime_error("the server on this database is stopping; start again once it has");
  }
  throw std::runtime_error("the server on " + path + " did not hand its listener over" +
                           (answer.empty() ? std::string() : ": " + answer));
}

Takeover::Takeover(Takeover&& other) noexcept
    : connection_(std::exchange(other.connection_, -1)),
      listener_(other.listener_),
      predecessor_(other.predecessor_) {}

Takeover::~Takeover() {
  if (connection_ >= 0) ::close(connection_);
}

void Takeover::confirm() {
  send_line(connection_, "ACCEPTING");
  // DONE, or the end of the stream if the predecessor died meanwhile:
  // either way the path is free.
  receive_line(connection_);
  ::close(connection_);
  connection_ = -1;
}

}  // namespace shop::system
