// ASCII text helpers shared by the model's translation units.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smtpspec::model::detail {

inline char upper_char(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

inline std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = upper_char(c);
    return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (upper_char(a[i]) != upper_char(b[i])) return false;
    return true;
}

inline int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// RFC 4954 §4: only the BASE64 alphabet, "=" only as final padding; the empty
// string is the empty response.
inline bool is_base64(std::string_view s) {
    if (s.size() % 4 != 0) return false;
    std::size_t pad = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '=') {
            ++pad;
            continue;
        }
        if (pad > 0 || base64_value(s[i]) < 0) return false;
    }
    return pad <= 2;
}

inline std::optional<std::string> decode_base64(std::string_view s) {
    if (!is_base64(s)) return std::nullopt;
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : s) {
        if (c == '=') break;
        acc = (acc << 6) | static_cast<std::uint32_t>(base64_value(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

inline std::string encode_base64(std::string_view s) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < s.size(); i += 3) {
        std::uint32_t v = (std::uint32_t(std::uint8_t(s[i])) << 16) | (std::uint32_t(std::uint8_t(s[i + 1])) << 8) |
                          std::uint8_t(s[i + 2]);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (i + 1 == s.size()) {
        std::uint32_t v = std::uint32_t(std::uint8_t(s[i])) << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == s.size()) {
        std::uint32_t v = (std::uint32_t(std::uint8_t(s[i])) << 16) | (std::uint32_t(std::uint8_t(s[i + 1])) << 8);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

}  // namespace smtpspec::model::detail
