// The storage limit (docs/performance.md, section 3): the database writes
// shopbox makes for one order, as bench/orders.lua places it (one line of one
// unit, the sandbox approving, a new Idempotency-Key), in a tight loop on
// --threads threads with no HTTP. It runs shopbox's own stores on shopbox's
// Database (its connections' PRAGMAs, its group commit) and shopbox's outbox
// relay, so what it sustains bounds what shopbox itself can.
//
//   storage_limit --database NEW_FILE [--synchronous full|normal] [--seconds N] [--threads T]
//
// prints one JSON line: {"orders_per_second": ..., "orders": ..., "seconds": ...,
// "synchronous": ...}.
//
// Each write transaction below mirrors the service function it names,
// statement for statement, the reads inside the transaction included. What
// the services do outside their transactions is left out: reads on the
// reader connections, the gateway call, decoding requests and events. Events
// and the stored response are encoded once, by shopbox's own encoders, and
// each order only puts its id into them.
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "adapters/crypto/sodium.hpp"
#include "adapters/http/order/order_json.hpp"
#include "adapters/inprocess/in_process_event_bus.hpp"
#include "adapters/log/json_log.hpp"
#include "adapters/sqlite/catalog/sqlite_catalog_store.hpp"
#include "adapters/sqlite/dashboard/sqlite_dashboard_store.hpp"
#include "adapters/sqlite/database.hpp"
#include "adapters/sqlite/delivery/sqlite_delivery_store.hpp"
#include "adapters/sqlite/identity/sqlite_identity_store.hpp"
#include "adapters/sqlite/migrations.hpp"
#include "adapters/sqlite/order/sqlite_order_store.hpp"
#include "adapters/sqlite/payment/sqlite_payment_store.hpp"
#include "adapters/sqlite/stock/sqlite_stock_store.hpp"
#include "adapters/system/system_clock.hpp"
#include "application/delivery/events.hpp"
#include "application/order/api.hpp"
#include "application/order/events.hpp"
#include "application/payment/events.hpp"
#include "application/shared/outbox_relay.hpp"
#include "application/stock/events.hpp"
#include "domain/dashboard/projection.hpp"
#include "domain/shared/digest.hpp"

namespace shop::bench {
namespace {

using namespace std::chrono_literals;

// shopbox's defaults for what the writes depend on.
constexpr std::int64_t low_stock_threshold = 5;
constexpr auto reservation_ttl = std::chrono::milliseconds(900s);
constexpr std::chrono::minutes utc_offset{0};
constexpr std::int64_t stock_on_hand = 100'000'000;  // as bench/order_placement.py restocks

struct Options {
  std::string database;
  sqlite::Synchronous synchronous = sqlite::Synchronous::full;
  double seconds = 10;
  int threads = 32;  // as the 32 connections of bench/order_placement.py
};

constexpr const char* usage =
    "usage: storage_limit --database NEW_FILE [--synchronous full|normal] [--seconds N] "
    "[--threads T]\n";

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view name = argv[i];
    std::string value = argv[i + 1];
    if (name == "--database") {
      options.database = value;
    } else if (name == "--synchronous" && (value == "full" || value == "normal")) {
      options.synchronous =
          value == "full" ? sqlite::Synchronous::full : sqlite::Synchronous::normal;
    } else if (name == "--seconds") {
      options.seconds = std::stod(value);
    } else if (name == "--threads") {
      options.threads = std::stoi(value);
    } else {
      throw std::invalid_argument(fmt::format("bad option {} {}", name, value));
    }
  }
  if (argc % 2 == 0) throw std::invalid_argument("every option takes a value");
  if (options.database.empty()) throw std::invalid_argument("--database is required");
  // Every run starts from the same empty shop; an old file would make it bigger.
  if (std::filesystem::exists(options.database)) {
    throw std::invalid_argument("--database must name a new file: " + options.database);
  }
  if (options.seconds < 0 || options.threads < 1) {
    throw std::invalid_argument("--seconds must be >= 0 and --threads >= 1");
  }
  return options;
}

// A text encoded once around a placeholder order id (an event's data, the
// stored response): each order gets a copy with its own id in its place.
class OrderText {
 public:
  OrderText(std::string text, const std::string& placeholder)
      : text_(std::move(text)), id_size_(placeholder.size()) {
    for (auto at = text_.find(placeholder); at != std::string::npos;
         at = text_.find(placeholder, at + id_size_)) {
      at_.push_back(at);
    }
  }

