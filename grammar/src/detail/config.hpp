// The one place that names the iterator and context types every rule is
// instantiated with (BOOST_SPIRIT_INSTANTIATE). SMTP whitespace is significant:
// no skipper, so the context is plain.
#pragma once

#include <boost/spirit/home/x3.hpp>

namespace smtpspec::grammar::detail {

namespace x3 = boost::spirit::x3;

using iterator_type = const char*;
using context_type = x3::unused_type;

}  // namespace smtpspec::grammar::detail
