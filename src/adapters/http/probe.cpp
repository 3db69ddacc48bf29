#include "adapters/http/probe.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace shop::http {

bool probe_live(const std::string& host, unsigned short port, std::chrono::seconds timeout) {
  namespace asio = boost::asio;
  namespace bhttp = boost::beast::http;
  boost::system::error_code error;
  auto address = asio::ip::make_address(host, error);
  if (error) return false;

  asio::io_context io;
  boost::beast::tcp_stream stream(io);
  boost::beast::flat_buffer buffer;
  bhttp::request<bhttp::empty_body> request{bhttp::verb::get, "/health/live", 11};
  request.set(bhttp::field::host, host);
  bhttp::response<bhttp::string_body> response;
  bool live = false;

  // Asynchronous steps so that one deadline covers connect, write and read.
  stream.expires_after(timeout);
  stream.async_connect(asio::ip::tcp::endpoint(address, port), [&](boost::system::error_code ec) {
    if (ec) return;
    bhttp::async_write(stream, request, [&](boost::system::error_code ec, std::size_t) {
      if (ec) return;
      bhttp::async_read(stream, buffer, response, [&](boost::system::error_code ec, std::size_t) {
        live = !ec && response.result() == bhttp::status::ok;
      });
    });
  });
  io.run();
  return live;
}

}  // namespace shop::http
