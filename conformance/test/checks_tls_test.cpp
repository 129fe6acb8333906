// The STARTTLS, AUTH and TLS checks: every one passes the in-process
// reference server in each profile it applies to (or skips for the reason
// stated here), the check covering each TLS/AUTH fault catches it by the
// fault's rule, no check blames a fault on a rule it does not cover, and the
// TLS-layer checks judge real TLS servers on loopback.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "check_test_support.hpp"
#include "checks/groups.hpp"
#include "loopback_server.hpp"
#include "smtpspec/conformance/runner.hpp"
#include "smtpspec/conformance/server/faults.hpp"
#include "smtpspec/conformance/tls_probe.hpp"
#include "smtpspec/conformance/tls_rules.hpp"

namespace smtpspec::conformance {
namespace {

using model::Profile;
using server::Fault;

constexpr Profile all_three[] = {Profile::relay, Profile::submission, Profile::submissions};

const std::vector<Check>& group() {
    static const std::vector<Check> all = [] {
        std::vector<Check> out;
        for (auto g : {checks::starttls_checks, checks::auth_checks, checks::tls_checks})
            for (Check& c : g()) out.push_back(std::move(c));
        return out;
    }();
    return all;
}

bool from_tls_group(const Check& c) {
    for (const Check& t : checks::tls_checks())
        if (t.id == c.id) return true;
    return false;
}

const Check& check(std::string_view id) {
    for (const Check& c : group())
        if (c.id == id) return c;
    throw std::runtime_error("no check " + std::string(id));
}

RunOptions options_for(Profile profile) {
    RunOptions o;
    o.profile = profile;
    o.credentials = model::Credential{"user", "secret"};  // the reference Policy's account
    o.rcpt = "someone@example.org";
    o.timeout = Duration{2000};
    return o;
}

CheckResult run_in_process(const Check& c, Profile profile, std::optional<Fault> fault = std::nullopt) {
    server::Config config;
    config.profile = profile;
    if (fault) config.faults.set(static_cast<std::size_t>(*fault));
    return run_check(c, in_process_endpoint(config), options_for(profile));
}

bool blames(Verdict v) { return v == Verdict::fail || v == Verdict::warn || v == Verdict::info; }

// ---------------------------------------------------------------- the table

TEST(TlsChecks, AtLeastSixteenWithKnownRulesAndUniqueIds) {
    EXPECT_GE(group().size(), 16u);
    std::set<std::string_view> ids;
    for (const Check& c : group()) {
        EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
        EXPECT_NE(c.procedure, nullptr) << c.id;
        EXPECT_FALSE(c.rules.empty()) << c.id;
        EXPECT_NE(c.profiles, 0) << c.id;
        EXPECT_FALSE(c.title.empty() || c.sends.empty() || c.accepts.empty()) << c.id;
        const Section s = section_of(c.id);
        EXPECT_NE(s.rfc, 0u) << c.id;
        EXPECT_FALSE(s.section.empty()) << c.id;
        bool same_rfc = false;
        for (std::string_view rule : c.rules) {
            auto r = find_any_rule(rule);
            ASSERT_TRUE(r) << c.id << " cites the unknown rule " << rule;
            same_rfc = same_rfc || r->rfc == s.rfc;
        }
        EXPECT_TRUE(same_rfc) << c.id << " cites no rule of RFC " << s.rfc;
    }
}

TEST(TlsRules, NamesAgreeWithTheirFieldsAndLevelsWithTheirQuotes) {
    std::set<std::string_view> names;
    for (const RuleRef& r : tls_rules()) {
        EXPECT_TRUE(names.insert(r.name).second) << r.name;
        EXPECT_EQ(model::find_rule(r.name), nullptr) << r.name << " is also in the model's table";
        const Section s = section_of(r.name);
        EXPECT_EQ(s.rfc, r.rfc) << r.name;
        EXPECT_EQ(s.section, r.section) << r.name;
        EXPECT_FALSE(r.summary.empty()) << r.name;
        if (r.level == model::Level::must) {
            EXPECT_NE(r.quote.find("MUST"), std::string_view::npos) << r.name;
        }
        if (r.level == model::Level::info) {
            EXPECT_EQ(r.quote.find("MUST"), std::string_view::npos) << r.name;
        }
    }
    for (std::string_view name : {"rfc7568/3/no-sslv3", "rfc8996/4/no-tls10", "rfc8996/5/no-tls11",
                                  "rfc8314/4/tls12-supported", "rfc8314/3.3/implicit-tls"})
        EXPECT_TRUE(names.count(name)) << name;
}

// ---------------------------------------------------------------- the reference server

TEST(TlsChecks, PassTheReferenceServerInEveryProfileTheyApplyTo) {
    for (const Check& c : group())
        for (Profile p : all_three) {
            if (!applies(c.profiles, p)) continue;
            CheckResult r = run_in_process(c, p);
            if (from_tls_group(c)) {
                // The TLS layer is simulated in process: no version or certificate to judge.
                EXPECT_EQ(r.verdict, Verdict::skip) << c.id << " in " << to_string(p) << ": " << test::describe(r);
                EXPECT_EQ(r.reason, "the in-process server has no TLS layer") << c.id;
                continue;
            }
            EXPECT_EQ(r.verdict, Verdict::pass) << c.id << " in " << to_string(p) << ": " << test::describe(r);
            EXPECT_TRUE(r.findings.empty()) << c.id << " in " << to_string(p) << ": " << test::describe(r);
        }
}

TEST(TlsChecks, ChecksNeedingCredentialsSkipWithoutThem) {
    for (std::string_view id : {"rfc4954/4/auth-plain", "rfc4954/4/auth-login", "rfc4954/4/auth-once-503"}) {
        server::Config config;
        config.profile = Profile::submission;
        RunOptions o = options_for(Profile::submission);
        o.credentials.reset();
        CheckResult r = run_check(check(id), in_process_endpoint(config), o);
        EXPECT_EQ(r.verdict, Verdict::skip) << id;
        EXPECT_NE(r.reason.find("--user"), std::string::npos) << r.reason;
    }
}

TEST(TlsChecks, WrongCredentialsAreAnErrorNamingTheOption) {
    server::Config config;
    config.profile = Profile::submission;
    RunOptions o = options_for(Profile::submission);
    o.credentials = model::Credential{"user", "not-the-password"};
    CheckResult r = run_check(check("rfc4954/4/auth-plain"), in_process_endpoint(config), o);
    EXPECT_EQ(r.verdict, Verdict::error) << test::describe(r);
    EXPECT_NE(r.reason.find("check --user and the password"), std::string::npos) << r.reason;
}

TEST(TlsChecks, SkipWhenTheServerOffersNoStartTls) {
    server::Config config;
    config.profile = Profile::relay;
    config.tls_available = false;
    for (std::string_view id : {"rfc3207/4/starttls-accepted", "rfc3207/4.2/discard-pipelined",
                                "rfc3207/4.2/reset-after-tls", "rfc3207/4/starttls-no-parameters"}) {
        CheckResult r = run_check(check(id), in_process_endpoint(config), options_for(Profile::relay));
        EXPECT_EQ(r.verdict, Verdict::skip) << id << ": " << test::describe(r);
        EXPECT_EQ(r.reason, "the server does not advertise STARTTLS") << id;
    }
    config.profile = Profile::submission;
    CheckResult r =
        run_check(check("rfc8314/4/submission-offers-tls"), in_process_endpoint(config), options_for(Profile::submission));
    EXPECT_EQ(r.verdict, Verdict::fail) << test::describe(r);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].rule, "rfc8314/4/tls-access");
}

