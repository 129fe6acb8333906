// The lenient-mode machinery (detail/lenient.hpp), on a toy grammar so that
// offsets and rounds can be stated exactly: the toy accepts exactly "abc".
#include "detail/lenient.hpp"

#include <gtest/gtest.h>

#include <array>

#include "detail/run.hpp"

namespace {

using namespace smtpspec::grammar;
using namespace smtpspec::grammar::detail;

std::variant<std::string, ParseError> toy(std::string_view text) {
    static constexpr std::string_view want = "abc";
    std::size_t i = 0;
    while (i < text.size() && i < want.size() && text[i] == want[i]) ++i;
    if (i == want.size() && i == text.size()) return std::string(text);
    return syntax_error(text, i, i < want.size() ? std::string("\"") + want[i] + "\"" : "end of input");
}

// A space where a letter was expected: delete it.
std::optional<Edit> drop_space(std::string_view text, ParseError const& e) {
    if (e.offset < text.size() && text[e.offset] == ' ') return Edit{e.offset, 1, ""};
    return std::nullopt;
}
// "c" missing at the end: add it.
std::optional<Edit> add_c(std::string_view text, ParseError const& e) {
    if (e.offset == text.size() && e.expected == "\"c\"") return Edit{e.offset, 0, "c"};
    return std::nullopt;
}

std::array<Repair, 2> const repairs = {{
    {"stray-space", "a space the toy grammar does not allow", &drop_space},
    {"missing-c", "the final c left out", &add_c},
}};

Result<std::string> run(std::string_view in, Mode mode) {
    Options o;
    o.mode = mode;
    return parse_with_repairs<std::string>(in, o, repairs, toy);
}

TEST(Lenient, StrictInputNeedsNoRepair) {
    auto const r = run("abc", Mode::lenient);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.deviations().empty());
}

TEST(Lenient, StrictModeNeverRepairs) {
    auto const r = run("a bc", Mode::strict);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().offset, 1u);
    EXPECT_EQ(r.error().expected, "\"b\"");
}

TEST(Lenient, OffsetsPointIntoTheOriginalInput) {
    // Two spaces removed, then the missing c added: offsets 1 and 3 of "a b " and 4 (the end).
    auto const r = run("a b ", Mode::lenient);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value(), "abc");
    ASSERT_EQ(r.deviations().size(), 3u);
    EXPECT_EQ(r.deviations()[0].id, "stray-space");
    EXPECT_EQ(r.deviations()[0].offset, 1u);
    EXPECT_EQ(r.deviations()[1].id, "stray-space");
    EXPECT_EQ(r.deviations()[1].offset, 3u);
    EXPECT_EQ(r.deviations()[2].id, "missing-c");
    EXPECT_EQ(r.deviations()[2].offset, 4u);
}

TEST(Lenient, UnrepairableInputReportsTheFirstStrictError) {
    auto const r = run(" axc", Mode::lenient);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().offset, 0u);  // the first error, in the original input
    EXPECT_EQ(r.error().expected, "\"a\"");
}

TEST(Lenient, RoundsAreBounded) {
    // More stray spaces than repair rounds: rejected, not looped on.
    auto const r = run("a          bc", Mode::lenient);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().offset, 1u);
}

TEST(DescribeByte, NamesControlAndNonAsciiBytes) {
    std::string_view const in("a\r\n \0\x80", 6);
    EXPECT_EQ(describe_byte(in, 0), "'a'");
    EXPECT_EQ(describe_byte(in, 1), "CR");
    EXPECT_EQ(describe_byte(in, 2), "LF");
    EXPECT_EQ(describe_byte(in, 3), "SP");
    EXPECT_EQ(describe_byte(in, 4), "NUL");
    EXPECT_EQ(describe_byte(in, 5), "0x80");
    EXPECT_EQ(describe_byte(in, 6), "end of input");
}

TEST(NonAscii, FirstNonAsciiOctetIsAnEncodingError) {
    EXPECT_FALSE(non_ascii_error("user@example.org", "Mailbox"));
    auto const e = non_ascii_error("us\xC3\xA9r@example.org", "Mailbox");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, ErrorKind::encoding);
    EXPECT_EQ(e->offset, 2u);
}

}  // namespace
