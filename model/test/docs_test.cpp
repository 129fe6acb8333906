// docs/model.md is generated from the tables. The committed file also carries
// the checks that cover each rule, which only the conformance side knows, so
// conformance/test/docs_test.cpp compares it with the generator's output; here
// the generator itself is tested, and the committed file for every rule.
#include "smtpspec/model/docs.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "smtpspec/model/rules.hpp"

namespace smtpspec::model {
namespace {

const std::string docs_path = std::string(SMTPSPEC_DOCS_DIR) + "/model.md";

// The line of the rule table (the last section) for `name`.
std::string rule_row(const std::string& md, std::string_view name) {
    const std::string start = "\n| `" + std::string(name) + "` |";
    const auto at = md.find(start, md.find("\n## Rules\n"));
    if (at == std::string::npos) return {};
    return md.substr(at + 1, md.find('\n', at + 1) - at - 1);
}

std::size_t cells(const std::string& row) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < row.size(); ++i)
        if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++n;
    return n == 0 ? 0 : n - 1;
}

TEST(Docs, ListsEveryRule) {
    const std::string md = model_markdown();
    for (const Rule& r : rules()) EXPECT_NE(md.find("`" + std::string(r.name) + "`"), std::string::npos) << r.name;
}

TEST(Docs, CommittedFileListsEveryRule) {
    std::ifstream in(docs_path, std::ios::binary);
    ASSERT_TRUE(in) << docs_path << " is missing; regenerate it with "
                    << "SMTPSPEC_UPDATE_DOCS=1 build/<dir>/conformance/conformance_docs_test";
    std::stringstream committed;
    committed << in.rdbuf();
    for (const Rule& r : rules())
        EXPECT_FALSE(rule_row(committed.str(), r.name).empty())
            << r.name << " is not in " << docs_path
            << "; regenerate it with SMTPSPEC_UPDATE_DOCS=1 build/<dir>/conformance/conformance_docs_test";
}

TEST(Docs, WithoutCoverageTheRuleTableHasNoChecksColumn) {
    const std::string md = model_markdown();
    EXPECT_NE(md.find("| Id | RFC | § | Level | What the model checks | RFC text |"), std::string::npos);
    EXPECT_EQ(md.find("| Checks |"), std::string::npos);
    for (const Rule& r : rules()) EXPECT_EQ(cells(rule_row(md, r.name)), 6u) << rule_row(md, r.name);
}

TEST(Docs, CoverageBecomesAColumnOfCheckIds) {
    const Rule& covered = rules().front();
    const Rule& twice = rules().back();
    const Coverage coverage{
        {std::string(covered.name), {"rfc5321/4.3.2/greeting"}},
        {std::string(twice.name), {"rfc2034/4/enhanced-codes", "rfc2034/4/enhanced|codes"}},
        {"no/such/rule", {"rfc0/0/ignored"}},
    };
    const std::string md = model_markdown(coverage);
    EXPECT_NE(md.find("| Id | RFC | § | Level | What the model checks | Checks | RFC text |"), std::string::npos);
    EXPECT_NE(rule_row(md, covered.name).find("| `rfc5321/4.3.2/greeting` |"), std::string::npos)
        << rule_row(md, covered.name);
    // Several ids in one cell, a pipe escaped so the table keeps its columns.
    EXPECT_NE(rule_row(md, twice.name).find("| `rfc2034/4/enhanced-codes`, `rfc2034/4/enhanced\\|codes` |"),
              std::string::npos)
        << rule_row(md, twice.name);
    // A rule no check covers gets a dash; a name that is no rule is not shown.
    EXPECT_NE(rule_row(md, rules()[1].name).find("| — |"), std::string::npos) << rule_row(md, rules()[1].name);
    EXPECT_EQ(md.find("rfc0/0/ignored"), std::string::npos);
    for (const Rule& r : rules()) EXPECT_EQ(cells(rule_row(md, r.name)), 7u) << rule_row(md, r.name);
    EXPECT_NE(md.find(" 2 of them are covered by a check"), std::string::npos);
}

TEST(Docs, CoverageChangesOnlyTheRuleTable) {
    const std::string plain = model_markdown();
    const std::string covered = model_markdown(Coverage{});
    const auto rules_at = [](const std::string& md) { return md.find("\n## Rules\n"); };
    ASSERT_NE(rules_at(plain), std::string::npos);
    // The header comment differs (it names the test that keeps the file current); the rest up to the rules does not.
    const auto body = [](const std::string& md) { return md.substr(md.find("-->")); };
    EXPECT_EQ(body(plain).substr(0, body(plain).find("\n## Rules\n")),
              body(covered).substr(0, body(covered).find("\n## Rules\n")));
    EXPECT_NE(covered.find("conformance_docs_test"), std::string::npos);
}

TEST(Docs, DiagramHasTheMainPath) {
    const std::string d = state_diagram();
    for (const char* edge : {"greeted --> ready: EHLO 250", "ready --> mail: MAIL 250", "mail --> rcpt: RCPT 250, 251",
                             "rcpt --> data: DATA 354", "data --> ready", "ready --> tls_pending: STARTTLS 220",
                             "tls_pending --> greeted"})
        EXPECT_NE(d.find(edge), std::string::npos) << edge << "\n" << d;
    EXPECT_EQ(d.find("greeted --> rcpt"), std::string::npos) << "RCPT without MAIL must not be a transition";
}

}  // namespace
}  // namespace smtpspec::model
