// Size limits of RFC 5321 §4.5.3.1, as named constants.
//
// "To the maximum extent possible, implementation techniques that impose no
// limits on the length of these objects should be used" (§4.5.3.1), but every
// conforming implementation must handle objects of at least these sizes, and
// smtpspec enforces them, with a distinct error kind, so that a server's reply
// or a test input over a limit is named as such.
#pragma once

#include <cstddef>

namespace smtpspec::grammar::limits {

// §4.5.3.1.1: "The maximum total length of a user name or other local-part is 64 octets."
inline constexpr std::size_t local_part = 64;
// §4.5.3.1.2: "The maximum total length of a domain name or number is 255 octets."
inline constexpr std::size_t domain = 255;
// §4.5.3.1.3: "The maximum total length of a reverse-path or forward-path is 256 octets
// (including the punctuation and element separators)."
inline constexpr std::size_t path = 256;
// §4.5.3.1.4: "The maximum total length of a command line including the command word
// and the <CRLF> is 512 octets."
inline constexpr std::size_t command_line = 512;
// §4.5.3.1.5: "The maximum total length of a reply line including the reply code and
// the <CRLF> is 512 octets."
inline constexpr std::size_t reply_line = 512;
// §4.5.3.1.6: "The maximum total length of a text line including the <CRLF> is 1000
// octets (not counting the leading dot duplicated for transparency)."
inline constexpr std::size_t text_line = 1000;

// Not an RFC number: a bound on the lines of one multi-line reply, so that a server
// sending endless continuation lines is an error and not unbounded memory.
inline constexpr std::size_t reply_lines = 1000;

}  // namespace smtpspec::grammar::limits
