#include "reply.hpp"

#include <algorithm>
#include <array>
#include <iterator>

#include "detail/run.hpp"
#include "reply_def.hpp"
#include "smtpspec/grammar/parse.hpp"

namespace smtpspec::grammar::detail {

namespace reply_grammar {

BOOST_SPIRIT_INSTANTIATE(reply_code_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(textstring_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(status_code_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(reply_line_type, iterator_type, context_type)

}  // namespace reply_grammar

using namespace reply_grammar;

reply_grammar::reply_code_type const& reply_code() { return reply_code_rule; }
reply_grammar::textstring_type const& textstring() { return textstring_rule; }
reply_grammar::status_code_type const& status_code() { return status_code_rule; }
reply_grammar::reply_line_type const& reply_line() { return reply_line_rule; }

std::optional<ParseError> check_reply_lines(std::string_view text, std::size_t max_line, std::size_t max_lines) {
    std::size_t start = 0;
    std::size_t count = 0;
    while (start < text.size()) {
        if (count == max_lines) {
            return ParseError{ErrorKind::limit, start, "Reply-line",
                              "reply has more than " + std::to_string(max_lines) + " lines"};
        }
        auto const lf = text.find('\n', start);
        auto const end = lf == std::string_view::npos ? text.size() : lf;
        auto content = end - start;
        if (lf != std::string_view::npos && content > 0 && text[end - 1] == '\r') --content;
        if (content + 2 > max_line) {
            return ParseError{ErrorKind::limit, start, "Reply-line",
                              "reply line is " + std::to_string(content + 2) +
                                  " octets with its CRLF; RFC 5321 §4.5.3.1.5 sets its limit at " +
                                  std::to_string(max_line)};
        }
        ++count;
        if (lf == std::string_view::npos) break;
        start = lf + 1;
    }
    return std::nullopt;
}

ParseError earlier(ParseError grammar_error, std::optional<ParseError> const& limit_error) {
    if (limit_error && limit_error->offset <= grammar_error.offset) return *limit_error;
    return grammar_error;
}

namespace {

std::variant<ast::Reply, ParseError> strict_reply(std::string_view text, std::size_t max_line,
                                                  std::size_t max_lines) {
    auto limit = check_reply_lines(text, max_line, max_lines);
    auto r = run_strict<ast::Reply>(text, reply_line_rule, "Reply-line");
    if (r.index() == 1) {
        auto& e = std::get<1>(r);
        if (limit && limit->offset <= e.offset) return earlier(e, limit);
        if (e.expected == "Reply-code" && e.offset > 0) {
            // A continuation line whose code is well-formed but not the first line's.
            auto const line = text.substr(e.offset, 3);
            if (line.size() == 3 && line[0] >= '2' && line[0] <= '5' && line[1] >= '0' && line[1] <= '5' &&
                line[2] >= '0' && line[2] <= '9' && line != text.substr(0, 3)) {
                e.message = "expected Reply-code " + std::string(text.substr(0, 3)) + " (every line of a reply "
                            "carries the same code, RFC 5321 §4.2), found " + std::string(line);
            }
        }
        return r;
    }
    if (limit) return *limit;
    return r;
}

std::optional<Edit> fix_trailing_space(std::string_view text, ParseError const& error) {
    if (error.kind != ErrorKind::syntax || error.expected != "CRLF") return std::nullopt;
    auto const at = error.offset;
    if (at >= text.size() || text[at] != ' ') return std::nullopt;
    auto end = at;
    while (end < text.size() && text[end] == ' ') ++end;
    if (end != text.size() && text.substr(end, 2) != "\r\n") return std::nullopt;
    return Edit{at, end - at, ""};
}

// Octets above 127 in a line's text, e.g. a server echoing the UTF-8 of an
// 8-bit command ("252 2.0.0 caf\xC3\xA9"): the text from the first of them to
// the end of the line is kept with each such octet read as '?', so the reply
// can still be framed and its code judged. The error is at or before that
// octet, with only textstring octets between.
std::optional<Edit> fix_eight_bit_text(std::string_view text, ParseError const& error) {
    if (error.kind != ErrorKind::syntax || error.expected != "CRLF") return std::nullopt;
    auto at = error.offset;
    auto const text_octet = [](unsigned char c) { return c == '\t' || (c >= 0x20 && c <= 0x7E); };
    while (at < text.size() && text_octet(static_cast<unsigned char>(text[at]))) ++at;
    if (at >= text.size() || static_cast<unsigned char>(text[at]) < 0x80) return std::nullopt;
    auto end = at;
    std::string replacement;
    for (; end < text.size() && text[end] != '\r' && text[end] != '\n'; ++end)
        replacement += static_cast<unsigned char>(text[end]) >= 0x80 ? '?' : text[end];
    return Edit{at, end - at, std::move(replacement)};
}

constexpr std::array<Repair, 2> repairs_table{{
    {"reply-eight-bit-text",
     "octets above 127 in a reply's text, read as '?' (RFC 5321 §4.2: textstring is US-ASCII; RFC 6531 "
     "§3.7.4 allows UTF-8 only in the replies it names, after SMTPUTF8)",
     &fix_eight_bit_text},
    {"reply-trailing-space",
     "SP at the end of a reply line with no text after it (RFC 5321 §4.2 and §4.1.1.1: SP only introduces "
     "a textstring or an ehlo-param; §4.2 asks clients to accept a code alone with or without a trailing space)",
     &fix_trailing_space},
}};

}  // namespace

std::span<Repair const> reply_repairs() { return repairs_table; }

std::optional<BareLf> bare_lf(std::string_view input) {
    auto const is_bare = [&](std::size_t i) { return input[i] == '\n' && (i == 0 || input[i - 1] != '\r'); };
    std::size_t i = 0;
    while (i < input.size() && !is_bare(i)) ++i;
    if (i == input.size()) return std::nullopt;
    BareLf fixed;
    fixed.text.reserve(input.size() + 16);
    fixed.text.append(input.substr(0, i));
    for (; i < input.size(); ++i) {
        if (is_bare(i)) {
            fixed.inserted.push_back(fixed.text.size());
            fixed.deviations.push_back(Deviation{
                "bare-lf", i, "LF without CR taken as the end of a reply line (RFC 5321 §2.3.8: lines end in CRLF)"});
            fixed.text += '\r';
        }
        fixed.text += input[i];
    }
    return fixed;
}

std::vector<Deviation> merge_deviations(BareLf const& fixed, std::vector<Deviation> const& found) {
    std::vector<Deviation> all = fixed.deviations;
    for (auto d : found) {
        auto const before = static_cast<std::size_t>(
            std::lower_bound(fixed.inserted.begin(), fixed.inserted.end(), d.offset) - fixed.inserted.begin());
        d.offset -= before;
        all.push_back(std::move(d));
    }
    std::stable_sort(all.begin(), all.end(), [](auto const& a, auto const& b) { return a.offset < b.offset; });
    return all;
}

Result<ast::Reply> parse_reply_bounded(std::string_view text, Options options, std::size_t max_line,
                                       std::size_t max_lines) {
    return parse_reply_text<ast::Reply>(text, options, reply_repairs(), [&](std::string_view t) {
        return strict_reply(t, max_line, max_lines);
    });
}

}  // namespace smtpspec::grammar::detail

namespace smtpspec::grammar {

Result<ast::Reply> parse_reply(std::string_view text, Options options) {
    return detail::parse_reply_bounded(text, options, limits::reply_line, limits::reply_lines);
}

Result<ast::EnhancedCode> parse_enhanced_code(std::string_view text, Options options) {
    return detail::parse_with_repairs<ast::EnhancedCode>(
        text, options, {}, [](std::string_view t) -> std::variant<ast::EnhancedCode, ParseError> {
            return detail::run_strict<ast::EnhancedCode>(t, detail::reply_grammar::status_code_strict,
                                                         "status-code");
        });
}

}  // namespace smtpspec::grammar
