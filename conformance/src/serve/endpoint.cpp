#include "serve/endpoint.hpp"

#include <boost/system/error_code.hpp>
#include <charconv>

namespace smtpspec::conformance::serve {

namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

std::string Endpoint::address_text() const {
    std::string host = address.to_string();
    if (address.is_v6()) host = "[" + host + "]";
    return host + ":" + std::to_string(port);
}

std::variant<Endpoint, EndpointError> parse_endpoint(std::string_view text, model::Profile default_profile) {
    Endpoint e;
    e.profile = default_profile;
    std::string_view rest = text;
    if (auto at = rest.find('@'); at != std::string_view::npos) {
        auto profile = model::parse_profile(rest.substr(0, at));
        if (!profile)
            return EndpointError{"unknown profile " + quoted(rest.substr(0, at)) + " in --listen " + quoted(text) +
                                 "; use relay, submission or submissions, e.g. submission@127.0.0.1:2587"};
        e.profile = *profile;
        rest.remove_prefix(at + 1);
    }

    std::string_view host;
    std::string_view port;
    if (!rest.empty() && rest.front() == '[') {
        auto close = rest.find(']');
        if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
            return EndpointError{"malformed IPv6 address in --listen " + quoted(text) +
                                 "; write it in brackets with a port, e.g. [::1]:2525"};
        host = rest.substr(1, close - 1);
        port = rest.substr(close + 2);
    } else {
        auto colon = rest.rfind(':');
        if (colon == std::string_view::npos)
            return EndpointError{"missing port in --listen " + quoted(text) +
                                 "; write ADDRESS:PORT, e.g. 127.0.0.1:2525 (port 0 picks a free one)"};
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        if (host.find(':') != std::string_view::npos)
            return EndpointError{"IPv6 address without brackets in --listen " + quoted(text) +
                                 "; write it as [ADDRESS]:PORT, e.g. [::1]:2525"};
    }

    boost::system::error_code ec;
    e.address = boost::asio::ip::make_address(std::string(host), ec);
    if (ec || host.empty())
        return EndpointError{"address " + quoted(host) + " in --listen " + quoted(text) +
                             " is not a numeric IP address; use e.g. 127.0.0.1, 0.0.0.0 or [::1]"};
    unsigned value = 0;
    auto [end, err] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || err != std::errc{} || end != port.data() + port.size() || value > 65535)
        return EndpointError{"port " + quoted(port) + " in --listen " + quoted(text) +
                             " is not a number from 0 to 65535; e.g. 127.0.0.1:2525 (0 picks a free port)"};
    e.port = static_cast<std::uint16_t>(value);
    return e;
}

Endpoint default_endpoint(model::Profile profile) {
    Endpoint e;
    e.profile = profile;
    e.address = boost::asio::ip::make_address_v4("127.0.0.1");
    switch (profile) {
        case model::Profile::relay: e.port = 2525; break;
        case model::Profile::submission: e.port = 2587; break;
        case model::Profile::submissions: e.port = 2465; break;
    }
    return e;
}

}  // namespace smtpspec::conformance::serve
