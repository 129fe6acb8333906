// RFC 4954 (AUTH), RFC 6409 (submission) and the cleartext rules: AUTH before
// MAIL on submission, no password mechanism in cleartext, the AUTH exchange's
// replies. No secret crosses a cleartext connection: the cleartext probes
// send no credentials, and the failure probes send a made-up account.
#include <algorithm>
#include <string>

#include "checks/groups.hpp"
#include "checks/tls_session.hpp"

namespace smtpspec::conformance::checks {
namespace {

namespace ast = grammar::ast;

std::string base64(std::string_view in) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, in.size() - i);
        unsigned v = 0;
        for (std::size_t k = 0; k < 3; ++k)
            v = (v << 8) | (k < n ? static_cast<unsigned char>(in[i + k]) : 0u);
        for (std::size_t k = 0; k < 4; ++k) out += k <= n ? alphabet[(v >> (18 - 6 * k)) & 63] : '=';
    }
    return out;
}

// The RFC 4616 PLAIN message: authzid (empty) NUL authcid NUL passwd.
std::string plain_message(std::string_view user, std::string_view password) {
    std::string m;
    m += '\0';
    m += user;
    m += '\0';
    m += password;
    return base64(m);
}

// An account no server has: the failure probes never touch a real one.
constexpr std::string_view made_up_user = "smtpspec-no-such-user";
constexpr std::string_view made_up_password = "smtpspec-wrong-password";

const model::Credential& credentials(const CheckContext& c) {
    if (!c.options().credentials)
        stop_skip("needs credentials: give --user USER and --password-file FILE (or SMTPSPEC_PASSWORD)");
    return *c.options().credentials;
}

// The password mechanism to test with: PLAIN, else LOGIN.
std::string password_mechanism(const Probe& p) {
    if (p.advertises("AUTH=PLAIN")) return "PLAIN";
    if (p.advertises("AUTH=LOGIN")) return "LOGIN";
    stop_skip("the server lists neither AUTH PLAIN nor AUTH LOGIN inside TLS");
}

// "AUTH <mechanism>" without an initial response: the server must challenge (334).
void begin_exchange(Probe& p, const std::string& mechanism) {
    ast::Reply r = p.command("AUTH " + mechanism);
    if (r.code != 334) stop_error("AUTH " + mechanism + " was answered " + reply_text(r) + ", not 334");
}

// An AUTH that a conforming server refuses: when it starts an exchange
// instead (334), "*" ends it so the session can go on.
void refused_auth(Probe& p, std::string_view line) {
    ast::Reply r = p.command(line);
    if (r.code == 334) p.command("*");
}

// A session in TLS when the server offers it, in cleartext otherwise.
Probe& open_upgraded(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    if (!p.tls() && p.advertises("STARTTLS") && p.starttls().code == 220) p.ehlo();
    return p;
}

// RFC 6409 §4.3, RFC 4954 §6: MAIL before AUTH is refused with 530 (unless
// the operator declared this client authorized otherwise: --trusted-client).
void mail_before_auth(CheckContext& c) {
    Probe& p = open_upgraded(c);
    ast::Reply r = p.command("MAIL FROM:" + c.mail_from());
    if (r.code == 250) {
        c.note("MAIL was accepted without AUTH: the server must have authorised this client otherwise");
        p.command("RSET");
    }
    p.quit();
}

// RFC 4954 §4: the EHLO reply in cleartext lists no PLAIN or LOGIN.
void no_plaintext_listed(CheckContext& c) {
    Probe& p = c.open();
    if (p.tls()) stop_skip("the session is in TLS from the first byte: there is no cleartext EHLO");
    p.ehlo();  // the model judges the mechanisms listed
    p.quit();
}

// RFC 4954 §4: AUTH PLAIN in cleartext is refused. No initial response is sent,
// so no credential crosses the wire: a server that accepts the mechanism
// answers 334, a conforming one refuses (538, 530, 504, ...).
void no_plaintext_accepted(CheckContext& c) {
    Probe& p = c.open();
    if (p.tls()) stop_skip("the session is in TLS from the first byte: there is no cleartext to test");
    p.ehlo();
    refused_auth(p, "AUTH PLAIN");
    p.quit();
}

// RFC 4954 §4, §6: AUTH PLAIN with the user's credentials succeeds (235).
void auth_plain(CheckContext& c) {
    const model::Credential& cred = credentials(c);
    Probe& p = open_tls(c);
    if (!p.advertises("AUTH=PLAIN")) stop_skip("the server does not list AUTH PLAIN inside TLS");
    ast::Reply r = p.auth_plain(cred.user, cred.password);
    if (r.code != 235)
        stop_error("AUTH PLAIN with the given credentials was answered " + reply_text(r) +
                   ", not 235: check --user and the password");
    p.quit();
}

