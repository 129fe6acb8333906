// The outermost parse: runs a rule over the whole input and turns every way
// it can fail into a ParseError with a byte offset and a production name.
// This is the only place that catches the exceptions the rules throw.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "detail/common.hpp"
#include "smtpspec/grammar/result.hpp"

namespace smtpspec::grammar::detail {

// "'x'", "CR", "LF", "end of input", "0x80" — how an error message names a byte.
std::string describe_byte(std::string_view input, std::size_t offset);

ParseError syntax_error(std::string_view input, std::size_t offset, std::string expected);
ParseError limit_failure(std::string_view input, limit_error const& e);
ParseError encoding_failure(std::string_view input, encoding_error const& e);

// RFC 6531 §3.3: without SMTPUTF8, addresses are ASCII. The first octet >= 0x80
// in `input` as an error of kind `encoding`, if there is one.
std::optional<ParseError> non_ascii_error(std::string_view input, const char* production);

// X3's expectation_failure names a rule by its name and a literal by its text;
// strip X3's decoration so that the name reads as the ABNF does.
std::string production_name(std::string const& which);

template <class Attr, class Parser>
std::variant<Attr, ParseError> run_strict(std::string_view input, Parser const& parser,
                                          const char* production) {
    iterator_type first = input.data();
    iterator_type const last = input.data() + input.size();
    Attr attr{};
    try {
        bool const ok = x3::parse(first, last, parser, attr);
        if (ok && first == last) return attr;
        auto const at = static_cast<std::size_t>(first - input.data());
        return syntax_error(input, at, ok ? std::string("end of ") + production : production);
    } catch (x3::expectation_failure<iterator_type> const& e) {
        return syntax_error(input, static_cast<std::size_t>(e.where() - input.data()),
                            production_name(e.which()));
    } catch (limit_error const& e) {
        return limit_failure(input, e);
    } catch (encoding_error const& e) {
        return encoding_failure(input, e);
    }
}

}  // namespace smtpspec::grammar::detail
