#include "serve/listener.hpp"

#include <utility>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/write.hpp>

namespace smtpspec::conformance::serve {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

std::string any_port(Endpoint e) {
    e.port = 0;
    return e.address_text();
}

std::string bind_failure(const Endpoint& e, const std::string& step, const error_code& ec) {
    std::string const where = std::string(model::to_string(e.profile)) + " listener " + e.address_text();
    if (ec == asio::error::address_in_use)
        return "cannot listen on " + where + ": the address is already in use; stop the program using it or choose "
               "another port (--listen " + any_port(e) + " picks a free one)";
    if (ec == asio::error::access_denied)
        return "cannot listen on " + where + ": permission denied; ports below 1024 need privileges, use a port "
               "above 1023 such as 2525";
    if (ec == boost::system::errc::address_not_available)
        return "cannot listen on " + where + ": the address is not one of this host's; use 127.0.0.1, [::1] or an "
               "address of a local interface";
    if (ec == asio::error::address_family_not_supported)
        return "cannot listen on " + where + ": the address family is not available here; use 127.0.0.1";
    return "cannot listen on " + where + ": " + step + " failed: " + ec.message();
}

}  // namespace

Server::Server(asio::io_context& io, ServerSettings settings) : io_(io), settings_(std::move(settings)) {}

Server::~Server() {
    for (Listener& l : listeners_) {
        error_code ignored;
        l.acceptor.close(ignored);
    }
}

std::optional<BindError> Server::bind(const std::vector<Endpoint>& endpoints) {
    for (const Endpoint& e : endpoints) {
        tcp::endpoint const at(e.address, e.port);
        tcp::acceptor acceptor(io_);
        error_code ec;
        std::string step = "socket";
        acceptor.open(at.protocol(), ec);
        if (!ec) {
            step = "setsockopt";
            acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        }
        if (!ec && e.address.is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
        if (!ec) {
            step = "bind";
            acceptor.bind(at, ec);
        }
        if (!ec) {
            step = "listen";
            acceptor.listen(asio::socket_base::max_listen_connections, ec);
        }
        Endpoint bound = e;
        if (!ec) bound.port = acceptor.local_endpoint(ec).port();
        if (ec) {
            listeners_.clear();
            return BindError{bind_failure(e, step, ec)};
        }

        auto cs = std::make_shared<ConnectionSettings>();
        cs->config = settings_.config;
        cs->config.profile = e.profile;
        cs->config.tls_available = settings_.tls != nullptr;
        cs->tls = settings_.tls;
        cs->idle_timeout = settings_.idle_timeout;
        cs->read_chunk = settings_.read_chunk;
        cs->on_message = settings_.on_message;
        cs->on_end = settings_.on_session_end;
        listeners_.push_back(Listener{bound, std::move(acceptor), std::move(cs), asio::steady_timer(io_)});
    }
    return std::nullopt;
}

std::vector<Endpoint> Server::endpoints() const {
    std::vector<Endpoint> out;
    for (const Listener& l : listeners_) out.push_back(l.endpoint);
    return out;
}

void Server::start() {
    for (Listener& l : listeners_) accept(l);
}

void Server::accept(Listener& listener) {
    listener.acceptor.async_accept([this, &listener](const error_code& ec, tcp::socket socket) {
        if (stopped_) return;
        if (ec) {
            if (ec == asio::error::operation_aborted) return;
            // Out of descriptors or memory, or an aborted handshake: try again shortly
            // rather than spin on the same error.
            if (settings_.on_error)
                settings_.on_error("accept on " + listener.endpoint.address_text() + " failed: " + ec.message());
            listener.retry.expires_after(std::chrono::milliseconds{100});
            listener.retry.async_wait([this, &listener](const error_code& e) {
                if (!e && !stopped_) accept(listener);
            });
            return;
        }
        ++stats_.accepted;
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        if (open_.size() >= settings_.max_sessions) {
            ++stats_.refused;
            refuse(std::move(socket));
        } else {
            auto c = std::make_shared<ClientConnection>(std::move(socket), listener.settings,
                                                        [this](ClientConnection* done) {
                                                            open_.erase(done);
                                                            ++stats_.finished;
                                                        });
            open_.emplace(c.get(), c);
            c->start();
        }
        accept(listener);
    });
}

// RFC 5321 §3.1: a server that cannot take the session may answer 421 and close.
void Server::refuse(tcp::socket socket) {
    static constexpr std::string_view busy = "421 4.3.2 Too many sessions, try again later\r\n";
    auto s = std::make_shared<tcp::socket>(std::move(socket));
    asio::async_write(*s, asio::buffer(busy.data(), busy.size()), [s](const error_code&, std::size_t) {
        error_code ignored;
        s->shutdown(tcp::socket::shutdown_both, ignored);
        s->close(ignored);
    });
}

void Server::stop(std::string_view reason) {
    if (stopped_) return;
    stopped_ = true;
    for (Listener& l : listeners_) {
        error_code ignored;
        l.acceptor.close(ignored);
        l.retry.cancel();
    }
    std::vector<std::shared_ptr<ClientConnection>> open;
    for (auto& [_, weak] : open_)
        if (auto c = weak.lock()) open.push_back(std::move(c));
    for (auto& c : open) c->stop(reason);
}

ServerStats Server::stats() const {
    ServerStats s = stats_;
    s.open = open_.size();
    return s;
}

}  // namespace smtpspec::conformance::serve