// ---------------------------------------------------------------- faults

struct Caught {
    Fault fault;
    std::string_view check;
    std::string_view rule;  // the rule the model reports the fault under
    Verdict verdict;        // its level decides: MUST fail, SHOULD warn, INFO info
};

TEST(TlsChecks, CatchTheirFaultsByTheFaultsRule) {
    const Caught cases[] = {
        {Fault::starttls_injection, "rfc3207/4.2/discard-pipelined", "rfc3207/4.2/discard-pipelined", Verdict::fail},
        {Fault::no_reset_after_starttls, "rfc3207/4.2/reset-after-tls", "rfc3207/4.2/reset-after-tls", Verdict::fail},
        {Fault::starttls_readvertised, "rfc3207/4.2/no-starttls-after-tls", "rfc3207/4.2/no-starttls-after-tls",
         Verdict::fail},
        {Fault::starttls_parameters, "rfc3207/4/starttls-no-parameters", "rfc3207/4/starttls-codes", Verdict::info},
        {Fault::auth_cleartext, "rfc4954/4/no-plaintext-listed", "rfc4954/4/no-plaintext-without-tls", Verdict::warn},
        {Fault::auth_cleartext, "rfc4954/4/no-plaintext-accepted", "rfc4954/4/no-plaintext-without-tls",
         Verdict::warn},
        // The model judges MAIL without AUTH from an undeclared client under the MUST (RFC 6409 §4.3).
        {Fault::mail_without_auth, "rfc6409/4.3/mail-before-auth", "rfc6409/4.3/require-auth", Verdict::fail},
        {Fault::auth_in_transaction, "rfc4954/4/auth-in-transaction-503", "rfc4954/4/auth-in-transaction-503",
         Verdict::fail},
    };
    for (const Caught& k : cases) {
        const server::FaultInfo& f = server::fault_info(k.fault);
        const Check& c = check(k.check);
        ASSERT_TRUE(applies(c.profiles, f.profile)) << c.id;
        CheckResult r = run_in_process(c, f.profile, k.fault);
        EXPECT_EQ(r.verdict, k.verdict) << f.name << " / " << c.id << ": " << test::describe(r);
        EXPECT_TRUE(std::find(c.rules.begin(), c.rules.end(), k.rule) != c.rules.end()) << c.id;
        EXPECT_TRUE(std::any_of(r.findings.begin(), r.findings.end(),
                                [&](const Observation& o) { return o.rule == k.rule; }))
            << f.name << " / " << c.id << " has no finding on " << k.rule << ": " << test::describe(r);
    }
}

