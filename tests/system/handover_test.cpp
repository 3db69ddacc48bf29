#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <thread>

#include "adapters/memory/test_doubles.hpp"
#include "adapters/system/handover.hpp"
#include "support/temp_dir.hpp"

using namespace shop;
using namespace std::chrono_literals;

namespace {

constexpr auto only_server = system::HandoverPoint::Start::only_server;
constexpr auto successor = system::HandoverPoint::Start::successor;

// A listening TCP socket on a free loopback port, as a server would hold.
int tcp_listener() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(fd, 16) == 0);
  return fd;
}

int port_of(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  return ntohs(address.sin_port);
}

// A socket file left behind by a process that died without removing it.
void leave_stale_socket(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, path.size());
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  ::close(fd);
}

struct Point {
  testing::TempDir dir;
  std::string path = dir.file("shop.db.handover");
  memory::SilentLog log;
  int listener = tcp_listener();
  std::atomic<long> handed_to{0};

  ~Point() { ::close(listener); }
  void open(system::HandoverPoint& point) {
    point.open(listener, [this](long pid) { handed_to = pid; });
  }
  bool handed_over_within(std::chrono::milliseconds limit) {
    for (auto waited = 0ms; waited < limit; waited += 10ms) {
      if (handed_to != 0) return true;
      std::this_thread::sleep_for(10ms);
    }
    return handed_to != 0;
  }
};

}  // namespace

TEST_CASE_FIXTURE(Point, "a successor gets the same listening socket and the path") {
  std::optional<system::HandoverPoint> point;
  point.emplace(path, log, only_server);
  open(*point);
  auto takeover = system::Takeover::request(path);
  REQUIRE(takeover);
  CHECK(takeover->listener() != listener);
  CHECK(port_of(takeover->listener()) == port_of(listener));
  CHECK(takeover->predecessor() == ::getpid());
  CHECK(handed_to == 0);  // not before the successor accepts

  system::HandoverPoint successors(path, log, successor);
  takeover->confirm();
  CHECK(handed_over_within(5s));
  CHECK(handed_to == ::getpid());
  // The old server's exit leaves the path to the successor, which answers.
  point.reset();
  CHECK_THROWS_WITH_AS(system::HandoverPoint(path, log, only_server),
                       doctest::Contains("another shopbox server"), std::runtime_error);
  ::close(takeover->listener());
}

TEST_CASE_FIXTURE(Point, "a successor that gives up leaves the server in charge of the path") {
  system::HandoverPoint point(path, log, only_server);
  open(point);
  {
    auto abandoned = system::Takeover::request(path);
    REQUIRE(abandoned);
    // It bound the path, then died before confirming.
    system::HandoverPoint gone(path, log, successor);
    ::close(abandoned->listener());
  }
  std::this_thread::sleep_for(300ms);
  CHECK(handed_to == 0);
  auto takeover = system::Takeover::request(path);
  REQUIRE(takeover);
  takeover->confirm();
  CHECK(handed_over_within(5s));
  ::close(takeover->listener());
}

TEST_CASE_FIXTURE(Point, "a second server on the database is refused while the first lives") {
  system::HandoverPoint point(path, log, only_server);
  std::string refusal = "another shopbox server (pid " + std::to_string(::getpid()) + ")";
  CHECK_THROWS_WITH_AS(system::HandoverPoint(path, log, only_server),
                       doctest::Contains(refusal.c_str()),
                       std::runtime_error);
}

TEST_CASE_FIXTURE(Point, "the socket file of a crashed server is replaced") {
  leave_stale_socket(path);
  CHECK_FALSE(system::Takeover::request(path));
  system::HandoverPoint point(path, log, only_server);
  open(point);
  CHECK(system::Takeover::request(path));
}

TEST_CASE_FIXTURE(Point, "with no server there is nothing to take over") {
  CHECK_FALSE(system::Takeover::request(path));
}

TEST_CASE_FIXTURE(Point, "a server that is stopping by itself refuses a successor") {
  system::HandoverPoint point(path, log, only_server);
  open(point);
  point.refuse();
  CHECK_THROWS_WITH_AS(system::Takeover::request(path), doctest::Contains("stopping"),
                       std::runtime_error);
}

TEST_CASE_FIXTURE(Point, "a path too long for a Unix socket is refused with the setting to change") {
  CHECK_THROWS_WITH_AS(system::HandoverPoint(dir.file(std::string(120, 'x')), log, only_server),
                       doctest::Contains("http.handover_socket"), std::runtime_error);
}

TEST_CASE("one database file spelt two ways gives one hand-over socket; a deep one, a short one") {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "data");
  auto plain = system::handover_path_for(dir.file("data/shop.db"));
  CHECK(plain == dir.file("data/shop.db") + ".handover");
  CHECK(system::handover_path_for(dir.file("data/../data/./shop.db")) == plain);
  auto deep = dir.file(std::string(100, 'd') + "/shop.db");
  auto hashed = system::handover_path_for(deep);
  CHECK(hashed.size() < 108);
  CHECK(hashed == system::handover_path_for(deep));
  CHECK(hashed != system::handover_path_for(deep + "2"));
}