  std::string with(const std::string& order_id) const {
    if (order_id.size() != id_size_) throw std::logic_error("order ids differ in length");
    std::string text = text_;
    for (auto at : at_) text.replace(at, id_size_, order_id);
    return text;
  }

 private:
  std::string text_;
  std::size_t id_size_;
  std::vector<std::size_t> at_;
};

// What the dashboard projects from one kind of event (DashboardService's
// facts_of), for the placeholder order; the date is the event's own.
struct Facts {
  std::optional<dashboard::Fact> order;
  std::optional<dashboard::LevelFact> level;
  std::optional<dashboard::DayTotals> day;
};

// One of the six events of an order. Their subject is the order's id: the
// order's payment and delivery take the order's id as their own (a UUIDv7
// all the same), so that consumers find the order without decoding data.
struct EventKind {
  const char* type;
  const char* source;
  OrderText data;
  Facts facts;

  EventEnvelope envelope(const std::string& order_id, std::string event_id, Timestamp now) const {
    return EventEnvelope{std::move(event_id), type, source, order_id, now, data.with(order_id)};
  }
};

template <class Event>
EventKind kind_of(const Event& event, const std::string& placeholder, Facts facts) {
  return EventKind{Event::type, Event::source, OrderText(encode(event), placeholder),
                   std::move(facts)};
}

// Everything every order is made of, encoded once.
struct Templates {
  std::string customer_id;
  order::OrderLine line;
  order::Address address;
  std::string body_digest;  // of bench/orders.lua's request body, as the HTTP adapter keys it
  OrderText response;       // the 201 body stored with the key
  std::vector<EventKind> events;

  const EventKind& event(std::string_view type) const {
    auto found = std::ranges::find_if(events, [&](const EventKind& k) { return k.type == type; });
    if (found == events.end()) throw std::logic_error(fmt::format("no event kind {}", type));
    return *found;
  }
};

std::string request_body(const std::string& product_id) {
  return R"({"items":[{"product_id":")" + product_id +
         R"(","quantity":1}],"delivery_address":{"name":"Kim","line1":"1 Sejong-daero",)"
         R"("city":"Seoul","postal_code":"04524","phone":"010-0000-0000"},)"
         R"("payment":{"method":"card","token":"tok_ok"}})";
}

order::DeliveryAddress address_data(const order::Address& a) {
  return {a.name, a.line1, a.line2, a.city, a.postal_code, a.phone};
}

std::vector<order::OrderLineData> lines_data(const order::Order& order) {
  std::vector<order::OrderLineData> lines;
  for (const auto& l : order.lines()) {
    lines.push_back({l.product_id, l.sku, l.name, l.unit_price, l.quantity});
  }
  return lines;
}

// The 201 body of the HTTP adapter for a paid order.
OrderText response_of(const order::Order& paid) {
  const auto& d = paid.data();
  order::OrderView view{d.id, d.customer_id, d.status, "", lines_data(paid), d.total,
                        address_data(d.address), d.payment_method, d.created_at, d.updated_at};
  return OrderText(boost::json::serialize(http::order_json(view)), d.id);
}

// OrderService's event_of, with the total and address that placed and paid carry.
template <class Event>
Event order_event(const order::Order& order) {
  Event event;
  event.order_id = order.id();
  event.customer_id = order.data().customer_id;
  event.total = order.data().total;
  event.delivery_address = address_data(order.data().address);
  return event;
}

dashboard::Fact order_fact(const order::Order& order, const char* status) {
  dashboard::Fact fact;
  fact.order_id = order.id();
  fact.customer_id = order.data().customer_id;
  fact.order_status = status;
  fact.total = order.data().total;
  return fact;
}

EventKind placed_kind(const order::Order& order) {
  auto placed = order_event<order::OrderPlaced>(order);
  placed.lines = lines_data(order);
  dashboard::DayTotals one_order{"", 1, 0, 0, ""};
  return kind_of(placed, order.id(), {order_fact(order, "PAYMENT_PENDING"), {}, one_order});
}

EventKind paid_kind(const order::Order& order) {
  return kind_of(order_event<order::OrderPaid>(order), order.id(),
                 {order_fact(order, "PAID"), {}, {}});
}

