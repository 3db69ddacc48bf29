#pragma once

// Static checks of shopbox's modular-monolith rules, run as a test so a
// forbidden dependency fails CI instead of being found in code review.
//
// Rule ids:
//   domain-io       domain code includes an I/O library (asio, sqlite, ...)
//   domain-layer    domain code includes application/ or adapters/
//   module-boundary a file includes another module's domain/ or application/
//                   headers other than application/<module>/api.hpp|events.hpp
//   adapter-wiring  a file includes adapters/<kind>/ without being an adapter
//                   of that kind; only src/main.cpp wires adapters together
//   table-prefix    SQL in a sqlite/postgres adapter of module M names a
//                   table that lacks the "M_" prefix

#include <filesystem>
#include <string>
#include <vector>

namespace shop::architecture {

struct Violation {
    std::string rule;     // one of the rule ids above
    std::string file;     // relative to the scanned root, '/'-separated
    int line;             // 1-based
    std::string message;
};

// Scans root/src/** (.hpp .cpp .h .cc) and returns every violation, ordered by
// file then line. Throws std::runtime_error when root has no src/ directory,
// so a wrong root cannot pass as a clean tree.
std::vector<Violation> check_tree(const std::filesystem::path& root);

}  // namespace shop::architecture
