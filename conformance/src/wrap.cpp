#include "wrap.hpp"

#include <algorithm>

namespace smtpspec::conformance {
namespace {

// Display columns of UTF-8 text: one per code point (no wide characters in our texts).
std::size_t columns(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

}  // namespace

std::string wrap(std::string_view text, std::string_view indent, std::size_t width) {
    std::string out, line;
    std::size_t line_columns = 0;
    std::size_t const room = width > columns(indent) ? width - columns(indent) : 1;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ') ++i;
        std::size_t const end = std::min(text.find(' ', i), text.size());
        if (end == i) break;
        std::string_view const word = text.substr(i, end - i);
        std::size_t const word_columns = columns(word);
        if (!line.empty() && line_columns + 1 + word_columns > room) {
            out.append(indent).append(line) += '\n';
            line.clear();
            line_columns = 0;
        }
        if (!line.empty()) {
            line += ' ';
            ++line_columns;
        }
        line += word;
        line_columns += word_columns;
        i = end;
    }
    if (!line.empty()) out.append(indent).append(line) += '\n';
    return out;
}

}  // namespace smtpspec::conformance
