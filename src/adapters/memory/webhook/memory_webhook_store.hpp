#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>

#include "adapters/memory/copy_on_write.hpp"
#include "application/webhook/ports.hpp"

namespace shop::memory {

struct MemoryWebhookState {
  std::map<std::string, webhook::WebhookDelivery> deliveries;  // by id
  std::set<std::pair<std::string, std::string>> keys;          // (event id, subscriber URL)
};

class MemoryWebhookStore final : public webhook::WebhookStore {
 public:
  void write(const std::function<void(webhook::WebhookTransaction&)>& work) override;
  std::optional<webhook::WebhookDelivery> find(const std::string& delivery_id) override;
  std::vector<webhook::WebhookDelivery> due(Timestamp now, std::size_t limit) override;
  std::vector<webhook::WebhookDelivery> dead(const std::string& before_id,
                                             std::size_t limit) override;

 private:
  CopyOnWrite<MemoryWebhookState> state_;
};

}  // namespace shop::memory
