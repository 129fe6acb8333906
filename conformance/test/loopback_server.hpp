// A scripted server for the adapter tests: listens on 127.0.0.1 at an
// ephemeral port, accepts one connection on its own thread and runs a script
// on it. Every socket call is bounded in time, so a test never hangs on it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "smtpspec/conformance/self_signed.hpp"

namespace smtpspec::conformance::test {

// A listening socket on 127.0.0.1 at an ephemeral port; `port` is set to it.
inline int listen_on_loopback(int backlog, std::uint16_t& port) {
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) throw std::runtime_error("socket");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener, backlog) != 0)
        throw std::runtime_error("bind/listen on 127.0.0.1");
    socklen_t len = sizeof a;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    return listener;
}

// The next connection within 5 s, its reads and writes bounded to 3 s each;
// -1 when none came.
inline int accept_bounded(int listener) {
    pollfd p{listener, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) return -1;
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return -1;
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

class LoopbackServer {
public:
    // With `script_closes` the script closes the socket itself (e.g. with a reset).
    explicit LoopbackServer(std::function<void(int fd)> script, bool script_closes = false)
        : script_closes_(script_closes) {
        listener_ = listen_on_loopback(4, port_);
        thread_ = std::thread([this, script = std::move(script)] {
            int fd = accept_bounded(listener_);
            if (fd < 0) return;
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            script(fd);
            if (!script_closes_) ::close(fd);
        });
    }
    ~LoopbackServer() {
        ::shutdown(listener_, SHUT_RDWR);  // wakes a poll for a client that never came
        thread_.join();
        ::close(listener_);
    }
    std::uint16_t port() const { return port_; }
    std::string target(std::string_view scheme = "tcp") const {
        return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_);
    }

private:
    int listener_ = -1;
    std::uint16_t port_ = 0;
    bool script_closes_ = false;
    std::thread thread_;
};

inline bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// One line up to LF (at most 4096 bytes); empty on EOF, error or timeout.
inline std::string read_line(int fd) {
    std::string line;
    char c = 0;
    while (line.size() < 4096 && ::recv(fd, &c, 1, 0) == 1) {
        line += c;
        if (c == '\n') break;
    }
    return line;
}

// Waits until the peer closes (or `ms` pass), discarding what it sends.
inline void wait_closed(int fd, int ms = 3000) {
    char buf[4096];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, ms) != 1) return;
        if (::recv(fd, buf, sizeof buf, 0) <= 0) return;
    }
}

// Closes with a TCP reset instead of a FIN.
inline void reset(int fd) {
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

// A server-side TLS context holding a fresh self-signed certificate.
struct TlsServerContext {
    SSL_CTX* ctx = nullptr;
    SelfSigned cert;
    explicit TlsServerContext(const std::string& cn = "smtpspec-test",
                              std::vector<std::string> sans = {"DNS:mail.smtpspec.test", "IP:127.0.0.1"}) {
        // OpenSSL writes to the socket with write(2): a client that left must give
        // EPIPE, not kill the test.
        ::signal(SIGPIPE, SIG_IGN);
        cert = make_self_signed(cn, sans);
        ctx = SSL_CTX_new(TLS_server_method());
        BIO* cb = BIO_new_mem_buf(cert.certificate_pem.data(), static_cast<int>(cert.certificate_pem.size()));
        X509* x = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
        BIO* kb = BIO_new_mem_buf(cert.private_key_pem.data(), static_cast<int>(cert.private_key_pem.size()));
        EVP_PKEY* k = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
        if (!x || !k || SSL_CTX_use_certificate(ctx, x) != 1 || SSL_CTX_use_PrivateKey(ctx, k) != 1)
            throw std::runtime_error("test TLS context");
        X509_free(x);
        EVP_PKEY_free(k);
        BIO_free(cb);
        BIO_free(kb);
    }
    // Accept TLS 1.0 and later (for the version probes).
    void allow_old_versions() {
        SSL_CTX_set_security_level(ctx, 0);
        SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    }
    ~TlsServerContext() { SSL_CTX_free(ctx); }
    TlsServerContext(const TlsServerContext&) = delete;
    TlsServerContext& operator=(const TlsServerContext&) = delete;
};

// A server-side TLS session on an accepted socket; null when the handshake fails.
struct TlsServerSession {
    SSL* ssl = nullptr;
    TlsServerSession(SSL_CTX* ctx, int fd) {
        ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) != 1) {
            SSL_free(ssl);
            ssl = nullptr;
            ERR_clear_error();
        }
    }
    ~TlsServerSession() {
        if (ssl) {
            SSL_shutdown(ssl);
            SSL_free(ssl);
        }
        ERR_clear_error();
    }
    bool ok() const { return ssl != nullptr; }
    bool send(std::string_view data) { return SSL_write(ssl, data.data(), static_cast<int>(data.size())) > 0; }
    std::string read_line() {
        std::string line;
        char c = 0;
        while (line.size() < 4096 && SSL_read(ssl, &c, 1) == 1) {
            line += c;
            if (c == '\n') break;
        }
        return line;
    }
};

}  // namespace smtpspec::conformance::test
