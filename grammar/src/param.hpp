// Rules of the ESMTP parameter group (RFC 5321 §4.1.2 esmtp-param and the typed
// parameters of RFC 1870, 6152, 3030, 6531, 4954 and 3461), declared here for
// the command group to use. Definitions: param_def.hpp; instantiation: param.cpp.
#pragma once

#include "detail/config.hpp"
#include "smtpspec/grammar/ast.hpp"

namespace smtpspec::grammar::detail {

struct esmtp_param_class;

using esmtp_param_type = x3::rule<esmtp_param_class, ast::Param>;

BOOST_SPIRIT_DECLARE(esmtp_param_type)

// esmtp-param = esmtp-keyword ["=" esmtp-value]   (RFC 5321 §4.1.2), typed when the
// keyword is a well-known one. Non-ASCII octets (RFC 6531 §3.3 esmtp-value =/
// UTF8-non-ascii) are accepted when well-formed; whether they are allowed at all
// (SMTPUTF8 in effect) is decided by the caller.
esmtp_param_type const& esmtp_param();  // "esmtp-param"

}  // namespace smtpspec::grammar::detail
