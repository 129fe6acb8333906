// The model: a pure function of (state, input, reply).
//
//   expect(s, i)        the replies a conforming server may give to input i in state s;
//   observe(s, i, r)    the next state, following the reply r actually observed, and
//                       the findings: where r departs from the RFC;
//   respond(s, i, p)    what the reference server with policy p answers.
//
// For every state s, input i and policy p, observe(s, i, respond(s, i, p)) has no
// finding: the reference server obeys its own model (a property test).
//
// The transitions are data: transitions.hpp holds the command table (verb ->
// listed codes, success codes, effect) and the precondition table (verb x phase x
// condition -> required codes and the rule that requires them), each row citing
// its RFC section. This file only walks those tables.
#pragma once

#include <cstddef>
#include <string_view>

#include "smtpspec/model/expectation.hpp"
#include "smtpspec/model/input.hpp"
#include "smtpspec/model/policy.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::model {

Expectation expect(const State&, const Input&);
// expect() without the content rules: only what the reply code must be.
Expectation expect_codes(const State&, const Input&);
Step observe(const State&, const Input&, const Response&);
Response respond(const State&, const Input&, const Policy&);

// The end-of-data recogniser (RFC 5321 §4.1.1.4): feeds `bytes` to `scan` and
// returns the offset just past the <CRLF>.<CRLF> that ends the data, or npos.
std::size_t end_of_data(DataScan& scan, std::string_view bytes) noexcept;
inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

// The capabilities a 250 reply to EHLO advertises (RFC 5321 §4.1.1.1: keywords
// compare case-insensitively; lines after the first).
grammar::Capabilities capabilities_of(const grammar::ast::Reply&);

}  // namespace smtpspec::model
