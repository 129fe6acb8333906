// `smtpspec serve` run as a user runs it: the built program on loopback ports
// chosen by the system, driven by conformance::Session over plaintext,
// STARTTLS and implicit TLS, every session's transcript judged by the model.
// The child process is killed and reaped on every path, and every wait has a
// deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "cli_runner.hpp"
#include "smtpspec/conformance/session.hpp"
#include "smtpspec/conformance/target.hpp"
#include "smtpspec/model/rules.hpp"
#include "smtpspec/model/transcript.hpp"

namespace smtpspec::conformance {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr Duration reply_timeout{5000};

std::string temp_dir() {
    char tmpl[] = "/tmp/smtpspec-serve-XXXXXX";
    char const* dir = ::mkdtemp(tmpl);
    return dir ? dir : "";
}

// The server as a child process: stdout on a pipe (the "listening" lines),
// stderr in a file (one line per session).
class ServeProcess {
public:
    explicit ServeProcess(std::vector<std::string> args) : dir_(temp_dir()) {
        int out[2];
        if (dir_.empty() || ::pipe2(out, O_CLOEXEC) != 0) return;
        std::vector<std::string> all{SMTPSPEC_BINARY, "serve"};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::string const err_path = dir_ + "/stderr";
        pid_ = ::fork();
        if (pid_ == 0) {
            int const in = ::open("/dev/null", O_RDONLY);
            int const err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (in < 0 || err < 0) ::_exit(127);
            ::dup2(in, 0);
            ::dup2(out[1], 1);
            ::dup2(err, 2);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        out_ = out[0];
        ::fcntl(out_, F_SETFL, O_NONBLOCK);
    }

    ~ServeProcess() {
        if (pid_ > 0 && !status_) {
            ::kill(pid_, SIGKILL);
            int ws = 0;
            ::waitpid(pid_, &ws, 0);
        }
        if (out_ >= 0) ::close(out_);
        std::error_code ignored;
        if (!dir_.empty()) fs::remove_all(dir_, ignored);
    }
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    // Waits for `count` "listening PROFILE ADDRESS:PORT" lines; false on the deadline or an exit.
    bool wait_listening(std::size_t count, Duration deadline = Duration{10000}) {
        auto const until = Clock::now() + deadline;
        while (ports_.size() < count) {
            auto const left = std::chrono::duration_cast<Duration>(until - Clock::now()).count();
            if (left <= 0 || !read_stdout(static_cast<int>(left))) return false;
        }
        return true;
    }

    // The port of the first listener with this profile.
    std::uint16_t port(std::string const& profile) const {
        auto it = ports_.find(profile);
        return it == ports_.end() ? 0 : it->second;
    }

    void signal(int sig) const {
        if (pid_ > 0 && !status_) ::kill(pid_, sig);
    }

    // The exit status, or nullopt if it did not exit (normally) before the deadline.
    std::optional<int> wait_exit(Duration deadline = Duration{10000}) {
        auto const until = Clock::now() + deadline;
        while (!status_ && pid_ > 0) {
            int ws = 0;
            pid_t const r = ::waitpid(pid_, &ws, WNOHANG);
            if (r == pid_) {
                status_ = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
                break;
            }
            if (Clock::now() >= until) return std::nullopt;
            std::this_thread::sleep_for(10ms);
        }
        return status_;
    }

    pid_t pid() const { return pid_; }
    std::string stderr_text() const { return test::slurp(dir_ + "/stderr"); }
    std::string const& stdout_text() const { return stdout_; }

private:
    bool read_stdout(int timeout_ms) {
        pollfd p{out_, POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) != 1) return false;
        char buf[1024];
        ssize_t const n = ::read(out_, buf, sizeof buf);
        if (n <= 0) return false;
        stdout_.append(buf, static_cast<std::size_t>(n));
        ports_.clear();
        for (std::string const& line : test::lines(stdout_)) {
            // "listening relay 127.0.0.1:2525"
            if (line.rfind("listening ", 0) != 0) continue;
            auto const space = line.find(' ', 10);
            auto const colon = line.rfind(':');
            if (space == std::string::npos || colon == std::string::npos || colon < space) continue;
            std::string const profile = line.substr(10, space - 10);
            if (!ports_.count(profile))
                ports_[profile] = static_cast<std::uint16_t>(std::atoi(line.c_str() + colon + 1));
        }
        return true;
    }

