// The --slow timeout check, over scripted in-memory servers (no real waiting).
#include "smtpspec/conformance/runner.hpp"

#include <gtest/gtest.h>

#include "smtpspec/conformance/memory_connection.hpp"

namespace smtpspec::conformance {
namespace {

// A server that greets, answers EHLO and NOOP/QUIT, and after EHLO optionally closes.
Endpoint scripted(bool close_after_ehlo) {
    Endpoint e;
    e.name = "memory";
    e.connect = [close_after_ehlo](const ConnectOptions&) {
        auto peer = std::make_shared<MemoryPeer>();
        peer->to_client = "220 mx.example.org ESMTP\r\n";
        peer->on_write = [close_after_ehlo](std::string_view written, MemoryPeer& p) {
            if (written.starts_with("EHLO")) {
                p.to_client += "250 mx.example.org\r\n";
                if (close_after_ehlo) {
                    p.to_client += "421 4.4.2 Idle timeout\r\n";
                    p.close_after_data = IoStatus::eof;
                }
            } else if (written.starts_with("NOOP")) {
                p.to_client += "250 Ok\r\n";
            } else if (written.starts_with("QUIT")) {
                p.to_client += "221 Bye\r\n";
                p.close_after_data = IoStatus::eof;
            }
        };
        Connected c;
        c.connection = std::make_unique<MemoryConnection>(peer);
        return c;
    };
    return e;
}

const Check& timeout_check() {
    const Check* c = find_check("rfc5321/4.5.3.2.7/server-timeout");
    EXPECT_NE(c, nullptr);
    return *c;
}

TEST(ServerTimeout, SkippedWithoutSlow) {
    RunOptions o;
    CheckResult r = run_check(timeout_check(), scripted(false), o);
    EXPECT_EQ(r.verdict, Verdict::skip);
    EXPECT_NE(r.reason.find("--slow"), std::string::npos) << r.reason;
}

TEST(ServerTimeout, PassesWhenTheServerWaits) {
    RunOptions o;
    o.slow = true;
    CheckResult r = run_check(timeout_check(), scripted(false), o);
    EXPECT_EQ(r.verdict, Verdict::pass) << r.reason << "\n" << r.transcript;
}

TEST(ServerTimeout, WarnsWhenTheServerGivesUpEarly) {
    RunOptions o;
    o.slow = true;
    CheckResult r = run_check(timeout_check(), scripted(true), o);
    EXPECT_EQ(r.verdict, Verdict::warn) << r.reason << "\n" << r.transcript;
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings.front().rule, "rfc5321/4.5.3.2.7/server-timeout");
    EXPECT_NE(r.findings.front().actual.find("421"), std::string::npos) << r.findings.front().actual;
}

}  // namespace
}  // namespace smtpspec::conformance
