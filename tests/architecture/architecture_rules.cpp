#include "architecture_rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace shop::architecture {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Character and word helpers

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

char to_lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string lowercase(std::string_view text) {
    std::string result(text);
    std::ranges::transform(result, result.begin(), to_lower);
    return result;
}

// SQL keywords are case-insensitive, so every keyword comparison goes through here.
bool is_one_of(std::string_view word, std::initializer_list<std::string_view> candidates) {
    const std::string lowered = lowercase(word);
    return std::ranges::any_of(candidates, [&](std::string_view c) { return lowered == lowercase(c); });
}

// ---------------------------------------------------------------------------
// C++ lexing

struct Include {
    std::string path;
    bool quoted;  // "..." is searched beside the including file first; <...> is not
    int line;
};

struct StringLiteral {
    std::string text;        // escapes decoded; adjacent literals joined as the compiler does
    std::vector<int> lines;  // source line of each character of text
};

struct LexedSource {
    std::vector<Include> includes;
    std::vector<StringLiteral> literals;
};

// Just enough of a C++ lexer to find #include directives and string literals
// while skipping comments: a commented-out include is not a dependency, and
// SQL quoted in a comment is not SQL the adapter runs. Char literals, digit
// separators and raw strings are lexed properly so none of them can make the
// lexer mistake code for a string or a string for code.
class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}

    LexedSource run() && {
        while (!at_end()) {
            if (is_space(peek())) {
                next();
            } else if (starts_with("//")) {
                skip_line_comment();
            } else if (starts_with("/*")) {
                skip_block_comment();
            } else {
                lex_token();
            }
        }
        return std::move(result_);
    }

private:
    void lex_token() {
        const char c = peek();
        if (c == '#' && at_line_start_) {
            next();
            end_literal_run();
            lex_directive();
        } else if (c == '"') {
            next();
            append_literal(lex_ordinary_string());
        } else if (c == '\'') {
            end_literal_run();
            skip_char_literal();
        } else if (is_digit(c)) {
            end_literal_run();
            skip_number();
        } else if (is_word_char(c)) {
            lex_word();
        } else {
            end_literal_run();
            next();
        }
        // Also undoes next() setting it inside a multi-line raw string.
        at_line_start_ = false;
    }

    void lex_directive() {
        skip_horizontal_space();
        std::string name;
        while (is_word_char(peek())) name += next();
        if (name != "include") return;  // other directives' tokens are lexed as ordinary code
        skip_horizontal_space();
        const char open = peek();
        if (open != '"' && open != '<') return;  // #include MACRO: nothing we can check
        const char close = open == '<' ? '>' : '"';
        next();
        Include include{"", open == '"', line_};
        while (!at_end() && peek() != close && peek() != '\n') include.path += next();
        if (peek() == close) next();
        result_.includes.push_back(std::move(include));
    }

    void lex_word() {
        std::string word;
        while (is_word_char(peek())) word += next();
        if (peek() == '"' && is_raw_string_prefix(word)) {
            next();
            append_literal(lex_raw_string());
            return;
        }
        // An encoding prefix (u8"", L'') belongs to the literal that follows;
        // any other word separates literals that would otherwise be joined.
        if (peek() != '"' && peek() != '\'') end_literal_run();
    }

    static bool is_raw_string_prefix(std::string_view word) {
        return word == "R" || word == "LR" || word == "uR" || word == "UR" || word == "u8R";
    }

    StringLiteral lex_ordinary_string() {
        StringLiteral literal;
        while (!at_end() && peek() != '"' && peek() != '\n') {
            const int line = line_;
            char c = next();
            if (c == '\\') c = unescape(next());
            literal.text += c;
            literal.lines.push_back(line);
        }
        if (peek() == '"') next();
        return literal;
    }

    // Whitespace escapes matter because "FROM\ttable" must still split into two SQL words.
    static char unescape(char c) {
        switch (c) {
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            default: return c;
        }
    }

    StringLiteral lex_raw_string() {
        std::string delimiter;
        while (!at_end() && peek() != '(' && peek() != '\n') delimiter += next();
        next();  // '('
        const std::string terminator = ")" + delimiter + "\"";
        StringLiteral literal;
        while (!at_end() && !starts_with(terminator)) {
            literal.lines.push_back(line_);
            literal.text += next();
        }
        for (std::size_t i = 0; i < terminator.size(); ++i) next();
        return literal;
    }

    void skip_char_literal() {
        next();  // opening quote
        while (!at_end() && peek() != '\'' && peek() != '\n') {
            if (next() == '\\') next();
        }
        if (peek() == '\'') next();
    }

    // Consumed whole as a pp-number so a digit separator (1'000) does not open a char literal.
    void skip_number() {
        while (is_word_char(peek()) || peek() == '.' || (peek() == '\'' && is_word_char(peek(1)))) next();
    }

    void skip_line_comment() {
        while (!at_end() && peek() != '\n') next();
    }

    void skip_block_comment() {
        next();
        next();
        while (!at_end() && !starts_with("*/")) next();
        next();
        next();
    }

    void skip_horizontal_space() {
        while (peek() == ' ' || peek() == '\t') next();
    }

    void append_literal(StringLiteral piece) {
        if (in_literal_run_) {
            StringLiteral& joined = result_.literals.back();
            joined.text += piece.text;
            joined.lines.insert(joined.lines.end(), piece.lines.begin(), piece.lines.end());
        } else {
            result_.literals.push_back(std::move(piece));
        }
        in_literal_run_ = true;
    }

    void end_literal_run() { in_literal_run_ = false; }

    bool at_end() const { return pos_ >= text_.size(); }
    char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
    bool starts_with(std::string_view s) const { return text_.substr(pos_).starts_with(s); }

    // Every character is consumed here, so line tracking cannot drift.
    char next() {
        if (at_end()) return '\0';
        const char c = text_[pos_++];
        if (c == '\n') {
            ++line_;
            at_line_start_ = true;
        }
        return c;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1;
    bool at_line_start_ = true;   // only a '#' first on its line starts a directive
    bool in_literal_run_ = false;  // the last token was a string literal
    LexedSource result_;
};

