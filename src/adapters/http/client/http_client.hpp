#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

// An outbound HTTP/1.1 client for the adapters that call other servers:
// the payment provider, another shopbox process, a webhook subscriber.
namespace shop::http {

// Where an outbound URL points. Parsed once, when the client is built.
struct OutboundUrl {
  bool tls = false;
  std::string host;       // an IPv6 address without its brackets
  std::string port;       // "80" or "443" when the URL names none
  std::string base_path;  // "" or "/v1": never ends with '/'
};

// Accepts http:// and https:// URLs with a host, an optional port and an
// optional path; refuses anything else (user info, query, fragment) with
// std::invalid_argument naming `what` ("payment provider URL"), so that a
// typo fails at start rather than at the first call.
OutboundUrl parse_outbound_url(const std::string& url, const std::string& what);

struct OutboundRequest {
  std::string method = "POST";
  std::string path;  // appended to the URL's base path
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent as application/json when not empty
};

// What one exchange got as far as.
struct OutboundExchange {
  bool failed = false;     // no complete answer: see `error`
  bool timed_out = false;  // the deadline passed first
  bool sent = false;       // the whole request was handed to the network
  std::string error;
  unsigned status = 0;
  std::string body;  // empty when longer than the client's answer limit
};

// One connection per exchange, under one deadline for name lookup, connect,
// TLS handshake (https: the system's trusted certificates, TLS 1.2 or
// later, the host name verified), write and read. Thread-safe.
class HttpClient {
 public:
  // std::invalid_argument for a timeout below 1 ms.
  HttpClient(OutboundUrl url, std::chrono::milliseconds timeout,
             std::size_t answer_limit = 64 * 1024);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  OutboundExchange send(const OutboundRequest& request) const;
  const OutboundUrl& url() const;

 private:
  struct Transport;  // Asio, Beast and OpenSSL stay in the .cpp
  std::unique_ptr<Transport> transport_;
};

// True when `text` could forge header lines if sent in one.
bool has_control_char(const std::string& text);

}  // namespace shop::http
