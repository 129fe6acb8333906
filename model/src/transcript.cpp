// The transcript reader (see transcript.hpp).
#include "smtpspec/model/transcript.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <variant>

#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/grammar/reply_reader.hpp"
#include "smtpspec/model/model.hpp"

namespace smtpspec::model {

std::string encode_client_text(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (char ch : bytes) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '\r': out += "\\r"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\\': out += "\\\\"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    static constexpr char hex[] = "0123456789ABCDEF";
                    out += "\\x";
                    out += hex[c >> 4];
                    out += hex[c & 0xF];
                } else {
                    out += ch;
                }
        }
    }
    return out;
}

std::string decode_client_line(std::string_view text) {
    std::string out;
    bool crlf = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i + 1 == text.size()) {  // a final lone backslash: no CRLF
            crlf = false;
            break;
        }
        char e = text[++i];
        switch (e) {
            case 'r': out += '\r'; break;
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case '\\': out += '\\'; break;
            case 'x': {
                auto hex = [](char h) -> int {
                    if (h >= '0' && h <= '9') return h - '0';
                    if (h >= 'a' && h <= 'f') return h - 'a' + 10;
                    if (h >= 'A' && h <= 'F') return h - 'A' + 10;
                    return -1;
                };
                if (i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
                    out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
                    i += 2;
                } else {
                    out += "\\x";
                }
                break;
            }
            default:
                out += '\\';
                out += e;
        }
    }
    if (crlf) out += "\r\n";
    return out;
}


namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
    }
    return lines;
}

// swaks's prefixes: "->"/"~>" the client before/after TLS, "<-"/"<~" the
// server, "<**"/"<~*" a reply swaks took as an error.
bool swaks_client(std::string_view line) { return line.starts_with(" -> ") || line.starts_with(" ~> "); }
bool swaks_empty_client(std::string_view line) { return line == " ->" || line == " ~>"; }
bool swaks_server(std::string_view line) {
    return line.starts_with("<-  ") || line.starts_with("<** ") || line.starts_with("<~  ") || line.starts_with("<~* ");
}

// The number of the line holding `*TLS*` when it comes before any other event:
// the handshake opened the connection (implicit TLS, RFC 8314 §3.3), as in
// swaks --tlsc. Zero when it does not.
std::size_t implicit_tls_line(std::string_view text) {
    std::size_t line_no = 0;
    for (std::string_view line : split_lines(text)) {
        ++line_no;
        if (line.empty() || line.front() == '#') continue;
        return line == "*TLS*" ? line_no : 0;
    }
    return 0;
}

}  // namespace

bool looks_like_swaks(std::string_view text) {
    for (std::string_view line : split_lines(text))
        if (swaks_client(line) || swaks_empty_client(line) || swaks_server(line)) return true;
    return false;
}

std::string swaks_to_transcript(std::string_view swaks) {
    std::string out;
    for (std::string_view line : split_lines(swaks)) {
        if (swaks_client(line)) out += "C: " + encode_client_text(line.substr(4));
        else if (swaks_empty_client(line)) out += "C: ";
        else if (swaks_server(line)) out += "S: " + std::string(line.substr(4));
        else if (line.starts_with("=== TLS started")) out += "*TLS*";
        else if (line.starts_with("*** Remote host closed connection unexpectedly")) out += "*SERVER CLOSED*";
        else if (line.starts_with("=== Connection closed with remote host")) out += "*CLIENT CLOSED*";
        else out += "# " + std::string(line);
        out += '\n';
    }
    return out;
}

ReplayResult replay(std::string_view input, ReplayOptions options) {
    std::string converted;
    std::string_view text = input;
    if (options.format == TranscriptFormat::swaks ||
        (options.format == TranscriptFormat::automatic && looks_like_swaks(input))) {
        converted = swaks_to_transcript(input);
        text = converted;
    }
    const std::size_t implicit_tls = implicit_tls_line(text);
    options.tls = options.tls || options.profile == Profile::submissions || implicit_tls != 0;
    Judge r(ConnectionOpened{options.profile, options.tls, options.trusted});
    std::size_t line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        if (line.starts_with("C:")) {
            std::string_view rest = line.substr(2);
            if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
            r.client(line_no, decode_client_line(rest));
        } else if (line.starts_with("S:")) {
            std::string_view rest = line.substr(2);
            if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
            r.server_line(line_no, rest);
        } else if (line == "*TLS*") {
            if (line_no != implicit_tls) r.tls(line_no);
        } else if (line == "*SERVER CLOSED*") {
            r.server_closed(line_no);
        } else if (line == "*CLIENT CLOSED*") {
            r.client_closed(line_no);
        } else {
            r.error(line_no, "not a transcript line (expected \"C: \", \"S: \", *TLS*, *SERVER CLOSED* or "
                             "*CLIENT CLOSED*)");
        }
    }
    return r.finish(line_no);
}

}  // namespace smtpspec::model
