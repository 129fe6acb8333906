// Server bytes made safe for the outputs that show them. A server under test
// can send anything: escape sequences that move a terminal's cursor, bytes
// that are not UTF-8, bytes XML 1.0 forbids. What cannot be shown as it is
// becomes "\xHH" text, so the reader still sees which byte it was.
#pragma once

#include <string>
#include <string_view>

namespace smtpspec::conformance {

// For a terminal: printable ASCII, tab and valid UTF-8 from U+00A0 up as they
// are; every other byte (C0 and C1 controls, DEL, ESC, invalid UTF-8) as \xHH.
// With `multiline`, LF and CR LF end a line; otherwise CR and LF are \r and \n.
std::string terminal_safe(std::string_view bytes, bool multiline);

// For XML 1.0 character data or an attribute value: the characters of
// production [2] Char (XML 1.0 §2.2) as they are, with & < > " ' as entities
// (and, in an attribute, tab CR LF as character references so they survive
// attribute-value normalization); every other byte as \xHH. CR is written as
// &#13; in text too, since a parser turns a literal CR LF into LF.
std::string xml_safe(std::string_view bytes, bool attribute);

}  // namespace smtpspec::conformance