// ---------------------------------------------------------------------------
// Where a path sits in the architecture

// For a path relative to src/, e.g. "adapters/sqlite/catalog/repository.cpp".
struct Placement {
    std::string layer;   // "domain", "application", "adapters", or "" (src/ root, libraries)
    std::string kind;    // adapter kind (http, sqlite, ...) under adapters/<kind>/
    std::string module;  // owning module; "" for the shared kernel and unowned files
};

Placement place(const fs::path& in_src) {
    std::vector<std::string> parts;
    for (const fs::path& part : in_src) parts.push_back(part.generic_string());

    // Only directories name kinds and modules: "domain/x.hpp" has a layer but no module.
    Placement placement;
    if (parts.size() >= 2 && (parts[0] == "domain" || parts[0] == "application")) {
        placement.layer = parts[0];
        if (parts.size() >= 3) placement.module = parts[1];
    } else if (parts.size() >= 2 && parts[0] == "adapters") {
        placement.layer = parts[0];
        if (parts.size() >= 3) placement.kind = parts[1];
        if (parts.size() >= 4) placement.module = parts[2];
    }
    if (placement.module == "shared") placement.module.clear();  // the shared kernel belongs to everyone
    return placement;
}

struct SourceFile {
    fs::path path;         // on disk
    std::string display;   // relative to the scanned root, for reports
    fs::path in_src;       // relative to src/
    Placement placement;
};

struct ResolvedInclude {
    std::string spelling;  // as written, delimiters included, for messages
    fs::path target;       // relative to src/ for project headers, else as written
    Placement placement;
    int line;
};

// Mirrors the compiler's search for "quoted" includes: beside the including
// file first, then src/ (which is how project includes are written). Angle
// includes and headers that don't exist yet are taken as written, so a
// forbidden include of a not-yet-written header is still caught; "./" and
// "../" paths can only mean beside the file, existing or not.
ResolvedInclude resolve(const Include& include, const SourceFile& file, const fs::path& src) {
    const fs::path written = fs::path(include.path).lexically_normal();
    fs::path target = written;
    if (include.quoted) {
        const fs::path beside = (file.path.parent_path() / written).lexically_normal();
        const bool explicitly_relative = include.path.starts_with("./") || include.path.starts_with("../");
        std::error_code ignored;
        if (explicitly_relative || fs::is_regular_file(beside, ignored)) target = beside.lexically_relative(src);
    }
    const std::string spelling = include.quoted ? '"' + include.path + '"' : '<' + include.path + '>';
    return {spelling, target, place(target), include.line};
}

// ---------------------------------------------------------------------------
// Include rules: each returns a message when the include breaks the rule.

using IncludeRule = std::optional<std::string> (*)(const SourceFile&, const ResolvedInclude&);

