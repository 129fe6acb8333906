// Every TLS-layer rule's quote (tls_rules.hpp) is the RFC's own text, found
// in the RFC it cites. The RFC texts are read from SMTPSPEC_RFC_DIR
// (../shared/rfc beside the checkout); where they are missing the test skips,
// and CTest reports it as skipped (conformance/CMakeLists.txt), never as passed.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "rfc_text.hpp"
#include "smtpspec/conformance/tls_rules.hpp"

namespace smtpspec::conformance {
namespace {

TEST(TlsRules, QuotesAreVerbatim) {
    // Every text first, so that a skip never follows a failure (CTest would show
    // the program as skipped).
    std::map<unsigned, std::string> texts;
    for (const RuleRef& r : tls_rules()) {
        auto [it, fresh] = texts.try_emplace(r.rfc);
        if (fresh) it->second = testing::normalised_rfc(SMTPSPEC_RFC_DIR, r.rfc);
        if (it->second.empty()) GTEST_SKIP() << "RFC " << r.rfc << " not found in " << SMTPSPEC_RFC_DIR;
    }
    for (const RuleRef& r : tls_rules())
        EXPECT_NE(texts[r.rfc].find(testing::collapse(r.quote)), std::string::npos) << r.name << ": " << r.quote;
}

}  // namespace
}  // namespace smtpspec::conformance
