// The command group: instantiation of its rules, its lenient-mode repairs, and
// parse_command.
#include "command.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "command_def.hpp"
#include "detail/run.hpp"
#include "smtpspec/grammar/limits.hpp"
#include "smtpspec/grammar/parse.hpp"

namespace smtpspec::grammar::detail {

BOOST_SPIRIT_INSTANTIATE(command_type, iterator_type, context_type)

command_type const& command() { return command_rule; }

namespace {

// ---------------------------------------------------------------- text helpers

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && iequals(text.substr(text.size() - suffix.size()), suffix);
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The octets of the line before its final CRLF (all of it if there is none).
std::size_t content_end(std::string_view text) {
    return text.size() >= 2 && text.substr(text.size() - 2) == "\r\n" ? text.size() - 2 : text.size();
}

// The verb's argument starts after "MAIL FROM:" or "RCPT TO:" ending right before `at`.
bool after_path_colon(std::string_view text, std::size_t at) {
    auto const head = text.substr(0, at);
    return (istarts_with(head, "MAIL ") && iends_with(head, "FROM:")) ||
           (istarts_with(head, "RCPT ") && iends_with(head, "TO:"));
}

std::size_t run_of(std::string_view text, std::size_t at, char c) {
    std::size_t end = at;
    while (end < text.size() && text[end] == c) ++end;
    return end - at;
}

// ---------------------------------------------------------------- repairs
// Each explains one syntax error of the strict grammar by one real-world
// deviation and returns the edit that takes it back to the ABNF.

// "QUIT " / "MAIL FROM:<a@b> " — RFC 5321 §4.1.1: receivers SHOULD tolerate
// trailing white space before the terminating CRLF (or a bare LF, which
// bare-lf repairs next).
std::optional<Edit> fix_trailing_whitespace(std::string_view text, ParseError const& error) {
    if (error.kind != ErrorKind::syntax) return std::nullopt;
    auto end = content_end(text);
    if (end == text.size() && end > 0 && text[end - 1] == '\n') --end;
    auto start = end;
    while (start > 0 && is_blank(text[start - 1])) --start;
    if (start == end || error.offset < start || error.offset > end) return std::nullopt;
    return Edit{start, end - start, ""};
}

// "QUIT\n" — a line ended by LF alone (RFC 5321 §2.3.8: only CRLF ends a line).
std::optional<Edit> fix_bare_lf(std::string_view text, ParseError const& error) {
    if (error.kind != ErrorKind::syntax || text.empty() || error.offset != text.size() - 1) return std::nullopt;
    if (text.back() != '\n' || (text.size() >= 2 && text[text.size() - 2] == '\r')) return std::nullopt;
    return Edit{text.size() - 1, 0, "\r"};
}

// "MAIL FROM: <a@b>" — RFC 5321 §4.1.1.2, §4.1.1.3: the path follows the colon directly.
std::optional<Edit> fix_space_after_colon(std::string_view text, ParseError const& error) {
    auto const at = error.offset;
    if (error.kind != ErrorKind::syntax || at >= text.size() || text[at] != ' ') return std::nullopt;
    if (!after_path_colon(text, at)) return std::nullopt;
    return Edit{at, run_of(text, at, ' '), ""};
}

// "MAIL FROM :<a@b>" — RFC 5321 §4.1.1.2, §4.1.1.3: "FROM:" and "TO:" have no space before the colon.
std::optional<Edit> fix_space_before_colon(std::string_view text, ParseError const& error) {
    auto const at = error.offset;
    if (error.kind != ErrorKind::syntax || at != 5) return std::nullopt;
    auto const head = text.substr(0, at);
    std::size_t word = 0;
    if (iequals(head, "MAIL ") && istarts_with(text.substr(at), "FROM ")) word = 4;
    else if (iequals(head, "RCPT ") && istarts_with(text.substr(at), "TO ")) word = 2;
    else return std::nullopt;
    auto const spaces = run_of(text, at + word, ' ');
    if (at + word + spaces >= text.size() || text[at + word + spaces] != ':') return std::nullopt;
    return Edit{at + word, spaces, ""};
}

// "MAIL FROM:a@b" / "RCPT TO:a@b" — RFC 5321 §4.1.2: Path = "<" [ A-d-l ":" ] Mailbox ">".
std::optional<Edit> fix_missing_angle_brackets(std::string_view text, ParseError const& error) {
    auto const at = error.offset;
    if (error.kind != ErrorKind::syntax || at >= text.size() || !after_path_colon(text, at)) return std::nullopt;
    auto end = at;
    while (end < text.size() && text[end] != ' ' && text[end] != '\r' && text[end] != '\n' && text[end] != '<' &&
           text[end] != '>')
        ++end;
    if (end == at) return std::nullopt;
    return Edit{at, end - at, "<" + std::string(text.substr(at, end - at)) + ">"};
}

// "MAIL  FROM:<a@b>" / "RCPT TO:<a@b>  NOTIFY=NEVER" — RFC 5321 §4.1.1: a verb is
// "terminated by <SP> if parameters follow", and §4.1.2 separates parameters by one SP.
std::optional<Edit> fix_repeated_spaces(std::string_view text, ParseError const& error) {
    auto const at = error.offset;
    if (error.kind != ErrorKind::syntax || at == 0 || at >= text.size()) return std::nullopt;
    if (text[at] != ' ' || text[at - 1] != ' ') return std::nullopt;
    return Edit{at, run_of(text, at, ' '), ""};
}

// "HELO [192.0.2.1]" — RFC 5321 §4.1.1.1: HELO takes a Domain only; the IPv4
// address is read as the Domain "192.0.2.1" (the AST of HELO holds a Domain).
std::optional<Edit> fix_helo_address_literal(std::string_view text, ParseError const& error) {
    auto const at = error.offset;
    if (error.kind != ErrorKind::syntax || at != 5 || !istarts_with(text, "HELO ")) return std::nullopt;
    if (at >= text.size() || text[at] != '[') return std::nullopt;
    auto const close = text.find(']', at);
    if (close == std::string_view::npos || close == at + 1) return std::nullopt;
    auto const inner = text.substr(at + 1, close - at - 1);
    if (!std::all_of(inner.begin(), inner.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); }))
        return std::nullopt;
    return Edit{at, close + 1 - at, std::string(inner)};
}

