// RapidCheck generators (rc::Arbitrary) for the reply types: enhanced status
// codes, reply lines and replies, the greeting, EHLO lines and EHLO replies.
//
// Every generated value prints to text that the strict grammar reads back as
// the same value, and every printed line is at most limits::reply_line octets
// with its CRLF: text lengths are drawn against what the line's code,
// separator, host and CRLF leave. Two ambiguities of the printed form are
// avoided by construction:
// - a ReplyLine without `enhanced` never has text that starts with a
//   status-code followed by SP or the end (it would read back as enhanced);
// - a multi-line Greeting has at least one entry in `more` and a multi-line
//   EhloReply at least one line, as the printed form says.
// The helpers in smtpspec::grammar::generators::replies build single productions.
#pragma once

#include <rapidcheck.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/grammar/generators/address.hpp"
#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/grammar/print.hpp"

namespace smtpspec::grammar::generators::replies {

// Reply-code = %x32-35 %x30-35 %x30-39                              RFC 5321 §4.2
inline rc::Gen<unsigned> reply_code() {
    return rc::gen::apply([](unsigned a, unsigned b, unsigned c) { return a * 100 + b * 10 + c; },
                          rc::gen::inRange(2u, 6u), rc::gen::inRange(0u, 6u), rc::gen::inRange(0u, 10u));
}

// subject / detail = 1*3digit without leading zeros: 0 to 999       RFC 3463 §2
inline rc::Gen<unsigned> sub_code() {
    return rc::gen::weightedOneOf<unsigned>(
        {{4, rc::gen::inRange(0u, 10u)}, {2, rc::gen::inRange(10u, 100u)}, {1, rc::gen::inRange(100u, 1000u)}});
}

// status-code = class "." subject "." detail; class = "2"/"4"/"5"    RFC 3463 §2
inline rc::Gen<ast::EnhancedCode> enhanced_code() {
    return rc::gen::apply([](unsigned cls, unsigned s, unsigned d) { return ast::EnhancedCode{cls, s, d}; },
                          rc::gen::element(2u, 4u, 5u), sub_code(), sub_code());
}

// textstring = 1*(%d09 / %d32-126)                                  RFC 5321 §4.2
inline rc::Gen<char> text_char() {
    return rc::gen::weightedOneOf<char>({{20, rc::gen::inRange<char>(32, 127)}, {1, rc::gen::just('\t')}});
}

// ehlo-greet = 1*(%d0-9 / %d11-12 / %d14-127)                       RFC 5321 §4.1.1.1
inline rc::Gen<char> greet_char() {
    return rc::gen::weightedOneOf<char>(
        {{20, rc::gen::inRange<char>(32, 127)},
         {1, rc::gen::suchThat(rc::gen::inRange<char>(0, 32), [](char c) { return c != '\r' && c != '\n'; })},
         {1, rc::gen::just('\x7F')}});
}

// Up to `max` octets of `chars`: mostly short, sometimes close to `max`, so
// that the line limits are exercised.
inline rc::Gen<std::string> text_of(rc::Gen<char> chars, std::size_t max) {
    auto const short_max = max < 40 ? max : 40;
    auto const long_min = max > 20 ? max - 20 : 0;
    return rc::gen::weightedOneOf<std::string>({{8, container_of<std::string>(0, short_max, chars)},
                                                {1, container_of<std::string>(long_min, max, chars)}});
}

// Text of at most `max` octets (possibly empty).
inline rc::Gen<std::string> text(std::size_t max) { return text_of(text_char(), max); }

// True when `text` starts with a status-code followed by SP or its end: the
// grammar would split it off as ReplyLine::enhanced.
inline bool starts_with_enhanced_code(std::string_view text) {
    auto const sp = text.find(' ');
    return parse_enhanced_code(text.substr(0, sp == std::string_view::npos ? text.size() : sp)).ok();
}

// Text that looks like a status-code but is not followed by SP or the end,
// such as "2.1.0:" or "5.1.10x": the cases the split must leave alone.
inline rc::Gen<std::string> near_enhanced_text(std::size_t max) {
    return rc::gen::suchThat(
        rc::gen::apply(
            [max](ast::EnhancedCode code, char after, std::string rest) {
                auto s = print(code) + after + rest;
                return s.substr(0, max);
            },
            enhanced_code(), rc::gen::element('\t', ':', '0', '5', '.', 'x', ';'), text(20)),
        [](std::string const& s) { return !starts_with_enhanced_code(s); });
}

// One line with `room` octets for the text after the code and separator.
inline rc::Gen<ast::ReplyLine> reply_line(std::size_t room) {
    // With a status-code, SP (if any text follows) and the text.
    auto const with_code = rc::gen::mapcat(enhanced_code(), [room](ast::EnhancedCode code) {
        auto const used = print(code).size() + 1;
        return rc::gen::map(text(room > used ? room - used : 0),
                            [code](std::string t) { return ast::ReplyLine{code, std::move(t)}; });
    });
    auto const plain = rc::gen::map(
        rc::gen::weightedOneOf<std::string>(
            {{6, rc::gen::suchThat(text(room), [](std::string const& s) { return !starts_with_enhanced_code(s); })},
             {1, near_enhanced_text(room)}}),
        [](std::string t) { return ast::ReplyLine{std::nullopt, std::move(t)}; });
    return rc::gen::oneOf(with_code, plain);
}

// "250-" or "250 ", the text, and CRLF: the text has 512 - 6 octets.
inline constexpr std::size_t reply_text_room = limits::reply_line - 6;

// A reply of 1 to `max_lines` lines with the same code.
inline rc::Gen<ast::Reply> reply(std::size_t max_lines = 8, std::size_t room = reply_text_room) {
    return rc::gen::apply([](unsigned code, std::vector<ast::ReplyLine> lines) { return ast::Reply{code, std::move(lines)}; },
                          reply_code(), container_of<std::vector<ast::ReplyLine>>(1, max_lines, reply_line(room)));
}

// ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")             RFC 5321 §4.1.1.1
inline rc::Gen<std::string> ehlo_keyword() {
    return rc::gen::weightedOneOf<std::string>(
        {{2, rc::gen::elementOf(std::vector<std::string>{"PIPELINING", "SIZE", "8BITMIME", "STARTTLS", "AUTH",
                                                          "SMTPUTF8", "CHUNKING", "BINARYMIME", "ENHANCEDSTATUSCODES",
                                                          "DSN", "size", "Auth"})},
         {1, rc::gen::apply([](char first, std::string rest) { return first + rest; }, char_of(let_dig_chars),
                            container_of<std::string>(0, 19, char_of(ldh_chars)))}});
}

// ehlo-param = 1*(%d33-126)                                         RFC 5321 §4.1.1.1
inline rc::Gen<std::string> ehlo_param() {
    return container_of<std::string>(1, 20, rc::gen::inRange<char>(33, 127));
}

// ehlo-line = ehlo-keyword *( SP ehlo-param ): at most 20 + 5 * 21 = 125 octets.
inline rc::Gen<ast::EhloLine> ehlo_line() {
    return rc::gen::apply(
        [](std::string keyword, std::vector<std::string> params) { return ast::EhloLine{std::move(keyword), std::move(params)}; },
        ehlo_keyword(), container_of<std::vector<std::string>>(0, 5, ehlo_param()));
}

}  // namespace smtpspec::grammar::generators::replies

