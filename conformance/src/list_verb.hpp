// `smtpspec list [--format text|json|markdown]`: the check catalogue.
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/conformance/check.hpp"

namespace CLI {
class App;
}

namespace smtpspec::cli {

// The --format names, in the order the help lists them.
std::vector<std::string> const& list_formats();

// The verb itself: returns the exit code (exit_usage for an unknown format).
int run_list(std::string_view format, std::span<const conformance::Check> checks, std::ostream& out,
             std::ostream& err);

void add_list_verb(CLI::App& app, int& exit_code);

}  // namespace smtpspec::cli
