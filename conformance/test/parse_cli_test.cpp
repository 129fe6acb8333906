// `smtpspec parse`: the built program, run as a user runs it, checked for its
// output and exit status; and the escape decoding and display it relies on.
#include "parse_verb.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include <nlohmann/json.hpp>

namespace {

using smtpspec::test::lines;
using smtpspec::test::Outcome;
using smtpspec::test::slurp;
using smtpspec::test::smtpspec;

using nlohmann::json;

// The column of the caret on the line of `err` that consists of spaces and one '^'.
std::ptrdiff_t caret_column(std::string const& err) {
    for (auto const& line : lines(err)) {
        auto const at = line.find('^');
        if (at != std::string::npos && line.find_first_not_of(' ') == at && at + 1 == line.size())
            return static_cast<std::ptrdiff_t>(at);
    }
    return -1;
}

json parsed(Outcome const& o) { return json::parse(o.out); }

TEST(ParseCli, MailWithQuotedLocalPartIpv6AndParametersPrintsTheAst) {
    auto const o =
        smtpspec({"parse", "command", R"(MAIL FROM:<"john doe"@[IPv6:2001:db8::1]> SIZE=1000 BODY=8BITMIME)"});
    ASSERT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.err, "");
    ASSERT_FALSE(o.out.empty());
    EXPECT_EQ(o.out.back(), '\n');
    // Pretty-printed with two spaces.
    auto const l = lines(o.out);
    ASSERT_GE(l.size(), 3u);
    EXPECT_EQ(l[0], "{");
    EXPECT_EQ(l[1], R"(  "command": "MAIL",)");

    auto const j = parsed(o);
    EXPECT_EQ(j["command"], "MAIL");
    EXPECT_EQ(j["from"]["null"], false);
    auto const& mailbox = j["from"]["path"]["mailbox"];
    EXPECT_EQ(mailbox["local_part"]["value"], "john doe");
    EXPECT_EQ(mailbox["local_part"]["quoted"], true);
    EXPECT_EQ(mailbox["host"]["type"], "ipv6");
    EXPECT_EQ(mailbox["host"]["address"], "2001:db8::1");
    EXPECT_EQ(mailbox["host"]["form"], "comp");
    EXPECT_EQ(mailbox["host"]["head"], json::array({0x2001, 0xdb8}));
    EXPECT_EQ(mailbox["host"]["tail"], json::array({1}));
    EXPECT_EQ(j["from"]["path"]["source_route"], json::array());
    ASSERT_EQ(j["params"].size(), 2u);
    EXPECT_EQ(j["params"][0], json::parse(R"({"type":"size","keyword":"SIZE","size":1000})"));
    EXPECT_EQ(j["params"][1], json::parse(R"({"type":"body","keyword":"BODY","body":"8BITMIME"})"));
    // Strict mode: no deviations field.
    EXPECT_FALSE(j.contains("deviations"));
}

TEST(ParseCli, OutputIsIndentedByTwoSpacesWithScalarArraysOnOneLine) {
    auto const o = smtpspec({"parse", "command", "EHLO client.example.com"});
    ASSERT_EQ(o.status, 0) << o.err;
    std::string const expected =
        "{\n"
        "  \"command\": \"EHLO\",\n"
        "  \"host\": {\n"
        "    \"type\": \"domain\",\n"
        "    \"name\": \"client.example.com\",\n"
        "    \"labels\": [\"client\", \"example\", \"com\"]\n"
        "  }\n"
        "}\n";
    EXPECT_EQ(o.out, expected);
}

TEST(ParseCli, SpaceAfterColonIsASyntaxErrorWithTheCaretUnderTheSpace) {
    auto const o = smtpspec({"parse", "command", "MAIL FROM: <a@b>"});
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.out, "");
    auto const l = lines(o.err);
    ASSERT_GE(l.size(), 4u) << o.err;
    EXPECT_NE(l[0].find("syntax error at offset 10"), std::string::npos) << o.err;
    EXPECT_NE(l[0].find(", expected "), std::string::npos) << o.err;
    EXPECT_EQ(l[1], "  MAIL FROM: <a@b>");
    EXPECT_EQ(l[2], "  " + std::string(10, ' ') + "^");
    EXPECT_EQ(caret_column(o.err), 2 + 10);
}

TEST(ParseCli, SpaceAfterColonIsAcceptedLenientlyAndNamed) {
    auto const o = smtpspec({"parse", "command", "--lenient", "MAIL FROM: <a@b>"});
    ASSERT_EQ(o.status, 0) << o.err;
    auto const j = parsed(o);
    EXPECT_EQ(j["command"], "MAIL");
    EXPECT_EQ(j["from"]["path"]["mailbox"]["local_part"]["value"], "a");
    EXPECT_EQ(j["from"]["path"]["mailbox"]["host"]["name"], "b");
    ASSERT_TRUE(j.contains("deviations"));
    ASSERT_EQ(j["deviations"].size(), 1u);
    EXPECT_EQ(j["deviations"][0]["id"], "space-after-colon");
    EXPECT_EQ(j["deviations"][0]["offset"], 10);
    EXPECT_FALSE(j["deviations"][0]["message"].get<std::string>().empty());
}

