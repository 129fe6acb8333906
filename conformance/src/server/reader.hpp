// How the reference server reads client bytes: the same cuts the model's
// transcript reader makes (model/src/transcript.cpp, Replayer::next_input), so
// that a recorded session replays with every reply paired to the input the
// server answered.
//
//  - inside DATA, message text runs up to and including <CRLF>.<CRLF>
//    (model::end_of_data, RFC 5321 §4.1.1.4);
//  - inside an AUTH exchange a line is an AuthLine (RFC 4954 §4);
//  - otherwise a line is a command: strict grammar first (SMTPUTF8 addresses
//    when the last EHLO reply offered SMTPUTF8, RFC 6531 §3.3), then the
//    lenient repairs for a syntax error, else an UnparsedLine;
//  - a strictly parsed "BDAT n" is followed by exactly n octets (RFC 3030 §2).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/model/input.hpp"
#include "smtpspec/model/state.hpp"
#include "smtpspec/model/transitions.hpp"

namespace smtpspec::conformance::server {

// One client line (with its line end) as the server reads it in `state`:
// an AuthLine in Phase::auth, else a CommandInput or an UnparsedLine.
model::Input read_line(const model::State& state, std::string raw);

// The BDAT command whose chunk octets follow the line, if `input` is one.
std::optional<grammar::ast::Bdat> chunk_command(const model::Input& input);

// A line longer than the server reads (Limits::max_line): an UnparsedLine with
// an error of kind `limit`; `start` is what the server kept of the line.
model::Input over_long_line(std::string_view start, std::size_t max_line);

// The verb a line starts with, if the model knows it (RFC 5321 §4.1.1, RFC 3207,
// RFC 4954, RFC 3030; compared without regard to case, §2.4).
std::optional<model::Verb> verb_of_line(std::string_view raw);

}  // namespace smtpspec::conformance::server
