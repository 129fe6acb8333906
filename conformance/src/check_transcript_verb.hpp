// `smtpspec check-transcript [--profile P] [--tls] [--format F] FILE`: replays a
// recorded SMTP session through the model (smtpspec::model::replay) and prints
// each finding with its line number, level, rule id, RFC section and
// explanation, then a summary line.
//
// Exit status: 0 when no MUST is broken, 1 when one is, 2 on a usage error, an
// unreadable file, or a transcript that could not be replayed in full (and no
// MUST broken before that point).
#pragma once

#include <iosfwd>
#include <string>

#include "smtpspec/model/state.hpp"
#include "smtpspec/model/transcript.hpp"

namespace CLI {
class App;
}

namespace smtpspec::cli {

struct CheckTranscriptArgs {
    std::string profile = "relay";  // relay | submission | submissions
    bool tls = false;               // TLS up from the first byte
    bool trusted = false;  // the client is independently authorized (RFC 6409 §4.3)
    std::string format = "auto";    // auto | smtpspec | swaks
    std::string file;               // path, or "-" for stdin
};

// The verb on already-parsed arguments; `in` is read when `file` is "-".
int run_check_transcript(CheckTranscriptArgs const& args, std::istream& in, std::ostream& out, std::ostream& err);

// Registers the `check-transcript` subcommand on `app`; when it is selected,
// its exit code is stored in `exit_code`.
void add_check_transcript_verb(CLI::App& app, int& exit_code);

}  // namespace smtpspec::cli
