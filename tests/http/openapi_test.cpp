#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "http/http_fixture.hpp"
#include "support/openapi_schema.hpp"

using shop::testing::HttpClient;
using shop::testing::HttpFixture;
using shop::testing::HttpReply;
namespace openapi = shop::testing::openapi;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string lower(std::string text) {
  for (auto& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string upper(std::string text) {
  for (auto& c : text) c = char(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "get /api/v1/orders" for every documented operation.
std::set<std::string> documented_operations(const boost::json::value& document) {
  std::set<std::string> documented;
  for (const auto& [path, operations] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : operations.as_object()) {
      if (method == "parameters") continue;
      documented.insert(lower(std::string(method)) + " " + std::string(path));
    }
  }
  return documented;
}

std::set<std::string> routed_operations(const HttpFixture& app) {
  std::set<std::string> served;
  for (const auto& route : app.router.routes()) served.insert(lower(route.method) + " " + route.pattern);
  return served;
}

boost::json::value served_document(HttpFixture& app) {
  auto reply = app.client().get("/openapi.json");
  REQUIRE(reply.status == 200);
  return reply.json();
}

}  // namespace

TEST_CASE("openapi.json describes exactly the routes the router serves") {
  HttpFixture app;
  auto document = served_document(app);
  CHECK(std::string_view(document.at("openapi").as_string()).starts_with("3.1"));

  auto documented = documented_operations(document);
  auto served = routed_operations(app);
  for (const auto& route : served) {
    INFO(route);
    CHECK(documented.contains(route));
  }
  for (const auto& route : documented) {
    INFO(route);
    CHECK(served.contains(route));
  }
}

TEST_CASE("openapi.json uses only schema keywords the response validator understands") {
  HttpFixture app;
  auto document = served_document(app);
  auto unsupported = openapi::unsupported_in_document(document);
  for (const auto& line : unsupported) FAIL_CHECK(line);
  CHECK(unsupported.empty());
}

// ---------------------------------------------------------------------------
// SPEC section 3, row by row.

namespace {

struct SpecRow {
  std::string method;
  std::string path;  // with the /api/v1 prefix, without a query
  std::string cell;  // the table cell it came from
};

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto end = text.find(separator, start);
    parts.push_back(trim(text.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// The method-and-path cells of the table in "## 3." of SPEC.md, expanded:
// "GET /users/me, GET /users/{id}" is two rows; "/payments?order_id=" is
// "/api/v1/payments".
std::vector<SpecRow> spec_section_3_rows(std::istream& in, const std::string& file) {
  std::vector<SpecRow> rows;
  std::string line;
  bool in_section = false;
  bool in_table = false;
  bool header_seen = false;
  while (std::getline(in, line)) {
    if (line.starts_with("## ")) {
      if (in_section) break;
      in_section = line.starts_with("## 3.");
      continue;
    }
    if (!in_section) continue;
    bool table_line = trim(line).starts_with("|");
    if (!table_line) {
      if (in_table) break;  // the first table of the section is the API table
      continue;
    }
    in_table = true;
    auto cells = split(trim(line), '|');
    // "| a | b | c |" splits into "", "a", "b", "c", "".
    if (cells.size() < 3) continue;
    const std::string& first = cells[1];
    if (!header_seen) {
      header_seen = true;  // "method and path | who | what"
      continue;
    }
    if (first.find_first_not_of("-: ") == std::string::npos) continue;  // |---|
    for (const auto& entry : split(first, ',')) {
      auto space = entry.find(' ');
      REQUIRE_MESSAGE(space != std::string::npos, "SPEC row without a method: " << entry);
      std::string method = trim(entry.substr(0, space));
      std::string path = trim(entry.substr(space + 1));
      path = path.substr(0, path.find('?'));
      REQUIRE_MESSAGE(path.starts_with("/"), "SPEC row without a path: " << entry);
      rows.push_back({upper(method), "/api/v1" + path, first});
    }
  }
  REQUIRE_MESSAGE(!rows.empty(), "no table found in section 3 of " << file);
  return rows;
}

std::vector<SpecRow> spec_section_3_rows(const std::string& file) {
  std::ifstream in(file);
  REQUIRE_MESSAGE(in.good(), "cannot read " << file);
  return spec_section_3_rows(in, file);
}

// The committed copy of SPEC section 3, which CI has in every checkout.
const std::string spec_copy = std::string(SHOPBOX_SOURCE_DIR) + "/docs/spec/http-api.md";
const std::string shared_spec = std::string(SHOPBOX_SOURCE_DIR) + "/../shared/SPEC.md";

// The text of section 3: from its heading to the next section's.
std::string section_3_text(const std::string& file) {
  std::ifstream in(file);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto start = all.find("## 3. HTTP API");
  if (start == std::string::npos) return {};
  auto end = all.find("\n## ", start + 1);
  std::string text = all.substr(start, end == std::string::npos ? std::string::npos : end - start);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Operations whose reply never ends (a Server-Sent Events stream), so the
// capture below cannot wait for it: tests/scenarios/dashboard_stream_test.cpp
// drives them over a real socket instead.
const std::set<std::string> streamed = {"get /api/v1/dashboard/stream"};

}  // namespace

TEST_CASE("the SPEC section 3 table expands into one row per method and path") {
  std::istringstream spec(R"(## 2. Domain
| GET /not/this | x | y |

## 3. HTTP API (JSON, prefix `/api/v1`)

| method and path | who | what |
|---|---|---|
| POST /users | anyone | register |
| GET /users/me, GET /users/{id} | self, staff | a user |
| GET /payments?order_id= | owner | payments |
|  POST /products ,PUT /products/{id}, DELETE /products/{id} | staff | manage |

| GET /a/later/table | x | y |

## 4. Running
| GET /not/this/either | x | y |
)");
  auto rows = spec_section_3_rows(spec, "a test SPEC");
  std::vector<std::string> names;
  for (const auto& row : rows) names.push_back(row.method + " " + row.path);
  CHECK(names == std::vector<std::string>{"POST /api/v1/users", "GET /api/v1/users/me",
                                          "GET /api/v1/users/{id}", "GET /api/v1/payments",
                                          "POST /api/v1/products", "PUT /api/v1/products/{id}",
                                          "DELETE /api/v1/products/{id}"});
}

TEST_CASE("the committed copy of SPEC section 3 is the shared SPEC's") {
  std::string copy = section_3_text(spec_copy);
  REQUIRE_FALSE(copy.empty());
  if (!std::ifstream(shared_spec).good()) {
    MESSAGE("no shared SPEC beside this checkout; the committed copy stands in for it");
    return;
  }
  CHECK_MESSAGE(section_3_text(shared_spec) == copy,
                "SPEC section 3 changed: copy it again into docs/spec/http-api.md");
}

TEST_CASE("every row of SPEC section 3 built so far is documented and routed") {
  auto rows = spec_section_3_rows(spec_copy);
  HttpFixture app;
  auto documented = documented_operations(served_document(app));
  auto served = routed_operations(app);

  std::set<std::string> in_spec;
  for (const auto& row : rows) {
    std::string name = row.method + " " + row.path;
    std::string key = lower(row.method) + " " + row.path;
    in_spec.insert(name);
    INFO("SPEC section 3 row \"" << row.cell << "\" -> " << name);
    CHECK_MESSAGE(documented.contains(key), "missing from openapi.json");
    CHECK_MESSAGE(served.contains(key), "missing from the router");
  }
  // Sanity: the parser saw the rows it must see.
  CHECK(in_spec.contains("GET /api/v1/users/me"));
  CHECK(in_spec.contains("GET /api/v1/users/{id}"));
  CHECK(in_spec.contains("DELETE /api/v1/products/{id}"));
  CHECK(in_spec.contains("GET /api/v1/payments"));
  CHECK(in_spec.contains("POST /api/v1/deliveries/{id}/status"));
}

// ---------------------------------------------------------------------------
// Every response the API gives, checked against what the document says.

namespace {

struct Capture {
  int expected = 0;
  std::string method;
  std::string target;
  std::string path_template;  // as documented; "" when no documented path matches
  HttpReply reply;

  std::string label() const {
    return method + " " + target + " -> " + std::to_string(reply.status) + " (expected " +
           std::to_string(expected) + ")";
  }
};

// Sends requests over one connection and keeps every reply, so that each
// can be checked against the document afterwards; a new case is one call.
class Recorder {
 public:
  Recorder(unsigned short port, const boost::json::value& document)
      : port_(port), client_(std::make_unique<HttpClient>(port)), document_(document) {}

  HttpReply call(int expected, const std::string& method, const std::string& target,
                 const std::string& token = "", const std::string& body = "",
                 Headers headers = {}) {
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    Capture capture;
    capture.expected = expected;
    capture.method = method;
    capture.target = target;
    capture.path_template =
        openapi::match_path_template(document_, target.substr(0, target.find('?')));
    capture.reply = client_->request(method, target, body, std::move(headers));
    INFO(method << " " << target << ": " << capture.reply.body);
    CHECK(capture.reply.status == expected);
    captures_.push_back(std::move(capture));
    return captures_.back().reply;
  }

  // Bytes sent as they are, for requests no well-behaved client makes.
  HttpReply raw(int expected, const std::string& method, const std::string& target,
                const std::string& bytes) {
    Capture capture;
    capture.expected = expected;
    capture.method = method;
    capture.target = target;
    capture.path_template =
        openapi::match_path_template(document_, target.substr(0, target.find('?')));
    capture.reply = client_->raw(bytes);
    INFO(method << " " << target << ": " << capture.reply.body);
    CHECK(capture.reply.status == expected);
    captures_.push_back(std::move(capture));
    return captures_.back().reply;
  }

  // A new connection, for after a reply that closes the current one.
  void reconnect() { client_ = std::make_unique<HttpClient>(port_); }

  const std::vector<Capture>& captures() const { return captures_; }

 private:
  unsigned short port_;
  std::unique_ptr<HttpClient> client_;
  const boost::json::value& document_;
  std::vector<Capture> captures_;
};

// What is wrong with one reply, as the document describes its operation.
std::vector<std::string> mismatches(const boost::json::value& document, const Capture& capture) {
  if (capture.path_template.empty()) return {"the path is not documented"};
  auto lookup = openapi::response_schema(document, capture.method, capture.path_template,
                                         capture.reply.status, capture.reply.content_type);
  using Outcome = openapi::ResponseLookup::Outcome;
  std::string operation = upper(capture.method) + " " + capture.path_template;
  switch (lookup.outcome) {
    case Outcome::undocumented_operation: return {operation + " is not documented"};
    case Outcome::undocumented_status:
      return {"status " + std::to_string(capture.reply.status) + " is not documented for " +
              operation};
    case Outcome::undocumented_content_type: {
      std::string listed;
      for (const auto& type : lookup.content_types) listed += (listed.empty() ? "" : ", ") + type;
      return {"content type \"" + capture.reply.content_type + "\" is not documented for " +
              operation + " " + std::to_string(capture.reply.status) + " (documented: " + listed +
              ")"};
    }
    case Outcome::no_content:
    case Outcome::found: break;
  }
  std::vector<std::string> problems;
  if (lookup.outcome == Outcome::no_content) {
    if (!capture.reply.body.empty()) problems.push_back("a body where " + lookup.location + " documents none");
  } else {
    boost::system::error_code error;
    auto body = boost::json::parse(capture.reply.body, error);
    if (error) {
      problems.push_back("the body is not JSON: " + error.message());
    } else {
      openapi::Validator validator(document);
      for (const auto& failure : validator.validate(*lookup.schema, body, lookup.schema_location)) {
        problems.push_back("body " + failure.describe());
      }
    }
  }
  for (const auto& header : lookup.headers) {
    auto value = capture.reply.headers.find(header.name);
    if (value == capture.reply.headers.end()) {
      if (header.required) {
        problems.push_back("header " + header.name + " is missing (" + lookup.location + "/headers)");
      }
      continue;
    }
    auto schema = header.header->find("schema");
    if (schema == header.header->end()) continue;
    openapi::Validator validator(document);
    auto instance = openapi::header_as_json(schema->value(), std::string(value->value()));
    for (const auto& failure : validator.validate(schema->value(), instance,
                                                  lookup.location + "/headers/" + header.name)) {
      problems.push_back("header " + header.name + " " + failure.describe());
    }
  }
  return problems;
}

std::string order_body(const std::string& product_id, int quantity, const std::string& token) {
  return R"({"items":[{"product_id":")" + product_id + R"(","quantity":)" + std::to_string(quantity) +
         R"(}],"delivery_address":{"name":"Kim","line1":"1 Tea Street","city":"Seoul",)"
         R"("postal_code":"04524","phone":"010-1234-5678"},"payment":{"method":"card","token":")" +
         token + R"("}})";
}

std::string product_body(const std::string& sku) {
  return R"({"sku":")" + sku +
         R"(","name":"Green tea","description":"Loose leaf","price":{"amount":4500,"currency":"KRW"},"category":"drinks"})";
}

