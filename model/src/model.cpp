// expect / observe: walk the tables of transitions.cpp for one input and one reply.
#include "smtpspec/model/model.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <string>
#include <string_view>

#include "detail/text.hpp"
#include "smtpspec/model/transitions.hpp"

namespace smtpspec::model {
namespace {

namespace ast = grammar::ast;
using detail::iequals;
using detail::is_base64;
using detail::upper;

constexpr CodeSet failures = CodeSet::failures();
constexpr CodeSet everything = CodeSet::all();

Verb verb_of(const ast::Command& c) { return static_cast<Verb>(c.index()); }

// The verb of a line that did not parse, if it is one the model knows.
std::optional<Verb> known_verb(std::string_view raw) {
    std::size_t end = 0;
    while (end < raw.size() && raw[end] != ' ' && raw[end] != '\r' && raw[end] != '\n') ++end;
    std::string_view word = raw.substr(0, end);
    for (std::size_t i = 0; i < verb_count; ++i)
        if (iequals(word, to_string(static_cast<Verb>(i)))) return static_cast<Verb>(i);
    return std::nullopt;
}

// ---------------------------------------------------------------- conditions

bool advertised(const State& s, Verb v) {
    switch (v) {
        case Verb::starttls: return s.capabilities.starttls;
        case Verb::auth: return s.capabilities.auth;
        case Verb::bdat: return s.capabilities.chunking;
        default: return true;
    }
}

// A MAIL or RCPT parameter the last EHLO reply did not announce (RFC 5321 §4.1.1.11).
bool parameter_unadvertised(const State& s, const ast::Param& p, bool is_mail) {
    const grammar::Capabilities& caps = s.capabilities;
    if (!s.extended) return true;
    return std::visit(
        [&](const auto& param) -> bool {
            using T = std::decay_t<decltype(param)>;
            if constexpr (std::is_same_v<T, ast::SizeParam>) return !is_mail || !caps.size;
            else if constexpr (std::is_same_v<T, ast::BodyParam>) {
                if (!is_mail) return true;
                if (param.type == ast::BodyParam::Type::binary_mime) return !caps.binary_mime;
                return !caps.eight_bit_mime;
            } else if constexpr (std::is_same_v<T, ast::SmtpUtf8Param>) return !is_mail || !caps.smtputf8;
            else if constexpr (std::is_same_v<T, ast::AuthParam>) return !is_mail || !caps.auth;
            else if constexpr (std::is_same_v<T, ast::RetParam> || std::is_same_v<T, ast::EnvidParam>)
                return !is_mail || !caps.dsn;
            else if constexpr (std::is_same_v<T, ast::NotifyParam> || std::is_same_v<T, ast::OrcptParam>)
                return is_mail || !caps.dsn;
            else return true;  // GenericParam: no extension the model knows announces it
        },
        p);
}

bool holds(Condition c, const State& s, Verb v, const ast::Command* cmd) {
    const grammar::Capabilities& caps = s.capabilities;
    switch (c) {
        case Condition::always: return true;
        case Condition::tls_active: return s.tls;
        case Condition::tls_after_starttls: return s.tls && s.profile != Profile::submissions;
        case Condition::ended_by_rset: return s.ended == Ended::by_rset;
        case Condition::ended_by_ehlo: return s.ended == Ended::by_ehlo;
        case Condition::ended_by_bdat_last: return s.ended == Ended::by_bdat_last;
        case Condition::authenticated: return s.authenticated;
        case Condition::submission_unauthenticated:
            return s.profile != Profile::relay && !s.authenticated;
        case Condition::submission_untrusted:
            return s.profile != Profile::relay && !s.authenticated && !s.trusted;
        case Condition::submission_trusted:
            return s.profile != Profile::relay && !s.authenticated && s.trusted;
        case Condition::size_exceeds_limit: {
            const auto* m = cmd ? std::get_if<ast::Mail>(cmd) : nullptr;
            if (!m || !caps.size || !caps.size_limit || *caps.size_limit == 0) return false;
            for (const ast::Param& p : m->params)
                if (const auto* sz = std::get_if<ast::SizeParam>(&p); sz && sz->octets > *caps.size_limit)
                    return true;
            return false;
        }
        case Condition::unadvertised_parameter: {
            if (!cmd) return false;
            if (const auto* m = std::get_if<ast::Mail>(cmd))
                return std::any_of(m->params.begin(), m->params.end(),
                                   [&](const ast::Param& p) { return parameter_unadvertised(s, p, true); });
            if (const auto* r = std::get_if<ast::Rcpt>(cmd))
                return std::any_of(r->params.begin(), r->params.end(),
                                   [&](const ast::Param& p) { return parameter_unadvertised(s, p, false); });
            return false;
        }
        case Condition::source_route: {
            const auto* r = cmd ? std::get_if<ast::Rcpt>(cmd) : nullptr;
            return r && r->to.path && !r->to.path->source_route.empty();
        }
        case Condition::postmaster_on_relay: {
            const auto* r = cmd ? std::get_if<ast::Rcpt>(cmd) : nullptr;
            // A parameter is judged on its own (555, 501): the MUST is on "RCPT TO:<Postmaster>".
            return r && s.profile == Profile::relay && !r->to.path && r->params.empty();
        }
        case Condition::pipelining_advertised: return caps.pipelining;
        case Condition::binarymime: return s.transaction.body == BodyType::binary_mime;
        case Condition::chunking_advertised: return caps.chunking;
        case Condition::extension_advertised: return s.extended && advertised(s, v);
        case Condition::extension_not_advertised: return s.extended && !advertised(s, v);
        case Condition::plaintext_mechanism_cleartext: {
            const auto* a = cmd ? std::get_if<ast::Auth>(cmd) : nullptr;
            return a && !s.tls && (iequals(a->mechanism, "PLAIN") || iequals(a->mechanism, "LOGIN"));
        }
        case Condition::mechanism_not_advertised: {
            const auto* a = cmd ? std::get_if<ast::Auth>(cmd) : nullptr;
            if (!a || !s.extended || !caps.auth) return false;
            std::string mech = upper(a->mechanism);
            return std::find(caps.auth_mechanisms.begin(), caps.auth_mechanisms.end(), mech) ==
                   caps.auth_mechanisms.end();
        }
        case Condition::invalid_initial_response: {
            const auto* a = cmd ? std::get_if<ast::Auth>(cmd) : nullptr;
            return a && a->initial_response && *a->initial_response != "=" && !is_base64(*a->initial_response);
        }
        case Condition::noop_with_parameter: {
            const auto* n = cmd ? std::get_if<ast::Noop>(cmd) : nullptr;
            return n && n->value.has_value();
        }
        case Condition::help_without_topic: {
            const auto* h = cmd ? std::get_if<ast::Help>(cmd) : nullptr;
            return h && !h->topic.has_value();
        }
    }
    return false;
}

// ---------------------------------------------------------------- expectations

Expectation silent(RuleId rule) {
    Expectation e;
    e.reply = ReplyKind::none;
    e.add(CodeSet{}, rule);
    return e;
}

Expectation misuse(std::string message) {
    Expectation e;
    e.misuse = Misuse{std::move(message)};
    return e;
}

// The rule an unsolicited reply breaks, given what the client sent before.
RuleId unsolicited_rule(const State& s) {
    switch (s.hazard) {
        case Hazard::smuggling: return RuleId::end_of_data;
        case Hazard::bare_line_ends: return RuleId::crlf_only;
        case Hazard::starttls_injection: return RuleId::discard_pipelined_after_starttls;
        case Hazard::bdat_refused: return RuleId::bdat_discard_chunk;
        case Hazard::none: break;
    }
    return RuleId::one_reply;
}

// Phases in which a command line is not a command, or cannot be sent: true,
// with the expectation in `e`.
bool command_phase_check(const State& s, Expectation& e) {
    switch (s.phase) {
        case Phase::connecting: e = misuse("a command before the greeting: feed ConnectionOpened first"); return true;
        case Phase::data: e = misuse("inside DATA the client sends MessageText, not commands"); return true;
        case Phase::auth: e = misuse("inside an AUTH exchange the client sends AuthLine"); return true;
        case Phase::closed: e = misuse("the connection is closed"); return true;
        case Phase::tls_pending:
            // RFC 3207 §4.2: a command pipelined after STARTTLS, in cleartext, is discarded.
            e = silent(RuleId::discard_pipelined_after_starttls);
            e.may_close = true;
            return true;
        case Phase::closing:
            e = silent(RuleId::quit_then_close);
            e.may_close = true;
            return true;
        default: return false;
    }
}

RuleId close_rule_for(const State& s, std::optional<Verb> v) {
    if (s.phase == Phase::refused) return RuleId::refused_session_wait_quit;
    if (v == Verb::rset) return RuleId::rset_no_close;
    if (v == Verb::quit) return RuleId::quit_221;
    return RuleId::no_close;
}

Expectation expect_command(const State& s, Verb v, const ast::Command* cmd, bool lenient) {
    Expectation e;
    if (command_phase_check(s, e)) return e;
    e.enhanced = s.capabilities.enhanced_status_codes && v != Verb::ehlo && v != Verb::helo;
    e.close_rule = close_rule_for(s, v);
    const std::span<const PreconditionRow> table = precondition_table();
    for (std::uint8_t i : preconditions_for(v, s.phase)) {
        const PreconditionRow& row = table[i];
        if (holds(row.condition, s, v, cmd)) e.add(row.codes, row.rule);
    }
    // RFC 5321 §4.1.1.9: NOOP's argument is ignored, so how it is malformed does not matter.
    if (lenient && v != Verb::noop) e.add(failures, RuleId::lenient_syntax);
    // RFC 5321 §3.1: after a 554 greeting the §4.3.2 lists give way to 503.
    if (s.phase == Phase::refused) return e;
    const CommandRow& c = command_row(v);
    e.add(c.listed, c.listing);
    return e;
}

Expectation expect_unparsed(const State& s, const UnparsedLine& u) {
    Expectation e;
    if (command_phase_check(s, e)) return e;
    std::optional<Verb> v = known_verb(u.raw);
    e.enhanced = s.capabilities.enhanced_status_codes && v != Verb::ehlo && v != Verb::helo;
    e.close_rule = close_rule_for(s, v);
    // RFC 5321 §3.1: after a 554 greeting every command but QUIT gets 503 (500/501 for lines
    // the server cannot read are as good).
    if (s.phase == Phase::refused && v != Verb::quit) {
        e.add(CodeSet{503, 500, 501}, RuleId::refused_session_503);
        return e;
    }
    switch (u.error.kind) {
        case grammar::ErrorKind::limit: e.add(failures, RuleId::command_line_limit); return e;
        case grammar::ErrorKind::encoding: e.add(failures, RuleId::non_ascii_command); return e;
        case grammar::ErrorKind::syntax: break;
    }
    if (!v) {
        e.add(CodeSet{500}, RuleId::unknown_command_500);
        return e;
    }
    switch (*v) {
        case Verb::mail: e.add(failures, RuleId::mail_bad_argument); break;
        case Verb::data:
        case Verb::rset:
        case Verb::quit: e.add(CodeSet{501}, RuleId::no_arguments_501); break;
        case Verb::noop: e.add(CodeSet{250}, RuleId::noop_ignores_parameter); break;
        case Verb::ehlo:
        case Verb::helo:
            e.add(CodeSet{250, 500, 501, 502, 504, 550, 554} | CodeSet::cls(4), RuleId::ehlo_failure_codes);
            break;
        case Verb::starttls: e.add(failures, RuleId::starttls_codes); break;
        // RFC 4954 §4: the grammar refuses an initial response that is not base64.
        case Verb::auth: e.add(CodeSet{501, 500, 503, 504, 530, 534, 538}, RuleId::auth_invalid_base64_501); break;
        default: e.add(failures, RuleId::lenient_syntax); break;
    }
    return e;
}

// `scanned`, when given, receives the recogniser after the text (observe reuses it).
Expectation expect_text(const State& s, const MessageText& m, DataScan* scanned) {
    if (s.phase != Phase::data) return misuse("message text outside DATA");
    DataScan scan = s.data;
    std::size_t end = end_of_data(scan, m.bytes);
    if (scanned) *scanned = scan;
    if (end != npos && end != m.bytes.size())
        return misuse("message text continues past <CRLF>.<CRLF>: split it there (end_of_data)");
    if (end == npos) {
        // RFC 5321 §4.1.1.4: nothing is answered before the end of data.
        RuleId rule = RuleId::one_reply;
        // A dot line closed by a bare CR and nothing yet: a reply now ends the data there.
        const bool pending_lookalike =
            scan.at == DataScan::At::loose_dot_cr || (scan.at == DataScan::At::dot_cr && scan.bare_cr);
        if (scan.lookalike || pending_lookalike) rule = RuleId::end_of_data;
        else if (scan.bare_lf || scan.bare_cr) rule = RuleId::crlf_only;
        else if (s.transaction.declared_size && scan.octets >= *s.transaction.declared_size)
            rule = RuleId::size_not_end_of_data;
        return silent(rule);
    }
    Expectation e;
    e.enhanced = s.capabilities.enhanced_status_codes;
    e.add(CodeSet::cls(2) | failures, RuleId::end_of_data_reply);
    if (scan.octets < 65536) e.add(everything - CodeSet{552}, RuleId::message_64k);
    e.add(CodeSet{250, 552, 554, 451, 452, 450, 550} | CodeSet{421, 500, 501, 503, 554},
          RuleId::data_end_codes);
    return e;
}

Expectation expect_bdat(const State& s, const BdatChunk& b) {
    if (b.bytes.size() != b.command.size) return misuse("BDAT chunk octets differ from the announced size");
    ast::Command cmd{b.command};
    Expectation e = expect_command(s, Verb::bdat, &cmd, false);
    if (!e.misuse && e.reply == ReplyKind::required &&
        (s.phase == Phase::rcpt || s.phase == Phase::bdat))
        e.add(CodeSet{250} | failures, RuleId::bdat_chunk_250);
    return e;
}

Expectation expect_auth_line(const State& s, const AuthLine& a) {
    if (s.phase != Phase::auth) return misuse("an AUTH line outside an AUTH exchange");
    Expectation e;
    e.enhanced = s.capabilities.enhanced_status_codes;
    if (a.text == "*") e.add(CodeSet{501}, RuleId::auth_cancel_501);
    else if (!is_base64(a.text)) e.add(CodeSet{501, 500}, RuleId::auth_invalid_base64_501);
    else
        e.add(CodeSet::cls(2) | CodeSet{334, 535, 534, 538, 454, 432, 500, 501, 504, 530},
              RuleId::auth_failure_535);
    e.add(command_row(Verb::auth).listed, RuleId::auth_codes);
    return e;
}

}  // namespace

namespace {

// The content rules check_content applies to a reply to `in` (kept in step with it).
void add_content_rules(const State& s, const Input& in, Expectation& e) {
    if (e.misuse) return;
    if (e.reply == ReplyKind::none) {
        if (const auto* m = std::get_if<MessageText>(&in)) {
            DataScan scan = s.data;
            end_of_data(scan, m->bytes);
            if (scan.lookalike) e.add_content(RuleId::end_of_data);
            if (scan.bare_cr || scan.bare_lf) e.add_content(RuleId::crlf_only);
            if (s.transaction.declared_size && scan.octets >= *s.transaction.declared_size)
                e.add_content(RuleId::size_not_end_of_data);
        }
        if (s.phase == Phase::closing) e.add_content(RuleId::quit_then_close);
        return;
    }
    e.add_content(s.capabilities.pipelining ? RuleId::pipelining_no_lost_input : RuleId::one_reply);
    // Checked by whoever frames the reply (the transcript reader, the adapters).
    e.add_content(RuleId::reply_syntax);
    e.add_content(RuleId::multiline_same_code);
    e.add_content(RuleId::reply_line_length);
    // A reply that is the only one after a hazardous input shows the hazard was handled.
    if (s.hazard != Hazard::none) e.add_content(unsolicited_rule(s));
    e.add_content(RuleId::shutdown_421);
    e.add_content(RuleId::no_bare_codes);
    if (e.enhanced) {
        e.add_content(RuleId::enhanced_code_present);
        e.add_content(RuleId::enhanced_code_class);
        e.add_content(RuleId::enhanced_code_each_line);
    }
    if (const auto* m = std::get_if<MessageText>(&in)) {
        DataScan scan = s.data;
        end_of_data(scan, m->bytes);
        if (scan.lookalike) e.add_content(RuleId::end_of_data);
        if (scan.bare_cr || scan.bare_lf) e.add_content(RuleId::crlf_only);
        if (s.transaction.declared_size && scan.octets >= *s.transaction.declared_size)
            e.add_content(RuleId::size_not_end_of_data);
    }
    if (std::holds_alternative<AuthLine>(in)) e.add_content(RuleId::auth_challenge_base64);
    const auto* c = std::get_if<CommandInput>(&in);
    if (!c) return;
    switch (verb_of(c->command)) {
        case Verb::ehlo:
            if (s.tls) e.add_content(RuleId::no_starttls_after_tls);
            else e.add_content(RuleId::no_plaintext_without_tls);
            if (s.profile != Profile::relay && s.tls) e.add_content(RuleId::submission_supports_auth);
            break;
        case Verb::helo: e.add_content(RuleId::helo_not_extended); break;
        case Verb::rcpt:
            e.add_content(RuleId::recipients_100);
            e.add_content(RuleId::too_many_recipients_452);
            break;
        case Verb::auth: e.add_content(RuleId::auth_challenge_base64); break;
        default: break;
    }
    if (!c->lenient) e.add_content(RuleId::minimum_sizes);
}

}  // namespace

namespace {

// expect_codes; for message text inside DATA, `scanned` receives the end-of-data
// recogniser after the text.
Expectation expect_codes_scanning(const State& s, const Input& in, DataScan* scanned) {
    struct V {
        const State& s;
        DataScan* scanned;
        Expectation operator()(const ConnectionOpened& c) const {
            if (s.phase != Phase::connecting) return misuse("ConnectionOpened on an open connection");
            if (c.profile == Profile::submissions && !c.tls)
                return misuse("the submissions profile has TLS from the first byte (RFC 8314 §3.3)");
            Expectation e;
            e.add(CodeSet{220, 554}, RuleId::greeting_codes);
            return e;
        }
        Expectation operator()(const CommandInput& c) const {
            const Verb v = verb_of(c.command);
            return tls_first(v, expect_command(s, v, &c.command, c.lenient));
        }
        Expectation operator()(const UnparsedLine& u) const { return tls_first(known_verb(u.raw), expect_unparsed(s, u)); }
        // RFC 3207 §4: a server that is not publicly referenced (submission) may require
        // TLS first and then SHOULD answer 530 to every command but NOOP, EHLO,
        // STARTTLS and QUIT: 530 is allowed there whatever else the command requires.
        Expectation tls_first(std::optional<Verb> v, Expectation e) const {
            if (s.profile == Profile::relay || s.tls || e.misuse || e.reply == ReplyKind::none) return e;
            if (s.phase != Phase::greeted && s.phase != Phase::ready && !in_transaction(s.phase)) return e;
            if (v == Verb::noop || v == Verb::ehlo || v == Verb::starttls || v == Verb::quit) return e;
            for (std::uint8_t i = 0; i < e.count; ++i) e.constraints[i].codes = e.constraints[i].codes | CodeSet{530};
            return e;
        }
        Expectation operator()(const MessageText& m) const { return expect_text(s, m, scanned); }
        Expectation operator()(const BdatChunk& b) const { return expect_bdat(s, b); }
        Expectation operator()(const TlsEstablished&) const {
            if (s.phase != Phase::tls_pending) return misuse("TLS handshake without 220 to STARTTLS");
            return silent(unsolicited_rule(s));
        }
        Expectation operator()(const AuthLine& a) const { return expect_auth_line(s, a); }
        Expectation operator()(const ClientClosed&) const {
            if (s.phase == Phase::closed) return misuse("the connection is already closed");
            Expectation e = silent(RuleId::one_reply);
            e.may_close = true;
            return e;
        }
        Expectation operator()(const ServerClosed&) const {
            if (s.phase == Phase::closed) return misuse("the connection is already closed");
            Expectation e = silent(RuleId::one_reply);
            e.may_close = s.phase == Phase::closing || s.phase == Phase::connecting;
            e.close_rule = close_rule_for(s, std::nullopt);
            return e;
        }
        Expectation operator()(const Idle&) const {
            if (s.phase == Phase::closed) return misuse("the connection is closed");
            Expectation e = silent(s.phase == Phase::closing ? RuleId::quit_then_close : unsolicited_rule(s));
            e.may_close = s.phase == Phase::closing;
            e.close_rule = close_rule_for(s, std::nullopt);
            return e;
        }
    };
    return std::visit(V{s, scanned}, in);
}

}  // namespace

Expectation expect(const State& s, const Input& in) {
    Expectation e = expect_codes(s, in);
    add_content_rules(s, in, e);
    return e;
}

Expectation expect_codes(const State& s, const Input& in) { return expect_codes_scanning(s, in, nullptr); }

// ---------------------------------------------------------------- end of data

std::size_t end_of_data(DataScan& d, std::string_view bytes) noexcept {
    using At = DataScan::At;
    const std::size_t size = bytes.size();
    for (std::size_t i = 0; i < size; ++i) {
        if (d.at == At::middle) {
            // Inside a line only CR and LF matter: take the rest of it at once.
            const char* const from = bytes.data() + i;
            const auto* cr = static_cast<const char*>(std::memchr(from, '\r', size - i));
            const std::size_t before_cr = cr ? static_cast<std::size_t>(cr - from) : size - i;
            const auto* lf = static_cast<const char*>(std::memchr(from, '\n', before_cr));
            const std::size_t j = i + (lf ? static_cast<std::size_t>(lf - from) : before_cr);
            d.octets += j - i;
            i = j;
            if (i == size) break;
        }
        const char c = bytes[i];
        ++d.octets;
        bool again = true;
        while (again) {
            again = false;
            switch (d.at) {
                case At::middle:
                    if (c == '\r') d.at = At::cr;
                    else if (c == '\n') d.bare_lf = true, d.at = At::loose_start;
                    break;
                case At::cr:
                    if (c == '\n') d.at = At::line_start;
                    else {  // the CR before was bare: it may act as a line end elsewhere
                        d.bare_cr = true;
                        d.at = At::loose_start;
                        again = true;
                    }
                    break;
                case At::line_start:
                    if (c == '.') d.at = At::dot;
                    else if (c == '\r') d.at = At::cr;
                    else if (c == '\n') d.bare_lf = true, d.at = At::loose_start;
                    else d.at = At::middle;
                    break;
                case At::dot:
                    if (c == '\r') d.at = At::dot_cr;
                    else if (c == '\n') d.bare_lf = true, d.lookalike = true, d.at = At::loose_start;
                    else {
                        // RFC 5321 §4.5.2: a stuffed dot is not part of the message.
                        if (c == '.') --d.octets;
                        d.at = At::middle;
                    }
                    break;
                case At::dot_cr:
                    if (c == '\n') {
                        d.at = At::line_start;
                        d.octets -= 3;  // ".<CRLF>" is the end marker, not message text
                        return i + 1;
                    }
                    d.bare_cr = true;
                    d.lookalike = true;
                    d.at = At::loose_start;
                    again = true;
                    break;
                case At::loose_start:
                    if (c == '.') d.at = At::loose_dot;
                    else if (c == '\r') d.at = At::cr;
                    else if (c == '\n') d.bare_lf = true;
                    else d.at = At::middle;
                    break;
                case At::loose_dot:
                    if (c == '\r') d.at = At::loose_dot_cr;
                    else if (c == '\n') d.bare_lf = true, d.lookalike = true, d.at = At::loose_start;
                    else d.at = At::middle;
                    break;
                case At::loose_dot_cr:
                    if (c == '\n') d.lookalike = true, d.at = At::line_start;
                    else {
                        d.bare_cr = true;
                        d.lookalike = true;
                        d.at = At::loose_start;
                        again = true;
                    }
                    break;
            }
        }
    }
    return npos;
}

// ---------------------------------------------------------------- capabilities

grammar::Capabilities capabilities_of(const ast::Reply& r) {
    grammar::Capabilities caps;
    for (std::size_t i = 1; i < r.lines.size(); ++i) {
        // The line's words (split at SP, empty ones skipped), at most 16 of them.
        const std::string_view text = r.lines[i].text;
        std::size_t pos = 0;
        auto next_word = [&text, &pos]() -> std::string_view {
            while (pos < text.size() && text[pos] == ' ') ++pos;
            const std::size_t start = pos;
            pos = std::min(text.find(' ', pos), text.size());
            return text.substr(start, pos - start);
        };
        const std::string_view kw = next_word();
        if (kw.empty()) continue;
        // Only the keyword's length and first letter select what to compare.
        switch (kw.size()) {
            case 3:
                if (iequals(kw, "DSN")) caps.dsn = true;
                break;
            case 4:
                if (iequals(kw, "SIZE")) {
                    caps.size = true;
                    const std::string_view limit = next_word();
                    if (!limit.empty()) {
                        std::uint64_t value = 0;
                        bool ok = limit.size() <= 19;
                        for (char ch : limit) {
                            if (ch < '0' || ch > '9') ok = false;
                            else value = value * 10 + static_cast<unsigned>(ch - '0');
                        }
                        if (ok && value > 0) caps.size_limit = value;
                    }
                } else if (iequals(kw, "AUTH")) {
                    caps.auth = true;
                    for (std::size_t n = 1; n < 16; ++n) {
                        const std::string_view mech = next_word();
                        if (mech.empty()) break;
                        caps.auth_mechanisms.push_back(upper(mech));
                    }
                }
                break;
            case 8:
                switch (kw[0]) {
                    case 's': case 'S':
                        if (iequals(kw, "STARTTLS")) caps.starttls = true;
                        else if (iequals(kw, "SMTPUTF8")) caps.smtputf8 = true;
                        break;
                    case '8':
                        if (iequals(kw, "8BITMIME")) caps.eight_bit_mime = true;
                        break;
                    case 'c': case 'C':
                        if (iequals(kw, "CHUNKING")) caps.chunking = true;
                        break;
                    default: break;
                }
                break;
            case 10:
                if (iequals(kw, "PIPELINING")) caps.pipelining = true;
                else if (iequals(kw, "BINARYMIME")) caps.binary_mime = true;
                break;
            case 19:
                if (iequals(kw, "ENHANCEDSTATUSCODES")) caps.enhanced_status_codes = true;
                break;
            default: break;
        }
    }
    return caps;
}

// ---------------------------------------------------------------- observe

namespace {

Finding make_finding(RuleId id, std::string explanation, std::string expected, std::string actual) {
    return Finding{id, rule(id).level, std::move(explanation), std::move(expected), std::move(actual)};
}

bool contains_ci(std::string_view hay, std::string_view needle) {
    if (needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
        if (iequals(hay.substr(i, needle.size()), needle)) return true;
    return false;
}

// The recogniser moved over message text: `scanned` when observe has it already.
void advance(DataScan& data, const MessageText& m, const DataScan* scanned) {
    if (scanned) data = *scanned;
    else end_of_data(data, m.bytes);
}

// The effect of an input when no reply is due (or none came).
// `n` starts as a copy of `s` and becomes the next state.
void quiet(State& n, const State& s, const Input& in, const DataScan* scanned) {
    if (const auto* m = std::get_if<MessageText>(&in)) {
        advance(n.data, *m, scanned);
    } else if (std::holds_alternative<CommandInput>(in) || std::holds_alternative<UnparsedLine>(in)) {
        if (s.phase == Phase::tls_pending) n.hazard = Hazard::starttls_injection;
    } else if (std::holds_alternative<TlsEstablished>(in)) {
        n = fresh_tls_state(s.profile);
        n.trusted = s.trusted;
        n.hazard = s.hazard;
    } else if (std::holds_alternative<ClientClosed>(in) || std::holds_alternative<ServerClosed>(in)) {
        n.phase = Phase::closed;
    }
}

void clear_transaction(State& n) {
    n.transaction = Transaction{};
    n.ended = Ended::open;
}

// An exchange with nothing in it is kept as none (State::auth_exchange).
void set_auth_exchange(State& n, State::AuthExchange x) {
    if (x == State::AuthExchange{}) n.auth_exchange.reset();
    else n.auth_exchange = std::move(x);
}

void begin_transaction(State& n, const ast::Command* cmd) {
    clear_transaction(n);
    n.phase = Phase::mail;
    n.ended = Ended::open;
    const auto* m = cmd ? std::get_if<ast::Mail>(cmd) : nullptr;
    if (!m) return;
    for (const ast::Param& p : m->params) {
        if (const auto* b = std::get_if<ast::BodyParam>(&p)) {
            switch (b->type) {
                case ast::BodyParam::Type::seven_bit: n.transaction.body = BodyType::seven_bit; break;
                case ast::BodyParam::Type::eight_bit_mime: n.transaction.body = BodyType::eight_bit_mime; break;
                case ast::BodyParam::Type::binary_mime: n.transaction.body = BodyType::binary_mime; break;
            }
        } else if (std::holds_alternative<ast::SmtpUtf8Param>(p)) {
            n.transaction.smtputf8 = true;
        } else if (const auto* sz = std::get_if<ast::SizeParam>(&p)) {
            n.transaction.declared_size = sz->octets;
        }
    }
}

void apply(State& n, Effect effect, unsigned code, const ast::Reply& reply, const ast::Command* cmd,
           Phase before) {
    switch (effect) {
        case Effect::none: break;
        case Effect::open_extended:
            n.phase = Phase::ready;
            n.extended = true;
            n.capabilities = capabilities_of(reply);
            clear_transaction(n);
            if (in_transaction(before)) n.ended = Ended::by_ehlo;
            break;
        case Effect::open_basic:
            n.phase = Phase::ready;
            n.extended = false;
            n.capabilities = grammar::Capabilities{};
            clear_transaction(n);
            if (in_transaction(before)) n.ended = Ended::by_ehlo;
            break;
        case Effect::begin_transaction: begin_transaction(n, cmd); break;
        case Effect::add_recipient:
            if (n.phase != Phase::bdat) n.phase = Phase::rcpt;  // RFC 3030 §2: chunks already sent stay
            ++n.transaction.recipients;
            break;
        case Effect::start_data:
            n.phase = Phase::data;
            n.data = DataScan{};
            break;
        case Effect::reset:
            clear_transaction(n);
            if (in_transaction(before)) n.ended = Ended::by_rset;
            if (before != Phase::greeted && before != Phase::refused) n.phase = Phase::ready;
            break;
        case Effect::quit: n.phase = Phase::closing; break;
        case Effect::start_tls: n.phase = Phase::tls_pending; break;
        case Effect::start_auth:
            if (code == 334) {
                n.resume = before;
                n.phase = Phase::auth;
                State::AuthExchange x;
                if (const auto* a = cmd ? std::get_if<ast::Auth>(cmd) : nullptr) {
                    x.mechanism = upper(a->mechanism);
                    if (a->initial_response) {
                        x.step = 1;
                        if (x.mechanism == "LOGIN") x.user = detail::decode_base64(*a->initial_response).value_or("");
                    }
                }
                set_auth_exchange(n, std::move(x));
            } else {
                n.authenticated = true;
            }
            break;
        case Effect::chunk: break;
    }
}

// The next state, following the reply actually observed; code 0: no usable reply.
// `n` starts as a copy of `s` and becomes the next state.
void follow(State& n, const State& s, const Input& in, unsigned code, const ast::Reply& reply,
            const DataScan* scanned) {
    const bool positive = code >= 200 && code < 400;
    if (const auto* c = std::get_if<ConnectionOpened>(&in)) {
        n.profile = c->profile;
        n.tls = c->tls;
        n.trusted = c->trusted;
    }
    if (code == 421) {
        n.phase = Phase::closing;
        if (const auto* m = std::get_if<MessageText>(&in)) advance(n.data, *m, scanned);
        return;
    }
    if (const auto* c = std::get_if<ConnectionOpened>(&in)) {
        n.profile = c->profile;
        n.tls = c->tls;
        n.trusted = c->trusted;
        n.phase = code >= 200 && code < 300 ? Phase::greeted : Phase::refused;
        if (code == 0) n.phase = Phase::greeted;
        return;
    }
    if (const auto* c = std::get_if<CommandInput>(&in)) {
        Verb v = verb_of(c->command);
        const CommandRow& row = command_row(v);
        if (row.success.contains(code)) apply(n, row.effect, code, reply, &c->command, s.phase);
        return;
    }
    if (const auto* u = std::get_if<UnparsedLine>(&in)) {
        std::optional<Verb> v = known_verb(u->raw);
        if (!v || !positive || u->error.kind != grammar::ErrorKind::syntax) return;
        const CommandRow& row = command_row(*v);
        if (row.success.contains(code) && row.effect != Effect::start_auth)
            apply(n, row.effect, code, reply, nullptr, s.phase);
        return;
    }
    if (const auto* m = std::get_if<MessageText>(&in)) {
        advance(n.data, *m, scanned);
        clear_transaction(n);
        n.phase = Phase::ready;
        n.hazard = n.data.lookalike ? Hazard::smuggling
                   : (n.data.bare_lf || n.data.bare_cr) ? Hazard::bare_line_ends
                                                          : Hazard::none;
        return;
    }
    if (const auto* b = std::get_if<BdatChunk>(&in)) {
        if (code == 250) {
            n.hazard = Hazard::none;
            if (b->command.last) {
                clear_transaction(n);
                n.ended = Ended::by_bdat_last;
                n.phase = Phase::ready;
            } else {
                n.transaction.bdat_used = true;
                n.phase = Phase::bdat;
            }
        } else if (code >= 400) {
            n.hazard = Hazard::bdat_refused;
        }
        return;
    }
    if (const auto* a = std::get_if<AuthLine>(&in)) {
        if (code == 334) {
            State::AuthExchange x = n.auth_exchange.value_or(State::AuthExchange{});
            ++x.step;
            if (x.mechanism == "LOGIN" && x.step == 1) x.user = detail::decode_base64(a->text).value_or("");
            set_auth_exchange(n, std::move(x));
            return;
        }
        if (code >= 200 && code < 300) n.authenticated = true;
        n.phase = n.resume;
        n.auth_exchange.reset();
        return;
    }
    quiet(n, s, in, scanned);
}

bool is_ehlo_keyword(std::string_view w) {
    static constexpr std::array<std::string_view, 11> known{
        "PIPELINING", "SIZE", "8BITMIME", "STARTTLS", "AUTH", "ENHANCEDSTATUSCODES",
        "CHUNKING", "SMTPUTF8", "DSN", "BINARYMIME", "ETRN"};
    for (std::string_view k : known)
        if (iequals(w, k)) return true;
    return false;
}

std::string first_word(std::string_view s) {
    std::size_t sp = s.find(' ');
    return std::string(s.substr(0, sp));
}

// Checks on the reply's content, beyond its code.
void check_content(const State& s, const Input& in, const Expectation& e, const ast::Reply& r, const State& next,
                   std::vector<Finding>& out) {
    auto actual_text = [&r] { return describe(Response{r}); };
    const unsigned cls = r.code / 100;
    // RFC 2034 §4: enhanced codes.
    if (e.enhanced && cls != 3) {
        const auto& first = r.lines.front().enhanced;
        bool present = std::all_of(r.lines.begin(), r.lines.end(), [](const auto& l) { return l.enhanced.has_value(); });
        if (!present) {
            out.push_back(make_finding(RuleId::enhanced_code_present,
                                       "ENHANCEDSTATUSCODES was advertised, but a reply line has no enhanced code",
                                       std::to_string(cls) + ".X.X on every line", actual_text()));
        } else if (first->cls != cls) {
            out.push_back(make_finding(RuleId::enhanced_code_class,
                                       "the enhanced code's class differs from the reply code's first digit",
                                       std::to_string(cls) + ".X.X", actual_text()));
        } else if (!std::all_of(r.lines.begin(), r.lines.end(), [&](const auto& l) { return l.enhanced == first; })) {
            out.push_back(make_finding(RuleId::enhanced_code_each_line,
                                       "the lines of a multi-line reply carry different enhanced codes",
                                       "the same enhanced code on every line", actual_text()));
        }
    }
    // RFC 5321 §4.2: bare codes (an empty 334 is an empty SASL challenge, RFC 4954 §4).
    if (r.code != 334 && std::any_of(r.lines.begin(), r.lines.end(),
                                     [](const auto& l) { return l.text.empty() && !l.enhanced; }))
        out.push_back(make_finding(RuleId::no_bare_codes, "a reply line has a code and no text",
                                   "a code followed by text", actual_text()));
    // RFC 4954 §4: challenges are base64.
    if (r.code == 334)
        for (const auto& l : r.lines)
            if (l.enhanced || !is_base64(l.text)) {
                out.push_back(make_finding(RuleId::auth_challenge_base64,
                                           "a 334 challenge holds text other than base64",
                                           "334 <base64>", actual_text()));
                break;
            }
    const auto* c = std::get_if<CommandInput>(&in);
    if (!c) return;
    const Verb v = verb_of(c->command);
    if (v == Verb::ehlo && r.code == 250) {
        const grammar::Capabilities& caps = next.capabilities;  // follow() read them from this reply
        if (s.tls && caps.starttls)
            out.push_back(make_finding(RuleId::no_starttls_after_tls,
                                       "the EHLO reply inside TLS lists STARTTLS", "no STARTTLS keyword", actual_text()));
        bool plaintext = std::any_of(caps.auth_mechanisms.begin(), caps.auth_mechanisms.end(),
                                     [](const std::string& m) { return m == "PLAIN" || m == "LOGIN"; });
        if (!s.tls && plaintext)
            out.push_back(make_finding(RuleId::no_plaintext_without_tls,
                                       "the EHLO reply over cleartext offers a plaintext password mechanism",
                                       "AUTH without PLAIN/LOGIN before TLS", actual_text()));
        if (s.profile != Profile::relay && s.tls && !caps.auth)
            out.push_back(make_finding(RuleId::submission_supports_auth,
                                       "the submission server's EHLO reply inside TLS does not list AUTH",
                                       "an AUTH keyword", actual_text()));
    }
    if (v == Verb::helo && r.code == 250 && r.lines.size() > 1 &&
        std::any_of(r.lines.begin() + 1, r.lines.end(),
                    [](const auto& l) { return is_ehlo_keyword(first_word(l.text)); }))
        out.push_back(make_finding(RuleId::helo_not_extended, "the reply to HELO lists service extensions",
                                   "a plain 250 reply", actual_text()));
    if (v == Verb::rcpt && r.code >= 400) {
        const auto& ec = r.lines.front().enhanced;
        bool too_many = (ec && ec->subject == 5 && ec->detail == 3) ||
                        contains_ci(r.lines.front().text, "too many recipients");
        if (too_many && (r.code == 452 || r.code == 552) && s.transaction.recipients < 100)
            out.push_back(make_finding(RuleId::recipients_100,
                                       "a recipient was refused as one too many after only " +
                                           std::to_string(s.transaction.recipients) + " accepted",
                                       "at least 100 recipients accepted", actual_text()));
        else if (too_many && r.code / 100 == 4 && r.code != 452)
            out.push_back(make_finding(RuleId::too_many_recipients_452,
                                       "a temporary too-many-recipients refusal does not use 452", "452", actual_text()));
    }
    if (!c->lenient && (r.code == 500 || r.code == 501) && contains_ci(r.lines.front().text, "too long"))
        out.push_back(make_finding(RuleId::minimum_sizes,
                                   "a command within the RFC 5321 size limits was refused as too long",
                                   "the command processed", actual_text()));
}

constexpr int severity(Level l) { return l == Level::must ? 0 : l == Level::should ? 1 : 2; }

void check_code(const State& s, const Input& in, const Expectation& e, const ast::Reply& r,
                std::vector<Finding>& out) {
    if (r.code == 421) {  // RFC 5321 §3.8: any command may be answered 421; noted
        out.push_back(make_finding(RuleId::shutdown_421, describe(in) + " answered 421: the server closes the session",
                                   "any reply", describe(Response{r})));
        return;
    }
    const Constraint* broken = nullptr;
    for (std::uint8_t i = 0; i < e.count; ++i) {
        const Constraint& c = e.constraints[i];
        if (c.codes.contains(r.code)) continue;
        if (!broken || severity(rule(c.rule).level) < severity(rule(broken->rule).level)) broken = &c;
    }
    if (!broken) return;
    out.push_back(make_finding(broken->rule,
                               describe(in) + " in phase " + std::string(to_string(s.phase)) + ": " +
                                   std::string(rule(broken->rule).summary),
                               broken->codes.to_string(), describe(Response{r})));
}

}  // namespace

Step observe(const State& s, const Input& in, const Response& response) {
    // Only the reply codes are checked against the expectation (the content
    // checks are check_content's); message text is scanned once, here.
    DataScan scan;
    const Expectation e = expect_codes_scanning(s, in, &scan);
    const DataScan* scanned = std::holds_alternative<MessageText>(in) ? &scan : nullptr;
    if (e.misuse) return Step{s, {}, e.misuse};
    // The next state starts as a copy of this one and is changed in place.
    Step step{s, {}, std::nullopt};

    if (std::holds_alternative<ServerClosed>(in)) {
        if (!e.may_close)
            step.findings.push_back(make_finding(e.close_rule,
                                                 "the server closed the connection in phase " +
                                                     std::string(to_string(s.phase)),
                                                 "the connection kept open", "connection closed"));
        quiet(step.next, s, in, scanned);
        return step;
    }

    struct V {
        const State& s;
        const Input& in;
        const Expectation& e;
        const DataScan* scanned;
        Step& step;
        void operator()(const ast::Reply& r) const {
            // RFC 5321 §3.8: a server shutting down may send 421 "asynchronously from
            // command receipt" -- while the client is idle -- and then closes.
            if (e.reply == ReplyKind::none && r.code == 421 && std::holds_alternative<Idle>(in) &&
                s.hazard == Hazard::none && s.phase != Phase::closing) {
                step.next.phase = Phase::closing;
                return;
            }
            if (e.reply == ReplyKind::none) {
                RuleId id = e.constraints[0].rule;
                step.findings.push_back(make_finding(id,
                                                     "a reply arrived where none is due (" + describe(in) + "): " +
                                                         std::string(rule(id).summary),
                                                     "no reply", describe(Response{r})));
                quiet(step.next, s, in, scanned);
                return;
            }
            if (r.lines.empty()) {
                step.findings.push_back(make_finding(RuleId::reply_syntax, "a reply without lines", "a reply", "nothing"));
                follow(step.next, s, in, 0, r, scanned);
                return;
            }
            follow(step.next, s, in, r.code, r, scanned);
            check_code(s, in, e, r, step.findings);
            check_content(s, in, e, r, step.next, step.findings);
        }
        void operator()(const MalformedReply& m) const {
            if (e.reply == ReplyKind::none) {
                step.findings.push_back(make_finding(e.constraints[0].rule,
                                                     "bytes arrived where no reply is due (" + describe(in) + ")",
                                                     "no reply", describe(Response{m})));
                quiet(step.next, s, in, scanned);
                return;
            }
            // RFC 5321 §4.2.1: mixed codes in one reply are the commonest malformation.
            RuleId id = RuleId::reply_syntax;
            if (m.raw.size() >= 4) {
                std::string_view raw = m.raw;
                std::string_view code = raw.substr(0, 3);
                std::size_t pos = 0;
                while ((pos = raw.find('\n', pos)) != std::string_view::npos && pos + 4 <= raw.size()) {
                    ++pos;
                    if (raw.substr(pos, 3) != code) id = RuleId::multiline_same_code;
                }
            }
            if (m.error.kind == grammar::ErrorKind::limit) id = RuleId::reply_line_length;
            step.findings.push_back(make_finding(id, "the server sent a malformed reply: " + m.error.message,
                                                 "a Reply-line (RFC 5321 §4.2)", describe(Response{m})));
            follow(step.next, s, in, 0, ast::Reply{}, scanned);
        }
        void operator()(const Closed&) const {
            if (!e.may_close)
                step.findings.push_back(make_finding(e.close_rule,
                                                     "the server closed the connection after " + describe(in),
                                                     e.reply == ReplyKind::none ? "no reply" : e.allowed().to_string(),
                                                     "connection closed"));
            quiet(step.next, s, in, scanned);
            step.next.phase = Phase::closed;
        }
        void operator()(const Silence&) const {
            if (e.reply == ReplyKind::required) {
                RuleId id = s.capabilities.pipelining ? RuleId::pipelining_no_lost_input : RuleId::one_reply;
                step.findings.push_back(make_finding(id, "no reply to " + describe(in),
                                                     e.allowed().to_string(), "no reply"));
                follow(step.next, s, in, 0, ast::Reply{}, scanned);
                return;
            }
            quiet(step.next, s, in, scanned);
        }
    };
    std::visit(V{s, in, e, scanned, step}, response);
    return step;
}

}  // namespace smtpspec::model
