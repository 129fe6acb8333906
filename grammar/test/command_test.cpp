// Examples of the command and parameter grammar: the ASTs of typical lines,
// error offsets and productions, limits, encodings and lenient repairs.
#include "command.hpp"

#include <gtest/gtest.h>

#include <string>

#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/grammar/print.hpp"

namespace {

using namespace smtpspec::grammar;
using namespace std::string_literals;

Options lenient() {
    Options o;
    o.mode = Mode::lenient;
    return o;
}

Options utf8() {
    Options o;
    o.smtputf8 = true;
    return o;
}

// The command of type T that `r` holds, by value (`r` is usually a temporary).
template <class T>
T get(Result<ast::Command> const& r) {
    if (!r.ok()) {
        ADD_FAILURE() << r.error().message;
        return T{};
    }
    auto const* command = std::get_if<T>(&r.value());
    if (!command) {
        ADD_FAILURE() << "parsed as another command: " << print(r.value());
        return T{};
    }
    return *command;
}

ast::Path path(std::string local, std::vector<std::string> domain) {
    return ast::Path{{}, ast::Mailbox{ast::LocalPart{std::move(local), false}, ast::Domain{std::move(domain)}}};
}

void expect_error(Result<ast::Command> const& r, ErrorKind kind, std::size_t offset, std::string const& expected) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, kind) << r.error().message;
    EXPECT_EQ(r.error().offset, offset) << r.error().message;
    EXPECT_EQ(r.error().expected, expected) << r.error().message;
    EXPECT_FALSE(r.error().message.empty());
}

// ---------------------------------------------------------------- accepted commands

TEST(Command, MailWithQuotedLocalPartIpv6LiteralAndParameters) {
    auto const r = parse_command("MAIL FROM:<\"john doe\"@[IPv6:2001:db8::1]> SIZE=1000 BODY=8BITMIME\r\n");
    auto const mail = get<ast::Mail>(r);
    ASSERT_TRUE(mail.from.path);
    EXPECT_TRUE(mail.from.path->source_route.empty());
    EXPECT_EQ(mail.from.path->mailbox.local, (ast::LocalPart{"john doe", true}));
    ast::IPv6Literal v6;
    v6.form = ast::IPv6Literal::Form::comp;
    v6.head = {0x2001, 0xdb8};
    v6.tail = {1};
    EXPECT_EQ(mail.from.path->mailbox.host, ast::Host{ast::AddressLiteral{v6}});
    ASSERT_EQ(mail.params.size(), 2u);
    EXPECT_EQ(mail.params[0], ast::Param{ast::SizeParam{1000}});
    EXPECT_EQ(mail.params[1], ast::Param{ast::BodyParam{ast::BodyParam::Type::eight_bit_mime}});
    EXPECT_EQ(print(r.value()), "MAIL FROM:<\"john doe\"@[IPv6:2001:db8::1]> SIZE=1000 BODY=8BITMIME\r\n");
}

TEST(Command, NullReversePathInMail) {
    auto const mail = get<ast::Mail>(parse_command("MAIL FROM:<>\r\n"));
    EXPECT_FALSE(mail.from.path);
    EXPECT_TRUE(mail.params.empty());
}

TEST(Command, VerbsAndFromAreCaseInsensitive) {
    auto const a = parse_command("mail from:<a@b.example>");
    auto const b = parse_command("MaIl FrOm:<a@b.example>");
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(a.value(), b.value());
    EXPECT_EQ(std::get<ast::Mail>(a.value()).from.path, path("a", {"b", "example"}));
}

TEST(Command, RcptForms) {
    EXPECT_FALSE(get<ast::Rcpt>(parse_command("RCPT TO:<Postmaster>")).to.path);
    auto const pm = get<ast::Rcpt>(parse_command("RCPT TO:<Postmaster@example.com>"));
    EXPECT_EQ(pm.to.path, path("Postmaster", {"example", "com"}));
    auto const dsn = get<ast::Rcpt>(parse_command("RCPT TO:<a@b> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;a+2Bx@b"));
    ASSERT_EQ(dsn.params.size(), 2u);
    EXPECT_EQ(dsn.params[0], ast::Param{(ast::NotifyParam{false, true, false, true})});
    EXPECT_EQ(dsn.params[1], ast::Param{(ast::OrcptParam{"rfc822", "a+x@b"})});
}

