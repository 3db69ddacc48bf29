#pragma once

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace shop::testing {

struct SseFrame {
  std::int64_t id = 0;
  std::string event;
  std::string data;
};

// A Server-Sent Events client on a real socket: sends the request, then
// reads frames as they arrive, each read bounded by a receive timeout.
class SseClient {
 public:
  SseClient(unsigned short port, const std::string& token, const std::string& last_event_id = "")
      : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval timeout{0, 200'000};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string request = "GET /api/v1/dashboard/stream HTTP/1.1\r\nHost: localhost\r\n";
    if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
    if (!last_event_id.empty()) request += "Last-Event-ID: " + last_event_id + "\r\n";
    request += "\r\n";
    boost::asio::write(socket_, boost::asio::buffer(request));
  }

  // The status line and headers, once they arrived (empty on timeout).
  std::string head(std::chrono::milliseconds within = std::chrono::seconds(5)) {
    return take_until("\r\n\r\n", within);
  }

  // Frames until one satisfies `done` or `within` passes.
  std::vector<SseFrame> frames_until(const std::function<bool(const SseFrame&)>& done,
                                     std::chrono::milliseconds within) {
    std::vector<SseFrame> frames;
    auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      std::string text = take_until("\n\n", std::chrono::duration_cast<std::chrono::milliseconds>(
                                                deadline - std::chrono::steady_clock::now()));
      if (text.empty()) break;
      SseFrame frame = parse(text);
      if (frame.event.empty()) continue;  // a heartbeat comment
      frames.push_back(frame);
      if (done(frame)) break;
    }
    return frames;
  }

 private:
  std::string take_until(const std::string& end, std::chrono::milliseconds within) {
    auto deadline = std::chrono::steady_clock::now() + within;
    for (;;) {
      auto at = buffer_.find(end);
      if (at != std::string::npos) {
        std::string taken = buffer_.substr(0, at + end.size());
        buffer_.erase(0, at + end.size());
        return taken;
      }
      if (std::chrono::steady_clock::now() >= deadline) return "";
      char bytes[4096];
      boost::system::error_code error;
      std::size_t n = socket_.read_some(boost::asio::buffer(bytes), error);
      if (error && error != boost::asio::error::would_block &&
          error != boost::asio::error::try_again) {
        return "";
      }
      buffer_.append(bytes, n);
    }
  }

  static SseFrame parse(const std::string& text) {
    SseFrame frame;
    std::size_t start = 0;
    while (start < text.size()) {
      auto end = text.find('\n', start);
      std::string line = text.substr(start, end - start);
      start = end + 1;
      if (line.starts_with("id: ")) frame.id = std::stoll(line.substr(4));
      if (line.starts_with("event: ")) frame.event = line.substr(7);
      if (line.starts_with("data: ")) frame.data = line.substr(6);
    }
    return frame;
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::string buffer_;
};

}  // namespace shop::testing
