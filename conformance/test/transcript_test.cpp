#include "smtpspec/conformance/transcript.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "smtpspec/model/transcript.hpp"

namespace smtpspec::conformance {
namespace {

// The client bytes a transcript text stands for, read back with the model's reader.
std::string client_bytes(const std::string& text) {
    std::string out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("C: ", 0) == 0) out += model::decode_client_line(std::string_view(line).substr(3));
    return out;
}

std::string server_lines(const std::string& text) {
    std::string out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("S: ", 0) == 0) out += line.substr(3) + "\n";
    return out;
}

TEST(Transcript, PrintsTheModelsFormat) {
    Transcript t;
    t.server("220 mx.example.org ESMTP\r\n", false);
    t.client("EHLO client.example.org\r\n", false);
    t.server("250-mx.example.org\r\n250 STAR", false);
    t.server("TTLS\r\n", false);
    t.client("STARTTLS\r\n", false);
    t.server("220 go ahead\r\n", false);
    t.tls_started(false);
    t.client("EHLO client.example.org\r\n", true);
    t.server("250 mx.example.org\r\n", true);
    t.client("QUIT\r\n", true);
    t.server("221 bye\r\n", true);
    t.client_closed();
    EXPECT_EQ(t.text(),
              "S: 220 mx.example.org ESMTP\n"
              "C: EHLO client.example.org\n"
              "S: 250-mx.example.org\n"
              "S: 250 STARTTLS\n"
              "C: STARTTLS\n"
              "S: 220 go ahead\n"
              "*TLS*\n"
              "C: EHLO client.example.org\n"
              "S: 250 mx.example.org\n"
              "C: QUIT\n"
              "S: 221 bye\n"
              "*CLIENT CLOSED*\n");
    model::ReplayResult r = model::replay(t.text());
    EXPECT_TRUE(r.errors.empty()) << r.errors.front().message;
    EXPECT_TRUE(r.findings.empty());
    EXPECT_TRUE(r.final_state.tls);
    // Per-event facts: direction, TLS, time.
    ASSERT_GE(t.events().size(), 8u);
    EXPECT_FALSE(t.events()[0].tls);
    EXPECT_EQ(t.events()[0].direction, Direction::server);
    EXPECT_TRUE(t.events()[7].tls);
    EXPECT_LE(t.events()[0].at, t.events().back().at);
}

TEST(Transcript, ClientBytesOfAnyKindSurviveTheFormat) {
    Transcript t;
    const std::string raw = std::string("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\nDATA\r\n.\r\x00.\r\nx\\y\t\x7f") + "\r";
    t.client(raw.substr(0, 7), false);
    t.client(raw.substr(7), false);
    EXPECT_EQ(client_bytes(t.text()), raw);
}

RC_GTEST_PROP(TranscriptProperty, ClientBytesRoundTrip, (const std::vector<std::string>& chunks)) {
    Transcript t;
    std::string all;
    for (const std::string& c : chunks) {
        // Keep AUTH out of it: redaction changes bytes on purpose.
        if (c.find("AUTH") != std::string::npos || c.find("auth") != std::string::npos) continue;
        t.client(c, false);
        all += c;
    }
    RC_ASSERT(client_bytes(t.text()) == all);
}

TEST(Transcript, ServerLinesAsReceived) {
    Transcript t;
    t.server("250-a\r\n250-b\n250 c\x01\r\n", false);
    t.server("220 partial", false);
    t.server_closed("the server closed the connection");
    std::string text = t.text();
    EXPECT_EQ(server_lines(text), "250-a\n250-b\n250 c\x01\n");
    EXPECT_NE(text.find("S: 250-b\n# the line above ended in LF without CR\n"), std::string::npos);
    EXPECT_NE(text.find("# the line above, escaped: 250 c\\x01\n"), std::string::npos);
    EXPECT_NE(text.find("# the server sent 11 bytes without a line end: 220 partial\n*SERVER CLOSED*\n"),
              std::string::npos);
}

TEST(Transcript, ImplicitTlsIsAComment) {
    Transcript t;
    t.tls_started(true);
    t.server("220 x\r\n", true);
    EXPECT_EQ(t.text(), "# TLS from the first byte (implicit TLS, RFC 8314 §3.3)\nS: 220 x\n");
    EXPECT_TRUE(t.events()[1].tls);
}

TEST(Transcript, AuthInitialResponseRedacted) {
    Transcript t;
    t.client("AUTH PLAIN AHVzZXIAc2VjcmV0\r\n", false);
    std::string text = t.text();
    EXPECT_EQ(text.find("AHVzZXIAc2VjcmV0"), std::string::npos);
    EXPECT_NE(text.find("C: AUTH PLAIN " + std::string(Transcript::redacted_marker) + "\n"), std::string::npos);
    EXPECT_NE(text.find("# AUTH secret redacted above"), std::string::npos);
    EXPECT_TRUE(t.events()[0].redacted);
}

