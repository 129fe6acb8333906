// The check groups; catalogue.cpp joins them into the catalogue.
#pragma once

#include <vector>

#include "smtpspec/conformance/check.hpp"
#include "smtpspec/conformance/probe.hpp"
#include "smtpspec/conformance/runner.hpp"

namespace smtpspec::conformance::checks {

std::vector<Check> session_checks();     // greeting, EHLO/HELO, QUIT, replies (session.cpp)
std::vector<Check> command_checks();     // ordering, RSET/NOOP/VRFY/EXPN/HELP, unknown, syntax, limits (commands.cpp)
std::vector<Check> address_checks();     // postmaster, null path, source routes, literals, 100 recipients (addresses.cpp)
std::vector<Check> extension_checks();   // ENHANCEDSTATUSCODES, PIPELINING, SIZE, 8BITMIME, SMTPUTF8, CHUNKING (extensions.cpp)
std::vector<Check> data_checks();        // DATA, transparency, SMTP smuggling (data.cpp)
std::vector<Check> starttls_checks();    // RFC 3207 and implicit TLS (starttls.cpp)
std::vector<Check> auth_checks();        // RFC 4954 / 6409 / 8314 submission (auth.cpp)
std::vector<Check> tls_checks();         // TLS versions and certificate (tls.cpp)
std::vector<Check> timeout_checks();     // the server's patience, with --slow (timeouts.cpp)

}  // namespace smtpspec::conformance::checks
