#include "asio_connection.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "tls_detail.hpp"

extern char** environ;

namespace smtpspec::conformance {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

std::string to_string(IoStatus s) {
    switch (s) {
        case IoStatus::ok: return "ok";
        case IoStatus::timeout: return "timeout";
        case IoStatus::eof: return "eof";
        case IoStatus::reset: return "reset";
        case IoStatus::refused: return "refused";
        case IoStatus::unresolved: return "unresolved";
        case IoStatus::tls_failed: return "tls-failed";
        case IoStatus::unsupported: return "unsupported";
        case IoStatus::closed: return "closed";
        case IoStatus::error: return "error";
    }
    return "?";
}

namespace {

std::string millis(Duration d) { return std::to_string(d.count()) + " ms"; }

IoResult from_error(const error_code& ec, const std::string& what) {
    if (ec == asio::error::eof) return {IoStatus::eof, what + ": the peer closed the connection"};
    if (ec == ssl::error::stream_truncated)
        return {IoStatus::eof, what + ": the peer closed the connection without a TLS close_notify"};
    if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
        ec == asio::error::connection_aborted)
        return {IoStatus::reset, what + ": " + ec.message()};
    if (ec == asio::error::connection_refused) return {IoStatus::refused, what + ": " + ec.message()};
    if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
        ec == asio::error::no_data)
        return {IoStatus::unresolved, what + ": " + ec.message()};
    if (ec.category() == asio::error::get_ssl_category())
        return {IoStatus::tls_failed, what + ": " + ec.message()};
    return {IoStatus::error, what + ": " + ec.message()};
}

// Runs `io` until `done` or the deadline. Returns false on timeout, after
// `cancel` has made the operation complete (its handler has run).
template <class Cancel>
bool run_until_done(asio::io_context& io, const bool& done, Duration timeout, Cancel cancel) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    io.restart();
    while (!done && io.run_one_until(deadline) > 0) {
    }
    if (done) return true;
    cancel();
    io.restart();
    while (!done && io.run_one() > 0) {
    }
    return false;
}

// One read or write run against a deadline: `start(handler)` begins it, and
// the context runs until the handler has run or `timeout` passed (`cancel` then
// makes it complete). `bytes` is what the operation moved, in time or not.
struct Timed {
    bool in_time = false;
    error_code ec;
    std::size_t bytes = 0;
};

template <class Start, class Cancel>
Timed timed(asio::io_context& io, Duration timeout, Start start, Cancel cancel) {
    Timed t;
    bool done = false;
    start([&t, &done](const error_code& e, std::size_t n) {
        t.ec = e;
        t.bytes = n;
        done = true;
    });
    t.in_time = run_until_done(io, done, timeout, cancel);
    return t;
}

// Writing to a pipe whose reader has gone must give EPIPE, not kill the process.
void ignore_sigpipe() {
    static std::once_flag once;
    std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

}  // namespace

// ---------------------------------------------------------------- TCP and TLS

TcpConnection::TcpConnection() { plain_.emplace(io_); }

TcpConnection::~TcpConnection() { close(); }

tcp::socket& TcpConnection::socket() { return tls_ ? tls_->next_layer() : *plain_; }

void TcpConnection::cancel() {
    error_code ignored;
    socket().cancel(ignored);
}

