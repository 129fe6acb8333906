// Running checks (runner.hpp): endpoints, the context a procedure works in,
// verdicts from the model's findings, and the parallel runner.
#include "smtpspec/conformance/runner.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "smtpspec/conformance/in_process.hpp"
#include "smtpspec/conformance/tls_rules.hpp"

namespace smtpspec::conformance {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

bool is_own(const Check& check, std::string_view rule) {
    return std::find(check.rules.begin(), check.rules.end(), rule) != check.rules.end();
}

// Transcript events [at - before, at + after) of `probe`'s session.
std::string excerpt(const Probe& probe, std::size_t at) {
    constexpr std::size_t before = 6, after = 2;
    const Transcript& t = probe.session().transcript();
    std::size_t first = at > before ? at - before : 0;
    return t.text(Transcript::Style{}, first, at + after);
}

Observation observation(const model::TranscriptFinding& f, const Probe& probe) {
    const model::Rule& r = model::rule(f.finding.rule);
    Observation o;
    o.rule = std::string(r.name);
    o.rfc = r.rfc;
    o.section = std::string(r.section);
    o.level = f.finding.level;
    o.explanation = f.finding.explanation;
    o.expected = f.finding.expected;
    o.actual = f.finding.actual;
    o.excerpt = excerpt(probe, f.line);
    return o;
}

std::string needs_text(const Check& check, const RunOptions& options) {
    if ((check.needs & need_recipient) && !options.rcpt)
        return "needs a recipient: give --rcpt ADDRESS (this check completes a message)";
    if ((check.needs & need_credentials) && !options.credentials)
        return "needs credentials: give --user USER and --password-file FILE (or SMTPSPEC_PASSWORD)";
    if ((check.needs & need_slow) && !options.slow) return "takes minutes: run with --slow";
    return {};
}

}  // namespace

Endpoint endpoint_for(const Target& target) {
    Endpoint e;
    e.name = target.text();
    e.implicit_tls = target.kind == Target::Kind::tls;
    e.host = target.host;
    e.connect = [target](const ConnectOptions& options) { return connect(target, options); };
    return e;
}

Endpoint in_process_endpoint(server::Config config) {
    Endpoint e;
    e.name = "in-process";
    e.in_process = true;
    e.implicit_tls = config.profile == model::Profile::submissions;
    e.host = config.policy.hostname;
    const bool implicit = e.implicit_tls;
    e.connect = [config = std::move(config), implicit](const ConnectOptions&) {
        Connected c;
        c.connection = connect_in_process(config, implicit);
        return c;
    };
    return e;
}

CheckContext::CheckContext(const Check& check, const Endpoint& endpoint, const RunOptions& options)
    : check_(check), endpoint_(endpoint), options_(options) {}

CheckContext::~CheckContext() = default;

Probe& CheckContext::open() {
    ConnectOptions connect;
    connect.timeout = options_.timeout;
    connect.tls.host = endpoint_.host;
    connect.tls.verify_fatal = options_.tls_verify;
    Connected c = endpoint_.connect(connect);
    if (!c.connection) stop_error("cannot connect to " + endpoint_.name + ": " + c.result.message);
    SessionOptions so;
    so.timeout = options_.timeout;
    so.implicit_tls = endpoint_.implicit_tls;
    auto session = std::make_unique<Session>(std::move(c.connection), so);
    model::ConnectionOpened opened{options_.profile, endpoint_.implicit_tls, options_.trusted_client};
    probes_.push_back(std::make_unique<Probe>(std::move(session), opened, options_, endpoint_.host));
    Probe& p = *probes_.back();
    if (endpoint_.implicit_tls && p.session().tls_facts()) tls_ = p.session().tls_facts();
    p.greeting();
    return p;
}

Probe& CheckContext::ready() {
    Probe& p = open();
    p.ready_for_mail();
    return p;
}

std::string CheckContext::rcpt() const {
    if (!options_.rcpt) stop_skip("needs a recipient: give --rcpt ADDRESS (a mailbox that accepts test mail)");
    return *options_.rcpt;
}

std::string CheckContext::mail_from() const { return options_.mail_from ? "<" + *options_.mail_from + ">" : "<>"; }

void CheckContext::finding(std::string_view rule, std::string explanation, std::string expected, std::string actual) {
    Observation o;
    o.rule = std::string(rule);
    if (auto r = find_any_rule(rule)) {
        o.rfc = r->rfc;
        o.section = std::string(r->section);
        o.level = r->level;
    }
    o.explanation = std::move(explanation);
    o.expected = std::move(expected);
    o.actual = std::move(actual);
    judged(rule);
    own_findings_.push_back(std::move(o));
}

void CheckContext::judged(std::string_view rule) { judged_.emplace_back(rule); }

void CheckContext::note(std::string text) { notes_.push_back(std::move(text)); }

void CheckContext::tls_facts(const TlsFacts& facts) { tls_ = facts; }

