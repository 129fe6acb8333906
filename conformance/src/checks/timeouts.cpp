// How long the server waits for the client (RFC 5321 §4.5.3.2): minutes of
// silence, so these run only with --slow.
#include <chrono>

#include "checks/groups.hpp"

namespace smtpspec::conformance::checks {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view server_timeout = "rfc5321/4.5.3.2.7/server-timeout";
constexpr std::chrono::seconds five_minutes{300};

// EHLO, then nothing for five minutes: the server must still be there (a 421
// or a close before then is early), and answer NOOP after it.
void server_waits_five_minutes(CheckContext& c) {
    Probe& p = c.open();
    p.ehlo();
    const auto start = Clock::now();
    // Read straight from the session: a 421 while idle is allowed by the model
    // (RFC 5321 §3.8); here only its timing matters.
    ReplyOutcome early = p.session().read_reply(std::chrono::duration_cast<Duration>(five_minutes));
    const auto waited = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start);
    if (early.kind != ReplyOutcome::Kind::timeout && waited < five_minutes) {
        c.finding(server_timeout,
                  "the server gave up on an idle client after " + std::to_string(waited.count()) + " s",
                  "silence for at least 300 s, then an answer to NOOP",
                  early.ok() ? early.raw : early.message);
        p.close();
        return;
    }
    c.judged(server_timeout);
    c.note("the server waited " + std::to_string(waited.count()) + " s without closing");
    p.command("NOOP");
    p.quit();
}

}  // namespace

std::vector<Check> timeout_checks() {
    return {
        {.id = "rfc5321/4.5.3.2.7/server-timeout",
         .title = "The server waits at least 5 minutes for the next command",
         .rules = {server_timeout},
         .profiles = all_profiles,
         .needs = need_slow,
         .sends = "EHLO, then nothing for 5 minutes, then NOOP",
         .accepts = "no close and no 421 during the 5 minutes; NOOP answered 250 after them",
         .procedure = server_waits_five_minutes},
    };
}

}  // namespace smtpspec::conformance::checks
