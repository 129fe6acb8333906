#include "serve/client_connection.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <utility>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>

namespace smtpspec::conformance::serve {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr std::size_t max_read_chunk = 64 * 1024;

bool client_went_away(const error_code& ec) {
    return ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

std::string describe(const error_code& ec) {
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) return "client closed the connection";
    if (ec == asio::error::connection_reset) return "connection reset by the client";
    if (ec == asio::error::broken_pipe) return "client closed before reading the replies";
    return ec.message();
}

std::string peer_of(const asio::ip::tcp::socket& socket) {
    error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (ec) return "unknown-peer";
    std::string host = ep.address().to_string();
    if (ep.address().is_v6()) host = "[" + host + "]";
    return host + ":" + std::to_string(ep.port());
}

}  // namespace

std::string SessionReport::line() const {
    char seconds[32];
    double const us = static_cast<double>(duration.count());
    if (us < 1e6)
        std::snprintf(seconds, sizeof seconds, "%.1fms", us / 1e3);
    else
        std::snprintf(seconds, sizeof seconds, "%.3fs", us / 1e6);
    return "session " + peer + " " + std::string(model::to_string(profile)) + " " + seconds + " " +
           std::to_string(replies) + (replies == 1 ? " reply " : " replies ") + std::to_string(messages) +
           (messages == 1 ? " message " : " messages ") + (tls ? "tls" : "plain") + ": " + ended;
}

ClientConnection::ClientConnection(asio::ip::tcp::socket socket, std::shared_ptr<const ConnectionSettings> settings,
                                   Finished finished)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      settings_(std::move(settings)),
      finished_(std::move(finished)),
      buffer_(std::clamp<std::size_t>(settings_->read_chunk, 512, max_read_chunk)),
      peer_(peer_of(socket_)),
      started_(std::chrono::steady_clock::now()) {}

ClientConnection::~ClientConnection() = default;

// A bug in the core must end one session, not the server.
template <typename F>
bool ClientConnection::guarded(F&& f) {
    try {
        std::forward<F>(f)();
        return true;
    } catch (const std::exception& e) {
        end_as(std::string("internal error: ") + e.what());
    } catch (...) {
        end_as("internal error");
    }
    finish();
    return false;
}

void ClientConnection::start() {
    bool const implicit = settings_->config.profile == model::Profile::submissions;
    if (!guarded([&] { core_.emplace(settings_->config, implicit); })) return;
    if (implicit) {
        start_handshake();
        return;
    }
    if (!guarded([&] { core_->open(); })) return;
    opened_ = true;
    pump();
}

void ClientConnection::stop(std::string_view reason) {
    if (done_ || closing_ || stopping_) return;
    stopping_ = true;
    if (!opened_ || handshaking_) {
        end_as("server stopping");
        finish();
        return;
    }
    if (!guarded([&] { core_->shutdown(reason); })) return;
    if (writing_) arm(wait_limit());  // a client that does not read must not hold up the stop
    pump();
}

// How long the server waits for the client: the idle timeout, or once the
// server is stopping only as long as a close may take.
std::chrono::milliseconds ClientConnection::wait_limit() const {
    return stopping_ ? std::min(settings_->close_timeout, settings_->idle_timeout) : settings_->idle_timeout;
}

// The one place that decides what happens next.
void ClientConnection::pump() {
    if (done_ || closing_ || handshaking_) return;
    if (!writing_ && core_->has_output()) start_write();
    if (writing_) return;
    if (core_->should_close()) {
        start_close();
        return;
    }
    if (core_->wants_tls()) {
        if (tls_) {
            end_as("internal error: a second TLS handshake was asked for");
            finish();
            return;
        }
        if (reading_) return;  // cannot happen: the core asks for TLS only after a read
        start_handshake();
        return;
    }
    if (!reading_) start_read();
}

void ClientConnection::start_read() {
    reading_ = true;
    if (!writing_) arm(wait_limit());
    auto self = shared_from_this();
    auto handler = [self](const error_code& ec, std::size_t n) { self->on_read(ec, n); };
    if (tls_)
        tls_stream_->async_read_some(asio::buffer(buffer_), handler);
    else
        socket_.async_read_some(asio::buffer(buffer_), handler);
}

void ClientConnection::on_read(const error_code& ec, std::size_t n) {
    reading_ = false;
    if (done_) return;
    if (closing_) {  // the read was cancelled so that the closing can go on
        continue_close();
        return;
    }
    if (ec) {
        end_as(client_went_away(ec) ? describe(ec) : "read failed: " + describe(ec));
        guarded([&] { core_->client_closed(); });
        finish();
        return;
    }
    if (core_->should_close()) {  // 421 is queued or written: what the client sent now is not read
        pump();
        return;
    }
    bool const ok = guarded([&] {
        core_->feed(std::string_view(buffer_.data(), n));
        if (settings_->config.keep_messages)
            for (server::Message& m : core_->take_messages())
                if (settings_->on_message) settings_->on_message(std::move(m));
    });
    if (ok) pump();
}

