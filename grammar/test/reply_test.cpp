// Examples for the reply grammar: parse_reply, parse_enhanced_code,
// parse_greeting, parse_ehlo_reply (RFC 5321 §4.2, §4.1.1.1; RFC 3463 §2;
// RFC 2034 §4), their printers, and capabilities().
#include "smtpspec/grammar/parse.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smtpspec/grammar/capabilities.hpp"
#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/print.hpp"

namespace {

using namespace smtpspec::grammar;

Options const strict{Mode::strict, false};
Options const lenient{Mode::lenient, false};

ast::ReplyLine line(std::string text) { return ast::ReplyLine{std::nullopt, std::move(text)}; }
ast::ReplyLine line(ast::EnhancedCode code, std::string text) { return ast::ReplyLine{code, std::move(text)}; }

std::vector<std::string> ids(std::vector<Deviation> const& ds) {
    std::vector<std::string> out;
    for (auto const& d : ds) out.push_back(d.id + "@" + std::to_string(d.offset));
    return out;
}

template <class T>
void expect_error(Result<T> const& r, ErrorKind kind, std::size_t offset, std::string const& expected) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, kind) << r.error().message;
    EXPECT_EQ(r.error().offset, offset) << r.error().message;
    EXPECT_EQ(r.error().expected, expected) << r.error().message;
    EXPECT_FALSE(r.error().message.empty());
}

// ---------------------------------------------------------------- Reply-line

TEST(ParseReply, SingleLine) {
    auto const r = parse_reply("250 OK\r\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value(), (ast::Reply{250, {line("OK")}}));
    EXPECT_TRUE(r.deviations().empty());
}

TEST(ParseReply, FinalCrlfMayBeOmitted) {
    auto const r = parse_reply("250 OK");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), (ast::Reply{250, {line("OK")}}));
}

TEST(ParseReply, MultiLineKeepsEveryLine) {
    auto const r = parse_reply("250-first\r\n250-\r\n250 last\r\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value(), (ast::Reply{250, {line("first"), line(""), line("last")}}));
}

TEST(ParseReply, CodeAloneIsAReplyWithEmptyText) {
    // RFC 5321 §4.2: "Reply-code [ SP textstring ] CRLF".
    auto const r = parse_reply("354\r\n");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), (ast::Reply{354, {line("")}}));
}

TEST(ParseReply, TextKeepsTabsAndInnerSpaces) {
    auto const r = parse_reply("221  bye\tnow \r\n");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().lines.at(0).text, " bye\tnow ");
}

TEST(ParseReply, CodeRanges) {
    // Reply-code = %x32-35 %x30-35 %x30-39
    for (auto const* ok : {"200 x", "259 x", "354 x", "421 x", "554 x", "559 x", "500 x"})
        EXPECT_TRUE(parse_reply(ok).ok()) << ok;
    expect_error(parse_reply("199 x"), ErrorKind::syntax, 0, "Reply-code");
    expect_error(parse_reply("600 x"), ErrorKind::syntax, 0, "Reply-code");
    expect_error(parse_reply("260 x"), ErrorKind::syntax, 1, "Reply-code");
    expect_error(parse_reply("25"), ErrorKind::syntax, 2, "Reply-code");
    expect_error(parse_reply("2a0 x"), ErrorKind::syntax, 1, "Reply-code");
    expect_error(parse_reply(""), ErrorKind::syntax, 0, "Reply-code");
}

