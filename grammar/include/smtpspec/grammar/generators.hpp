// RapidCheck generators (rc::Arbitrary) for every AST type of the grammar.
// Generated values are within the RFC 5321 §4.5.3.1 limits and print to text
// that parses back to the same value. The conformance property tests build
// their command sequences from these.
#pragma once

#include "smtpspec/grammar/generators/address.hpp"
#include "smtpspec/grammar/generators/command.hpp"
#include "smtpspec/grammar/generators/reply.hpp"
