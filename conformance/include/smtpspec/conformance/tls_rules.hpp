// Rules about the session that no single SMTP reply shows, so the model
// (which judges replies) does not hold them: the TLS versions a server
// accepts, how implicit TLS starts, how long the server waits for a command. Same shape as the model's rule table; checks cite
// them by name, and CheckContext::finding reports them.
#pragma once

#include <span>

#include "smtpspec/conformance/check.hpp"

namespace smtpspec::conformance {

std::span<const RuleRef> tls_rules() noexcept;

}  // namespace smtpspec::conformance
