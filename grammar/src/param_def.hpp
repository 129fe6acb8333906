// Definitions of the ESMTP parameter rules (declared in param.hpp).
//
// A well-known keyword commits: once "SIZE" (say) is followed by something that
// cannot continue an esmtp-keyword, the parameter must be a size-param, and a
// malformed value is an error that names the value's production ("size-value")
// at the first octet that does not fit. Any other keyword is a GenericParam.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "detail/common.hpp"
#include "param.hpp"

namespace smtpspec::grammar::detail {

namespace param_rules {

using x3::lit;
using x3::no_case;

// One octet in [Lo, Hi], compared as an unsigned value (the iterator's char is signed).
template <unsigned char Lo, unsigned char Hi>
struct octet_range_parser : x3::parser<octet_range_parser<Lo, Hi>> {
    using attribute_type = char;
    static bool const has_attribute = true;

    template <class It, class Ctx, class RCtx, class Attr>
    bool parse(It& first, It const& last, Ctx const&, RCtx&, Attr& attr) const {
        if (first == last) return false;
        auto const c = static_cast<unsigned char>(*first);
        if (c < Lo || c > Hi) return false;
        x3::traits::move_to(*first, attr);
        ++first;
        return true;
    }
};

// The octets esmtp-value is made of: %d33-60 / %d62-126 (RFC 5321 §4.1.2), and the
// octets of UTF8-non-ascii (RFC 6531 §3.3). Used as a look-ahead, to find where a
// value ends: "=", SP, controls and the end of input end it.
inline auto const value_octet = octet_range_parser<33, 60>{} | octet_range_parser<62, 126>{} |
                                octet_range_parser<0x80, 0xFF>{};

// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")        RFC 5321 §4.1.2
inline auto const keyword_char = ALPHA | DIGIT | x3::char_('-');

// A well-known keyword, matched case-insensitively (RFC 5321 §2.4: "extension name
// keywords ... are not case sensitive") and only as a whole keyword.
inline auto keyword(char const* name) { return no_case_lit(name) >> !keyword_char; }

// A rule that matches where the value named `name` must end, so that an error
// there names that value's production.
template <class ID>
auto value_end(char const* name) {
    return x3::rule<ID>{name} = !value_octet;
}

auto const assign = [](auto& ctx) { x3::_val(ctx) = std::move(x3::_attr(ctx)); };
auto const append = [](auto& ctx) { x3::_val(ctx) += x3::_attr(ctx); };

// ---------------------------------------------------------------- xtext
// xtext   = *( xchar / hexchar )                                 RFC 3461 §4
// xchar   = any ASCII CHAR between "!" (33) and "~" (126) inclusive, except for "+" and "="
// hexchar = ASCII "+" immediately followed by two upper case hexadecimal digits
// The attribute is the decoded text. Non-ASCII is allowed only as a hexchar
// (RFC 4954 §8: "non-US-ASCII is only allowed as hexchar").
struct hexchar_class;
struct xtext_class;
struct xtext_value_class;
struct xtext_end_class;

x3::rule<hexchar_class, char> const hexchar = "hexchar";
x3::rule<xtext_class, std::string> const xtext = "xtext";
// An xtext that is a whole esmtp-value: at least one octet (esmtp-value = 1*(...)).
x3::rule<xtext_value_class, std::string> const xtext_value = "xtext";

auto const xchar = x3::char_("!-*,-<>-~");
auto const upper_hexdig = x3::char_("0-9A-F");
auto const hexchar_def = lit('+') >> &(upper_hexdig >> upper_hexdig) >> x3::uint_parser<unsigned char, 16, 2, 2>{};
auto const xtext_def = *(xchar[append] | (&lit('+') > hexchar)[append]) > value_end<xtext_end_class>("xtext");
auto const xtext_value_def = &value_octet >> xtext;

// The xtext of auth-param has its own ABNF, where the hexadecimal digits may be
// of either case (RFC 4954 §8: hexchar = "+" HEXDIG HEXDIG, and "all alphabetic
// characters are case-insensitive"); otherwise it is RFC 3461's.
struct auth_hexchar_class;
struct auth_xtext_class;
struct auth_xtext_end_class;

x3::rule<auth_hexchar_class, char> const auth_hexchar = "hexchar";
x3::rule<auth_xtext_class, std::string> const auth_xtext = "xtext";

auto const auth_hexchar_def = lit('+') >> x3::uint_parser<unsigned char, 16, 2, 2>{};
auto const auth_xtext_def = &value_octet >> (*(xchar[append] | (&lit('+') > auth_hexchar)[append]) >
                                             value_end<auth_xtext_end_class>("xtext"));

// ---------------------------------------------------------------- SIZE
// size-param = "SIZE=" size-value; size-value = 1*20DIGIT       RFC 1870 §6
// The value must also fit the AST's 64-bit count; larger values (possible with
// 20 digits) are rejected as a size-value error.
struct size_value_class;
struct size_end_class;
struct size_param_class;

x3::rule<size_value_class, std::uint64_t> const size_value = "size-value";
x3::rule<size_param_class, ast::SizeParam> const size_param = "size-param";

// 1*20DIGIT that fits std::uint64_t, as a semantic action on the raw digits.
auto const to_uint64 = [](auto& ctx) {
    auto const& range = x3::_attr(ctx);
    std::uint64_t n = 0;
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    for (char const c : range) {
        auto const d = static_cast<std::uint64_t>(c - '0');
        if (n > (max - d) / 10) {
            x3::_pass(ctx) = false;
            return;
        }
        n = n * 10 + d;
    }
    x3::_val(ctx) = n;
};
auto const size_digits = [](auto& ctx) {
    auto const& range = x3::_attr(ctx);
    if (range.size() > 20) x3::_pass(ctx) = false;
    else to_uint64(ctx);
};

auto const size_value_def = x3::raw[+DIGIT][size_digits] > value_end<size_end_class>("size-value");
auto const size_param_def =
    (keyword("SIZE") > lit('=') > size_value)[([](auto& ctx) { x3::_val(ctx).octets = x3::_attr(ctx); })];

// ---------------------------------------------------------------- BODY
// body-value = "7BIT" / "8BITMIME"                               RFC 6152 §2
// body-value =/ "BINARYMIME"                                     RFC 3030 §3
struct body_value_class;
struct body_param_class;

struct body_types : no_case_symbols<ast::BodyParam::Type> {
    body_types() {
        add("7BIT", ast::BodyParam::Type::seven_bit)("8BITMIME", ast::BodyParam::Type::eight_bit_mime)(
            "BINARYMIME", ast::BodyParam::Type::binary_mime);
    }
};
body_types const body_type;

x3::rule<body_value_class, ast::BodyParam::Type> const body_value = "body-value";
x3::rule<body_param_class, ast::BodyParam> const body_param = "body-param";

auto const body_value_def = no_case[body_type] >> !value_octet;
auto const body_param_def =
    (keyword("BODY") > lit('=') > body_value)[([](auto& ctx) { x3::_val(ctx).type = x3::_attr(ctx); })];

// ---------------------------------------------------------------- SMTPUTF8
// "If this parameter is provided, it MUST not accept a value."  RFC 6531 §3.4
struct smtputf8_param_class;
struct smtputf8_end_class;

x3::rule<smtputf8_param_class, ast::SmtpUtf8Param> const smtputf8_param = "SMTPUTF8";

auto const smtputf8_param_def =
    (keyword("SMTPUTF8") > (x3::rule<smtputf8_end_class>{"end of esmtp-param"} = !lit('=')))[(
        [](auto& ctx) { x3::_val(ctx) = ast::SmtpUtf8Param{}; })];

// ---------------------------------------------------------------- AUTH
// auth-param = "AUTH=" xtext                                     RFC 4954 §5, §8
// The decoded form MUST be a Mailbox or "<>"; that is left to the reader of the
// AST, the grammar checks the xtext.
struct auth_param_class;

x3::rule<auth_param_class, ast::AuthParam> const auth_param = "auth-param";

auto const auth_param_def =
    (keyword("AUTH") > lit('=') > auth_xtext)[([](auto& ctx) { x3::_val(ctx).mailbox = std::move(x3::_attr(ctx)); })];

// ---------------------------------------------------------------- RET
// ret-value = "FULL" / "HDRS", any case                          RFC 3461 §4.3
struct ret_value_class;
struct ret_param_class;

struct ret_types : no_case_symbols<ast::RetParam::Type> {
    ret_types() { add("FULL", ast::RetParam::Type::full)("HDRS", ast::RetParam::Type::hdrs); }
};
ret_types const ret_type;

x3::rule<ret_value_class, ast::RetParam::Type> const ret_value = "ret-value";
x3::rule<ret_param_class, ast::RetParam> const ret_param = "ret-param";

auto const ret_value_def = no_case[ret_type] >> !value_octet;
auto const ret_param_def =
    (keyword("RET") > lit('=') > ret_value)[([](auto& ctx) { x3::_val(ctx).type = x3::_attr(ctx); })];

// ---------------------------------------------------------------- ENVID
// envid-parameter = "ENVID=" xtext                               RFC 3461 §4.4
struct envid_param_class;

x3::rule<envid_param_class, ast::EnvidParam> const envid_param = "envid-parameter";

auto const envid_param_def =
    (keyword("ENVID") > lit('=') > xtext_value)[([](auto& ctx) { x3::_val(ctx).envid = std::move(x3::_attr(ctx)); })];

// ---------------------------------------------------------------- NOTIFY
// notify-esmtp-value  = "NEVER" / 1#notify-list-element          RFC 3461 §4.1
// notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"
// "the NEVER keyword MUST appear by itself"; any case (note b). The list is
// comma-separated without white space (esmtp-value has no SP).
struct notify_value_class;
struct notify_end_class;
struct notify_param_class;

enum class notify_flag { success, failure, delay };
struct notify_elements : no_case_symbols<notify_flag> {
    notify_elements() {
        add("SUCCESS", notify_flag::success)("FAILURE", notify_flag::failure)("DELAY", notify_flag::delay);
    }
};
notify_elements const notify_element;

x3::rule<notify_value_class, ast::NotifyParam> const notify_value = "notify-esmtp-value";
x3::rule<notify_param_class, ast::NotifyParam> const notify_param = "notify-param";

auto const set_never = [](auto& ctx) { x3::_val(ctx).never = true; };
auto const set_notify_flag = [](auto& ctx) {
    auto& v = x3::_val(ctx);
    switch (x3::_attr(ctx)) {
        case notify_flag::success: v.success = true; break;
        case notify_flag::failure: v.failure = true; break;
        case notify_flag::delay: v.delay = true; break;
    }
};

auto const notify_value_def = (no_case_lit("NEVER") >> !value_octet)[set_never] |
                              ((no_case[notify_element][set_notify_flag] % ',') >
                               value_end<notify_end_class>("notify-esmtp-value"));
auto const notify_param_def = (keyword("NOTIFY") > lit('=') > notify_value)[assign];

// ---------------------------------------------------------------- ORCPT
// orcpt-parameter = "ORCPT=" original-recipient-address          RFC 3461 §4.2
// original-recipient-address = addr-type ";" xtext
// addr-type = atom   (RFC 822 atom; "=" cannot occur in an esmtp-value)
struct orcpt_value_class;
struct addr_type_class;
struct orcpt_param_class;

x3::rule<addr_type_class, std::string> const addr_type = "addr-type";
x3::rule<orcpt_value_class, ast::OrcptParam> const orcpt_value = "original-recipient-address";
x3::rule<orcpt_param_class, ast::OrcptParam> const orcpt_param = "orcpt-parameter";

auto const addr_type_def = +(ALPHA | DIGIT | x3::char_("!#$%&'*+/?^_`{|}~-"));
auto const orcpt_value_def = (addr_type > lit(';') > xtext)[([](auto& ctx) {
    x3::_val(ctx).addr_type = std::move(boost::fusion::at_c<0>(x3::_attr(ctx)));
    x3::_val(ctx).address = std::move(boost::fusion::at_c<1>(x3::_attr(ctx)));
})];
auto const orcpt_param_def = (keyword("ORCPT") > lit('=') > orcpt_value)[assign];

// ---------------------------------------------------------------- any other
// esmtp-param   = esmtp-keyword ["=" esmtp-value]                 RFC 5321 §4.1.2
// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
// esmtp-value   = 1*(%d33-60 / %d62-126)
// esmtp-value   =/ UTF8-non-ascii                                 RFC 6531 §3.3
struct esmtp_keyword_class;
struct esmtp_value_class;
struct generic_param_class;

x3::rule<esmtp_keyword_class, std::string> const esmtp_keyword = "esmtp-keyword";
x3::rule<esmtp_value_class, std::string> const esmtp_value = "esmtp-value";
x3::rule<generic_param_class, ast::GenericParam> const generic_param = "esmtp-param";

auto const esmtp_keyword_def = x3::raw[(ALPHA | DIGIT) >> *keyword_char];
auto const esmtp_value_def = +(x3::char_('\x21', '\x3C') | x3::char_('\x3E', '\x7E') | UTF8_non_ascii);
auto const generic_param_def =
    esmtp_keyword[([](auto& ctx) {
        auto const& r = x3::_attr(ctx);
        x3::_val(ctx).keyword.assign(r.begin(), r.end());
    })] >>
    -(lit('=') > esmtp_value)[([](auto& ctx) { x3::_val(ctx).value = std::move(x3::_attr(ctx)); })];

BOOST_SPIRIT_DEFINE(hexchar, xtext, xtext_value, auth_hexchar, auth_xtext, size_value, size_param, body_value, body_param, smtputf8_param,
                    auth_param, ret_value, ret_param, envid_param, notify_value, notify_param, addr_type,
                    orcpt_value, orcpt_param, esmtp_keyword, esmtp_value, generic_param)

}  // namespace param_rules

esmtp_param_type const esmtp_param_rule = "esmtp-param";

auto const esmtp_param_rule_def =
    param_rules::size_param[param_rules::assign] | param_rules::body_param[param_rules::assign] |
    param_rules::smtputf8_param[param_rules::assign] | param_rules::auth_param[param_rules::assign] |
    param_rules::ret_param[param_rules::assign] | param_rules::envid_param[param_rules::assign] |
    param_rules::notify_param[param_rules::assign] | param_rules::orcpt_param[param_rules::assign] |
    param_rules::generic_param[param_rules::assign];

BOOST_SPIRIT_DEFINE(esmtp_param_rule)

}  // namespace smtpspec::grammar::detail
