#include "adapters/payment/payment/http_gateway.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>

namespace shop::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using payment::GatewayOutcome;
using payment::GatewayReply;
using Deadline = std::chrono::steady_clock::time_point;
using Request = bhttp::request<bhttp::string_body>;

namespace {

// The protocol's answers are small JSON objects; anything larger is not one.
constexpr std::size_t answer_limit = 64 * 1024;
// First wait before repeating an attempt that sent nothing; doubled each time.
constexpr std::chrono::milliseconds retry_backoff{100};

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

bool is_ipv6_char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
}

bool has_control_char(const std::string& text) {
  for (char c : text) {
    if (std::iscntrl(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// What one attempt got as far as.
struct Exchange {
  boost::system::error_code error;
  bool sent = false;  // the whole request was handed to the network
  unsigned status = 0;
  std::string body;
};

using Endpoints = tcp::resolver::results_type;

// getaddrinfo cannot be cancelled, so the lookup runs on a thread of its
// own: when it outlives the deadline the caller goes on without it and the
// thread finishes by itself.
Endpoints resolve(const ProviderUrl& url, Deadline deadline, boost::system::error_code& error) {
  using Lookup = std::pair<Endpoints, boost::system::error_code>;
  auto lookup = std::make_shared<std::packaged_task<Lookup()>>([host = url.host, port = url.port] {
    asio::io_context io;
    Lookup found;
    found.first = tcp::resolver(io).resolve(host, port, found.second);
    return found;
  });
  auto result = lookup->get_future();
  std::thread([lookup] { (*lookup)(); }).detach();
  if (result.wait_until(deadline) != std::future_status::ready) {
    error = beast::error::timeout;
    return {};
  }
  auto [endpoints, lookup_error] = result.get();
  error = lookup_error;
  return endpoints;
}

template <class Stream>
asio::awaitable<void> exchange(Stream& stream, const Endpoints& endpoints, const Request& request,
                               Exchange& out) {
  auto token = asio::as_tuple(asio::use_awaitable);
  auto [connect_error, endpoint] =
      co_await beast::get_lowest_layer(stream).async_connect(endpoints, token);
  out.error = connect_error;
  if (out.error) co_return;
  if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
    auto [handshake_error] = co_await stream.async_handshake(asio::ssl::stream_base::client, token);
    out.error = handshake_error;
    if (out.error) co_return;
  }
  auto [write_error, written] = co_await bhttp::async_write(stream, request, token);
  out.error = write_error;
  if (out.error) co_return;
  // From here on the provider may have acted on the request.
  out.sent = true;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(answer_limit);
  auto [read_error, read] = co_await bhttp::async_read(stream, buffer, parser, token);
  out.error = read_error;
  if (out.error) co_return;
  out.status = parser.get().result_int();
  out.body = std::move(parser.get().body());
}

// The asynchronous steps under one deadline: the stream's timer covers
// connect, handshake, write and read together.
template <class Stream>
void run(asio::io_context& io, Stream& stream, const Endpoints& endpoints, const Request& request,
         Deadline deadline, Exchange& out) {
  beast::get_lowest_layer(stream).expires_at(deadline);
  asio::co_spawn(io, exchange(stream, endpoints, request, out), [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);
  });
  io.run();
}

json::object object_of(const std::string& body) {
  boost::system::error_code error;
  auto value = json::parse(body, error);
  if (error || !value.is_object()) return {};
  return value.as_object();
}

std::string text_of(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

GatewayReply answer_of(unsigned status, const std::string& body) {
  auto answer = object_of(body);
  std::string message = text_of(answer, "message");
  std::string code = "HTTP " + std::to_string(status);
  if (status >= 200 && status < 300) {
    std::string decision = text_of(answer, "status");
    std::string reference = text_of(answer, "reference");
    // An approval is only usable with the reference a refund must name.
    if (decision == "approved" && !reference.empty()) {
      return {GatewayOutcome::approved, reference, message};
    }
    if (decision == "declined") {
      return {GatewayOutcome::declined, reference,
              message.empty() ? "declined by the provider" : message};
    }
    // Charged or not, the answer does not say: ask again with the same key.
    return {GatewayOutcome::unknown, "", "unreadable answer from the provider (" + code + ")"};
  }
  std::string reason = message.empty() ? code : code + ": " + message;
  // Another request with this key is still being processed: it may charge.
  if (status == 409) return {GatewayOutcome::unknown, "", reason};
  if (status == 408 || status == 429 || status >= 500) return {GatewayOutcome::failed, "", reason};
  // Any other refusal is the provider's final word on this request.
  if (status >= 400) {
    return {GatewayOutcome::declined, "",
            message.empty() ? "refused by the provider (" + code + ")" : message};
  }
  return {GatewayOutcome::unknown, "", "unexpected answer from the provider (" + code + ")"};
}

GatewayReply reply_of(const Exchange& exchange, int attempts) {
  if (!exchange.error) return answer_of(exchange.status, exchange.body);
  std::string why = exchange.error.message();
  if (exchange.sent) return {GatewayOutcome::unknown, "", "no answer from the provider: " + why};
  std::string tries = attempts == 1 ? "1 attempt" : std::to_string(attempts) + " attempts";
  return {GatewayOutcome::failed, "", "provider unreachable (" + tries + "): " + why};
}

json::object amount_of(const Money& amount) {
  return {{"amount", amount.amount}, {"currency", amount.currency}};
}

}  // namespace

ProviderUrl parse_provider_url(const std::string& url) {
  auto refuse = [&url](const std::string& why) {
    return std::invalid_argument("payment provider URL \"" + url + "\" " + why);
  };
  ProviderUrl parsed;
  std::string_view rest(url);
  auto scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos) throw refuse("must start with http:// or https://");
  std::string scheme(rest.substr(0, scheme_end));
  for (auto& c : scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") throw refuse("must start with http:// or https://");
  parsed.tls = scheme == "https";
  rest.remove_prefix(scheme_end + 3);

  auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  std::string_view path = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  if (authority.find('@') != std::string_view::npos) throw refuse("must not carry credentials");
  for (char c : path) {
    if (c == '?' || c == '#' || std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      throw refuse("must be a plain path, without query, fragment or spaces");
    }
  }

  std::string_view host = authority;
  std::string_view after_host;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw refuse("has an unclosed [IPv6] address");
    host = authority.substr(1, close - 1);
    after_host = authority.substr(close + 1);
    for (char c : host) {
      if (!is_ipv6_char(c)) throw refuse("has an invalid IPv6 address");
    }
  } else {
    host = authority.substr(0, authority.find(':'));
    after_host = authority.substr(host.size());
    for (char c : host) {
      if (!is_host_char(c)) throw refuse("has an invalid host name");
    }
  }
  if (host.empty()) throw refuse("has no host");
  parsed.host = std::string(host);

  parsed.port = parsed.tls ? "443" : "80";
  if (!after_host.empty()) {
    if (after_host[0] != ':') throw refuse("has garbage after the host");
    std::string_view port = after_host.substr(1);
    int number = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || error != std::errc() || end != port.data() + port.size() || number < 1 ||
        number > 65535) {
      throw refuse("has a port that is not a number from 1 to 65535");
    }
    parsed.port = std::string(port);
  }

  while (path.ends_with('/')) path.remove_suffix(1);
  parsed.base_path = std::string(path);
  return parsed;
}

