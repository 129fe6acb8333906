// The address-literal group (RFC 5321 §4.1.3): instantiation of the rule and
// the decoding of what it matched.
#include "address_literal_def.hpp"

namespace smtpspec::grammar::detail {

BOOST_SPIRIT_INSTANTIATE(address_literal_type, iterator_type, context_type)

address_literal_type const& address_literal() { return address_literal_rule; }

namespace address_literal_grammar {

std::array<std::uint8_t, 4> decode_ipv4(std::string_view text) {
    std::array<std::uint8_t, 4> octets{};
    for (auto& octet : octets) {
        unsigned value = 0;
        auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        (void)ec;
        octet = static_cast<std::uint8_t>(value);
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        if (!text.empty()) text.remove_prefix(1);  // the "."
    }
    return octets;
}

namespace {

// "1:2:3" -> {1, 2, 3}; "" -> {}.
std::vector<std::uint16_t> decode_groups(std::string_view text) {
    std::vector<std::uint16_t> groups;
    while (!text.empty()) {
        std::uint16_t value = 0;
        auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
        (void)ec;
        groups.push_back(value);
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        if (!text.empty()) text.remove_prefix(1);  // the ":"
    }
    return groups;
}

}  // namespace

ast::IPv6Literal decode_ipv6(std::string_view text, ast::IPv6Literal::Form form) {
    using Form = ast::IPv6Literal::Form;
    ast::IPv6Literal v;
    v.form = form;
    if (form == Form::v4full || form == Form::v4comp) {
        // The IPv4-address-literal follows the last ":"; keep "::" whole.
        auto const colon = text.rfind(':');
        v.v4 = decode_ipv4(text.substr(colon + 1));
        text = text.substr(0, colon + 1);
        if (!text.ends_with("::")) text.remove_suffix(1);
    }
    auto const gap = text.find("::");
    if (gap == std::string_view::npos) {
        v.head = decode_groups(text);
    } else {
        v.head = decode_groups(text.substr(0, gap));
        v.tail = decode_groups(text.substr(gap + 2));
    }
    return v;
}

}  // namespace address_literal_grammar

}  // namespace smtpspec::grammar::detail
