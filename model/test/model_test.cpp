// Examples of expect / observe / respond, and the end-of-data recogniser.
#include "smtpspec/model/model.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vocabulary.hpp"

namespace smtpspec::model {
namespace {

namespace ast = grammar::ast;
using test::cmd;

ast::Reply reply(unsigned code, std::string text = "Ok") { return make_reply(code, std::move(text)); }

std::vector<std::string> rule_names(const Step& s) {
    std::vector<std::string> out;
    for (const Finding& f : s.findings) out.emplace_back(rule(f.rule).name);
    return out;
}

Policy plain_policy() {
    Policy p;
    p.enhanced_status_codes = false;
    return p;
}

// A session greeted and opened with EHLO (capabilities from the reference server).
State ready(Profile profile = Profile::relay, bool tls = false, Policy policy = plain_policy()) {
    State s;
    Input open = ConnectionOpened{profile, tls || profile == Profile::submissions};
    s = observe(s, open, respond(s, open, policy)).next;
    Input ehlo = cmd(ast::Ehlo{test::domain({"c", "example"})}, "EHLO c.example");
    return observe(s, ehlo, respond(s, ehlo, policy)).next;
}

const Input mail_from = cmd(ast::Mail{ast::ReversePath{test::path("a", {"example", "org"})}, {}}, "MAIL FROM:<a@example.org>");
const Input rcpt_to = cmd(ast::Rcpt{ast::ForwardPath{test::path("b", {"example", "net"})}, {}}, "RCPT TO:<b@example.net>");

TEST(Expect, GreetingAllows220And554) {
    Expectation e = expect(State{}, ConnectionOpened{});
    EXPECT_TRUE(e.allowed().contains(220));
    EXPECT_TRUE(e.allowed().contains(554));
    EXPECT_FALSE(e.allowed().contains(250));
    EXPECT_FALSE(e.misuse);
}

TEST(Expect, SubmissionsWithoutTlsIsMisuse) {
    EXPECT_TRUE(expect(State{}, ConnectionOpened{Profile::submissions, false}).misuse);
}

TEST(Observe, RcptBeforeMailMustBe503) {
    State s = ready();
    Step ok = observe(s, rcpt_to, reply(503, "5.5.1 Need MAIL"));
    EXPECT_TRUE(ok.findings.empty());
    Step bad = observe(s, rcpt_to, reply(250));
    ASSERT_FALSE(bad.findings.empty());
    EXPECT_EQ(rule_names(bad).front(), "rfc5321/3.3/rcpt-needs-mail");
    EXPECT_EQ(bad.findings.front().level, Level::must);
}

TEST(Observe, RefusedRecipientAddsNone) {
    State s = observe(ready(), mail_from, reply(250)).next;
    ASSERT_EQ(s.phase, Phase::mail);
    State refused = observe(s, rcpt_to, reply(550, "No such user")).next;
    EXPECT_EQ(refused.transaction.recipients, 0u);
    EXPECT_EQ(refused.phase, Phase::mail);
    State accepted = observe(s, rcpt_to, reply(250)).next;
    EXPECT_EQ(accepted.transaction.recipients, 1u);
    EXPECT_EQ(accepted.phase, Phase::rcpt);
}

TEST(Observe, UnknownCommand502IsAWarningNotAFailure) {
    State s = ready();
    Input junk = UnparsedLine{"XYZZY\r\n", test::error(grammar::ErrorKind::syntax)};
    Step st = observe(s, junk, reply(502, "Error: command not recognized"));
    ASSERT_EQ(st.findings.size(), 1u);
    EXPECT_EQ(rule_names(st).front(), "rfc5321/4.2.4/unknown-command-500");
    EXPECT_EQ(st.findings.front().level, Level::should);
    Step closed = observe(s, junk, Closed{});
    EXPECT_EQ(rule_names(closed).front(), "rfc5321/3.8/no-close");
}

TEST(Observe, Any421IsAllowedAndCloses) {
    State s = observe(ready(), mail_from, reply(250)).next;
    Step st = observe(s, rcpt_to, reply(421, "Shutting down"));
    ASSERT_EQ(st.findings.size(), 1u);  // noted, never a failure
    EXPECT_EQ(rule_names(st).front(), "rfc5321/3.8/shutdown-421");
    EXPECT_EQ(st.findings.front().level, Level::info);
    EXPECT_EQ(st.next.phase, Phase::closing);
    Step closed = observe(st.next, ServerClosed{}, Silence{});
    EXPECT_TRUE(closed.findings.empty());
    EXPECT_EQ(closed.next.phase, Phase::closed);
}

TEST(Observe, QuitThen221ThenClose) {
    State s = ready();
    Step bye = observe(s, cmd(ast::Quit{}, "QUIT"), reply(221, "Bye"));
    EXPECT_TRUE(bye.findings.empty());
    EXPECT_EQ(bye.next.phase, Phase::closing);
    Step wrong = observe(s, cmd(ast::Quit{}, "QUIT"), reply(250, "Bye"));
    EXPECT_EQ(rule_names(wrong).front(), "rfc5321/4.1.1.10/quit-221");
    Step early = observe(s, ServerClosed{}, Silence{});
    EXPECT_EQ(rule_names(early).front(), "rfc5321/3.8/no-close");
}

TEST(Observe, StartTlsResetsTheSession) {
    State s = observe(ready(), mail_from, reply(250)).next;
    s.authenticated = true;
    s = observe(s, cmd(ast::StartTls{}, "STARTTLS"), reply(220, "Go ahead")).next;
    ASSERT_EQ(s.phase, Phase::tls_pending);
    Step done = observe(s, TlsEstablished{}, Silence{});
    EXPECT_EQ(done.next, fresh_tls_state(Profile::relay));
    // RCPT before a new MAIL: the server kept the transaction from before the handshake.
    Step rcpt = observe(done.next, rcpt_to, reply(250));
    EXPECT_EQ(rule_names(rcpt).front(), "rfc3207/4.2/reset-after-tls");
}

TEST(Observe, CommandPipelinedAfterStartTlsMustBeDiscarded) {
    State s = observe(ready(), cmd(ast::StartTls{}, "STARTTLS"), reply(220, "Go ahead")).next;
    Step injected = observe(s, mail_from, Silence{});
    EXPECT_TRUE(injected.findings.empty());
    Step tls = observe(injected.next, TlsEstablished{}, Silence{});
    Step answered = observe(tls.next, Idle{}, reply(250));
    EXPECT_EQ(rule_names(answered).front(), "rfc3207/4.2/discard-pipelined");
}

TEST(Observe, StartTlsInsideTlsIsNot220) {
    State s = ready(Profile::relay, true);
    Step st = observe(s, cmd(ast::StartTls{}, "STARTTLS"), reply(220));
    EXPECT_EQ(rule_names(st).front(), "rfc3207/4.2/tls-active-known");
}

TEST(Observe, SubmissionWantsAuthBeforeMail) {
    State s = ready(Profile::submission);
    Step accepted = observe(s, mail_from, reply(250, "2.1.0 Ok"));
    ASSERT_EQ(accepted.findings.size(), 1u);
    EXPECT_EQ(rule_names(accepted).front(), "rfc6409/4.3/require-auth");
    EXPECT_EQ(accepted.findings.front().level, Level::must);
    // RFC 6409 §4.3: "unless it has already independently established authentication or
    // authorization": for a client the operator declares trusted, accepting is only noted.
    State trusted = s;
    trusted.trusted = true;
    Step noted = observe(trusted, mail_from, reply(250, "2.1.0 Ok"));
    ASSERT_EQ(noted.findings.size(), 1u);
    EXPECT_EQ(rule_names(noted).front(), "rfc6409/4.3/independent-authorization");
    EXPECT_EQ(noted.findings.front().level, Level::info);
    Step wrong_code = observe(s, mail_from, reply(550, "5.7.1 No"));
    ASSERT_EQ(wrong_code.findings.size(), 1u);
    EXPECT_EQ(rule_names(wrong_code).front(), "rfc4954/6/auth-required-530");
    Step right = observe(s, mail_from, make_reply(530, "Authentication required", ast::EnhancedCode{5, 7, 0}));
    EXPECT_TRUE(right.findings.empty());
}

TEST(Observe, EnhancedCodesWhenAdvertised) {
    State s = ready(Profile::relay, false, Policy{});
    ASSERT_TRUE(s.capabilities.enhanced_status_codes);
    Step missing = observe(s, mail_from, reply(250, "Ok"));
    EXPECT_EQ(rule_names(missing).front(), "rfc2034/4/enhanced-code-present");
    Step wrong = observe(s, mail_from, make_reply(250, "Ok", ast::EnhancedCode{5, 1, 0}));
    EXPECT_EQ(rule_names(wrong).front(), "rfc2034/4/enhanced-code-class");
}

TEST(Observe, EhloReplyInsideTlsMustNotListStartTls) {
    State s = observe(State{}, ConnectionOpened{Profile::relay, true}, reply(220, "mx")).next;
    ast::Reply r = reply(250, "mx.example.org");
    r.lines.push_back({std::nullopt, "STARTTLS"});
    Step st = observe(s, cmd(ast::Ehlo{test::domain({"c", "example"})}, "EHLO c.example"), r);
    EXPECT_EQ(rule_names(st).front(), "rfc3207/4.2/no-starttls-after-tls");
}

TEST(Observe, MisuseIsNotAFinding) {
    Step st = observe(ready(), MessageText{"hello\r\n"}, Silence{});
    ASSERT_TRUE(st.misuse);
    EXPECT_TRUE(st.findings.empty());
    EXPECT_EQ(st.next, ready());
}

TEST(Observe, AuthCancelIs501) {
    State s = ready(Profile::submission, true);
    s = observe(s, cmd(ast::Auth{"PLAIN", std::nullopt}, "AUTH PLAIN"), make_reply(334, "")).next;
    ASSERT_EQ(s.phase, Phase::auth);
    Step cancel = observe(s, AuthLine{"*"}, make_reply(535, "Nope", ast::EnhancedCode{5, 7, 8}));
    EXPECT_EQ(rule_names(cancel).front(), "rfc4954/4/auth-cancel-501");
    EXPECT_EQ(cancel.next.phase, Phase::ready);
    EXPECT_FALSE(cancel.next.authenticated);
}

// ---------------------------------------------------------------- end of data

std::size_t feed_split(std::string_view text, std::size_t at, DataScan& scan) {
    std::size_t first = end_of_data(scan, text.substr(0, at));
    if (first != npos) return first;
    std::size_t second = end_of_data(scan, text.substr(at));
    return second == npos ? npos : at + second;
}

TEST(EndOfData, OnlyCrLfDotCrLfEndsTheData) {
    struct Case {
        std::string text;
        std::size_t end;  // npos: no end of data
        bool lookalike;
    };
    const std::vector<Case> cases{
        {"Subject: x\r\n\r\nbody\r\n.\r\n", 23, false},
        {".\r\n", 3, false},  // no mail data: the DATA command's CRLF is the first one
        {"a\r\n..\r\n.\r\n", 10, false},  // a stuffed dot line is text
        {"a\n.\nb\r\n", npos, true},       // <LF>.<LF>
        {"a\r\n.\nb\r\n", npos, true},     // <CRLF>.<LF>
        {"a\n.\r\nb\r\n", npos, true},     // <LF>.<CRLF>
        {"a\r.\rb\r\n", npos, true},       // <CR>.<CR>
        {"a\r\n.\rb\r\n", npos, true},     // <CRLF>.<CR>
        {"a\r\n.x\r\n", npos, false},
    };
    for (const Case& c : cases) {
        for (std::size_t at = 0; at <= c.text.size(); ++at) {
            DataScan scan;
            EXPECT_EQ(feed_split(c.text, at, scan), c.end) << "split at " << at << " of " << testing::PrintToString(c.text);
            if (c.end == npos) {
                EXPECT_EQ(scan.lookalike, c.lookalike) << testing::PrintToString(c.text);
            }
        }
    }
}

TEST(EndOfData, CountsMessageOctetsWithoutStuffingOrMarker) {
    DataScan scan;
    EXPECT_NE(end_of_data(scan, "ab\r\n..c\r\n.\r\n"), npos);
    EXPECT_EQ(scan.octets, std::string("ab\r\n.c\r\n").size());
}

TEST(Capabilities, FromEhloReply) {
    ast::Reply r = reply(250, "mx.example.org Hello");
    for (const char* l : {"PIPELINING", "size 1000", "8BITMIME", "AUTH plain LOGIN", "ENHANCEDSTATUSCODES", "CHUNKING"})
        r.lines.push_back({std::nullopt, l});
    grammar::Capabilities c = capabilities_of(r);
    EXPECT_TRUE(c.pipelining);
    EXPECT_TRUE(c.size);
    EXPECT_EQ(c.size_limit, std::optional<std::uint64_t>(1000));
    EXPECT_TRUE(c.eight_bit_mime);
    EXPECT_TRUE(c.auth);
    EXPECT_EQ(c.auth_mechanisms, (std::vector<std::string>{"PLAIN", "LOGIN"}));
    EXPECT_TRUE(c.enhanced_status_codes);
    EXPECT_TRUE(c.chunking);
    EXPECT_FALSE(c.starttls);
}

TEST(CodeSet, Basics) {
    CodeSet s{250, 251};
    EXPECT_TRUE(s.contains(250));
    EXPECT_FALSE(s.contains(252));
    EXPECT_EQ(s.to_string(), "250, 251");
    EXPECT_EQ((CodeSet::cls(4) | CodeSet{503}).to_string(), "4yz, 503");
    EXPECT_TRUE((CodeSet::all() - CodeSet{500}).contains(501));
    EXPECT_FALSE((CodeSet::all() - CodeSet{500}).contains(500));
    EXPECT_FALSE(CodeSet::all().contains(600));
}

}  // namespace
}  // namespace smtpspec::model
