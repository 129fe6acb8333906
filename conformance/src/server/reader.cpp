// The server's reading of client lines (see reader.hpp).
#include "server/reader.hpp"

#include <variant>

#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/model/transitions.hpp"

namespace smtpspec::conformance::server {
namespace {

namespace ast = grammar::ast;

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i] >= 'a' && a[i] <= 'z' ? static_cast<char>(a[i] - 32) : a[i];
        char y = b[i] >= 'a' && b[i] <= 'z' ? static_cast<char>(b[i] - 32) : b[i];
        if (x != y) return false;
    }
    return true;
}

}  // namespace

model::Input read_line(const model::State& state, std::string raw) {
    if (state.phase == model::Phase::auth) {
        // RFC 4954 §4: the client's answer to a 334 challenge, one line.
        while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.pop_back();
        return model::AuthLine{std::move(raw)};
    }
    grammar::Options strict;
    strict.smtputf8 = state.capabilities.smtputf8;
    auto parsed = grammar::parse_command(raw, strict);
    if (parsed.ok()) return model::CommandInput{parsed.value(), std::move(raw), false};
    if (parsed.error().kind != grammar::ErrorKind::syntax) return model::UnparsedLine{std::move(raw), parsed.error()};
    grammar::Options lenient = strict;
    lenient.mode = grammar::Mode::lenient;
    auto repaired = grammar::parse_command(raw, lenient);
    // A BDAT line is read only to the letter: a repaired one could not say how
    // many octets follow it (the transcript reader does the same).
    if (repaired.ok() && !std::holds_alternative<ast::Bdat>(repaired.value()))
        return model::CommandInput{repaired.value(), std::move(raw), true};
    return model::UnparsedLine{std::move(raw), parsed.error()};
}

std::optional<ast::Bdat> chunk_command(const model::Input& input) {
    const auto* c = std::get_if<model::CommandInput>(&input);
    if (!c || c->lenient) return std::nullopt;
    if (const auto* b = std::get_if<ast::Bdat>(&c->command)) return *b;
    return std::nullopt;
}

model::Input over_long_line(std::string_view start, std::size_t max_line) {
    grammar::ParseError error;
    error.kind = grammar::ErrorKind::limit;
    error.offset = max_line;
    error.expected = "CRLF";
    error.message = "command line longer than " + std::to_string(max_line) +
                    " octets (RFC 5321 §4.5.3.1.4: 512 at least)";
    return model::UnparsedLine{std::string(start), std::move(error)};
}

std::optional<model::Verb> verb_of_line(std::string_view raw) {
    std::size_t end = 0;
    while (end < raw.size() && raw[end] != ' ' && raw[end] != '\r' && raw[end] != '\n') ++end;
    const std::string_view word = raw.substr(0, end);
    for (std::size_t i = 0; i < model::verb_count; ++i)
        if (iequals(word, model::to_string(static_cast<model::Verb>(i)))) return static_cast<model::Verb>(i);
    return std::nullopt;
}

}  // namespace smtpspec::conformance::server
