#include "detail/run.hpp"

#include <cstdio>

#include "detail/lenient.hpp"

namespace smtpspec::grammar::detail {

std::string describe_byte(std::string_view input, std::size_t offset) {
    if (offset >= input.size()) return "end of input";
    auto const c = static_cast<unsigned char>(input[offset]);
    switch (c) {
        case '\r': return "CR";
        case '\n': return "LF";
        case ' ': return "SP";
        case '\t': return "HTAB";
        case '\0': return "NUL";
        default: break;
    }
    char buf[16];
    if (c >= 0x21 && c <= 0x7E) std::snprintf(buf, sizeof buf, "'%c'", c);
    else std::snprintf(buf, sizeof buf, "0x%02X", c);
    return buf;
}

ParseError syntax_error(std::string_view input, std::size_t offset, std::string expected) {
    std::string message = "expected " + expected + ", found " + describe_byte(input, offset);
    return ParseError{ErrorKind::syntax, offset, std::move(expected), std::move(message)};
}

ParseError limit_failure(std::string_view input, limit_error const& e) {
    auto const offset = static_cast<std::size_t>(e.where - input.data());
    std::string message = std::string(e.production) + " is " + std::to_string(e.actual) +
                          " octets; RFC 5321 §4.5.3.1 sets its limit at " + std::to_string(e.limit);
    return ParseError{ErrorKind::limit, offset, e.production, std::move(message)};
}

ParseError encoding_failure(std::string_view input, encoding_error const& e) {
    auto const offset = static_cast<std::size_t>(e.where - input.data());
    return ParseError{ErrorKind::encoding, offset, "UTF8-non-ascii",
                      std::string(e.what) + " (RFC 6531 §3.3 requires valid UTF-8)"};
}

std::optional<ParseError> non_ascii_error(std::string_view input, const char* production) {
    for (std::size_t i = 0; i < input.size(); ++i) {
        if (static_cast<unsigned char>(input[i]) >= 0x80) {
            return ParseError{ErrorKind::encoding, i, production,
                              "non-ASCII octet " + describe_byte(input, i) +
                                  " without SMTPUTF8 (RFC 6531 §3.3 allows UTF-8 addresses only in an "
                                  "SMTPUTF8 transaction)"};
        }
    }
    return std::nullopt;
}

std::string production_name(std::string const& which) {
    // Literals come as '<' or "FROM:", rules by their names; both read fine as they are,
    // except X3's internal names for unnamed composites, which say nothing to a user.
    if (which.empty()) return "input";
    return which;
}

std::optional<ParseError> repair_loop(std::string_view input, std::span<Repair const> repairs,
                                      std::vector<Deviation>& deviations,
                                      std::function<std::optional<ParseError>(std::string_view)> const& attempt) {
    constexpr int max_rounds = 8;
    std::string text(input);
    // origin[i]: the offset in `input` of the octet now at offset i of `text`.
    std::vector<std::size_t> origin(text.size() + 1);
    for (std::size_t i = 0; i < origin.size(); ++i) origin[i] = i;

    auto error = attempt(text);
    for (int round = 0; error && round < max_rounds; ++round) {
        bool repaired = false;
        for (auto const& repair : repairs) {
            auto edit = repair.fix(text, *error);
            if (!edit || edit->at > text.size() || edit->erase > text.size() - edit->at) continue;
            deviations.push_back(Deviation{repair.id, origin[edit->at], repair.message});
            auto const anchor = origin[edit->at];
            text.replace(edit->at, edit->erase, edit->insert);
            origin.erase(origin.begin() + static_cast<std::ptrdiff_t>(edit->at),
                         origin.begin() + static_cast<std::ptrdiff_t>(edit->at + edit->erase));
            origin.insert(origin.begin() + static_cast<std::ptrdiff_t>(edit->at), edit->insert.size(), anchor);
            repaired = true;
            break;
        }
        if (!repaired) return error;
        error = attempt(text);
    }
    return error;
}

}  // namespace smtpspec::grammar::detail
