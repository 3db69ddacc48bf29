#include "adapters/http/webhook/http_webhook_sender.hpp"

#include <stdexcept>

#include "adapters/http/webhook/webhook_signature.hpp"
#include "application/shared/event_json.hpp"
#include "domain/shared/text.hpp"

namespace shop::http {

namespace {

using webhook::SendOutcome;
using webhook::SendResult;

// Enough of a refusal's body for staff to see why, in a log line or a
// dead letter, without storing a whole error page.
constexpr std::size_t reason_excerpt = 200;

SendOutcome outcome_of(const OutboundExchange& exchange, std::chrono::milliseconds timeout) {
  if (exchange.timed_out) {
    return {SendResult::retryable, "no answer within " + std::to_string(timeout.count()) + " ms"};
  }
  if (exchange.failed) return {SendResult::retryable, "transport error: " + exchange.error};
  std::string reason = "HTTP " + std::to_string(exchange.status);
  if (exchange.status >= 200 && exchange.status < 300) return {SendResult::delivered, reason};
  if (!exchange.body.empty()) {
    reason += ": " + to_valid_utf8(std::string_view(exchange.body).substr(0, reason_excerpt));
  }
  bool retryable = exchange.status >= 500 || exchange.status == 408 || exchange.status == 429;
  return {retryable ? SendResult::retryable : SendResult::rejected, reason};
}

}  // namespace

HttpWebhookSender::HttpWebhookSender(const std::vector<webhook::Subscriber>& subscribers,
                                     std::chrono::milliseconds timeout, const Clock& clock)
    : timeout_(timeout), clock_(clock) {
  for (const auto& subscriber : subscribers) {
    auto url = parse_outbound_url(subscriber.url, "webhook subscriber URL");
    // The parser drops a trailing '/', which some receivers insist on.
    std::string path = url.base_path.empty() || subscriber.url.ends_with('/') ? "/" : "";
    targets_.insert_or_assign(subscriber.url,
                              Target{std::make_unique<HttpClient>(std::move(url), timeout), path});
  }
}

SendOutcome HttpWebhookSender::send(const webhook::Subscriber& subscriber,
                                    const EventEnvelope& event) {
  auto target = targets_.find(subscriber.url);
  if (target == targets_.end()) {
    throw std::logic_error("no webhook client was built for " + subscriber.url);
  }
  // An event from a broker could carry anything; a line break would forge headers.
  if (has_control_char(event.id)) return {SendResult::rejected, "the event id has control characters"};
  auto unix_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  OutboundRequest request;
  request.path = target->second.path;
  request.body = encode_envelope_json(event);
  request.headers = {{"Content-Type", "application/cloudevents+json"},
                     {"Shopbox-Signature",
                      webhook_signature(subscriber.secret, unix_seconds, request.body)},
                     {"Shopbox-Event-Id", event.id}};
  return outcome_of(target->second.client->send(request), timeout_);
}

}  // namespace shop::http
