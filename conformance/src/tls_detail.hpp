// OpenSSL plumbing shared by the TLS connection, the probes and the tests.
#pragma once

#include <openssl/ssl.h>

#include <string>

#include "smtpspec/conformance/tls.hpp"

namespace smtpspec::conformance::detail {

// The OpenSSL constant of a version (SSL3_VERSION, TLS1_VERSION, ...).
int openssl_version(TlsVersion version);

// A client context as `options` asks: the system trust store loaded, no
// verification inside the handshake (the result is read afterwards), and for a
// probe exactly one version at security level 0. Returns false, with the reason
// in `error`, when OpenSSL refuses the settings.
bool configure_client(SSL_CTX* ctx, const TlsOptions& options, std::string& error);

// Sets SNI (for a host name, not an IP address) on a client SSL.
void set_server_name(SSL* ssl, const std::string& host);

// Version, cipher, certificate and verification facts of a completed handshake.
TlsFacts collect_facts(SSL* ssl, const std::string& host);

// OpenSSL's error queue as one line (and clears it); empty when it is empty.
std::string openssl_errors();

bool is_ip_address(const std::string& host);

}  // namespace smtpspec::conformance::detail
