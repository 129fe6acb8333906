// The rule table: every requirement the model checks, with the RFC sentence
// its level comes from.
//
// Levels follow the RFC text exactly. `must` only where the RFC puts a MUST
// (or MUST NOT, or the pre-RFC 2119 "must" of RFC 1870 and RFC 2034) on the
// server for exactly that behaviour; `should` where it says SHOULD; `info`
// where the RFC leaves the server free (MAY, a descriptive "will", or a
// requirement on the client) and the model only notes what it saw. A finding
// always carries the level of the rule it cites, so a MUST rule never yields a
// warning and a SHOULD rule never yields a failure.
//
// Ids are stable names, `rfcNNNN/section/slug`, never positions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace smtpspec::model {

enum class Level : std::uint8_t { must, should, info };

// One enumerator per row of the table in rules.cpp, in the same order
// (checked at compile time there).
enum class RuleId : std::uint16_t {
    // RFC 5321: connection, greeting, replies
    greeting_codes,
    refused_session_503,
    refused_session_wait_quit,
    one_reply,
    reply_syntax,
    multiline_same_code,
    no_bare_codes,
    reply_format,
    reply_line_length,
    no_close,
    shutdown_421,
    // RFC 5321: EHLO / HELO
    ehlo_codes,
    ehlo_resets,
    ehlo_failure_codes,
    helo_supported,
    helo_not_extended,
    ehlo_lists_extensions,
    no_advertised_502,
    // RFC 5321: MAIL / RCPT / DATA and ordering
    mail_codes,
    rcpt_codes,
    data_codes,
    data_end_codes,
    mail_needs_helo,
    nested_mail,
    out_of_order_503,
    mail_bad_argument,
    rcpt_needs_mail,
    data_without_recipients,
    required_commands,
    minimum_sizes,
    command_line_limit,
    non_ascii_command,
    unknown_parameter_555,
    lenient_syntax,
    source_route,
    postmaster,
    recipients_100,
    too_many_recipients_452,
    message_64k,
    // RFC 5321: DATA content
    end_of_data,
    crlf_only,
    end_of_data_reply,
    // RFC 5321: RSET, NOOP, QUIT, VRFY, EXPN, HELP, unknown commands
    rset_250,
    rset_clears,
    rset_no_close,
    noop_codes,
    noop_ignores_parameter,
    no_503_before_ehlo,
    quit_221,
    quit_then_close,
    vrfy_codes,
    expn_codes,
    help_codes,
    vrfy_expn_supported,
    help_supported,
    no_arguments_501,
    unknown_command_500,
    // RFC 3207 STARTTLS
    starttls_codes,
    tls_active_known,
    no_starttls_after_tls,
    reset_after_tls,
    discard_pipelined_after_starttls,
    // RFC 4954 AUTH
    auth_codes,
    auth_once_503,
    auth_in_transaction_503,
    auth_cancel_501,
    auth_invalid_base64_501,
    auth_challenge_base64,
    auth_failure_535,
    auth_mechanism_504,
    no_plaintext_without_tls,
    auth_required_530,
    // RFC 6409 / RFC 8314 submission
    submission_requires_auth,
    submission_independent_authorization,
    submission_supports_auth,
    // RFC 2920 PIPELINING
    pipelining_data_iff_recipients,
    pipelining_no_lost_input,
    // RFC 1870 SIZE
    size_declared_552,
    size_not_end_of_data,
    // RFC 3030 CHUNKING
    bdat_after_last_503,
    bdat_chunk_250,
    bdat_discard_chunk,
    data_after_bdat_503,
    binarymime_data_503,
    bdat_keeps_data,
    // RFC 2034 ENHANCEDSTATUSCODES
    enhanced_code_present,
    enhanced_code_class,
    enhanced_code_each_line,
};

struct Rule {
    RuleId id;
    std::string_view name;     // stable id, "rfc5321/4.1.4/rcpt-needs-mail"
    unsigned rfc;              // 5321
    std::string_view section;  // "3.3"
    Level level;
    std::string_view summary;  // what the model checks, one line
    std::string_view quote;    // the RFC sentence the level comes from, verbatim
};

// The whole table, in RuleId order.
std::span<const Rule> rules() noexcept;
const Rule& rule(RuleId) noexcept;
// By stable name; nullptr when there is no such rule.
const Rule* find_rule(std::string_view name) noexcept;

std::string_view to_string(Level) noexcept;

}  // namespace smtpspec::model
