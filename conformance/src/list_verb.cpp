#include "list_verb.hpp"

#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "parse_verb.hpp"
#include "smtpspec/conformance/catalogue_text.hpp"

namespace smtpspec::cli {
namespace {

struct Format {
    const char* name;
    std::string (*print)(std::span<const conformance::Check>);
};

Format const formats[] = {
    {"text", conformance::list_text},
    {"json", conformance::list_json},
    {"markdown", conformance::list_markdown},
};

std::string format_names() {
    std::string out;
    for (auto const& f : formats) out += (out.empty() ? "" : ", ") + std::string(f.name);
    return out;
}

}  // namespace

std::vector<std::string> const& list_formats() {
    static std::vector<std::string> const names = [] {
        std::vector<std::string> v;
        for (auto const& f : formats) v.emplace_back(f.name);
        return v;
    }();
    return names;
}

int run_list(std::string_view format, std::span<const conformance::Check> checks, std::ostream& out,
             std::ostream& err) {
    for (auto const& f : formats) {
        if (format != f.name) continue;
        out << f.print(checks);
        return exit_ok;
    }
    err << "smtpspec list: unknown format '" << format << "'; use one of: " << format_names() << "\n";
    return exit_usage;
}

void add_list_verb(CLI::App& app, int& exit_code) {
    auto format = std::make_shared<std::string>("text");
    auto* sub = app.add_subcommand("list", "List the checks of the catalogue, grouped by RFC section");
    sub->footer("'smtpspec explain ID' describes one check. docs/checks.md is the markdown format of this list.");
    sub->add_option("--format", *format, "Output format: " + format_names() + " (default text)")
        ->type_name("FORMAT");
    sub->callback([format, &exit_code] {
        exit_code = run_list(*format, conformance::catalogue(), std::cout, std::cerr);
    });
}

}  // namespace smtpspec::cli
