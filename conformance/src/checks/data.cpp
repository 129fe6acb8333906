// Checks of the mail data (RFC 5321 §4.1.1.4, §4.5.2, §2.3.8): a message is
// accepted and answered once, dot-stuffed lines are message text, a bare CR
// or LF is not a line end, and only <CRLF>.<CRLF> ends the data -- the SMTP
// smuggling class (CVE-2023-51764/5/6), one check per end-of-data lookalike
// of the published scanners.
//
// Every check completes a message to --rcpt. A smuggling check is judged by
// the replies alone: after the real end of data one reply is due; a second
// one answers commands hidden in the message text, and the model reports it.
#include <string>
#include <string_view>

#include "checks/groups.hpp"

namespace smtpspec::conformance::checks {
namespace {

// --rcpt and --mail-from may be given with or without angle brackets.
std::string angle(std::string address) {
    if (!address.empty() && address.front() == '<') return address;
    return "<" + address + ">";
}

std::string subject(std::string_view what) { return "Subject: smtpspec " + std::string(what) + "\r\n\r\n"; }

// MAIL FROM, RCPT TO:<--rcpt> and DATA; stops with an error unless DATA is answered 354.
void open_data(Probe& p) {
    p.envelope();
    grammar::ast::Reply r = p.command("DATA");
    if (r.code != 354) {
        p.command("RSET");
        stop_error("DATA was answered " + std::to_string(r.code) + ", not 354: no message text could be sent");
    }
}

// Waits for the next reply with the run's deadline after message text sent
// without its end: none is due, so silence is the conforming answer, and a
// reply is judged against the text that came before it.
void expect_no_reply(Probe& p) { p.read(); }

// Sends the rest of the message text with its end of data, reads the reply to
// it, and then whatever else the server sends: a reply beyond the one due
// answers something the server took for a command.
void finish_data(Probe& p, std::string_view text) {
    p.send(std::string(text) + "\r\n.\r\n");
    p.read_pending();
    p.drain();
    p.try_command("RSET");
    p.quit();
}

// ---------------------------------------------------------------- DATA, transparency, line ends

void data_message(CheckContext& c) {
    Probe& p = c.ready();
    p.envelope();
    p.data(subject("DATA check") + "A short message sent with DATA.");
    p.quit();
}

void dot_stuffing(CheckContext& c) {
    Probe& p = c.ready();
    open_data(p);
    // RFC 5321 §4.5.2: a line starting with "." is sent with one more; the
    // line "." travels as "..". Sent first without the end of data: a reply
    // now would mean one of these lines ended the message.
    p.send(subject("dot-stuffing check") + "..a line that starts with a period\r\n..\r\n...\r\n");
    expect_no_reply(p);
    finish_data(p, "The lines above are \".a line...\", \".\" and \"..\".");
}

void leading_dot(CheckContext& c) {
    Probe& p = c.ready();
    open_data(p);
    // The text right after the DATA line starts a line as well: a first line
    // "." is sent as "..", and is text, not the end of data.
    p.send("..\r\n");
    expect_no_reply(p);
    finish_data(p, subject("leading dot check") + "The message text began with a stuffed \".\" line.");
}

void bare_lf(CheckContext& c) {
    Probe& p = c.ready();
    open_data(p);
    p.send(subject("bare LF check") + "A line feed\nwithout a carriage return, twice\nin this line.\r\n");
    expect_no_reply(p);
    finish_data(p, "The line above holds bare LF octets.");
}

void bare_cr(CheckContext& c) {
    Probe& p = c.ready();
    open_data(p);
    p.send(subject("bare CR check") + "A carriage return\rwithout a line feed, twice\rin this line.\r\n");
    expect_no_reply(p);
    finish_data(p, "The line above holds bare CR octets.");
}

// ---------------------------------------------------------------- SMTP smuggling

// The message text, an end-of-data lookalike, and a second transaction that
// only a server taking the lookalike for the end of data would run.
void smuggle(CheckContext& c, std::string_view lookalike) {
    Probe& p = c.ready();
    open_data(p);
    std::string text = subject("SMTP smuggling check") + "This message holds an end-of-data lookalike.";
    text += lookalike;
    text += "MAIL FROM:" + angle(c.mail_from()) + "\r\n";
    text += "RCPT TO:" + angle(c.rcpt()) + "\r\n";
    text += "DATA\r\n";
    text += subject("smuggled message") + "A server that sent this as a second message ended the first one early.";
    finish_data(p, text);
}

constexpr std::string_view smuggling_accepts =
    "one reply (250, or a refusal such as 550/554) after the real <CRLF>.<CRLF>, and nothing more";

}  // namespace

std::vector<Check> data_checks() {
    return {
        {.id = "rfc5321/4.1.1.4/data-message",
         .title = "A message sent with DATA is answered 354 and then 250",
         .rules = {"rfc5321/4.1.1.4/end-of-data-reply", "rfc5321/4.3.2/data-codes", "rfc5321/4.3.2/data-end-codes"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "EHLO, MAIL FROM, RCPT TO:<--rcpt>, DATA, a short message, <CRLF>.<CRLF>",
         .accepts = "354 to DATA, then 250 (or a listed refusal) to the end of data",
         .procedure = data_message},
        {.id = "rfc5321/4.5.2/dot-stuffing",
         .title = "Dot-stuffed lines, the line \".\" among them, are message text",
         .rules = {"rfc5321/4.2/one-reply", "rfc5321/4.1.1.4/end-of-data-reply"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message with the lines \"..a line...\", \"..\" and \"...\", a pause, then the rest and "
                  "<CRLF>.<CRLF>",
         .accepts = "no reply before the real end of data, then exactly one",
         .procedure = dot_stuffing},
        {.id = "rfc5321/4.5.2/leading-dot",
         .title = "A message whose first line is a stuffed \".\" is not ended by it",
         .rules = {"rfc5321/4.2/one-reply", "rfc5321/4.1.1.4/end-of-data-reply"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "DATA, then \"..<CRLF>\" as the first line, a pause, then the rest and <CRLF>.<CRLF>",
         .accepts = "no reply before the real end of data, then exactly one",
         .procedure = leading_dot},
        {.id = "rfc5321/2.3.8/bare-lf-in-data",
         .title = "A bare LF in the message text is not a line end",
         .rules = {"rfc5321/2.3.8/crlf-only"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message with a line holding bare LF octets, a pause, then <CRLF>.<CRLF>",
         .accepts = "no reply before the end of data, then one (250, or a refusal of the bare LF)",
         .procedure = bare_lf},
        {.id = "rfc5321/2.3.8/bare-cr-in-data",
         .title = "A bare CR in the message text is not a line end",
         .rules = {"rfc5321/2.3.8/crlf-only"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message with a line holding bare CR octets, a pause, then <CRLF>.<CRLF>",
         .accepts = "no reply before the end of data, then one (250, or a refusal of the bare CR)",
         .procedure = bare_cr},
        // SMTP smuggling: one check per end-of-data lookalike.
        {.id = "rfc5321/4.1.1.4/smuggling-lf-dot-lf",
         .title = "<LF>.<LF> does not end the message text (SMTP smuggling)",
         .rules = {"rfc5321/4.1.1.4/end-of-data", "rfc5321/2.3.8/crlf-only"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message holding <LF>.<LF> followed by MAIL, RCPT, DATA and a second message, in one write",
         .accepts = smuggling_accepts,
         .procedure = [](CheckContext& c) { smuggle(c, "\n.\n"); }},
        {.id = "rfc5321/4.1.1.4/smuggling-lf-dot-crlf",
         .title = "<LF>.<CR><LF> does not end the message text (SMTP smuggling)",
         .rules = {"rfc5321/4.1.1.4/end-of-data", "rfc5321/2.3.8/crlf-only"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message holding <LF>.<CR><LF> followed by MAIL, RCPT, DATA and a second message, in one write",
         .accepts = smuggling_accepts,
         .procedure = [](CheckContext& c) { smuggle(c, "\n.\r\n"); }},
        {.id = "rfc5321/4.1.1.4/smuggling-cr-dot-crlf",
         .title = "<CR>.<CR><LF> does not end the message text (SMTP smuggling)",
         .rules = {"rfc5321/4.1.1.4/end-of-data", "rfc5321/2.3.8/crlf-only"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message holding <CR>.<CR><LF> followed by MAIL, RCPT, DATA and a second message, in one write",
         .accepts = smuggling_accepts,
         .procedure = [](CheckContext& c) { smuggle(c, "\r.\r\n"); }},
        {.id = "rfc5321/4.1.1.4/smuggling-crlf-dot-cr",
         .title = "<CR><LF>.<CR> does not end the message text (SMTP smuggling)",
         .rules = {"rfc5321/4.1.1.4/end-of-data", "rfc5321/2.3.8/crlf-only"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message holding <CR><LF>.<CR> followed by MAIL, RCPT, DATA and a second message, in one write",
         .accepts = smuggling_accepts,
         .procedure = [](CheckContext& c) { smuggle(c, "\r\n.\r"); }},
        {.id = "rfc5321/4.1.1.4/smuggling-cr-dot-cr",
         .title = "<CR>.<CR> does not end the message text (SMTP smuggling)",
         .rules = {"rfc5321/4.1.1.4/end-of-data", "rfc5321/2.3.8/crlf-only"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message holding <CR>.<CR> followed by MAIL, RCPT, DATA and a second message, in one write",
         .accepts = smuggling_accepts,
         .procedure = [](CheckContext& c) { smuggle(c, "\r.\r"); }},
        {.id = "rfc5321/4.1.1.4/smuggling-lf-dot-cr",
         .title = "<LF>.<CR> does not end the message text (SMTP smuggling)",
         .rules = {"rfc5321/4.1.1.4/end-of-data", "rfc5321/2.3.8/crlf-only"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message holding <LF>.<CR> followed by MAIL, RCPT, DATA and a second message, in one write",
         .accepts = smuggling_accepts,
         .procedure = [](CheckContext& c) { smuggle(c, "\n.\r"); }},
        {.id = "rfc5321/4.1.1.4/smuggling-cr-dot-lf",
         .title = "<CR>.<LF> does not end the message text (SMTP smuggling)",
         .rules = {"rfc5321/4.1.1.4/end-of-data", "rfc5321/2.3.8/crlf-only"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message holding <CR>.<LF> followed by MAIL, RCPT, DATA and a second message, in one write",
         .accepts = smuggling_accepts,
         .procedure = [](CheckContext& c) { smuggle(c, "\r.\n"); }},
        {.id = "rfc5321/4.1.1.4/smuggling-crlf-dot-lf",
         .title = "<CR><LF>.<LF> does not end the message text (SMTP smuggling)",
         .rules = {"rfc5321/4.1.1.4/end-of-data", "rfc5321/2.3.8/crlf-only"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message holding <CR><LF>.<LF> followed by MAIL, RCPT, DATA and a second message, in one write",
         .accepts = smuggling_accepts,
         .procedure = [](CheckContext& c) { smuggle(c, "\r\n.\n"); }},
        {.id = "rfc5321/4.1.1.4/smuggling-crlf-nul-dot-crlf",
         .title = "<CR><LF><NUL>.<CR><LF> does not end the message text (SMTP smuggling)",
         // No bare CR or LF here: a second reply is one reply too many.
         .rules = {"rfc5321/4.2/one-reply", "rfc5321/4.1.1.4/end-of-data-reply", "rfc5321/4.1.1.4/end-of-data"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "a message holding <CR><LF><NUL>.<CR><LF> followed by MAIL, RCPT, DATA and a second message, "
                  "in one write",
         .accepts = smuggling_accepts,
         .procedure = [](CheckContext& c) { smuggle(c, std::string_view("\r\n\0.\r\n", 6)); }},
    };
}

}  // namespace smtpspec::conformance::checks