TEST(ParseReply, ContinuationWithAnotherCodeIsAnErrorAtThatCode) {
    auto const r = parse_reply("250-a\r\n251 b\r\n");
    expect_error(r, ErrorKind::syntax, 7, "Reply-code");
    EXPECT_NE(r.error().message.find("250"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("251"), std::string::npos) << r.error().message;
    expect_error(parse_reply("250-a\r\n250-b\r\n550 c\r\n"), ErrorKind::syntax, 14, "Reply-code");
    expect_error(parse_reply("250-a\r\n"), ErrorKind::syntax, 7, "Reply-code");
}

TEST(ParseReply, MissingSpaceAfterCode) {
    expect_error(parse_reply("250OK\r\n"), ErrorKind::syntax, 3, "CRLF");
    expect_error(parse_reply("250\tOK\r\n"), ErrorKind::syntax, 3, "CRLF");
}

TEST(ParseReply, BareCrAndLfAreErrorsInStrictMode) {
    expect_error(parse_reply("250 a\rb\r\n"), ErrorKind::syntax, 5, "CRLF");
    expect_error(parse_reply("250 a\nb\r\n"), ErrorKind::syntax, 5, "CRLF");
    expect_error(parse_reply("250-a\n250 b\r\n"), ErrorKind::syntax, 5, "CRLF");
    expect_error(parse_reply("250 a\r\n\r\n"), ErrorKind::syntax, 7, "end of Reply-line");
}

TEST(ParseReply, ControlAndNonAsciiOctetsAreNotText) {
    expect_error(parse_reply(std::string_view("250 a\0b\r\n", 9)), ErrorKind::syntax, 5, "CRLF");
    expect_error(parse_reply("250 caf\xC3\xA9\r\n"), ErrorKind::syntax, 7, "CRLF");
    expect_error(parse_reply("250 a\x7F\r\n"), ErrorKind::syntax, 5, "CRLF");
}

TEST(ParseReply, TwoRepliesAreNotOne) {
    expect_error(parse_reply("250 a\r\n250 b\r\n"), ErrorKind::syntax, 7, "end of Reply-line");
}

// ---------------------------------------------------------------- limits

TEST(ParseReply, LineOf512OctetsWithCrlfIsAccepted) {
    std::string const text = "250 " + std::string(506, 'x') + "\r\n";
    ASSERT_EQ(text.size(), limits::reply_line);
    EXPECT_TRUE(parse_reply(text).ok());
    // Without its CRLF the same line counts the same.
    EXPECT_TRUE(parse_reply(text.substr(0, 510)).ok());
}

TEST(ParseReply, LineOf513OctetsIsALimitError) {
    std::string const text = "250 " + std::string(507, 'x') + "\r\n";
    expect_error(parse_reply(text), ErrorKind::limit, 0, "Reply-line");
    expect_error(parse_reply(text.substr(0, 511)), ErrorKind::limit, 0, "Reply-line");
    expect_error(parse_reply(text, lenient), ErrorKind::limit, 0, "Reply-line");
    // The limit applies to every line, and is reported at the line's start.
    expect_error(parse_reply("250-a\r\n" + text), ErrorKind::limit, 7, "Reply-line");
}

TEST(ParseReply, OverlongLineIsReportedEvenWhenItIsAlsoMalformed) {
    std::string const text = "250 " + std::string(600, 'x') + "\x01\r\n";
    expect_error(parse_reply(text), ErrorKind::limit, 0, "Reply-line");
    // An error on an earlier line comes first.
    expect_error(parse_reply("250-\x01\r\n" + text), ErrorKind::syntax, 4, "CRLF");
}

TEST(ParseReply, HugeLineIsALimitError) {
    std::string const text = "250 " + std::string(10 * 1024 * 1024, 'x');
    expect_error(parse_reply(text), ErrorKind::limit, 0, "Reply-line");
}

TEST(ParseReply, LineCountLimit) {
    std::string many;
    for (std::size_t i = 0; i + 1 < limits::reply_lines; ++i) many += "250-x\r\n";
    auto const ok = parse_reply(many + "250 end\r\n");
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(ok.value().lines.size(), limits::reply_lines);
    auto const over = many + "250-x\r\n250 end\r\n";
    expect_error(parse_reply(over), ErrorKind::limit, limits::reply_lines * 7, "Reply-line");
}

// ---------------------------------------------------------------- enhanced status codes

TEST(ParseReply, EnhancedCodeIsSplitFromTheText) {
    auto const r = parse_reply("250-2.1.0 Sender ok\r\n250 2.1.0\r\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().lines.at(0), line({2, 1, 0}, "Sender ok"));
    EXPECT_EQ(r.value().lines.at(1), line({2, 1, 0}, ""));
}

TEST(ParseReply, EnhancedCodeNeedsSpaceOrLineEndAfterIt) {
    auto const r = parse_reply("250 2.1.0:ok\r\n");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().lines.at(0), line("2.1.0:ok"));
    auto const tab = parse_reply("250 2.1.0\tok\r\n");
    ASSERT_TRUE(tab.ok());
    EXPECT_EQ(tab.value().lines.at(0), line("2.1.0\tok"));
}

TEST(ParseReply, WhatIsNotAnEnhancedCodeStaysText) {
    // class = "2"/"4"/"5"; sub-codes 1*3digit without leading zeros (RFC 3463 §2).
    for (auto const* text : {"6.0.0 x", "3.0.0 x", "2.01.0 x", "2.0.00 x", "2.1000.0 x", "2.0.1000 x", "2.0 x",
                             "2..0 x", "20.0.0 x"}) {
        auto const r = parse_reply(std::string("550 ") + text);
        ASSERT_TRUE(r.ok()) << text;
        EXPECT_EQ(r.value().lines.at(0), line(text)) << text;
    }
}

TEST(ParseReply, SpaceAfterEnhancedCodeSeparatesOnlyOnce) {
    auto const r = parse_reply("550 5.1.1  two spaces\r\n");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().lines.at(0), line({5, 1, 1}, " two spaces"));
}

