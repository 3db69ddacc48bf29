#include "support/fake_provider.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <exception>
#include <future>
#include <mutex>
#include <thread>

namespace shop::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using HttpRequest = bhttp::request<bhttp::string_body>;

namespace {

// The answer to one request, or none at all (`drop`).
struct Answer {
  unsigned status = 200;
  json::object body;
  bool drop = false;
};

Answer refusal(unsigned status, const std::string& message) {
  return {status, {{"status", "error"}, {"message", message}}, false};
}

Answer answer_of(const ProviderRecord& record) {
  return {200,
          {{"status", record.status}, {"reference", record.reference}, {"message", record.message}},
          false};
}

std::string text_of(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

}  // namespace

// Declaration order matters: ~io_context destroys the coroutine frames,
// which still use the members above it.
struct FakeProvider::State {
  mutable std::mutex mutex;
  std::chrono::milliseconds latency{0};
  int failures_left = 0;
  unsigned failure_status = 500;
  bool declining = false;
  int drops_left = 0;
  int requests = 0;
  int references = 0;
  std::map<std::string, ProviderRecord> charges;  // by idempotency key
  std::map<std::string, ProviderRecord> refunds;  // by idempotency key
  SeenRequest last;
  unsigned short port = 0;
  // Of the listening socket, touched on the I/O thread only: an accept loop
  // of a socket closed since then stops.
  int generation = 0;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> keep_running{io.get_executor()};
  tcp::acceptor acceptor{io};
  std::thread thread;

  void listen();
  Answer decide(const HttpRequest& request);
  Answer charge(const std::string& key, const json::object& body, const ProviderRecord& asked);
  Answer refund(const std::string& key, const json::object& body, const ProviderRecord& asked);

