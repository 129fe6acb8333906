// Examples for the incremental ReplyReader: framing (RFC 5321 §4.2), the
// reply line limit (§4.5.3.1.5) enforced before a line is complete, recovery
// after malformed replies, and hostile input.
#include "smtpspec/grammar/reply_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smtpspec/grammar/print.hpp"

namespace {

using namespace smtpspec::grammar;

// An event as a line of text, to compare sequences of events.
std::string show(ReplyReader::Event const& e) {
    if (std::holds_alternative<ReplyReader::NeedMore>(e)) return "need-more";
    if (auto const* c = std::get_if<ReplyReader::Complete>(&e)) {
        std::string s = "complete " + print(c->reply) + "raw=" + c->raw;
        for (auto const& d : c->deviations) s += " ~" + d.id + "@" + std::to_string(d.offset);
        return s;
    }
    auto const& f = std::get<ReplyReader::Failed>(e);
    return std::string(f.error.kind == ErrorKind::limit ? "limit" : "syntax") + "@" + std::to_string(f.error.offset) +
           ":" + f.error.expected + " raw=" + f.raw;
}

// Every event up to the first NeedMore.
std::vector<std::string> drain(ReplyReader& reader) {
    std::vector<std::string> out;
    for (;;) {
        auto e = reader.next();
        if (std::holds_alternative<ReplyReader::NeedMore>(e)) return out;
        out.push_back(show(e));
    }
}

std::vector<std::string> read_all(std::string_view input, Options options = {}) {
    ReplyReader reader(options);
    reader.feed(input);
    return drain(reader);
}

TEST(ReplyReader, NeedsMoreUntilTheLastLineEnds) {
    ReplyReader reader;
    EXPECT_TRUE(std::holds_alternative<ReplyReader::NeedMore>(reader.next()));
    reader.feed("250-first\r\n250 la");
    EXPECT_TRUE(std::holds_alternative<ReplyReader::NeedMore>(reader.next()));
    EXPECT_EQ(reader.buffered(), 17u);
    reader.feed("st\r");
    EXPECT_TRUE(std::holds_alternative<ReplyReader::NeedMore>(reader.next()));
    reader.feed("\n");
    auto e = reader.next();
    ASSERT_TRUE(std::holds_alternative<ReplyReader::Complete>(e)) << show(e);
    auto const& c = std::get<ReplyReader::Complete>(e);
    EXPECT_EQ(c.reply.code, 250u);
    ASSERT_EQ(c.reply.lines.size(), 2u);
    EXPECT_EQ(c.reply.lines[1].text, "last");
    EXPECT_EQ(c.raw, "250-first\r\n250 last\r\n");
    EXPECT_EQ(reader.buffered(), 0u);
    EXPECT_FALSE(reader.failed());
}

TEST(ReplyReader, SeveralRepliesInOneChunk) {
    EXPECT_EQ(read_all("250 a\r\n354 go\r\n250-x\r\n250 2.0.0 y\r\n221 bye"),
              (std::vector<std::string>{"complete 250 a\r\nraw=250 a\r\n", "complete 354 go\r\nraw=354 go\r\n",
                                        "complete 250-x\r\n250 2.0.0 y\r\nraw=250-x\r\n250 2.0.0 y\r\n"}));
}

TEST(ReplyReader, MalformedReplyIsOneFailureAndReadingGoesOn) {
    EXPECT_EQ(read_all("hello\r\n250 OK\r\n"),
              (std::vector<std::string>{"syntax@0:Reply-code raw=hello\r\n", "complete 250 OK\r\nraw=250 OK\r\n"}));
    // A continuation line with another code: the whole framed reply fails.
    EXPECT_EQ(read_all("250-a\r\n251-b\r\n251 c\r\n220 d\r\n"),
              (std::vector<std::string>{"syntax@7:Reply-code raw=250-a\r\n251-b\r\n251 c\r\n",
                                        "complete 220 d\r\nraw=220 d\r\n"}));
    EXPECT_EQ(read_all("\r\n250 OK\r\n"),
              (std::vector<std::string>{"syntax@0:Reply-code raw=\r\n", "complete 250 OK\r\nraw=250 OK\r\n"}));
}

TEST(ReplyReader, NulAndControlOctets) {
    std::string const input("250 a\0b\r\n250 \x01\r\n250 ok\r\n", 24);
    EXPECT_EQ(read_all(input), (std::vector<std::string>{std::string("syntax@5:CRLF raw=250 a\0b\r\n", 27),
                                                         "syntax@3:CRLF raw=250 \x01\r\n",
                                                         "complete 250 ok\r\nraw=250 ok\r\n"}));
}

TEST(ReplyReader, BareLfIsAnErrorInStrictModeAndADeviationInLenientMode) {
    EXPECT_EQ(read_all("250-a\n250 b\n250 c\r\n"),
              (std::vector<std::string>{"syntax@5:CRLF raw=250-a\n250 b\n", "complete 250 c\r\nraw=250 c\r\n"}));
    EXPECT_EQ(read_all("250-a\n250 b\n250 c\r\n", Options{Mode::lenient, false}),
              (std::vector<std::string>{"complete 250-a\r\n250 b\r\nraw=250-a\n250 b\n ~bare-lf@5 ~bare-lf@11",
                                        "complete 250 c\r\nraw=250 c\r\n"}));
}

TEST(ReplyReader, LenientTrailingSpace) {
    EXPECT_EQ(read_all("250 \r\n", Options{Mode::lenient, false}),
              (std::vector<std::string>{"complete 250\r\nraw=250 \r\n ~reply-trailing-space@3"}));
    EXPECT_EQ(read_all("250 \r\n"), (std::vector<std::string>{"syntax@3:CRLF raw=250 \r\n"}));
}

TEST(ReplyReader, LineOfExactlyTheLimitIsAccepted) {
    std::string const line = "250 " + std::string(506, 'x') + "\r\n";
    ReplyReader reader;
    for (char c : line) {
        reader.feed(std::string_view(&c, 1));
        EXPECT_LE(reader.buffered(), limits::reply_line);
    }
    auto e = reader.next();
    ASSERT_TRUE(std::holds_alternative<ReplyReader::Complete>(e)) << show(e);
    EXPECT_EQ(std::get<ReplyReader::Complete>(e).raw, line);
}

TEST(ReplyReader, OverlongLineFailsAsSoonAsItCannotEndInTime) {
    // "250 " and 507 more octets: with a CRLF the line would be 513.
    ReplyReader reader;
    std::string const head = "250 " + std::string(506, 'x');
    reader.feed(head);
    EXPECT_TRUE(std::holds_alternative<ReplyReader::NeedMore>(reader.next()));
    reader.feed("x");
    auto e = reader.next();
    ASSERT_TRUE(std::holds_alternative<ReplyReader::Failed>(e)) << show(e);
    auto const& f = std::get<ReplyReader::Failed>(e);
    EXPECT_EQ(f.error.kind, ErrorKind::limit);
    EXPECT_EQ(f.error.offset, 0u);
    EXPECT_EQ(f.error.expected, "Reply-line");
    EXPECT_EQ(f.raw, head + "x");
    EXPECT_TRUE(reader.failed());
    // A limit failure is final: nothing more comes out, nothing more is kept.
    reader.feed("\r\n250 OK\r\n");
    EXPECT_TRUE(std::holds_alternative<ReplyReader::NeedMore>(reader.next()));
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(ReplyReader, OverlongCompleteLineInOneChunk) {
    std::string const line = "250 " + std::string(507, 'x') + "\r\n";
    auto const events = read_all("250 first\r\n250-a\r\n" + line + "250 never\r\n");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0], "complete 250 first\r\nraw=250 first\r\n");
    EXPECT_EQ(events[1].substr(0, 22), "limit@7:Reply-line raw");
}

