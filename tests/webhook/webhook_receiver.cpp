#include "webhook/webhook_receiver.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <mutex>
#include <thread>

namespace shop::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Declaration order matters: ~io_context destroys the coroutine frames,
// which still use the members above it.
struct WebhookReceiver::State {
  mutable std::mutex mutex;
  std::deque<ReceiverAnswer> answers;
  std::vector<ReceivedRequest> received;
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  unsigned short port = acceptor.local_endpoint().port();  // read before the I/O thread starts
  std::thread thread;

  ReceiverAnswer record(const bhttp::request<bhttp::string_body>& request) {
    std::lock_guard lock(mutex);
    received.push_back({std::string(request.method_string()), std::string(request.target()),
                        std::string(request[bhttp::field::content_type]),
                        std::string(request["Shopbox-Signature"]),
                        std::string(request["Shopbox-Event-Id"]), request.body()});
    if (answers.empty()) return {};
    auto answer = answers.front();
    answers.pop_front();
    return answer;
  }
};

namespace {

asio::awaitable<void> session(WebhookReceiver::State& state, tcp::socket socket) {
  auto token = asio::as_tuple(asio::use_awaitable);
  beast::flat_buffer buffer;
  bhttp::request<bhttp::string_body> request;
  auto [read_error, read] = co_await bhttp::async_read(socket, buffer, request, token);
  if (read_error) co_return;
  ReceiverAnswer answer = state.record(request);
  if (answer.delay.count() > 0) {
    asio::steady_timer timer(socket.get_executor(), answer.delay);
    co_await timer.async_wait(token);
  }
  bhttp::response<bhttp::string_body> response{static_cast<bhttp::status>(answer.status),
                                                request.version()};
  response.set(bhttp::field::content_type, "text/plain");
  // 204 and 304 carry no body.
  if (answer.status != 204 && answer.status != 304) {
    response.body() = answer.status < 300 ? "ok" : "refused by the test";
  }
  response.keep_alive(false);
  response.prepare_payload();
  co_await bhttp::async_write(socket, response, token);
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(WebhookReceiver::State& state) {
  for (;;) {
    auto [error, socket] =
        co_await state.acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (error) co_return;
    asio::co_spawn(state.io, session(state, std::move(socket)), asio::detached);
  }
}

}  // namespace

WebhookReceiver::WebhookReceiver() : state_(std::make_unique<State>()) {
  asio::co_spawn(state_->io, accept_loop(*state_), asio::detached);
  state_->thread = std::thread([state = state_.get()] { state->io.run(); });
}

WebhookReceiver::~WebhookReceiver() {
  state_->io.stop();
  state_->thread.join();
}

std::string WebhookReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(state_->port) + path;
}

void WebhookReceiver::answer(std::vector<ReceiverAnswer> answers) {
  std::lock_guard lock(state_->mutex);
  state_->answers.insert(state_->answers.end(), answers.begin(), answers.end());
}

std::vector<ReceivedRequest> WebhookReceiver::received() const {
  std::lock_guard lock(state_->mutex);
  return state_->received;
}

}  // namespace shop::testing
