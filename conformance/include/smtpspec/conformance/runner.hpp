// Runs checks: each in its own sessions, several at once (--jobs), each judged
// by the model; the result is a RunReport.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/conformance/check.hpp"
#include "smtpspec/conformance/connection.hpp"
#include "smtpspec/conformance/probe.hpp"
#include "smtpspec/conformance/server/core.hpp"
#include "smtpspec/conformance/target.hpp"

namespace smtpspec::conformance {

// How to reach the server under test.
struct Endpoint {
    std::string name;           // "tcp://127.0.0.1:25", "in-process"
    bool implicit_tls = false;  // TLS from the first byte (tls://, or in-process submissions)
    bool in_process = false;    // the in-process reference server: TLS is simulated
    std::string host;           // the name certificates are checked against
    std::function<Connected(const ConnectOptions&)> connect;
};

Endpoint endpoint_for(const Target& target);
// The in-process reference server in `config.profile` (submissions: implicit TLS).
Endpoint in_process_endpoint(server::Config config);

// What a check procedure works with.
class CheckContext {
public:
    CheckContext(const Check& check, const Endpoint& endpoint, const RunOptions& options);
    ~CheckContext();

    const Check& check() const { return check_; }
    const RunOptions& options() const { return options_; }
    const Endpoint& endpoint() const { return endpoint_; }
    model::Profile profile() const { return options_.profile; }

    // A new session with the greeting read (a connection failure stops the check
    // with an error naming it). A check may open several; each is closed at the end.
    Probe& open();
    // open(), then ready_for_mail().
    Probe& ready();

    // --rcpt without angle brackets ("user@example.org"), or stop with skip naming the option.
    std::string rcpt() const;
    // The reverse-path for MAIL: --mail-from as "<addr>", or "<>".
    std::string mail_from() const;

    // A finding on a rule of the TLS rule table (tls_rules.hpp) or the model's,
    // made by the procedure itself (facts no reply shows, e.g. a TLS version).
    void finding(std::string_view rule, std::string explanation, std::string expected, std::string actual);
    // The procedure judged `rule` (with or without a finding): a pass needs at
    // least one of the check's rules judged, by the model or here.
    void judged(std::string_view rule);
    // A line for the report (why the check decided what it did).
    void note(std::string text);
    // TLS facts of a session the procedure ran outside a Probe (a version probe).
    void tls_facts(const TlsFacts& facts);

    // The runner's use: the check's result from everything above.
    CheckResult result(std::optional<CheckStop> stop, std::chrono::milliseconds duration);

private:
    const Check& check_;
    const Endpoint& endpoint_;
    const RunOptions& options_;
    std::vector<std::unique_ptr<Probe>> probes_;
    std::vector<Observation> own_findings_;
    std::vector<std::string> judged_;
    std::vector<std::string> notes_;
    std::optional<TlsFacts> tls_;
};

// The checks that apply to `profile`, matching any of `include` (all when
// empty) and none of `exclude`; globs match ids with * and ?.
std::vector<const Check*> select_checks(model::Profile profile, const std::vector<std::string>& include,
                                        const std::vector<std::string>& exclude);
bool glob_match(std::string_view pattern, std::string_view text);

struct RunSettings {
    unsigned jobs = 8;  // checks at once
    // Called as each check finishes (from the runner's thread, one at a time).
    std::function<void(const CheckResult&, std::size_t done, std::size_t total)> progress;
};

// Runs `checks` against `endpoint`. A check whose needs are not met (--rcpt,
// credentials, --slow) is a skip naming the option. Never throws.
RunReport run_checks(const Endpoint& endpoint, const RunOptions& options, const std::vector<const Check*>& checks,
                     const RunSettings& settings = {});

// One check, in this thread.
CheckResult run_check(const Check& check, const Endpoint& endpoint, const RunOptions& options);

}  // namespace smtpspec::conformance
