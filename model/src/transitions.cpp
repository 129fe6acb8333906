// The command table and the precondition table (see transitions.hpp).
#include "smtpspec/model/transitions.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace smtpspec::model {
namespace {

using enum Verb;
constexpr Phase greeted = Phase::greeted;
constexpr Phase ready = Phase::ready;
constexpr Phase refused = Phase::refused;
using C = Condition;
using R = RuleId;

constexpr CodeSet failures = CodeSet::failures();
constexpr CodeSet positive = CodeSet::cls(2) | CodeSet::cls(3);
constexpr CodeSet everything = CodeSet::all();

// RFC 5321 §4.3.2 "Command-Reply Sequences", one row per verb; the extension
// verbs from RFC 3207 §4, RFC 4954 §6 and RFC 3030 §2.
constexpr std::array<CommandRow, verb_count> commands{{
    {ehlo, "5321 §4.3.2", {250}, Effect::open_extended, R::ehlo_codes,
     CodeSet{250, 504, 550, 502} | any_command},
    {helo, "5321 §4.3.2", {250}, Effect::open_basic, R::ehlo_codes,
     CodeSet{250, 504, 550, 502} | any_command},
    {mail, "5321 §4.3.2", {250}, Effect::begin_transaction, R::mail_codes,
     CodeSet{250, 552, 451, 452, 550, 553, 503, 455, 555} | any_command},
    {rcpt, "5321 §4.3.2", {250, 251}, Effect::add_recipient, R::rcpt_codes,
     CodeSet{250, 251, 550, 551, 552, 553, 450, 451, 452, 503, 455, 555} | any_command},
    {data, "5321 §4.3.2", {354}, Effect::start_data, R::data_codes,
     CodeSet{354, 503, 554} | any_command},
    {rset, "5321 §4.1.1.5", {250}, Effect::reset, R::rset_250, CodeSet{250}},
    {vrfy, "5321 §4.3.2", {250, 251, 252}, Effect::none, R::vrfy_codes,
     CodeSet{250, 251, 252, 550, 551, 553, 502, 504} | any_command},
    {expn, "5321 §4.3.2", {250, 252}, Effect::none, R::expn_codes,
     CodeSet{250, 252, 550, 500, 502, 504} | any_command},
    {help, "5321 §4.3.2", {211, 214}, Effect::none, R::help_codes,
     CodeSet{211, 214, 502, 504} | any_command},
    {noop, "5321 §4.3.2", {250}, Effect::none, R::noop_codes, CodeSet{250} | any_command},
    {quit, "5321 §4.3.2", {221}, Effect::quit, R::quit_221, CodeSet{221}},
    {starttls, "3207 §4", {220}, Effect::start_tls, R::starttls_codes,
     CodeSet{220, 501, 454, 502} | any_command},
    {auth, "4954 §6", {235, 334}, Effect::start_auth, R::auth_codes,
     CodeSet{235, 334, 432, 454, 500, 501, 502, 504, 530, 534, 535, 538} | any_command},
    {bdat, "3030 §2", {250}, Effect::chunk, R::bdat_chunk_250, CodeSet{250} | failures},
}};

constexpr bool commands_in_order() {
    for (std::size_t i = 0; i < commands.size(); ++i)
        if (static_cast<std::size_t>(commands[i].verb) != i) return false;
    return true;
}
static_assert(commands_in_order(), "command rows follow the Verb order");

constexpr PhaseSet session = session_phases;
constexpr PhaseSet no_transaction = phases({greeted, ready});
constexpr PhaseSet transaction = phases({Phase::mail, Phase::rcpt, Phase::bdat});
constexpr VerbSet all_but_quit =
    verbs({ehlo, helo, mail, rcpt, data, rset, vrfy, expn, help, noop, starttls, auth, bdat});
constexpr VerbSet extension_verbs = verbs({starttls, auth, bdat});

// Verb x phase x condition -> the codes the reply must lie in, and why.
// Order matters only for which finding is reported when a reply breaks
// several rows: the first broken row wins, so stricter rows come first.
constexpr std::array preconditions{
    // RFC 5321 §3.1: after a 554 greeting, only QUIT.
    PreconditionRow{all_but_quit, phases({refused}), C::always, R::refused_session_503,
                    CodeSet{503}},
    // RFC 5321 §4.1.4: EHLO/HELO refusals.
    PreconditionRow{verbs({ehlo, helo}), session, C::always, R::ehlo_failure_codes,
                    CodeSet{250, 500, 501, 502, 504, 550, 554} | CodeSet::cls(4)},
    // RFC 5321 §4.1.1.5, §4.1.1.9, §4.1.1.10.
    PreconditionRow{verbs({rset}), session, C::always, R::rset_250, CodeSet{250}},
    PreconditionRow{verbs({noop}), session, C::noop_with_parameter, R::noop_ignores_parameter,
                    CodeSet{250}},
    PreconditionRow{verbs({quit}), session | phases({refused}), C::always, R::quit_221,
                    CodeSet{221}},
    // RFC 5321 §4.1.4: NOOP, HELP, EXPN, VRFY, RSET work before EHLO.
    PreconditionRow{verbs({vrfy, expn, help, noop, rset}), phases({greeted}), C::always,
                    R::no_503_before_ehlo, everything - CodeSet{503}},
    // RFC 5321 §3.5.1, §4.1.1.8: VRFY, EXPN and HELP are implemented.
    PreconditionRow{verbs({vrfy, expn}), session, C::always, R::vrfy_expn_supported,
                    everything - CodeSet{500, 502}},
    PreconditionRow{verbs({help}), session, C::help_without_topic, R::help_supported,
                    everything - CodeSet{500, 502}},
    // RFC 5321 §4.1.1.1: MAIL needs EHLO/HELO (a client MUST; accepting is noted).
    PreconditionRow{verbs({mail}), phases({greeted}), C::always, R::mail_needs_helo, failures},
    // RFC 5321 §4.1.4: nested MAIL.
    PreconditionRow{verbs({mail}), transaction, C::always, R::out_of_order_503,
                    CodeSet::cls(2) | CodeSet{503}},
    PreconditionRow{verbs({mail}), transaction, C::always, R::nested_mail, failures},
    // RFC 6409 §4.3, RFC 4954 §6: submission requires AUTH before MAIL, unless the
    // server independently authorized the client (which only the operator knows:
    // ConnectionOpened::trusted).
    PreconditionRow{verbs({mail}), session, C::submission_untrusted, R::submission_requires_auth,
                    failures},
    PreconditionRow{verbs({mail}), session, C::submission_trusted,
                    R::submission_independent_authorization, failures},
    PreconditionRow{verbs({mail}), session, C::submission_unauthenticated, R::auth_required_530,
                    positive | CodeSet{530, 503, 554}},
    // RFC 1870 §6.1: declared SIZE above the advertised limit.
    PreconditionRow{verbs({mail}), no_transaction, C::size_exceeds_limit, R::size_declared_552,
                    failures},
    // RFC 5321 §4.1.1.11: parameters that were not advertised.
    PreconditionRow{verbs({mail, rcpt}), session, C::unadvertised_parameter,
                    R::unknown_parameter_555, failures},
    // RFC 3207 §4.2: after the handshake the session starts over; a RCPT accepted
    // before any new EHLO or MAIL shows the old transaction was kept. (MAIL
    // accepted there is only mail-needs-helo: many servers take MAIL without EHLO.)
    PreconditionRow{verbs({rcpt}), phases({greeted}), C::tls_after_starttls, R::reset_after_tls,
                    CodeSet{503, 530, 554}},
    // RFC 5321 §4.1.1.5, §4.1.4: RSET and EHLO/HELO end the transaction; a RCPT
    // accepted right after shows the envelope was kept.
    PreconditionRow{verbs({rcpt}), phases({ready}), C::ended_by_rset, R::rset_clears,
                    CodeSet{503, 530, 554}},
    PreconditionRow{verbs({rcpt}), phases({ready}), C::ended_by_ehlo, R::ehlo_resets,
                    CodeSet{503, 530, 554}},
    // RFC 5321 §3.3: RCPT needs MAIL.
    PreconditionRow{verbs({rcpt}), no_transaction, C::always, R::rcpt_needs_mail,
                    CodeSet{503, 530, 554}},
    // RFC 5321 §4.1.1.3: source routes are recognised.
    PreconditionRow{verbs({rcpt}), phases({Phase::mail, Phase::rcpt}), C::source_route,
                    R::source_route, everything - CodeSet{501}},
    // RFC 5321 §4.5.1: postmaster.
    PreconditionRow{verbs({rcpt}), phases({Phase::mail, Phase::rcpt}), C::postmaster_on_relay,
                    R::postmaster, CodeSet::cls(2) | CodeSet::cls(4) | CodeSet{503, 530, 554}},
    // RFC 3030 §2, §3: DATA and BDAT do not mix; BINARYMIME needs BDAT.
    PreconditionRow{verbs({data}), phases({Phase::bdat}), C::always, R::data_after_bdat_503,
                    CodeSet{503}},
    PreconditionRow{verbs({data}), phases({Phase::rcpt}), C::binarymime, R::binarymime_data_503,
                    CodeSet{503}},
    PreconditionRow{verbs({data}), session, C::chunking_advertised, R::bdat_keeps_data,
                    everything - CodeSet{500, 502}},
    // RFC 2920 §3.2 (3), RFC 5321 §3.3: DATA without an accepted recipient.
    PreconditionRow{verbs({data, bdat}), phases({greeted, ready, Phase::mail}),
                    C::pipelining_advertised, R::pipelining_data_iff_recipients, failures},
    PreconditionRow{verbs({data, bdat}), phases({greeted, ready, Phase::mail}), C::always,
                    R::data_without_recipients, failures},
    // RFC 3030 §2: BDAT after BDAT LAST (a BDAT with no transaction at all is
    // DATA-like: data-without-recipients above).
    PreconditionRow{verbs({bdat}), phases({ready}), C::ended_by_bdat_last, R::bdat_after_last_503,
                    CodeSet{503, 530, 554}},
    // RFC 3207 §4.2: no STARTTLS inside TLS.
    PreconditionRow{verbs({starttls}), session, C::tls_active, R::tls_active_known, failures},
    // RFC 5321 §4.2.4, §4.1.1.1: EHLO keywords and the commands they announce.
    PreconditionRow{extension_verbs, session, C::extension_advertised, R::no_advertised_502,
                    everything - CodeSet{500, 502}},
    PreconditionRow{extension_verbs, session, C::extension_not_advertised,
                    R::ehlo_lists_extensions, failures},
    // RFC 4954 §4: AUTH restrictions.
    PreconditionRow{verbs({auth}), transaction, C::always, R::auth_in_transaction_503,
                    CodeSet{503}},
    PreconditionRow{verbs({auth}), session, C::authenticated, R::auth_once_503, CodeSet{503}},
    PreconditionRow{verbs({auth}), session, C::invalid_initial_response,
                    R::auth_invalid_base64_501, CodeSet{501, 503, 504, 530, 534, 538}},
    PreconditionRow{verbs({auth}), session, C::plaintext_mechanism_cleartext,
                    R::no_plaintext_without_tls, failures},
    PreconditionRow{verbs({auth}), session, C::mechanism_not_advertised, R::auth_mechanism_504,
                    CodeSet{504, 503, 530, 534, 538}},
    // RFC 5321 §4.5.1: the required commands are implemented (after the
    // specific rows, so that a more precise rule is reported first).
    PreconditionRow{verbs({mail, rcpt, data, rset, noop, quit}), session, C::always,
                    R::required_commands, everything - CodeSet{500, 502}},
    PreconditionRow{verbs({helo}), session, C::always, R::helo_supported,
                    everything - CodeSet{500, 502}},
};

}  // namespace