TEST(TlsChecks, BlameNoFaultOnARuleTheyDoNotCover) {
    // In every profile, not only the one where the suite is meant to meet the fault.
    for (const server::FaultInfo& f : server::faults())
        for (const Check& c : group())
            for (Profile p : all_three) {
                if (!applies(c.profiles, p) || from_tls_group(c)) continue;
                const std::string_view rule = model::rule(f.breaks).name;
                if (std::find(c.rules.begin(), c.rules.end(), rule) != c.rules.end()) continue;
                CheckResult r = run_in_process(c, p, f.fault);
                EXPECT_FALSE(blames(r.verdict)) << f.name << " / " << c.id << " in " << to_string(p) << ": " << test::describe(r);
            }
}

// ---------------------------------------------------------------- real TLS on loopback

// An SMTP server on 127.0.0.1 with real TLS (a self-signed certificate, TLS
// 1.2 and later unless told otherwise), for up to `sessions` connections one
// after the other: implicit TLS, or STARTTLS after EHLO.
class TlsSmtpServer {
public:
    TlsSmtpServer(bool implicit, bool old_versions, int sessions) {
        if (old_versions) ctx_.allow_old_versions();
        else SSL_CTX_set_min_proto_version(ctx_.ctx, TLS1_2_VERSION);
        listener_ = test::listen_on_loopback(8, port_);
        thread_ = std::thread([this, implicit, sessions] {
            for (int i = 0; i < sessions && !stop_; ++i) {
                int fd = test::accept_bounded(listener_);
                if (fd < 0) return;
                if (implicit) implicit_session(fd);
                else starttls_session(fd);
                ::close(fd);
            }
        });
    }
    ~TlsSmtpServer() {
        stop_ = true;
        ::shutdown(listener_, SHUT_RDWR);
        thread_.join();
        ::close(listener_);
    }
    std::string target(std::string_view scheme) const {
        return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_);
    }

