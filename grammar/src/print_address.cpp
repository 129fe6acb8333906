// Printers of the address types (RFC 5321 §4.1.2, §4.1.3): the inverse of the
// address rules. Each writes the form the grammar reads back to the same AST.
#include "smtpspec/grammar/print.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

namespace smtpspec::grammar {

namespace {

template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

// Snum 3("." Snum)
std::string print_ipv4(std::array<std::uint8_t, 4> const& octets) {
    std::string out;
    for (std::size_t i = 0; i < octets.size(); ++i) {
        if (i) out += '.';
        out += std::to_string(octets[i]);
    }
    return out;
}

// IPv6-hex *(":" IPv6-hex), lower-case hex without leading zeros.
std::string print_groups(std::vector<std::uint16_t> const& groups) {
    std::string out;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (i) out += ':';
        char buf[8];
        std::snprintf(buf, sizeof buf, "%x", static_cast<unsigned>(groups[i]));
        out += buf;
    }
    return out;
}

// "IPv6:" IPv6-addr, in the form the literal was written in.
std::string print_ipv6(ast::IPv6Literal const& v) {
    using Form = ast::IPv6Literal::Form;
    std::string out = "IPv6:";
    switch (v.form) {
        case Form::full:
            out += print_groups(v.head);
            break;
        case Form::comp:
            out += print_groups(v.head) + "::" + print_groups(v.tail);
            break;
        case Form::v4full:
            out += print_groups(v.head) + ":";
            break;
        case Form::v4comp:
            out += print_groups(v.head) + "::" + print_groups(v.tail);
            if (!v.tail.empty()) out += ':';
            break;
    }
    if (v.v4) out += print_ipv4(*v.v4);
    return out;
}

}  // namespace

// Domain = sub-domain *("." sub-domain)
std::string print(const ast::Domain& d) {
    std::string out;
    for (std::size_t i = 0; i < d.labels.size(); ++i) {
        if (i) out += '.';
        out += d.labels[i];
    }
    return out;
}

// address-literal = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]"
std::string print(const ast::AddressLiteral& a) {
    return "[" +
           std::visit(overloaded{
                          [](ast::IPv4Literal const& v) { return print_ipv4(v.octets); },
                          [](ast::IPv6Literal const& v) { return print_ipv6(v); },
                          [](ast::GeneralLiteral const& v) { return v.tag + ":" + v.content; },
                      },
                      a) +
           "]";
}

std::string print(const ast::Host& h) {
    return std::visit([](auto const& v) { return print(v); }, h);
}

// Local-part = Dot-string / Quoted-string; in a Quoted-string, "\"" and "\\"
// are written as quoted-pairSMTP, everything else as qtextSMTP.
std::string print(const ast::LocalPart& l) {
    if (!l.quoted) return l.value;
    std::string out = "\"";
    for (char c : l.value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

// Mailbox = Local-part "@" ( Domain / address-literal )
std::string print(const ast::Mailbox& m) { return print(m.local) + "@" + print(m.host); }

// Path = "<" [ A-d-l ":" ] Mailbox ">"
std::string print(const ast::Path& p) {
    std::string out = "<";
    for (std::size_t i = 0; i < p.source_route.size(); ++i) {
        out += i ? ",@" : "@";
        out += print(p.source_route[i]);
    }
    if (!p.source_route.empty()) out += ':';
    return out + print(p.mailbox) + ">";
}

// Reverse-path = Path / "<>"
std::string print(const ast::ReversePath& r) { return r.path ? print(*r.path) : "<>"; }

// Forward-path = Path, or "<Postmaster>" (RFC 5321 §4.1.1.3)
std::string print(const ast::ForwardPath& f) { return f.path ? print(*f.path) : "<Postmaster>"; }

}  // namespace smtpspec::grammar
