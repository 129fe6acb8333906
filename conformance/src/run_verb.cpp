// `smtpspec run` (run_verb.hpp).
#include "run_verb.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "parse_verb.hpp"
#include "smtpspec/conformance/report.hpp"
#include "smtpspec/conformance/runner.hpp"
#include "smtpspec/conformance/server/faults.hpp"

namespace smtpspec::cli {

namespace {

using namespace smtpspec::conformance;

struct RunArgs {
    std::string target;
    std::string profile;
    std::string rcpt;
    std::string mail_from;
    std::string user;
    std::string password_file;
    std::vector<std::string> checks;
    std::vector<std::string> skips;
    std::vector<std::string> faults;
    unsigned jobs = 0;
    double timeout = 10.0;
    std::string json;
    std::string junit;
    bool strict = false;
    bool slow = false;
    bool tls_verify = false;
    bool verbose = false;
    bool trusted_client = false;
    bool pedantic = false;
};

// Reads the first line of `path`; empty optional and `error` set when it cannot.
std::optional<std::string> read_password(const std::string& path, std::string& error) {
    std::ifstream in(path);
    if (!in) {
        error = "cannot read the password file '" + path + "': check the path and its permissions";
        return std::nullopt;
    }
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
        error = "the password file '" + path + "' is empty: put the password on its first line";
        return std::nullopt;
    }
    return line;
}

bool write_file(const std::string& path, const std::string& text, std::string& error) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
        error = "cannot write '" + path + "': check that its directory exists and is writable";
        return false;
    }
    return true;
}

// A line on stderr per finished check when stderr is a terminal.
class Progress {
public:
    explicit Progress(std::string label) : label_(std::move(label)), tty_(::isatty(STDERR_FILENO) == 1) {}
    void operator()(const CheckResult&, std::size_t done, std::size_t total) const {
        if (!tty_) return;
        std::cerr << "\r\x1b[K" << label_ << ": " << done << "/" << total << " checks" << std::flush;
        if (done == total) std::cerr << "\r\x1b[K" << std::flush;
    }

private:
    std::string label_;
    bool tty_;
};

int run(const RunArgs& args) {
    RunOptions options;
    options.timeout = Duration{static_cast<long>(args.timeout * 1000)};
    if (args.timeout <= 0 || args.timeout > 3600) {
        std::cerr << "smtpspec run: --timeout must be between 0 and 3600 seconds\n";
        return exit_usage;
    }
    options.slow = args.slow;
    options.tls_verify = args.tls_verify;
    options.trusted_client = args.trusted_client;
    options.pedantic = args.pedantic;
    // Addresses are kept without their angle brackets (checks add them).
    auto bare = [](std::string a) {
        if (a.size() >= 2 && a.front() == '<' && a.back() == '>') a = a.substr(1, a.size() - 2);
        return a;
    };
    if (!args.rcpt.empty()) options.rcpt = bare(args.rcpt);
    if (!args.mail_from.empty()) options.mail_from = bare(args.mail_from);
    if (options.rcpt && options.rcpt->empty()) {
        std::cerr << "smtpspec run: --rcpt needs an address, e.g. --rcpt postmaster@example.org\n";
        return exit_usage;
    }

    std::vector<model::Profile> profiles;
    if (!args.profile.empty()) {
        auto p = model::parse_profile(args.profile);
        if (!p) {
            std::cerr << "smtpspec run: unknown profile '" << args.profile
                      << "'; use relay (port 25), submission (587) or submissions (465)\n";
            return exit_usage;
        }
        profiles.push_back(*p);
    }

    if (!args.user.empty()) {
        std::string password;
        if (!args.password_file.empty()) {
            std::string error;
            auto p = read_password(args.password_file, error);
            if (!p) {
                std::cerr << "smtpspec run: " << error << "\n";
                return exit_usage;
            }
            password = *p;
        } else if (const char* env = std::getenv("SMTPSPEC_PASSWORD"); env && *env) {
            password = env;
        } else {
            std::cerr << "smtpspec run: --user needs a password: give --password-file FILE or set SMTPSPEC_PASSWORD\n";
            return exit_usage;
        }
        options.credentials = model::Credential{args.user, password};
    } else if (!args.password_file.empty()) {
        std::cerr << "smtpspec run: --password-file needs --user\n";
        return exit_usage;
    }

    server::FaultSet faults;
    for (const std::string& name : args.faults) {
        const server::FaultInfo* f = server::find_fault(name);
        if (!f) {
            std::cerr << "smtpspec run: unknown fault '" << name << "'; 'smtpspec serve --list-faults' lists them\n";
            return exit_usage;
        }
        faults.set(static_cast<std::size_t>(f->fault));
    }

    std::vector<std::pair<Endpoint, RunOptions>> runs;
    if (args.target.empty()) {
        // The in-process reference server, with the recipient and credentials its policy accepts.
        if (profiles.empty())
            profiles = {model::Profile::relay, model::Profile::submission, model::Profile::submissions};
        for (model::Profile p : profiles) {
            server::Config config;
            config.profile = p;
            config.faults = faults;
            RunOptions o = options;
            o.profile = p;
            if (!o.rcpt) o.rcpt = "rcpt@example.org";
            if (!o.credentials) o.credentials = config.policy.credentials.front();
            runs.emplace_back(in_process_endpoint(config), o);
        }
    } else {
        if (faults.any()) {
            std::cerr << "smtpspec run: --fault applies to the in-process server only (run without TARGET); to test a "
                         "faulty server on a port use 'smtpspec serve --fault NAME'\n";
            return exit_usage;
        }
        model::Profile p = profiles.empty() ? model::Profile::relay : profiles.front();
        auto parsed = parse_target(args.target, p);
        if (auto* e = std::get_if<TargetError>(&parsed)) {
            std::cerr << "smtpspec run: " << e->message << "\n";
            return exit_usage;
        }
        const Target& target = std::get<Target>(parsed);
        if (profiles.empty() && target.kind == Target::Kind::tls) p = model::Profile::submissions;
        if (p == model::Profile::submissions && target.kind == Target::Kind::tcp) {
            std::cerr << "smtpspec run: the submissions profile is implicit TLS (RFC 8314 §3.3): write tls://"
                      << target.host << ":" << target.port << "\n";
            return exit_usage;
        }
        // Reachable at all? Otherwise every check would be an error saying the same.
        ConnectOptions co;
        co.timeout = options.timeout;
        co.tls.host = target.host;
        Connected c = connect(target, co);
        if (!c.connection) {
            std::cerr << "smtpspec run: cannot reach " << target.text() << ": " << c.result.message
                      << "; check that the server runs and the host and port are right\n";
            return exit_usage;
        }
        c.connection->close();
        RunOptions o = options;
        o.profile = p;
        runs.emplace_back(endpoint_for(target), o);
    }

    const TerminalStyle style = terminal_style_for(stdout, args.verbose);
    RunSettings settings;
    settings.jobs = args.jobs ? args.jobs : std::max(8u, 2 * std::thread::hardware_concurrency());
    std::vector<RunReport> reports;
    for (auto& [endpoint, o] : runs) {
        std::vector<const Check*> checks = select_checks(o.profile, args.checks, args.skips);
        if (checks.empty()) {
            std::cerr << "smtpspec run: no check matches --check/--skip for profile " << model::to_string(o.profile)
                      << "; 'smtpspec list' shows the ids\n";
            return exit_usage;
        }
        Progress progress(endpoint.name + " " + std::string(model::to_string(o.profile)));
        settings.progress = [&progress](const CheckResult& r, std::size_t d, std::size_t t) { progress(r, d, t); };
        reports.push_back(run_checks(endpoint, o, checks, settings));
        write_terminal(std::cout, reports.back(), style);
        std::cout << "\n";
    }
    write_summary(std::cout, reports, style);
    std::cout.flush();

    std::string error;
    if (!args.json.empty() && !write_file(args.json, to_json(reports), error)) {
        std::cerr << "smtpspec run: " << error << "\n";
        return exit_usage;
    }
    if (!args.junit.empty() && !write_file(args.junit, to_junit(reports), error)) {
        std::cerr << "smtpspec run: " << error << "\n";
        return exit_usage;
    }
    Counts total = total_counts(reports);
    if (total.fail > 0) return exit_failure;
    if (args.strict && (total.warn > 0 || total.error > 0)) return exit_failure;
    return exit_ok;
}

}  // namespace

