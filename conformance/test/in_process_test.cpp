#include "smtpspec/conformance/in_process.hpp"

#include <gtest/gtest.h>

#include <string>

#include "smtpspec/conformance/session.hpp"
#include "smtpspec/model/transcript.hpp"

namespace smtpspec::conformance {
namespace {

using Kind = ReplyOutcome::Kind;
using model::Profile;

// "\0user\0secret" (RFC 4616), the default Policy's credential.
constexpr std::string_view plain_user_secret = "AHVzZXIAc2VjcmV0";

server::Config config_for(Profile profile) {
    server::Config c;
    c.profile = profile;
    return c;
}

std::unique_ptr<Session> open_session(Profile profile) {
    const bool implicit = profile == Profile::submissions;
    SessionOptions o;
    o.timeout = Duration{200};
    o.implicit_tls = implicit;
    return std::make_unique<Session>(connect_in_process(config_for(profile), implicit), o);
}

unsigned say(Session& s, std::string_view bytes) {
    EXPECT_TRUE(s.send(bytes).ok()) << bytes;
    ReplyOutcome r = s.read_reply();
    EXPECT_EQ(r.kind, Kind::reply) << bytes << ": " << r.message;
    return r.code();
}

bool lists(const ReplyOutcome& r, std::string_view keyword) {
    if (!r.reply) return false;
    for (std::size_t i = 1; i < r.reply->lines.size(); ++i)
        if (r.reply->lines[i].text.starts_with(keyword)) return true;
    return false;
}

ReplyOutcome ehlo(Session& s) {
    EXPECT_TRUE(s.send("EHLO client.example.org\r\n").ok());
    ReplyOutcome r = s.read_reply();
    EXPECT_EQ(r.code(), 250u) << r.message;
    return r;
}

// One message with DATA (with a dot-stuffed line) and one with BDAT.
void two_messages(Session& s) {
    EXPECT_EQ(say(s, "MAIL FROM:<a@example.org>\r\n"), 250u);
    EXPECT_EQ(say(s, "RCPT TO:<b@example.org>\r\n"), 250u);
    EXPECT_EQ(say(s, "DATA\r\n"), 354u);
    EXPECT_EQ(say(s, "Subject: test\r\n\r\n..leading dot\r\nbody\r\n.\r\n"), 250u);
    EXPECT_EQ(say(s, "MAIL FROM:<> BODY=BINARYMIME\r\n"), 250u);
    EXPECT_EQ(say(s, "RCPT TO:<b@example.org>\r\n"), 250u);
    EXPECT_EQ(say(s, "BDAT 6\r\nHello "), 250u);
    EXPECT_EQ(say(s, "BDAT 7 LAST\r\nworld\r\n"), 250u);
}

void expect_clean_replay(const Session& s, Profile profile) {
    model::ReplayOptions o;
    o.profile = profile;
    o.tls = profile == Profile::submissions;
    const std::string text = s.transcript().text();
    model::ReplayResult r = model::replay(text, o);
    for (const auto& f : r.findings)
        ADD_FAILURE() << "line " << f.line << ": " << model::rule(f.finding.rule).name << ": " << f.finding.explanation;
    for (const auto& e : r.errors) ADD_FAILURE() << "line " << e.line << ": " << e.message;
    EXPECT_EQ(r.final_state.phase, model::Phase::closed) << text;
}

TEST(InProcess, RelaySessionWithStarttlsReplaysWithoutFindings) {
    auto s = open_session(Profile::relay);
    EXPECT_EQ(s->read_reply().code(), 220u);
    EXPECT_FALSE(s->connection().tls_active());
    ReplyOutcome first = ehlo(*s);
    EXPECT_TRUE(lists(first, "STARTTLS"));
    EXPECT_FALSE(lists(first, "AUTH"));  // RFC 4954 §4: no plaintext mechanism before TLS
    EXPECT_EQ(say(*s, "STARTTLS\r\n"), 220u);
    ASSERT_TRUE(s->start_tls(TlsOptions{}).ok());
    ASSERT_TRUE(s->tls_facts().has_value());
    EXPECT_EQ(s->tls_facts()->version, "in-process");
    EXPECT_EQ(s->tls_facts()->cipher, "none (no TLS layer in process)");
    EXPECT_FALSE(s->tls_facts()->certificate.has_value());
    ReplyOutcome second = ehlo(*s);
    EXPECT_FALSE(lists(second, "STARTTLS"));  // RFC 3207 §4.2
    two_messages(*s);
    EXPECT_EQ(say(*s, "QUIT\r\n"), 221u);
    EXPECT_EQ(s->read_reply().kind, Kind::closed);
    s->close();
    expect_clean_replay(*s, Profile::relay);
}

TEST(InProcess, SubmissionSessionAuthenticatesAfterStarttls) {
    auto s = open_session(Profile::submission);
    EXPECT_EQ(s->read_reply().code(), 220u);
    ehlo(*s);
    EXPECT_EQ(say(*s, "MAIL FROM:<a@example.org>\r\n"), 530u);  // RFC 6409 §4.3, RFC 4954 §6
    EXPECT_EQ(say(*s, "STARTTLS\r\n"), 220u);
    ASSERT_TRUE(s->start_tls(TlsOptions{}).ok());
    EXPECT_TRUE(lists(ehlo(*s), "AUTH PLAIN"));
    EXPECT_EQ(say(*s, "AUTH PLAIN " + std::string(plain_user_secret) + "\r\n"), 235u);
    two_messages(*s);
    EXPECT_EQ(say(*s, "QUIT\r\n"), 221u);
    EXPECT_EQ(s->read_reply().kind, Kind::closed);
    s->close();
    expect_clean_replay(*s, Profile::submission);
}

TEST(InProcess, SubmissionsHasTlsFromTheFirstByte) {
    auto s = open_session(Profile::submissions);
    EXPECT_TRUE(s->connection().tls_active());
    ASSERT_TRUE(s->tls_facts().has_value());
    EXPECT_EQ(s->tls_facts()->version, "in-process");
    EXPECT_EQ(s->read_reply().code(), 220u);
    ReplyOutcome r = ehlo(*s);
    EXPECT_FALSE(lists(r, "STARTTLS"));  // RFC 8314 §3.3: no STARTTLS on port 465
    EXPECT_TRUE(lists(r, "AUTH"));
    // AUTH PLAIN with the response on the next line (RFC 4954 §4: an empty challenge first).
    EXPECT_EQ(say(*s, "AUTH PLAIN\r\n"), 334u);
    EXPECT_EQ(say(*s, std::string(plain_user_secret) + "\r\n"), 235u);
    two_messages(*s);
    EXPECT_EQ(say(*s, "QUIT\r\n"), 221u);
    EXPECT_EQ(s->read_reply().kind, Kind::closed);
    s->close();
    expect_clean_replay(*s, Profile::submissions);
}

TEST(InProcess, PipelinedCommandsAreAnsweredInOrder) {
    auto s = open_session(Profile::relay);
    EXPECT_EQ(s->read_reply().code(), 220u);
    ehlo(*s);
    ASSERT_TRUE(s->send("MAIL FROM:<a@example.org>\r\nRCPT TO:<nobody@example.org>\r\n"
                        "RCPT TO:<b@example.org>\r\nDATA\r\n")
                    .ok());
    std::vector<ReplyOutcome> rs = s->read_replies(Duration{10});
    ASSERT_EQ(rs.size(), 5u);
    EXPECT_EQ(rs[0].code(), 250u);
    EXPECT_EQ(rs[1].code(), 550u);  // Policy::refused_local_parts
    EXPECT_EQ(rs[2].code(), 250u);
    EXPECT_EQ(rs[3].code(), 354u);
    EXPECT_EQ(rs[4].kind, Kind::timeout);
    EXPECT_EQ(say(*s, "hi\r\n.\r\nQUIT\r\n"), 250u);
    EXPECT_EQ(s->read_reply().code(), 221u);
    s->close();
    expect_clean_replay(*s, Profile::relay);
}

TEST(InProcess, ReadTimesOutAtOnceWhenTheServerHasNothing) {
    auto c = connect_in_process(config_for(Profile::relay), false);
    std::string got;
    ASSERT_TRUE(c->read(got, 1024, Duration{10'000}).ok());
    EXPECT_TRUE(got.starts_with("220 "));
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(c->read(got, 1024, Duration{10'000}).status, IoStatus::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(InProcess, ReadsAreBoundedByMax) {
    auto c = connect_in_process(config_for(Profile::relay), false);
    std::string got;
    ASSERT_TRUE(c->read(got, 3, Duration{0}).ok());
    EXPECT_EQ(got, "220");
    ASSERT_TRUE(c->read(got, 1024, Duration{0}).ok());
    EXPECT_TRUE(got.ends_with("\r\n"));
}

TEST(InProcess, StartTlsFailsWhenTheServerDidNotAgree) {
    auto c = connect_in_process(config_for(Profile::relay), false);
    IoResult r = c->start_tls(TlsOptions{}, Duration{0});
    EXPECT_EQ(r.status, IoStatus::tls_failed);
    EXPECT_NE(r.message.find("220 to STARTTLS"), std::string::npos) << r.message;
    EXPECT_FALSE(c->tls_active());
}

TEST(InProcess, EofAfterQuitAndWritesFailAfterIt) {
    auto c = connect_in_process(config_for(Profile::relay), false);
    std::string got;
    ASSERT_TRUE(c->write("QUIT\r\n", Duration{0}).ok());
    while (c->read(got, 1024, Duration{0}).ok()) {
    }
    EXPECT_NE(got.find("221 "), std::string::npos) << got;
    EXPECT_EQ(c->read(got, 1024, Duration{0}).status, IoStatus::eof);
    EXPECT_EQ(c->write("NOOP\r\n", Duration{0}).status, IoStatus::reset);
    c->close();
    EXPECT_EQ(c->read(got, 1024, Duration{0}).status, IoStatus::closed);
}

TEST(InProcess, NoStarttlsWhenTheTransportHasNoTls) {
    server::Config config = config_for(Profile::relay);
    config.tls_available = false;
    Session s(connect_in_process(config, false));
    EXPECT_EQ(s.read_reply().code(), 220u);
    EXPECT_FALSE(lists(ehlo(s), "STARTTLS"));
    EXPECT_EQ(say(s, "STARTTLS\r\n"), 502u);
}

}  // namespace
}  // namespace smtpspec::conformance
