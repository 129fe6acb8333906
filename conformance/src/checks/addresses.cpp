// Checks of addresses (RFC 5321 §4.1.1.3, §4.1.2, §4.1.3, §4.5.1, §4.5.3.1,
// §4.5.5): postmaster, the null reverse-path, source routes, address
// literals, the recipients buffer, path lengths and the common deviation
// "MAIL FROM: <...>".
//
// No check here sends DATA: every transaction ends with RSET.
#include <algorithm>
#include <string>
#include <string_view>

#include "checks/groups.hpp"
#include "smtpspec/grammar/limits.hpp"

namespace smtpspec::conformance::checks {
namespace {

namespace ast = grammar::ast;

// RFC 5321 §4.5.3.1.8: "The minimum total number of recipients that MUST be buffered is 100".
constexpr unsigned recipients_buffer = 100;

void begin_mail(Probe& p, const std::string& from, std::string_view why) {
    ast::Reply r = p.command("MAIL FROM:" + from);
    if (r.code != 250)
        stop_error("MAIL FROM:" + from + " was answered " + std::to_string(r.code) + ", not 250: " +
                   std::string(why));
}

bool accepted(const ast::Reply& r) { return r.code == 250 || r.code == 251; }

// ---------------------------------------------------------------- postmaster (§4.5.1)

// RCPT TO:<Postmaster> in the spellings of §4.1.1.3 ("treated as case-insensitive").
void postmaster(CheckContext& c) {
    Probe& p = c.ready();
    begin_mail(p, c.mail_from(), "no transaction to send RCPT in");
    p.command("RCPT TO:<Postmaster>");
    p.command("RCPT TO:<postmaster>");
    p.command("RSET");
    p.quit();
}

// ---------------------------------------------------------------- reverse-paths

void null_reverse_path(CheckContext& c) {
    Probe& p = c.ready();
    ast::Reply r = p.command("MAIL FROM:<>");
    if (accepted(r)) p.command("RCPT TO:<postmaster>");
    p.command("RSET");
    p.quit();
}

void mail_address_literal(CheckContext& c) {
    Probe& p = c.ready();
    for (std::string_view from : {"MAIL FROM:<postmaster@[127.0.0.1]>", "MAIL FROM:<postmaster@[IPv6:::1]>"}) {
        p.command(from);
        p.command("RSET");
    }
    p.quit();
}

// "MAIL FROM: <...>": a space the ABNF does not allow; either answer is conforming.
void lenient_mail(CheckContext& c) {
    Probe& p = c.ready();
    p.command("MAIL FROM: " + c.mail_from());
    p.command("RSET");
    p.quit();
}

// ---------------------------------------------------------------- forward-paths

// A forward-path with a source route (RFC 5321 §4.1.1.3, Appendix C).
void source_route(CheckContext& c) {
    Probe& p = c.ready();
    begin_mail(p, c.mail_from(), "no transaction to send RCPT in");
    p.command("RCPT TO:<@a.example,@b.example:postmaster@c.example>");
    p.command("RSET");
    p.quit();
}

// 101 recipients in one transaction: the first 100 are not refused as too
// many, and a refusal for too many uses 452.
void recipients_100(CheckContext& c) {
    Probe& p = c.ready();
    begin_mail(p, c.mail_from(), "no transaction to add recipients to");
    const std::string rcpt =
        c.options().rcpt ? "RCPT TO:<" + *c.options().rcpt + ">" : std::string("RCPT TO:<postmaster>");
    unsigned taken = 0;
    for (unsigned i = 0; i <= recipients_buffer; ++i) {
        ast::Reply r = p.command(rcpt);
        if (accepted(r)) ++taken;
        else if (taken == 0) {
            p.command("RSET");
            stop_error(rcpt + " was answered " + std::to_string(r.code) +
                       ": no recipient to fill the buffer with");
        }
    }
    c.note(std::to_string(taken) + " of " + std::to_string(recipients_buffer + 1) + " recipients accepted");
    p.command("RSET");
    p.quit();
}

// A reverse-path and a forward-path of exactly 256 octets (RFC 5321
// §4.5.3.1.3), with a 64-octet local part (§4.5.3.1.1).
std::string longest_path() {
    std::string local(grammar::limits::local_part, 'p');
    std::string domain;
    // Labels of 61 octets and ".example" up to the 254 octets a mailbox may take.
    const std::size_t mailbox = grammar::limits::path - 2;
    const std::size_t domain_octets = mailbox - local.size() - 1;
    const std::string tail = ".example";
    while (domain.size() + tail.size() < domain_octets) {
        const std::size_t room = domain_octets - tail.size() - domain.size() - (domain.empty() ? 0 : 1);
        if (room == 0) break;
        if (!domain.empty()) domain += '.';
        domain.append(std::min<std::size_t>(61, room), 'd');
    }
    return "<" + local + "@" + domain + tail + ">";
}

void path_256(CheckContext& c) {
    Probe& p = c.ready();
    const std::string path = longest_path();
    ast::Reply m = p.command("MAIL FROM:" + path);
    if (!accepted(m)) begin_mail(p, c.mail_from(), "no transaction to send RCPT in");
    p.command("RCPT TO:" + path);
    p.command("RSET");
    p.quit();
}

}  // namespace

std::vector<Check> address_checks() {
    return {
        {.id = "rfc5321/4.5.1/postmaster",
         .title = "RCPT TO:<Postmaster> is accepted",
         .rules = {"rfc5321/4.5.1/postmaster"},
         .profiles = relay_only,
         .needs = need_nothing,
         .sends = "MAIL FROM, RCPT TO:<Postmaster>, RCPT TO:<postmaster>, RSET",
         .accepts = "250 (a temporary 4yz refusal is allowed; never 5yz but 503, 530 or 554)",
         .procedure = postmaster},
        {.id = "rfc5321/4.5.5/null-reverse-path",
         .title = "MAIL FROM:<> (the null reverse-path) is answered with a listed code",
         .rules = {"rfc5321/4.3.2/mail-codes"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM:<>, RCPT TO:<postmaster>, RSET",
         .accepts = "250",
         .procedure = null_reverse_path},
        {.id = "rfc5321/4.1.3/mail-address-literal",
         .title = "MAIL FROM with an address-literal domain is answered with a listed code",
         .rules = {"rfc5321/4.3.2/mail-codes"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM:<postmaster@[127.0.0.1]>, RSET, MAIL FROM:<postmaster@[IPv6:::1]>, RSET",
         .accepts = "250, or a refusal the §4.3.2 table lists for MAIL",
         .procedure = mail_address_literal},
        {.id = "rfc5321/4.1.2/lenient-mail-from",
         .title = "MAIL FROM: <...> (a space after the colon) is accepted or refused",
         .rules = {"rfc5321/4.1.2/lenient-syntax"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM: <...> with a space before the path, RSET",
         .accepts = "a refusal, normally 501 (accepting it is common and noted)",
         .procedure = lenient_mail},
        {.id = "rfc5321/4.1.1.3/source-route",
         .title = "A forward-path with a source route is not refused as a syntax error",
         .rules = {"rfc5321/4.1.1.3/source-route"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM, RCPT TO:<@a.example,@b.example:postmaster@c.example>, RSET",
         .accepts = "any reply but 501 (the route is ignored; relaying may be refused)",
         .procedure = source_route},
        {.id = "rfc5321/4.5.3.1.8/recipients-100",
         .title = "At least 100 recipients are accepted in one transaction",
         .rules = {"rfc5321/4.5.3.1.8/recipients-100", "rfc5321/4.5.3.1.10/too-many-recipients-452"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM, 101 times RCPT TO:<postmaster> (or --rcpt), RSET; no DATA",
         .accepts = "no too-many-recipients refusal before 100 were accepted; such a refusal is 452",
         .procedure = recipients_100},
        {.id = "rfc5321/4.5.3.1.3/path-256",
         .title = "Paths of 256 octets with a 64-octet local part are not refused as too long",
         .rules = {"rfc5321/4.5.3.1/minimum-sizes"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM and RCPT TO with a path of 256 octets, RSET",
         .accepts = "any reply but a \"too long\" refusal",
         .procedure = path_256},
    };
}

}  // namespace smtpspec::conformance::checks
