// An in-memory Connection whose peer side a test scripts (like Beast's
// test::stream): no socket, no clock, no thread. A read with nothing to
// deliver returns `timeout` at once, so a test of silence takes no time.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "smtpspec/conformance/connection.hpp"

namespace smtpspec::conformance {

// The server side of a MemoryConnection, as the test sees it.
struct MemoryPeer {
    std::string to_client;    // bytes the client's reads will deliver, in order
    std::string from_client;  // every byte the client wrote
    // After to_client is drained, reads report this instead of a timeout
    // (eof or reset: the server closed).
    std::optional<IoStatus> close_after_data;
    // Each read delivers at most this many bytes (to test replies split anywhere).
    std::size_t chunk = static_cast<std::size_t>(-1);
    // Called after each client write with the bytes written: a script answers here.
    std::function<void(std::string_view written, MemoryPeer& peer)> on_write;
    // start_tls succeeds (with these facts) when set, fails with tls_failed when not.
    std::optional<TlsFacts> tls;
    bool client_closed = false;
    std::size_t starttls_count = 0;
};

class MemoryConnection : public Connection {
public:
    MemoryConnection() : peer_(std::make_shared<MemoryPeer>()) {}
    explicit MemoryConnection(std::shared_ptr<MemoryPeer> peer) : peer_(std::move(peer)) {}

    std::shared_ptr<MemoryPeer> peer() const { return peer_; }

    IoResult write(std::string_view bytes, Duration timeout) override;
    IoResult read(std::string& out, std::size_t max, Duration timeout) override;
    IoResult start_tls(const TlsOptions& options, Duration timeout) override;
    void close() override;
    bool tls_active() const override { return facts_.has_value(); }
    const std::optional<TlsFacts>& tls_facts() const override { return facts_; }

private:
    std::shared_ptr<MemoryPeer> peer_;
    std::optional<TlsFacts> facts_;
    bool closed_ = false;
};

}  // namespace smtpspec::conformance
