#pragma once

#include <map>

#include "adapters/memory/outbox_store.hpp"
#include "application/identity/ports.hpp"

namespace shop::memory {

struct MemoryIdentityState {
  std::map<std::string, identity::User> users;
  std::map<std::string, identity::TokenRecord> tokens;
  EventTables events;
};

class MemoryIdentityStore final : public identity::IdentityStore,
                                  public OutboxStore<MemoryIdentityState> {
 public:
  void write(const std::function<void(identity::IdentityTransaction&)>& work) override;
  std::optional<identity::User> user_by_id(const std::string& id) override;
  std::optional<identity::User> user_by_email(const std::string& normalized_email) override;
  std::optional<identity::TokenRecord> token(const std::string& digest) override;
};

}  // namespace shop::memory
