// The reference server's core (see core.hpp).
//
// Theory of operation. feed() appends client bytes and pump() cuts them into
// model inputs the way the model's transcript reader does (server/reader.hpp):
// a command line, an AUTH line, message text up to <CRLF>.<CRLF>, or a BDAT
// command with its octets. Each input is answered by answer(): the reply is
// model::respond's (plus this server's own limits), the state moves on by
// model::observe of the reply sent, and the reply's bytes are queued.
//
// Each Fault is one small deviation, marked `Fault::name`, at the place where
// a real server would have that bug: in what it reads (reading), in the state
// it answers from (believed_state), in the reply (rewrite), in the state it
// keeps afterwards (remember) or in what it writes (emit).
#include "smtpspec/conformance/server/core.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include "server/reader.hpp"
#include "smtpspec/grammar/print.hpp"
#include "smtpspec/model/model.hpp"

namespace smtpspec::conformance::server {
namespace {

namespace ast = grammar::ast;
using model::Phase;

// feed() reads at most this much at a time, so that the unread client bytes
// stay bounded whatever one feed() holds.
constexpr std::size_t feed_slice = 64 * 1024;

bool ehlo_accepted(const model::Input& in, const ast::Reply& reply) {
    const auto* c = std::get_if<model::CommandInput>(&in);
    return c && std::holds_alternative<ast::Ehlo>(c->command) && reply.code == 250;
}

bool lists(const ast::Reply& r, std::string_view keyword) {
    for (std::size_t i = 1; i < r.lines.size(); ++i) {
        std::string_view text = r.lines[i].text;
        std::string_view word = text.substr(0, text.find(' '));
        if (word.size() == keyword.size() &&
            std::equal(word.begin(), word.end(), keyword.begin(),
                       [](char a, char b) { return (a >= 'a' && a <= 'z' ? a - 32 : a) == b; }))
            return true;
    }
    return false;
}

// The line of an EHLO reply that starts with `keyword`, if any.
const ast::ReplyLine* line_of(const ast::Reply& r, std::string_view keyword) {
    for (std::size_t i = 1; i < r.lines.size(); ++i)
        if (r.lines[i].text.substr(0, r.lines[i].text.find(' ')) == keyword) return &r.lines[i];
    return nullptr;
}

bool postmaster(const ast::Rcpt& r) {
    if (!r.to.path) return true;  // "<Postmaster>" (RFC 5321 §4.1.1.3)
    std::string local = r.to.path->mailbox.local.value;
    std::transform(local.begin(), local.end(), local.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    return local == "postmaster";
}

// A reason for a 421 reply: printable ASCII, one line, bounded.
std::string reply_text(std::string_view reason) {
    std::string out;
    for (char c : reason)
        if (c >= 0x20 && c < 0x7f && out.size() < 400) out += c;
    return out.empty() ? std::string("Service shutting down, closing transmission channel") : out;
}

}  // namespace

struct Core::Impl {
    Config config;
    model::Policy policy;  // config.policy, offering STARTTLS only where the transport has TLS
    bool implicit_tls;
    model::State state;
    bool opened = false;
    bool close = false;

    std::string early;      // bytes fed before open()
    std::string unread;     // client bytes not yet read: at most one partial line
    std::string out;        // reply bytes not yet taken
    bool skipping = false;  // dropping the rest of an over-long line, up to its LF
    std::string over_long;  // the start of that line (at most max_line octets)

    // The transaction as far as it was accepted (RFC 5321 §3.3).
    struct Envelope {
        std::string reverse_path;
        std::vector<std::string> recipients;
        std::string content;
        std::uint64_t octets = 0;  // message octets received (stuffing dots removed)
        bool truncated = false;    // over the limit: the message will be refused
        bool bdat = false;
    } envelope;
    // Dot-unstuffing (RFC 5321 §4.5.2): where in a line the message text is.
    bool text_line_start = true;
    bool text_cr = false;