// The parsed URL and, for https, the TLS settings shared by every call.
struct HttpGateway::Transport {
  ProviderUrl url;
  std::string host_header;
  std::chrono::milliseconds timeout;
  // Built once: it loads the system's trusted certificates.
  std::optional<asio::ssl::context> tls;

  Transport(ProviderUrl parsed, std::chrono::milliseconds attempt_timeout)
      : url(std::move(parsed)), timeout(attempt_timeout) {
    bool ipv6 = url.host.find(':') != std::string::npos;
    host_header = ipv6 ? "[" + url.host + "]" : url.host;
    if (url.port != (url.tls ? "443" : "80")) host_header += ":" + url.port;
    if (url.tls) {
      tls.emplace(asio::ssl::context::tls_client);
      tls->set_default_verify_paths();
      tls->set_verify_mode(asio::ssl::verify_peer);
      SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
    }
  }

  Exchange attempt(const Request& request) {
    Deadline deadline = std::chrono::steady_clock::now() + timeout;
    Exchange out;
    Endpoints endpoints = resolve(url, deadline, out.error);
    if (out.error) return out;
    asio::io_context io;
    if (!tls) {
      beast::tcp_stream stream(io);
      run(io, stream, endpoints, request, deadline, out);
      return out;
    }
    beast::ssl_stream<beast::tcp_stream> stream(io, *tls);
    boost::system::error_code not_an_address;
    asio::ip::make_address(url.host, not_an_address);
    // SNI names a host; RFC 6066 forbids an IP address there.
    if (not_an_address && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
      out.error = {static_cast<int>(ERR_get_error()), asio::error::get_ssl_category()};
      return out;
    }
    stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
    run(io, stream, endpoints, request, deadline, out);
    return out;
  }
};

