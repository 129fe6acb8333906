#include "smtpspec/conformance/server/core.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "smtpspec/model/transcript.hpp"

namespace smtpspec::conformance::server {
namespace {

using model::Phase;
using model::Profile;

Config relay() { return Config{}; }

Config keeping() {
    Config c;
    c.keep_messages = true;
    return c;
}

// The reply lines of `out`, one string each (without CRLF).
std::vector<std::string> lines_of(const std::string& out) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < out.size()) {
        std::size_t end = out.find("\r\n", pos);
        if (end == std::string::npos) end = out.size();
        lines.push_back(out.substr(pos, end - pos));
        pos = end + 2;
    }
    return lines;
}

// The codes of the complete replies in `out` (a line whose fourth octet is not "-").
std::vector<unsigned> codes_of(const std::string& out) {
    std::vector<unsigned> codes;
    for (const std::string& l : lines_of(out))
        if (l.size() >= 3 && (l.size() == 3 || l[3] != '-')) codes.push_back(static_cast<unsigned>(std::stoul(l.substr(0, 3))));
    return codes;
}

// A transcript of one exchange: the client bytes as one `C: ` line (the escapes
// of model/transcript.hpp), then the server's reply lines.
std::string escape(std::string_view bytes) {
    std::string out;
    for (char c : bytes) {
        if (c == '\r') out += "\\r";
        else if (c == '\n') out += "\\n";
        else if (c == '\\') out += "\\\\";
        else out += c;
    }
    return out;
}

struct Dialogue {
    Core core;
    std::string transcript;
    explicit Dialogue(Config c, bool tls = false) : core(std::move(c), tls) {
        core.open();
        server(core.take_output());
    }
    void server(const std::string& out) {
        for (const std::string& l : lines_of(out)) transcript += "S: " + l + "\n";
    }
    std::string say(std::string_view bytes) {
        transcript += "C: " + escape(bytes) + "\\\n";
        core.feed(bytes);
        std::string out = core.take_output();
        server(out);
        return out;
    }
    void tls() {
        core.tls_established();
        transcript += "*TLS*\n";
        server(core.take_output());
    }
    model::ReplayResult replay(Profile p = Profile::relay, bool tls = false) {
        if (core.should_close()) transcript += "*SERVER CLOSED*\n";
        return model::replay(transcript, model::ReplayOptions{p, tls});
    }
};

void expect_no_findings(const model::ReplayResult& r, const std::string& transcript) {
    for (const auto& f : r.findings)
        ADD_FAILURE() << "line " << f.line << ": " << model::rule(f.finding.rule).name << ": "
                      << f.finding.explanation << "\n" << transcript;
    for (const auto& e : r.errors) ADD_FAILURE() << "line " << e.line << ": " << e.message << "\n" << transcript;
}

// A whole session that exercises every reader: commands, pipelining, message
// text with dot-stuffing, BDAT chunks and an AUTH exchange (fed in one piece,
// so it runs on a connection with TLS from the first byte: a STARTTLS would
// discard what follows it).
const std::string session_bytes =
    "EHLO client.example.org\r\n"
    "AUTH LOGIN\r\ndXNlcg==\r\nc2VjcmV0\r\n"
    "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n"
    "Subject: x\r\n\r\n..stuffed\r\n.\r\nNOOP\r\n"
    "MAIL FROM:<>\r\nRCPT TO:<b@example.org>\r\nBDAT 5\r\nHelloBDAT 0 LAST\r\n"
    "VRFY someone\r\nQUIT\r\n";

TEST(ServerCore, GreetsWith220) {
    Core core(relay(), false);
    EXPECT_FALSE(core.has_output());
    core.open();
    EXPECT_TRUE(core.has_output());
    EXPECT_EQ(core.take_output(), "220 mx.example.org ESMTP smtpspec reference server\r\n");
    EXPECT_FALSE(core.has_output());
    EXPECT_EQ(core.state().phase, Phase::greeted);
}

TEST(ServerCore, RefusedSessionGreetsWith554AndWaitsForQuit) {
    Config c;
    c.policy.refuse_session = true;
    Dialogue run(c);
    EXPECT_EQ(codes_of(run.say("EHLO x.example.org\r\nMAIL FROM:<a@example.org>\r\n")), (std::vector<unsigned>{503, 503}));
    EXPECT_FALSE(run.core.should_close());
    EXPECT_EQ(codes_of(run.say("QUIT\r\n")), std::vector<unsigned>{221});
    EXPECT_TRUE(run.core.should_close());
    expect_no_findings(run.replay(), run.transcript);
}

