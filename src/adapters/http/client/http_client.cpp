#include "adapters/http/client/http_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <charconv>
#include <future>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <type_traits>

namespace shop::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Deadline = std::chrono::steady_clock::time_point;
using Request = bhttp::request<bhttp::string_body>;

namespace {

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

bool is_ipv6_char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
}

// What one exchange got as far as, in Asio's terms.
struct Progress {
  boost::system::error_code error;
  bool sent = false;
  unsigned status = 0;
  std::string body;
};

using Endpoints = tcp::resolver::results_type;

// getaddrinfo cannot be cancelled, so the lookup runs on a thread of its
// own: when it outlives the deadline the caller goes on without it and the
// thread finishes by itself.
Endpoints resolve(const OutboundUrl& url, Deadline deadline, boost::system::error_code& error) {
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
                               std::size_t answer_limit, Progress& out) {
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
  // From here on the server may have acted on the request.
  out.sent = true;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(answer_limit);
  auto [read_error, read] = co_await bhttp::async_read(stream, buffer, parser, token);
  // An answer too long to keep is still an answer: its status, no body.
  if (read_error == bhttp::error::body_limit && parser.is_header_done()) {
    out.status = parser.get().result_int();
    co_return;
  }
  out.error = read_error;
  if (out.error) co_return;
  out.status = parser.get().result_int();
  out.body = std::move(parser.get().body());
}

// The asynchronous steps under one deadline: the stream's timer covers
// connect, handshake, write and read together.
template <class Stream>
void run(asio::io_context& io, Stream& stream, const Endpoints& endpoints, const Request& request,
         std::size_t answer_limit, Deadline deadline, Progress& out) {
  beast::get_lowest_layer(stream).expires_at(deadline);
  asio::co_spawn(io, exchange(stream, endpoints, request, answer_limit, out), [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);
  });
  io.run();
}

}  // namespace

OutboundUrl parse_outbound_url(const std::string& url, const std::string& what) {
  auto refuse = [&url, &what](const std::string& why) {
    return std::invalid_argument(what + " \"" + url + "\" " + why);
  };
  OutboundUrl parsed;
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
struct HttpClient::Transport {
  OutboundUrl url;
  std::string host_header;
  std::chrono::milliseconds timeout;
  std::size_t answer_limit;
  // Built once: it loads the system's trusted certificates. Asio wants it
  // mutable; OpenSSL makes sharing it between connections safe.
  mutable std::optional<asio::ssl::context> tls;

  Transport(OutboundUrl parsed, std::chrono::milliseconds exchange_timeout, std::size_t limit)
      : url(std::move(parsed)), timeout(exchange_timeout), answer_limit(limit) {
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

  Progress attempt(const Request& request) const {
    Deadline deadline = std::chrono::steady_clock::now() + timeout;
    Progress out;
    Endpoints endpoints = resolve(url, deadline, out.error);
    if (out.error) return out;
    asio::io_context io;
    if (!tls) {
      beast::tcp_stream stream(io);
      run(io, stream, endpoints, request, answer_limit, deadline, out);
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
    run(io, stream, endpoints, request, answer_limit, deadline, out);
    return out;
  }
};


HttpClient::HttpClient(OutboundUrl url, std::chrono::milliseconds timeout, std::size_t answer_limit) {
  if (timeout < std::chrono::milliseconds(1)) {
    throw std::invalid_argument("an outbound call's timeout must be at least 1 ms");
  }
  transport_ = std::make_unique<Transport>(std::move(url), timeout, answer_limit);
}

HttpClient::~HttpClient() = default;

const OutboundUrl& HttpClient::url() const { return transport_->url; }

OutboundExchange HttpClient::send(const OutboundRequest& outbound) const {
  Request request{bhttp::string_to_verb(outbound.method), transport_->url.base_path + outbound.path,
                  11};
  request.set(bhttp::field::host, transport_->host_header);
  request.set(bhttp::field::user_agent, "shopbox");
  request.set(bhttp::field::accept, "application/json");
  if (!outbound.body.empty()) request.set(bhttp::field::content_type, "application/json");
  for (const auto& [name, value] : outbound.headers) request.set(name, value);
  // One connection per exchange: nothing of a failed one can leak into the next.
  request.keep_alive(false);
  request.body() = outbound.body;
  request.prepare_payload();

  Progress progress = transport_->attempt(request);
  OutboundExchange out;
  out.sent = progress.sent;
  out.status = progress.status;
  out.body = std::move(progress.body);
  if (progress.error) {
    out.failed = true;
    out.timed_out = progress.error == beast::error::timeout;
    out.error = progress.error.message();
  }
  return out;
}

bool has_control_char(const std::string& text) {
  for (char c : text) {
    if (std::iscntrl(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

}  // namespace shop::http
