#include "smtpspec/grammar/capabilities.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <string_view>

namespace smtpspec::grammar {

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// size-param ::= [1*DIGIT]                                          RFC 1870 §3
// "A parameter value of 0 (zero) indicates that no fixed maximum message size
// is in force." A value that is not all digits, or too large for 64 bits,
// conveys no usable limit either.
std::optional<std::uint64_t> size_limit(ast::EhloLine const& line) {
    if (line.params.size() != 1) return std::nullopt;
    auto const& digits = line.params.front();
    std::uint64_t n = 0;
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        auto const d = static_cast<std::uint64_t>(c - '0');
        if (n > (max - d) / 10) return std::nullopt;
        n = n * 10 + d;
    }
    if (n == 0) return std::nullopt;
    return n;
}

}  // namespace

// EHLO keywords "MUST always be recognized and processed in a case-insensitive
// manner" (RFC 5321 §4.1.1.1).
Capabilities capabilities(ast::EhloReply const& reply) {
    Capabilities caps;
    bool size_seen = false;
    for (auto const& line : reply.lines) {
        auto const keyword = upper(line.keyword);
        if (keyword == "PIPELINING") caps.pipelining = true;            // RFC 2920 §2
        else if (keyword == "STARTTLS") caps.starttls = true;          // RFC 3207 §2
        else if (keyword == "8BITMIME") caps.eight_bit_mime = true;    // RFC 6152 §2
        else if (keyword == "SMTPUTF8") caps.smtputf8 = true;          // RFC 6531 §3.1
        else if (keyword == "CHUNKING") caps.chunking = true;          // RFC 3030 §2
        else if (keyword == "BINARYMIME") caps.binary_mime = true;     // RFC 3030 §3
        else if (keyword == "ENHANCEDSTATUSCODES") caps.enhanced_status_codes = true;  // RFC 2034 §3
        else if (keyword == "DSN") caps.dsn = true;                    // RFC 3461 §2
        else if (keyword == "SIZE") {                                  // RFC 1870 §3
            caps.size = true;
            // The first SIZE line gives the limit.
            if (!size_seen) caps.size_limit = size_limit(line);
            size_seen = true;
        } else if (keyword == "AUTH") {                                // RFC 4954 §3
            // "a space-separated list of the names of available [SASL] mechanisms",
            // compared case-insensitively (RFC 4954 §8), kept upper-cased. Several AUTH lines
            // (e.g. "AUTH LOGIN" beside the old "AUTH=LOGIN") add up.
            caps.auth = true;
            for (auto const& p : line.params) {
                auto mech = upper(p);
                if (std::find(caps.auth_mechanisms.begin(), caps.auth_mechanisms.end(), mech) ==
                    caps.auth_mechanisms.end())
                    caps.auth_mechanisms.push_back(std::move(mech));
            }
        }
    }
    return caps;
}

}  // namespace smtpspec::grammar
