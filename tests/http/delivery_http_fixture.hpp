#pragma once

#include <memory>
#include <string>

#include "adapters/crypto/identity/sodium_credentials.hpp"
#include "adapters/crypto/sodium.hpp"
#include "adapters/http/delivery/delivery_routes.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/server.hpp"
#include "adapters/memory/identity/memory_identity_store.hpp"
#include "delivery/delivery_fixture.hpp"
#include "support/http_client.hpp"

namespace shop::testing {

// The delivery routes alone, on the delivery module's test fixture (memory
// store, fake order Dispatch) and a real identity for tokens, served on a
// free port. HttpFixture serves them too once the order module is wired.
struct DeliveryHttpFixture : DeliveryFixture {
  memory::SilentLog log;
  memory::MemoryIdentityStore identity_store;
  crypto::Argon2PasswordHasher hasher{crypto::argon2_preset("minimum", 2)};
  crypto::SodiumTokenIssuer tokens;
  std::unique_ptr<identity::IdentityApi> identity =
      identity::make_identity_service({identity_store, hasher, tokens, clock, ids, {}});
  http::Router router{*identity, log};
  std::unique_ptr<http::Server> server;

  DeliveryHttpFixture() {
    crypto::initialise();
    http::add_delivery_routes(router, *deliveries);
    http::ServerSettings settings;
    settings.host = "127.0.0.1";
    settings.port = 0;
    settings.threads = 2;
    server = std::make_unique<http::Server>(settings, router, log);
    server->start();
  }

  HttpClient client() { return HttpClient(server->port()); }

  // A signed-in user of the given role: its token and its user id.
  identity::SessionView sign_in(const std::string& email,
                                identity::Role role = identity::Role::customer) {
    identity->create_user({email, "Tester", "correct horse battery"}, role);
    return identity->log_in(email, "correct horse battery", "fixture");
  }
};

}  // namespace shop::testing
