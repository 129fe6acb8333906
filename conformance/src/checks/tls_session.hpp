// Steps the STARTTLS, AUTH and TLS checks share: a session with TLS active
// and EHLO accepted inside it, and a reply in words.
#pragma once

#include <string>

#include "smtpspec/conformance/probe.hpp"
#include "smtpspec/conformance/runner.hpp"
#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/model/input.hpp"

namespace smtpspec::conformance::checks {

// "454 4.7.0 TLS not available": the reply's first line, for a reason or a note.
inline std::string reply_text(const grammar::ast::Reply& reply) { return model::describe(model::Response{reply}); }

// A new session inside TLS: implicit TLS on submissions, otherwise EHLO and
// STARTTLS (skip when the server does not advertise it or refuses it with a
// 454), then EHLO again. The model judges every step.
inline Probe& open_tls(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    if (p.tls()) return p;
    grammar::ast::Reply r = p.starttls();
    if (r.code != 220) stop_skip("the server answered STARTTLS with " + reply_text(r) + ", so TLS could not start");
    p.ehlo();
    return p;
}

}  // namespace smtpspec::conformance::checks
