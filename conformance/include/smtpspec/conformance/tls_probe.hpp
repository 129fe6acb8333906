// TLS version probes: does the server still accept SSLv3 (RFC 7568 §3: MUST NOT)
// or TLS 1.0 / 1.1 (RFC 8996 §5: MUST NOT)? Each probe is one fresh connection
// that offers only that version.
#pragma once

#include <string>

#include "smtpspec/conformance/connection.hpp"
#include "smtpspec/conformance/session.hpp"
#include "smtpspec/conformance/target.hpp"
#include "smtpspec/conformance/tls.hpp"

namespace smtpspec::conformance {

struct TlsProbe {
    enum class Result {
        accepted,       // the handshake completed at that version
        refused,        // the server refused the handshake
        not_offerable,  // the local OpenSSL cannot offer that version: nothing was tested
        unavailable,    // no handshake could be attempted (connect failed, no STARTTLS, exec:)
    };
    Result result = Result::unavailable;
    std::string message;  // names what happened
};

std::string to_string(TlsProbe::Result);

// For tls:// the handshake starts at once; for tcp:// after greeting, EHLO and
// STARTTLS (the 220 to STARTTLS must come first). `ehlo_domain` goes in the EHLO.
TlsProbe probe_tls_version(const Target& target, TlsVersion version, Duration timeout = default_timeout,
                           const std::string& ehlo_domain = "smtpspec.invalid");

}  // namespace smtpspec::conformance
