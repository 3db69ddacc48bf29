#include "adapters/http/parked_events_route.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <optional>

#include "adapters/http/responses.hpp"
#include "domain/shared/failure.hpp"

namespace shop::http {

namespace {

boost::json::object event_json(const EventEnvelope& event) {
  boost::system::error_code ignored;
  boost::json::value data = boost::json::parse(event.data, ignored);
  return boost::json::object{{"id", event.id},
                             {"type", event.type},
                             {"source", event.source},
                             {"subject", event.subject},
                             {"time", time_json(event.time)},
                             {"data", ignored ? boost::json::value(event.data) : data}};
}

}  // namespace

void add_parked_events_route(Router& router,
                             std::vector<std::pair<std::string, Outbox*>> outboxes) {
  router.add({"GET", "/api/v1/events/parked", Access::staff,
              [outboxes = std::move(outboxes)](RouteContext& context) {
                std::size_t limit = page_limit(context.request);
                boost::json::array items;
                for (const auto& [module, outbox] : outboxes) {
                  for (const auto& parked : outbox->parked(limit)) {
                    items.push_back(boost::json::object{{"module", module},
                                                        {"sequence", parked.record.sequence},
                                                        {"event", event_json(parked.record.event)},
                                                        {"error", parked.error},
                                                        {"parked_at", time_json(parked.parked_at)}});
                  }
                }
                return json_response(200, boost::json::object{{"items", std::move(items)}});
              }});
}

void add_dead_letters_route(Router& router, DeadLetters* dead_letters, Redelivery redeliver) {
  router.add({"GET", "/api/v1/events/dead-letters", Access::staff,
              [dead_letters](RouteContext& context) {
                std::size_t limit = page_limit(context.request);
                boost::json::array items;
                if (dead_letters) {
                  for (const auto& letter : dead_letters->list(limit)) {
                    items.push_back(boost::json::object{{"sequence", letter.sequence},
                                                        {"consumer", letter.consumer},
                                                        {"event", event_json(letter.event)},
                                                        {"error", letter.error},
                                                        {"parked_at", time_json(letter.parked_at)}});
                  }
                }
                return json_response(200, boost::json::object{{"items", std::move(items)}});
              }});
  router.add({"POST", "/api/v1/events/dead-letters/{sequence}/redeliver", Access::staff,
              [dead_letters, redeliver](RouteContext& context) {
                const std::string& text = context.param("sequence");
                std::int64_t sequence = 0;
                auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), sequence);
                std::optional<DeadLetter> letter;
                if (dead_letters && error == std::errc() && end == text.data() + text.size()) {
                  letter = dead_letters->find(sequence);
                }
                if (!letter || !redeliver) {
                  throw Failure(FailureKind::not_found, "dead_letter_not_found",
                                "no dead letter " + text);
                }
                bool taken = false;
                try {
                  taken = redeliver(*letter);
                } catch (const Failure&) {
                  throw;
                } catch (const std::exception& failed) {
                  throw Failure(FailureKind::conflict, "redelivery_failed",
                                std::string("the consumer failed again: ") + failed.what());
                }
                if (!taken) {
                  throw Failure(FailureKind::conflict, "consumer_absent",
                                "no consumer " + letter->consumer + " here takes this event");
                }
                dead_letters->discard(letter->sequence);
                return json_response(200, boost::json::object{{"sequence", letter->sequence},
                                                              {"consumer", letter->consumer},
                                                              {"event_id", letter->event.id},
                                                              {"redelivered", true}});
              }});
}

}  // namespace shop::http
