// `smtpspec check-transcript`: a recorded session, judged by the model.
#include "check_transcript_verb.hpp"

#include <cstddef>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <istream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>

#include <CLI/CLI.hpp>

#include "parse_verb.hpp"
#include "smtpspec/model/rules.hpp"

namespace smtpspec::cli {
namespace {

namespace m = smtpspec::model;

std::optional<m::TranscriptFormat> format_of(std::string const& name) {
    if (name == "auto") return m::TranscriptFormat::automatic;
    if (name == "smtpspec") return m::TranscriptFormat::native;
    if (name == "swaks") return m::TranscriptFormat::swaks;
    return std::nullopt;
}

std::string plural(std::size_t n, char const* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

int run_check_transcript(CheckTranscriptArgs const& args, std::istream& in, std::ostream& out, std::ostream& err) {
    std::optional<m::Profile> const profile = m::parse_profile(args.profile);
    if (!profile) {
        err << "smtpspec check-transcript: unknown profile '" << args.profile
            << "'; use --profile relay, submission or submissions\n";
        return exit_usage;
    }
    std::optional<m::TranscriptFormat> const format = format_of(args.format);
    if (!format) {
        err << "smtpspec check-transcript: unknown format '" << args.format
            << "'; use --format auto, smtpspec or swaks\n";
        return exit_usage;
    }

    std::string text;
    std::string name = args.file;
    if (args.file == "-") {
        name = "<stdin>";
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } else {
        std::error_code ec;
        bool ok = !std::filesystem::is_directory(args.file, ec);
        std::ifstream file;
        if (ok) file.open(args.file, std::ios::binary);
        ok = ok && file.is_open();
        if (ok) {
            try {
                text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
            } catch (const std::exception&) {
                ok = false;
            }
        }
        if (!ok || file.bad()) {
            err << "smtpspec check-transcript: cannot read '" << args.file
                << "'; give the path of a readable transcript file, or - for stdin\n";
            return exit_usage;
        }
    }

    m::ReplayOptions options;
    options.profile = *profile;
    options.tls = args.tls || *profile == m::Profile::submissions;
    options.trusted = args.trusted;
    options.format = *format;
    m::ReplayResult const result = m::replay(text, options);

    std::size_t counts[3] = {0, 0, 0};
    for (m::TranscriptFinding const& f : result.findings) {
        m::Rule const& rule = m::rule(f.finding.rule);
        ++counts[static_cast<std::size_t>(f.finding.level)];
        out << name << ":" << f.line << ": " << m::to_string(f.finding.level) << " " << rule.name << " (RFC "
            << rule.rfc << " §" << rule.section << "): " << f.finding.explanation << "\n";
        if (!f.finding.expected.empty() || !f.finding.actual.empty())
            out << "    expected: " << f.finding.expected << "; actual: " << f.finding.actual << "\n";
    }
    for (m::TranscriptError const& e : result.errors)
        out << name << ":" << e.line << ": cannot replay: " << e.message << "\n";

    bool const conforming = result.conforming();
    out << name << ": " << plural(result.findings.size(), "finding") << " (" << counts[0] << " MUST, " << counts[1]
        << " SHOULD, " << counts[2] << " INFO)";
    if (!result.errors.empty()) out << ", " << plural(result.errors.size(), "line") << " not replayed";
    out << "; " << (conforming ? "no MUST broken" : "a MUST is broken") << "\n";

    if (!conforming) return exit_failure;
    if (!result.errors.empty()) {
        err << "smtpspec check-transcript: '" << name
            << "' could not be replayed in full; fix the lines marked 'cannot replay' (see docs/transcripts.md)\n";
        return exit_usage;
    }
    return exit_ok;
}

void add_check_transcript_verb(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<CheckTranscriptArgs>();
    auto* sub = app.add_subcommand("check-transcript",
                                   "Replay a recorded SMTP session through the model and report where the server "
                                   "departs from the RFCs");
    sub->footer(
        "FILE is in smtpspec's format (C:/S: lines, *TLS*) or swaks's transcript output; see docs/transcripts.md.\n"
        "Exit status: 0 no MUST broken, 1 a MUST broken, 2 usage error, unreadable file or a transcript that\n"
        "could not be replayed in full.");
    sub->add_option("--profile", args->profile, "The service the client connected to: relay (port 25), "
                                                "submission (587) or submissions (465, TLS from the first byte)")
        ->type_name("PROFILE");
    sub->add_flag("--tls", args->tls, "TLS was up from the first byte");
    sub->add_flag("--trusted-client", args->trusted,
                  "The server authorized the client without AUTH (RFC 6409 §4.3, e.g. by its network)");
    sub->add_option("--format", args->format, "auto (default), smtpspec or swaks")->type_name("FORMAT");
    sub->add_option("FILE", args->file, "The transcript, or - for stdin")->required()->type_name("");
    sub->callback([args, &exit_code] { exit_code = run_check_transcript(*args, std::cin, std::cout, std::cerr); });
}

}  // namespace smtpspec::cli
