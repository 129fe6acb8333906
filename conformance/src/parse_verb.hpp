// `smtpspec parse KIND [--lenient] [--smtputf8] TEXT`: runs one grammar entry
// point on TEXT and prints the AST as JSON (docs/ast-json.md), or the input with
// a caret under the offending byte and the error.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace smtpspec::cli {

// Exit codes shared by every verb.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // parse: the input does not parse
inline constexpr int exit_usage = 2;    // bad arguments; the message names the fix

struct ParseArgs {
    std::string kind;       // one of parse_kinds()
    std::string text;       // as given on the command line, escapes not yet decoded; "-": stdin
    bool lenient = false;
    bool smtputf8 = false;
};

// The KIND names, in the order `smtpspec parse --help` lists them.
std::vector<std::string> const& parse_kinds();

// TEXT with the escapes \r \n \t \\ \xHH decoded. A backslash followed by
// anything else, or \x without two hex digits, is an error: the message names
// the offending escape and its position.
struct DecodeError {
    std::size_t position;
    std::string message;
};
std::string decode_escapes(std::string_view text, std::optional<DecodeError>& error);

// Bytes for a terminal: printable ASCII as is, a backslash as \\, CR LF HTAB as
// \r \n \t, every other octet as \xHH. `columns` receives, for each input
// offset (and one past the end), the display column at which it starts.
std::string show_bytes(std::string_view bytes, std::vector<std::size_t>* columns = nullptr);

// The verb itself, on already-read input: returns the exit code.
int run_parse(ParseArgs const& args, std::istream& in, std::ostream& out, std::ostream& err);

// Registers the `parse` subcommand on `app`; when it is selected, its exit code
// is stored in `exit_code`.
void add_parse_verb(CLI::App& app, int& exit_code);

}  // namespace smtpspec::cli