constexpr std::array<std::string_view, 12> io_library_prefixes = {
    "boost/asio", "boost/beast", "SQLiteCpp", "sqlite3",  "librdkafka", "rdkafka",
    "libpq",      "pqxx",        "postgresql", "openssl", "sodium",     "curl",
};

std::optional<std::string> domain_io(const SourceFile& file, const ResolvedInclude& include) {
    if (file.placement.layer != "domain") return {};
    const std::string target = include.target.generic_string();
    const bool is_io = std::ranges::any_of(io_library_prefixes, [&](std::string_view prefix) { return target.starts_with(prefix); });
    if (!is_io) return {};
    return "domain code must stay free of I/O, but includes " + include.spelling;
}

std::optional<std::string> domain_layer(const SourceFile& file, const ResolvedInclude& include) {
    if (file.placement.layer != "domain") return {};
    if (include.placement.layer != "application" && include.placement.layer != "adapters") return {};
    return "domain must not depend on the " + include.placement.layer + " layer, but includes " + include.spelling;
}

std::optional<std::string> module_boundary(const SourceFile& file, const ResolvedInclude& include) {
    const Placement& to = include.placement;
    if (to.layer != "domain" && to.layer != "application") return {};
    if (to.module.empty() || to.module == file.placement.module) return {};
    const fs::path public_dir = fs::path("application") / to.module;
    if (include.target == public_dir / "api.hpp" || include.target == public_dir / "events.hpp") return {};
    const std::string from = file.placement.module.empty() ? "code outside any module" : "module '" + file.placement.module + "'";
    return from + " reaches into module '" + to.module + "' via " + include.spelling + "; only application/" + to.module +
           "/api.hpp and events.hpp are public";
}

std::optional<std::string> adapter_wiring(const SourceFile& file, const ResolvedInclude& include) {
    if (include.placement.layer != "adapters") return {};
    if (file.in_src == "main.cpp") return {};
    if (!file.placement.kind.empty() && file.placement.kind == include.placement.kind) return {};
    return "only src/main.cpp wires adapters together (and an adapter may use its own kind), but this includes " +
           include.spelling;
}

struct NamedIncludeRule {
    std::string_view id;
    IncludeRule check;
};

// Rules are independent: one include may break several (a domain file pulling
// in an adapter is reported as both domain-layer and adapter-wiring).
constexpr std::array<NamedIncludeRule, 4> include_rules = {{
    {"domain-io", domain_io},
    {"domain-layer", domain_layer},
    {"module-boundary", module_boundary},
    {"adapter-wiring", adapter_wiring},
}};

void check_includes(const SourceFile& file, const std::vector<Include>& includes, const fs::path& src,
                    std::vector<Violation>& violations) {
    for (const Include& include : includes) {
        const ResolvedInclude resolved = resolve(include, file, src);
        for (const auto& [id, check] : include_rules) {
            if (auto message = check(file, resolved)) {
                violations.push_back({std::string(id), file.display, resolved.line, std::move(*message)});
            }
        }
    }
}

// ---------------------------------------------------------------------------
// SQL table prefixes: a module's tables are private to it, and the prefix makes
// that visible (and keeps modules from colliding) in a shared database.

struct SqlToken {
    std::string text;    // quoted identifiers without their quotes
    bool is_name;        // an identifier that could name a table
    std::size_t offset;  // into the literal, to find the source line
};

std::vector<SqlToken> tokenize_sql(std::string_view sql) {
    std::vector<SqlToken> tokens;
    std::size_t i = 0;
    auto find_or_end = [&](std::string_view what, std::size_t from) {
        const std::size_t at = sql.find(what, from);
        return at == std::string_view::npos ? sql.size() : at;
    };
    while (i < sql.size()) {
        const char c = sql[i];
        if (is_space(c)) {
            ++i;
        } else if (sql.substr(i).starts_with("--")) {
            i = find_or_end("\n", i);
        } else if (sql.substr(i).starts_with("/*")) {
            i = find_or_end("*/", i + 2) + 2;
        } else if (c == '\'') {
            // A value, never a table name, e.g. the FTS5 option content='catalog_products'.
            tokens.push_back({"'", false, i});
            i = find_or_end("'", i + 1) + 1;
        } else if (c == '"' || c == '`') {
            const std::size_t end = find_or_end(std::string_view(&c, 1), i + 1);
            tokens.push_back({std::string(sql.substr(i + 1, end - i - 1)), true, i});
            i = end + 1;
        } else if (is_word_char(c) || c == '$') {
            const std::size_t start = i;
            while (i < sql.size() && (is_word_char(sql[i]) || sql[i] == '$')) ++i;
            std::string word(sql.substr(start, i - start));
            const bool is_name = !is_digit(word[0]) && word[0] != '$';  // not a number or $1 parameter
            tokens.push_back({std::move(word), is_name, start});
        } else {
            tokens.push_back({std::string(1, c), false, i});
            ++i;
        }
    }
    return tokens;
}

