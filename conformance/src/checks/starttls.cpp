// RFC 3207 (STARTTLS) and RFC 8314 §3.3 (implicit TLS): the upgrade works,
// the session starts over inside TLS, and nothing sent in cleartext crosses
// into it. Every verdict is the model's (or, for facts no reply shows, a rule
// of the TLS table).
#include <algorithm>

#include "checks/groups.hpp"
#include "checks/tls_session.hpp"
#include "smtpspec/conformance/transcript.hpp"

namespace smtpspec::conformance::checks {
namespace {

namespace ast = grammar::ast;

// A session after EHLO, skipped when the server does not advertise STARTTLS.
Probe& open_offering_starttls(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    if (!p.advertises("STARTTLS")) stop_skip("the server does not advertise STARTTLS");
    return p;
}

// RFC 3207 §4: STARTTLS is answered 220 and the handshake follows.
void starttls_accepted(CheckContext& c) {
    Probe& p = open_offering_starttls(c);
    ast::Reply r = p.starttls();
    if (r.code == 454) stop_skip("the server answered STARTTLS with " + reply_text(r) + " (TLS temporarily unavailable)");
    if (r.code != 220) stop_error("the server advertises STARTTLS but answered it with " + reply_text(r));
    p.ehlo();
    p.quit();
}

// RFC 3207 §4: "STARTTLS" takes no parameters ("501 Syntax error (no parameters allowed)").
void starttls_parameter(CheckContext& c) {
    Probe& p = open_offering_starttls(c);
    ast::Reply r = p.command("STARTTLS smtpspec-parameter");
    if (r.code == 220) {
        // The server now waits for a handshake the client never asked for.
        c.note("the server answered 220 to STARTTLS with a parameter; the session was closed without a handshake");
        p.close();
        return;
    }
    p.quit();
}

// RFC 3207 §4.2: after the handshake the server forgets the transaction opened
// in cleartext, so RCPT without a new MAIL is answered 503 (as it is before
// any MAIL, which the check sees first).
void reset_after_tls(CheckContext& c) {
    Probe& p = open_offering_starttls(c);
    // A server that takes RCPT without MAIL at all cannot show a kept transaction this way.
    ast::Reply bare = p.command("RCPT TO:<postmaster>");
    if (bare.code / 100 == 2)
        stop_skip("the server accepts RCPT without MAIL (" + reply_text(bare) +
                  "), so a RCPT after the handshake cannot show whether the transaction was kept");
    ast::Reply m = p.command("MAIL FROM:" + c.mail_from());
    if (m.code != 250)
        c.note("MAIL before STARTTLS was answered " + reply_text(m) +
               ": no transaction was open, so the check sees only that none appears after the handshake");
    ast::Reply r = p.starttls();
    if (r.code != 220) stop_skip("the server answered STARTTLS with " + reply_text(r) + ", so TLS could not start");
    p.command("RCPT TO:<postmaster>");  // the model: 503 in the fresh state, never 250
    p.quit();
}

// RFC 3207 §4.2: the EHLO reply inside TLS does not list STARTTLS.
void no_starttls_after_tls(CheckContext& c) {
    Probe& p = open_tls(c);  // the model judges the EHLO reply inside TLS
    p.quit();
}

// RFC 3207 §4.2: "Both the client and the server MUST know if there is a TLS
// session active": STARTTLS inside TLS is refused.
void refuse_starttls_inside_tls(Probe& p, CheckContext& c) {
    ast::Reply r = p.command("STARTTLS");
    if (r.code == 220) {
        c.note("the server answered 220 to STARTTLS inside TLS; the session was closed without a second handshake");
        p.close();
        return;
    }
    p.quit();
}

void starttls_again(CheckContext& c) { refuse_starttls_inside_tls(open_tls(c), c); }

void starttls_on_implicit_tls(CheckContext& c) {
    Probe& p = c.open();
    if (!p.tls()) stop_error("the submissions profile needs TLS from the first byte: give a tls:// target");
    p.ehlo();
    refuse_starttls_inside_tls(p, c);
}

// Bytes as a report shows them: CR and LF visible, at most 200 octets.
std::string visible(std::string_view bytes) {
    std::string out;
    for (char ch : bytes.substr(0, 200)) {
        if (ch == '\r') out += "\\r";
        else if (ch == '\n') out += "\\n";
        else if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e) out += '?';
        else out += ch;
    }
    if (bytes.size() > 200) out += "...";
    return out;
}

// RFC 3207 §4.2, the CVE-2011-0411 class: commands pipelined in cleartext
// behind STARTTLS must not be executed inside TLS. They go in one write with
// STARTTLS; after the 220 and the handshake, any reply to them is unsolicited
// and the model reports it.
void discard_pipelined(CheckContext& c) {
    Probe& p = open_offering_starttls(c);
    p.send("STARTTLS\r\nNOOP\r\nRSET\r\n");
    ReplyOutcome first = p.read();
    if (!first.ok()) stop_error("no reply to STARTTLS: " + first.message);
    if (first.code() != 220) {
        p.read_pending();
        stop_skip("the server answered STARTTLS with " + reply_text(*first.reply) + ", so TLS could not start");
    }
    p.handshake();
    const std::string& early = p.session().discarded_plaintext();
    if (!early.empty())
        c.finding("rfc3207/4.2/discard-pipelined",
                  "the server answered the commands pipelined after STARTTLS in cleartext, before the handshake",
                  "nothing between the 220 and the TLS handshake", visible(early));
    p.drain();  // a reply now answers NOOP or RSET sent in cleartext
    p.ehlo();
    p.quit();
}

// RFC 8314 §4: a submission server offers TLS; on port 587 that is STARTTLS.
void submission_offers_tls(CheckContext& c) {
    Probe& p = c.open();
    ast::Reply r = p.ehlo();
    constexpr std::string_view rule = "rfc8314/4/tls-access";
    if (p.tls() || p.advertises("STARTTLS")) c.judged(rule);
    else
        c.finding(rule, "the submission server's EHLO reply in cleartext does not list STARTTLS: no TLS access",
                  "STARTTLS in the EHLO reply", reply_text(r));
    p.quit();
}

// RFC 8314 §3.3: on the submissions port the TLS handshake comes first and the
// greeting arrives over TLS.
void implicit_tls(CheckContext& c) {
    constexpr std::string_view rule = "rfc8314/3.3/implicit-tls";
    if (!c.endpoint().implicit_tls)
        stop_error("the submissions profile needs TLS from the first byte: give a tls:// target");
    if (c.endpoint().in_process) {
        c.note("the in-process server simulates TLS; the check judges that the greeting comes after the handshake");
    } else {
        // The handshake alone, without --tls-verify: a certificate problem is another check's.
        ConnectOptions o;
        o.timeout = c.options().timeout;
        o.tls.host = c.endpoint().host;
        Connected conn = c.endpoint().connect(o);
        if (!conn.connection) {
            if (conn.result.status != IoStatus::tls_failed)
                stop_error("cannot connect to " + c.endpoint().name + ": " + conn.result.message);
            c.finding(rule, "no TLS handshake on the submissions port", "a TLS handshake from the first byte",
                      conn.result.message);
            return;
        }
        conn.connection->close();
    }
    Probe& p = c.open();
    const auto& events = p.session().transcript().events();
    auto greeting = std::find_if(events.begin(), events.end(), [](const TranscriptEvent& e) {
        return e.kind == TranscriptEvent::Kind::data && e.direction == Direction::server;
    });
    if (p.tls() && greeting != events.end() && greeting->tls) c.judged(rule);
    else
        c.finding(rule, "the greeting did not arrive over TLS", "the greeting inside the TLS session",
                  "the greeting in cleartext");
    p.ehlo();
    p.quit();
}

}  // namespace