private:
    // EHLO, QUIT and (in cleartext) STARTTLS; anything else 502.
    template <class Read, class Send>
    static bool serve_commands(Read read, Send send, bool offer_starttls) {
        for (;;) {
            const std::string line = read();
            if (line.empty()) return false;
            if (line.starts_with("EHLO ")) {
                send(offer_starttls ? "250-mx.smtpspec.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n"
                                    : "250-mx.smtpspec.test\r\n250 PIPELINING\r\n");
            } else if (line == "QUIT\r\n") {
                send("221 2.0.0 bye\r\n");
                return false;
            } else if (offer_starttls && line == "STARTTLS\r\n") {
                send("220 2.0.0 go ahead\r\n");
                return true;
            } else {
                send("502 5.5.1 not here\r\n");
            }
        }
    }
    void implicit_session(int fd) {
        test::TlsServerSession tls(ctx_.ctx, fd);
        if (!tls.ok()) return;
        tls.send("220 mx.smtpspec.test ESMTP\r\n");
        serve_commands([&] { return tls.read_line(); }, [&](std::string_view s) { tls.send(s); }, false);
    }
    void starttls_session(int fd) {
        test::send_all(fd, "220 mx.smtpspec.test ESMTP\r\n");
        if (!serve_commands([&] { return test::read_line(fd); }, [&](std::string_view s) { test::send_all(fd, s); },
                            true))
            return;
        test::TlsServerSession tls(ctx_.ctx, fd);
        if (!tls.ok()) return;
        serve_commands([&] { return tls.read_line(); }, [&](std::string_view s) { tls.send(s); }, false);
    }

    test::TlsServerContext ctx_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

CheckResult run_against(const Check& c, const std::string& target_text, Profile profile) {
    Target target = std::get<Target>(parse_target(target_text, profile));
    RunOptions o = options_for(profile);
    return run_check(c, endpoint_for(target), o);
}

TEST(TlsChecks, VersionProbesOnAModernImplicitTlsServer) {
    for (std::string_view id : {"rfc8996/4/no-tls10", "rfc8996/5/no-tls11", "rfc7568/3/no-sslv3",
                                "rfc8314/4/tls12-supported"}) {
        TlsSmtpServer server(true, false, 1);
        CheckResult r = run_against(check(id), server.target("tls"), Profile::submissions);
        const bool ssl3 = id == "rfc7568/3/no-sslv3";
        if (ssl3 && !offerable(TlsVersion::ssl3)) {
            EXPECT_EQ(r.verdict, Verdict::skip) << test::describe(r);
            EXPECT_EQ(r.reason.rfind("not offerable by the local OpenSSL", 0), 0u) << r.reason;
            continue;
        }
        if (id == "rfc8996/4/no-tls10" && !offerable(TlsVersion::tls1_0)) continue;
        if (id == "rfc8996/5/no-tls11" && !offerable(TlsVersion::tls1_1)) continue;
        EXPECT_EQ(r.verdict, Verdict::pass) << id << ": " << test::describe(r);
        EXPECT_TRUE(r.findings.empty()) << id;
    }
}

TEST(TlsChecks, VersionProbesOverStartTls) {
    // Each check opens a session to see STARTTLS offered, then probes on a second one.
    if (!offerable(TlsVersion::tls1_1)) GTEST_SKIP() << "the local OpenSSL cannot offer TLS 1.1";
    TlsSmtpServer server(false, false, 2);
    CheckResult r = run_against(check("rfc8996/5/no-tls11"), server.target("tcp"), Profile::relay);
    EXPECT_EQ(r.verdict, Verdict::pass) << test::describe(r);
    EXPECT_NE(r.reason.find("refused TLSv1.1"), std::string::npos) << r.reason;
}

TEST(TlsChecks, OldVersionsAcceptedFail) {
    if (!offerable(TlsVersion::tls1_0)) GTEST_SKIP() << "the local OpenSSL cannot offer TLS 1.0";
    TlsSmtpServer server(true, true, 1);
    CheckResult r = run_against(check("rfc8996/4/no-tls10"), server.target("tls"), Profile::submissions);
    EXPECT_EQ(r.verdict, Verdict::fail) << test::describe(r);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].rule, "rfc8996/4/no-tls10");
    EXPECT_EQ(r.findings[0].level, model::Level::must);
    EXPECT_EQ(r.findings[0].actual, "a handshake completed at TLSv1");
}

