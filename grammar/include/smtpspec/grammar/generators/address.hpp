// RapidCheck generators (rc::Arbitrary) for the address types: domains,
// address literals, hosts, local parts, mailboxes and paths.
//
// Every generated value is ASCII, within the RFC 5321 §4.5.3.1 limits (a
// printed Path is at most limits::path octets by construction: route, local
// part and host are sized so that their sum fits), and prints to text that the
// strict grammar reads back as the same value. The helpers in
// smtpspec::grammar::generators are the building blocks, for tests that need
// one production on its own (a label, an atom).
#pragma once

#include <rapidcheck.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/grammar/ast.hpp"

namespace smtpspec::grammar::generators {

// Let-dig = ALPHA / DIGIT                                           RFC 5321 §4.1.2
inline constexpr std::string_view let_dig_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// ALPHA / DIGIT / "-"
inline constexpr std::string_view ldh_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-";
// atext                                                              RFC 5322 §3.2.3
inline constexpr std::string_view atext_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~";

// A container of min to max elements (inclusive) from `element`.
template <class Container, class T>
rc::Gen<Container> container_of(std::size_t min, std::size_t max, rc::Gen<T> element) {
    return rc::gen::mapcat(rc::gen::inRange<std::size_t>(min, max + 1),
                           [element](std::size_t n) { return rc::gen::container<Container>(n, element); });
}

inline rc::Gen<char> char_of(std::string_view set) { return rc::gen::elementOf(std::string(set)); }

// %d32-126: what a quoted local part may hold once decoded (qtextSMTP, plus
// "\"" and "\\" which print as quoted-pairSMTP).
inline rc::Gen<char> printable_char() { return rc::gen::inRange<char>(32, 127); }

// dcontent = %d33-90 / %d94-126                                     RFC 5321 §4.1.3
inline rc::Gen<char> dcontent_char() {
    return rc::gen::suchThat(rc::gen::inRange<char>(33, 127), [](char c) { return c < 91 || c > 93; });
}

// first + [middle] + last, with 1 <= length <= max_length: a string that
// starts and ends with a character of `ends` and has `middle` characters inside.
inline rc::Gen<std::string> bracketed_string(std::string_view ends, std::string_view middle, std::size_t max_length) {
    std::string e(ends), m(middle);
    return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, max_length + 1), [e, m](std::size_t n) {
        if (n == 1) return rc::gen::map(rc::gen::elementOf(e), [](char c) { return std::string(1, c); });
        return rc::gen::apply([](char a, std::string inner, char z) { return a + inner + z; },
                              rc::gen::elementOf(e), rc::gen::container<std::string>(n - 2, rc::gen::elementOf(m)),
                              rc::gen::elementOf(e));
    });
}

// sub-domain = Let-dig [Ldh-str]                                     RFC 5321 §4.1.2
inline rc::Gen<std::string> label(std::size_t max_length = 15) {
    return bracketed_string(let_dig_chars, ldh_chars, max_length);
}

// Domain = sub-domain *("." sub-domain), 1 to 3 labels (at most 47 octets).
inline rc::Gen<ast::Domain> domain() {
    return rc::gen::build<ast::Domain>(
        rc::gen::set(&ast::Domain::labels,
                     rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 4),
                                     [](std::size_t n) { return rc::gen::container<std::vector<std::string>>(n, label()); })));
}

// Atom = 1*atext                                                     RFC 5321 §4.1.2
inline rc::Gen<std::string> atom(std::size_t max_length = 10) {
    return container_of<std::string>(1, max_length, char_of(atext_chars));
}

// Dot-string = Atom *("." Atom), 1 to 3 atoms (at most 32 octets).
inline rc::Gen<std::string> dot_string() {
    return rc::gen::map(rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 4),
                                        [](std::size_t n) { return rc::gen::container<std::vector<std::string>>(n, atom()); }),
                        [](std::vector<std::string> const& atoms) {
                            std::string out;
                            for (auto const& a : atoms) out += (out.empty() ? "" : ".") + a;
                            return out;
                        });
}

