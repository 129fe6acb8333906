// Properties of the address grammar: parse(print(x)) == x for every address
// AST type, strict acceptance implies lenient acceptance of the same value,
// and printed paths stay within RFC 5321 §4.5.3.1.3.
#include "smtpspec/grammar/generators/address.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <functional>
#include <string>

#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/grammar/print.hpp"

namespace smtpspec::grammar {
namespace {

Options const lenient{Mode::lenient, false};

// Parses `text` strictly, requiring success, and returns the value.
template <class T>
T parse_ok(Result<T> const& r, std::string const& text) {
    if (!r.ok()) RC_FAIL("\"" + text + "\" did not parse: " + r.error().message);
    RC_ASSERT(r.deviations().empty());
    return r.value();
}

RC_GTEST_PROP(AddressProperties, DomainRoundTrip, (ast::Domain const& d)) {
    auto const text = print(d);
    RC_ASSERT(parse_ok(parse_domain(text), text) == d);
}

RC_GTEST_PROP(AddressProperties, IPv4LiteralRoundTrip, (ast::IPv4Literal const& v)) {
    auto const text = print(ast::AddressLiteral{v});
    RC_ASSERT(parse_ok(parse_address_literal(text), text) == ast::AddressLiteral{v});
}

RC_GTEST_PROP(AddressProperties, IPv6LiteralRoundTrip, (ast::IPv6Literal const& v)) {
    auto const text = print(ast::AddressLiteral{v});
    RC_ASSERT(parse_ok(parse_address_literal(text), text) == ast::AddressLiteral{v});
}

RC_GTEST_PROP(AddressProperties, GeneralLiteralRoundTrip, (ast::GeneralLiteral const& v)) {
    auto const text = print(ast::AddressLiteral{v});
    RC_ASSERT(parse_ok(parse_address_literal(text), text) == ast::AddressLiteral{v});
}

RC_GTEST_PROP(AddressProperties, AddressLiteralRoundTrip, (ast::AddressLiteral const& v)) {
    auto const text = print(v);
    RC_ASSERT(parse_ok(parse_address_literal(text), text) == v);
}

RC_GTEST_PROP(AddressProperties, HostRoundTrip, (ast::Host const& h)) {
    auto const text = "postmaster@" + print(h);
    RC_ASSERT(parse_ok(parse_mailbox(text), text).host == h);
}

RC_GTEST_PROP(AddressProperties, LocalPartRoundTrip, (ast::LocalPart const& l)) {
    auto const text = print(l) + "@example.org";
    RC_ASSERT(parse_ok(parse_mailbox(text), text).local == l);
}

RC_GTEST_PROP(AddressProperties, MailboxRoundTrip, (ast::Mailbox const& m)) {
    auto const text = print(m);
    RC_ASSERT(parse_ok(parse_mailbox(text), text) == m);
}

RC_GTEST_PROP(AddressProperties, PathRoundTrip, (ast::Path const& p)) {
    auto const text = print(p);
    RC_ASSERT(parse_ok(parse_path(text), text) == p);
}

RC_GTEST_PROP(AddressProperties, ReversePathRoundTrip, (ast::ReversePath const& p)) {
    auto const text = print(p);
    RC_ASSERT(parse_ok(parse_reverse_path(text), text) == p);
}

RC_GTEST_PROP(AddressProperties, ForwardPathRoundTrip, (ast::ForwardPath const& p)) {
    auto const text = print(p);
    RC_ASSERT(parse_ok(parse_forward_path(text), text) == p);
}

RC_GTEST_PROP(AddressProperties, PrintedPathsWithinLimit, (ast::ReversePath const& r, ast::ForwardPath const& f)) {
    RC_ASSERT(print(r).size() <= limits::path);
    RC_ASSERT(print(f).size() <= limits::path);
}

// RFC 6531 §3.3: UTF-8 mailboxes round-trip with SMTPUTF8 and are an encoding
// error, at the first non-ASCII octet, without it.
RC_GTEST_PROP(AddressProperties, Utf8MailboxRoundTrip, ()) {
    auto const m = *generators::utf8_mailbox();
    auto const text = print(m);
    RC_ASSERT(parse_ok(parse_mailbox(text, Options{Mode::strict, true}), text) == m);
    auto const path = "<" + text + ">";
    ast::ForwardPath const expected{ast::Path{{}, m}};
    RC_ASSERT(parse_ok(parse_forward_path(path, Options{Mode::lenient, true}), path) == expected);
    auto const high = std::find_if(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    auto const plain = parse_mailbox(text);
    if (high == text.end()) {
        RC_ASSERT(plain.ok());
    } else {
        RC_ASSERT(!plain.ok());
        RC_ASSERT(plain.error().kind == ErrorKind::encoding);
        RC_ASSERT(plain.error().offset == static_cast<std::size_t>(high - text.begin()));
    }
}

// Every address parse function, for the properties over arbitrary text.
template <class T>
void strict_implies_lenient(std::string const& text, Result<T> (*parse)(std::string_view, Options)) {
    auto const strict = parse(text, Options{});
    if (!strict.ok()) return;
    auto const relaxed = parse(text, lenient);
    RC_ASSERT(relaxed.ok());
    RC_ASSERT(relaxed.deviations().empty());
    RC_ASSERT(relaxed.value() == strict.value());
    // An ASCII address means the same with SMTPUTF8 in effect.
    auto const utf8 = parse(text, Options{Mode::strict, true});
    RC_ASSERT(utf8.ok());
    RC_ASSERT(utf8.value() == strict.value());
}

void strict_implies_lenient_everywhere(std::string const& text) {
    strict_implies_lenient<ast::ReversePath>(text, &parse_reverse_path);
    strict_implies_lenient<ast::ForwardPath>(text, &parse_forward_path);
    strict_implies_lenient<ast::Path>(text, &parse_path);
    strict_implies_lenient<ast::Mailbox>(text, &parse_mailbox);
    strict_implies_lenient<ast::Domain>(text, &parse_domain);
    strict_implies_lenient<ast::AddressLiteral>(text, &parse_address_literal);
}

RC_GTEST_PROP(AddressProperties, StrictImpliesLenientOnPrintableText, ()) {
    auto const text = *rc::gen::container<std::string>(generators::printable_char());
    strict_implies_lenient_everywhere(text);
}

// A printed path with one octet inserted, removed or replaced: text that is
// near the grammar, where strict and lenient mode are most likely to differ.
RC_GTEST_PROP(AddressProperties, StrictImpliesLenientOnMutatedPaths, (ast::ForwardPath const& p)) {
    auto text = print(p);
    auto const at = *rc::gen::inRange<std::size_t>(0, text.size() + 1);
    auto const octet = *rc::gen::oneOf(generators::printable_char(), rc::gen::element('.', '@', '<', '>', ':', '[', ']', '"'));
    switch (*rc::gen::inRange(0, 3)) {
        case 0: text.insert(at, 1, octet); break;
        case 1: if (at < text.size()) text.erase(at, 1); break;
        default: if (at < text.size()) text[at] = octet; break;
    }
    strict_implies_lenient_everywhere(text);
    strict_implies_lenient_everywhere(text.substr(1, text.size() >= 2 ? text.size() - 2 : 0));
}

// Any bytes at all, in every mode: a value or an error located inside the
// input, never an exception (parse.hpp).
template <class T>
void located_or_ok(std::string const& text, Result<T> (*parse)(std::string_view, Options)) {
    for (auto const mode : {Mode::strict, Mode::lenient}) {
        for (bool const smtputf8 : {false, true}) {
            auto const r = parse(text, Options{mode, smtputf8});
            if (!r.ok()) {
                RC_ASSERT(r.error().offset <= text.size());
                RC_ASSERT(!r.error().expected.empty());
                RC_ASSERT(!r.error().message.empty());
            }
        }
    }
}

RC_GTEST_PROP(AddressProperties, AnyBytesGiveValueOrLocatedError, (std::string const& bytes)) {
    located_or_ok<ast::ReversePath>(bytes, &parse_reverse_path);
    located_or_ok<ast::ForwardPath>(bytes, &parse_forward_path);
    located_or_ok<ast::Path>(bytes, &parse_path);
    located_or_ok<ast::Mailbox>(bytes, &parse_mailbox);
    located_or_ok<ast::Domain>(bytes, &parse_domain);
    located_or_ok<ast::AddressLiteral>(bytes, &parse_address_literal);
    located_or_ok<ast::ReversePath>("<" + bytes + ">", &parse_reverse_path);
    located_or_ok<ast::Mailbox>("a@" + bytes, &parse_mailbox);
    located_or_ok<ast::AddressLiteral>("[" + bytes + "]", &parse_address_literal);
}

// Lenient mode's trailing-dot repair: any domain with a dot appended is
// accepted as that domain, with one deviation at the dot.
RC_GTEST_PROP(AddressProperties, TrailingDotRepairKeepsDomain, (ast::Mailbox m)) {
    m.host = *rc::gen::arbitrary<ast::Domain>();
    auto const text = print(m) + ".";
    RC_ASSERT(!parse_mailbox(text).ok());
    auto const r = parse_mailbox(text, lenient);
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value() == m);
    RC_ASSERT(r.deviations().size() == 1u);
    RC_ASSERT(r.deviations()[0].id == std::string("trailing-dot-domain"));
    RC_ASSERT(r.deviations()[0].offset == text.size() - 1);
}

}  // namespace
}  // namespace smtpspec::grammar
