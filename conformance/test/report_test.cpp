// The reports of a run, on RunReports built here: the terminal report's
// header, grouping, symbols, failures and summary; the JSON report validated
// against docs/report-schema.json; the JUnit XML parsed back. Schema
// validation and XML parsing use python3 (jsonschema, xml.etree), which
// scripts/setup installs.
#include "smtpspec/conformance/report.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace smtpspec::conformance {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path docs_dir() { return SMTPSPEC_DOCS_DIR; }

Check make_check(std::string_view id, std::string_view title, std::string_view rule) {
    Check c;
    c.id = id;
    c.title = title;
    c.rules = {rule};
    return c;
}

// The checks the reports below are about; rules from the model's table.
const Check pass_check = make_check("rfc5321/4.1.4/out-of-order-commands", "Commands out of order are answered 503",
                                    "rfc5321/4.1.4/out-of-order-503");
const Check fail_check =
    make_check("rfc5321/3.3/rcpt-before-mail", "RCPT before MAIL is refused", "rfc5321/3.3/rcpt-needs-mail");
const Check warn_check = make_check("rfc5321/4.3.2/greeting", "The greeting is 220", "rfc5321/4.3.2/greeting-codes");
const Check info_check =
    make_check("rfc5321/4.1.1.1/mail-before-helo", "MAIL before HELO", "rfc5321/4.1.1.1/mail-needs-helo");
const Check skip_check = make_check("rfc3030/2/bdat-last", "BDAT LAST ends the message", "rfc5321/4.3.2/data-codes");
const Check error_check = make_check("rfc5321/4.1.1.10/quit", "QUIT is answered 221", "rfc5321/4.3.2/reply-syntax");

Observation observation(std::string rule, unsigned rfc, std::string section, model::Level level, std::string actual,
                        std::string excerpt) {
    Observation o;
    o.rule = std::move(rule);
    o.rfc = rfc;
    o.section = std::move(section);
    o.level = level;
    o.explanation = "RCPT before MAIL was accepted";
    o.expected = "503";
    o.actual = std::move(actual);
    o.excerpt = std::move(excerpt);
    return o;
}

CheckResult result(const Check& check, Verdict verdict, std::string reason = {}) {
    CheckResult r;
    r.check = &check;
    r.verdict = verdict;
    r.reason = std::move(reason);
    r.transcript = "S: 220 mx.example.org ESMTP\r\nC: EHLO smtpspec.invalid\r\nS: 250 mx.example.org\r\n";
    r.duration = std::chrono::milliseconds(12);
    return r;
}

TlsFacts tls_facts() {
    TlsFacts t;
    t.version = "TLSv1.3";
    t.cipher = "TLS_AES_256_GCM_SHA384";
    t.certificate = CertificateFacts{"CN=mx.example.org", "CN=Example CA", "2026-11-29T16:00:00Z",
                                     "2027-11-29T16:00:00Z", {"DNS:mx.example.org"}};
    t.chain_verified = false;
    t.verify_error = "self-signed certificate";
    t.host_matches = true;
    return t;
}

// A run with every verdict, in catalogue (id) order; the failure's reply and
// excerpt hold bytes a hostile server could send.
RunReport sample(model::Profile profile = model::Profile::relay) {
    RunReport report;
    report.target = "tcp://127.0.0.1:2525";
    report.profile = profile;
    report.tls = tls_facts();
    report.duration = std::chrono::milliseconds(1234);

    CheckResult skip = result(skip_check, Verdict::skip, "server does not advertise CHUNKING");
    CheckResult fail = result(fail_check, Verdict::fail, "RCPT before MAIL was accepted");
    fail.findings.push_back(observation("rfc5321/3.3/rcpt-needs-mail", 5321, "3.3", model::Level::must,
                                        "250 Ok\x1b[2J\x07 \xff",
                                        "C: RCPT TO:<a@example.org>\r\nS: 250 Ok\x1b[2J\r\nC: QUIT\r\n"));
    fail.other.push_back(observation("rfc5321/4.2/no-bare-codes", 5321, "4.2", model::Level::should, "250", ""));
    fail.transcript += std::string("S: 250 \x01\x02 <&>\"'\xc3\x28 \xef\xbf\xbe\r\n");
    CheckResult info = result(info_check, Verdict::info, "MAIL before HELO was accepted");
    CheckResult error = result(error_check, Verdict::error, "no reply to QUIT within 10 s");
    CheckResult pass = result(pass_check, Verdict::pass);
    CheckResult warn = result(warn_check, Verdict::warn, "the greeting is 200");
    warn.findings.push_back(observation("rfc5321/4.3.2/greeting-codes", 5321, "4.3.2", model::Level::should,
                                        "200 hello", "S: 200 hello\r\n"));
    report.results = {skip, fail, info, error, pass, warn};
    return report;
}