TEST(ParseCli, LenientModeListsNoDeviationsForConformingInput) {
    auto const o = smtpspec({"parse", "--lenient", "command", "MAIL FROM:<a@b>"});
    ASSERT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(parsed(o)["deviations"], json::array());
}

TEST(ParseCli, EscapesInTextAreDecodedSoRepliesCanBeTyped) {
    auto const o = smtpspec({"parse", "reply", R"(250-mx.example.org\r\n250 2.1.0 Ok\r\n)"});
    ASSERT_EQ(o.status, 0) << o.err;
    auto const j = parsed(o);
    EXPECT_EQ(j["code"], 250);
    ASSERT_EQ(j["lines"].size(), 2u);
    EXPECT_EQ(j["lines"][0]["text"], "mx.example.org");
    EXPECT_EQ(j["lines"][1]["enhanced"]["text"], "2.1.0");
    EXPECT_EQ(j["lines"][1]["text"], "Ok");

    auto const hex = smtpspec({"parse", "command", R"(VRFY \x61lice)"});
    ASSERT_EQ(hex.status, 0) << hex.err;
    EXPECT_EQ(parsed(hex)["value"], "alice");
}

TEST(ParseCli, DashReadsStdinWithoutDecodingEscapes) {
    auto const o = smtpspec({"parse", "reply", "-"}, "221 2.0.0 Bye\r\n");
    ASSERT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(parsed(o)["code"], 221);

    // The same backslash that TEXT decodes is a plain byte on stdin.
    auto const literal = smtpspec({"parse", "command", "-"}, R"(VRFY \x61lice)");
    EXPECT_EQ(literal.status, 1);
    EXPECT_NE(literal.err.find(R"(VRFY \\x61lice)"), std::string::npos) << literal.err;
}

TEST(ParseCli, CaretPointsAtTheOffendingByteOfAnEscapedInput) {
    // The second line's code differs from the first's (RFC 5321 §4.2).
    std::string const input = "250-a\r\n251 b\r\n";
    auto const o = smtpspec({"parse", "reply", R"(250-a\r\n251 b\r\n)"});
    ASSERT_EQ(o.status, 1) << o.out;
    auto const at = o.err.find(" at offset ");
    ASSERT_NE(at, std::string::npos) << o.err;
    std::size_t const offset = std::stoul(o.err.substr(at + 11));
    ASSERT_LE(offset, input.size());
    std::vector<std::size_t> columns;
    auto const shown = smtpspec::cli::show_bytes(input, &columns);
    EXPECT_EQ(lines(o.err)[1], "  " + shown);
    EXPECT_EQ(caret_column(o.err), static_cast<std::ptrdiff_t>(2 + columns[offset]));
}

TEST(ParseCli, LongInputIsShownAsAWindowAroundTheError) {
    std::string const text = "MAIL FROM:<a@example.org> X-PAD=" + std::string(150, 'v') + " SIZE=x";
    auto const o = smtpspec({"parse", "command", text});
    ASSERT_EQ(o.status, 1);
    auto const l = lines(o.err);
    ASSERT_GE(l.size(), 3u);
    EXPECT_LT(l[1].size(), 90u);
    EXPECT_EQ(l[1].substr(0, 5), "  ...");
    auto const caret = caret_column(o.err);
    ASSERT_GT(caret, 0);
    // The caret is under the byte the error names.
    auto const at = o.err.find(" at offset ");
    std::size_t const offset = std::stoul(o.err.substr(at + 11));
    ASSERT_LT(static_cast<std::size_t>(caret), l[1].size());
    EXPECT_EQ(l[1][static_cast<std::size_t>(caret)], offset < text.size() ? text[offset] : ' ');
}

