#include "smtpspec/conformance/session.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "smtpspec/conformance/memory_connection.hpp"
#include "smtpspec/grammar/limits.hpp"

namespace smtpspec::conformance {
namespace {

using Kind = ReplyOutcome::Kind;
namespace ast = grammar::ast;

struct Fixture {
    std::shared_ptr<MemoryPeer> peer = std::make_shared<MemoryPeer>();
    Session session{std::make_unique<MemoryConnection>(peer), options()};
    static SessionOptions options() {
        SessionOptions o;
        o.timeout = Duration{300};
        return o;
    }
};

TEST(Session, ReadsAReplySplitAtEveryByte) {
    const std::string wire = "250-mx.example.org\r\n250-PIPELINING\r\n250 SIZE 1000\r\n";
    for (std::size_t chunk = 1; chunk <= wire.size(); ++chunk) {
        Fixture f;
        f.peer->to_client = wire;
        f.peer->chunk = chunk;
        ReplyOutcome r = f.session.read_reply();
        ASSERT_EQ(r.kind, Kind::reply) << chunk << ": " << r.message;
        EXPECT_EQ(r.code(), 250u);
        EXPECT_EQ(r.reply->lines.size(), 3u);
        EXPECT_EQ(r.raw, wire);
        EXPECT_EQ(f.session.buffered(), 0u);
    }
}

TEST(Session, SeveralRepliesInOneSegment) {
    Fixture f;
    f.peer->to_client = "250 ok\r\n250 ok\r\n354 go\r\n";
    std::vector<ReplyOutcome> rs = f.session.read_replies(Duration{50});
    ASSERT_EQ(rs.size(), 4u);
    EXPECT_EQ(rs[0].code(), 250u);
    EXPECT_EQ(rs[1].code(), 250u);
    EXPECT_EQ(rs[2].code(), 354u);
    EXPECT_EQ(rs[3].kind, Kind::timeout);
}

TEST(Session, SendsArbitraryBytesAsTheyAre) {
    Fixture f;
    const std::string raw = std::string("NOOP\rNOOP\nMAIL FROM:<a@b>\x00\r\n", 26) + "RSET\r\nNOOP\r\n";
    ASSERT_TRUE(f.session.send(raw).ok());
    ASSERT_TRUE(f.session.send_command(ast::Command{ast::Quit{}}).ok());
    EXPECT_EQ(f.peer->from_client, raw + "QUIT\r\n");
}

TEST(Session, ScriptedPeerAnswersEachWrite) {
    Fixture f;
    f.peer->to_client = "220 mx ESMTP\r\n";
    f.peer->on_write = [](std::string_view w, MemoryPeer& p) {
        if (w.starts_with("QUIT")) {
            p.to_client += "221 bye\r\n";
            p.close_after_data = IoStatus::eof;
        } else {
            p.to_client += "250 ok\r\n";
        }
    };
    EXPECT_EQ(f.session.read_reply().code(), 220u);
    f.session.send("NOOP\r\n");
    EXPECT_EQ(f.session.read_reply().code(), 250u);
    f.session.send("QUIT\r\n");
    EXPECT_EQ(f.session.read_reply().code(), 221u);
    ReplyOutcome closed = f.session.read_reply();
    EXPECT_EQ(closed.kind, Kind::closed);
    EXPECT_EQ(closed.closed_how, ReplyOutcome::Close::eof);
    EXPECT_EQ(f.session.read_reply().kind, Kind::closed);  // and stays so
    EXPECT_NE(f.session.transcript().text().find("S: 221 bye\n*SERVER CLOSED*\n"), std::string::npos);
}

TEST(Session, SilenceIsATimeout) {
    Fixture f;
    ReplyOutcome r = f.session.read_reply(Duration{10});
    EXPECT_EQ(r.kind, Kind::timeout);
    EXPECT_NE(r.message.find("no complete reply within 10 ms"), std::string::npos);
    f.peer->to_client = "250 par";
    r = f.session.read_reply(Duration{10});
    EXPECT_EQ(r.kind, Kind::timeout);
    EXPECT_NE(r.message.find("7 bytes of an incomplete reply"), std::string::npos);
    EXPECT_EQ(r.raw, "250 par");
    f.peer->to_client = "t\r\n";
    EXPECT_EQ(f.session.read_reply().code(), 250u);
}

TEST(Session, CloseMidReply) {
    Fixture f;
    f.peer->to_client = "250-first\r\n250 sec";
    f.peer->close_after_data = IoStatus::eof;
    ReplyOutcome r = f.session.read_reply();
    EXPECT_EQ(r.kind, Kind::closed);
    EXPECT_EQ(r.closed_how, ReplyOutcome::Close::mid_reply);
    EXPECT_NE(r.message.find("in the middle of a reply"), std::string::npos);
    EXPECT_EQ(r.raw, "250-first\r\n250 sec");
}

TEST(Session, Reset) {
    Fixture f;
    f.peer->close_after_data = IoStatus::reset;
    ReplyOutcome r = f.session.read_reply();
    EXPECT_EQ(r.kind, Kind::closed);
    EXPECT_EQ(r.closed_how, ReplyOutcome::Close::reset);
}

TEST(Session, RepliesBeforeTheCloseStillCome) {
    Fixture f;
    f.peer->to_client = "421 going away\r\n";
    f.peer->close_after_data = IoStatus::eof;
    f.peer->chunk = 1000;
    EXPECT_EQ(f.session.read_reply().code(), 421u);
    EXPECT_EQ(f.session.read_reply().closed_how, ReplyOutcome::Close::eof);
}

TEST(Session, EndlessLineIsALimitErrorWithBoundedMemory) {
    Fixture f;
    f.peer->to_client = "220 " + std::string(10u << 20, 'a');
    ReplyOutcome r = f.session.read_reply();
    ASSERT_EQ(r.kind, Kind::malformed);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->kind, grammar::ErrorKind::limit);
    EXPECT_LE(f.session.buffered(), grammar::limits::reply_line);
    EXPECT_LE(f.session.transcript().recorded_bytes(), Fixture::options().read_chunk);
    EXPECT_GT(f.peer->to_client.size(), 10u << 19);  // most of it was never read
    // Nothing more is read from a stream that cannot be re-synchronised.
    std::size_t left = f.peer->to_client.size();
    EXPECT_EQ(f.session.read_reply().kind, Kind::malformed);
    EXPECT_EQ(f.peer->to_client.size(), left);
}

TEST(Session, EndlessContinuationIsALimitError) {
    Fixture f;
    std::string lines;
    for (int i = 0; i < 5000; ++i) lines += "250-more\r\n";
    f.peer->to_client = lines;
    ReplyOutcome r = f.session.read_reply();
    ASSERT_EQ(r.kind, Kind::malformed);
    EXPECT_EQ(r.error->kind, grammar::ErrorKind::limit);
    EXPECT_LE(f.session.buffered(), grammar::limits::reply_line);
}

TEST(Session, GarbageLinesAreMalformedAndTheStreamGoesOn) {
    Fixture f;
    f.peer->to_client = "hello there\r\n250 ok\r\n";
    ReplyOutcome r = f.session.read_reply();
    EXPECT_EQ(r.kind, Kind::malformed);
    EXPECT_EQ(r.error->kind, grammar::ErrorKind::syntax);
    EXPECT_EQ(f.session.read_reply().code(), 250u);
}

TEST(Session, BareLfIsADeviationInLenientMode) {
    Fixture f;
    f.peer->to_client = "250 ok\n";
    ReplyOutcome r = f.session.read_reply();
    ASSERT_EQ(r.kind, Kind::reply);
    ASSERT_EQ(r.deviations.size(), 1u);
    EXPECT_EQ(r.deviations[0].id, "bare-lf");
}

TEST(Session, StartTlsDiscardsPlaintextAndMarksTheTranscript) {
    Fixture f;
    f.peer->tls = TlsFacts{"TLSv1.3", "TLS_AES_128_GCM_SHA256", std::nullopt, false, "", false};
    f.peer->to_client = "220 go ahead\r\n250 injected\r\n250 par";
    f.session.send("STARTTLS\r\n");
    EXPECT_EQ(f.session.read_reply().code(), 220u);
    ASSERT_TRUE(f.session.start_tls(TlsOptions{}).ok());
    EXPECT_EQ(f.session.discarded_plaintext(), "250 injected\r\n250 par");
    EXPECT_EQ(f.session.buffered(), 0u);
    ASSERT_TRUE(f.session.tls_facts());
    EXPECT_EQ(f.session.tls_facts()->version, "TLSv1.3");
    f.session.send("EHLO x\r\n");
    f.peer->to_client = "250 x\r\n";
    EXPECT_EQ(f.session.read_reply().code(), 250u);
    const auto& events = f.session.transcript().events();
    EXPECT_TRUE(events.back().tls);
    std::string text = f.session.transcript().text();
    EXPECT_NE(text.find("*TLS*\nC: EHLO x\nS: 250 x\n"), std::string::npos) << text;
    EXPECT_NE(text.find("discarded 21 bytes"), std::string::npos) << text;
}

TEST(Session, FailedHandshakeEndsTheSession) {
    Fixture f;
    IoResult r = f.session.start_tls(TlsOptions{});
    EXPECT_EQ(r.status, IoStatus::tls_failed);
    ReplyOutcome o = f.session.read_reply();
    EXPECT_EQ(o.kind, Kind::failed);
    EXPECT_NE(o.message.find("TLS handshake failed"), std::string::npos);
}

TEST(Session, CloseIsRecordedOnce) {
    Fixture f;
    f.session.close();
    f.session.close();
    EXPECT_TRUE(f.peer->client_closed);
    EXPECT_EQ(f.session.send("NOOP\r\n").status, IoStatus::closed);
    EXPECT_EQ(f.session.read_reply().kind, Kind::failed);
    EXPECT_EQ(f.session.transcript().text(), "*CLIENT CLOSED*\n");
}

// Whatever a server sends, split however it arrives: reading ends (no hang),
// memory stays bounded, and every byte received is in a reply, a malformed
// outcome or the incomplete rest, unless a limit failure stopped the reading.
RC_GTEST_PROP(SessionProperty, EveryServerByteIsAccountedFor, ()) {
    const auto fragment = rc::gen::oneOf(
        rc::gen::element<std::string>("250", "220", "354", "-", " ", "\r\n", "\n", "\r", "ok", "2.0.0 ", "\0"),
        rc::gen::resize(20, rc::gen::container<std::string>(rc::gen::arbitrary<char>())));
    const auto pieces = *rc::gen::resize(60, rc::gen::container<std::vector<std::string>>(fragment));
    std::string wire;
    for (const std::string& p : pieces) wire += p;
    Fixture f;
    f.peer->to_client = wire;
    f.peer->chunk = *rc::gen::inRange<std::size_t>(1, 64);
    f.peer->close_after_data = *rc::gen::element(IoStatus::eof, IoStatus::reset);
    std::size_t accounted = 0;
    bool limit = false;
    for (std::size_t i = 0; i <= wire.size() + 1; ++i) {
        ReplyOutcome r = f.session.read_reply(Duration{50});
        // A reply is kept until it is complete: at most reply_lines lines of reply_line octets.
        RC_ASSERT(f.session.buffered() <= grammar::limits::reply_line * grammar::limits::reply_lines);
        if (r.kind == Kind::reply || r.kind == Kind::malformed) {
            if (r.error && r.error->kind == grammar::ErrorKind::limit) limit = true;
            if (limit) break;
            accounted += r.raw.size();
            continue;
        }
        RC_ASSERT(r.kind == Kind::closed);
        RC_ASSERT(r.closed_how == (f.session.buffered() > 0 ? std::optional(ReplyOutcome::Close::mid_reply)
                                                             : std::optional(ReplyOutcome::Close::eof))
                  || r.closed_how == ReplyOutcome::Close::reset);
        RC_ASSERT(accounted + f.session.buffered() == wire.size());
        return;
    }
    RC_ASSERT(limit);
}

}  // namespace
}  // namespace smtpspec::conformance