IoResult TcpConnection::connect(const std::string& host, std::uint16_t port, Duration timeout) {
    auto start = std::chrono::steady_clock::now();
    tcp::resolver resolver(io_);
    bool done = false;
    error_code ec;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(host, std::to_string(port), [&](const error_code& e, tcp::resolver::results_type r) {
        ec = e;
        endpoints = std::move(r);
        done = true;
    });
    if (!run_until_done(io_, done, timeout, [&] { resolver.cancel(); }))
        return {IoStatus::timeout, "resolving " + host + " took longer than " + millis(timeout)};
    if (ec) return from_error(ec, "cannot resolve " + host);

    auto left = std::chrono::duration_cast<Duration>(timeout - (std::chrono::steady_clock::now() - start));
    if (left.count() <= 0) left = Duration{1};
    done = false;
    asio::async_connect(*plain_, endpoints, [&](const error_code& e, const tcp::endpoint&) {
        ec = e;
        done = true;
    });
    std::string where = host + " port " + std::to_string(port);
    if (!run_until_done(io_, done, left, [&] {
            error_code ignored;
            plain_->close(ignored);
        })) {
        unusable_ = "the connection was never made";
        return {IoStatus::timeout, "connecting to " + where + " took longer than " + millis(timeout)};
    }
    if (ec) {
        unusable_ = "the connection was never made";
        return from_error(ec, "cannot connect to " + where);
    }
    error_code ignored;
    plain_->set_option(tcp::no_delay(true), ignored);
    return {};
}

IoResult TcpConnection::write(std::string_view bytes, Duration timeout) {
    if (closed_) return {IoStatus::closed, "write: the connection is closed"};
    if (!unusable_.empty()) return {IoStatus::closed, "write: " + unusable_};
    if (!write_broken_.empty()) return {IoStatus::closed, "write: " + write_broken_};
    Timed t = timed(
        io_, timeout,
        [&](auto handler) {
            if (tls_) asio::async_write(*tls_, asio::buffer(bytes.data(), bytes.size()), handler);
            else asio::async_write(*plain_, asio::buffer(bytes.data(), bytes.size()), handler);
        },
        [&] { cancel(); });
    if (!t.in_time) {
        write_broken_ = "a write did not complete within " + millis(timeout);
        return {IoStatus::timeout, "write: the peer did not take " + std::to_string(bytes.size()) + " bytes within " +
                                       millis(timeout)};
    }
    if (t.ec) {
        write_broken_ = "an earlier write failed";
        return from_error(t.ec, "write");
    }
    return {};
}

IoResult TcpConnection::read(std::string& out, std::size_t max, Duration timeout) {
    if (closed_) return {IoStatus::closed, "read: the connection is closed"};
    if (!unusable_.empty()) return {IoStatus::closed, "read: " + unusable_};
    std::string buffer(std::max<std::size_t>(max, 1), '\0');
    Timed t = timed(
        io_, timeout,
        [&](auto handler) {
            if (tls_) tls_->async_read_some(asio::buffer(buffer), handler);
            else plain_->async_read_some(asio::buffer(buffer), handler);
        },
        [&] { cancel(); });
    out.append(buffer, 0, t.bytes);
    if (!t.in_time) return {IoStatus::timeout, "read: nothing arrived within " + millis(timeout)};
    if (t.ec && t.bytes == 0) {
        if (t.ec != asio::error::operation_aborted) unusable_ = "the peer closed the connection";
        return from_error(t.ec, "read");
    }
    return {};
}

