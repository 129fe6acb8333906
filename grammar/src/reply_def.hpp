// Definitions of the reply rules declared in reply.hpp (RFC 5321 §4.2,
// RFC 3463 §2, RFC 2034 §4). Included by reply.cpp only.
//
// Reply-line is written so that each octet decides the way on: after a
// Reply-code, "-" continues the reply and commits to a CRLF and another
// Reply-code (which must repeat the first); anything else is the last line.
// That is the ABNF's language, with errors at the octet that breaks it.
#pragma once

#include <string>
#include <utility>

#include "detail/common.hpp"
#include "reply.hpp"

namespace smtpspec::grammar::detail {

namespace reply_grammar {

template <class Range>
unsigned digits_value(Range const& r) {
    unsigned v = 0;
    for (char c : r) v = v * 10 + static_cast<unsigned>(c - '0');
    return v;
}

inline auto const value_of_digits = [](auto& ctx) { x3::_val(ctx) = digits_value(x3::_attr(ctx)); };

// The end of a reply's last line. parse.hpp: line-based inputs may omit
// their final CRLF.
x3::rule<struct line_end_class> const line_end = "CRLF";
auto const line_end_def = CRLF | x3::eoi;

// CRLF, named for error messages.
x3::rule<struct crlf_class> const crlf = "CRLF";
auto const crlf_def = CRLF;

// status-code = class "." subject "." detail                       RFC 3463 §2
// class = "2"/"4"/"5"
x3::rule<struct status_class_class, unsigned> const status_class = "class";
auto const status_class_def = x3::raw[x3::char_("245")][value_of_digits];

// subject = 1*3digit; detail = 1*3digit                             RFC 3463 §2
// "Each numeric sub-code within the status-code MUST be expressed without
// leading zero digits": "0", or a non-zero digit and at most two more.
x3::rule<struct subject_class, unsigned> const subject = "subject";
x3::rule<struct detail_class, unsigned> const detail = "detail";
auto const sub_code = x3::raw[x3::lit('0') | (x3::char_('1', '9') >> x3::repeat(0, 2)[DIGIT])][value_of_digits];
auto const subject_def = sub_code;
auto const detail_def = sub_code;

BOOST_SPIRIT_DEFINE(line_end, crlf, status_class, subject, detail)

inline auto const make_code = [](auto& ctx) {
    auto const& a = x3::_attr(ctx);
    x3::_val(ctx) = ast::EnhancedCode{boost::fusion::at_c<0>(a), boost::fusion::at_c<1>(a), boost::fusion::at_c<2>(a)};
};

// status-code, committed after the class: for parse_enhanced_code, where the
// whole input must be one.
x3::rule<struct status_code_strict_class, ast::EnhancedCode> const status_code_strict = "status-code";
auto const status_code_strict_def = (status_class > x3::lit('.') > subject > x3::lit('.') > detail)[make_code];

BOOST_SPIRIT_DEFINE(status_code_strict)

reply_code_type const reply_code_rule = "Reply-code";
textstring_type const textstring_rule = "textstring";
status_code_type const status_code_rule = "status-code";
reply_line_type const reply_line_rule = "Reply-line";

// Reply-code = %x32-35 %x30-35 %x30-39                              RFC 5321 §4.2
// Each digit is its own rule, named as the whole, so that "260" fails at the
// "6" (a digit outside %x30-35) and "25" at its end.
x3::rule<struct code_digit1_class> const code_digit1 = "Reply-code";
x3::rule<struct code_digit2_class> const code_digit2 = "Reply-code";
x3::rule<struct code_digit3_class> const code_digit3 = "Reply-code";
auto const code_digit1_def = x3::char_('2', '5');
auto const code_digit2_def = x3::char_('0', '5');
auto const code_digit3_def = x3::char_('0', '9');
BOOST_SPIRIT_DEFINE(code_digit1, code_digit2, code_digit3)

auto const reply_code_rule_def = x3::raw[code_digit1 > code_digit2 > code_digit3][value_of_digits];

// textstring = 1*(%d09 / %d32-126) ; HT, SP, Printable US-ASCII      RFC 5321 §4.2
auto const textstring_rule_def = +(x3::char_('\t') | x3::char_('\x20', '\x7E'));

// status-code = class "." subject "." detail                       RFC 3463 §2
auto const status_code_rule_def = (status_class >> x3::lit('.') >> subject >> x3::lit('.') >> detail)[make_code];

// One line's text with its leading status-code split off, when the code is
// followed by SP or the end of the line (RFC 2034 §4: "the same status code
// must appear at the beginning of the text in each line of the response").
// The SP after the code separates it from the rest of the text.
x3::rule<struct reply_text_class, ast::ReplyLine> const reply_text = "textstring";

auto const reply_text_def =
    (status_code_rule[([](auto& ctx) { x3::_val(ctx).enhanced = x3::_attr(ctx); })] >>
     ((SP >> -textstring_rule[([](auto& ctx) { x3::_val(ctx).text = std::move(x3::_attr(ctx)); })]) |
      &CRLF | x3::eoi)) |
    textstring_rule[([](auto& ctx) {
        x3::_val(ctx).enhanced.reset();
        x3::_val(ctx).text = std::move(x3::_attr(ctx));
    })];

BOOST_SPIRIT_DEFINE(reply_text)

inline auto const push_line = [](auto& ctx) { x3::_val(ctx).lines.push_back(std::move(x3::_attr(ctx))); };
inline auto const push_empty_line = [](auto& ctx) { x3::_val(ctx).lines.emplace_back(); };

// Every line of a reply carries the code of its first line: a continuation
// line with another code is an error at that code. (In an action, _where
// begins after what the subject matched; a Reply-code is three octets.)
inline auto const same_code = [](auto& ctx) {
    if (x3::_attr(ctx) != x3::_val(ctx).code)
        throw x3::expectation_failure<iterator_type>(x3::_where(ctx).begin() - 3, "Reply-code");
};

// continue-req = "334" SP [base64] CRLF                              RFC 4954 §8
// "A server challenge that contains no data is defined as a 334 reply with no
// text part. Note that there is still a space following the reply code, so the
// complete response line is "334 "." (RFC 4954 §4): the one reply whose last SP
// may stand without a textstring after it.
inline auto const empty_challenge = [](auto& ctx) {
    if (x3::_val(ctx).code == 334) x3::_val(ctx).lines.emplace_back();
    else x3::_pass(ctx) = false;
};

// Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//              Reply-code [ SP textstring ] CRLF                     RFC 5321 §4.2
// The RFC 5321 §4.5.3.1.5 line limit is checked on the physical lines beside
// this rule (check_reply_lines, reply.cpp).
auto const reply_line_rule_def =
    x3::expect[reply_code_rule][([](auto& ctx) { x3::_val(ctx).code = x3::_attr(ctx); })] >>
    *(x3::lit('-') > (reply_text[push_line] | x3::eps[push_empty_line]) > crlf >
      x3::expect[reply_code_rule][same_code]) >>
    ((SP >> reply_text)[push_line] | (SP >> &line_end)[empty_challenge] | x3::eps[push_empty_line]) > line_end;

BOOST_SPIRIT_DEFINE(reply_code_rule, textstring_rule, status_code_rule, reply_line_rule)

}  // namespace reply_grammar

}  // namespace smtpspec::grammar::detail