TEST(ParseEnhancedCode, Valid) {
    for (auto [text, code] : std::vector<std::pair<std::string, ast::EnhancedCode>>{
             {"2.0.0", {2, 0, 0}}, {"4.7.1", {4, 7, 1}}, {"5.999.999", {5, 999, 999}}, {"2.1.23", {2, 1, 23}}}) {
        auto const r = parse_enhanced_code(text);
        ASSERT_TRUE(r.ok()) << text << ": " << r.error().message;
        EXPECT_EQ(r.value(), code);
        EXPECT_EQ(print(r.value()), text);
    }
}

TEST(ParseEnhancedCode, Invalid) {
    expect_error(parse_enhanced_code("6.0.0"), ErrorKind::syntax, 0, "status-code");
    expect_error(parse_enhanced_code("2.01.0"), ErrorKind::syntax, 3, "'.'");
    expect_error(parse_enhanced_code("2.0.01"), ErrorKind::syntax, 5, "end of status-code");
    expect_error(parse_enhanced_code("2.1000.0"), ErrorKind::syntax, 5, "'.'");
    expect_error(parse_enhanced_code("2.0.1000"), ErrorKind::syntax, 7, "end of status-code");
    expect_error(parse_enhanced_code("2.0"), ErrorKind::syntax, 3, "'.'");
    expect_error(parse_enhanced_code("2.x.0"), ErrorKind::syntax, 2, "subject");
    expect_error(parse_enhanced_code("2.0.0 "), ErrorKind::syntax, 5, "end of status-code");
    expect_error(parse_enhanced_code("", lenient), ErrorKind::syntax, 0, "status-code");
}

// ---------------------------------------------------------------- lenient mode

TEST(ParseReplyLenient, TrailingSpaceAfterCode) {
    EXPECT_FALSE(parse_reply("250 \r\n").ok());
    auto const r = parse_reply("250 \r\n", lenient);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), (ast::Reply{250, {line("")}}));
    EXPECT_EQ(ids(r.deviations()), (std::vector<std::string>{"reply-trailing-space@3"}));
    EXPECT_NE(r.deviations().at(0).message.find("RFC 5321"), std::string::npos);
    // Two spaces after the separator are a textstring: nothing to repair.
    auto const spaces = parse_reply("250   ");
    ASSERT_TRUE(spaces.ok());
    EXPECT_EQ(spaces.value(), (ast::Reply{250, {line("  ")}}));
}