    std::string dir_;
    pid_t pid_ = -1;
    int out_ = -1;
    std::string stdout_;
    std::map<std::string, std::uint16_t> ports_;
    std::optional<int> status_;
};

std::vector<std::string> three_listeners() {
    return {"--listen", "relay@127.0.0.1:0", "--listen", "submission@127.0.0.1:0", "--listen",
            "submissions@127.0.0.1:0"};
}

std::string base64(std::string const& in) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned const v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        for (int s : {18, 12, 6, 0}) out += alphabet[(v >> s) & 63];
    }
    if (i + 1 == in.size()) {
        unsigned const v = static_cast<unsigned char>(in[i]) << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        unsigned const v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::unique_ptr<Session> open_session(std::string const& scheme, std::uint16_t port) {
    auto target = parse_target(scheme + "://127.0.0.1:" + std::to_string(port));
    if (!std::holds_alternative<Target>(target)) return nullptr;
    SessionOptions o;
    o.timeout = reply_timeout;
    o.implicit_tls = scheme == "tls";
    IoResult io;
    auto s = Session::open(std::get<Target>(target), {}, o, io);
    EXPECT_TRUE(s) << io.message;
    return s;
}

// Sends `line` and returns the code of the reply (0 when none came).
unsigned command(Session& s, std::string const& line) {
    EXPECT_TRUE(s.send(line).ok()) << line;
    ReplyOutcome r = s.read_reply();
    EXPECT_EQ(r.kind, ReplyOutcome::Kind::reply) << line << ": " << r.message;
    return r.code();
}

// The model's verdict on a session's transcript: every finding, one per line.
std::string findings(std::string const& transcript, model::Profile profile) {
    model::ReplayOptions o;
    o.profile = profile;
    o.tls = profile == model::Profile::submissions;
    model::ReplayResult const r = model::replay(transcript, o);
    std::string out;
    for (auto const& f : r.findings)
        out += std::to_string(f.line) + ": " + std::string(model::rule(f.finding.rule).name) + " " +
               f.finding.explanation + "\n";
    for (auto const& e : r.errors) out += std::to_string(e.line) + ": cannot replay: " + e.message + "\n";
    return out;
}

std::string findings(Session const& s, model::Profile profile) { return findings(s.transcript().text(), profile); }

std::string const message = "Subject: serve test\r\n\r\n..a line that starts with a dot\r\nlast line\r\n.\r\n";
std::string const message_content = "Subject: serve test\r\n\r\n.a line that starts with a dot\r\nlast line\r\n";

void mail_transaction(Session& s) {
    EXPECT_EQ(command(s, "MAIL FROM:<alice@example.org>\r\n"), 250u);
    EXPECT_EQ(command(s, "RCPT TO:<bob@example.org>\r\n"), 250u);
    EXPECT_EQ(command(s, "RCPT TO:<carol@example.net>\r\n"), 250u);
    EXPECT_EQ(command(s, "DATA\r\n"), 354u);
    EXPECT_EQ(command(s, message), 250u);
}

void quit(Session& s) {
    EXPECT_EQ(command(s, "QUIT\r\n"), 221u);
    ReplyOutcome const end = s.read_reply(Duration{3000});
    EXPECT_EQ(end.kind, ReplyOutcome::Kind::closed) << end.message;
}

bool ehlo_offers(Session& s, std::string const& keyword) {
    EXPECT_TRUE(s.send("EHLO client.example.org\r\n").ok());
    ReplyOutcome r = s.read_reply();
    EXPECT_EQ(r.code(), 250u) << r.message;
    return r.raw.find(keyword) != std::string::npos;
}

class Serve : public ::testing::Test {
protected:
    void SetUp() override {
        std::string const dir = temp_dir();
        password_file_ = dir + "/password";
        std::ofstream(password_file_) << "correct horse\n";
        dirs_.push_back(dir);
    }
    void TearDown() override {
        std::error_code ignored;
        for (auto const& d : dirs_) fs::remove_all(d, ignored);
    }
    std::vector<std::string> args(std::vector<std::string> more = {}) {
        std::vector<std::string> a = three_listeners();
        a.insert(a.end(), {"--user", "alice", "--password-file", password_file_});
        a.insert(a.end(), more.begin(), more.end());
        return a;
    }
    std::string password_file_;
    std::vector<std::string> dirs_;
};

TEST_F(Serve, RelayWithStartTlsIsConforming) {
    ServeProcess server(args());
    ASSERT_TRUE(server.wait_listening(3)) << server.stderr_text();
    auto s = open_session("tcp", server.port("relay"));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().code(), 220u);
    EXPECT_TRUE(ehlo_offers(*s, "STARTTLS"));
    EXPECT_EQ(command(*s, "STARTTLS\r\n"), 220u);
    ASSERT_TRUE(s->start_tls(TlsOptions{}).ok());
    ASSERT_TRUE(s->tls_facts());
    EXPECT_EQ(s->tls_facts()->certificate->subject, "CN=mx.example.org");
    EXPECT_FALSE(ehlo_offers(*s, "STARTTLS"));  // RFC 3207 §4.2: not offered again
    mail_transaction(*s);
    quit(*s);
    EXPECT_EQ(findings(*s, model::Profile::relay), "") << s->transcript().text();
}

