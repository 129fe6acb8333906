// Fuzz target: parse_ehlo_reply (RFC 5321 §4.1.1.1) and the capabilities read
// from it (RFC 1870, 2920, 3030, 3207, 3461, 4954, 6152, 6531), and parse_greeting
// (RFC 5321 §4.2) on the same bytes.
//
// Invariant: parse, or report a syntax error; never crash, hang or throw anything else.
// Beyond that (fuzz_common.hpp): strict ok implies lenient ok with the same value,
// parse(print(value)) == value, and errors point inside the input. Here also: the
// capabilities of an accepted reply are a function of its lines (reading them twice
// gives the same answer), and a SIZE limit is only reported when SIZE is.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "smtpspec/grammar/capabilities.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace g = smtpspec::grammar;
    auto const mode = smtpspec::fuzz::take_mode(data, size);
    std::string_view const input(reinterpret_cast<const char*>(data), size);

    auto const ehlo = smtpspec::fuzz::check_parse(&g::parse_ehlo_reply, input, mode.smtputf8);
    if (ehlo.ok()) {
        auto const caps = g::capabilities(ehlo.value());
        SMTPSPEC_FUZZ_CHECK(caps == g::capabilities(ehlo.value()), input);
        SMTPSPEC_FUZZ_CHECK(caps.size || !caps.size_limit, input);
        SMTPSPEC_FUZZ_CHECK(caps.auth || caps.auth_mechanisms.empty(), input);
    }
    smtpspec::fuzz::check_parse(&g::parse_greeting, input, mode.smtputf8);
    return 0;
}
