// The abstract syntax of SMTP as the grammar produces it and the printers consume it.
//
// Plain value types: every struct is copyable and comparable, so that the
// round-trip property parse(print(x)) == x can be stated for each of them.
// Field meanings follow the ABNF of RFC 5321 §4.1 and the extensions named
// beside each type. Case-insensitive keywords (verbs, "FROM:", parameter
// names) are not kept: the printers write their canonical upper-case form.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace smtpspec::grammar::ast {

// ---------------------------------------------------------------- domains
// Domain = sub-domain *("." sub-domain)                     RFC 5321 §4.1.2
// sub-domain =/ U-label                                      RFC 6531 §3.3
// Each label as written; comparison of domains is case-insensitive, the AST
// keeps the spelling.
struct Domain {
    std::vector<std::string> labels;
    bool operator==(const Domain&) const = default;
};

// IPv4-address-literal = Snum 3("." Snum)                   RFC 5321 §4.1.3
struct IPv4Literal {
    std::array<std::uint8_t, 4> octets{};
    bool operator==(const IPv4Literal&) const = default;
};

// IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp   RFC 5321 §4.1.3
// full:    8 groups in `head`, `tail` empty, no `v4`.
// comp:    `head` "::" `tail`, at most 6 groups in head and tail together.
// v4full:  6 groups in `head`, then `v4`.
// v4comp:  `head` "::" `tail` ":"? `v4`, at most 4 groups together.
struct IPv6Literal {
    enum class Form { full, comp, v4full, v4comp };
    Form form = Form::full;
    std::vector<std::uint16_t> head;
    std::vector<std::uint16_t> tail;
    std::optional<std::array<std::uint8_t, 4>> v4;
    bool operator==(const IPv6Literal&) const = default;
};

// General-address-literal = Standardized-tag ":" 1*dcontent   RFC 5321 §4.1.3
struct GeneralLiteral {
    std::string tag;      // Ldh-str, registered with IANA; "IPv6" is not a general tag
    std::string content;  // 1*dcontent, %d33-90 / %d94-126
    bool operator==(const GeneralLiteral&) const = default;
};

// address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
//                         General-address-literal ) "]"      RFC 5321 §4.1.2
using AddressLiteral = std::variant<IPv4Literal, IPv6Literal, GeneralLiteral>;

// ( Domain / address-literal ): what follows "@" in a Mailbox and what EHLO names.
using Host = std::variant<Domain, AddressLiteral>;

// ---------------------------------------------------------------- addresses
// Local-part = Dot-string / Quoted-string                     RFC 5321 §4.1.2
// `value` is the decoded text: for a Quoted-string the quotes are removed and
// each quoted-pair is replaced by the character it escapes.
struct LocalPart {
    std::string value;
    bool quoted = false;
    bool operator==(const LocalPart&) const = default;
};

// Mailbox = Local-part "@" ( Domain / address-literal )       RFC 5321 §4.1.2
struct Mailbox {
    LocalPart local;
    Host host;
    bool operator==(const Mailbox&) const = default;
};

// Path = "<" [ A-d-l ":" ] Mailbox ">"                         RFC 5321 §4.1.2
// A-d-l = At-domain *( "," At-domain ); At-domain = "@" Domain
// The source route must be accepted and ignored (RFC 5321 §4.1.1.3, Appendix C);
// it is kept so that the model can flag it and the printer can reproduce it.
struct Path {
    std::vector<Domain> source_route;
    Mailbox mailbox;
    bool operator==(const Path&) const = default;
};

// Reverse-path = Path / "<>"                                   RFC 5321 §4.1.2
struct ReversePath {
    std::optional<Path> path;  // empty: the null reverse-path "<>"
    bool operator==(const ReversePath&) const = default;
};

// Forward-path = Path; RCPT also takes "<Postmaster@" Domain ">" and "<Postmaster>"
//                                                              RFC 5321 §4.1.1.3
struct ForwardPath {
    std::optional<Path> path;  // empty: "<Postmaster>" with no domain
    bool operator==(const ForwardPath&) const = default;
};

