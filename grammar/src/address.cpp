// The address group (RFC 5321 §4.1.2; RFC 6531 §3.3): instantiation of the
// rules declared in address.hpp, their lenient-mode repairs, and the public
// address parse functions.
#include "address_def.hpp"

#include <array>
#include <optional>

#include "detail/run.hpp"
#include "smtpspec/grammar/parse.hpp"

namespace smtpspec::grammar::detail {

BOOST_SPIRIT_INSTANTIATE(domain_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(host_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(local_part_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(mailbox_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(path_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(reverse_path_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(forward_path_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(atom_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(quoted_string_type, iterator_type, context_type)

domain_type const& domain() { return domain_rule; }
host_type const& host() { return host_rule; }
local_part_type const& local_part() { return local_part_rule; }
mailbox_type const& mailbox() { return mailbox_rule; }
path_type const& path() { return path_rule; }
reverse_path_type const& reverse_path() { return reverse_path_rule; }
forward_path_type const& forward_path() { return forward_path_rule; }
atom_type const& atom() { return atom_rule; }
quoted_string_type const& quoted_string() { return quoted_string_rule; }

namespace {

bool is_let_dig(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// "example.com." — a trailing dot, the DNS root written out. The strict grammar
// stops at the octet after the dot, where a sub-domain must follow; the repair
// applies only when nothing that could begin or continue a label is there.
std::optional<Edit> fix_trailing_dot_domain(std::string_view text, ParseError const& error) {
    auto const at = error.offset;
    if (error.kind != ErrorKind::syntax || error.expected != "sub-domain") return std::nullopt;
    if (at < 2 || at > text.size() || text[at - 1] != '.') return std::nullopt;
    auto const before = static_cast<unsigned char>(text[at - 2]);
    if (!is_let_dig(text[at - 2]) && before < 0x80) return std::nullopt;
    if (at < text.size()) {
        auto const next = static_cast<unsigned char>(text[at]);
        if (is_let_dig(text[at]) || next == '-' || next == '.' || next == '_' || next >= 0x80) return std::nullopt;
    }
    return Edit{at - 1, 1, ""};
}

constexpr std::array<Repair, 1> repairs{{
    {"trailing-dot-domain",
     "a domain ending in \".\" (the DNS root) accepted; RFC 5321 §4.1.2 Domain has no trailing dot",
     &fix_trailing_dot_domain},
}};

// RFC 6531 §3.3: without SMTPUTF8 an address is ASCII; with it, the non-ASCII
// octets must be UTF-8. The first octet that breaks the rule in effect.
std::optional<ParseError> address_encoding_error(std::string_view text, Options options, const char* production) {
    if (!options.smtputf8) return non_ascii_error(text, production);
    iterator_type first = text.data();
    iterator_type const last = text.data() + text.size();
    try {
        while (first != last) {
            if (static_cast<unsigned char>(*first) < 0x80) {
                ++first;
                continue;
            }
            x3::parse(first, last, UTF8_non_ascii);
        }
    } catch (encoding_error const& e) {
        return encoding_failure(text, e);
    }
    return std::nullopt;
}

template <class T, class Rule>
Result<T> parse_address(std::string_view text, Options options, Rule const& rule, const char* production) {
    if (auto error = address_encoding_error(text, options, production)) return std::move(*error);
    return parse_with_repairs<T>(text, options, address_repairs(),
                                 [&](std::string_view t) { return run_strict<T>(t, rule, production); });
}

}  // namespace

std::span<Repair const> address_repairs() { return repairs; }

}  // namespace smtpspec::grammar::detail

namespace smtpspec::grammar {

Result<ast::ReversePath> parse_reverse_path(std::string_view text, Options options) {
    return detail::parse_address<ast::ReversePath>(text, options, detail::reverse_path(), "Reverse-path");
}

Result<ast::ForwardPath> parse_forward_path(std::string_view text, Options options) {
    return detail::parse_address<ast::ForwardPath>(text, options, detail::forward_path(), "Forward-path");
}

Result<ast::Path> parse_path(std::string_view text, Options options) {
    return detail::parse_address<ast::Path>(text, options, detail::path(), "Path");
}

Result<ast::Mailbox> parse_mailbox(std::string_view text, Options options) {
    return detail::parse_address<ast::Mailbox>(text, options, detail::mailbox(), "Mailbox");
}

Result<ast::Domain> parse_domain(std::string_view text, Options options) {
    return detail::parse_address<ast::Domain>(text, options, detail::domain(), "Domain");
}

Result<ast::AddressLiteral> parse_address_literal(std::string_view text, Options options) {
    return detail::parse_address<ast::AddressLiteral>(text, options, detail::address_literal(), "address-literal");
}

}  // namespace smtpspec::grammar
