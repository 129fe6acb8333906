// The suite's own mutation test: every fault of the reference server is caught
// by the rule it breaks, and by nothing else; docs/mutation.md shows the matrix.
#include "smtpspec/conformance/mutation.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace smtpspec::conformance {
namespace {

const std::string docs_path = std::string(SMTPSPEC_DOCS_DIR) + "/mutation.md";

TEST(Mutation, AtLeastTwentyFaults) { EXPECT_GE(server::faults().size(), 20u); }

TEST(Mutation, EveryFaultCaughtByItsRuleAndNoFalseAlarm) {
    const MutationMatrix matrix = mutation_matrix(4);
    ASSERT_EQ(matrix.rows.size(), server::faults().size());
    for (const FaultRow& row : matrix.rows) {
        SCOPED_TRACE(std::string(row.fault->name));
        EXPECT_TRUE(row.caught()) << "no check fails on " << model::rule(row.fault->breaks).name;
        for (const std::string& alarm : row.false_alarms) ADD_FAILURE() << "false alarm: " << alarm;
    }
    EXPECT_EQ(matrix.caught(), matrix.rows.size());

    const std::string generated = mutation_markdown(matrix);
    if (std::getenv("SMTPSPEC_UPDATE_DOCS")) {
        std::ofstream(docs_path, std::ios::binary) << generated;
        return;
    }
    std::ifstream in(docs_path, std::ios::binary);
    const std::string committed{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_EQ(committed, generated) << docs_path << " is stale; regenerate it with "
                                    << "SMTPSPEC_UPDATE_DOCS=1 build/dev/conformance/conformance_mutation_test";
}

}  // namespace
}  // namespace smtpspec::conformance
