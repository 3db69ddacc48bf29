#include <utility>

#include "application/dashboard/api.hpp"
#include "application/catalog/events.hpp"
#include "application/dashboard/stream.hpp"
#include "application/delivery/events.hpp"
#include "application/order/events.hpp"
#include "application/payment/events.hpp"
#include "application/stock/events.hpp"
#include "domain/shared/failure.hpp"

namespace shop::dashboard {

namespace {

// Replay reads the stored events this many at a time.
constexpr std::size_t replay_batch = 500;

template <class Event>
Fact order_fact(const Event& event, const char* status) {
  Fact fact;
  fact.order_id = event.order_id;
  fact.customer_id = event.customer_id;
  fact.order_status = status;
  return fact;
}

template <class Event>
Fact payment_fact(const Event& event, const char* status) {
  Fact fact;
  fact.order_id = event.order_id;
  fact.payment_status = status;
  return fact;
}

template <class Event>
Fact delivery_fact(const Event& event, std::string status) {
  Fact fact;
  fact.order_id = event.order_id;
  fact.customer_id = event.customer_id;
  fact.delivery_status = std::move(status);
  return fact;
}

// What an event says about its order; nullopt for the types the dashboard
// does not project (yet). Throws std::runtime_error on malformed data.
std::optional<Fact> fact_of(const EventEnvelope& event) {
  const std::string& type = event.type;
  if (type == order::OrderPlaced::type) {
    auto placed = order::decode_order_placed(event.data);
    Fact fact = order_fact(placed, order_status::payment_pending);
    fact.total = placed.total;
    return fact;
  }
  if (type == order::OrderPaid::type) {
    auto paid = order::decode_order_paid(event.data);
    Fact fact = order_fact(paid, order_status::paid);
    fact.total = paid.total;
    return fact;
  }
  if (type == order::OrderPaymentDeclined::type) {
    return order_fact(order::decode_order_payment_declined(event.data),
                      order_status::payment_declined);
  }
  if (type == order::OrderPaymentPending::type) {
    return order_fact(order::decode_order_payment_pending(event.data),
                      order_status::payment_pending);
  }
  if (type == order::OrderCancelled::type) {
    auto cancelled = order::decode_order_cancelled(event.data);
    Fact fact = order_fact(cancelled, order_status::cancelled);
    fact.cancel_reason = cancelled.reason;
    fact.total = cancelled.total;
    return fact;
  }
  if (type == order::OrderInDelivery::type) {
    return order_fact(order::decode_order_in_delivery(event.data), order_status::in_delivery);
  }
  if (type == order::OrderDelivered::type) {
    return order_fact(order::decode_order_delivered(event.data), order_status::delivered);
  }
  if (type == payment::PaymentApproved::type) {
    auto approved = payment::decode_payment_approved(event.data);
    Fact fact = payment_fact(approved, payment_status::approved);
    fact.approved = approved.amount;
    return fact;
  }
  if (type == payment::PaymentDeclined::type) {
    return payment_fact(payment::decode_payment_declined(event.data), payment_status::declined);
  }
  if (type == payment::PaymentCancelled::type) {
    auto refunded = payment::decode_payment_cancelled(event.data);
    Fact fact = payment_fact(refunded, payment_status::cancelled);
    fact.refunded = refunded.amount;
    return fact;
  }
  if (type == delivery::DeliveryRequested::type) {
    return delivery_fact(delivery::decode_delivery_requested(event.data),
                         delivery_status::requested);
  }
  if (type == delivery::DeliveryStatusChanged::type) {
    auto changed = delivery::decode_delivery_status_changed(event.data);
    return delivery_fact(changed, changed.to);
  }
  if (type == delivery::DeliveryDelivered::type) {
    return delivery_fact(delivery::decode_delivery_delivered(event.data),
                         delivery_status::delivered);
  }
  if (type == delivery::DeliveryCancelled::type) {
    return delivery_fact(delivery::decode_delivery_cancelled(event.data),
                         delivery_status::cancelled);
  }
  return std::nullopt;
}

CatalogFact catalog_fact(const catalog::ProductSnapshot& product) {
  return CatalogFact{product.product_id, product.version, false,         product.sku,
                     product.name,       product.description, product.price, product.category};
}

LevelFact level_fact(const stock::LevelChange& level) {
  return LevelFact{level.product_id, level.on_hand, level.reserved, level.available,
                   level.sequence, std::nullopt};
}

std::vector<LevelFact> line_facts(const stock::OrderStockMovement& movement) {
  std::vector<LevelFact> facts;
  for (const auto& line : movement.lines) facts.push_back(level_fact(line));
  return facts;
}

// What an event says about products: catalog fields or stock levels.
struct ProductFacts {
  std::optional<CatalogFact> catalog;
  std::vector<LevelFact> levels;
};

ProductFacts product_facts_of(const EventEnvelope& event) {
  const std::string& type = event.type;
  ProductFacts facts;
  if (type == catalog::ProductCreated::type) {
    facts.catalog = catalog_fact(catalog::decode_product_created(event.data).product);
  } else if (type == catalog::ProductUpdated::type) {
    facts.catalog = catalog_fact(catalog::decode_product_updated(event.data).product);
  } else if (type == catalog::ProductDeleted::type) {
    auto deleted = catalog::decode_product_deleted(event.data);
    CatalogFact fact;
    fact.product_id = deleted.product_id;
    fact.version = deleted.version;
    fact.deleted = true;
    facts.catalog = fact;
  } else if (type == stock::StockRestocked::type) {
    facts.levels.push_back(level_fact(stock::decode_stock_restocked(event.data).level));
  } else if (type == stock::StockAdjusted::type) {
    facts.levels.push_back(level_fact(stock::decode_stock_adjusted(event.data).level));
  } else if (type == stock::StockLow::type) {
    auto low = stock::decode_stock_low(event.data);
    LevelFact fact = level_fact(low.level);
    fact.low_stock_threshold = low.low_stock_threshold;
    facts.levels.push_back(fact);
  } else if (type == stock::StockReserved::type) {
    facts.levels = line_facts(stock::decode_stock_reserved(event.data));
  } else if (type == stock::StockReleased::type) {
    facts.levels = line_facts(stock::decode_stock_released(event.data));
  } else if (type == stock::StockSold::type) {
    facts.levels = line_facts(stock::decode_stock_sold(event.data));
  } else if (type == stock::StockReturned::type) {
    facts.levels = line_facts(stock::decode_stock_returned(event.data));
  }
  return facts;
}

// What an event adds to the counters of its day (in the shop's time zone);
// nullopt for events the summary does not count.
std::optional<DayTotals> day_fact_of(const EventEnvelope& event, std::chrono::minutes offset) {
  DayTotals delta;
  delta.date = day_of(event.time, offset);
  if (event.type == order::OrderPlaced::type) {
    delta.orders_placed = 1;
    return delta;
  }
  if (event.type == payment::PaymentApproved::type) {
    auto approved = payment::decode_payment_approved(event.data);
    delta.revenue = approved.amount.amount;
    delta.currency = approved.amount.currency;
    return delta;
  }
  if (event.type == payment::PaymentCancelled::type) {
    auto refunded = payment::decode_payment_cancelled(event.data);
    delta.refunded = refunded.amount.amount;
    delta.currency = refunded.amount.currency;
    return delta;
  }
  return std::nullopt;
}

// Everything one event does to the read models, decoded up front.
struct Facts {
  std::optional<Fact> order;
  ProductFacts products;
  std::optional<DayTotals> day;
};

Facts facts_of(const EventEnvelope& event, std::chrono::minutes offset) {
  return Facts{fact_of(event), product_facts_of(event), day_fact_of(event, offset)};
}

void project(DashboardTransaction& tx, const EventEnvelope& event, const Facts& facts) {
  if (facts.order) {
    const Fact& fact = *facts.order;
    OrderRow row = tx.order_row(fact.order_id).value_or(OrderRow{});
    tx.put_order_row(apply(std::move(row), fact));
    tx.add_timeline_entry(
        TimelineRow{fact.order_id, event.id, event_name(event.type), event.time});
  }
  if (const auto& fact = facts.products.catalog) {
    tx.put_product_row(apply(tx.product_row(fact->product_id).value_or(ProductRow{}), *fact));
  }
  for (const auto& fact : facts.products.levels) {
    tx.put_product_row(apply(tx.product_row(fact.product_id).value_or(ProductRow{}), fact));
  }
  if (facts.day) tx.add_day_totals(*facts.day);
}

ProductView view_of(ProductRow row) {
  return ProductView{std::move(row.product_id), std::move(row.sku),
                     std::move(row.name),       std::move(row.description),
                     std::move(row.price),      std::move(row.category),
                     row.active,                row.version,
                     row.on_hand,               row.reserved,
                     row.available,             row.level_sequence};
}

class DashboardService final : public DashboardApi {
 public:
  explicit DashboardService(DashboardDependencies deps) : deps_(std::move(deps)) {}