std::string text(const HttpReply& reply, const char* key) {
  auto body = reply.json();
  if (!body.is_object() || !body.as_object().contains(key) || !body.at(key).is_string()) return "";
  return std::string(body.at(key).as_string());
}

// Relays the order module's unpublished events to delivery, payment and
// the dashboard, as the OutboxRelay does in the real process (HttpFixture
// runs none).
void relay_order_events(HttpFixture& app) {
  auto records = app.order_store.unpublished(100);
  for (const auto& record : records) {
    app.deliveries->on_order_events({record.event});
    app.payments->on_order_event(record.event);
    app.dashboard->on_event(record.event);
  }
  if (!records.empty()) app.order_store.mark_published(records.back().sequence);
}

// Feeds the catalog's, stock's, payment's and delivery's events to the
// dashboard without marking them published (the parked-events calls below
// still need one waiting): the dashboard is idempotent by event id.
void feed_modules_to_dashboard(HttpFixture& app) {
  for (const auto& record : app.catalog_store.unpublished(1000)) app.dashboard->on_event(record.event);
  for (const auto& record : app.stock_store.unpublished(1000)) app.dashboard->on_event(record.event);
  for (const auto& record : app.payment_store.unpublished(1000)) app.dashboard->on_event(record.event);
  for (const auto& record : app.delivery_store.unpublished(1000)) app.dashboard->on_event(record.event);
}

