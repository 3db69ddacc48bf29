#include "adapters/http/probe.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace shop::http {

bool probe_live(const std::string& host, unsigned short port, std::chrono::seconds timeout) {
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  boost::system::error_code error;
  boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address(host, error), port);
  if (error) return false;
  stream.connect(endpoint, error);
  if (error) return false;
  bhttp::request<bhttp::empty_body> request{bhttp::verb::get, "/health/live", 11};
  request.set(bhttp::field::host, host);
  bhttp::write(stream, request, error);
  if (error) return false;
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(stream, buffer, response, error);
  return !error && response.result() == bhttp::status::ok;
}

}  // namespace shop::http