  void on_event(const EventEnvelope& event) override { on_events({event}); }

  void on_events(const std::vector<EventEnvelope>& events) override {
    if (events.empty()) return;
    // Decoded before the transaction: malformed data fails without a write.
    std::vector<Facts> facts;
    facts.reserve(events.size());
    for (const auto& event : events) facts.push_back(facts_of(event, deps_.utc_offset));
    std::vector<Timestamp> projected;
    deps_.store.write([&](DashboardTransaction& tx) {
      projected.clear();  // a retried transaction starts over
      for (std::size_t i = 0; i < events.size(); ++i) {
        if (!tx.store_event(events[i])) continue;
        project(tx, events[i], facts[i]);
        projected.push_back(events[i].time);
      }
    });
    Timestamp now = deps_.clock.now();
    for (Timestamp time : projected) lag_.record(now - time);
  }

  LagStats projection_lag() const override { return lag_.stats(); }

  OrderView order(const std::string& order_id) override {
    auto row = deps_.store.order_row(order_id);
    if (!row) {
      throw Failure(FailureKind::not_found, "order_not_found", "no order with id " + order_id);
    }
    OrderView view;
    view.order_id = row->order_id;
    view.customer_id = row->customer_id;
    view.status = row->status;
    view.cancel_reason = row->cancel_reason;
    view.payment_status = row->payment_status;
    view.delivery_status = row->delivery_status;
    view.total = row->total;
    for (auto& step : deps_.store.timeline(order_id)) {
      view.timeline.push_back(TimelineEntry{std::move(step.event), step.at,
                                            std::move(step.event_id)});
    }
    return view;
  }

