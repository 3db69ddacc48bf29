#pragma once

#include <map>

#include "adapters/memory/copy_on_write.hpp"
#include "adapters/memory/event_tables.hpp"
#include "application/identity/ports.hpp"

namespace shop::memory {

class MemoryIdentityStore final : public identity::IdentityStore, public Outbox {
 public:
  void write(const std::function<void(identity::IdentityTransaction&)>& work) override;
  std::optional<identity::User> user_by_id(const std::string& id) override;
  std::optional<identity::User> user_by_email(const std::string& normalized_email) override;
  std::optional<identity::TokenRecord> token(const std::string& digest) override;

  std::vector<OutboxRecord> unpublished(std::size_t limit) override;
  void mark_published(std::int64_t sequence) override;

 private:
  struct State {
    std::map<std::string, identity::User> users;
    std::map<std::string, identity::TokenRecord> tokens;
    EventTables events;
  };
  CopyOnWrite<State> state_;
};

}  // namespace shop::memory
