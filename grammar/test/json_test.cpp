// JSON of the AST: the shapes docs/ast-json.md documents, built from AST values
// directly (no parsing involved).
#include "smtpspec/grammar/json.hpp"

#include <algorithm>
#include <cctype>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rapidcheck/gtest.h>

#include "smtpspec/grammar/generators.hpp"
#include "smtpspec/grammar/print.hpp"

namespace {

namespace ast = smtpspec::grammar::ast;
using smtpspec::grammar::to_json;
using nlohmann::json;

ast::Domain domain(std::vector<std::string> labels) { return ast::Domain{std::move(labels)}; }

ast::Path path(std::string local, ast::Host host, std::vector<ast::Domain> route = {}) {
    return ast::Path{std::move(route), ast::Mailbox{ast::LocalPart{std::move(local), false}, std::move(host)}};
}

TEST(Json, DomainHasItsNameAndLabels) {
    EXPECT_EQ(json::parse(to_json(domain({"mx", "Example", "org"}))),
              json::parse(R"({"type":"domain","name":"mx.Example.org","labels":["mx","Example","org"]})"));
}

TEST(Json, OutputIsCompactWithFieldsInDocumentedOrder) {
    EXPECT_EQ(to_json(domain({"a", "b"})), R"({"type":"domain","name":"a.b","labels":["a","b"]})");
    EXPECT_EQ(to_json(ast::EnhancedCode{5, 7, 1}), R"({"class":5,"subject":7,"detail":1,"text":"5.7.1"})");
}

TEST(Json, AddressLiteralsCarryTheirTypeAndTextualAddress) {
    EXPECT_EQ(json::parse(to_json(ast::AddressLiteral{ast::IPv4Literal{{192, 0, 2, 255}}})),
              json::parse(R"({"type":"ipv4","address":"192.0.2.255","octets":[192,0,2,255]})"));

    using Form = ast::IPv6Literal::Form;
    struct Case {
        ast::IPv6Literal literal;
        const char* address;
        const char* form;
    };
    Case const cases[] = {
        {{Form::full, {0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}, {}, std::nullopt}, "2001:db8:0:0:0:0:0:1", "full"},
        {{Form::comp, {0x2001, 0xdb8}, {1}, std::nullopt}, "2001:db8::1", "comp"},
        {{Form::comp, {}, {}, std::nullopt}, "::", "comp"},
        {{Form::v4full, {0, 0, 0, 0, 0, 0xffff}, {}, std::array<std::uint8_t, 4>{192, 0, 2, 1}},
         "0:0:0:0:0:ffff:192.0.2.1", "v4full"},
        {{Form::v4comp, {}, {0xffff}, std::array<std::uint8_t, 4>{192, 0, 2, 1}}, "::ffff:192.0.2.1", "v4comp"},
        {{Form::v4comp, {0xfe80}, {}, std::array<std::uint8_t, 4>{10, 0, 0, 1}}, "fe80::10.0.0.1", "v4comp"},
    };
    for (auto const& c : cases) {
        auto const j = json::parse(to_json(ast::AddressLiteral{c.literal}));
        EXPECT_EQ(j["type"], "ipv6");
        EXPECT_EQ(j["address"], c.address);
        EXPECT_EQ(j["form"], c.form);
        EXPECT_EQ(j["head"].size(), c.literal.head.size());
        EXPECT_EQ(j["tail"].size(), c.literal.tail.size());
        EXPECT_EQ(j["v4"].is_null(), !c.literal.v4);
    }

    EXPECT_EQ(json::parse(to_json(ast::Host{ast::AddressLiteral{ast::GeneralLiteral{"X-tag", "a:b"}}})),
              json::parse(R"({"type":"general","tag":"X-tag","content":"a:b"})"));
}

TEST(Json, ReversePathNullAndForwardPathBarePostmaster) {
    EXPECT_EQ(json::parse(to_json(ast::ReversePath{})), json::parse(R"({"null":true,"path":null})"));
    EXPECT_EQ(json::parse(to_json(ast::ForwardPath{})), json::parse(R"({"bare_postmaster":true,"path":null})"));

    auto const p = path("a", domain({"b"}), {domain({"relay"})});
    auto const j = json::parse(to_json(ast::ReversePath{p}));
    EXPECT_EQ(j["null"], false);
    EXPECT_EQ(j["path"]["source_route"][0]["name"], "relay");
    EXPECT_EQ(j["path"]["mailbox"]["local_part"], json::parse(R"({"value":"a","quoted":false})"));
    EXPECT_EQ(j["path"]["mailbox"]["host"]["name"], "b");
    EXPECT_EQ(json::parse(to_json(ast::ForwardPath{p}))["bare_postmaster"], false);
}

TEST(Json, EveryParamHasTypeAndKeyword) {
    struct Case {
        ast::Param param;
        const char* expected;
    };
    Case const cases[] = {
        {ast::SizeParam{18446744073709551615u}, R"({"type":"size","keyword":"SIZE","size":18446744073709551615})"},
        {ast::BodyParam{ast::BodyParam::Type::binary_mime}, R"({"type":"body","keyword":"BODY","body":"BINARYMIME"})"},
        {ast::SmtpUtf8Param{}, R"({"type":"smtputf8","keyword":"SMTPUTF8"})"},
        {ast::AuthParam{"<>"}, R"({"type":"auth","keyword":"AUTH","mailbox":"<>"})"},
        {ast::RetParam{ast::RetParam::Type::hdrs}, R"({"type":"ret","keyword":"RET","ret":"HDRS"})"},
        {ast::EnvidParam{"QQ314159"}, R"({"type":"envid","keyword":"ENVID","envid":"QQ314159"})"},
        {ast::NotifyParam{false, true, false, true},
         R"({"type":"notify","keyword":"NOTIFY","never":false,"success":true,"failure":false,"delay":true})"},
        {ast::OrcptParam{"rfc822", "a+b@example.org"},
         R"({"type":"orcpt","keyword":"ORCPT","addr_type":"rfc822","address":"a+b@example.org"})"},
        {ast::GenericParam{"X-Foo", "bar"}, R"({"type":"generic","keyword":"X-Foo","value":"bar"})"},
        {ast::GenericParam{"X-FLAG", std::nullopt}, R"({"type":"generic","keyword":"X-FLAG","value":null})"},
    };
    for (auto const& c : cases) EXPECT_EQ(to_json(c.param), c.expected);
}

TEST(Json, EveryCommandIsNamedByItsVerb) {
    struct Case {
        ast::Command command;
        const char* expected;
    };
    Case const cases[] = {
        {ast::Helo{domain({"c", "example"})},
         R"({"command":"HELO","domain":{"type":"domain","name":"c.example","labels":["c","example"]}})"},
        {ast::Data{}, R"({"command":"DATA"})"},
        {ast::Rset{}, R"({"command":"RSET"})"},
        {ast::Quit{}, R"({"command":"QUIT"})"},
        {ast::StartTls{}, R"({"command":"STARTTLS"})"},
        {ast::Vrfy{"john doe", true}, R"({"command":"VRFY","value":"john doe","quoted":true})"},
        {ast::Expn{"staff", false}, R"({"command":"EXPN","value":"staff","quoted":false})"},
        {ast::Help{std::nullopt, false}, R"({"command":"HELP","topic":null,"quoted":false})"},
        {ast::Noop{"x", false}, R"({"command":"NOOP","value":"x","quoted":false})"},
        {ast::Auth{"PLAIN", "="}, R"({"command":"AUTH","mechanism":"PLAIN","initial_response":"="})"},
        {ast::Auth{"LOGIN", std::nullopt}, R"({"command":"AUTH","mechanism":"LOGIN","initial_response":null})"},
        {ast::Bdat{0, true}, R"({"command":"BDAT","size":0,"last":true})"},
    };
    for (auto const& c : cases) EXPECT_EQ(to_json(c.command), c.expected);

    auto const ehlo = json::parse(to_json(ast::Command{ast::Ehlo{ast::AddressLiteral{ast::IPv4Literal{{127, 0, 0, 1}}}}}));
    EXPECT_EQ(ehlo["command"], "EHLO");
    EXPECT_EQ(ehlo["host"]["type"], "ipv4");

    auto const mail = json::parse(
        to_json(ast::Command{ast::Mail{ast::ReversePath{}, {ast::SizeParam{10}, ast::SmtpUtf8Param{}}}}));
    EXPECT_EQ(mail["command"], "MAIL");
    EXPECT_EQ(mail["from"]["null"], true);
    EXPECT_EQ(mail["params"].size(), 2u);
    EXPECT_EQ(mail["params"][1]["type"], "smtputf8");

    auto const rcpt = json::parse(to_json(ast::Command{ast::Rcpt{ast::ForwardPath{path("x", domain({"y"}))}, {}}}));
    EXPECT_EQ(rcpt["command"], "RCPT");
    EXPECT_EQ(rcpt["to"]["path"]["mailbox"]["local_part"]["value"], "x");
    EXPECT_EQ(rcpt["params"], json::array());
}

TEST(Json, RepliesGreetingsAndEhloReplies) {
    ast::Reply const reply{550, {{ast::EnhancedCode{5, 1, 1}, "No such user"}, {std::nullopt, ""}}};
    std::string const reply_json = R"({"code":550,"lines":[
        {"enhanced":{"class":5,"subject":1,"detail":1,"text":"5.1.1"},"text":"No such user"},
        {"enhanced":null,"text":""}]})";
    EXPECT_EQ(json::parse(to_json(reply)), json::parse(reply_json));

    ast::Greeting const greeting{domain({"mx", "example"}), "ESMTP ready", {"second line"}};
    auto const g = json::parse(to_json(greeting));
    EXPECT_EQ(g["host"]["name"], "mx.example");
    EXPECT_EQ(g["text"], "ESMTP ready");
    EXPECT_EQ(g["more"], json::array({"second line"}));

    ast::EhloReply const ehlo{domain({"mx"}), "hello", {{"SIZE", {"1000"}}, {"PIPELINING", {}}}};
    std::string const ehlo_json = R"({"host":{"type":"domain","name":"mx","labels":["mx"]},
        "greet":"hello","lines":[{"keyword":"SIZE","params":["1000"]},{"keyword":"PIPELINING","params":[]}]})";
    EXPECT_EQ(json::parse(to_json(ehlo)), json::parse(ehlo_json));
}

