#include "smtpspec/conformance/server/faults.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>

#include "smtpspec/conformance/in_process.hpp"
#include "smtpspec/conformance/session.hpp"
#include "smtpspec/model/transcript.hpp"

namespace smtpspec::conformance::server {
namespace {

using model::Profile;

// A client driving the in-process server; every reply is read before the next
// write, so that the recorded transcript pairs replies as the server sent them.
class Client {
public:
    Client(FaultSet faults, Profile profile) : profile_(profile) {
        Config config;
        config.profile = profile;
        config.faults = faults;
        SessionOptions o;
        o.timeout = Duration{100};
        o.implicit_tls = profile == Profile::submissions;
        session_ = std::make_unique<Session>(connect_in_process(config, o.implicit_tls), o);
        drain();
    }

    void say(std::string_view bytes) {
        if (server_closed_) return;
        session_->send(bytes);
        drain();
    }
    // The TLS handshake, when the last reply agreed to STARTTLS.
    void tls() {
        if (server_closed_ || last_ != 220) return;
        EXPECT_TRUE(session_->start_tls(TlsOptions{}).ok());
        drain();
    }
    void ehlo() { say("EHLO client.example.org\r\n"); }
    void quit() { say("QUIT\r\n"); }

    // The model's verdict on the whole session, replayed from its transcript.
    model::ReplayResult judge() {
        session_->close();
        transcript_ = session_->transcript().text();
        return model::replay(transcript_, model::ReplayOptions{profile_, profile_ == Profile::submissions});
    }
    const std::string& transcript() const { return transcript_; }

private:
    void drain() {
        for (const ReplyOutcome& r : session_->read_replies(Duration{5})) {
            if (r.kind == ReplyOutcome::Kind::reply || r.kind == ReplyOutcome::Kind::malformed) last_ = r.code();
            if (r.kind == ReplyOutcome::Kind::closed) server_closed_ = true;
        }
    }

