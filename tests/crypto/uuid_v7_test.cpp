#include <doctest/doctest.h>

#include <set>
#include <string>

#include "adapters/crypto/sodium.hpp"
#include "adapters/memory/test_doubles.hpp"

using namespace shop;

TEST_CASE("UUIDv7 ids sort in the order they were made, within a millisecond too") {
  crypto::initialise();
  memory::ManualClock clock;
  crypto::UuidV7Generator ids(clock);
  std::string previous = ids.next();
  std::set<std::string> seen{previous};
  for (int i = 0; i < 10'000; ++i) {  // far more than 4096 in one millisecond
    if (i % 3000 == 0) clock.advance(std::chrono::milliseconds(1));
    std::string id = ids.next();
    REQUIRE(id > previous);
    CHECK(id.size() == 36);
    CHECK(id[14] == '7');  // version
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);  // RFC 9562 variant
    seen.insert(id);
    previous = id;
  }
  CHECK(seen.size() == 10'001);
  // A clock that steps back does not make ids go back.
  clock.advance(std::chrono::milliseconds(-60'000));
  CHECK(ids.next() > previous);
}