    // The BDAT chunk being read (RFC 3030 §2: the reply comes after its octets).
    struct Chunk {
        ast::Bdat command;
        std::uint64_t remaining = 0;  // octets still to read
        std::uint64_t octets = 0;     // octets read
        std::string held;             // octets kept (when messages are kept), at most max_message
    };
    std::optional<Chunk> chunk;

    std::vector<Message> messages;
    std::uint64_t accepted = 0;

    // Fault state.
    model::State before_tls;       // Fault::no_reset_after_starttls: the session before STARTTLS
    std::string pipelined_in_tls;  // Fault::starttls_injection: cleartext kept for later
    enum class Loose : std::uint8_t { other, lf, lf_dot, lf_dot_cr };
    Loose loose = Loose::lf;       // Fault::lf_dot_*_ends_data: the faulty end-of-data scanner
    unsigned replies_in_feed = 0;  // Fault::pipelined_reply_dropped

    Impl(Config c, bool tls) : config(std::move(c)), policy(config.policy) {
        policy.starttls = policy.starttls && config.tls_available;
        // RFC 8314 §3.3: port 465 is TLS from the first byte (as the transcript reader assumes).
        implicit_tls = tls || config.profile == model::Profile::submissions;
    }

    bool has(Fault f) const { return config.faults.test(static_cast<std::size_t>(f)); }

    // ------------------------------------------------------------ answering

    // The state the server answers from: its own, unless a fault skips a check.
    model::State believed_state(const model::Input& in) const {
        model::State s = state;
        const auto* c = std::get_if<model::CommandInput>(&in);
        if (!c) return s;
        const bool no_transaction = s.phase == Phase::greeted || s.phase == Phase::ready;
        if (std::holds_alternative<ast::Rcpt>(c->command)) {
            if (has(Fault::rcpt_before_mail) && no_transaction) s.phase = Phase::mail;
        } else if (std::holds_alternative<ast::Mail>(c->command)) {
            if (has(Fault::mail_before_helo) && s.phase == Phase::greeted) s.phase = Phase::ready;
            if (has(Fault::mail_without_auth)) s.authenticated = true;
            if (has(Fault::size_over_limit)) s.capabilities.size_limit.reset();
        } else if (std::holds_alternative<ast::Data>(c->command)) {
            if (has(Fault::data_without_rcpt) && s.phase == Phase::mail) {
                s.phase = Phase::rcpt;
                s.transaction.recipients = 1;
            }
        } else if (std::holds_alternative<ast::Auth>(c->command)) {
            if (has(Fault::auth_cleartext)) s.tls = true;
            if (has(Fault::auth_in_transaction) && model::in_transaction(s.phase)) s.phase = Phase::ready;
        }
        return s;
    }

    // The input as the server understood it.
    model::Input understood(const model::Input& in) const {
        const auto* u = std::get_if<model::UnparsedLine>(&in);
        if (!u || u->error.kind != grammar::ErrorKind::syntax) return in;
        const std::optional<model::Verb> verb = verb_of_line(u->raw);
        if (has(Fault::starttls_parameters) && verb == model::Verb::starttls)
            return model::CommandInput{ast::StartTls{}, u->raw, false};
        if (has(Fault::unknown_command_250) && !verb) return model::CommandInput{ast::Noop{}, u->raw, false};
        return in;
    }

    ast::Reply refusal(const model::Input& in, unsigned preferred, unsigned subject, unsigned detail,
                       std::string text) const {
        unsigned code = model::expect(state, in).allowed().contains(preferred) ? preferred : 554;
        std::optional<ast::EnhancedCode> ec;
        if (policy.enhanced_status_codes) ec = ast::EnhancedCode{code / 100, subject, detail};
        return model::make_reply(code, std::move(text), ec);
    }

    bool chunk_over_limit(const Chunk& c) const {
        std::uint64_t limit = config.limits.max_message;
        if (policy.size_limit && *policy.size_limit > 0) limit = std::min(limit, *policy.size_limit);
        return envelope.truncated || envelope.octets + c.octets > limit;
    }

