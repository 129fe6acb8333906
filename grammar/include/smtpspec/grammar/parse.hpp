// Entry points of the grammar: bytes in, AST (or a located error) out.
//
// Every function takes the whole input and succeeds only if all of it matches.
// Line-based inputs (commands, replies) may end with their CRLF or omit the
// final one; a bare CR or LF anywhere else is an error (RFC 5321 §2.3.8).
// Functions never throw on any input.
#pragma once

#include <string_view>

#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/grammar/result.hpp"

namespace smtpspec::grammar {

// One command line (RFC 5321 §4.1.1, RFC 3207, RFC 4954, RFC 3030), at most
// limits::command_line octets including the CRLF (§4.5.3.1.4).
Result<ast::Command> parse_command(std::string_view line, Options options = {});

// Addresses (RFC 5321 §4.1.2, §4.1.3; RFC 6531 §3.3).
Result<ast::ReversePath> parse_reverse_path(std::string_view text, Options options = {});
Result<ast::ForwardPath> parse_forward_path(std::string_view text, Options options = {});
Result<ast::Path> parse_path(std::string_view text, Options options = {});
Result<ast::Mailbox> parse_mailbox(std::string_view text, Options options = {});
Result<ast::Domain> parse_domain(std::string_view text, Options options = {});
Result<ast::AddressLiteral> parse_address_literal(std::string_view text, Options options = {});
Result<ast::Param> parse_param(std::string_view text, Options options = {});

// Replies (RFC 5321 §4.2, RFC 2034, RFC 3463): one complete reply, single or
// multi-line, each line at most limits::reply_line octets with its CRLF.
Result<ast::Reply> parse_reply(std::string_view text, Options options = {});
Result<ast::Greeting> parse_greeting(std::string_view text, Options options = {});
Result<ast::EhloReply> parse_ehlo_reply(std::string_view text, Options options = {});
Result<ast::EnhancedCode> parse_enhanced_code(std::string_view text, Options options = {});

}  // namespace smtpspec::grammar
