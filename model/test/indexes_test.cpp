// The precomputed paths the model takes for speed give the answers of the
// plain definitions they replace: the (verb, phase) index of the precondition
// table, the end-of-data recogniser's skip over the inside of a line, and the
// EHLO keyword reader.
#include "smtpspec/model/transitions.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "smtpspec/model/model.hpp"

namespace smtpspec::model {
namespace {

constexpr std::size_t phase_count = static_cast<std::size_t>(Phase::closed) + 1;

TEST(PreconditionIndex, EqualsTheRowsOfTheVerbFilteredByPhase) {
    const auto table = precondition_table();
    std::size_t nonempty = 0;
    for (std::size_t v = 0; v < verb_count; ++v) {
        for (std::size_t p = 0; p < phase_count; ++p) {
            std::vector<const PreconditionRow*> expected;
            for (const PreconditionRow* row : preconditions_for(static_cast<Verb>(v)))
                if (contains(row->phases, static_cast<Phase>(p))) expected.push_back(row);
            std::vector<const PreconditionRow*> actual;
            for (std::uint8_t i : preconditions_for(static_cast<Verb>(v), static_cast<Phase>(p)))
                actual.push_back(&table[i]);
            EXPECT_EQ(actual, expected) << to_string(static_cast<Verb>(v)) << " in "
                                        << to_string(static_cast<Phase>(p));
            nonempty += !actual.empty();
        }
    }
    EXPECT_GT(nonempty, verb_count);
}

// The recogniser one octet at a time: the skip over a line's inside never runs
// past more than that octet.
std::size_t end_of_data_octetwise(DataScan& scan, const std::string& bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i)
        if (end_of_data(scan, std::string_view(bytes).substr(i, 1)) != npos) return i + 1;
    return npos;
}

RC_GTEST_PROP(EndOfData, WholeTextAndOctetwiseAgree, ()) {
    // Mostly the octets that matter: CR, LF, ".", and a letter.
    const auto octet = rc::gen::weightedElement<char>({{3, '\r'}, {3, '\n'}, {3, '.'}, {4, 'a'}, {1, ' '}});
    const std::string bytes = *rc::gen::container<std::string>(octet);
    const auto start = *rc::gen::element(DataScan::At::line_start, DataScan::At::middle, DataScan::At::cr,
                                         DataScan::At::loose_start);
    DataScan whole;
    whole.at = start;
    DataScan octetwise = whole;
    RC_ASSERT(end_of_data(whole, bytes) == end_of_data_octetwise(octetwise, bytes));
    RC_ASSERT(whole == octetwise);
}

TEST(EndOfData, LongLinesAreSkippedAndCounted) {
    DataScan scan;
    const std::string text = std::string(1000, 'x') + "\r\n" + std::string(70, 'y') + "\n.\n" + "z\r\n.\r\n";
    EXPECT_EQ(end_of_data(scan, text), text.size());
    EXPECT_TRUE(scan.bare_lf);
    EXPECT_TRUE(scan.lookalike);
    EXPECT_EQ(scan.octets, text.size() - 3);  // ".<CRLF>" is the end marker
}

grammar::ast::Reply ehlo_reply(std::vector<std::string> lines) {
    grammar::ast::Reply r = make_reply(250, "mx.example.org");
    for (std::string& l : lines) r.lines.push_back(grammar::ast::ReplyLine{std::nullopt, std::move(l)});
    return r;
}

TEST(CapabilitiesOf, ReadsEveryKnownKeywordCaseInsensitively) {
    const auto caps = capabilities_of(ehlo_reply({"pipelining", "Size 1000", "8bitmime", "STARTTLS", "smtputf8",
                                                  "Chunking", "binarymime", "EnhancedStatusCodes", "dsn",
                                                  "auth plain  login", "ETRN", "SIZEX 5", "AUTHX Y"}));
    EXPECT_TRUE(caps.pipelining && caps.eight_bit_mime && caps.starttls && caps.smtputf8 && caps.chunking &&
                caps.binary_mime && caps.enhanced_status_codes && caps.dsn && caps.size && caps.auth);
    EXPECT_EQ(caps.size_limit, 1000u);
    EXPECT_EQ(caps.auth_mechanisms, (std::vector<std::string>{"PLAIN", "LOGIN"}));
}

TEST(CapabilitiesOf, IgnoresTheFirstLineAndUnknownWords) {
    grammar::ast::Reply r = make_reply(250, "PIPELINING");
    EXPECT_EQ(capabilities_of(r), grammar::Capabilities{});
    const auto caps = capabilities_of(ehlo_reply({"SIZE", "SIZE 0", "PIPELININGX", " STARTTLS", "SIZE 12x"}));
    EXPECT_TRUE(caps.size);
    EXPECT_FALSE(caps.size_limit.has_value());
    EXPECT_FALSE(caps.pipelining);
    EXPECT_TRUE(caps.starttls);  // words are separated by any number of spaces
}

TEST(CapabilitiesOf, KeepsAtMostFifteenMechanisms) {
    std::string line = "AUTH";
    for (int i = 0; i < 20; ++i) line += " M" + std::to_string(i);
    EXPECT_EQ(capabilities_of(ehlo_reply({line})).auth_mechanisms.size(), 15u);
}

}  // namespace
}  // namespace smtpspec::model
