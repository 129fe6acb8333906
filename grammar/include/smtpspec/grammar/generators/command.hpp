// RapidCheck generators (rc::Arbitrary) for ESMTP parameters and commands.
//
// Every generated value prints to text that the strict grammar reads back as
// the same value, and a printed command is at most limits::command_line octets
// with its CRLF: a path prints to at most limits::path (256) octets
// (generators/address.hpp), "MAIL FROM:" and the CRLF take 12, and at most three
// parameters of at most 62 octets each take 3 * 63 = 189 more (total <= 457).
// The helpers in smtpspec::grammar::generators build single productions.
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/grammar/generators/address.hpp"

namespace smtpspec::grammar::generators {

// A container of `min` to `max` elements of `gen`.
template <class Container, class T>
rc::Gen<Container> between(std::size_t min, std::size_t max, rc::Gen<T> gen) {
    return rc::gen::mapcat(rc::gen::inRange<std::size_t>(min, max + 1),
                           [gen](std::size_t n) { return rc::gen::container<Container>(n, gen); });
}

// Nothing, or a value of `gen`.
template <class T>
rc::Gen<std::optional<T>> optional_of(rc::Gen<T> gen) {
    return rc::gen::weightedOneOf<std::optional<T>>(
        {{1, rc::gen::just(std::optional<T>{})},
         {3, rc::gen::map(std::move(gen), [](T v) { return std::optional<T>{std::move(v)}; })}});
}

// The keywords that parse as a typed ast::Param (any case).
inline bool is_typed_param_keyword(std::string_view keyword) {
    std::string upper;
    for (char c : keyword) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (std::string_view k : {"SIZE", "BODY", "SMTPUTF8", "AUTH", "RET", "ENVID", "NOTIFY", "ORCPT"})
        if (upper == k) return true;
    return false;
}

// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")             RFC 5321 §4.1.2
// 1 to 12 octets, never one of the typed keywords.
inline rc::Gen<std::string> generic_keyword() {
    auto keyword = rc::gen::apply([](char first, std::string rest) { return first + rest; }, char_of(let_dig_chars),
                                  between<std::string>(0, 11, char_of(ldh_chars)));
    return rc::gen::suchThat(std::move(keyword), [](std::string const& k) { return !is_typed_param_keyword(k); });
}

// esmtp-value = 1*(%d33-60 / %d62-126), 1 to 20 octets.
inline rc::Gen<std::string> esmtp_value() {
    return between<std::string>(1, 20, rc::gen::suchThat(rc::gen::inRange<char>(33, 127), [](char c) { return c != '='; }));
}

// The decoded text of an xtext: any octets, `min` to 15 of them (at most 45
// octets once encoded as hexchars).
inline rc::Gen<std::string> xtext_content(std::size_t min = 1) {
    return between<std::string>(min, 15, rc::gen::arbitrary<char>());
}

// addr-type = atom (RFC 3461 §4.2), without "=" and ";" which cannot stand there
// in an esmtp-value; 1 to 10 octets.
inline rc::Gen<std::string> addr_type() {
    return between<std::string>(1, 10, rc::gen::suchThat(char_of(atext_chars), [](char c) { return c != '='; }));
}

// sasl-mech = 1*20 (UPPER-ALPHA / DIGIT / "-" / "_")                RFC 4422 §3.1
inline rc::Gen<std::string> sasl_mech() {
    return between<std::string>(1, 20, char_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"));
}

// base64 (RFC 4648 §4) of 1 to 60 octets, with its padding: at most 80 octets.
inline std::string base64_encode(std::string const& octets) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 3 <= octets.size(); i += 3) {
        unsigned const n = (static_cast<unsigned char>(octets[i]) << 16) |
                           (static_cast<unsigned char>(octets[i + 1]) << 8) | static_cast<unsigned char>(octets[i + 2]);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    if (auto const rest = octets.size() - i; rest > 0) {
        unsigned n = static_cast<unsigned char>(octets[i]) << 16;
        if (rest == 2) n |= static_cast<unsigned char>(octets[i + 1]) << 8;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += rest == 2 ? alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// initial-response = base64 / "="                                   RFC 4954 §4
inline rc::Gen<std::string> initial_response() {
    return rc::gen::weightedOneOf<std::string>(
        {{1, rc::gen::just(std::string("="))},
         {4, rc::gen::map(between<std::string>(1, 60, rc::gen::arbitrary<char>()), &base64_encode)}});
}

// String = Atom / Quoted-string: (value, quoted).
inline rc::Gen<std::pair<std::string, bool>> string_arg() {
    return rc::gen::oneOf(rc::gen::map(atom(20), [](std::string v) { return std::pair{std::move(v), false}; }),
                          rc::gen::map(quoted_content(), [](std::string v) { return std::pair{std::move(v), true}; }));
}

}  // namespace smtpspec::grammar::generators

namespace rc {

template <>
struct Arbitrary<smtpspec::grammar::ast::Param> {
    static Gen<smtpspec::grammar::ast::Param> arbitrary() {
        using namespace smtpspec::grammar::ast;
        namespace g = smtpspec::grammar::generators;
        return gen::oneOf(
            gen::map(gen::arbitrary<std::uint64_t>(), [](std::uint64_t n) { return Param{SizeParam{n}}; }),
            gen::map(gen::element(BodyParam::Type::seven_bit, BodyParam::Type::eight_bit_mime,
                                  BodyParam::Type::binary_mime),
                     [](BodyParam::Type t) { return Param{BodyParam{t}}; }),
            gen::just(Param{SmtpUtf8Param{}}),
            gen::map(g::xtext_content(), [](std::string m) { return Param{AuthParam{std::move(m)}}; }),
            gen::map(gen::element(RetParam::Type::full, RetParam::Type::hdrs),
                     [](RetParam::Type t) { return Param{RetParam{t}}; }),
            gen::map(g::xtext_content(), [](std::string e) { return Param{EnvidParam{std::move(e)}}; }),
            gen::map(gen::arbitrary<std::uint8_t>(),
                     [](std::uint8_t bits) {
                         // NEVER alone, or a non-empty subset of SUCCESS, FAILURE, DELAY.
                         NotifyParam n;
                         if ((bits & 7) == 0) n.never = true;
                         else n = NotifyParam{false, (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0};
                         return Param{n};
                     }),
            gen::apply([](std::string type, std::string address) { return Param{OrcptParam{std::move(type), std::move(address)}}; },
                       g::addr_type(), g::xtext_content(0)),
            gen::apply([](std::string keyword, std::optional<std::string> value) {
                           return Param{GenericParam{std::move(keyword), std::move(value)}};
                       },
                       g::generic_keyword(), g::optional_of(g::esmtp_value())));
    }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::Command> {
    static Gen<smtpspec::grammar::ast::Command> arbitrary() {
        using namespace smtpspec::grammar::ast;
        namespace g = smtpspec::grammar::generators;
        auto params = g::between<std::vector<Param>>(0, 3, gen::arbitrary<Param>());
        return gen::oneOf(
            gen::map(gen::arbitrary<Host>(), [](Host const& h) { return Command{Ehlo{h}}; }),
            gen::map(gen::arbitrary<Domain>(), [](Domain d) { return Command{Helo{std::move(d)}}; }),
            gen::apply([](ReversePath p, std::vector<Param> ps) { return Command{Mail{std::move(p), std::move(ps)}}; },
                       gen::arbitrary<ReversePath>(), params),
            gen::apply([](ForwardPath p, std::vector<Param> ps) { return Command{Rcpt{std::move(p), std::move(ps)}}; },
                       gen::arbitrary<ForwardPath>(), params),
            gen::just(Command{Data{}}), gen::just(Command{Rset{}}),
            gen::map(g::string_arg(), [](auto s) { return Command{Vrfy{std::move(s.first), s.second}}; }),
            gen::map(g::string_arg(), [](auto s) { return Command{Expn{std::move(s.first), s.second}}; }),
            gen::map(g::optional_of(g::string_arg()),
                     [](auto s) { return Command{s ? Help{std::move(s->first), s->second} : Help{}}; }),
            gen::map(g::optional_of(g::string_arg()),
                     [](auto s) { return Command{s ? Noop{std::move(s->first), s->second} : Noop{}}; }),
            gen::just(Command{Quit{}}), gen::just(Command{StartTls{}}),
            gen::apply([](std::string mech, std::optional<std::string> response) {
                           return Command{Auth{std::move(mech), std::move(response)}};
                       },
                       g::sasl_mech(), g::optional_of(g::initial_response())),
            gen::apply([](std::uint64_t size, bool last) { return Command{Bdat{size, last}}; },
                       gen::arbitrary<std::uint64_t>(), gen::arbitrary<bool>()));
    }
};

}  // namespace rc
