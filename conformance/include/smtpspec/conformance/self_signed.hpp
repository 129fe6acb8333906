// A self-signed certificate made in memory with OpenSSL (EVP_PKEY / X509), for
// the TLS tests and the reference server's STARTTLS and implicit TLS.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace smtpspec::conformance {

struct SelfSigned {
    std::string certificate_pem;
    std::string private_key_pem;
};

// An ECDSA P-256 key and a certificate for CN=`common_name` with
// `subject_alt_names` ("DNS:name" or "IP:address"), valid from one hour ago for
// `validity`. Throws std::runtime_error naming the OpenSSL call that failed.
SelfSigned make_self_signed(const std::string& common_name, const std::vector<std::string>& subject_alt_names,
                            std::chrono::hours validity = std::chrono::hours{24});

}  // namespace smtpspec::conformance
