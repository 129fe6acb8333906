// Properties of the command and parameter grammar over generated ASTs:
// parse(print(x)) == x, strict acceptance implies lenient acceptance with the
// same AST and no deviation, printed commands fit the command-line limit, and
// verbs and keywords read the same in any case.
#include "smtpspec/grammar/generators/command.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cctype>
#include <string>

#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/grammar/print.hpp"

namespace {

using namespace smtpspec::grammar;

Options lenient() {
    Options o;
    o.mode = Mode::lenient;
    return o;
}

std::string describe(ParseError const& e) {
    return "error at " + std::to_string(e.offset) + " (" + e.expected + "): " + e.message;
}

// The octets a mutation inserts: those that the lenient repairs and the line
// checks are about, and a few ordinary ones.
std::string const mutation_octets = std::string(" :<>=\r\n\t@\"[].,+") + '\0' + "aZ9";

// One edit of `text`: an octet inserted, removed or replaced at `at`.
std::string mutate(std::string text, std::size_t at, int kind, char octet) {
    at = text.empty() ? 0 : at % (text.size() + 1);
    switch (kind % 3) {
        case 0: text.insert(at, 1, octet); break;
        case 1:
            if (at < text.size()) text.erase(at, 1);
            break;
        default:
            if (at < text.size()) text[at] = octet;
            break;
    }
    return text;
}

RC_GTEST_PROP(ParamProperties, RoundTrip, (ast::Param const& param)) {
    auto const text = print(param);
    RC_LOG() << "printed: " << text << "\n";
    auto const r = parse_param(text);
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value() == param);
    RC_ASSERT(r.deviations().empty());
}

RC_GTEST_PROP(ParamProperties, KeywordsAreCaseInsensitive, (ast::Param const& param)) {
    auto text = print(param);
    auto const eq = text.find('=');
    auto const end = eq == std::string::npos ? text.size() : eq;
    for (std::size_t i = 0; i < end; ++i) text[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    RC_LOG() << "lower-cased: " << text << "\n";
    auto const r = parse_param(text);
    RC_ASSERT(r.ok());
    if (auto const* generic = std::get_if<ast::GenericParam>(&param)) {
        // A generic keyword is kept as written.
        auto const& got = std::get<ast::GenericParam>(r.value());
        RC_ASSERT(got.value == generic->value);
        RC_ASSERT(got.keyword == text.substr(0, end));
    } else {
        RC_ASSERT(r.value() == param);
    }
}

RC_GTEST_PROP(ParamProperties, StrictImpliesLenient,
              (ast::Param const& param, std::size_t at, int kind, std::uint8_t pick)) {
    auto const text = mutate(print(param), at, kind, mutation_octets[pick % mutation_octets.size()]);
    auto const strict = parse_param(text);
    RC_PRE(strict.ok());
    auto const loose = parse_param(text, lenient());
    RC_ASSERT(loose.ok());
    RC_ASSERT(loose.value() == strict.value());
    RC_ASSERT(loose.deviations().empty());
}

RC_GTEST_PROP(CommandProperties, RoundTrip, (ast::Command const& command)) {
    auto const text = print(command);
    RC_LOG() << "printed: " << text << "\n";
    auto const r = parse_command(text);
    if (!r.ok()) RC_FAIL(describe(r.error()));
    RC_ASSERT(r.value() == command);
    RC_ASSERT(r.deviations().empty());
}

RC_GTEST_PROP(CommandProperties, PrintedLineFitsTheLimit, (ast::Command const& command)) {
    auto const text = print(command);
    RC_ASSERT(text.size() <= limits::command_line);
    RC_ASSERT(text.size() >= 2);
    RC_ASSERT(text.substr(text.size() - 2) == "\r\n");
    // One line: the only CR and LF are the final CRLF.
    RC_ASSERT(text.find_first_of("\r\n") == text.size() - 2);
}

RC_GTEST_PROP(CommandProperties, ParsesWithoutTheFinalCrlf, (ast::Command const& command)) {
    auto const text = print(command);
    auto const r = parse_command(std::string_view(text).substr(0, text.size() - 2));
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value() == command);
}

RC_GTEST_PROP(CommandProperties, VerbsAreCaseInsensitive, (ast::Command const& command)) {
    auto text = print(command);
    auto const end = text.find_first_of(" \r");
    for (std::size_t i = 0; i < end; ++i) text[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    RC_LOG() << "lower-cased: " << text << "\n";
    auto const r = parse_command(text);
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value() == command);
}

RC_GTEST_PROP(CommandProperties, StrictImpliesLenientOnPrintedCommands, (ast::Command const& command)) {
    auto const text = print(command);
    auto const strict = parse_command(text);
    RC_ASSERT(strict.ok());
    auto const loose = parse_command(text, lenient());
    RC_ASSERT(loose.ok());
    RC_ASSERT(loose.value() == strict.value());
    RC_ASSERT(loose.deviations().empty());
}

RC_GTEST_PROP(CommandProperties, StrictImpliesLenientOnMutatedCommands,
              (ast::Command const& command, std::size_t at, int kind, std::uint8_t pick)) {
    auto const text = mutate(print(command), at, kind, mutation_octets[pick % mutation_octets.size()]);
    RC_LOG() << "mutated: " << text << "\n";
    auto const strict = parse_command(text);
    auto const loose = parse_command(text, lenient());
    if (strict.ok()) {
        RC_ASSERT(loose.ok());
        RC_ASSERT(loose.value() == strict.value());
        RC_ASSERT(loose.deviations().empty());
    } else if (!loose.ok()) {
        // Lenient mode reports the error of the strict parse when no repair helps.
        RC_ASSERT(loose.error() == strict.error());
    } else {
        // Every accepted deviation is named, placed within the input and explained.
        RC_ASSERT(!loose.deviations().empty());
        for (auto const& d : loose.deviations()) {
            RC_ASSERT(!d.id.empty());
            RC_ASSERT(d.offset <= text.size());
            RC_ASSERT(d.message.find("RFC") != std::string::npos);
        }
    }
}

// A line that goes over the limit is a limit error, whatever the command.
RC_GTEST_PROP(CommandProperties, OverlongLinesAreLimitErrors, (ast::Command const& command)) {
    auto text = print(command);
    auto const pad = limits::command_line + 1 - text.size();
    text.insert(text.size() - 2, std::string(pad, 'x'));
    RC_ASSERT(text.size() == limits::command_line + 1);
    auto const r = parse_command(text);
    RC_ASSERT(!r.ok());
    RC_ASSERT(r.error().kind == ErrorKind::limit);
    RC_ASSERT(r.error().expected == "command-line");
}

}  // namespace
