// Runs the transcript cases of model/test/transcripts/*.md (format in README.md
// there): each case replays a transcript and compares the findings, by line and
// rule, with the expected ones. A failure names file.md:line.
#include "smtpspec/model/transcript.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace smtpspec::model {
namespace {

struct Expected {
    std::size_t line;  // within the transcript block
    std::string rule;
    auto operator<=>(const Expected&) const = default;
};

struct Case {
    std::string file;
    std::size_t heading_line = 0;
    std::size_t block_line = 0;  // file line of the opening fence
    std::string name;
    ReplayOptions options;
    std::string transcript;
    bool has_transcript = false;
    bool has_expect = false;
    std::vector<Expected> expected;
    std::vector<std::string> problems;
};

std::vector<Case> load_cases(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<Case> cases;
    std::string line;
    std::size_t no = 0;
    bool in_block = false, in_expect = false;
    const std::string file = path.filename().string();
    while (std::getline(in, line)) {
        ++no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.starts_with("## ")) {
            cases.push_back(Case{file, no, 0, line.substr(3), {}, {}, false, false, {}, {}});
            in_expect = false;
            continue;
        }
        if (cases.empty()) continue;
        Case& c = cases.back();
        if (line.starts_with("```")) {
            if (!in_block) {
                in_block = true;
                c.block_line = no;
                c.has_transcript = true;
                in_expect = false;
            } else {
                in_block = false;
            }
            continue;
        }
        if (in_block) {
            c.transcript += line + "\n";
            continue;
        }
        if (line.starts_with("profile:")) {
            std::string p = line.substr(8);
            p.erase(0, p.find_first_not_of(' '));
            std::string tls;
            if (auto sp = p.find(' '); sp != std::string::npos) {
                tls = p.substr(sp + 1);
                p = p.substr(0, sp);
            }
            if (auto prof = parse_profile(p)) c.options.profile = *prof;
            else c.problems.push_back("unknown profile " + p);
            c.options.tls = tls.find("tls") != std::string::npos;
            c.options.trusted = tls.find("trusted") != std::string::npos;
        } else if (line.starts_with("expect:")) {
            c.has_expect = true;
            in_expect = line.find("none") == std::string::npos;
        } else if (in_expect && line.starts_with("- ")) {
            std::istringstream s(line.substr(2));
            Expected e;
            if (s >> e.line >> e.rule) {
                if (!find_rule(e.rule)) c.problems.push_back("unknown rule " + e.rule);
                c.expected.push_back(e);
            } else {
                c.problems.push_back("bad expectation line: " + line);
            }
        }
    }
    return cases;
}

std::vector<Case> all_cases() {
    std::vector<Case> out;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(SMTPSPEC_TRANSCRIPTS_DIR))
        if (entry.path().extension() == ".md" && entry.path().filename() != "README.md") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
        for (Case& c : load_cases(f)) out.push_back(std::move(c));
    return out;
}

TEST(Transcripts, CasesReplayWithTheExpectedFindings) {
    std::vector<Case> cases = all_cases();
    ASSERT_FALSE(cases.empty());
    std::size_t checked = 0;
    for (const Case& c : cases) {
        const std::string where = c.file + ":" + std::to_string(c.heading_line) + " (" + c.name + ")";
        for (const std::string& p : c.problems) ADD_FAILURE() << where << ": " << p;
        if (!c.has_transcript || !c.has_expect) {
            ADD_FAILURE() << where << ": a case needs a transcript block and an expect: line";
            continue;
        }
        ReplayResult r = replay(c.transcript, c.options);
        for (const TranscriptError& e : r.errors)
            ADD_FAILURE() << c.file << ":" << c.block_line + e.line << ": " << e.message << "  [" << c.name << "]";
        std::multiset<Expected> got, want(c.expected.begin(), c.expected.end());
        std::map<Expected, std::string> details;
        for (const TranscriptFinding& f : r.findings) {
            Expected e{f.line, std::string(rule(f.finding.rule).name)};
            got.insert(e);
            details[e] = f.finding.explanation + " (expected " + f.finding.expected + ", got " + f.finding.actual + ")";
        }
        for (const Expected& e : got)
            if (got.count(e) > want.count(e))
                ADD_FAILURE() << c.file << ":" << c.block_line + e.line << ": unexpected finding " << e.rule << ": "
                              << details[e] << "  [" << c.name << "]";
        for (const Expected& e : want)
            if (want.count(e) > got.count(e))
                ADD_FAILURE() << c.file << ":" << c.block_line + e.line << ": expected finding " << e.rule
                              << " is missing  [" << c.name << "]";
        ++checked;
    }
    RecordProperty("cases", static_cast<int>(checked));
    std::cout << checked << " transcript cases\n";
}