TEST(Command, SourceRouteIsKept) {
    auto const rcpt = get<ast::Rcpt>(parse_command("RCPT TO:<@relay.example,@hop.example:a@b.example>"));
    ASSERT_TRUE(rcpt.to.path);
    EXPECT_EQ(rcpt.to.path->source_route.size(), 2u);
}

TEST(Command, CommandsWithoutArguments) {
    EXPECT_TRUE(std::holds_alternative<ast::Data>(parse_command("DATA\r\n").value()));
    EXPECT_TRUE(std::holds_alternative<ast::Rset>(parse_command("rset").value()));
    EXPECT_TRUE(std::holds_alternative<ast::Quit>(parse_command("Quit\r\n").value()));
    EXPECT_TRUE(std::holds_alternative<ast::StartTls>(parse_command("STARTTLS\r\n").value()));
    EXPECT_EQ(get<ast::Noop>(parse_command("NOOP")), ast::Noop{});
    EXPECT_EQ(get<ast::Help>(parse_command("HELP")), ast::Help{});
}

TEST(Command, StringArguments) {
    EXPECT_EQ(get<ast::Vrfy>(parse_command("VRFY smith")), (ast::Vrfy{"smith", false}));
    EXPECT_EQ(get<ast::Expn>(parse_command("EXPN \"Example \\\"list\\\"\"")), (ast::Expn{"Example \"list\"", true}));
    EXPECT_EQ(get<ast::Help>(parse_command("HELP MAIL")), (ast::Help{"MAIL", false}));
    EXPECT_EQ(get<ast::Noop>(parse_command("NOOP \"\"")), (ast::Noop{"", true}));
    EXPECT_EQ(print(ast::Command{ast::Expn{"a\"b\\c", true}}), "EXPN \"a\\\"b\\\\c\"\r\n");
}

TEST(Command, EhloAndHelo) {
    EXPECT_EQ(get<ast::Ehlo>(parse_command("EHLO mail.example.org")).host,
              (ast::Host{ast::Domain{{"mail", "example", "org"}}}));
    EXPECT_EQ(get<ast::Ehlo>(parse_command("EHLO [192.0.2.1]")).host,
              (ast::Host{ast::AddressLiteral{ast::IPv4Literal{{192, 0, 2, 1}}}}));
    EXPECT_EQ(get<ast::Helo>(parse_command("HELO relay")).domain, (ast::Domain{{"relay"}}));
}

TEST(Command, Auth) {
    EXPECT_EQ(get<ast::Auth>(parse_command("AUTH PLAIN")), (ast::Auth{"PLAIN", std::nullopt}));
    EXPECT_EQ(get<ast::Auth>(parse_command("AUTH PLAIN =")), (ast::Auth{"PLAIN", "="}));
    EXPECT_EQ(get<ast::Auth>(parse_command("AUTH PLAIN AHRlc3QAdGVzdA==")), (ast::Auth{"PLAIN", "AHRlc3QAdGVzdA=="}));
    EXPECT_EQ(get<ast::Auth>(parse_command("AUTH SCRAM-SHA-256 biws")).mechanism, "SCRAM-SHA-256");
    // RFC 4954 §8: implementations MUST accept the strings in any case.
    EXPECT_EQ(get<ast::Auth>(parse_command("auth login")).mechanism, "login");
}

TEST(Command, Bdat) {
    EXPECT_EQ(get<ast::Bdat>(parse_command("BDAT 0 LAST")), (ast::Bdat{0, true}));
    EXPECT_EQ(get<ast::Bdat>(parse_command("bdat 86 last\r\n")), (ast::Bdat{86, true}));
    EXPECT_EQ(get<ast::Bdat>(parse_command("BDAT 18446744073709551615")),
              (ast::Bdat{18446744073709551615u, false}));
}

// ---------------------------------------------------------------- rejected commands