TEST(TlsChecks, ASelfSignedCertificateIsNotValidForSubmissionAndInfoOnARelay) {
    {
        TlsSmtpServer server(true, false, 1);
        CheckResult r = run_against(check("rfc8314/4.4/valid-certificate"), server.target("tls"), Profile::submissions);
        EXPECT_EQ(r.verdict, Verdict::fail) << test::describe(r);
        ASSERT_EQ(r.findings.size(), 1u);
        EXPECT_NE(r.findings[0].explanation.find("does not verify against the system trust store"), std::string::npos)
            << r.findings[0].explanation;
        EXPECT_NE(r.findings[0].actual.find("CN=smtpspec-test issued by CN=smtpspec-test"), std::string::npos)
            << r.findings[0].actual;
        EXPECT_NE(r.findings[0].actual.find("matches 127.0.0.1"), std::string::npos) << r.findings[0].actual;
        ASSERT_TRUE(r.tls);
        ASSERT_TRUE(r.tls->certificate);
        EXPECT_EQ(r.tls->certificate->subject, "CN=smtpspec-test");
    }
    {
        TlsSmtpServer server(false, false, 1);
        CheckResult r = run_against(check("rfc3207/4.1/certificate-facts"), server.target("tcp"), Profile::relay);
        EXPECT_EQ(r.verdict, Verdict::info) << test::describe(r);
        ASSERT_EQ(r.findings.size(), 1u);
        EXPECT_EQ(r.findings[0].level, model::Level::info);
        EXPECT_NE(r.findings[0].actual.find("TLSv1.3"), std::string::npos) << r.findings[0].actual;
        ASSERT_TRUE(r.tls);
    }
}

TEST(TlsChecks, ImplicitTlsOnARealServerAndAPlaintextOne) {
    {
        TlsSmtpServer server(true, false, 2);
        CheckResult r = run_against(check("rfc8314/3.3/implicit-tls"), server.target("tls"), Profile::submissions);
        EXPECT_EQ(r.verdict, Verdict::pass) << test::describe(r);
    }
    {
        // A server that greets in cleartext on the submissions port.
        test::LoopbackServer server([](int fd) {
            test::send_all(fd, "220 mx.smtpspec.test ESMTP\r\n");
            test::wait_closed(fd);
        });
        RunOptions o = options_for(Profile::submissions);
        o.timeout = Duration{500};
        Target target = std::get<Target>(parse_target(server.target("tls"), Profile::submissions));
        CheckResult r = run_check(check("rfc8314/3.3/implicit-tls"), endpoint_for(target), o);
        EXPECT_EQ(r.verdict, Verdict::info) << test::describe(r);
        ASSERT_EQ(r.findings.size(), 1u);
        EXPECT_EQ(r.findings[0].rule, "rfc8314/3.3/implicit-tls");
    }
}

TEST(TlsChecks, VersionProbesSkipWithoutTls) {
    // A relay that offers no STARTTLS.
    test::LoopbackServer server([](int fd) {
        test::send_all(fd, "220 mx.smtpspec.test ESMTP\r\n");
        for (;;) {
            std::string line = test::read_line(fd);
            if (line.empty()) return;
            if (line.starts_with("EHLO ")) test::send_all(fd, "250 mx.smtpspec.test\r\n");
            else if (line == "QUIT\r\n") {
                test::send_all(fd, "221 bye\r\n");
                return;
            }
        }
    });
    CheckResult r = run_against(check("rfc8996/4/no-tls10"), server.target("tcp"), Profile::relay);
    EXPECT_EQ(r.verdict, Verdict::skip) << test::describe(r);
    EXPECT_EQ(r.reason, "the server offers no TLS: its EHLO reply does not list STARTTLS");
}

