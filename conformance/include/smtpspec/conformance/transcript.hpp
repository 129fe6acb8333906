// The record of one session: every byte with its direction, the time since the
// session started and whether it went over TLS, plus the TLS handshakes and the
// closes. AUTH secrets are redacted as they are recorded, so no secret is ever
// held here.
//
// text() prints the transcript format that `smtpspec check-transcript` replays
// (smtpspec/model/transcript.hpp): `C: ` lines with escapes, `S: ` lines as
// received, `*TLS*`, `*SERVER CLOSED*`, `*CLIENT CLOSED*` and `# ` comments.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::conformance {

enum class Direction { client, server };

struct TranscriptEvent {
    enum class Kind {
        data,           // bytes (direction says whose)
        tls_started,    // a TLS handshake completed (STARTTLS or implicit)
        server_closed,  // the server closed (EOF or reset)
        client_closed,  // we closed
        note,           // a remark for the reader, e.g. a timeout or a truncation
    };
    Kind kind = Kind::data;
    Direction direction = Direction::client;
    std::chrono::microseconds at{0};  // since the session started
    bool tls = false;                 // the bytes went over TLS
    bool redacted = false;            // the bytes had an AUTH secret replaced by redacted_marker
    std::string bytes;                // data: the octets; note: the text
};

class Transcript {
public:
    // Replaces each AUTH secret: valid base64, so that a replay through the
    // model judges the server's answer the same way (the word "redacted", encoded).
    static constexpr std::string_view redacted_marker = "cmVkYWN0ZWQ=";

    // Bytes beyond `max_bytes` in all are counted, not kept.
    explicit Transcript(std::size_t max_bytes = 4u << 20);

    void client(std::string_view bytes, bool tls);
    void server(std::string_view bytes, bool tls);
    void tls_started(bool implicit);
    void server_closed(std::string_view how);
    void client_closed();
    void note(std::string_view text);
    // A complete reply was read: ends an AUTH exchange unless it is 334 (RFC 4954 §4).
    void reply_seen(unsigned code);

    const std::vector<TranscriptEvent>& events() const { return events_; }
    std::size_t recorded_bytes() const { return recorded_; }
    std::size_t dropped_bytes() const { return dropped_; }

    struct Style {
        bool times = false;  // a "# +12.345 ms" comment before each event
    };
    std::string text(Style style) const;
    std::string text() const { return text(Style{}); }
    // The events [first, last) only (an excerpt around a finding).
    std::string text(Style style, std::size_t first, std::size_t last) const;

private:
    std::chrono::microseconds now() const;
    void data(Direction d, std::string_view bytes, bool tls, bool redacted);
    std::string redact(std::string_view bytes, bool& redacted);
    // The secret octets held back so far: the marker, or themselves when not base64.
    void flush_secret(std::string& out, bool& redacted);

    std::chrono::steady_clock::time_point start_;
    std::size_t max_bytes_;
    std::size_t recorded_ = 0;
    std::size_t dropped_ = 0;
    std::vector<TranscriptEvent> events_;
    // AUTH redaction state, line by line over the client's bytes.
    std::string line_;              // the current client line so far (bounded)
    std::string secret_;            // octets of the current line's secret not yet written (bounded)
    bool line_secret_seen_ = false; // the marker was already written for this line
    bool in_auth_ = false;          // between an AUTH command and its final reply
    bool line_is_auth_ = false;     // the current line started inside an AUTH exchange
    int auth_state_ = 0;            // how much of "AUTH mech " the current line has shown (-1: none)
};

}  // namespace smtpspec::conformance