// The decoded content of a Quoted-string: up to 20 octets of %d32-126, which
// print as at most 42 octets.
inline rc::Gen<std::string> quoted_content() {
    return container_of<std::string>(0, 20, printable_char());
}

// Standardized-tag = Ldh-str, not "IPv6" in any case (that tag introduces an
// IPv6-address-literal, RFC 5321 §4.1.3).
inline rc::Gen<std::string> standardized_tag() {
    // Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig
    auto ldh_str = rc::gen::apply([](std::string head, char last) { return head + last; },
                                  container_of<std::string>(0, 8, char_of(ldh_chars)),
                                  char_of(let_dig_chars));
    return rc::gen::suchThat(std::move(ldh_str), [](std::string const& tag) {
        if (tag.size() != 4) return true;
        std::string lower;
        for (char c : tag) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return lower != "ipv6";
    });
}

inline rc::Gen<std::vector<std::uint16_t>> ipv6_groups(std::size_t n) {
    return rc::gen::container<std::vector<std::uint16_t>>(n, rc::gen::arbitrary<std::uint16_t>());
}

// `head` "::" `tail` with head + tail <= max_groups.
inline rc::Gen<std::pair<std::vector<std::uint16_t>, std::vector<std::uint16_t>>> compressed_groups(
    std::size_t max_groups) {
    return rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, max_groups + 1), [max_groups](std::size_t h) {
        return rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, max_groups - h + 1), [h](std::size_t t) {
            return rc::gen::pair(ipv6_groups(h), ipv6_groups(t));
        });
    });
}

// ---------------------------------------------------------------- SMTPUTF8
// RFC 6531 §3.3: UTF8-non-ascii in atext, qtextSMTP and U-labels. These
// values parse only with Options::smtputf8; the Arbitrary instances below stay
// ASCII.

// One non-ASCII character as UTF-8 (RFC 3629 §3): two, three or four octets,
// never a surrogate.
inline rc::Gen<std::string> utf8_non_ascii() {
    auto encode = [](std::uint32_t cp) {
        std::string out;
        if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        }
        out += static_cast<char>(0x80 | (cp & 0x3F));
        return out;
    };
    return rc::gen::map(rc::gen::oneOf(rc::gen::inRange<std::uint32_t>(0x80, 0x800),
                                       rc::gen::inRange<std::uint32_t>(0x800, 0xD800),
                                       rc::gen::inRange<std::uint32_t>(0xE000, 0x10000),
                                       rc::gen::inRange<std::uint32_t>(0x10000, 0x110000)),
                        encode);
}

// Joins the pieces `parts` generates.
inline rc::Gen<std::string> joined(rc::Gen<std::vector<std::string>> parts) {
    return rc::gen::map(std::move(parts), [](std::vector<std::string> const& v) {
        std::string out;
        for (auto const& p : v) out += p;
        return out;
    });
}

// A character of a UTF-8 atom: atext or UTF8-non-ascii.
inline rc::Gen<std::string> utf8_atext() {
    return rc::gen::oneOf(rc::gen::map(char_of(atext_chars), [](char c) { return std::string(1, c); }),
                          utf8_non_ascii());
}

// A local part with non-ASCII characters: a Dot-string of 1 or 2 atoms of at
// most 4 characters (at most 33 octets), or a Quoted-string of at most 6.
inline rc::Gen<ast::LocalPart> utf8_local_part() {
    auto utf8_atom = joined(container_of<std::vector<std::string>>(1, 4, utf8_atext()));
    auto dot = rc::gen::map(container_of<std::vector<std::string>>(1, 2, utf8_atom), [](std::vector<std::string> const& atoms) {
        std::string out;
        for (auto const& a : atoms) out += (out.empty() ? "" : ".") + a;
        return ast::LocalPart{out, false};
    });
    auto quoted_char = rc::gen::oneOf(rc::gen::map(printable_char(), [](char c) { return std::string(1, c); }),
                                      utf8_non_ascii());
    auto quoted = rc::gen::map(joined(container_of<std::vector<std::string>>(0, 6, quoted_char)),
                               [](std::string v) { return ast::LocalPart{std::move(v), true}; });
    return rc::gen::oneOf(dot, quoted);
}

