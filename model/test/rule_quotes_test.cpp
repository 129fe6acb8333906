// Every rule's quote is the RFC's own text, found in the RFC it cites. The RFC
// texts are read from SMTPSPEC_RFC_DIR (../shared/rfc beside the checkout);
// where they are missing the test skips, and CTest reports it as skipped
// (model/CMakeLists.txt), never as passed.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "rfc_text.hpp"
#include "smtpspec/model/rules.hpp"

namespace smtpspec::model {
namespace {

TEST(Rules, QuotesAreVerbatim) {
    // Every text first, so that a skip never follows a failure (CTest would show
    // the program as skipped).
    std::map<unsigned, std::string> texts;
    for (const Rule& r : rules()) {
        auto [it, fresh] = texts.try_emplace(r.rfc);
        if (fresh) it->second = testing::normalised_rfc(SMTPSPEC_RFC_DIR, r.rfc);
        if (it->second.empty()) GTEST_SKIP() << "RFC " << r.rfc << " not found in " << SMTPSPEC_RFC_DIR;
    }
    for (const Rule& r : rules())
        EXPECT_NE(texts[r.rfc].find(testing::collapse(r.quote)), std::string::npos)
            << r.name << " quotes text not found in RFC " << r.rfc << ": " << r.quote;
}

}  // namespace
}  // namespace smtpspec::model
