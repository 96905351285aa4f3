// Hand-written lexer and recursive-descent parser for .bind scenarios.
// The lexer turns the whole text into tokens first; a lexical error becomes an
// Error token, so it is reported only when the parser reaches it and errors
// come out in file order. Parsing stops at the first error (thrown internally
// as ParseError, caught in parse_scenario). Names that may be declared later
// are resolved when their scope ends: resources, components and masters at
// the end of their driver, match lists and device_unregister at end of file.

#include "model/scenario_parser.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

namespace bindcheck::model {

std::string Diagnostic::to_string() const {
    if (line == 0) return file + ": error: " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": error: " + message;
}

namespace {

constexpr int kMaxDevices = 32;
constexpr int kMaxDrivers = 32;
constexpr int kMaxComponents = 60;
constexpr int kMaxMasters = 60;
constexpr int kMaxResources = 190; // with one match header per master, below 256 allocation sites
constexpr int kMaxCompletions = 64;
constexpr int kMaxGroupIds = 64;
constexpr int kMaxStatementsPerBlock = 200;
constexpr long long kMaxNumber = 1000000;
constexpr long long kMaxBound = 15;
constexpr long long kMaxArraySize = 32; // as many clones as there may be drivers
// Lets the lexer keep a huge literal's value without overflow; anything this
// large is rejected by the range checks anyway.
constexpr long long kSaturatedNumber = 1000000000000LL;

// Every bare word of the grammar; none of them can be used as a name.
constexpr std::array<std::string_view, 39> kKeywords = {
    "device", "driver", "on", "bound", "rebinds", "resumes", "open_group_failures",
    "probe", "remove", "runtime_resume", "may_fail", "component", "master", "bind", "unbind",
    "devm", "size", "release", "use", "free", "devm_free",
    "component_add", "component_add_typed", "component_del",
    "component_master_add_with_match", "match", "component_master_del",
    "component_bind_all", "component_unbind_all",
    "devres_open_group", "devres_close_group", "devres_remove_group", "devres_release_group",
    "NULL", "complete", "wait", "timeout", "init_completion", "device_unregister",
};

struct StatementKeyword {
    std::string_view word;
    StatementKind kind;
};

constexpr std::array<StatementKeyword, 20> kStatementKeywords = {{
    {"devm", StatementKind::Devm},
    {"use", StatementKind::Use},
    {"free", StatementKind::Free},
    {"devm_free", StatementKind::DevmFree},
    {"component_add", StatementKind::ComponentAdd},
    {"component_add_typed", StatementKind::ComponentAddTyped},
    {"component_del", StatementKind::ComponentDel},
    {"component_master_add_with_match", StatementKind::ComponentMasterAddWithMatch},
    {"component_master_del", StatementKind::ComponentMasterDel},
    {"component_bind_all", StatementKind::ComponentBindAll},
    {"component_unbind_all", StatementKind::ComponentUnbindAll},
    {"devres_open_group", StatementKind::DevresOpenGroup},
    {"devres_close_group", StatementKind::DevresCloseGroup},
    {"devres_remove_group", StatementKind::DevresRemoveGroup},
    {"devres_release_group", StatementKind::DevresReleaseGroup},
    {"complete", StatementKind::Complete},
    {"wait", StatementKind::Wait},
    {"init_completion", StatementKind::InitCompletion},
    {"may_fail", StatementKind::MayFail},
    {"device_unregister", StatementKind::DeviceUnregister},
}};

struct ErrnoName {
    std::string_view name;
    Errno value;
};

constexpr std::array<ErrnoName, 6> kErrnoNames = {{
    {"EINVAL", kEINVAL},
    {"ENOMEM", kENOMEM},
    {"ENODEV", kENODEV},
    {"EBUSY", kEBUSY},
    {"EIO", kEIO},
    {"EPROBE_DEFER", kEPROBE_DEFER},
}};

constexpr std::string_view kErrnoList = "EINVAL, ENOMEM, ENODEV, EBUSY, EIO or EPROBE_DEFER";

bool is_keyword(std::string_view word) {
    return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

std::optional<StatementKind> statement_kind_for(std::string_view word) {
    for (const auto& entry : kStatementKeywords)
        if (entry.word == word) return entry.kind;
    return std::nullopt;
}

std::optional<Errno> errno_for(std::string_view name) {
    for (const auto& entry : kErrnoNames)
        if (entry.name == name) return entry.value;
    return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c) || c == '.' || c == '-'; }
bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
}

// Messages quote user text; keep them one short, printable line.
std::string printable(std::string_view text) {
    constexpr std::size_t kMaxShown = 40;
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte >= 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xf];
        } else {
            out += static_cast<char>(byte);
        }
    }
    if (text.size() > kMaxShown) out += "...";
    return out;
}

std::string quoted(std::string_view text) { return "'" + printable(text) + "'"; }

std::string format_location(SourceLocation where) {
    return std::to_string(where.line) + ":" + std::to_string(where.column);
}

bool comes_before(SourceLocation a, SourceLocation b) {
    return a.line < b.line || (a.line == b.line && a.column < b.column);
}

// ---------------------------------------------------------------- lexer

enum class TokenKind {
    Word, Int, String,
    LBrace, RBrace, LParen, RParen, LBracket, RBracket, Comma, Equals, Minus, Semicolon,
    Newline, End,
    Error, // text is the message; always the last token but End
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::string text;    // the word, digits, string contents or punctuation; Error: the message
    long long value = 0; // Int, saturated at kSaturatedNumber
    SourceLocation where;
};