std::string terminal(const RunReport& report, TerminalStyle style = {}) {
    std::ostringstream out;
    write_terminal(out, report, style);
    return out.str();
}

// Whitespace runs as one space, so wrapped text can be searched for.
std::string flattened(const std::string& text) {
    std::string out;
    for (char c : text) {
        bool const space = c == ' ' || c == '\n';
        if (space && !out.empty() && out.back() == ' ') continue;
        out += space ? ' ' : c;
    }
    return out;
}

std::string line_with(const std::string& text, const std::string& needle) {
    auto const at = text.find(needle);
    if (at == std::string::npos) return {};
    auto const start = text.rfind('\n', at) + 1;
    return text.substr(start, text.find('\n', at) - start);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

TEST(TerminalReport, HeaderNamesTargetProfileAndTlsFacts) {
    std::string const out = terminal(sample(model::Profile::submission));
    for (const char* expected : {"tcp://127.0.0.1:2525", "submission", "TLSv1.3", "TLS_AES_256_GCM_SHA384",
                                 "CN=mx.example.org", "CN=Example CA", "2026-11-29T16:00:00Z", "2027-11-29T16:00:00Z",
                                 "DNS:mx.example.org"})
        EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
    EXPECT_NE(line_with(out, "not verified").find("self-signed certificate"), std::string::npos) << out;

    RunReport plain = sample();
    plain.tls.reset();
    EXPECT_NE(terminal(plain).find("TLS:      none"), std::string::npos);
    plain.tls = tls_facts();
    plain.tls->chain_verified = true;
    EXPECT_EQ(terminal(plain).find("not verified"), std::string::npos);
    EXPECT_NE(terminal(plain).find("verified"), std::string::npos);
    plain.tls->certificate.reset();
    plain.tls->chain_verified = false;
    EXPECT_NE(terminal(plain).find("no server certificate"), std::string::npos);
    EXPECT_EQ(terminal(plain).find("verified ("), std::string::npos);
    EXPECT_EQ(terminal(plain).find("pedantic"), std::string::npos);
    plain.pedantic = true;
    EXPECT_NE(terminal(plain).find("Mode:     pedantic"), std::string::npos);
}

TEST(TerminalReport, ChecksAreGroupedBySectionInDocumentOrder) {
    std::string const out = terminal(sample());
    // RFC number first, then section numbers compared as numbers.
    std::vector<std::string> const headings = {"RFC 3030 §2", "RFC 5321 §3.3", "RFC 5321 §4.1.1.1",
                                               "RFC 5321 §4.1.1.10", "RFC 5321 §4.1.4", "RFC 5321 §4.3.2"};
    std::vector<std::string> const ids = {skip_check.id.data(), fail_check.id.data(),  info_check.id.data(),
                                          error_check.id.data(), pass_check.id.data(), warn_check.id.data()};
    auto const failures = out.find("\nFailures\n");
    ASSERT_NE(failures, std::string::npos) << out;
    std::size_t previous = 0;
    for (std::size_t i = 0; i < headings.size(); ++i) {
        auto const heading = out.find("\n" + headings[i] + "\n");
        ASSERT_NE(heading, std::string::npos) << headings[i] << "\n" << out;
        EXPECT_GT(heading, previous) << headings[i];
        auto const line = out.find(" " + ids[i] + "  ", heading);
        ASSERT_NE(line, std::string::npos) << ids[i];
        auto const next = i + 1 < headings.size() ? out.find("\n" + headings[i + 1] + "\n") : failures;
        EXPECT_LT(line, next) << ids[i] << " is not under " << headings[i];
        previous = heading;
    }
}

TEST(TerminalReport, EachCheckLineHasItsSymbolIdTitleAndReason) {
    std::string const out = terminal(sample());
    struct Case {
        const Check& check;
        const char* symbol;
        const char* reason;
    };
    Case const cases[] = {
        {pass_check, "✔", ""},
        {fail_check, "✘", ""},
        {warn_check, "!", ""},
        {info_check, "i", "MAIL before HELO was accepted"},
        {skip_check, "-", "skipped: server does not advertise CHUNKING"},
        {error_check, "E", "error: no reply to QUIT within 10 s"},
    };
    for (const Case& c : cases) {
        std::string const line = line_with(out, std::string(c.check.id) + "  " + std::string(c.check.title));
        ASSERT_FALSE(line.empty()) << c.check.id << "\n" << out;
        EXPECT_EQ(line.rfind(std::string("  ") + c.symbol + " " + std::string(c.check.id), 0), 0u) << line;
        EXPECT_NE(line.find(c.reason), std::string::npos) << line;
    }
}

TEST(TerminalReport, FailuresShowRuleRequirementExpectedActualAndExcerpt) {
    std::string const out = terminal(sample());
    auto const failures = out.find("\nFailures\n");
    ASSERT_NE(failures, std::string::npos);
    std::string const part = out.substr(failures);
    // Only failures and warnings are listed there.
    EXPECT_NE(part.find(fail_check.id), std::string::npos);
    EXPECT_NE(part.find(warn_check.id), std::string::npos);
    for (const Check* c : {&pass_check, &info_check, &skip_check, &error_check})
        EXPECT_EQ(part.find(c->id), std::string::npos) << c->id;
    EXPECT_LT(part.find(fail_check.id), part.find(warn_check.id));

    EXPECT_NE(part.find("MUST rfc5321/3.3/rcpt-needs-mail (RFC 5321 §3.3)"), std::string::npos) << part;
    auto const rule = find_any_rule("rfc5321/3.3/rcpt-needs-mail");
    ASSERT_TRUE(rule);
    EXPECT_NE(flattened(part).find(flattened(std::string(rule->quote))), std::string::npos) << part;
    EXPECT_NE(part.find("      Expected: 503\n"), std::string::npos) << part;
    EXPECT_NE(part.find("      Actual:   250 Ok"), std::string::npos) << part;
    EXPECT_NE(part.find("        | C: RCPT TO:<a@example.org>\n"), std::string::npos) << part;
    EXPECT_NE(part.find("        | C: QUIT\n"), std::string::npos) << part;
    EXPECT_NE(part.find("SHOULD rfc5321/4.3.2/greeting-codes (RFC 5321 §4.3.2)"), std::string::npos) << part;
    EXPECT_NE(part.find("      Actual:   200 hello\n"), std::string::npos) << part;
}

TEST(TerminalReport, NoAnsiWithoutColourAndServerBytesCannotReachTheTerminal) {
    std::string const out = terminal(sample());
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
    EXPECT_EQ(out.find('\x07'), std::string::npos);
    EXPECT_EQ(out.find('\r'), std::string::npos);
    EXPECT_NE(out.find("250 Ok\\x1b[2J\\x07 \\xff"), std::string::npos) << out;

    std::string const coloured = terminal(sample(), TerminalStyle{true, false});
    EXPECT_NE(coloured.find("\x1b[32m✔"), std::string::npos);
    EXPECT_NE(coloured.find("\x1b[31m✘"), std::string::npos);
    // Colour comes from us only: the server's ESC is still shown as text.
    EXPECT_NE(coloured.find("\\x1b[2J"), std::string::npos);
    EXPECT_EQ(coloured.find("\x1b[2J"), std::string::npos);
}

TEST(TerminalReport, VerboseAddsPassRulesAndOtherFindings) {
    std::string const quiet = terminal(sample());
    std::string const verbose = terminal(sample(), TerminalStyle{false, true});
    EXPECT_EQ(quiet.find("rules: rfc5321/4.1.4/out-of-order-503"), std::string::npos);
    EXPECT_NE(verbose.find("rules: rfc5321/4.1.4/out-of-order-503"), std::string::npos) << verbose;
    EXPECT_EQ(quiet.find("rfc5321/4.2/no-bare-codes"), std::string::npos);
    EXPECT_NE(verbose.find("SHOULD rfc5321/4.2/no-bare-codes (RFC 5321 §4.2)"), std::string::npos) << verbose;
}

TEST(TerminalReport, SummaryCountsEveryVerdictOfEveryRun) {
    std::vector<RunReport> const runs = {sample(model::Profile::relay), sample(model::Profile::submission)};
    std::ostringstream out;
    write_summary(out, runs, TerminalStyle{});
    auto const l = lines_of(out.str());
    ASSERT_EQ(l.size(), 3u) << out.str();
    EXPECT_EQ(l[0], "relay: 1 passed, 1 failed, 1 warned, 1 skipped, 1 errors, 1 info");
    EXPECT_EQ(l[1], "submission: 1 passed, 1 failed, 1 warned, 1 skipped, 1 errors, 1 info");
    EXPECT_EQ(l[2], "2 passed, 2 failed, 2 warned, 2 skipped, 2 errors, 2 info");

    RunReport one = sample();
    one.results.erase(one.results.begin() + 2);  // the info result
    one.results.push_back(result(pass_check, Verdict::pass));
    std::ostringstream single;
    write_summary(single, std::span(&one, 1), TerminalStyle{});
    EXPECT_EQ(single.str(), "2 passed, 1 failed, 1 warned, 1 skipped, 1 errors\n");

    EXPECT_EQ(summary_line(Counts{}), "0 passed, 0 failed, 0 warned, 0 skipped, 0 errors");
    std::ostringstream coloured;
    write_summary(coloured, std::span(&one, 1), TerminalStyle{true, false});
    EXPECT_EQ(coloured.str(), "\x1b[31m2 passed, 1 failed, 1 warned, 1 skipped, 1 errors\x1b[0m\n");
}

TEST(TerminalReport, ColourOnlyOnATerminalWithoutNoColor) {
    std::FILE* file = std::tmpfile();
    ASSERT_NE(file, nullptr);
    ::unsetenv("NO_COLOR");
    EXPECT_FALSE(terminal_style_for(file, false).color);
    EXPECT_TRUE(terminal_style_for(file, true).verbose);
    std::fclose(file);

    int const master = ::posix_openpt(O_RDWR | O_NOCTTY);
    ASSERT_GE(master, 0);
    ASSERT_EQ(::grantpt(master), 0);
    ASSERT_EQ(::unlockpt(master), 0);
    std::FILE* tty = std::fopen(::ptsname(master), "w");
    ASSERT_NE(tty, nullptr);
    EXPECT_TRUE(terminal_style_for(tty, false).color);
    ::setenv("NO_COLOR", "1", 1);
    EXPECT_FALSE(terminal_style_for(tty, false).color);
    ::setenv("NO_COLOR", "", 1);  // no-color.org: only a non-empty value disables colour
    EXPECT_TRUE(terminal_style_for(tty, false).color);
    ::unsetenv("NO_COLOR");
    std::fclose(tty);
    ::close(master);
}

// ---------------------------------------------------------------- python3

struct TempDir {
    std::string path;
    TempDir() {
        char name[] = "/tmp/smtpspec-report-XXXXXX";
        if (::mkdtemp(name)) path = name;
    }
    ~TempDir() {
        std::error_code ignored;
        if (!path.empty()) fs::remove_all(path, ignored);
    }
    std::string write(const std::string& name, const std::string& content) const {
        std::string const file = path + "/" + name;
        std::ofstream(file, std::ios::binary) << content;
        return file;
    }
};

struct Ran {
    int status = -1;
    std::string out;
};

// python3 SCRIPT ARGS..., stdout and stderr together. Paths are ours (mkdtemp, the source tree): no quoting needed.
Ran python(const TempDir& dir, const std::string& script, const std::vector<std::string>& args) {
    std::string command = "python3 " + dir.write("script.py", script);
    for (const std::string& a : args) command += " '" + a + "'";
    command += " 2>&1";
    Ran ran;
    std::FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return ran;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) ran.out.append(buffer, n);
    int const status = ::pclose(pipe);
    ran.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return ran;
}