IoResult TcpConnection::start_tls(const TlsOptions& options, Duration timeout) {
    if (closed_) return {IoStatus::closed, "TLS handshake: the connection is closed"};
    if (!unusable_.empty()) return {IoStatus::closed, "TLS handshake: " + unusable_};
    if (tls_) return {IoStatus::unsupported, "TLS handshake: TLS is already active on this connection"};
    ctx_ = std::make_unique<ssl::context>(ssl::context::tls_client);
    std::string error;
    if (!detail::configure_client(ctx_->native_handle(), options, error))
        return {IoStatus::tls_failed, "TLS handshake: " + error};
    tls_ = std::make_unique<ssl::stream<tcp::socket>>(std::move(*plain_), *ctx_);
    plain_.reset();
    detail::set_server_name(tls_->native_handle(), options.host);

    bool done = false;
    error_code ec;
    tls_->async_handshake(ssl::stream_base::client, [&](const error_code& e) {
        ec = e;
        done = true;
    });
    std::string version = options.only_version ? " offering only " + to_string(*options.only_version) : "";
    if (!run_until_done(io_, done, timeout, [&] { cancel(); })) {
        unusable_ = "the TLS handshake did not complete";
        return {IoStatus::tls_failed, "TLS handshake" + version + ": no answer within " + millis(timeout)};
    }
    if (ec) {
        unusable_ = "the TLS handshake failed";
        if (ec == asio::error::eof || ec == ssl::error::stream_truncated || ec == asio::error::connection_reset)
            return {IoStatus::tls_failed, "TLS handshake" + version + " failed: the server closed the connection (" +
                                              ec.message() + ")"};
        std::string reason = ec.message();
        std::string hint;
        if (reason.find("wrong version number") != std::string::npos ||
            reason.find("packet length too long") != std::string::npos ||
            reason.find("record layer failure") != std::string::npos)
            hint = " (the server does not seem to speak TLS here: plaintext where TLS is expected?)";
        return {IoStatus::tls_failed, "TLS handshake" + version + " failed: " + reason + hint};
    }
    facts_ = detail::collect_facts(tls_->native_handle(), options.host);
    if (options.verify_fatal && !facts_->verified()) {
        unusable_ = "the server's certificate was refused";
        std::string why = !facts_->chain_verified ? "the certificate does not verify against the system store (" +
                                                        facts_->verify_error + ")"
                                                  : "the certificate does not match " + options.host;
        return {IoStatus::tls_failed, "TLS: " + why + "; drop --tls-verify to record this and go on"};
    }
    return {};
}

void TcpConnection::close() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    if (tls_ && unusable_.empty() && write_broken_.empty()) {
        bool done = false;
        tls_->async_shutdown([&](const error_code&) { done = true; });
        run_until_done(io_, done, Duration{200}, [&] { cancel(); });
    }
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
}

// ---------------------------------------------------------------- exec

ExecConnection::ExecConnection() { ignore_sigpipe(); }

ExecConnection::~ExecConnection() { close(); }

IoResult ExecConnection::spawn(const std::string& command) {
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return {IoStatus::error, "exec: cannot create a pipe"};
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        return {IoStatus::error, "exec: cannot create a pipe"};
    }
    if (::pipe2(err, O_CLOEXEC) != 0) {
        for (int fd : {in[0], in[1], out[0], out[1]}) ::close(fd);
        return {IoStatus::error, "exec: cannot create a pipe"};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    std::string sh = "/bin/sh", dash_c = "-c", cmd = command;
    char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};
    int rc = ::posix_spawn(&pid_, "/bin/sh", &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        pid_ = -1;
        for (int fd : {in[1], out[0], err[0]}) ::close(fd);
        unusable_ = "the command never started";
        return {IoStatus::error, "exec: cannot start /bin/sh: " + std::string(std::strerror(rc))};
    }
    to_child_.assign(in[1]);
    from_child_.assign(out[0]);
    child_err_.assign(err[0]);
    read_stderr();
    return {};
}

void ExecConnection::read_stderr() {
    child_err_.async_read_some(asio::buffer(err_buffer_), [this](const error_code& ec, std::size_t n) {
        stderr_tail_.append(err_buffer_.data(), n);
        if (stderr_tail_.size() > 2048) stderr_tail_.erase(0, stderr_tail_.size() - 2048);
        if (!ec) read_stderr();
    });
}

