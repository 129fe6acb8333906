// Checks of the service extensions: ENHANCEDSTATUSCODES (RFC 2034),
// PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8
// (RFC 6531) and CHUNKING/BINARYMIME (RFC 3030), and the refusal of their
// parameters where they are not in force (RFC 5321 §4.1.1.11).
//
// An extension's own behaviour is tested only when the last EHLO reply lists
// it (skip otherwise). A parameter that is not in force is tested after HELO
// when the server does list the extension: HELO opens a session without
// service extensions (RFC 5321 §4.1.1.1), so the model expects the refusal
// there too.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checks/groups.hpp"

namespace smtpspec::conformance::checks {
namespace {

// --rcpt and --mail-from may be given with or without angle brackets.
std::string angle(std::string address) {
    if (!address.empty() && address.front() == '<') return address;
    return "<" + address + ">";
}

std::string rcpt_line(const CheckContext& c) { return "RCPT TO:" + angle(c.rcpt()); }

std::string mail_line(const CheckContext& c, std::string_view parameters = {}) {
    std::string line = "MAIL FROM:" + angle(c.mail_from());
    if (!parameters.empty()) line += " " + std::string(parameters);
    return line;
}

// A short message; lines end in CRLF, the last one without (Probe::data adds it).
std::string message(std::string_view subject, std::string_view body) {
    return "Subject: smtpspec " + std::string(subject) + "\r\n\r\n" + std::string(body);
}

std::string code_text(unsigned code) { return code == 0 ? "no reply" : std::to_string(code); }

void require(const Probe& p, std::string_view keyword) {
    if (!p.advertises(keyword)) stop_skip("the server does not advertise " + std::string(keyword));
}

// MAIL with `parameters`; stops with an error unless it is accepted.
void begin(Probe& p, const CheckContext& c, std::string_view parameters = {}) {
    grammar::ast::Reply r = p.command(mail_line(c, parameters));
    if (r.code != 250) {
        p.command("RSET");
        stop_error("MAIL was answered " + code_text(r.code) + ", so no mail transaction could be opened");
    }
}

void add_recipient(Probe& p, const CheckContext& c) {
    grammar::ast::Reply r = p.command(rcpt_line(c));
    if (r.code != 250 && r.code != 251) {
        p.command("RSET");
        stop_error("RCPT TO:" + angle(c.rcpt()) + " was answered " + code_text(r.code) +
                   ": give a --rcpt the server accepts");
    }
}

// After a DATA that should have been refused: a 354 leaves the server in
// DATA, so the message is ended at once (an empty one) before going on.
void end_if_354(Probe& p, unsigned code) {
    if (code != 354) return;
    p.send(".\r\n");
    p.read_pending();
}

// Sends "BDAT <size> [LAST]" and the chunk in one write; returns the reply's code (0: none).
unsigned bdat(Probe& p, std::string_view chunk, bool last) {
    std::string bytes = "BDAT " + std::to_string(chunk.size()) + (last ? " LAST" : "") + "\r\n";
    bytes += chunk;
    p.send(bytes);
    std::vector<ReplyOutcome> replies = p.read_pending();
    return replies.empty() ? 0 : replies.front().code();
}

// A session in which the extension named by `keyword` is not in force: the
// EHLO session when the server does not list it, else the same session after HELO.
Probe& without_extension(CheckContext& c, std::string_view keyword) {
    Probe& p = c.ready();
    if (p.advertises(keyword)) {
        c.note("the server lists " + std::string(keyword) + "; HELO opens a session without it");
        p.helo();
    }
    return p;
}

// ---------------------------------------------------------------- ENHANCEDSTATUSCODES (RFC 2034)

void enhanced_success(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "ENHANCEDSTATUSCODES");
    p.command("NOOP");
    p.command("RSET");
    if (p.command(mail_line(c)).code == 250) p.command("RSET");
    p.command("VRFY postmaster");
    p.command("HELP");
    p.quit();
}

void enhanced_failure(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "ENHANCEDSTATUSCODES");
    p.command("XSMTPSPEC unknown verb");
    p.command("RCPT TO:<postmaster>");
    p.command("MAIL FROM:<no closing bracket");
    p.command("RSET with an argument");
    if (p.command(mail_line(c)).code == 250) p.command(mail_line(c));
    p.command("RSET");
    p.quit();
}