    // The reply: model::respond's, with this server's own limits, and the faults.
    model::Response respond_to(const model::Input& in) const {
        model::Response r = model::respond(believed_state(in), understood(in), policy);
        auto* reply = std::get_if<ast::Reply>(&r);
        if (!reply) return r;
        const bool positive = reply->code < 400;
        if (positive && std::holds_alternative<model::MessageText>(in) && envelope.truncated)
            return refusal(in, 552, 3, 4, "Message too big for this server");
        if (positive && std::holds_alternative<model::BdatChunk>(in) && chunk && chunk_over_limit(*chunk))
            return refusal(in, 552, 3, 4, "Message too big for this server");
        rewrite(in, *reply);
        return r;
    }

    // Faults that change what a reply says.
    void rewrite(const model::Input& in, ast::Reply& reply) const {
        const auto* c = std::get_if<model::CommandInput>(&in);
        if (!c) return;
        if (const auto* rcpt = std::get_if<ast::Rcpt>(&c->command);
            rcpt && has(Fault::postmaster_refused) && reply.code < 300 && postmaster(*rcpt)) {
            std::optional<ast::EnhancedCode> ec;
            if (policy.enhanced_status_codes) ec = ast::EnhancedCode{5, 1, 1};
            reply = model::make_reply(550, "User unknown", ec);
        }
        if (has(Fault::enhanced_code_missing) && std::holds_alternative<ast::Mail>(c->command))
            for (ast::ReplyLine& l : reply.lines) l.enhanced.reset();
        if (!ehlo_accepted(in, reply)) return;
        // The keyword list built once per connection, before TLS.
        if (has(Fault::starttls_readvertised) && state.tls && policy.starttls && !lists(reply, "STARTTLS"))
            reply.lines.push_back(ast::ReplyLine{std::nullopt, "STARTTLS"});
        // AUTH advertised whether or not TLS is up.
        if (has(Fault::auth_cleartext) && !state.tls && !lists(reply, "AUTH")) {
            model::State tls = state;
            tls.tls = true;
            model::Response with_tls = model::respond(tls, in, policy);
            if (const auto* r = std::get_if<ast::Reply>(&with_tls))
                if (const ast::ReplyLine* auth = line_of(*r, "AUTH")) reply.lines.push_back(*auth);
        }
    }

    // The next state: observe of the reply sent, unless a fault keeps more.
    void remember(const model::Input& in, const model::Response& r) {
        model::State before = state;
        state = model::observe(state, in, r).next;
        const auto* c = std::get_if<model::CommandInput>(&in);
        const auto* reply = std::get_if<ast::Reply>(&r);
        if (!c || !reply) return;
        if (has(Fault::rset_keeps_transaction) && std::holds_alternative<ast::Rset>(c->command) &&
            model::in_transaction(before.phase)) {
            state.phase = before.phase;
            state.transaction = before.transaction;
        }
        if (has(Fault::quit_keeps_open) && std::holds_alternative<ast::Quit>(c->command) && reply->code == 221)
            state = before;
    }

    void emit(const ast::Reply& reply) {
        ++replies_in_feed;
        if (has(Fault::pipelined_reply_dropped) && replies_in_feed == 2) return;
        std::string bytes = grammar::print(reply);
        if (has(Fault::multiline_mixed_codes) && reply.lines.size() > 1 && reply.code != 220)
            bytes.replace(0, 3, "220");  // the first line written with the greeting's code
        out += bytes;
    }

    // Answers one input; the reply code, or 0 when none is due.
    unsigned answer(const model::Input& in) {
        model::Response r = respond_to(in);
        remember(in, r);
        const auto* reply = std::get_if<ast::Reply>(&r);
        if (!reply) return 0;
        emit(*reply);
        if (state.phase == Phase::closing || state.phase == Phase::closed) close = true;
        return reply->code;
    }

    // ------------------------------------------------------------ the transaction