std::optional<TokenKind> punctuation_kind(char c) {
    switch (c) {
    case '{': return TokenKind::LBrace;
    case '}': return TokenKind::RBrace;
    case '(': return TokenKind::LParen;
    case ')': return TokenKind::RParen;
    case '[': return TokenKind::LBracket;
    case ']': return TokenKind::RBracket;
    case ',': return TokenKind::Comma;
    case '=': return TokenKind::Equals;
    case '-': return TokenKind::Minus;
    case ';': return TokenKind::Semicolon;
    default: return std::nullopt;
    }
}

class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}

    /// Ends with an End token, or with an Error token at the first lexical error.
    std::vector<Token> tokenize() {
        std::vector<Token> tokens;
        for (;;) {
            skip_blanks_and_comment();
            const SourceLocation start = here();
            if (pos_ >= text_.size()) {
                tokens.push_back({TokenKind::End, "", 0, start});
                return tokens;
            }
            const char c = text_[pos_];
            if (c == '\n') {
                tokens.push_back({TokenKind::Newline, "\n", 0, start});
                advance();
            } else if (const auto punctuation = punctuation_kind(c)) {
                tokens.push_back({*punctuation, std::string(1, c), 0, start});
                advance();
            } else if (c == '"') {
                tokens.push_back(lex_string());
            } else if (is_digit(c)) {
                tokens.push_back(lex_number());
            } else if (is_name_start(c)) {
                tokens.push_back({TokenKind::Word, std::string(take_name_run()), 0, start});
            } else {
                tokens.push_back(error(start, "unexpected character " + quoted(std::string_view(&text_[pos_], 1))));
            }
            if (tokens.back().kind == TokenKind::Error) return tokens;
        }
    }

private:
    SourceLocation here() const { return {line_, column_}; }

    void advance() {
        if (text_[pos_] == '\n') {
            ++line_;
            column_ = 1;
        } else {
            ++column_;
        }
        ++pos_;
    }

    void skip_blanks_and_comment() {
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
                advance();
            } else if (c == '#') {
                while (pos_ < text_.size() && text_[pos_] != '\n') advance();
            } else {
                return;
            }
        }
    }

    std::string_view take_name_run() {
        const std::size_t begin = pos_;
        while (pos_ < text_.size() && is_name_char(text_[pos_])) advance();
        return text_.substr(begin, pos_ - begin);
    }

    static Token error(SourceLocation where, std::string message) {
        return {TokenKind::Error, std::move(message), 0, where};
    }

    Token lex_string() {
        const SourceLocation open = here();
        advance();
        const std::size_t begin = pos_;
        while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
            if (is_control(text_[pos_]) && text_[pos_] != '\t')
                return error(here(), "unexpected control character " + quoted(text_.substr(pos_, 1)) + " in string");
            advance();
        }
        if (pos_ >= text_.size() || text_[pos_] != '"')
            return error(open, "unterminated string: missing '\"' before end of line");
        std::string contents(text_.substr(begin, pos_ - begin));
        advance();
        return {TokenKind::String, std::move(contents), 0, open};
    }

    // A digit starts a number; letters glued to it ("48k") make it invalid
    // rather than silently splitting into a number and a name.
    Token lex_number() {
        const SourceLocation start = here();
        const std::string_view run = take_name_run();
        long long value = 0;
        for (const char c : run) {
            if (!is_digit(c)) return error(start, "invalid number " + quoted(run));
            value = std::min(value * 10 + (c - '0'), kSaturatedNumber);
        }
        return {TokenKind::Int, std::string(run), value, start};
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1;
    int column_ = 1;
};

// ---------------------------------------------------------------- parser

struct ParseError {
    SourceLocation where;
    std::string message;
};

struct NameRef {
    std::string name;
    SourceLocation where;
    bool indexed = false; // written NAME[] or NAME[K]
};

enum class BlockOwner { Driver, Component, Master };

/// Names a block without holding a pointer into a vector that may still grow.
struct BlockRef {
    BlockOwner owner = BlockOwner::Driver;
    int index = -1;
    int slot = 0; // Driver: 0 probe, 1 remove, 2 runtime_resume; Component/Master: 0 bind, 1 unbind
};

/// A name inside a statement that can only be resolved at the end of its driver.
struct PendingReference {
    enum class Target { Resource, Component, Master } target = Target::Resource;
    BlockRef block;
    int statement = -1;
    NameRef name;
    SourceLocation statement_where;
    std::optional<std::vector<NameRef>> match; // component_master_add_with_match
};

/// The match list a master was first added with, resolved at end of file.
struct MatchSource {
    std::vector<NameRef> names;
    SourceLocation where;
};

struct PendingUnregister {
    int device = -1;
    SourceLocation where;
};

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    Scenario parse() {
        for (;;) {
            skip_separators();
            const Token& token = peek();
            if (token.kind == TokenKind::End) break;
            if (is_word(token, "device")) {
                parse_device();
            } else if (is_word(token, "driver")) {
                parse_driver();
            } else if (is_word(token, "bound")) {
                parse_bound();
            } else {
                fail(token.where, "expected 'device', 'driver' or 'bound', got " + describe(token));
            }
            expect_end_of_statement();
        }
        finish_file();
        return std::move(scenario_);
    }

