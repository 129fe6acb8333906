// The transition tables: the model's rules as data.
//
// Theory of operation. A command is judged in three steps, all driven by the
// tables below:
//  1. The command table gives, per verb, the replies RFC 5321 §4.3.2 (or the
//     extension's RFC) lists for it, which of them mean success, and what a
//     success does to the state (its Effect).
//  2. The precondition table gives, per verb, phase and condition, a set of
//     codes the reply must lie in and the rule that requires it: "RCPT in phase
//     greeted or ready: 503, RFC 5321 §3.3". Every matching row adds a
//     constraint; the first one the reply breaks becomes the finding.
//  3. The next state follows the reply actually observed: a success applies
//     the verb's Effect, 421 leads to closing, any other failure leaves the
//     state as it was (RFC 5321 §4.1.4: "the SMTP server MUST stay in the same
//     state").
// 421 passes every constraint (RFC 5321 §3.8: it "can be issued after the
// server receives any command").
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "smtpspec/model/codes.hpp"
#include "smtpspec/model/rules.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::model {

// The verbs, in the order of grammar::ast::Command's alternatives.
enum class Verb : std::uint8_t {
    ehlo, helo, mail, rcpt, data, rset, vrfy, expn, help, noop, quit, starttls, auth, bdat,
};
inline constexpr std::size_t verb_count = 14;

std::string_view to_string(Verb) noexcept;

// What a successful reply does to the state.
enum class Effect : std::uint8_t {
    none,
    open_extended,      // EHLO 250: session open, capabilities from the reply, transaction cleared
    open_basic,         // HELO 250: session open, no capabilities, transaction cleared
    begin_transaction,  // MAIL 250: new transaction
    add_recipient,      // RCPT 250/251: one more recipient
    start_data,         // DATA 354: message text follows
    reset,              // RSET 250: transaction cleared
    quit,               // QUIT 221: the server closes
    start_tls,          // STARTTLS 220: TLS handshake follows
    start_auth,         // AUTH 334: exchange continues; 235: authenticated
    chunk,              // BDAT 250: chunk stored; LAST ends the transaction
};

// The replies RFC 5321 §4.3.2 lets any command return, widened by the codes
// later RFCs give every command: 530 (RFC 4954 §6, RFC 3207 §4), 554 (RFC 3207
// §4.1, RFC 6409 §4.1), and 503/504 for sequence and parameter errors (§4.2.1).
inline constexpr CodeSet any_command{421, 500, 501, 503, 504, 530, 554};

struct CommandRow {
    Verb verb;
    std::string_view section;  // where the reply list comes from
    CodeSet success;           // replies that make the command take effect
    Effect effect;
    RuleId listing;            // the rule that lists the replies
    CodeSet listed;            // the listed replies (any_command included)
};

// Phase sets, as bit masks.
using PhaseSet = std::uint16_t;
constexpr PhaseSet phases(std::initializer_list<Phase> ps) {
    PhaseSet s = 0;
    for (Phase p : ps) s |= PhaseSet(1u << static_cast<unsigned>(p));
    return s;
}
constexpr bool contains(PhaseSet s, Phase p) { return (s >> static_cast<unsigned>(p)) & 1u; }

// Phases in which the server reads commands normally.
inline constexpr PhaseSet session_phases =
    phases({Phase::greeted, Phase::ready, Phase::mail, Phase::rcpt, Phase::bdat});

using VerbSet = std::uint16_t;
constexpr VerbSet verbs(std::initializer_list<Verb> vs) {
    VerbSet s = 0;
    for (Verb v : vs) s |= VerbSet(1u << static_cast<unsigned>(v));
    return s;
}
constexpr bool contains(VerbSet s, Verb v) { return (s >> static_cast<unsigned>(v)) & 1u; }

// A condition on the state and the command, beyond the phase.
enum class Condition : std::uint8_t {
    always,
    tls_active,                   // TLS is up
    tls_after_starttls,           // TLS came from STARTTLS on this connection (not implicit TLS)
    authenticated,                // AUTH succeeded
    submission_unauthenticated,   // submission profile and no AUTH yet
    submission_untrusted,         // ... and the client is not independently authorized
    submission_trusted,           // ... and the client is independently authorized (trusted)
    size_exceeds_limit,           // MAIL SIZE= above the advertised SIZE limit
    unadvertised_parameter,       // MAIL/RCPT parameter whose extension was not advertised
    source_route,                 // RCPT forward-path with an A-d-l
    postmaster_on_relay,          // RCPT TO:<Postmaster>, no parameters, on the relay profile
    pipelining_advertised,        // the last EHLO reply listed PIPELINING
    binarymime,                   // MAIL BODY=BINARYMIME accepted
    chunking_advertised,          // the last EHLO reply listed CHUNKING
    extension_advertised,         // the last EHLO reply listed this verb's extension
    extension_not_advertised,     // an EHLO reply was given and did not list it
    plaintext_mechanism_cleartext,  // AUTH PLAIN/LOGIN without TLS
    mechanism_not_advertised,     // AUTH with a mechanism the EHLO reply did not list
    invalid_initial_response,     // AUTH initial response that is neither base64 nor "="
    noop_with_parameter,          // NOOP with a string
    help_without_topic,           // HELP with no argument
    ended_by_rset,            // RSET ended a mail transaction and no MAIL came since
    ended_by_ehlo,            // EHLO/HELO ended a mail transaction and no MAIL came since
    ended_by_bdat_last,       // BDAT LAST completed the last mail transaction and no MAIL came since
};

struct PreconditionRow {
    VerbSet verbs;
    PhaseSet phases;
    Condition condition;
    RuleId rule;
    CodeSet codes;  // the reply must lie here (421 always passes)
};

std::span<const CommandRow> command_table() noexcept;
const CommandRow& command_row(Verb) noexcept;
std::span<const PreconditionRow> precondition_table() noexcept;
// The rows of the precondition table that name `verb`, in table order.
std::span<const PreconditionRow* const> preconditions_for(Verb verb) noexcept;
// The rows that name `verb` and include `phase`, in table order, as positions
// in precondition_table() (a precomputed index: the model's inner loop).
std::span<const std::uint8_t> preconditions_for(Verb verb, Phase phase) noexcept;

}  // namespace smtpspec::model
