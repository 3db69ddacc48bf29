#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace shop::testing {

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
  boost::beast::http::fields headers;

  boost::json::value json() const { return boost::json::parse(body); }
  std::string header(const std::string& name) const { return std::string(headers[name]); }
};

// A real HTTP/1.1 client over a real TCP connection, kept alive between
// requests, for tests of the server as a client sees it.
class HttpClient {
 public:
  explicit HttpClient(unsigned short port) : stream_(io_) { connect(port); }

  HttpReply request(const std::string& method, const std::string& target, const std::string& body = "",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> message{http::string_to_verb(method), target, 11};
    message.set(http::field::host, "localhost");
    bool has_type = false;
    for (const auto& [name, value] : headers) {
      message.set(name, value);
      has_type = has_type || boost::beast::iequals(name, "content-type");
    }
    if (!body.empty() && !has_type) message.set(http::field::content_type, "application/json");
    message.body() = body;
    message.prepare_payload();
    http::write(stream_, message);
    return read_reply();
  }

  HttpReply get(const std::string& target, const std::string& token = "") {
    return request("GET", target, "", auth(token));
  }
  HttpReply post(const std::string& target, const std::string& body, const std::string& token = "") {
    return request("POST", target, body, auth(token));
  }

  // Sends raw bytes as they are, for requests no well-behaved client makes.
  HttpReply raw(const std::string& bytes) {
    send(bytes);
    return read_reply();
  }
  void send(const std::string& bytes) { boost::asio::write(stream_.socket(), boost::asio::buffer(bytes)); }
  // The answer to a request sent with send().
  HttpReply receive() { return read_reply(); }

  static std::vector<std::pair<std::string, std::string>> auth(const std::string& token) {
    if (token.empty()) return {};
    return {{"Authorization", "Bearer " + token}};
  }

 private:
  void connect(unsigned short port) {
    stream_.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }

  HttpReply read_reply() {
    namespace http = boost::beast::http;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::read(stream_, buffer_, parser);
    auto& message = parser.get();
    HttpReply reply{int(message.result_int()), std::string(message[http::field::content_type]),
                    message.body(), {}};
    for (const auto& field : message) reply.headers.set(field.name_string(), field.value());
    return reply;
  }

  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace shop::testing
