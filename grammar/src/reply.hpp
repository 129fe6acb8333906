// Rules of the reply group (RFC 5321 §4.2; RFC 3463 §2 and RFC 2034 §4 for
// enhanced status codes), declared here for the greeting and EHLO reply group
// to use. Definitions: reply_def.hpp; instantiation and parse functions: reply.cpp.
//
// Besides the rules, this header holds what every line-based reply parser
// shares: the line framing checks (RFC 5321 §4.5.3.1.5 reply line limit, a
// bound on the number of lines) and lenient mode's bare-LF handling and
// reply repairs.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "detail/config.hpp"
#include "detail/lenient.hpp"
#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/result.hpp"

namespace smtpspec::grammar::detail {

namespace reply_grammar {

struct reply_code_class;
struct textstring_class;
struct status_code_class;
struct reply_line_class;

// Reply-code, its value (e.g. 250).
using reply_code_type = x3::rule<reply_code_class, unsigned>;
// textstring, as written.
using textstring_type = x3::rule<textstring_class, std::string>;
// status-code of RFC 3463 §2, backtracking (it is tried at the start of reply text).
using status_code_type = x3::rule<status_code_class, ast::EnhancedCode>;
// Reply-line: one whole reply, single or multi-line.
using reply_line_type = x3::rule<reply_line_class, ast::Reply>;

BOOST_SPIRIT_DECLARE(reply_code_type, textstring_type, status_code_type, reply_line_type)

}  // namespace reply_grammar

reply_grammar::reply_code_type const& reply_code();    // "Reply-code"
reply_grammar::textstring_type const& textstring();    // "textstring"
reply_grammar::status_code_type const& status_code();  // "status-code"
reply_grammar::reply_line_type const& reply_line();    // "Reply-line"

// The RFC 5321 §4.5.3.1.5 limit on each line of a reply and a bound on the
// number of lines, checked on the physical lines of `text`: a line is what
// precedes an LF (or the end of the text); its length counts its content and
// two octets for the CRLF, whether it ends in CRLF, a bare LF or nothing.
// The error (kind `limit`, production "Reply-line") is at the start of the
// first line over the limit, or of the first line past `max_lines`.
std::optional<ParseError> check_reply_lines(std::string_view text, std::size_t max_line = limits::reply_line,
                                            std::size_t max_lines = limits::reply_lines);

// The grammar's error, or the line limit error when that comes no later:
// an over-long line is reported even when the grammar fails inside it.
ParseError earlier(ParseError grammar_error, std::optional<ParseError> const& limit_error);

// parse_reply with explicit bounds, for the ReplyReader.
Result<ast::Reply> parse_reply_bounded(std::string_view text, Options options, std::size_t max_line,
                                       std::size_t max_lines);

// The repairs every reply parser applies in lenient mode (reply-trailing-space).
std::span<Repair const> reply_repairs();

// Lenient parsing of line-based replies: `strict` first; in lenient mode, when
// that fails, every LF without CR before it is taken as a line end (deviation
// "bare-lf", RFC 5321 §2.3.8) and the text is parsed with `repairs` as in
// parse_with_repairs. Deviation offsets refer to `input`. On failure the error
// is that of the first strict parse.
template <class T>
Result<T> parse_reply_text(std::string_view input, Options options, std::span<Repair const> repairs,
                           std::function<std::variant<T, ParseError>(std::string_view)> const& strict);

// The part of parse_reply_text that does not depend on T: the text with a CR
// inserted before every bare LF, where they were inserted, and the deviations.
struct BareLf {
    std::string text;
    std::vector<std::size_t> inserted;  // offsets in `text` of the inserted CRs, ascending
    std::vector<Deviation> deviations;  // one "bare-lf" per inserted CR, offsets in the input
};
std::optional<BareLf> bare_lf(std::string_view input);
// Maps deviations found in BareLf::text back to the input and merges them with
// the bare-lf ones, by offset.
std::vector<Deviation> merge_deviations(BareLf const& fixed, std::vector<Deviation> const& found);

template <class T>
Result<T> parse_reply_text(std::string_view input, Options options, std::span<Repair const> repairs,
                           std::function<std::variant<T, ParseError>(std::string_view)> const& strict) {
    auto first = strict(input);
    if (first.index() == 0) return Parsed<T>{std::get<0>(std::move(first)), {}};
    if (options.mode == Mode::strict) return std::get<1>(std::move(first));
    auto fixed = bare_lf(input);
    if (!fixed) {
        auto r = parse_with_repairs<T>(input, options, repairs, strict);
        if (!r.ok()) return std::get<1>(std::move(first));
        return r;
    }
    auto r = parse_with_repairs<T>(fixed->text, options, repairs, strict);
    if (!r.ok()) return std::get<1>(std::move(first));
    auto deviations = merge_deviations(*fixed, r.deviations());
    return Parsed<T>{std::move(r).value(), std::move(deviations)};
}

}  // namespace smtpspec::grammar::detail
