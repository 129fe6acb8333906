#include "smtpspec/grammar/reply_reader.hpp"

#include <algorithm>
#include <utility>

#include "reply.hpp"

namespace smtpspec::grammar {

ReplyReader::ReplyReader(Options options, std::size_t max_line, std::size_t max_lines)
    : options_(options), max_line_(max_line), max_lines_(max_lines) {}

void ReplyReader::overflow(std::size_t at, std::size_t end, std::string message) {
    overflow_ = Failed{ParseError{ErrorKind::limit, at - reply_start_, "Reply-line", std::move(message)},
                       buffer_.substr(reply_start_, end - reply_start_)};
    buffer_.resize(reply_start_);
    line_start_ = reply_start_;
    lines_ = 0;
}

// The line at line_start_ is over max_line_. The end of its shortest prefix
// that shows it, so that the failure's raw bytes do not depend on how the
// input was split.
std::size_t ReplyReader::proof_end() const {
    for (auto i = line_start_; i < buffer_.size(); ++i) {
        auto const m = i + 1 - line_start_;
        std::size_t least = 0;
        if (buffer_[i] == '\n') least = m - 1 - (m >= 2 && buffer_[i - 1] == '\r' ? 1 : 0) + 2;
        else least = m - (buffer_[i] == '\r' ? 1 : 0) + 2;
        if (least > max_line_) return i + 1;
    }
    return buffer_.size();
}

void ReplyReader::too_long() {
    overflow(line_start_, proof_end(),
             "reply line is longer than " + std::to_string(max_line_) +
                 " octets with its CRLF (RFC 5321 §4.5.3.1.5 sets the limit at " +
                 std::to_string(limits::reply_line) + ")");
}

// A line has just been completed by the LF at the end of buffer_.
void ReplyReader::end_line() {
    auto const lf = buffer_.size() - 1;
    auto content = lf - line_start_;
    if (content > 0 && buffer_[lf - 1] == '\r') --content;
    if (content + 2 > max_line_) {
        too_long();
        return;
    }
    ++lines_;
    bool const continues = line_start_ + 3 < lf && buffer_[line_start_ + 3] == '-';
    if (!continues) {
        ends_.push_back(buffer_.size());
        reply_start_ = line_start_ = buffer_.size();
        lines_ = 0;
        return;
    }
    line_start_ = buffer_.size();
    if (lines_ >= max_lines_) {
        overflow(line_start_, line_start_, "reply has more than " + std::to_string(max_lines_) + " lines");
    }
}

void ReplyReader::feed(std::string_view bytes) {
    if (failed_ || overflow_) return;
    if (consumed_ > 0) {
        buffer_.erase(0, consumed_);
        reply_start_ -= consumed_;
        line_start_ -= consumed_;
        for (auto& end : ends_) end -= consumed_;
        consumed_ = 0;
    }
    std::size_t pos = 0;
    while (pos < bytes.size() && !overflow_) {
        auto const lf = bytes.find('\n', pos);
        auto const through = lf == std::string_view::npos ? bytes.size() : lf + 1;
        // Never hold more of one line than it takes to know it is too long.
        auto const held = buffer_.size() - line_start_;
        auto const room = max_line_ + 1 > held ? max_line_ + 1 - held : 1;
        auto const take = std::min(through - pos, room);
        buffer_.append(bytes.substr(pos, take));
        pos += take;
        if (buffer_.back() == '\n') {
            end_line();
            continue;
        }
        // An incomplete line: its CRLF, or at least its LF if the CR is here, is still to come.
        auto const n = buffer_.size() - line_start_;
        auto const least = n - (buffer_.back() == '\r' ? 1 : 0) + 2;
        if (least > max_line_) {
            too_long();
        }
    }
}

// After a `limit` failure: nothing more is kept or returned.
void ReplyReader::fail() {
    failed_ = true;
    overflow_.reset();
    ends_.clear();
    buffer_.clear();
    buffer_.shrink_to_fit();
    consumed_ = reply_start_ = line_start_ = lines_ = 0;
}

ReplyReader::Event ReplyReader::next() {
    if (!ends_.empty()) {
        auto const end = ends_.front();
        ends_.pop_front();
        std::string raw = buffer_.substr(consumed_, end - consumed_);
        consumed_ = end;
        auto parsed = detail::parse_reply_bounded(raw, options_, max_line_, max_lines_);
        if (parsed.ok()) {
            auto deviations = parsed.deviations();
            return Complete{std::move(parsed).value(), std::move(raw), std::move(deviations)};
        }
        if (parsed.error().kind == ErrorKind::limit) fail();
        return Failed{parsed.error(), std::move(raw)};
    }
    if (overflow_) {
        Failed f = std::move(*overflow_);
        fail();
        return f;
    }
    return NeedMore{};
}

std::size_t ReplyReader::buffered() const noexcept { return buffer_.size() - reply_start_; }

bool ReplyReader::failed() const noexcept { return failed_; }

}  // namespace smtpspec::grammar