// ---------------------------------------------------------------- ESMTP parameters
// esmtp-param = esmtp-keyword ["=" esmtp-value]                 RFC 5321 §4.1.2
// Well-known keywords are typed; every other one is kept as written.

// size-param = "SIZE=" size-value; size-value = 1*20DIGIT      RFC 1870 §6
struct SizeParam {
    std::uint64_t octets = 0;
    bool operator==(const SizeParam&) const = default;
};

// body-value = "7BIT" / "8BITMIME"                            RFC 6152 §2
//            / "BINARYMIME"                                   RFC 3030 §3
struct BodyParam {
    enum class Type { seven_bit, eight_bit_mime, binary_mime };
    Type type = Type::seven_bit;
    bool operator==(const BodyParam&) const = default;
};

// "SMTPUTF8" (no value)                                         RFC 6531 §3.4
struct SmtpUtf8Param {
    bool operator==(const SmtpUtf8Param&) const = default;
};

// auth-param = "AUTH=" xtext, the decoded value an addr-spec or "<>"  RFC 4954 §5
struct AuthParam {
    std::string mailbox;  // xtext decoded
    bool operator==(const AuthParam&) const = default;
};

// ret-param = "RET=" ("FULL" / "HDRS")                           RFC 3461 §4.3
struct RetParam {
    enum class Type { full, hdrs };
    Type type = Type::full;
    bool operator==(const RetParam&) const = default;
};

// envid-param = "ENVID=" xtext                                  RFC 3461 §4.4
struct EnvidParam {
    std::string envid;  // xtext decoded
    bool operator==(const EnvidParam&) const = default;
};

// notify-esmtp-value = "NEVER" / 1#notify-list-element
// notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"          RFC 3461 §4.1
struct NotifyParam {
    bool never = false;  // when true the three flags below are false
    bool success = false;
    bool failure = false;
    bool delay = false;
    bool operator==(const NotifyParam&) const = default;
};

// orcpt-parameter = "ORCPT=" addr-type ";" xtext                RFC 3461 §4.2
struct OrcptParam {
    std::string addr_type;  // atom, e.g. "rfc822"
    std::string address;    // xtext decoded
    bool operator==(const OrcptParam&) const = default;
};

// Any other esmtp-param, keyword and value as written.
struct GenericParam {
    std::string keyword;
    std::optional<std::string> value;
    bool operator==(const GenericParam&) const = default;
};

using Param = std::variant<SizeParam, BodyParam, SmtpUtf8Param, AuthParam, RetParam, EnvidParam,
                           NotifyParam, OrcptParam, GenericParam>;

// ---------------------------------------------------------------- commands
// RFC 5321 §4.1.1 and the extensions. Verbs are case-insensitive (§2.4).

// ehlo = "EHLO" SP ( Domain / address-literal ) CRLF             RFC 5321 §4.1.1.1
struct Ehlo {
    Host host;
    bool operator==(const Ehlo&) const = default;
};
// helo = "HELO" SP Domain CRLF
struct Helo {
    Domain domain;
    bool operator==(const Helo&) const = default;
};
// mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF     RFC 5321 §4.1.1.2
struct Mail {
    ReversePath from;
    std::vector<Param> params;
    bool operator==(const Mail&) const = default;
};
// rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" /
//        Forward-path ) [SP Rcpt-parameters] CRLF                RFC 5321 §4.1.1.3
struct Rcpt {
    ForwardPath to;
    std::vector<Param> params;
    bool operator==(const Rcpt&) const = default;
};
// data = "DATA" CRLF                                             RFC 5321 §4.1.1.4
struct Data {
    bool operator==(const Data&) const = default;
};
// rset = "RSET" CRLF                                             RFC 5321 §4.1.1.5
struct Rset {
    bool operator==(const Rset&) const = default;
};
// vrfy = "VRFY" SP String CRLF                                   RFC 5321 §4.1.1.6
// String = Atom / Quoted-string; `value` decoded as for LocalPart.
struct Vrfy {
    std::string value;
    bool quoted = false;
    bool operator==(const Vrfy&) const = default;
};
// expn = "EXPN" SP String CRLF                                   RFC 5321 §4.1.1.7
struct Expn {
    std::string value;
    bool quoted = false;
    bool operator==(const Expn&) const = default;
};
// help = "HELP" [ SP String ] CRLF                               RFC 5321 §4.1.1.8
struct Help {
    std::optional<std::string> topic;
    bool quoted = false;
    bool operator==(const Help&) const = default;
};
// noop = "NOOP" [ SP String ] CRLF                               RFC 5321 §4.1.1.9
struct Noop {
    std::optional<std::string> value;
    bool quoted = false;
    bool operator==(const Noop&) const = default;
};
// quit = "QUIT" CRLF                                             RFC 5321 §4.1.1.10
struct Quit {
    bool operator==(const Quit&) const = default;
};
// starttls = "STARTTLS" CRLF                                     RFC 3207 §4
struct StartTls {
    bool operator==(const StartTls&) const = default;
};
// auth-command = "AUTH" SP sasl-mech [SP initial-response] *(CRLF [base64]) [CRLF cancel-response] CRLF
// initial-response = base64 / "="                               RFC 4954 §4
struct Auth {
    std::string mechanism;                        // sasl-mech, as written
    std::optional<std::string> initial_response;  // base64 text, or "=" for an empty response
    bool operator==(const Auth&) const = default;
};
// bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF
// chunk-size = 1*DIGIT; end-marker = "LAST"                      RFC 3030 §2
struct Bdat {
    std::uint64_t size = 0;
    bool last = false;
    bool operator==(const Bdat&) const = default;
};

