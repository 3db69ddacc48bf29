#include "domain/dashboard/projection.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace shop::dashboard {

namespace {

void add(Money& sum, const Money& amount) {
  sum.amount += amount.amount;
  if (sum.currency.empty()) sum.currency = amount.currency;
}

}  // namespace

bool is_active(std::string_view order_status) {
  return std::ranges::any_of(active_statuses,
                             [&](const char* active) { return order_status == active; });
}

OrderRow apply(OrderRow row, const Fact& fact) {
  row.order_id = fact.order_id;
  if (row.customer_id.empty()) row.customer_id = fact.customer_id;
  if (fact.order_status) row.status = *fact.order_status;
  if (fact.cancel_reason) row.cancel_reason = *fact.cancel_reason;
  if (fact.total) row.total = *fact.total;
  if (fact.payment_status) row.payment_status = *fact.payment_status;
  if (fact.approved) add(row.spent, *fact.approved);
  if (fact.refunded) add(row.refunded, *fact.refunded);
  if (fact.delivery_status) row.delivery_status = *fact.delivery_status;
  return row;
}

std::string event_name(std::string_view type) {
  constexpr std::string_view prefix = "shop.";
  if (!type.starts_with(prefix)) return std::string(type);
  std::string_view name = type.substr(prefix.size());
  auto dot = name.rfind('.');
  if (dot != std::string_view::npos && dot + 1 < name.size() && name[dot + 1] == 'v') {
    name = name.substr(0, dot);
  }
  return std::string(name);
}

bool timeline_before(const TimelineRow& a, const TimelineRow& b) {
  return std::tie(a.at, a.event_id) < std::tie(b.at, b.event_id);
}

void sort_timeline(std::vector<TimelineRow>& rows) { std::ranges::sort(rows, timeline_before); }

CustomerTotals summarize(const std::vector<OrderRow>& rows) {
  CustomerTotals totals;
  for (const auto& row : rows) {
    if (!row.status.empty()) ++totals.orders_placed;
    if (is_active(row.status)) ++totals.orders_active;
    if (row.status == order_status::delivered) ++totals.orders_delivered;
    if (row.status == order_status::cancelled) ++totals.orders_cancelled;
    totals.amount_spent += row.spent.amount;
    totals.amount_refunded += row.refunded.amount;
    // The greatest currency, as SQL's MAX would pick: independent of row order.
    totals.currency = std::max(totals.currency, row.spent.currency);
  }
  return totals;
}

ProductRow apply(ProductRow row, const CatalogFact& fact) {
  row.product_id = fact.product_id;
  bool newer = fact.version > row.version || (fact.version == row.version && fact.deleted);
  if (!newer) return row;
  row.version = fact.version;
  if (fact.deleted) {
    row.active = false;  // the fields stay as they were: orders keep their snapshots anyway
    return row;
  }
  row.active = true;
  row.sku = fact.sku;
  row.name = fact.name;
  row.description = fact.description;
  row.price = fact.price;
  row.category = fact.category;
  return row;
}

ProductRow apply(ProductRow row, const LevelFact& fact) {
  row.product_id = fact.product_id;
  if (fact.sequence >= row.level_sequence) {
    row.on_hand = fact.on_hand;
    row.reserved = fact.reserved;
    row.available = fact.available;
    row.level_sequence = fact.sequence;
  }
  if (fact.low_stock_threshold && fact.sequence >= row.threshold_sequence) {
    row.low_stock_threshold = fact.low_stock_threshold;
    row.threshold_sequence = fact.sequence;
  }
  return row;
}

std::int64_t threshold_of(const ProductRow& row, std::int64_t default_threshold) {
  return row.low_stock_threshold.value_or(default_threshold);
}

bool is_low(const ProductRow& row, std::int64_t default_threshold) {
  return row.active && row.available <= threshold_of(row, default_threshold);
}

DayTotals add(DayTotals totals, const DayTotals& delta) {
  totals.date = delta.date;
  totals.orders_placed += delta.orders_placed;
  totals.revenue += delta.revenue;
  totals.refunded += delta.refunded;
  totals.currency = std::max(totals.currency, delta.currency);
  return totals;
}

std::string day_of(Timestamp time, std::chrono::minutes utc_offset) {
  auto local = time + utc_offset;
  std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(local)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()),
                unsigned(date.day()));
  return text;
}

}  // namespace shop::dashboard