void ClientConnection::start_write() {
    out_ = core_->take_output();
    count_replies(out_);
    writing_ = true;
    arm(wait_limit());
    auto self = shared_from_this();
    auto handler = [self](const error_code& ec, std::size_t) { self->on_write(ec); };
    if (tls_)
        asio::async_write(*tls_stream_, asio::buffer(out_), handler);
    else
        asio::async_write(socket_, asio::buffer(out_), handler);
}

void ClientConnection::on_write(const error_code& ec) {
    writing_ = false;
    if (done_) return;
    if (ec) {
        end_as(client_went_away(ec) ? describe(ec) : "write failed: " + describe(ec));
        guarded([&] { core_->client_closed(); });
        finish();
        return;
    }
    out_.clear();
    out_.shrink_to_fit();
    if (reading_) arm(wait_limit());
    pump();
}

void ClientConnection::start_handshake() {
    handshaking_ = true;
    arm(settings_->handshake_timeout);
    if (!settings_->tls) {
        end_as("internal error: TLS asked for with no certificate");
        finish();
        return;
    }
    tls_stream_.emplace(socket_, *settings_->tls);
    auto self = shared_from_this();
    tls_stream_->async_handshake(asio::ssl::stream_base::server,
                                 [self](const error_code& ec) { self->on_handshake(ec); });
}

void ClientConnection::on_handshake(const error_code& ec) {
    handshaking_ = false;
    if (done_) return;
    if (ec) {
        end_as("TLS handshake failed: " + ec.message());
        guarded([&] { core_->client_closed(); });
        finish();
        return;
    }
    tls_ = true;
    bool const ok = guarded([&] {
        if (opened_) {
            core_->tls_established();
        } else {
            core_->open();
            opened_ = true;
        }
    });
    if (ok) pump();
}

// After the last reply: close our side and let the client see it (RFC 5321
// §3.8: the server closes after 221 or 421).
void ClientConnection::start_close() {
    closing_ = true;
    arm(settings_->close_timeout);
    if (reading_) {
        error_code ignored;
        socket_.cancel(ignored);  // on_read goes on with continue_close
        return;
    }
    continue_close();
}

void ClientConnection::continue_close() {
    if (done_) return;
    auto self = shared_from_this();
    if (tls_) {
        tls_stream_->async_shutdown([self](const error_code&) { self->finish(); });
        return;
    }
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    drain();
}

// Reads and drops what the client still sends until it closes or the close deadline passes.
void ClientConnection::drain() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buffer_), [self](const error_code& ec, std::size_t) {
        if (self->done_) return;
        if (ec)
            self->finish();
        else
            self->drain();
    });
}

void ClientConnection::finish() {
    if (done_) return;
    done_ = true;
    ++timer_generation_;
    timer_.cancel();
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);

    if (ended_.empty()) {
        if (last_code_ == "221")
            ended_ = "client quit (221)";
        else if (last_code_ == "421")
            ended_ = idle_expired_ ? "idle timeout (421)" : stopping_ ? "server stopping (421)" : "server closed (421)";
        else if (!last_code_.empty())
            ended_ = "server closed after " + last_code_;
        else
            ended_ = "closed";
    }
    if (settings_->on_end) {
        SessionReport r;
        r.peer = peer_;
        r.profile = settings_->config.profile;
        r.duration =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_);
        r.replies = replies_;
        r.messages = core_ ? core_->messages_accepted() : 0;
        r.tls = tls_;
        r.ended = ended_;
        settings_->on_end(r);
    }
    if (finished_) {
        Finished f = std::move(finished_);
        finished_ = nullptr;
        f(this);
    }
}

void ClientConnection::arm(std::chrono::milliseconds after) {
    std::uint64_t const generation = ++timer_generation_;
    timer_.expires_after(after);
    auto self = shared_from_this();
    timer_.async_wait([self, generation](const error_code& ec) {
        if (ec || self->done_ || generation != self->timer_generation_) return;
        self->on_deadline();
    });
}

void ClientConnection::on_deadline() {
    if (closing_) {
        if (ended_.empty() && last_code_ != "221" && last_code_ != "421") end_as("closed (close deadline passed)");
        finish();
        return;
    }
    if (handshaking_) {
        end_as("TLS handshake timed out");
        finish();
        return;
    }
    if (writing_) {
        end_as("write timed out: the client does not read the replies");
        finish();
        return;
    }
    if (reading_ && !idle_expired_) {
        idle_expired_ = true;
        if (!guarded([&] { core_->shutdown("idle timeout"); })) return;
        pump();
        return;
    }
    end_as("timed out");
    finish();
}

void ClientConnection::end_as(std::string how) {
    if (ended_.empty()) ended_ = std::move(how);
}

// A reply ends with a line whose fourth octet is not '-' (RFC 5321 §4.2.1).
void ClientConnection::count_replies(std::string_view bytes) {
    for (char c : bytes) {
        if (c == '\n') {
            column_ = 0;
            line_code_.clear();
            continue;
        }
        if (column_ < 3) line_code_ += c;
        if (column_ == 3 && c != '-') {
            ++replies_;
            last_code_ = line_code_;
        }
        ++column_;
    }
}

}  // namespace smtpspec::conformance::serve