TEST(ParseReplyLenient, BareLfEndsLinesWithOneDeviationEach) {
    auto const r = parse_reply("250-a\n250-b\r\n250 c\n", lenient);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), (ast::Reply{250, {line("a"), line("b"), line("c")}}));
    EXPECT_EQ(ids(r.deviations()), (std::vector<std::string>{"bare-lf@5", "bare-lf@18"}));
}

TEST(ParseReplyLenient, DeviationOffsetsReferToTheOriginalInput) {
    auto const r = parse_reply("250-a\n250-b\n250 \n", lenient);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(ids(r.deviations()),
              (std::vector<std::string>{"bare-lf@5", "bare-lf@11", "reply-trailing-space@15", "bare-lf@16"}));
}

TEST(ParseReplyLenient, ManyBareLfLines) {
    std::string text;
    for (int i = 0; i < 20; ++i) text += "250-line\n";
    text += "250 end\n";
    auto const r = parse_reply(text, lenient);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().lines.size(), 21u);
    EXPECT_EQ(r.deviations().size(), 21u);
}

TEST(ParseReplyLenient, OtherErrorsStayErrorsWithTheStrictOffset) {
    expect_error(parse_reply("250OK", lenient), ErrorKind::syntax, 3, "CRLF");
    expect_error(parse_reply("250-a\n251 b\n", lenient), ErrorKind::syntax, 5, "CRLF");
    expect_error(parse_reply("250 a\rb", lenient), ErrorKind::syntax, 5, "CRLF");
}

// ---------------------------------------------------------------- printing

TEST(PrintReply, Lines) {
    EXPECT_EQ(print(ast::Reply{250, {line("OK")}}), "250 OK\r\n");
    EXPECT_EQ(print(ast::Reply{354, {line("")}}), "354\r\n");
    EXPECT_EQ(print(ast::Reply{250, {line(""), line("x"), line("")}}), "250-\r\n250-x\r\n250\r\n");
    EXPECT_EQ(print(ast::Reply{550, {line({5, 1, 1}, "no such user"), line({5, 1, 1}, "")}}),
              "550-5.1.1 no such user\r\n550 5.1.1\r\n");
}

// ---------------------------------------------------------------- greeting

