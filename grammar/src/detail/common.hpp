// Building blocks shared by the rule groups: core ABNF character classes
// (RFC 5234 Appendix B.1), the RFC 6531 UTF-8 classes, the `bounded` directive
// that enforces the RFC 5321 §4.5.3.1 limits, and the exceptions the rules may
// throw (caught only at the outermost parse, in run.hpp).
#pragma once

#include <cstddef>
#include <iterator>
#include <string>

#include "detail/config.hpp"

namespace smtpspec::grammar::detail {

// Thrown by `bounded` when the text a production matched exceeds its limit.
struct limit_error {
    iterator_type where;     // start of the over-long production
    const char* production;  // its ABNF name
    std::size_t limit;
    std::size_t actual;
};

// Thrown when bytes that must be UTF-8 (RFC 6531 §3.3 UTF8-non-ascii) are not.
struct encoding_error {
    iterator_type where;
    const char* what;
};

// ---------------------------------------------------------------- RFC 5234 B.1
// ALPHA = %x41-5A / %x61-7A; DIGIT = %x30-39; HEXDIG = DIGIT / "A"-"F" (case-insensitive)
inline auto const ALPHA = x3::char_("A-Za-z");
inline auto const DIGIT = x3::char_("0-9");
inline auto const HEXDIG = x3::char_("0-9A-Fa-f");
inline auto const SP = x3::lit(' ');
// CRLF = %d13.10
inline auto const CRLF = x3::lit("\r\n");

// ---------------------------------------------------------------- case-insensitive literals
// RFC 5234 §2.3: a quoted string in ABNF is case-insensitive for the letters
// A-Z and a-z; RFC 5321 §2.4 makes verbs, "TO:"/"FROM:" and extension keywords
// case-insensitive. x3::no_case over a literal of X3's `standard` encoding
// folds case with the C library's locale-dependent islower/toupper, a call per
// octet; this encoding folds the ASCII letters inline and leaves every other
// octet as it is, which is exactly the "C" locale's folding.
struct ascii_fold_encoding : boost::spirit::char_encoding::standard {
    static bool islower(int ch) { return ch >= 'a' && ch <= 'z'; }
    static bool isupper(int ch) { return ch >= 'A' && ch <= 'Z'; }
    static int tolower(int ch) { return isupper(ch) ? ch - 'A' + 'a' : ch; }
    static int toupper(int ch) { return islower(ch) ? ch - 'a' + 'A' : ch; }
};

// no_case_lit("MAIL"): the literal in any case of its ASCII letters (what
// x3::no_case[x3::lit("MAIL")] matches, reported in errors by the same name).
inline auto no_case_lit(char const* text) {
    return x3::no_case[x3::literal_string<char const*, ascii_fold_encoding, x3::unused_type>{text}];
}

// A table of keywords for x3::no_case[], folded as no_case_lit folds.
template <class T>
using no_case_symbols = x3::symbols_parser<ascii_fold_encoding, T>;

// ---------------------------------------------------------------- RFC 6531 §3.3 / RFC 3629 §4
// UTF8-non-ascii = UTF8-2 / UTF8-3 / UTF8-4   (RFC 6532 §3.1, referenced by RFC 6531 §3.3)
// UTF8-2 = %xC2-DF UTF8-tail
// UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) / %xED %x80-9F UTF8-tail /
//          %xEE-EF 2( UTF8-tail )
// UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) / %xF4 %x80-8F 2( UTF8-tail )
// Matches one well-formed non-ASCII UTF-8 sequence, appending its bytes to the
// attribute. A byte >= 0x80 that does not start one throws encoding_error: the
// input is not UTF-8 and no alternative could match it either.
struct utf8_non_ascii_parser : x3::parser<utf8_non_ascii_parser> {
    using attribute_type = std::string;
    static bool const has_attribute = true;

    template <class It, class Ctx, class RCtx, class Attr>
    bool parse(It& first, It const& last, Ctx const&, RCtx&, Attr& attr) const {
        if (first == last) return false;
        auto const b0 = static_cast<unsigned char>(*first);
        if (b0 < 0x80) return false;
        int n = 0;
        unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
        if (b0 >= 0xC2 && b0 <= 0xDF) n = 1;
        else if (b0 == 0xE0) { n = 2; lo = 0xA0; }
        else if (b0 >= 0xE1 && b0 <= 0xEC) n = 2;
        else if (b0 == 0xED) { n = 2; hi = 0x9F; }
        else if (b0 >= 0xEE && b0 <= 0xEF) n = 2;
        else if (b0 == 0xF0) { n = 3; lo = 0x90; }
        else if (b0 >= 0xF1 && b0 <= 0xF3) n = 3;
        else if (b0 == 0xF4) { n = 3; hi = 0x8F; }
        else throw encoding_error{first, "byte is not the start of a UTF-8 sequence"};
        It it = first;
        ++it;
        for (int i = 0; i < n; ++i, ++it) {
            if (it == last) throw encoding_error{first, "UTF-8 sequence cut short"};
            auto const b = static_cast<unsigned char>(*it);
            if (b < (i == 0 ? lo : 0x80) || b > (i == 0 ? hi : 0xBF))
                throw encoding_error{first, "malformed UTF-8 sequence"};
        }
        x3::traits::append(attr, first, it);
        first = it;
        return true;
    }
};
inline utf8_non_ascii_parser const UTF8_non_ascii{};

// ---------------------------------------------------------------- limits
// bounded(N, "Name")[p]: p, and throw limit_error if what p matched is longer than N octets.
template <class Subject>
struct bounded_directive : x3::unary_parser<Subject, bounded_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, bounded_directive<Subject>>;
    static bool const is_pass_through_unary = true;
    static bool const handles_container = Subject::handles_container;

    bounded_directive(Subject const& inner, std::size_t max_octets, const char* production)
        : base_type(inner), max(max_octets), name(production) {}

    template <class It, class Ctx, class RCtx, class Attr>
    bool parse(It& first, It const& last, Ctx const& ctx, RCtx& rctx, Attr& attr) const {
        It const start = first;
        if (!this->subject.parse(first, last, ctx, rctx, attr)) return false;
        auto const n = static_cast<std::size_t>(std::distance(start, first));
        if (n > max) throw limit_error{start, name, max, n};
        return true;
    }

    std::size_t max;
    const char* name;
};

struct bounded_gen {
    std::size_t max;
    const char* name;
    template <class Subject>
    bounded_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
        Subject const& subject) const {
        return {x3::as_parser(subject), max, name};
    }
};
inline bounded_gen bounded(std::size_t max, const char* name) { return {max, name}; }

}  // namespace smtpspec::grammar::detail