HttpGateway::HttpGateway(HttpGatewaySettings settings) : settings_(std::move(settings)) {
  if (settings_.timeout < std::chrono::milliseconds(1)) {
    throw std::invalid_argument("payment provider timeout must be at least 1 ms");
  }
  if (settings_.max_attempts < 1) {
    throw std::invalid_argument("payment provider max_attempts must be at least 1");
  }
  // It goes into a header line: a line break would forge other headers.
  if (has_control_char(settings_.api_key)) {
    throw std::invalid_argument("payment provider API key must not contain control characters");
  }
  transport_ = std::make_unique<Transport>(parse_provider_url(settings_.url), settings_.timeout);
}

HttpGateway::~HttpGateway() = default;

GatewayReply HttpGateway::charge(const std::string& idempotency_key, const Money& amount,
                                 const std::string& token) {
  json::object body{{"idempotency_key", idempotency_key},
                    {"amount", amount_of(amount)},
                    {"token", token}};
  return post("/charges", idempotency_key, json::serialize(body));
}

GatewayReply HttpGateway::refund(const std::string& idempotency_key, const Money& amount,
                                 const std::string& charge_reference) {
  json::object body{{"idempotency_key", idempotency_key},
                    {"amount", amount_of(amount)},
                    {"charge_reference", charge_reference}};
  return post("/refunds", idempotency_key, json::serialize(body));
}

GatewayReply HttpGateway::post(const std::string& resource, const std::string& idempotency_key,
                               const std::string& body) {
  Request request{bhttp::verb::post, transport_->url.base_path + resource, 11};
  request.set(bhttp::field::host, transport_->host_header);
  request.set(bhttp::field::user_agent, "shopbox");
  request.set(bhttp::field::content_type, "application/json");
  request.set(bhttp::field::accept, "application/json");
  request.set("Idempotency-Key", idempotency_key);
  if (!settings_.api_key.empty()) {
    request.set(bhttp::field::authorization, "Bearer " + settings_.api_key);
  }
  // One connection per attempt: nothing of a failed attempt can leak into the next.
  request.keep_alive(false);
  request.body() = body;
  request.prepare_payload();

  auto wait = retry_backoff;
  for (int attempt = 1;; ++attempt) {
    Exchange exchange = transport_->attempt(request);
    // Only an attempt that provably sent nothing is repeated: one that was
    // sent may have charged (unknown, reconciled later), and one that ran
    // out of time already made its caller wait the whole timeout.
    bool repeat = exchange.error && !exchange.sent && exchange.error != beast::error::timeout &&
                  attempt < settings_.max_attempts;
    if (!repeat) return reply_of(exchange, attempt);
    std::this_thread::sleep_for(wait);
    wait *= 2;
  }
}

}  // namespace shop::gateway
