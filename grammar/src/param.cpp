// The ESMTP parameter group: instantiation of its rules and parse_param.
#include "param.hpp"

#include "detail/lenient.hpp"
#include "detail/run.hpp"
#include "param_def.hpp"
#include "smtpspec/grammar/parse.hpp"

namespace smtpspec::grammar {

namespace detail {

BOOST_SPIRIT_INSTANTIATE(esmtp_param_type, iterator_type, context_type)

esmtp_param_type const& esmtp_param() { return esmtp_param_rule; }

}  // namespace detail

// One esmtp-param on its own, as it appears in MAIL or RCPT (RFC 5321 §4.1.2).
// Without SMTPUTF8 a non-ASCII octet is an `encoding` error (RFC 6531 §3.3 adds
// UTF8-non-ascii to esmtp-value only for SMTPUTF8).
Result<ast::Param> parse_param(std::string_view text, Options options) {
    auto const strict = [options](std::string_view t) -> std::variant<ast::Param, ParseError> {
        if (!options.smtputf8) {
            if (auto e = detail::non_ascii_error(t, "esmtp-value")) return *e;
        }
        return detail::run_strict<ast::Param>(t, detail::esmtp_param(), "esmtp-param");
    };
    return detail::parse_with_repairs<ast::Param>(text, options, {}, strict);
}

}  // namespace smtpspec::grammar
