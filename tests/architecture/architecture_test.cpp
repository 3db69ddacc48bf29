#include "architecture_rules.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace {

using shop::architecture::Violation;

std::string describe(const std::vector<Violation>& violations) {
    std::ostringstream out;
    for (const Violation& v : violations) {
        out << v.file << ':' << v.line << ": [" << v.rule << "] " << v.message << '\n';
    }
    return out.str();
}

// "rule file:line", one per line, sorted: comparing these as one string makes a
// failure show exactly which findings are missing or unexpected.
std::string fingerprints(const std::vector<Violation>& violations) {
    std::vector<std::string> lines;
    for (const Violation& v : violations) lines.push_back(v.rule + ' ' + v.file + ':' + std::to_string(v.line));
    std::ranges::sort(lines);
    std::string joined;
    for (const std::string& line : lines) joined += line + '\n';
    return joined;
}

}  // namespace

TEST_CASE("the shopbox source tree obeys the architecture rules") {
    const std::vector<Violation> violations = shop::architecture::check_tree(SHOPBOX_SOURCE_DIR);
    INFO("architecture violations:\n" << describe(violations));
    CHECK(violations.empty());
}

TEST_CASE("the fixture's planted violations are each caught") {
    // One planted violation per rule, each in its own file; every other
    // fixture file exercises something the rules must allow.
    const std::vector<Violation> expected = {
        {"domain-io", "src/domain/catalog/planted_io_include.hpp", 6, ""},
        {"domain-layer", "src/domain/stock/planted_layer_include.hpp", 6, ""},
        {"module-boundary", "src/application/order/planted_boundary_include.cpp", 6, ""},
        {"adapter-wiring", "src/adapters/http/order/planted_cross_adapter_include.cpp", 6, ""},
        {"table-prefix", "src/adapters/sqlite/stock/planted_unprefixed_table.cpp", 16, ""},
    };

    const std::vector<Violation> found =
        shop::architecture::check_tree(SHOPBOX_SOURCE_DIR "/tests/architecture/fixture");

    INFO("found:\n" << describe(found));
    CHECK(fingerprints(found) == fingerprints(expected));
}
