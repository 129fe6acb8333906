// The catalogue of lenient-mode deviations, and its documentation in docs/grammar.md.
#include "smtpspec/grammar/deviations.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "smtpspec/grammar/parse.hpp"

namespace {

using namespace smtpspec::grammar;

std::string read_docs() {
    std::ifstream in(std::string(SMTPSPEC_CASES_DIR) + "/../../../docs/grammar.md");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(Deviations, CatalogueHasUniqueIdsThatCiteTheirRfc) {
    auto const all = deviation_catalogue();
    ASSERT_GE(all.size(), 10u);
    std::set<std::string> ids;
    for (auto const& d : all) {
        EXPECT_TRUE(ids.insert(d.id).second) << d.id << " twice";
        EXPECT_NE(d.message.find("RFC"), std::string::npos) << d.id << ": " << d.message;
    }
}

TEST(Deviations, EveryDeviationIsDocumentedAndNoOtherIs) {
    auto const docs = read_docs();
    ASSERT_FALSE(docs.empty()) << "docs/grammar.md not found";
    std::set<std::string> in_code;
    for (auto const& d : deviation_catalogue()) {
        in_code.insert(d.id);
        EXPECT_NE(docs.find("| `" + d.id + "` |"), std::string::npos) << d.id << " is missing from docs/grammar.md";
    }
    // Rows of the documented table: "| `id` | ...".
    std::istringstream lines(docs);
    std::string line;
    bool in_table = false;
    while (std::getline(lines, line)) {
        if (line.rfind("### Deviations", 0) == 0) in_table = true;
        else if (line.rfind("#", 0) == 0) in_table = false;
        if (!in_table || line.rfind("| `", 0) != 0) continue;
        auto const id = line.substr(3, line.find('`', 3) - 3);
        EXPECT_TRUE(in_code.count(id)) << "docs/grammar.md documents " << id << ", which the code does not report";
    }
}

TEST(Deviations, ReportedIdsAreInTheCatalogue) {
    std::set<std::string> ids;
    for (auto const& d : deviation_catalogue()) ids.insert(d.id);
    Options lenient;
    lenient.mode = Mode::lenient;
    auto const command = parse_command("MAIL FROM: <a@example.org.>  SIZE=10 \n", lenient);
    ASSERT_TRUE(command.ok()) << command.error().message;
    ASSERT_FALSE(command.deviations().empty());
    for (auto const& d : command.deviations()) EXPECT_TRUE(ids.count(d.id)) << d.id;
    auto const reply = parse_ehlo_reply("250-mx.example.org\n250 AUTH=LOGIN PLAIN\n", lenient);
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    ASSERT_FALSE(reply.deviations().empty());
    for (auto const& d : reply.deviations()) EXPECT_TRUE(ids.count(d.id)) << d.id;
}

}  // namespace
