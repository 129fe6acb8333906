// The terminal report, h2spec style: the checks grouped by RFC section with a
// symbol per verdict, then each failure and warning with the requirement it
// breaks, Expected/Actual and the wire log around it.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "report_sections.hpp"
#include "smtpspec/conformance/report.hpp"
#include "untrusted_text.hpp"
#include "wrap.hpp"

namespace smtpspec::conformance {
namespace {

// SGR sequences (ECMA-48 §8.3.117).
constexpr std::string_view reset = "\x1b[0m";
constexpr std::string_view bold = "\x1b[1m";
constexpr std::string_view dim = "\x1b[2m";
constexpr std::string_view red = "\x1b[31m";
constexpr std::string_view green = "\x1b[32m";
constexpr std::string_view yellow = "\x1b[33m";
constexpr std::string_view magenta = "\x1b[35m";
constexpr std::string_view cyan = "\x1b[36m";

class Painter {
public:
    explicit Painter(const TerminalStyle& style) : color_(style.color) {}
    std::string operator()(std::string_view sgr, std::string_view text) const {
        if (!color_) return std::string(text);
        return std::string(sgr) + std::string(text) + std::string(reset);
    }

private:
    bool color_;
};

std::string_view symbol(Verdict v) {
    switch (v) {
        case Verdict::pass: return "✔";
        case Verdict::fail: return "✘";
        case Verdict::warn: return "!";
        case Verdict::info: return "i";
        case Verdict::skip: return "-";
        case Verdict::error: return "E";
    }
    return "?";
}

std::string_view colour(Verdict v) {
    switch (v) {
        case Verdict::pass: return green;
        case Verdict::fail: return red;
        case Verdict::warn: return yellow;
        case Verdict::info: return cyan;
        case Verdict::skip: return dim;
        case Verdict::error: return magenta;
    }
    return reset;
}

std::string_view level_colour(model::Level level) {
    switch (level) {
        case model::Level::must: return red;
        case model::Level::should: return yellow;
        case model::Level::info: return cyan;
    }
    return reset;
}

std::string one_line(std::string_view server_text) { return terminal_safe(server_text, false); }

// `text` with `indent` before every line; server bytes made safe first.
std::string indented(std::string_view text, std::string_view indent) {
    std::string const safe = terminal_safe(text, true);
    std::string out;
    std::size_t start = 0;
    while (start < safe.size()) {
        std::size_t end = safe.find('\n', start);
        if (end == std::string::npos) end = safe.size();
        out += indent;
        out.append(safe, start, end - start);
        out += '\n';
        start = end + 1;
    }
    return out;
}

void write_tls(std::ostream& out, const std::optional<TlsFacts>& tls, const Painter& paint) {
    if (!tls) {
        out << "TLS:      none\n";
        return;
    }
    out << "TLS:      " << one_line(tls->version) << ", " << one_line(tls->cipher) << "\n";
    if (tls->certificate) {
        const CertificateFacts& c = *tls->certificate;
        out << "          certificate subject " << one_line(c.subject) << "\n"
            << "          issued by " << one_line(c.issuer) << "\n"
            << "          valid " << one_line(c.not_before) << " to " << one_line(c.not_after) << "\n";
        if (!c.subject_alt_names.empty()) {
            std::string names;
            for (const std::string& n : c.subject_alt_names) names += (names.empty() ? "" : ", ") + one_line(n);
            out << "          names " << names << "\n";
        }
    } else {
        out << "          no server certificate, so nothing to verify\n";
        return;
    }
    if (tls->verified()) {
        out << "          " << paint(green, "verified") << " (chain and host name)\n";
    } else {
        std::string why;
        if (!tls->chain_verified)
            why = "chain: " + (tls->verify_error.empty() ? std::string("does not verify") : one_line(tls->verify_error));
        if (!tls->host_matches) why += std::string(why.empty() ? "" : "; ") + "host name does not match";
        out << "          " << paint(yellow, "not verified") << " (" << why << ")\n";
    }
}

std::string check_id(const CheckResult& r) { return r.check ? std::string(r.check->id) : std::string("(unknown check)"); }
std::string check_title(const CheckResult& r) { return r.check ? std::string(r.check->title) : std::string(); }

void write_check_line(std::ostream& out, const CheckResult& r, const TerminalStyle& style, const Painter& paint) {
    out << "  " << paint(colour(r.verdict), symbol(r.verdict)) << " " << paint(bold, check_id(r)) << "  "
        << check_title(r);
    switch (r.verdict) {
        case Verdict::skip: out << paint(dim, " (skipped: " + one_line(r.reason) + ")"); break;
        case Verdict::error: out << " " << paint(magenta, "(error: " + one_line(r.reason) + ")"); break;
        case Verdict::info:
            if (!r.reason.empty()) out << paint(dim, " (" + one_line(r.reason) + ")");
            break;
        default: break;
    }
    out << "\n";
    if (!style.verbose) return;
    if (r.verdict == Verdict::pass && r.check && !r.check->rules.empty()) {
        std::string rules;
        for (std::string_view rule : r.check->rules) rules += (rules.empty() ? "" : ", ") + std::string(rule);
        out << paint(dim, "      rules: " + rules) << "\n";
    }
    for (const Observation& o : r.other)
        out << "      " << paint(level_colour(o.level), std::string(model::to_string(o.level))) << " " << one_line(o.rule)
            << " (RFC " << o.rfc << " §" << one_line(o.section) << "): " << one_line(o.explanation) << "\n";
}

void write_finding(std::ostream& out, const Observation& o, const Painter& paint) {
    out << "    " << paint(level_colour(o.level), std::string(model::to_string(o.level))) << " " << one_line(o.rule)
        << " (RFC " << o.rfc << " §" << one_line(o.section) << ")\n";
    if (auto const rule = find_any_rule(o.rule); rule && !rule->quote.empty())
        out << wrap("\"" + std::string(rule->quote) + "\"", "      ");
    if (!o.explanation.empty()) out << wrap(one_line(o.explanation), "      ");
    out << "      Expected: " << one_line(o.expected) << "\n"
        << "      Actual:   " << paint(red, one_line(o.actual)) << "\n";
    if (!o.excerpt.empty()) out << paint(dim, indented(o.excerpt, "        | "));
}

}  // namespace

TerminalStyle terminal_style_for(std::FILE* stream, bool verbose) {
    TerminalStyle style;
    style.verbose = verbose;
    char const* no_color = std::getenv("NO_COLOR");
    bool const tty = stream && ::isatty(::fileno(stream)) == 1;
    style.color = tty && (no_color == nullptr || no_color[0] == '\0');
    return style;
}

std::string summary_line(const Counts& c) {
    std::string line = std::to_string(c.pass) + " passed, " + std::to_string(c.fail) + " failed, " +
                       std::to_string(c.warn) + " warned, " + std::to_string(c.skip) + " skipped, " +
                       std::to_string(c.error) + " errors";
    if (c.info > 0) line += ", " + std::to_string(c.info) + " info";
    return line;
}

Counts total_counts(std::span<const RunReport> reports) {
    Counts total;
    for (const RunReport& report : reports) {
        Counts const c = report.counts();
        total.pass += c.pass;
        total.fail += c.fail;
        total.warn += c.warn;
        total.info += c.info;
        total.skip += c.skip;
        total.error += c.error;
    }
    return total;
}

void write_terminal(std::ostream& out, const RunReport& report, const TerminalStyle& style) {
    Painter const paint(style);
    out << paint(bold, "smtpspec " + std::string(smtpspec_version())) << "\n"
        << "Target:   " << one_line(report.target) << "\n"
        << "Profile:  " << model::to_string(report.profile) << "\n";
    if (report.pedantic) out << "Mode:     pedantic (a finding on an INFO rule warns)\n";
    write_tls(out, report.tls, paint);

    for (const SectionGroup& group : group_by_section(report.results)) {
        out << "\n" << paint(bold, group.section.text()) << "\n";
        for (const CheckResult* r : group.results) write_check_line(out, *r, style, paint);
    }

    bool heading = false;
    for (const CheckResult& r : report.results) {
        if (r.verdict != Verdict::fail && r.verdict != Verdict::warn) continue;
        if (!heading) {
            out << "\n" << paint(bold, "Failures") << "\n";
            heading = true;
        }
        out << "\n  " << paint(colour(r.verdict), symbol(r.verdict)) << " " << paint(bold, check_id(r)) << "  "
            << check_title(r) << "\n";
        if (r.findings.empty()) out << wrap(one_line(r.reason), "    ");
        for (const Observation& o : r.findings) write_finding(out, o, paint);
    }
    out << "\n";
}

void write_summary(std::ostream& out, std::span<const RunReport> reports, const TerminalStyle& style) {
    Painter const paint(style);
    if (reports.size() > 1)
        for (const RunReport& report : reports)
            out << model::to_string(report.profile) << ": " << summary_line(report.counts()) << "\n";
    Counts const total = total_counts(reports);
    std::string_view const tone = total.fail || total.error ? red : total.warn ? yellow : green;
    out << paint(tone, summary_line(total)) << "\n";
}

}  // namespace smtpspec::conformance