// A domain whose labels may be U-labels (RFC 6531 §3.3 sub-domain =/ U-label):
// 1 to 3 labels of at most 6 characters, starting and ending with a Let-dig
// or a non-ASCII character (at most 74 octets).
inline rc::Gen<ast::Domain> utf8_domain() {
    auto end = rc::gen::oneOf(rc::gen::map(char_of(let_dig_chars), [](char c) { return std::string(1, c); }),
                              utf8_non_ascii());
    auto middle = rc::gen::oneOf(rc::gen::map(char_of(ldh_chars), [](char c) { return std::string(1, c); }),
                                 utf8_non_ascii());
    auto u_label = rc::gen::oneOf(end, rc::gen::apply([](std::string a, std::string m, std::string z) { return a + m + z; },
                                                      end, joined(container_of<std::vector<std::string>>(0, 4, middle)), end));
    return rc::gen::map(container_of<std::vector<std::string>>(1, 3, u_label),
                        [](std::vector<std::string> labels) { return ast::Domain{std::move(labels)}; });
}

// A mailbox for an SMTPUTF8 transaction: UTF-8 local part, U-label domain.
inline rc::Gen<ast::Mailbox> utf8_mailbox() {
    return rc::gen::apply([](ast::LocalPart l, ast::Domain d) { return ast::Mailbox{std::move(l), std::move(d)}; },
                          utf8_local_part(), utf8_domain());
}

}  // namespace smtpspec::grammar::generators

