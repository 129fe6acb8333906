// The rule table: complete, unique, and quoting the RFCs verbatim.
#include "smtpspec/model/rules.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

#include "smtpspec/model/transitions.hpp"

namespace smtpspec::model {
namespace {

TEST(Rules, AtLeastEightyRules) { EXPECT_GE(rules().size(), 80u); }

TEST(Rules, IdsAreUniqueStableNames) {
    std::set<std::string_view> names;
    for (const Rule& r : rules()) {
        EXPECT_TRUE(names.insert(r.name).second) << r.name;
        // rfcNNNN/section/slug
        std::string prefix = "rfc" + std::to_string(r.rfc) + "/" + std::string(r.section) + "/";
        EXPECT_TRUE(r.name.starts_with(prefix)) << r.name << " does not start with " << prefix;
        EXPECT_GT(r.name.size(), prefix.size()) << r.name;
        EXPECT_FALSE(r.summary.empty()) << r.name;
        EXPECT_FALSE(r.quote.empty()) << r.name;
        EXPECT_EQ(find_rule(r.name), &r);
        EXPECT_EQ(&rule(r.id), &r);
    }
    EXPECT_EQ(find_rule("rfc5321/0/no-such-rule"), nullptr);
}

// A MUST rule quotes a sentence with MUST (or the pre-RFC 2119 lower-case
// "must" of RFC 1870 and RFC 2034); a SHOULD rule one with SHOULD or "should".
TEST(Rules, LevelMatchesTheQuotedKeyword) {
    for (const Rule& r : rules()) {
        std::string q(r.quote);
        bool must = q.find("MUST") != std::string::npos;
        bool should = q.find("SHOULD") != std::string::npos;
        bool old_rfc = r.rfc == 1870 || r.rfc == 2034;
        if (old_rfc) {
            must = must || q.find("must") != std::string::npos;
            should = should || q.find("should") != std::string::npos;
        }
        if (r.level == Level::must) {
            EXPECT_TRUE(must) << r.name;
        }
        if (r.level == Level::should) {
            EXPECT_TRUE(should) << r.name;
        }
    }
}

TEST(Rules, EveryTableRowCitesARule) {
    std::set<RuleId> cited;
    for (const CommandRow& c : command_table()) cited.insert(c.listing);
    for (const PreconditionRow& p : precondition_table()) {
        cited.insert(p.rule);
        EXPECT_FALSE(p.codes.empty()) << rule(p.rule).name;
        EXPECT_NE(p.verbs, 0) << rule(p.rule).name;
        EXPECT_NE(p.phases, 0) << rule(p.rule).name;
    }
    EXPECT_GT(cited.size(), 40u);
}

}  // namespace
}  // namespace smtpspec::model
