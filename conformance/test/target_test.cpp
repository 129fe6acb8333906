#include "smtpspec/conformance/target.hpp"

#include <gtest/gtest.h>

namespace smtpspec::conformance {
namespace {

using model::Profile;

Target ok(std::string_view text, Profile p = Profile::relay) {
    auto r = parse_target(text, p);
    if (auto* e = std::get_if<TargetError>(&r)) ADD_FAILURE() << text << ": " << e->message;
    return std::holds_alternative<Target>(r) ? std::get<Target>(r) : Target{};
}

std::string error(std::string_view text, Profile p = Profile::relay) {
    auto r = parse_target(text, p);
    if (std::holds_alternative<Target>(r)) {
        ADD_FAILURE() << text << " parsed as " << std::get<Target>(r).text();
        return {};
    }
    return std::get<TargetError>(r).message;
}

TEST(Target, TcpWithPort) {
    Target t = ok("tcp://mail.example.org:2525");
    EXPECT_EQ(t.kind, Target::Kind::tcp);
    EXPECT_EQ(t.host, "mail.example.org");
    EXPECT_EQ(t.port, 2525);
    EXPECT_EQ(t.text(), "tcp://mail.example.org:2525");
}

TEST(Target, DefaultPortByProfile) {
    EXPECT_EQ(ok("tcp://mx.example.org").port, 25);
    EXPECT_EQ(ok("tcp://mx.example.org", Profile::submission).port, 587);
    EXPECT_EQ(ok("tls://mx.example.org", Profile::submissions).port, 465);
}

TEST(Target, ImplicitTls) {
    Target t = ok("TLS://127.0.0.1:465");
    EXPECT_EQ(t.kind, Target::Kind::tls);
    EXPECT_EQ(t.host, "127.0.0.1");
}

TEST(Target, Ipv6InBrackets) {
    Target t = ok("tcp://[::1]:25");
    EXPECT_EQ(t.host, "::1");
    EXPECT_EQ(t.text(), "tcp://[::1]:25");
    EXPECT_EQ(ok("tcp://[2001:db8::5]").port, 25);
}

TEST(Target, Exec) {
    Target t = ok("exec:exim -bs");
    EXPECT_EQ(t.kind, Target::Kind::exec);
    EXPECT_EQ(t.command, "exim -bs");
    EXPECT_EQ(t.text(), "exec:exim -bs");
}

TEST(Target, ErrorsNameTheProblemAndTheFix) {
    EXPECT_EQ(error("mail.example.org"),
              "missing scheme in \"mail.example.org\": write tcp://mail.example.org:25 (plaintext, STARTTLS), "
              "tls://... (implicit TLS) or exec:COMMAND");
    EXPECT_NE(error("mail.example.org", Profile::submission).find("tcp://mail.example.org:587"), std::string::npos);
    EXPECT_NE(error("").find("empty target"), std::string::npos);
    EXPECT_NE(error("smtps://mx.example.org").find("write tls://mx.example.org"), std::string::npos);
    EXPECT_NE(error("smtp://mx.example.org").find("write tcp://mx.example.org"), std::string::npos);
    EXPECT_NE(error("http://mx.example.org").find("unknown scheme \"http://\""), std::string::npos);
    EXPECT_NE(error("tcp://::1:25").find("IPv6 address needs brackets"), std::string::npos);
    EXPECT_NE(error("tcp://[::1:25").find("missing \"]\""), std::string::npos);
    EXPECT_NE(error("tcp://[mx]:25").find("not an IPv6 address"), std::string::npos);
    EXPECT_NE(error("tcp://mx.example.org:0").find("port \"0\" is not a number from 1 to 65535"), std::string::npos);
    EXPECT_NE(error("tcp://mx.example.org:99999").find("65535"), std::string::npos);
    EXPECT_NE(error("tcp://mx.example.org:").find("port \"\""), std::string::npos);
    EXPECT_NE(error("tcp://mx.example.org:25x").find("port \"25x\""), std::string::npos);
    EXPECT_NE(error("tcp://:25").find("missing host"), std::string::npos);
    EXPECT_NE(error("tcp://mx.example.org/path").find("unexpected path \"/path\""), std::string::npos);
    EXPECT_NE(error("tcp://user@mx.example.org").find("no user part"), std::string::npos);
    EXPECT_NE(error("tcp://mx!.example.org").find("contains \"!\""), std::string::npos);
    EXPECT_NE(error("tcp://mx..example.org").find("empty label"), std::string::npos);
    EXPECT_NE(error("tcp://300.1.2.3").find("not an IPv4 address"), std::string::npos);
    EXPECT_NE(error("exec:").find("exec: needs a command"), std::string::npos);
    EXPECT_NE(error("exec:   ").find("exec: needs a command"), std::string::npos);
}

TEST(Target, TextParsesBack) {
    for (const char* t : {"tcp://a.example:1", "tls://[fe80::1]:465", "exec:sh -c 'x'", "tcp://10.0.0.1:25"}) {
        Target once = ok(t);
        EXPECT_EQ(ok(once.text()), once) << t;
    }
}

}  // namespace
}  // namespace smtpspec::conformance