void enhanced_multiline(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "ENHANCEDSTATUSCODES");
    bool multiline = false;
    for (std::string_view line : {"HELP", "HELP MAIL", "HELP DATA"}) {
        ReplyOutcome o = p.try_command(line);
        if (!o.ok()) break;
        multiline = multiline || o.reply->lines.size() > 1;
    }
    if (!multiline) c.note("no reply to HELP had several lines; each reply was judged as a single line");
    p.quit();
}

// ---------------------------------------------------------------- PIPELINING (RFC 2920)

// Replies that did not arrive are findings already (the model is told of the
// silence); the procedure only needs to know whether DATA was answered 354.
unsigned last_code(const std::vector<ReplyOutcome>& replies) {
    return replies.empty() ? 0 : replies.back().code();
}

void pipelined_transaction(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "PIPELINING");
    p.send(mail_line(c) + "\r\n" + rcpt_line(c) + "\r\n" + rcpt_line(c) + "\r\nDATA\r\n");
    std::vector<ReplyOutcome> replies = p.read_pending();
    if (replies.size() == 4 && last_code(replies) == 354) {
        p.send(message("pipelining check", "Four commands were sent in one write.") + "\r\n.\r\n");
        p.read_pending();
    } else {
        end_if_354(p, last_code(replies));
    }
    p.drain();
    p.try_command("RSET");
    p.quit();
}

void pipelined_commands(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "PIPELINING");
    p.send("RSET\r\n" + mail_line(c) + "\r\nRSET\r\nNOOP\r\n");
    p.read_pending();
    p.drain();
    p.quit();
}

void pipelined_data_without_recipient(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "PIPELINING");
    // "<>" is not a forward-path (RFC 5321 §4.1.1.3): a portable refusal.
    p.send(mail_line(c) + "\r\nRCPT TO:<>\r\nDATA\r\n");
    std::vector<ReplyOutcome> replies = p.read_pending();
    end_if_354(p, last_code(replies));
    p.drain();
    p.try_command("RSET");
    p.quit();
}

// ---------------------------------------------------------------- SIZE (RFC 1870)

std::uint64_t size_limit(const Probe& p) {
    require(p, "SIZE");
    const std::optional<std::uint64_t>& limit = p.capabilities().size_limit;
    if (!limit) stop_skip("the server advertises SIZE without a fixed maximum message size");
    if (*limit == std::numeric_limits<std::uint64_t>::max())
        stop_skip("the server's SIZE limit leaves no larger size to declare");
    return *limit;
}

void size_over_limit(CheckContext& c) {
    Probe& p = c.ready();
    const std::uint64_t limit = size_limit(p);
    p.command(mail_line(c, "SIZE=" + std::to_string(limit + 1)));
    p.command("RSET");
    p.quit();
}

void size_within_limit(CheckContext& c) {
    Probe& p = c.ready();
    const std::uint64_t limit = size_limit(p);
    p.command(mail_line(c, "SIZE=" + std::to_string(std::min<std::uint64_t>(limit, 1000))));
    p.command("RSET");
    p.quit();
}

void size_not_end_of_data(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "SIZE");
    begin(p, c, "SIZE=100");
    add_recipient(p, c);
    grammar::ast::Reply r = p.command("DATA");
    if (r.code != 354) {
        p.command("RSET");
        stop_error("DATA was answered " + code_text(r.code) + ", not 354: no message text could be sent");
    }
    // 300 octets where 100 were declared, without the end of data: a reply
    // now would mean the server ended the message at the declared size.
    std::string text = message("SIZE check", "This message is larger than its declared SIZE.\r\n");
    while (text.size() < 300) text += "Line of filler text beyond the declared size of one hundred octets.\r\n";
    p.send(text);
    p.read();  // silence is due; a reply is judged against the text before it
    p.send(".\r\n");
    p.read_pending();
    p.try_command("RSET");
    p.quit();
}

void size_unadvertised(CheckContext& c) {
    Probe& p = without_extension(c, "SIZE");
    p.command(mail_line(c, "SIZE=1000"));
    p.command("RSET");
    p.quit();
}

// ---------------------------------------------------------------- 8BITMIME (RFC 6152)

