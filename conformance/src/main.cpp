// smtpspec: the command-line program. Each verb lives in its own <verb>_verb.cpp
// and is registered in `verbs` below, the one place that lists them.
#include <functional>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "check_transcript_verb.hpp"
#include "explain_verb.hpp"
#include "list_verb.hpp"
#include "parse_verb.hpp"
#include "serve_verb.hpp"
#include "run_verb.hpp"

namespace {

// A verb adds its subcommand to the program and, when that subcommand is
// selected, stores the process exit code.
using AddVerb = void (*)(CLI::App&, int&);

constexpr AddVerb verbs[] = {
    smtpspec::cli::add_run_verb,
    smtpspec::cli::add_list_verb,
    smtpspec::cli::add_explain_verb,
    smtpspec::cli::add_parse_verb,
    smtpspec::cli::add_check_transcript_verb,
    smtpspec::cli::add_serve_verb,
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"smtpspec: SMTP server conformance suite and executable reference model", "smtpspec"};
    app.require_subcommand(1);
    int exit_code = smtpspec::cli::exit_ok;
    for (auto add : verbs) add(app, exit_code);

    try {
        app.parse(argc, argv);
    } catch (CLI::CallForHelp const& e) {
        return app.exit(e);
    } catch (CLI::CallForAllHelp const& e) {
        return app.exit(e);
    } catch (CLI::ParseError const& e) {
        // A first argument that is no option and no verb: name the verbs there are.
        if (app.get_subcommands().empty() && argc > 1 && argv[1][0] != '-') {
            std::string names;
            for (auto const* sub : app.get_subcommands(std::function<bool(CLI::App*)>{}))
                names += (names.empty() ? "" : ", ") + sub->get_name();
            std::cerr << "smtpspec: unknown verb '" << argv[1] << "'; use one of: " << names << "\n";
            return smtpspec::cli::exit_usage;
        }
        std::string where = "smtpspec";
        for (auto const* sub : app.get_subcommands()) where += " " + sub->get_name();
        std::cerr << "smtpspec: " << e.what() << "; run '" << where << " --help' for usage\n";
        return smtpspec::cli::exit_usage;
    }
    return exit_code;
}