// Tried in this order; the first that explains the error is applied.
constexpr std::array<Repair, 7> repairs{{
    {"trailing-whitespace",
     "white space before the CRLF accepted; RFC 5321 §4.1.1 ends a command with its last argument and CRLF "
     "(receivers SHOULD tolerate it)",
     &fix_trailing_whitespace},
    {"bare-lf", "line ended by LF without CR accepted; RFC 5321 §2.3.8 ends every line with CRLF", &fix_bare_lf},
    {"space-after-colon",
     "space after \"FROM:\"/\"TO:\" accepted; RFC 5321 §4.1.1.2/§4.1.1.3 put the path right after the colon",
     &fix_space_after_colon},
    {"space-before-colon",
     "space before the colon of \"FROM:\"/\"TO:\" accepted; RFC 5321 §4.1.1.2/§4.1.1.3 spell them without one",
     &fix_space_before_colon},
    {"missing-angle-brackets",
     "path without angle brackets accepted; RFC 5321 §4.1.2 Path = \"<\" [ A-d-l \":\" ] Mailbox \">\"",
     &fix_missing_angle_brackets},
    {"repeated-spaces",
     "more than one SP between command elements accepted; RFC 5321 §4.1.1/§4.1.2 separate them by one SP",
     &fix_repeated_spaces},
    {"helo-address-literal",
     "IPv4 address literal in HELO accepted as a Domain; RFC 5321 §4.1.1.1 HELO takes a Domain only",
     &fix_helo_address_literal},
}};

// ---------------------------------------------------------------- line-level checks

// RFC 5321 §4.5.3.1.4: at most 512 octets with the CRLF, counted as if the CRLF
// were there when the caller left it out. The error points at the first octet
// that does not fit: offset 510, where only the CRLF may still stand.
std::optional<ParseError> line_length_error(std::string_view text) {
    auto const with_crlf = content_end(text) + 2;
    if (with_crlf <= limits::command_line) return std::nullopt;
    return ParseError{ErrorKind::limit, limits::command_line - 2, "command-line",
                      "command line is " + std::to_string(with_crlf) +
                          " octets with its CRLF; RFC 5321 §4.5.3.1.4 sets its limit at " +
                          std::to_string(limits::command_line)};
}

// RFC 5321 §2.3.8: a CR or LF that is not the line's final CRLF.
std::optional<ParseError> bare_line_break_error(std::string_view text) {
    auto const end = content_end(text);
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] != '\r' && text[i] != '\n') continue;
        auto e = syntax_error(text, i, "CRLF");
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            e.message = "CRLF before the end of the input; a command line ends at its first CRLF (RFC 5321 §2.3.8)";
        else
            e.message = std::string("bare ") + (text[i] == '\r' ? "CR" : "LF") +
                        " inside the command line; RFC 5321 §2.3.8 allows CR and LF only as the line's CRLF";
        return e;
    }
    return std::nullopt;
}