void body_8bitmime(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "8BITMIME");
    begin(p, c, "BODY=8BITMIME");
    add_recipient(p, c);
    // UTF-8 "Grüße, señor" and a Latin-1 octet: octets with the high bit set.
    p.data("Subject: smtpspec 8BITMIME check\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           "Gr\xc3\xbc\xc3\x9f" "e, se\xc3\xb1or.\r\nAn octet above 127: \xe9.");
    p.quit();
}

void body_8bitmime_unadvertised(CheckContext& c) {
    Probe& p = without_extension(c, "8BITMIME");
    p.command(mail_line(c, "BODY=8BITMIME"));
    p.command("RSET");
    p.quit();
}

// ---------------------------------------------------------------- SMTPUTF8 (RFC 6531)

// "jösé@example.org" in UTF-8.
constexpr std::string_view utf8_mailbox = "<j\xc3\xb6s\xc3\xa9@example.org>";

void smtputf8_mail(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "SMTPUTF8");
    p.command("MAIL FROM:" + std::string(utf8_mailbox) + " SMTPUTF8");
    p.command("RSET");
    p.quit();
}

void non_ascii_without_smtputf8(CheckContext& c) {
    Probe& p = without_extension(c, "SMTPUTF8");
    p.command("MAIL FROM:" + std::string(utf8_mailbox));
    p.command("RSET");
    p.quit();
}

void smtputf8_unadvertised(CheckContext& c) {
    Probe& p = without_extension(c, "SMTPUTF8");
    p.command(mail_line(c, "SMTPUTF8"));
    p.command("RSET");
    p.quit();
}

// ---------------------------------------------------------------- CHUNKING (RFC 3030)

void bdat_chunks(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "CHUNKING");
    begin(p, c);
    add_recipient(p, c);
    const unsigned first = bdat(p, "Subject: smtpspec BDAT check\r\n\r\n", false);
    // Octets of the chunk left unread would now be answered as a command.
    p.drain();
    if (first == 250 && bdat(p, "Sent in three chunks, the last one empty.\r\n", false) == 250)
        bdat(p, "", true);
    p.try_command("RSET");
    p.quit();
}

void bdat_last(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "CHUNKING");
    begin(p, c);
    add_recipient(p, c);
    bdat(p, message("BDAT LAST check", "Sent in one chunk marked LAST.\r\n"), true);
    p.drain();
    p.try_command("RSET");
    p.quit();
}

// The octets of a refused chunk look like commands: a server that parses them
// answers them, and the model sees replies nobody asked for.
constexpr std::string_view command_like_chunk = "NOOP\r\nNOOP\r\n";

void bdat_discard_chunk(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "CHUNKING");
    bdat(p, command_like_chunk, false);
    p.drain();
    p.command("NOOP");
    p.quit();
}

void bdat_pipelined_after_failure(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "CHUNKING");
    require(p, "PIPELINING");
    std::string group;
    for (bool last : {false, true}) {
        group += "BDAT " + std::to_string(command_like_chunk.size()) + (last ? " LAST" : "") + "\r\n";
        group += command_like_chunk;
    }
    p.send(group);
    p.read_pending();
    p.drain();
    p.command("NOOP");
    p.quit();
}

void data_after_bdat(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "CHUNKING");
    begin(p, c);
    add_recipient(p, c);
    const unsigned chunk = bdat(p, "Subject: smtpspec DATA after BDAT check\r\n\r\n", false);
    if (chunk != 250) {
        p.try_command("RSET");
        stop_error("the first BDAT chunk was answered " + code_text(chunk) + ", not 250");
    }
    p.drain();
    end_if_354(p, p.command("DATA").code);
    p.command("RSET");
    p.quit();
}

void bdat_after_last(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "CHUNKING");
    begin(p, c);
    add_recipient(p, c);
    const unsigned last = bdat(p, message("BDAT after LAST check", "One chunk marked LAST.\r\n"), true);
    if (last != 250) {
        p.try_command("RSET");
        stop_error("BDAT LAST was answered " + code_text(last) + ", not 250");
    }
    p.drain();
    bdat(p, command_like_chunk, false);
    p.drain();
    p.command("RSET");
    p.quit();
}

void binarymime_data(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "CHUNKING");
    require(p, "BINARYMIME");
    begin(p, c, "BODY=BINARYMIME");
    add_recipient(p, c);
    end_if_354(p, p.command("DATA").code);
    p.command("RSET");
    p.quit();
}

