// TLS over loopback: STARTTLS upgrade, implicit TLS, the facts recorded,
// handshake failures, and the version probes, against small scripted servers
// using a self-signed certificate made in memory.
#include "smtpspec/conformance/tls.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "loopback_server.hpp"
#include "smtpspec/conformance/self_signed.hpp"
#include "smtpspec/conformance/session.hpp"
#include "smtpspec/conformance/tls_probe.hpp"

namespace smtpspec::conformance {
namespace {

using test::LoopbackServer;
using test::send_all;
using test::TlsServerContext;
using test::TlsServerSession;

constexpr Duration short_timeout{300};

Target target_of(const std::string& text) { return std::get<Target>(parse_target(text)); }

// Greeting, EHLO with STARTTLS, 220 to STARTTLS, then the handshake; `after`
// runs on the TLS session.
void starttls_server(int fd, SSL_CTX* ctx, const std::function<void(TlsServerSession&)>& after) {
    send_all(fd, "220 mx.smtpspec.test ESMTP\r\n");
    if (test::read_line(fd).rfind("EHLO ", 0) != 0) return;
    send_all(fd, "250-mx.smtpspec.test\r\n250 STARTTLS\r\n");
    if (test::read_line(fd) != "STARTTLS\r\n") return;
    send_all(fd, "220 2.0.0 go ahead\r\n");
    TlsServerSession tls(ctx, fd);
    if (tls.ok() && after) after(tls);
}

TEST(Tls, StartTlsUpgradesTheConnectionAndRecordsTheFacts) {
    TlsServerContext ctx;
    LoopbackServer server([&](int fd) {
        starttls_server(fd, ctx.ctx, [](TlsServerSession& tls) {
            if (tls.read_line() == "EHLO c.test\r\n") tls.send("250 mx.smtpspec.test\r\n");
            if (tls.read_line() == "QUIT\r\n") tls.send("221 bye\r\n");
        });
    });
    IoResult io;
    SessionOptions o;
    o.timeout = Duration{2000};
    auto s = Session::open(target_of(server.target()), {}, o, io);
    ASSERT_TRUE(s) << io.message;
    EXPECT_EQ(s->read_reply().code(), 220u);
    s->send("EHLO c.test\r\n");
    EXPECT_EQ(s->read_reply().code(), 250u);
    s->send("STARTTLS\r\n");
    EXPECT_EQ(s->read_reply().code(), 220u);
    IoResult h = s->start_tls(TlsOptions{});  // the host to match is the target's, 127.0.0.1
    ASSERT_TRUE(h.ok()) << h.message;
    EXPECT_TRUE(s->connection().tls_active());
    s->send("EHLO c.test\r\n");
    EXPECT_EQ(s->read_reply().code(), 250u);
    s->send("QUIT\r\n");
    EXPECT_EQ(s->read_reply().code(), 221u);

    ASSERT_TRUE(s->tls_facts());
    const TlsFacts& f = *s->tls_facts();
    EXPECT_EQ(f.version, "TLSv1.3");
    EXPECT_FALSE(f.cipher.empty());
    ASSERT_TRUE(f.certificate);
    EXPECT_EQ(f.certificate->subject, "CN=smtpspec-test");
    EXPECT_EQ(f.certificate->issuer, "CN=smtpspec-test");
    EXPECT_EQ(f.certificate->subject_alt_names,
              (std::vector<std::string>{"DNS:mail.smtpspec.test", "IP:127.0.0.1"}));
    EXPECT_LT(f.certificate->not_before, f.certificate->not_after);
    EXPECT_EQ(f.certificate->not_before.size(), 20u);  // 2026-11-29T16:00:00Z
    EXPECT_FALSE(f.chain_verified);                    // self-signed: not in the system store
    EXPECT_NE(f.verify_error.find("self-signed"), std::string::npos) << f.verify_error;
    EXPECT_TRUE(f.host_matches);  // the iPAddress SAN
    EXPECT_FALSE(f.verified());

    std::string text = s->transcript().text();
    EXPECT_NE(text.find("S: 220 2.0.0 go ahead\n*TLS*\nC: EHLO c.test\nS: 250 mx.smtpspec.test\n"), std::string::npos)
        << text;
    bool before = true;
    for (const TranscriptEvent& e : s->transcript().events()) {
        if (e.kind == TranscriptEvent::Kind::tls_started) before = false;
        else if (e.kind == TranscriptEvent::Kind::data) {
            EXPECT_EQ(e.tls, !before);
        }
    }
    s->close();
}

TEST(Tls, ReadingGoesOnAfterATimeout) {
    TlsServerContext ctx;
    LoopbackServer server([&](int fd) {
        TlsServerSession tls(ctx.ctx, fd);
        if (!tls.ok()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        tls.send("220 late but fine\r\n");
        tls.read_line();
    });
    IoResult io;
    SessionOptions o;
    o.timeout = short_timeout;
    ConnectOptions c;
    c.timeout = Duration{2000};
    auto s = Session::open(target_of(server.target("tls")), c, o, io);
    ASSERT_TRUE(s) << io.message;
    EXPECT_EQ(s->read_reply().kind, ReplyOutcome::Kind::timeout);
    ReplyOutcome r = s->read_reply(Duration{2000});
    EXPECT_EQ(r.code(), 220u) << r.message;
    EXPECT_TRUE(s->send("QUIT\r\n").ok());
}

TEST(Tls, VerifyFatalRefusesAnUnverifiedCertificate) {
    TlsServerContext ctx;
    LoopbackServer server([&](int fd) { starttls_server(fd, ctx.ctx, nullptr); });
    IoResult io;
    auto s = Session::open(target_of(server.target()), {}, {}, io);
    ASSERT_TRUE(s) << io.message;
    s->read_reply();
    s->send("EHLO c.test\r\n");
    s->read_reply();
    s->send("STARTTLS\r\n");
    ASSERT_EQ(s->read_reply().code(), 220u);
    TlsOptions tls;
    tls.host = "127.0.0.1";
    tls.verify_fatal = true;
    IoResult h = s->start_tls(tls);
    EXPECT_EQ(h.status, IoStatus::tls_failed);
    EXPECT_NE(h.message.find("does not verify against the system store"), std::string::npos) << h.message;
    EXPECT_NE(h.message.find("drop --tls-verify"), std::string::npos);
    EXPECT_EQ(s->read_reply().kind, ReplyOutcome::Kind::failed);
}

TEST(Tls, ImplicitTlsFromTheFirstByte) {
    TlsServerContext ctx;
    LoopbackServer server([&](int fd) {
        TlsServerSession tls(ctx.ctx, fd);
        if (!tls.ok()) return;
        tls.send("220 mx.smtpspec.test ESMTP\r\n");
        if (tls.read_line() == "QUIT\r\n") tls.send("221 bye\r\n");
    });
    IoResult io;
    ConnectOptions c;
    c.timeout = Duration{2000};
    c.tls.host = "mail.smtpspec.test";  // the DNS-ID to match
    auto s = Session::open(target_of(server.target("tls")), c, {}, io);
    ASSERT_TRUE(s) << io.message;
    EXPECT_EQ(s->read_reply().code(), 220u);
    s->send("QUIT\r\n");
    EXPECT_EQ(s->read_reply().code(), 221u);
    ASSERT_TRUE(s->tls_facts());
    EXPECT_TRUE(s->tls_facts()->host_matches);
    std::string text = s->transcript().text();
    EXPECT_EQ(text.rfind("# TLS from the first byte", 0), 0u) << text;
    EXPECT_EQ(text.find("*TLS*"), std::string::npos);
    for (const TranscriptEvent& e : s->transcript().events())
        if (e.kind == TranscriptEvent::Kind::data) {
            EXPECT_TRUE(e.tls);
        }
}

TEST(Tls, HostMismatchIsRecorded) {
    TlsServerContext ctx("smtpspec-test", {"DNS:mail.smtpspec.test"});
    LoopbackServer server([&](int fd) { TlsServerSession tls(ctx.ctx, fd); });
    ConnectOptions c;
    c.timeout = Duration{2000};
    c.tls.host = "other.smtpspec.test";
    Connected conn = connect(target_of(server.target("tls")), c);
    ASSERT_TRUE(conn.connection) << conn.result.message;
    ASSERT_TRUE(conn.connection->tls_facts());
    EXPECT_FALSE(conn.connection->tls_facts()->host_matches);
    conn.connection->close();
}

TEST(Tls, PlaintextWhereTlsIsExpected) {
    LoopbackServer server([](int fd) {
        send_all(fd, "220 mx.smtpspec.test ESMTP plaintext\r\n");
        test::wait_closed(fd);
    });
    ConnectOptions c;
    c.timeout = short_timeout;
    Connected conn = connect(target_of(server.target("tls")), c);
    EXPECT_FALSE(conn.connection);
    EXPECT_EQ(conn.result.status, IoStatus::tls_failed);
    EXPECT_NE(conn.result.message.find("TLS handshake"), std::string::npos) << conn.result.message;
    EXPECT_NE(conn.result.message.find("does not seem to speak TLS"), std::string::npos) << conn.result.message;
}

TEST(Tls, ServerClosesDuringTheHandshake) {
    LoopbackServer server([](int fd) {
        char buf[64];
        ::recv(fd, buf, sizeof buf, 0);  // part of the ClientHello, then leave
    });
    ConnectOptions c;
    c.timeout = short_timeout;
    Connected conn = connect(target_of(server.target("tls")), c);
    EXPECT_FALSE(conn.connection);
    EXPECT_EQ(conn.result.status, IoStatus::tls_failed);
    EXPECT_NE(conn.result.message.find("the server closed the connection"), std::string::npos)
        << conn.result.message;
}

TEST(Tls, SilentServerDuringTheHandshake) {
    LoopbackServer server([](int fd) { test::wait_closed(fd); });
    ConnectOptions c;
    c.timeout = short_timeout;
    Connected conn = connect(target_of(server.target("tls")), c);
    EXPECT_FALSE(conn.connection);
    EXPECT_EQ(conn.result.status, IoStatus::tls_failed);
    EXPECT_NE(conn.result.message.find("no answer within"), std::string::npos) << conn.result.message;
}

TEST(Tls, StartTlsOnExecIsUnsupported) {
    IoResult io;
    auto s = Session::open(target_of("exec:printf '220 x\\r\\n'; read l"), {}, {}, io);
    ASSERT_TRUE(s) << io.message;
    EXPECT_EQ(s->start_tls({}).status, IoStatus::unsupported);
    EXPECT_EQ(s->read_reply().code(), 220u);  // the session goes on
}

TEST(Tls, Offerable) {
    EXPECT_TRUE(offerable(TlsVersion::tls1_2));
    EXPECT_TRUE(offerable(TlsVersion::tls1_3));
#ifdef OPENSSL_NO_SSL3
    EXPECT_FALSE(offerable(TlsVersion::ssl3));
#endif
}

TEST(TlsProbe, ModernServerRefusesOldVersions) {
    for (TlsVersion v : {TlsVersion::tls1_0, TlsVersion::tls1_1}) {
        TlsServerContext ctx;
        SSL_CTX_set_min_proto_version(ctx.ctx, TLS1_2_VERSION);
        LoopbackServer server([&](int fd) { TlsServerSession tls(ctx.ctx, fd); });
        TlsProbe p = probe_tls_version(target_of(server.target("tls")), v, Duration{2000});
        if (!offerable(v)) {
            EXPECT_EQ(p.result, TlsProbe::Result::not_offerable) << p.message;
            continue;
        }
        EXPECT_EQ(p.result, TlsProbe::Result::refused) << to_string(v) << ": " << p.message;
        EXPECT_NE(p.message.find(to_string(v)), std::string::npos);
    }
}

TEST(TlsProbe, OldServerAcceptsTls10OverStartTls) {
    if (!offerable(TlsVersion::tls1_0)) GTEST_SKIP() << "the local OpenSSL cannot offer TLS 1.0";
    TlsServerContext ctx;
    ctx.allow_old_versions();
    LoopbackServer server(
        [&](int fd) { starttls_server(fd, ctx.ctx, [](TlsServerSession& tls) { tls.read_line(); }); });
    TlsProbe p = probe_tls_version(target_of(server.target()), TlsVersion::tls1_0, Duration{2000});
    EXPECT_EQ(p.result, TlsProbe::Result::accepted) << p.message;
}

TEST(TlsProbe, Ssl3IsNotOfferableHere) {
    if (offerable(TlsVersion::ssl3)) GTEST_SKIP() << "this OpenSSL can still offer SSLv3";
    // Nothing listens: the probe must say "not offerable" before connecting.
    TlsProbe p = probe_tls_version(target_of("tls://127.0.0.1:1"), TlsVersion::ssl3, short_timeout);
    EXPECT_EQ(p.result, TlsProbe::Result::not_offerable);
    EXPECT_EQ(to_string(p.result), "not offerable by the local OpenSSL");
}

TEST(TlsProbe, NoStartTlsMeansUnavailable) {
    LoopbackServer server([](int fd) {
        send_all(fd, "220 mx.smtpspec.test\r\n");
        test::read_line(fd);
        send_all(fd, "250 mx.smtpspec.test\r\n");
        test::read_line(fd);
        send_all(fd, "502 5.5.1 no STARTTLS here\r\n");
        test::wait_closed(fd);
    });
    TlsProbe p = probe_tls_version(target_of(server.target()), TlsVersion::tls1_2, Duration{2000});
    EXPECT_EQ(p.result, TlsProbe::Result::unavailable);
    EXPECT_NE(p.message.find("answered STARTTLS with 502"), std::string::npos) << p.message;
}

TEST(SelfSigned, MakesAUsableCertificate) {
    SelfSigned c = make_self_signed("reference.smtpspec.test", {"DNS:reference.smtpspec.test", "IP:::1"});
    EXPECT_EQ(c.certificate_pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
    EXPECT_NE(c.private_key_pem.find("PRIVATE KEY-----"), std::string::npos);
    EXPECT_THROW(make_self_signed("x", {"NOPE:x"}), std::runtime_error);
}

}  // namespace
}  // namespace smtpspec::conformance
