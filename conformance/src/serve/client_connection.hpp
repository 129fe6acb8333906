// One accepted client connection of `smtpspec serve`: a server::Core driven
// over a socket with Boost.Asio.
//
// Theory of operation: the connection alternates between reading client bytes
// and writing the core's replies, and never reads while replies wait to be
// written (so a client that pipelines without reading cannot make the server
// buffer without bound: what the core holds is bounded by one read chunk).
// After the 220 reply to STARTTLS the server side of the TLS handshake runs on
// the same socket (RFC 3207 §4); on a `submissions` listener it runs before the
// greeting (RFC 8314 §3.3). When the core has sent 221 or 421 the connection
// writes what remains, closes its sending side and drains the client briefly,
// so that the last reply is not lost to a reset.
//
// Deadlines: while the server waits for the client (a command, or the client
// reading our replies) the idle timeout runs, 5 minutes by default (RFC 5321
// §4.5.3.2.7: "An SMTP server SHOULD have a timeout of at least 5 minutes while
// it is awaiting the next command from the sender"); on expiry the core says
// 421 and the connection closes. A TLS handshake and the closing have their own
// short deadlines.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "smtpspec/conformance/server/core.hpp"

namespace smtpspec::conformance::serve {

// What is logged when a session ends: one line on stderr per session.
struct SessionReport {
    std::string peer;  // "127.0.0.1:51234"
    model::Profile profile = model::Profile::relay;
    std::chrono::microseconds duration{0};
    std::uint64_t replies = 0;   // complete replies written (one per command, plus the greeting)
    std::uint64_t messages = 0;  // messages accepted
    bool tls = false;            // TLS was up when the session ended
    std::string ended;           // how: "client quit (221)", "idle timeout (421)", ...

    // "session 127.0.0.1:51234 relay 532.0ms 7 replies 1 message tls: client quit (221)"
    std::string line() const;
};

// Shared by every connection of one listener.
struct ConnectionSettings {
    server::Config config;  // config.profile is the listener's profile
    std::shared_ptr<boost::asio::ssl::context> tls;
    std::chrono::milliseconds idle_timeout = std::chrono::minutes{5};
    std::chrono::milliseconds handshake_timeout = std::chrono::seconds{30};
    std::chrono::milliseconds close_timeout = std::chrono::seconds{2};
    std::size_t read_chunk = 16 * 1024;  // at most 64 KiB
    std::function<void(server::Message&&)> on_message;      // config.keep_messages: each accepted message
    std::function<void(const SessionReport&)> on_end;       // each session, when it ends
};

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
public:
    using Finished = std::function<void(ClientConnection*)>;

    // `finished` is called once, when the connection is closed and reported.
    ClientConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<const ConnectionSettings> settings,
                     Finished finished);
    ~ClientConnection();
    ClientConnection(const ClientConnection&) = delete;
    ClientConnection& operator=(const ClientConnection&) = delete;

    void start();
    // A graceful stop: the core queues 421 (RFC 5321 §3.8), which is written, then the connection closes.
    void stop(std::string_view reason);

private:
    // Made at the handshake only: a plaintext session holds no OpenSSL state.
    using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>;

    void pump();
    void start_read();
    void on_read(const boost::system::error_code& ec, std::size_t n);
    void start_write();
    void on_write(const boost::system::error_code& ec);
    void start_handshake();
    void on_handshake(const boost::system::error_code& ec);
    void start_close();
    void continue_close();
    void drain();
    void finish();
    void arm(std::chrono::milliseconds after);
    std::chrono::milliseconds wait_limit() const;
    void on_deadline();
    void end_as(std::string how);
    void count_replies(std::string_view bytes);
    template <typename F>
    bool guarded(F&& f);

    boost::asio::ip::tcp::socket socket_;
    std::optional<TlsStream> tls_stream_;
    boost::asio::steady_timer timer_;
    std::shared_ptr<const ConnectionSettings> settings_;
    Finished finished_;
    std::optional<server::Core> core_;
    std::vector<char> buffer_;
    std::string out_;
    std::string peer_;
    std::chrono::steady_clock::time_point started_;
    std::uint64_t timer_generation_ = 0;
    std::uint64_t replies_ = 0;
    std::size_t column_ = 0;     // of the reply line being written
    std::string line_code_;      // its first three octets
    std::string last_code_;      // of the last complete reply
    std::string ended_;
    bool tls_ = false;
    bool opened_ = false;        // the core said its greeting
    bool reading_ = false;
    bool writing_ = false;
    bool handshaking_ = false;
    bool closing_ = false;
    bool done_ = false;
    bool stopping_ = false;
    bool idle_expired_ = false;
};

}  // namespace smtpspec::conformance::serve