    Profile profile_;
    std::unique_ptr<Session> session_;
    std::string transcript_;
    unsigned last_ = 0;
    bool server_closed_ = false;
};

void envelope(Client& c) {
    c.say("MAIL FROM:<a@example.org>\r\n");
    c.say("RCPT TO:<b@example.org>\r\n");
}

// "\0user\0secret" (RFC 4616).
constexpr std::string_view auth_plain = "AUTH PLAIN AHVzZXIAc2VjcmV0\r\n";

struct Scenario {
    Fault fault;
    std::function<void(Client&)> run;  // the session that shows the fault
};

const std::vector<Scenario>& scenarios() {
    static const std::vector<Scenario> list{
        {Fault::starttls_injection,
         [](Client& c) {
             c.ehlo();
             c.say("STARTTLS\r\nNOOP\r\n");
             c.tls();
             c.ehlo();
             c.quit();
         }},
        {Fault::no_reset_after_starttls,
         [](Client& c) {
             c.ehlo();
             c.say("MAIL FROM:<a@example.org>\r\n");
             c.say("STARTTLS\r\n");
             c.tls();
             c.say("RCPT TO:<b@example.org>\r\n");
             c.quit();
         }},
        {Fault::starttls_readvertised,
         [](Client& c) {
             c.ehlo();
             c.say("STARTTLS\r\n");
             c.tls();
             c.ehlo();
             c.quit();
         }},
        {Fault::starttls_parameters,
         [](Client& c) {
             c.ehlo();
             c.say("STARTTLS foo\r\n");
             c.tls();
             c.ehlo();
             c.quit();
         }},
        {Fault::lf_dot_lf_ends_data,
         [](Client& c) {
             c.ehlo();
             envelope(c);
             c.say("DATA\r\n");
             c.say("Subject: x\r\n\r\nbody\n.\nNOOP\r\n.\r\n");
             c.quit();
         }},
        {Fault::lf_dot_crlf_ends_data,
         [](Client& c) {
             c.ehlo();
             envelope(c);
             c.say("DATA\r\n");
             c.say("Subject: x\r\n\r\nbody\n.\r\nNOOP\r\n.\r\n");
             c.quit();
         }},
        {Fault::rcpt_before_mail,
         [](Client& c) {
             c.ehlo();
             c.say("RCPT TO:<b@example.org>\r\n");
             c.quit();
         }},
        {Fault::mail_before_helo,
         [](Client& c) {
             c.say("MAIL FROM:<a@example.org>\r\n");
             c.quit();
         }},
        {Fault::data_without_rcpt,
         [](Client& c) {
             c.ehlo();
             c.say("MAIL FROM:<a@example.org>\r\n");
             c.say("DATA\r\n");
             c.say("hi\r\n.\r\n");
             c.quit();
         }},
        {Fault::rset_keeps_transaction,
         [](Client& c) {
             c.ehlo();
             c.say("MAIL FROM:<a@example.org>\r\n");
             c.say("RSET\r\n");
             c.say("RCPT TO:<b@example.org>\r\n");
             c.quit();
         }},
        {Fault::unknown_command_250,
         [](Client& c) {
             c.ehlo();
             c.say("FROB something\r\n");
             c.quit();
         }},
        {Fault::multiline_mixed_codes,
         [](Client& c) {
             c.ehlo();
             c.quit();
         }},
        {Fault::auth_cleartext,
         [](Client& c) {
             c.ehlo();
             c.say(auth_plain);
             c.say("MAIL FROM:<a@example.org>\r\n");
             c.quit();
         }},
        {Fault::mail_without_auth,
         [](Client& c) {
             c.ehlo();
             c.say("MAIL FROM:<a@example.org>\r\n");
             c.quit();
         }},
        {Fault::auth_in_transaction,
         [](Client& c) {
             c.ehlo();
             c.say("STARTTLS\r\n");
             c.tls();
             c.ehlo();
             c.say("MAIL FROM:<a@example.org>\r\n");
             c.say(auth_plain);
             c.quit();
         }},
        {Fault::pipelined_reply_dropped,
         [](Client& c) {
             c.ehlo();
             c.say("NOOP\r\nNOOP\r\n");  // no QUIT: the client closes
         }},
        {Fault::enhanced_code_missing,
         [](Client& c) {
             c.ehlo();
             c.say("MAIL FROM:<a@example.org>\r\n");
             c.quit();
         }},
        {Fault::size_over_limit,
         [](Client& c) {
             c.ehlo();
             c.say("MAIL FROM:<a@example.org> SIZE=99999999999\r\n");
             c.quit();
         }},
        {Fault::quit_keeps_open,
         [](Client& c) {
             c.ehlo();
             c.quit();
             c.say("NOOP\r\n");
         }},
        {Fault::long_line_closes,
         [](Client& c) {
             c.ehlo();
             c.say("NOOP " + std::string(5000, 'a') + "\r\n");
             c.quit();
         }},
        {Fault::postmaster_refused,
         [](Client& c) {
             c.ehlo();
             c.say("MAIL FROM:<a@example.org>\r\n");
             c.say("RCPT TO:<Postmaster>\r\n");
             c.quit();
         }},
        {Fault::bdat_wrong_octets,
         [](Client& c) {
             c.ehlo();
             c.say("BDAT 7 LAST\r\nHello\r\n");  // refused: no MAIL
             envelope(c);
             c.say("BDAT 7 LAST\r\nHello\r\n");  // accepted: read in full
             c.quit();
         }},
    };
    return list;
}

std::string describe(const model::ReplayResult& r, const std::string& transcript) {
    std::string out;
    for (const auto& f : r.findings)
        out += "line " + std::to_string(f.line) + ": " + std::string(model::rule(f.finding.rule).name) + " (" +
               std::string(model::to_string(f.finding.level)) + "): " + f.finding.explanation + "\n";
    for (const auto& e : r.errors) out += "error at line " + std::to_string(e.line) + ": " + e.message + "\n";
    return out + transcript;
}

TEST(Faults, TableFollowsTheEnumWithStableKebabCaseNames) {
    ASSERT_EQ(faults().size(), fault_count);
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < fault_count; ++i) {
        const FaultInfo& f = faults()[i];
        EXPECT_EQ(static_cast<std::size_t>(f.fault), i);
        EXPECT_EQ(&fault_info(f.fault), &f);
        EXPECT_TRUE(names.insert(f.name).second) << f.name;
        for (char c : f.name) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') << f.name;
        EXPECT_EQ(find_fault(f.name), &f);
        EXPECT_FALSE(f.description.empty());
    }
    EXPECT_EQ(find_fault("starttls-injection")->fault, Fault::starttls_injection);
    EXPECT_EQ(find_fault("no-such-fault"), nullptr);
    EXPECT_EQ(fault_info(Fault::auth_cleartext).profile, Profile::submission);
    EXPECT_EQ(fault_info(Fault::mail_without_auth).profile, Profile::submission);
}

TEST(Faults, EveryFaultHasASession) {
    std::set<Fault> covered;
    for (const Scenario& s : scenarios()) covered.insert(s.fault);
    EXPECT_EQ(covered.size(), fault_count);
}

// The clean server passes every fault's session with no finding at all.
TEST(Faults, CleanServerHasNoFindingOnAnySession) {
    for (const Scenario& s : scenarios()) {
        const FaultInfo& info = fault_info(s.fault);
        Client c(FaultSet{}, info.profile);
        s.run(c);
        model::ReplayResult r = c.judge();
        EXPECT_TRUE(r.findings.empty() && r.errors.empty())
            << info.name << " session, clean server:\n" << describe(r, c.transcript());
    }
}

// Each fault breaks its rule, and no other MUST or SHOULD rule.
TEST(Faults, EachFaultBreaksExactlyItsRule) {
    for (const Scenario& s : scenarios()) {
        const FaultInfo& info = fault_info(s.fault);
        FaultSet faults;
        faults.set(static_cast<std::size_t>(s.fault));
        Client c(faults, info.profile);
        s.run(c);
        model::ReplayResult r = c.judge();
        const std::string why = std::string(info.name) + ":\n" + describe(r, c.transcript());
        EXPECT_TRUE(r.errors.empty()) << why;
        bool found = false;
        for (const auto& f : r.findings) {
            if (f.finding.rule == info.breaks) found = true;
            else EXPECT_EQ(f.finding.level, model::Level::info) << why;
        }
        EXPECT_TRUE(found) << "expected " << model::rule(info.breaks).name << "\n" << why;
    }
}

}  // namespace
}  // namespace smtpspec::conformance::server
