#include "adapters/http/server.hpp"

#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/http/beast_request.hpp"
#include "adapters/http/problem.hpp"

namespace shop::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

using RequestParser = bhttp::request_parser<bhttp::string_body>;

// How long a connection waiting for a request may still send one once the
// drain began. Without this window, a request already on its way on a
// keep-alive connection, or sent on a connection accepted just before the
// listener closed, would meet a closed socket instead of an answer.
constexpr auto last_request_window = std::chrono::seconds(1);

// Sessions waiting for their next request, so that the drain can end the
// waits: they then get the last request window instead of the idle timeout.
class WaitingSessions {
 public:
  struct Wait {
    beast::tcp_stream* stream;
    const RequestParser* parser;
  };

  // Registers a wait; false when the drain has begun already.
  std::pair<std::uint64_t, bool> begin(Wait wait) {
    std::lock_guard lock(mutex_);
    waits_.emplace(++last_id_, wait);
    return {last_id_, !draining_};
  }
  void end(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    waits_.erase(id);
  }
  // Cancels, on each session's strand, a wait that has not received a byte.
  void end_all_waits() {
    std::lock_guard lock(mutex_);
    draining_ = true;
    for (const auto& [id, wait] : waits_) {
      asio::post(wait.stream->get_executor(), [this, id = id] {
        std::lock_guard lock(mutex_);
        auto found = waits_.find(id);
        if (found == waits_.end() || found->second.parser->got_some()) return;
        boost::system::error_code ignored;
        found->second.stream->socket().cancel(ignored);
      });
    }
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, Wait> waits_;
  std::uint64_t last_id_ = 0;
  bool draining_ = false;
};

// Declaration order matters: members are destroyed in reverse, and the
// coroutine frames that ~io_context destroys still use the counters above it.
struct Server::State {
  ServerSettings settings;
  const Router& router;
  Log& log;
  std::atomic<bool> draining{false};
  std::atomic<int> in_flight{0};
  std::atomic<int> connections{0};
  std::atomic<int> handling{0};  // requests on a worker or queued for one
  std::atomic<int> triaging{0};  // connections over the cap, being answered
  std::atomic<std::int64_t> refused_connections{0};
  std::atomic<std::int64_t> refusals_logged_at{0};  // steady clock, seconds
  std::atomic<std::uint64_t> requests{0};
  HttpMetrics metrics;
  WaitingSessions waiting;
  int listener_fd = -1;
  std::string id_prefix;
  std::mutex stop_mutex;
  std::condition_variable stopped_signal;
  bool stopped = false;
  // Network I/O only; handlers (which wait on the database and on password
  // hashing) run on `workers`, so a slow handler never stalls other sockets.
  asio::io_context io;
  tcp::acceptor acceptor{asio::make_strand(io)};
  asio::thread_pool workers;
  std::vector<std::thread> threads;

  State(ServerSettings s, const Router& r, Log& l)
      : settings(std::move(s)),
        router(r),
        log(l),
        io(settings.threads),
        workers(std::size_t(settings.workers)) {
    std::random_device random;
    id_prefix = std::to_string(random() % 100000) + "-";
  }
};

namespace {

// Counts a request in flight, for the drain.
struct Counted {
  std::atomic<int>& count;
  explicit Counted(std::atomic<int>& c) : count(c) { ++count; }
  ~Counted() { --count; }
};

// One of `capacity` places (a connection, a request for the workers), if
// one is free. Taken where the decision is made and moved to whoever uses
// it, so that a burst cannot pass the cap before the first user counts.
class Slot {
 public:
  Slot(std::atomic<int>& count, int capacity)
      : count_(&count), taken_(count.fetch_add(1) < capacity) {
    if (!taken_) --*count_;
  }
  Slot(Slot&& other) noexcept : count_(other.count_), taken_(std::exchange(other.taken_, false)) {}
  Slot& operator=(Slot&&) = delete;
  ~Slot() {
    if (taken_) --*count_;
  }
  explicit operator bool() const { return taken_; }

