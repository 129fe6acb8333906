// Server bytes made safe for the terminal and for XML: every byte is either
// shown as it is (when harmless) or as \xHH, never dropped and never raw.
#include "untrusted_text.hpp"

#include <string>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace smtpspec::conformance {
namespace {

TEST(TerminalSafe, ControlBytesAndInvalidUtf8BecomeEscapes) {
    EXPECT_EQ(terminal_safe("250 Ok", false), "250 Ok");
    EXPECT_EQ(terminal_safe("a\x1b[2Jb\x07\x7f", false), "a\\x1b[2Jb\\x07\\x7f");
    EXPECT_EQ(terminal_safe("tab\there", false), "tab\there");
    EXPECT_EQ(terminal_safe("l1\r\nl2\nl3\r", false), "l1\\r\\nl2\\nl3\\r");
    EXPECT_EQ(terminal_safe("l1\r\nl2\nl3\r", true), "l1\nl2\nl3\\r");
    // UTF-8 text stays; a C1 control (U+009B, CSI on some terminals), a lone
    // continuation byte, an overlong form and a surrogate do not.
    EXPECT_EQ(terminal_safe("\xc3\xbc \xe2\x9c\x94", false), "\xc3\xbc \xe2\x9c\x94");
    EXPECT_EQ(terminal_safe("\xc2\x9b" "1m", false), "\\xc2\\x9b1m");
    EXPECT_EQ(terminal_safe("\x80\xc0\xaf\xed\xa0\x80", false), "\\x80\\xc0\\xaf\\xed\\xa0\\x80");
    EXPECT_EQ(terminal_safe("\xe2\x9c", false), "\\xe2\\x9c");
}

TEST(XmlSafe, EntitiesAndBytesXmlForbids) {
    EXPECT_EQ(xml_safe("<a & 'b'> \"c\"", false), "&lt;a &amp; &apos;b&apos;&gt; &quot;c&quot;");
    EXPECT_EQ(xml_safe("a\r\nb\tc", false), "a&#13;\nb\tc");
    EXPECT_EQ(xml_safe("a\r\nb\tc", true), "a&#13;&#10;b&#9;c");
    EXPECT_EQ(xml_safe(std::string("\x00\x01\x1b\x7f", 4), false), "\\x00\\x01\\x1b\x7f");
    // U+FFFE and U+FFFF are not XML characters; U+FFFD and astral ones are.
    EXPECT_EQ(xml_safe("\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd\xf0\x9f\x93\xa7", false),
              "\\xef\\xbf\\xbe\\xef\\xbf\\xbf\xef\xbf\xbd\xf0\x9f\x93\xa7");
    EXPECT_EQ(xml_safe("\xff\xc3(", false), "\\xff\\xc3(");
}

// Any bytes: the terminal text has no control byte but tab and (multiline) LF.
RC_GTEST_PROP(TerminalSafe, NoControlByteSurvives, (const std::string& bytes, bool multiline)) {
    for (char ch : terminal_safe(bytes, multiline)) {
        auto const c = static_cast<unsigned char>(ch);
        RC_ASSERT(!(c < 0x20 && c != '\t' && !(multiline && c == '\n')));
        RC_ASSERT(c != 0x7F);
    }
}

// Any bytes: the XML text holds no '<' or '&' but in an entity, and no C0 control but tab, LF.
RC_GTEST_PROP(XmlSafe, NoMarkupOrForbiddenByteSurvives, (const std::string& bytes, bool attribute)) {
    std::string const out = xml_safe(bytes, attribute);
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto const c = static_cast<unsigned char>(out[i]);
        RC_ASSERT(c != '<');
        RC_ASSERT(c != '"');
        if (c == '&') RC_ASSERT(out.find(';', i) != std::string::npos);
        RC_ASSERT(!(c < 0x20 && c != '\t' && c != '\n'));
        if (attribute) RC_ASSERT(c >= 0x20);
    }
}

}  // namespace
}  // namespace smtpspec::conformance
