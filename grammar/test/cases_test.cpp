// Runs the table-driven grammar cases of grammar/test/cases/*.md (format in
// cases/README.md). Every row is one test, named after its file and line.
#include "smtpspec/grammar/parse.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "case_table.hpp"
#include "smtpspec/grammar/print.hpp"

namespace {

using namespace smtpspec::grammar;
using smtpspec::grammar::test::Case;
using smtpspec::grammar::test::Verdict;

// What one parse gave, reduced to what a table row states.
struct Outcome {
    bool ok = false;
    std::vector<std::string> deviations;
    ParseError error;
    std::string printed;
};

template <class T>
Outcome outcome(Result<T> const& r) {
    Outcome o;
    o.ok = r.ok();
    if (r.ok()) {
        for (auto const& d : r.deviations()) o.deviations.push_back(d.id);
        o.printed = print(r.value());
    } else {
        o.error = r.error();
    }
    return o;
}

using Parser = std::function<Outcome(std::string_view, Options)>;

std::map<std::string, Parser> const& parsers() {
    static std::map<std::string, Parser> const table = {
        {"command", [](auto in, auto o) { return outcome(parse_command(in, o)); }},
        {"reverse-path", [](auto in, auto o) { return outcome(parse_reverse_path(in, o)); }},
        {"forward-path", [](auto in, auto o) { return outcome(parse_forward_path(in, o)); }},
        {"path", [](auto in, auto o) { return outcome(parse_path(in, o)); }},
        {"mailbox", [](auto in, auto o) { return outcome(parse_mailbox(in, o)); }},
        {"domain", [](auto in, auto o) { return outcome(parse_domain(in, o)); }},
        {"address-literal", [](auto in, auto o) { return outcome(parse_address_literal(in, o)); }},
        {"param", [](auto in, auto o) { return outcome(parse_param(in, o)); }},
        {"reply", [](auto in, auto o) { return outcome(parse_reply(in, o)); }},
        {"greeting", [](auto in, auto o) { return outcome(parse_greeting(in, o)); }},
        {"ehlo-reply", [](auto in, auto o) { return outcome(parse_ehlo_reply(in, o)); }},
        {"enhanced-code", [](auto in, auto o) { return outcome(parse_enhanced_code(in, o)); }},
    };
    return table;
}

std::string kind_name(ErrorKind k) {
    switch (k) {
        case ErrorKind::syntax: return "syntax";
        case ErrorKind::limit: return "limit";
        case ErrorKind::encoding: return "encoding";
    }
    return "?";
}

std::string show(Outcome const& o) {
    std::ostringstream s;
    if (o.ok) {
        s << "ok";
        for (auto const& d : o.deviations) s << " ~" << d;
        s << " printed `" << test::escape(o.printed) << "`";
    } else {
        s << kind_name(o.error.kind) << "@" << o.error.offset << ":" << o.error.expected << " ("
          << o.error.message << ")";
    }
    return s.str();
}

void check(Case const& c, Verdict const& want, Mode mode) {
    auto const& table = parsers();
    auto const it = table.find(c.kind);
    ASSERT_NE(it, table.end()) << "unknown kind '" << c.kind << "'";
    Options options;
    options.mode = mode;
    options.smtputf8 = c.smtputf8;
    Outcome const got = it->second(c.input, options);
    std::string const where = (mode == Mode::strict ? "strict: " : "lenient: ") + show(got);
    if (want.ok) {
        ASSERT_TRUE(got.ok) << where;
        EXPECT_EQ(got.deviations, want.deviations) << where;
        if (c.printed) {
            EXPECT_EQ(test::escape(got.printed), test::escape(*c.printed)) << where;
        }
    } else {
        ASSERT_FALSE(got.ok) << where;
        EXPECT_EQ(kind_name(got.error.kind), want.error_kind) << where;
        EXPECT_EQ(got.error.offset, want.offset) << where;
        if (want.production) {
            EXPECT_EQ(got.error.expected, *want.production) << where;
        }
        EXPECT_FALSE(got.error.message.empty()) << where;
    }
}

std::vector<Case> const& all_cases() {
    static std::vector<Case> const cases = test::load_cases(SMTPSPEC_CASES_DIR);
    return cases;
}

class GrammarCase : public ::testing::TestWithParam<Case> {};

TEST_P(GrammarCase, Strict) {
    auto const& c = GetParam();
    SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + " (RFC " + c.rfc + ")");
    check(c, c.strict, Mode::strict);
}

TEST_P(GrammarCase, Lenient) {
    auto const& c = GetParam();
    SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + " (RFC " + c.rfc + ")");
    check(c, c.lenient, Mode::lenient);
}

INSTANTIATE_TEST_SUITE_P(Cases, GrammarCase, ::testing::ValuesIn(all_cases()),
                         [](auto const& param_info) { return test::case_name(param_info.param); });

// The tables themselves: every row well-formed and every kind covered.
TEST(GrammarCases, TablesAreWellFormed) {
    auto const problems = test::table_problems(SMTPSPEC_CASES_DIR);
    EXPECT_TRUE(problems.empty()) << [&] {
        std::string s;
        for (auto const& p : problems) s += p + "\n";
        return s;
    }();
}

// The tables are the grammar's main example suite: guard against rows being lost.
TEST(GrammarCases, AtLeast300Cases) { EXPECT_GE(all_cases().size(), 300u); }

TEST(GrammarCases, EveryKindHasAcceptedAndRejectedCases) {
    for (auto const& [kind, parser] : parsers()) {
        bool accepted = false, rejected = false;
        for (auto const& c : all_cases()) {
            if (c.kind != kind) continue;
            (c.strict.ok ? accepted : rejected) = true;
        }
        EXPECT_TRUE(accepted) << kind << " has no case the strict grammar accepts";
        EXPECT_TRUE(rejected) << kind << " has no case the strict grammar rejects";
    }
}

}  // namespace
