// The catalogue as text (list, JSON, Markdown, explain, closest ids), on
// checks built here so that the expected output is known exactly.
#include "smtpspec/conformance/catalogue_text.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace smtpspec::conformance {
namespace {

using nlohmann::json;

Check make_check(std::string_view id, std::string_view title, std::vector<std::string_view> rules,
                 std::uint8_t profiles = all_profiles, std::uint8_t needs = need_nothing) {
    Check c;
    c.id = id;
    c.title = title;
    c.rules = std::move(rules);
    c.profiles = profiles;
    c.needs = needs;
    c.sends = "MAIL FROM:<> then RCPT TO:<postmaster> without a MAIL first, on a fresh session";
    c.accepts = "503 to RCPT";
    return c;
}

// In id order, as the catalogue is.
const std::vector<Check> checks = {
    make_check("rfc3207/4.2/discard-pipelined", "Pipelined commands after STARTTLS are discarded",
               {"rfc3207/4.2/discard-pipelined"}, relay_only | submission_only),
    make_check("rfc5321/3.3/rcpt-before-mail", "RCPT before MAIL is refused",
               {"rfc5321/3.3/rcpt-needs-mail", "rfc5321/4.3.2/rcpt-codes"}),
    make_check("rfc5321/4.1.1.10/quit", "QUIT is answered 221 | and closed", {"rfc5321/4.1.1.10/quit-221"},
               all_profiles, need_recipient | need_slow),
    make_check("rfc5321/4.1.1.2/mail-before-helo", "MAIL before HELO", {"rfc5321/4.1.1.1/mail-needs-helo"}),
    make_check("rfc5321/4.3.2/greeting", "The greeting is 220", {"rfc5321/4.3.2/greeting-codes", "no/such/rule"},
               submissions_only, need_credentials),
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto const end = text.find('\n', start);
        out.push_back(text.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

TEST(ListText, GroupsBySectionInDocumentOrderWithAlignedColumns) {
    auto const l = lines_of(list_text(checks));
    std::vector<std::string> headings;
    for (const std::string& line : l)
        if (line.rfind("RFC ", 0) == 0) headings.push_back(line);
    EXPECT_EQ(headings, (std::vector<std::string>{"RFC 3207 §4.2", "RFC 5321 §3.3", "RFC 5321 §4.1.1.2",
                                                  "RFC 5321 §4.1.1.10", "RFC 5321 §4.3.2"}));
    std::string const quit = list_text(checks).substr(list_text(checks).find("  rfc5321/4.1.1.10/quit"));
    // Columns: id padded to the longest id (32), level to 6, profiles to the longest ("relay, submission", 17).
    EXPECT_EQ(quit.substr(0, quit.find('\n')), "  rfc5321/4.1.1.10/quit" + std::string(11, ' ') + "  MUST    all" +
                                                   std::string(14, ' ') +
                                                   "  QUIT is answered 221 | and closed [needs --rcpt, --slow]");
    EXPECT_EQ(l.back(), "5 checks (3 MUST, 1 SHOULD, 1 INFO); 'smtpspec explain ID' describes one.");
    // Every check line starts its columns at the same places.
    std::size_t level_column = std::string::npos;
    for (const std::string& line : l) {
        if (line.rfind("  rfc", 0) != 0) continue;
        auto const at = line.find_first_of("MSI", line.find(' ', 2));
        if (level_column == std::string::npos) level_column = at;
        EXPECT_EQ(at, level_column) << line;
    }
    EXPECT_EQ(list_text({}), "0 checks (0 MUST, 0 SHOULD, 0 INFO); 'smtpspec explain ID' describes one.\n");
}

TEST(ListJson, DescribesEveryCheck) {
    json const doc = json::parse(list_json(checks));
    ASSERT_EQ(doc.size(), checks.size());
    EXPECT_EQ(doc[0]["profiles"], json::array({"relay", "submission"}));
    EXPECT_EQ(doc[2]["needs"], json::array({"--rcpt", "--slow"}));
    EXPECT_EQ(doc[4]["needs"], json::array({"--user"}));
    EXPECT_EQ(doc[4]["profiles"], json::array({"submissions"}));
    EXPECT_EQ(doc[1]["section"], json::parse(R"({"rfc":5321,"section":"3.3"})"));
    EXPECT_EQ(doc[1]["level"], "MUST");
    EXPECT_EQ(doc[1]["rules"][0], json::parse(R"({"id":"rfc5321/3.3/rcpt-needs-mail","rfc":5321,"section":"3.3","level":"MUST"})"));
    EXPECT_EQ(doc[1]["rules"][1]["level"], "SHOULD");
    // A name in no rule table is listed as it is, without what a table would say.
    EXPECT_EQ(doc[4]["rules"][1], json::parse(R"({"id":"no/such/rule"})"));
    EXPECT_EQ(doc[3]["accepts"], "503 to RCPT");
}

TEST(ListMarkdown, ATablePerRfcWithEveryColumn) {
    std::string const md = list_markdown(checks);
    EXPECT_EQ(md.rfind("# Checks\n", 0), 0u);
    auto const rfc3207 = md.find("\n## RFC 3207 — SMTP Service Extension for Secure SMTP over Transport Layer Security\n");
    auto const rfc5321 = md.find("\n## RFC 5321 — Simple Mail Transfer Protocol\n");
    ASSERT_NE(rfc3207, std::string::npos) << md;
    ASSERT_NE(rfc5321, std::string::npos) << md;
    EXPECT_LT(rfc3207, rfc5321);
    EXPECT_NE(md.find("| Id | Title | Level | Profiles | Needs | Rules |"), std::string::npos);
    EXPECT_NE(md.find("| `rfc5321/4.1.1.10/quit` | QUIT is answered 221 \\| and closed | MUST | all | --rcpt, --slow | "
                      "`rfc5321/4.1.1.10/quit-221` |"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("| `rfc3207/4.2/discard-pipelined` | Pipelined commands after STARTTLS are discarded | MUST | "
                      "relay, submission | — | `rfc3207/4.2/discard-pipelined` |"),
              std::string::npos)
        << md;
    // Within RFC 5321, sections in number order: 4.1.1.2 before 4.1.1.10.
    EXPECT_LT(md.find("rfc5321/4.1.1.2/mail-before-helo"), md.find("rfc5321/4.1.1.10/quit"));
    EXPECT_NE(md.find("5 checks (3 MUST, 1 SHOULD, 1 INFO)."), std::string::npos);
}

TEST(Explain, NamesEverythingAboutTheCheckWithTheRfcWords) {
    std::string const text = explain(checks[1]);
    EXPECT_EQ(text.rfind("rfc5321/3.3/rcpt-before-mail\n  RCPT before MAIL is refused\n", 0), 0u) << text;
    for (const char* expected :
         {"Section:   RFC 5321 §3.3 (Simple Mail Transfer Protocol)", "Level:     MUST: a broken rule fails the check",
          "Profiles:  relay, submission, submissions", "Needs:     nothing",
          "  rfc5321/3.3/rcpt-needs-mail (RFC 5321 §3.3, MUST)", "  rfc5321/4.3.2/rcpt-codes (RFC 5321 §4.3.2, SHOULD)",
          "Sends:\n  MAIL FROM:<> then RCPT", "Accepts:\n  503 to RCPT\n"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    // The quoted requirement, wrapped under "> ".
    auto const rule = find_any_rule("rfc5321/3.3/rcpt-needs-mail");
    ASSERT_TRUE(rule);
    std::string joined;
    for (const std::string& line : lines_of(text))
        if (line.rfind("    > ", 0) == 0) joined += line.substr(6) + " ";
    std::string quote = "\"" + std::string(rule->quote) + "\"";
    std::string collapsed;
    for (char c : quote)
        if (!(c == ' ' && !collapsed.empty() && collapsed.back() == ' ')) collapsed += c;
    EXPECT_NE(joined.find(collapsed), std::string::npos) << joined;
    for (const std::string& line : lines_of(text)) EXPECT_LE(line.size(), 82u) << line;

    std::string const needs = explain(checks[4]);
    EXPECT_NE(needs.find("Needs:\n  --user NAME and a password"), std::string::npos) << needs;
    EXPECT_NE(needs.find("Profiles:  submissions\n"), std::string::npos) << needs;
    EXPECT_NE(needs.find("Level:     SHOULD"), std::string::npos) << needs;
    EXPECT_NE(needs.find("no/such/rule (not in the rule tables)"), std::string::npos) << needs;
}

TEST(ClosestIds, SameSlugThenSimilarThenSameSection) {
    EXPECT_EQ(closest_ids("rfc5321/4.1.4/rcpt-before-mail", checks).front(), "rfc5321/3.3/rcpt-before-mail");
    EXPECT_EQ(closest_ids("rcpt-before-mail", checks).front(), "rfc5321/3.3/rcpt-before-mail");
    EXPECT_EQ(closest_ids("rfc5321/3.3/rcpt-befor-mail", checks).front(), "rfc5321/3.3/rcpt-before-mail");
    EXPECT_EQ(closest_ids("rfc5321/4.3.2/banner", checks), (std::vector<std::string_view>{"rfc5321/4.3.2/greeting"}));
    EXPECT_EQ(closest_ids("quit", checks).front(), "rfc5321/4.1.1.10/quit");
    EXPECT_TRUE(closest_ids("rfc9999/1/zzzzzzzzzzzz", checks).empty());
    EXPECT_LE(closest_ids("rfc5321", checks, 2).size(), 2u);
    EXPECT_TRUE(closest_ids("x", {}).empty());
    // A long argument is compared by its start only, in bounded time.
    EXPECT_EQ(closest_ids("rfc5321/3.3/rcpt-before-mail" + std::string(100000, 'x'), checks),
              (std::vector<std::string_view>{"rfc5321/3.3/rcpt-before-mail"}));
}

TEST(ProfilesAndNeeds, NameTheOptions) {
    EXPECT_EQ(profiles_text(all_profiles), "all");
    EXPECT_EQ(profiles_text(submission_only | submissions_only), "submission, submissions");
    EXPECT_EQ(profiles_text(0), "none");
    EXPECT_EQ(needs_text(need_nothing), "nothing");
    EXPECT_EQ(needs_text(need_recipient | need_credentials | need_slow), "--rcpt, --user, --slow");
}

}  // namespace
}  // namespace smtpspec::conformance
