// Properties of the model over the grammar's own generators: any command the
// grammar can produce, any reply it can produce.
#include "smtpspec/model/model.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "smtpspec/grammar/generators.hpp"
#include "smtpspec/grammar/print.hpp"
#include "smtpspec/model/transitions.hpp"
#include "vocabulary.hpp"

namespace smtpspec::model {
namespace {

namespace ast = grammar::ast;

// A generated command as the input a driver would feed; BDAT with its chunk.
std::optional<Input> as_input(const ast::Command& c) {
    if (const auto* b = std::get_if<ast::Bdat>(&c)) {
        if (b->size > 4096) return std::nullopt;
        return Input{BdatChunk{*b, std::string(b->size, 'x')}};
    }
    return Input{CommandInput{c, grammar::print(c), false}};
}

// The reference server obeys the model for every command the grammar generates.
RC_GTEST_PROP(GeneratedProperties, ReferenceServerYieldsNoFindingForAnyCommand, ()) {
    Policy policy;
    policy.enhanced_status_codes = *rc::gen::arbitrary<bool>();
    policy.pipelining = *rc::gen::arbitrary<bool>();
    policy.chunking = *rc::gen::arbitrary<bool>();
    policy.smtputf8 = *rc::gen::arbitrary<bool>();
    const Profile profile = *rc::gen::element(Profile::relay, Profile::submission, Profile::submissions);
    const auto steps = *rc::gen::inRange(1, 40);
    State s;
    for (int k = 0; k < steps && s.phase != Phase::closed; ++k) {
        std::optional<Input> in;
        if (s.phase == Phase::connecting) in = ConnectionOpened{profile, profile == Profile::submissions};
        else if (contains(session_phases, s.phase) && *rc::gen::inRange(0, 3) != 0)
            in = as_input(*rc::gen::arbitrary<ast::Command>());
        if (!in) {
            std::vector<Input> options = test::progress_inputs(s);
            if (options.empty()) break;
            in = options[*rc::gen::inRange<std::size_t>(0, options.size())];
        }
        if (expect(s, *in).misuse) continue;
        Response r = respond(s, *in, policy);
        Step step = observe(s, *in, r);
        for (const Finding& f : step.findings)
            RC_FAIL("finding " + std::string(rule(f.rule).name) + " for " + describe(*in) + " in phase " +
                    std::string(to_string(s.phase)) + ": expected " + f.expected + ", got " + f.actual);
        s = std::move(step.next);
    }
}

// Any reply the grammar can produce, to any input in any state: no exception,
// findings at their rule's level, misuse only where expect() says so.
RC_GTEST_PROP(GeneratedProperties, AnyReplyIsJudgedWithoutThrowing, ()) {
    const auto steps = *rc::gen::inRange(1, 40);
    const auto all = test::all_inputs();
    State s;
    for (int k = 0; k < steps; ++k) {
        Input in = *rc::gen::arbitrary<bool>() ? all[*rc::gen::inRange<std::size_t>(0, all.size())]
                                               : as_input(*rc::gen::arbitrary<ast::Command>()).value_or(Input{Idle{}});
        Response r = *rc::gen::arbitrary<ast::Reply>();
        Step step = observe(s, in, r);
        RC_ASSERT(step.misuse.has_value() == expect(s, in).misuse.has_value());
        for (const Finding& f : step.findings) RC_ASSERT(f.level == rule(f.rule).level);
        s = std::move(step.next);
        if (s.phase == Phase::closed) s = State{};
    }
}

}  // namespace
}  // namespace smtpspec::model
