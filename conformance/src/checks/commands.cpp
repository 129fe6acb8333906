// Checks of the commands (RFC 5321 §2.4, §3.3, §4.1.1, §4.1.4, §4.2.4,
// §4.5.3.1.4): the order of commands, RSET, NOOP, VRFY, EXPN and HELP,
// unknown commands, syntax errors and unknown parameters, the case of verbs,
// the command line limit and non-ASCII octets.
//
// None of these checks sends DATA to a recipient: a transaction they open
// ends with RSET (or with the close when a server wrongly answers DATA 354).
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "checks/groups.hpp"
#include "smtpspec/grammar/limits.hpp"

namespace smtpspec::conformance::checks {
namespace {

namespace ast = grammar::ast;

// "NOOP " and filler up to `octets` octets with the CRLF.
std::string noop_line(std::size_t octets) {
    std::string line = "NOOP ";
    line.append(octets - line.size() - 2, 'x');
    return line;
}

// EHLO, and on the submission profiles STARTTLS (when offered) and EHLO
// again: RFC 3207 §4 lets a submission server answer 530 to most commands
// until TLS is up, which would hide the behaviour a check looks at.
Probe& open_session(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    if (c.profile() != model::Profile::relay && !p.tls() && p.advertises("STARTTLS")) {
        p.starttls();
        p.ehlo();
    }
    return p;
}

// MAIL FROM with the run's reverse-path; stops with an error unless it is accepted.
void begin_mail(CheckContext& c, Probe& p, std::string_view why) {
    const std::string from = c.mail_from();
    ast::Reply r = p.command("MAIL FROM:" + from);
    if (r.code != 250)
        stop_error("MAIL FROM:" + from + " was answered " + std::to_string(r.code) + ", not 250: " +
                   std::string(why));
}

// A recipient the server should accept: --rcpt when given, else postmaster
// (RFC 5321 §4.5.1 requires it accepted).
std::string some_recipient(const CheckContext& c) {
    return c.options().rcpt ? "<" + *c.options().rcpt + ">" : std::string("<postmaster>");
}

// RSET when a command that should have been refused opened or kept a transaction.
void reset_if_accepted(Probe& p, const ast::Reply& r) {
    if (r.code / 100 == 2 || r.code / 100 == 3) p.command("RSET");
}

// DATA that a conforming server refuses; a 354 is judged, and the connection
// is then closed so that no message is completed.
void data_expecting_refusal(Probe& p) {
    ast::Reply r = p.command("DATA");
    if (r.code == 354) {
        p.close();
        return;
    }
    p.command("RSET");
    p.quit();
}

// ---------------------------------------------------------------- order of commands

void mail_before_helo(CheckContext& c) {
    Probe& p = c.open();
    reset_if_accepted(p, p.command("MAIL FROM:" + c.mail_from()));
    p.quit();
}

void rcpt_before_mail(CheckContext& c) {
    Probe& p = c.ready();
    reset_if_accepted(p, p.command("RCPT TO:<postmaster>"));
    p.quit();
}

void data_without_rcpt(CheckContext& c) {
    Probe& p = c.ready();
    begin_mail(c, p, "no transaction to send DATA in");
    data_expecting_refusal(p);
}

void data_without_mail(CheckContext& c) {
    Probe& p = c.ready();
    data_expecting_refusal(p);
}

void nested_mail(CheckContext& c) {
    Probe& p = c.ready();
    begin_mail(c, p, "no transaction to nest a MAIL in");
    p.command("MAIL FROM:" + c.mail_from());
    p.command("RSET");
    p.quit();
}

// MAIL after an accepted RCPT: out of order, refused 503 (or the server starts over).
void mail_after_rcpt(CheckContext& c) {
    Probe& p = c.ready();
    begin_mail(c, p, "no transaction to send MAIL in");
    const std::string rcpt = "RCPT TO:" + some_recipient(c);
    ast::Reply r = p.command(rcpt);
    if (r.code != 250 && r.code != 251) {
        p.command("RSET");
        stop_error(rcpt + " was answered " + std::to_string(r.code) + ", not 250: no recipient to send MAIL after");
    }
    p.command("MAIL FROM:" + c.mail_from());
    p.command("RSET");
    p.quit();
}

// NOOP, RSET, HELP, VRFY and EXPN before EHLO; then QUIT.
void before_ehlo(CheckContext& c) {
    Probe& p = c.open();
    for (std::string_view line : {"NOOP", "RSET", "HELP", "VRFY postmaster", "EXPN postmaster"}) p.command(line);
    p.quit();
}

// ---------------------------------------------------------------- RSET, NOOP

// RSET with no transaction and inside one.
void rset_250(CheckContext& c) {
    Probe& p = c.ready();
    p.command("RSET");
    begin_mail(c, p, "no transaction for RSET to end");
    p.command("RSET");
    p.quit();
}

// MAIL, RCPT, RSET, then RCPT again: nothing survived the RSET, so 503. A RCPT
// with no MAIL comes first: a server that accepts that one (the model reports it
// on rfc5321/3.3/rcpt-needs-mail) shows nothing about what RSET clears.
void rset_clears(CheckContext& c) {
    Probe& p = c.ready();
    if (p.command("RCPT TO:<postmaster>").code / 100 == 2) {
        p.command("RSET");
        stop_error("RCPT without MAIL was accepted (rfc5321/3.3/rcpt-needs-mail): what RSET clears cannot be seen");
    }
    begin_mail(c, p, "no transaction for RSET to clear");
    p.command("RCPT TO:<postmaster>");
    p.command("RSET");
    reset_if_accepted(p, p.command("RCPT TO:<postmaster>"));
    p.quit();
}

// RSET before EHLO, after it and in a transaction; the session goes on after each.
void rset_no_close(CheckContext& c) {
    Probe& p = c.open();
    p.command("RSET");
    p.ehlo();
    p.command("RSET");
    p.command("NOOP");
    p.quit();
}

void noop(CheckContext& c) {
    Probe& p = c.open();
    p.command("NOOP");
    p.ehlo();
    p.command("NOOP");
    p.quit();
}

void noop_parameter(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    p.command("NOOP smtpspec");
    p.quit();
}

// ---------------------------------------------------------------- VRFY, EXPN, HELP

void vrfy(CheckContext& c) {
    Probe& p = open_session(c);
    p.command("VRFY postmaster");
    p.quit();
}

void expn(CheckContext& c) {
    Probe& p = open_session(c);
    p.command("EXPN postmaster");
    p.quit();
}

void help(CheckContext& c) {
    Probe& p = open_session(c);
    p.command("HELP");
    p.quit();
}

void help_topic(CheckContext& c) {
    Probe& p = open_session(c);
    p.command("HELP MAIL");
    p.quit();
}

// ---------------------------------------------------------------- errors

// An unknown verb, then NOOP to see the session go on.
void unknown_command(CheckContext& c) {
    Probe& p = open_session(c);
    p.command("XSMTPSPEC");
    p.command("NOOP");
    p.quit();
}

// MAIL whose reverse-path does not parse, then RCPT: the state did not change,
// so the RCPT has no transaction to join.
void mail_bad_argument(CheckContext& c) {
    Probe& p = c.ready();
    p.command("MAIL FROM:<smtpspec test@example.org>");
    reset_if_accepted(p, p.command("RCPT TO:<postmaster>"));
    p.quit();
}

// RCPT with no forward-path inside a transaction.
void rcpt_syntax_error(CheckContext& c) {
    Probe& p = c.ready();
    begin_mail(c, p, "no transaction to send RCPT in");
    p.command("RCPT TO:");
    p.command("RSET");
    p.quit();
}

// RSET and QUIT with an argument.
void no_arguments(CheckContext& c) {
    Probe& p = open_session(c);
    p.command("RSET smtpspec");
    p.command("QUIT smtpspec");
    p.quit();
}

// A MAIL and a RCPT parameter that no EHLO keyword announced.
void unknown_parameter(CheckContext& c) {
    Probe& p = c.ready();
    ast::Reply m = p.command("MAIL FROM:" + c.mail_from() + " XSMTPSPEC=1");
    if (m.code / 100 != 2) {
        begin_mail(c, p, "no transaction to send a RCPT parameter in");
    }
    p.command("RCPT TO:<postmaster> XSMTPSPEC=1");
    p.command("RSET");
    p.quit();
}

// ---------------------------------------------------------------- case of verbs (RFC 5321 §2.4)

// The required commands and HELO spelt in `spelling`: {EHLO, NOOP, RSET, MAIL FROM:, RCPT TO:, HELO, QUIT}.
void verbs_spelt(CheckContext& c, const std::array<std::string_view, 7>& spelling) {
    Probe& p = c.ready();
    const std::string domain = c.options().ehlo_domain;
    p.command(std::string(spelling[0]) + " " + domain);
    p.command(spelling[1]);
    p.command(spelling[2]);
    ast::Reply m = p.command(std::string(spelling[3]) + c.mail_from());
    if (m.code / 100 == 2) p.command(std::string(spelling[4]) + "<postmaster>");
    p.command(spelling[2]);
    p.command(std::string(spelling[5]) + " " + domain);
    p.command(spelling[6]);
    p.quit();  // after 221 only the close is left
}

void lower_case(CheckContext& c) {
    verbs_spelt(c, {"ehlo", "noop", "rset", "mail from:", "rcpt to:", "helo", "quit"});
}

void mixed_case(CheckContext& c) {
    verbs_spelt(c, {"EhLo", "NoOp", "RsEt", "MaIl FrOm:", "RcPt To:", "HeLo", "QuIt"});
}

// ---------------------------------------------------------------- sizes and octets

// A line one octet over the limit, then one longer than common read buffers;
// then NOOP to see the session go on.
void line_over_limit(CheckContext& c) {
    Probe& p = open_session(c);
    for (std::size_t octets : {grammar::limits::command_line + 1, std::size_t{10000}}) {
        if (!p.try_command(noop_line(octets)).ok()) return;  // the model has judged the close
        p.drain();  // a server that split the line may answer twice: judged as such, not paired with the NOOP
        if (p.state().phase == model::Phase::closed) return;
    }
    p.command("NOOP");
    p.quit();
}

// A command line of exactly 512 octets with its CRLF.
void line_at_limit(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    p.command(noop_line(grammar::limits::command_line));
    p.quit();
}

// A command with UTF-8 octets in its argument after HELO, where no extension
// (so no SMTPUTF8, RFC 6531 §3.1) is in effect.
void non_ascii(CheckContext& c) {
    Probe& p = open_session(c);
    p.helo();
    p.command("VRFY smtpspec-caf\xC3\xA9");
    p.quit();
}

// The required commands, each answered with something other than 500 or 502.
void required_commands(CheckContext& c) {
    Probe& p = c.ready();
    p.command("NOOP");
    p.command("RSET");
    p.command("MAIL FROM:" + c.mail_from());
    p.command("RCPT TO:<postmaster>");
    p.command("RSET");
    p.command("HELO " + c.options().ehlo_domain);
    p.quit();
}

}  // namespace

std::vector<Check> command_checks() {
    return {
        // ------------------------------------------------------------ order of commands
        {.id = "rfc5321/4.1.1.1/mail-before-helo",
         .title = "MAIL before EHLO or HELO is refused",
         .rules = {"rfc5321/4.1.1.1/mail-needs-helo"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM right after the greeting",
         .accepts = "a refusal, normally 503 (accepting it is noted)",
         .procedure = mail_before_helo},
        {.id = "rfc5321/3.3/rcpt-before-mail",
         .title = "RCPT without MAIL is refused with 503",
         .rules = {"rfc5321/3.3/rcpt-needs-mail"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and AUTH on submission), then RCPT TO:<postmaster> with no MAIL",
         .accepts = "503 (bad sequence of commands)",
         .procedure = rcpt_before_mail},
        {.id = "rfc5321/3.3/data-without-rcpt",
         .title = "DATA without an accepted recipient is refused",
         .rules = {"rfc5321/3.3/data-without-recipients", "rfc2920/3.2/data-iff-recipients"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM, then DATA with no RCPT",
         .accepts = "503 or 554 (a 354 is noted, and the connection is closed without a message)",
         .procedure = data_without_rcpt},
        {.id = "rfc5321/3.3/data-without-mail",
         .title = "DATA without MAIL is refused",
         .rules = {"rfc5321/3.3/data-without-recipients", "rfc2920/3.2/data-iff-recipients"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and AUTH on submission), then DATA",
         .accepts = "503 or 554 (a 354 is noted, and the connection is closed without a message)",
         .procedure = data_without_mail},
        {.id = "rfc5321/4.1.4/nested-mail",
         .title = "MAIL inside an open transaction is refused with 503",
         .rules = {"rfc5321/4.1.4/nested-mail", "rfc5321/4.1.4/out-of-order-503"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM, MAIL FROM, RSET",
         .accepts = "503 to the second MAIL",
         .procedure = nested_mail},
        {.id = "rfc5321/4.1.4/out-of-order-503",
         .title = "MAIL after an accepted RCPT is refused with 503",
         .rules = {"rfc5321/4.1.4/out-of-order-503"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM, RCPT TO:<postmaster> (or --rcpt), MAIL FROM, RSET",
         .accepts = "503 to the second MAIL, the transaction kept",
         .procedure = mail_after_rcpt},
        {.id = "rfc5321/4.1.4/no-503-before-ehlo",
         .title = "NOOP, RSET, HELP, VRFY and EXPN work before EHLO",
         .rules = {"rfc5321/4.1.4/no-503-before-ehlo"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "NOOP, RSET, HELP, VRFY postmaster, EXPN postmaster, QUIT, all before EHLO",
         .accepts = "any reply but 503",
         .procedure = before_ehlo},
        // ------------------------------------------------------------ RSET, NOOP
        {.id = "rfc5321/4.1.1.5/rset-250",
         .title = "RSET is answered 250",
         .rules = {"rfc5321/4.1.1.5/rset-250"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "RSET, MAIL FROM, RSET",
         .accepts = "250 to both",
         .procedure = rset_250},
        {.id = "rfc5321/4.1.1.5/rset-clears",
         .title = "RSET discards the sender and the recipients",
         .rules = {"rfc5321/4.1.1.5/rset-clears"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "RCPT TO:<postmaster> (no MAIL), MAIL FROM, RCPT TO:<postmaster>, RSET, RCPT TO:<postmaster>",
         .accepts = "503 to the last RCPT: no transaction survived the RSET",
         .procedure = rset_clears},
        {.id = "rfc5321/4.1.1.5/rset-no-close",
         .title = "RSET never closes the connection",
         .rules = {"rfc5321/4.1.1.5/rset-no-close"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "RSET, EHLO, RSET, NOOP",
         .accepts = "a reply to each, the connection kept open",
         .procedure = rset_no_close},
        {.id = "rfc5321/4.1.1.9/noop",
         .title = "NOOP is answered 250",
         .rules = {"rfc5321/4.3.2/noop-codes"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "NOOP, EHLO, NOOP",
         .accepts = "250",
         .procedure = noop},
        {.id = "rfc5321/4.1.1.9/noop-parameter",
         .title = "NOOP with a parameter is answered as NOOP",
         .rules = {"rfc5321/4.1.1.9/noop-ignores-parameter"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, NOOP smtpspec",
         .accepts = "250",
         .procedure = noop_parameter},
        // ------------------------------------------------------------ VRFY, EXPN, HELP
        {.id = "rfc5321/3.5.1/vrfy",
         .title = "VRFY is implemented and answered with a listed code",
         .rules = {"rfc5321/4.3.2/vrfy-codes", "rfc5321/3.5.1/vrfy-expn-supported"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and STARTTLS on submission), VRFY postmaster",
         .accepts = "250, 251 or 252 (550, 551, 553, 504 refuse it; 500 or 502 mean VRFY is missing)",
         .procedure = vrfy},
        {.id = "rfc5321/3.5.1/expn",
         .title = "EXPN is implemented and answered with a listed code",
         .rules = {"rfc5321/4.3.2/expn-codes", "rfc5321/3.5.1/vrfy-expn-supported"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and STARTTLS on submission), EXPN postmaster",
         .accepts = "250 or 252 (550, 504 refuse it; 500 or 502 mean EXPN is missing)",
         .procedure = expn},
        {.id = "rfc5321/4.1.1.8/help",
         .title = "HELP is implemented",
         .rules = {"rfc5321/4.3.2/help-codes", "rfc5321/4.1.1.8/help-supported"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and STARTTLS on submission), HELP",
         .accepts = "211 or 214",
         .procedure = help},
        {.id = "rfc5321/4.1.1.8/help-topic",
         .title = "HELP with a topic is answered with a listed code",
         .rules = {"rfc5321/4.3.2/help-codes"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and STARTTLS on submission), HELP MAIL",
         .accepts = "211 or 214, or 502 or 504 when topics are not supported",
         .procedure = help_topic},
        // ------------------------------------------------------------ errors
        {.id = "rfc5321/4.2.4/unknown-command",
         .title = "An unknown command is answered 500",
         .rules = {"rfc5321/4.2.4/unknown-command-500"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and STARTTLS on submission), XSMTPSPEC, NOOP",
         .accepts = "500 to XSMTPSPEC, and the session goes on",
         .procedure = unknown_command},
        {.id = "rfc5321/4.1.4/mail-bad-argument",
         .title = "MAIL with an argument that does not parse is refused and opens no transaction",
         .rules = {"rfc5321/4.1.4/mail-bad-argument", "rfc5321/3.3/rcpt-needs-mail"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM:<smtpspec test@example.org> (a space in the local part), then RCPT TO:<postmaster>",
         .accepts = "501 to the MAIL, then 503 to the RCPT",
         .procedure = mail_bad_argument},
        {.id = "rfc5321/4.1.1.3/rcpt-syntax-error",
         .title = "RCPT without a forward-path is refused",
         .rules = {"rfc5321/4.1.2/lenient-syntax"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM, RCPT TO: (nothing after the colon), RSET",
         .accepts = "a refusal, normally 501 (accepting it is noted)",
         .procedure = rcpt_syntax_error},
        {.id = "rfc5321/4.3.2/no-arguments-501",
         .title = "RSET and QUIT with an argument are answered 501",
         .rules = {"rfc5321/4.3.2/no-arguments-501"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and STARTTLS on submission), RSET smtpspec, QUIT smtpspec",
         .accepts = "501 to both",
         .procedure = no_arguments},
        {.id = "rfc5321/4.1.1.11/unknown-parameter",
         .title = "MAIL and RCPT parameters that were not advertised are refused with 555",
         .rules = {"rfc5321/4.1.1.11/unknown-parameter-555"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "MAIL FROM:<...> XSMTPSPEC=1, then RCPT TO:<postmaster> XSMTPSPEC=1, RSET",
         .accepts = "555 to both (accepting them is noted)",
         .procedure = unknown_parameter},
        // ------------------------------------------------------------ case of verbs
        {.id = "rfc5321/2.4/lower-case-verbs",
         .title = "Command verbs in lower case are understood",
         .rules = {"rfc5321/4.5.1/required-commands", "rfc5321/4.1.1.1/helo-supported",
                   "rfc5321/4.1.1.5/rset-250", "rfc5321/4.3.2/noop-codes"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "ehlo, noop, rset, mail from:, rcpt to:<postmaster>, rset, helo, quit",
         .accepts = "the replies the upper-case commands get; never 500 or 502",
         .procedure = lower_case},
        {.id = "rfc5321/2.4/mixed-case-verbs",
         .title = "Command verbs in mixed case are understood",
         .rules = {"rfc5321/4.5.1/required-commands", "rfc5321/4.1.1.1/helo-supported",
                   "rfc5321/4.1.1.5/rset-250", "rfc5321/4.3.2/noop-codes"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EhLo, NoOp, RsEt, MaIl FrOm:, RcPt To:<postmaster>, RsEt, HeLo, QuIt",
         .accepts = "the replies the upper-case commands get; never 500 or 502",
         .procedure = mixed_case},
        {.id = "rfc5321/4.5.1/required-commands",
         .title = "The commands every server must implement are not answered 500 or 502",
         .rules = {"rfc5321/4.5.1/required-commands", "rfc5321/4.1.1.1/helo-supported"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "NOOP, RSET, MAIL FROM, RCPT TO:<postmaster>, RSET, HELO, QUIT",
         .accepts = "any reply but 500 or 502",
         .procedure = required_commands},
        // ------------------------------------------------------------ sizes and octets
        {.id = "rfc5321/4.5.3.1.4/line-over-limit",
         .title = "A command line over 512 octets is answered, and the connection stays open",
         .rules = {"rfc5321/4.5.3.1/over-limit", "rfc5321/3.8/no-close"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and STARTTLS on submission), a NOOP line of 513 octets, one of 10000 octets, then NOOP",
         .accepts = "a reply to each (normally 500), never the connection closed",
         .procedure = line_over_limit},
        {.id = "rfc5321/4.5.3.1.4/line-at-limit",
         .title = "A command line of exactly 512 octets is processed",
         .rules = {"rfc5321/4.5.3.1/minimum-sizes"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, a NOOP line of 512 octets with its CRLF",
         .accepts = "250 (not a \"line too long\" refusal)",
         .procedure = line_at_limit},
        {.id = "rfc5321/2.4/non-ascii-command",
         .title = "A command with non-ASCII octets is rejected when SMTPUTF8 is not in effect",
         .rules = {"rfc5321/2.4/non-ascii-command"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and STARTTLS on submission), HELO, then VRFY smtpspec-café (UTF-8 octets)",
         .accepts = "a refusal, normally \"500 syntax error - invalid character\"",
         .procedure = non_ascii},
    };
}

}  // namespace smtpspec::conformance::checks