private:
    // ---- token access

    [[noreturn]] static void fail(SourceLocation where, std::string message) {
        throw ParseError{where, std::move(message)};
    }

    const Token& peek() const {
        const Token& token = tokens_[pos_];
        if (token.kind == TokenKind::Error) fail(token.where, token.text);
        return token;
    }

    const Token& take() {
        const Token& token = peek();
        if (token.kind == TokenKind::End) return token;
        if (token.kind != TokenKind::Newline && token.kind != TokenKind::Semicolon) last_taken_ = pos_;
        ++pos_;
        return token;
    }

    static bool is_word(const Token& token, std::string_view word) {
        return token.kind == TokenKind::Word && token.text == word;
    }

    bool at_word(std::string_view word) const { return is_word(peek(), word); }

    bool take_word(std::string_view word) {
        if (!at_word(word)) return false;
        take();
        return true;
    }

    static std::string describe(const Token& token) {
        switch (token.kind) {
        case TokenKind::String: return "string \"" + printable(token.text) + "\"";
        case TokenKind::Newline: return "end of line";
        case TokenKind::End: return "end of file";
        default: return quoted(token.text);
        }
    }

    /// The last consumed token, for "after X" in messages.
    std::string previous() const { return describe(tokens_[last_taken_]); }

    void skip_separators() {
        while (peek().kind == TokenKind::Newline || peek().kind == TokenKind::Semicolon) take();
    }

    void skip_newlines() {
        while (peek().kind == TokenKind::Newline) take();
    }

    // A closing brace also ends a statement, so that "bind { use x }" fits on
    // one line; inside a driver, an item that ends with a block may be followed
    // on the same line by the next one: "component c { bind { } unbind { } }".
    void expect_end_of_statement(bool block_may_end_it = false) {
        const Token& token = peek();
        if (block_may_end_it && tokens_[last_taken_].kind == TokenKind::RBrace) {
            if (token.kind == TokenKind::Newline || token.kind == TokenKind::Semicolon) take();
            return;
        }
        switch (token.kind) {
        case TokenKind::Newline:
        case TokenKind::Semicolon: take(); return;
        case TokenKind::RBrace:
        case TokenKind::End: return;
        default: fail(token.where, "expected end of statement, got " + describe(token));
        }
    }

    // The brace may sit on the next line, as kernel developers write function bodies.
    void expect_open_brace() {
        const std::string after = previous();
        skip_newlines();
        const Token& token = peek();
        if (token.kind != TokenKind::LBrace) fail(token.where, "expected '{' after " + after + ", got " + describe(token));
        take();
    }

    /// NAME, NAME[] (with the index of the driver array clone being parsed)
    /// or NAME[K]: the name with the index appended. A declaration's own
    /// name (`declaration`) takes no index: its brackets give an array size.
    NameRef expect_name(std::string_view what, bool declaration = false) {
        const Token& token = peek();
        if (token.kind != TokenKind::Word)
            fail(token.where, "expected " + std::string(what) + " after " + previous() + ", got " + describe(token));
        if (is_keyword(token.text))
            fail(token.where, "expected " + std::string(what) + " after " + previous() + ", got keyword " + describe(token));
        take();
        NameRef name{token.text, token.where};
        if (declaration || peek().kind != TokenKind::LBracket) return name;
        const Token& open = take();
        const Token& index = peek();
        if (index.kind == TokenKind::RBracket) {
            if (clone_index_ < 0)
                fail(open.where, quoted(name.name + "[]") + " names this clone's " + quoted(name.name) +
                                     ": only inside a driver array (driver NAME[N] on ...)");
            take();
            name.name += std::to_string(clone_index_);
        } else {
            if (index.kind != TokenKind::Int)
                fail(index.where, "expected an index or ']' after '[', got " + describe(index));
            if (index.value >= kMaxArraySize)
                fail(index.where, "index " + printable(index.text) + " is out of range (0.." +
                                      std::to_string(kMaxArraySize - 1) + ")");
            take();
            expect_close_bracket();
            name.name += std::to_string(index.value);
        }
        name.indexed = true;
        return name;
    }

    void expect_close_bracket() {
        const Token& close = peek();
        if (close.kind != TokenKind::RBracket)
            fail(close.where, "expected ']' after " + previous() + ", got " + describe(close));
        take();
    }

    /// [ '[' INT ']' ] after a declared name: the array size, or 0 without one.
    int parse_array_size() {
        if (peek().kind != TokenKind::LBracket) return 0;
        take();
        const Token& size = peek();
        if (size.kind != TokenKind::Int)
            fail(size.where, "expected an array size after '[', got " + describe(size));
        if (size.value < 1 || size.value > kMaxArraySize)
            fail(size.where, "array size " + printable(size.text) + " is out of range (1.." +
                                 std::to_string(kMaxArraySize) + ")");
        take();
        expect_close_bracket();
        return static_cast<int>(size.value);
    }

    int expect_number(std::string_view what) {
        const Token& token = peek();
        if (token.kind != TokenKind::Int) fail(token.where, "expected a number after " + previous() + ", got " + describe(token));
        if (token.value > kMaxNumber)
            fail(token.where, std::string(what) + " " + printable(token.text) + " is out of range (0.." + std::to_string(kMaxNumber) + ")");
        take();
        return static_cast<int>(token.value);
    }

    int expect_device() {
        const NameRef name = expect_name("a device name");
        const int device = find_device(name.name);
        if (device < 0) fail(name.where, "unknown device " + quoted(name.name));
        return device;
    }

    /// [ '-' ] ERRNO after may_fail; the default when no errno follows.
    int parse_optional_errno() {
        if (peek().kind == TokenKind::Minus) {
            take();
            const Token& token = peek();
            if (token.kind != TokenKind::Word || !errno_for(token.text))
                fail(token.where, "expected an errno (" + std::string(kErrnoList) + ") after '-', got " + describe(token));
            take();
            return *errno_for(token.text);
        }
        const Token& token = peek();
        if (token.kind != TokenKind::Word || is_keyword(token.text)) return kEINVAL;
        const auto value = errno_for(token.text);
        if (!value) fail(token.where, "unknown errno " + quoted(token.text) + " (expected " + std::string(kErrnoList) + ")");
        take();
        return *value;
    }

    // ---- lookups

    template <typename Named>
    static int index_by_name(const std::vector<Named>& items, std::string_view name) {
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i].name == name) return static_cast<int>(i);
        return -1;
    }

    int find_device(std::string_view name) const { return index_by_name(scenario_.devices, name); }
    int find_driver(std::string_view name) const { return index_by_name(scenario_.drivers, name); }
    int find_component(std::string_view name) const { return index_by_name(scenario_.components, name); }
    int find_master(std::string_view name) const { return index_by_name(scenario_.masters, name); }

    int find_resource(int driver, std::string_view name) const {
        for (std::size_t i = 0; i < scenario_.resources.size(); ++i)
            if (scenario_.resources[i].driver == driver && scenario_.resources[i].name == name) return static_cast<int>(i);
        return -1;
    }

    /// Index of `name` in a list of interned names, adding it on first use.
    static int intern(std::vector<std::string>& names, const NameRef& name, int limit, std::string_view what) {
        const auto found = std::find(names.begin(), names.end(), name.name);
        if (found != names.end()) return static_cast<int>(found - names.begin());
        if (static_cast<int>(names.size()) >= limit)
            fail(name.where, "too many " + std::string(what) + " (at most " + std::to_string(limit) + ")");
        names.push_back(name.name);
        return static_cast<int>(names.size()) - 1;
    }

    Block& block(const BlockRef& ref) {
        switch (ref.owner) {
        case BlockOwner::Driver: {
            Driver& driver = scenario_.drivers[static_cast<std::size_t>(ref.index)];
            return ref.slot == 0 ? driver.probe : ref.slot == 1 ? driver.remove : driver.runtime_resume;
        }
        case BlockOwner::Component: {
            Component& component = scenario_.components[static_cast<std::size_t>(ref.index)];
            return ref.slot == 0 ? component.bind : component.unbind;
        }
        case BlockOwner::Master: {
            Master& master = scenario_.masters[static_cast<std::size_t>(ref.index)];
            return ref.slot == 0 ? master.bind : master.unbind;
        }
        }
        fail({}, "internal error: bad block owner");
    }

    std::string describe_owner(const BlockRef& ref) const {
        const auto index = static_cast<std::size_t>(ref.index);
        switch (ref.owner) {
        case BlockOwner::Driver: return "driver " + quoted(scenario_.drivers[index].name);
        case BlockOwner::Component: return "component " + quoted(scenario_.components[index].name);
        case BlockOwner::Master: return "master " + quoted(scenario_.masters[index].name);
        }
        return {};
    }

    Driver& current_driver() { return scenario_.drivers[static_cast<std::size_t>(driver_)]; }

    // ---- top level

    // device NAME "BUS_ID", or device NAME[N] "BUS_ID": NAME0 .. NAME{N-1},
    // whose bus ids have the index in place of "{}" (or ".INDEX" appended).
    void parse_device() {
        take();
        const NameRef base = expect_name("a device name", true);
        const int size = parse_array_size();
        const std::size_t bus_id_at = pos_;
        for (int index = 0; index < std::max(size, 1); ++index) {
            pos_ = bus_id_at;
            NameRef name = base;
            if (size > 0) name.name += std::to_string(index);
            declare_device(name, size > 0 ? index : -1);
        }
    }

    void declare_device(const NameRef& name, int index) {
        if (const int existing = find_device(name.name); existing >= 0)
            fail(name.where, "device " + quoted(name.name) + " is already declared at " +
                                 format_location(scenario_.devices[static_cast<std::size_t>(existing)].where));
        if (static_cast<int>(scenario_.devices.size()) >= kMaxDevices)
            fail(name.where, "too many devices (at most " + std::to_string(kMaxDevices) + ")");
        const Token& bus_id = peek();
        if (bus_id.kind != TokenKind::String)
            fail(bus_id.where, "expected a bus id string (like \"0000:00:1f.3\") after " + previous() + ", got " + describe(bus_id));
        if (bus_id.text.empty()) fail(bus_id.where, "the bus id of device " + quoted(name.name) + " is empty");
        take();
        Device device;
        device.name = name.name;
        device.bus_id = bus_id.text;
        if (index >= 0) {
            const std::size_t at = device.bus_id.find("{}");
            if (at == std::string::npos)
                device.bus_id += "." + std::to_string(index);
            else
                for (std::size_t k = at; k != std::string::npos; k = device.bus_id.find("{}", k))
                    device.bus_id.replace(k, 2, std::to_string(index));
        }
        device.where = name.where;
        scenario_.devices.push_back(std::move(device));
    }

    void parse_bound() {
        const Token& keyword = take();
        const Token& which = peek();
        int Bounds::*field = nullptr;
        std::size_t slot = 0;
        if (is_word(which, "rebinds")) {
            field = &Bounds::rebinds;
        } else if (is_word(which, "resumes")) {
            field = &Bounds::resumes;
            slot = 1;
        } else if (is_word(which, "open_group_failures")) {
            field = &Bounds::open_group_failures;
            slot = 2;
        } else {
            fail(which.where, "expected 'rebinds', 'resumes' or 'open_group_failures' after 'bound', got " + describe(which));
        }
        if (bound_where_[slot])
            fail(which.where, "bound " + quoted(which.text) + " is already set at " + format_location(*bound_where_[slot]));
        take();
        const Token& equals = peek();
        if (equals.kind != TokenKind::Equals) fail(equals.where, "expected '=' after " + previous() + ", got " + describe(equals));
        take();
        const Token& value = peek();
        if (value.kind != TokenKind::Int) fail(value.where, "expected a number after '=', got " + describe(value));
        if (value.value > kMaxBound)
            fail(value.where, "bound " + quoted(which.text) + " must be between 0 and " + std::to_string(kMaxBound) + ", got " +
                                  printable(value.text));
        take();
        scenario_.bounds.*field = static_cast<int>(value.value);
        bound_where_[slot] = keyword.where;
    }

    // driver NAME[N] on DEVICE { ... } declares N drivers NAME0 ..: the
    // header and body are read once per clone, NAME[] meaning NAME and the
    // clone's index in each.
    void parse_driver() {
        const std::size_t start = pos_;
        take();
        expect_name("a driver name", true);
        const int size = parse_array_size();
        for (int index = 0; index < std::max(size, 1); ++index) {
            pos_ = start;
            clone_index_ = size > 0 ? index : -1;
            parse_driver_clone();
        }
        clone_index_ = -1;
    }

    void parse_driver_clone() {
        take();
        NameRef name = expect_name("a driver name", true);
        parse_array_size();
        if (clone_index_ >= 0) name.name += std::to_string(clone_index_);
        if (const int existing = find_driver(name.name); existing >= 0)
            fail(name.where, "driver " + quoted(name.name) + " is already declared at " +
                                 format_location(scenario_.drivers[static_cast<std::size_t>(existing)].where));
        if (static_cast<int>(scenario_.drivers.size()) >= kMaxDrivers)
            fail(name.where, "too many drivers (at most " + std::to_string(kMaxDrivers) + ")");
        const Token& on = peek();
        if (!is_word(on, "on")) fail(on.where, "expected 'on' after driver name " + quoted(name.name) + ", got " + describe(on));
        take();
        const NameRef device_name = expect_name("a device name");
        const int device = find_device(device_name.name);
        if (device < 0) fail(device_name.where, "unknown device " + quoted(device_name.name));
        Device& target = scenario_.devices[static_cast<std::size_t>(device)];
        if (target.driver >= 0) {
            const Driver& other = scenario_.drivers[static_cast<std::size_t>(target.driver)];
            fail(device_name.where, "device " + quoted(target.name) + " already has driver " + quoted(other.name) +
                                        " (declared at " + format_location(other.where) + ")");
        }

        driver_ = static_cast<int>(scenario_.drivers.size());
        Driver driver;
        driver.name = name.name;
        driver.device = device;
        driver.where = name.where;
        scenario_.drivers.push_back(std::move(driver));
        target.driver = driver_;

        expect_open_brace();
        for (;;) {
            skip_separators();
            const Token& token = peek();
            if (token.kind == TokenKind::RBrace) {
                take();
                break;
            }
            if (token.kind == TokenKind::End) fail(token.where, "expected '}' before end of file");
            parse_driver_item();
            expect_end_of_statement(true);
        }
        finish_driver();
    }

    void parse_driver_item() {
        const Token& token = peek();
        if (is_word(token, "probe")) {
            parse_callback({BlockOwner::Driver, driver_, 0}, true, false);
        } else if (is_word(token, "remove")) {
            parse_callback({BlockOwner::Driver, driver_, 1}, true, false);
        } else if (is_word(token, "runtime_resume")) {
            parse_callback({BlockOwner::Driver, driver_, 2}, true, false);
        } else if (is_word(token, "component")) {
            parse_aggregate_part(BlockOwner::Component);
        } else if (is_word(token, "master")) {
            parse_aggregate_part(BlockOwner::Master);
        } else {
            fail(token.where, "expected 'probe', 'remove', 'runtime_resume', 'component', 'master' or '}', got " + describe(token));
        }
    }

    /// component NAME [on DEV] { ... } or master NAME [on DEV] { ... }
    void parse_aggregate_part(BlockOwner owner) {
        const bool is_master = owner == BlockOwner::Master;
        take();
        const NameRef name = expect_name(is_master ? "a master name" : "a component name");
        const std::string kind = is_master ? "master" : "component";
        if (clone_index_ >= 0 && !name.indexed)
            fail(name.where, kind + " " + quoted(name.name) + " of driver array " +
                                 quoted(current_driver().name.substr(0, current_driver().name.size() -
                                                                        std::to_string(clone_index_).size())) +
                                 " needs the clone's index: write " + quoted(name.name + "[]"));
        if (const int existing = find_component(name.name); existing >= 0)
            fail(name.where, kind + " " + quoted(name.name) + " is already declared" + (is_master ? " as a component" : "") + " at " +
                                 format_location(scenario_.components[static_cast<std::size_t>(existing)].where));
        if (const int existing = find_master(name.name); existing >= 0)
            fail(name.where, kind + " " + quoted(name.name) + " is already declared" + (is_master ? "" : " as a master") + " at " +
                                 format_location(scenario_.masters[static_cast<std::size_t>(existing)].where));
        const int count = static_cast<int>(is_master ? scenario_.masters.size() : scenario_.components.size());
        const int limit = is_master ? kMaxMasters : kMaxComponents;
        if (count >= limit) fail(name.where, "too many " + kind + "s (at most " + std::to_string(limit) + ")");

        int device = current_driver().device;
        if (take_word("on")) device = expect_device();
        if (is_master) {
            Master master;
            master.name = name.name;
            master.driver = driver_;
            master.parent = device;
            master.where = name.where;
            scenario_.masters.push_back(std::move(master));
            master_match_.emplace_back();
            current_driver().masters.push_back(count);
        } else {
            Component component;
            component.name = name.name;
            component.driver = driver_;
            component.device = device;
            component.where = name.where;
            scenario_.components.push_back(std::move(component));
            current_driver().components.push_back(count);
        }

        expect_open_brace();
        for (;;) {
            skip_separators();
            const Token& token = peek();
            if (token.kind == TokenKind::RBrace) {
                take();
                return;
            }
            if (token.kind == TokenKind::End) fail(token.where, "expected '}' before end of file");
            if (is_word(token, "bind")) {
                parse_callback({owner, count, 0}, true, is_master);
            } else if (is_word(token, "unbind")) {
                parse_callback({owner, count, 1}, false, is_master);
            } else {
                fail(token.where, "expected 'bind', 'unbind' or '}', got " + describe(token));
            }
            expect_end_of_statement(true);
        }
    }

    /// KEYWORD [may_fail [ERRNO]] { statements }
    void parse_callback(const BlockRef& ref, bool may_fail_allowed, bool in_master_callback) {
        const Token& keyword = take();
        if (const Block& existing = block(ref); existing.present)
            fail(keyword.where, describe_owner(ref) + " already has a " + quoted(keyword.text) + " block at " + format_location(existing.where));
        block(ref).present = true;
        block(ref).where = keyword.where;
        if (may_fail_allowed && take_word("may_fail")) {
            const int error = parse_optional_errno();
            block(ref).may_fail = true;
            block(ref).fail_error = error;
        }
        expect_open_brace();
        for (;;) {
            skip_separators();
            const Token& token = peek();
            if (token.kind == TokenKind::RBrace) {
                take();
                return;
            }
            if (token.kind == TokenKind::End) fail(token.where, "expected '}' before end of file");
            const auto index = static_cast<int>(block(ref).statements.size());
            if (index >= kMaxStatementsPerBlock)
                fail(token.where, "too many statements in one block (at most " + std::to_string(kMaxStatementsPerBlock) + ")");
            Statement statement = parse_statement(ref, index, in_master_callback);
            block(ref).statements.push_back(statement);
            expect_end_of_statement();
        }
    }

    // ---- statements

    void defer(PendingReference::Target target, const BlockRef& ref, int index, NameRef name, SourceLocation statement_where,
               std::optional<std::vector<NameRef>> match = std::nullopt) {
        pending_.push_back({target, ref, index, std::move(name), statement_where, std::move(match)});
    }

    Statement parse_statement(const BlockRef& ref, int index, bool in_master_callback) {
        const Token& first = peek();
        const auto kind = first.kind == TokenKind::Word ? statement_kind_for(first.text) : std::nullopt;
        if (!kind) fail(first.where, "expected a statement (devm, use, component_add, ...), got " + describe(first));
        take();
        Statement statement;
        statement.kind = *kind;
        statement.where = first.where;
        using Target = PendingReference::Target;

        switch (*kind) {
        case StatementKind::Devm: parse_devm(statement); break;
        case StatementKind::Use:
        case StatementKind::Free:
            defer(Target::Resource, ref, index, expect_name("a resource name"), first.where);
            break;
        case StatementKind::DevmFree:
            defer(Target::Resource, ref, index, expect_name("a resource name"), first.where);
            if (take_word("on")) statement.device = expect_device();
            break;
        case StatementKind::ComponentAdd:
        case StatementKind::ComponentDel:
            defer(Target::Component, ref, index, expect_name("a component name"), first.where);
            break;
        case StatementKind::ComponentAddTyped:
            defer(Target::Component, ref, index, expect_name("a component name"), first.where);
            statement.subcomponent = expect_number("subcomponent");
            break;
        case StatementKind::ComponentMasterAddWithMatch: {
            NameRef master = expect_name("a master name");
            std::vector<NameRef> match = parse_match_list();
            defer(Target::Master, ref, index, std::move(master), first.where, std::move(match));
            break;
        }
        case StatementKind::ComponentMasterDel:
            defer(Target::Master, ref, index, expect_name("a master name"), first.where);
            break;
        case StatementKind::ComponentBindAll:
        case StatementKind::ComponentUnbindAll:
            if (!in_master_callback) fail(first.where, first.text + " is only allowed in a master's bind or unbind block");
            break;
        case StatementKind::DevresOpenGroup:
        case StatementKind::DevresCloseGroup:
        case StatementKind::DevresRemoveGroup:
        case StatementKind::DevresReleaseGroup:
            // "NULL" and no id at all both mean the kernel's NULL id (group_id -1).
            if (!take_word("NULL") && peek().kind == TokenKind::Word && !is_keyword(peek().text))
                statement.group_id = intern(scenario_.group_ids, expect_name("a group id"), kMaxGroupIds, "group ids");
            if (take_word("on")) statement.device = expect_device();
            break;
        case StatementKind::Complete:
        case StatementKind::Wait:
        case StatementKind::InitCompletion:
            statement.completion = intern(scenario_.completions, expect_name("a completion name"), kMaxCompletions, "completions");
            if (*kind == StatementKind::Wait) statement.timeout = take_word("timeout");
            break;
        case StatementKind::MayFail: statement.error = parse_optional_errno(); break;
        case StatementKind::DeviceUnregister:
            statement.device = expect_device();
            pending_unregisters_.push_back({statement.device, tokens_[last_taken_].where});
            break;
        }
        return statement;
    }

    /// devm NAME [on DEV] [size N] [release FUNCTION]: declares the resource (driver, NAME).
    void parse_devm(Statement& statement) {
        const NameRef name = expect_name("a resource name");
        if (take_word("on")) statement.device = expect_device();
        std::optional<SourceLocation> size_where;
        if (take_word("size")) {
            size_where = peek().where;
            statement.size = expect_number("size");
        }
        std::optional<NameRef> release;
        if (take_word("release")) release = expect_name("a release function name");

        int resource = find_resource(driver_, name.name);
        if (resource < 0) {
            if (static_cast<int>(scenario_.resources.size()) >= kMaxResources)
                fail(name.where, "too many resources (at most " + std::to_string(kMaxResources) + ")");
            resource = static_cast<int>(scenario_.resources.size());
            scenario_.resources.push_back({name.name, driver_, 0, {}});
            explicit_size_where_.emplace_back();
            release_where_.emplace_back();
        }
        statement.resource = resource;
        if (release) declare_release_function(resource, *release);
        if (!size_where) return;
        Resource& declared = scenario_.resources[static_cast<std::size_t>(resource)];
        auto& declared_where = explicit_size_where_[static_cast<std::size_t>(resource)];
        if (declared_where && declared.size != statement.size)
            fail(*size_where, "size " + std::to_string(statement.size) + " of " + quoted(name.name) + " conflicts with size " +
                                  std::to_string(declared.size) + " at " + format_location(*declared_where));
        if (!declared_where) {
            declared.size = statement.size;
            declared_where = size_where;
        }
    }

    void declare_release_function(int resource, const NameRef& release) {
        Resource& declared = scenario_.resources[static_cast<std::size_t>(resource)];
        auto& declared_where = release_where_[static_cast<std::size_t>(resource)];
        if (declared_where && declared.release_function != release.name)
            fail(release.where, "release function " + quoted(release.name) + " of " + quoted(declared.name) +
                                    " conflicts with " + quoted(declared.release_function) + " at " +
                                    format_location(*declared_where));
        declared.release_function = release.name;
        declared_where = release.where;
    }

    /// 'match' '(' NAME { ',' NAME } ')'; newlines are allowed inside the parentheses.
    std::vector<NameRef> parse_match_list() {
        const Token& keyword = peek();
        if (!is_word(keyword, "match")) fail(keyword.where, "expected 'match' after " + previous() + ", got " + describe(keyword));
        take();
        const Token& open = peek();
        if (open.kind != TokenKind::LParen) fail(open.where, "expected '(' after 'match', got " + describe(open));
        take();
        std::vector<NameRef> names;
        for (;;) {
            skip_newlines();
            names.push_back(expect_name("a component name"));
            skip_newlines();
            const Token& token = peek();
            if (token.kind == TokenKind::RParen) {
                take();
                return names;
            }
            if (token.kind != TokenKind::Comma) fail(token.where, "expected ',' or ')' in match list, got " + describe(token));
            take();
        }
    }

    // ---- resolution

    void finish_driver() {
        using Target = PendingReference::Target;
        const Driver& driver = current_driver();
        for (PendingReference& pending : pending_) {
            Statement& statement = block(pending.block).statements[static_cast<std::size_t>(pending.statement)];
            const std::string& name = pending.name.name;
            switch (pending.target) {
            case Target::Resource:
                statement.resource = find_resource(driver_, name);
                if (statement.resource < 0)
                    fail(pending.name.where, "driver " + quoted(driver.name) + " never allocates " + quoted(name) + " (no 'devm " +
                                                 printable(name) + "')");
                break;
            case Target::Component:
                statement.component = find_component(name);
                if (statement.component < 0 || scenario_.components[static_cast<std::size_t>(statement.component)].driver != driver_)
                    fail(pending.name.where, "driver " + quoted(driver.name) + " declares no component " + quoted(name) +
                                                 elsewhere_note(name));
                break;
            case Target::Master:
                statement.master = find_master(name);
                if (statement.master < 0 || scenario_.masters[static_cast<std::size_t>(statement.master)].driver != driver_)
                    fail(pending.name.where, "driver " + quoted(driver.name) + " declares no master " + quoted(name) +
                                                 elsewhere_note(name));
                if (pending.match) record_match(statement.master, std::move(*pending.match), pending.statement_where);
                break;
            }
        }
        pending_.clear();

        // Every devm of one allocation site logs the same size, whichever line gave it.
        for_each_block_of_driver([this](Block& each) {
            for (Statement& statement : each.statements)
                if (statement.kind == StatementKind::Devm)
                    statement.size = scenario_.resources[static_cast<std::size_t>(statement.resource)].size;
        });
    }

    /// Explains a failed lookup of a component or master in the current driver.
    std::string elsewhere_note(std::string_view name) const {
        if (const int component = find_component(name); component >= 0) {
            const Component& found = scenario_.components[static_cast<std::size_t>(component)];
            if (found.driver == driver_) return " (" + quoted(name) + " is a component)";
            return " (it belongs to driver " + quoted(scenario_.drivers[static_cast<std::size_t>(found.driver)].name) + ")";
        }
        if (const int master = find_master(name); master >= 0) {
            const Master& found = scenario_.masters[static_cast<std::size_t>(master)];
            if (found.driver == driver_) return " (" + quoted(name) + " is a master)";
            return " (it belongs to driver " + quoted(scenario_.drivers[static_cast<std::size_t>(found.driver)].name) + ")";
        }
        return {};
    }

    void record_match(int master, std::vector<NameRef> names, SourceLocation where) {
        std::optional<MatchSource>& source = master_match_[static_cast<std::size_t>(master)];
        if (!source) {
            source = MatchSource{std::move(names), where};
            return;
        }
        const bool same = std::equal(names.begin(), names.end(), source->names.begin(), source->names.end(),
                                     [](const NameRef& a, const NameRef& b) { return a.name == b.name; });
        if (!same)
            fail(where, "match list of master " + quoted(scenario_.masters[static_cast<std::size_t>(master)].name) +
                            " differs from the one given at " + format_location(source->where));
    }

    template <typename Visit>
    void for_each_block_of_driver(Visit visit) {
        Driver& driver = current_driver();
        visit(driver.probe);
        visit(driver.remove);
        visit(driver.runtime_resume);
        for (const int component : driver.components) {
            visit(scenario_.components[static_cast<std::size_t>(component)].bind);
            visit(scenario_.components[static_cast<std::size_t>(component)].unbind);
        }
        for (const int master : driver.masters) {
            visit(scenario_.masters[static_cast<std::size_t>(master)].bind);
            visit(scenario_.masters[static_cast<std::size_t>(master)].unbind);
        }
    }

    // Both checks below depend on declarations that may come later in the
    // file; of their errors, the one first in the file is reported.
    void finish_file() {
        if (scenario_.drivers.empty()) fail({1, 1}, "scenario declares no driver");
        std::optional<ParseError> first_error;
        const auto note = [&first_error](SourceLocation where, std::string message) {
            if (!first_error || comes_before(where, first_error->where)) first_error = ParseError{where, std::move(message)};
        };

        for (std::size_t master = 0; master < scenario_.masters.size(); ++master) {
            if (!master_match_[master]) continue;
            const std::string& master_name = scenario_.masters[master].name;
            for (const NameRef& name : master_match_[master]->names) {
                const int component = find_component(name.name);
                if (component >= 0) {
                    scenario_.masters[master].match.push_back(component);
                } else if (find_master(name.name) >= 0) {
                    note(name.where, quoted(name.name) + " in the match list of master " + quoted(master_name) +
                                         " is a master, not a component");
                } else {
                    note(name.where, "unknown component " + quoted(name.name) + " in the match list of master " + quoted(master_name));
                }
            }
        }

        for (const PendingUnregister& pending : pending_unregisters_) {
            const Device& device = scenario_.devices[static_cast<std::size_t>(pending.device)];
            if (device.driver >= 0)
                note(pending.where, "device_unregister needs a device without a driver, but driver " +
                                        quoted(scenario_.drivers[static_cast<std::size_t>(device.driver)].name) + " binds to device " +
                                        quoted(device.name));
        }
        if (first_error) throw *first_error;
    }

    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    std::size_t last_taken_ = 0;
    Scenario scenario_;
    int driver_ = -1; // the driver being parsed
    int clone_index_ = -1; // inside a driver array: the clone being parsed
    std::vector<PendingReference> pending_;
    std::vector<std::optional<SourceLocation>> explicit_size_where_; // per resource
    std::vector<std::optional<SourceLocation>> release_where_;       // per resource
    std::vector<std::optional<MatchSource>> master_match_;           // per master
    std::vector<PendingUnregister> pending_unregisters_;
    std::array<std::optional<SourceLocation>, 3> bound_where_; // rebinds, resumes, open_group_failures
};

} // namespace

ParseResult parse_scenario(std::string_view text, std::string path) {
    try {
        Scenario scenario = Parser(Lexer(text).tokenize()).parse();
        scenario.path = std::move(path);
        return scenario;
    } catch (const ParseError& error) {
        return Diagnostic{std::move(path), error.where.line, error.where.column, error.message};
    } catch (const std::bad_alloc&) {
        return Diagnostic{std::move(path), 0, 0, "out of memory while parsing"};
    } catch (const std::exception& error) {
        return Diagnostic{std::move(path), 0, 0, std::string("internal error while parsing: ") + error.what()};
    }
}

ParseResult load_scenario(const std::string& path) {
    const auto cannot_read = [&path](int error) {
        return Diagnostic{path, 0, 0, "cannot read file: " + std::system_category().message(error)};
    };
    try {
        const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
        if (!file) return cannot_read(errno);
        std::string text;
        std::array<char, 65536> buffer{};
        std::size_t count = 0;
        while ((count = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0) text.append(buffer.data(), count);
        if (std::ferror(file.get())) return cannot_read(errno);
        return parse_scenario(text, path);
    } catch (const std::bad_alloc&) {
        return Diagnostic{path, 0, 0, "out of memory while reading the file"};
    }
}

} // namespace bindcheck::model
