// Incremental reply reader: bytes arrive in arbitrary chunks, complete replies
// come out. Pure: it owns a bounded buffer and does no I/O.
//
// Framing follows RFC 5321 §4.2: a reply is one or more lines ending in CRLF;
// a line whose code is followed by "-" continues the reply, one followed by SP
// or CRLF ends it. A line longer than limits::reply_line, or a reply with more
// than limits::reply_lines lines, is an error (kind `limit`) as soon as it is
// seen, before the line is complete: a server sending an endless line cannot
// make the reader grow.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

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
    // it; after an error of kind `limit` the reader stays failed (the stream cannot
    // be re-synchronised with confidence), after a `syntax` error it resumes at the
    // next line.
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
    // Bytes buffered but not yet part of a complete reply.
    std::size_t buffered() const noexcept;
    // True after a `limit` failure.
    bool failed() const noexcept;

private:
    Options options_;
    std::size_t max_line_;
    std::size_t max_lines_;
    std::string buffer_;
    std::size_t consumed_ = 0;  // bytes of buffer_ already returned in events
    bool failed_ = false;
};

}  // namespace smtpspec::grammar