  // Runs `work` on the I/O thread, which owns the acceptor, and waits for it.
  template <class Work>
  void on_io_thread(Work work) {
    std::promise<void> done;
    auto finished = done.get_future();
    asio::post(io, [&] {
      try {
        work();
        done.set_value();
      } catch (...) {
        done.set_exception(std::current_exception());
      }
    });
    finished.get();
  }
};

namespace {

asio::awaitable<void> session(FakeProvider::State& state, tcp::socket socket) {
  auto token = asio::as_tuple(asio::use_awaitable);
  beast::flat_buffer buffer;
  HttpRequest request;
  auto [read_error, read] = co_await bhttp::async_read(socket, buffer, request, token);
  if (read_error) co_return;
  Answer answer;
  std::chrono::milliseconds latency;
  {
    std::lock_guard lock(state.mutex);
    answer = state.decide(request);
    latency = state.latency;
  }
  if (latency.count() > 0) {
    asio::steady_timer timer(socket.get_executor(), latency);
    co_await timer.async_wait(token);
  }
  // Closing the socket (when this frame ends) is the only answer.
  if (answer.drop) co_return;
  bhttp::response<bhttp::string_body> response{static_cast<bhttp::status>(answer.status),
                                                request.version()};
  response.set(bhttp::field::content_type, "application/json");
  response.body() = json::serialize(answer.body);
  response.keep_alive(false);
  response.prepare_payload();
  co_await bhttp::async_write(socket, response, token);
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(FakeProvider::State& state, int generation) {
  for (;;) {
    auto [error, socket] =
        co_await state.acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (generation != state.generation) co_return;
    if (error) continue;
    asio::co_spawn(state.io, session(state, std::move(socket)), asio::detached);
  }
}

}  // namespace

void FakeProvider::State::listen() {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen();
  port = acceptor.local_endpoint().port();
  asio::co_spawn(io, accept_loop(*this, ++generation), asio::detached);
}

Answer FakeProvider::State::decide(const HttpRequest& request) {
  ++requests;
  std::string key(request["Idempotency-Key"]);
  last = {std::string(request.target()), key, std::string(request[bhttp::field::authorization]),
          request.body()};
  if (failures_left > 0) {
    --failures_left;
    return refusal(failure_status, "injected failure");
  }
  if (request.method() != bhttp::verb::post) return refusal(405, "only POST");
  boost::system::error_code error;
  auto parsed = json::parse(request.body(), error);
  if (error || !parsed.is_object()) return refusal(400, "the body is not a JSON object");
  const auto& body = parsed.as_object();
  if (key.empty() || text_of(body, "idempotency_key") != key) {
    return refusal(400, "the Idempotency-Key header and the body disagree");
  }
  const auto* amount = body.if_contains("amount");
  if (!amount || !amount->is_object() || !amount->as_object().contains("amount") ||
      !amount->as_object().at("amount").is_int64()) {
    return refusal(400, "amount must be {\"amount\",\"currency\"}");
  }
  ProviderRecord asked;
  asked.amount = amount->as_object().at("amount").as_int64();
  asked.currency = text_of(amount->as_object(), "currency");
  if (request.target() == "/v1/charges") return charge(key, body, asked);
  if (request.target() == "/v1/refunds") return refund(key, body, asked);
  return refusal(404, "no such resource");
}

Answer FakeProvider::State::charge(const std::string& key, const json::object& body,
                                   const ProviderRecord& asked) {
  if (auto stored = charges.find(key); stored != charges.end()) return answer_of(stored->second);
  ProviderRecord record = asked;
  record.source = text_of(body, "token");
  bool drop = drops_left > 0;
  if (declining && !drop) {
    record.status = "declined";
    record.message = "card declined";
  } else {
    record.status = "approved";
    record.reference = "ch_" + std::to_string(++references);
  }
  if (drop) --drops_left;
  charges[key] = record;
  Answer answer = answer_of(record);
  answer.drop = drop;
  return answer;
}

Answer FakeProvider::State::refund(const std::string& key, const json::object& body,
                                   const ProviderRecord& asked) {
  if (auto stored = refunds.find(key); stored != refunds.end()) return answer_of(stored->second);
  ProviderRecord record = asked;
  record.source = text_of(body, "charge_reference");
  bool charged = false;
  for (const auto& [charge_key, charge] : charges) {
    charged = charged || (charge.status == "approved" && charge.reference == record.source &&
                          charge.amount == record.amount && charge.currency == record.currency);
  }
  if (charged) {
    record.status = "approved";
    record.reference = "re_" + std::to_string(++references);
  } else {
    record.status = "declined";
    record.message = "unknown charge";
  }
  refunds[key] = record;
  return answer_of(record);
}

FakeProvider::FakeProvider() : state_(std::make_unique<State>()) {
  state_->listen();
  state_->thread = std::thread([state = state_.get()] { state->io.run(); });
}

FakeProvider::~FakeProvider() {
  state_->io.stop();
  state_->thread.join();
}

std::string FakeProvider::url() const {
  return "http://127.0.0.1:" + std::to_string(state_->port) + "/v1";
}

unsigned short FakeProvider::port() const { return state_->port; }

void FakeProvider::set_latency(std::chrono::milliseconds latency) {
  std::lock_guard lock(state_->mutex);
  state_->latency = latency;
}

void FakeProvider::fail_next(int requests, unsigned status) {
  std::lock_guard lock(state_->mutex);
  state_->failures_left = requests;
  state_->failure_status = status;
}

void FakeProvider::decline_all(bool decline) {
  std::lock_guard lock(state_->mutex);
  state_->declining = decline;
}

void FakeProvider::drop_after_charging(int charges) {
  std::lock_guard lock(state_->mutex);
  state_->drops_left = charges;
}

void FakeProvider::go_down() {
  state_->on_io_thread([state = state_.get()] {
    ++state->generation;
    state->acceptor.close();
  });
}

void FakeProvider::come_back() {
  state_->on_io_thread([state = state_.get()] { state->listen(); });
}

int FakeProvider::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::map<std::string, ProviderRecord> FakeProvider::charges() const {
  std::lock_guard lock(state_->mutex);
  return state_->charges;
}

std::optional<ProviderRecord> FakeProvider::charge(const std::string& idempotency_key) const {
  std::lock_guard lock(state_->mutex);
  auto found = state_->charges.find(idempotency_key);
  if (found == state_->charges.end()) return std::nullopt;
  return found->second;
}

std::vector<ProviderRecord> FakeProvider::refunds_of(const std::string& charge_reference) const {
  std::lock_guard lock(state_->mutex);
  std::vector<ProviderRecord> found;
  for (const auto& [key, record] : state_->refunds) {
    if (record.status == "approved" && record.source == charge_reference) found.push_back(record);
  }
  return found;
}

SeenRequest FakeProvider::last_request() const {
  std::lock_guard lock(state_->mutex);
  return state_->last;
}

}  // namespace shop::testing