 private:
  std::atomic<int>* count_;
  bool taken_;
};

Response overloaded_problem() {
  Response response = problem(503, "overloaded", "the server is at capacity; retry shortly");
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

// Liveness must answer while every worker is busy, or an orchestrator
// would restart a server that is only loaded. Its handler does no I/O; a
// bearer token would make the router look it up, so such a request waits
// for a worker like any other.
bool is_liveness_probe(const Request& request) {
  return request.method == "GET" && request.path == "/health/live" &&
         !request.header("authorization");
}

Response too_large_problem(std::size_t limit) {
  return problem(413, "body_too_large", "the body exceeds " + std::to_string(limit) + " bytes");
}

bhttp::response<bhttp::string_body> to_message(const Response& response, unsigned version,
                                               bool keep_alive, const std::string& request_id) {
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), version};
  message.set(bhttp::field::server, "shopbox");
  if (!response.content_type.empty()) message.set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.set("X-Request-Id", request_id);
  message.body() = response.body;
  message.keep_alive(keep_alive);
  message.prepare_payload();
  return message;
}

// Runs the router on the worker pool and resumes the connection with its answer.
asio::awaitable<Response> handle_on_worker(Server::State& state, Request request) {
  return asio::co_spawn(
      state.workers,
      [&state, request = std::move(request)]() -> asio::awaitable<Response> {
        co_return state.router.handle(request);
      },
      asio::use_awaitable);
}

// Asks a streaming body for its next chunk on a handler thread.
asio::awaitable<std::optional<std::string>> next_chunk(Server::State& state,
                                                       std::shared_ptr<StreamingBody> body) {
  return asio::co_spawn(
      state.workers,
      [body]() -> asio::awaitable<std::optional<std::string>> { co_return body->next(); },
      asio::use_awaitable);
}

// Writes the header, then each chunk as it comes, until the body ends, the
// client is gone or too slow (the write deadline), or the server drains (the
// client then resumes elsewhere with Last-Event-ID). A comment line now and
// then tells a dead connection from a quiet stream.
asio::awaitable<void> stream_body(Server::State& state, beast::tcp_stream& stream,
                                  const Response& response, unsigned version,
                                  const std::string& request_id) {
  constexpr auto heartbeat_every = std::chrono::seconds(15);
  auto token = asio::as_tuple(asio::use_awaitable);
  bhttp::response<bhttp::empty_body> header{static_cast<bhttp::status>(response.status), version};
  header.set(bhttp::field::server, "shopbox");
  header.set(bhttp::field::content_type, response.content_type);
  header.set(bhttp::field::cache_control, "no-cache");
  for (const auto& [name, value] : response.headers) header.set(name, value);
  header.set("X-Request-Id", request_id);
  header.keep_alive(false);
  bhttp::response_serializer<bhttp::empty_body> serializer{header};
  stream.expires_after(state.settings.idle_timeout);
  auto [header_error, header_bytes] = co_await bhttp::async_write_header(stream, serializer, token);
  if (header_error) co_return;

  auto quiet_since = std::chrono::steady_clock::now();
  asio::steady_timer pause(stream.get_executor());
  while (!state.draining) {
    auto chunk = co_await next_chunk(state, response.stream);
    if (!chunk) co_return;
    if (chunk->empty()) {
      if (std::chrono::steady_clock::now() - quiet_since < heartbeat_every) {
        pause.expires_after(response.stream->poll_interval);
        co_await pause.async_wait(token);
        continue;
      }
      chunk = ":\n\n";
    }
    stream.expires_after(state.settings.idle_timeout);
    auto [write_error, written] = co_await asio::async_write(stream, asio::buffer(*chunk), token);
    if (write_error) co_return;
    quiet_since = std::chrono::steady_clock::now();
  }
}

// `connection` holds the connection's place until the session ends.
asio::awaitable<void> session(Server::State& state, beast::tcp_stream stream,
                              [[maybe_unused]] Slot connection) {
  auto token = asio::as_tuple(asio::use_awaitable);
  beast::flat_buffer buffer;
  boost::system::error_code ignored;
  auto endpoint = stream.socket().remote_endpoint(ignored);
  std::string client = ignored ? "unknown" : endpoint.address().to_string();

  for (;;) {
    RequestParser parser;
    parser.body_limit(state.settings.body_limit_bytes);
    parser.header_limit(std::uint32_t(state.settings.header_limit_bytes));
    auto [wait_id, serving] = state.waiting.begin({&stream, &parser});
    stream.expires_after(serving ? state.settings.idle_timeout : last_request_window);
    auto [read_error, header_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, token);
    state.waiting.end(wait_id);
    if (read_error == asio::error::operation_aborted && !parser.got_some()) {
      // The drain ended the wait.
      stream.expires_after(last_request_window);
      std::tie(read_error, header_bytes) =
          co_await bhttp::async_read_header(stream, buffer, parser, token);
    }
    if (read_error) {
      // A closed or idle connection ends quietly; anything else was garbage.
      bool too_large = read_error == bhttp::error::body_limit;
      bool headers_too_large = read_error == bhttp::error::header_limit;
      bool quiet = !too_large && !headers_too_large &&
                   (read_error == bhttp::error::end_of_stream || read_error == beast::error::timeout ||
                    read_error == asio::error::connection_reset ||
                    read_error == asio::error::operation_aborted || buffer.size() == 0);
      if (!quiet) {
        // Beast refuses a declared Content-Length above the limit already here.
        Response refusal =
            too_large ? too_large_problem(state.settings.body_limit_bytes)
            : headers_too_large
                ? problem(431, "headers_too_large",
                          "the start line and headers exceed " +
                              std::to_string(state.settings.header_limit_bytes) + " bytes")
                : problem(400, "malformed_request", "the request is not valid HTTP/1.1");
        auto message = to_message(refusal, 11, false, state.id_prefix + "0");
        co_await bhttp::async_write(stream, message, token);
      }
      break;
    }
    Counted in_flight(state.in_flight);
    // Separate deadlines per phase: the idle wait above must not eat into
    // the time to send the body, run the handler or write the answer.
    stream.expires_after(state.settings.idle_timeout);
    std::string request_id = state.id_prefix + std::to_string(++state.requests);
    auto& header = parser.get();
    if (auto incoming = header["X-Request-Id"]; is_safe_request_id(incoming)) {
      request_id = std::string(incoming);
    }
    unsigned version = header.version();
    auto started = std::chrono::steady_clock::now();

    Response response;
    bool keep_alive = header.keep_alive() && !state.draining;
    if (beast::iequals(header[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, version};
      co_await bhttp::async_write(stream, go_on, token);
    }
    auto [body_error, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, token);
    if (body_error == bhttp::error::body_limit) {
      response = too_large_problem(state.settings.body_limit_bytes);
      keep_alive = false;
    } else if (body_error) {
      if (body_error == beast::error::timeout || body_error == bhttp::error::end_of_stream) break;
      response = problem(400, "malformed_request", "the request body could not be read");
      keep_alive = false;
    } else {
      std::optional<Request> request;
      try {
        request = to_request(parser.get(), client, request_id);
      } catch (const Failure& failure) {
        response = problem(failure);
      }
      std::optional<Response> cached;
      if (request && is_liveness_probe(*request)) {
        response = state.router.handle(*request);
      } else if (request && (cached = state.router.cached(*request))) {
        response = std::move(*cached);
      } else if (request) {
        Slot slot(state.handling, state.settings.workers + state.settings.max_queued_requests);
        if (slot) {
          // The handler may commit: no deadline may cut it off before it answers.
          stream.expires_never();
          response = co_await handle_on_worker(state, std::move(*request));
        } else {
          response = overloaded_problem();
        }
      }
    }

    if (response.stream) {
      co_await stream_body(state, stream, response, version, request_id);
      state.metrics.record(response.route.pattern, response.route.method, response.status,
                           std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::steady_clock::now() - started));
      state.log.write(LogLevel::info, "stream closed",
                      {{"request_id", request_id},
                       {"target", std::string_view(header.target())},
                       {"client", client}});
      break;  // a stream ends with its connection
    }
    stream.expires_after(state.settings.idle_timeout);
    // Checked again here: a drain may have begun while the handler ran.
    keep_alive = keep_alive && !state.draining;
    auto message = to_message(response, version, keep_alive, request_id);
    auto [write_error, written] = co_await bhttp::async_write(stream, message, token);
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    state.metrics.record(response.route.pattern, response.route.method, response.status, elapsed);
    state.log.write(LogLevel::info, "request",
                    {{"request_id", request_id},
                     {"method", std::string_view(header.method_string())},
                     {"target", std::string_view(header.target())},
                     {"route", response.route.pattern},
                     {"status", std::int64_t(response.status)},
                     {"duration_us", std::int64_t(elapsed.count())},
                     {"client", client}});
    if (write_error || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// One warning a second at most: a flood of connections must not become a
// flood of log lines.
void note_refused_connection(Server::State& state) {
  ++state.refused_connections;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
                 .count();
  auto last = state.refusals_logged_at.load();
  if (now > last && state.refusals_logged_at.compare_exchange_strong(last, now)) {
    state.log.write(LogLevel::warn, "connections refused: too many open",
                    {{"open", std::int64_t(state.connections.load())},
                     {"refused_so_far", state.refused_connections.load()}});
  }
}

// Connections over the cap still get one answer: a liveness probe its 200
// (or an orchestrator would restart a server that is only busy), anything
// else a 503 with Retry-After rather than a bare reset; then they close.
// The request is read first, so that closing does not reset the answer away.
constexpr int triage_capacity = 64;
constexpr std::size_t triage_body_limit = 64 * 1024;
constexpr auto triage_deadline = std::chrono::seconds(2);

asio::awaitable<void> triage(Server::State& state, beast::tcp_stream stream,
                             [[maybe_unused]] Slot triaging) {
  auto token = asio::as_tuple(asio::use_awaitable);
  beast::flat_buffer buffer;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(triage_body_limit);
  parser.header_limit(std::uint32_t(state.settings.header_limit_bytes));
  stream.expires_after(triage_deadline);
  auto [read_error, read] = co_await bhttp::async_read(stream, buffer, parser, token);
  if (read_error) co_return;
  std::string request_id = state.id_prefix + std::to_string(++state.requests);
  Response response = overloaded_problem();
  try {
    Request request = to_request(parser.get(), "", request_id);
    if (is_liveness_probe(request)) response = state.router.handle(request);
  } catch (const Failure&) {
    // A malformed target gets the 503 as well: this is no time to explain.
  }
  auto message = to_message(response, parser.get().version(), false, request_id);
  co_await bhttp::async_write(stream, message, token);
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(Server::State& state) {
  for (;;) {
    auto [error, socket] = co_await state.acceptor.async_accept(
        asio::make_strand(state.io), asio::as_tuple(asio::use_awaitable));
    // A connection accepted as the listener closed is still served.
    if (error && !state.acceptor.is_open()) co_return;
    if (error) {
      // Out of file descriptors and the like: pause instead of spinning.
      state.log.write(LogLevel::warn, "accept failed", {{"error", error.message()}});
      asio::steady_timer pause(state.io, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    auto executor = socket.get_executor();
    if (Slot connection(state.connections, state.settings.max_connections); connection) {
      socket.set_option(tcp::no_delay(true), error);
      asio::co_spawn(executor,
                     session(state, beast::tcp_stream(std::move(socket)), std::move(connection)),
                     asio::detached);
      continue;
    }
    // Over the cap: no new session, so that memory stays bounded.
    note_refused_connection(state);
    if (Slot triaging(state.triaging, triage_capacity); triaging) {
      asio::co_spawn(executor,
                     triage(state, beast::tcp_stream(std::move(socket)), std::move(triaging)),
                     asio::detached);
    } else {
      socket.close(error);  // even triage is full: a reset is all there is to spare
    }
  }
}

}  // namespace

Server::Server(ServerSettings settings, const Router& router, Log& log)
    : state_(std::make_unique<State>(std::move(settings), router, log)) {}

Server::~Server() { stop(); }

void Server::start() {
  if (state_->settings.listener >= 0) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(state_->settings.listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::system_error(errno, std::generic_category(), "the handed-over listener");
    }
    state_->acceptor.assign(address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(),
                            state_->settings.listener);
  } else {
    auto address = asio::ip::make_address(state_->settings.host);
    tcp::endpoint endpoint(address, state_->settings.port);
    state_->acceptor.open(endpoint.protocol());
    state_->acceptor.set_option(asio::socket_base::reuse_address(true));
    state_->acceptor.bind(endpoint);
    state_->acceptor.listen(asio::socket_base::max_listen_connections);
  }
  state_->listener_fd = state_->acceptor.native_handle();
  asio::co_spawn(state_->acceptor.get_executor(), accept_loop(*state_), asio::detached);
  for (int i = 0; i < state_->settings.threads; ++i) {
    state_->threads.emplace_back([this] { state_->io.run(); });
  }
}

unsigned short Server::port() const { return state_->acceptor.local_endpoint().port(); }

int Server::listener_handle() const { return state_->listener_fd; }

const std::atomic<bool>& Server::draining() const { return state_->draining; }

const HttpMetrics& Server::metrics() const { return state_->metrics; }

int Server::open_connections() const { return state_->connections.load(); }

void Server::stop() { stop(state_->settings.shutdown_grace); }

void Server::stop(std::chrono::seconds grace) {
  if (state_->draining.exchange(true)) {
    wait();
    return;
  }
  // Load balancers stop sending once readiness fails; until they notice,
  // a closed listener would refuse their connections.
  std::this_thread::sleep_for(grace);
  // On the acceptor's strand: the accept loop uses it concurrently otherwise.
  // Waited for: io.stop() below could otherwise drop the close, leaving the
  // port listening (connections queued, never answered) until destruction.
  std::promise<void> closed;
  auto close = [this, &closed] {
    boost::system::error_code ignored;
    state_->acceptor.close(ignored);
    closed.set_value();
  };
  if (state_->threads.empty()) {
    close();
  } else {
    asio::post(state_->acceptor.get_executor(), close);
  }
  closed.get_future().wait();
  state_->waiting.end_all_waits();
  auto deadline = std::chrono::steady_clock::now() + state_->settings.drain_timeout;
  while ((state_->in_flight > 0 || state_->connections > 0) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  state_->io.stop();
  for (auto& thread : state_->threads) {
    if (thread.joinable()) thread.join();
  }
  state_->workers.stop();
  state_->workers.join();
  std::lock_guard lock(state_->stop_mutex);
  state_->stopped = true;
  state_->stopped_signal.notify_all();
}

void Server::wait() {
  std::unique_lock lock(state_->stop_mutex);
  state_->stopped_signal.wait(lock, [this] { return state_->stopped; });
}

}  // namespace shop::http
