// `smtpspec list` and `smtpspec explain`: the built program, run as a user runs
// it, against the catalogue it was built with.
#include "list_verb.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "explain_verb.hpp"
#include "smtpspec/conformance/catalogue_text.hpp"
#include "smtpspec/conformance/check.hpp"

namespace {

using smtpspec::test::lines;
using smtpspec::test::smtpspec;
namespace c = smtpspec::conformance;
using nlohmann::json;

TEST(ListCli, TextListsEveryCheckUnderItsSection) {
    auto const o = smtpspec({"list"});
    ASSERT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.err, "");
    EXPECT_EQ(o.out, c::list_text(c::catalogue()));
    for (const c::Check& check : c::catalogue()) {
        auto const at = o.out.find(" " + std::string(check.id) + " ");
        ASSERT_NE(at, std::string::npos) << check.id;
        auto const heading = o.out.rfind("\n" + c::section_of(check.id).text() + "\n", at);
        auto const other_heading = o.out.rfind("\nRFC ", at);
        EXPECT_EQ(heading == std::string::npos ? o.out.rfind(c::section_of(check.id).text() + "\n", 0) : heading,
                  other_heading == std::string::npos ? 0 : other_heading)
            << check.id << " is not under " << c::section_of(check.id).text();
    }
    auto const l = lines(o.out);
    ASSERT_FALSE(l.empty());
    EXPECT_EQ(l.back().rfind(std::to_string(c::catalogue().size()) + " check", 0), 0u) << l.back();
}

TEST(ListCli, JsonHasEveryCheckInCatalogueOrder) {
    auto const o = smtpspec({"list", "--format", "json"});
    ASSERT_EQ(o.status, 0) << o.err;
    json const doc = json::parse(o.out);
    ASSERT_TRUE(doc.is_array());
    ASSERT_EQ(doc.size(), c::catalogue().size());
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const c::Check& check = c::catalogue()[i];
        EXPECT_EQ(doc[i]["id"], check.id);
        EXPECT_EQ(doc[i]["title"], check.title);
        EXPECT_EQ(doc[i]["level"], smtpspec::model::to_string(c::level_of(check)));
        EXPECT_EQ(doc[i]["section"]["rfc"], c::section_of(check.id).rfc);
        ASSERT_EQ(doc[i]["rules"].size(), check.rules.size());
        for (std::size_t r = 0; r < check.rules.size(); ++r) EXPECT_EQ(doc[i]["rules"][r]["id"], check.rules[r]);
        EXPECT_FALSE(doc[i]["profiles"].empty()) << check.id;
    }
}

TEST(ListCli, MarkdownIsDocsChecksMd) {
    auto const o = smtpspec({"list", "--format", "markdown"});
    ASSERT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out, c::list_markdown(c::catalogue()));
    EXPECT_EQ(o.out.rfind("# Checks\n", 0), 0u);
}

TEST(ListCli, UnknownFormatIsAUsageErrorNamingTheFormats) {
    auto const o = smtpspec({"list", "--format", "yaml"});
    EXPECT_EQ(o.status, 2);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(lines(o.err).size(), 1u) << o.err;
    EXPECT_NE(o.err.find("unknown format 'yaml'; use one of: text, json, markdown"), std::string::npos) << o.err;
}

TEST(ExplainCli, EveryCheckIsExplainedWithItsRulesWords) {
    ASSERT_FALSE(c::catalogue().empty()) << "the catalogue is empty";
    for (const c::Check& check : c::catalogue()) {
        auto const o = smtpspec({"explain", std::string(check.id)});
        ASSERT_EQ(o.status, 0) << check.id << ": " << o.err;
        EXPECT_EQ(o.out, c::explain(check));
        EXPECT_EQ(o.out.rfind(std::string(check.id) + "\n", 0), 0u);
        EXPECT_NE(o.out.find("Section:   " + c::section_of(check.id).text()), std::string::npos);
        for (std::string_view rule : check.rules) {
            EXPECT_NE(o.out.find("  " + std::string(rule) + " ("), std::string::npos) << check.id << " " << rule;
            if (auto const r = c::find_any_rule(rule); r && !r->quote.empty()) {
                // The first words of the RFC's sentence (before any wrap).
                std::string_view const quote = r->quote;
                std::string_view const start = quote.substr(0, std::min<std::size_t>(quote.find(' ', 12), 40));
                EXPECT_NE(o.out.find(start), std::string::npos) << check.id << " " << rule << ": " << start;
            }
        }
    }
}

TEST(ExplainCli, ARuleIdShowsTheRuleAndItsChecks) {
    std::string const rule = "rfc5321/3.3/rcpt-needs-mail";
    auto const o = smtpspec({"explain", rule});
    ASSERT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out.rfind(rule + " (rule)\n", 0), 0u) << o.out;
    EXPECT_NE(o.out.find("Section:   RFC 5321 §3.3"), std::string::npos);
    EXPECT_NE(o.out.find("Level:     MUST"), std::string::npos);
    EXPECT_NE(o.out.find("Checks judged on it:"), std::string::npos);
    for (const c::Check& check : c::catalogue())
        for (std::string_view r : check.rules)
            if (r == rule) {
                EXPECT_NE(o.out.find("  " + std::string(check.id) + "  "), std::string::npos) << check.id;
            }
}

TEST(ExplainCli, UnknownIdIsAUsageErrorNamingTheClosestIds) {
    auto const o = smtpspec({"explain", "rfc9999/1/no-such-check"});
    EXPECT_EQ(o.status, 2);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(lines(o.err).size(), 1u) << o.err;
    EXPECT_NE(o.err.find("no check or rule 'rfc9999/1/no-such-check'"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("run 'smtpspec list'"), std::string::npos) << o.err;

    ASSERT_FALSE(c::catalogue().empty());
    const c::Check& real = c::catalogue().back();
    std::string typo(real.id);
    typo.erase(typo.size() - 2, 1);  // one letter of the slug missing
    auto const near = smtpspec({"explain", typo});
    EXPECT_EQ(near.status, 2);
    EXPECT_NE(near.err.find("did you mean " + std::string(real.id)), std::string::npos) << near.err;

    // The slug alone, or the right slug under a wrong section, finds the check.
    std::string const slug(real.id.substr(real.id.rfind('/') + 1));
    auto const by_slug = smtpspec({"explain", "rfc5321/9.9/" + slug});
    EXPECT_EQ(by_slug.status, 2);
    EXPECT_NE(by_slug.err.find("did you mean " + std::string(real.id)), std::string::npos) << by_slug.err;
}

TEST(ExplainCli, HostileArgumentIsEchoedSafelyAndCut) {
    auto const o = smtpspec({"explain", "\x1b[2J" + std::string(500, 'x')});
    EXPECT_EQ(o.status, 2);
    EXPECT_EQ(o.err.find('\x1b'), std::string::npos);
    EXPECT_NE(o.err.find("\\x1b[2J"), std::string::npos) << o.err;
    EXPECT_LT(o.err.size(), 400u) << o.err;
}

TEST(ExplainCli, MissingIdIsAUsageError) {
    auto const o = smtpspec({"explain"});
    EXPECT_EQ(o.status, 2);
    EXPECT_NE(o.err.find("--help"), std::string::npos) << o.err;
}

}  // namespace
