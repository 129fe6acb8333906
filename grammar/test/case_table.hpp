// Reader of the grammar case tables (grammar/test/cases/README.md).
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::grammar::test {

struct Verdict {
    bool ok = false;
    std::vector<std::string> deviations;    // when ok
    std::string error_kind;                 // when not ok: syntax, limit, encoding
    std::size_t offset = 0;                 // when not ok
    std::optional<std::string> production;  // when not ok and stated
};

struct Case {
    std::string file;
    int line = 0;
    std::string kind;
    bool smtputf8 = false;
    std::string input;
    Verdict strict;
    Verdict lenient;
    std::optional<std::string> printed;
    std::string rfc;
};

// Decodes the escapes of an input or printed cell (without its backticks):
// \r \n \t \0 \xHH \\ \` \| and \{TEXT*N} (TEXT, itself with escapes but no "}", repeated N times).
// Returns nullopt when an escape is malformed.
inline std::optional<std::string> try_unescape(std::string_view cell) {
    std::string out;
    for (std::size_t i = 0; i < cell.size(); ++i) {
        char const c = cell[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= cell.size()) return std::nullopt;
        switch (cell[i]) {
            case 'r': out += '\r'; break;
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case '0': out += '\0'; break;
            case '\\': out += '\\'; break;
            case '`': out += '`'; break;
            case '|': out += '|'; break;
            case 'x': {
                if (i + 2 >= cell.size()) return std::nullopt;  // needs two hex digits after the x
                auto const hex = std::string(cell.substr(i + 1, 2));
                if (hex.size() != 2 || !std::isxdigit(static_cast<unsigned char>(hex[0])) ||
                    !std::isxdigit(static_cast<unsigned char>(hex[1])))
                    return std::nullopt;
                out += static_cast<char>(std::stoi(hex, nullptr, 16));
                i += 2;
                break;
            }
            case '{': {
                auto const close = cell.find('}', i);
                if (close == std::string_view::npos) return std::nullopt;
                auto const body = cell.substr(i + 1, close - i - 1);
                auto const star = body.rfind('*');
                if (star == std::string_view::npos || star == 0) return std::nullopt;
                auto const count = std::string(body.substr(star + 1));
                if (count.empty() || count.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
                auto const text = try_unescape(body.substr(0, star));
                if (!text) return std::nullopt;
                for (int n = std::stoi(count); n > 0; --n) out += *text;
                i = close;
                break;
            }
            default: return std::nullopt;
        }
    }
    return out;
}

inline std::string unescape(std::string_view cell) { return try_unescape(cell).value_or(std::string(cell)); }

inline std::string escape(std::string_view bytes) {
    std::string out;
    char buf[8];
    for (unsigned char c : bytes) {
        switch (c) {
            case '\r': out += "\\r"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\\': out += "\\\\"; break;
            default:
                if (c < 0x20 || c >= 0x7F) {
                    std::snprintf(buf, sizeof buf, "\\x%02X", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out;
}

namespace detail {

inline std::string trim(std::string_view s) {
    auto const b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    auto const e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

// Splits a table row on the pipes that are not escaped.
inline std::vector<std::string> cells(std::string_view row) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] == '\\' && i + 1 < row.size()) {
            cur += row[i];
            cur += row[++i];
        } else if (row[i] == '|') {
            out.push_back(trim(cur));
            cur.clear();
        } else {
            cur += row[i];
        }
    }
    out.push_back(trim(cur));
    // A row "| a | b |" gives an empty first and last cell.
    if (!out.empty() && out.front().empty()) out.erase(out.begin());
    if (!out.empty() && out.back().empty()) out.pop_back();
    return out;
}

// `text` between backticks, or nullopt.
inline std::optional<std::string> code(std::string const& cell) {
    if (cell.size() < 2 || cell.front() != '`' || cell.back() != '`') return std::nullopt;
    return try_unescape(std::string_view(cell).substr(1, cell.size() - 2));
}

inline std::optional<Verdict> verdict(std::string const& cell) {
    Verdict v;
    std::istringstream in(cell);
    std::string word;
    if (!(in >> word)) return std::nullopt;
    if (word == "ok") {
        v.ok = true;
        while (in >> word) {
            if (word.size() < 2 || word[0] != '~') return std::nullopt;
            v.deviations.push_back(word.substr(1));
        }
        return v;
    }
    auto const at = word.find('@');
    if (at == std::string::npos) return std::nullopt;
    v.error_kind = word.substr(0, at);
    if (v.error_kind != "syntax" && v.error_kind != "limit" && v.error_kind != "encoding") return std::nullopt;
    auto rest = word.substr(at + 1);
    auto const colon = rest.find(':');
    auto const number = rest.substr(0, colon);
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    v.offset = std::stoul(number);
    if (colon != std::string::npos) {
        // The production may contain spaces (e.g. "Domain / address-literal"): take the rest of the cell.
        std::string tail;
        std::getline(in, tail);
        v.production = rest.substr(colon + 1) + tail;
        while (!v.production->empty() && v.production->back() == ' ') v.production->pop_back();
    } else if (in >> word) {
        return std::nullopt;
    }
    return v;
}

inline std::vector<std::string> const& kinds() {
    static std::vector<std::string> const k = {"command", "reverse-path", "forward-path", "path", "mailbox",
                                               "domain", "address-literal", "param", "reply", "greeting",
                                               "ehlo-reply", "enhanced-code"};
    return k;
}

// Reads one file; appends cases and problems.
inline void read_file(std::filesystem::path const& file, std::vector<Case>& cases,
                      std::vector<std::string>& problems) {
    std::ifstream in(file, std::ios::binary);
    std::string const name = file.filename().string();
    std::string kind;
    bool smtputf8 = false;
    std::string text;
    int line = 0;
    auto problem = [&](std::string const& what) { problems.push_back(name + ":" + std::to_string(line) + ": " + what); };
    while (std::getline(in, text)) {
        ++line;
        if (text.rfind("## ", 0) == 0) {
            std::istringstream h(text.substr(3));
            h >> kind;
            std::string flag;
            smtputf8 = false;
            while (h >> flag) {
                if (flag == "smtputf8") smtputf8 = true;
                else problem("unknown flag '" + flag + "' in heading");
            }
            if (std::find(kinds().begin(), kinds().end(), kind) == kinds().end()) {
                problem("unknown kind '" + kind + "'");
                kind.clear();
            }
            continue;
        }
        if (text.empty() || text[0] != '|') continue;
        auto const row = cells(text);
        if (row.size() == 5 && row[0] == "input") continue;                    // header
        if (!row.empty() && row[0].find_first_not_of("-: ") == std::string::npos) continue;  // separator
        if (row.size() != 5) {
            // A printed cell may be empty: "| `x` | ok | ok |  | 5321 |" splits into 5 with an empty cell.
            problem("expected 5 cells (input, strict, lenient, printed, rfc), found " + std::to_string(row.size()));
            continue;
        }
        if (kind.empty()) {
            problem("row before any '## KIND' heading");
            continue;
        }
        Case c;
        c.file = name;
        c.line = line;
        c.kind = kind;
        c.smtputf8 = smtputf8;
        c.rfc = row[4];
        auto input = code(row[0]);
        auto strict = verdict(row[1]);
        auto lenient = verdict(row[2]);
        if (!input) { problem("input is not a `code` cell with valid escapes"); continue; }
        if (!strict) { problem("bad strict verdict '" + row[1] + "'"); continue; }
        if (!lenient) { problem("bad lenient verdict '" + row[2] + "'"); continue; }
        if (!strict->deviations.empty()) { problem("strict mode reports no deviations"); continue; }
        if (strict->ok && !lenient->ok) { problem("strict acceptance implies lenient acceptance"); continue; }
        if (!row[3].empty()) {
            auto printed = code(row[3]);
            if (!printed) { problem("printed is not a `code` cell with valid escapes"); continue; }
            if (!strict->ok && !lenient->ok) { problem("printed given for a rejected input"); continue; }
            c.printed = std::move(printed);
        }
        if (c.rfc.empty()) { problem("rfc cell is empty"); continue; }
        c.input = std::move(*input);
        c.strict = std::move(*strict);
        c.lenient = std::move(*lenient);
        cases.push_back(std::move(c));
    }
}

inline std::vector<std::filesystem::path> files(std::string const& dir) {
    std::vector<std::filesystem::path> out;
    for (auto const& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".md" && e.path().filename() != "README.md") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace detail

inline std::vector<Case> load_cases(std::string const& dir) {
    std::vector<Case> cases;
    std::vector<std::string> problems;
    for (auto const& f : detail::files(dir)) detail::read_file(f, cases, problems);
    return cases;
}

inline std::vector<std::string> table_problems(std::string const& dir) {
    std::vector<Case> cases;
    std::vector<std::string> problems;
    for (auto const& f : detail::files(dir)) detail::read_file(f, cases, problems);
    return problems;
}

// How GoogleTest shows a case: where it is and what it parses.
inline void PrintTo(Case const& c, std::ostream* os) {
    *os << c.file << ":" << c.line << " " << c.kind << " `" << escape(c.input) << "`";
}

inline std::string case_name(Case const& c) {
    std::string stem = c.file.substr(0, c.file.find('.'));
    std::string out;
    for (char ch : stem) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
    return out + "_" + std::to_string(c.line);
}

}  // namespace smtpspec::grammar::test
