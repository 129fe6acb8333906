// The typed view of an EHLO reply: which service extensions a server
// advertised, with the SIZE limit (RFC 1870 §3) and AUTH mechanisms (RFC 4954 §3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smtpspec/grammar/ast.hpp"

namespace smtpspec::grammar {

struct Capabilities {
    bool pipelining = false;           // RFC 2920
    bool starttls = false;             // RFC 3207
    bool eight_bit_mime = false;       // RFC 6152
    bool smtputf8 = false;             // RFC 6531
    bool chunking = false;             // RFC 3030
    bool binary_mime = false;          // RFC 3030
    bool enhanced_status_codes = false;  // RFC 2034
    bool dsn = false;                  // RFC 3461
    bool size = false;                 // RFC 1870: advertised at all
    std::optional<std::uint64_t> size_limit;  // RFC 1870: "SIZE n", n > 0; absent or 0: no fixed limit
    bool auth = false;                 // RFC 4954
    std::vector<std::string> auth_mechanisms;  // upper-cased sasl-mech names
    bool operator==(const Capabilities&) const = default;
};

// Keywords compare case-insensitively (RFC 5321 §2.4).
Capabilities capabilities(const ast::EhloReply&);

}  // namespace smtpspec::grammar