// Every rule is shown both kept (checked in some case without a finding for it)
// and broken (expected as a finding in some case). The rules listed here are
// not yet covered both ways; the list may only shrink (it is empty: keep it so).
TEST(Transcripts, EveryRuleIsKeptAndBroken) {
    const std::set<std::string> not_yet{};
    std::set<std::string> kept, broken;
    for (const Case& c : all_cases()) {
        ReplayResult r = replay(c.transcript, c.options);
        std::set<std::string> found;
        for (const Expected& e : c.expected) {
            broken.insert(e.rule);
            found.insert(e.rule);
        }
        for (RuleId id : r.checked)
            if (!found.contains(std::string(rule(id).name))) kept.insert(std::string(rule(id).name));
    }
    std::set<std::string> uncovered;
    for (const Rule& r : rules()) {
        std::string name(r.name);
        bool both = kept.contains(name) && broken.contains(name);
        if (!both) uncovered.insert(name);
        if (!both && !not_yet.contains(name))
            ADD_FAILURE() << name << " is " << (kept.contains(name) ? "" : "never kept ")
                          << (broken.contains(name) ? "" : "never broken ") << "in the transcript cases";
        if (both && not_yet.contains(name)) ADD_FAILURE() << name << " is covered now: remove it from not_yet";
    }
    std::cout << rules().size() - uncovered.size() << " of " << rules().size()
              << " rules kept and broken by transcript cases\n";
}

// Any text, however broken, replays without throwing; every finding and error
// points at a line of the text.
RC_GTEST_PROP(Transcripts, AnyTextReplaysWithoutThrowing, ()) {
    static const std::vector<std::string> lines{
        "S: 220 mx.example.org ESMTP", "S: 250-mx.example.org", "S: 250 PIPELINING", "S: 250 CHUNKING",
        "S: 250 Ok", "S: 354 go ahead", "S: 221 Bye", "S: 503 no", "S: 334 ", "S: 235 ok", "S: 220 go",
        "S: 25", "S: 250-a", "S: 999 what", "C: EHLO c.example", "C: MAIL FROM:<a@b.example>",
        "C: RCPT TO:<c@d.example>", "C: DATA", "C: .", "C: hello\\n.\\n", "C: BDAT 3", "C: BDAT 0 LAST",
        "C: abc\\", "C: AUTH PLAIN", "C: *", "C: STARTTLS", "C: QUIT", "C: XYZZY", "C:", "*TLS*",
        "*SERVER CLOSED*", "*CLIENT CLOSED*", "# comment", "", "garbage", " -> EHLO x", "<-  250 ok"};
    const auto picks = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, lines.size()));
    std::string text;
    for (std::size_t i : picks) text += lines[i] + "\n";
    const auto profile = *rc::gen::element(Profile::relay, Profile::submission, Profile::submissions);
    ReplayResult r = replay(text, ReplayOptions{profile, false, TranscriptFormat::native});
    for (const TranscriptFinding& f : r.findings) {
        RC_ASSERT(f.line >= 1);
        RC_ASSERT(f.line <= picks.size() + 1);
        RC_ASSERT(f.finding.level == rule(f.finding.rule).level);
    }
    for (const TranscriptError& e : r.errors) RC_ASSERT(e.line <= picks.size() + 1);
}

TEST(Transcripts, ClientLineEscapes) {
    EXPECT_EQ(decode_client_line("MAIL FROM:<a@b>"), "MAIL FROM:<a@b>\r\n");
    EXPECT_EQ(decode_client_line("a\\n.\\nb"), "a\n.\nb\r\n");
    EXPECT_EQ(decode_client_line("no end\\"), "no end");
    EXPECT_EQ(decode_client_line("back\\\\slash"), "back\\slash\r\n");
    EXPECT_EQ(decode_client_line("\\x00\\x41"), std::string("\0A\r\n", 4));
    EXPECT_EQ(encode_client_text(std::string("a\r\n.\t\\\0\x7f\xC3\xA9", 10)), "a\\r\\n.\\t\\\\\\x00\\x7F\xC3\xA9");
}

// Every octet string comes back from its `C: ` line as it was, with the CRLF.
RC_GTEST_PROP(Transcripts, ClientLineRoundTrip, (const std::string& bytes)) {
    RC_ASSERT(decode_client_line(encode_client_text(bytes)) == bytes + "\r\n");
}

}  // namespace
}  // namespace smtpspec::model