TEST(Json, ErrorsAndDeviations) {
    smtpspec::grammar::ParseError const e{smtpspec::grammar::ErrorKind::limit, 11, "Local-part", "too long"};
    EXPECT_EQ(to_json(e), R"({"kind":"limit","offset":11,"expected":"Local-part","message":"too long"})");
    smtpspec::grammar::Deviation const d{"space-after-colon", 10, "SP after FROM: (RFC 5321 §4.1.1.2)"};
    EXPECT_EQ(json::parse(to_json(d)),
              json::parse(R"j({"id":"space-after-colon","offset":10,"message":"SP after FROM: (RFC 5321 §4.1.1.2)"})j"));
    EXPECT_STREQ(smtpspec::grammar::to_string(smtpspec::grammar::ErrorKind::encoding), "encoding");
}

TEST(Json, StringsAreEscapedAndInvalidUtf8IsReplaced) {
    ast::Reply const reply{250, {{std::nullopt, "quote \" backslash \\ tab \t nul " + std::string(1, '\0')}}};
    EXPECT_EQ(json::parse(to_json(reply))["lines"][0]["text"], reply.lines[0].text);

    ast::Reply const utf8{250, {{std::nullopt, "gr\xc3\xbc\xc3\x9f"}}};
    EXPECT_EQ(json::parse(to_json(utf8))["lines"][0]["text"], "gr\xc3\xbc\xc3\x9f");

    ast::Reply const bad{250, {{std::nullopt, "a\xff" "b"}}};
    EXPECT_EQ(json::parse(to_json(bad))["lines"][0]["text"], "a\xef\xbf\xbd" "b");
}

