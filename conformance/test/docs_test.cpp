// docs/model.md (with the checks that cover each rule) and docs/checks.md are
// generated from the rule table and the check catalogue; the committed files
// must equal what the code generates. Regenerate them with
//   SMTPSPEC_UPDATE_DOCS=1 build/<dir>/conformance/conformance_docs_test
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "smtpspec/conformance/catalogue_text.hpp"
#include "smtpspec/conformance/check.hpp"
#include "smtpspec/model/docs.hpp"
#include "smtpspec/model/rules.hpp"

namespace smtpspec::conformance {
namespace {

namespace fs = std::filesystem;

constexpr const char* regenerate = "SMTPSPEC_UPDATE_DOCS=1 build/<dir>/conformance/conformance_docs_test";

fs::path docs_dir() { return SMTPSPEC_DOCS_DIR; }

// Rewrites `name` under docs/ when SMTPSPEC_UPDATE_DOCS is set; then checks the
// committed file equals `generated`.
void expect_current(const std::string& name, const std::string& generated) {
    fs::path const path = docs_dir() / name;
    if (std::getenv("SMTPSPEC_UPDATE_DOCS")) std::ofstream(path, std::ios::binary) << generated;
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << path << " is missing; generate it with " << regenerate;
    std::stringstream committed;
    committed << in.rdbuf();
    EXPECT_TRUE(committed.str() == generated)
        << path << " differs from the rule table and the check catalogue; regenerate it with " << regenerate;
}

TEST(Docs, ModelMarkdownWithItsChecksIsUpToDate) {
    expect_current("model.md", model::model_markdown(rule_coverage(catalogue())));
}

TEST(Docs, ChecksMarkdownIsUpToDate) { expect_current("checks.md", list_markdown(catalogue())); }

TEST(Docs, EveryCheckIsListedAndNamedUnderEachOfItsModelRules) {
    std::string const checks = list_markdown(catalogue());
    std::string const model_md = model::model_markdown(rule_coverage(catalogue()));
    for (const Check& c : catalogue()) {
        EXPECT_NE(checks.find("| `" + std::string(c.id) + "` |"), std::string::npos) << c.id;
        for (std::string_view rule : c.rules) {
            if (!model::find_rule(rule)) continue;  // a TLS rule: not in the model's table
            auto const row = model_md.find("\n| `" + std::string(rule) + "` |", model_md.find("\n## Rules\n"));
            ASSERT_NE(row, std::string::npos) << rule;
            std::string const line = model_md.substr(row + 1, model_md.find('\n', row + 1) - row - 1);
            EXPECT_NE(line.find("`" + std::string(c.id) + "`"), std::string::npos) << c.id << " under " << line;
        }
    }
}

TEST(RuleCoverage, MapsEachRuleToTheChecksJudgedOnItInOrder) {
    auto const check = [](std::string_view id, std::vector<std::string_view> rules) {
        Check c;
        c.id = id;
        c.title = "a check";
        c.rules = std::move(rules);
        return c;
    };
    std::vector<Check> const checks = {
        check("rfc5321/3.3/a", {"rfc5321/3.3/rcpt-needs-mail", "rfc5321/4.2/one-reply"}),
        check("rfc5321/3.3/b", {"rfc5321/3.3/rcpt-needs-mail", "rfc5321/3.3/rcpt-needs-mail"}),
        check("rfc5321/4.2/c", {}),
    };
    model::Coverage const coverage = rule_coverage(checks);
    EXPECT_EQ(coverage.size(), 2u);
    EXPECT_EQ(coverage.at("rfc5321/3.3/rcpt-needs-mail"), (std::vector<std::string>{"rfc5321/3.3/a", "rfc5321/3.3/b"}));
    EXPECT_EQ(coverage.at("rfc5321/4.2/one-reply"), (std::vector<std::string>{"rfc5321/3.3/a"}));
}

}  // namespace
}  // namespace smtpspec::conformance
