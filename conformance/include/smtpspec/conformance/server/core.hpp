// The reference server without I/O: bytes from the client in, reply bytes out.
//
// Every reply comes from model::respond under the configured Policy, and the
// state moves on by model::observe of that same reply, so the server and the
// model cannot disagree (unless a Fault is switched on, which is the point of
// a fault). The socket server (`smtpspec serve`) and the in-process adapter
// (`smtpspec run` with no target) are this core plus a transport.
//
// Memory is bounded whatever the client sends: a command line longer than
// limits.max_line is answered 500 and skipped to its LF, message text and BDAT
// chunks are kept only up to limits.max_message (the rest is counted and
// dropped, and the message refused), output waiting to be taken is bounded by
// the replies to what was fed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/conformance/server/faults.hpp"
#include "smtpspec/model/policy.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::conformance::server {

struct Limits {
    std::size_t max_line = 4096;                  // a command line beyond this is refused unread (RFC 5321 §4.5.3.1.4 allows 512)
    std::size_t max_message = 32u << 20;          // message text or BDAT octets kept per transaction
    std::size_t max_pending_input = 1u << 20;     // client bytes buffered while the server waits (e.g. TLS pending)
};

struct Config {
    model::Profile profile = model::Profile::relay;
    model::Policy policy;
    FaultSet faults;
    Limits limits;
    // The transport can run a TLS handshake (STARTTLS is advertised only then;
    // the in-process adapter simulates one).
    bool tls_available = true;
    // Keep accepted messages for take_messages() (serve --maildir); otherwise
    // they are counted and dropped.
    bool keep_messages = false;
};

// One accepted message (RFC 5321 §3.3: the envelope and the content, dot-stuffing removed).
struct Message {
    std::string reverse_path;             // as sent, e.g. "<>" or "<a@example.org>"
    std::vector<std::string> recipients;  // as sent, e.g. "<b@example.org>"
    std::string content;                  // the message text without the end-of-data marker
    bool bdat = false;                    // received with BDAT (RFC 3030)
    bool truncated = false;               // content beyond Limits::max_message was dropped
};

class Core {
public:
    // `tls` when TLS is up from the first byte (implicit TLS, RFC 8314 §3.3).
    Core(Config config, bool tls);

    // The greeting (or 554 with Policy::refuse_session); call once, first.
    void open();
    // Client bytes, in any split. Replies become available in output().
    void feed(std::string_view bytes);
    // The reply bytes produced so far and not yet taken.
    std::string take_output();
    bool has_output() const;

    // After the 220 reply to STARTTLS: the transport runs the server side of
    // the handshake, then calls tls_established() (or close() if it failed).
    // Client bytes fed in between were pipelined in cleartext and are discarded
    // (RFC 3207 §4.2) -- unless a fault says otherwise.
    bool wants_tls() const;
    void tls_established();

    // True once the server has sent 221 or 421 (or decided to drop the
    // connection): the transport writes the remaining output, then closes.
    bool should_close() const;

    // A graceful stop (SIGTERM) or an idle deadline (RFC 5321 §4.5.3.2): queues
    // "421 4.3.2 ..." and closes after it.
    void shutdown(std::string_view reason);
    // The client went away.
    void client_closed();

    std::vector<Message> take_messages();
    std::uint64_t messages_accepted() const;

    const model::State& state() const;
    const Config& config() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace smtpspec::conformance::server
