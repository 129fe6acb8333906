#include "untrusted_text.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace smtpspec::conformance {
namespace {

// The code point of the well-formed UTF-8 sequence at `bytes[at]` (RFC 3629 §4:
// no overlong forms, no surrogates, nothing above U+10FFFF) and its length.
struct Decoded {
    char32_t code_point;
    std::size_t length;
};
std::optional<Decoded> decode_utf8(std::string_view bytes, std::size_t at) {
    auto const byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    unsigned char const lead = byte(at);
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if (lead < 0x80) return Decoded{lead, 1};
    if (lead >= 0xC2 && lead <= 0xDF) { length = 2; cp = lead & 0x1Fu; minimum = 0x80; }
    else if (lead >= 0xE0 && lead <= 0xEF) { length = 3; cp = lead & 0x0Fu; minimum = 0x800; }
    else if (lead >= 0xF0 && lead <= 0xF4) { length = 4; cp = lead & 0x07u; minimum = 0x10000; }
    else return std::nullopt;
    if (at + length > bytes.size()) return std::nullopt;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xC0u) != 0x80u) return std::nullopt;
        cp = (cp << 6) | (byte(at + i) & 0x3Fu);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    return Decoded{cp, length};
}

void append_hex(std::string& out, unsigned char c) {
    static constexpr char digits[] = "0123456789abcdef";
    out += "\\x";
    out += digits[c >> 4];
    out += digits[c & 0xF];
}

}  // namespace

std::string terminal_safe(std::string_view bytes, bool multiline) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        auto const c = static_cast<unsigned char>(bytes[i]);
        if (c == '\n') {
            out += multiline ? "\n" : "\\n";
            ++i;
        } else if (c == '\r') {
            if (multiline && i + 1 < bytes.size() && bytes[i + 1] == '\n') {
                out += '\n';
                i += 2;
            } else {
                out += "\\r";
                ++i;
            }
        } else if (c == '\t' || (c >= 0x20 && c < 0x7F)) {
            out += static_cast<char>(c);
            ++i;
        } else if (auto const d = c >= 0x80 ? decode_utf8(bytes, i) : std::nullopt; d && d->code_point >= 0xA0) {
            out.append(bytes.substr(i, d->length));
            i += d->length;
        } else {
            append_hex(out, c);
            ++i;
        }
    }
    return out;
}

std::string xml_safe(std::string_view bytes, bool attribute) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        auto const d = decode_utf8(bytes, i);
        if (!d) {
            append_hex(out, static_cast<unsigned char>(bytes[i]));
            ++i;
            continue;
        }
        char32_t const cp = d->code_point;
        // XML 1.0 §2.2 [2]: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
        bool const allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                             (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
        if (!allowed) {
            for (std::size_t k = 0; k < d->length; ++k) append_hex(out, static_cast<unsigned char>(bytes[i + k]));
        } else {
            switch (cp) {
                case '&': out += "&amp;"; break;
                case '<': out += "&lt;"; break;
                case '>': out += "&gt;"; break;
                case '"': out += "&quot;"; break;
                case '\'': out += "&apos;"; break;
                case '\r': out += "&#13;"; break;
                case '\n': out += attribute ? "&#10;" : "\n"; break;
                case '\t': out += attribute ? "&#9;" : "\t"; break;
                default: out.append(bytes.substr(i, d->length));
            }
        }
        i += d->length;
    }
    return out;
}

}  // namespace smtpspec::conformance