TEST(CommandError, UnknownVerbAtOffsetZero) {
    expect_error(parse_command("FOO bar"), ErrorKind::syntax, 0, "command");
    expect_error(parse_command("DATAX"), ErrorKind::syntax, 0, "command");
    expect_error(parse_command(""), ErrorKind::syntax, 0, "command");
}

TEST(CommandError, SpaceAfterColonIsAnErrorAtTheSpace) {
    expect_error(parse_command("MAIL FROM: <a@b>"), ErrorKind::syntax, 10, "Reverse-path");
}

TEST(CommandError, ExtraArguments) {
    expect_error(parse_command("DATA now"), ErrorKind::syntax, 4, "CRLF");
    expect_error(parse_command("RSET x"), ErrorKind::syntax, 4, "CRLF");
    expect_error(parse_command("QUIT x\r\n"), ErrorKind::syntax, 4, "CRLF");
    expect_error(parse_command("STARTTLS x"), ErrorKind::syntax, 8, "CRLF");
}

TEST(CommandError, MissingArguments) {
    expect_error(parse_command("VRFY"), ErrorKind::syntax, 4, "SP");
    expect_error(parse_command("EHLO"), ErrorKind::syntax, 4, "SP");
    expect_error(parse_command("RCPT TO:<>"), ErrorKind::syntax, 9, "Mailbox");
}

TEST(CommandError, ParameterValueErrorsNameTheValue) {
    expect_error(parse_command("MAIL FROM:<a@b> SIZE=abc"), ErrorKind::syntax, 21, "size-value");
    expect_error(parse_command("MAIL FROM:<a@b> SIZE=12x"), ErrorKind::syntax, 23, "size-value");
    expect_error(parse_command("MAIL FROM:<a@b> BODY=9BIT"), ErrorKind::syntax, 21, "body-value");
    expect_error(parse_command("RCPT TO:<a@b> NOTIFY=NEVER,DELAY"), ErrorKind::syntax, 21, "notify-esmtp-value");
    expect_error(parse_command("MAIL FROM:<a@b> ENVID=a+4g"), ErrorKind::syntax, 23, "hexchar");
    expect_error(parse_command("MAIL FROM:<a@b> SMTPUTF8=yes"), ErrorKind::syntax, 24, "end of esmtp-param");
}

TEST(CommandError, AuthErrors) {
    expect_error(parse_command("AUTH PLAIN AAAAA"), ErrorKind::syntax, 11, "initial-response");
    expect_error(parse_command("AUTH PLAIN A==="), ErrorKind::syntax, 11, "initial-response");
    expect_error(parse_command("AUTH ABCDEFGHIJKLMNOPQRSTU"), ErrorKind::syntax, 25, "sasl-mech");
    expect_error(parse_command("AUTH PLAIN = x"), ErrorKind::syntax, 12, "CRLF");
}

TEST(CommandError, BdatErrors) {
    expect_error(parse_command("BDAT"), ErrorKind::syntax, 4, "SP");
    expect_error(parse_command("BDAT LAST"), ErrorKind::syntax, 5, "chunk-size");
    expect_error(parse_command("BDAT 10 FIRST"), ErrorKind::syntax, 8, "end-marker");
    expect_error(parse_command("BDAT 18446744073709551616"), ErrorKind::syntax, 5, "chunk-size");
}

TEST(CommandError, BareCrAndLfInsideTheLine) {
    auto const cr = parse_command("NOOP a\rb\r\n");
    expect_error(cr, ErrorKind::syntax, 6, "CRLF");
    EXPECT_NE(cr.error().message.find("bare CR"), std::string::npos);
    auto const lf = parse_command("MAIL FROM:<a@b>\nRCPT TO:<c@d>\r\n");
    expect_error(lf, ErrorKind::syntax, 15, "CRLF");
    EXPECT_NE(lf.error().message.find("bare LF"), std::string::npos);
    // A line ended by LF alone: the LF is bare.
    expect_error(parse_command("QUIT\n"), ErrorKind::syntax, 4, "CRLF");
    // Two command lines in one input.
    expect_error(parse_command("QUIT\r\nQUIT\r\n"), ErrorKind::syntax, 4, "CRLF");
}