// Fails (not skips) when the tools are missing: they are part of the test setup.
::testing::AssertionResult python_with(const std::string& module) {
    TempDir dir;
    Ran const ran = python(dir, "import " + module + "\n", {});
    if (ran.status == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "python3 with the " << module << " module is needed to check the reports ("
                                         << ran.out << "); run scripts/setup, which installs python3 and "
                                         << "python3-jsonschema";
}

constexpr const char* validate_script = R"(import json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
document = json.load(open(sys.argv[2], encoding="utf-8"))
validator = jsonschema.validators.validator_for(schema)
validator.check_schema(schema)
errors = sorted(validator(schema).iter_errors(document), key=lambda e: list(e.path))
for e in errors:
    print("/".join(str(p) for p in e.path) + ": " + e.message)
sys.exit(1 if errors else 0)
)";

TEST(JsonReport, ValidatesAgainstTheSchema) {
    ASSERT_TRUE(python_with("jsonschema"));
    std::vector<RunReport> runs = {sample(model::Profile::relay), sample(model::Profile::submissions)};
    runs[1].tls.reset();
    runs[1].results[1].tls = tls_facts();
    runs[1].results[1].tls->certificate.reset();
    TempDir dir;
    std::string const schema = (docs_dir() / "report-schema.json").string();
    std::string const report = to_json(runs);
    Ran const ran = python(dir, validate_script, {schema, dir.write("report.json", report)});
    EXPECT_EQ(ran.status, 0) << ran.out << "\n" << report;

    // The schema does reject a report that breaks it.
    json broken = json::parse(report);
    broken["runs"][0]["checks"][0]["verdict"] = "maybe";
    broken["runs"][1]["counts"].erase("skip");
    Ran const rejected = python(dir, validate_script, {schema, dir.write("broken.json", broken.dump())});
    EXPECT_EQ(rejected.status, 1) << rejected.out;
    EXPECT_NE(rejected.out.find("runs/0/checks/0/verdict"), std::string::npos) << rejected.out;
    EXPECT_NE(rejected.out.find("'skip' is a required property"), std::string::npos) << rejected.out;
}