// Adapters also hold error and log strings ("cannot read from disk"), so only
// literals in which a statement starts (at the beginning or after ';') are
// treated as SQL. FROM/JOIN openers admit query fragments glued on later.
bool contains_sql_statement(const std::vector<SqlToken>& tokens) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const bool starts_statement = i == 0 || tokens[i - 1].text == ";";
        if (starts_statement && is_one_of(tokens[i].text, {"SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH",
                                                           "CREATE", "DROP", "ALTER", "FROM", "JOIN"})) {
            return true;
        }
    }
    return false;
}

// For each token, the function whose call parentheses enclose it ("" if none),
// so FROM inside EXTRACT(EPOCH FROM created_at) is not read as a table source.
std::vector<std::string> enclosing_calls(const std::vector<SqlToken>& tokens) {
    std::vector<std::string> open_calls;
    std::vector<std::string> result;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i].text == ")" && !open_calls.empty()) open_calls.pop_back();
        result.push_back(open_calls.empty() ? "" : open_calls.back());
        if (tokens[i].text == "(") open_calls.push_back(i > 0 && tokens[i - 1].is_name ? tokens[i - 1].text : "");
    }
    return result;
}

// Position just past the parenthesised group opening at tokens[i], or i when
// tokens[i] does not open one.
std::size_t skip_parenthesised(const std::vector<SqlToken>& tokens, std::size_t i) {
    int depth = 0;
    for (std::size_t j = i; j < tokens.size(); ++j) {
        if (tokens[j].text == "(") ++depth;
        if (tokens[j].text == ")") --depth;
        if (depth == 0) return j == i ? i : j + 1;
    }
    return tokens.size();
}

// Names bound by WITH name [(columns)] AS (...): queried like tables but owned by the query.
std::vector<std::string> common_table_expressions(const std::vector<SqlToken>& tokens) {
    std::vector<std::string> names;
    for (std::size_t i = 1; i < tokens.size(); ++i) {
        if (!tokens[i].is_name || !is_one_of(tokens[i - 1].text, {"WITH", "RECURSIVE", ","})) continue;
        const std::size_t as = skip_parenthesised(tokens, i + 1);
        if (as + 1 < tokens.size() && is_one_of(tokens[as].text, {"AS"}) && tokens[as + 1].text == "(") {
            names.push_back(lowercase(tokens[i].text));
        }
    }
    return names;
}

// Skips optional words (IF NOT EXISTS, ONLY, ...) between a keyword and the table name.
std::size_t skip_words(const std::vector<SqlToken>& tokens, std::size_t i, std::initializer_list<std::string_view> words) {
    while (i < tokens.size() && is_one_of(tokens[i].text, words)) ++i;
    return i;
}

// If tokens[i] is a keyword that introduces a table name, where that name is.
std::optional<std::size_t> table_name_position(const std::vector<SqlToken>& tokens, const std::vector<std::string>& calls,
                                               std::size_t i) {
    const std::string_view word = tokens[i].text;
    const std::string_view before = i > 0 ? std::string_view(tokens[i - 1].text) : "";
    if (is_one_of(word, {"FROM", "JOIN"})) {
        // IS [NOT] DISTINCT FROM compares values; EXTRACT(x FROM y) and friends take expressions.
        if (is_one_of(before, {"DISTINCT"}) || is_one_of(calls[i], {"EXTRACT", "SUBSTRING", "TRIM", "OVERLAY"})) return {};
        const std::size_t name = skip_words(tokens, i + 1, {"ONLY", "LATERAL"});
        // FROM json_each(?) reads a table-valued function, not a table.
        if (name + 1 < tokens.size() && tokens[name + 1].text == "(") return {};
        return name;
    }
    if (is_one_of(word, {"INTO", "TABLE"})) return skip_words(tokens, i + 1, {"IF", "NOT", "EXISTS"});
    if (is_one_of(word, {"UPDATE"})) {
        // Not a table update: row locks (FOR [NO KEY] UPDATE), upsert actions
        // (DO UPDATE SET), foreign-key actions (ON UPDATE) and trigger events.
        if (is_one_of(before, {"FOR", "KEY", "DO", "ON", "BEFORE", "AFTER", "OF", "OR"})) return {};
        return skip_words(tokens, i + 1, {"OR", "ROLLBACK", "ABORT", "REPLACE", "FAIL", "IGNORE", "ONLY"});
    }
    if (is_one_of(word, {"INDEX"})) {
        // INDEX [IF NOT EXISTS] [name] ON table; Postgres allows leaving out the name.
        std::size_t on = skip_words(tokens, i + 1, {"IF", "NOT", "EXISTS", "CONCURRENTLY"});
        if (on < tokens.size() && !is_one_of(tokens[on].text, {"ON"})) ++on;
        if (on < tokens.size() && is_one_of(tokens[on].text, {"ON"})) return skip_words(tokens, on + 1, {"ONLY"});
    }
    return {};
}

