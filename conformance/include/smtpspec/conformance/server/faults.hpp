// Faults: realistic bugs the reference server can be told to have, each
// breaking exactly one rule of the model. They are the suite's mutation test:
// the suite passes the clean server and must catch every fault by the rule it
// breaks (`smtpspec serve --list-faults`, docs/mutation.md).
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "smtpspec/model/rules.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::conformance::server {

enum class Fault : std::uint8_t {
    starttls_injection,        // plaintext pipelined after STARTTLS is executed inside TLS (CVE-2011-0411)
    no_reset_after_starttls,   // EHLO state and transaction survive the handshake
    starttls_readvertised,     // STARTTLS listed again in EHLO after TLS
    starttls_parameters,       // "STARTTLS foo" answered 220
    lf_dot_lf_ends_data,       // <LF>.<LF> ends the message text (CVE-2023-51764 class)
    lf_dot_crlf_ends_data,     // <LF>.<CR><LF> ends the message text
    rcpt_before_mail,          // RCPT accepted with no MAIL
    mail_before_helo,          // MAIL accepted before EHLO/HELO
    data_without_rcpt,         // DATA answered 354 with no recipient
    rset_keeps_transaction,    // RSET answers 250 but keeps the envelope
    unknown_command_250,       // an unknown verb answered 250
    multiline_mixed_codes,     // a multi-line reply whose lines carry different codes
    auth_cleartext,            // AUTH PLAIN offered and accepted before TLS on submission
    mail_without_auth,         // MAIL accepted without AUTH on submission
    auth_in_transaction,       // AUTH accepted inside a mail transaction
    pipelined_reply_dropped,   // with several commands in one read, a reply goes missing
    enhanced_code_missing,     // ENHANCEDSTATUSCODES advertised, a reply without one
    size_over_limit,           // MAIL SIZE= over the advertised limit accepted
    quit_keeps_open,           // 221 to QUIT, then the connection stays open
    long_line_closes,          // an over-long command line makes the server drop the connection
    postmaster_refused,        // RCPT TO:<postmaster> refused
    bdat_wrong_octets,         // BDAT reads one octet fewer than announced
    count_,
};

inline constexpr std::size_t fault_count = static_cast<std::size_t>(Fault::count_);
using FaultSet = std::bitset<fault_count>;

struct FaultInfo {
    Fault fault;
    std::string_view name;         // stable, kebab-case: "starttls-injection"
    model::RuleId breaks;          // the one rule of the model it breaks
    model::Profile profile;        // the profile in which the suite can see it
    std::string_view description;  // one line: the bug, as a server author would recognise it
};

// Every fault, in Fault order.
std::span<const FaultInfo> faults() noexcept;
const FaultInfo& fault_info(Fault) noexcept;
const FaultInfo* find_fault(std::string_view name) noexcept;

}  // namespace smtpspec::conformance::server