TEST(JsonReport, CarriesEveryFieldOfTheRun) {
    std::vector<RunReport> const runs = {sample()};
    json const doc = json::parse(to_json(runs));
    EXPECT_EQ(doc["smtpspec"], std::string(smtpspec_version()));
    ASSERT_EQ(doc["runs"].size(), 1u);
    const json& run = doc["runs"][0];
    EXPECT_EQ(run["target"], "tcp://127.0.0.1:2525");
    EXPECT_EQ(run["profile"], "relay");
    EXPECT_EQ(run["pedantic"], false);
    EXPECT_EQ(run["duration_ms"], 1234);
    EXPECT_EQ(run["tls"]["version"], "TLSv1.3");
    EXPECT_EQ(run["tls"]["certificate"]["issuer"], "CN=Example CA");
    EXPECT_EQ(run["tls"]["verified"], false);
    EXPECT_EQ(run["tls"]["verify_error"], "self-signed certificate");
    EXPECT_EQ(run["counts"], json::parse(R"({"pass":1,"fail":1,"warn":1,"info":1,"skip":1,"error":1})"));
    ASSERT_EQ(run["checks"].size(), 6u);
    const json& fail = run["checks"][1];
    EXPECT_EQ(fail["id"], "rfc5321/3.3/rcpt-before-mail");
    EXPECT_EQ(fail["section"], json::parse(R"({"rfc":5321,"section":"3.3"})"));
    EXPECT_EQ(fail["level"], "MUST");
    EXPECT_EQ(fail["verdict"], "fail");
    EXPECT_EQ(fail["rules"], json::array({"rfc5321/3.3/rcpt-needs-mail"}));
    ASSERT_EQ(fail["findings"].size(), 1u);
    EXPECT_EQ(fail["findings"][0]["rule"], "rfc5321/3.3/rcpt-needs-mail");
    EXPECT_EQ(fail["findings"][0]["expected"], "503");
    // Not UTF-8 from the server: replaced, never an exception or invalid JSON.
    EXPECT_EQ(fail["findings"][0]["actual"], "250 Ok\x1b[2J\x07 \xef\xbf\xbd");
    EXPECT_EQ(fail["other"][0]["level"], "SHOULD");
    EXPECT_NE(fail["transcript"].get<std::string>().find("C: EHLO smtpspec.invalid\r\n"), std::string::npos);
    EXPECT_EQ(fail["duration_ms"], 12);
    EXPECT_EQ(run["checks"][0]["verdict"], "skip");
    EXPECT_EQ(run["checks"][0]["reason"], "server does not advertise CHUNKING");
    EXPECT_EQ(run["checks"][3]["level"], "MUST");
    EXPECT_EQ(run["checks"][2]["level"], "INFO");
}

