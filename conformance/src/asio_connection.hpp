// The Connection implementations over Boost.Asio: a TCP socket (with TLS on
// it after STARTTLS or from the first byte) and a child process's pipes.
//
// Each connection owns its io_context; an operation starts one asynchronous
// call and runs the context until it completes or its deadline passes, then
// cancels it. No thread is started.
#pragma once

#include <sys/types.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <optional>
#include <string>

#include "smtpspec/conformance/connection.hpp"

namespace smtpspec::conformance {

class TcpConnection : public Connection {
public:
    TcpConnection();
    ~TcpConnection() override;

    IoResult connect(const std::string& host, std::uint16_t port, Duration timeout);

    IoResult write(std::string_view bytes, Duration timeout) override;
    IoResult read(std::string& out, std::size_t max, Duration timeout) override;
    IoResult start_tls(const TlsOptions& options, Duration timeout) override;
    void close() override;
    bool tls_active() const override { return tls_ != nullptr; }
    const std::optional<TlsFacts>& tls_facts() const override { return facts_; }

private:
    boost::asio::ip::tcp::socket& socket();
    void cancel();

    boost::asio::io_context io_;
    std::optional<boost::asio::ip::tcp::socket> plain_;
    std::unique_ptr<boost::asio::ssl::context> ctx_;
    std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
    std::optional<TlsFacts> facts_;
    std::string unusable_;      // why the connection cannot be used any more; empty while it can
    std::string write_broken_;  // why it cannot be written to (it may still be read from)
    bool closed_ = false;
};

class ExecConnection : public Connection {
public:
    ExecConnection();
    ~ExecConnection() override;

    // Runs /bin/sh -c `command` in its own process group, its stdin and stdout
    // connected to this connection, its stderr kept (the last 2 KB) for messages.
    IoResult spawn(const std::string& command);

    IoResult write(std::string_view bytes, Duration timeout) override;
    IoResult read(std::string& out, std::size_t max, Duration timeout) override;
    IoResult start_tls(const TlsOptions& options, Duration timeout) override;
    // Closes the child's stdin, gives it 100 ms to exit, then kills its process
    // group (SIGKILL) and reaps it.
    void close() override;
    bool tls_active() const override { return false; }
    const std::optional<TlsFacts>& tls_facts() const override { return facts_; }

    pid_t pid() const { return pid_; }
    const std::string& stderr_tail() const { return stderr_tail_; }

private:
    void read_stderr();
    std::string exit_text();

    boost::asio::io_context io_;
    boost::asio::posix::stream_descriptor to_child_{io_};
    boost::asio::posix::stream_descriptor from_child_{io_};
    boost::asio::posix::stream_descriptor child_err_{io_};
    std::array<char, 512> err_buffer_{};
    std::string stderr_tail_;
    std::optional<TlsFacts> facts_;
    pid_t pid_ = -1;
    std::optional<int> status_;  // the wait status once reaped
    std::string unusable_;
    std::string write_broken_;
    bool closed_ = false;
};

}  // namespace smtpspec::conformance
