// Definition of address-literal, declared in address.hpp: IPv4, the four IPv6
// forms and General-address-literal (RFC 5321 §4.1.3). Included by
// address_literal.cpp only.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "address.hpp"
#include "address_detail.hpp"
#include "detail/common.hpp"
#include "smtpspec/grammar/limits.hpp"

namespace smtpspec::grammar::detail {

namespace address_literal_grammar {

// Decoding of what the rules below matched. The grammar has checked the
// syntax, so these only convert.
std::array<std::uint8_t, 4> decode_ipv4(std::string_view text);
// `text` matched one of the four IPv6-addr forms; returns its groups.
ast::IPv6Literal decode_ipv6(std::string_view text, ast::IPv6Literal::Form form);

using address_common::assign;
using address_common::text_of;

// Snum = 1*3DIGIT                                                RFC 5321 §4.1.3
//      ; representing a decimal integer value in the range 0 through 255
x3::rule<struct snum_class> const snum = "Snum";
auto const snum_def = x3::uint_parser<unsigned, 10, 1, 3>{}[([](auto& ctx) { x3::_pass(ctx) = x3::_attr(ctx) <= 255; })];

// IPv4-address-literal = Snum 3("." Snum)                        RFC 5321 §4.1.3
// Digits and a "." begin nothing else inside an address literal (a
// Standardized-tag and an IPv6-hex are never followed by "."), so they commit:
// "[192.0.2.256]" is reported at the "256".
x3::rule<struct ipv4_address_literal_class> const ipv4_address_literal = "IPv4-address-literal";
auto const ipv4_address_literal_def = snum >> x3::lit('.') > snum > x3::lit('.') > snum > x3::lit('.') > snum;

// IPv6-hex = 1*4HEXDIG                                           RFC 5321 §4.1.3
// and not followed by ".": a group so followed can only be the first Snum of
// the IPv4-address-literal that ends IPv6v4-full and IPv6v4-comp, where every
// IPv6-hex is followed by ":". The lookahead lets the greedy repetitions below
// stop before it, as the ABNF's backtracking would.
x3::rule<struct ipv6_hex_class> const ipv6_hex = "IPv6-hex";
auto const ipv6_hex_def = x3::uint_parser<std::uint16_t, 16, 1, 4>{} >> !x3::lit('.');

// IPv6-full = IPv6-hex 7(":" IPv6-hex)                           RFC 5321 §4.1.3
x3::rule<struct ipv6_full_class> const ipv6_full = "IPv6-full";
auto const ipv6_full_def = ipv6_hex >> x3::repeat(7)[x3::lit(':') >> ipv6_hex];

// IPv6-comp = [IPv6-hex *5(":" IPv6-hex)] "::"                   RFC 5321 §4.1.3
//             [IPv6-hex *5(":" IPv6-hex)]
//           ; The "::" represents at least 2 16-bit groups of zeros. No more
//           ; than 6 groups in addition to the "::" may be present.
// (the count of 6 is checked when the groups are decoded, in ipv6_addr)
x3::rule<struct ipv6_comp_class> const ipv6_comp = "IPv6-comp";
auto const ipv6_comp_def = -(ipv6_hex >> x3::repeat(0, 5)[x3::lit(':') >> ipv6_hex]) >> x3::lit("::") >>
                           -(ipv6_hex >> x3::repeat(0, 5)[x3::lit(':') >> ipv6_hex]);

// IPv6v4-full = IPv6-hex 5(":" IPv6-hex) ":" IPv4-address-literal    RFC 5321 §4.1.3
x3::rule<struct ipv6v4_full_class> const ipv6v4_full = "IPv6v4-full";
auto const ipv6v4_full_def = ipv6_hex >> x3::repeat(5)[x3::lit(':') >> ipv6_hex] >> x3::lit(':') >> ipv4_address_literal;

// IPv6v4-comp = [IPv6-hex *3(":" IPv6-hex)] "::"                 RFC 5321 §4.1.3
//               [IPv6-hex *3(":" IPv6-hex) ":"]
//               IPv4-address-literal
//             ; The "::" represents at least 2 16-bit groups of zeros. No more
//             ; than 4 groups in addition to the "::" and IPv4-address-literal
//             ; may be present.
// (the count of 4 is checked when the groups are decoded, in ipv6_addr)
x3::rule<struct ipv6v4_comp_class> const ipv6v4_comp = "IPv6v4-comp";
auto const ipv6v4_comp_def = -(ipv6_hex >> x3::repeat(0, 3)[x3::lit(':') >> ipv6_hex]) >> x3::lit("::") >>
                             -(ipv6_hex >> x3::repeat(0, 3)[x3::lit(':') >> ipv6_hex] >> x3::lit(':')) >>
                             ipv4_address_literal;

template <ast::IPv6Literal::Form form, std::size_t max_groups>
auto const decode_ipv6_form = [](auto& ctx) {
    auto v = decode_ipv6(text_of(x3::_attr(ctx)), form);
    if (v.head.size() + v.tail.size() > max_groups) {
        x3::_pass(ctx) = false;
        return;
    }
    x3::_val(ctx) = std::move(v);
};

// IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp  RFC 5321 §4.1.3
// Tried in an order where no form can match a proper prefix of another's
// match: the v4 forms (which contain ".") before the others, full before comp.
x3::rule<struct ipv6_addr_class, ast::IPv6Literal> const ipv6_addr = "IPv6-addr";
auto const ipv6_addr_def = x3::raw[ipv6v4_full][decode_ipv6_form<ast::IPv6Literal::Form::v4full, 6>] |
                           x3::raw[ipv6_full][decode_ipv6_form<ast::IPv6Literal::Form::full, 8>] |
                           x3::raw[ipv6v4_comp][decode_ipv6_form<ast::IPv6Literal::Form::v4comp, 4>] |
                           x3::raw[ipv6_comp][decode_ipv6_form<ast::IPv6Literal::Form::comp, 6>];

// IPv6-address-literal = "IPv6:" IPv6-addr                       RFC 5321 §4.1.3
// The tag is case-insensitive (RFC 5234 §2.3) and commits: a
// General-address-literal with the tag "IPv6" is not one.
x3::rule<struct ipv6_address_literal_class, ast::IPv6Literal> const ipv6_address_literal = "IPv6-address-literal";
auto const ipv6_address_literal_def = no_case_lit("IPv6:") > ipv6_addr[assign];

// Standardized-tag = Ldh-str                                     RFC 5321 §4.1.3
// Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig                     RFC 5321 §4.1.2
// written +( *"-" Let-dig ): the same strings, ending on a Let-dig.
x3::rule<struct standardized_tag_class> const standardized_tag = "Standardized-tag";
auto const standardized_tag_def = +(*x3::lit('-') >> (ALPHA | DIGIT));

// dcontent = %d33-90 / %d94-126                                  RFC 5321 §4.1.3
inline auto const dcontent = x3::char_('\x21', '\x5A') | x3::char_('\x5E', '\x7E');

// General-address-literal = Standardized-tag ":" 1*dcontent      RFC 5321 §4.1.3
x3::rule<struct general_address_literal_class, ast::GeneralLiteral> const general_address_literal =
    "General-address-literal";
auto const general_address_literal_def =
    x3::raw[standardized_tag][([](auto& ctx) { x3::_val(ctx).tag = std::string(text_of(x3::_attr(ctx))); })] >>
    x3::lit(':') >>
    x3::raw[+dcontent][([](auto& ctx) { x3::_val(ctx).content = std::string(text_of(x3::_attr(ctx))); })];

// The three forms between the brackets, as one named production for errors.
x3::rule<struct address_literal_content_class, ast::AddressLiteral> const address_literal_content =
    "IPv4-address-literal / IPv6-address-literal / General-address-literal";
auto const address_literal_content_def =
    x3::raw[ipv4_address_literal][([](auto& ctx) { x3::_val(ctx) = ast::IPv4Literal{decode_ipv4(text_of(x3::_attr(ctx)))}; })] |
    ipv6_address_literal[assign] | general_address_literal[assign];

BOOST_SPIRIT_DEFINE(snum, ipv4_address_literal, ipv6_hex, ipv6_full, ipv6_comp, ipv6v4_full, ipv6v4_comp, ipv6_addr,
                    ipv6_address_literal, standardized_tag, general_address_literal, address_literal_content)

}  // namespace address_literal_grammar

address_literal_type const address_literal_rule = "address-literal";

// address-literal = "[" ( IPv4-address-literal /                 RFC 5321 §4.1.2
//                   IPv6-address-literal /
//                   General-address-literal ) "]"
// A "number" in the sense of §4.5.3.1.2, so at most limits::domain octets.
auto const address_literal_rule_def = bounded(limits::domain, "address-literal")[
    x3::lit('[') > address_literal_grammar::address_literal_content[address_literal_grammar::assign] > x3::lit(']')];

BOOST_SPIRIT_DEFINE(address_literal_rule)

}  // namespace smtpspec::grammar::detail
