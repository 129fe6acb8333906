// One byte-stream interface behind every target: TCP, implicit TLS, a child
// process on stdin/stdout, and an in-memory stream for tests.
//
// Every operation takes a deadline and returns within it; nothing here
// understands SMTP (Session frames replies on top). Reads return whatever the
// peer sent, in the chunks it arrived in, at most a given number of bytes.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "smtpspec/conformance/target.hpp"
#include "smtpspec/conformance/tls.hpp"

namespace smtpspec::conformance {

using Duration = std::chrono::milliseconds;
inline constexpr Duration default_timeout{10'000};

enum class IoStatus {
    ok,
    timeout,      // the deadline passed (silence, or a peer too slow)
    eof,          // the peer closed its side cleanly
    reset,        // the connection was reset or the pipe broke
    refused,      // connect: nothing listens there
    unresolved,   // connect: the host name does not resolve
    tls_failed,   // the TLS handshake failed, or the certificate was refused (verify_fatal)
    unsupported,  // the operation does not exist on this kind of connection
    closed,       // the connection was already closed or is unusable after an earlier error
    error,        // any other system error
};

std::string to_string(IoStatus);

struct IoResult {
    IoStatus status = IoStatus::ok;
    std::string message;  // empty when ok; otherwise names the problem
    bool ok() const { return status == IoStatus::ok; }
};

struct ConnectOptions {
    Duration timeout = default_timeout;  // for connecting and the implicit-TLS handshake
    TlsOptions tls;                      // for tls:// (its host defaults to the target's)
};

class Connection {
public:
    virtual ~Connection() = default;

    // Writes all of `bytes` (any octets, as they are).
    virtual IoResult write(std::string_view bytes, Duration timeout) = 0;
    // Appends between 1 and `max` received bytes to `out`, or fails.
    virtual IoResult read(std::string& out, std::size_t max, Duration timeout) = 0;
    // Runs a TLS client handshake on the open connection (RFC 3207 after 220 to
    // STARTTLS; the caller must have read that reply).
    virtual IoResult start_tls(const TlsOptions& options, Duration timeout) = 0;
    // Closes the connection (sending close_notify on TLS, best effort within a
    // short time) and releases everything; a child process is killed and reaped.
    virtual void close() = 0;

    virtual bool tls_active() const = 0;
    // The facts of the TLS session, once a handshake completed.
    virtual const std::optional<TlsFacts>& tls_facts() const = 0;
};

struct Connected {
    std::unique_ptr<Connection> connection;  // null on failure
    IoResult result;
};

// Opens `target`: resolves and connects (and handshakes for tls://), or spawns
// the exec: command, within options.timeout.
Connected connect(const Target& target, const ConnectOptions& options = {});

}  // namespace smtpspec::conformance
