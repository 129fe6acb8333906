// The reference server in this process, behind the Connection interface: what
// `smtpspec run` with no target talks to. No socket, no thread, no clock.
#pragma once

#include <memory>

#include "smtpspec/conformance/connection.hpp"
#include "smtpspec/conformance/server/core.hpp"

namespace smtpspec::conformance {

// A Connection to a server::Core in this process. write() feeds the core;
// read() returns its output (timeout at once when it has none, eof once it
// closed); start_tls() succeeds when the core wants TLS, with TlsFacts{version
// "in-process", cipher "none (no TLS layer in process)", no certificate}.
// `implicit_tls`: TLS from the first byte (RFC 8314 §3.3, the submissions profile).
std::unique_ptr<Connection> connect_in_process(server::Config config, bool implicit_tls);

}  // namespace smtpspec::conformance
