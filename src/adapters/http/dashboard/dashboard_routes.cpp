#include "adapters/http/dashboard/dashboard_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <map>
#include <mutex>
#include <memory>

#include "adapters/http/responses.hpp"
#include "domain/shared/failure.hpp"

namespace shop::http {

namespace {

boost::json::value status_or_null(const std::string& status) {
  if (status.empty()) return nullptr;
  return boost::json::value(status);
}

boost::json::object order_view_json(const dashboard::OrderView& view) {
  boost::json::array timeline;
  for (const auto& entry : view.timeline) {
    timeline.push_back(boost::json::object{
        {"event", entry.event}, {"at", time_json(entry.at)}, {"event_id", entry.event_id}});
  }
  return {{"order_id", view.order_id},
          {"customer_id", view.customer_id},
          {"status", status_or_null(view.status)},
          {"cancel_reason", status_or_null(view.cancel_reason)},
          {"payment_status", status_or_null(view.payment_status)},
          {"delivery_status", status_or_null(view.delivery_status)},
          {"total", money_json(view.total)},
          {"timeline", std::move(timeline)}};
}

boost::json::object customer_json(const dashboard::CustomerSummary& summary) {
  return {{"customer_id", summary.customer_id},
          {"orders_placed", summary.orders_placed},
          {"orders_active", summary.orders_active},
          {"orders_delivered", summary.orders_delivered},
          {"orders_cancelled", summary.orders_cancelled},
          {"amount_spent", money_json(summary.amount_spent)},
          {"amount_refunded", money_json(summary.amount_refunded)}};
}

// One SSE frame per event: the stored position is its id, so that a client
// reconnecting with Last-Event-ID resumes right after it.
std::string sse_frame(const dashboard::StoredEvent& stored) {
  const auto& event = stored.event;
  boost::system::error_code ignored;
  boost::json::value data = boost::json::parse(event.data, ignored);
  boost::json::object envelope{{"id", event.id},
                               {"type", event.type},
                               {"source", event.source},
                               {"subject", event.subject},
                               {"time", time_json(event.time)},
                               {"data", ignored ? boost::json::value(event.data) : data}};
  return "id: " + std::to_string(stored.position) + "\nevent: " + event.type +
         "\ndata: " + boost::json::serialize(envelope) + "\n\n";
}

// Where a stream starts: right after the event named by Last-Event-ID (or
// ?last_event_id=, where a browser cannot set headers; 0 replays the whole
// log), else with the next event to happen.
std::int64_t resume_position(const Request& request, dashboard::DashboardApi& dashboard) {
  std::string text(request.header("last-event-id").value_or(""));
  if (text.empty()) text = query_or(request, "last_event_id", "");
  if (text.empty()) return dashboard.head_position();
  std::int64_t position = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), position);
  if (error != std::errc() || end != text.data() + text.size() || position < 0) {
    throw invalid_field("Last-Event-ID", "must be the id of an event this stream sent");
  }
  return position;
}

// Open streams per viewer and in all, so that streams (which last) cannot
// take every connection the server accepts.
class StreamSlots {
 public:
  static constexpr int per_viewer = 4;
  static constexpr int in_all = 256;