// RFC 6531 §3.3: where UTF-8 may appear it must be well-formed. The first octet
// of an ill-formed sequence.
std::optional<ParseError> utf8_error(std::string_view text) {
    iterator_type first = text.data();
    iterator_type const last = text.data() + text.size();
    try {
        while (first != last) {
            if (static_cast<unsigned char>(*first) < 0x80) ++first;
            else x3::parse(first, last, UTF8_non_ascii);
        }
    } catch (encoding_error const& e) {
        return encoding_failure(text, e);
    }
    return std::nullopt;
}

// RFC 6531 §3.4: a MAIL command with the SMTPUTF8 parameter starts an SMTPUTF8
// transaction, so its own line may carry UTF-8. For a line that did not parse,
// whether it is such a MAIL command is judged from its words.
bool declares_smtputf8(std::string_view text) {
    if (!istarts_with(text, "MAIL ")) return false;
    auto const end = content_end(text);
    for (std::size_t i = 0; i < end;) {
        auto const sp = text.find(' ', i);
        auto const stop = std::min(sp == std::string_view::npos ? end : sp, end);
        if (i > 0 && iequals(text.substr(i, stop - i), "SMTPUTF8")) return true;
        i = stop + 1;
    }
    return false;
}

bool declares_smtputf8(ast::Command const& command) {
    auto const* mail = std::get_if<ast::Mail>(&command);
    return mail && std::any_of(mail->params.begin(), mail->params.end(),
                               [](ast::Param const& p) { return std::holds_alternative<ast::SmtpUtf8Param>(p); });
}

// Whether the line before its final CRLF holds a CR, an LF or an octet >= 0x80:
// only then can bare_line_break_error, utf8_error or non_ascii_error find
// anything (the final CRLF itself is ASCII). One pass instead of three.
bool has_break_or_non_ascii(std::string_view text) {
    auto const end = content_end(text);
    for (std::size_t i = 0; i < end; ++i) {
        auto const c = static_cast<unsigned char>(text[i]);
        if (c == '\r' || c == '\n' || c >= 0x80) return true;
    }
    return false;
}

// One strict parse of a command line. Of the problems found, the one at the
// lowest offset is reported: a grammar error, a bare CR/LF, ill-formed UTF-8, or
// (without SMTPUTF8) the first non-ASCII octet. The line length is checked first.
std::variant<ast::Command, ParseError> parse_strict(std::string_view text, Options options) {
    if (auto e = line_length_error(text)) return *e;

    auto result = run_strict<ast::Command>(text, command(), "command");
    if (!has_break_or_non_ascii(text)) return result;

    std::optional<ParseError> error;
    if (result.index() == 1) error = std::get<1>(result);
    // At the same offset the more specific finding (line break, encoding) wins.
    auto consider = [&error](std::optional<ParseError> candidate) {
        if (candidate && (!error || candidate->offset <= error->offset)) error = std::move(candidate);
    };
    consider(bare_line_break_error(text));
    consider(utf8_error(text));
    if (!options.smtputf8) {
        bool const utf8_transaction =
            result.index() == 0 ? declares_smtputf8(std::get<0>(result)) : declares_smtputf8(text);
        if (!utf8_transaction) consider(non_ascii_error(text, "command"));
    }
    if (error) return *error;
    return std::get<0>(std::move(result));
}

}  // namespace

std::span<Repair const> command_repairs() { return repairs; }

}  // namespace smtpspec::grammar::detail

namespace smtpspec::grammar {

// One command line (parse.hpp). The line may end with its CRLF or omit it; it is
// at most limits::command_line octets counting the CRLF, else an error of kind
// `limit`, production "command-line", at offset 510 (the first octet past the
// room left for the CRLF).
Result<ast::Command> parse_command(std::string_view line, Options options) {
    static std::vector<detail::Repair> const repairs = [] {
        std::vector<detail::Repair> all;
        auto const own = detail::command_repairs();
        auto const address = detail::address_repairs();
        all.insert(all.end(), own.begin(), own.end());
        all.insert(all.end(), address.begin(), address.end());
        return all;
    }();
    return detail::parse_with_repairs<ast::Command>(
        line, options, repairs, [options](std::string_view text) { return detail::parse_strict(text, options); });
}

}  // namespace smtpspec::grammar
