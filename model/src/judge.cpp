// The judge (see judge.hpp): the model over a stream of session events.
#include "smtpspec/model/judge.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <variant>

#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/grammar/reply_reader.hpp"
#include "smtpspec/model/model.hpp"
#include "smtpspec/model/rules.hpp"

namespace smtpspec::model {

bool ReplayResult::conforming() const {
    return std::none_of(findings.begin(), findings.end(),
                        [](const TranscriptFinding& f) { return f.finding.level == Level::must; });
}

namespace ast = grammar::ast;

namespace {

// One client octet range, remembered with the transcript line it came from.
struct ClientBytes {
    std::size_t line;
    std::string bytes;
};

}  // namespace

class Judge::Impl {
public:
    explicit Impl(ConnectionOpened connect) : connect_(connect) {}

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
            if (auto* c = std::get_if<grammar::ReplyReader::Complete>(&ev)) response(at, Response{std::move(c->reply)}, c->deviations);
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
        result_.checked = checked();
        return std::move(result_);
    }

    void error(std::size_t line, std::string message) { result_.errors.push_back({line, std::move(message)}); }

    void response(std::size_t line, Response response, std::span<const grammar::Deviation> deviations) {
        if (std::holds_alternative<ast::Reply>(response)) {
            // RFC 5321 §4.2: the reply's form, as far as a lenient reader had to repair it.
            checked_[static_cast<std::size_t>(RuleId::reply_format)] = true;
            for (const grammar::Deviation& d : deviations)
                result_.findings.push_back(TranscriptFinding{
                    line, Finding{RuleId::reply_format, rule(RuleId::reply_format).level,
                                  "the reply departs from the Reply-line syntax (" + d.id + "): " + d.message,
                                  "a Reply-line (RFC 5321 §4.2)", describe(response)}});
        }
        deliver(line, std::move(response));
    }

    void silence(std::size_t line) {
        if (!connected_) {
            greeting_missing(line);
            return;
        }
        while (reply_due(line)) deliver(line, Response{Silence{}});
    }

    bool reply_due(std::size_t line) {
        if (!connected_) return true;
        // Inputs that expect no reply pass now; the first that expects one is held.
        while (auto in = next_input(line)) {
            Expectation e = expect(state_, in->input);
            if (e.reply == ReplyKind::required) {
                held_ = std::move(in);
                return true;
            }
            step(in->line, in->input, Response{Silence{}});
        }
        return false;
    }

    const State& state() const { return state_; }

    std::vector<RuleId> checked() const {
        std::vector<RuleId> out;
        for (const Rule& r : rules())
            if (checked_[static_cast<std::size_t>(r.id)]) out.push_back(r.id);
        return out;
    }
    const std::vector<TranscriptFinding>& findings() const { return result_.findings; }
    const std::vector<TranscriptError>& errors() const { return result_.errors; }

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
        if (held_) return true;
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
        if (held_) {
            std::optional<Pending> in = std::move(held_);
            held_.reset();
            return in;
        }
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
    std::optional<Pending> held_;  // the next input, taken from buffer_ by reply_due()
    State state_;
    std::deque<ClientBytes> buffer_;
    grammar::ReplyReader reader_{grammar::Options{grammar::Mode::lenient, false}};
    std::size_t reply_line_ = 0;
    ReplayResult result_;
    std::vector<bool> checked_ = std::vector<bool>(rules().size(), false);
};

Judge::Judge(ConnectionOpened connect) : impl_(std::make_unique<Impl>(connect)) {}
Judge::~Judge() = default;
Judge::Judge(Judge&&) noexcept = default;
Judge& Judge::operator=(Judge&&) noexcept = default;

void Judge::client(std::size_t mark, std::string bytes) { impl_->client(mark, std::move(bytes)); }
void Judge::server_line(std::size_t mark, std::string_view text) { impl_->server_line(mark, text); }
void Judge::response(std::size_t mark, Response response, std::span<const grammar::Deviation> deviations) {
    impl_->response(mark, std::move(response), deviations);
}
void Judge::silence(std::size_t mark) { impl_->silence(mark); }
void Judge::tls(std::size_t mark) { impl_->tls(mark); }
void Judge::server_closed(std::size_t mark) { impl_->server_closed(mark); }
void Judge::client_closed(std::size_t mark) { impl_->client_closed(mark); }
void Judge::error(std::size_t mark, std::string message) { impl_->error(mark, std::move(message)); }
const State& Judge::state() const { return impl_->state(); }
std::vector<RuleId> Judge::checked() const { return impl_->checked(); }
bool Judge::reply_due(std::size_t mark) { return impl_->reply_due(mark); }
const std::vector<TranscriptFinding>& Judge::findings() const { return impl_->findings(); }
const std::vector<TranscriptError>& Judge::errors() const { return impl_->errors(); }
ReplayResult Judge::finish(std::size_t last_mark) { return impl_->finish(last_mark); }

}  // namespace smtpspec::model
