// What `smtpspec run TARGET` connects to.
//
//   tcp://HOST[:PORT]   plaintext; STARTTLS (RFC 3207) upgrades the same connection
//   tls://HOST[:PORT]   TLS from the first byte (implicit TLS, RFC 8314 §3.3)
//   exec:COMMAND        a server speaking SMTP on its stdin/stdout, inetd style
//                       (e.g. `exec:exim -bs`), run with /bin/sh -c COMMAND
//
// HOST is a DNS name, an IPv4 address or an IPv6 address in brackets. Without
// PORT the profile's port is used: relay 25 (RFC 5321 §4.5.4.2 names port 25),
// submission 587 (RFC 6409 §3.1), submissions 465 (RFC 8314 §7.3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "smtpspec/model/state.hpp"

namespace smtpspec::conformance {

struct Target {
    enum class Kind { tcp, tls, exec };
    Kind kind = Kind::tcp;
    std::string host;        // without the brackets of an IPv6 address; empty for exec
    std::uint16_t port = 0;  // 0 for exec
    std::string command;     // exec only: the shell command line

    // The canonical spelling, e.g. "tcp://[::1]:25" or "exec:exim -bs".
    std::string text() const;
    bool operator==(const Target&) const = default;
};

// A target that could not be parsed; `message` names the problem and the fix,
// e.g. `missing scheme in "mail.example.org": write tcp://mail.example.org:25`.
struct TargetError {
    std::string message;
    bool operator==(const TargetError&) const = default;
};

std::uint16_t default_port(model::Profile profile);

std::variant<Target, TargetError> parse_target(std::string_view text,
                                               model::Profile profile = model::Profile::relay);

}  // namespace smtpspec::conformance
