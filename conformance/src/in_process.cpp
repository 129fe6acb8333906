// The in-process connection (see in_process.hpp).
#include "smtpspec/conformance/in_process.hpp"

#include <algorithm>
#include <utility>

namespace smtpspec::conformance {
namespace {

TlsFacts in_process_facts() {
    TlsFacts facts;
    facts.version = "in-process";
    facts.cipher = "none (no TLS layer in process)";
    return facts;
}

class InProcessConnection : public Connection {
public:
    InProcessConnection(server::Config config, bool implicit_tls) : core_(std::move(config), implicit_tls) {
        if (implicit_tls || core_.config().profile == model::Profile::submissions) facts_ = in_process_facts();
        core_.open();
    }

    IoResult write(std::string_view bytes, Duration) override {
        if (closed_) return {IoStatus::closed, "write: the connection is closed"};
        if (core_.should_close() && pending_.empty() && !core_.has_output())
            return {IoStatus::reset, "write: the server closed the connection"};
        core_.feed(bytes);
        return {};
    }

    IoResult read(std::string& out, std::size_t max, Duration) override {
        if (closed_) return {IoStatus::closed, "read: the connection is closed"};
        pending_ += core_.take_output();
        if (pending_.empty()) {
            if (core_.should_close()) return {IoStatus::eof, "read: the server closed the connection"};
            return {IoStatus::timeout, "read: the server sent nothing"};
        }
        const std::size_t n = std::max<std::size_t>(1, std::min(max, pending_.size()));
        out.append(pending_, 0, n);
        pending_.erase(0, n);
        return {};
    }

    IoResult start_tls(const TlsOptions&, Duration) override {
        if (closed_) return {IoStatus::closed, "TLS handshake: the connection is closed"};
        if (facts_) return {IoStatus::unsupported, "TLS handshake: TLS is already active on this connection"};
        if (!core_.wants_tls())
            return {IoStatus::tls_failed,
                    "TLS handshake failed: the in-process server is not waiting for one (no 220 to STARTTLS)"};
        // Reply bytes not yet read stay readable: they were sent before the handshake.
        core_.tls_established();
        facts_ = in_process_facts();
        return {};
    }

    void close() override {
        if (closed_) return;
        closed_ = true;
        core_.client_closed();
    }

    bool tls_active() const override { return facts_.has_value(); }
    const std::optional<TlsFacts>& tls_facts() const override { return facts_; }

private:
    server::Core core_;
    std::string pending_;  // output taken from the core and not yet read
    std::optional<TlsFacts> facts_;
    bool closed_ = false;
};

}  // namespace

std::unique_ptr<Connection> connect_in_process(server::Config config, bool implicit_tls) {
    return std::make_unique<InProcessConnection>(std::move(config), implicit_tls);
}

}  // namespace smtpspec::conformance
