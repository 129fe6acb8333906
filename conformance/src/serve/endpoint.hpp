// Where `smtpspec serve` listens: `--listen [PROFILE@]ADDRESS:PORT`.
//
//   relay@127.0.0.1:2525     plaintext, STARTTLS offered (RFC 5321, RFC 3207)
//   submission@[::1]:2587    plaintext, STARTTLS, AUTH before MAIL (RFC 6409)
//   submissions@0.0.0.0:2465 TLS from the first byte (RFC 8314 §3.3)
//   127.0.0.1:0              the default profile; port 0 picks a free port
//
// ADDRESS is a numeric IPv4 address or an IPv6 address in brackets: the server
// binds exactly what it is told and resolves no names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <boost/asio/ip/address.hpp>

#include "smtpspec/model/state.hpp"

namespace smtpspec::conformance::serve {

struct Endpoint {
    model::Profile profile = model::Profile::relay;
    boost::asio::ip::address address;
    std::uint16_t port = 0;

    // "127.0.0.1:2525" or "[::1]:2525" (without the profile).
    std::string address_text() const;
    bool operator==(const Endpoint&) const = default;
};

// A --listen value that could not be parsed; `message` names the problem and the fix.
struct EndpointError {
    std::string message;
};

std::variant<Endpoint, EndpointError> parse_endpoint(std::string_view text, model::Profile default_profile);

// The listener used when no --listen is given: 127.0.0.1 on 2525, 2587 or 2465,
// stand-ins for the standard ports 25, 587 and 465 that need no privilege.
Endpoint default_endpoint(model::Profile profile);

}  // namespace smtpspec::conformance::serve