TEST(ParseGreeting, SingleLine) {
    auto const r = parse_greeting("220 mail.example.com ESMTP ready\r\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().host, ast::Host(ast::Domain{{"mail", "example", "com"}}));
    EXPECT_EQ(r.value().text, "ESMTP ready");
    EXPECT_TRUE(r.value().more.empty());
    EXPECT_EQ(print(r.value()), "220 mail.example.com ESMTP ready\r\n");
}

TEST(ParseGreeting, MultiLine) {
    auto const r = parse_greeting("220-mx.example.org\r\n220-welcome\r\n220\r\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().text, "");
    EXPECT_EQ(r.value().more, (std::vector<std::string>{"welcome", ""}));
    EXPECT_EQ(print(r.value()), "220-mx.example.org\r\n220-welcome\r\n220\r\n");
}

TEST(ParseGreeting, AddressLiteral) {
    auto const r = parse_greeting("220 [192.0.2.1] hello");
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r.value().host.index(), 1u);
    EXPECT_EQ(print(r.value()), "220 [192.0.2.1] hello\r\n");
}

TEST(ParseGreeting, Errors) {
    expect_error(parse_greeting("554 no service\r\n"), ErrorKind::syntax, 0, "Greeting");
    expect_error(parse_greeting("220\r\n"), ErrorKind::syntax, 3, "SP / \"-\"");
    expect_error(parse_greeting("220 \r\n"), ErrorKind::syntax, 4, "Domain / address-literal");
    expect_error(parse_greeting("220-a.example\r\n221 x\r\n"), ErrorKind::syntax, 15, "\"220\"");
    expect_error(parse_greeting("220 a.example x\r\n220 y\r\n"), ErrorKind::syntax, 17, "end of Greeting");
}

TEST(ParseGreeting, TrailingSpaceIsLenient) {
    expect_error(parse_greeting("220 a.example \r\n"), ErrorKind::syntax, 13, "CRLF");
    auto const r = parse_greeting("220 a.example \r\n", lenient);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(ids(r.deviations()), (std::vector<std::string>{"reply-trailing-space@13"}));
}

TEST(ParseGreeting, NonAsciiHostNeedsSmtputf8) {
    std::string const text = "220 b\xC3\xBC" "cher.example ready\r\n";
    expect_error(parse_greeting(text), ErrorKind::encoding, 5, "Domain / address-literal");
    auto const r = parse_greeting(text, Options{Mode::strict, true});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(print(r.value()), text);
}

// ---------------------------------------------------------------- EHLO reply

constexpr std::string_view typical_ehlo =
    "250-mail.example.com Hello client.example [192.0.2.7]\r\n"
    "250-PIPELINING\r\n"
    "250-SIZE 35882577\r\n"
    "250-8BITMIME\r\n"
    "250-STARTTLS\r\n"
    "250-auth PLAIN login\r\n"
    "250-ENHANCEDSTATUSCODES\r\n"
    "250-X-UNKNOWN-KEYWORD a=b c\r\n"
    "250 CHUNKING\r\n";

TEST(ParseEhloReply, Typical) {
    auto const r = parse_ehlo_reply(typical_ehlo);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().host, ast::Host(ast::Domain{{"mail", "example", "com"}}));
    EXPECT_EQ(r.value().greet, "Hello client.example [192.0.2.7]");
    ASSERT_EQ(r.value().lines.size(), 8u);
    EXPECT_EQ(r.value().lines[1], (ast::EhloLine{"SIZE", {"35882577"}}));
    EXPECT_EQ(r.value().lines[4], (ast::EhloLine{"auth", {"PLAIN", "login"}}));
    EXPECT_EQ(r.value().lines[6], (ast::EhloLine{"X-UNKNOWN-KEYWORD", {"a=b", "c"}}));
    EXPECT_EQ(print(r.value()), typical_ehlo);
}

TEST(ParseEhloReply, SingleLine) {
    auto const r = parse_ehlo_reply("250 mail.example.com\r\n");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.value().lines.empty());
    EXPECT_EQ(r.value().greet, "");
    EXPECT_EQ(print(r.value()), "250 mail.example.com\r\n");
}

TEST(ParseEhloReply, GreetTakesAnyOctetButCrAndLf) {
    // ehlo-greet = 1*(%d0-9 / %d11-12 / %d14-127)
    std::string const text = std::string("250 a.example x\x01\x7F\0y", 19) + "\r\n";
    auto const r = parse_ehlo_reply(text);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().greet, std::string("x\x01\x7F\0y", 5));
    expect_error(parse_ehlo_reply("250 a.example \x80\r\n"), ErrorKind::syntax, 13, "CRLF");
}

TEST(ParseEhloReply, Errors) {
    // ehlo-ok-rsp names a Domain, not an address literal.
    expect_error(parse_ehlo_reply("250 [192.0.2.1]\r\n"), ErrorKind::syntax, 4, "Domain");
    expect_error(parse_ehlo_reply("250-a.example\r\n250 _X\r\n"), ErrorKind::syntax, 19, "ehlo-line");
    expect_error(parse_ehlo_reply("250-a.example\r\n250\r\n"), ErrorKind::syntax, 18, "SP");
    expect_error(parse_ehlo_reply("250-a.example\r\n250-SIZE  10\r\n250 X\r\n"), ErrorKind::syntax, 23, "CRLF");
    expect_error(parse_ehlo_reply("250-a.example\r\n251 X\r\n"), ErrorKind::syntax, 15, "\"250\"");
    expect_error(parse_ehlo_reply("502 5.5.1 no\r\n"), ErrorKind::syntax, 0, "ehlo-ok-rsp");
}