// A stock movement of the order's one unit, leaving the level given.
template <class Movement>
EventKind movement_kind(const order::Order& order, std::int64_t on_hand, std::int64_t reserved,
                        std::int64_t sequence) {
  Movement movement;
  movement.order_id = order.id();
  stock::LevelChange c{order.lines()[0].product_id, 1, on_hand, reserved, on_hand - reserved,
                       sequence};
  movement.lines = {c};
  dashboard::LevelFact level{c.product_id, c.on_hand, c.reserved, c.available, c.sequence, {}};
  return kind_of(movement, order.id(), {{}, level, {}});
}

EventKind approved_kind(const order::Order& order) {
  payment::PaymentApproved approved;
  approved.payment_id = order.id();
  approved.order_id = order.id();
  approved.amount = order.data().total;
  dashboard::Fact fact;
  fact.order_id = order.id();
  fact.payment_status = "APPROVED";
  fact.approved = approved.amount;
  dashboard::DayTotals revenue{"", 0, approved.amount.amount, 0, approved.amount.currency};
  return kind_of(approved, order.id(), {fact, {}, revenue});
}

EventKind requested_kind(const order::Order& order) {
  delivery::DeliveryRequested requested;
  requested.delivery_id = order.id();
  requested.order_id = order.id();
  requested.customer_id = order.data().customer_id;
  dashboard::Fact fact;
  fact.order_id = order.id();
  fact.customer_id = requested.customer_id;
  fact.delivery_status = "REQUESTED";
  return kind_of(requested, order.id(), {fact, {}, {}});
}

// The order bench/orders.lua places, encoded from a sample driven through
// the saga under `placeholder`, an id no order will have.
Templates templates_for(const std::string& customer_id, const order::OrderLine& line,
                        const std::string& placeholder, Timestamp now) {
  order::Address address{"Kim", "1 Sejong-daero", "", "Seoul", "04524", "010-0000-0000"};
  auto sample =
      order::Order::start(placeholder, customer_id, {line}, address, "card", "tok_ok", now);
  sample.stock_reserved(now);
  sample.payment_approved(now);
  sample.stock_confirmed(now);
  return Templates{customer_id,
                   line,
                   address,
                   fnv1a_hex(request_body(line.product_id)),
                   response_of(sample),
                   {placed_kind(sample), paid_kind(sample),
                    movement_kind<stock::StockReserved>(sample, stock_on_hand, 1, 2),
                    movement_kind<stock::StockSold>(sample, stock_on_hand - 1, 0, 3),
                    approved_kind(sample), requested_kind(sample)}};
}

// shopbox's storage as src/main.cpp wires it.
struct Storage {
  explicit Storage(sqlite::DatabaseSettings settings) : database(std::move(settings)) {
    std::vector<sqlite::ModuleSchema> schemas{
        sqlite::identity_schema(), sqlite::catalog_schema(),  sqlite::stock_schema(),
        sqlite::order_schema(),    sqlite::payment_schema(),  sqlite::delivery_schema(),
        sqlite::dashboard_schema()};
    sqlite::migrate(database, schemas);
  }

  std::vector<Outbox*> outboxes() {
    return {&identity.outbox(), &catalog.outbox(), &stock.outbox(),
            &orders.outbox(),   &payments.outbox(), &deliveries.outbox()};
  }

  sqlite::Database database;
  sqlite::SqliteIdentityStore identity{database};
  sqlite::SqliteCatalogStore catalog{database};
  sqlite::SqliteStockStore stock{database};
  sqlite::SqliteOrderStore orders{database};
  sqlite::SqlitePaymentStore payments{database};
  sqlite::SqliteDeliveryStore deliveries{database};
  sqlite::SqliteDashboardStore dashboard{database};
};