TEST(ServerCore, WholeSessionAnsweredAsTheModelSays) {
    Dialogue run(keeping(), true);
    const std::string out = run.say(session_bytes);
    EXPECT_EQ(codes_of(out), (std::vector<unsigned>{250, 334, 334, 235, 250, 250, 250, 354, 250, 250, 250, 250, 250,
                                                    250, 252, 221}));
    EXPECT_TRUE(run.core.should_close());
    expect_no_findings(run.replay(Profile::relay, true), run.transcript);
    std::vector<Message> messages = run.core.take_messages();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].reverse_path, "<a@example.org>");
    EXPECT_EQ(messages[0].recipients, (std::vector<std::string>{"<b@example.org>", "<c@example.org>"}));
    EXPECT_EQ(messages[0].content, "Subject: x\r\n\r\n.stuffed\r\n");  // RFC 5321 §4.5.2
    EXPECT_FALSE(messages[0].bdat);
    EXPECT_EQ(messages[1].reverse_path, "<>");
    EXPECT_EQ(messages[1].content, "Hello");
    EXPECT_TRUE(messages[1].bdat);
    EXPECT_EQ(run.core.messages_accepted(), 2u);
    EXPECT_TRUE(run.core.take_messages().empty());
}

// Beast's parsegrind: the same bytes split at every offset give the same replies.
TEST(ServerCore, SameRepliesWhateverTheSplit) {
    Core whole(keeping(), true);
    whole.open();
    whole.feed(session_bytes);
    const std::string expected = whole.take_output();
    for (std::size_t cut = 0; cut <= session_bytes.size(); ++cut) {
        Core core(keeping(), true);
        core.open();
        core.feed(std::string_view(session_bytes).substr(0, cut));
        core.feed(std::string_view(session_bytes).substr(cut));
        ASSERT_EQ(core.take_output(), expected) << "split at " << cut;
        ASSERT_EQ(core.take_messages().size(), 2u) << "split at " << cut;
    }
    Core bytewise(keeping(), true);
    bytewise.open();
    for (char c : session_bytes) bytewise.feed(std::string_view(&c, 1));
    EXPECT_EQ(bytewise.take_output(), expected);
}

TEST(ServerCore, MessagesAreCountedButNotKeptByDefault) {
    Dialogue run(relay());
    run.say("EHLO x.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nhi\r\n.\r\n");
    EXPECT_EQ(run.core.messages_accepted(), 1u);
    EXPECT_TRUE(run.core.take_messages().empty());
}

TEST(ServerCore, BdatIsAnsweredOnlyAfterAllItsOctets) {
    Dialogue run(keeping());
    run.say("EHLO x.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n");
    EXPECT_EQ(run.say("BDAT 10 LAST\r\n0123"), "");
    EXPECT_EQ(run.say("45678"), "");
    // A command line inside the chunk is chunk data (RFC 3030 §2).
    EXPECT_EQ(codes_of(run.say("9NOOP\r\n")), (std::vector<unsigned>{250, 250}));
    std::vector<Message> m = run.core.take_messages();
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].content, "0123456789");
    expect_no_findings(run.replay(), run.transcript);
}

TEST(ServerCore, RefusedBdatChunkIsReadAndDiscarded) {
    Dialogue run(relay());
    run.say("EHLO x.example.org\r\n");
    // No transaction: 503, and "QUIT\r\n" inside the chunk is not a command.
    EXPECT_EQ(codes_of(run.say("BDAT 6\r\nQUIT\r\n")), std::vector<unsigned>{503});
    EXPECT_FALSE(run.core.should_close());
    expect_no_findings(run.replay(), run.transcript);
}

TEST(ServerCore, OverLongLineIsSkippedToItsLfAndAnswered500) {
    Config c;
    c.limits.max_line = 1000;
    Dialogue run(c);
    run.say("EHLO x.example.org\r\n");
    EXPECT_EQ(run.say("NOOP " + std::string(3000, 'a')), "");
    EXPECT_EQ(run.say(std::string(3000, 'b')), "");  // still the same line, not kept
    EXPECT_EQ(codes_of(run.say("c\r\nNOOP\r\n")), (std::vector<unsigned>{500, 250}));
    // Between 512 (RFC 5321 §4.5.3.1.4) and the read limit: read whole, refused.
    EXPECT_EQ(codes_of(run.say("NOOP " + std::string(600, 'a') + "\r\nNOOP\r\n")), (std::vector<unsigned>{500, 250}));
    expect_no_findings(run.replay(), run.transcript);
}

