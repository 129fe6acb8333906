// How fast the model judges a session: model steps per second for a typical
// relay session (greeting, EHLO, MAIL, five RCPT, DATA, eight chunks of
// message text, the end of data, QUIT, the server closing).
//
// A step is one observe(state, input, reply) and the state it returns
// becoming the next state. The replies are the reference server's (respond),
// so every step must come back with no finding and no misuse: the loop checks
// this for every step, and a benchmark whose session went wrong reports an
// error instead of a figure.
//
//   BM_baseline_copy_switch   the least a stepper does: copy the State and
//                             switch on the input's kind;
//   BM_observe                observe, replies computed once beforehand;
//   BM_respond_observe        respond then observe, as the reference server
//                             and its checker do together.
//
// Run: make bench (release preset), or build/release/bench/smtpspec_bench_model.
// Items are steps; items_per_second is steps per second on one core.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "rate_reporter.hpp"
#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/model/model.hpp"

namespace {

namespace g = smtpspec::grammar;
namespace m = smtpspec::model;

m::Input command(const std::string& line) {
    auto parsed = g::parse_command(line);
    if (!parsed) {
        std::fprintf(stderr, "model_bench: the session's command %s does not parse\n", line.c_str());
        std::abort();
    }
    return m::CommandInput{parsed.value(), line, false};
}

// The client's side of one session, as the model sees it.
std::vector<m::Input> session_inputs() {
    std::vector<m::Input> in;
    in.push_back(m::ConnectionOpened{m::Profile::relay, false});
    in.push_back(command("EHLO client.example.org\r\n"));
    in.push_back(command("MAIL FROM:<alice.smith@example.org> SIZE=2048 BODY=8BITMIME\r\n"));
    in.push_back(command("RCPT TO:<bob@example.com>\r\n"));
    in.push_back(command("RCPT TO:<carol.jones@mail.example.co.uk>\r\n"));
    in.push_back(command("RCPT TO:<team-announce@lists.example.net>\r\n"));
    in.push_back(command("RCPT TO:<support+ticket-88412@helpdesk.example.com>\r\n"));
    in.push_back(command("RCPT TO:<Postmaster>\r\n"));
    in.push_back(command("DATA\r\n"));
    for (const char* text : {
             "From: Alice Smith <alice.smith@example.org>\r\nTo: Bob <bob@example.com>\r\n",
             "Subject: Quarterly figures\r\nDate: Sun, 29 Nov 2026 16:00:00 +0000\r\n",
             "Message-ID: <20261129160000.4711@example.org>\r\nMIME-Version: 1.0\r\n\r\n",
             "Hello Bob,\r\n\r\nthe figures for the third quarter are attached below.\r\n",
             "..a line that starts with a dot, stuffed by the client (RFC 5321 4.5.2)\r\n",
             "Revenue rose by four percent; costs stayed where they were.\r\n",
             "Regards,\r\nAlice\r\n",
             "-- \r\nAlice Smith, Example Org\r\n",
             ".\r\n",
         })
        in.push_back(m::MessageText{text});
    in.push_back(command("QUIT\r\n"));
    in.push_back(m::ServerClosed{});
    return in;
}

// The reference server's replies to those inputs, and the check that the model
// takes them without a finding.
std::vector<m::Response> session_replies(const std::vector<m::Input>& inputs) {
    const m::Policy policy;
    std::vector<m::Response> out;
    m::State s;
    for (const m::Input& in : inputs) {
        out.push_back(m::respond(s, in, policy));
        m::Step step = m::observe(s, in, out.back());
        if (!step.findings.empty() || step.misuse) {
            std::fprintf(stderr, "model_bench: the session does not step cleanly at %s\n", m::describe(in).c_str());
            std::abort();
        }
        s = std::move(step.next);
    }
    if (s.phase != m::Phase::closed) {
        std::fprintf(stderr, "model_bench: the session does not end closed\n");
        std::abort();
    }
    return out;
}

// Built on first use: the grammar's rules are themselves statics of another
// translation unit, ready only once main() runs.
const std::vector<m::Input>& session() {
    static const std::vector<m::Input> inputs = session_inputs();
    return inputs;
}
const std::vector<m::Response>& replies_to_session() {
    static const std::vector<m::Response> replies = session_replies(session());
    return replies;
}

void BM_baseline_copy_switch(benchmark::State& bm) {
    const auto& inputs = session();
    std::uint64_t steps = 0;
    for (auto _ : bm) {
        m::State s;
        for (const m::Input& in : inputs) {
            m::State n = s;
            switch (in.index()) {
                case 0: n.phase = m::Phase::greeted; break;
                case 1: n.phase = m::Phase::ready; break;
                case 3: n.data.octets += std::get<m::MessageText>(in).bytes.size(); break;
                case 8: n.phase = m::Phase::closed; break;
                default: break;
            }
            benchmark::DoNotOptimize(n);
            s = std::move(n);
        }
        if (s.phase != m::Phase::closed) bm.SkipWithError("baseline session did not end closed");
        steps += inputs.size();
    }
    bm.SetItemsProcessed(static_cast<std::int64_t>(steps));
}

// Steps the session through observe, each reply given by `reply_for(i, state)`;
// every step must come back clean, and the session must end closed.
template <class ReplyFor>
void step_sessions(benchmark::State& bm, ReplyFor reply_for) {
    const auto& inputs = session();
    std::uint64_t steps = 0;
    for (auto _ : bm) {
        m::State s;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            m::Step step = m::observe(s, inputs[i], reply_for(i, s));
            if (!step.findings.empty() || step.misuse) {
                bm.SkipWithError("a finding on the reference server's reply");
                return;
            }
            s = std::move(step.next);
        }
        if (s.phase != m::Phase::closed) bm.SkipWithError("session did not end closed");
        steps += inputs.size();
    }
    bm.SetItemsProcessed(static_cast<std::int64_t>(steps));
}

void BM_observe(benchmark::State& bm) {
    const auto& replies = replies_to_session();
    step_sessions(bm, [&](std::size_t i, const m::State&) -> const m::Response& { return replies[i]; });
}

void BM_respond_observe(benchmark::State& bm) {
    const auto& inputs = session();
    const m::Policy policy;
    step_sessions(bm, [&](std::size_t i, const m::State& s) { return m::respond(s, inputs[i], policy); });
}

BENCHMARK(BM_baseline_copy_switch);
BENCHMARK(BM_observe);
BENCHMARK(BM_respond_observe);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    smtpspec::bench::RateReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();

    // Time per step over the baseline's time per step.
    std::printf("\nsession of %zu steps\n", session().size());
    auto const& sps = reporter.items_per_second;
    auto const base = sps.find("BM_baseline_copy_switch");
    for (char const* what : {"BM_observe", "BM_respond_observe"}) {
        auto const it = sps.find(what);
        if (it == sps.end() || it->second <= 0) continue;
        if (base == sps.end())
            std::printf("%-20s %12.0f steps/s\n", what, it->second);
        else
            std::printf("%-20s %12.0f steps/s   ratio to baseline: %.1f\n", what, it->second,
                        base->second / it->second);
    }
    return reporter.failed ? 1 : 0;
}
