// The reader of the case tables: a malformed row must be reported, never
// silently skipped, and the escapes must decode as cases/README.md says.
#include "case_table.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

using namespace smtpspec::grammar::test;

TEST(CaseTable, Escapes) {
    EXPECT_EQ(unescape("a\\r\\nb"), "a\r\nb");
    EXPECT_EQ(unescape("\\x41\\0"), std::string("A\0", 2));
    EXPECT_EQ(unescape("x\\{ab*3}y"), "xabababy");
    EXPECT_EQ(unescape("\\{a\\r\\n*2}"), "a\r\na\r\n");
    EXPECT_EQ(unescape("\\|\\`\\\\"), "|`\\");
    EXPECT_FALSE(try_unescape("\\q"));
    EXPECT_FALSE(try_unescape("\\x4"));
    EXPECT_FALSE(try_unescape("\\{ab3}"));
    EXPECT_EQ(escape(std::string("a\r\n\x01\xFF", 5)), "a\\r\\n\\x01\\xFF");
}

class TempTable : public ::testing::Test {
protected:
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("smtpspec-cases-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    void SetUp() override { std::filesystem::create_directories(dir); }
    void TearDown() override { std::filesystem::remove_all(dir); }
    void write(std::string const& text) { std::ofstream(dir / "t.md") << text; }
};

TEST_F(TempTable, ReadsRowsUnderTheirHeading) {
    write("## mailbox smtputf8\n| input | strict | lenient | printed | rfc |\n|---|---|---|---|---|\n"
          "| `a@b` | ok | ok | `a@b` | 5321 §4.1.2 |\n"
          "| `a\\|b` | syntax@1:\"@\" | ok ~x ~y |  | 5321 |\n");
    auto const cases = load_cases(dir.string());
    ASSERT_EQ(cases.size(), 2u);
    EXPECT_EQ(cases[0].kind, "mailbox");
    EXPECT_TRUE(cases[0].smtputf8);
    EXPECT_EQ(cases[0].line, 4);
    EXPECT_EQ(cases[1].input, "a|b");
    EXPECT_FALSE(cases[1].strict.ok);
    EXPECT_EQ(cases[1].strict.offset, 1u);
    EXPECT_EQ(cases[1].strict.production, "\"@\"");
    EXPECT_EQ(cases[1].lenient.deviations, (std::vector<std::string>{"x", "y"}));
    EXPECT_FALSE(cases[1].printed);
    EXPECT_TRUE(table_problems(dir.string()).empty());
}

TEST_F(TempTable, ReportsMalformedRows) {
    write("| `x` | ok | ok |  | 5321 |\n"  // before a heading
          "## nonsense\n"
          "## domain\n"
          "| `x` | fine | ok |  | 5321 |\n"
          "| `x` | ok | syntax@0 |  | 5321 |\n"
          "| `x` | ok ~dev | ok |  | 5321 |\n"
          "| x | ok | ok |  | 5321 |\n"
          "| `x` | ok | ok |\n");
    auto const problems = table_problems(dir.string());
    EXPECT_EQ(problems.size(), 7u);
    EXPECT_TRUE(load_cases(dir.string()).empty());
}

}  // namespace