std::vector<Check> starttls_checks() {
    return {
        {.id = "rfc3207/4/starttls-accepted",
         .title = "STARTTLS is answered 220 and the TLS handshake succeeds",
         .rules = {"rfc3207/4/starttls-codes", "rfc5321/4.2.4/no-advertised-502"},
         .profiles = relay_only | submission_only,
         .needs = need_nothing,
         .sends = "EHLO, STARTTLS, the TLS handshake, EHLO",
         .accepts = "220 to STARTTLS, a completed handshake, 250 to EHLO inside TLS (skip: STARTTLS not advertised)",
         .procedure = starttls_accepted},
        {.id = "rfc3207/4/starttls-no-parameters",
         .title = "STARTTLS with a parameter is refused (501)",
         .rules = {"rfc3207/4/starttls-codes"},
         .profiles = relay_only | submission_only,
         .needs = need_nothing,
         .sends = "EHLO, then STARTTLS smtpspec-parameter",
         .accepts = "501 (no parameters allowed); never 220",
         .procedure = starttls_parameter},
        {.id = "rfc3207/4.2/reset-after-tls",
         .title = "After the TLS handshake the transaction opened before it is forgotten",
         .rules = {"rfc3207/4.2/reset-after-tls"},
         .profiles = relay_only | submission_only,
         .needs = need_nothing,
         .sends = "EHLO, RCPT TO:<postmaster> (503 expected), MAIL FROM, STARTTLS and the handshake, then RCPT "
                  "TO:<postmaster> without EHLO or MAIL",
         .accepts = "503 (or 530/554) to the RCPT: the session started over",
         .procedure = reset_after_tls},
        {.id = "rfc3207/4.2/no-starttls-after-tls",
         .title = "The EHLO reply inside TLS does not list STARTTLS",
         .rules = {"rfc3207/4.2/no-starttls-after-tls"},
         .profiles = relay_only | submission_only,
         .needs = need_nothing,
         .sends = "EHLO, STARTTLS, the handshake, EHLO",
         .accepts = "an EHLO reply inside TLS without the STARTTLS keyword",
         .procedure = no_starttls_after_tls},
        {.id = "rfc3207/4.2/starttls-inside-tls",
         .title = "STARTTLS inside TLS is refused",
         .rules = {"rfc3207/4.2/tls-active-known"},
         .profiles = relay_only | submission_only,
         .needs = need_nothing,
         .sends = "EHLO, STARTTLS, the handshake, EHLO, STARTTLS again",
         .accepts = "a 4yz/5yz reply (e.g. 503 or 554) to the second STARTTLS; never 220",
         .procedure = starttls_again},
        {.id = "rfc3207/4.2/starttls-on-implicit-tls",
         .title = "STARTTLS on the submissions port (TLS from the first byte) is refused",
         .rules = {"rfc3207/4.2/tls-active-known"},
         .profiles = submissions_only,
         .needs = need_nothing,
         .sends = "EHLO, then STARTTLS inside the implicit TLS session",
         .accepts = "a 4yz/5yz reply (e.g. 502, 503 or 554); never 220",
         .procedure = starttls_on_implicit_tls},
        {.id = "rfc3207/4.2/discard-pipelined",
         .title = "Commands pipelined in cleartext after STARTTLS are discarded (CVE-2011-0411 class)",
         .rules = {"rfc3207/4.2/discard-pipelined"},
         .profiles = relay_only | submission_only,
         .needs = need_nothing,
         .sends = "EHLO, then \"STARTTLS\\r\\nNOOP\\r\\nRSET\\r\\n\" in one write, the handshake, a quiet wait, EHLO",
         .accepts = "220 to STARTTLS and no reply to NOOP or RSET, before or after the handshake",
         .procedure = discard_pipelined},
        {.id = "rfc8314/4/submission-offers-tls",
         .title = "A submission server offers TLS (STARTTLS on port 587)",
         .rules = {"rfc8314/4/tls-access"},
         .profiles = submission_only,
         .needs = need_nothing,
         .sends = "EHLO",
         .accepts = "STARTTLS in the EHLO reply (or a session already in TLS)",
         .procedure = submission_offers_tls},
        {.id = "rfc8314/3.3/implicit-tls",
         .title = "On the submissions port the TLS handshake comes before the greeting",
         .rules = {"rfc8314/3.3/implicit-tls"},
         .profiles = submissions_only,
         .needs = need_nothing,
         .sends = "a TLS ClientHello as the first bytes, then EHLO inside TLS",
         .accepts = "a completed handshake, then the 220 greeting over TLS",
         .procedure = implicit_tls},
    };
}

}  // namespace smtpspec::conformance::checks