// One customer and one product with stock for every order, as
// bench/order_placement.py sets up; the dashboard's product row is written
// as the catalog's and stock's events would have made it.
Templates seed(Storage& s, IdGenerator& ids, Timestamp now) {
  auto customer = identity::User::create(ids.next(), "buyer@bench.kr", "Buyer",
                                         identity::Role::customer, "never logs in", now);
  s.identity.write([&](identity::IdentityTransaction& tx) { tx.insert(customer); });
  catalog::ProductDetails details{"BENCH-ORDER", "Bench item", "", Money{4500, "KRW"}, ""};
  auto product = catalog::Product::create(ids.next(), details, now);
  s.catalog.write([&](catalog::CatalogTransaction& tx) { tx.insert(product); });
  auto level = stock::StockLevel::empty(product.id(), low_stock_threshold);
  auto restocked = level.restock(stock_on_hand);
  std::int64_t sequence = 0;
  s.stock.write([&](stock::StockTransaction& tx) {
    tx.save(level);
    sequence = tx.record(restocked, now);
  });
  const auto& p = product.details();
  auto row = dashboard::apply(dashboard::ProductRow{},
                              dashboard::CatalogFact{product.id(), product.version(), false, p.sku,
                                                     p.name, p.description, p.price, p.category});
  row = dashboard::apply(row, dashboard::LevelFact{product.id(), level.on_hand(), level.reserved(),
                                                   level.available(), sequence, std::nullopt});
  s.dashboard.write([&](dashboard::DashboardTransaction& tx) { tx.put_product_row(row); });

  return templates_for(customer.id, {product.id(), p.sku, p.name, p.price, 1}, ids.next(), now);
}

// The writes of one order, in the order shopbox makes them for
// POST /api/v1/orders (order_routes.cpp place_order, OrderService::place and
// its saga). Safe to use from many threads.
class OrderWrites {
 public:
  OrderWrites(Storage& s, const Templates& t, IdGenerator& ids, const Clock& clock)
      : s_(s), t_(t), ids_(ids), clock_(clock) {}

  void place(const std::string& key) {
    check_key_unseen(key);
    std::string order_id = create_order(key);
    reserve_stock(order_id);
    apply(order_id, [&](order::Order& o, order::OrderTransaction& tx) {
      o.stock_reserved(clock_.now());
      publish(tx, order::OrderPlaced::type, order_id);
    });
    start_payment(order_id);
    record_approval(order_id);
    confirm_stock(order_id);
    apply(order_id, [&](order::Order& o, order::OrderTransaction& tx) {
      o.payment_approved(clock_.now());
      o.stock_confirmed(clock_.now());
      publish(tx, order::OrderPaid::type, order_id);
      store_answer(tx, key, order_id);
    });
  }

 private:
  // OrderService::begin_request, for a key never seen: a read, no write.
  void check_key_unseen(const std::string& key) {
    if (s_.orders.idempotency(t_.customer_id, key)) throw std::logic_error("key used twice: " + key);
  }

  // OrderService::place: the order and the key it claims.
  std::string create_order(const std::string& key) {
    auto order = order::Order::start(ids_.next(), t_.customer_id, {t_.line}, t_.address, "card",
                                     "tok_ok", clock_.now());
    s_.orders.write([&](order::OrderTransaction& tx) {
      tx.save(order);
      if (tx.idempotency(t_.customer_id, key)) throw std::logic_error("key claimed twice: " + key);
      tx.save(order::IdempotencyRecord{t_.customer_id, key, t_.body_digest, false, 0, "",
                                       clock_.now(), order.id()});
    });
    return order.id();
  }

  // StockService::reserve of one line.
  void reserve_stock(const std::string& order_id) {
    Timestamp now = clock_.now();
    auto reservation = stock::Reservation::hold(order_id, {{t_.line.product_id, 1}},
                                                now + reservation_ttl, now);
    s_.stock.write([&](stock::StockTransaction& tx) {
      if (tx.reservation(order_id)) throw std::logic_error("reserved twice: " + order_id);
      auto level = tx.level(t_.line.product_id).value();
      save_movement(tx, level, level.reserve(1, order_id));
      tx.save(reservation);
      publish(tx, stock::StockReserved::type, order_id);
    });
  }

  // PaymentService::authorize, its first transaction: PENDING before the call.
  void start_payment(const std::string& order_id) {
    s_.payments.write([&](payment::PaymentTransaction& tx) {
      if (tx.by_order(order_id)) throw std::logic_error("charged twice: " + order_id);
      tx.save(payment::Payment::start(order_id, order_id, t_.customer_id, t_.line.unit_price,
                                      "card", "tok_ok", clock_.now()));
    });
  }

