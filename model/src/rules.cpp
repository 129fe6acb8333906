// THE rule table. Each row: id, stable name, RFC, section, level, what the
// model checks, and the RFC sentence the level comes from (copied verbatim from
// the RFC text; a line break becomes one space, or nothing after a hyphen).
#include "smtpspec/model/rules.hpp"

#include <array>
#include <cstddef>

namespace smtpspec::model {
namespace {

using enum Level;
using R = RuleId;

// RFC 5321 §4.3.1 makes the §4.3.2 reply lists a SHOULD.
constexpr std::string_view listed_codes =
    "The table below lists alternative success and failure replies for each command.  These SHOULD "
    "be strictly adhered to.";

constexpr std::array table{
    // ------------------------------------------------------------ RFC 5321: connection, replies
    Rule{R::greeting_codes, "rfc5321/4.3.2/greeting-codes", 5321, "4.3.2", should,
         "the connection greeting is 220, or 554 to refuse the session (421 when shutting down)",
         listed_codes},
    Rule{R::refused_session_503, "rfc5321/3.1/refused-session-503", 5321, "3.1", should,
         "after a 554 greeting, commands other than QUIT are answered 503",
         "A server taking this approach MUST still wait for the client to send a QUIT (see Section "
         "4.1.1.10) before closing the connection and SHOULD respond to any intervening commands with "
         "\"503 bad sequence of commands\"."},
    Rule{R::refused_session_wait_quit, "rfc5321/3.1/refused-session-wait-quit", 5321, "3.1", must,
         "after a 554 greeting the server still waits for QUIT before closing",
         "A server taking this approach MUST still wait for the client to send a QUIT (see Section "
         "4.1.1.10) before closing the connection and SHOULD respond to any intervening commands with "
         "\"503 bad sequence of commands\"."},
    Rule{R::one_reply, "rfc5321/4.2/one-reply", 5321, "4.2", must,
         "every command gets exactly one reply; nothing is sent without a command",
         "Every command MUST generate exactly one reply."},
    Rule{R::reply_syntax, "rfc5321/4.3.2/reply-syntax", 5321, "4.3.2", must,
         "a reply is three digits starting with 2 to 5, in the Reply-line syntax",
         "Unless extended using the mechanisms described in Section 2.2, SMTP servers MUST NOT "
         "transmit reply codes to an SMTP client that are other than three digits or that do not start "
         "in a digit between 2 and 5 inclusive."},
    Rule{R::multiline_same_code, "rfc5321/4.2.1/multiline-same-code", 5321, "4.2.1", must,
         "every line of a multi-line reply carries the same code",
         "In a multiline reply, the reply code on each of the lines MUST be the same."},
    Rule{R::no_bare_codes, "rfc5321/4.2/no-bare-codes", 5321, "4.2", should,
         "reply lines carry text after the code",
         "An SMTP client MUST determine its actions only by the reply code, not by the text (except "
         "for the \"change of address\" 251 and 551 and, if necessary, 220, 221, and 421 replies); in "
         "the general case, any text, including no text at all (although senders SHOULD NOT send bare "
         "codes), MUST be acceptable."},
    Rule{R::reply_format, "rfc5321/4.2/reply-format", 5321, "4.2", info,
         "a reply is written as the Reply-line ABNF has it (lines end in CRLF, the text is US-ASCII); what a "
         "lenient reader has to repair is noted",
         "Formally, a reply is defined to be the sequence: a three-digit code, <SP>, one line of text, and "
         "<CRLF>, or a multiline reply (as defined in the same section)."},
    Rule{R::reply_line_length, "rfc5321/4.5.3.1.5/reply-line-length", 5321, "4.5.3.1.5", info,
         "reply lines longer than 512 octets are noted",
         "The maximum total length of a reply line including the reply code and the <CRLF> is 512 "
         "octets."},
    Rule{R::no_close, "rfc5321/3.8/no-close", 5321, "3.8", must,
         "the server closes the connection only after 221 to QUIT or after a 421",
         "An SMTP server MUST NOT intentionally close the connection under normal operational "
         "circumstances (see Section 7.8) except:"},
    Rule{R::shutdown_421, "rfc5321/3.8/shutdown-421", 5321, "3.8", info,
         "421 may answer any command; the server then closes the connection",
         "This response code can be issued after the server receives any command or, if necessary, "
         "asynchronously from command receipt (on the assumption that the client will receive it "
         "after the next command is issued)."},
    // ------------------------------------------------------------ RFC 5321: EHLO / HELO
    Rule{R::ehlo_codes, "rfc5321/4.3.2/ehlo-codes", 5321, "4.3.2", should,
         "EHLO/HELO replies are 250, or 504, 550, 502 (and the codes any command may return)",
         listed_codes},
    Rule{R::ehlo_resets, "rfc5321/4.1.4/ehlo-resets", 5321, "4.1.4", must,
         "an accepted EHLO ends any mail transaction exactly as RSET does",
         "If it is issued after the session begins and the EHLO command is acceptable to the SMTP "
         "server, the SMTP server MUST clear all buffers and reset the state exactly as if a RSET "
         "command had been issued."},
    Rule{R::ehlo_failure_codes, "rfc5321/4.1.4/ehlo-failure-codes", 5321, "4.1.4", must,
         "an EHLO that is not acceptable is answered 501, 500, 502 or 550",
         "If the EHLO command is not acceptable to the SMTP server, 501, 500, 502, or 550 failure "
         "replies MUST be returned as appropriate."},
    Rule{R::helo_supported, "rfc5321/4.1.1.1/helo-supported", 5321, "4.1.1.1", must,
         "HELO is supported: not answered 500 or 502",
         "Older client SMTP systems MAY, as discussed above, use HELO (as specified in RFC 821) "
         "instead of EHLO, and servers MUST support the HELO command and reply properly to it."},
    Rule{R::helo_not_extended, "rfc5321/3.2/helo-not-extended", 5321, "3.2", must,
         "the reply to HELO does not list service extensions",
         "Servers MUST NOT return the extended EHLO-style response to a HELO command."},
    Rule{R::ehlo_lists_extensions, "rfc5321/4.1.1.1/ehlo-lists-extensions", 5321, "4.1.1.1", must,
         "STARTTLS, AUTH and BDAT are accepted only when the last EHLO reply listed them",
         "The EHLO response MUST contain keywords (and associated parameters if required) for all "
         "commands not listed as \"required\" in Section 4.5.1 excepting only private-use commands as "
         "described in Section 4.1.5."},
    Rule{R::no_advertised_502, "rfc5321/4.2.4/no-advertised-502", 5321, "4.2.4", must,
         "a command whose extension the EHLO reply listed is not answered 500 or 502",
         "Extended SMTP systems MUST NOT list capabilities in response to EHLO for which they will "
         "return 502 (or 500) replies."},
    // ------------------------------------------------------------ RFC 5321: mail transaction
    Rule{R::mail_codes, "rfc5321/4.3.2/mail-codes", 5321, "4.3.2", should,
         "MAIL replies are 250, or 552, 451, 452, 550, 553, 503, 455, 555", listed_codes},
    Rule{R::rcpt_codes, "rfc5321/4.3.2/rcpt-codes", 5321, "4.3.2", should,
         "RCPT replies are 250, 251, or 550, 551, 552, 553, 450, 451, 452, 503, 455, 555",
         listed_codes},
    Rule{R::data_codes, "rfc5321/4.3.2/data-codes", 5321, "4.3.2", should,
         "DATA replies are 354, or 503, 554", listed_codes},
    Rule{R::data_end_codes, "rfc5321/4.3.2/data-end-codes", 5321, "4.3.2", should,
         "the reply after the end of data is 250, or 552, 554, 451, 452, 450, 550", listed_codes},
    Rule{R::mail_needs_helo, "rfc5321/4.1.1.1/mail-needs-helo", 5321, "4.1.1.1", info,
         "MAIL before EHLO/HELO: the client broke the order; accepting it is noted",
         "In any event, a client MUST issue HELO or EHLO before starting a mail transaction."},
    Rule{R::nested_mail, "rfc5321/4.1.4/nested-mail", 5321, "4.1.4", info,
         "MAIL inside an open transaction: the client broke the order; accepting it is noted",
         "MAIL (or SEND, SOML, or SAML) MUST NOT be sent if a mail transaction is already open, i.e., "
         "it should be sent only if no mail transaction had been started in the session, or if the "
         "previous one successfully concluded with a successful DATA command, or if the previous one "
         "was aborted, e.g., with a RSET or new EHLO."},
    Rule{R::out_of_order_503, "rfc5321/4.1.4/out-of-order-503", 5321, "4.1.4", must,
         "a command out of order that the server cannot process is refused with 503",
         "If the commands in a transaction are out of order to the degree that they cannot be "
         "processed by the server, a 503 failure reply MUST be returned and the SMTP server MUST stay "
         "in the same state."},
    Rule{R::mail_bad_argument, "rfc5321/4.1.4/mail-bad-argument", 5321, "4.1.4", must,
         "MAIL whose argument does not parse is refused (501) and the state is unchanged",
         "If the transaction beginning command argument is not acceptable, a 501 failure reply MUST "
         "be returned and the SMTP server MUST stay in the same state."},
    Rule{R::rcpt_needs_mail, "rfc5321/3.3/rcpt-needs-mail", 5321, "3.3", must,
         "RCPT without an accepted MAIL is answered 503",
         "If a RCPT command appears without a previous MAIL command, the server MUST return a 503 "
         "\"Bad sequence of commands\" response."},
    Rule{R::data_without_recipients, "rfc5321/3.3/data-without-recipients", 5321, "3.3", info,
         "DATA without an accepted RCPT may be refused with 503 or 554; accepting it is noted",
         "If there was no MAIL, or no RCPT, command, or all such commands were rejected, the server "
         "MAY return a \"command out of sequence\" (503) or \"no valid recipients\" (554) reply in "
         "response to the DATA command."},
    Rule{R::required_commands, "rfc5321/4.5.1/required-commands", 5321, "4.5.1", must,
         "HELO, MAIL, RCPT, DATA, RSET, NOOP and QUIT are never answered 500 or 502",
         "The following commands MUST be supported to conform to this specification:"},
    Rule{R::minimum_sizes, "rfc5321/4.5.3.1/minimum-sizes", 5321, "4.5.3.1", must,
         "a command within the RFC 5321 size limits is not refused as too long",
         "Every implementation MUST be able to receive objects of at least these sizes."},
    Rule{R::command_line_limit, "rfc5321/4.5.3.1/over-limit", 5321, "4.5.3.1", info,
         "a command over the RFC 5321 size limits may be refused; accepting it is noted",
         "Clients MAY attempt to transmit these, but MUST be prepared for a server to reject them if "
         "they cannot be handled by it."},
    Rule{R::non_ascii_command, "rfc5321/2.4/non-ascii-command", 5321, "2.4", should,
         "a command with non-ASCII octets (without SMTPUTF8) is rejected",
         "Receiving systems SHOULD reject such commands, normally using \"500 syntax error - invalid "
         "character\" replies."},
    Rule{R::unknown_parameter_555, "rfc5321/4.1.1.11/unknown-parameter-555", 5321, "4.1.1.11", info,
         "a MAIL/RCPT parameter the server did not advertise is refused with 555",
         "If the server SMTP does not recognize or cannot implement one or more of the parameters "
         "associated with a particular MAIL FROM or RCPT TO command, it will return code 555."},
    Rule{R::lenient_syntax, "rfc5321/4.1.2/lenient-syntax", 5321, "4.1.2", info,
         "a command that breaks the ABNF in a common way may be accepted; it is noted",
         "The reader is cautioned that the grammar expressed in the metalanguage is not "
         "comprehensive."},
    Rule{R::source_route, "rfc5321/4.1.1.3/source-route", 5321, "4.1.1.3", must,
         "a forward-path with a source route is not refused as a syntax error",
         "Receiving systems MUST recognize source route syntax but SHOULD strip off the source route "
         "specification and utilize the domain name associated with the mailbox as if the source "
         "route had not been provided."},
    Rule{R::postmaster, "rfc5321/4.5.1/postmaster", 5321, "4.5.1", must,
         "RCPT TO:<Postmaster> (with no parameters) is not refused permanently by a relay or delivery server",
         "The requirement to accept mail for postmaster implies that RCPT commands that specify a "
         "mailbox for postmaster at any of the domains for which the SMTP server provides mail "
         "service, as well as the special case of \"RCPT TO:<Postmaster>\" (with no domain "
         "specification), MUST be supported."},
    Rule{R::recipients_100, "rfc5321/4.5.3.1.8/recipients-100", 5321, "4.5.3.1.8", must,
         "no recipient is refused as one too many before 100 have been accepted",
         "The minimum total number of recipients that MUST be buffered is 100 recipients."},
    Rule{R::too_many_recipients_452, "rfc5321/4.5.3.1.10/too-many-recipients-452", 5321,
         "4.5.3.1.10", must, "a temporary refusal for too many recipients uses 452",
         "If an SMTP server has an implementation limit on the number of RCPT commands and this limit "
         "is exhausted, it MUST use a response code of 452 (but the client SHOULD also be prepared "
         "for a 552, as noted above)."},
    Rule{R::message_64k, "rfc5321/4.5.3.1.7/message-64k", 5321, "4.5.3.1.7", must,
         "a message shorter than 64K octets is not refused as too big",
         "The maximum total length of a message content (including any message header section as "
         "well as the message body) MUST BE at least 64K octets."},
    // ------------------------------------------------------------ RFC 5321: DATA content
    Rule{R::end_of_data, "rfc5321/4.1.1.4/end-of-data", 5321, "4.1.1.4", must,
         "only <CRLF>.<CRLF> ends the mail data; <LF>.<LF> and its relatives do not (SMTP smuggling)",
         "In particular, the sequence \"<LF>.<LF>\" (bare line feeds, without carriage returns) MUST "
         "NOT be treated as equivalent to <CRLF>.<CRLF> as the end of mail data indication."},
    Rule{R::crlf_only, "rfc5321/2.3.8/crlf-only", 5321, "2.3.8", must,
         "a bare CR or LF is never a line terminator",
         "Conforming implementations MUST NOT recognize or generate any other character or character "
         "sequence as a line terminator."},
    // Dot-stuffing (§4.5.2) changes what is stored, not what is answered: the
    // end-of-data recogniser follows it (a "." line with more characters is no
    // end, and an early reply there breaks one-reply) and the reference server
    // applies it; no reply shows it otherwise, so it is not a rule of its own.
    Rule{R::end_of_data_reply, "rfc5321/4.1.1.4/end-of-data-reply", 5321, "4.1.1.4", must,
         "the end of data is answered with an OK (2yz) or a failure (4yz/5yz) reply",
         "If the processing is successful, the receiver MUST send an OK reply."},
    // ------------------------------------------------------------ RFC 5321: other commands
    Rule{R::rset_250, "rfc5321/4.1.1.5/rset-250", 5321, "4.1.1.5", must,
         "RSET without arguments is answered 250",
         "The receiver MUST send a \"250 OK\" reply to a RSET command with no arguments."},
    Rule{R::rset_clears, "rfc5321/4.1.1.5/rset-clears", 5321, "4.1.1.5", must,
         "after RSET no sender or recipient survives",
         "Any stored sender, recipients, and mail data MUST be discarded, and all buffers and state "
         "tables cleared."},
    Rule{R::rset_no_close, "rfc5321/4.1.1.5/rset-no-close", 5321, "4.1.1.5", must,
         "RSET never closes the connection",
         "An SMTP server MUST NOT close the connection as the result of receiving a RSET; that action "
         "is reserved for QUIT (see Section 4.1.1.10)."},
    Rule{R::noop_codes, "rfc5321/4.3.2/noop-codes", 5321, "4.3.2", should,
         "NOOP replies are 250", listed_codes},
    Rule{R::noop_ignores_parameter, "rfc5321/4.1.1.9/noop-ignores-parameter", 5321, "4.1.1.9", should,
         "NOOP with a parameter is answered as NOOP without one",
         "If a parameter string is specified, servers SHOULD ignore it."},
    Rule{R::no_503_before_ehlo, "rfc5321/4.1.4/no-503-before-ehlo", 5321, "4.1.4", should,
         "NOOP, HELP, EXPN, VRFY and RSET before EHLO are not answered 503",
         "SMTP servers SHOULD process these normally (that is, not return a 503 code) even if no EHLO "
         "command has yet been received; clients SHOULD open a session with EHLO before sending these "
         "commands."},
    Rule{R::quit_221, "rfc5321/4.1.1.10/quit-221", 5321, "4.1.1.10", must,
         "QUIT is answered 221",
         "This command specifies that the receiver MUST send a \"221 OK\" reply, and then close the "
         "transmission channel."},
    Rule{R::quit_then_close, "rfc5321/4.1.1.10/quit-then-close", 5321, "4.1.1.10", must,
         "after 221 the server closes the connection and answers nothing more",
         "This command specifies that the receiver MUST send a \"221 OK\" reply, and then close the "
         "transmission channel."},
    Rule{R::vrfy_codes, "rfc5321/4.3.2/vrfy-codes", 5321, "4.3.2", should,
         "VRFY replies are 250, 251, 252, or 550, 551, 553, 502, 504", listed_codes},
    Rule{R::expn_codes, "rfc5321/4.3.2/expn-codes", 5321, "4.3.2", should,
         "EXPN replies are 250, 252, or 550, 500, 502, 504", listed_codes},
    Rule{R::help_codes, "rfc5321/4.3.2/help-codes", 5321, "4.3.2", should,
         "HELP replies are 211, 214, or 502, 504", listed_codes},
    Rule{R::vrfy_expn_supported, "rfc5321/3.5.1/vrfy-expn-supported", 5321, "3.5.1", should,
         "VRFY and EXPN are implemented (not answered 500 or 502)",
         "Implementations SHOULD support VRFY and EXPN (however, see Section 3.5.2 and Section 7.3)."},
    Rule{R::help_supported, "rfc5321/4.1.1.8/help-supported", 5321, "4.1.1.8", should,
         "HELP without arguments is implemented (not answered 500 or 502)",
         "SMTP servers SHOULD support HELP without arguments and MAY support it with arguments."},
    Rule{R::no_arguments_501, "rfc5321/4.3.2/no-arguments-501", 5321, "4.3.2", should,
         "DATA, RSET or QUIT with arguments is answered 501",
         "In order to provide for future extensions, commands that are specified in this document as "
         "not accepting arguments (DATA, RSET, QUIT) SHOULD return a 501 message if arguments are "
         "supplied in the absence of EHLO-advertised extensions."},
    Rule{R::unknown_command_500, "rfc5321/4.2.4/unknown-command-500", 5321, "4.2.4", should,
         "an unrecognised command is answered 500 (and the connection stays open)",
         "If the command is not recognized, code 500 SHOULD be returned."},
    // ------------------------------------------------------------ RFC 3207 STARTTLS
    Rule{R::starttls_codes, "rfc3207/4/starttls-codes", 3207, "4", info,
         "STARTTLS replies are 220, 501 or 454",
         "After the client gives the STARTTLS command, the server responds with one of the following "
         "reply codes:"},
    Rule{R::tls_active_known, "rfc3207/4.2/tls-active-known", 3207, "4.2", must,
         "STARTTLS inside TLS is not answered 220",
         "Both the client and the server MUST know if there is a TLS session active."},
    Rule{R::no_starttls_after_tls, "rfc3207/4.2/no-starttls-after-tls", 3207, "4.2", must,
         "the EHLO reply inside TLS does not list STARTTLS",
         "A server MUST NOT return the STARTTLS extension in response to an EHLO command received "
         "after a TLS handshake has completed."},
    Rule{R::reset_after_tls, "rfc3207/4.2/reset-after-tls", 3207, "4.2", must,
         "after the handshake the session starts over: EHLO, transaction and AUTH are forgotten",
         "The server MUST discard any knowledge obtained from the client, such as the argument to "
         "the EHLO command, which was not obtained from the TLS negotiation itself."},
    Rule{R::discard_pipelined_after_starttls, "rfc3207/4.2/discard-pipelined", 3207, "4.2", must,
         "commands pipelined in cleartext after STARTTLS are discarded, never answered "
         "(CVE-2011-0411 class)",
         "The server MUST discard any knowledge obtained from the client, such as the argument to "
         "the EHLO command, which was not obtained from the TLS negotiation itself."},
    // ------------------------------------------------------------ RFC 4954 AUTH
    Rule{R::auth_codes, "rfc4954/6/auth-codes", 4954, "6", info,
         "AUTH replies are 235, 334, or 432, 454, 500, 501, 504, 530, 534, 535, 538",
         "The following error codes may be used to indicate various success or failure conditions."},
    Rule{R::auth_once_503, "rfc4954/4/auth-once-503", 4954, "4", must,
         "AUTH after a successful AUTH is answered 503",
         "After a successful AUTH command completes, a server MUST reject any further AUTH commands "
         "with a 503 reply."},
    Rule{R::auth_in_transaction_503, "rfc4954/4/auth-in-transaction-503", 4954, "4", must,
         "AUTH inside a mail transaction is answered 503",
         "An AUTH command issued during a mail transaction MUST be rejected with a 503 reply."},
    Rule{R::auth_cancel_501, "rfc4954/4/auth-cancel-501", 4954, "4", must,
         "a \"*\" response cancels the exchange with 501",
         "If the server receives such a response, it MUST reject the AUTH command by sending a 501 "
         "reply."},
    Rule{R::auth_invalid_base64_501, "rfc4954/4/auth-invalid-base64-501", 4954, "4", must,
         "a response that is not valid base64 is answered 501",
         "If the server cannot [BASE64] decode any client response, it MUST reject the AUTH command "
         "with a 501 reply (and an enhanced status code of 5.5.2)."},
    Rule{R::auth_challenge_base64, "rfc4954/4/auth-challenge-base64", 4954, "4", must,
         "a 334 challenge carries nothing but base64",
         "This challenge MUST NOT contain any text other than the BASE64 encoded challenge."},
    Rule{R::auth_failure_535, "rfc4954/4/auth-failure-535", 4954, "4", should,
         "a failed authentication is answered 535 or a more specific AUTH code",
         "If the server is unable to authenticate the client, it SHOULD reject the AUTH command with "
         "a 535 reply unless a more specific error code is appropriate."},
    Rule{R::auth_mechanism_504, "rfc4954/4/auth-mechanism-504", 4954, "4", info,
         "AUTH with a mechanism the server did not list is refused with 504",
         "If the requested authentication mechanism is invalid (e.g., is not supported or requires an "
         "encryption layer), the server rejects the AUTH command with a 504 reply."},
    Rule{R::no_plaintext_without_tls, "rfc4954/4/no-plaintext-without-tls", 4954, "4", should,
         "PLAIN and LOGIN are neither listed nor accepted over a cleartext connection",
         "Server sites SHOULD NOT use any configuration which permits a plaintext password mechanism "
         "without such a protection mechanism against password snooping."},
    Rule{R::auth_required_530, "rfc4954/6/auth-required-530", 4954, "6", should,
         "a command refused because authentication is required is answered 530",
         "This response SHOULD be returned by any command other than AUTH, EHLO, HELO, NOOP, RSET, or "
         "QUIT when server policy requires authentication in order to perform the requested action "
         "and authentication is not currently in force."},
    // ------------------------------------------------------------ RFC 6409 / 8314 submission
    Rule{R::submission_requires_auth, "rfc6409/4.3/require-auth", 6409, "4.3", must,
         "on submission, MAIL before AUTH is refused (530) unless the client is independently "
         "authorized (which the operator declares: --trusted-client)",
         "The MSA MUST, by default, issue an error response to the MAIL command if the session has "
         "not been authenticated using [SMTP-AUTH], unless it has already independently established "
         "authentication or authorization (such as being within a protected subnetwork)."},
    Rule{R::submission_independent_authorization, "rfc6409/4.3/independent-authorization", 6409,
         "4.3", info,
         "on submission, MAIL accepted without AUTH: the server must have authorised the client "
         "otherwise (e.g. its network); noted",
         "The MSA MUST, by default, issue an error response to the MAIL command if the session has "
         "not been authenticated using [SMTP-AUTH], unless it has already independently established "
         "authentication or authorization (such as being within a protected subnetwork)."},
    Rule{R::submission_supports_auth, "rfc6409/7/submission-supports-auth", 6409, "7", must,
         "a submission server lists AUTH in its EHLO reply once TLS is active",
         "[SMTP-AUTH] allows the MSA to validate the authority and determine the identity of the "
         "submitting user and MUST be supported by the MSA."},
    // ------------------------------------------------------------ RFC 2920 PIPELINING
    Rule{R::pipelining_data_iff_recipients, "rfc2920/3.2/data-iff-recipients", 2920, "3.2", should,
         "with PIPELINING, DATA is accepted only after an accepted RCPT",
         "SHOULD issue a positive response to the DATA command if and only if one or more valid RCPT "
         "TO addresses have been previously received."},
    Rule{R::pipelining_no_lost_input, "rfc2920/3.2/no-lost-input", 2920, "3.2", must,
         "with PIPELINING, no command of a group is left without its reply",
         "MUST NOT flush or otherwise lose the contents of the TCP input buffer under any "
         "circumstances whatsoever."},
    // ------------------------------------------------------------ RFC 1870 SIZE
    Rule{R::size_declared_552, "rfc1870/6.1/declared-size-552", 1870, "6.1", should,
         "MAIL with SIZE above the advertised limit is refused with 552",
         "Upon receipt of an extended MAIL command containing a SIZE parameter, a server should "
         "determine whether the declared message size exceeds its fixed maximum message size."},
    Rule{R::size_not_end_of_data, "rfc1870/6/size-not-end-of-data", 1870, "6", must,
         "the declared SIZE never ends the mail data",
         "NOTE: Servers MUST NOT use the SIZE parameter to determine end of content in the DATA "
         "command."},
    // ------------------------------------------------------------ RFC 3030 CHUNKING
    Rule{R::bdat_after_last_503, "rfc3030/2/bdat-after-last-503", 3030, "2", must,
         "BDAT after BDAT LAST (no open transaction) is answered 503",
         "Any BDAT command sent after the BDAT LAST is illegal and MUST be replied to with a 503 "
         "\"Bad sequence of commands\" reply code."},
    Rule{R::bdat_chunk_250, "rfc3030/2/bdat-chunk-250", 3030, "2", must,
         "a successful BDAT chunk is answered 250",
         "A 250 response MUST be sent to each successful BDAT data block within a mail transaction."},
    Rule{R::bdat_discard_chunk, "rfc3030/2/bdat-discard-chunk", 3030, "2", must,
         "a refused BDAT chunk is still read to its announced size, never parsed as commands",
         "If a failure occurs after a BDAT command is received, the receiver-SMTP MUST accept and "
         "discard the associated message data before sending the appropriate 5XX or 4XX code."},
    Rule{R::data_after_bdat_503, "rfc3030/2/data-after-bdat-503", 3030, "2", must,
         "DATA after BDAT in one transaction is answered 503",
         "If a DATA statement is issued after a BDAT for the current transaction, a 503 \"Bad "
         "sequence of commands\" MUST be issued."},
    Rule{R::binarymime_data_503, "rfc3030/3/binarymime-data-503", 3030, "3", must,
         "DATA after MAIL BODY=BINARYMIME is answered 503",
         "If a DATA command is issued after a MAIL command containing the body-value of "
         "\"BINARYMIME\", a 503 \"Bad sequence of commands\" response MUST be sent."},
    Rule{R::bdat_keeps_data, "rfc3030/2/bdat-keeps-data", 3030, "2", must,
         "a server that lists CHUNKING still implements DATA",
         "Servers that offer the BDAT extension MUST continue to support the regular SMTP DATA "
         "command."},
    // ------------------------------------------------------------ RFC 2034 ENHANCEDSTATUSCODES
    Rule{R::enhanced_code_present, "rfc2034/4/enhanced-code-present", 2034, "4", must,
         "with ENHANCEDSTATUSCODES, every 2yz/4yz/5yz reply line but the greeting's and EHLO/HELO's "
         "starts with an enhanced code",
         "These codes must appear in all 2xx, 4xx, and 5xx response lines other than initial "
         "greeting and any response to HELO or EHLO."},
    Rule{R::enhanced_code_class, "rfc2034/4/enhanced-code-class", 2034, "4", must,
         "the enhanced code's class equals the reply code's first digit",
         "All status codes returned by the server must agree with the primary response code, that "
         "is, a 2xx response must incorporate a 2.X.X code, a 4xx response must incorporate a 4.X.X "
         "code, and a 5xx response must incorporate a 5.X.X code."},
    Rule{R::enhanced_code_each_line, "rfc2034/4/enhanced-code-each-line", 2034, "4", must,
         "every line of a multi-line reply carries the same enhanced code",
         "When responses are continued across multiple lines the same status code must appear at the "
         "beginning of the text in each line of the response."},
};

constexpr bool in_enum_order() {
    for (std::size_t i = 0; i < table.size(); ++i)
        if (static_cast<std::size_t>(table[i].id) != i) return false;
    return true;
}
static_assert(in_enum_order(), "rows of the rule table must follow the RuleId order");
static_assert(static_cast<std::size_t>(RuleId::enhanced_code_each_line) + 1 == table.size(),
              "every RuleId has a row");

}  // namespace

std::span<const Rule> rules() noexcept { return table; }

const Rule& rule(RuleId id) noexcept { return table[static_cast<std::size_t>(id)]; }

const Rule* find_rule(std::string_view name) noexcept {
    for (const Rule& r : table)
        if (r.name == name) return &r;
    return nullptr;
}

std::string_view to_string(Level level) noexcept {
    switch (level) {
        case Level::must: return "MUST";
        case Level::should: return "SHOULD";
        case Level::info: return "INFO";
    }
    return "?";
}

}  // namespace smtpspec::model