TEST(ServerCore, OverLongAuthLineIsStillAnAuthAnswer) {
    Config c;
    c.limits.max_line = 100;
    Dialogue run(c, true);
    run.say("EHLO x.example.org\r\n");
    EXPECT_EQ(codes_of(run.say("AUTH PLAIN\r\n")), std::vector<unsigned>{334});
    EXPECT_EQ(codes_of(run.say(std::string(400, 'A') + "\r\nNOOP\r\n")), (std::vector<unsigned>{535, 250}));
    EXPECT_FALSE(run.core.state().authenticated);
    expect_no_findings(run.replay(Profile::relay, true), run.transcript);
}

TEST(ServerCore, MessageOverTheLimitIsRefusedAndNotKept) {
    Config c = keeping();
    c.limits.max_message = 100;
    c.policy.size_limit.reset();
    Dialogue run(c);
    run.say("EHLO x.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    std::string big;
    for (int i = 0; i < 100; ++i) big += "0123456789\r\n";
    // 554, not 552: a message under 64K octets must not be refused as too big (RFC 5321 §4.5.3.1.7).
    EXPECT_EQ(codes_of(run.say(big + ".\r\n")), std::vector<unsigned>{554});
    EXPECT_EQ(run.core.messages_accepted(), 0u);
    // The same with BDAT: the chunk that passes the limit is refused, and the rest.
    run.say("RSET\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n");
    EXPECT_EQ(codes_of(run.say("BDAT 60\r\n" + std::string(60, 'x'))), std::vector<unsigned>{250});
    EXPECT_EQ(codes_of(run.say("BDAT 60\r\n" + std::string(60, 'x'))), std::vector<unsigned>{552});
    EXPECT_EQ(codes_of(run.say("BDAT 1 LAST\r\nx")), std::vector<unsigned>{552});
    EXPECT_EQ(run.core.messages_accepted(), 0u);
    EXPECT_TRUE(run.core.take_messages().empty());
    expect_no_findings(run.replay(), run.transcript);
}

TEST(ServerCore, DeclaredSizeOverTheLimitIsRefused) {
    Dialogue run(relay());
    run.say("EHLO x.example.org\r\n");
    EXPECT_EQ(codes_of(run.say("MAIL FROM:<a@example.org> SIZE=99999999999\r\n")), std::vector<unsigned>{552});
    expect_no_findings(run.replay(), run.transcript);
}

TEST(ServerCore, CleartextPipelinedAfterStarttlsIsDiscarded) {
    Dialogue run(relay());
    run.say("EHLO x.example.org\r\n");
    EXPECT_FALSE(run.core.wants_tls());
    EXPECT_EQ(codes_of(run.say("STARTTLS\r\nMAIL FROM:<a@example.org>\r\n")), std::vector<unsigned>{220});
    EXPECT_TRUE(run.core.wants_tls());
    EXPECT_EQ(run.say("RCPT TO:<b@example.org>\r\n"), "");  // RFC 3207 §4.2
    run.tls();
    EXPECT_FALSE(run.core.wants_tls());
    EXPECT_TRUE(run.core.state().tls);
    EXPECT_EQ(run.core.state().phase, Phase::greeted);
    EXPECT_EQ(run.core.take_output(), "");
    // The session starts over: the MAIL sent in cleartext did not count.
    EXPECT_EQ(codes_of(run.say("EHLO x.example.org\r\nRCPT TO:<b@example.org>\r\n")), (std::vector<unsigned>{250, 503}));
    expect_no_findings(run.replay(), run.transcript);
}

TEST(ServerCore, QuitClosesAndLaterInputIsIgnored) {
    Dialogue run(relay());
    EXPECT_EQ(codes_of(run.say("QUIT\r\nNOOP\r\n")), std::vector<unsigned>{221});
    EXPECT_TRUE(run.core.should_close());
    EXPECT_EQ(run.say("NOOP\r\n"), "");
    expect_no_findings(run.replay(), run.transcript);
}

TEST(ServerCore, ShutdownQueues421AndCloses) {
    Core core(relay(), false);
    core.open();
    core.take_output();
    core.feed("EHLO x.example.org\r\nMAIL FROM:<a@example.org>\r\n");
    core.take_output();
    core.shutdown("mx.example.org shutting down\r\nevil");
    EXPECT_EQ(core.take_output(), "421 4.3.2 mx.example.org shutting downevil\r\n");
    EXPECT_TRUE(core.should_close());
    core.feed("NOOP\r\n");
    EXPECT_FALSE(core.has_output());
    core.shutdown("again");
    EXPECT_FALSE(core.has_output());
}

TEST(ServerCore, ClientCloseEndsTheSession) {
    Core core(relay(), false);
    core.open();
    core.feed("EHLO x.example.org\r\nDATA");
    core.client_closed();
    EXPECT_TRUE(core.should_close());
    EXPECT_EQ(core.state().phase, Phase::closed);
    core.feed("\r\n");
    EXPECT_EQ(codes_of(core.take_output()), (std::vector<unsigned>{220, 250}));
}

TEST(ServerCore, InputBeforeOpenWaitsForTheGreeting) {
    Core core(relay(), false);
    core.feed("NOOP\r\n");
    EXPECT_FALSE(core.has_output());
    core.open();
    EXPECT_EQ(codes_of(core.take_output()), (std::vector<unsigned>{220, 250}));
}

TEST(ServerCore, SubmissionsIsTlsFromTheFirstByte) {
    Config c;
    c.profile = Profile::submissions;
    Core core(c, false);
    core.open();
    EXPECT_TRUE(core.state().tls);
    core.feed("EHLO x.example.org\r\n");
    const std::string out = core.take_output();
    EXPECT_EQ(out.find("STARTTLS"), std::string::npos);
    EXPECT_NE(out.find("AUTH PLAIN LOGIN"), std::string::npos);
}

// Any session built from these client lines, sent in any grouping (PIPELINING),
// replays through the model with no finding: the server obeys its model.
RC_GTEST_PROP(ServerCore, AnySessionReplaysWithoutFindings, ()) {
    static const std::vector<std::string> vocabulary{
        "EHLO client.example.org\r\n", "HELO client.example.org\r\n", "MAIL FROM:<a@example.org>\r\n",
        "MAIL FROM:<> SIZE=99999999999\r\n", "MAIL FROM: <a@example.org>\r\n", "RCPT TO:<b@example.org>\r\n",
        "RCPT TO:<nobody@example.org>\r\n", "RCPT TO:<Postmaster>\r\n", "DATA\r\n", "hello\r\n",
        "a\n.\nb\r\n", ".\r\n", "..x\r\n", "RSET\r\n", "NOOP\r\n", "NOOP x\r\n", "VRFY a\r\n",
        "EXPN a\r\n", "HELP\r\n", "BDAT 3\r\nabc", "BDAT 0 LAST\r\n", "BDAT 2 LAST\r\n\r\n",
        "AUTH PLAIN AHVzZXIAc2VjcmV0\r\n", "AUTH LOGIN\r\n", "dXNlcg==\r\n", "*\r\n", "FROB\r\n",
        "DATA x\r\n", "NOOP " + std::string(600, 'a') + "\r\n", "QUIT\r\n"};
    const bool tls = *rc::gen::arbitrary<bool>();
    const auto groups = *rc::gen::container<std::vector<std::vector<std::size_t>>>(
        rc::gen::nonEmpty(rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, vocabulary.size()))));
    Dialogue run(Config{}, tls);
    for (const auto& group : groups) {
        std::string bytes;
        for (std::size_t i : group) bytes += vocabulary[i];
        run.say(bytes);
        if (run.core.should_close()) break;
    }
    model::ReplayResult r = run.replay(Profile::relay, tls);
    std::string why;
    for (const auto& f : r.findings)
        why += "line " + std::to_string(f.line) + ": " + std::string(model::rule(f.finding.rule).name) + ": " +
               f.finding.explanation + "\n";
    for (const auto& e : r.errors) why += "error line " + std::to_string(e.line) + ": " + e.message + "\n";
    if (!why.empty()) RC_FAIL(why + run.transcript);
}

// Whatever the client sends, in whatever pieces: no crash, and the output is
// replies only (each line a code, SP or "-", text), each to something fed.
RC_GTEST_PROP(ServerCore, AnyBytesGiveWellFormedReplies, (const std::vector<std::string>& pieces)) {
    Config c;
    c.limits.max_line = 600;
    c.limits.max_message = 1000;
    Core core(c, false);
    core.open();
    std::size_t fed = 0;
    for (const std::string& p : pieces) {
        core.feed(p);
        fed += p.size();
        if (core.wants_tls()) core.tls_established();
    }
    const std::string out = core.take_output();
    for (const std::string& l : lines_of(out)) {
        RC_ASSERT(l.size() >= 4);
        RC_ASSERT(l[0] >= '2' && l[0] <= '5');
        RC_ASSERT(l[3] == ' ' || l[3] == '-');
    }
    // At most one reply per LF fed (BDAT chunks and message text hold several), plus the greeting.
    std::size_t lfs = 0;
    for (const std::string& p : pieces) lfs += static_cast<std::size_t>(std::count(p.begin(), p.end(), '\n'));
    RC_ASSERT(codes_of(out).size() <= lfs + 1 + (fed / 600));
}

}  // namespace
}  // namespace smtpspec::conformance::server
