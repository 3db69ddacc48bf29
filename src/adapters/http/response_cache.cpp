#include "adapters/http/response_cache.hpp"

namespace shop::http {

std::optional<Response> ResponseCache::find(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto entry = entries_.find(path);
  if (entry == entries_.end()) return std::nullopt;
  return entry->second;
}

std::uint64_t ResponseCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void ResponseCache::offer(const std::string& path, const Response& response,
                          std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation != generation_ || !enabled_) return;
  // Full: start over rather than track recency; the hot entries return at once.
  if (entries_.size() >= capacity_) entries_.clear();
  entries_.insert_or_assign(path, response);
}

void ResponseCache::forget(const std::string& path) {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.erase(path);
}

void ResponseCache::set_enabled(bool enabled) {
  std::lock_guard lock(mutex_);
  // Either way an answer begun before may predate a change this process
  // was not told of.
  ++generation_;
  if (!enabled) entries_.clear();
  enabled_ = enabled;
}

}  // namespace shop::http
