#include "smtpspec/conformance/transcript.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "smtpspec/model/transcript.hpp"

namespace smtpspec::conformance {

namespace {

bool has_control(std::string_view bytes) {
    for (char ch : bytes) {
        auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
    }
    return false;
}

// A comment stays on one line of the transcript.
std::string one_line(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c == '\r' || c == '\n') c = ' ';
    return out;
}

std::string bytes_count(std::size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

}  // namespace

Transcript::Transcript(std::size_t max_bytes) : start_(std::chrono::steady_clock::now()), max_bytes_(max_bytes) {}

std::chrono::microseconds Transcript::now() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_);
}

void Transcript::data(Direction d, std::string_view bytes, bool tls, bool redacted) {
    if (bytes.empty()) return;
    std::size_t room = recorded_ < max_bytes_ ? max_bytes_ - recorded_ : 0;
    std::string_view kept = bytes.substr(0, room);
    if (!kept.empty()) {
        events_.push_back({TranscriptEvent::Kind::data, d, now(), tls, redacted, std::string(kept)});
        recorded_ += kept.size();
    }
    if (kept.size() < bytes.size()) {
        if (dropped_ == 0)
            note("the transcript reached its bound of " + bytes_count(max_bytes_) + "; later bytes are counted only");
        dropped_ += bytes.size() - kept.size();
    }
}

// RFC 4954 §4: after "AUTH mechanism [initial-response]" the client's lines are
// SASL responses until the server's final reply. The initial response and each
// response line are replaced by redacted_marker, once per line; "*" (cancel),
// "=" (empty response) and line ends are kept, so a replay still sees the
// exchange's shape. A response with an octet outside the base64 alphabet is
// kept as it is: credentials are only ever sent base64-encoded, and such a
// response is a check's deliberately malformed one, which a replay must see
// as malformed to judge the server's answer the same way.
std::string Transcript::redact(std::string_view bytes, bool& redacted) {
    std::string out;
    out.reserve(bytes.size());
    for (char c : bytes) {
        if (line_.empty() && !line_is_auth_) line_is_auth_ = in_auth_;
        if (c == '\n') {
            flush_secret(out, redacted);
            // An AUTH command with a mechanism starts an exchange.
            if (!line_is_auth_ && auth_state_ >= 3) in_auth_ = true;
            out += c;
            line_.clear();
            line_secret_seen_ = false;
            line_is_auth_ = false;
            auth_state_ = 0;
            continue;
        }
        bool secret = false;
        if (line_is_auth_) {
            secret = c != '\r' && !(line_.empty() && (c == '*' || c == '=')) &&
                     !(!line_.empty() && (line_.front() == '*' || line_.front() == '='));
        } else {
            // "AUTH" 1*SP mechanism 1*SP initial-response
            auto u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            switch (auth_state_) {
                case 0:
                    if (u == "AUTH"[line_.size()]) {
                        if (line_.size() == 3) auth_state_ = 1;
                    } else {
                        auth_state_ = -1;
                    }
                    break;
                case 1: auth_state_ = c == ' ' ? 2 : -1; break;
                case 2:
                    if (c != ' ') auth_state_ = c == '\r' ? -1 : 3;
                    break;
                case 3:
                    if (c == ' ') auth_state_ = 4;
                    break;
                case 4:
                    if (c == '=' || c == '\r') auth_state_ = 6;
                    else if (c != ' ') auth_state_ = 5;
                    break;
                default: break;
            }
            secret = auth_state_ == 5 && c != '\r';
        }
        if (line_.size() < 512) line_ += c;
        if (secret) {
            if (secret_.size() == 512) flush_secret(out, redacted);  // decided on its first 512 octets
            secret_ += c;
            continue;
        }
        flush_secret(out, redacted);
        out += c;
    }
    flush_secret(out, redacted);
    return out;
}

void Transcript::flush_secret(std::string& out, bool& redacted) {
    if (secret_.empty()) return;
    const bool base64 = std::all_of(secret_.begin(), secret_.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
    });
    if (!base64) {
        out += secret_;
    } else if (!line_secret_seen_) {
        out += redacted_marker;
        line_secret_seen_ = true;
        redacted = true;
    }
    secret_.clear();
}