// ---------------------------------------------------------------- `smtpspec serve`

// The reference server on loopback sockets (`smtpspec serve`, real TLS with its
// self-signed certificate): a relay and a submissions listener on free ports.
class ServeProcess {
public:
    ServeProcess() {
        int out[2];
        if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(out[1], 1);
            const int null = ::open("/dev/null", O_WRONLY);
            if (null >= 0) ::dup2(null, 2);
            std::string binary = SMTPSPEC_BINARY;
            std::vector<std::string> args = {binary, "serve", "--listen", "relay@127.0.0.1:0", "--listen",
                                             "submissions@127.0.0.1:0"};
            std::vector<char*> argv;
            for (std::string& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        // "listening PROFILE ADDRESS:PORT", one line per listener, within 10 s.
        std::string text;
        char buf[256];
        while (relay_.empty() || submissions_.empty()) {
            pollfd p{out[0], POLLIN, 0};
            if (::poll(&p, 1, 10'000) != 1) break;
            ssize_t n = ::read(out[0], buf, sizeof buf);
            if (n <= 0) break;
            text.append(buf, static_cast<std::size_t>(n));
            for (std::size_t at = 0; (at = text.find("listening ", at)) != std::string::npos; ++at) {
                std::size_t end = text.find('\n', at);
                if (end == std::string::npos) break;
                std::string line = text.substr(at, end - at);
                std::string address = line.substr(line.rfind(' ') + 1);
                if (line.starts_with("listening relay ")) relay_ = address;
                if (line.starts_with("listening submissions ")) submissions_ = address;
            }
        }
        ::close(out[0]);
    }
    ~ServeProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }
    bool ready() const { return !relay_.empty() && !submissions_.empty(); }
    std::string relay() const { return "tcp://" + relay_; }
    std::string submissions() const { return "tls://" + submissions_; }

private:
    pid_t pid_ = -1;
    std::string relay_, submissions_;
};

TEST(TlsChecks, TheTlsLayerOfSmtpspecServe) {
    ServeProcess serve;
    ASSERT_TRUE(serve.ready()) << "smtpspec serve printed no listening lines";
    struct Case {
        std::string_view check;
        Profile profile;
        Verdict verdict;
    };
    const Case cases[] = {
        {"rfc8996/4/no-tls10", Profile::relay, Verdict::pass},
        {"rfc8996/5/no-tls11", Profile::relay, Verdict::pass},
        {"rfc8996/4/no-tls10", Profile::submissions, Verdict::pass},
        {"rfc8996/5/no-tls11", Profile::submissions, Verdict::pass},
        {"rfc8314/4/tls12-supported", Profile::submissions, Verdict::pass},
        {"rfc8314/3.3/implicit-tls", Profile::submissions, Verdict::pass},
        {"rfc3207/4/starttls-accepted", Profile::relay, Verdict::pass},
        {"rfc3207/4.2/discard-pipelined", Profile::relay, Verdict::pass},
        // Its certificate is self-signed: reported on a relay, a failure for submission.
        {"rfc3207/4.1/certificate-facts", Profile::relay, Verdict::info},
        {"rfc8314/4.4/valid-certificate", Profile::submissions, Verdict::fail},
    };
    for (const Case& k : cases) {
        if (k.check == "rfc8996/4/no-tls10" && !offerable(TlsVersion::tls1_0)) continue;
        if (k.check == "rfc8996/5/no-tls11" && !offerable(TlsVersion::tls1_1)) continue;
        const std::string target = k.profile == Profile::relay ? serve.relay() : serve.submissions();
        CheckResult r = run_against(check(k.check), target, k.profile);
        EXPECT_EQ(r.verdict, k.verdict) << k.check << " on " << target << ": " << test::describe(r);
        if (k.verdict == Verdict::fail || k.verdict == Verdict::info) {
            ASSERT_EQ(r.findings.size(), 1u) << k.check;
            EXPECT_NE(r.findings[0].explanation.find("self-signed"), std::string::npos) << r.findings[0].explanation;
        }
    }
}

}  // namespace
}  // namespace smtpspec::conformance