namespace rc {

template <>
struct Arbitrary<smtpspec::grammar::ast::Domain> {
    static Gen<smtpspec::grammar::ast::Domain> arbitrary() { return smtpspec::grammar::generators::domain(); }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::IPv4Literal> {
    static Gen<smtpspec::grammar::ast::IPv4Literal> arbitrary() {
        return gen::build<smtpspec::grammar::ast::IPv4Literal>(
            gen::set(&smtpspec::grammar::ast::IPv4Literal::octets, gen::arbitrary<std::array<std::uint8_t, 4>>()));
    }
};

// The four forms of RFC 5321 §4.1.3 with their group counts: full 8; comp
// head + tail <= 6; v4full 6 and an IPv4 address; v4comp head + tail <= 4 and
// an IPv4 address.
template <>
struct Arbitrary<smtpspec::grammar::ast::IPv6Literal> {
    static Gen<smtpspec::grammar::ast::IPv6Literal> arbitrary() {
        using smtpspec::grammar::ast::IPv6Literal;
        using Form = IPv6Literal::Form;
        namespace g = smtpspec::grammar::generators;
        using Groups = std::vector<std::uint16_t>;
        using V4 = std::array<std::uint8_t, 4>;
        return gen::oneOf(
            gen::map(g::ipv6_groups(8), [](Groups head) { return IPv6Literal{Form::full, std::move(head), {}, {}}; }),
            gen::map(g::compressed_groups(6),
                     [](std::pair<Groups, Groups> ht) {
                         return IPv6Literal{Form::comp, std::move(ht.first), std::move(ht.second), {}};
                     }),
            gen::apply([](Groups head, V4 v4) { return IPv6Literal{Form::v4full, std::move(head), {}, v4}; },
                       g::ipv6_groups(6), gen::arbitrary<V4>()),
            gen::apply(
                [](std::pair<Groups, Groups> ht, V4 v4) {
                    return IPv6Literal{Form::v4comp, std::move(ht.first), std::move(ht.second), v4};
                },
                g::compressed_groups(4), gen::arbitrary<V4>()));
    }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::GeneralLiteral> {
    static Gen<smtpspec::grammar::ast::GeneralLiteral> arbitrary() {
        using smtpspec::grammar::ast::GeneralLiteral;
        namespace g = smtpspec::grammar::generators;
        return gen::build<GeneralLiteral>(
            gen::set(&GeneralLiteral::tag, g::standardized_tag()),
            gen::set(&GeneralLiteral::content,
                     g::container_of<std::string>(1, 20, g::dcontent_char())));
    }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::AddressLiteral> {
    static Gen<smtpspec::grammar::ast::AddressLiteral> arbitrary() {
        using namespace smtpspec::grammar::ast;
        return gen::oneOf(gen::cast<AddressLiteral>(gen::arbitrary<IPv4Literal>()),
                          gen::cast<AddressLiteral>(gen::arbitrary<IPv6Literal>()),
                          gen::cast<AddressLiteral>(gen::arbitrary<GeneralLiteral>()));
    }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::Host> {
    static Gen<smtpspec::grammar::ast::Host> arbitrary() {
        using namespace smtpspec::grammar::ast;
        return gen::weightedOneOf<Host>({{3, gen::cast<Host>(gen::arbitrary<Domain>())},
                                         {1, gen::cast<Host>(gen::arbitrary<AddressLiteral>())}});
    }
};

// Dot-string or Quoted-string; a quoted one may hold any %d32-126 octet.
template <>
struct Arbitrary<smtpspec::grammar::ast::LocalPart> {
    static Gen<smtpspec::grammar::ast::LocalPart> arbitrary() {
        using smtpspec::grammar::ast::LocalPart;
        namespace g = smtpspec::grammar::generators;
        return gen::weightedOneOf<LocalPart>(
            {{3, gen::map(g::dot_string(), [](std::string v) { return LocalPart{std::move(v), false}; })},
             {1, gen::map(g::quoted_content(), [](std::string v) { return LocalPart{std::move(v), true}; })}});
    }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::Mailbox> {
    static Gen<smtpspec::grammar::ast::Mailbox> arbitrary() {
        using namespace smtpspec::grammar::ast;
        return gen::build<Mailbox>(gen::set(&Mailbox::local), gen::set(&Mailbox::host));
    }
};

// At most two source-route domains (47 octets each, 98 printed with "@", ","
// and ":"): with a local part of at most 42 octets and a host of at most 52 (the
// longest IPv6v4-full literal), a printed Path is at most 196 octets, within
// limits::path.
template <>
struct Arbitrary<smtpspec::grammar::ast::Path> {
    static Gen<smtpspec::grammar::ast::Path> arbitrary() {
        using namespace smtpspec::grammar::ast;
        return gen::build<Path>(
            gen::set(&Path::source_route,
                     gen::weightedOneOf<std::vector<Domain>>(
                         {{4, gen::just(std::vector<Domain>{})},
                          {1, smtpspec::grammar::generators::container_of<std::vector<Domain>>(1, 2, gen::arbitrary<Domain>())}})),
            gen::set(&Path::mailbox));
    }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::ReversePath> {
    static Gen<smtpspec::grammar::ast::ReversePath> arbitrary() {
        using namespace smtpspec::grammar::ast;
        return gen::weightedOneOf<ReversePath>(
            {{1, gen::just(ReversePath{})},
             {4, gen::map(gen::arbitrary<Path>(), [](Path p) { return ReversePath{std::move(p)}; })}});
    }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::ForwardPath> {
    static Gen<smtpspec::grammar::ast::ForwardPath> arbitrary() {
        using namespace smtpspec::grammar::ast;
        return gen::weightedOneOf<ForwardPath>(
            {{1, gen::just(ForwardPath{})},
             {4, gen::map(gen::arbitrary<Path>(), [](Path p) { return ForwardPath{std::move(p)}; })}});
    }
};

}  // namespace rc