namespace rc {

template <>
struct Arbitrary<smtpspec::grammar::ast::EnhancedCode> {
    static Gen<smtpspec::grammar::ast::EnhancedCode> arbitrary() {
        return smtpspec::grammar::generators::replies::enhanced_code();
    }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::ReplyLine> {
    static Gen<smtpspec::grammar::ast::ReplyLine> arbitrary() {
        namespace r = smtpspec::grammar::generators::replies;
        return r::reply_line(r::reply_text_room);
    }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::Reply> {
    static Gen<smtpspec::grammar::ast::Reply> arbitrary() { return smtpspec::grammar::generators::replies::reply(); }
};

// The host prints to at most 52 octets (generators/address.hpp); "220-", SP and
// CRLF take 7 more, the text the rest of the 512.
template <>
struct Arbitrary<smtpspec::grammar::ast::Greeting> {
    static Gen<smtpspec::grammar::ast::Greeting> arbitrary() {
        using namespace smtpspec::grammar;
        namespace r = generators::replies;
        return gen::mapcat(gen::arbitrary<ast::Host>(), [](ast::Host host) {
            auto const room = limits::reply_line - 7 - print(host).size();
            return gen::apply(
                [host](std::string text, std::vector<std::string> more) {
                    return ast::Greeting{host, std::move(text), std::move(more)};
                },
                r::text(room),
                gen::weightedOneOf<std::vector<std::string>>(
                    {{2, gen::just(std::vector<std::string>{})},
                     {1, generators::container_of<std::vector<std::string>>(1, 4, r::text(r::reply_text_room))}}));
        });
    }
};

template <>
struct Arbitrary<smtpspec::grammar::ast::EhloLine> {
    static Gen<smtpspec::grammar::ast::EhloLine> arbitrary() {
        return smtpspec::grammar::generators::replies::ehlo_line();
    }
};

// ehlo-ok-rsp names a Domain (RFC 5321 §4.1.1.1), at most 47 octets here;
// "250-", SP and CRLF take 7 more, the greeting text the rest of the 512.
template <>
struct Arbitrary<smtpspec::grammar::ast::EhloReply> {
    static Gen<smtpspec::grammar::ast::EhloReply> arbitrary() {
        using namespace smtpspec::grammar;
        namespace r = generators::replies;
        return gen::mapcat(generators::domain(), [](ast::Domain domain) {
            auto const room = limits::reply_line - 7 - print(domain).size();
            return gen::apply(
                [domain](std::string greet, std::vector<ast::EhloLine> lines) {
                    return ast::EhloReply{domain, std::move(greet), std::move(lines)};
                },
                r::text_of(r::greet_char(), room),
                gen::weightedOneOf<std::vector<ast::EhloLine>>(
                    {{1, gen::just(std::vector<ast::EhloLine>{})},
                     {4, generators::container_of<std::vector<ast::EhloLine>>(1, 12, r::ehlo_line())}}));
        });
    }
};

}  // namespace rc