std::span<const CommandRow> command_table() noexcept { return commands; }
const CommandRow& command_row(Verb v) noexcept { return commands[static_cast<std::size_t>(v)]; }
std::span<const PreconditionRow> precondition_table() noexcept { return preconditions; }

namespace {

// Per verb, pointers to its rows of the precondition table in table order,
// built at compile time.
struct PreconditionIndex {
    std::array<std::array<const PreconditionRow*, preconditions.size()>, verb_count> rows{};
    std::array<std::size_t, verb_count> count{};
};

constexpr PreconditionIndex build_precondition_index() {
    PreconditionIndex index;
    for (const PreconditionRow& row : preconditions)
        for (std::size_t v = 0; v < verb_count; ++v)
            if (contains(row.verbs, static_cast<Verb>(v))) index.rows[v][index.count[v]++] = &row;
    return index;
}

constexpr PreconditionIndex precondition_index = build_precondition_index();

}  // namespace

std::span<const PreconditionRow* const> preconditions_for(Verb verb) noexcept {
    const auto v = static_cast<std::size_t>(verb);
    return {precondition_index.rows[v].data(), precondition_index.count[v]};
}

namespace {

// Per verb and phase, the rows that apply in that phase, in table order, as
// positions in the table (built at compile time; expect() walks these).
constexpr std::size_t phase_count = static_cast<std::size_t>(Phase::closed) + 1;

struct PhaseIndex {
    std::array<std::array<std::array<std::uint8_t, preconditions.size()>, phase_count>, verb_count> rows{};
    std::array<std::array<std::uint8_t, phase_count>, verb_count> count{};
};

constexpr PhaseIndex build_phase_index() {
    static_assert(preconditions.size() < 256);
    PhaseIndex index;
    for (std::size_t r = 0; r < preconditions.size(); ++r)
        for (std::size_t v = 0; v < verb_count; ++v)
            for (std::size_t p = 0; p < phase_count; ++p)
                if (contains(preconditions[r].verbs, static_cast<Verb>(v)) &&
                    contains(preconditions[r].phases, static_cast<Phase>(p)))
                    index.rows[v][p][index.count[v][p]++] = static_cast<std::uint8_t>(r);
    return index;
}

constexpr PhaseIndex phase_index = build_phase_index();

}  // namespace

std::span<const std::uint8_t> preconditions_for(Verb verb, Phase phase) noexcept {
    const auto v = static_cast<std::size_t>(verb);
    const auto p = static_cast<std::size_t>(phase);
    if (p >= phase_count) return {};
    return {phase_index.rows[v][p].data(), phase_index.count[v][p]};
}

std::string_view to_string(Verb v) noexcept {
    static constexpr std::array<std::string_view, verb_count> names{
        "EHLO", "HELO", "MAIL", "RCPT", "DATA", "RSET", "VRFY",
        "EXPN", "HELP", "NOOP", "QUIT", "STARTTLS", "AUTH", "BDAT"};
    return names[static_cast<std::size_t>(v)];
}

}  // namespace smtpspec::model
