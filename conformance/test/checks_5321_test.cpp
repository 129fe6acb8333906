// The RFC 5321 checks (session, command and address groups) against the
// in-process reference server: each passes the clean server in every profile
// it applies to; each fault of the reference server whose rule one of them
// covers is caught by that check, at the level of the rule; and no check
// reports a fault whose rule is not among its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "check_test_support.hpp"
#include "checks/groups.hpp"
#include "loopback_server.hpp"
#include "smtpspec/conformance/check.hpp"
#include "smtpspec/conformance/runner.hpp"
#include "smtpspec/conformance/server/faults.hpp"
#include "smtpspec/conformance/target.hpp"
#include "smtpspec/model/rules.hpp"

namespace smtpspec::conformance {
namespace {

using server::Fault;
using test::covers;
using test::describe;

constexpr model::Profile all[] = {model::Profile::relay, model::Profile::submission, model::Profile::submissions};

const std::vector<Check>& group_checks() {
    static const std::vector<Check> checks = [] {
        std::vector<Check> out;
        for (auto group : {checks::session_checks, checks::command_checks, checks::address_checks})
            for (Check& c : group()) out.push_back(std::move(c));
        return out;
    }();
    return checks;
}

const Check& check_named(std::string_view id) {
    for (const Check& c : group_checks())
        if (c.id == id) return c;
    ADD_FAILURE() << "no check " << id;
    static const Check none{};
    return none;
}

RunOptions options_for(model::Profile profile) {
    RunOptions o;
    o.profile = profile;
    o.rcpt = "someone@example.org";
    o.credentials = model::Credential{"user", "secret"};
    o.timeout = std::chrono::milliseconds(1000);
    return o;
}

CheckResult run(const Check& check, model::Profile profile, std::optional<Fault> fault = std::nullopt,
                bool pedantic = false) {
    server::Config config;
    config.profile = profile;
    if (fault) config.faults.set(static_cast<std::size_t>(*fault));
    RunOptions options = options_for(profile);
    options.pedantic = pedantic;
    return run_check(check, in_process_endpoint(std::move(config)), options);
}

TEST(Checks5321, AtLeastThirtyTwoWithUniqueIdsAndKnownRules) {
    const std::vector<Check>& checks = group_checks();
    EXPECT_GE(checks.size(), 32u);
    std::vector<std::string_view> ids;
    for (const Check& c : checks) {
        EXPECT_TRUE(c.id.starts_with("rfc5321/")) << c.id;
        EXPECT_EQ(section_of(c.id).rfc, 5321u) << c.id;
        EXPECT_NE(c.procedure, nullptr) << c.id;
        EXPECT_FALSE(c.rules.empty()) << c.id;
        EXPECT_NE(c.profiles, 0) << c.id;
        for (std::string_view rule : c.rules) EXPECT_TRUE(find_any_rule(rule).has_value()) << c.id << ": " << rule;
        ids.push_back(c.id);
    }
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "duplicate check id";
}

// Every check passes the clean reference server in every profile it applies to.
TEST(Checks5321, PassTheReferenceServer) {
    for (const Check& check : group_checks())
        for (model::Profile profile : all) {
            if (!applies(check.profiles, profile)) continue;
            CheckResult r = run(check, profile);
            EXPECT_EQ(r.verdict, Verdict::pass)
                << check.id << " in profile " << model::to_string(profile) << "\n" << describe(r);
        }
}

// The faults this part of the catalogue answers for, each with the check that catches it.
struct Caught {
    Fault fault;
    std::string_view check;
};
constexpr Caught caught[] = {
    {Fault::rcpt_before_mail, "rfc5321/3.3/rcpt-before-mail"},
    {Fault::mail_before_helo, "rfc5321/4.1.1.1/mail-before-helo"},
    {Fault::data_without_rcpt, "rfc5321/3.3/data-without-rcpt"},
    {Fault::rset_keeps_transaction, "rfc5321/4.1.1.5/rset-clears"},
    {Fault::unknown_command_250, "rfc5321/4.2.4/unknown-command"},
    {Fault::multiline_mixed_codes, "rfc5321/4.2.1/multiline-replies"},
    {Fault::quit_keeps_open, "rfc5321/4.1.1.10/quit-then-close"},
    {Fault::long_line_closes, "rfc5321/4.5.3.1.4/line-over-limit"},
    {Fault::postmaster_refused, "rfc5321/4.5.1/postmaster"},
};

// Each fault is caught by its check, at the level of the rule it breaks, with
// a finding on one of the check's own rules.
TEST(Checks5321, CatchTheirFaults) {
    for (const Caught& c : caught) {
        const server::FaultInfo& info = server::fault_info(c.fault);
        const Check& check = check_named(c.check);
        ASSERT_TRUE(covers(check, info.breaks)) << c.check << " does not list " << model::rule(info.breaks).name;
        ASSERT_TRUE(applies(check.profiles, info.profile)) << c.check;
        CheckResult r = run(check, info.profile, c.fault);
        EXPECT_EQ(r.verdict, verdict_for(model::rule(info.breaks).level))
            << c.check << " against fault " << info.name << "\n" << describe(r);
        ASSERT_FALSE(r.findings.empty()) << c.check << " against fault " << info.name << "\n" << describe(r);
        for (const Observation& o : r.findings)
            EXPECT_NE(std::find(check.rules.begin(), check.rules.end(), o.rule), check.rules.end())
                << c.check << ": finding on " << o.rule << ", not a rule of the check";
    }
}

// MAIL before EHLO is the client's fault (RFC 5321 §4.1.1.1), so a server that
// accepts it is only noted; --pedantic turns that note into a warning, and
// leaves the clean server's pass and a MUST failure as they are.
TEST(Checks5321, PedanticWarnsOnInfoRules) {
    const Check& helo = check_named("rfc5321/4.1.1.1/mail-before-helo");
    ASSERT_EQ(model::rule(model::RuleId::mail_needs_helo).level, model::Level::info);
    const CheckResult noted = run(helo, model::Profile::relay, Fault::mail_before_helo);
    EXPECT_EQ(noted.verdict, Verdict::info) << describe(noted);
    const CheckResult warned = run(helo, model::Profile::relay, Fault::mail_before_helo, true);
    EXPECT_EQ(warned.verdict, Verdict::warn) << describe(warned);
    EXPECT_NE(warned.reason.find("--pedantic"), std::string::npos) << warned.reason;
    const CheckResult clean = run(helo, model::Profile::relay, std::nullopt, true);
    EXPECT_EQ(clean.verdict, Verdict::pass) << describe(clean);
    const CheckResult must = run(check_named("rfc5321/4.5.1/postmaster"), model::Profile::relay,
                                 Fault::postmaster_refused, true);
    EXPECT_EQ(must.verdict, Verdict::fail) << describe(must);
}

// A live server whose replies end in a bare LF: the lenient reader frames
// them, and the check that cites the reply format notes each repair (INFO),
// with the deviation's name, instead of passing over it.
TEST(Checks5321, ReplyRepairsAreNoted) {
    test::LoopbackServer server([](int fd) {
        test::send_all(fd, "220 mx.test ESMTP\n");
        for (std::string line = test::read_line(fd); !line.empty(); line = test::read_line(fd)) {
            if (line.starts_with("EHLO")) test::send_all(fd, "250-mx.test\n250 PIPELINING\n");
            else if (line.starts_with("HELP")) test::send_all(fd, "214-Commands:\n214 End\n");
            else if (line.starts_with("QUIT")) {
                test::send_all(fd, "221 Bye\n");
                return;
            } else test::send_all(fd, "250 Ok\n");
        }
    });
    const auto target = parse_target(server.target());
    ASSERT_TRUE(std::holds_alternative<Target>(target));
    RunOptions options = options_for(model::Profile::relay);
    const CheckResult r = run_check(check_named("rfc5321/4.2.1/multiline-replies"), endpoint_for(std::get<Target>(target)),
                                    options);
    EXPECT_EQ(r.verdict, Verdict::info) << describe(r);
    ASSERT_FALSE(r.findings.empty()) << describe(r);
    for (const Observation& o : r.findings) {
        EXPECT_EQ(o.rule, "rfc5321/4.2/reply-format");
        EXPECT_NE(o.explanation.find("bare-lf"), std::string::npos) << o.explanation;
    }
}

// Against any fault, in every profile, a check's findings on its own rules
// (what its verdict comes from) are all on the rule the fault breaks; when the
// fault breaks a step the check needs, it stops with an error instead (e.g. a
// malformed EHLO reply). Skips cannot happen: the options give a recipient and
// credentials.
TEST(Checks5321, ReportOnlyFaultsOfTheirRules) {
    for (const server::FaultInfo& info : server::faults())
        for (const Check& check : group_checks())
            for (model::Profile profile : all) {
                if (!applies(check.profiles, profile)) continue;
                CheckResult r = run(check, profile, info.fault);
                const std::string_view rule = model::rule(info.breaks).name;
                EXPECT_NE(r.verdict, Verdict::skip) << check.id << "\n" << describe(r);
                for (const Observation& o : r.findings) {
                    EXPECT_EQ(o.rule, rule) << check.id << " in profile " << model::to_string(profile)
                                            << " against fault " << info.name << "\n" << describe(r);
                }
                if (!covers(check, info.breaks)) {
                    EXPECT_TRUE(r.verdict == Verdict::pass || r.verdict == Verdict::error)
                        << check.id << " in profile " << model::to_string(profile) << " against fault "
                        << info.name << "\n" << describe(r);
                }
            }
}

}  // namespace
}  // namespace smtpspec::conformance
