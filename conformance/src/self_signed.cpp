#include "smtpspec/conformance/self_signed.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

#include "tls_detail.hpp"

namespace smtpspec::conformance {

namespace {

struct Free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
    void operator()(BIO* p) const { BIO_free(p); }
};

[[noreturn]] void fail(const std::string& call) {
    std::string errors = detail::openssl_errors();
    throw std::runtime_error("self-signed certificate: " + call + " failed" + (errors.empty() ? "" : ": " + errors));
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string{};
}

}  // namespace

SelfSigned make_self_signed(const std::string& common_name, const std::vector<std::string>& subject_alt_names,
                            std::chrono::hours validity) {
    std::unique_ptr<EVP_PKEY, Free> key(EVP_EC_gen("P-256"));
    if (!key) fail("EVP_EC_gen");
    std::unique_ptr<X509, Free> cert(X509_new());
    if (!cert) fail("X509_new");
    X509_set_version(cert.get(), 2);  // v3
    unsigned char serial[8];
    if (RAND_bytes(serial, sizeof serial) != 1) fail("RAND_bytes");
    serial[0] &= 0x7f;  // a positive INTEGER
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()))) {
        BN_free(bn);
        fail("BN_to_ASN1_INTEGER");
    }
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                    static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(validity).count()));
    if (X509_set_pubkey(cert.get(), key.get()) != 1) fail("X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) != 1)
        fail("X509_NAME_add_entry_by_txt");
    if (X509_set_issuer_name(cert.get(), name) != 1) fail("X509_set_issuer_name");
    if (!subject_alt_names.empty()) {
        std::string list;
        for (const std::string& n : subject_alt_names) list += (list.empty() ? "" : ",") + n;
        X509V3_CTX ctx;
        X509V3_set_ctx_nodb(&ctx);
        X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
        std::unique_ptr<X509_EXTENSION, Free> ext(
            X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, list.c_str()));
        if (!ext) fail("subjectAltName \"" + list + "\"");
        if (X509_add_ext(cert.get(), ext.get(), -1) != 1) fail("X509_add_ext");
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) fail("X509_sign");

    SelfSigned out;
    std::unique_ptr<BIO, Free> cert_bio(BIO_new(BIO_s_mem()));
    if (!cert_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1) fail("PEM_write_bio_X509");
    out.certificate_pem = bio_text(cert_bio.get());
    std::unique_ptr<BIO, Free> key_bio(BIO_new(BIO_s_mem()));
    if (!key_bio || PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        fail("PEM_write_bio_PrivateKey");
    out.private_key_pem = bio_text(key_bio.get());
    return out;
}

}  // namespace smtpspec::conformance