  CustomerSummary customer(const std::string& customer_id) override {
    CustomerTotals totals = deps_.store.customer_totals(customer_id);
    const std::string& currency = totals.currency.empty() ? deps_.currency : totals.currency;
    CustomerSummary summary;
    summary.customer_id = customer_id;
    summary.orders_placed = totals.orders_placed;
    summary.orders_active = totals.orders_active;
    summary.orders_delivered = totals.orders_delivered;
    summary.orders_cancelled = totals.orders_cancelled;
    summary.amount_spent = Money{totals.amount_spent, currency};
    summary.amount_refunded = Money{totals.amount_refunded, currency};
    return summary;
  }

  ProductPage products(const ProductQuery& query) override {
    if (query.limit < 1 || query.limit > max_page_size) {
      throw invalid_field("limit",
                          "must be an integer between 1 and " + std::to_string(max_page_size));
    }
    // One more than asked: whether a next page exists, without an empty last page.
    auto rows = deps_.store.active_products(query.category, query.cursor, query.limit + 1);
    ProductPage page;
    bool more = rows.size() > query.limit;
    if (more) rows.resize(query.limit);
    for (auto& row : rows) page.items.push_back(view_of(std::move(row)));
    if (more) page.next_cursor = page.items.back().id;
    return page;
  }

  ShopSummary summary() override {
    ShopSummary summary;
    summary.date = day_of(deps_.clock.now(), deps_.utc_offset);
    DayTotals today = deps_.store.day_totals(summary.date);
    const std::string& currency = today.currency.empty() ? deps_.currency : today.currency;
    summary.orders_today = today.orders_placed;
    summary.revenue_today = Money{today.revenue, currency};
    summary.refunded_today = Money{today.refunded, currency};
    for (const char* status : delivery_status::all) summary.deliveries_by_status[status] = 0;
    for (const auto& [status, count] : deps_.store.deliveries_by_status()) {
      summary.deliveries_by_status[status] = count;
    }
    for (const auto& row : deps_.store.low_stock(deps_.low_stock_threshold, max_page_size)) {
      summary.low_stock.push_back(LowStockProduct{
          row.product_id, row.name, row.available, threshold_of(row, deps_.low_stock_threshold)});
    }
    return summary;
  }

  // One transaction: live events wait meanwhile, so none is applied to a
  // half-rebuilt model and then replayed before its predecessors.
  std::int64_t head_position() override { return deps_.store.event_count(); }

  StreamBatch stream(std::int64_t after_position, const StreamViewer& viewer,
                     std::size_t limit) override {
    return read_stream(deps_.store, after_position, viewer, limit);
  }

  std::int64_t replay(
      const std::function<void(std::int64_t, std::int64_t)>& progress) override {
    std::int64_t done = 0;
    deps_.store.write([&](DashboardTransaction& tx) {
      done = 0;
      tx.clear_read_models();
      const std::int64_t total = tx.event_count();
      if (progress) progress(0, total);
      std::int64_t after = 0;
      while (true) {
        auto batch = tx.stored_events(after, replay_batch);
        if (batch.empty()) break;
        for (const auto& stored : batch) {
          project(tx, stored.event, facts_of(stored.event, deps_.utc_offset));
          after = stored.position;
          ++done;
        }
        if (progress) progress(done, total);
      }
    });
    return done;
  }

 private:
  DashboardDependencies deps_;
  ProjectionLag lag_;
};

}  // namespace

std::unique_ptr<DashboardApi> make_dashboard_service(DashboardDependencies dependencies) {
  return std::make_unique<DashboardService>(std::move(dependencies));
}

}  // namespace shop::dashboard
