// Examples of the address parsers that a case table cannot show well: error
// messages, offsets of limit errors, repair offsets, decoded values.
#include "smtpspec/grammar/parse.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/print.hpp"

namespace smtpspec::grammar {
namespace {

Options lenient() { return Options{Mode::lenient, false}; }
Options utf8() { return Options{Mode::strict, true}; }

TEST(Address, MailboxWithDomain) {
    auto r = parse_mailbox("user.name+tag@mail.example.com");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().local, (ast::LocalPart{"user.name+tag", false}));
    EXPECT_EQ(std::get<ast::Domain>(r.value().host).labels, (std::vector<std::string>{"mail", "example", "com"}));
}

TEST(Address, QuotedLocalPartIsDecoded) {
    auto r = parse_mailbox(R"("a \"b\" \\c"@x)");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().local, (ast::LocalPart{R"(a "b" \c)", true}));
    EXPECT_EQ(print(r.value()), R"("a \"b\" \\c"@x)");
}

TEST(Address, ReversePathNull) {
    auto r = parse_reverse_path("<>");
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.value().path.has_value());
    EXPECT_FALSE(parse_forward_path("<>").ok());
}

TEST(Address, ForwardPathPostmaster) {
    auto r = parse_forward_path("<postMASTER>");
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.value().path.has_value());
    EXPECT_EQ(print(r.value()), "<Postmaster>");
}

TEST(Address, SourceRouteIsKept) {
    auto r = parse_path("<@a.example,@b.example:u@c.example>");
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r.value().source_route.size(), 2u);
    EXPECT_EQ(r.value().source_route[1].labels, (std::vector<std::string>{"b", "example"}));
}

TEST(Address, IPv6Forms) {
    auto full = parse_address_literal("[IPv6:1:2:3:4:5:6:7:8]");
    ASSERT_TRUE(full.ok()) << full.error().message;
    auto const& v = std::get<ast::IPv6Literal>(full.value());
    EXPECT_EQ(v.form, ast::IPv6Literal::Form::full);
    EXPECT_EQ(v.head.size(), 8u);

    auto v4comp = parse_address_literal("[ipv6:::FFFF:192.0.2.1]");
    ASSERT_TRUE(v4comp.ok()) << v4comp.error().message;
    auto const& w = std::get<ast::IPv6Literal>(v4comp.value());
    EXPECT_EQ(w.form, ast::IPv6Literal::Form::v4comp);
    EXPECT_TRUE(w.head.empty());
    EXPECT_EQ(w.tail, (std::vector<std::uint16_t>{0xffff}));
    EXPECT_EQ(w.v4, (std::array<std::uint8_t, 4>{192, 0, 2, 1}));
    EXPECT_EQ(print(v4comp.value()), "[IPv6:::ffff:192.0.2.1]");
}

TEST(Address, TrailingDotIsStrictErrorAndLenientRepair) {
    auto strict = parse_mailbox("a@example.com.");
    ASSERT_FALSE(strict.ok());
    EXPECT_EQ(strict.error().kind, ErrorKind::syntax);
    EXPECT_EQ(strict.error().offset, 14u);
    EXPECT_EQ(strict.error().expected, "sub-domain");

    auto r = parse_path("<a@example.com.>", lenient());
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r.deviations().size(), 1u);
    EXPECT_EQ(r.deviations()[0].id, "trailing-dot-domain");
    EXPECT_EQ(r.deviations()[0].offset, 14u);
    EXPECT_EQ(print(r.value()), "<a@example.com>");
}

TEST(Address, LocalPartLimit) {
    std::string const ok(limits::local_part, 'a');
    EXPECT_TRUE(parse_mailbox(ok + "@x").ok());
    auto r = parse_path("<" + ok + "a@x>");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::limit);
    EXPECT_EQ(r.error().offset, 1u);
    EXPECT_EQ(r.error().expected, "Local-part");
}

TEST(Address, NonAsciiWithoutSmtputf8) {
    auto r = parse_mailbox("j\xC3\xB8rn@x");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::encoding);
    EXPECT_EQ(r.error().offset, 1u);
    EXPECT_TRUE(parse_mailbox("j\xC3\xB8rn@\xC3\xA6.example", utf8()).ok());
    auto bad = parse_mailbox("a@b\xC3", utf8());
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind, ErrorKind::encoding);
    EXPECT_EQ(bad.error().offset, 3u);
}

TEST(Address, ErrorsNameTheProductionExpected) {
    auto no_host = parse_mailbox("a@");
    ASSERT_FALSE(no_host.ok());
    EXPECT_EQ(no_host.error().offset, 2u);
    EXPECT_EQ(no_host.error().expected, "Domain / address-literal");
    EXPECT_EQ(no_host.error().message, "expected Domain / address-literal, found end of input");

    auto unclosed = parse_path("<a@b");
    ASSERT_FALSE(unclosed.ok());
    EXPECT_EQ(unclosed.error().offset, 4u);
    EXPECT_EQ(unclosed.error().expected, "'>'");

    auto bad_v6 = parse_address_literal("[IPv6:1:2]");
    ASSERT_FALSE(bad_v6.ok());
    EXPECT_EQ(bad_v6.error().offset, 6u);
    EXPECT_EQ(bad_v6.error().expected, "IPv6-addr");

    auto bad_snum = parse_address_literal("[192.0.2.256]");
    ASSERT_FALSE(bad_snum.ok());
    EXPECT_EQ(bad_snum.error().offset, 9u);
    EXPECT_EQ(bad_snum.error().expected, "Snum");

    auto bad_literal = parse_address_literal("[x.y]");
    ASSERT_FALSE(bad_literal.ok());
    EXPECT_EQ(bad_literal.error().offset, 1u);
    EXPECT_EQ(bad_literal.error().expected,
              "IPv4-address-literal / IPv6-address-literal / General-address-literal");

    auto empty_atom = parse_mailbox("a..b@c");
    ASSERT_FALSE(empty_atom.ok());
    EXPECT_EQ(empty_atom.error().offset, 2u);
    EXPECT_EQ(empty_atom.error().expected, "Atom");
}