void add_run_verb(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<RunArgs>();
    CLI::App* sub = app.add_subcommand(
        "run", "Run the conformance checks against TARGET (tcp://HOST[:PORT], tls://HOST[:PORT], exec:COMMAND); "
               "with no TARGET, against the in-process reference server in all three profiles");
    sub->add_option("target", args->target, "tcp://HOST[:PORT] (STARTTLS on the same connection), tls://HOST[:PORT] "
                                            "(implicit TLS, RFC 8314) or exec:COMMAND (SMTP on stdin/stdout)");
    sub->add_option("--profile", args->profile, "relay (port 25), submission (587, AUTH before MAIL) or "
                                                "submissions (465, implicit TLS); default relay, or submissions "
                                                "for tls://");
    sub->add_option("--rcpt", args->rcpt, "the only recipient a check sends a message to; checks that complete a "
                                          "message are skipped without it");
    sub->add_option("--mail-from", args->mail_from, "the reverse-path of test messages (default: the null path <>)");
    sub->add_option("--user", args->user, "the user for AUTH (submission)");
    sub->add_option("--password-file", args->password_file, "a file whose first line is the password (or set "
                                                            "SMTPSPEC_PASSWORD)");
    sub->add_option("--check", args->checks, "run only the checks whose id matches GLOB (repeatable)");
    sub->add_option("--skip", args->skips, "leave out the checks whose id matches GLOB (repeatable)");
    sub->add_option("--jobs,-j", args->jobs, "checks at once, each on its own connections (default: 8 or twice "
                                             "the cores)");
    sub->add_option("--timeout", args->timeout, "seconds to wait for each connect, read and handshake (default 10)");
    sub->add_option("--json", args->json, "write the JSON report (docs/report-schema.json) to FILE");
    sub->add_option("--junit", args->junit, "write a JUnit XML report to FILE");
    sub->add_flag("--strict", args->strict, "exit 1 on warnings and errors too, not only on MUST failures");
    sub->add_flag("--slow", args->slow, "also run the checks that take minutes (RFC 5321 §4.5.3.2 timeouts)");
    sub->add_flag("--tls-verify", args->tls_verify, "a certificate that does not verify ends the session");
    sub->add_flag("--trusted-client", args->trusted_client,
                  "the server authorizes this client without AUTH (RFC 6409 §4.3, e.g. by its network): MAIL "
                  "before AUTH on submission is then noted, not failed");
    sub->add_flag("--pedantic", args->pedantic,
                  "also warn where the server departs from what the RFC describes but does not require "
                  "(findings on INFO rules, e.g. MAIL accepted before EHLO)");
    sub->add_flag("--verbose,-v", args->verbose, "also show the rules each check judged and findings on other rules");
    sub->add_option("--fault", args->faults, "with no TARGET: give the in-process server a known bug (see "
                                             "'smtpspec serve --list-faults')");
    sub->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace smtpspec::cli
