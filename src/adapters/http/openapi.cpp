#include "adapters/http/health_routes.hpp"

namespace shop::http {

// The OpenAPI 3.1 description of the HTTP API. A test compares its paths and
// methods with the router's routes, so the two cannot drift apart.
const char* openapi_document() {
  return R"json(
{
  "openapi": "3.1.0",
  "info": {
    "title": "shopbox",
    "version": "0.1.0",
    "description": "The HTTP API of shopbox, an online-shop backend: customers register and log in, anyone browses the product catalog and stock levels, and staff maintain products and stock. Bodies are JSON; errors are RFC 9457 problem documents with a stable `code`. Lists page by opaque cursor, products use ETag/If-Match for optimistic concurrency, and every response carries an X-Request-Id header."
  },
  "servers": [{"url": "/"}],
  "tags": [
    {"name": "health"},
    {"name": "meta"},
    {"name": "identity"},
    {"name": "catalog"},
    {"name": "stock"},
    {"name": "delivery"},
    {"name": "events"},
    {"name": "order"},
    {"name": "payment"},
    {"name": "dashboard"},
    {"name": "webhooks"}
  ],
  "paths": {
    "/health/live": {
      "get": {
        "operationId": "getLiveness",
        "summary": "Liveness probe",
        "tags": ["health"],
        "security": [],
        "responses": {
          "200": {
            "description": "The process is serving requests.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Liveness"}}}
          }
        }
      }
    },
    "/health/ready": {
      "get": {
        "operationId": "getReadiness",
        "summary": "Readiness probe",
        "description": "Reports each check as pass or fail; the `serving` check fails while the server drains.",
        "tags": ["health"],
        "security": [],
        "responses": {
          "200": {
            "description": "Every check passes and the server is not draining.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}
          },
          "503": {
            "description": "A check fails or the server is draining.",
            "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "getOpenApi",
        "summary": "This OpenAPI document",
        "tags": ["meta"],
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 description of the API.",
            "content": {"application/json": {"schema": {"type": "object"}}}
          }
        }
      }
    },
    "/api/v1/users": {
      "post": {
        "operationId": "registerUser",
        "summary": "Register a customer",
        "description": "Creates a user with the customer role. 409 `email_taken` when the e-mail is registered.",
        "tags": ["identity"],
        "security": [],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Registration"}}}
        },
        "responses": {
          "201": {
            "description": "The new customer.",
            "headers": {"Location": {"$ref": "#/components/headers/Location"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/v1/sessions": {
      "post": {
        "operationId": "createSession",
        "summary": "Log in",
        "description": "401 `invalid_credentials` for an unknown e-mail or a wrong password; repeated failures are throttled with 429.",
        "tags": ["identity"],
        "security": [],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Credentials"}}}
        },
        "responses": {
          "201": {
            "description": "A bearer token for the user.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/v1/users/me": {
      "get": {
        "operationId": "getCurrentUser",
        "summary": "The signed-in user",
        "tags": ["identity"],
        "security": [{"bearer": []}],
        "responses": {
          "200": {
            "description": "The user the token belongs to.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/api/v1/users/{id}": {
      "get": {
        "operationId": "getUser",
        "summary": "A user by id",
        "description": "Visible to the user themself and to staff; anyone else gets 404.",
        "tags": ["identity"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/UserId"}],
        "responses": {
          "200": {
            "description": "The user.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/products": {
      "get": {
        "operationId": "listProducts",
        "summary": "List products",
        "tags": ["catalog"],
        "security": [],
        "parameters": [
          {"$ref": "#/components/parameters/Limit"},
          {"$ref": "#/components/parameters/Cursor"},
          {"$ref": "#/components/parameters/Category"},
          {"$ref": "#/components/parameters/Query"}
        ],
        "responses": {
          "200": {
            "description": "A page of products.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProductPage"}}}
          },
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      },
      "post": {
        "operationId": "createProduct",
        "summary": "Create a product",
        "description": "Staff only. 409 `sku_taken` when another product has the SKU.",
        "tags": ["catalog"],
        "security": [{"bearer": []}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProductInput"}}}
        },
        "responses": {
          "201": {
            "description": "The new product, at version 1.",
            "headers": {
              "ETag": {"$ref": "#/components/headers/ETag"},
              "Location": {"$ref": "#/components/headers/Location"}
            },
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Product"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/products/{id}": {
      "get": {
        "operationId": "getProduct",
        "summary": "A product by id",
        "tags": ["catalog"],
        "security": [],
        "parameters": [{"$ref": "#/components/parameters/ProductId"}],
        "responses": {
          "200": {
            "description": "The product.",
            "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Product"}}}
          },
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "put": {
        "operationId": "replaceProduct",
        "summary": "Replace a product",
        "description": "Staff only. 412 `stale_version` when If-Match names an older version; 409 `sku_taken`.",
        "tags": ["catalog"],
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/ProductId"},
          {"$ref": "#/components/parameters/IfMatchRequired"}
        ],
        "requestBody": {
          "required": true,
          "description": "The full new state; omitted optional fields become empty.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProductInput"}}}
        },
        "responses": {
          "200": {
            "description": "The updated product.",
            "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Product"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "412": {"$ref": "#/components/responses/PreconditionFailed"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "428": {"$ref": "#/components/responses/PreconditionRequired"}
        }
      },
      "delete": {
        "operationId": "deleteProduct",
        "summary": "Delete a product",
        "tags": ["catalog"],
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/ProductId"},
          {"$ref": "#/components/parameters/IfMatch"}
        ],
        "responses": {
          "204": {"description": "The product is deleted (soft delete)."},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "412": {"$ref": "#/components/responses/PreconditionFailed"}
        }
      }
    },
    "/api/v1/stock/{product_id}": {
      "get": {
        "operationId": "getStockLevel",
        "summary": "Stock level of a product",
        "tags": ["stock"],
        "security": [],
        "parameters": [{"$ref": "#/components/parameters/StockProductId"}],
        "responses": {
          "200": {
            "description": "The stock level.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StockLevel"}}}
          },
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "put": {
        "operationId": "takeStock",
        "summary": "Record a stock take",
        "description": "Staff only. 409 when on_hand is no longer `expected_on_hand` or the count is below the reserved quantity.",
        "tags": ["stock"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/StockProductId"}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StockTake"}}}
        },
        "responses": {
          "200": {
            "description": "The stock level after the count.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StockLevel"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/stock/{product_id}/restock": {
      "post": {
        "operationId": "restock",
        "summary": "Add received stock",
        "description": "Staff only.",
        "tags": ["stock"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/StockProductId"}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Restock"}}}
        },
        "responses": {
          "200": {
            "description": "The stock level after the restock.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StockLevel"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/stock/{product_id}/ledger": {
      "get": {
        "operationId": "listStockLedger",
        "summary": "Stock movements of a product",
        "tags": ["stock"],
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/StockProductId"},
          {"$ref": "#/components/parameters/Limit"},
          {"$ref": "#/components/parameters/Cursor"}
        ],
        "responses": {
          "200": {
            "description": "A page of ledger entries, oldest first.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LedgerPage"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/deliveries": {
      "get": {
        "operationId": "listDeliveries",
        "summary": "The delivery board",
        "description": "Newest first. Staff see every delivery; a customer sees only their own (`customer_id` is then ignored).",
        "tags": ["delivery"],
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/DeliveryStatusFilter"},
          {"$ref": "#/components/parameters/OrderIdFilter"},
          {"$ref": "#/components/parameters/CustomerIdFilter"},
          {"$ref": "#/components/parameters/Limit"},
          {"$ref": "#/components/parameters/Cursor"}
        ],
        "responses": {
          "200": {
            "description": "A page of deliveries.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeliveryPage"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/deliveries/{id}": {
      "get": {
        "operationId": "getDelivery",
        "summary": "A delivery by id",
        "description": "Visible to staff and to the customer whose order it is; anyone else gets 404.",
        "tags": ["delivery"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/DeliveryId"}],
        "responses": {
          "200": {
            "description": "The delivery.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Delivery"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/deliveries/{id}/status": {
      "post": {
        "operationId": "advanceDelivery",
        "summary": "Move a delivery one step forward",
        "description": "Staff only. The path is REQUESTED, ACCEPTED, PREPARING, DISPATCHED, DELIVERED; the current status again changes nothing. 409 `invalid_transition` for a skipped step, a step back, or a delivered or cancelled delivery; 409 `order_cancelled` when the order refuses dispatch.",
        "tags": ["delivery"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/DeliveryId"}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeliveryStatusChange"}}}
        },
        "responses": {
          "200": {
            "description": "The delivery in its new status.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Delivery"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/v1/orders": {
      "post": {
        "operationId": "placeOrder",
        "summary": "Place an order (customers)",
        "description": "Reserves every line at once, charges the card, and answers 201 PAID; 202 PAYMENT_PENDING when the provider cannot answer and payments are deferred; 402 (a problem document with the order) when the card is declined; 409 `insufficient_stock` naming the short lines, with nothing reserved and no order; 503 with Retry-After when the provider cannot answer and payments are rejected. The Idempotency-Key is kept 24 hours per customer: the same key and body replay a stored 201, 202 or 402 byte for byte (header Idempotent-Replayed); another body is 422; a duplicate while the first runs is 409 `request_in_progress`.",
        "tags": ["order"],
        "security": [{"bearer": []}],
        "parameters": [
          {"name": "Idempotency-Key", "in": "header", "required": true, "description": "A unique value per intended order, e.g. a UUID.", "schema": {"type": "string", "maxLength": 200}}
        ],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderRequest"}}}
        },
        "responses": {
          "201": {
            "description": "The order, paid.",
            "headers": {
              "Location": {"$ref": "#/components/headers/Location"},
              "Idempotent-Replayed": {"$ref": "#/components/headers/IdempotentReplayed"}
            },
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
          },
          "202": {
            "description": "The order, its payment pending.",
            "headers": {
              "Location": {"$ref": "#/components/headers/Location"},
              "Idempotent-Replayed": {"$ref": "#/components/headers/IdempotentReplayed"}
            },
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "402": {
            "description": "The payment was declined; the problem document carries the order under `order`.",
            "headers": {"Idempotent-Replayed": {"$ref": "#/components/headers/IdempotentReplayed"}},
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
          },
          "403": {"$ref": "#/components/responses/Forbidden"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "get": {
        "operationId": "listOrders",
        "summary": "All orders, newest first (staff)",
        "tags": ["order"],
        "security": [{"bearer": []}],
        "parameters": [
          {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/OrderStatus"}},
          {"$ref": "#/components/parameters/CustomerIdFilter"},
          {"$ref": "#/components/parameters/Limit"},
          {"$ref": "#/components/parameters/Cursor"}
        ],
        "responses": {
          "200": {
            "description": "A page of orders.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderPage"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/orders/{id}": {
      "get": {
        "operationId": "getOrder",
        "summary": "One order (its owner or staff; others get 404)",
        "tags": ["order"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/OrderId"}],
        "responses": {
          "200": {
            "description": "The order.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/orders/{id}/cancel": {
      "post": {
        "operationId": "cancelOrder",
        "summary": "Cancel an order (its owner or staff)",
        "description": "From PAYMENT_PENDING or PAID: CANCELLED at once; the refund, the delivery's cancellation and the stock's return follow by events. 409 when already cancelled (`already_cancelled`), once dispatch began (`dispatch_started`), or while the order is still being placed (`order_in_progress`).",
        "tags": ["order"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/OrderId"}],
        "requestBody": {
          "required": false,
          "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {"reason": {"type": "string", "maxLength": 500}}}}}
        },
        "responses": {
          "200": {
            "description": "The cancelled order.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/users/{id}/orders": {
      "get": {
        "operationId": "listUserOrders",
        "summary": "A customer's orders, newest first (themself or staff)",
        "tags": ["order"],
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/UserId"},
          {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/OrderStatus"}},
          {"$ref": "#/components/parameters/Limit"},
          {"$ref": "#/components/parameters/Cursor"}
        ],
        "responses": {
          "200": {
            "description": "A page of orders.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderPage"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/payments": {
      "get": {
        "operationId": "listPayments",
        "summary": "The payments of an order (its owner or staff)",
        "tags": ["payment"],
        "security": [{"bearer": []}],
        "parameters": [{"name": "order_id", "in": "query", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {
            "description": "The order's payments (one per order).",
            "content": {"application/json": {"schema": {"type": "object", "required": ["items", "next_cursor"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Payment"}}, "next_cursor": {"type": "null"}}}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/dashboard/orders/{id}": {
      "get": {
        "operationId": "getOrderView",
        "summary": "An order's view with the timeline of every step (owner or staff)",
        "description": "Built from events alone (CQRS): it may trail the order by the moment the events take.",
        "tags": ["dashboard"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/OrderId"}],
        "responses": {
          "200": {
            "description": "The order view.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderView"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/dashboard/customers/{id}": {
      "get": {
        "operationId": "getCustomerSummary",
        "summary": "A customer's orders and money at a glance (themself or staff)",
        "tags": ["dashboard"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/UserId"}],
        "responses": {
          "200": {
            "description": "The customer summary; all zeros before the first order.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CustomerSummary"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/dashboard/products": {
      "get": {
        "operationId": "listStorefrontProducts",
        "summary": "The storefront: active products with their live availability",
        "description": "Built from catalog and stock events alone (CQRS): it may trail the modules by the moment the events take. Ordered by product id.",
        "tags": ["dashboard"],
        "security": [],
        "parameters": [
          {"$ref": "#/components/parameters/Limit"},
          {"$ref": "#/components/parameters/Cursor"},
          {"$ref": "#/components/parameters/Category"}
        ],
        "responses": {
          "200": {
            "description": "A page of storefront products.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StorefrontPage"}}}
          },
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/dashboard/summary": {
      "get": {
        "operationId": "getShopSummary",
        "summary": "The shop today: orders, revenue, deliveries by status, low stock (staff)",
        "description": "Today is the date in the shop's time zone (`shop.utc_offset`). Revenue sums the approved payments whose event time is today; refunded the refunds.",
        "tags": ["dashboard"],
        "security": [{"bearer": []}],
        "responses": {
          "200": {
            "description": "The shop summary.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ShopSummary"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      }
    },
    "/api/v1/dashboard/projection-lag": {
      "get": {
        "operationId": "getProjectionLag",
        "summary": "How far the read models trail the modules (staff)",
        "description": "For each event projected, the time from its creation, in the transaction that committed it, to the commit of its projection; percentiles over the last 1,024 events projected, `events` and `max_ms` since start.",
        "tags": ["dashboard"],
        "security": [{"bearer": []}],
        "responses": {
          "200": {
            "description": "The projection lag.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProjectionLag"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      }
    },
    "/api/v1/dashboard/stream": {
      "get": {
        "operationId": "streamDashboardEvents",
        "summary": "Every change as it happens (Server-Sent Events)",
        "description": "Staff see every event of every module; a customer only the events of their own orders. Each frame is `id: <position>`, `event: <type>`, `data: <the CloudEvents envelope as JSON>`. Reconnect with `Last-Event-ID` (or `?last_event_id=`) to continue right after the last event seen. Without either, the stream starts with the next event; `last_event_id=0` replays the whole log. A client that does not keep up is disconnected; the stream also ends when the server drains. At most 4 streams per user (429 beyond).",
        "tags": ["dashboard"],
        "security": [{"bearer": []}],
        "parameters": [
          {"name": "Last-Event-ID", "in": "header", "required": false, "schema": {"type": "string"}},
          {"name": "last_event_id", "in": "query", "required": false, "schema": {"type": "string"}}
        ],
        "responses": {
          "200": {
            "description": "An endless text/event-stream.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"}
        }
      }
    },
    "/api/v1/events/dead-letters": {
      "get": {
        "operationId": "listDeadLetters",
        "summary": "Events a consumer of the Kafka bus kept failing on, set aside for staff",
        "tags": ["events"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/Limit"}],
        "responses": {
          "200": {
            "description": "Dead letters, oldest first; none on the in-process bus.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["items"],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "required": ["sequence", "consumer", "event", "error", "parked_at"],
                        "properties": {
                          "sequence": {"type": "integer", "description": "Names it for a redelivery."},
                          "consumer": {"type": "string"},
                          "event": {
                            "type": "object",
                            "description": "The CloudEvents envelope: id, type, source, subject, time, data."
                          },
                          "error": {"type": "string"},
                          "parked_at": {"type": "string", "format": "date-time"}
                        }
                      }
                    }
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/events/parked": {
      "get": {
        "operationId": "listParkedEvents",
        "summary": "Events whose handlers kept failing, set aside for staff",
        "tags": ["events"],
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/Limit"}],
        "responses": {
          "200": {
            "description": "Parked events per module, oldest first.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["items"],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "required": ["module", "sequence", "event", "error", "parked_at"],
                        "properties": {
                          "module": {"type": "string"},
                          "sequence": {"type": "integer"},
                          "event": {
                            "type": "object",
                            "description": "The CloudEvents envelope: id, type, source, subject, time, data."
                          },
                          "error": {"type": "string"},
                          "parked_at": {"type": "string", "format": "date-time"}
                        }
                      }
                    }
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/events/dead-letters/{sequence}/redeliver": {
      "post": {
        "operationId": "redeliverDeadLetter",
        "summary": "Hands a dead letter's event to its consumer again",
        "description": "Runs the consumer on the event again (its inbox makes a repeat harmless); once that succeeds the dead letter is gone. A failure keeps it and answers 409 with the error.",
        "tags": ["events"],
        "security": [{"bearer": []}],
        "parameters": [{"name": "sequence", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {
            "description": "Redelivered.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["sequence", "consumer", "event_id", "redelivered"],
                  "properties": {
                    "sequence": {"type": "integer"},
                    "consumer": {"type": "string"},
                    "event_id": {"type": "string"},
                    "redelivered": {"const": true}
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/webhooks/dead-letters": {
      "get": {
        "operationId": "listWebhookDeadLetters",
        "summary": "Webhook deliveries that gave up, set aside for staff",
        "description": "A delivery becomes a dead letter when its subscriber refused the event (an answer other than 2xx, 5xx, 408 or 429) or when `webhooks.max_attempts` attempts failed. Newest first.",
        "tags": ["webhooks"],
        "security": [{"bearer": []}],
        "parameters": [
          {"$ref": "#/components/parameters/Limit"},
          {"$ref": "#/components/parameters/Cursor"}
        ],
        "responses": {
          "200": {
            "description": "A page of dead letters.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookDeliveryPage"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "422": {"$ref": "#/components/responses/ValidationFailed"}
        }
      }
    },
    "/api/v1/webhooks/dead-letters/{id}/redeliver": {
      "post": {
        "operationId": "redeliverWebhookDeadLetter",
        "summary": "Send a dead letter again",
        "description": "The delivery is queued again (PENDING, due now, its attempts counted afresh) and sent in the background with the same event id.",
        "tags": ["webhooks"],
        "security": [{"bearer": []}],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "202": {
            "description": "Queued again.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookDelivery"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/sessions."}
    },
    "headers": {
      "XRequestId": {
        "description": "The request's id: the caller's X-Request-Id if safe, else one the server made.",
        "schema": {"type": "string"}
      },
      "RetryAfter": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer", "minimum": 0}
      },
      "Location": {
        "description": "The URL of the created resource.",
        "schema": {"type": "string", "format": "uri-reference"}
      },
      "IdempotentReplayed": {
        "description": "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
        "required": false,
        "schema": {"const": "true"}
      },
      "ETag": {"description": "The product's version, quoted, e.g. `\"3\"`.", "schema": {"type": "string"}}
    },
    "parameters": {
      "Limit": {
        "name": "limit",
        "in": "query",
        "description": "Page size.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
      },
      "Cursor": {
        "name": "cursor",
        "in": "query",
        "description": "A `next_cursor` from the previous page.",
        "schema": {"type": "string"}
      },
      "Category": {
        "name": "category",
        "in": "query",
        "description": "Only products in this category.",
        "schema": {"type": "string"}
      },
      "Query": {
        "name": "q",
        "in": "query",
        "description": "Name search; each word matches as a prefix of a word in the name.",
        "schema": {"type": "string"}
      },
      "UserId": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
      "ProductId": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
      "StockProductId": {"name": "product_id", "in": "path", "required": true, "schema": {"type": "string"}},
      "OrderId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "An order id.",
        "schema": {"type": "string"}
      },
      "DeliveryId": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
      "DeliveryStatusFilter": {
        "name": "status",
        "in": "query",
        "description": "Only deliveries in this status.",
        "schema": {"$ref": "#/components/schemas/DeliveryStatus"}
      },
      "OrderIdFilter": {
        "name": "order_id",
        "in": "query",
        "description": "Only the delivery of this order.",
        "schema": {"type": "string"}
      },
      "CustomerIdFilter": {
        "name": "customer_id",
        "in": "query",
        "description": "Only this customer's orders or deliveries (staff only).",
        "schema": {"type": "string"}
      },
      "IfMatch": {
        "name": "If-Match",
        "in": "header",
        "description": "An ETag from this API, e.g. `\"3\"`, or `*`; when stale (or weak), the request fails with 412.",
        "schema": {"type": "string"}
      },
      "IfMatchRequired": {
        "name": "If-Match",
        "in": "header",
        "required": true,
        "description": "The ETag of the version being replaced, e.g. `\"3\"`, or `*`; stale (or weak): 412, missing: 428.",
        "schema": {"type": "string"}
      }
    },
    "schemas": {
      "OrderView": {
        "type": "object",
        "required": ["order_id", "customer_id", "status", "payment_status", "delivery_status", "total", "timeline"],
        "properties": {
          "order_id": {"type": "string"},
          "customer_id": {"type": "string"},
          "status": {"type": ["string", "null"]},
          "cancel_reason": {"type": ["string", "null"]},
          "payment_status": {"type": ["string", "null"]},
          "delivery_status": {"type": ["string", "null"]},
          "total": {"$ref": "#/components/schemas/Money"},
          "timeline": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["event", "at", "event_id"],
              "properties": {
                "event": {"type": "string"},
                "at": {"type": "string", "format": "date-time"},
                "event_id": {"type": "string"}
              }
            }
          }
        }
      },
      "CustomerSummary": {
        "type": "object",
        "required": ["customer_id", "orders_placed", "orders_active", "orders_delivered", "orders_cancelled", "amount_spent", "amount_refunded"],
        "properties": {
          "customer_id": {"type": "string"},
          "orders_placed": {"type": "integer", "minimum": 0},
          "orders_active": {"type": "integer", "minimum": 0},
          "orders_delivered": {"type": "integer", "minimum": 0},
          "orders_cancelled": {"type": "integer", "minimum": 0},
          "amount_spent": {"$ref": "#/components/schemas/Money"},
          "amount_refunded": {"$ref": "#/components/schemas/Money"}
        }
      },
      "StorefrontProduct": {
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "sku", "name", "description", "price", "category", "on_hand", "reserved", "available"],
        "properties": {
          "id": {"type": "string"},
          "sku": {"type": "string"},
          "name": {"type": "string"},
          "description": {"type": "string"},
          "price": {"$ref": "#/components/schemas/Money"},
          "category": {"type": "string"},
          "on_hand": {"type": "integer", "minimum": 0},
          "reserved": {"type": "integer", "minimum": 0},
          "available": {"type": "integer", "minimum": 0, "description": "on_hand - reserved"}
        }
      },
      "StorefrontPage": {
        "type": "object",
        "additionalProperties": false,
        "required": ["items", "next_cursor"],
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/StorefrontProduct"}},
          "next_cursor": {
            "type": ["string", "null"],
            "description": "Pass as `cursor` for the next page; null on the last."
          }
        }
      },
      "LowStockProduct": {
        "type": "object",
        "additionalProperties": false,
        "required": ["product_id", "name", "available", "low_stock_threshold"],
        "properties": {
          "product_id": {"type": "string"},
          "name": {"type": "string"},
          "available": {"type": "integer", "minimum": 0},
          "low_stock_threshold": {"type": "integer", "minimum": 0}
        }
      },
      "ProjectionLag": {
        "type": "object",
        "additionalProperties": false,
        "required": ["events", "p50_ms", "p99_ms", "max_ms"],
        "properties": {
          "events": {"type": "integer", "minimum": 0, "description": "Events projected since start."},
          "p50_ms": {"type": "integer", "minimum": 0},
          "p99_ms": {"type": "integer", "minimum": 0},
          "max_ms": {"type": "integer", "minimum": 0, "description": "The largest lag since start."}
        }
      },
      "ShopSummary": {
        "type": "object",
        "additionalProperties": false,
        "required": ["date", "orders_today", "revenue_today", "refunded_today", "deliveries_by_status", "low_stock"],
        "properties": {
          "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "Today in the shop's time zone."},
          "orders_today": {"type": "integer", "minimum": 0},
          "revenue_today": {"$ref": "#/components/schemas/Money"},
          "refunded_today": {"$ref": "#/components/schemas/Money"},
          "deliveries_by_status": {
            "type": "object",
            "description": "Deliveries per status; every status of the path is present.",
            "required": ["REQUESTED", "ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED", "CANCELLED"],
            "additionalProperties": {"type": "integer", "minimum": 0}
          },
          "low_stock": {
            "type": "array",
            "description": "Active products whose available units are at or below their threshold, by id (at most 100).",
            "items": {"$ref": "#/components/schemas/LowStockProduct"}
          }
        }
      },
      "OrderStatus": {"enum": ["PAYMENT_PENDING", "PAID", "PAYMENT_DECLINED", "IN_DELIVERY", "DELIVERED", "CANCELLED"]},
      "Address": {
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "line1", "city", "postal_code", "phone"],
        "properties": {
          "name": {"type": "string"},
          "line1": {"type": "string"},
          "line2": {"type": "string"},
          "city": {"type": "string"},
          "postal_code": {"type": "string"},
          "phone": {"type": "string"}
        }
      },
      "OrderRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": ["items", "delivery_address", "payment"],
        "properties": {
          "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": ["product_id", "quantity"],
              "properties": {"product_id": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1, "maximum": 10000}}
            }
          },
          "delivery_address": {"$ref": "#/components/schemas/Address"},
          "payment": {
            "type": "object",
            "additionalProperties": false,
            "required": ["method", "token"],
            "properties": {"method": {"const": "card"}, "token": {"type": "string"}}
          }
        }
      },
      "Order": {
        "type": "object",
        "required": ["id", "status", "customer_id", "items", "total", "delivery_address", "created_at", "updated_at"],
        "properties": {
          "id": {"type": "string"},
          "status": {"$ref": "#/components/schemas/OrderStatus"},
          "cancel_reason": {"type": ["string", "null"]},
          "customer_id": {"type": "string"},
          "items": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["product_id", "sku", "name", "unit_price", "quantity"],
              "properties": {
                "product_id": {"type": "string"},
                "sku": {"type": "string"},
                "name": {"type": "string"},
                "unit_price": {"$ref": "#/components/schemas/Money"},
                "quantity": {"type": "integer"}
              }
            }
          },
          "total": {"$ref": "#/components/schemas/Money"},
          "delivery_address": {"$ref": "#/components/schemas/Address"},
          "payment": {"type": "object", "properties": {"method": {"type": "string"}}},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }
      },
      "OrderPage": {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}},
          "next_cursor": {"type": ["string", "null"]}
        }
      },
      "Payment": {
        "type": "object",
        "required": ["id", "order_id", "amount", "status", "created_at", "updated_at"],
        "properties": {
          "id": {"type": "string"},
          "order_id": {"type": "string"},
          "customer_id": {"type": "string"},
          "amount": {"$ref": "#/components/schemas/Money"},
          "status": {"enum": ["PENDING", "APPROVED", "DECLINED", "REFUND_PENDING", "CANCELLED", "REFUND_FAILED"]},
          "method": {"type": "string"},
          "failure_reason": {"type": ["string", "null"]},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }
      },
      "Problem": {
        "type": "object",
        "description": "An RFC 9457 problem document.",
        "required": ["type", "title", "status", "detail", "code"],
        "properties": {
          "type": {"type": "string", "format": "uri-reference", "examples": ["/problems/validation_failed"]},
          "title": {"type": "string", "examples": ["Unprocessable Content"]},
          "status": {"type": "integer", "minimum": 400, "maximum": 599},
          "detail": {"type": "string"},
          "code": {
            "type": "string",
            "description": "Stable machine-readable reason.",
            "examples": ["validation_failed"]
          },
          "errors": {
            "type": "array",
            "description": "Per-field errors, for validation_failed.",
            "items": {"$ref": "#/components/schemas/FieldError"}
          }
        }
      },
      "FieldError": {
        "type": "object",
        "required": ["field", "message"],
        "properties": {
          "field": {"type": "string", "examples": ["price.amount"]},
          "message": {"type": "string"}
        }
      },
      "Liveness": {"type": "object", "required": ["status"], "properties": {"status": {"const": "live"}}},
      "Readiness": {
        "type": "object",
        "required": ["status", "checks"],
        "properties": {
          "status": {"enum": ["ready", "not_ready"]},
          "checks": {"type": "object", "additionalProperties": {"enum": ["pass", "fail"]}}
        }
      },
      "User": {
        "type": "object",
        "required": ["id", "email", "name", "role", "created_at"],
        "properties": {
          "id": {"type": "string"},
          "email": {"type": "string", "format": "email"},
          "name": {"type": "string"},
          "role": {"enum": ["customer", "staff"]},
          "created_at": {"type": "string", "format": "date-time"},
          "recent_orders": {
            "description": "On GET /users/me and /users/{id}: the five newest orders.",
            "type": "array",
            "items": {"$ref": "#/components/schemas/Order"}
          }
        }
      },
      "Registration": {
        "type": "object",
        "additionalProperties": false,
        "required": ["email", "name", "password"],
        "properties": {
          "email": {"type": "string", "format": "email", "maxLength": 254},
          "name": {"type": "string", "minLength": 1, "maxLength": 100},
          "password": {"type": "string", "minLength": 8, "writeOnly": true}
        }
      },
      "Credentials": {
        "type": "object",
        "additionalProperties": false,
        "required": ["email", "password"],
        "properties": {"email": {"type": "string"}, "password": {"type": "string", "writeOnly": true}}
      },
      "Session": {
        "type": "object",
        "required": ["token", "token_type", "expires_at", "user"],
        "properties": {
          "token": {"type": "string"},
          "token_type": {"const": "Bearer"},
          "expires_at": {"type": "string", "format": "date-time"},
          "user": {"$ref": "#/components/schemas/User"}
        }
      },
      "Money": {
        "type": "object",
        "additionalProperties": false,
        "required": ["amount", "currency"],
        "properties": {
          "amount": {"type": "integer", "minimum": 0, "description": "In minor units, e.g. cents."},
          "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code."}
        }
      },
      "ProductInput": {
        "type": "object",
        "additionalProperties": false,
        "required": ["sku", "name", "price"],
        "properties": {
          "sku": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9._-]+$"},
          "name": {"type": "string", "minLength": 1, "maxLength": 200},
          "description": {"type": "string", "maxLength": 4000},
          "price": {"$ref": "#/components/schemas/Money"},
          "category": {"type": "string", "maxLength": 64}
        }
      },
      "Product": {
        "type": "object",
        "required": [
          "id",
          "sku",
          "name",
          "description",
          "price",
          "category",
          "version",
          "created_at",
          "updated_at"
        ],
        "properties": {
          "id": {"type": "string"},
          "sku": {"type": "string"},
          "name": {"type": "string"},
          "description": {"type": "string", "description": "Empty when none was given."},
          "price": {"$ref": "#/components/schemas/Money"},
          "category": {"type": "string", "description": "Empty when none was given."},
          "version": {
            "type": "integer",
            "minimum": 1,
            "description": "Starts at 1; the ETag is its quoted value."
          },
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }
      },
      "ProductPage": {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Product"}},
          "next_cursor": {
            "type": ["string", "null"],
            "description": "Pass as `cursor` for the next page; null on the last."
          }
        }
      },
      "StockLevel": {
        "type": "object",
        "required": ["product_id", "on_hand", "reserved", "available", "low_stock_threshold"],
        "properties": {
          "product_id": {"type": "string"},
          "on_hand": {"type": "integer", "minimum": 0},
          "reserved": {"type": "integer", "minimum": 0},
          "available": {"type": "integer", "minimum": 0},
          "low_stock_threshold": {"type": "integer", "minimum": 0}
        }
      },
      "Restock": {
        "type": "object",
        "additionalProperties": false,
        "required": ["quantity"],
        "properties": {"quantity": {"type": "integer", "minimum": 1, "maximum": 1000000000}}
      },
      "StockTake": {
        "type": "object",
        "additionalProperties": false,
        "required": ["expected_on_hand", "on_hand"],
        "properties": {
          "expected_on_hand": {"type": "integer", "description": "The on_hand the counter last saw."},
          "on_hand": {"type": "integer", "minimum": 0, "maximum": 1000000000},
          "low_stock_threshold": {"type": "integer", "minimum": 0, "maximum": 1000000000}
        }
      },
      "LedgerEntry": {
        "type": "object",
        "required": ["sequence", "movement", "on_hand_delta", "reserved_delta", "order_id", "at"],
        "properties": {
          "sequence": {"type": "integer"},
          "movement": {"enum": ["restock", "stock_take", "reserve", "release", "sale", "return"]},
          "on_hand_delta": {"type": "integer"},
          "reserved_delta": {"type": "integer"},
          "order_id": {"type": ["string", "null"]},
          "at": {"type": "string", "format": "date-time"}
        }
      },
      "LedgerPage": {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/LedgerEntry"}},
          "next_cursor": {"type": ["string", "null"]}
        }
      },
      "DeliveryStatus": {
        "enum": ["REQUESTED", "ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED", "CANCELLED"]
      },
      "DeliveryAddress": {
        "type": "object",
        "required": ["name", "line1", "line2", "city", "postal_code", "phone"],
        "properties": {
          "name": {"type": "string"},
          "line1": {"type": "string"},
          "line2": {"type": "string", "description": "Empty when none was given."},
          "city": {"type": "string"},
          "postal_code": {"type": "string"},
          "phone": {"type": "string"}
        }
      },
      "Delivery": {
        "type": "object",
        "required": [
          "id",
          "order_id",
          "customer_id",
          "status",
          "address",
          "cancel_reason",
          "created_at",
          "updated_at"
        ],
        "properties": {
          "id": {"type": "string"},
          "order_id": {"type": "string"},
          "customer_id": {"type": "string"},
          "status": {"$ref": "#/components/schemas/DeliveryStatus"},
          "address": {"$ref": "#/components/schemas/DeliveryAddress"},
          "cancel_reason": {"type": ["string", "null"], "description": "Null unless CANCELLED."},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }
      },
      "DeliveryPage": {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/Delivery"}},
          "next_cursor": {"type": ["string", "null"]}
        }
      },
      "WebhookDelivery": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "subscriber_url",
          "status",
          "attempts",
          "last_error",
          "next_attempt_at",
          "event",
          "created_at",
          "updated_at"
        ],
        "properties": {
          "id": {"type": "string"},
          "subscriber_url": {"type": "string"},
          "status": {"enum": ["PENDING", "DELIVERED", "DEAD"]},
          "attempts": {"type": "integer", "minimum": 0, "description": "Since it was queued or last redelivered."},
          "last_error": {"type": "string", "description": "Why the last attempt failed, e.g. `HTTP 503`; empty when none did."},
          "next_attempt_at": {"type": "string", "format": "date-time", "description": "Meaningful while PENDING."},
          "event": {"$ref": "#/components/schemas/CloudEvent"},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }
      },
      "WebhookDeliveryPage": {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/WebhookDelivery"}},
          "next_cursor": {"type": ["string", "null"]}
        }
      },
      "CloudEvent": {
        "type": "object",
        "description": "A CloudEvents 1.0 event in structured mode, as webhook subscribers receive it.",
        "required": ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data"],
        "properties": {
          "specversion": {"const": "1.0"},
          "id": {"type": "string"},
          "source": {"type": "string"},
          "type": {"type": "string"},
          "subject": {"type": "string"},
          "time": {"type": "string", "format": "date-time"},
          "datacontenttype": {"const": "application/json"},
          "data": {"type": "object"}
        }
      },
      "DeliveryStatusChange": {
        "type": "object",
        "additionalProperties": false,
        "required": ["status"],
        "properties": {"status": {"$ref": "#/components/schemas/DeliveryStatus"}}
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The body is not valid JSON or not a JSON object (`malformed_json`).",
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/XRequestId"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "Unauthorized": {
        "description": "No valid bearer token, or wrong credentials.",
        "headers": {
          "X-Request-Id": {"$ref": "#/components/headers/XRequestId"},
          "WWW-Authenticate": {"description": "Always `Bearer`.", "schema": {"type": "string"}}
        },
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "Forbidden": {
        "description": "The user is signed in but not staff.",
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/XRequestId"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "NotFound": {
        "description": "No such resource.",
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/XRequestId"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "Conflict": {
        "description": "The request conflicts with the current state.",
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/XRequestId"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "PreconditionFailed": {
        "description": "If-Match does not name the current version (`stale_version`).",
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/XRequestId"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "ContentTooLarge": {
        "description": "The body exceeds http.body_limit_bytes (`body_too_large`); the connection is closed.",
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/XRequestId"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "PreconditionRequired": {
        "description": "If-Match is missing (`if_match_required`).",
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/XRequestId"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "UnsupportedMediaType": {
        "description": "The body is not application/json.",
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/XRequestId"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "ValidationFailed": {
        "description": "A field is invalid (`validation_failed`); `errors` lists each one.",
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/XRequestId"}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "TooManyRequests": {
        "description": "Too many attempts; retry later.",
        "headers": {
          "X-Request-Id": {"$ref": "#/components/headers/XRequestId"},
          "Retry-After": {"$ref": "#/components/headers/RetryAfter"}
        },
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      },
      "Unavailable": {
        "description": "Busy (the database, or password hashing for sign-ins); retry after the given seconds.",
        "headers": {
          "X-Request-Id": {"$ref": "#/components/headers/XRequestId"},
          "Retry-After": {"$ref": "#/components/headers/RetryAfter"}
        },
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      }
    }
  }
}
)json";
}

}  // namespace shop::http