TEST(CommandError, NulByte) { expect_error(parse_command("NOOP a\0b"s), ErrorKind::syntax, 6, "CRLF"); }

// ---------------------------------------------------------------- limits

std::string line_of(std::size_t octets_with_crlf) {
    std::string const head = "NOOP ";
    return head + std::string(octets_with_crlf - head.size() - 2, 'x') + "\r\n";
}

TEST(CommandLimit, FiveHundredTwelveOctetsWithCrlfIsAccepted) {
    auto const line = line_of(limits::command_line);
    ASSERT_EQ(line.size(), 512u);
    EXPECT_TRUE(parse_command(line).ok());
    // The same line without its CRLF: 510 octets, still within the limit.
    EXPECT_TRUE(parse_command(std::string_view(line).substr(0, 510)).ok());
}

TEST(CommandLimit, FiveHundredThirteenOctetsIsALimitError) {
    auto const line = line_of(limits::command_line + 1);
    auto const r = parse_command(line);
    expect_error(r, ErrorKind::limit, 510, "command-line");
    EXPECT_NE(r.error().message.find("513"), std::string::npos);
    // Without the CRLF, 511 octets need 513 with it.
    expect_error(parse_command(std::string_view(line).substr(0, 511)), ErrorKind::limit, 510, "command-line");
    // Lenient mode does not lift the limit.
    EXPECT_FALSE(parse_command(line, lenient()).ok());
}

TEST(CommandLimit, PathLimitInsideACommand) {
    // A 257-octet path: a limit error of the path, inside a line that fits.
    std::string const local(64, 'a');
    std::string domain;
    while (domain.size() < 190) domain += "b.";
    domain += "example";
    auto const line = "RCPT TO:<" + local + "@" + domain + ">";
    auto const r = parse_command(line);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::limit);
}

// ---------------------------------------------------------------- SMTPUTF8

TEST(CommandEncoding, NonAsciiWithoutSmtputf8IsAnEncodingError) {
    expect_error(parse_command("RCPT TO:<j\xC3\xB6rg@example.com>"), ErrorKind::encoding, 10, "command");
    expect_error(parse_command("VRFY j\xC3\xB6rg"), ErrorKind::encoding, 6, "command");
}

TEST(CommandEncoding, MailWithSmtputf8ParameterMayCarryUtf8) {
    auto const r = parse_command("MAIL FROM:<j\xC3\xB6rg@example.com> SMTPUTF8");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(std::get<ast::Mail>(r.value()).from.path->mailbox.local.value, "j\xC3\xB6rg");
    // Without the parameter, the same reverse-path is an encoding error.
    expect_error(parse_command("MAIL FROM:<j\xC3\xB6rg@example.com>"), ErrorKind::encoding, 12, "command");
}

TEST(CommandEncoding, Smtputf8OptionAllowsUtf8AndRequiresItWellFormed) {
    EXPECT_TRUE(parse_command("RCPT TO:<j\xC3\xB6rg@\xE4\xBE\x8B.example>", utf8()).ok());
    auto const bad = parse_command("RCPT TO:<j\xC3rg@example.com>", utf8());
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind, ErrorKind::encoding);
    EXPECT_EQ(bad.error().offset, 10u);
}

// ---------------------------------------------------------------- lenient mode

struct Lenient {
    std::string input;
    std::string deviation;
    std::size_t offset;
    std::string printed;
};

class LenientRepair : public ::testing::TestWithParam<Lenient> {};

TEST_P(LenientRepair, StrictRejectsLenientAcceptsWithTheNamedDeviation) {
    auto const& c = GetParam();
    EXPECT_FALSE(parse_command(c.input).ok());
    auto const r = parse_command(c.input, lenient());
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r.deviations().size(), 1u);
    EXPECT_EQ(r.deviations()[0].id, c.deviation);
    EXPECT_EQ(r.deviations()[0].offset, c.offset);
    EXPECT_NE(r.deviations()[0].message.find("RFC"), std::string::npos);
    EXPECT_EQ(print(r.value()), c.printed);
}

