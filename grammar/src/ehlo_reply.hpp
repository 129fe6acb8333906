// Rules of the greeting and EHLO reply group: the 220 connection greeting
// (RFC 5321 §4.2) and the positive reply to EHLO (RFC 5321 §4.1.1.1).
// Definitions: ehlo_reply_def.hpp; instantiation and parse functions: ehlo_reply.cpp.
#pragma once

#include <span>

#include "detail/config.hpp"
#include "detail/lenient.hpp"
#include "smtpspec/grammar/ast.hpp"

namespace smtpspec::grammar::detail {

namespace ehlo_grammar {

// The rules build the AST and remember whether the first line said "-":
// single- and multi-line forms continue differently after it.
struct GreetingState {
    ast::Greeting value;
    bool multi = false;
};
struct EhloState {
    ast::EhloReply value;
    bool multi = false;
};

struct greeting_class;
struct ehlo_ok_rsp_class;
struct ehlo_line_class;

using greeting_type = x3::rule<greeting_class, GreetingState>;
using ehlo_ok_rsp_type = x3::rule<ehlo_ok_rsp_class, EhloState>;
using ehlo_line_type = x3::rule<ehlo_line_class, ast::EhloLine>;

BOOST_SPIRIT_DECLARE(greeting_type, ehlo_ok_rsp_type, ehlo_line_type)

}  // namespace ehlo_grammar

ehlo_grammar::greeting_type const& greeting();        // "Greeting"
ehlo_grammar::ehlo_ok_rsp_type const& ehlo_ok_rsp();  // "ehlo-ok-rsp"
ehlo_grammar::ehlo_line_type const& ehlo_line();      // "ehlo-line"

// The lenient-mode repairs of parse_greeting and parse_ehlo_reply: the reply and
// address repairs, and for EHLO replies also "ehlo-auth-equals".
std::span<Repair const> greeting_repairs();
std::span<Repair const> ehlo_repairs();

}  // namespace smtpspec::grammar::detail
