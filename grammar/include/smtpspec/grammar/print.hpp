// Printers: AST -> wire bytes. For every AST value x within the limits,
// parse(print(x)) == x (a property test), and no printed line exceeds the
// RFC 5321 §4.5.3.1 limits.
#pragma once

#include <string>

#include "smtpspec/grammar/ast.hpp"

namespace smtpspec::grammar {

// Address-level printers write no CRLF.
std::string print(const ast::Domain&);
std::string print(const ast::AddressLiteral&);
std::string print(const ast::Host&);
std::string print(const ast::LocalPart&);
std::string print(const ast::Mailbox&);
std::string print(const ast::Path&);
std::string print(const ast::ReversePath&);
std::string print(const ast::ForwardPath&);
std::string print(const ast::Param&);
std::string print(const ast::EnhancedCode&);

// Commands and replies are written as on the wire, each line ending in CRLF.
std::string print(const ast::Command&);
std::string print(const ast::Reply&);
std::string print(const ast::Greeting&);
std::string print(const ast::EhloReply&);

}  // namespace smtpspec::grammar