TEST(Address, LimitErrorNamesTheProductionAndSizes) {
    std::string const domain = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                               std::string(64, 'd');
    auto r = parse_path("<user@" + domain + ">");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::limit);
    EXPECT_EQ(r.error().offset, 6u);
    EXPECT_EQ(r.error().expected, "Domain");
    EXPECT_EQ(r.error().message, "Domain is 256 octets; RFC 5321 §4.5.3.1 sets its limit at 255");
}

TEST(Address, PathLimitCountsTheBrackets) {
    // 1 + 64 + 1 + 189 + 1 = 256 octets: at the limit.
    std::string const local(64, 'l');
    std::string const domain = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(61, 'c');
    auto const at_limit = "<" + local + "@" + domain + ">";
    ASSERT_EQ(at_limit.size(), limits::path);
    EXPECT_TRUE(parse_reverse_path(at_limit).ok());
    auto over = parse_forward_path("<" + local + "@" + domain + "c>");
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().kind, ErrorKind::limit);
    EXPECT_EQ(over.error().offset, 0u);
    EXPECT_EQ(over.error().expected, "Path");
}

TEST(Address, EveryTrailingDotIsRepairedAtItsOwnOffset) {
    auto r = parse_path("<@relay.example.,@b.:u@c.example.>", lenient());
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r.deviations().size(), 3u);
    EXPECT_EQ(r.deviations()[0].offset, 15u);
    EXPECT_EQ(r.deviations()[1].offset, 19u);
    EXPECT_EQ(r.deviations()[2].offset, 32u);
    for (auto const& d : r.deviations()) {
        EXPECT_EQ(d.id, "trailing-dot-domain");
        EXPECT_NE(d.message.find("RFC 5321 §4.1.2"), std::string::npos);
    }
    EXPECT_EQ(print(r.value()), "<@relay.example,@b:u@c.example>");
}

TEST(Address, StrictModeNeverRepairs) {
    auto r = parse_domain("example.com.");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().offset, 12u);
}

TEST(Address, UnrepairableInputReportsTheFirstStrictError) {
    // The repair removes the dot, but the CR LF after it still does not parse:
    // the error is the one of the unrepaired input.
    auto r = parse_domain("a.\r\n", lenient());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().offset, 2u);
    EXPECT_EQ(r.error().expected, "sub-domain");
    // A double dot is not a trailing dot.
    auto d = parse_domain("a..b", lenient());
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().offset, 2u);
}

TEST(Address, EncodingErrorsSayWhy) {
    auto plain = parse_reverse_path("<\xC3\xA9@b>");
    ASSERT_FALSE(plain.ok());
    EXPECT_EQ(plain.error().kind, ErrorKind::encoding);
    EXPECT_NE(plain.error().message.find("SMTPUTF8"), std::string::npos);

    auto broken = parse_reverse_path("<\xC3\xA9\xC3@b>", utf8());
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.error().kind, ErrorKind::encoding);
    EXPECT_EQ(broken.error().offset, 3u);
    EXPECT_NE(broken.error().message.find("UTF-8"), std::string::npos);
}

TEST(Address, Utf8LocalPartAndULabel) {
    auto r = parse_mailbox("\xE7\x94\xA8\xE6\x88\xB7@\xE4\xBE\x8B\xE5\xAD\x90.\xE5\xB9\xBF\xE5\x91\x8A", utf8());
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().local.value, "\xE7\x94\xA8\xE6\x88\xB7");
    auto const& d = std::get<ast::Domain>(r.value().host);
    ASSERT_EQ(d.labels.size(), 2u);
    EXPECT_EQ(d.labels[0], "\xE4\xBE\x8B\xE5\xAD\x90");
}

TEST(Address, IPv6GroupCounts) {
    using Form = ast::IPv6Literal::Form;
    auto form_of = [](std::string_view text) -> std::optional<Form> {
        auto r = parse_address_literal(text);
        if (!r.ok()) return std::nullopt;
        return std::get<ast::IPv6Literal>(r.value()).form;
    };
    EXPECT_EQ(form_of("[IPv6:1:2:3:4:5:6:7:8]"), Form::full);
    EXPECT_EQ(form_of("[IPv6:1:2:3::4:5:6]"), Form::comp);
    EXPECT_EQ(form_of("[IPv6:1:2:3::4:5:6:7]"), std::nullopt);   // 7 groups besides "::"
    EXPECT_EQ(form_of("[IPv6:1:2:3:4:5:6:1.2.3.4]"), Form::v4full);
    EXPECT_EQ(form_of("[IPv6:1:2::3:4:1.2.3.4]"), Form::v4comp);
    EXPECT_EQ(form_of("[IPv6:1:2::3:4:5:1.2.3.4]"), std::nullopt);  // 5 groups besides "::" and IPv4
}

}  // namespace
}  // namespace smtpspec::grammar
