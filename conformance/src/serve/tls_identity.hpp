// The server's TLS certificate and key, and the OpenSSL server context made
// from them, for STARTTLS (RFC 3207) and implicit TLS (RFC 8314 §3.3).
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace smtpspec::conformance::serve {

struct TlsIdentity {
    std::string certificate_pem;  // the leaf first, then any chain
    std::string private_key_pem;
    bool self_signed = false;
};

// Reads PEM files (--tls-cert, --tls-key). Throws std::runtime_error naming the
// file and the fix when one cannot be read.
TlsIdentity load_identity(const std::string& certificate_file, const std::string& key_file);

// A fresh self-signed certificate for CN=`hostname` with the SANs DNS:`hostname`,
// DNS:localhost and IP:127.0.0.1, valid for 30 days.
TlsIdentity self_signed_identity(const std::string& hostname);

// "AB:CD:..." -- the SHA-256 of the first certificate's DER encoding, as
// `openssl x509 -fingerprint -sha256` prints it. Throws std::runtime_error when
// the PEM holds no certificate.
std::string sha256_fingerprint(const std::string& certificate_pem);

// A server context: TLS 1.2 or later (RFC 8996 deprecates 1.0 and 1.1), the
// certificate and the key checked against each other. Throws std::runtime_error
// with OpenSSL's reason when they do not load.
std::shared_ptr<boost::asio::ssl::context> make_server_context(const TlsIdentity& identity);

}  // namespace smtpspec::conformance::serve
