#include "adapters/memory/stock/memory_stock_store.hpp"

namespace shop::memory {

namespace {

using stock::LedgerRow;
using stock::Reservation;
using stock::StockLevel;

template <class Map>
auto find_copy(const Map& map, const std::string& key)
    -> std::optional<typename Map::mapped_type> {
  auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

template <class State>
class Transaction final : public stock::StockTransaction {
 public:
  explicit Transaction(State& state) : state_(state) {}

  std::optional<StockLevel> level(const std::string& product_id) override {
    return find_copy(state_.levels, product_id);
  }
  void save(const StockLevel& level) override {
    state_.levels.insert_or_assign(level.product_id(), level);
  }
  std::int64_t record(const stock::LedgerEntry& entry, Timestamp at) override {
    std::int64_t sequence = std::int64_t(state_.ledger.size()) + 1;
    state_.ledger.push_back(LedgerRow{sequence, entry, at});
    return sequence;
  }
  std::optional<Reservation> reservation(const std::string& order_id) override {
    return find_copy(state_.reservations, order_id);
  }
  void save(const Reservation& reservation) override {
    state_.reservations.insert_or_assign(reservation.order_id(), reservation);
  }
  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return state_.events.first_delivery(consumer, event_id);
  }
  void publish(const EventEnvelope& event) override { state_.events.append(event); }

 private:
  State& state_;
};

}  // namespace

void MemoryStockStore::write(const std::function<void(stock::StockTransaction&)>& work) {
  state_.write([&](MemoryStockState& state) {
    Transaction<MemoryStockState> transaction(state);
    work(transaction);
  });
}

std::optional<StockLevel> MemoryStockStore::level(const std::string& product_id) {
  return state_.read([&](const MemoryStockState& state) { return find_copy(state.levels, product_id); });
}

std::vector<LedgerRow> MemoryStockStore::ledger(const std::string& product_id,
                                                std::int64_t after_sequence, std::size_t limit) {
  return state_.read([&](const MemoryStockState& state) {
    std::vector<LedgerRow> rows;
    for (const auto& row : state.ledger) {
      if (rows.size() >= limit) break;
      if (row.sequence > after_sequence && row.entry.product_id == product_id) rows.push_back(row);
    }
    return rows;
  });
}

std::vector<std::string> MemoryStockStore::expired_reservations(Timestamp now, std::size_t limit) {
  return state_.read([&](const MemoryStockState& state) {
    std::vector<std::string> expired;
    for (const auto& [order_id, reservation] : state.reservations) {
      if (expired.size() >= limit) break;
      if (reservation.expired(now)) expired.push_back(order_id);
    }
    return expired;
  });
}

}  // namespace shop::memory
