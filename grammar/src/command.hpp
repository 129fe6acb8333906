// Rules of the command group (RFC 5321 §4.1.1, RFC 3207 §4, RFC 4954 §4,
// RFC 3030 §2): one command line, verb to CRLF.
// Definitions: command_def.hpp; instantiation and parse_command: command.cpp.
#pragma once

#include <span>

#include "detail/config.hpp"
#include "detail/lenient.hpp"
#include "smtpspec/grammar/ast.hpp"

namespace smtpspec::grammar::detail {

struct command_class;

using command_type = x3::rule<command_class, ast::Command>;

BOOST_SPIRIT_DECLARE(command_type)

// A whole command line: the verb (any case, RFC 5321 §2.4), its arguments, and
// an optional final CRLF, then the end of the input. UTF-8 is accepted where
// RFC 6531 §3.3 extends the ABNF; whether SMTPUTF8 is in effect, the line length
// and bare CR/LF are checked by parse_command around this rule.
command_type const& command();  // "command"

// The lenient-mode repairs of command-level deviations (RFC 5321 §4.1.1, §4.1.2),
// used by parse_command together with address_repairs().
std::span<Repair const> command_repairs();

}  // namespace smtpspec::grammar::detail