  // PaymentService::record_charge of the sandbox's approval.
  void record_approval(const std::string& order_id) {
    std::string reference = "sbx_ch_" + std::to_string(++charges_);
    s_.payments.write([&](payment::PaymentTransaction& tx) {
      auto payment = tx.by_order(order_id).value();
      if (payment.approve(reference, clock_.now())) {
        publish(tx, payment::PaymentApproved::type, order_id);
      }
      tx.save(payment);
    });
  }

  // StockService::confirm.
  void confirm_stock(const std::string& order_id) {
    s_.stock.write([&](stock::StockTransaction& tx) {
      auto reservation = tx.reservation(order_id).value();
      if (!reservation.confirm(clock_.now())) return;
      auto level = tx.level(t_.line.product_id).value();
      save_movement(tx, level, level.sell(1, order_id));
      tx.save(reservation);
      publish(tx, stock::StockSold::type, order_id);
    });
  }

  // OrderService::settle_request with the 201 answer, in the last step.
  void store_answer(order::OrderTransaction& tx, const std::string& key,
                    const std::string& order_id) {
    tx.save(order::IdempotencyRecord{t_.customer_id, key, t_.body_digest, true, 201,
                                     t_.response.with(order_id), clock_.now(), order_id});
  }

  // OrderService::apply: a saga step's reply in a transaction of its own.
  template <class Reply>
  void apply(const std::string& order_id, Reply&& reply) {
    s_.orders.write([&](order::OrderTransaction& tx) {
      auto order = tx.find(order_id).value();
      reply(order, tx);
      tx.save(order);
    });
  }

  // StockService::commit_movement (the level never runs low here).
  void save_movement(stock::StockTransaction& tx, const stock::StockLevel& level,
                     const stock::LedgerEntry& entry) {
    tx.save(level);
    tx.record(entry, clock_.now());
  }

  template <class Transaction>
  void publish(Transaction& tx, std::string_view type, const std::string& order_id) {
    tx.publish(t_.event(type).envelope(order_id, ids_.next(), clock_.now()));
  }

  Storage& s_;
  const Templates& t_;
  IdGenerator& ids_;
  const Clock& clock_;
  std::atomic<std::int64_t> charges_{0};  // the sandbox numbers its charges
};

// The consumers' writes for an order's events, on the relay's thread as in
// shopbox (src/application/wiring/consumers.cpp): delivery and the dashboard
// each a batch at a time. No other consumer writes for these events.
class Consumers {
 public:
  Consumers(Storage& s, const Templates& t, IdGenerator& ids, const Clock& clock)
      : s_(s), t_(t), ids_(ids), clock_(clock) {}

  void subscribe(EventBus& bus) {
    bus.subscribe_all("delivery",
                      [this](const std::vector<EventEnvelope>& events) { request_deliveries(events); });
    bus.subscribe_all("dashboard",
                      [this](const std::vector<EventEnvelope>& events) { project(events); });
  }

 private:
  // DeliveryService::on_order_events: the batch's orders paid in one transaction.
  void request_deliveries(const std::vector<EventEnvelope>& events) {
    std::vector<const EventEnvelope*> paid;
    for (const auto& event : events) {
      if (event.type == order::OrderPaid::type) paid.push_back(&event);
    }
    if (paid.empty()) return;
    s_.deliveries.write([&](delivery::DeliveryTransaction& tx) {
      for (const auto* event : paid) request_delivery(tx, *event);
    });
  }

  void request_delivery(delivery::DeliveryTransaction& tx, const EventEnvelope& paid) {
    const std::string& order_id = paid.subject;
    if (!tx.first_delivery("delivery", paid.id)) return;
    if (tx.by_order(order_id)) return;
    const auto& a = t_.address;
    delivery::Address address{a.name, a.line1, a.line2, a.city, a.postal_code, a.phone};
    Timestamp now = clock_.now();
    tx.save(delivery::Delivery::request(order_id, order_id, t_.customer_id, address, now));
    tx.publish(t_.event(delivery::DeliveryRequested::type).envelope(order_id, ids_.next(), now));
  }

  // DashboardService::on_events: the whole batch in one transaction.
  void project(const std::vector<EventEnvelope>& events) {
    s_.dashboard.write([&](dashboard::DashboardTransaction& tx) {
      for (const auto& event : events) {
        if (!tx.store_event(event)) continue;
        project_one(tx, event, t_.event(event.type).facts);
      }
    });
  }

