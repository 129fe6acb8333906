// TLS settings for a handshake, and the facts recorded about each TLS session.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace smtpspec::conformance {

enum class TlsVersion { ssl3, tls1_0, tls1_1, tls1_2, tls1_3 };

// "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" (OpenSSL's spelling).
std::string to_string(TlsVersion);

struct TlsOptions {
    // The name the certificate must match (RFC 7817 §3: the DNS-ID is the host of
    // the target) and the SNI sent; an IP address is matched as an iPAddress SAN
    // and sent as no SNI.
    std::string host;
    // When true a certificate that does not verify against the system store or
    // does not match `host` ends the handshake with an error; when false it is
    // recorded in TlsFacts and the session goes on.
    bool verify_fatal = false;
    // Offer exactly this version (a probe): the security level drops to 0 so that
    // OpenSSL 3 can offer TLS 1.0 and 1.1 at all (RFC 8996 probes).
    std::optional<TlsVersion> only_version;
};

struct CertificateFacts {
    std::string subject;     // RFC 2253 form, e.g. "CN=mail.example.org"
    std::string issuer;
    std::string not_before;  // ISO 8601 UTC, e.g. "2026-11-29T16:00:00Z"
    std::string not_after;
    std::vector<std::string> subject_alt_names;  // "DNS:mail.example.org", "IP:127.0.0.1"
    bool operator==(const CertificateFacts&) const = default;
};

struct TlsFacts {
    std::string version;  // as OpenSSL names it: "TLSv1.3"
    std::string cipher;   // e.g. "TLS_AES_256_GCM_SHA384"
    std::optional<CertificateFacts> certificate;  // the server's leaf certificate
    // The chain verifies against the system's trust store (X509_verify_cert).
    bool chain_verified = false;
    std::string verify_error;  // OpenSSL's reason when !chain_verified
    // The certificate matches the host (X509_check_host / X509_check_ip_asc,
    // RFC 6125 rules as RFC 7817 §3 requires; no partial wildcards).
    bool host_matches = false;
    bool verified() const { return chain_verified && host_matches; }
};

// Whether the local OpenSSL can offer `version` at all (it builds a ClientHello
// for exactly that version at security level 0). Debian's OpenSSL 3 has no SSLv3.
bool offerable(TlsVersion version);

}  // namespace smtpspec::conformance
