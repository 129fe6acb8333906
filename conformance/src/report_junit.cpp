// The JUnit XML report, in the shape CI systems read (the Ant JUnit task's
// format): <testsuites>, a <testsuite> per RFC section, a <testcase> per check.
// fail -> <failure>, error -> <error>, skip -> <skipped>; warn and info pass,
// with the finding in <system-out> beside the transcript.
#include <cstdio>
#include <string>

#include "report_sections.hpp"
#include "smtpspec/conformance/report.hpp"
#include "untrusted_text.hpp"

namespace smtpspec::conformance {
namespace {

std::string attr(std::string_view text) { return xml_safe(text, true); }
std::string text(std::string_view bytes) { return xml_safe(bytes, false); }

std::string seconds(std::chrono::milliseconds d) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", static_cast<double>(d.count()) / 1000.0);
    return buffer;
}

// A finding as plain text: the rule, its requirement, Expected/Actual, the excerpt.
std::string describe(const Observation& o) {
    std::string out = std::string(model::to_string(o.level)) + " " + o.rule + " (RFC " + std::to_string(o.rfc) +
                      " §" + o.section + "): " + o.explanation + "\n";
    if (auto const rule = find_any_rule(o.rule); rule && !rule->quote.empty())
        out += "  Requirement: \"" + std::string(rule->quote) + "\"\n";
    out += "  Expected: " + o.expected + "\n  Actual:   " + o.actual + "\n";
    if (!o.excerpt.empty()) out += o.excerpt + (o.excerpt.back() == '\n' ? "" : "\n");
    return out;
}

std::string describe_all(const CheckResult& r) {
    std::string out;
    for (const Observation& o : r.findings) out += describe(o);
    return out.empty() ? r.reason + "\n" : out;
}

void write_case(std::string& out, const CheckResult& r, const std::string& classname) {
    std::string_view const id = r.check ? r.check->id : std::string_view("(unknown check)");
    out += "    <testcase classname=\"" + attr(classname) + "\" name=\"" + attr(id) + "\" time=\"" +
           seconds(r.duration) + "\"";
    std::string body;
    std::string system_out;
    std::string_view const title = r.check ? r.check->title : std::string_view();
    switch (r.verdict) {
        case Verdict::fail:
            body = "      <failure message=\"" + attr(r.reason) + "\" type=\"" +
                   (r.findings.empty() ? std::string("fail") : std::string(model::to_string(r.findings.front().level))) +
                   "\">" + text(std::string(title) + "\n" + describe_all(r)) + "</failure>\n";
            break;
        case Verdict::error:
            body = "      <error message=\"" + attr(r.reason) + "\" type=\"error\">" + text(r.reason) + "</error>\n";
            break;
        case Verdict::skip: body = "      <skipped message=\"" + attr(r.reason) + "\"/>\n"; break;
        case Verdict::warn: system_out = "WARNING: " + describe_all(r) + "\n"; break;  // each finding names its level
        case Verdict::info: system_out = "INFO: " + describe_all(r) + "\n"; break;
        case Verdict::pass: break;
    }
    system_out += r.transcript;
    if (!system_out.empty()) body += "      <system-out>" + text(system_out) + "</system-out>\n";
    if (body.empty()) {
        out += "/>\n";
        return;
    }
    out += ">\n" + body + "    </testcase>\n";
}

}  // namespace

std::string to_junit(std::span<const RunReport> reports) {
    std::string suites;
    Counts total;
    std::size_t total_tests = 0;
    std::chrono::milliseconds total_time{0};
    for (const RunReport& report : reports) {
        std::string const profile(model::to_string(report.profile));
        for (const SectionGroup& group : group_by_section(report.results)) {
            // Several runs of one invocation repeat a section: the profile tells them apart.
            std::string const name = group.section.text() + (reports.size() > 1 ? " [" + profile + "]" : "");
            Counts c;
            std::chrono::milliseconds time{0};
            std::string cases;
            for (const CheckResult* r : group.results) {
                c.add(r->verdict);
                time += r->duration;
                write_case(cases, *r, name);
            }
            std::size_t const tests = group.results.size();
            suites += "  <testsuite name=\"" + attr(name) + "\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
                      std::to_string(c.fail) + "\" errors=\"" + std::to_string(c.error) + "\" skipped=\"" +
                      std::to_string(c.skip) + "\" time=\"" + seconds(time) + "\">\n";
            suites += "    <properties>\n      <property name=\"target\" value=\"" + attr(report.target) +
                      "\"/>\n      <property name=\"profile\" value=\"" + attr(profile) + "\"/>\n    </properties>\n";
            suites += cases + "  </testsuite>\n";
            total.fail += c.fail;
            total.error += c.error;
            total.skip += c.skip;
            total_tests += tests;
        }
        total_time += report.duration;
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"smtpspec " + attr(smtpspec_version()) +
           "\" tests=\"" + std::to_string(total_tests) + "\" failures=\"" + std::to_string(total.fail) +
           "\" errors=\"" + std::to_string(total.error) + "\" skipped=\"" + std::to_string(total.skip) +
           "\" time=\"" + seconds(total_time) + "\">\n" + suites + "</testsuites>\n";
}

}  // namespace smtpspec::conformance