TEST(ParseCli, EveryKindParsesATypicalInput) {
    struct Case {
        const char* kind;
        const char* text;
        const char* pointer;  // JSON pointer into the output
        json expected;
    };
    Case const cases[] = {
        {"command", "EHLO client.example.com", "/host/labels", json::array({"client", "example", "com"})},
        {"command", "RCPT TO:<Postmaster>", "/to/bare_postmaster", true},
        {"command", "BDAT 1000 LAST", "/last", true},
        {"reply", "354 Start mail input\\r\\n", "/code", 354},
        {"greeting", "220 mx.example.org ESMTP\\r\\n", "/host/name", "mx.example.org"},
        {"ehlo-reply", "250-mx.example.org\\r\\n250-SIZE 1000\\r\\n250 8BITMIME\\r\\n", "/lines/0/params/0", "1000"},
        {"enhanced-code", "5.1.1", "/class", 5},
        {"path", "<@relay.example:a@b.example>", "/source_route/0/name", "relay.example"},
        {"reverse-path", "<>", "/null", true},
        {"forward-path", "<a@[192.0.2.1]>", "/path/mailbox/host/octets", json::array({192, 0, 2, 1})},
        {"mailbox", "a.b@example.org", "/local_part/quoted", false},
        {"domain", "mx1.example.org", "/type", "domain"},
        {"param", "NOTIFY=SUCCESS,DELAY", "/delay", true},
    };
    for (auto const& c : cases) {
        auto const o = smtpspec({"parse", c.kind, c.text});
        ASSERT_EQ(o.status, 0) << c.kind << " " << c.text << "\n" << o.err;
        EXPECT_EQ(parsed(o).at(json::json_pointer(c.pointer)), c.expected) << c.kind << " " << c.text << "\n" << o.out;
    }
}

TEST(ParseCli, Smtputf8AllowsUtf8Addresses) {
    std::string const mailbox = "\xc3\xbc@example.org";  // ü@example.org
    auto const strict = smtpspec({"parse", "mailbox", mailbox});
    EXPECT_EQ(strict.status, 1);
    EXPECT_NE(strict.err.find("encoding error"), std::string::npos) << strict.err;
    EXPECT_NE(strict.err.find(R"(\xc3\xbc@example.org)"), std::string::npos) << strict.err;

    auto const utf8 = smtpspec({"parse", "--smtputf8", "mailbox", mailbox});
    ASSERT_EQ(utf8.status, 0) << utf8.err;
    EXPECT_EQ(parsed(utf8)["local_part"]["value"], "\xc3\xbc");
}

TEST(ParseCli, UsageErrorsExitTwoWithOneLineNamingTheFix) {
    struct Case {
        std::vector<std::string> args;
        const char* says;
    };
    Case const cases[] = {
        {{"parse", "sentence", "hello"}, "use one of: command, reply"},
        {{"parse", "command"}, "--help"},
        {{"parse", "command", R"(NOOP \q)"}, "use \\r \\n \\t \\\\ or \\xHH"},
        {{"parse", "command", R"(NOOP \x4)"}, "two hex digits"},
        {{"parse", "command", R"(NOOP \)"}, "lone backslash"},
        {{}, "--help"},
        {{"frobnicate"}, "unknown verb 'frobnicate'; use one of: run, "},
        {{"parse", "--frob", "command", "QUIT"}, "--help"},
    };
    for (auto const& c : cases) {
        auto const o = smtpspec(c.args);
        EXPECT_EQ(o.status, 2) << o.err;
        EXPECT_EQ(o.out, "");
        EXPECT_EQ(lines(o.err).size(), 1u) << o.err;
        EXPECT_NE(o.err.find(c.says), std::string::npos) << o.err;
    }
}

TEST(ParseCli, HelpExitsZeroAndNamesEveryKind) {
    auto const o = smtpspec({"parse", "--help"});
    EXPECT_EQ(o.status, 0);
    for (auto const& kind : smtpspec::cli::parse_kinds()) EXPECT_NE(o.out.find(kind), std::string::npos) << kind;
}

TEST(DecodeEscapes, DecodesTheFiveEscapesAndNothingElse) {
    std::optional<smtpspec::cli::DecodeError> error;
    EXPECT_EQ(smtpspec::cli::decode_escapes(R"(a\r\n\t\\\x00\xfFb)", error), std::string("a\r\n\t\\\0\xff" "b", 8));
    EXPECT_FALSE(error);
    EXPECT_EQ(smtpspec::cli::decode_escapes("plain <a@b> text", error), "plain <a@b> text");
    EXPECT_FALSE(error);
    smtpspec::cli::decode_escapes(R"(ab\zc)", error);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->position, 2u);
    smtpspec::cli::decode_escapes(R"(\xg0)", error);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->position, 0u);
}

TEST(ShowBytes, ShowsNonPrintablesAsEscapesAndMapsOffsetsToColumns) {
    std::vector<std::size_t> columns;
    std::string const shown = smtpspec::cli::show_bytes(std::string("a\r\n\\\x01\xc3 b", 8), &columns);
    EXPECT_EQ(shown, R"(a\r\n\\\x01\xc3 b)");
    EXPECT_EQ(columns, (std::vector<std::size_t>{0, 1, 3, 5, 7, 11, 15, 16, 17}));
    // Decoding what is shown gives the bytes back.
    std::optional<smtpspec::cli::DecodeError> error;
    EXPECT_EQ(smtpspec::cli::decode_escapes(shown, error), std::string("a\r\n\\\x01\xc3 b", 8));
}

}  // namespace
