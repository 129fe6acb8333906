// The fault table (see faults.hpp). Each row names the rule of the model that
// a replay of the faulty behaviour reports (conformance/test/faults_test.cpp
// drives the server with each fault and checks exactly that), the profile in
// which the suite meets it, and the bug as its author would describe it.
#include "smtpspec/conformance/server/faults.hpp"

#include <array>

namespace smtpspec::conformance::server {
namespace {

using F = Fault;
using R = model::RuleId;
using P = model::Profile;

constexpr std::array<FaultInfo, fault_count> table{{
    {F::starttls_injection, "starttls-injection", R::discard_pipelined_after_starttls, P::relay,
     "commands pipelined in cleartext after STARTTLS stay buffered and run inside TLS (CVE-2011-0411)"},
    {F::no_reset_after_starttls, "no-reset-after-starttls", R::reset_after_tls, P::relay,
     "the EHLO state and the mail transaction survive the TLS handshake"},
    {F::starttls_readvertised, "starttls-readvertised", R::no_starttls_after_tls, P::relay,
     "the EHLO keyword list is built once, so STARTTLS is listed again inside TLS"},
    {F::starttls_parameters, "starttls-parameters", R::starttls_codes, P::relay,
     "\"STARTTLS foo\" is taken for STARTTLS and answered 220"},
    {F::lf_dot_lf_ends_data, "lf-dot-lf-ends-data", R::end_of_data, P::relay,
     "the end-of-data scanner also stops at <LF>.<LF>, so text after it runs as commands "
     "(SMTP smuggling, CVE-2023-51764 class)"},
    {F::lf_dot_crlf_ends_data, "lf-dot-crlf-ends-data", R::end_of_data, P::relay,
     "the end-of-data scanner also stops at <LF>.<CR><LF>, so text after it runs as commands "
     "(SMTP smuggling, CVE-2023-51765 class)"},
    {F::rcpt_before_mail, "rcpt-before-mail", R::rcpt_needs_mail, P::relay,
     "RCPT is accepted with no MAIL before it"},
    {F::mail_before_helo, "mail-before-helo", R::mail_needs_helo, P::relay,
     "MAIL is accepted before EHLO or HELO"},
    {F::data_without_rcpt, "data-without-rcpt", R::pipelining_data_iff_recipients, P::relay,
     "DATA is answered 354 although no recipient was accepted"},
    {F::rset_keeps_transaction, "rset-keeps-transaction", R::rset_clears, P::relay,
     "RSET answers 250 but the sender and recipients stay, so RCPT is accepted after it"},
    {F::unknown_command_250, "unknown-command-250", R::unknown_command_500, P::relay,
     "an unknown verb is handled like NOOP and answered 250"},
    {F::multiline_mixed_codes, "multiline-mixed-codes", R::multiline_same_code, P::relay,
     "the first line of a multi-line reply is written with the greeting's code (220-), the rest with "
     "the reply's own"},
    {F::auth_cleartext, "auth-cleartext", R::no_plaintext_without_tls, P::submission,
     "AUTH PLAIN and LOGIN are offered and accepted before TLS"},
    {F::mail_without_auth, "mail-without-auth", R::submission_requires_auth, P::submission,
     "MAIL is accepted on the submission port without AUTH"},
    {F::auth_in_transaction, "auth-in-transaction", R::auth_in_transaction_503, P::relay,
     "AUTH is accepted inside a mail transaction"},
    {F::pipelined_reply_dropped, "pipelined-reply-dropped", R::pipelining_no_lost_input, P::relay,
     "when one read holds several commands, the reply to the second is lost"},
    {F::enhanced_code_missing, "enhanced-code-missing", R::enhanced_code_present, P::relay,
     "ENHANCEDSTATUSCODES is advertised, but the reply to MAIL has no enhanced code"},
    {F::size_over_limit, "size-over-limit", R::size_declared_552, P::relay,
     "MAIL with SIZE= above the advertised limit is accepted"},
    {F::quit_keeps_open, "quit-keeps-open", R::quit_then_close, P::relay,
     "QUIT is answered 221 but the connection stays open and further commands are answered"},
    {F::long_line_closes, "long-line-closes", R::no_close, P::relay,
     "a command line longer than the read buffer makes the server drop the connection without a reply"},
    {F::postmaster_refused, "postmaster-refused", R::postmaster, P::relay,
     "RCPT TO:<Postmaster> is refused 550"},
    {F::bdat_wrong_octets, "bdat-wrong-octets", R::bdat_discard_chunk, P::relay,
     "a refused BDAT chunk is read one octet short, and its last octet is taken for the start of a command"},
}};

constexpr bool in_order() {
    for (std::size_t i = 0; i < table.size(); ++i)
        if (static_cast<std::size_t>(table[i].fault) != i) return false;
    return true;
}
static_assert(in_order(), "the fault table follows the Fault order");

}  // namespace

std::span<const FaultInfo> faults() noexcept { return table; }

const FaultInfo& fault_info(Fault f) noexcept { return table[static_cast<std::size_t>(f)]; }

const FaultInfo* find_fault(std::string_view name) noexcept {
    for (const FaultInfo& f : table)
        if (f.name == name) return &f;
    return nullptr;
}

}  // namespace smtpspec::conformance::server
