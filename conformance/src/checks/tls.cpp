// The TLS layer itself (RFC 8996, RFC 7568, RFC 8314 §4 and §4.4, RFC 3207
// §4.1): which versions the server negotiates, and its certificate. No SMTP
// reply shows these, so the rules come from the TLS table (tls_rules.hpp) and
// the procedure reports them with CheckContext::finding / judged.
//
// Each version probe is a fresh connection offering exactly one version
// (tls_probe.hpp): implicit TLS on a tls:// target, STARTTLS after EHLO on a
// tcp:// one.
#include <chrono>
#include <ctime>
#include <variant>

#include "checks/groups.hpp"
#include "checks/tls_session.hpp"
#include "smtpspec/conformance/tls_probe.hpp"

namespace smtpspec::conformance::checks {
namespace {

// The target to probe, once it is known that the server offers TLS at all.
Target tls_target(CheckContext& c) {
    if (c.endpoint().in_process) stop_skip("the in-process server has no TLS layer");
    auto parsed = parse_target(c.endpoint().name, c.profile());
    const Target* target = std::get_if<Target>(&parsed);
    if (!target || target->kind == Target::Kind::exec)
        stop_skip("TLS probes need a tcp:// or tls:// target, not " + c.endpoint().name);
    if (!c.endpoint().implicit_tls) {
        Probe& p = c.open();
        p.ehlo();
        const bool offered = p.advertises("STARTTLS");
        p.quit();
        if (!offered) stop_skip("the server offers no TLS: its EHLO reply does not list STARTTLS");
    }
    return *target;
}

TlsProbe probe(CheckContext& c, const Target& target, TlsVersion version) {
    TlsProbe r = probe_tls_version(target, version, c.options().timeout, c.options().ehlo_domain);
    if (r.result == TlsProbe::Result::not_offerable) stop_skip("not offerable by the local OpenSSL: " + r.message);
    if (r.result == TlsProbe::Result::unavailable) stop_error(r.message);
    return r;
}

// RFC 8996 §4, §5 and RFC 7568 §3: a handshake at `version` is refused.
void refuses(CheckContext& c, TlsVersion version, std::string_view rule) {
    const Target target = tls_target(c);
    TlsProbe r = probe(c, target, version);
    if (r.result == TlsProbe::Result::accepted)
        c.finding(rule, r.message, "the handshake refused (a protocol_version alert)",
                  "a handshake completed at " + to_string(version));
    else {
        c.judged(rule);
        c.note(r.message);
    }
}

void no_sslv3(CheckContext& c) { refuses(c, TlsVersion::ssl3, "rfc7568/3/no-sslv3"); }
void no_tls10(CheckContext& c) { refuses(c, TlsVersion::tls1_0, "rfc8996/4/no-tls10"); }
void no_tls11(CheckContext& c) { refuses(c, TlsVersion::tls1_1, "rfc8996/5/no-tls11"); }

// RFC 8314 §4: "MUST support TLS 1.2 or later": a handshake at TLS 1.2 or,
// failing that, at TLS 1.3 completes.
void tls12_supported(CheckContext& c) {
    constexpr std::string_view rule = "rfc8314/4/tls12-supported";
    const Target target = tls_target(c);
    TlsProbe r12 = probe(c, target, TlsVersion::tls1_2);
    if (r12.result == TlsProbe::Result::accepted) {
        c.judged(rule);
        c.note(r12.message);
        return;
    }
    TlsProbe r13 = probe(c, target, TlsVersion::tls1_3);
    if (r13.result == TlsProbe::Result::accepted) {
        c.judged(rule);
        c.note(r12.message + "; " + r13.message);
        return;
    }
    c.finding(rule, "the server completed no handshake at TLS 1.2 or TLS 1.3",
              "a handshake at TLSv1.2 or TLSv1.3", r12.message + "; " + r13.message);
}

// The facts of one ordinary handshake (the version the server picks), read
// with certificate verification non-fatal so that a bad certificate is
// reported rather than ending the check.
TlsFacts handshake_facts(CheckContext& c) {
    if (c.endpoint().in_process) stop_skip("the in-process server has no TLS layer");
    TlsOptions tls;
    tls.host = c.endpoint().host;
    tls.verify_fatal = false;
    std::optional<TlsFacts> facts;
    if (c.endpoint().implicit_tls) {
        ConnectOptions o;
        o.timeout = c.options().timeout;
        o.tls = tls;
        Connected conn = c.endpoint().connect(o);
        if (!conn.connection) stop_error("cannot connect to " + c.endpoint().name + ": " + conn.result.message);
        facts = conn.connection->tls_facts();
        conn.connection->close();
    } else {
        Probe& p = c.open();
        p.ehlo();
        if (!p.advertises("STARTTLS")) stop_skip("the server offers no TLS: its EHLO reply does not list STARTTLS");
        grammar::ast::Reply r = p.command("STARTTLS");
        if (r.code != 220) stop_skip("the server answered STARTTLS with " + reply_text(r) + ", so TLS could not start");
        p.handshake(tls.verify_fatal);
        facts = p.session().tls_facts();
        p.close();
    }
    if (!facts) stop_error("the handshake completed but recorded no TLS facts");
    c.tls_facts(*facts);
    return *facts;
}

std::string utc_now_iso() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// "TLSv1.3, CN=mail.example.org issued by CN=R3, valid until 2027-01-01T00:00:00Z,
// chain verified, matches mail.example.org": the facts in one line.
std::string describe(const TlsFacts& f, const std::string& host) {
    std::string s = f.version;
    if (!f.certificate) return s + ", no server certificate";
    const CertificateFacts& cert = *f.certificate;
    s += ", " + cert.subject + " issued by " + cert.issuer;
    s += cert.not_after < utc_now_iso() ? ", expired " : ", valid until ";
    s += cert.not_after;
    s += f.chain_verified ? ", chain verified" : ", chain not verified (" + f.verify_error + ")";
    s += f.host_matches ? ", matches " : ", does not match ";
    s += host;
    return s;
}

// What is wrong with the certificate, in words (empty when nothing is).
std::string certificate_problem(const TlsFacts& f, const std::string& host) {
    if (!f.certificate) return "the server presented no certificate";
    std::string why;
    if (!f.chain_verified) why = "the chain does not verify against the system trust store (" + f.verify_error + ")";
    if (!f.host_matches) why += (why.empty() ? "" : "; ") + std::string("the certificate does not name ") + host;
    return why;
}

void judge_certificate(CheckContext& c, std::string_view rule) {
    const TlsFacts f = handshake_facts(c);
    const std::string& host = c.endpoint().host;
    const std::string facts = describe(f, host);
    const std::string why = certificate_problem(f, host);
    if (why.empty()) {
        c.judged(rule);
        c.note(facts);
    } else {
        c.finding(rule, why, "a certificate that verifies against the system trust store and names " + host, facts);
    }
}

// RFC 8314 §4.4: "MSPs MUST maintain valid server certificates for all servers."
void valid_certificate(CheckContext& c) { judge_certificate(c, "rfc8314/4.4/valid-certificate"); }

// RFC 3207 §4.1: on a relay trusting the certificate is the client's choice:
// the facts are reported.
void certificate_facts(CheckContext& c) { judge_certificate(c, "rfc3207/4.1/certificate-facts"); }

}  // namespace

std::vector<Check> tls_checks() {
    return {
        {.id = "rfc7568/3/no-sslv3",
         .title = "The server refuses SSLv3",
         .rules = {"rfc7568/3/no-sslv3"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "a ClientHello offering only SSLv3 (after STARTTLS, or first on implicit TLS)",
         .accepts = "the handshake refused",
         .procedure = no_sslv3},
        {.id = "rfc8996/4/no-tls10",
         .title = "The server refuses TLS 1.0",
         .rules = {"rfc8996/4/no-tls10"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "a ClientHello offering only TLS 1.0 (after STARTTLS, or first on implicit TLS)",
         .accepts = "the handshake refused (a protocol_version alert)",
         .procedure = no_tls10},
        {.id = "rfc8996/5/no-tls11",
         .title = "The server refuses TLS 1.1",
         .rules = {"rfc8996/5/no-tls11"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "a ClientHello offering only TLS 1.1 (after STARTTLS, or first on implicit TLS)",
         .accepts = "the handshake refused (a protocol_version alert)",
         .procedure = no_tls11},
        {.id = "rfc8314/4/tls12-supported",
         .title = "A submission server supports TLS 1.2 or later",
         .rules = {"rfc8314/4/tls12-supported"},
         .profiles = submission_only | submissions_only,
         .needs = need_nothing,
         .sends = "a ClientHello offering only TLS 1.2, then (if refused) one offering only TLS 1.3",
         .accepts = "a completed handshake at TLS 1.2 or TLS 1.3",
         .procedure = tls12_supported},
        {.id = "rfc8314/4.4/valid-certificate",
         .title = "A submission server's certificate verifies and names the host",
         .rules = {"rfc8314/4.4/valid-certificate"},
         .profiles = submission_only | submissions_only,
         .needs = need_nothing,
         .sends = "an ordinary TLS handshake (after STARTTLS, or first on implicit TLS)",
         .accepts = "a certificate chain that verifies against the system trust store, unexpired, matching the host",
         .procedure = valid_certificate},
        {.id = "rfc3207/4.1/certificate-facts",
         .title = "The relay's certificate: chain, host match and expiry (reported)",
         .rules = {"rfc3207/4.1/certificate-facts"},
         .profiles = relay_only,
         .needs = need_nothing,
         .sends = "EHLO, STARTTLS and an ordinary TLS handshake",
         .accepts = "any certificate; one that does not verify or match is reported as info",
         .procedure = certificate_facts},
    };
}

}  // namespace smtpspec::conformance::checks
