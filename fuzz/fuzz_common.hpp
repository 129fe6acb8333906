// What every fuzz target checks about a parse entry point, beyond "no crash".
//
// The first input byte is the mode byte; the rest is the text:
//   bit 0  Options::smtputf8
//   bit 1  lenient: the mode a stateful consumer (the reply reader) runs in
//   bit 2  small limits (reply reader: short lines, few lines), to reach the
//          limit paths with short inputs
//   bits 3-5  which entry point, for targets that have several
// Every parse runs in both modes, so that one input checks both and how they relate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/grammar/print.hpp"

namespace smtpspec::fuzz {

struct Mode {
    bool smtputf8 = false;
    bool lenient = false;
    bool small_limits = false;
    unsigned selector = 0;
};

// Splits off the mode byte; an empty input gives the default mode and no text.
inline Mode take_mode(const std::uint8_t*& data, std::size_t& size) {
    Mode m;
    if (size == 0) return m;
    auto const b = data[0];
    m.smtputf8 = b & 1;
    m.lenient = b & 2;
    m.small_limits = b & 4;
    m.selector = (b >> 3) & 7;
    ++data;
    --size;
    return m;
}

// An invariant failed: say which, show the input, and abort (libFuzzer saves the input).
[[noreturn]] inline void violated(const char* what, std::string_view input) {
    std::fprintf(stderr, "invariant violated: %s\ninput (%zu octets):", what, input.size());
    for (unsigned char c : input) std::fprintf(stderr, " %02x", c);
    std::fprintf(stderr, "\n");
    std::abort();
}

#define SMTPSPEC_FUZZ_CHECK(cond, input) \
    do {                                  \
        if (!(cond)) ::smtpspec::fuzz::violated(#cond, (input)); \
    } while (0)

inline grammar::Options options(grammar::Mode mode, bool smtputf8) {
    grammar::Options o;
    o.mode = mode;
    o.smtputf8 = smtputf8;
    return o;
}

// A reported error is well-formed: inside the input, naming a production and saying something.
inline void check_error(grammar::ParseError const& e, std::string_view input) {
    SMTPSPEC_FUZZ_CHECK(e.offset <= input.size(), input);
    SMTPSPEC_FUZZ_CHECK(!e.expected.empty(), input);
    SMTPSPEC_FUZZ_CHECK(!e.message.empty(), input);
}

// For one entry point `parse` (string_view, Options) -> Result<T>:
// - strict and lenient both terminate with a value or a well-formed error;
// - strict acceptance implies lenient acceptance of the same value with no deviation;
// - lenient acceptance after a strict error names at least one deviation, each inside the input;
// - when both fail, lenient reports the strict error (detail/lenient.hpp);
// - a value prints to text that parses strictly back to the same value (a value a
//   lenient repair made may print past a size limit: that one error is allowed).
// Returns the strict result, for target-specific checks.
template <class Parse>
auto check_parse(Parse const& parse, std::string_view input, bool smtputf8) {
    auto strict = parse(input, options(grammar::Mode::strict, smtputf8));
    auto lenient = parse(input, options(grammar::Mode::lenient, smtputf8));

    auto round_trip = [&](auto const& value, bool repaired) {
        std::string const printed = grammar::print(value);
        auto again = parse(printed, options(grammar::Mode::strict, smtputf8));
        if (!again.ok()) {
            SMTPSPEC_FUZZ_CHECK(repaired && again.error().kind == grammar::ErrorKind::limit, input);
            return;
        }
        SMTPSPEC_FUZZ_CHECK(again.value() == value, input);
    };

    if (strict.ok()) {
        SMTPSPEC_FUZZ_CHECK(strict.deviations().empty(), input);
        SMTPSPEC_FUZZ_CHECK(lenient.ok(), input);
        SMTPSPEC_FUZZ_CHECK(lenient.value() == strict.value(), input);
        SMTPSPEC_FUZZ_CHECK(lenient.deviations().empty(), input);
        round_trip(strict.value(), false);
    } else {
        check_error(strict.error(), input);
        if (lenient.ok()) {
            SMTPSPEC_FUZZ_CHECK(!lenient.deviations().empty(), input);
            for (auto const& d : lenient.deviations()) {
                SMTPSPEC_FUZZ_CHECK(d.offset <= input.size(), input);
                SMTPSPEC_FUZZ_CHECK(!d.id.empty(), input);
            }
            round_trip(lenient.value(), true);
        } else {
            SMTPSPEC_FUZZ_CHECK(lenient.error() == strict.error(), input);
        }
    }
    return strict;
}

}  // namespace smtpspec::fuzz
