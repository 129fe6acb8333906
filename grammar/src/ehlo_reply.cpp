#include "ehlo_reply.hpp"

#include <array>
#include <cctype>
#include <vector>

#include "detail/run.hpp"
#include "ehlo_reply_def.hpp"
#include "smtpspec/grammar/parse.hpp"

namespace smtpspec::grammar::detail {

namespace ehlo_grammar {

BOOST_SPIRIT_INSTANTIATE(greeting_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(ehlo_ok_rsp_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(ehlo_line_type, iterator_type, context_type)

}  // namespace ehlo_grammar

ehlo_grammar::greeting_type const& greeting() { return ehlo_grammar::greeting_rule; }
ehlo_grammar::ehlo_ok_rsp_type const& ehlo_ok_rsp() { return ehlo_grammar::ehlo_ok_rsp_rule; }
ehlo_grammar::ehlo_line_type const& ehlo_line() { return ehlo_grammar::ehlo_line_rule; }

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

// RFC 6531 §3.3: a U-label in the host named on the first line only under
// SMTPUTF8. The host runs from after "220 "/"250-" (`code` and a separator)
// to the first SP or line end.
std::optional<ParseError> host_encoding(std::string_view text, Options options, std::string_view code,
                                        const char* production) {
    if (options.smtputf8 || text.size() <= 4 || text.substr(0, 3) != code) return std::nullopt;
    auto const host = text.substr(4);
    auto const end = host.find_first_of(" \r\n");
    auto e = non_ascii_error(host.substr(0, end), production);
    if (e) e->offset += 4;
    return e;
}

// Line limits first when they come no later than the grammar's error (see reply.cpp).
template <class State>
std::variant<State, ParseError> run_lines(std::string_view text, Options options, auto const& rule,
                                          const char* production, std::string_view code,
                                          const char* host_production) {
    if (auto e = host_encoding(text, options, code, host_production)) return *std::move(e);
    auto limit = check_reply_lines(text);
    auto r = run_strict<State>(text, rule, production);
    if (r.index() == 1) return earlier(std::get<1>(std::move(r)), limit);
    if (limit) return *limit;
    return r;
}

// "250-AUTH=LOGIN PLAIN": the form some servers sent before RFC 2554 was
// published, often beside the standard line. Read as "250-AUTH LOGIN PLAIN".
std::optional<Edit> fix_auth_equals(std::string_view text, ParseError const& error) {
    if (error.kind != ErrorKind::syntax || error.expected != "CRLF") return std::nullopt;
    auto const at = error.offset;
    if (at >= text.size() || text[at] != '=') return std::nullopt;
    auto const nl = text.rfind('\n', at);
    if (nl == std::string_view::npos) return std::nullopt;  // the first line names the host
    auto const keyword_at = nl + 1 + 4;
    if (keyword_at > at || !iequals(text.substr(keyword_at, at - keyword_at), "AUTH")) return std::nullopt;
    return Edit{at, 1, " "};
}

std::vector<Repair> make_repairs(bool ehlo) {
    std::vector<Repair> all;
    if (ehlo) {
        all.push_back(Repair{"ehlo-auth-equals",
                             "AUTH=mechanism list, the pre-standard form of the AUTH keyword, read as AUTH and its "
                             "parameters (RFC 4954 §3: the AUTH EHLO keyword takes SP-separated mechanisms)",
                             &fix_auth_equals});
    }
    for (auto const& r : reply_repairs()) all.push_back(r);
    for (auto const& r : address_repairs()) all.push_back(r);
    return all;
}

}  // namespace

std::span<Repair const> greeting_repairs() {
    static std::vector<Repair> const all = make_repairs(false);
    return all;
}

std::span<Repair const> ehlo_repairs() {
    static std::vector<Repair> const all = make_repairs(true);
    return all;
}

}  // namespace smtpspec::grammar::detail

namespace smtpspec::grammar {

Result<ast::Greeting> parse_greeting(std::string_view text, Options options) {
    using namespace detail;
    return parse_reply_text<ast::Greeting>(
        text, options, greeting_repairs(), [&](std::string_view t) -> std::variant<ast::Greeting, ParseError> {
            auto r = run_lines<ehlo_grammar::GreetingState>(t, options, ehlo_grammar::greeting_rule, "Greeting",
                                                            "220", "Domain / address-literal");
            if (r.index() == 1) return std::get<1>(std::move(r));
            return std::move(std::get<0>(r).value);
        });
}

Result<ast::EhloReply> parse_ehlo_reply(std::string_view text, Options options) {
    using namespace detail;
    return parse_reply_text<ast::EhloReply>(
        text, options, ehlo_repairs(), [&](std::string_view t) -> std::variant<ast::EhloReply, ParseError> {
            auto r = run_lines<ehlo_grammar::EhloState>(t, options, ehlo_grammar::ehlo_ok_rsp_rule, "ehlo-ok-rsp",
                                                        "250", "Domain");
            if (r.index() == 1) return std::get<1>(std::move(r));
            return std::move(std::get<0>(r).value);
        });
}

}  // namespace smtpspec::grammar
