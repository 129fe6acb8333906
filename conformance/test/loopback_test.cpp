// The TCP adapter against hostile servers on 127.0.0.1: each case ends in an
// error result within its deadline, with bounded memory.
#include "smtpspec/conformance/session.hpp"

#include <gtest/gtest.h>

#include <random>

#include "loopback_server.hpp"
#include "smtpspec/grammar/limits.hpp"

namespace smtpspec::conformance {
namespace {

using Kind = ReplyOutcome::Kind;
using test::LoopbackServer;
using test::send_all;

constexpr Duration short_timeout{300};

std::unique_ptr<Session> open(const std::string& text, IoResult& io) {
    auto t = parse_target(text);
    EXPECT_TRUE(std::holds_alternative<Target>(t));
    ConnectOptions c;
    c.timeout = short_timeout;
    SessionOptions o;
    o.timeout = short_timeout;
    return Session::open(std::get<Target>(t), c, o, io);
}

std::unique_ptr<Session> open(const LoopbackServer& server) {
    IoResult io;
    auto s = open(server.target(), io);
    EXPECT_TRUE(s) << io.message;
    return s;
}

TEST(Loopback, ConversationAndCleanClose) {
    LoopbackServer server([](int fd) {
        send_all(fd, "220 mx.test ESMTP\r\n");
        std::string line = test::read_line(fd);
        send_all(fd, line == "EHLO c.test\r\n" ? "250-mx.test\r\n250 PIPELINING\r\n" : "500 what\r\n");
        // Two commands in one segment get two replies in one segment.
        std::string a = test::read_line(fd), b = test::read_line(fd);
        if (a == "NOOP\r\n" && b == "QUIT\r\n") send_all(fd, "250 ok\r\n221 bye\r\n");
    });
    auto s = open(server);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().code(), 220u);
    s->send("EHLO c.test\r\n");
    ReplyOutcome ehlo = s->read_reply();
    EXPECT_EQ(ehlo.code(), 250u);
    EXPECT_EQ(ehlo.reply->lines.size(), 2u);
    s->send("NOOP\r\nQUIT\r\n");
    EXPECT_EQ(s->read_reply().code(), 250u);
    EXPECT_EQ(s->read_reply().code(), 221u);
    ReplyOutcome end = s->read_reply();
    EXPECT_EQ(end.kind, Kind::closed);
    EXPECT_EQ(end.closed_how, ReplyOutcome::Close::eof);
    EXPECT_NE(s->transcript().text().find("C: NOOP\nC: QUIT\nS: 250 ok\nS: 221 bye\n*SERVER CLOSED*\n"),
              std::string::npos)
        << s->transcript().text();
}

TEST(Loopback, Refused) {
    std::uint16_t port = 0;
    { LoopbackServer gone([](int) {}); port = gone.port(); }  // nothing listens there any more
    IoResult io;
    auto s = open("tcp://127.0.0.1:" + std::to_string(port), io);
    EXPECT_FALSE(s);
    EXPECT_EQ(io.status, IoStatus::refused);
    EXPECT_NE(io.message.find("cannot connect to 127.0.0.1 port"), std::string::npos) << io.message;
}

TEST(Loopback, EndlessLine) {
    LoopbackServer server([](int fd) {
        std::string block(64 * 1024, 'a');
        if (!send_all(fd, "220 ")) return;
        for (int i = 0; i < 320 && send_all(fd, block); ++i) {  // at most 20 MB
        }
    });
    auto s = open(server);
    ASSERT_TRUE(s);
    ReplyOutcome r = s->read_reply();
    ASSERT_EQ(r.kind, Kind::malformed) << r.message;
    EXPECT_EQ(r.error->kind, grammar::ErrorKind::limit);
    EXPECT_LE(s->buffered(), grammar::limits::reply_line);
    EXPECT_LE(s->transcript().recorded_bytes(), 64u * 1024);
    EXPECT_EQ(s->read_reply().kind, Kind::malformed);  // and nothing more is read
    s->close();
}

TEST(Loopback, EndlessContinuationLines) {
    LoopbackServer server([](int fd) {
        std::string block;
        for (int i = 0; i < 1000; ++i) block += "220-more and more\r\n";
        for (int i = 0; i < 1000 && send_all(fd, block); ++i) {
        }
    });
    auto s = open(server);
    ASSERT_TRUE(s);
    ReplyOutcome r = s->read_reply();
    ASSERT_EQ(r.kind, Kind::malformed) << r.message;
    EXPECT_EQ(r.error->kind, grammar::ErrorKind::limit);
    EXPECT_LE(s->buffered(), grammar::limits::reply_line);
    EXPECT_LE(s->transcript().recorded_bytes(), 2u << 20);
    s->close();
}

TEST(Loopback, TenMegabytesOfGarbage) {
    LoopbackServer server([](int fd) {
        std::mt19937 rng(5321);
        std::string block(64 * 1024, '\0');
        for (int i = 0; i < 160; ++i) {  // 10 MB
            for (char& c : block) c = static_cast<char>(rng());
            if (!send_all(fd, block)) return;
        }
    });
    SessionOptions o;
    o.timeout = short_timeout;
    o.transcript_bytes = 1u << 20;
    auto t = std::get<Target>(parse_target(server.target()));
    IoResult io;
    ConnectOptions c;
    c.timeout = short_timeout;
    auto s = Session::open(t, c, o, io);
    ASSERT_TRUE(s) << io.message;
    // Every outcome is malformed until the stream ends (or a line over the limit stops it).
    std::size_t malformed = 0;
    ReplyOutcome r;
    for (std::size_t i = 0; i < 200000; ++i) {
        r = s->read_reply();
        if (r.kind != Kind::malformed && r.kind != Kind::reply) break;
        if (r.kind == Kind::malformed) ++malformed;
        EXPECT_LE(s->buffered(), grammar::limits::reply_line);
        if (r.error && r.error->kind == grammar::ErrorKind::limit) break;
    }
    EXPECT_GT(malformed, 0u);
    EXPECT_LE(s->transcript().recorded_bytes(), 1u << 20);
    s->close();
}

TEST(Loopback, TenMegabytesOfGarbageLinesThenClose) {
    LoopbackServer server([](int fd) {
        std::string block;
        while (block.size() < 64 * 1024)
            block += "garbage " + std::to_string(block.size()) + std::string(460, '~') + "\r\n";
        for (std::size_t sent = 0; sent < (10u << 20); sent += block.size())
            if (!send_all(fd, block)) return;
    });
    SessionOptions o;
    o.timeout = Duration{2000};
    o.transcript_bytes = 1u << 20;
    IoResult io;
    ConnectOptions c;
    c.timeout = short_timeout;
    auto s = Session::open(std::get<Target>(parse_target(server.target())), c, o, io);
    ASSERT_TRUE(s) << io.message;
    std::size_t malformed = 0;
    ReplyOutcome r;
    for (;;) {
        r = s->read_reply();
        if (r.kind != Kind::malformed) break;
        ++malformed;
        ASSERT_LE(s->buffered(), 64u * 1024);
    }
    EXPECT_EQ(r.kind, Kind::closed) << r.message;
    EXPECT_GT(malformed, 20000u);
    EXPECT_EQ(s->transcript().recorded_bytes(), 1u << 20);
    EXPECT_GT(s->transcript().dropped_bytes(), 9u << 20);
}

TEST(Loopback, Silence) {
    LoopbackServer server([](int fd) { test::wait_closed(fd); });
    auto s = open(server);
    ASSERT_TRUE(s);
    ReplyOutcome r = s->read_reply();
    EXPECT_EQ(r.kind, Kind::timeout);
    EXPECT_EQ(r.io.status, IoStatus::timeout);
    EXPECT_NE(r.message.find("no complete reply within 300 ms"), std::string::npos);
    s->close();
}

TEST(Loopback, ReadingGoesOnAfterATimeout) {
    LoopbackServer server([](int fd) {
        ::usleep(400'000);
        send_all(fd, "220 late but fine\r\n");
        test::wait_closed(fd);
    });
    auto s = open(server);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().kind, Kind::timeout);
    EXPECT_EQ(s->read_reply(Duration{2000}).code(), 220u);
    s->close();
}

TEST(Loopback, SlowDripIsATimeoutNotAHang) {
    LoopbackServer server([](int fd) {
        for (char c : std::string("220 slow")) {
            if (!send_all(fd, std::string(1, c))) return;
            ::usleep(60'000);
        }
        test::wait_closed(fd);
    });
    auto s = open(server);
    ASSERT_TRUE(s);
    ReplyOutcome r = s->read_reply();
    EXPECT_EQ(r.kind, Kind::timeout);
    s->close();
}

TEST(Loopback, CloseMidReply) {
    LoopbackServer server([](int fd) { send_all(fd, "220-mx.test\r\n220 half a li"); });
    auto s = open(server);
    ASSERT_TRUE(s);
    ReplyOutcome r = s->read_reply();
    ASSERT_EQ(r.kind, Kind::closed) << r.message;
    EXPECT_EQ(r.closed_how, ReplyOutcome::Close::mid_reply);
    EXPECT_NE(s->transcript().text().find("# the server sent 13 bytes without a line end: 220 half a li\n"
                                          "*SERVER CLOSED*\n"),
              std::string::npos)
        << s->transcript().text();
}

TEST(Loopback, ResetAfterGreeting) {
    LoopbackServer server(
        [](int fd) {
            send_all(fd, "220 mx.test\r\n");
            test::read_line(fd);
            test::reset(fd);
        },
        true);
    auto s = open(server);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().code(), 220u);
    s->send("NOOP\r\n");
    ReplyOutcome r = s->read_reply();
    ASSERT_EQ(r.kind, Kind::closed) << r.message;
    EXPECT_EQ(r.closed_how, ReplyOutcome::Close::reset);
}

TEST(Loopback, WritesAfterTheServerLeftFail) {
    LoopbackServer server([](int fd) { send_all(fd, "421 bye\r\n"); });
    auto s = open(server);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().code(), 421u);
    EXPECT_EQ(s->read_reply().kind, Kind::closed);
    // Writing may still succeed once (the kernel buffers it); it never crashes or hangs.
    for (int i = 0; i < 5; ++i) s->send("NOOP\r\n");
    EXPECT_EQ(s->read_reply().kind, Kind::closed);
}

}  // namespace
}  // namespace smtpspec::conformance
