// The exec: adapter against small scripted children.
#include "asio_connection.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "smtpspec/conformance/check.hpp"
#include "smtpspec/conformance/runner.hpp"
#include "smtpspec/conformance/session.hpp"

namespace smtpspec::conformance {
namespace {

using Kind = ReplyOutcome::Kind;

// True once `pid` no longer runs (gone, or a zombie nobody has reaped yet).
bool dead(pid_t pid) {
    for (int i = 0; i < 200; ++i) {
        if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        std::getline(stat, line);
        std::size_t paren = line.rfind(')');
        if (paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z') return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

std::unique_ptr<Session> open(const std::string& command, Duration timeout = Duration{300}) {
    auto t = parse_target("exec:" + command);
    SessionOptions o;
    o.timeout = timeout;
    IoResult io;
    auto s = Session::open(std::get<Target>(t), {}, o, io);
    EXPECT_TRUE(s) << io.message;
    return s;
}

TEST(Exec, ScriptedChildSpeaksSmtp) {
    auto s = open("printf '220 child ESMTP\\r\\n'; read l; "
                  "case \"$l\" in EHLO*) printf '250-child\\r\\n250 8BITMIME\\r\\n';; esac; "
                  "read l; printf '221 bye\\r\\n'",
                  Duration{2000});
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().code(), 220u);
    s->send("EHLO c.test\r\n");
    ReplyOutcome ehlo = s->read_reply();
    EXPECT_EQ(ehlo.code(), 250u);
    EXPECT_EQ(ehlo.reply->lines.size(), 2u);
    s->send("QUIT\r\n");
    EXPECT_EQ(s->read_reply().code(), 221u);
    ReplyOutcome end = s->read_reply();
    EXPECT_EQ(end.kind, Kind::closed);
    EXPECT_EQ(end.closed_how, ReplyOutcome::Close::eof);
    EXPECT_NE(end.io.message.find("exited with status 0"), std::string::npos) << end.io.message;
}

TEST(Exec, SilentChildIsKilledOnClose) {
    // The shell starts a grandchild: the whole process group goes.
    auto s = open(R"(sleep 30 & printf '220 %s\r\n' $!; wait)");
    ASSERT_TRUE(s);
    auto* exec = dynamic_cast<ExecConnection*>(&s->connection());
    ASSERT_NE(exec, nullptr);
    pid_t shell = exec->pid();
    ReplyOutcome greeting = s->read_reply();
    ASSERT_EQ(greeting.code(), 220u) << greeting.message;
    pid_t sleeper = static_cast<pid_t>(std::stol(greeting.reply->lines[0].text));
    EXPECT_EQ(s->read_reply().kind, Kind::timeout);  // the deadline passes in silence
    s->close();
    EXPECT_TRUE(dead(shell));
    EXPECT_TRUE(dead(sleeper));
    EXPECT_NE(::kill(shell, 0), 0);  // reaped, not a zombie of ours
}

TEST(Exec, ChildThatIgnoresItsStdinIsKilled) {
    auto s = open("trap '' TERM; printf '220 x\\r\\n'; exec sleep 30");
    ASSERT_TRUE(s);
    pid_t pid = dynamic_cast<ExecConnection&>(s->connection()).pid();
    EXPECT_EQ(s->read_reply().code(), 220u);
    auto start = std::chrono::steady_clock::now();
    s->close();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));  // never the child's 30 s
    EXPECT_TRUE(dead(pid));
}

TEST(Exec, CommandNotFoundNamesTheProblem) {
    auto s = open("/nonexistent/smtpd -bs");
    ASSERT_TRUE(s);
    ReplyOutcome r = s->read_reply();
    EXPECT_EQ(r.kind, Kind::closed);
    EXPECT_NE(r.io.message.find("status 127"), std::string::npos) << r.io.message;
    EXPECT_NE(r.io.message.find("/nonexistent/smtpd"), std::string::npos) << r.io.message;
}

TEST(Exec, WriteToAChildThatLeftFails) {
    auto s = open("printf '421 bye\\r\\n'; exec 0<&-; exit 0");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().code(), 421u);
    EXPECT_EQ(s->read_reply().kind, Kind::closed);
    IoResult w = s->send(std::string(256 * 1024, 'x'));  // more than a pipe holds: EPIPE, not SIGPIPE
    EXPECT_FALSE(w.ok());
}

TEST(Exec, EndlessOutputIsBounded) {
    auto s = open("printf '220 '; yes | tr -d '\\n'");
    ASSERT_TRUE(s);
    ReplyOutcome r = s->read_reply();
    ASSERT_EQ(r.kind, Kind::malformed) << r.message;
    EXPECT_EQ(r.error->kind, grammar::ErrorKind::limit);
    EXPECT_LE(s->buffered(), 512u);
    s->close();
}

// A pipe cannot carry TLS: a check that needs the handshake is skipped with
// the reason and the fix, not reported as an error of the server.
TEST(Exec, ChecksThatNeedTlsSkipOnAPipe) {
    auto t = parse_target("exec:printf '220 child ESMTP\\r\\n'; while read l; do case \"$l\" in "
                          "EHLO*) printf '250-child\\r\\n250 STARTTLS\\r\\n';; "
                          "STARTTLS*) printf '220 go ahead\\r\\n';; "
                          "QUIT*) printf '221 bye\\r\\n'; exit 0;; "
                          "*) printf '250 ok\\r\\n';; esac; done");
    ASSERT_TRUE(std::holds_alternative<Target>(t));
    RunOptions options;
    options.timeout = Duration{2000};
    const Check* check = find_check("rfc3207/4.2/no-starttls-after-tls");
    ASSERT_NE(check, nullptr);
    CheckResult r = run_check(*check, endpoint_for(std::get<Target>(t)), options);
    EXPECT_EQ(r.verdict, Verdict::skip) << r.reason << "\n" << r.transcript;
    EXPECT_NE(r.reason.find("tcp:// or tls://"), std::string::npos) << r.reason;
}

}  // namespace
}  // namespace smtpspec::conformance