std::string ExecConnection::exit_text() {
    // Its stdout is closed, so the child is about to exit: wait for that a
    // little, without reaping it (close() does, after killing its group).
    std::string text;
    if (pid_ > 0) {
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
        for (;;) {
            siginfo_t info{};
            if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                info.si_pid == pid_) {
                text = info.si_code == CLD_EXITED ? "the command exited with status "
                                                  : "the command was killed by signal ";
                text += std::to_string(info.si_status);
                break;
            }
            if (std::chrono::steady_clock::now() >= until) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    // Let the last of stderr arrive.
    io_.restart();
    io_.run_for(std::chrono::milliseconds(20));
    std::string err = stderr_tail_;
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
    if (!err.empty()) {
        for (char& c : err)
            if (c == '\n' || c == '\r') c = ' ';
        text += (text.empty() ? "" : "; ") + std::string("its stderr: ") + err;
    }
    return text.empty() ? text : " (" + text + ")";
}

IoResult ExecConnection::write(std::string_view bytes, Duration timeout) {
    if (closed_) return {IoStatus::closed, "write: the connection is closed"};
    if (!unusable_.empty()) return {IoStatus::closed, "write: " + unusable_};
    if (!write_broken_.empty()) return {IoStatus::closed, "write: " + write_broken_};
    Timed t = timed(
        io_, timeout, [&](auto handler) { asio::async_write(to_child_, asio::buffer(bytes.data(), bytes.size()), handler); },
        [&] {
            error_code ignored;
            to_child_.cancel(ignored);
        });
    if (!t.in_time) {
        write_broken_ = "a write did not complete within " + millis(timeout);
        return {IoStatus::timeout, "write: the command did not take " + std::to_string(bytes.size()) +
                                       " bytes within " + millis(timeout)};
    }
    if (t.ec) {
        write_broken_ = "an earlier write failed";
        IoResult r = from_error(t.ec, "write to the command");
        r.message += exit_text();
        return r;
    }
    return {};
}

IoResult ExecConnection::read(std::string& out, std::size_t max, Duration timeout) {
    if (closed_) return {IoStatus::closed, "read: the connection is closed"};
    if (!unusable_.empty()) return {IoStatus::closed, "read: " + unusable_};
    std::string buffer(std::max<std::size_t>(max, 1), '\0');
    Timed t = timed(
        io_, timeout, [&](auto handler) { from_child_.async_read_some(asio::buffer(buffer), handler); },
        [&] {
            error_code ignored;
            from_child_.cancel(ignored);
        });
    out.append(buffer, 0, t.bytes);
    if (!t.in_time) return {IoStatus::timeout, "read: the command wrote nothing within " + millis(timeout)};
    if (t.ec && t.bytes == 0) {
        unusable_ = "the command closed its stdout";
        IoResult r = from_error(t.ec, "read from the command");
        r.message += exit_text();
        return r;
    }
    return {};
}

IoResult ExecConnection::start_tls(const TlsOptions&, Duration) {
    return {IoStatus::unsupported,
            "TLS cannot run over an exec: target (a pipe, not a socket): test TLS with tcp:// or tls://"};
}

void ExecConnection::close() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    to_child_.close(ignored);  // the child reads EOF
    if (pid_ > 0 && !status_) {
        // Give it a moment to exit by itself, without reaping it yet: while the
        // zombie holds the pid, the process group id cannot be reused.
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
        for (;;) {
            siginfo_t info{};
            if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                info.si_pid == pid_)
                break;
            if (std::chrono::steady_clock::now() >= until) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        ::kill(-pid_, SIGKILL);  // the whole group: the shell and whatever it started
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        status_ = status;
    }
    from_child_.close(ignored);
    child_err_.close(ignored);
}

// ---------------------------------------------------------------- connect

Connected connect(const Target& target, const ConnectOptions& options) {
    Connected c;
    if (target.kind == Target::Kind::exec) {
        auto e = std::make_unique<ExecConnection>();
        c.result = e->spawn(target.command);
        if (c.result.ok()) c.connection = std::move(e);
        return c;
    }
    auto start = std::chrono::steady_clock::now();
    auto t = std::make_unique<TcpConnection>();
    c.result = t->connect(target.host, target.port, options.timeout);
    if (!c.result.ok()) return c;
    if (target.kind == Target::Kind::tls) {
        TlsOptions tls = options.tls;
        if (tls.host.empty()) tls.host = target.host;
        auto left = std::chrono::duration_cast<Duration>(options.timeout - (std::chrono::steady_clock::now() - start));
        c.result = t->start_tls(tls, std::max(left, Duration{1}));
        if (!c.result.ok()) return c;
    }
    c.connection = std::move(t);
    return c;
}

}  // namespace smtpspec::conformance
