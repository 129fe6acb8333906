#include "smtpspec/conformance/session.hpp"

#include <algorithm>
#include <chrono>

#include "smtpspec/grammar/print.hpp"

namespace smtpspec::conformance {

std::string to_string(ReplyOutcome::Kind k) {
    switch (k) {
        case ReplyOutcome::Kind::reply: return "reply";
        case ReplyOutcome::Kind::closed: return "closed";
        case ReplyOutcome::Kind::timeout: return "timeout";
        case ReplyOutcome::Kind::malformed: return "malformed";
        case ReplyOutcome::Kind::failed: return "failed";
    }
    return "?";
}

Session::Session(std::unique_ptr<Connection> connection, SessionOptions options)
    : connection_(std::move(connection)),
      options_(options),
      reader_(std::make_unique<grammar::ReplyReader>(options.reply_options)),
      transcript_(options.transcript_bytes) {
    if (options_.implicit_tls) transcript_.tls_started(true);
}

Session::~Session() { close(); }

std::unique_ptr<Session> Session::open(const Target& target, const ConnectOptions& connect_options,
                                       SessionOptions options, IoResult& result) {
    Connected c = connect(target, connect_options);
    result = c.result;
    if (!c.connection) return nullptr;
    options.implicit_tls = target.kind == Target::Kind::tls;
    auto s = std::make_unique<Session>(std::move(c.connection), options);
    s->host_ = target.host;
    return s;
}

IoResult Session::send(std::string_view bytes) {
    if (closed_) return {IoStatus::closed, "send: the session is closed"};
    transcript_.client(bytes, connection_->tls_active());
    IoResult r = connection_->write(bytes, options_.timeout);
    if (!r.ok()) transcript_.note("the write above failed: " + r.message);
    return r;
}

IoResult Session::send_command(const grammar::ast::Command& command) { return send(grammar::print(command)); }

ReplyOutcome Session::read_reply() { return read_reply(options_.timeout); }

ReplyOutcome Session::next_event() {
    grammar::ReplyReader::Event ev = reader_->next();
    ReplyOutcome o;
    if (auto* c = std::get_if<grammar::ReplyReader::Complete>(&ev)) {
        o.kind = ReplyOutcome::Kind::reply;
        o.reply = std::move(c->reply);
        o.raw = std::move(c->raw);
        o.deviations = std::move(c->deviations);
        transcript_.reply_seen(o.reply->code);
        return o;
    }
    if (auto* f = std::get_if<grammar::ReplyReader::Failed>(&ev)) {
        o.kind = ReplyOutcome::Kind::malformed;
        o.raw = std::move(f->raw);
        o.message = "malformed reply: " + f->error.message;
        o.error = std::move(f->error);
        if (reader_->failed()) {
            // A limit failure: the stream cannot be re-synchronised, so nothing more is read.
            ReplyOutcome t = o;
            t.raw.clear();
            t.message = "no more replies can be read after: " + o.message;
            terminal_ = std::move(t);
            transcript_.note(o.message);
        }
        return o;
    }
    o.kind = ReplyOutcome::Kind::timeout;  // NeedMore
    return o;
}

std::string Session::unreturned_bytes() const {
    std::size_t want = reader_->buffered();
    if (want == 0 || transcript_.dropped_bytes() > 0) return {};
    std::string tail;
    const auto& events = transcript_.events();
    for (auto e = events.rbegin(); e != events.rend() && tail.size() < want; ++e)
        if (e->kind == TranscriptEvent::Kind::data && e->direction == Direction::server) tail.insert(0, e->bytes);
    return tail.substr(tail.size() - std::min(want, tail.size()));
}

ReplyOutcome Session::connection_failed(IoResult io) {
    ReplyOutcome o;
    o.io = io;
    o.raw = unreturned_bytes();
    const bool partial = reader_->buffered() > 0;
    if (io.status == IoStatus::eof || io.status == IoStatus::reset) {
        o.kind = ReplyOutcome::Kind::closed;
        o.closed_how = partial                          ? ReplyOutcome::Close::mid_reply
                       : io.status == IoStatus::reset ? ReplyOutcome::Close::reset
                                                       : ReplyOutcome::Close::eof;
        std::string how = io.status == IoStatus::reset ? "reset the connection" : "closed the connection";
        o.message = partial ? "the server " + how + " in the middle of a reply (" +
                                  std::to_string(reader_->buffered()) + " bytes of it received)"
                            : "the server " + how;
        transcript_.server_closed(o.message);
    } else {
        o.kind = ReplyOutcome::Kind::failed;
        o.message = io.message;
        transcript_.note("the connection failed: " + io.message);
    }
    terminal_ = o;
    return o;
}

ReplyOutcome Session::read_reply(Duration timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto timed_out = [&] {
        ReplyOutcome o;
        o.kind = ReplyOutcome::Kind::timeout;
        o.io = {IoStatus::timeout, "no complete reply within " + std::to_string(timeout.count()) + " ms"};
        o.message = o.io.message;
        o.raw = unreturned_bytes();
        if (reader_->buffered() > 0)
            o.message += " (" + std::to_string(reader_->buffered()) + " bytes of an incomplete reply received)";
        return o;
    };
    for (;;) {
        if (!terminal_ || terminal_->kind == ReplyOutcome::Kind::closed) {
            // Replies received before a close are still returned, in order.
            ReplyOutcome o = next_event();
            if (o.kind != ReplyOutcome::Kind::timeout) return o;
        }
        if (terminal_) return *terminal_;
        if (closed_) {
            ReplyOutcome o;
            o.kind = ReplyOutcome::Kind::failed;
            o.io = {IoStatus::closed, "read: the session is closed"};
            o.message = o.io.message;
            return o;
        }
        auto left = std::chrono::duration_cast<Duration>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return timed_out();
        std::string chunk;
        IoResult io = connection_->read(chunk, options_.read_chunk, left);
        if (!chunk.empty()) {
            transcript_.server(chunk, connection_->tls_active());
            reader_->feed(chunk);
        }
        if (io.ok()) continue;
        ReplyOutcome o = next_event();
        if (o.kind != ReplyOutcome::Kind::timeout) {
            if (io.status != IoStatus::timeout && !terminal_) connection_failed(io);
            return o;
        }
        if (io.status == IoStatus::timeout) return timed_out();
        return connection_failed(io);
    }
}

std::vector<ReplyOutcome> Session::read_replies(Duration quiet, std::size_t max_replies) {
    std::vector<ReplyOutcome> out;
    while (out.size() < max_replies) {
        out.push_back(read_reply(quiet));
        if (!out.back().ok()) break;
    }
    return out;
}

IoResult Session::start_tls(const TlsOptions& options) { return start_tls(options, options_.timeout); }

IoResult Session::start_tls(const TlsOptions& options, Duration timeout) {
    if (closed_) return {IoStatus::closed, "STARTTLS: the session is closed"};
    // RFC 3207 §4.2: the client MUST discard any knowledge obtained from the
    // server before the handshake; bytes already received are kept aside.
    discarded_.clear();
    for (;;) {
        ReplyOutcome o = next_event();
        if (o.kind == ReplyOutcome::Kind::timeout) break;
        discarded_ += o.raw;
    }
    discarded_ += unreturned_bytes();
    if (!discarded_.empty())
        transcript_.note("discarded " + std::to_string(discarded_.size()) +
                         " bytes the server sent before the TLS handshake and that no command asked for");
    TlsOptions tls = options;
    if (tls.host.empty()) tls.host = host_;
    IoResult r = connection_->start_tls(tls, timeout);
    reader_ = std::make_unique<grammar::ReplyReader>(options_.reply_options);
    terminal_.reset();
    if (r.ok()) {
        transcript_.tls_started(false);
    } else {
        transcript_.note(r.message);
        if (r.status != IoStatus::unsupported) {
            ReplyOutcome o;
            o.kind = ReplyOutcome::Kind::failed;
            o.io = r;
            o.message = r.message;
            terminal_ = o;
        }
    }
    return r;
}

void Session::close() {
    if (closed_) return;
    closed_ = true;
    if (connection_) connection_->close();
    if (!terminal_ || terminal_->kind != ReplyOutcome::Kind::closed) transcript_.client_closed();
}

}  // namespace smtpspec::conformance
