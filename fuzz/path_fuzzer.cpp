// Fuzz target: the address entry points (RFC 5321 §4.1.2, §4.1.3; RFC 6531 §3.3):
// parse_path, parse_reverse_path, parse_forward_path, parse_mailbox, parse_domain,
// parse_address_literal and parse_param, chosen by bits 3-5 of the mode byte.
//
// Invariant: parse, or report a syntax error; never crash, hang or throw anything else.
// Beyond that (fuzz_common.hpp): strict ok implies lenient ok with the same value,
// parse(print(value)) == value, and errors point inside the input. Here also:
// every Path is a Reverse-path and a Forward-path with the same path.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace g = smtpspec::grammar;
    using smtpspec::fuzz::check_parse;
    auto const mode = smtpspec::fuzz::take_mode(data, size);
    std::string_view const input(reinterpret_cast<const char*>(data), size);

    switch (mode.selector) {
        case 0: {
            auto const path = check_parse(&g::parse_path, input, mode.smtputf8);
            if (path.ok()) {
                auto const o = smtpspec::fuzz::options(g::Mode::strict, mode.smtputf8);
                auto const reverse = g::parse_reverse_path(input, o);
                SMTPSPEC_FUZZ_CHECK(reverse.ok() && reverse.value().path == path.value(), input);
                auto const forward = g::parse_forward_path(input, o);
                SMTPSPEC_FUZZ_CHECK(forward.ok() && forward.value().path == path.value(), input);
            }
            break;
        }
        case 1: check_parse(&g::parse_reverse_path, input, mode.smtputf8); break;
        case 2: check_parse(&g::parse_forward_path, input, mode.smtputf8); break;
        case 3: check_parse(&g::parse_mailbox, input, mode.smtputf8); break;
        case 4: check_parse(&g::parse_domain, input, mode.smtputf8); break;
        case 5: check_parse(&g::parse_address_literal, input, mode.smtputf8); break;
        default: check_parse(&g::parse_param, input, mode.smtputf8); break;
    }
    return 0;
}