  // Held by a stream for as long as it is open.
  class Slot {
   public:
    Slot(StreamSlots& slots, std::string viewer) : slots_(slots), viewer_(std::move(viewer)) {}
    ~Slot() { slots_.give_back(viewer_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    StreamSlots& slots_;
    std::string viewer_;
  };

  // A slot for `viewer`, or nullptr when none is free.
  std::shared_ptr<Slot> take(const std::string& viewer) {
    std::lock_guard lock(mutex_);
    if (total_ >= in_all || open_[viewer] >= per_viewer) return nullptr;
    ++total_;
    ++open_[viewer];
    return std::make_shared<Slot>(*this, viewer);
  }

 private:
  void give_back(const std::string& viewer) {
    std::lock_guard lock(mutex_);
    --total_;
    if (--open_[viewer] == 0) open_.erase(viewer);
  }

  std::mutex mutex_;
  std::map<std::string, int> open_;
  int total_ = 0;
};

// Reads on until something visible turns up or the head is reached, so
// that a customer far behind catches up without pausing between batches.
std::string next_frames(dashboard::DashboardApi& dashboard, const dashboard::StreamViewer& viewer,
                        std::int64_t& position) {
  constexpr std::size_t batch_size = 200;
  constexpr int batches_per_call = 20;
  std::string chunk;
  for (int i = 0; i < batches_per_call && chunk.empty(); ++i) {
    auto batch = dashboard.stream(position, viewer, batch_size);
    bool at_head = batch.last_position == position;
    position = batch.last_position;
    for (const auto& stored : batch.events) chunk += sse_frame(stored);
    if (at_head) break;
  }
  return chunk;
}

Response event_stream(dashboard::DashboardApi& dashboard, StreamSlots& slots,
                      const RouteContext& context) {
  dashboard::StreamViewer viewer{context.principal->is_staff(), context.principal->user_id};
  auto position = std::make_shared<std::int64_t>(resume_position(context.request, dashboard));
  auto slot = slots.take(viewer.customer_id);
  if (!slot) {
    throw Failure::retry_later(FailureKind::rate_limited, "too_many_streams",
                               "too many open streams; close one or retry later", 5);
  }
  Response response{200, "text/event-stream", {}, "", std::make_shared<StreamingBody>()};
  response.stream->next = [&dashboard, viewer, position,
                           slot = std::move(slot)]() -> std::optional<std::string> {
    try {
      return next_frames(dashboard, viewer, *position);
    } catch (const std::exception&) {
      return std::nullopt;  // ends the stream; the client resumes with Last-Event-ID
    }
  };
  return response;
}

boost::json::object storefront_product_json(const dashboard::ProductView& product) {
  return {{"id", product.id},
          {"sku", product.sku},
          {"name", product.name},
          {"description", product.description},
          {"price", money_json(product.price)},
          {"category", product.category},
          {"on_hand", product.on_hand},
          {"reserved", product.reserved},
          {"available", product.available}};
}

boost::json::object product_page_json(const dashboard::ProductPage& page) {
  boost::json::array items;
  for (const auto& product : page.items) items.push_back(storefront_product_json(product));
  boost::json::value next = nullptr;
  if (page.next_cursor) next = boost::json::value(*page.next_cursor);
  return {{"items", std::move(items)}, {"next_cursor", std::move(next)}};
}

boost::json::object shop_summary_json(const dashboard::ShopSummary& summary) {
  boost::json::object deliveries;
  for (const auto& [status, count] : summary.deliveries_by_status) deliveries[status] = count;
  boost::json::array low_stock;
  for (const auto& product : summary.low_stock) {
    low_stock.push_back(boost::json::object{{"product_id", product.product_id},
                                            {"name", product.name},
                                            {"available", product.available},
                                            {"low_stock_threshold", product.low_stock_threshold}});
  }
  return {{"date", summary.date},
          {"orders_today", summary.orders_today},
          {"revenue_today", money_json(summary.revenue_today)},
          {"refunded_today", money_json(summary.refunded_today)},
          {"deliveries_by_status", std::move(deliveries)},
          {"low_stock", std::move(low_stock)}};
}

boost::json::object projection_lag_json(const dashboard::LagStats& lag) {
  return {{"events", lag.events},
          {"p50_ms", lag.p50.count()},
          {"p99_ms", lag.p99.count()},
          {"max_ms", lag.max.count()}};
}

}  // namespace

void add_dashboard_routes(Router& router, dashboard::DashboardApi& dashboard) {
  router.add({"GET", "/api/v1/dashboard/orders/{id}", Access::signed_in,
              [&dashboard](RouteContext& context) {
                auto view = dashboard.order(context.param("id"));
                // Another customer's order is a 404, as on the order itself.
                if (!context.principal->is_staff() &&
                    view.customer_id != context.principal->user_id) {
                  throw Failure(FailureKind::not_found, "order_not_found",
                                "no order with id " + view.order_id);
                }
                return json_response(200, order_view_json(view));
              }});
  auto slots = std::make_shared<StreamSlots>();
  router.add({"GET", "/api/v1/dashboard/stream", Access::signed_in,
              [&dashboard, slots](RouteContext& context) {
                return event_stream(dashboard, *slots, context);
              }});
  router.add({"GET", "/api/v1/dashboard/customers/{id}", Access::signed_in,
              [&dashboard](RouteContext& context) {
                require_self_or_staff(context, context.param("id"));
                return json_response(200, customer_json(dashboard.customer(context.param("id"))));
              }});
  // The storefront: active products with their live availability.
  router.add({"GET", "/api/v1/dashboard/products", Access::anyone,
              [&dashboard](RouteContext& context) {
                const Request& request = context.request;
                auto page = dashboard.products({query_or(request, "category"),
                                                query_or(request, "cursor"), page_limit(request)});
                return json_response(200, product_page_json(page));
              }});
  router.add({"GET", "/api/v1/dashboard/summary", Access::staff,
              [&dashboard](RouteContext&) {
                return json_response(200, shop_summary_json(dashboard.summary()));
              }});
  router.add({"GET", "/api/v1/dashboard/projection-lag", Access::staff,
              [&dashboard](RouteContext&) {
                return json_response(200, projection_lag_json(dashboard.projection_lag()));
              }});
}

}  // namespace shop::http
