#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace shop::testing {

// What one request to the receiver carried.
struct ReceivedRequest {
  std::string method;
  std::string target;
  std::string content_type;
  std::string signature;  // Shopbox-Signature
  std::string event_id;   // Shopbox-Event-Id
  std::string body;
};

// How the receiver answers one request.
struct ReceiverAnswer {
  unsigned status = 200;
  std::chrono::milliseconds delay{0};  // before answering
};

// A webhook subscriber's server on a real socket (127.0.0.1, a free port),
// served by Boost.Beast on its own thread: it records every request and
// answers with the scripted answers in order, then 200.
class WebhookReceiver {
 public:
  WebhookReceiver();
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::string url(const std::string& path = "") const;  // http://127.0.0.1:<port><path>
  void answer(std::vector<ReceiverAnswer> answers);
  std::vector<ReceivedRequest> received() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace shop::testing
