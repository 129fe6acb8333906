// The socket side of `smtpspec serve`: TCP listeners, each with a profile, that
// accept connections and run one server::Core per connection
// (client_connection.hpp), all on one io_context with asynchronous operations.
//
// The Server must outlive the io_context's run(): connections report to it
// when they end. stop() is the graceful stop of SIGINT and SIGTERM: no more
// accepts, every open session is told 421 and closed; run() then returns once
// the last connection is gone.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "serve/client_connection.hpp"
#include "serve/endpoint.hpp"
#include "smtpspec/conformance/server/core.hpp"

namespace smtpspec::conformance::serve {

struct ServerSettings {
    server::Config config;  // the profile is set per listener
    std::shared_ptr<boost::asio::ssl::context> tls;  // for STARTTLS and implicit TLS; null: STARTTLS not offered
    std::chrono::milliseconds idle_timeout = std::chrono::minutes{5};
    std::size_t read_chunk = 16 * 1024;
    // Connections beyond this many open ones are answered 421 and closed at once.
    std::size_t max_sessions = 4096;
    std::function<void(server::Message&&)> on_message;
    std::function<void(const SessionReport&)> on_session_end;
    // Accept failures (e.g. out of file descriptors): one line each.
    std::function<void(const std::string&)> on_error;
};

// A listener that could not be opened: the address and the fix, in one line.
struct BindError {
    std::string message;
};

struct ServerStats {
    std::uint64_t accepted = 0;
    std::uint64_t refused = 0;   // over max_sessions
    std::uint64_t finished = 0;
    std::size_t open = 0;
};

class Server {
public:
    Server(boost::asio::io_context& io, ServerSettings settings);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Opens, binds and listens on every endpoint, or on none: the first failure
    // closes those opened before it and is returned.
    std::optional<BindError> bind(const std::vector<Endpoint>& endpoints);
    // The bound endpoints, with the port the system chose for port 0.
    std::vector<Endpoint> endpoints() const;

    void start();
    void stop(std::string_view reason = "service shutting down");
    bool stopped() const { return stopped_; }
    ServerStats stats() const;

private:
    struct Listener {
        Endpoint endpoint;
        boost::asio::ip::tcp::acceptor acceptor;
        std::shared_ptr<const ConnectionSettings> settings;
        boost::asio::steady_timer retry;
    };

    void accept(Listener& listener);
    void refuse(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context& io_;
    ServerSettings settings_;
    std::list<Listener> listeners_;
    std::unordered_map<ClientConnection*, std::weak_ptr<ClientConnection>> open_;
    ServerStats stats_;
    bool stopped_ = false;
};

}  // namespace smtpspec::conformance::serve
