// `smtpspec explain ID`: one check (or one rule) with the RFC's words.
#pragma once

#include <iosfwd>
#include <span>
#include <string_view>

#include "smtpspec/conformance/check.hpp"

namespace CLI {
class App;
}

namespace smtpspec::cli {

// The verb itself: a check id prints the check; a rule id the rule and the
// checks judged on it; anything else exits exit_usage naming the closest ids.
int run_explain(std::string_view id, std::span<const conformance::Check> checks, std::ostream& out,
                std::ostream& err);

void add_explain_verb(CLI::App& app, int& exit_code);

}  // namespace smtpspec::cli