// Drives every documented operation through success and failure, the way
// the scenario tests do, and returns every reply.
std::vector<Capture> exercise_the_api(HttpFixture& app, const boost::json::value& document) {
  using shop::identity::Role;
  Recorder api(app.server->port(), document);
  const Headers text_plain = {{"Content-Type", "text/plain"}};
  auto key = [](const std::string& value) { return Headers{{"Idempotency-Key", value}}; };

  auto staff = app.sign_in("staff@shop.kr", Role::staff);
  auto alice = app.sign_in("alice@shop.kr");
  auto bob = app.sign_in("bob@shop.kr");

  // Health and meta.
  api.call(200, "GET", "/health/live");
  api.call(200, "GET", "/health/ready");
  api.call(200, "GET", "/openapi.json");

  // Identity.
  const std::string carol = R"({"email":"carol@shop.kr","name":"Carol","password":"s3cret-pass"})";
  api.call(201, "POST", "/api/v1/users", "", carol);
  api.call(409, "POST", "/api/v1/users", "", carol);
  api.call(422, "POST", "/api/v1/users", "", R"({"email":"nope","name":"N","password":"short"})");
  api.call(400, "POST", "/api/v1/users", "", R"({"email":)");
  api.call(415, "POST", "/api/v1/users", "", "email=carol", text_plain);
  api.call(201, "POST", "/api/v1/sessions", "", R"({"email":"carol@shop.kr","password":"s3cret-pass"})");
  api.call(401, "POST", "/api/v1/sessions", "", R"({"email":"carol@shop.kr","password":"wrong-pass"})");
  api.call(422, "POST", "/api/v1/sessions", "", R"({"email":"carol@shop.kr"})");
  api.call(400, "POST", "/api/v1/sessions", "", "[]");
  api.call(415, "POST", "/api/v1/sessions", "", "x", text_plain);
  auto alice_id = text(api.call(200, "GET", "/api/v1/users/me", alice), "id");
  auto bob_id = text(api.call(200, "GET", "/api/v1/users/me", bob), "id");
  api.call(401, "GET", "/api/v1/users/me", "not-a-token");
  api.call(200, "GET", "/api/v1/users/" + alice_id, alice);
  api.call(200, "GET", "/api/v1/users/" + alice_id, staff);
  api.call(404, "GET", "/api/v1/users/" + alice_id, bob);
  api.call(404, "GET", "/api/v1/users/no-such-user", staff);

  // Catalog.
  auto tea = text(api.call(201, "POST", "/api/v1/products", staff, product_body("TEA-001")), "id");
  api.call(403, "POST", "/api/v1/products", alice, product_body("TEA-002"));
  api.call(409, "POST", "/api/v1/products", staff, product_body("TEA-001"));
  api.call(422, "POST", "/api/v1/products", staff, R"({"sku":"A B","name":"","price":{"amount":-1,"currency":"won"}})");
  api.call(400, "POST", "/api/v1/products", staff, "{");
  api.call(415, "POST", "/api/v1/products", staff, "sku=A", text_plain);
  api.call(200, "GET", "/api/v1/products");
  api.call(200, "GET", "/api/v1/products?limit=1&category=drinks&q=green");
  api.call(422, "GET", "/api/v1/products?limit=0");
  api.call(200, "GET", "/api/v1/products/" + tea);
  api.call(404, "GET", "/api/v1/products/no-such-product");
  api.call(428, "PUT", "/api/v1/products/" + tea, staff, product_body("TEA-001"));
  api.call(200, "PUT", "/api/v1/products/" + tea, staff, product_body("TEA-001"), {{"If-Match", "\"1\""}});
  api.call(412, "PUT", "/api/v1/products/" + tea, staff, product_body("TEA-001"), {{"If-Match", "\"1\""}});
  api.call(404, "PUT", "/api/v1/products/no-such-product", staff, product_body("TEA-009"), {{"If-Match", "*"}});
  api.call(403, "PUT", "/api/v1/products/" + tea, alice, product_body("TEA-001"), {{"If-Match", "*"}});
  auto old = text(api.call(201, "POST", "/api/v1/products", staff, product_body("OLD-001")), "id");
  api.call(412, "DELETE", "/api/v1/products/" + old, staff, "", {{"If-Match", "\"7\""}});
  api.call(403, "DELETE", "/api/v1/products/" + old, alice);
  api.call(204, "DELETE", "/api/v1/products/" + old, staff, "", {{"If-Match", "\"1\""}});
  api.call(404, "DELETE", "/api/v1/products/" + old, staff);

  // Stock.
  const std::string restock = "/api/v1/stock/" + tea + "/restock";
  api.call(200, "GET", "/api/v1/stock/" + tea);
  api.call(404, "GET", "/api/v1/stock/no-such-product");
  api.call(200, "POST", restock, staff, R"({"quantity":10})");
  api.call(403, "POST", restock, alice, R"({"quantity":10})");
  api.call(422, "POST", restock, staff, R"({"quantity":0})");
  api.call(400, "POST", restock, staff, "nope");
  api.call(415, "POST", restock, staff, "10", text_plain);
  api.call(404, "POST", "/api/v1/stock/no-such-product/restock", staff, R"({"quantity":1})");
  api.call(200, "PUT", "/api/v1/stock/" + tea, staff, R"({"expected_on_hand":10,"on_hand":10,"low_stock_threshold":2})");
  api.call(409, "PUT", "/api/v1/stock/" + tea, staff, R"({"expected_on_hand":3,"on_hand":10})");
  api.call(422, "PUT", "/api/v1/stock/" + tea, staff, R"({"on_hand":-1})");
  api.call(403, "PUT", "/api/v1/stock/" + tea, alice, R"({"expected_on_hand":10,"on_hand":10})");
  api.call(200, "GET", "/api/v1/stock/" + tea + "/ledger", staff);
  api.call(200, "GET", "/api/v1/stock/" + tea + "/ledger?limit=1", staff);
  api.call(403, "GET", "/api/v1/stock/" + tea + "/ledger", alice);
  api.call(422, "GET", "/api/v1/stock/" + tea + "/ledger?cursor=abc", staff);

  // Orders: paid, replayed, declined, short of stock, refused.
  auto paid_body = order_body(tea, 2, "tok_ok");
  auto paid = text(api.call(201, "POST", "/api/v1/orders", alice, paid_body, key("k-paid")), "id");
  api.call(201, "POST", "/api/v1/orders", alice, paid_body, key("k-paid"));  // the stored replay
  api.call(422, "POST", "/api/v1/orders", alice, order_body(tea, 3, "tok_ok"), key("k-paid"));
  api.call(402, "POST", "/api/v1/orders", alice, order_body(tea, 1, "tok_decline"), key("k-declined"));
  api.call(402, "POST", "/api/v1/orders", alice, order_body(tea, 1, "tok_decline"), key("k-declined"));
  api.call(409, "POST", "/api/v1/orders", alice, order_body(tea, 1000, "tok_ok"), key("k-short"));
  api.call(400, "POST", "/api/v1/orders", alice, paid_body);  // no Idempotency-Key
  api.call(403, "POST", "/api/v1/orders", staff, paid_body, key("k-staff"));
  api.call(422, "POST", "/api/v1/orders", alice, R"({"items":[{"product_id":")" + tea + R"(","quantity":0}]})", key("k-bad"));
  api.call(400, "POST", "/api/v1/orders", alice, "{", key("k-malformed"));
  api.call(415, "POST", "/api/v1/orders", alice, paid_body, {{"Idempotency-Key", "k-text"}, {"Content-Type", "text/plain"}});
  api.call(200, "GET", "/api/v1/orders/" + paid, alice);
  api.call(200, "GET", "/api/v1/orders/" + paid, staff);
  api.call(404, "GET", "/api/v1/orders/" + paid, bob);
  api.call(404, "GET", "/api/v1/orders/no-such-order", staff);
  api.call(200, "GET", "/api/v1/orders", staff);
  api.call(200, "GET", "/api/v1/orders?status=PAID&customer_id=" + alice_id + "&limit=1", staff);
  api.call(403, "GET", "/api/v1/orders", alice);
  api.call(422, "GET", "/api/v1/orders?status=NOPE", staff);
  api.call(200, "GET", "/api/v1/users/" + alice_id + "/orders", alice);
  api.call(200, "GET", "/api/v1/users/" + alice_id + "/orders?status=PAYMENT_DECLINED", staff);
  api.call(404, "GET", "/api/v1/users/" + alice_id + "/orders", bob);
  api.call(422, "GET", "/api/v1/users/" + alice_id + "/orders?limit=101", alice);
  api.call(200, "GET", "/api/v1/users/me", alice);  // now with recent orders
  api.call(200, "GET", "/api/v1/users/" + bob_id + "/orders", bob);  // an empty page

  // Payments.
  api.call(200, "GET", "/api/v1/payments?order_id=" + paid, alice);
  api.call(200, "GET", "/api/v1/payments?order_id=" + paid, staff);
  api.call(404, "GET", "/api/v1/payments?order_id=" + paid, bob);
  api.call(404, "GET", "/api/v1/payments?order_id=no-such-order", staff);
  api.call(422, "GET", "/api/v1/payments", alice);

  // The dashboard's read models, once the order's events reached it.
  relay_order_events(app);
  api.call(200, "GET", "/api/v1/dashboard/orders/" + paid, alice);
  api.call(404, "GET", "/api/v1/dashboard/orders/" + paid, bob);
  api.call(404, "GET", "/api/v1/dashboard/orders/no-such-order", staff);
  api.call(200, "GET", "/api/v1/dashboard/customers/" + alice_id, alice);
  api.call(200, "GET", "/api/v1/dashboard/customers/" + bob_id, staff);
  api.call(404, "GET", "/api/v1/dashboard/customers/" + alice_id, bob);
  api.call(401, "GET", "/api/v1/dashboard/customers/" + alice_id);
  // The storefront and the shop summary, once catalog and stock events arrived.
  feed_modules_to_dashboard(app);
  auto storefront = api.call(200, "GET", "/api/v1/dashboard/products").json();
  REQUIRE(storefront.at("items").as_array().size() == 1);  // the deleted product left
  CHECK(storefront.at("items").as_array()[0].at("id").as_string() == tea);
  CHECK(storefront.at("items").as_array()[0].at("available").as_int64() == 8);  // two sold
  api.call(200, "GET", "/api/v1/dashboard/products?category=drinks&limit=1", alice);
  api.call(200, "GET", "/api/v1/dashboard/products?category=no-such-category");
  api.call(422, "GET", "/api/v1/dashboard/products?limit=0");
  api.call(422, "GET", "/api/v1/dashboard/products?limit=101");
  auto summary = api.call(200, "GET", "/api/v1/dashboard/summary", staff).json();
  CHECK(summary.at("orders_today").as_int64() >= 1);
  CHECK(summary.at("revenue_today").at("amount").as_int64() == 2 * 4500);
  CHECK(summary.at("deliveries_by_status").at("REQUESTED").as_int64() == 1);
  api.call(403, "GET", "/api/v1/dashboard/summary", alice);
  api.call(401, "GET", "/api/v1/dashboard/summary");
  auto lag = api.call(200, "GET", "/api/v1/dashboard/projection-lag", staff).json();
  CHECK(lag.at("events").as_int64() > 0);
  api.call(403, "GET", "/api/v1/dashboard/projection-lag", alice);

  // Deliveries: order.paid reached delivery through the relay above.
  auto board = api.call(200, "GET", "/api/v1/deliveries?order_id=" + paid, staff).json();
  std::string delivery;
  if (board.at("items").as_array().size() == 1) {
    delivery = std::string(board.at("items").as_array()[0].at("id").as_string());
  }
  CHECK_MESSAGE(!delivery.empty(), "the paid order has no delivery");
  api.call(200, "GET", "/api/v1/deliveries", alice);
  api.call(200, "GET", "/api/v1/deliveries?status=REQUESTED&limit=5", staff);
  api.call(422, "GET", "/api/v1/deliveries?status=NOPE", staff);
  api.call(200, "GET", "/api/v1/deliveries/" + delivery, alice);
  api.call(200, "GET", "/api/v1/deliveries/" + delivery, staff);
  api.call(404, "GET", "/api/v1/deliveries/" + delivery, bob);
  api.call(404, "GET", "/api/v1/deliveries/no-such-delivery", staff);
  const std::string advance = "/api/v1/deliveries/" + delivery + "/status";
  api.call(200, "POST", advance, staff, R"({"status":"ACCEPTED"})");
  api.call(409, "POST", advance, staff, R"({"status":"DELIVERED"})");
  api.call(403, "POST", advance, alice, R"({"status":"PREPARING"})");
  api.call(422, "POST", advance, staff, R"({"status":"NOPE"})");
  api.call(400, "POST", advance, staff, "{");
  api.call(415, "POST", advance, staff, "PREPARING", text_plain);
  api.call(404, "POST", "/api/v1/deliveries/no-such-delivery/status", staff, R"({"status":"ACCEPTED"})");

  // Cancel: a second order, cancelled; its refund and delivery follow by events.
  auto second = text(api.call(201, "POST", "/api/v1/orders", alice, order_body(tea, 1, "tok_ok"), key("k-second")), "id");
  relay_order_events(app);
  const std::string cancel = "/api/v1/orders/" + second + "/cancel";
  api.call(404, "POST", cancel, bob, R"({"reason":"not mine"})");
  api.call(422, "POST", cancel, alice, R"({"reason":5})");
  api.call(400, "POST", cancel, alice, "{");
  api.call(415, "POST", cancel, alice, "changed my mind", text_plain);
  api.call(200, "POST", cancel, alice, R"({"reason":"changed my mind"})");
  api.call(409, "POST", cancel, alice, R"({"reason":"again"})");
  relay_order_events(app);
  api.call(200, "GET", "/api/v1/orders/" + second, alice);
  api.call(200, "GET", "/api/v1/payments?order_id=" + second, staff);
  api.call(200, "GET", "/api/v1/deliveries?status=CANCELLED", staff);
  auto third = text(api.call(201, "POST", "/api/v1/orders", alice, order_body(tea, 1, "tok_ok"), key("k-third")), "id");
  api.call(200, "POST", "/api/v1/orders/" + third + "/cancel", staff);  // no body at all
  api.call(200, "GET", "/api/v1/stock/" + tea + "/ledger", staff);      // reserve, sale, release

  // Parked events: set one of the catalog's events aside, as the relay does.
  auto waiting = app.catalog_store.unpublished(1);
  REQUIRE(waiting.size() == 1);
  app.catalog_store.park(waiting.front(), "a test handler kept failing", app.clock.now());
  api.call(200, "GET", "/api/v1/events/parked", staff);
  api.call(403, "GET", "/api/v1/events/parked", alice);
  api.call(422, "GET", "/api/v1/events/parked?limit=1000", staff);
  // A dead letter, as a Kafka consumer sets one aside.
  app.dead_letters.park({0, "delivery", waiting.front().event, "a consumer kept failing",
                         app.clock.now()});
  auto dead_letters = api.call(200, "GET", "/api/v1/events/dead-letters", staff).json();
  api.call(403, "GET", "/api/v1/events/dead-letters", alice);
  api.call(422, "GET", "/api/v1/events/dead-letters?limit=1000", staff);
  const std::string redeliver_event =
      "/api/v1/events/dead-letters/" +
      std::to_string(dead_letters.at("items").at(0).at("sequence").as_int64()) + "/redeliver";
  app.redelivery_fails = true;
  api.call(409, "POST", redeliver_event, staff);
  app.redelivery_fails = false;
  api.call(403, "POST", redeliver_event, alice);
  api.call(200, "POST", redeliver_event, staff);
  CHECK(app.redelivered == std::vector<std::string>{waiting.front().event.id});
  api.call(404, "POST", redeliver_event, staff);
  api.call(404, "POST", "/api/v1/events/dead-letters/not-a-number/redeliver", staff);
  // A webhook dead letter: the fixture's subscriber refuses what it is sent.
  app.webhooks->on_events({waiting.front().event});
  REQUIRE(app.webhooks->deliver_due(std::stop_token{}) == 1);
  auto webhook_letters = api.call(200, "GET", "/api/v1/webhooks/dead-letters", staff).json();
  std::string letter;
  if (webhook_letters.at("items").as_array().size() == 1) {
    letter = std::string(webhook_letters.at("items").as_array()[0].at("id").as_string());
  }
  CHECK_MESSAGE(!letter.empty(), "the refused delivery is not a dead letter");
  api.call(200, "GET", "/api/v1/webhooks/dead-letters?limit=1&cursor=" + letter, staff);
  api.call(403, "GET", "/api/v1/webhooks/dead-letters", alice);
  api.call(422, "GET", "/api/v1/webhooks/dead-letters?limit=1000", staff);
  const std::string redeliver = "/api/v1/webhooks/dead-letters/" + letter + "/redeliver";
  api.call(403, "POST", redeliver, alice);
  api.call(202, "POST", redeliver, staff);
  api.call(409, "POST", redeliver, staff);
  api.call(404, "POST", "/api/v1/webhooks/dead-letters/no-such-delivery/redeliver", staff);

  // Every operation that needs a token refuses a request without one.
  for (const auto& [path, operations] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : operations.as_object()) {
      if (method == "parameters") continue;
      const auto& security = operation.as_object().if_contains("security");
      if (!security || security->as_array().empty()) continue;
      std::string target(path);
      for (std::size_t open; (open = target.find('{')) != std::string::npos;) {
        target.replace(open, target.find('}', open) - open + 1, "x");
      }
      api.call(401, upper(std::string(method)), target);
    }
  }

  // Too many sign-ins and sign-ups from one address: 429 with Retry-After.
  {
    auto burner = app.client();
    const std::string wrong = R"({"email":"carol@shop.kr","password":"wrong-pass"})";
    for (int i = 0; i < 30 && burner.post("/api/v1/sessions", wrong).status != 429; ++i) {
    }
    api.call(429, "POST", "/api/v1/sessions", "", wrong);
    for (int i = 0; i < 30; ++i) {
      auto body = R"({"email":"burn)" + std::to_string(i) + R"(@shop.kr","name":"B","password":"s3cret-pass"})";
      if (burner.post("/api/v1/users", body).status == 429) break;
    }
    api.call(429, "POST", "/api/v1/users", "", R"({"email":"late@shop.kr","name":"L","password":"s3cret-pass"})");
  }

  // The provider fails and payments are rejected (the default): 503.
  api.call(503, "POST", "/api/v1/orders", alice, order_body(tea, 1, "tok_error"), key("k-error"));

  // Readiness while draining.
  app.draining = true;
  api.call(503, "GET", "/health/ready");
  app.draining = false;

  // A declared body over the limit is refused before routing, from the
  // header alone, and the connection closed.
  api.raw(413, "POST", "/api/v1/products",
          "POST /api/v1/products HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + staff +
              "\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string((1 << 20) + 1) + "\r\n\r\n");
  api.reconnect();
  api.call(200, "GET", "/health/live");
  return api.captures();
}

}  // namespace