// Properties over generated ASTs: the JSON is valid and agrees with the printer.

RC_GTEST_PROP(JsonProperty, CommandIsNamedByTheVerbThePrinterWrites, (ast::Command const& command)) {
    auto const j = json::parse(to_json(command));
    std::string const wire = smtpspec::grammar::print(command);
    std::string verb = wire.substr(0, wire.find_first_of(" \r"));
    std::transform(verb.begin(), verb.end(), verb.begin(), [](unsigned char c) { return std::toupper(c); });
    RC_ASSERT(j.at("command").get<std::string>() == verb);
    if (auto const* mail = std::get_if<ast::Mail>(&command)) {
        RC_ASSERT(j.at("params").size() == mail->params.size());
        RC_ASSERT(j.at("from").at("null").get<bool>() == !mail->from.path);
    }
}

RC_GTEST_PROP(JsonProperty, ReplyHasItsCodeAndEveryLine, (ast::Reply const& reply)) {
    auto const j = json::parse(to_json(reply));
    RC_ASSERT(j.at("code").get<unsigned>() == reply.code);
    RC_ASSERT(j.at("lines").size() == reply.lines.size());
    for (std::size_t i = 0; i < reply.lines.size(); ++i) {
        RC_ASSERT(j["lines"][i].at("text").get<std::string>() == reply.lines[i].text);
        RC_ASSERT(j["lines"][i].at("enhanced").is_null() == !reply.lines[i].enhanced);
    }
}

RC_GTEST_PROP(JsonProperty, EhloReplyHasEveryKeyword, (ast::EhloReply const& reply)) {
    auto const j = json::parse(to_json(reply));
    RC_ASSERT(j.at("lines").size() == reply.lines.size());
    for (std::size_t i = 0; i < reply.lines.size(); ++i)
        RC_ASSERT(j["lines"][i].at("keyword").get<std::string>() == reply.lines[i].keyword);
}

RC_GTEST_PROP(JsonProperty, PathHasItsRouteAndHostType, (ast::Path const& path)) {
    auto const j = json::parse(to_json(path));
    RC_ASSERT(j.at("source_route").size() == path.source_route.size());
    auto const type = j.at("mailbox").at("host").at("type").get<std::string>();
    if (std::holds_alternative<ast::Domain>(path.mailbox.host)) RC_ASSERT(type == "domain");
    else RC_ASSERT(type == "ipv4" || type == "ipv6" || type == "general");
}

}  // namespace