void bdat_keeps_data(CheckContext& c) {
    Probe& p = c.ready();
    require(p, "CHUNKING");
    // DATA without a recipient: a server that implements DATA refuses it with
    // 503 or 554, one that does not answers 500 or 502.
    begin(p, c);
    end_if_354(p, p.command("DATA").code);
    p.command("RSET");
    p.quit();
}

}  // namespace

std::vector<Check> extension_checks() {
    return {
        // ENHANCEDSTATUSCODES
        {.id = "rfc2034/4/enhanced-code-success",
         .title = "With ENHANCEDSTATUSCODES, success replies carry an enhanced code of class 2",
         .rules = {"rfc2034/4/enhanced-code-present", "rfc2034/4/enhanced-code-class"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then NOOP, RSET, MAIL FROM and RSET, VRFY postmaster, HELP, QUIT",
         .accepts = "every 2yz reply line but EHLO's starts with 2.X.X (e.g. \"250 2.0.0 Ok\")",
         .procedure = enhanced_success},
        {.id = "rfc2034/4/enhanced-code-failure",
         .title = "With ENHANCEDSTATUSCODES, failure replies carry an enhanced code of their class",
         .rules = {"rfc2034/4/enhanced-code-present", "rfc2034/4/enhanced-code-class"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then an unknown verb, RCPT before MAIL, MAIL with a broken address, RSET with an "
                  "argument, MAIL twice, RSET, QUIT",
         .accepts = "every 4yz/5yz reply line starts with 4.X.X/5.X.X (e.g. \"500 5.5.2 ...\")",
         .procedure = enhanced_failure},
        {.id = "rfc2034/4/enhanced-code-each-line",
         .title = "With ENHANCEDSTATUSCODES, every line of a multi-line reply carries the same enhanced code",
         .rules = {"rfc2034/4/enhanced-code-each-line", "rfc2034/4/enhanced-code-present"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then HELP, HELP MAIL, HELP DATA (replies that are often multi-line), QUIT",
         .accepts = "each line of each reply starts with the same enhanced code",
         .procedure = enhanced_multiline},
        // PIPELINING
        {.id = "rfc2920/3.2/pipelined-transaction",
         .title = "A pipelined MAIL/RCPT/RCPT/DATA group gets one reply per command, in order",
         .rules = {"rfc2920/3.2/no-lost-input", "rfc5321/4.2/one-reply"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "EHLO, then MAIL FROM, RCPT TO:<--rcpt> twice and DATA in one write; a short message "
                  "after 354",
         .accepts = "four replies (250, 250, 250, 354), then 250 to the message",
         .procedure = pipelined_transaction},
        {.id = "rfc2920/3.2/pipelined-commands",
         .title = "A pipelined RSET/MAIL/RSET/NOOP group gets one reply per command",
         .rules = {"rfc2920/3.2/no-lost-input", "rfc5321/4.2/one-reply"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then RSET, MAIL FROM, RSET, NOOP in one write",
         .accepts = "four replies, one per command, and nothing more",
         .procedure = pipelined_commands},
        {.id = "rfc2920/3.2/data-iff-recipients",
         .title = "In a pipelined group, DATA after a refused recipient is not answered 354",
         .rules = {"rfc2920/3.2/data-iff-recipients", "rfc2920/3.2/no-lost-input"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then MAIL FROM, RCPT TO:<> (not a forward-path) and DATA in one write",
         .accepts = "250 to MAIL, a 5yz refusal to RCPT, 503 or 554 to DATA",
         .procedure = pipelined_data_without_recipient},
        // SIZE
        {.id = "rfc1870/6.1/declared-size-552",
         .title = "MAIL with a declared SIZE above the advertised limit is refused with 552",
         .rules = {"rfc1870/6.1/declared-size-552"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then MAIL FROM:<...> SIZE=<advertised limit + 1>, RSET",
         .accepts = "552 (message size exceeds fixed maximum message size)",
         .procedure = size_over_limit},
        {.id = "rfc1870/6.1/declared-size-within-limit",
         .title = "MAIL with a declared SIZE within the advertised limit gets a listed reply",
         .rules = {"rfc5321/4.3.2/mail-codes", "rfc5321/4.5.1/required-commands"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then MAIL FROM:<...> SIZE=1000 (or the limit, if lower), RSET",
         .accepts = "250 (or another MAIL reply of RFC 5321 §4.3.2; never 500 or 502)",
         .procedure = size_within_limit},
        {.id = "rfc1870/6/size-not-end-of-data",
         .title = "The declared SIZE does not end the message text",
         .rules = {"rfc1870/6/size-not-end-of-data"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "EHLO, MAIL FROM:<...> SIZE=100, RCPT TO:<--rcpt>, DATA, 300 octets of text, a pause, "
                  "then the end of data",
         .accepts = "no reply before <CRLF>.<CRLF>; then 250 or a refusal such as 552",
         .procedure = size_not_end_of_data},
        {.id = "rfc5321/4.1.1.11/size-unadvertised",
         .title = "A SIZE parameter where SIZE is not in force is refused",
         .rules = {"rfc5321/4.1.1.11/unknown-parameter-555"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and HELO when SIZE is listed), then MAIL FROM:<...> SIZE=1000, RSET",
         .accepts = "555 (or another refusal)",
         .procedure = size_unadvertised},
        // 8BITMIME
        {.id = "rfc6152/3/body-8bitmime",
         .title = "With 8BITMIME, MAIL BODY=8BITMIME and a message with 8-bit octets are accepted",
         .rules = {"rfc5321/4.3.2/mail-codes", "rfc5321/4.1.1.4/end-of-data-reply", "rfc5321/4.3.2/data-end-codes",
                   "rfc5321/4.5.3.1.7/message-64k"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "EHLO, MAIL FROM:<...> BODY=8BITMIME, RCPT TO:<--rcpt>, DATA, a message with UTF-8 and "
                  "Latin-1 octets",
         .accepts = "250 to MAIL, RCPT and the end of data",
         .procedure = body_8bitmime},
        {.id = "rfc5321/4.1.1.11/body-8bitmime-unadvertised",
         .title = "BODY=8BITMIME where 8BITMIME is not in force is refused",
         .rules = {"rfc5321/4.1.1.11/unknown-parameter-555"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and HELO when 8BITMIME is listed), then MAIL FROM:<...> BODY=8BITMIME, RSET",
         .accepts = "555 (or another refusal)",
         .procedure = body_8bitmime_unadvertised},
        // SMTPUTF8
        {.id = "rfc6531/3.2/smtputf8-mailbox",
         .title = "With SMTPUTF8, MAIL with a UTF-8 local part and the SMTPUTF8 parameter gets a listed reply",
         .rules = {"rfc5321/4.3.2/mail-codes", "rfc5321/4.5.1/required-commands"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then MAIL FROM:<j\xc3\xb6s\xc3\xa9@example.org> SMTPUTF8, RSET",
         .accepts = "250 (or another MAIL reply of RFC 5321 §4.3.2; never 500 or 502)",
         .procedure = smtputf8_mail},
        {.id = "rfc5321/2.4/non-ascii-mailbox",
         .title = "MAIL with a non-ASCII address where SMTPUTF8 is not in force is refused",
         .rules = {"rfc5321/2.4/non-ascii-command"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and HELO when SMTPUTF8 is listed), then MAIL FROM:<j\xc3\xb6s\xc3\xa9@example.org> "
                  "without SMTPUTF8, RSET",
         .accepts = "a refusal, normally 500 (invalid character)",
         .procedure = non_ascii_without_smtputf8},
        {.id = "rfc5321/4.1.1.11/smtputf8-unadvertised",
         .title = "The SMTPUTF8 parameter where SMTPUTF8 is not in force is refused",
         .rules = {"rfc5321/4.1.1.11/unknown-parameter-555"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO (and HELO when SMTPUTF8 is listed), then MAIL FROM:<...> SMTPUTF8, RSET",
         .accepts = "555 (or another refusal)",
         .procedure = smtputf8_unadvertised},
        // CHUNKING / BINARYMIME
        {.id = "rfc3030/2/bdat-chunks",
         .title = "Each BDAT chunk of a message, and the empty BDAT 0 LAST, is answered 250",
         .rules = {"rfc3030/2/bdat-chunk-250", "rfc5321/4.2/one-reply"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "EHLO, MAIL FROM, RCPT TO:<--rcpt>, BDAT n with a header, BDAT n with a body line, BDAT 0 LAST",
         .accepts = "250 to every chunk",
         .procedure = bdat_chunks},
        {.id = "rfc3030/2/bdat-last",
         .title = "A message in one BDAT LAST chunk is answered 250",
         .rules = {"rfc3030/2/bdat-chunk-250", "rfc5321/4.2/one-reply"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "EHLO, MAIL FROM, RCPT TO:<--rcpt>, BDAT n LAST with the whole message",
         .accepts = "250",
         .procedure = bdat_last},
        {.id = "rfc3030/2/bdat-discard-chunk",
         .title = "A refused BDAT chunk is read to its announced size and never run as commands",
         // The refusal's code is not judged here: RFC 3030 §2 names 503 only for
         // BDAT after BDAT LAST (rfc3030/2/bdat-after-last-503).
         .rules = {"rfc3030/2/bdat-discard-chunk", "rfc5321/4.2/one-reply"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then with no MAIL \"BDAT 12\" and the chunk \"NOOP<CRLF>NOOP<CRLF>\" in one write, "
                  "a pause, NOOP",
         .accepts = "a refusal (e.g. 503) to BDAT, nothing for the chunk's octets, 250 to the last NOOP",
         .procedure = bdat_discard_chunk},
        {.id = "rfc3030/2/bdat-pipelined-after-failure",
         .title = "BDAT chunks pipelined after a refused one are read and discarded",
         // The refusals' codes are not judged here: a server may answer a discarded
         // chunk with any failure (Postfix: "551 5.0.0 Discarded 12 bytes after earlier error").
         .rules = {"rfc3030/2/bdat-discard-chunk", "rfc2920/3.2/no-lost-input", "rfc5321/4.2/one-reply"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, then with no MAIL two BDAT commands (the second LAST), each with the chunk "
                  "\"NOOP<CRLF>NOOP<CRLF>\", in one write; a pause, NOOP",
         .accepts = "a refusal to each BDAT, nothing for the chunks' octets, 250 to the last NOOP",
         .procedure = bdat_pipelined_after_failure},
        {.id = "rfc3030/2/data-after-bdat-503",
         .title = "DATA after a BDAT chunk in the same transaction is answered 503",
         .rules = {"rfc3030/2/data-after-bdat-503"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "EHLO, MAIL FROM, RCPT TO:<--rcpt>, BDAT n with a header, DATA, RSET",
         .accepts = "250 to the chunk, 503 to DATA",
         .procedure = data_after_bdat},
        {.id = "rfc3030/2/bdat-after-last-503",
         .title = "BDAT after BDAT LAST is answered 503 and its chunk is discarded",
         .rules = {"rfc3030/2/bdat-after-last-503", "rfc3030/2/bdat-discard-chunk", "rfc5321/4.2/one-reply"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "EHLO, MAIL FROM, RCPT TO:<--rcpt>, BDAT n LAST with a message, then \"BDAT 12\" with "
                  "\"NOOP<CRLF>NOOP<CRLF>\", a pause, RSET",
         .accepts = "250 to BDAT LAST, 503 to the next BDAT, nothing for its octets",
         .procedure = bdat_after_last},
        {.id = "rfc3030/3/binarymime-data-503",
         .title = "DATA after MAIL BODY=BINARYMIME is answered 503",
         .rules = {"rfc3030/3/binarymime-data-503"},
         .profiles = all_profiles,
         .needs = need_recipient,
         .sends = "EHLO, MAIL FROM:<...> BODY=BINARYMIME, RCPT TO:<--rcpt>, DATA, RSET",
         .accepts = "503 to DATA",
         .procedure = binarymime_data},
        {.id = "rfc3030/2/bdat-keeps-data",
         .title = "A server that lists CHUNKING still implements DATA",
         .rules = {"rfc3030/2/bdat-keeps-data"},
         .profiles = all_profiles,
         .needs = need_nothing,
         .sends = "EHLO, MAIL FROM, DATA (with no recipient), RSET",
         .accepts = "503 or 554 to DATA (a refusal for the missing recipient), never 500 or 502",
         .procedure = bdat_keeps_data},
    };
}

}  // namespace smtpspec::conformance::checks
