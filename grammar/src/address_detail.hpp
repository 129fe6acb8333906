// Pieces shared by the two address rule groups (address_def.hpp,
// address_literal_def.hpp). Included by their definition headers only.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "detail/config.hpp"

namespace boost::spirit::x3 {

// An expectation failure names what was expected by x3::what of the parser;
// for a parser with a semantic action that is the name of the parser acted on
// (a rule's ABNF name), not the action's type.
template <class Subject, class Action>
struct get_info<action<Subject, Action>> {
    using result_type = std::string;
    std::string operator()(action<Subject, Action> const& p) const { return what(p.subject); }
};

}  // namespace boost::spirit::x3

namespace smtpspec::grammar::detail::address_common {

// The text an x3::raw[] directive matched.
template <class Range>
std::string_view text_of(Range const& r) {
    return {r.begin(), static_cast<std::size_t>(r.end() - r.begin())};
}

// _val = _attr
inline auto const assign = [](auto& ctx) { x3::_val(ctx) = std::move(x3::_attr(ctx)); };

}  // namespace smtpspec::grammar::detail::address_common
