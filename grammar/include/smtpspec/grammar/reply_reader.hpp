// Incremental reply reader: bytes arrive in arbitrary chunks, complete replies
// come out. Pure: it owns a bounded buffer and does no I/O.
//
// Framing follows RFC 5321 §4.2: a reply is one or more lines ending in CRLF;
// a line whose code is followed by "-" continues the reply, one followed by SP
// or CRLF ends it. A line longer than limits::reply_line, or a reply with more
// than limits::reply_lines lines, is an error (kind `limit`) as soon as it is
// seen, before the line is complete: a server sending an endless line cannot
// make the reader grow.
//
// Lines are cut at LF: a line ending in LF without CR is a syntax error in
// strict mode and a deviation ("bare-lf") in lenient mode, and in both the
// next line starts after it. A line continues the reply when its fourth octet
// is "-", whatever the rest of it is, so that a malformed reply comes out as
// one Failed event and the replies after it stay in step.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/result.hpp"

namespace smtpspec::grammar {

class ReplyReader {
public:
    struct NeedMore {
        bool operator==(const NeedMore&) const = default;
    };
    // A complete reply, its exact wire bytes, and the deviations lenient mode accepted.
    struct Complete {
        ast::Reply reply;
        std::string raw;
        std::vector<Deviation> deviations;
    };
    // A reply that cannot be framed or parsed. `raw` holds the bytes consumed for
    // it and `error.offset` is an offset into `raw`; after an error of kind `limit`
    // the reader stays failed (the stream cannot be re-synchronised with
    // confidence), after a `syntax` error it resumes at the next line after the
    // framed reply (the line whose fourth octet is not "-").
    struct Failed {
        ParseError error;
        std::string raw;
    };
    using Event = std::variant<NeedMore, Complete, Failed>;

    explicit ReplyReader(Options options = {}, std::size_t max_line = limits::reply_line,
                         std::size_t max_lines = limits::reply_lines);

    // Append bytes received from the server.
    void feed(std::string_view bytes);
    // The next event; call until it returns NeedMore.
    Event next();
    // Bytes buffered but not yet part of a complete reply (at most max_lines
    // lines of at most max_line octets).
    std::size_t buffered() const noexcept;
    // True after a `limit` failure.
    bool failed() const noexcept;

private:
    void end_line();
    void overflow(std::size_t at, std::size_t end, std::string message);
    std::size_t proof_end() const;
    void too_long();
    void fail();

    Options options_;
    std::size_t max_line_;
    std::size_t max_lines_;
    std::string buffer_;
    std::size_t consumed_ = 0;     // bytes of buffer_ already returned in events
    std::size_t reply_start_ = 0;  // start of the reply being framed
    std::size_t line_start_ = 0;   // start of the line being framed
    std::size_t lines_ = 0;        // complete lines of the reply being framed
    std::deque<std::size_t> ends_;  // ends of framed replies not yet returned, ascending
    std::optional<Failed> overflow_;  // a limit failure, returned after the framed replies
    bool failed_ = false;
};

}  // namespace smtpspec::grammar
