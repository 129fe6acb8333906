// A session judged as it goes (probe.hpp).
#include "smtpspec/conformance/probe.hpp"

#include <algorithm>

#include "smtpspec/grammar/print.hpp"
#include "smtpspec/model/input.hpp"

namespace smtpspec::conformance {

namespace ast = grammar::ast;

void stop_skip(std::string reason) { throw CheckStop{Verdict::skip, std::move(reason)}; }
void stop_error(std::string reason) { throw CheckStop{Verdict::error, std::move(reason)}; }

namespace {

constexpr Duration default_quiet{1500};

// "250 2.0.0 Ok" for a message: the first line of a reply.
std::string first_line(const ast::Reply& r) {
    std::string out = std::to_string(r.code);
    if (!r.lines.empty()) {
        const ast::ReplyLine& l = r.lines.front();
        if (l.enhanced) out += " " + grammar::print(*l.enhanced);
        if (!l.text.empty()) out += " " + l.text;
    }
    return out;
}

std::string base64(std::string_view in) {
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += table[(v >> 6) & 63];
        out += table[v & 63];
    }
    if (i + 1 == in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += table[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

}  // namespace

Probe::Probe(std::unique_ptr<Session> session, model::ConnectionOpened opened, const RunOptions& options,
             std::string tls_host)
    : session_(std::move(session)), options_(options), tls_host_(std::move(tls_host)), judge_(opened) {}

Probe::~Probe() {
    if (!session_->closed()) close();
}

std::size_t Probe::mark() const { return session_->transcript().events().size(); }

ReplyOutcome Probe::judged(ReplyOutcome outcome) {
    const std::size_t at = mark();
    switch (outcome.kind) {
        case ReplyOutcome::Kind::reply: judge_.response(at, model::Response{*outcome.reply}, outcome.deviations); break;
        case ReplyOutcome::Kind::malformed:
            judge_.response(at, model::Response{model::MalformedReply{
                                    outcome.raw, outcome.error.value_or(grammar::ParseError{})}});
            break;
        case ReplyOutcome::Kind::timeout: judge_.silence(at); break;
        case ReplyOutcome::Kind::closed:
        case ReplyOutcome::Kind::failed:
            if (judge_.state().phase != model::Phase::closed) judge_.server_closed(at);
            break;
    }
    return outcome;
}

ast::Reply Probe::need(ReplyOutcome outcome, std::string_view what) {
    if (outcome.ok()) return *outcome.reply;
    std::string reason = "no reply to " + std::string(what) + ": " + outcome.message;
    stop_error(std::move(reason));
}

const ast::Reply& Probe::greeting() {
    if (greeting_) return *greeting_;
    greeting_ = need(read(), "the connection (the greeting)");
    if (greeting_->code == 554) stop_skip("the server refuses sessions from this client: " + first_line(*greeting_));
    if (greeting_->code != 220) stop_error("the greeting is " + first_line(*greeting_) + ", not 220");
    return *greeting_;
}

IoResult Probe::send(std::string_view bytes) {
    judge_.client(mark(), std::string(bytes));
    return session_->send(bytes);
}

ReplyOutcome Probe::read() {
    if (session_->closed() && judge_.state().phase == model::Phase::closed) {
        ReplyOutcome o;
        o.kind = ReplyOutcome::Kind::closed;
        o.message = "the connection is closed";
        return o;
    }
    return judged(session_->read_reply(options_.timeout));
}

ReplyOutcome Probe::try_command(std::string_view line) {
    std::string bytes(line);
    bytes += "\r\n";
    IoResult io = send(bytes);
    if (!io.ok()) {
        ReplyOutcome o;
        o.kind = ReplyOutcome::Kind::failed;
        o.io = io;
        o.message = "could not send: " + io.message;
        return judged(std::move(o));
    }
    return read();
}

ast::Reply Probe::command(std::string_view line) {
    std::string what(line.substr(0, std::min<std::size_t>(line.size(), 40)));
    if (what.size() < line.size()) what += "...";
    return need(try_command(line), what);
}

ast::Reply Probe::ehlo() {
    ast::Reply r = command("EHLO " + options_.ehlo_domain);
    if (r.code != 250) stop_error("EHLO was answered " + first_line(r) + ", not 250");
    return r;
}

ast::Reply Probe::helo() {
    ast::Reply r = command("HELO " + options_.ehlo_domain);
    if (r.code != 250) stop_error("HELO was answered " + first_line(r) + ", not 250");
    return r;
}

void Probe::envelope(std::optional<std::string> from) {
    std::string reverse = from ? *from : options_.mail_from ? "<" + *options_.mail_from + ">" : std::string("<>");
    if (!options_.rcpt) stop_skip("needs a recipient: give --rcpt ADDRESS (a mailbox that accepts test mail)");
    ast::Reply m = command("MAIL FROM:" + reverse);
    if (m.code != 250) stop_error("MAIL FROM:" + reverse + " was answered " + first_line(m) + ", not 250");
    ast::Reply r = command("RCPT TO:<" + *options_.rcpt + ">");
    if (r.code != 250 && r.code != 251)
        stop_error("RCPT TO:<" + *options_.rcpt + "> was answered " + first_line(r) + ", not 250");
}

ast::Reply Probe::data(std::string_view content) {
    ast::Reply r = command("DATA");
    if (r.code != 354) stop_error("DATA was answered " + first_line(r) + ", not 354");
    std::string bytes(content);
    bytes += "\r\n.\r\n";
    send(bytes);
    return need(read(), "the end of data");
}

ast::Reply Probe::starttls(bool require) {
    if (require && !advertises("STARTTLS")) stop_skip("the server does not advertise STARTTLS");
    ast::Reply r = command("STARTTLS");
    if (r.code != 220) return r;
    handshake();
    return r;
}

void Probe::handshake() { handshake(options_.tls_verify); }

void Probe::handshake(bool verify_fatal) {
    TlsOptions tls;
    tls.host = tls_host_;
    tls.verify_fatal = verify_fatal;
    IoResult io = session_->start_tls(tls, options_.timeout);
    // The transport has no TLS (exec: is a pipe): the check cannot apply, as in process.
    if (io.status == IoStatus::unsupported) stop_skip(io.message);
    if (!io.ok()) stop_error("the TLS handshake after 220 to STARTTLS failed: " + io.message);
    judge_.tls(mark());
}

ast::Reply Probe::auth_plain(std::string_view user, std::string_view password) {
    std::string message;
    message += '\0';
    message += user;
    message += '\0';
    message += password;
    return command("AUTH PLAIN " + base64(message));
}

void Probe::ready_for_mail() {
    ehlo();
    if (options_.profile == model::Profile::relay) return;
    if (!tls() && advertises("STARTTLS")) {
        starttls();
        ehlo();
    }
    if (!options_.credentials)
        stop_skip("needs credentials: give --user USER and --password-file FILE (or SMTPSPEC_PASSWORD); "
                  "submission requires AUTH before MAIL (RFC 6409 §4.3)");
    ast::Reply r = auth_plain(options_.credentials->user, options_.credentials->password);
    if (r.code != 235) stop_error("AUTH PLAIN with the given credentials was answered " + first_line(r) + ", not 235");
}

std::vector<ReplyOutcome> Probe::read_pending() {
    std::vector<ReplyOutcome> out;
    while (judge_.reply_due(mark())) {
        ReplyOutcome o = read();
        bool ok = o.ok();
        out.push_back(std::move(o));
        if (!ok) break;
    }
    return out;
}

std::vector<ReplyOutcome> Probe::drain() { return drain(std::min(default_quiet, options_.timeout)); }

std::vector<ReplyOutcome> Probe::drain(Duration quiet) {
    // Inputs that expect no reply stay waiting: a reply that comes now is judged
    // against the first of them (e.g. a reply to message text before its end).
    std::vector<ReplyOutcome> out;
    for (ReplyOutcome& o : session_->read_replies(quiet)) {
        if (o.kind == ReplyOutcome::Kind::timeout) break;
        out.push_back(judged(std::move(o)));
        if (!out.back().ok()) break;
    }
    return out;
}

void Probe::quit() {
    if (session_->closed()) return;
    const model::Phase phase = judge_.state().phase;
    if (phase != model::Phase::closed && phase != model::Phase::closing && phase != model::Phase::data &&
        phase != model::Phase::auth && phase != model::Phase::tls_pending) {
        ReplyOutcome o = try_command("QUIT");
        if (o.ok() && o.code() == 221) {
            // The server closes next (RFC 5321 §4.1.1.10); see that it does.
            ReplyOutcome end = session_->read_reply(std::min(default_quiet, options_.timeout));
            if (end.kind == ReplyOutcome::Kind::closed || end.kind == ReplyOutcome::Kind::failed) judged(std::move(end));
        }
    }
    close();
}

void Probe::close() {
    if (judge_.state().phase != model::Phase::closed) judge_.client_closed(mark());
    session_->close();
}

const model::State& Probe::state() const { return judge_.state(); }

bool Probe::advertises(std::string_view keyword) const {
    std::string k(keyword);
    for (char& c : k)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    const grammar::Capabilities& caps = judge_.state().capabilities;
    if (k.starts_with("AUTH="))
        return std::find(caps.auth_mechanisms.begin(), caps.auth_mechanisms.end(), k.substr(5)) !=
               caps.auth_mechanisms.end();
    if (k == "PIPELINING") return caps.pipelining;
    if (k == "STARTTLS") return caps.starttls;
    if (k == "8BITMIME") return caps.eight_bit_mime;
    if (k == "SMTPUTF8") return caps.smtputf8;
    if (k == "CHUNKING") return caps.chunking;
    if (k == "BINARYMIME") return caps.binary_mime;
    if (k == "ENHANCEDSTATUSCODES") return caps.enhanced_status_codes;
    if (k == "DSN") return caps.dsn;
    if (k == "SIZE") return caps.size;
    if (k == "AUTH") return caps.auth;
    return false;
}

const grammar::Capabilities& Probe::capabilities() const { return judge_.state().capabilities; }

bool Probe::tls() const { return judge_.state().tls; }

const std::vector<model::TranscriptFinding>& Probe::findings() const { return judge_.findings(); }

std::vector<model::RuleId> Probe::checked_rules() const { return judge_.checked(); }

}  // namespace smtpspec::conformance
