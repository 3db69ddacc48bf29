#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/http/client/http_client.hpp"
#include "application/shared/clock.hpp"
#include "application/webhook/ports.hpp"

namespace shop::http {

// POSTs each event to its subscriber as a CloudEvents 1.0 JSON document
// (structured mode, Content-Type: application/cloudevents+json) with
//   Shopbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//   Shopbox-Event-Id: <the event id, the same on every attempt: de-duplicate by it>
// A 2xx answer is delivered; no answer within the timeout, a transport
// failure, 5xx, 408 or 429 is retryable; any other answer (redirects are
// not followed) is the subscriber's refusal. Thread-safe.
class HttpWebhookSender final : public webhook::WebhookSender {
 public:
  // A client per subscriber, built now: std::invalid_argument naming the
  // URL when one is not plain http(s), or for a timeout below 1 ms.
  HttpWebhookSender(const std::vector<webhook::Subscriber>& subscribers,
                    std::chrono::milliseconds timeout, const Clock& clock);

  webhook::SendOutcome send(const webhook::Subscriber& subscriber,
                            const EventEnvelope& event) override;

 private:
  struct Target {
    std::unique_ptr<HttpClient> client;
    std::string path;  // "/" when the URL has no path or ends with one
  };

  std::chrono::milliseconds timeout_;
  const Clock& clock_;
  std::map<std::string, Target> targets_;  // by subscriber URL
};

}  // namespace shop::http
