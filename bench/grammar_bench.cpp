// How fast the grammar reads what an SMTP server reads most: MAIL FROM and
// RCPT TO lines with parameters, and a client reads: a 10-line EHLO reply.
//
// Each parse benchmark has a baseline over the same bytes that only splits
// them into lines (memchr for LF) — the least any line-based reader must do.
// The parse benchmarks split the same way and then parse each line, so the
// ratio of their time per line to the baseline's is the cost of the grammar.
// Every parse result is checked inside the timed loop: a benchmark of a parse
// that fails measures nothing.
//
// Run: make bench (release preset), or build/release/bench/smtpspec_bench_grammar.
// Items are lines; items_per_second is lines per second on one core.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "rate_reporter.hpp"
#include "smtpspec/grammar/parse.hpp"

namespace {

namespace g = smtpspec::grammar;

// Typical envelope commands as MTAs send them (Postfix, Exim, Gmail, list servers).
std::vector<std::string> const mail_lines = {
    "MAIL FROM:<alice.smith@example.org> SIZE=12345 BODY=8BITMIME\r\n",
    "MAIL FROM:<bounces+SRS=k3Jd2=QV=lists.example.net=owner@relay.example.com> SIZE=48213 BODY=8BITMIME\r\n",
    "MAIL FROM:<> SIZE=2048\r\n",
    "MAIL FROM:<noreply@notifications.example.com> SIZE=30771 BODY=8BITMIME RET=HDRS ENVID=QQ314159\r\n",
    "MAIL FROM:<j.doe@mail.example.co.uk> BODY=7BIT\r\n",
    "MAIL FROM:<billing@shop.example> SIZE=1048576 BODY=8BITMIME SMTPUTF8\r\n",
    "MAIL FROM:<root@[192.0.2.17]>\r\n",
    "MAIL FROM:<calendar-notification@google.example.com> SIZE=9120 AUTH=<>\r\n",
};

std::vector<std::string> const rcpt_lines = {
    "RCPT TO:<bob@example.com>\r\n",
    "RCPT TO:<carol.jones@mail.example.co.uk> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;carol.jones@mail.example.co.uk\r\n",
    "RCPT TO:<team-announce@lists.example.net>\r\n",
    "RCPT TO:<postmaster@example.org>\r\n",
    "RCPT TO:<d.o'brien@example.ie> NOTIFY=NEVER\r\n",
    "RCPT TO:<support+ticket-88412@helpdesk.example.com>\r\n",
    "RCPT TO:<Postmaster>\r\n",
    "RCPT TO:<frank@[IPv6:2001:db8::25]>\r\n",
};

// A 10-line EHLO reply as Postfix sends it.
std::string const ehlo_reply =
    "250-mx.example.org Hello client.example.com [192.0.2.1]\r\n"
    "250-PIPELINING\r\n"
    "250-SIZE 52428800\r\n"
    "250-ETRN\r\n"
    "250-STARTTLS\r\n"
    "250-AUTH PLAIN LOGIN\r\n"
    "250-ENHANCEDSTATUSCODES\r\n"
    "250-8BITMIME\r\n"
    "250-DSN\r\n"
    "250 SMTPUTF8\r\n";
constexpr std::size_t ehlo_reply_lines = 10;

// Many copies of the lines, so that a pass does not sit in one cache line.
std::string session_bytes(std::vector<std::string> const& lines) {
    std::string out;
    for (int i = 0; i < 64; ++i)
        for (auto const& l : lines) out += l;
    return out;
}

// Calls f(line) for each LF-terminated line of `bytes`, line including its CRLF.
template <class F>
std::size_t for_each_line(std::string_view bytes, F&& f) {
    std::size_t n = 0;
    char const* p = bytes.data();
    char const* const end = p + bytes.size();
    while (p < end) {
        auto const* lf = static_cast<char const*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        char const* const next = lf ? lf + 1 : end;
        f(std::string_view(p, static_cast<std::size_t>(next - p)));
        p = next;
        ++n;
    }
    return n;
}

void baseline_split(benchmark::State& state, std::string const& bytes) {
    std::size_t lines = 0;
    for (auto _ : state) {
        lines += for_each_line(bytes, [](std::string_view line) { benchmark::DoNotOptimize(line.data()); });
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(lines));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

template <class Verb>
void parse_commands(benchmark::State& state, std::string const& bytes) {
    std::size_t lines = 0;
    for (auto _ : state) {
        bool ok = true;
        lines += for_each_line(bytes, [&](std::string_view line) {
            auto r = g::parse_command(line);
            ok = ok && r.ok() && std::holds_alternative<Verb>(r.value());
            benchmark::DoNotOptimize(r);
        });
        if (!ok) {
            state.SkipWithError("a command line did not parse as expected");
            break;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(lines));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

std::string const mail_bytes = session_bytes(mail_lines);
std::string const rcpt_bytes = session_bytes(rcpt_lines);

void BM_baseline_split_mail(benchmark::State& state) { baseline_split(state, mail_bytes); }
void BM_parse_mail(benchmark::State& state) { parse_commands<g::ast::Mail>(state, mail_bytes); }
void BM_baseline_split_rcpt(benchmark::State& state) { baseline_split(state, rcpt_bytes); }
void BM_parse_rcpt(benchmark::State& state) { parse_commands<g::ast::Rcpt>(state, rcpt_bytes); }

void BM_baseline_split_ehlo_reply(benchmark::State& state) { baseline_split(state, ehlo_reply); }

void BM_parse_ehlo_reply(benchmark::State& state) {
    std::size_t lines = 0;
    for (auto _ : state) {
        // The reader's work first: find the line ends; then parse the reply.
        lines += for_each_line(ehlo_reply, [](std::string_view line) { benchmark::DoNotOptimize(line.data()); });
        auto r = g::parse_ehlo_reply(ehlo_reply);
        if (!r.ok() || r.value().lines.size() != ehlo_reply_lines - 1) {
            state.SkipWithError("the EHLO reply did not parse as expected");
            break;
        }
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(lines));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * ehlo_reply.size()));
}

BENCHMARK(BM_baseline_split_mail);
BENCHMARK(BM_parse_mail);
BENCHMARK(BM_baseline_split_rcpt);
BENCHMARK(BM_parse_rcpt);
BENCHMARK(BM_baseline_split_ehlo_reply);
BENCHMARK(BM_parse_ehlo_reply);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    // Colours only on a terminal, and not when NO_COLOR is set (no-color.org).
    bool const colour = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    smtpspec::bench::RateReporter reporter(colour ? benchmark::ConsoleReporter::OO_Defaults
                                                  : benchmark::ConsoleReporter::OO_Tabular);
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();

    // Time per line of the parse over time per line of the split: how many times
    // the least possible work the grammar costs.
    std::printf("\n");
    for (char const* what : {"mail", "rcpt", "ehlo_reply"}) {
        auto const& lps = reporter.items_per_second;
        auto const parse = lps.find(std::string("BM_parse_") + what);
        auto const base = lps.find(std::string("BM_baseline_split_") + what);
        if (parse == lps.end() || base == lps.end() || parse->second <= 0) continue;
        std::printf("%-10s  %12.0f lines/s   ratio parse/baseline: %.1f\n", what, parse->second,
                    base->second / parse->second);
    }
    return reporter.failed ? 1 : 0;
}