// RFC 4954 §4: AUTH LOGIN challenges in base64 (334, 334) and succeeds (235).
void auth_login(CheckContext& c) {
    const model::Credential& cred = credentials(c);
    Probe& p = open_tls(c);
    if (!p.advertises("AUTH=LOGIN")) stop_skip("the server does not list AUTH LOGIN inside TLS");
    begin_exchange(p, "LOGIN");
    ast::Reply r = p.command(base64(cred.user));
    if (r.code == 334) r = p.command(base64(cred.password));
    if (r.code != 235)
        stop_error("AUTH LOGIN with the given credentials ended with " + reply_text(r) +
                   ", not 235: check --user and the password");
    p.quit();
}

// RFC 4954 §4: credentials that do not authenticate are answered 535.
void auth_failure(CheckContext& c) {
    Probe& p = open_tls(c);
    const std::string mechanism = password_mechanism(p);
    begin_exchange(p, mechanism);
    ast::Reply r = mechanism == "PLAIN" ? p.command(plain_message(made_up_user, made_up_password))
                                        : p.command(base64(made_up_user));
    if (r.code == 334) r = p.command(base64(made_up_password));
    if (r.code == 235) stop_error("the server accepted the made-up account " + std::string(made_up_user));
    p.quit();
}

// RFC 4954 §4: "*" cancels the exchange with 501.
void auth_cancel(CheckContext& c) {
    Probe& p = open_tls(c);
    begin_exchange(p, password_mechanism(p));
    p.command("*");
    p.quit();
}

// RFC 4954 §4: a response that is not base64 is answered 501.
void auth_invalid_base64(CheckContext& c) {
    Probe& p = open_tls(c);
    begin_exchange(p, password_mechanism(p));
    refused_auth(p, "not*base64!");
    p.quit();
}

// RFC 4954 §4: AUTH after a successful AUTH is answered 503.
void auth_once(CheckContext& c) {
    Probe& p = c.ready();  // authenticated
    refused_auth(p, "AUTH PLAIN");
    p.quit();
}

// RFC 4954 §4: AUTH inside a mail transaction is answered 503. Where MAIL
// needs AUTH first (submission), the transaction is opened after authenticating.
void auth_in_transaction(CheckContext& c) {
    Probe& p = open_tls(c);
    if (!p.advertises("AUTH")) stop_skip("the server does not advertise AUTH inside TLS");
    const std::string mail = "MAIL FROM:" + c.mail_from();
    ast::Reply m = p.command(mail);
    if (m.code != 250) {
        const model::Credential& cred = credentials(c);
        ast::Reply a = p.auth_plain(cred.user, cred.password);
        if (a.code != 235)
            stop_error("AUTH PLAIN with the given credentials was answered " + reply_text(a) + ", not 235");
        m = p.command(mail);
        if (m.code != 250) stop_error(mail + " was answered " + reply_text(m) + ", not 250");
    }
    refused_auth(p, "AUTH PLAIN");
    p.command("RSET");
    p.quit();
}

// RFC 4954 §4: a mechanism the server does not support is refused with 504.
void auth_unknown_mechanism(CheckContext& c) {
    Probe& p = open_tls(c);
    if (!p.advertises("AUTH")) stop_skip("the server does not advertise AUTH inside TLS");
    refused_auth(p, "AUTH X-SMTPSPEC-UNKNOWN");
    p.quit();
}

// RFC 6409 §7: a submission server supports AUTH (listed once TLS is active).
void submission_supports_auth(CheckContext& c) {
    Probe& p = open_tls(c);  // the model judges the EHLO reply inside TLS
    p.quit();
}

}  // namespace

