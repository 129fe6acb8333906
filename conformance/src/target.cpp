#include "smtpspec/conformance/target.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace smtpspec::conformance {

namespace {

bool iequals_prefix(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
}

bool is_ipv4(const std::string& s) {
    in_addr a{};
    return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& s) {
    in6_addr a{};
    return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// A host name as the resolver takes it: labels of letters, digits, "-" and "_"
// (the last for names such as _dmarc that some set-ups use), each 1 to 63 octets.
std::string check_name(const std::string& host) {
    if (host.size() > 253) return "host name is longer than 253 octets";
    std::size_t label = 0;
    for (char c : host) {
        if (c == '.') {
            if (label == 0) return "host name " + quoted(host) + " has an empty label";
            label = 0;
            continue;
        }
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
            return "host name " + quoted(host) + " contains " + quoted(std::string(1, c)) +
                   ", which no host name can";
        if (++label > 63) return "host name " + quoted(host) + " has a label longer than 63 octets";
    }
    bool numeric = std::all_of(host.begin(), host.end(),
                               [](char c) { return c == '.' || std::isdigit(static_cast<unsigned char>(c)); });
    if (numeric && !is_ipv4(host)) return quoted(host) + " is not an IPv4 address";
    return {};
}

}  // namespace

std::uint16_t default_port(model::Profile profile) {
    switch (profile) {
        case model::Profile::relay: return 25;
        case model::Profile::submission: return 587;
        case model::Profile::submissions: return 465;
    }
    return 25;
}

std::string Target::text() const {
    switch (kind) {
        case Kind::exec: return "exec:" + command;
        case Kind::tcp:
        case Kind::tls: {
            std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
            return std::string(kind == Kind::tcp ? "tcp://" : "tls://") + h + ":" + std::to_string(port);
        }
    }
    return {};
}

std::variant<Target, TargetError> parse_target(std::string_view text, model::Profile profile) {
    const std::string port_hint = std::to_string(default_port(profile));
    auto fail = [](std::string message) { return std::variant<Target, TargetError>{TargetError{std::move(message)}}; };
    if (text.empty()) return fail("empty target: write tcp://HOST:PORT, tls://HOST:PORT or exec:COMMAND");

    if (iequals_prefix(text, "exec:")) {
        std::string_view command = text.substr(5);
        auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
        if (std::all_of(command.begin(), command.end(), blank))
            return fail("exec: needs a command that speaks SMTP on stdin/stdout: write e.g. \"exec:exim -bs\"");
        Target t;
        t.kind = Target::Kind::exec;
        t.command = std::string(command);
        return t;
    }

    Target t;
    std::size_t sep = text.find("://");
    if (sep == std::string_view::npos) {
        return fail("missing scheme in " + quoted(text) + ": write tcp://" + std::string(text) +
                    (text.find(':') == std::string_view::npos ? ":" + port_hint : "") +
                    " (plaintext, STARTTLS), tls://... (implicit TLS) or exec:COMMAND");
    }
    std::string scheme(text.substr(0, sep));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string_view rest = text.substr(sep + 3);
    if (scheme == "tcp") {
        t.kind = Target::Kind::tcp;
    } else if (scheme == "smtp") {
        return fail("unknown scheme \"smtp://\": write tcp://" + std::string(rest) + " (plaintext, STARTTLS)");
    } else if (scheme == "tls") {
        t.kind = Target::Kind::tls;
    } else if (scheme == "smtps" || scheme == "ssl") {
        return fail("unknown scheme " + quoted(scheme + "://") + ": write tls://" + std::string(rest) +
                    " (implicit TLS, RFC 8314)");
    } else {
        return fail("unknown scheme " + quoted(scheme + "://") + ": write tcp:// (plaintext, STARTTLS), tls:// "
                    "(implicit TLS) or exec:COMMAND");
    }

    if (std::size_t slash = rest.find('/'); slash != std::string_view::npos)
        return fail("unexpected path " + quoted(rest.substr(slash)) + " after the host: write " + scheme +
                    "://HOST:PORT");
    if (rest.find('@') != std::string_view::npos)
        return fail("a target has no user part: write " + scheme + "://HOST:PORT and give the user with --user");

    std::string_view port_text;
    bool has_port = false;
    if (!rest.empty() && rest.front() == '[') {
        std::size_t close = rest.find(']');
        if (close == std::string_view::npos)
            return fail("missing \"]\" after the IPv6 address in " + quoted(text) + ": write " + scheme + "://[::1]:" +
                        port_hint);
        t.host = std::string(rest.substr(1, close - 1));
        if (!is_ipv6(t.host))
            return fail(quoted(t.host) + " is not an IPv6 address: brackets hold an IPv6 address, e.g. " + scheme +
                        "://[::1]:" + port_hint);
        std::string_view after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return fail("unexpected " + quoted(after) + " after \"]\": write " + scheme + "://[" + t.host + "]:" +
                            port_hint);
            has_port = true;
            port_text = after.substr(1);
        }
    } else {
        std::size_t colons = static_cast<std::size_t>(std::count(rest.begin(), rest.end(), ':'));
        if (colons > 1)
            return fail("an IPv6 address needs brackets: write " + scheme + "://[" + std::string(rest) + "]:" +
                        port_hint);
        std::size_t colon = rest.find(':');
        t.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos) {
            has_port = true;
            port_text = rest.substr(colon + 1);
        }
        if (t.host.empty())
            return fail("missing host in " + quoted(text) + ": write " + scheme + "://mail.example.org:" + port_hint);
        if (std::string problem = check_name(t.host); !problem.empty())
            return fail(problem + ": write " + scheme + "://HOST:PORT with HOST a name, an IPv4 address or [IPv6]");
    }

    t.port = default_port(profile);
    if (has_port) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
        if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
            value > 65535)
            return fail("port " + quoted(port_text) + " is not a number from 1 to 65535: write " + scheme + "://" +
                        (t.host.find(':') != std::string::npos ? "[" + t.host + "]" : t.host) + ":" + port_hint);
        t.port = static_cast<std::uint16_t>(value);
    }
    return t;
}

}  // namespace smtpspec::conformance
