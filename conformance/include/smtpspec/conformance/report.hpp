// The reports of a run: the terminal (grouped by RFC section, h2spec style),
// JSON (schema: docs/report-schema.json) and JUnit XML.
//
// Every string that came from the server (replies, transcripts, certificate
// names) is hostile input: the terminal report shows control bytes and
// non-ASCII octets as \xHH so that a server cannot move the cursor or change
// colours, the JSON report replaces invalid UTF-8, and the JUnit report
// writes the bytes XML 1.0 does not allow as \xHH text.
#pragma once

#include <cstdio>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include "smtpspec/conformance/check.hpp"

namespace smtpspec::conformance {

struct TerminalStyle {
    bool color = false;    // ANSI colours
    bool verbose = false;  // also list the rules each pass judged and the findings on other rules
};

// Colours only when `stream` is a terminal and NO_COLOR is unset (no-color.org).
TerminalStyle terminal_style_for(std::FILE* stream, bool verbose);

// The report of one run: header (target, profile, TLS facts), a line per check
// grouped by RFC section, then each failure and warning with the requirement,
// Expected/Actual and the transcript excerpt.
void write_terminal(std::ostream& out, const RunReport& report, const TerminalStyle& style);

// The closing line over all runs: "N passed, N failed, N warned, N skipped, N errors"
// (", N info" appended when there is any).
void write_summary(std::ostream& out, std::span<const RunReport> reports, const TerminalStyle& style);
std::string summary_line(const Counts& counts);
Counts total_counts(std::span<const RunReport> reports);

// The version the reports name as "smtpspec".
std::string_view smtpspec_version() noexcept;

// One JSON document for all the runs (profiles) of one invocation.
std::string to_json(std::span<const RunReport> reports);

// A <testsuites> document: a <testsuite> per run and RFC section, a <testcase> per check.
std::string to_junit(std::span<const RunReport> reports);

}  // namespace smtpspec::conformance
