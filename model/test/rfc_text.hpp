// The RFC texts as the rule quotes are checked against them: page headers,
// footers and form feeds removed, white space collapsed, and a line break
// after a hyphen joining the words. Used by the model's rule table test and
// the conformance TLS rule table test.
#pragma once

#include <fstream>
#include <string>
#include <string_view>

namespace smtpspec::testing {

// RFC `rfc` from `dir` (rfcNNNN.txt), normalised; empty when it cannot be read.
inline std::string normalised_rfc(const std::string& dir, unsigned rfc) {
    std::ifstream in(dir + "/rfc" + std::to_string(rfc) + ".txt");
    if (!in) return {};
    std::string out, line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find('\f') != std::string::npos) continue;
        if (line.find("[Page ") != std::string::npos && line.back() == ']') continue;
        if (line.starts_with("RFC " + std::to_string(rfc) + " ")) continue;
        std::size_t b = line.find_first_not_of(' ');
        if (b == std::string::npos) {
            if (!out.empty() && out.back() != ' ') out += ' ';
            continue;
        }
        std::string_view t = std::string_view(line).substr(b);
        if (!out.empty() && out.back() != ' ' && out.back() != '-') out += ' ';
        for (char c : t) {
            if (c == ' ' && !out.empty() && out.back() == ' ') continue;
            out += c;
        }
    }
    return out;
}

// A quote with its runs of spaces collapsed, as normalised_rfc has the text.
inline std::string collapse(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ' ' && !out.empty() && out.back() == ' ') continue;
        out += c;
    }
    return out;
}

}  // namespace smtpspec::testing
