#include "serve/tls_identity.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/system/system_error.hpp>

#include "smtpspec/conformance/self_signed.hpp"
#include "tls_detail.hpp"

namespace smtpspec::conformance::serve {

namespace {

std::string read_pem(const std::string& path, const char* option) {
    std::ifstream in(path, std::ios::binary);
    std::string text;
    if (in) text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.is_open() || in.bad())
        throw std::runtime_error(std::string("cannot read ") + option + " file '" + path +
                                 "'; give the path of a readable PEM file");
    if (text.find("-----BEGIN ") == std::string::npos)
        throw std::runtime_error(std::string(option) + " file '" + path +
                                 "' holds no PEM block; give a PEM file (-----BEGIN ...)");
    return text;
}

}  // namespace

TlsIdentity load_identity(const std::string& certificate_file, const std::string& key_file) {
    TlsIdentity id;
    id.certificate_pem = read_pem(certificate_file, "--tls-cert");
    id.private_key_pem = read_pem(key_file, "--tls-key");
    return id;
}

TlsIdentity self_signed_identity(const std::string& hostname) {
    std::vector<std::string> names{"DNS:" + hostname};
    if (hostname != "localhost") names.push_back("DNS:localhost");
    names.push_back("IP:127.0.0.1");
    SelfSigned s = make_self_signed(hostname, names, std::chrono::hours{24 * 30});
    return TlsIdentity{std::move(s.certificate_pem), std::move(s.private_key_pem), true};
}

std::string sha256_fingerprint(const std::string& certificate_pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())), &BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, &X509_free);
    if (!cert) throw std::runtime_error("the certificate PEM holds no certificate: " + detail::openssl_errors());
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_digest(cert.get(), EVP_sha256(), md, &n) != 1)
        throw std::runtime_error("X509_digest failed: " + detail::openssl_errors());
    std::string out;
    char hex[4];
    for (unsigned int i = 0; i < n; ++i) {
        std::snprintf(hex, sizeof hex, "%02X", md[i]);
        if (i) out += ':';
        out += hex;
    }
    return out;
}

std::shared_ptr<boost::asio::ssl::context> make_server_context(const TlsIdentity& identity) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    try {
        ctx->use_certificate_chain(boost::asio::buffer(identity.certificate_pem));
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("the TLS certificate does not load (" + std::string(e.what()) +
                                 "); give a PEM certificate with --tls-cert");
    }
    try {
        ctx->use_private_key(boost::asio::buffer(identity.private_key_pem), ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("the TLS private key does not load (" + std::string(e.what()) +
                                 "); give an unencrypted PEM key with --tls-key");
    }
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
        throw std::runtime_error("the TLS private key does not match the certificate; give the key of the --tls-cert "
                                 "certificate with --tls-key");
    return ctx;
}

}  // namespace smtpspec::conformance::serve
