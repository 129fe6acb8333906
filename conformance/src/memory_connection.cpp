#include "smtpspec/conformance/memory_connection.hpp"

#include <algorithm>

namespace smtpspec::conformance {

IoResult MemoryConnection::write(std::string_view bytes, Duration) {
    if (closed_) return {IoStatus::closed, "write: the connection is closed"};
    if (peer_->close_after_data && peer_->to_client.empty())
        return {IoStatus::reset, "write: the peer closed the connection"};
    peer_->from_client.append(bytes);
    if (peer_->on_write) peer_->on_write(bytes, *peer_);
    return {};
}

IoResult MemoryConnection::read(std::string& out, std::size_t max, Duration) {
    if (closed_) return {IoStatus::closed, "read: the connection is closed"};
    if (peer_->to_client.empty()) {
        if (peer_->close_after_data)
            return {*peer_->close_after_data, *peer_->close_after_data == IoStatus::eof
                                                  ? "read: the peer closed the connection"
                                                  : "read: the connection was reset"};
        return {IoStatus::timeout, "read: nothing arrived"};
    }
    std::size_t n = std::min({max, peer_->chunk, peer_->to_client.size()});
    n = std::max<std::size_t>(n, 1);
    out.append(peer_->to_client, 0, n);
    peer_->to_client.erase(0, n);
    return {};
}

IoResult MemoryConnection::start_tls(const TlsOptions&, Duration) {
    if (closed_) return {IoStatus::closed, "TLS handshake: the connection is closed"};
    ++peer_->starttls_count;
    if (facts_) return {IoStatus::unsupported, "TLS handshake: TLS is already active on this connection"};
    if (!peer_->tls) return {IoStatus::tls_failed, "TLS handshake failed: the peer does not speak TLS"};
    facts_ = peer_->tls;
    return {};
}

void MemoryConnection::close() {
    closed_ = true;
    peer_->client_closed = true;
}

}  // namespace smtpspec::conformance