TEST(ReplyReader, EndlessLineStaysBounded) {
    ReplyReader reader;
    std::string const chunk(4096, 'A');
    reader.feed("250 ");
    bool failed = false;
    std::size_t fed = 4;
    for (int i = 0; i < 10 * 256 && !reader.failed(); ++i) {
        reader.feed(chunk);
        fed += chunk.size();
        EXPECT_LE(reader.buffered(), limits::reply_line + 1);
        auto e = reader.next();
        if (auto const* f = std::get_if<ReplyReader::Failed>(&e)) {
            EXPECT_EQ(f->error.kind, ErrorKind::limit);
            EXPECT_LE(f->raw.size(), limits::reply_line + 1);
            failed = true;
        }
    }
    EXPECT_TRUE(failed);
    EXPECT_TRUE(reader.failed());
    EXPECT_EQ(fed, 4u + 4096u);  // the first chunk already passed the bound
    // 10 MB more changes nothing.
    for (int i = 0; i < 10 * 256; ++i) reader.feed(chunk);
    EXPECT_EQ(reader.buffered(), 0u);
    EXPECT_TRUE(std::holds_alternative<ReplyReader::NeedMore>(reader.next()));
}

TEST(ReplyReader, HugeChunkWithoutNextStaysBounded) {
    ReplyReader reader;
    reader.feed("250 " + std::string(10 * 1024 * 1024, 'x'));
    EXPECT_LE(reader.buffered(), limits::reply_line + 1);
    auto e = reader.next();
    ASSERT_TRUE(std::holds_alternative<ReplyReader::Failed>(e));
    EXPECT_EQ(std::get<ReplyReader::Failed>(e).error.kind, ErrorKind::limit);
}

