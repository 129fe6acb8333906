// Definitions of the command rules (declared in command.hpp).
//
// A verb commits: once "MAIL" (any case) is followed by something that cannot
// continue a verb, the line must be a mail command, and the first octet that
// does not fit is reported with the production expected there. An unknown verb
// is an error at offset 0.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include <boost/fusion/include/at_c.hpp>

#include "address.hpp"
#include "command.hpp"
#include "detail/common.hpp"
#include "param.hpp"

namespace smtpspec::grammar::detail {

namespace command_rules {

using x3::lit;
using x3::no_case;

// Verb = one of the command words of RFC 5321 §4.1.1 and its extensions,
// matched case-insensitively (RFC 5321 §2.4: "Verbs and argument values (e.g.,
// "TO:" or "to:" in the RCPT command and extension name keywords) are not case
// sensitive") and only as a whole word.
inline auto verb(char const* name) { return no_case_lit(name) >> !(ALPHA | DIGIT | lit('-')); }

// A rule that matches where the production named `name` must end, so that an
// error there names that production.
template <class ID, class P>
auto ends(char const* name, P const& follow) {
    return x3::rule<ID>{name} = !follow;
}

// SP, named so that an error where it is missing says "SP".
struct sp_class;
x3::rule<sp_class> const sp = "SP";
auto const sp_def = SP;

// The "FROM:" of "MAIL FROM:" and the "TO:" of "RCPT TO:", in any case (RFC 5321 §2.4).
struct from_colon_class;
struct to_colon_class;
x3::rule<from_colon_class> const from_colon = "\"FROM:\"";
x3::rule<to_colon_class> const to_colon = "\"TO:\"";
auto const from_colon_def = no_case_lit("FROM:");
auto const to_colon_def = no_case_lit("TO:");

// The end of the command line: its CRLF, which parse_command lets the caller
// omit, and nothing after it.
struct line_end_class;
x3::rule<line_end_class> const line_end = "CRLF";
auto const line_end_def = -CRLF >> x3::eoi;

// A decimal count that fits std::uint64_t; the action fails the match otherwise.
auto const to_uint64 = [](auto& ctx) {
    std::uint64_t n = 0;
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    for (char const c : x3::_attr(ctx)) {
        auto const d = static_cast<std::uint64_t>(c - '0');
        if (n > (max - d) / 10) {
            x3::_pass(ctx) = false;
            return;
        }
        n = n * 10 + d;
    }
    x3::_val(ctx) = n;
};

auto const assign = [](auto& ctx) { x3::_val(ctx) = std::move(x3::_attr(ctx)); };

// String = Atom / Quoted-string                                  RFC 5321 §4.1.2
// The text decoded, and whether it was quoted.
struct StringArg {
    std::string value;
    bool quoted = false;
};
struct string_arg_class;
x3::rule<string_arg_class, StringArg> const string_arg = "String";
auto const string_arg_def = atom()[([](auto& ctx) { x3::_val(ctx) = StringArg{std::move(x3::_attr(ctx)), false}; })] |
                            quoted_string()[([](auto& ctx) { x3::_val(ctx) = StringArg{std::move(x3::_attr(ctx)), true}; })];

// ---------------------------------------------------------------- RFC 5321 §4.1.1
struct ehlo_class;
struct helo_class;
struct mail_class;
struct rcpt_class;
struct data_class;
struct rset_class;
struct vrfy_class;
struct expn_class;
struct help_class;
struct noop_class;
struct quit_class;

x3::rule<ehlo_class, ast::Ehlo> const ehlo = "ehlo";
x3::rule<helo_class, ast::Helo> const helo = "helo";
x3::rule<mail_class, ast::Mail> const mail = "mail";
x3::rule<rcpt_class, ast::Rcpt> const rcpt = "rcpt";
x3::rule<data_class, ast::Data> const data = "data";
x3::rule<rset_class, ast::Rset> const rset = "rset";
x3::rule<vrfy_class, ast::Vrfy> const vrfy = "vrfy";
x3::rule<expn_class, ast::Expn> const expn = "expn";
x3::rule<help_class, ast::Help> const help = "help";
x3::rule<noop_class, ast::Noop> const noop = "noop";
x3::rule<quit_class, ast::Quit> const quit = "quit";

// ehlo = "EHLO" SP ( Domain / address-literal ) CRLF              RFC 5321 §4.1.1.1
auto const ehlo_def =
    (verb("EHLO") > sp > host() > line_end)[([](auto& ctx) { x3::_val(ctx).host = std::move(x3::_attr(ctx)); })];

// helo = "HELO" SP Domain CRLF                                     RFC 5321 §4.1.1.1
auto const helo_def =
    (verb("HELO") > sp > domain() > line_end)[([](auto& ctx) { x3::_val(ctx).domain = std::move(x3::_attr(ctx)); })];

// Mail-parameters = esmtp-param *(SP esmtp-param)                  RFC 5321 §4.1.2
// Rcpt-parameters = esmtp-param *(SP esmtp-param)
auto const parameters = *(sp > esmtp_param());

// mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF       RFC 5321 §4.1.1.2
// "MAIL FROM:" is matched as "MAIL" SP "FROM:", each part in any case.
auto const mail_def =
    (verb("MAIL") > sp > from_colon > reverse_path() > parameters > line_end)[([](auto& ctx) {
        x3::_val(ctx).from = std::move(boost::fusion::at_c<0>(x3::_attr(ctx)));
        x3::_val(ctx).params = std::move(boost::fusion::at_c<1>(x3::_attr(ctx)));
    })];

// rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" /
//        Forward-path ) [SP Rcpt-parameters] CRLF                  RFC 5321 §4.1.1.3
// The three forms of the path are address.hpp's forward_path().
auto const rcpt_def =
    (verb("RCPT") > sp > to_colon > forward_path() > parameters > line_end)[([](auto& ctx) {
        x3::_val(ctx).to = std::move(boost::fusion::at_c<0>(x3::_attr(ctx)));
        x3::_val(ctx).params = std::move(boost::fusion::at_c<1>(x3::_attr(ctx)));
    })];

// data = "DATA" CRLF                                               RFC 5321 §4.1.1.4
auto const data_def = (verb("DATA") > line_end)[([](auto& ctx) { x3::_val(ctx) = ast::Data{}; })];

// rset = "RSET" CRLF                                               RFC 5321 §4.1.1.5
auto const rset_def = (verb("RSET") > line_end)[([](auto& ctx) { x3::_val(ctx) = ast::Rset{}; })];

// vrfy = "VRFY" SP String CRLF                                     RFC 5321 §4.1.1.6
auto const vrfy_def = (verb("VRFY") > sp > string_arg > line_end)[([](auto& ctx) {
    x3::_val(ctx).value = std::move(x3::_attr(ctx).value);
    x3::_val(ctx).quoted = x3::_attr(ctx).quoted;
})];

// expn = "EXPN" SP String CRLF                                     RFC 5321 §4.1.1.7
auto const expn_def = (verb("EXPN") > sp > string_arg > line_end)[([](auto& ctx) {
    x3::_val(ctx).value = std::move(x3::_attr(ctx).value);
    x3::_val(ctx).quoted = x3::_attr(ctx).quoted;
})];

// help = "HELP" [ SP String ] CRLF                                 RFC 5321 §4.1.1.8
auto const help_def = (verb("HELP") > -(sp > string_arg) > line_end)[([](auto& ctx) {
    if (auto const& a = x3::_attr(ctx)) {
        x3::_val(ctx).topic = a->value;
        x3::_val(ctx).quoted = a->quoted;
    }
})];

// noop = "NOOP" [ SP String ] CRLF                                 RFC 5321 §4.1.1.9
auto const noop_def = (verb("NOOP") > -(sp > string_arg) > line_end)[([](auto& ctx) {
    if (auto const& a = x3::_attr(ctx)) {
        x3::_val(ctx).value = a->value;
        x3::_val(ctx).quoted = a->quoted;
    }
})];

// quit = "QUIT" CRLF                                               RFC 5321 §4.1.1.10
auto const quit_def = (verb("QUIT") > line_end)[([](auto& ctx) { x3::_val(ctx) = ast::Quit{}; })];

// ---------------------------------------------------------------- extensions
struct starttls_class;
struct auth_class;
struct sasl_mech_class;
struct sasl_mech_end_class;
struct initial_response_class;
struct bdat_class;
struct chunk_size_class;
struct end_marker_class;

x3::rule<starttls_class, ast::StartTls> const starttls = "starttls";
x3::rule<auth_class, ast::Auth> const auth = "auth-command";
x3::rule<sasl_mech_class, std::string> const sasl_mech = "sasl-mech";
x3::rule<initial_response_class, std::string> const initial_response = "initial-response";
x3::rule<bdat_class, ast::Bdat> const bdat = "bdat-cmd";
x3::rule<chunk_size_class, std::uint64_t> const chunk_size = "chunk-size";
x3::rule<end_marker_class, bool> const end_marker = "end-marker";

// starttls = "STARTTLS" CRLF                                       RFC 3207 §4
auto const starttls_def = (verb("STARTTLS") > line_end)[([](auto& ctx) { x3::_val(ctx) = ast::StartTls{}; })];

// sasl-mech = 1*20mech-char                                        RFC 4422 §3.1
// mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
// RFC 4954 §8: "all alphabetic characters are case-insensitive ... Implementations
// MUST accept these strings in a case-insensitive fashion", so lower case is
// accepted too; the mechanism is kept as written.
auto const mech_char = ALPHA | DIGIT | x3::char_("-_");
auto const sasl_mech_def = x3::raw[x3::repeat(1, 20)[mech_char]] > ends<sasl_mech_end_class>("sasl-mech", mech_char);

// initial-response = base64 / "="                                  RFC 4954 §4, §8
// base64           = base64-terminal / ( 1*(4base64-char) [base64-terminal] )
// base64-char      = ALPHA / DIGIT / "+" / "/"      ;; Case-sensitive
// base64-terminal  = (2base64-char "==") / (3base64-char "=")
// Nothing else may follow on the line: a base64 text of the wrong length or with
// misplaced padding fails as a whole, at its first octet.
auto const base64_char = ALPHA | DIGIT | x3::char_("+/");
auto const base64_terminal = (x3::repeat(2)[base64_char] >> lit("==")) | (x3::repeat(3)[base64_char] >> lit('='));
auto const base64 = base64_terminal | (+x3::repeat(4)[base64_char] >> -base64_terminal);
auto const initial_response_def = x3::raw[(base64 | lit('=')) >> !(base64_char | lit('='))];

// auth-command = "AUTH" SP sasl-mech [SP initial-response]
//                *(CRLF [base64]) [CRLF cancel-response] CRLF    RFC 4954 §4, §8
// The command line itself: the continuation lines after it belong to the SASL
// exchange, not to the command.
auto const auth_def = (verb("AUTH") > sp > sasl_mech > -(sp > initial_response) > line_end)[([](auto& ctx) {
    x3::_val(ctx).mechanism = std::move(boost::fusion::at_c<0>(x3::_attr(ctx)));
    if (auto const& r = boost::fusion::at_c<1>(x3::_attr(ctx))) x3::_val(ctx).initial_response = *r;
})];

// bdat-cmd   = "BDAT" SP chunk-size [ SP end-marker ] CRLF         RFC 3030 §2
// chunk-size = 1*DIGIT        (and at most 2^64-1, the AST's range)
// end-marker = "LAST"
auto const chunk_size_def = x3::raw[+DIGIT][to_uint64];
auto const end_marker_def = no_case_lit("LAST") >> !(ALPHA | DIGIT) >> x3::attr(true);
auto const bdat_def = (verb("BDAT") > sp > chunk_size > -(sp > end_marker) > line_end)[([](auto& ctx) {
    x3::_val(ctx).size = boost::fusion::at_c<0>(x3::_attr(ctx));
    x3::_val(ctx).last = boost::fusion::at_c<1>(x3::_attr(ctx)).has_value();
})];

BOOST_SPIRIT_DEFINE(sp, from_colon, to_colon, line_end, string_arg, ehlo, helo, mail, rcpt, data, rset, vrfy, expn, help, noop, quit, starttls,
                    sasl_mech, initial_response, auth, chunk_size, end_marker, bdat)

}  // namespace command_rules

command_type const command_rule = "command";

auto const command_rule_def =
    command_rules::ehlo[command_rules::assign] | command_rules::helo[command_rules::assign] |
    command_rules::mail[command_rules::assign] | command_rules::rcpt[command_rules::assign] |
    command_rules::data[command_rules::assign] | command_rules::rset[command_rules::assign] |
    command_rules::vrfy[command_rules::assign] | command_rules::expn[command_rules::assign] |
    command_rules::help[command_rules::assign] | command_rules::noop[command_rules::assign] |
    command_rules::quit[command_rules::assign] | command_rules::starttls[command_rules::assign] |
    command_rules::auth[command_rules::assign] | command_rules::bdat[command_rules::assign];

BOOST_SPIRIT_DEFINE(command_rule)

}  // namespace smtpspec::grammar::detail