struct TableReference {
    std::string schema;  // "" unless written schema.table
    std::string name;
    std::size_t offset;
};

// Tables the database engine owns; no module could prefix them.
bool is_engine_table(const TableReference& table) {
    const std::string name = lowercase(table.name);
    return name.starts_with("sqlite_") || name.starts_with("pg_") ||
           is_one_of(table.schema, {"information_schema", "pg_catalog"});
}

std::vector<TableReference> referenced_tables(const std::vector<SqlToken>& tokens) {
    const std::vector<std::string> calls = enclosing_calls(tokens);
    const std::vector<std::string> ctes = common_table_expressions(tokens);
    std::vector<TableReference> tables;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::optional<std::size_t> at = table_name_position(tokens, calls, i);
        // No name there means e.g. a subquery: FROM (SELECT ...).
        if (!at || *at >= tokens.size() || !tokens[*at].is_name) continue;
        TableReference table{"", tokens[*at].text, tokens[*at].offset};
        if (*at + 2 < tokens.size() && tokens[*at + 1].text == "." && tokens[*at + 2].is_name) {
            table = {tokens[*at].text, tokens[*at + 2].text, tokens[*at + 2].offset};
        }
        // `excluded` is the upsert pseudo-table holding the row that was proposed.
        if (is_one_of(table.name, {"excluded"}) || is_engine_table(table)) continue;
        if (std::ranges::find(ctes, lowercase(table.name)) != ctes.end()) continue;
        tables.push_back(std::move(table));
    }
    return tables;
}

void check_table_prefixes(const SourceFile& file, const std::vector<StringLiteral>& literals,
                          std::vector<Violation>& violations) {
    const Placement& at = file.placement;
    if ((at.kind != "sqlite" && at.kind != "postgres") || at.module.empty()) return;
    const std::string prefix = at.module + "_";
    for (const StringLiteral& literal : literals) {
        const std::vector<SqlToken> tokens = tokenize_sql(literal.text);
        if (!contains_sql_statement(tokens)) continue;
        for (const TableReference& table : referenced_tables(tokens)) {
            if (lowercase(table.name).starts_with(prefix)) continue;
            violations.push_back({"table-prefix", file.display, literal.lines[table.offset],
                                  "table '" + table.name + "' in module '" + at.module + "' must be named '" + prefix +
                                      "...'"});
        }
    }
}

// ---------------------------------------------------------------------------
// Walking the tree

std::vector<fs::path> source_files(const fs::path& src) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(src)) {
        const std::string extension = entry.path().extension().string();
        const bool is_source = extension == ".hpp" || extension == ".cpp" || extension == ".h" || extension == ".cc";
        if (entry.is_regular_file() && is_source) files.push_back(entry.path());
    }
    std::ranges::sort(files);  // directory order varies; reports should not
    return files;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("architecture check: cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

std::vector<Violation> check_tree(const fs::path& root) {
    const fs::path base = root.lexically_normal();
    const fs::path src = base / "src";
    if (!fs::is_directory(src)) throw std::runtime_error("architecture check: no src/ directory under " + root.string());

    std::vector<Violation> violations;
    for (const fs::path& path : source_files(src)) {
        const fs::path in_src = path.lexically_relative(src);
        const SourceFile file{path, path.lexically_relative(base).generic_string(), in_src, place(in_src)};
        const LexedSource lexed = Lexer(read_text(path)).run();
        check_includes(file, lexed.includes, src, violations);
        check_table_prefixes(file, lexed.literals, violations);
    }
    std::ranges::stable_sort(violations, {}, [](const Violation& v) { return std::pair(v.file, v.line); });
    return violations;
}

}  // namespace shop::architecture
