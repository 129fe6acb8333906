// Fuzz target: the incremental ReplyReader (RFC 5321 §4.2 framing), parse_reply
// and parse_enhanced_code (RFC 3463 §2).
//
// Invariant: parse, or report a syntax error; never crash, hang or throw anything else.
//
// Input: the mode byte (fuzz_common.hpp), then a chunk byte, then the server's
// bytes. The reader is fed those bytes in chunks whose sizes the chunk byte
// chooses (0: all at once; n: pseudo-random sizes from 1 to n), and the events
// it returns are checked:
// - every event consumes input: the raw bytes of the events, in order, are a
//   prefix of what was fed, and with buffered() they are all of it;
// - a Complete reply is what parse_reply makes of its raw bytes;
// - the buffer stays bounded by the reader's line and line-count limits;
// - the events do not depend on how the bytes were split: feeding everything
//   at once gives the same replies and errors (up to the first `limit` error,
//   which the reader may report as soon as a line grows too long).
// parse_reply and parse_enhanced_code on the whole text get the checks of
// fuzz_common.hpp (strict ok implies lenient ok, parse(print(value)) == value).
#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "fuzz_common.hpp"
#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/reply_reader.hpp"

namespace {

namespace g = smtpspec::grammar;
using Reader = g::ReplyReader;

struct Run {
    std::vector<Reader::Event> events;  // Complete and Failed only
};

// Feeds `input` to a fresh reader in the given chunk sizes, draining events after
// each feed, and checks the per-event invariants.
Run read_all(std::string_view input, std::vector<std::size_t> const& chunks, g::Options options,
             std::size_t max_line, std::size_t max_lines) {
    Reader reader(options, max_line, max_lines);
    Run run;
    std::string consumed;  // raw bytes of the events so far
    std::size_t fed = 0;
    for (std::size_t chunk : chunks) {
        reader.feed(input.substr(fed, chunk));
        fed += chunk;
        while (!reader.failed()) {
            auto event = reader.next();
            if (std::holds_alternative<Reader::NeedMore>(event)) break;
            std::string const& raw = std::holds_alternative<Reader::Complete>(event)
                                         ? std::get<Reader::Complete>(event).raw
                                         : std::get<Reader::Failed>(event).raw;
            bool const limit_failure = std::holds_alternative<Reader::Failed>(event) &&
                                       std::get<Reader::Failed>(event).error.kind == g::ErrorKind::limit;
            // An event that consumes nothing would be returned forever.
            SMTPSPEC_FUZZ_CHECK(!raw.empty() || limit_failure, input);
            consumed += raw;
            SMTPSPEC_FUZZ_CHECK(consumed.size() <= fed && input.substr(0, consumed.size()) == consumed, input);
            if (auto const* c = std::get_if<Reader::Complete>(&event)) {
                SMTPSPEC_FUZZ_CHECK(!c->reply.lines.empty(), input);
                if (max_line == g::limits::reply_line && max_lines == g::limits::reply_lines) {
                    auto const parsed = g::parse_reply(c->raw, options);
                    SMTPSPEC_FUZZ_CHECK(parsed.ok(), input);
                    SMTPSPEC_FUZZ_CHECK(parsed.value() == c->reply, input);
                }
            } else {
                auto const& f = std::get<Reader::Failed>(event);
                SMTPSPEC_FUZZ_CHECK(!f.error.message.empty(), input);
                SMTPSPEC_FUZZ_CHECK(limit_failure == reader.failed(), input);
            }
            run.events.push_back(std::move(event));
            SMTPSPEC_FUZZ_CHECK(run.events.size() <= input.size() + 1, input);
        }
        if (!reader.failed()) {
            SMTPSPEC_FUZZ_CHECK(consumed.size() + reader.buffered() == fed, input);
            // A partial reply: at most max_lines lines of at most max_line octets.
            SMTPSPEC_FUZZ_CHECK(reader.buffered() <= max_line * max_lines, input);
        }
    }
    return run;
}

// The same replies and syntax errors, in the same order, up to the first limit error.
void check_same(Run const& a, Run const& b, std::string_view input) {
    std::size_t const n = std::min(a.events.size(), b.events.size());
    for (std::size_t i = 0; i < n; ++i) {
        auto const* fa = std::get_if<Reader::Failed>(&a.events[i]);
        auto const* fb = std::get_if<Reader::Failed>(&b.events[i]);
        if ((fa && fa->error.kind == g::ErrorKind::limit) || (fb && fb->error.kind == g::ErrorKind::limit)) {
            SMTPSPEC_FUZZ_CHECK(fa && fb && fa->error.kind == fb->error.kind, input);
            return;
        }
        SMTPSPEC_FUZZ_CHECK(a.events[i].index() == b.events[i].index(), input);
        if (fa) {
            SMTPSPEC_FUZZ_CHECK(fa->error == fb->error && fa->raw == fb->raw, input);
        } else {
            auto const& ca = std::get<Reader::Complete>(a.events[i]);
            auto const& cb = std::get<Reader::Complete>(b.events[i]);
            SMTPSPEC_FUZZ_CHECK(ca.reply == cb.reply && ca.raw == cb.raw && ca.deviations == cb.deviations, input);
        }
    }
    SMTPSPEC_FUZZ_CHECK(a.events.size() == b.events.size(), input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto const mode = smtpspec::fuzz::take_mode(data, size);
    unsigned const chunk_byte = size > 0 ? data[0] : 0;
    if (size > 0) {
        ++data;
        --size;
    }
    std::string_view const input(reinterpret_cast<const char*>(data), size);

    // Chunk sizes from the chunk byte: a linear congruential sequence, so that the
    // same input always splits the same way.
    std::vector<std::size_t> chunks;
    if (chunk_byte == 0) {
        chunks.push_back(size);
    } else {
        std::uint32_t state = chunk_byte * 2654435761u;
        for (std::size_t left = size; left > 0;) {
            state = state * 1664525u + 1013904223u;
            std::size_t const n = std::min<std::size_t>(left, 1 + (state >> 16) % chunk_byte);
            chunks.push_back(n);
            left -= n;
        }
    }

    std::size_t const max_line = mode.small_limits ? 24 : g::limits::reply_line;
    std::size_t const max_lines = mode.small_limits ? 3 : g::limits::reply_lines;
    auto const options = smtpspec::fuzz::options(mode.lenient ? g::Mode::lenient : g::Mode::strict, mode.smtputf8);

    auto const chunked = read_all(input, chunks, options, max_line, max_lines);
    if (chunk_byte != 0) {
        auto const whole = read_all(input, {size}, options, max_line, max_lines);
        check_same(chunked, whole, input);
    }

    smtpspec::fuzz::check_parse(&g::parse_reply, input, mode.smtputf8);
    smtpspec::fuzz::check_parse(&g::parse_enhanced_code, input, mode.smtputf8);
    return 0;
}
