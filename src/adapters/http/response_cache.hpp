#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "adapters/http/message.hpp"

namespace shop::http {

// Whole answers (status, headers, serialised body) to anonymous GETs of
// routes marked Caching::until_changed, kept until a write through this
// server or an event says the resource changed. A hit is answered on the
// network thread: no handler thread, no database, no JSON encoding.
class ResponseCache {
 public:
  explicit ResponseCache(std::size_t capacity = 10000) : capacity_(capacity) {}

  std::optional<Response> find(const std::string& path) const;
  // Moves on whenever anything is forgotten.
  std::uint64_t generation() const;
  // Keeps the answer to a GET that began at `generation`, unless something
  // was forgotten since: the answer may then predate the change.
  void offer(const std::string& path, const Response& response, std::uint64_t generation);
  void forget(const std::string& path);
  // A process that does not run the outbox relay sees no event about
  // changes written by another process on the same database: it must not
  // keep answers then. Turning it off forgets everything.
  void set_enabled(bool enabled);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Response> entries_;
  std::uint64_t generation_ = 0;
  bool enabled_ = true;
  std::size_t capacity_;
};

}  // namespace shop::http
