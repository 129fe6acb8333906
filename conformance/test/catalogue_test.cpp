// The catalogue as a whole: well-formed entries, and every check passing the
// reference server in every profile it applies to.
#include "smtpspec/conformance/check.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "smtpspec/conformance/runner.hpp"

namespace smtpspec::conformance {
namespace {

RunOptions reference_options(model::Profile profile) {
    RunOptions o;
    o.profile = profile;
    o.rcpt = "rcpt@example.org";
    o.credentials = model::Policy{}.credentials.front();
    // As the mutation matrix runs: a finding on an INFO rule would warn.
    o.pedantic = true;
    return o;
}

TEST(Catalogue, AtLeastSixtyChecks) { EXPECT_GE(catalogue().size(), 60u); }

TEST(Catalogue, EntriesAreComplete) {
    const std::regex id_form(R"(rfc[0-9]{4}/[0-9]+(\.[0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*)");
    std::set<std::string_view> ids;
    for (const Check& c : catalogue()) {
        SCOPED_TRACE(std::string(c.id));
        EXPECT_TRUE(std::regex_match(std::string(c.id), id_form)) << "id is not rfcNNNN/section/slug";
        EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id";
        EXPECT_FALSE(c.title.empty());
        EXPECT_FALSE(c.sends.empty());
        EXPECT_FALSE(c.accepts.empty());
        EXPECT_NE(c.procedure, nullptr);
        EXPECT_NE(c.profiles & all_profiles, 0);
        EXPECT_FALSE(c.rules.empty());
        for (std::string_view rule : c.rules) EXPECT_TRUE(find_any_rule(rule).has_value()) << "unknown rule " << rule;
        EXPECT_EQ(find_check(c.id), &c);
    }
}

TEST(Catalogue, SectionOfId) {
    Section s = section_of("rfc5321/4.1.4/rcpt-before-mail");
    EXPECT_EQ(s.rfc, 5321u);
    EXPECT_EQ(s.section, "4.1.4");
    EXPECT_EQ(s.text(), "RFC 5321 §4.1.4");
}

TEST(Catalogue, GlobSelection) {
    EXPECT_TRUE(glob_match("rfc3207/*", "rfc3207/4.2/discard-pipelined"));
    EXPECT_TRUE(glob_match("*smuggling*", "rfc5321/4.1.1.4/smuggling-lf-dot-lf"));
    EXPECT_FALSE(glob_match("rfc3207/*", "rfc5321/4.1.4/rcpt-before-mail"));
    EXPECT_TRUE(glob_match("rfc5321/4.1.?/x", "rfc5321/4.1.4/x"));
    EXPECT_FALSE(glob_match("", "x"));
}

// `make run`: every check against the clean reference server in each profile,
// with --pedantic: no fail, warn or error, and a skip only for a check that
// needs what the reference server does not have (a TLS layer: it runs in
// process) or that takes minutes (--slow).
class CleanServer : public ::testing::TestWithParam<model::Profile> {};

TEST_P(CleanServer, EveryCheckPassesOrSaysWhyItSkips) {
    const model::Profile profile = GetParam();
    server::Config config;
    config.profile = profile;
    const Endpoint endpoint = in_process_endpoint(config);
    const RunOptions options = reference_options(profile);
    std::vector<const Check*> checks = select_checks(profile, {}, {});
    ASSERT_FALSE(checks.empty());
    RunSettings settings;
    settings.jobs = 4;
    RunReport report = run_checks(endpoint, options, checks, settings);
    std::size_t passed = 0;
    for (const CheckResult& r : report.results) {
        SCOPED_TRACE(std::string(r.check->id));
        EXPECT_TRUE(r.verdict == Verdict::pass || r.verdict == Verdict::skip)
            << to_string(r.verdict) << ": " << r.reason << "\n"
            << r.transcript;
        if (r.verdict == Verdict::skip) {
            EXPECT_FALSE(r.reason.empty());
            const bool tls_layer = r.reason.find("TLS") != std::string::npos;
            const bool slow = r.reason.find("--slow") != std::string::npos;
            EXPECT_TRUE(tls_layer || slow) << "only TLS-layer and --slow checks may skip here: " << r.reason;
        }
        for (const Observation& o : r.other) ADD_FAILURE() << "finding on another rule " << o.rule << ": " << o.explanation;
        if (r.verdict == Verdict::pass) ++passed;
    }
    EXPECT_GT(passed, report.results.size() / 2);
}

INSTANTIATE_TEST_SUITE_P(Profiles, CleanServer,
                         ::testing::Values(model::Profile::relay, model::Profile::submission,
                                           model::Profile::submissions),
                         [](const auto& param_info) { return std::string(model::to_string(param_info.param)); });

}  // namespace
}  // namespace smtpspec::conformance
