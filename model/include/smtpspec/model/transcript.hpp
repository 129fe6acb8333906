// The transcript reader: replays a recorded SMTP session through the model.
// Pure: it works on the text it is given and reads no file.
//
// Format (one event per line):
//
//   C: <text>          client bytes: <text> then CRLF. Escapes: \r \n \t \\ \xHH;
//                      a final lone backslash means "no CRLF after this text".
//   S: <text>          server bytes: <text> then CRLF (a reply line)
//   *TLS*              the TLS handshake after 220 to STARTTLS finished
//   *SERVER CLOSED*    the server closed the connection
//   *CLIENT CLOSED*    the client closed the connection
//   # ...              a comment; blank lines are ignored
//
// The reader pairs replies with client input the way the server sees it:
// client bytes are split into inputs (commands, message text, BDAT chunks,
// AUTH lines) in the state the model is in when the server reads them; each
// reply goes to the oldest input that still expects one; inputs that expect
// none (message text before the end of data, commands pipelined after
// STARTTLS) are passed with no reply. A reply with no client input waiting is
// unsolicited, and the model judges it from what came before (the SMTP
// smuggling and STARTTLS injection classes show up this way).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/model/expectation.hpp"
#include "smtpspec/model/judge.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::model {

enum class TranscriptFormat {
    automatic,  // swaks when a line starts with swaks's " -> ", "<-  " or "<** ", else native
    native,     // the format above
    swaks,      // swaks's default transcript output (see swaks_to_transcript)
};

struct ReplayOptions {
    Profile profile = Profile::relay;
    bool tls = false;  // TLS up from the first byte (always true for `submissions`)
    TranscriptFormat format = TranscriptFormat::automatic;
    bool trusted = false;  // the client is independently authorized (ConnectionOpened::trusted)
};

ReplayResult replay(std::string_view text, ReplayOptions options = {});

// swaks's transcript in the native format, line for line (so line numbers
// still point into the original): " -> " and " ~> " are client lines, "<-  ",
// "<** ", "<~  " and "<~* " server lines, "=== TLS started" the handshake,
// "*** Remote host closed connection unexpectedly." the server closing,
// "=== Connection closed with remote host." the client closing; every other
// line becomes a comment.
std::string swaks_to_transcript(std::string_view swaks);
bool looks_like_swaks(std::string_view text);

// The client bytes a `C: ` line stands for (escapes decoded, CRLF appended unless
// the line ends in a lone backslash).
std::string decode_client_line(std::string_view text);
// The text of a `C: ` line for client bytes without their CRLF: CR, LF, HT,
// backslash and the other control octets escaped (\r \n \t \\ \xHH), every
// other octet as it is. decode_client_line(encode_client_text(b)) == b + CRLF.
std::string encode_client_text(std::string_view bytes);

}  // namespace smtpspec::model