    void begin_text() {
        envelope.content.clear();
        envelope.octets = 0;
        envelope.truncated = false;
        text_line_start = true;
        text_cr = false;
        loose = Loose::lf;
    }

    void keep_text(std::string_view text) {
        for (char c : text) {
            if (text_line_start && c == '.') {  // RFC 5321 §4.5.2: the stuffed dot is removed
                text_line_start = false;
                text_cr = false;
                continue;
            }
            text_line_start = text_cr && c == '\n';
            text_cr = c == '\r';
            ++envelope.octets;
            if (envelope.octets > config.limits.max_message) envelope.truncated = true;
            else if (config.keep_messages) envelope.content += c;
        }
    }

    void accept_message() {
        ++accepted;
        if (config.keep_messages)
            messages.push_back(Message{envelope.reverse_path, envelope.recipients, std::move(envelope.content),
                                       envelope.bdat, envelope.truncated});
        envelope = Envelope{};
    }

    // What a command's reply does to the envelope.
    void track(const model::Input& in, unsigned code) {
        const auto* c = std::get_if<model::CommandInput>(&in);
        if (!c) return;
        if (const auto* m = std::get_if<ast::Mail>(&c->command); m && code == 250) {
            envelope = Envelope{};
            envelope.reverse_path = grammar::print(m->from);
        } else if (const auto* r = std::get_if<ast::Rcpt>(&c->command); r && (code == 250 || code == 251)) {
            if (envelope.recipients.size() < 1000) envelope.recipients.push_back(grammar::print(r->to));
        } else if (std::holds_alternative<ast::Data>(c->command) && code == 354) {
            begin_text();
        }
    }

    // ------------------------------------------------------------ reading

    // Fault::lf_dot_lf_ends_data / lf_dot_crlf_ends_data: a scanner that also
    // takes a "." line after a bare LF as the end of the data; npos if it does not end.
    std::size_t loose_end(Loose& at, std::string_view bytes) const {
        const bool lf_lf = has(Fault::lf_dot_lf_ends_data);
        const bool lf_crlf = has(Fault::lf_dot_crlf_ends_data);
        if (!lf_lf && !lf_crlf) return model::npos;
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            const char c = bytes[i];
            switch (at) {
                case Loose::other: at = c == '\n' ? Loose::lf : Loose::other; break;
                case Loose::lf: at = c == '.' ? Loose::lf_dot : c == '\n' ? Loose::lf : Loose::other; break;
                case Loose::lf_dot:
                    if (c == '\n' && lf_lf) return i + 1;
                    at = c == '\r' ? Loose::lf_dot_cr : c == '\n' ? Loose::lf : Loose::other;
                    break;
                case Loose::lf_dot_cr:
                    if (c == '\n' && lf_crlf) return i + 1;
                    at = c == '\n' ? Loose::lf : Loose::other;
                    break;
            }
        }
        return model::npos;
    }

    // Message text after 354 (RFC 5321 §4.1.1.4), up to and including <CRLF>.<CRLF>.
    void read_text() {
        model::DataScan scan = state.data;
        const std::size_t end = model::end_of_data(scan, unread);
        Loose probe = loose;
        const std::size_t fake = loose_end(probe, unread);
        if (fake != model::npos && (end == model::npos || fake < end)) {
            read_text_until_lookalike(fake);
            return;
        }
        const std::size_t n = end == model::npos ? unread.size() : end;
        model::MessageText text{unread.substr(0, n)};
        unread.erase(0, n);
        keep_text(text.bytes);
        loose_end(loose, text.bytes);
        if (end != model::npos && envelope.octets >= 2 && !envelope.truncated && config.keep_messages)
            envelope.content.resize(envelope.content.size() - 2);  // the CRLF that came before "."
        const unsigned code = answer(model::Input{std::move(text)});
        if (end != model::npos && code >= 200 && code < 300) accept_message();
    }