TEST(ReplyReader, EndlessContinuationLines) {
    ReplyReader reader;
    std::size_t lines = 0;
    while (!reader.failed() && lines < 10 * limits::reply_lines) {
        reader.feed("250-more\r\n");
        ++lines;
        EXPECT_LE(reader.buffered(), limits::reply_lines * 10);
        auto e = reader.next();
        if (auto const* f = std::get_if<ReplyReader::Failed>(&e)) {
            EXPECT_EQ(f->error.kind, ErrorKind::limit);
            EXPECT_EQ(f->error.offset, limits::reply_lines * 10);
        }
    }
    EXPECT_TRUE(reader.failed());
    EXPECT_EQ(lines, limits::reply_lines);
}

TEST(ReplyReader, MaxLinesLinesAreAccepted) {
    ReplyReader reader({}, limits::reply_line, 3);
    reader.feed("250-a\r\n250-b\r\n250 c\r\n");
    auto e = reader.next();
    ASSERT_TRUE(std::holds_alternative<ReplyReader::Complete>(e)) << show(e);
    EXPECT_EQ(std::get<ReplyReader::Complete>(e).reply.lines.size(), 3u);
    reader.feed("250-a\r\n250-b\r\n250-c\r\n");
    e = reader.next();
    ASSERT_TRUE(std::holds_alternative<ReplyReader::Failed>(e)) << show(e);
    EXPECT_EQ(std::get<ReplyReader::Failed>(e).error.offset, 21u);
}

TEST(ReplyReader, CustomLineLimit) {
    ReplyReader reader({}, 12);
    reader.feed("250 12345678\r\n");  // 14 octets
    auto e = reader.next();
    ASSERT_TRUE(std::holds_alternative<ReplyReader::Failed>(e)) << show(e);
    EXPECT_EQ(std::get<ReplyReader::Failed>(e).error.kind, ErrorKind::limit);

    ReplyReader roomy({}, 1000);
    std::string const line = "250 " + std::string(990, 'y') + "\r\n";  // 996 octets: over 512, under 1000
    roomy.feed(line);
    e = roomy.next();
    ASSERT_TRUE(std::holds_alternative<ReplyReader::Complete>(e)) << show(e);
}

TEST(ReplyReader, GarbageBytes) {
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
    ReplyReader reader;
    reader.feed(garbage);
    for (int i = 0; i < 10000; ++i) {
        auto e = reader.next();
        if (std::holds_alternative<ReplyReader::NeedMore>(e)) break;
        ASSERT_FALSE(std::holds_alternative<ReplyReader::Complete>(e)) << show(e);
    }
    EXPECT_LE(reader.buffered(), limits::reply_line + 1);
}

// Beast's parsegrind: the same events whatever the split.
TEST(ReplyReader, EverySplitPointGivesTheSameEvents) {
    std::string const input =
        "220 mx.example ESMTP\r\n250-mx.example\r\n250-SIZE 100\r\n250 PIPELINING\r\n"
        "bogus\r\n250 2.1.0 ok\r\n354 go on\r\n550-5.1.1 no\r\n550 5.1.1 such user\r\n";
    auto const whole = read_all(input);
    ASSERT_EQ(whole.size(), 6u);
    for (std::size_t i = 0; i <= input.size(); ++i) {
        for (std::size_t j = i; j <= input.size(); ++j) {
            ReplyReader reader;
            std::vector<std::string> events;
            for (auto const& piece : {input.substr(0, i), input.substr(i, j - i), input.substr(j)}) {
                reader.feed(piece);
                for (auto& e : drain(reader)) events.push_back(std::move(e));
            }
            ASSERT_EQ(events, whole) << "split at " << i << " and " << j;
        }
    }
}

TEST(ReplyReader, ByteByByteGivesTheSameEvents) {
    std::string const input = "250-a\n250 b\n220 x\r\n250 \r\n";
    for (auto mode : {Mode::strict, Mode::lenient}) {
        Options const options{mode, false};
        auto const whole = read_all(input, options);
        ReplyReader reader(options);
        std::vector<std::string> events;
        for (char c : input) {
            reader.feed(std::string_view(&c, 1));
            for (auto& e : drain(reader)) events.push_back(std::move(e));
        }
        EXPECT_EQ(events, whole);
    }
}

}  // namespace
