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

bool ReplayResult::conforming() const {
    return std::none_of(findings.begin(), findings.end(),
                        [](const TranscriptFinding& f) { return f.finding.level == Level::must; });
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

namespace ast = grammar::ast;

// One client octet range, remembered with the transcript line it came from.
struct ClientBytes {
    std::size_t line;
    std::string bytes;
};

class Replayer {
public:
    explicit Replayer(ReplayOptions options) {
        options.tls = options.tls || options.profile == Profile::submissions;
        connect_ = ConnectionOpened{options.profile, options.tls};
    }

    void client(std::size_t line, std::string bytes) {
        if (!connected_) greeting_missing(line);
        buffer_.push_back(ClientBytes{line, std::move(bytes)});
    }

    void server_line(std::size_t line, std::string_view text) {
        if (reply_line_ == 0) reply_line_ = line;
        reader_.feed(std::string(text) + "\r\n");
        for (;;) {
            grammar::ReplyReader::Event ev = reader_.next();
            if (std::holds_alternative<grammar::ReplyReader::NeedMore>(ev)) break;
            std::size_t at = reply_line_;
            reply_line_ = 0;
            if (auto* c = std::get_if<grammar::ReplyReader::Complete>(&ev)) deliver(at, Response{std::move(c->reply)});
            else if (auto* f = std::get_if<grammar::ReplyReader::Failed>(&ev))
                deliver(at, Response{MalformedReply{f->raw, f->error}});
            if (reader_.failed()) break;
        }
    }

    void tls(std::size_t line) {
        flush(line, Response{Silence{}});
        step(line, Input{TlsEstablished{}}, Response{Silence{}});
    }

    void server_closed(std::size_t line) {
        if (!connected_) greeting_missing(line);
        // Inputs still waiting for a reply get the close as their response.
        while (auto in = next_input(line)) {
            Expectation e = expect(state_, in->input);
            step(in->line, in->input, e.reply == ReplyKind::required ? Response{Closed{}} : Response{Silence{}});
            if (state_.phase == Phase::closed) return;
        }
        if (state_.phase != Phase::closed) step(line, Input{ServerClosed{}}, Response{Silence{}});
    }

    void client_closed(std::size_t line) {
        flush(line, Response{Silence{}});
        if (state_.phase != Phase::closed) step(line, Input{ClientClosed{}}, Response{Silence{}});
    }

    ReplayResult finish(std::size_t last_line) {
        flush(last_line, Response{Silence{}});
        result_.final_state = state_;
        for (const Rule& r : rules())
            if (checked_[static_cast<std::size_t>(r.id)]) result_.checked.push_back(r.id);
        return std::move(result_);
    }

    void error(std::size_t line, std::string message) { result_.errors.push_back({line, std::move(message)}); }

private:
    struct Pending {
        std::size_t line;
        Input input;
    };

    void greeting_missing(std::size_t line) {
        connected_ = true;
        step(line, Input{connect_}, Response{Silence{}});
    }

    // A complete reply (or malformed bytes) from the server.
    void deliver(std::size_t line, Response response) {
        if (!connected_) {
            connected_ = true;
            step(line, Input{connect_}, std::move(response));
            return;
        }
        for (;;) {
            std::optional<Pending> in = next_input(line);
            if (!in) {
                step(line, Input{Idle{}}, std::move(response));
                return;
            }
            Expectation e = expect(state_, in->input);
            if (e.reply == ReplyKind::none && has_more_input()) {
                step(in->line, in->input, Response{Silence{}});
                continue;
            }
            step(line, in->input, std::move(response));
            return;
        }
    }

    // Every input still buffered, each with `response` if it expects a reply.
    void flush(std::size_t line, const Response& response) {
        while (auto in = next_input(line)) {
            Expectation e = expect(state_, in->input);
            step(in->line, in->input, e.reply == ReplyKind::required ? response : Response{Silence{}});
        }
    }

    bool has_more_input() const {
        return std::any_of(buffer_.begin(), buffer_.end(), [](const ClientBytes& b) { return !b.bytes.empty(); });
    }

    // Takes `n` octets from the client buffer (fewer if it holds fewer).
    std::string take(std::size_t n) {
        std::string out;
        while (n > 0 && !buffer_.empty()) {
            ClientBytes& front = buffer_.front();
            std::size_t k = std::min(n, front.bytes.size());
            out.append(front.bytes, 0, k);
            front.bytes.erase(0, k);
            n -= k;
            if (front.bytes.empty()) buffer_.pop_front();
        }
        return out;
    }

    // The octets up to and including the next LF (or all that is buffered).
    std::size_t line_length() const {
        std::size_t n = 0;
        for (const ClientBytes& b : buffer_) {
            std::size_t lf = b.bytes.find('\n');
            if (lf != std::string::npos) return n + lf + 1;
            n += b.bytes.size();
        }
        return n;
    }

    std::size_t buffered() const {
        std::size_t n = 0;
        for (const ClientBytes& b : buffer_) n += b.bytes.size();
        return n;
    }

    // The next client input, as the server reads it in the current state.
    std::optional<Pending> next_input(std::size_t) {
        while (!buffer_.empty() && buffer_.front().bytes.empty()) buffer_.pop_front();
        if (buffer_.empty()) return std::nullopt;
        const std::size_t line = buffer_.front().line;
        if (state_.phase == Phase::data) {
            std::string all;
            for (const ClientBytes& b : buffer_) all += b.bytes;
            DataScan scan = state_.data;
            std::size_t end = end_of_data(scan, all);
            return Pending{line, MessageText{take(end == npos ? all.size() : end)}};
        }
        std::string raw = take(line_length());
        if (state_.phase == Phase::auth) {
            std::string text = raw;
            while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
            return Pending{line, AuthLine{text}};
        }
        grammar::Options strict;
        strict.smtputf8 = state_.capabilities.smtputf8;
        auto parsed = grammar::parse_command(raw, strict);
        if (parsed.ok()) {
            if (const auto* b = std::get_if<ast::Bdat>(&parsed.value());
                b && state_.phase != Phase::tls_pending && state_.phase != Phase::closing) {
                std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(b->size, buffered()));
                return Pending{line, BdatChunk{*b, take(want)}};
            }
            return Pending{line, CommandInput{parsed.value(), raw, false}};
        }
        if (parsed.error().kind != grammar::ErrorKind::syntax) return Pending{line, UnparsedLine{raw, parsed.error()}};
        grammar::Options lenient = strict;
        lenient.mode = grammar::Mode::lenient;
        auto repaired = grammar::parse_command(raw, lenient);
        if (repaired.ok() && !std::holds_alternative<ast::Bdat>(repaired.value()))
            return Pending{line, CommandInput{repaired.value(), raw, true}};
        return Pending{line, UnparsedLine{raw, parsed.error()}};
    }

    void step(std::size_t line, const Input& input, const Response& response) {
        Expectation e = expect(state_, input);
        for (std::uint8_t i = 0; i < e.count; ++i) checked_[static_cast<std::size_t>(e.constraints[i].rule)] = true;
        for (std::uint8_t i = 0; i < e.content_count; ++i) checked_[static_cast<std::size_t>(e.content[i])] = true;
        if (!e.misuse && !e.may_close) checked_[static_cast<std::size_t>(e.close_rule)] = true;
        Step s = observe(state_, input, response);
        if (s.misuse) {
            error(line, "cannot replay " + describe(input) + ": " + s.misuse->message);
            return;
        }
        for (Finding& f : s.findings) {
            checked_[static_cast<std::size_t>(f.rule)] = true;
            result_.findings.push_back(TranscriptFinding{line, std::move(f)});
        }
        state_ = std::move(s.next);
    }

    ConnectionOpened connect_;
    bool connected_ = false;
    State state_;
    std::deque<ClientBytes> buffer_;
    grammar::ReplyReader reader_{grammar::Options{grammar::Mode::lenient, false}};
    std::size_t reply_line_ = 0;
    ReplayResult result_;
    std::vector<bool> checked_ = std::vector<bool>(rules().size(), false);
};

}  // namespace

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

// swaks prints the client's text as is: backslashes are escaped for our format.
std::string escape_client(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\') out += "\\\\";
        else out += c;
    }
    return out;
}

}  // namespace

bool looks_like_swaks(std::string_view text) {
    for (std::string_view line : split_lines(text))
        if (line.starts_with(" -> ") || line.starts_with("<-  ") || line.starts_with("<** ") || line == " ->")
            return true;
    return false;
}

std::string swaks_to_transcript(std::string_view swaks) {
    std::string out;
    for (std::string_view line : split_lines(swaks)) {
        if (line.starts_with(" -> ") || line.starts_with(" ~> ")) out += "C: " + escape_client(line.substr(4));
        else if (line == " ->" || line == " ~>") out += "C: ";
        else if (line.starts_with("<-  ") || line.starts_with("<** ") || line.starts_with("<~  ") ||
                 line.starts_with("<~* "))
            out += "S: " + std::string(line.substr(4));
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
    Replayer r(options);
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
            r.tls(line_no);
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
