// Printers of ESMTP parameters and commands: canonical upper-case verbs and
// keywords, single SP separators, CRLF at the end of a command line.
#include <cstdio>
#include <string>
#include <type_traits>
#include <variant>

#include "smtpspec/grammar/print.hpp"

namespace smtpspec::grammar {

namespace {

template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

// xtext = *( xchar / hexchar )                                     RFC 3461 §4
// "+" and "=" and every octet outside "!".."~" are written as hexchar, "+" and
// two upper-case hexadecimal digits; the rest as themselves.
std::string xtext(std::string const& value) {
    std::string out;
    out.reserve(value.size());
    for (char const c : value) {
        auto const u = static_cast<unsigned char>(c);
        if (u >= 0x21 && u <= 0x7E && c != '+' && c != '=') {
            out += c;
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "+%02X", u);
            out += buf;
        }
    }
    return out;
}

// String = Atom / Quoted-string                                    RFC 5321 §4.1.2
// A quoted value is written as a Quoted-string, with "\" before each DQUOTE and
// backslash (quoted-pairSMTP).
std::string string_arg(std::string const& value, bool quoted) {
    if (!quoted) return value;
    std::string out = "\"";
    for (char const c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

std::string params(std::vector<ast::Param> const& list) {
    std::string out;
    for (auto const& p : list) out += " " + print(p);
    return out;
}

}  // namespace

std::string print(const ast::Param& param) {
    return std::visit(
        overloaded{
            [](ast::SizeParam const& p) { return "SIZE=" + std::to_string(p.octets); },
            [](ast::BodyParam const& p) -> std::string {
                switch (p.type) {
                    case ast::BodyParam::Type::seven_bit: return "BODY=7BIT";
                    case ast::BodyParam::Type::eight_bit_mime: return "BODY=8BITMIME";
                    case ast::BodyParam::Type::binary_mime: return "BODY=BINARYMIME";
                }
                return "BODY=7BIT";
            },
            [](ast::SmtpUtf8Param const&) -> std::string { return "SMTPUTF8"; },
            [](ast::AuthParam const& p) { return "AUTH=" + xtext(p.mailbox); },
            [](ast::RetParam const& p) -> std::string {
                return p.type == ast::RetParam::Type::hdrs ? "RET=HDRS" : "RET=FULL";
            },
            [](ast::EnvidParam const& p) { return "ENVID=" + xtext(p.envid); },
            [](ast::NotifyParam const& p) -> std::string {
                if (p.never) return "NOTIFY=NEVER";
                std::string list;
                auto add = [&list](bool on, char const* word) {
                    if (!on) return;
                    if (!list.empty()) list += ',';
                    list += word;
                };
                add(p.success, "SUCCESS");
                add(p.failure, "FAILURE");
                add(p.delay, "DELAY");
                return "NOTIFY=" + list;
            },
            [](ast::OrcptParam const& p) { return "ORCPT=" + p.addr_type + ";" + xtext(p.address); },
            [](ast::GenericParam const& p) { return p.value ? p.keyword + "=" + *p.value : p.keyword; },
        },
        param);
}

std::string print(const ast::Command& command) {
    std::string line = std::visit(
        overloaded{
            [](ast::Ehlo const& c) { return "EHLO " + print(c.host); },
            [](ast::Helo const& c) { return "HELO " + print(c.domain); },
            [](ast::Mail const& c) { return "MAIL FROM:" + print(c.from) + params(c.params); },
            [](ast::Rcpt const& c) { return "RCPT TO:" + print(c.to) + params(c.params); },
            [](ast::Data const&) -> std::string { return "DATA"; },
            [](ast::Rset const&) -> std::string { return "RSET"; },
            [](ast::Vrfy const& c) { return "VRFY " + string_arg(c.value, c.quoted); },
            [](ast::Expn const& c) { return "EXPN " + string_arg(c.value, c.quoted); },
            [](ast::Help const& c) -> std::string {
                return c.topic ? "HELP " + string_arg(*c.topic, c.quoted) : "HELP";
            },
            [](ast::Noop const& c) -> std::string {
                return c.value ? "NOOP " + string_arg(*c.value, c.quoted) : "NOOP";
            },
            [](ast::Quit const&) -> std::string { return "QUIT"; },
            [](ast::StartTls const&) -> std::string { return "STARTTLS"; },
            [](ast::Auth const& c) {
                return "AUTH " + c.mechanism + (c.initial_response ? " " + *c.initial_response : std::string());
            },
            [](ast::Bdat const& c) { return "BDAT " + std::to_string(c.size) + (c.last ? " LAST" : ""); },
        },
        command);
    line += "\r\n";
    return line;
}

}  // namespace smtpspec::grammar