constexpr const char* junit_script = R"(import json, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
def attrs(e, names):
    return {n: e.get(n) for n in names}
out = {"tag": root.tag, **attrs(root, ["tests", "failures", "errors", "skipped"]), "suites": []}
for suite in root:
    s = {"tag": suite.tag, **attrs(suite, ["name", "tests", "failures", "errors", "skipped", "time"]),
         "properties": {p.get("name"): p.get("value") for p in suite.iter("property")}, "cases": []}
    for case in suite.iter("testcase"):
        c = {**attrs(case, ["classname", "name", "time"]), "children": {}}
        for child in case:
            c["children"][child.tag] = {"message": child.get("message"), "text": child.text or ""}
        s["cases"].append(c)
    out["suites"].append(s)
print(json.dumps(out))
)";

json parsed_junit(const std::vector<RunReport>& runs) {
    TempDir dir;
    std::string const xml = to_junit(runs);
    Ran const ran = python(dir, junit_script, {dir.write("report.xml", xml)});
    EXPECT_EQ(ran.status, 0) << ran.out << "\n" << xml;
    if (ran.status != 0) return {};
    return json::parse(ran.out);
}

const json* find_case(const json& doc, const std::string& name) {
    for (const json& suite : doc["suites"])
        for (const json& c : suite["cases"])
            if (c["name"] == name) return &c;
    return nullptr;
}