    // The faulty scanner ended the data at a "." line after a bare LF.
    void read_text_until_lookalike(std::size_t end) {
        model::MessageText text{unread.substr(0, end)};
        unread.erase(0, end);
        keep_text(text.bytes);
        answer(model::Input{text});  // the model sees message text go on: no reply is due
        // What the buggy server believes: the line ended, and "." ended the data.
        if (config.keep_messages && !envelope.truncated) {
            std::string& content = envelope.content;
            if (!content.empty() && content.back() == '\n') content.pop_back();
            if (!content.empty() && content.back() == '\r') content.pop_back();
            if (!content.empty() && content.back() == '.') content.pop_back();
        }
        state.data.at = model::DataScan::At::line_start;
        const unsigned code = answer(model::Input{model::MessageText{".\r\n"}});
        if (code >= 200 && code < 300) accept_message();
    }

    void begin_chunk(const ast::Bdat& command) {
        Chunk c;
        c.command = command;
        c.remaining = command.size;
        // The bug lives on the error path: a chunk the server will refuse is read one
        // octet short (a chunk is judged by its command, so the answer is known now).
        if (has(Fault::bdat_wrong_octets) && c.remaining > 0) {
            const model::Response r =
                model::respond(state, model::Input{model::BdatChunk{ast::Bdat{0, command.last}, {}}}, policy);
            const auto* reply = std::get_if<ast::Reply>(&r);
            if (reply && (reply->code < 200 || reply->code >= 300)) --c.remaining;
        }
        chunk = std::move(c);
    }

    // The octets of a BDAT chunk; true once all arrived and the chunk was answered.
    bool read_chunk() {
        Chunk& c = *chunk;
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(c.remaining, unread.size()));
        if (config.keep_messages) {
            const std::size_t room = config.limits.max_message -
                                     std::min(config.limits.max_message, envelope.content.size() + c.held.size());
            c.held.append(unread, 0, std::min(n, room));
        }
        unread.erase(0, n);
        c.remaining -= n;
        c.octets += n;
        if (c.remaining > 0) return false;
        // The model judges a chunk by its command (RFC 3030 §2) and is shown the octets the server holds.
        model::BdatChunk input{ast::Bdat{c.held.size(), c.command.last}, c.held};
        const bool over = chunk_over_limit(c);
        const unsigned code = answer(model::Input{std::move(input)});
        if (code == 250) {
            envelope.bdat = true;
            envelope.octets += c.octets;
            envelope.content += c.held;
            if (c.command.last) accept_message();
        } else if (over) {
            envelope.truncated = true;
        }
        chunk.reset();
        return true;
    }

    // What the server makes of the start of an over-long line: in an AUTH
    // exchange still the client's answer (cut short), otherwise a line refused unread.
    model::Input over_long_input(std::string start) const {
        if (state.phase == Phase::auth) return server::read_line(state, std::move(start));
        return over_long_line(start, config.limits.max_line);
    }

    void read_line() {
        const std::size_t lf = unread.find('\n');
        if (lf == std::string::npos && unread.size() <= config.limits.max_line) return;
        if (lf == std::string::npos || lf + 1 > config.limits.max_line) {
            // A line longer than the server reads: skipped to its LF, then answered.
            over_long = unread.substr(0, config.limits.max_line);
            skipping = true;
            if (has(Fault::long_line_closes)) {  // the server gives up on the connection
                remember(over_long_input(over_long), model::Closed{});
                close = true;
            }
            return;
        }
        model::Input line = server::read_line(state, unread.substr(0, lf + 1));
        unread.erase(0, lf + 1);
        const std::optional<ast::Bdat> bdat = chunk_command(line);
        if (bdat) {
            begin_chunk(*bdat);
            return;
        }
        const model::State before = state;
        const unsigned code = answer(line);
        track(line, code);
        if (state.phase == Phase::tls_pending && before.phase != Phase::tls_pending) before_tls = before;
    }