TEST_CASE("every documented operation is exercised and every reply matches the document") {
  HttpFixture app;
  auto document = served_document(app);
  auto captures = exercise_the_api(app, document);

  std::set<std::string> succeeded;
  std::size_t validated = 0;
  for (const auto& capture : captures) {
    if (capture.reply.status < 300 && !capture.path_template.empty()) {
      succeeded.insert(lower(capture.method) + " " + capture.path_template);
    }
    auto problems = mismatches(document, capture);
    ++validated;
    INFO(capture.label());
    INFO("body: " << capture.reply.body);
    for (const auto& problem : problems) FAIL_CHECK(problem);
  }
  CHECK(validated > 100);  // a guard against an exercise that stopped early
  for (const auto& operation : documented_operations(document)) {
    INFO(operation);
    if (streamed.contains(operation)) continue;
    CHECK_MESSAGE(succeeded.contains(operation), "no captured 2xx reply for this operation");
  }
}

// The check itself, against the real document: replies that drift from it
// in the ways a change to the code could make them drift are caught.
TEST_CASE("the reply check catches replies that drift from the document") {
  HttpFixture app;
  auto document = served_document(app);
  auto captures = exercise_the_api(app, document);
  auto find = [&](const std::string& method, const std::string& path_template, int status) {
    for (const auto& capture : captures) {
      if (capture.method == method && capture.path_template == path_template &&
          capture.reply.status == status) {
        return capture;
      }
    }
    FAIL("no capture of " << method << " " << path_template << " " << status);
    return Capture{};
  };
  auto drifted = [&](Capture capture, const std::function<void(boost::json::object&)>& change) {
    auto body = capture.reply.json();
    change(body.as_object());
    capture.reply.body = boost::json::serialize(body);
    return mismatches(document, capture);
  };

  auto order = find("POST", "/api/v1/orders", 201);
  REQUIRE(mismatches(document, order).empty());
  CHECK(!drifted(order, [](auto& o) { o["status"] = "SHIPPED"; }).empty());
  CHECK(!drifted(order, [](auto& o) { o.erase("total"); }).empty());
  CHECK(!drifted(order, [](auto& o) { o["created_at"] = "1800000000000"; }).empty());
  CHECK(!drifted(order, [](auto& o) { o["items"].as_array()[0].as_object()["quantity"] = "2"; }).empty());
  CHECK(!drifted(order, [](auto& o) { o["total"].as_object()["cents"] = 1; }).empty());
  CHECK(!drifted(order, [](auto& o) { o["delivery_address"].as_object()["country"] = "KR"; }).empty());
  auto without_location = order;
  without_location.reply.headers.erase("Location");
  CHECK(!mismatches(document, without_location).empty());
  auto teapot = order;
  teapot.reply.status = 418;
  CHECK(!mismatches(document, teapot).empty());
  auto as_text = order;
  as_text.reply.content_type = "text/plain";
  CHECK(!mismatches(document, as_text).empty());

  auto session = find("POST", "/api/v1/sessions", 201);
  CHECK(!drifted(session, [](auto& o) { o["expires_at"] = "tomorrow"; }).empty());
  CHECK(!drifted(session, [](auto& o) { o["token_type"] = "bearer"; }).empty());
  CHECK(!drifted(session, [](auto& o) { o["user"].as_object()["role"] = "admin"; }).empty());

  auto problem = find("GET", "/api/v1/orders/{id}", 404);
  CHECK(!drifted(problem, [](auto& o) { o.erase("code"); }).empty());
  CHECK(!drifted(problem, [](auto& o) { o["status"] = 99; }).empty());
  auto retry = find("POST", "/api/v1/orders", 503);
  REQUIRE(mismatches(document, retry).empty());
  retry.reply.headers.set("Retry-After", "soon");
  CHECK(!mismatches(document, retry).empty());
  auto deleted = find("DELETE", "/api/v1/products/{id}", 204);
  deleted.reply.body = "{}";
  CHECK(!mismatches(document, deleted).empty());
  auto delivery = find("GET", "/api/v1/deliveries/{id}", 200);
  CHECK(!drifted(delivery, [](auto& o) { o["status"] = "LOST"; }).empty());
  CHECK(!drifted(delivery, [](auto& o) { o["address"].as_object().erase("line2"); }).empty());
}