TEST_F(Serve, SubmissionAuthPlainAfterStartTlsIsConforming) {
    ServeProcess server(args());
    ASSERT_TRUE(server.wait_listening(3)) << server.stderr_text();
    auto s = open_session("tcp", server.port("submission"));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().code(), 220u);
    EXPECT_TRUE(ehlo_offers(*s, "STARTTLS"));
    EXPECT_EQ(command(*s, "MAIL FROM:<alice@example.org>\r\n"), 530u);  // RFC 6409 §4.1 via the model
    EXPECT_EQ(command(*s, "STARTTLS\r\n"), 220u);
    ASSERT_TRUE(s->start_tls(TlsOptions{}).ok());
    EXPECT_TRUE(ehlo_offers(*s, "AUTH"));
    EXPECT_EQ(command(*s, "AUTH PLAIN " + base64(std::string("\0alice\0wrong", 12)) + "\r\n"), 535u);
    EXPECT_EQ(command(*s, "AUTH PLAIN " + base64(std::string("\0alice\0correct horse", 20)) + "\r\n"), 235u);
    mail_transaction(*s);
    quit(*s);
    EXPECT_EQ(findings(*s, model::Profile::submission), "") << s->transcript().text();
}

TEST_F(Serve, SubmissionsIsTlsFromTheFirstByte) {
    ServeProcess server(args());
    ASSERT_TRUE(server.wait_listening(3)) << server.stderr_text();
    auto s = open_session("tls", server.port("submissions"));
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->tls_facts());
    EXPECT_EQ(s->read_reply().code(), 220u);
    EXPECT_FALSE(ehlo_offers(*s, "STARTTLS"));  // RFC 8314 §3.3: no STARTTLS on implicit TLS
    EXPECT_EQ(command(*s, "AUTH PLAIN " + base64(std::string("\0alice\0correct horse", 20)) + "\r\n"), 235u);
    mail_transaction(*s);
    quit(*s);
    EXPECT_EQ(findings(*s, model::Profile::submissions), "") << s->transcript().text();

    // A plaintext client on the implicit-TLS port gets no SMTP greeting in cleartext.
    auto plain = open_session("tcp", server.port("submissions"));
    ASSERT_TRUE(plain);
    EXPECT_TRUE(plain->send("EHLO client.example.org\r\n").ok());
    ReplyOutcome const r = plain->read_reply(Duration{3000});
    EXPECT_NE(r.kind, ReplyOutcome::Kind::reply);
}

TEST_F(Serve, ManyConcurrentSessions) {
    ServeProcess server(args());
    ASSERT_TRUE(server.wait_listening(3)) << server.stderr_text();
    std::vector<std::unique_ptr<Session>> sessions;
    for (int i = 0; i < 100; ++i) {
        sessions.push_back(open_session("tcp", server.port("relay")));
        ASSERT_TRUE(sessions.back());
    }
    for (auto& s : sessions) EXPECT_EQ(s->read_reply().code(), 220u);
    for (auto& s : sessions) quit(*s);
    for (auto& s : sessions) EXPECT_EQ(findings(*s, model::Profile::relay), "");
}

TEST_F(Serve, SigtermGives421ToOpenSessionsAndExitsZero) {
    ServeProcess server(args());
    ASSERT_TRUE(server.wait_listening(3)) << server.stderr_text();
    auto s = open_session("tcp", server.port("relay"));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().code(), 220u);
    EXPECT_TRUE(ehlo_offers(*s, "PIPELINING"));
    EXPECT_EQ(command(*s, "MAIL FROM:<alice@example.org>\r\n"), 250u);
    server.signal(SIGTERM);
    ReplyOutcome const r = s->read_reply();
    EXPECT_EQ(r.code(), 421u) << r.message;
    EXPECT_EQ(s->read_reply(Duration{3000}).kind, ReplyOutcome::Kind::closed);
    EXPECT_EQ(server.wait_exit(), 0) << server.stderr_text();
    EXPECT_NE(server.stderr_text().find("server stopping (421)"), std::string::npos) << server.stderr_text();
    // The 421 comes asynchronously, with no command to answer (RFC 5321 §3.8 allows it);
    // the session up to it must conform.
    std::string const text = s->transcript().text();
    auto const shutdown = text.find("S: 421 ");
    ASSERT_NE(shutdown, std::string::npos) << text;
    EXPECT_EQ(findings(text.substr(0, shutdown), model::Profile::relay), "") << text;
}

