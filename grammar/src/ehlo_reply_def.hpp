// Definitions of the greeting and EHLO reply rules declared in
// ehlo_reply.hpp (RFC 5321 §4.2, §4.1.1.1). Included by ehlo_reply.cpp only.
//
// As in Reply-line, each octet decides the way on: the separator after the
// first line's code says whether more lines follow, and every later line is
// committed by its "220-"/"250-" prefix or is the last one.
#pragma once

#include <string>
#include <utility>

#include "address.hpp"
#include "detail/common.hpp"
#include "ehlo_reply.hpp"
#include "reply.hpp"

namespace smtpspec::grammar::detail {

namespace ehlo_grammar {

// The end of the last line; line-based inputs may omit their final CRLF (parse.hpp).
x3::rule<struct line_end_class> const line_end = "CRLF";
auto const line_end_def = CRLF | x3::eoi;

// CRLF, named for error messages.
x3::rule<struct crlf_class> const crlf = "CRLF";
auto const crlf_def = CRLF;

// SP, named for error messages.
x3::rule<struct sp_class> const sp = "SP";
auto const sp_def = SP;

// What follows the code on the first line: SP (the only line) or "-" (more follow).
x3::rule<struct separator_class, char> const separator = "SP / \"-\"";
auto const separator_def = x3::char_(" -");

// ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")          RFC 5321 §4.1.1.1
x3::rule<struct ehlo_keyword_class, std::string> const ehlo_keyword = "ehlo-keyword";
auto const ehlo_keyword_def = x3::raw[(ALPHA | DIGIT) >> *(ALPHA | DIGIT | x3::char_('-'))];

// ehlo-param = 1*(%d33-126)                                       RFC 5321 §4.1.1.1
// ; any CHAR excluding <SP> and all control characters
x3::rule<struct ehlo_param_class, std::string> const ehlo_param = "ehlo-param";
auto const ehlo_param_def = +x3::char_('\x21', '\x7E');

// ehlo-greet = 1*(%d0-9 / %d11-12 / %d14-127)                     RFC 5321 §4.1.1.1
// ; string of any characters other than CR or LF
x3::rule<struct ehlo_greet_class, std::string> const ehlo_greet = "ehlo-greet";
auto const ehlo_greet_def = +(x3::char_('\x00', '\x09') | x3::char_('\x0B', '\x0C') | x3::char_('\x0E', '\x7F'));

BOOST_SPIRIT_DEFINE(line_end, crlf, sp, separator, ehlo_keyword, ehlo_param, ehlo_greet)

inline auto const set_multi = [](auto& ctx) { x3::_val(ctx).multi = x3::_attr(ctx) == '-'; };
inline auto const only_if_single = [](auto& ctx) { x3::_pass(ctx) = !x3::_val(ctx).multi; };
inline auto const only_if_multi = [](auto& ctx) { x3::_pass(ctx) = x3::_val(ctx).multi; };
inline auto const set_host = [](auto& ctx) { x3::_val(ctx).value.host = std::move(x3::_attr(ctx)); };

greeting_type const greeting_rule = "Greeting";
ehlo_ok_rsp_type const ehlo_ok_rsp_rule = "ehlo-ok-rsp";
ehlo_line_type const ehlo_line_rule = "ehlo-line";

// Greeting = ( "220 " (Domain / address-literal) [ SP textstring ] CRLF ) /
//            ( "220-" (Domain / address-literal) [ SP textstring ] CRLF
//              *( "220-" [ textstring ] CRLF )
//              "220" [ SP textstring ] CRLF )                        RFC 5321 §4.2
inline auto const push_more = [](auto& ctx) { x3::_val(ctx).value.more.push_back(std::move(x3::_attr(ctx))); };
inline auto const push_empty_more = [](auto& ctx) { x3::_val(ctx).value.more.emplace_back(); };

auto const greeting_rule_def =
    x3::lit("220") > x3::expect[separator][set_multi] > x3::expect[host()][set_host] >>
    -(SP >> textstring()[([](auto& ctx) { x3::_val(ctx).value.text = std::move(x3::_attr(ctx)); })]) >>
    ((x3::eps[only_if_single] > line_end) |
     (x3::eps[only_if_multi] > crlf >
      *(x3::lit("220-") > (textstring()[push_more] | x3::eps[push_empty_more]) > crlf) > x3::lit("220") >
      ((SP >> textstring())[push_more] | x3::eps[push_empty_more]) > line_end));

// ehlo-line = ehlo-keyword *( SP ehlo-param )                      RFC 5321 §4.1.1.1
auto const ehlo_line_rule_def =
    ehlo_keyword[([](auto& ctx) { x3::_val(ctx).keyword = std::move(x3::_attr(ctx)); })] >>
    *(SP >> ehlo_param[([](auto& ctx) { x3::_val(ctx).params.push_back(std::move(x3::_attr(ctx))); })]);

// ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//             / ( "250-" Domain [ SP ehlo-greet ] CRLF
//                 *( "250-" ehlo-line CRLF )
//                 "250" SP ehlo-line CRLF )                           RFC 5321 §4.1.1.1
inline auto const push_ehlo_line = [](auto& ctx) { x3::_val(ctx).value.lines.push_back(std::move(x3::_attr(ctx))); };

auto const ehlo_ok_rsp_rule_def =
    x3::lit("250") > x3::expect[separator][set_multi] > x3::expect[domain()][set_host] >>
    -(SP >> ehlo_greet[([](auto& ctx) { x3::_val(ctx).value.greet = std::move(x3::_attr(ctx)); })]) >>
    ((x3::eps[only_if_single] > line_end) |
     (x3::eps[only_if_multi] > crlf > *(x3::lit("250-") > x3::expect[ehlo_line_rule][push_ehlo_line] > crlf) >
      x3::lit("250") > sp > x3::expect[ehlo_line_rule][push_ehlo_line] > line_end));

BOOST_SPIRIT_DEFINE(greeting_rule, ehlo_ok_rsp_rule, ehlo_line_rule)

}  // namespace ehlo_grammar

}  // namespace smtpspec::grammar::detail