INSTANTIATE_TEST_SUITE_P(
    Command, LenientRepair,
    ::testing::Values(Lenient{"MAIL FROM: <a@b>", "space-after-colon", 10, "MAIL FROM:<a@b>\r\n"},
                      Lenient{"RCPT TO:  <a@b>", "space-after-colon", 8, "RCPT TO:<a@b>\r\n"},
                      Lenient{"MAIL FROM :<a@b>", "space-before-colon", 9, "MAIL FROM:<a@b>\r\n"},
                      Lenient{"RCPT TO :<a@b>", "space-before-colon", 7, "RCPT TO:<a@b>\r\n"},
                      Lenient{"MAIL FROM:a@b", "missing-angle-brackets", 10, "MAIL FROM:<a@b>\r\n"},
                      Lenient{"RCPT TO:a@b SIZE=1", "missing-angle-brackets", 8, "RCPT TO:<a@b> SIZE=1\r\n"},
                      Lenient{"QUIT ", "trailing-whitespace", 4, "QUIT\r\n"},
                      Lenient{"MAIL FROM:<a@b> \t \r\n", "trailing-whitespace", 15, "MAIL FROM:<a@b>\r\n"},
                      Lenient{"MAIL  FROM:<a@b>", "repeated-spaces", 5, "MAIL FROM:<a@b>\r\n"},
                      Lenient{"RCPT TO:<a@b>   NOTIFY=NEVER", "repeated-spaces", 14, "RCPT TO:<a@b> NOTIFY=NEVER\r\n"},
                      Lenient{"QUIT\n", "bare-lf", 4, "QUIT\r\n"},
                      Lenient{"HELO [192.0.2.1]", "helo-address-literal", 5, "HELO 192.0.2.1\r\n"}));

TEST(Lenient, SeveralDeviationsInOneLine) {
    auto const r = parse_command("MAIL FROM: a@b  SIZE=10 \n", lenient());
    ASSERT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> ids;
    for (auto const& d : r.deviations()) ids.push_back(d.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"space-after-colon", "missing-angle-brackets", "repeated-spaces",
                                             "trailing-whitespace", "bare-lf"}));
    EXPECT_EQ(print(r.value()), "MAIL FROM:<a@b> SIZE=10\r\n");
}

TEST(Lenient, UnrepairableLineKeepsTheStrictError) {
    auto const strict = parse_command("MAIL FROM:<a@b> SIZE=abc");
    auto const loose = parse_command("MAIL FROM:<a@b> SIZE=abc", lenient());
    ASSERT_FALSE(loose.ok());
    EXPECT_EQ(loose.error(), strict.error());
}

TEST(Lenient, HeloWithIpv6LiteralIsNotRepaired) {
    EXPECT_FALSE(parse_command("HELO [IPv6:2001:db8::1]", lenient()).ok());
}

TEST(Lenient, RepairsAreNamedAndCiteTheRfc) {
    for (auto const& repair : detail::command_repairs()) {
        EXPECT_NE(std::string(repair.id), "");
        EXPECT_NE(std::string(repair.message).find("RFC"), std::string::npos) << repair.id;
    }
}

// ---------------------------------------------------------------- parameters

TEST(Param, TypedValues) {
    EXPECT_EQ(parse_param("size=0001").value(), ast::Param{ast::SizeParam{1}});
    EXPECT_EQ(parse_param("SIZE=18446744073709551615").value(), ast::Param{ast::SizeParam{18446744073709551615u}});
    EXPECT_EQ(parse_param("BODY=binarymime").value(), ast::Param{ast::BodyParam{ast::BodyParam::Type::binary_mime}});
    EXPECT_EQ(parse_param("SmtpUtf8").value(), ast::Param{ast::SmtpUtf8Param{}});
    EXPECT_EQ(parse_param("AUTH=<>").value(), ast::Param{ast::AuthParam{"<>"}});
    EXPECT_EQ(parse_param("AUTH=e+3Dmc2@example.com").value(), ast::Param{ast::AuthParam{"e=mc2@example.com"}});
    // RFC 4954 §8 writes hexchar with HEXDIG, of either case; RFC 3461 §4 with upper case only.
    EXPECT_EQ(parse_param("AUTH=e+3dmc2@example.com").value(), ast::Param{ast::AuthParam{"e=mc2@example.com"}});
    EXPECT_EQ(parse_param("RET=hdrs").value(), ast::Param{ast::RetParam{ast::RetParam::Type::hdrs}});
    EXPECT_EQ(parse_param("ENVID=QQ314159").value(), ast::Param{ast::EnvidParam{"QQ314159"}});
    EXPECT_EQ(parse_param("NOTIFY=never").value(), ast::Param{(ast::NotifyParam{true, false, false, false})});
    EXPECT_EQ(parse_param("NOTIFY=FAILURE").value(), ast::Param{(ast::NotifyParam{false, false, true, false})});
    EXPECT_EQ(parse_param("ORCPT=rfc822;+2B").value(), ast::Param{(ast::OrcptParam{"rfc822", "+"})});
}

