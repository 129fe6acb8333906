// `smtpspec check-transcript`: the built program, run as a user runs it on the
// example transcripts of docs/examples/, checked for its findings, summary and
// exit status; and the verb's function on in-memory input.
#include "check_transcript_verb.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace {

using smtpspec::test::lines;
using smtpspec::test::Outcome;
using smtpspec::test::slurp;
using smtpspec::test::smtpspec;

namespace fs = std::filesystem;

// docs/examples/<name> of this source tree.
std::string example(std::string const& name) {
    return (fs::path(__FILE__).parent_path().parent_path().parent_path() / "docs" / "examples" / name).string();
}

// The 1-based number of the first line of `file` that starts with `prefix`.
std::size_t line_of(std::string const& file, std::string const& prefix) {
    std::vector<std::string> const all = lines(slurp(file));
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].rfind(prefix, 0) == 0) return i + 1;
    return 0;
}

bool has_line(std::string const& out, std::string const& starts, std::string const& contains) {
    for (std::string const& l : lines(out))
        if (l.rfind(starts, 0) == 0 && l.find(contains) != std::string::npos) return true;
    return false;
}

TEST(CheckTranscriptCli, CommandPipelinedAfterStarttlsBreaksRfc3207) {
    std::string const file = example("starttls-injection.txt");
    Outcome const o = smtpspec({"check-transcript", file});
    EXPECT_EQ(o.status, 1) << o.out << o.err;
    // The reply to the discarded MAIL shows after the handshake.
    std::size_t const line = line_of(file, "*TLS*") + 1;
    ASSERT_GT(line, 1u);
    EXPECT_TRUE(has_line(o.out, file + ":" + std::to_string(line) + ": MUST rfc3207/4.2/discard-pipelined",
                         "(RFC 3207 §4.2)"))
        << o.out;
    EXPECT_NE(o.out.find("a MUST is broken"), std::string::npos) << o.out;
}

TEST(CheckTranscriptCli, DataEndedAtLfDotLfBreaksRfc5321EndOfData) {
    std::string const file = example("lf-dot-lf-smuggling.txt");
    Outcome const o = smtpspec({"check-transcript", file});
    EXPECT_EQ(o.status, 1) << o.out << o.err;
    // "250 Ok: queued as 4711" answers the end of data; the reply after it
    // answers the forged MAIL that followed <LF>.<LF>: the first one due to none.
    std::size_t const line = line_of(file, "S: 250 Ok: queued as 4711") + 1;
    ASSERT_GT(line, 1u);
    EXPECT_TRUE(has_line(o.out, file + ":" + std::to_string(line) + ": MUST rfc5321/4.1.1.4/end-of-data",
                         "(RFC 5321 §4.1.1.4)"))
        << o.out;
}

TEST(CheckTranscriptCli, CleanPostfixLikeSessionHasNoFinding) {
    std::string const file = example("postfix-clean.txt");
    Outcome const o = smtpspec({"check-transcript", "--profile", "relay", file});
    EXPECT_EQ(o.status, 0) << o.out << o.err;
    std::vector<std::string> const out = lines(o.out);
    ASSERT_EQ(out.size(), 1u) << o.out;
    EXPECT_EQ(out[0], file + ": 0 findings (0 MUST, 0 SHOULD, 0 INFO); no MUST broken");
    EXPECT_TRUE(o.err.empty()) << o.err;
}

TEST(CheckTranscriptCli, SwaksOutputIsReadWithItsOwnLineNumbers) {
    std::string const file = example("swaks-session.txt");
    std::size_t const line = line_of(file, "<-  221 Bye");
    ASSERT_GT(line, 0u);
    for (std::string const format : {"auto", "swaks"}) {
        Outcome const o = smtpspec({"check-transcript", "--format", format, file});
        EXPECT_EQ(o.status, 1) << format << "\n" << o.out << o.err;
        // ENHANCEDSTATUSCODES was advertised, and 221 came without one (RFC 2034 §4).
        EXPECT_TRUE(has_line(o.out, file + ":" + std::to_string(line) + ": MUST ", "(RFC 2034 §4)"))
            << format << "\n" << o.out;
        EXPECT_NE(o.out.find("1 finding (1 MUST, 0 SHOULD, 0 INFO)"), std::string::npos) << o.out;
    }
    // Read as smtpspec's format, every swaks line is a transcript error.
    Outcome const native = smtpspec({"check-transcript", "--format", "smtpspec", file});
    EXPECT_EQ(native.status, 2) << native.out << native.err;
}