TEST(JunitReport, ParsesBackWithASuitePerSectionAndACasePerCheck) {
    ASSERT_TRUE(python_with("xml.etree.ElementTree"));
    json const doc = parsed_junit({sample()});
    ASSERT_FALSE(doc.is_null());
    EXPECT_EQ(doc["tag"], "testsuites");
    EXPECT_EQ(doc["tests"], "6");
    EXPECT_EQ(doc["failures"], "1");
    EXPECT_EQ(doc["errors"], "1");
    EXPECT_EQ(doc["skipped"], "1");
    ASSERT_EQ(doc["suites"].size(), 6u);
    std::vector<std::string> names;
    for (const json& s : doc["suites"]) {
        EXPECT_EQ(s["tag"], "testsuite");
        EXPECT_EQ(s["tests"], std::to_string(s["cases"].size()));
        EXPECT_EQ(s["properties"]["target"], "tcp://127.0.0.1:2525");
        EXPECT_EQ(s["properties"]["profile"], "relay");
        for (const json& c : s["cases"]) EXPECT_EQ(c["classname"], s["name"]);
        names.push_back(s["name"]);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"RFC 3030 §2", "RFC 5321 §3.3", "RFC 5321 §4.1.1.1",
                                               "RFC 5321 §4.1.1.10", "RFC 5321 §4.1.4", "RFC 5321 §4.3.2"}));
    EXPECT_EQ(doc["suites"][1]["failures"], "1");
    EXPECT_EQ(doc["suites"][0]["skipped"], "1");
    EXPECT_EQ(doc["suites"][3]["errors"], "1");
    EXPECT_EQ(doc["suites"][3]["time"], "0.012");
}