TEST(Param, UnknownKeywordsAreGeneric) {
    EXPECT_EQ(parse_param("X-FOO").value(), ast::Param{(ast::GenericParam{"X-FOO", std::nullopt})});
    EXPECT_EQ(parse_param("MT-PRIORITY=3").value(), ast::Param{(ast::GenericParam{"MT-PRIORITY", "3"})});
    // A longer keyword that starts like a typed one is another keyword.
    EXPECT_EQ(parse_param("SIZEX=a").value(), ast::Param{(ast::GenericParam{"SIZEX", "a"})});
}

TEST(Param, MalformedValuesOfTypedKeywords) {
    auto check = [](std::string_view text, std::size_t offset, std::string const& expected) {
        auto const r = parse_param(text);
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.error().kind, ErrorKind::syntax) << text;
        EXPECT_EQ(r.error().offset, offset) << text;
        EXPECT_EQ(r.error().expected, expected) << text;
    };
    check("SIZE=abc", 5, "size-value");
    check("SIZE=99999999999999999999", 5, "size-value");
    check("SIZE=123456789012345678901", 5, "size-value");
    check("SIZE", 4, "'='");
    check("BODY=9BIT", 5, "body-value");
    check("RET=ALL", 4, "ret-value");
    check("NOTIFY=NEVER,DELAY", 7, "notify-esmtp-value");
    check("NOTIFY=SUCCESS,SOMETIMES", 14, "notify-esmtp-value");
    check("ENVID=", 6, "xtext");
    check("AUTH=+4g", 5, "hexchar");
    check("ENVID=+4a", 6, "hexchar");
    check("ORCPT=rfc822;+e9", 13, "hexchar");
    check("ORCPT=rfc822", 12, "';'");
    check("ORCPT=;a@b", 6, "original-recipient-address");
    check("X-FOO=", 6, "esmtp-value");
}

TEST(Param, PrintEncodesXtext) {
    EXPECT_EQ(print(ast::Param{ast::EnvidParam{"a+b=c d\x01"}}), "ENVID=a+2Bb+3Dc+20d+01");
    EXPECT_EQ(print(ast::Param{ast::AuthParam{"<>"}}), "AUTH=<>");
    EXPECT_EQ(print(ast::Param{(ast::OrcptParam{"rfc822", "\xC3\xA9@b"})}), "ORCPT=rfc822;+C3+A9@b");
    EXPECT_EQ(print(ast::Param{(ast::NotifyParam{false, true, true, true})}), "NOTIFY=SUCCESS,FAILURE,DELAY");
}

TEST(Param, NonAsciiValues) {
    auto const r = parse_param("X-NAME=caf\xC3\xA9");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::encoding);
    EXPECT_EQ(r.error().offset, 10u);
    EXPECT_TRUE(parse_param("X-NAME=caf\xC3\xA9", utf8()).ok());
    // xtext carries non-ASCII only as hexchar (RFC 4954 §8), even with SMTPUTF8.
    auto const x = parse_param("ENVID=caf\xC3\xA9", utf8());
    ASSERT_FALSE(x.ok());
    EXPECT_EQ(x.error().offset, 9u);
    EXPECT_EQ(x.error().expected, "xtext");
}

}  // namespace