TEST(CheckTranscriptCli, ReadsStdin) {
    Outcome const o = smtpspec({"check-transcript", "-"}, slurp(example("starttls-injection.txt")));
    EXPECT_EQ(o.status, 1) << o.out << o.err;
    EXPECT_NE(o.out.find("<stdin>:"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("rfc3207/4.2/discard-pipelined"), std::string::npos) << o.out;
}

TEST(CheckTranscriptCli, UsageErrorsExitTwoNamingTheFix) {
    Outcome const profile = smtpspec({"check-transcript", "--profile", "smtp", example("postfix-clean.txt")});
    EXPECT_EQ(profile.status, 2);
    EXPECT_EQ(lines(profile.err).size(), 1u) << profile.err;
    EXPECT_NE(profile.err.find("--profile relay, submission or submissions"), std::string::npos) << profile.err;

    Outcome const format = smtpspec({"check-transcript", "--format", "pcap", example("postfix-clean.txt")});
    EXPECT_EQ(format.status, 2);
    EXPECT_NE(format.err.find("--format auto, smtpspec or swaks"), std::string::npos) << format.err;

    Outcome const missing = smtpspec({"check-transcript", "/nonexistent/transcript.txt"});
    EXPECT_EQ(missing.status, 2);
    EXPECT_EQ(lines(missing.err).size(), 1u) << missing.err;
    EXPECT_NE(missing.err.find("cannot read '/nonexistent/transcript.txt'"), std::string::npos) << missing.err;

    Outcome const no_file = smtpspec({"check-transcript"});
    EXPECT_EQ(no_file.status, 2) << no_file.err;

    Outcome const directory = smtpspec({"check-transcript", "/"});
    EXPECT_EQ(directory.status, 2) << directory.out;
    EXPECT_NE(directory.err.find("cannot read '/'"), std::string::npos) << directory.err;
}

// The verb's function, without the program around it.
TEST(CheckTranscriptVerb, ProfileDecidesWhatIsRequired) {
    // On submission, MAIL accepted before AUTH breaks RFC 6409 §4.3 -- unless the
    // operator declares the client independently authorized (--trusted-client):
    // then it is only noted. On relay it is normal.
    std::string const transcript =
        "S: 220 mx.example.org ESMTP\n"
        "C: EHLO client.example.org\n"
        "S: 250 mx.example.org\n"
        "C: MAIL FROM:<a@example.org>\n"
        "S: 250 Ok\n";
    struct Case {
        std::string profile;
        bool trusted;
        int status;
    };
    for (Case const& c : {Case{"relay", false, 0}, Case{"submission", false, 1}, Case{"submission", true, 0}}) {
        smtpspec::cli::CheckTranscriptArgs args;
        args.profile = c.profile;
        args.trusted = c.trusted;
        args.file = "-";
        std::istringstream in(transcript);
        std::ostringstream out, err;
        int const status = smtpspec::cli::run_check_transcript(args, in, out, err);
        EXPECT_EQ(status, c.status) << out.str() << err.str();
        if (c.profile == "relay") {
            EXPECT_EQ(out.str(), "<stdin>: 0 findings (0 MUST, 0 SHOULD, 0 INFO); no MUST broken\n");
        } else if (!c.trusted) {
            EXPECT_TRUE(has_line(out.str(), "<stdin>:5: MUST rfc6409/4.3/require-auth", "(RFC 6409 §4.3)")) << out.str();
            EXPECT_NE(out.str().find("--trusted-client"), std::string::npos) << out.str();
        } else {
            EXPECT_TRUE(has_line(out.str(), "<stdin>:5: INFO rfc6409/", "(RFC 6409 §")) << out.str();
            EXPECT_NE(out.str().find("1 finding (0 MUST, 0 SHOULD, 1 INFO); no MUST broken"), std::string::npos);
        }
    }
}

}  // namespace