  // The dashboard service's project().
  static void project_one(dashboard::DashboardTransaction& tx, const EventEnvelope& event,
                          const Facts& facts) {
    if (facts.order) {
      dashboard::Fact fact = *facts.order;
      fact.order_id = event.subject;
      auto row = tx.order_row(fact.order_id).value_or(dashboard::OrderRow{});
      tx.put_order_row(dashboard::apply(std::move(row), fact));
      tx.add_timeline_entry(
          {fact.order_id, event.id, dashboard::event_name(event.type), event.time});
    }
    if (facts.level) {
      auto row = tx.product_row(facts.level->product_id).value_or(dashboard::ProductRow{});
      tx.put_product_row(dashboard::apply(std::move(row), *facts.level));
    }
    if (facts.day) {
      dashboard::DayTotals day = *facts.day;
      day.date = dashboard::day_of(event.time, utc_offset);
      tx.add_day_totals(day);
    }
  }

  Storage& s_;
  const Templates& t_;
  IdGenerator& ids_;
  const Clock& clock_;
};

struct Measured {
  std::int64_t orders = 0;
  double seconds = 0;
};

// `threads` clients placing orders back to back for `seconds`; the orders
// under way at the end are finished and counted, with the time they took.
Measured place_orders(OrderWrites& writes, int threads, double seconds) {
  std::vector<std::int64_t> placed(std::size_t(threads), 0);
  std::stop_source stop;
  std::mutex mutex;
  std::condition_variable_any failed;
  std::exception_ptr error;
  auto client = [&](int number) {
    // Keys shaped like bench/orders.lua's.
    std::string prefix = fmt::format("bench-{}-{}-", number, std::time(nullptr));
    try {
      auto& count = placed[std::size_t(number)];
      while (!stop.stop_requested()) {
        writes.place(prefix + std::to_string(count + 1));
        ++count;
      }
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!error) error = std::current_exception();
      stop.request_stop();
      failed.notify_all();
    }
  };
  auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> clients;
    for (int number = 0; number < threads; ++number) clients.emplace_back(client, number);
    std::unique_lock lock(mutex);
    failed.wait_for(lock, stop.get_token(), std::chrono::duration<double>(seconds),
                    [] { return false; });
    stop.request_stop();
  }
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  if (error) std::rethrow_exception(error);
  return {std::accumulate(placed.begin(), placed.end(), std::int64_t{0}), elapsed.count()};
}

int run(const Options& options) {
  system::SystemClock clock;
  crypto::UuidV7Generator ids{clock};
  log::JsonLog log{clock, LogLevel::warn, stderr};
  Storage storage({options.database, options.synchronous});
  Templates templates = seed(storage, ids, clock.now());
  OrderWrites writes(storage, templates, ids, clock);
  Consumers consumers(storage, templates, ids, clock);
  inprocess::InProcessEventBus bus;
  consumers.subscribe(bus);
  OutboxRelay relay{storage.outboxes(), bus, log, clock};

  // The relay as src/main.cpp runs it: woken by every commit, drained at the end.
  storage.database.on_commit([&relay] { relay.wake(); });
  std::jthread relay_thread([&relay](std::stop_token stop) { relay.run(stop, 500ms); });
  Measured measured = place_orders(writes, options.threads, options.seconds);
  relay_thread.request_stop();
  relay_thread.join();
  relay.relay_pending();

  double per_second = measured.seconds > 0 ? double(measured.orders) / measured.seconds : 0;
  std::cout << fmt::format(
      R"({{"orders_per_second": {:.1f}, "orders": {}, "seconds": {:.3f}, "synchronous": "{}"}})",
      per_second, measured.orders, measured.seconds,
      options.synchronous == sqlite::Synchronous::full ? "full" : "normal")
            << std::endl;
  return 0;
}

}  // namespace
}  // namespace shop::bench

int main(int argc, char** argv) {
  try {
    shop::crypto::initialise();
    return shop::bench::run(shop::bench::parse(argc, argv));
  } catch (const std::invalid_argument& error) {
    std::cerr << "storage_limit: " << error.what() << '\n' << shop::bench::usage;
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "storage_limit: " << error.what() << '\n';
    return 1;
  }
}
