// Properties of the model over generated sessions.
#include "smtpspec/model/model.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "vocabulary.hpp"

namespace smtpspec::model {
namespace {

namespace ast = grammar::ast;

Policy generate_policy() {
    Policy p;
    p.refuse_session = *rc::gen::weightedElement<bool>({{1, true}, {9, false}});
    p.pipelining = *rc::gen::arbitrary<bool>();
    p.eight_bit_mime = *rc::gen::arbitrary<bool>();
    p.smtputf8 = *rc::gen::arbitrary<bool>();
    p.chunking = *rc::gen::arbitrary<bool>();
    p.binary_mime = *rc::gen::arbitrary<bool>();
    p.enhanced_status_codes = *rc::gen::arbitrary<bool>();
    p.starttls = *rc::gen::arbitrary<bool>();
    p.vrfy = *rc::gen::arbitrary<bool>();
    if (*rc::gen::arbitrary<bool>()) p.size_limit = *rc::gen::inRange<std::uint64_t>(1, 200'000);
    else p.size_limit.reset();
    p.auth_mechanisms.clear();
    for (const char* m : {"PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2"})
        if (*rc::gen::arbitrary<bool>()) p.auth_mechanisms.push_back(m);
    if (*rc::gen::arbitrary<bool>()) p.refused_local_parts.push_back("postmaster");
    if (*rc::gen::arbitrary<bool>()) p.refused_local_parts.push_back("bob");
    p.max_recipients = *rc::gen::inRange(0u, 150u);
    return p;
}

// A few replies a server could give to anything, to drive the model down
// paths the reference server never takes.
Response arbitrary_response() {
    switch (*rc::gen::inRange(0, 6)) {
        case 0: return Closed{};
        case 1: return Silence{};
        case 2: return MalformedReply{"250-a\r\n251 b\r\n", grammar::ParseError{}};
        default: {
            unsigned code = *rc::gen::inRange(200u, 600u);
            std::optional<ast::EnhancedCode> ec;
            if (*rc::gen::arbitrary<bool>()) ec = ast::EnhancedCode{*rc::gen::inRange(2u, 6u), 0, 0};
            ast::Reply r = make_reply(code, *rc::gen::element<std::string>("Ok", "", "PIPELINING", "too long"), ec);
            if (*rc::gen::arbitrary<bool>()) r.lines.push_back(ast::ReplyLine{ec, "STARTTLS"});
            if (*rc::gen::arbitrary<bool>()) r.lines.push_back(ast::ReplyLine{ec, "AUTH PLAIN LOGIN"});
            return r;
        }
    }
}

bool ends_session(const Input& in) {
    if (std::holds_alternative<ClientClosed>(in)) return true;
    const auto* c = std::get_if<CommandInput>(&in);
    return c && std::holds_alternative<ast::Quit>(c->command);
}

// RFC-conforming sessions: the reference server obeys its own model.
RC_GTEST_PROP(ModelProperties, ReferenceServerYieldsNoFinding, ()) {
    const Policy policy = generate_policy();
    const auto choices = *rc::gen::container<std::vector<unsigned>>(rc::gen::inRange(0u, 1000u));
    State s;
    unsigned visited = 0;
    for (unsigned choice : choices) {
        std::vector<Input> options = choice % 2 ? test::inputs_for(s) : test::progress_inputs(s);
        if (options.empty()) break;
        choice /= 2;
        const Input& in = options[choice % options.size()];
        if (expect(s, in).misuse) continue;  // e.g. message text that would run past the end of data
        if (ends_session(in) && choice % 8 != 0) continue;  // keep most sessions going
        Response r = respond(s, in, policy);
        Step step = observe(s, in, r);
        RC_ASSERT(!step.misuse);
        for (const Finding& f : step.findings)
            RC_FAIL("finding " + std::string(rule(f.rule).name) + " for " + describe(in) + " in phase " +
                    std::string(to_string(s.phase)) + ": expected " + f.expected + ", got " + f.actual);
        s = std::move(step.next);
        visited |= 1u << static_cast<unsigned>(s.phase);
    }
    RC_CLASSIFY(visited & (1u << static_cast<unsigned>(Phase::data)), "data");
    RC_CLASSIFY(visited & (1u << static_cast<unsigned>(Phase::auth)), "auth");
    RC_CLASSIFY(visited & (1u << static_cast<unsigned>(Phase::bdat)), "bdat");
    RC_CLASSIFY(visited & (1u << static_cast<unsigned>(Phase::tls_pending)), "starttls");
}

// Any input and any reply, in any order: the model answers, never throws, and
// every finding carries its rule's level.
RC_GTEST_PROP(ModelProperties, NeverThrowsAndLevelsFollowRules, ()) {
    const auto all = test::all_inputs();
    const auto steps = *rc::gen::inRange(0, 60);
    State s;
    for (int k = 0; k < steps; ++k) {
        std::vector<Input> options = *rc::gen::arbitrary<bool>() ? test::inputs_for(s) : all;
        if (options.empty()) options = all;
        const Input& in = options[*rc::gen::inRange<std::size_t>(0, options.size())];
        Response r = arbitrary_response();
        Expectation e = expect(s, in);
        Step step = observe(s, in, r);
        RC_ASSERT(step.misuse.has_value() == e.misuse.has_value());
        if (step.misuse) {
            RC_ASSERT(step.next == s);
            RC_ASSERT(step.findings.empty());
        }
        for (const Finding& f : step.findings) {
            RC_ASSERT(f.level == rule(f.rule).level);
            if (rule(f.rule).level == Level::must) RC_ASSERT(f.level != Level::should);
        }
        s = std::move(step.next);
        if (s.phase == Phase::closed && *rc::gen::arbitrary<bool>()) s = State{};
    }
}

// RFC 5321 §4.1.1.5 and §4.1.4: an accepted RSET or EHLO ends the transaction.
RC_GTEST_PROP(ModelProperties, RsetAndEhloEndTheTransaction, ()) {
    const Policy policy = generate_policy();
    const auto choices = *rc::gen::container<std::vector<unsigned>>(rc::gen::inRange(0u, 1000u));
    const Input rset = test::cmd(ast::Rset{}, "RSET");
    const Input ehlo = test::cmd(ast::Ehlo{test::domain({"c", "example"})}, "EHLO c.example");
    State s;
    for (unsigned choice : choices) {
        std::vector<Input> options = choice % 2 ? test::inputs_for(s) : test::progress_inputs(s);
        if (options.empty()) break;
        choice /= 2;
        const Input& in = options[choice % options.size()];
        if (expect(s, in).misuse || (ends_session(in) && choice % 8 != 0)) continue;
        s = observe(s, in, respond(s, in, policy)).next;
        for (const Input* probe : {&rset, &ehlo}) {
            if (expect(s, *probe).misuse || expect(s, *probe).reply != ReplyKind::required) continue;
            Step after = observe(s, *probe, ast::Reply{250, {{std::nullopt, "Ok"}}});
            if (s.phase == Phase::refused) continue;
            RC_ASSERT(after.next.transaction == Transaction{});
            RC_ASSERT(!in_transaction(after.next.phase));
        }
    }
}

// RFC 3207 §4.2: after STARTTLS and the handshake, nothing of the session before survives.
RC_GTEST_PROP(ModelProperties, HandshakeResetsToFreshTlsState, ()) {
    const Policy policy = generate_policy();
    const auto choices = *rc::gen::container<std::vector<unsigned>>(rc::gen::inRange(0u, 1000u));
    State s;
    int handshakes = 0;
    for (unsigned choice : choices) {
        std::vector<Input> options = choice % 2 ? test::inputs_for(s) : test::progress_inputs(s);
        if (options.empty()) break;
        choice /= 2;
        const Input& in = options[choice % options.size()];
        if (expect(s, in).misuse || (ends_session(in) && choice % 8 != 0)) continue;
        Step step = observe(s, in, respond(s, in, policy));
        if (std::holds_alternative<TlsEstablished>(in)) {
            State expected = fresh_tls_state(s.profile);
            expected.hazard = s.hazard;
            RC_ASSERT(step.next == expected);
            ++handshakes;
        }
        s = std::move(step.next);
    }
    RC_TAG(handshakes > 0 ? "handshake" : "no handshake");
}

}  // namespace
}  // namespace smtpspec::model