TEST(Transcript, AuthLinesRedactedUntilTheFinalReply) {
    Transcript t;
    t.client("auth login\r\n", false);
    t.reply_seen(334);
    t.client("dXNlcg==\r\n", false);
    t.reply_seen(334);
    t.client("c2Vj", false);  // one line in two writes: one marker
    t.client("cmV0\r\n", false);
    t.reply_seen(235);
    t.client("MAIL FROM:<a@b>\r\n", false);
    std::string text = t.text();
    EXPECT_EQ(text.find("dXNlcg"), std::string::npos);
    EXPECT_EQ(text.find("c2Vj"), std::string::npos);
    EXPECT_EQ(text.find("cmV0"), std::string::npos);
    EXPECT_EQ(client_bytes(text), "auth login\r\n" + std::string(Transcript::redacted_marker) + "\r\n" +
                                      std::string(Transcript::redacted_marker) + "\r\nMAIL FROM:<a@b>\r\n");
}

// A response that is not base64 cannot hold a credential (they are sent
// base64-encoded): it is kept, so that a replay sees the same malformed line.
TEST(Transcript, MalformedAuthResponseKept) {
    Transcript t;
    t.client("AUTH PLAIN !!not-base64!!\r\n", false);
    t.reply_seen(501);
    t.client("AUTH LOGIN\r\n", false);
    t.reply_seen(334);
    t.client("dXNlcg==\n", false);  // a bare LF ends the line too
    t.reply_seen(334);
    t.client("%%%\r\n", false);
    t.reply_seen(501);
    EXPECT_EQ(client_bytes(t.text()), "AUTH PLAIN !!not-base64!!\r\nAUTH LOGIN\r\n" +
                                          std::string(Transcript::redacted_marker) + "\n%%%\r\n");
    EXPECT_FALSE(t.events()[0].redacted);
    EXPECT_TRUE(t.events()[2].redacted);
}

TEST(Transcript, AuthPipelinedAndCancelled) {
    Transcript t;
    // A 250 to an earlier pipelined command does not end the exchange.
    t.client("EHLO x\r\nAUTH PLAIN\r\n", false);
    t.reply_seen(250);
    t.reply_seen(334);
    t.client("*\r\n", false);  // the cancel is no secret (RFC 4954 §4)
    t.reply_seen(501);
    t.client("AUTH PLAIN =\r\n", false);  // the empty initial response neither
    t.reply_seen(535);
    t.client("NOOP\r\n", false);
    EXPECT_EQ(client_bytes(t.text()), "EHLO x\r\nAUTH PLAIN\r\n*\r\nAUTH PLAIN =\r\nNOOP\r\n");
    for (const TranscriptEvent& e : t.events()) EXPECT_FALSE(e.redacted);
}

TEST(Transcript, RedactedReplayJudgesTheSame) {
    Transcript t;
    t.server("220 mx.example.org\r\n", true);
    t.client("EHLO c.example.org\r\n", true);
    t.server("250-mx.example.org\r\n250 AUTH PLAIN LOGIN\r\n", true);
    t.client("AUTH LOGIN\r\n", true);
    t.server("334 VXNlcm5hbWU6\r\n", true);
    t.reply_seen(334);
    t.client("dXNlcg==\r\n", true);
    t.server("334 UGFzc3dvcmQ6\r\n", true);
    t.reply_seen(334);
    t.client("c2VjcmV0\r\n", true);
    t.server("235 2.7.0 ok\r\n", true);
    t.reply_seen(235);
    model::ReplayOptions o;
    o.profile = model::Profile::submission;
    o.tls = true;
    model::ReplayResult r = model::replay(t.text(), o);
    EXPECT_TRUE(r.errors.empty()) << r.errors.front().message;
    EXPECT_TRUE(r.findings.empty()) << t.text();
    EXPECT_TRUE(r.final_state.authenticated);
}

TEST(Transcript, BoundedAndSaysSo) {
    Transcript t(100);
    t.server(std::string(60, 'a'), false);
    t.server(std::string(60, 'b'), false);
    t.server(std::string(60, 'c'), false);
    EXPECT_EQ(t.recorded_bytes(), 100u);
    EXPECT_EQ(t.dropped_bytes(), 80u);
    EXPECT_NE(t.text().find("reached its bound of 100 bytes"), std::string::npos);
}

TEST(Transcript, TimesOnRequest) {
    Transcript t;
    t.client("NOOP\r\n", false);
    EXPECT_NE(t.text({.times = true}).find("# +"), std::string::npos);
    EXPECT_EQ(t.text().find("# +"), std::string::npos);
}

}  // namespace
}  // namespace smtpspec::conformance