using Command = std::variant<Ehlo, Helo, Mail, Rcpt, Data, Rset, Vrfy, Expn, Help, Noop, Quit,
                             StartTls, Auth, Bdat>;

// ---------------------------------------------------------------- replies
// status-code = class "." subject "." detail                     RFC 3463 §2
// class = "2" / "4" / "5"; subject, detail = 1*3digit without leading zeros
// (RFC 3463 §2: "numeric values from 0 to 999" with no leading zero).
struct EnhancedCode {
    unsigned cls = 2;
    unsigned subject = 0;
    unsigned detail = 0;
    bool operator==(const EnhancedCode&) const = default;
};

// One line of a reply: the textstring after the code and separator.
// When the text starts with an enhanced status code followed by SP or the end
// of the line (RFC 2034 §4), it is split off into `enhanced`; `text` is the rest.
struct ReplyLine {
    std::optional<EnhancedCode> enhanced;
    std::string text;  // may be empty: "250" or "250-" with no textstring
    bool operator==(const ReplyLine&) const = default;
};

// Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//              Reply-code [ SP textstring ] CRLF                 RFC 5321 §4.2
// Reply-code = %x32-35 %x30-35 %x30-39; every line carries the same code.
struct Reply {
    unsigned code = 250;
    std::vector<ReplyLine> lines;  // at least one
    bool operator==(const Reply&) const = default;
};

// Greeting = ( "220 " (Domain / address-literal) [ SP textstring ] CRLF ) /
//            ( "220-" (Domain / address-literal) [ SP textstring ] CRLF
//              *( "220-" [ textstring ] CRLF ) "220" [ SP textstring ] CRLF )
//                                                               RFC 5321 §4.2
struct Greeting {
    Host host;
    std::string text;               // after host and SP on the first line; may be empty
    std::vector<std::string> more;  // textstrings of the following lines, if multi-line
    bool operator==(const Greeting&) const = default;
};

// ehlo-line = ehlo-keyword *( SP ehlo-param )                    RFC 5321 §4.1.1.1
// ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"); ehlo-param = 1*(%d33-126)
struct EhloLine {
    std::string keyword;  // as written
    std::vector<std::string> params;
    bool operator==(const EhloLine&) const = default;
};

// ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF ) /
//               ( "250-" Domain [ SP ehlo-greet ] CRLF
//                 *( "250-" ehlo-line CRLF ) "250" SP ehlo-line CRLF )
// ehlo-greet = 1*(%d0-9 / %d11-12 / %d14-127)                    RFC 5321 §4.1.1.1
struct EhloReply {
    Host host;
    std::string greet;  // may be empty
    std::vector<EhloLine> lines;
    bool operator==(const EhloReply&) const = default;
};

}  // namespace smtpspec::grammar::ast
