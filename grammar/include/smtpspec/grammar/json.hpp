// The AST as JSON: what `smtpspec parse` prints and what scripts consume.
//
// Every function returns compact JSON text (one object, no trailing newline).
// Field names are stable; docs/ast-json.md documents each one. Fields appear in
// a fixed order, and every field of an object is always present (an absent
// optional value is `null`), so that a consumer never has to guess.
// Variants carry a discriminator: a Host or AddressLiteral has "type", a Param
// has "type" (and its "keyword"), a Command has "command" (its verb).
//
// Strings are the AST's bytes as UTF-8; an octet sequence that is not valid
// UTF-8 (only possible in lenient mode) is written as U+FFFD.
#pragma once

#include <string>

#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/grammar/result.hpp"

namespace smtpspec::grammar {

std::string to_json(const ast::Domain&);
std::string to_json(const ast::IPv4Literal&);
std::string to_json(const ast::IPv6Literal&);
std::string to_json(const ast::GeneralLiteral&);
std::string to_json(const ast::AddressLiteral&);
std::string to_json(const ast::Host&);
std::string to_json(const ast::LocalPart&);
std::string to_json(const ast::Mailbox&);
std::string to_json(const ast::Path&);
std::string to_json(const ast::ReversePath&);
std::string to_json(const ast::ForwardPath&);
std::string to_json(const ast::Param&);
std::string to_json(const ast::Command&);
std::string to_json(const ast::EnhancedCode&);
std::string to_json(const ast::ReplyLine&);
std::string to_json(const ast::Reply&);
std::string to_json(const ast::Greeting&);
std::string to_json(const ast::EhloLine&);
std::string to_json(const ast::EhloReply&);

std::string to_json(const ParseError&);
std::string to_json(const Deviation&);

// "syntax", "limit", "encoding": the names ParseError's "kind" field uses.
const char* to_string(ErrorKind);

}  // namespace smtpspec::grammar
