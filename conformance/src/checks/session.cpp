// Checks of the session itself (RFC 5321 §3.1, §3.2, §4.1.1.1, §4.1.1.10,
// §4.1.4, §4.2): the greeting, EHLO and HELO, QUIT, and the form of replies.
//
// Every check here only drives the session; the model judges each reply
// against the rules the check lists.
#include <string>
#include <string_view>

#include "checks/groups.hpp"

namespace smtpspec::conformance::checks {
namespace {

// RFC 5321 §4.1.1.1 / §4.1.3: the EHLO argument may be an address literal.
constexpr std::string_view ipv4_literal = "[127.0.0.1]";
constexpr std::string_view ipv6_literal = "[IPv6:::1]";

// ---------------------------------------------------------------- greeting

void greeting(CheckContext& c) {
    Probe& p = c.open();  // reads and judges the greeting
    p.quit();
}

// ---------------------------------------------------------------- EHLO / HELO

// EHLO, then one command of an extension the reply did not list: the model
// requires it refused (RFC 5321 §4.1.1.1: the EHLO reply lists every
// extension the server implements).
void ehlo(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    if (!p.advertises("AUTH")) {
        grammar::ast::Reply r = p.command("AUTH PLAIN");
        if (r.code == 334) p.command("*");  // cancel the exchange (RFC 4954 §4)
    } else if (!p.advertises("STARTTLS")) {
        grammar::ast::Reply r = p.command("STARTTLS");
        if (r.code == 220) {
            p.close();  // a handshake is due that this check does not run
            return;
        }
    } else if (!p.advertises("CHUNKING")) {
        p.command("BDAT 0 LAST");
    } else {
        c.note("the EHLO reply lists AUTH, STARTTLS and CHUNKING: no unlisted extension command to try");
    }
    p.quit();
}

void helo(CheckContext& c) {
    Probe& p = c.open();
    p.helo();
    p.command("NOOP");
    p.quit();
}

// A second EHLO is allowed; the session goes on after it.
void ehlo_twice(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    p.ehlo();
    p.command("NOOP");
    p.quit();
}

// MAIL, then EHLO again: the transaction is gone, so RCPT must be refused 503.
// A RCPT with no MAIL comes first: a server that accepts that one (the model
// reports it on rfc5321/3.3/rcpt-needs-mail) shows nothing about what EHLO clears.
void ehlo_resets(CheckContext& c) {
    Probe& p = c.ready();
    if (p.command("RCPT TO:<postmaster>").code / 100 == 2) {
        p.command("RSET");
        stop_error("RCPT without MAIL was accepted (rfc5321/3.3/rcpt-needs-mail): what EHLO clears cannot be seen");
    }
    const std::string from = c.mail_from();
    grammar::ast::Reply m = p.command("MAIL FROM:" + from);
    if (m.code != 250)
        stop_error("MAIL FROM:" + from + " was answered " + std::to_string(m.code) +
                   ", not 250: no transaction for EHLO to end");
    p.ehlo();
    grammar::ast::Reply r = p.command("RCPT TO:<postmaster>");
    if (r.code / 100 == 2) p.command("RSET");
    p.quit();
}

void ehlo_address_literal(CheckContext& c) {
    Probe& p = c.open();
    p.command("EHLO " + std::string(ipv4_literal));
    p.command("EHLO " + std::string(ipv6_literal));
    p.quit();
}

// ---------------------------------------------------------------- QUIT

void quit_221(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    p.quit();  // QUIT, its reply, and the close
}

// QUIT, then a NOOP on the same connection: after 221 the server closes and
// answers nothing more (a reply to the NOOP is the model's finding).
void quit_then_close(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    grammar::ast::Reply r = p.command("QUIT");
    if (r.code != 221) return;  // the model has judged the reply (quit-221); nothing closes after it
    p.send("NOOP\r\n");
    p.drain();
    p.close();
}

// ---------------------------------------------------------------- replies

// Draws several replies, multi-line ones among them (EHLO, HELP), and lets the
// model judge the form of each. try_command: a malformed reply is judged and
// the session goes on.
void multiline_replies(CheckContext& c) {
    Probe& p = c.open();
    const std::string ehlo_line = "EHLO " + c.options().ehlo_domain;
    unsigned multi = 0;
    for (std::string_view line : {std::string_view(ehlo_line), std::string_view("HELP"),
                                  std::string_view("HELP HELP"), std::string_view(ehlo_line)}) {
        ReplyOutcome o = p.try_command(line);
        if (o.kind == ReplyOutcome::Kind::malformed) ++multi;
        else if (o.ok() && o.reply->lines.size() > 1) ++multi;
        else if (!o.ok()) break;
    }
    if (multi == 0) c.note("the server sent no multi-line reply (EHLO and HELP were one line each)");
    p.quit();
}

// One command, one reply: after a few commands answered one by one, nothing
// more arrives.
void one_reply(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    p.command("NOOP");
    p.command("RSET");
    p.command("HELP");
    p.drain();
    p.quit();
}

}  // namespace

std::vector<Check> session_checks() {
    return {
        {.id = "rfc5321/4.3.2/greeting",
         .title = "The connection greeting is a well-formed 220 reply",
         .rules = {"rfc5321/4.3.2/greeting-codes", "rfc5321/4.3.2/reply-syntax"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "nothing: connects and reads the greeting, then QUIT",
         .accepts = "220 (554 refuses the session; 421 when shutting down)",
         .procedure = greeting},
        {.id = "rfc5321/4.1.1.1/ehlo",
         .title = "EHLO is answered 250 and lists the extensions the server implements",
         .rules = {"rfc5321/4.3.2/ehlo-codes", "rfc5321/4.1.1.1/ehlo-lists-extensions"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then one command of an extension the reply did not list (AUTH PLAIN, STARTTLS or "
                  "BDAT 0 LAST)",
         .accepts = "250 to EHLO; a refusal (4yz/5yz) to the command of the unlisted extension",
         .procedure = ehlo},
        {.id = "rfc5321/4.1.1.1/helo-supported",
         .title = "HELO is supported",
         .rules = {"rfc5321/4.1.1.1/helo-supported"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "HELO, NOOP",
         .accepts = "250 to HELO (never 500 or 502)",
         .procedure = helo},
        {.id = "rfc5321/3.2/helo-not-extended",
         .title = "The reply to HELO does not list service extensions",
         .rules = {"rfc5321/3.2/helo-not-extended"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "HELO, NOOP",
         .accepts = "a 250 reply without EHLO keyword lines",
         .procedure = helo},
        {.id = "rfc5321/4.1.4/ehlo-twice",
         .title = "A second EHLO in the session is accepted",
         .rules = {"rfc5321/4.1.4/ehlo-failure-codes", "rfc5321/4.3.2/ehlo-codes"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, EHLO, NOOP",
         .accepts = "250 to both EHLO commands (a refusal only with 501, 500, 502 or 550)",
         .procedure = ehlo_twice},
        {.id = "rfc5321/4.1.4/ehlo-resets",
         .title = "EHLO inside a mail transaction ends the transaction",
         .rules = {"rfc5321/4.1.4/ehlo-resets"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and AUTH on submission), RCPT TO:<postmaster> (no MAIL), MAIL FROM, EHLO, "
                  "RCPT TO:<postmaster>",
         .accepts = "503 to the RCPT: the EHLO cleared the sender as RSET does",
         .procedure = ehlo_resets},
        {.id = "rfc5321/4.1.1.1/ehlo-address-literal",
         .title = "EHLO with an address literal ([127.0.0.1], [IPv6:::1]) is answered with a listed code",
         .rules = {"rfc5321/4.3.2/ehlo-codes", "rfc5321/4.1.4/ehlo-failure-codes"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO [127.0.0.1], EHLO [IPv6:::1]",
         .accepts = "250, or a refusal with 501, 500, 502 or 550",
         .procedure = ehlo_address_literal},
        {.id = "rfc5321/4.1.1.10/quit-221",
         .title = "QUIT is answered 221",
         .rules = {"rfc5321/4.1.1.10/quit-221"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, QUIT",
         .accepts = "221, then the server closes the connection",
         .procedure = quit_221},
        {.id = "rfc5321/4.1.1.10/quit-then-close",
         .title = "After 221 to QUIT the server closes the connection and answers nothing more",
         .rules = {"rfc5321/4.1.1.10/quit-then-close"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, QUIT, then NOOP on the same connection",
         .accepts = "221 to QUIT, then the close; no reply to the NOOP",
         .procedure = quit_then_close},
        {.id = "rfc5321/4.2.1/multiline-replies",
         .title = "Multi-line replies carry the same code on every line, in the Reply-line syntax",
         .rules = {"rfc5321/4.2.1/multiline-same-code", "rfc5321/4.3.2/reply-syntax", "rfc5321/4.2/no-bare-codes",
                   "rfc5321/4.2/reply-format", "rfc5321/4.5.3.1.5/reply-line-length"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, HELP, HELP HELP, EHLO",
         .accepts = "replies of the form code \"-\" text on every line but the last, code SP text on the "
                    "last, one code throughout, lines of at most 512 octets",
         .procedure = multiline_replies},
        {.id = "rfc5321/4.2/one-reply",
         .title = "Every command is answered with exactly one reply",
         .rules = {"rfc5321/4.2/one-reply"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, NOOP, RSET, HELP, one at a time, then waits for anything more",
         .accepts = "one reply per command and nothing unsolicited",
         .procedure = one_reply},
    };
}

}  // namespace smtpspec::conformance::checks