TEST(JunitReport, VerdictsBecomeFailureErrorSkippedOrSystemOut) {
    json const doc = parsed_junit({sample()});
    ASSERT_FALSE(doc.is_null());

    const json* fail = find_case(doc, std::string(fail_check.id));
    ASSERT_TRUE(fail);
    ASSERT_TRUE((*fail)["children"].contains("failure"));
    EXPECT_EQ((*fail)["children"]["failure"]["message"], "RCPT before MAIL was accepted");
    std::string const failure = (*fail)["children"]["failure"]["text"];
    EXPECT_NE(failure.find("MUST rfc5321/3.3/rcpt-needs-mail (RFC 5321 §3.3)"), std::string::npos) << failure;
    EXPECT_NE(failure.find("Expected: 503"), std::string::npos) << failure;
    // Bytes XML 1.0 forbids are written as text; the rest arrive intact.
    EXPECT_NE(failure.find("Actual:   250 Ok\\x1b[2J\\x07 \\xff"), std::string::npos) << failure;
    std::string const transcript = (*fail)["children"]["system-out"]["text"];
    EXPECT_NE(transcript.find("S: 250 \\x01\\x02 <&>\"'\\xc3( \\xef\\xbf\\xbe\r\n"), std::string::npos) << transcript;

    const json* error = find_case(doc, std::string(error_check.id));
    ASSERT_TRUE(error);
    EXPECT_EQ((*error)["children"]["error"]["message"], "no reply to QUIT within 10 s");
    EXPECT_FALSE((*error)["children"].contains("failure"));

    const json* skip = find_case(doc, std::string(skip_check.id));
    ASSERT_TRUE(skip);
    EXPECT_EQ((*skip)["children"]["skipped"]["message"], "server does not advertise CHUNKING");

    const json* warn = find_case(doc, std::string(warn_check.id));
    ASSERT_TRUE(warn);
    EXPECT_FALSE((*warn)["children"].contains("failure"));
    EXPECT_NE((*warn)["children"]["system-out"]["text"].get<std::string>().find(
                  "WARNING: SHOULD rfc5321/4.3.2/greeting-codes"),
              std::string::npos);

    const json* pass = find_case(doc, std::string(pass_check.id));
    ASSERT_TRUE(pass);
    EXPECT_EQ((*pass)["children"].size(), 1u);  // the transcript only
    EXPECT_TRUE((*pass)["children"].contains("system-out"));
}

TEST(JunitReport, SeveralProfilesKeepTheirSuitesApart) {
    json const doc = parsed_junit({sample(model::Profile::submission), sample(model::Profile::submissions)});
    ASSERT_FALSE(doc.is_null());
    EXPECT_EQ(doc["tests"], "12");
    ASSERT_EQ(doc["suites"].size(), 12u);
    EXPECT_EQ(doc["suites"][0]["name"], "RFC 3030 §2 [submission]");
    EXPECT_EQ(doc["suites"][6]["name"], "RFC 3030 §2 [submissions]");
    EXPECT_EQ(doc["suites"][6]["properties"]["profile"], "submissions");
}

}  // namespace
}  // namespace smtpspec::conformance
