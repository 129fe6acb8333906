// The RFC texts as the rule quotes are checked against them: page headers,
// footers and form feeds removed, white space collapsed, and a line break
// after a hyphen joining the words. Used by the model's rule table test and
// the conformance TLS rule table test.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
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

// Every rule of `rules` (each with rfc, name and quote) quotes text found in the
// RFC it cites. All texts are read first, so that a skip for a missing one never
// follows a failure (CTest shows a program that skipped as skipped). Call it as
// the last statement of a test: a skip returns from here only.
template <class Rules>
void expect_quotes_verbatim(const Rules& rules, const std::string& dir) {
    std::map<unsigned, std::string> texts;
    for (const auto& r : rules) {
        auto [it, fresh] = texts.try_emplace(r.rfc);
        if (fresh) it->second = normalised_rfc(dir, r.rfc);
        if (it->second.empty()) GTEST_SKIP() << "RFC " << r.rfc << " not found in " << dir;
    }
    for (const auto& r : rules)
        EXPECT_NE(texts[r.rfc].find(collapse(r.quote)), std::string::npos)
            << r.name << " quotes text not found in RFC " << r.rfc << ": " << r.quote;
}

}  // namespace smtpspec::testing