std::vector<Check> auth_checks() {
    constexpr std::uint8_t submission_profiles = submission_only | submissions_only;
    return {
        {.id = "rfc6409/4.3/mail-before-auth",
         .title = "On submission, MAIL before AUTH is refused with 530",
         .rules = {"rfc6409/4.3/require-auth", "rfc4954/6/auth-required-530",
                   "rfc6409/4.3/independent-authorization"},
         .profiles = submission_profiles,
         .needs = need_nothing,
         .sends = "EHLO (STARTTLS and EHLO when offered), then MAIL FROM without AUTH",
         .accepts = "530 (authentication required); accepted only for a client the server authorizes otherwise "
                    "(--trusted-client)",
         .procedure = mail_before_auth},
        {.id = "rfc4954/4/no-plaintext-listed",
         .title = "The EHLO reply in cleartext lists no PLAIN or LOGIN mechanism",
         .rules = {"rfc4954/4/no-plaintext-without-tls"},
         .profiles = relay_only | submission_only,
         .needs = need_nothing,
         .sends = "EHLO before STARTTLS",
         .accepts = "an EHLO reply whose AUTH keyword (if any) lists neither PLAIN nor LOGIN",
         .procedure = no_plaintext_listed},
        {.id = "rfc4954/4/no-plaintext-accepted",
         .title = "AUTH PLAIN in cleartext is refused",
         .rules = {"rfc4954/4/no-plaintext-without-tls"},
         .profiles = relay_only | submission_only,
         .needs = need_nothing,
         .sends = "EHLO, then AUTH PLAIN (no initial response, so no credential) before STARTTLS",
         .accepts = "a refusal such as 538, 530 or 504; never 334 or 235",
         .procedure = no_plaintext_accepted},
        {.id = "rfc4954/4/auth-plain",
         .title = "AUTH PLAIN with the given credentials succeeds inside TLS",
         .rules = {"rfc4954/6/auth-codes"},
         .profiles = submission_profiles,
         .needs = need_credentials,
         .sends = "EHLO, STARTTLS (not on submissions), EHLO, AUTH PLAIN with --user and the password",
         .accepts = "235 (authentication successful)",
         .procedure = auth_plain},
        {.id = "rfc4954/4/auth-login",
         .title = "AUTH LOGIN challenges in base64 and succeeds with the given credentials",
         .rules = {"rfc4954/4/auth-challenge-base64", "rfc4954/6/auth-codes"},
         .profiles = submission_profiles,
         .needs = need_credentials,
         .sends = "EHLO, STARTTLS (not on submissions), EHLO, AUTH LOGIN, the user name, the password",
         .accepts = "334 with a base64 challenge, 334 again, then 235",
         .procedure = auth_login},
        {.id = "rfc4954/4/auth-failure-535",
         .title = "Credentials that do not authenticate are answered 535",
         .rules = {"rfc4954/4/auth-failure-535"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "inside TLS: AUTH PLAIN (or LOGIN), then a made-up account's credentials",
         .accepts = "535 (or a more specific AUTH failure code)",
         .procedure = auth_failure},
        {.id = "rfc4954/4/auth-cancel-501",
         .title = "\"*\" cancels an AUTH exchange with 501",
         .rules = {"rfc4954/4/auth-cancel-501"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "inside TLS: AUTH PLAIN (or LOGIN), then \"*\"",
         .accepts = "501",
         .procedure = auth_cancel},
        {.id = "rfc4954/4/auth-invalid-base64-501",
         .title = "An AUTH response that is not base64 is answered 501",
         .rules = {"rfc4954/4/auth-invalid-base64-501"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "inside TLS: AUTH PLAIN (or LOGIN), then \"not*base64!\"",
         .accepts = "501 (5.5.2)",
         .procedure = auth_invalid_base64},
        {.id = "rfc4954/4/auth-once-503",
         .title = "AUTH after a successful AUTH is answered 503",
         .rules = {"rfc4954/4/auth-once-503"},
         .profiles = submission_profiles,
         .needs = need_credentials,
         .sends = "EHLO, STARTTLS, EHLO, AUTH PLAIN with the credentials, then AUTH PLAIN again",
         .accepts = "503 to the second AUTH",
         .procedure = auth_once},
        {.id = "rfc4954/4/auth-in-transaction-503",
         .title = "AUTH inside a mail transaction is answered 503",
         .rules = {"rfc4954/4/auth-in-transaction-503"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "inside TLS: MAIL FROM (after AUTH where MAIL needs it), AUTH PLAIN, RSET",
         .accepts = "503 to the AUTH",
         .procedure = auth_in_transaction},
        {.id = "rfc4954/4/auth-mechanism-504",
         .title = "AUTH with a mechanism the server does not support is refused with 504",
         .rules = {"rfc4954/4/auth-mechanism-504"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "inside TLS: AUTH X-SMTPSPEC-UNKNOWN",
         .accepts = "504",
         .procedure = auth_unknown_mechanism},
        {.id = "rfc6409/7/submission-supports-auth",
         .title = "A submission server lists AUTH once TLS is active",
         .rules = {"rfc6409/7/submission-supports-auth"},
         .profiles = submission_profiles,
         .needs = need_nothing,
         .sends = "EHLO, STARTTLS (not on submissions), EHLO",
         .accepts = "an AUTH keyword in the EHLO reply inside TLS",
         .procedure = submission_supports_auth},
    };
}

}  // namespace smtpspec::conformance::checks
