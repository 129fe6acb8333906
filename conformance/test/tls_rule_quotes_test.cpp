// Every TLS-layer rule's quote (tls_rules.hpp) is the RFC's own text, found
// in the RFC it cites. The RFC texts are read from SMTPSPEC_RFC_DIR
// (../shared/rfc beside the checkout); where they are missing the test skips,
// and CTest reports it as skipped (conformance/CMakeLists.txt), never as passed.
#include <gtest/gtest.h>

#include "rfc_text.hpp"
#include "smtpspec/conformance/tls_rules.hpp"

namespace smtpspec::conformance {
namespace {

TEST(TlsRules, QuotesAreVerbatim) { testing::expect_quotes_verbatim(tls_rules(), SMTPSPEC_RFC_DIR); }

}  // namespace
}  // namespace smtpspec::conformance
