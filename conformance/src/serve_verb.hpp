// `smtpspec serve`: the reference server on sockets. Each --listen is a TCP
// listener with a profile (relay, submission, submissions); every connection
// runs one server::Core, so every reply is the model's (model::respond), unless
// a --fault switches on a known bug for the suite's mutation test.
//
// Prints "listening PROFILE ADDRESS:PORT" on stdout once per listener when all
// are open, one line per session on stderr when it ends, and stops gracefully
// on SIGINT or SIGTERM (421 to every open session, then exit 0).
//
// Exit status: 0 after a graceful stop or --list-faults, 2 on a usage error or
// a listener that cannot be opened.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace smtpspec::cli {

struct ServeArgs {
    std::vector<std::string> listen;  // [PROFILE@]ADDRESS:PORT
    std::string profile = "relay";    // for --listen values without PROFILE@
    std::string hostname;             // the greeting's and the certificate's name; empty: the policy's default
    std::string tls_cert;             // PEM files; both or neither
    std::string tls_key;
    std::string user;                 // AUTH credentials; both or neither
    std::string password_file;
    std::optional<std::uint64_t> size_limit;  // advertised SIZE; 0: no SIZE
    std::string maildir;
    std::vector<std::string> faults;
    bool list_faults = false;
    unsigned idle_timeout = 300;  // seconds (RFC 5321 §4.5.3.2.7)
};

// Prints the faults: name, the rule it breaks, the profile it shows in and what it is.
void print_faults(std::ostream& out);

// The verb on parsed arguments; runs until SIGINT or SIGTERM.
int run_serve(ServeArgs const& args, std::ostream& out, std::ostream& err);

void add_serve_verb(CLI::App& app, int& exit_code);

}  // namespace smtpspec::cli