    void pump() {
        while (!close) {
            if (state.phase == Phase::tls_pending) {
                // RFC 3207 §4.2: cleartext pipelined after STARTTLS is discarded.
                if (has(Fault::starttls_injection)) {
                    const std::size_t room = config.limits.max_pending_input -
                                             std::min(config.limits.max_pending_input, pipelined_in_tls.size());
                    pipelined_in_tls.append(unread, 0, std::min(room, unread.size()));
                }
                unread.clear();
                return;
            }
            if (chunk) {
                if (!read_chunk()) return;
                continue;
            }
            if (unread.empty()) return;
            if (state.phase == Phase::data) {
                read_text();
                continue;
            }
            if (skipping) {
                const std::size_t lf = unread.find('\n');
                unread.erase(0, lf == std::string::npos ? unread.size() : lf + 1);
                if (lf == std::string::npos) continue;
                skipping = false;
                answer(over_long_input(std::exchange(over_long, std::string())));
                continue;
            }
            const std::size_t size = unread.size();
            read_line();
            if (unread.size() == size && !close && !skipping) return;  // a partial line: wait for more
        }
        unread.clear();
    }
};

Core::Core(Config config, bool tls) : impl_(std::make_shared<Impl>(std::move(config), tls)) {}

void Core::open() {
    Impl& m = *impl_;
    if (m.opened) return;
    m.opened = true;
    m.answer(model::ConnectionOpened{m.config.profile, m.implicit_tls});
    std::string early = std::move(m.early);
    m.early.clear();
    if (!early.empty()) feed(early);
}

void Core::feed(std::string_view bytes) {
    Impl& m = *impl_;
    if (!m.opened) {
        const std::size_t room = m.config.limits.max_pending_input -
                                 std::min(m.config.limits.max_pending_input, m.early.size());
        m.early.append(bytes.substr(0, room));
        return;
    }
    m.replies_in_feed = 0;
    while (!bytes.empty() && !m.close) {
        const std::size_t n = std::min(bytes.size(), feed_slice);
        m.unread.append(bytes.substr(0, n));
        bytes.remove_prefix(n);
        m.pump();
    }
}

std::string Core::take_output() { return std::exchange(impl_->out, std::string()); }
bool Core::has_output() const { return !impl_->out.empty(); }

bool Core::wants_tls() const { return impl_->state.phase == Phase::tls_pending; }

void Core::tls_established() {
    Impl& m = *impl_;
    if (m.state.phase != Phase::tls_pending) return;
    m.answer(model::TlsEstablished{});
    if (m.has(Fault::no_reset_after_starttls)) {
        m.state = m.before_tls;  // the session goes on as it was, now inside TLS
        m.state.tls = true;
    }
    m.unread.clear();
    m.replies_in_feed = 0;
    if (m.has(Fault::starttls_injection) && !m.pipelined_in_tls.empty()) {
        m.unread = std::exchange(m.pipelined_in_tls, std::string());
        m.pump();
    }
}

bool Core::should_close() const {
    const Impl& m = *impl_;
    return m.close || m.state.phase == Phase::closing || m.state.phase == Phase::closed;
}

void Core::shutdown(std::string_view reason) {
    Impl& m = *impl_;
    if (m.close || m.state.phase == Phase::closed) return;
    // RFC 5321 §3.8: 421 "asynchronously from command receipt", then the server closes.
    m.out += "421 4.3.2 " + reply_text(reason) + "\r\n";
    m.state.phase = Phase::closing;
    m.close = true;
    m.unread.clear();
    m.chunk.reset();
}

void Core::client_closed() {
    Impl& m = *impl_;
    if (m.state.phase != Phase::closed && m.opened) m.remember(model::ClientClosed{}, model::Silence{});
    m.state.phase = Phase::closed;
    m.close = true;
    m.unread.clear();
    m.chunk.reset();
}

std::vector<Message> Core::take_messages() { return std::exchange(impl_->messages, {}); }
std::uint64_t Core::messages_accepted() const { return impl_->accepted; }
const model::State& Core::state() const { return impl_->state; }
const Config& Core::config() const { return impl_->config; }

}  // namespace smtpspec::conformance::server
