// Every rule's quote is the RFC's own text, found in the RFC it cites. The RFC
// texts are read from SMTPSPEC_RFC_DIR (../shared/rfc beside the checkout);
// where they are missing the test skips, and CTest reports it as skipped
// (model/CMakeLists.txt), never as passed.
#include <gtest/gtest.h>

#include "rfc_text.hpp"
#include "smtpspec/model/rules.hpp"

namespace smtpspec::model {
namespace {

TEST(Rules, QuotesAreVerbatim) { testing::expect_quotes_verbatim(rules(), SMTPSPEC_RFC_DIR); }

}  // namespace
}  // namespace smtpspec::model