TEST(ParseEhloReply, AuthEqualsIsLenient) {
    std::string const text = "250-a.example\r\n250-AUTH LOGIN\r\n250-AUTH=LOGIN PLAIN\r\n250 8BITMIME\r\n";
    expect_error(parse_ehlo_reply(text), ErrorKind::syntax, 39, "CRLF");
    auto const r = parse_ehlo_reply(text, lenient);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(ids(r.deviations()), (std::vector<std::string>{"ehlo-auth-equals@39"}));
    EXPECT_EQ(r.value().lines.at(1), (ast::EhloLine{"AUTH", {"LOGIN", "PLAIN"}}));
    auto const caps = capabilities(r.value());
    EXPECT_TRUE(caps.auth);
    EXPECT_EQ(caps.auth_mechanisms, (std::vector<std::string>{"LOGIN", "PLAIN"}));
    // Only after AUTH, and not on the first line (which names the host).
    EXPECT_FALSE(parse_ehlo_reply("250-a.example\r\n250 SIZE=10\r\n", lenient).ok());
}

TEST(ParseEhloReply, BareLfAndTrailingSpaceTogether) {
    auto const r = parse_ehlo_reply("250-a.example\n250-PIPELINING \n250 SIZE\n", lenient);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(ids(r.deviations()),
              (std::vector<std::string>{"bare-lf@13", "reply-trailing-space@28", "bare-lf@29", "bare-lf@38"}));
}

// ---------------------------------------------------------------- capabilities

TEST(Capabilities, FromTypicalReply) {
    auto const caps = capabilities(parse_ehlo_reply(typical_ehlo).value());
    EXPECT_TRUE(caps.pipelining);
    EXPECT_TRUE(caps.size);
    EXPECT_EQ(caps.size_limit, 35882577u);
    EXPECT_TRUE(caps.eight_bit_mime);
    EXPECT_TRUE(caps.starttls);
    EXPECT_TRUE(caps.auth);
    EXPECT_EQ(caps.auth_mechanisms, (std::vector<std::string>{"PLAIN", "LOGIN"}));
    EXPECT_TRUE(caps.enhanced_status_codes);
    EXPECT_TRUE(caps.chunking);
    EXPECT_FALSE(caps.smtputf8);
    EXPECT_FALSE(caps.dsn);
    EXPECT_FALSE(caps.binary_mime);
}

TEST(Capabilities, KeywordsAreCaseInsensitive) {
    ast::EhloReply reply{ast::Domain{{"a"}}, "", {{"pipelining", {}}, {"SmtpUtf8", {}}, {"dsn", {}}, {"binarymime", {}}}};
    auto const caps = capabilities(reply);
    EXPECT_TRUE(caps.pipelining);
    EXPECT_TRUE(caps.smtputf8);
    EXPECT_TRUE(caps.dsn);
    EXPECT_TRUE(caps.binary_mime);
}

TEST(Capabilities, SizeParameter) {
    auto const size = [](std::vector<std::string> params) {
        return capabilities(ast::EhloReply{ast::Domain{{"a"}}, "", {{"SIZE", std::move(params)}}});
    };
    EXPECT_TRUE(size({}).size);
    EXPECT_EQ(size({}).size_limit, std::nullopt);
    // "A parameter value of 0 (zero) indicates that no fixed maximum message size is in force."
    EXPECT_EQ(size({"0"}).size_limit, std::nullopt);
    EXPECT_EQ(size({"1"}).size_limit, 1u);
    EXPECT_EQ(size({"18446744073709551615"}).size_limit, 18446744073709551615u);
    EXPECT_EQ(size({"18446744073709551616"}).size_limit, std::nullopt);
    EXPECT_EQ(size({"10M"}).size_limit, std::nullopt);
    EXPECT_TRUE(size({"10M"}).size);
    EXPECT_FALSE(capabilities(ast::EhloReply{ast::Domain{{"a"}}, "", {}}).size);
}

}  // namespace