TEST_F(Serve, IdleTimeoutGives421) {
    ServeProcess server(args({"--idle-timeout", "1"}));
    ASSERT_TRUE(server.wait_listening(3)) << server.stderr_text();
    auto s = open_session("tcp", server.port("relay"));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().code(), 220u);
    auto const before = Clock::now();
    ReplyOutcome const r = s->read_reply(Duration{5000});
    EXPECT_EQ(r.code(), 421u) << r.message;
    EXPECT_GE(Clock::now() - before, 900ms);
    EXPECT_EQ(s->read_reply(Duration{3000}).kind, ReplyOutcome::Kind::closed);
    server.signal(SIGTERM);
    EXPECT_EQ(server.wait_exit(), 0);
    EXPECT_NE(server.stderr_text().find("idle timeout (421)"), std::string::npos) << server.stderr_text();
}

TEST_F(Serve, MaildirStoresTheEnvelopeAndTheContent) {
    std::string const maildir = temp_dir();
    dirs_.push_back(maildir);
    ServeProcess server(args({"--maildir", maildir}));
    ASSERT_TRUE(server.wait_listening(3)) << server.stderr_text();
    auto s = open_session("tcp", server.port("relay"));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->read_reply().code(), 220u);
    EXPECT_TRUE(ehlo_offers(*s, "SIZE"));
    mail_transaction(*s);
    quit(*s);
    server.signal(SIGTERM);
    EXPECT_EQ(server.wait_exit(), 0);

    std::vector<fs::path> files;
    for (auto const& e : fs::directory_iterator(fs::path(maildir) / "new")) files.push_back(e.path());
    ASSERT_EQ(files.size(), 1u);
    EXPECT_TRUE(fs::is_empty(fs::path(maildir) / "tmp"));
    EXPECT_TRUE(fs::is_directory(fs::path(maildir) / "cur"));
    EXPECT_EQ(test::slurp(files[0].string()),
              "X-Smtpspec-Mail-From: <alice@example.org>\r\n"
              "X-Smtpspec-Rcpt-To: <bob@example.org>\r\n"
              "X-Smtpspec-Rcpt-To: <carol@example.net>\r\n" +
                  message_content);
    // Maildir's unique name: SECONDS.PID_COUNTER.HOST
    std::smatch m;
    std::string const name = files[0].filename().string();
    ASSERT_TRUE(std::regex_match(name, m, std::regex(R"(\d+\.(\d+)_1\.[^/:]+)"))) << name;
    EXPECT_EQ(m[1].str(), std::to_string(server.pid()));
}

TEST(ServeCli, ListFaultsNamesEachRuleBroken) {
    test::Outcome const o = test::smtpspec({"serve", "--list-faults"});
    EXPECT_EQ(o.status, 0) << o.err;
    std::vector<std::string> const ls = test::lines(o.out);
    EXPECT_GE(ls.size(), 20u);
    for (std::string const& line : ls) {
        auto const rule = line.find(" rfc");
        ASSERT_NE(rule, std::string::npos) << line;
        std::string const id = line.substr(rule + 1, line.find(' ', rule + 1) - rule - 1);
        EXPECT_NE(model::find_rule(id), nullptr) << line;
    }
}

TEST(ServeCli, UnknownFaultNamesTheKnownOnes) {
    ServeProcess server({"--listen", "127.0.0.1:0", "--fault", "no-such-fault"});
    EXPECT_EQ(server.wait_exit(), 2);
    EXPECT_NE(server.stderr_text().find("starttls-injection"), std::string::npos) << server.stderr_text();
}

TEST(ServeCli, BadListenExitsTwo) {
    for (std::string const bad : {"127.0.0.1", "relay@127.0.0.1:99999", "mx@127.0.0.1:25", "::1:25", "host:25"}) {
        ServeProcess server({"--listen", bad});
        EXPECT_EQ(server.wait_exit(), 2) << bad;
        EXPECT_NE(server.stderr_text().find(bad), std::string::npos) << server.stderr_text();
        EXPECT_EQ(server.stdout_text(), "");
    }
}

TEST(ServeCli, BusyPortExitsTwoNamingTheAddress) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor busy(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    std::string const address = "127.0.0.1:" + std::to_string(busy.local_endpoint().port());
    ServeProcess server({"--listen", "relay@127.0.0.1:0", "--listen", address});
    EXPECT_EQ(server.wait_exit(), 2);
    std::string const err = server.stderr_text();
    EXPECT_NE(err.find(address), std::string::npos) << err;
    EXPECT_NE(err.find("already in use"), std::string::npos) << err;
}

TEST(ServeCli, MissingPasswordFileIsAUsageError) {
    ServeProcess server({"--listen", "127.0.0.1:0", "--user", "alice", "--password-file", "/nonexistent/pw"});
    EXPECT_EQ(server.wait_exit(), 2);
    EXPECT_NE(server.stderr_text().find("/nonexistent/pw"), std::string::npos) << server.stderr_text();
}

}  // namespace
}  // namespace smtpspec::conformance
