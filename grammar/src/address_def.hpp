// Definitions of the address rules declared in address.hpp: domains, local
// parts, mailboxes and paths (RFC 5321 §4.1.2, RFC 6531 §3.3). Address
// literals are their own group (address_literal_def.hpp). Included by
// address.cpp only.
//
// The rules recognise the ABNF; where an AST value is built from what a rule
// matched, the rule takes the matched text with x3::raw and a semantic action
// decodes it. UTF8-non-ascii is part of the grammar (RFC 6531 §3.3); whether it
// is allowed at all (SMTPUTF8 in effect or not) is decided by the parse
// functions before the grammar runs.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "address.hpp"
#include "address_detail.hpp"
#include "detail/common.hpp"
#include "smtpspec/grammar/limits.hpp"

namespace smtpspec::grammar::detail {

// ---------------------------------------------------------------- rule objects
// The rules declared in address.hpp, named as the ABNF names them.
domain_type const domain_rule = "Domain";
host_type const host_rule = "Domain / address-literal";
local_part_type const local_part_rule = "Local-part";
mailbox_type const mailbox_rule = "Mailbox";
path_type const path_rule = "Path";
reverse_path_type const reverse_path_rule = "Reverse-path";
forward_path_type const forward_path_rule = "Forward-path";
atom_type const atom_rule = "Atom";
quoted_string_type const quoted_string_rule = "Quoted-string";

// Rules used only inside this group.
namespace address_grammar {

x3::rule<struct sub_domain_class> const sub_domain = "sub-domain";
x3::rule<struct dot_string_class, std::string> const dot_string = "Dot-string";
x3::rule<struct quoted_pair_class, char> const quoted_pair_smtp = "quoted-pairSMTP";
x3::rule<struct at_domain_class, ast::Domain> const at_domain = "At-domain";
x3::rule<struct adl_class, std::vector<ast::Domain>> const adl = "A-d-l";

using address_common::assign;
using address_common::text_of;
inline auto const append = [](auto& ctx) { x3::_val(ctx) += x3::_attr(ctx); };
inline auto const push_back = [](auto& ctx) { x3::_val(ctx).push_back(std::move(x3::_attr(ctx))); };

// Splits the text a Domain matched into its labels.
inline auto const make_domain = [](auto& ctx) {
    std::string_view text = text_of(x3::_attr(ctx));
    ast::Domain& d = x3::_val(ctx);
    d.labels.clear();
    for (;;) {
        auto const dot = text.find('.');
        d.labels.emplace_back(text.substr(0, dot));
        if (dot == std::string_view::npos) break;
        text.remove_prefix(dot + 1);
    }
};

// ---------------------------------------------------------------- domains

// Let-dig = ALPHA / DIGIT                                       RFC 5321 §4.1.2
// sub-domain =/ U-label                                          RFC 6531 §3.3
// A U-label (RFC 5890 §2.3.2.1) is written in UTF-8 and, like an LDH label,
// neither starts nor ends with a hyphen (RFC 5891 §4.2.3.1); here its non-ASCII
// characters stand where Let-dig does. The IDNA2008 code point tables
// (RFC 5892) and the "--" in the third and fourth positions are not checked.
inline auto const let_dig_or_utf8 = ALPHA | DIGIT | UTF8_non_ascii;

// sub-domain = Let-dig [Ldh-str]                                 RFC 5321 §4.1.2
// Ldh-str    = *( ALPHA / DIGIT / "-" ) Let-dig
// [Ldh-str] is written as *( *"-" Let-dig ): the same strings, but each
// repetition ends on a Let-dig, so a greedy parser that backs off one
// repetition at a time never swallows a hyphen that no Let-dig follows.
auto const sub_domain_def = let_dig_or_utf8 >> *(*x3::lit('-') >> let_dig_or_utf8);

// At-domain = "@" Domain                                         RFC 5321 §4.1.2
auto const at_domain_def = x3::lit('@') > domain_rule[assign];

// A-d-l = At-domain *( "," At-domain )                           RFC 5321 §4.1.2
// The source route: MUST be accepted, SHOULD NOT be generated, SHOULD be ignored.
auto const adl_def = at_domain[push_back] >> *(x3::lit(',') > at_domain[push_back]);

// ---------------------------------------------------------------- local parts

// atext = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" /
//         "/" / "=" / "?" / "^" / "_" / "`" / "{" / "|" / "}" / "~"    RFC 5322 §3.2.3
// atext =/ UTF8-non-ascii                                        RFC 6531 §3.3
inline auto const atext = ALPHA | DIGIT | x3::char_("!#$%&'*+/=?^_`{|}~") | x3::char_('-') | UTF8_non_ascii;

// Dot-string = Atom *("." Atom)                                  RFC 5321 §4.1.2
// A "." commits: a Local-part is always followed by "@", never by ".".
auto const dot_string_def = x3::raw[atom_rule >> *(x3::lit('.') > atom_rule)];

// qtextSMTP = %d32-33 / %d35-91 / %d93-126                        RFC 5321 §4.1.2
// (its RFC 6531 §3.3 extension, UTF8-non-ascii, is the separate alternative in
// Quoted-string below: a different attribute type)
inline auto const qtext_smtp = x3::char_('\x20', '\x7E') - x3::lit('"') - x3::lit('\\');

// quoted-pairSMTP = %d92 %d32-126                                RFC 5321 §4.1.2
// The octet after the backslash.
auto const quoted_pair_smtp_def = x3::char_('\x20', '\x7E');

BOOST_SPIRIT_DEFINE(sub_domain, at_domain, adl, dot_string, quoted_pair_smtp)

}  // namespace address_grammar

using namespace address_grammar;

// Domain = sub-domain *("." sub-domain)                          RFC 5321 §4.1.2
// At most limits::domain octets (§4.5.3.1.2). A "." commits to a sub-domain:
// no SMTP production lets a Domain be followed by ".", so "example.com." is
// reported at the octet after the dot (lenient mode's trailing-dot-domain).
auto const domain_rule_def =
    bounded(limits::domain, "Domain")[x3::raw[sub_domain >> *(x3::lit('.') > sub_domain)][make_domain]];

// ( Domain / address-literal ): what follows "@" in a Mailbox   RFC 5321 §4.1.2
// and what EHLO names                                            RFC 5321 §4.1.1.1
auto const host_rule_def = domain_rule[assign] | address_literal()[assign];

// Atom = 1*atext                                                 RFC 5321 §4.1.2
auto const atom_rule_def = x3::raw[+atext];

// Quoted-string = DQUOTE *QcontentSMTP DQUOTE                     RFC 5321 §4.1.2
// QcontentSMTP = qtextSMTP / quoted-pairSMTP
// qtextSMTP =/ UTF8-non-ascii                                    RFC 6531 §3.3
// The attribute is the decoded content: quotes removed, each quoted-pair
// replaced by the octet it escapes.
auto const quoted_string_rule_def =
    x3::lit('"') > *(qtext_smtp[append] | UTF8_non_ascii[append] | (x3::lit('\\') > quoted_pair_smtp[append])) >
    x3::lit('"');

// Local-part = Dot-string / Quoted-string                         RFC 5321 §4.1.2
// At most limits::local_part octets as written, quotes included (§4.5.3.1.1).
auto const local_part_rule_def = bounded(limits::local_part, "Local-part")[
    dot_string[([](auto& ctx) { x3::_val(ctx) = ast::LocalPart{std::move(x3::_attr(ctx)), false}; })] |
    quoted_string_rule[([](auto& ctx) { x3::_val(ctx) = ast::LocalPart{std::move(x3::_attr(ctx)), true}; })]];

// Mailbox = Local-part "@" ( Domain / address-literal )          RFC 5321 §4.1.2
auto const mailbox_rule_def = local_part_rule[([](auto& ctx) { x3::_val(ctx).local = std::move(x3::_attr(ctx)); })] >
                              x3::lit('@') >
                              host_rule[([](auto& ctx) { x3::_val(ctx).host = std::move(x3::_attr(ctx)); })];

// Path = "<" [ A-d-l ":" ] Mailbox ">"                            RFC 5321 §4.1.2
// At most limits::path octets, brackets included (§4.5.3.1.3).
auto const path_rule_def = bounded(limits::path, "Path")[
    x3::lit('<') >
    -(adl[([](auto& ctx) { x3::_val(ctx).source_route = std::move(x3::_attr(ctx)); })] > x3::lit(':')) >
    mailbox_rule[([](auto& ctx) { x3::_val(ctx).mailbox = std::move(x3::_attr(ctx)); })] > x3::lit('>')];

// Reverse-path = Path / "<>"                                      RFC 5321 §4.1.2
// "<>" is tried first: Path commits at its "<".
auto const reverse_path_rule_def = x3::lit("<>")[([](auto& ctx) { x3::_val(ctx).path.reset(); })] |
                                   path_rule[([](auto& ctx) { x3::_val(ctx).path = std::move(x3::_attr(ctx)); })];

// rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path ) ...
// Forward-path = Path                                             RFC 5321 §4.1.1.3, §4.1.2
// "<Postmaster@" Domain ">" is a Path already; "<Postmaster>" (any case,
// RFC 5234 §2.3) is the path-less form, tried first as Path commits at "<".
auto const forward_path_rule_def =
    no_case_lit("<Postmaster>")[([](auto& ctx) { x3::_val(ctx).path.reset(); })] |
    path_rule[([](auto& ctx) { x3::_val(ctx).path = std::move(x3::_attr(ctx)); })];

BOOST_SPIRIT_DEFINE(domain_rule, host_rule, atom_rule, quoted_string_rule, local_part_rule, mailbox_rule, path_rule,
                    reverse_path_rule, forward_path_rule)

}  // namespace smtpspec::grammar::detail
