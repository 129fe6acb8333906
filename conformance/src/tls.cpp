#include "smtpspec/conformance/tls.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <memory>

#include "tls_detail.hpp"

namespace smtpspec::conformance {

std::string to_string(TlsVersion v) {
    switch (v) {
        case TlsVersion::ssl3: return "SSLv3";
        case TlsVersion::tls1_0: return "TLSv1";
        case TlsVersion::tls1_1: return "TLSv1.1";
        case TlsVersion::tls1_2: return "TLSv1.2";
        case TlsVersion::tls1_3: return "TLSv1.3";
    }
    return "?";
}

namespace detail {

int openssl_version(TlsVersion v) {
    switch (v) {
        case TlsVersion::ssl3: return SSL3_VERSION;
        case TlsVersion::tls1_0: return TLS1_VERSION;
        case TlsVersion::tls1_1: return TLS1_1_VERSION;
        case TlsVersion::tls1_2: return TLS1_2_VERSION;
        case TlsVersion::tls1_3: return TLS1_3_VERSION;
    }
    return 0;
}

std::string openssl_errors() {
    std::string out;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!out.empty()) out += "; ";
        out += buf;
    }
    return out;
}

bool is_ip_address(const std::string& host) {
    unsigned char buf[sizeof(in6_addr)];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

bool configure_client(SSL_CTX* ctx, const TlsOptions& options, std::string& error) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    if (SSL_CTX_set_default_verify_paths(ctx) != 1) ERR_clear_error();  // no store: every chain fails to verify
    if (options.only_version) {
        int v = openssl_version(*options.only_version);
        SSL_CTX_set_security_level(ctx, 0);
        if (SSL_CTX_set_min_proto_version(ctx, v) != 1 || SSL_CTX_set_max_proto_version(ctx, v) != 1) {
            error = "the local OpenSSL cannot offer " + to_string(*options.only_version);
            ERR_clear_error();
            return false;
        }
    }
    return true;
}

void set_server_name(SSL* ssl, const std::string& host) {
    if (!host.empty() && !is_ip_address(host)) SSL_set_tlsext_host_name(ssl, host.c_str());
}

namespace {

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};

std::string name_text(const X509_NAME* name) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (!bio || !name) return {};
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string{};
}

std::string time_text(const ASN1_TIME* t) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::vector<std::string> alt_names(X509* cert) {
    std::vector<std::string> out;
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (!names) return out;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
        if (g->type == GEN_DNS || g->type == GEN_EMAIL || g->type == GEN_URI) {
            const ASN1_IA5STRING* s = g->d.ia5;
            std::string v(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                          static_cast<std::size_t>(ASN1_STRING_length(s)));
            out.push_back((g->type == GEN_DNS ? "DNS:" : g->type == GEN_EMAIL ? "email:" : "URI:") + v);
        } else if (g->type == GEN_IPADD) {
            const ASN1_OCTET_STRING* s = g->d.iPAddress;
            char buf[INET6_ADDRSTRLEN] = {};
            int len = ASN1_STRING_length(s);
            const unsigned char* d = ASN1_STRING_get0_data(s);
            if (len == 4) inet_ntop(AF_INET, d, buf, sizeof buf);
            else if (len == 16) inet_ntop(AF_INET6, d, buf, sizeof buf);
            out.push_back(std::string("IP:") + buf);
        }
    }
    GENERAL_NAMES_free(names);
    return out;
}

}  // namespace

TlsFacts collect_facts(SSL* ssl, const std::string& host) {
    TlsFacts f;
    f.version = SSL_get_version(ssl);
    if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) f.cipher = SSL_CIPHER_get_name(c);
    X509* cert = SSL_get1_peer_certificate(ssl);
    if (!cert) {
        f.verify_error = "the server sent no certificate";
        return f;
    }
    CertificateFacts c;
    c.subject = name_text(X509_get_subject_name(cert));
    c.issuer = name_text(X509_get_issuer_name(cert));
    c.not_before = time_text(X509_get0_notBefore(cert));
    c.not_after = time_text(X509_get0_notAfter(cert));
    c.subject_alt_names = alt_names(cert);
    f.certificate = std::move(c);
    long v = SSL_get_verify_result(ssl);
    f.chain_verified = v == X509_V_OK;
    if (!f.chain_verified) f.verify_error = X509_verify_cert_error_string(v);
    if (is_ip_address(host)) f.host_matches = X509_check_ip_asc(cert, host.c_str(), 0) == 1;
    else if (!host.empty())
        f.host_matches = X509_check_host(cert, host.data(), host.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
                                         nullptr) == 1;
    X509_free(cert);
    ERR_clear_error();
    return f;
}

}  // namespace detail

namespace {

bool try_offer(TlsVersion version) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) return false;
    const int v = detail::openssl_version(version);
    bool ok = false;
    SSL_CTX_set_security_level(ctx, 0);
    if (SSL_CTX_set_min_proto_version(ctx, v) == 1 && SSL_CTX_set_max_proto_version(ctx, v) == 1) {
        if (SSL* ssl = SSL_new(ctx)) {
            BIO* in = BIO_new(BIO_s_mem());
            BIO* out = BIO_new(BIO_s_mem());
            if (in && out) {
                SSL_set_bio(ssl, in, out);  // the SSL owns both now
                SSL_connect(ssl);           // writes a ClientHello if it can offer the version, else an alert
                char* data = nullptr;
                long n = BIO_get_mem_data(out, &data);
                const auto* d = reinterpret_cast<const unsigned char*>(data);
                // A handshake record (22) holding a ClientHello (1) whose client_version
                // is the one asked for (TLS 1.3 says 1.2 there, RFC 8446 §4.1.2).
                int want = std::min(v, TLS1_2_VERSION);
                ok = n > 10 && d[0] == 22 && d[5] == 1 && ((d[9] << 8) | d[10]) == want;
            } else {
                BIO_free(in);
                BIO_free(out);
            }
            SSL_free(ssl);
        }
    }
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

}  // namespace

bool offerable(TlsVersion version) {
    static const std::array<bool, 5> answers = [] {
        std::array<bool, 5> a{};
        for (TlsVersion v : {TlsVersion::ssl3, TlsVersion::tls1_0, TlsVersion::tls1_1, TlsVersion::tls1_2,
                             TlsVersion::tls1_3})
            a[static_cast<std::size_t>(v)] = try_offer(v);
        return a;
    }();
    return answers[static_cast<std::size_t>(version)];
}

}  // namespace smtpspec::conformance
