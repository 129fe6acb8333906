// The session rule table: requirements no single SMTP reply shows -- the TLS
// layer, and how long the server waits for the client.
// Each row cites the RFC sentence its level comes from, copied verbatim from
// the RFC text (a line break becomes one space), as in the model's table.
//
// Levels follow the RFC's words for the server: RFC 8996 and RFC 7568 put a
// MUST NOT on negotiating the old versions; RFC 8314 §4 puts MUSTs on mail
// submission servers and the MSPs that run them; RFC 8314 §3.3 describes the
// submissions service ("a TLS handshake begins immediately") without a
// keyword, and RFC 3207 §4.1 leaves trust in a certificate a local matter:
// those two are INFO.
#include "smtpspec/conformance/tls_rules.hpp"

#include <array>

namespace smtpspec::conformance {
namespace {

using enum model::Level;

constexpr std::array table{
    RuleRef{"rfc7568/3/no-sslv3", 7568, "3", must, "the server refuses a handshake at SSLv3",
            "SSLv3 MUST NOT be used.  Negotiation of SSLv3 from any version of TLS MUST NOT be permitted."},
    RuleRef{"rfc8996/4/no-tls10", 8996, "4", must, "the server refuses a handshake at TLS 1.0",
            "TLS 1.0 MUST NOT be used. Negotiation of TLS 1.0 from any version of TLS MUST NOT be permitted."},
    RuleRef{"rfc8996/5/no-tls11", 8996, "5", must, "the server refuses a handshake at TLS 1.1",
            "TLS 1.1 MUST NOT be used. Negotiation of TLS 1.1 from any version of TLS MUST NOT be permitted."},
    RuleRef{"rfc8314/4/tls12-supported", 8314, "4", must,
            "a submission server completes a handshake at TLS 1.2 or TLS 1.3",
            "Mail Access Servers and Mail Submission Servers MUST support TLS 1.2 or later."},
    RuleRef{"rfc8314/4/tls-access", 8314, "4", must,
            "a submission server offers TLS (STARTTLS in its EHLO reply on port 587)",
            "MSPs that support POP, IMAP, and/or Message Submission MUST support TLS access for those "
            "protocol servers."},
    RuleRef{"rfc8314/3.3/implicit-tls", 8314, "3.3", info,
            "on the submissions port the TLS handshake comes first and the greeting arrives over TLS",
            "When a TCP connection is established for the \"submissions\" service (default port 465), a TLS "
            "handshake begins immediately."},
    RuleRef{"rfc8314/4.4/valid-certificate", 8314, "4.4", must,
            "a submission server's certificate verifies against the system trust store and matches the host",
            "MSPs MUST maintain valid server certificates for all servers."},
    RuleRef{"rfc3207/4.1/certificate-facts", 3207, "4.1", info,
            "the relay's certificate (chain, host match, expiry) is reported; trusting it is the client's choice",
            "The decision of whether or not to believe the authenticity of the other party in a TLS negotiation "
            "is a local matter."},
    RuleRef{"rfc5321/4.5.3.2.7/server-timeout", 5321, "4.5.3.2.7", should,
            "the server waits at least 5 minutes for the next command before it gives up",
            "An SMTP server SHOULD have a timeout of at least 5 minutes while it is awaiting the next command "
            "from the sender."},
};

}  // namespace

std::span<const RuleRef> tls_rules() noexcept { return table; }

}  // namespace smtpspec::conformance