void Transcript::client(std::string_view bytes, bool tls) {
    bool redacted = false;
    std::string kept = redact(bytes, redacted);
    data(Direction::client, kept, tls, redacted);
}

void Transcript::server(std::string_view bytes, bool tls) { data(Direction::server, bytes, tls, false); }

void Transcript::tls_started(bool implicit) {
    events_.push_back({TranscriptEvent::Kind::tls_started, Direction::client, now(), true, false,
                       implicit ? "implicit" : "starttls"});
}

void Transcript::server_closed(std::string_view how) {
    events_.push_back({TranscriptEvent::Kind::server_closed, Direction::server, now(), false, false, one_line(how)});
}

void Transcript::client_closed() {
    events_.push_back({TranscriptEvent::Kind::client_closed, Direction::client, now(), false, false, {}});
}

void Transcript::note(std::string_view text) {
    events_.push_back({TranscriptEvent::Kind::note, Direction::client, now(), false, false, one_line(text)});
}

void Transcript::reply_seen(unsigned code) {
    // RFC 4954 §4: 334 asks for more; 235 ends the exchange in success, 4xx/5xx in failure.
    if (code == 235 || (code >= 400 && code < 600)) in_auth_ = false;
}

std::string Transcript::text(Style style) const { return text(style, 0, events_.size()); }

std::string Transcript::text(Style style, std::size_t first, std::size_t last) const {
    last = std::min(last, events_.size());
    first = std::min(first, last);
    std::string out;
    std::string server;  // server bytes not yet printed: the start of a line
    auto flush_server = [&](bool all) {
        std::size_t pos = 0;
        for (;;) {
            std::size_t lf = server.find('\n', pos);
            if (lf == std::string::npos) break;
            std::string_view line(server.data() + pos, lf - pos);
            bool bare_lf = line.empty() || line.back() != '\r';
            if (!bare_lf) line.remove_suffix(1);
            out += "S: ";
            out += line;
            out += '\n';
            if (bare_lf) out += "# the line above ended in LF without CR\n";
            if (has_control(line)) out += "# the line above, escaped: " + model::encode_client_text(line) + "\n";
            pos = lf + 1;
        }
        server.erase(0, pos);
        if (all && !server.empty()) {
            out += "# the server sent " + bytes_count(server.size()) + " without a line end: " + model::encode_client_text(server) +
                   "\n";
            server.clear();
        }
    };
    for (std::size_t i = first; i < last; ++i) {
        const TranscriptEvent& e = events_[i];
        if (style.times) {
            char buf[48];
            std::snprintf(buf, sizeof buf, "# +%.3f ms\n", static_cast<double>(e.at.count()) / 1000.0);
            out += buf;
        }
        switch (e.kind) {
            case TranscriptEvent::Kind::data:
                if (e.direction == Direction::server) {
                    server += e.bytes;
                    flush_server(false);
                    break;
                }
                for (std::size_t pos = 0; pos < e.bytes.size();) {
                    std::size_t crlf = e.bytes.find("\r\n", pos);
                    if (crlf == std::string::npos) {
                        out += "C: " + model::encode_client_text(std::string_view(e.bytes).substr(pos)) + "\\\n";
                        break;
                    }
                    out += "C: " + model::encode_client_text(std::string_view(e.bytes).substr(pos, crlf - pos)) + "\n";
                    pos = crlf + 2;
                }
                if (e.redacted) out += "# AUTH secret redacted above\n";
                break;
            case TranscriptEvent::Kind::tls_started:
                flush_server(true);
                if (e.bytes == "implicit") out += "# TLS from the first byte (implicit TLS, RFC 8314 §3.3)\n";
                else out += "*TLS*\n";
                break;
            case TranscriptEvent::Kind::server_closed:
                flush_server(true);
                out += "*SERVER CLOSED*\n";
                if (!e.bytes.empty()) out += "# " + e.bytes + "\n";
                break;
            case TranscriptEvent::Kind::client_closed:
                flush_server(true);
                out += "*CLIENT CLOSED*\n";
                break;
            case TranscriptEvent::Kind::note: out += "# " + e.bytes + "\n"; break;
        }
    }
    flush_server(true);
    return out;
}

}  // namespace smtpspec::conformance
