// An SMTP client session over a Connection: raw writes, replies framed by
// grammar::ReplyReader (RFC 5321 §4.2), and a Transcript of every byte.
//
// The session never assumes one reply per command: read_reply returns the next
// complete reply, whatever it answers, and read_available drains whatever the
// server sent within a short quiet period.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/conformance/connection.hpp"
#include "smtpspec/conformance/transcript.hpp"
#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/grammar/reply_reader.hpp"
#include "smtpspec/grammar/result.hpp"

namespace smtpspec::conformance {

struct SessionOptions {
    Duration timeout = default_timeout;  // for each read_reply and send without its own
    // Lenient: replies with common deviations (bare LF) come out with the
    // deviations listed; strict: they are framing failures.
    grammar::Options reply_options{grammar::Mode::lenient, false};
    std::size_t read_chunk = 16 * 1024;       // at most this much per read
    std::size_t transcript_bytes = 4u << 20;  // the transcript's bound
    bool implicit_tls = false;                // mark the transcript: TLS from the first byte
};

struct ReplyOutcome {
    enum class Kind {
        reply,      // a complete reply
        closed,     // the server closed; `closed_how` says how
        timeout,    // nothing complete arrived before the deadline
        malformed,  // bytes that cannot be framed as a reply (error says why)
        failed,     // the connection failed otherwise (io says how)
    };
    enum class Close { eof, reset, mid_reply };

    Kind kind = Kind::timeout;
    std::optional<grammar::ast::Reply> reply;       // kind == reply
    std::vector<grammar::Deviation> deviations;     // kind == reply (lenient mode)
    std::string raw;                                // the reply's or malformed bytes; for closed and
                                                    // timeout the incomplete reply's bytes, if any
    std::optional<grammar::ParseError> error;       // kind == malformed
    std::optional<Close> closed_how;                // kind == closed
    IoResult io;                                    // the I/O result behind closed/timeout/failed
    std::string message;                            // one line naming what happened

    bool ok() const { return kind == Kind::reply; }
    unsigned code() const { return reply ? reply->code : 0; }
};

std::string to_string(ReplyOutcome::Kind);

class Session {
public:
    Session(std::unique_ptr<Connection> connection, SessionOptions options = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Connects to `target` and returns the session, or null with the reason in `result`.
    static std::unique_ptr<Session> open(const Target& target, const ConnectOptions& connect,
                                         SessionOptions options, IoResult& result);

    // Any bytes, as they are: several commands in one write, bare CR or LF, NUL.
    IoResult send(std::string_view bytes);
    // The command as the grammar prints it (with its CRLF).
    IoResult send_command(const grammar::ast::Command& command);

    ReplyOutcome read_reply();
    ReplyOutcome read_reply(Duration timeout);
    // Every reply that arrives until `quiet` passes with nothing complete, at most
    // `max_replies`; the last outcome is the one that ended it (timeout, closed, ...).
    std::vector<ReplyOutcome> read_replies(Duration quiet, std::size_t max_replies = 1000);

    // The TLS handshake on the open connection (after 220 to STARTTLS); an empty
    // options.host is the target's host (when the session was opened with one). Bytes the
    // server sent before the handshake and that were not read as replies are
    // discarded, as RFC 3207 §4.2 says of the client, and kept in
    // discarded_plaintext() (the STARTTLS response-injection class shows there).
    IoResult start_tls(const TlsOptions& options);
    IoResult start_tls(const TlsOptions& options, Duration timeout);
    const std::string& discarded_plaintext() const { return discarded_; }

    void close();
    bool closed() const { return closed_; }

    Connection& connection() { return *connection_; }
    const Transcript& transcript() const { return transcript_; }
    const std::optional<TlsFacts>& tls_facts() const { return connection_->tls_facts(); }
    // Bytes received and not yet returned as a reply (bounded by the reader's limits).
    std::size_t buffered() const { return reader_->buffered(); }

private:
    ReplyOutcome next_event();
    ReplyOutcome connection_failed(IoResult io);
    // The received bytes not yet returned in an outcome (from the transcript;
    // empty if the transcript reached its bound).
    std::string unreturned_bytes() const;

    std::unique_ptr<Connection> connection_;
    SessionOptions options_;
    std::unique_ptr<grammar::ReplyReader> reader_;
    Transcript transcript_;
    std::string discarded_;
    std::string host_;  // the target's host, for TLS name checks
    std::optional<ReplyOutcome> terminal_;  // once closed or failed, every read says so again
    bool closed_ = false;
};

}  // namespace smtpspec::conformance