CheckResult CheckContext::result(std::optional<CheckStop> stop, std::chrono::milliseconds duration) {
    CheckResult r;
    r.check = &check_;
    r.duration = duration;
    r.findings = own_findings_;
    bool any_judged = std::any_of(judged_.begin(), judged_.end(), [&](const std::string& j) { return is_own(check_, j); });
    for (const auto& probe : probes_) {
        if (!probe->session().closed()) probe->close();
        for (const model::TranscriptFinding& f : probe->findings()) {
            Observation o = observation(f, *probe);
            if (is_own(check_, o.rule)) r.findings.push_back(std::move(o));
            else r.other.push_back(std::move(o));
        }
        for (model::RuleId id : probe->checked_rules())
            if (is_own(check_, model::rule(id).name)) any_judged = true;
        if (!r.transcript.empty()) r.transcript += "# --- next session ---\n";
        r.transcript += probe->session().transcript().text();
        if (probe->session().tls_facts()) r.tls = probe->session().tls_facts();
    }
    if (tls_) r.tls = tls_;
    std::string notes;
    for (const std::string& n : notes_) notes += (notes.empty() ? "" : "; ") + n;

    // The most severe finding on the check's own rules decides; then a stop; then pass.
    const Observation* worst = nullptr;
    for (const Observation& o : r.findings)
        if (!worst || static_cast<int>(o.level) < static_cast<int>(worst->level)) worst = &o;
    // An INFO finding is only noted, and gives way to a stop, unless --pedantic makes it warn.
    const bool pedantic_info = worst && worst->level == model::Level::info && options_.pedantic;
    if (worst && (worst->level != model::Level::info || pedantic_info || !stop)) {
        r.verdict = verdict_for(worst->level, options_.pedantic);
        r.reason = worst->rule + ": " + worst->explanation;
        if (pedantic_info) r.reason += " (a warning under --pedantic: the RFC leaves this to the server)";
    } else if (stop) {
        r.verdict = stop->verdict;
        r.reason = stop->reason;
    } else if (!any_judged) {
        r.verdict = Verdict::error;
        r.reason = "the check ended before the server's behaviour under its rules was seen";
    } else {
        r.verdict = worst ? Verdict::info : Verdict::pass;
        r.reason = worst ? worst->rule + ": " + worst->explanation : notes;
    }
    if (r.reason.empty()) r.reason = notes;
    return r;
}

bool glob_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

std::vector<const Check*> select_checks(model::Profile profile, const std::vector<std::string>& include,
                                        const std::vector<std::string>& exclude) {
    std::vector<const Check*> out;
    for (const Check& c : catalogue()) {
        if (!applies(c.profiles, profile)) continue;
        auto matches = [&](const std::string& g) { return glob_match(g, c.id); };
        if (!include.empty() && std::none_of(include.begin(), include.end(), matches)) continue;
        if (std::any_of(exclude.begin(), exclude.end(), matches)) continue;
        out.push_back(&c);
    }
    return out;
}

CheckResult run_check(const Check& check, const Endpoint& endpoint, const RunOptions& options) {
    const auto start = Clock::now();
    if (std::string need = needs_text(check, options); !need.empty()) {
        CheckResult r;
        r.check = &check;
        r.verdict = Verdict::skip;
        r.reason = std::move(need);
        return r;
    }
    CheckContext context(check, endpoint, options);
    std::optional<CheckStop> stop;
    try {
        check.procedure(context);
    } catch (const CheckStop& s) {
        stop = s;
    } catch (const std::exception& e) {
        stop = CheckStop{Verdict::error, std::string("internal error: ") + e.what()};
    }
    return context.result(std::move(stop), since(start));
}

RunReport run_checks(const Endpoint& endpoint, const RunOptions& options, const std::vector<const Check*>& checks,
                     const RunSettings& settings) {
    const auto start = Clock::now();
    RunReport report;
    report.target = endpoint.name;
    report.profile = options.profile;
    report.pedantic = options.pedantic;
    report.results.resize(checks.size());
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::size_t done = 0;
    auto worker = [&] {
        for (;;) {
            std::size_t i = next.fetch_add(1);
            if (i >= checks.size()) return;
            CheckResult r = run_check(*checks[i], endpoint, options);
            std::lock_guard lock(mutex);
            report.results[i] = std::move(r);
            ++done;
            if (settings.progress) settings.progress(report.results[i], done, checks.size());
        }
    };
    const unsigned jobs = std::max(1u, std::min<unsigned>(settings.jobs, static_cast<unsigned>(checks.size())));
    std::vector<std::thread> threads;
    for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
    worker();
    for (std::thread& t : threads) t.join();
    for (const CheckResult& r : report.results)
        if (r.tls) {
            report.tls = r.tls;
            break;
        }
    report.duration = since(start);
    return report;
}

}  // namespace smtpspec::conformance
