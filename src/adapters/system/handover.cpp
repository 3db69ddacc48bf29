#include "adapters/system/handover.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace shop::system {

namespace {

// Long enough for a successor's start between receiving the listener and
// confirming, short enough that a stuck peer does not hold a start for long.
constexpr auto exchange_timeout_seconds = 30;
// What a temporary name adds to the path: "." + pid + ".new".
constexpr std::size_t temporary_suffix_room = 16;
constexpr std::size_t longest_path = sizeof(sockaddr_un::sun_path) - 1 - temporary_suffix_room;

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void require_usable(const std::string& path, std::size_t limit) {
  if (path.empty() || path.size() > limit) {
    throw std::runtime_error("the hand-over socket path \"" + path + "\" must be 1 to " +
                             std::to_string(longest_path) +
                             " bytes long; set http.handover_socket to a shorter one");
  }
}

sockaddr_un address_of(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  require_usable(path, sizeof address.sun_path - 1);
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

// Held while a process checks, binds or removes the path: two starts must
// not both find it free, nor remove each other's socket.
class PathLock {
 public:
  explicit PathLock(const std::string& path)
      : fd_(::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ < 0) fail("open " + path + ".lock");
    if (::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fail("lock " + path + ".lock");
    }
  }
  ~PathLock() { ::close(fd_); }
  PathLock(const PathLock&) = delete;
  PathLock& operator=(const PathLock&) = delete;

 private:
  int fd_;
};

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

// Reads one line; a descriptor sent with it lands in `descriptor` (any
// other is closed). Empty at the end of the stream or after the timeout.
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
      if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
      int received = -1;
      std::memcpy(&received, CMSG_DATA(header), sizeof(int));
      if (descriptor && *descriptor < 0) {
        *descriptor = received;
      } else {
        ::close(received);
      }
    }
    if (message.msg_flags & MSG_CTRUNC) return {};  // a descriptor was lost on the way
    line.append(buffer, std::size_t(got));
    if (auto end = line.find('\n'); end != std::string::npos) return line.substr(0, end);
  }
  return {};
}

// FNV-1a: stable across builds, so an old and a new binary derive one name.
std::string stable_hash(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

}  // namespace

std::string handover_path_for(const std::string& database) {
  // One file reached by two spellings must give one socket.
  std::string file = std::filesystem::weakly_canonical(std::filesystem::absolute(database)).string();
  std::string beside = file + ".handover";
  if (beside.size() <= longest_path) return beside;
  return (std::filesystem::temp_directory_path() / ("shopbox-" + stable_hash(file) + ".handover"))
      .string();
}

HandoverPoint::HandoverPoint(std::string path, Log& log, Start start)
    : path_(std::move(path)), log_(log) {
  require_usable(path_, longest_path);
  PathLock lock(path_);
  if (start == Start::only_server) {
    if (int live = connect_to(path_); live >= 0) {
      long pid = peer_of(live).pid;
      ::close(live);
      throw std::runtime_error("another shopbox server (pid " + std::to_string(pid) +
                               ") serves this database; stop it, or start this one with "
                               "serve --take-over to replace it without downtime");
    }
  }
  bind_fresh();
}

void HandoverPoint::bind_fresh() {
  std::string temporary = path_ + "." + std::to_string(::getpid()) + ".new";
  auto address = address_of(temporary);
  ::unlink(temporary.c_str());
  int fd = unix_socket();
  bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
               ::chmod(temporary.c_str(), 0600) == 0 && ::listen(fd, 4) == 0 &&
               ::rename(temporary.c_str(), path_.c_str()) == 0;
  struct stat file {};
  if (!bound || ::stat(path_.c_str(), &file) != 0) {
    int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    errno = error;
    fail("bind " + path_);
  }
  if (socket_ >= 0) ::close(socket_);
  socket_ = fd;
  device_ = file.st_dev;
  inode_ = file.st_ino;
}

HandoverPoint::~HandoverPoint() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
  refuse();
  if (socket_ < 0) return;  // handed over: the path is the successor's
  ::close(socket_);
  try {
    PathLock lock(path_);
    struct stat file {};
    if (::stat(path_.c_str(), &file) == 0 && file.st_dev == device_ && file.st_ino == inode_) {
      ::unlink(path_.c_str());
    }
  } catch (const std::exception&) {
    // The socket file stays; the next start replaces it.
  }
}

void HandoverPoint::open(int listener, std::function<void(long)> handed_over) {
  listener_ = ::fcntl(listener, F_DUPFD_CLOEXEC, 0);
  if (listener_ < 0) fail("dup the listener");
  handed_over_ = std::move(handed_over);
  thread_ = std::jthread([this](std::stop_token stop) { serve(stop); });
}

void HandoverPoint::refuse() {
  std::lock_guard lock(listener_mutex_);
  refusing_ = true;
  if (listener_ >= 0) ::close(listener_);
  listener_ = -1;
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
  {
    std::lock_guard lock(listener_mutex_);
    if (refusing_) {
      send_line(connection, "STOPPING");
      return false;
    }
    send_line(connection, "LISTENER " + std::to_string(::getpid()), listener_);
  }
  if (receive_line(connection) != "ACCEPTING") {
    log_.write(LogLevel::warn, "hand-over abandoned by the successor",
               {{"successor_pid", std::int64_t(peer.pid)}});
    reclaim();
    return false;
  }
  // From here the successor accepts and owns the path, whatever happens.
  ::close(socket_);
  socket_ = -1;
  try {
    send_line(connection, "DONE");
  } catch (const std::system_error&) {
    // It died after it confirmed: its own problem now, not ours to undo.
  }
  log_.write(LogLevel::info, "listener handed over", {{"successor_pid", std::int64_t(peer.pid)}});
  handed_over_(peer.pid);
  return true;
}

void HandoverPoint::reclaim() {
  PathLock lock(path_);
  struct stat file {};
  if (::stat(path_.c_str(), &file) == 0 && file.st_dev == device_ && file.st_ino == inode_) return;
  bind_fresh();
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
  try {
    send_line(connection_, "ACCEPTING");
    receive_line(connection_);
  } catch (const std::system_error&) {
    // The predecessor died: nobody else accepts, which is what confirming means.
  }
  ::close(connection_);
  connection_ = -1;
}

}  // namespace shop::system
