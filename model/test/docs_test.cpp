// docs/model.md is generated: the committed file equals what the code generates.
// Regenerate with: SMTPSPEC_UPDATE_DOCS=1 build/<dir>/model/model_docs_test
#include "smtpspec/model/docs.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "smtpspec/model/rules.hpp"

namespace smtpspec::model {
namespace {

const std::string docs_path = std::string(SMTPSPEC_DOCS_DIR) + "/model.md";

TEST(Docs, ModelMarkdownIsUpToDate) {
    const std::string generated = model_markdown();
    if (std::getenv("SMTPSPEC_UPDATE_DOCS")) {
        std::ofstream(docs_path, std::ios::binary) << generated;
    }
    std::ifstream in(docs_path, std::ios::binary);
    ASSERT_TRUE(in) << docs_path << " is missing; regenerate it with SMTPSPEC_UPDATE_DOCS=1";
    std::stringstream committed;
    committed << in.rdbuf();
    EXPECT_TRUE(committed.str() == generated)
        << docs_path << " differs from the rule and transition tables; regenerate it with SMTPSPEC_UPDATE_DOCS=1";
}

TEST(Docs, ListsEveryRule) {
    const std::string md = model_markdown();
    for (const Rule& r : rules()) EXPECT_NE(md.find("`" + std::string(r.name) + "`"), std::string::npos) << r.name;
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
