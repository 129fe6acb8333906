// Fuzz target: parse_command (RFC 5321 §4.1.1 and the extensions' commands).
//
// Invariant: parse, or report a syntax error; never crash, hang or throw anything else.
// Beyond that (fuzz_common.hpp): strict ok implies lenient ok with the same value,
// parse(print(value)) == value, and errors point inside the input. Here also: a
// line accepted without its CRLF is accepted, as the same command, with it.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "smtpspec/grammar/limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace g = smtpspec::grammar;
    auto const mode = smtpspec::fuzz::take_mode(data, size);
    std::string_view const input(reinterpret_cast<const char*>(data), size);

    auto const strict = smtpspec::fuzz::check_parse(&g::parse_command, input, mode.smtputf8);

    // parse.hpp: a line-based input may end with its CRLF or omit it.
    bool const ends_in_crlf = input.size() >= 2 && input.substr(input.size() - 2) == "\r\n";
    if (strict.ok() && !ends_in_crlf && input.size() + 2 <= g::limits::command_line) {
        std::string const line = std::string(input) + "\r\n";
        auto const with_crlf = g::parse_command(line, smtpspec::fuzz::options(g::Mode::strict, mode.smtputf8));
        SMTPSPEC_FUZZ_CHECK(with_crlf.ok(), input);
        SMTPSPEC_FUZZ_CHECK(with_crlf.value() == strict.value(), input);
    }
    return 0;
}
