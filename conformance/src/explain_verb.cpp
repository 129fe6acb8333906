#include "explain_verb.hpp"

#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "parse_verb.hpp"
#include "smtpspec/conformance/catalogue_text.hpp"
#include "untrusted_text.hpp"
#include "wrap.hpp"

namespace smtpspec::cli {
namespace {

namespace c = smtpspec::conformance;

// A rule of the model's or the TLS table, and the checks whose verdict it decides.
std::string explain_rule(const c::RuleRef& rule, std::span<const c::Check> checks) {
    std::string out = std::string(rule.name) + " (rule)\n";
    if (!rule.summary.empty()) out += c::wrap(rule.summary, "  ");
    out += "\nSection:   RFC " + std::to_string(rule.rfc) + " §" + std::string(rule.section) + "\n";
    out += "Level:     " + std::string(model::to_string(rule.level)) + "\n";
    if (!rule.quote.empty()) out += "\n" + c::wrap("\"" + std::string(rule.quote) + "\"", "  > ");
    std::string covering;
    for (const c::Check& check : checks)
        for (std::string_view name : check.rules)
            if (name == rule.name) covering += "  " + std::string(check.id) + "  " + std::string(check.title) + "\n";
    out += "\nChecks judged on it:\n" + (covering.empty() ? std::string("  none\n") : covering);
    return out;
}

}  // namespace

int run_explain(std::string_view id, std::span<const c::Check> checks, std::ostream& out, std::ostream& err) {
    for (const c::Check& check : checks) {
        if (check.id != id) continue;
        out << c::explain(check);
        return exit_ok;
    }
    if (auto const rule = c::find_any_rule(id)) {
        out << explain_rule(*rule, checks);
        return exit_ok;
    }
    constexpr std::size_t shown = 80;  // the argument is echoed, cut to a sensible length
    std::string const echoed = c::terminal_safe(id.substr(0, shown), false) + (id.size() > shown ? "..." : "");
    err << "smtpspec explain: no check or rule '" << echoed << "'";
    auto const closest = c::closest_ids(id, checks);
    if (!closest.empty()) {
        err << "; did you mean ";
        for (std::size_t i = 0; i < closest.size(); ++i) err << (i ? ", " : "") << closest[i];
    }
    err << "; run 'smtpspec list' for all check ids\n";
    return exit_usage;
}

void add_explain_verb(CLI::App& app, int& exit_code) {
    auto id = std::make_shared<std::string>();
    auto* sub = app.add_subcommand("explain", "Describe one check: its RFC section, rules and the RFC's words");
    sub->footer("ID is a check id as 'smtpspec list' prints it, e.g. rfc5321/4.1.4/rcpt-before-mail; a rule id "
                "(as reports cite them) prints the rule and the checks judged on it.");
    sub->add_option("ID", *id, "The check id")->required()->type_name("");
    sub->callback([id, &exit_code] { exit_code = run_explain(*id, conformance::catalogue(), std::cout, std::cerr); });
}

}  // namespace smtpspec::cli
