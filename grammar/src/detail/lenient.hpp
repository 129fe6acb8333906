// Lenient mode as named repairs over the strict grammar.
//
// The grammar itself is the ABNF to the letter. Lenient mode parses strictly
// first; when that fails, each known deviation is asked whether it explains the
// error (a space where "<" was expected, say) and, if so, how to edit the input
// back to the ABNF. The edited text is parsed strictly again, up to a few
// rounds. So strict acceptance implies lenient acceptance by construction, and
// every leniency has a name, an offset in the original input and an RFC citation.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "smtpspec/grammar/result.hpp"

namespace smtpspec::grammar::detail {

struct Edit {
    std::size_t at = 0;     // offset in the current text
    std::size_t erase = 0;  // octets removed there
    std::string insert;     // octets inserted there
};

struct Repair {
    const char* id;       // Deviation::id
    const char* message;  // Deviation::message: what was accepted, with its RFC section
    // The edit that undoes this deviation, if it explains `error` on `text`.
    std::optional<Edit> (*fix)(std::string_view text, ParseError const& error);
};

// Runs `strict`, a callable std::variant<T, ParseError>(std::string_view); in
// lenient mode retries with `repairs` as described above. On failure the error
// is the one of the first, unrepaired strict parse. `strict` is a template
// parameter, not a std::function, so that the strict parse (every parse in
// strict mode, the common one) goes through no type erasure.
template <class T, class Strict>
Result<T> parse_with_repairs(std::string_view input, Options options, std::span<Repair const> repairs,
                             Strict const& strict);

// The non-template core: applies repairs while `attempt` fails. `attempt` parses
// a text and returns its error, or nullopt on success (keeping the value itself).
std::optional<ParseError> repair_loop(std::string_view input, std::span<Repair const> repairs,
                                      std::vector<Deviation>& deviations,
                                      std::function<std::optional<ParseError>(std::string_view)> const& attempt);

template <class T, class Strict>
Result<T> parse_with_repairs(std::string_view input, Options options, std::span<Repair const> repairs,
                             Strict const& strict) {
    auto first = strict(input);
    if (first.index() == 0) return Parsed<T>{std::get<0>(std::move(first)), {}};
    if (options.mode == Mode::strict) return std::get<1>(std::move(first));
    std::optional<T> value;
    std::vector<Deviation> deviations;
    auto const error = repair_loop(input, repairs, deviations, [&](std::string_view text) -> std::optional<ParseError> {
        auto r = strict(text);
        if (r.index() == 1) return std::get<1>(std::move(r));
        value = std::get<0>(std::move(r));
        return std::nullopt;
    });
    if (error || !value) return std::get<1>(std::move(first));
    return Parsed<T>{std::move(*value), std::move(deviations)};
}

}  // namespace smtpspec::grammar::detail
