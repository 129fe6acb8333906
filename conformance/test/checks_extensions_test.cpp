// The extension and DATA checks (checks/extensions.cpp, checks/data.cpp)
// against the in-process reference server: every check passes the clean
// server in each profile it applies to, skips with its stated reason where
// the server does not offer the extension, catches the faults that break its
// rules, and blames no fault whose rule it does not cover.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "check_test_support.hpp"
#include "checks/groups.hpp"
#include "smtpspec/conformance/connection.hpp"
#include "smtpspec/conformance/runner.hpp"
#include "smtpspec/conformance/server/faults.hpp"
#include "smtpspec/model/rules.hpp"

namespace smtpspec::conformance {
namespace {

using model::Profile;
using server::Fault;
using test::covers;
using test::describe;

constexpr Profile all[] = {Profile::relay, Profile::submission, Profile::submissions};

const std::vector<Check>& group() {
    static const std::vector<Check> checks = [] {
        std::vector<Check> out = checks::extension_checks();
        std::vector<Check> data = checks::data_checks();
        out.insert(out.end(), data.begin(), data.end());
        return out;
    }();
    return checks;
}

RunOptions options_for(Profile profile) {
    RunOptions o;
    o.profile = profile;
    o.rcpt = "rcpt@example.org";
    o.credentials = model::Credential{"user", "secret"};
    // The in-process server answers at once; a short deadline keeps the runs
    // with a lost reply short.
    o.timeout = std::chrono::milliseconds(300);
    return o;
}

server::Config config_for(Profile profile, model::Policy policy = {}) {
    server::Config config;
    config.profile = profile;
    config.policy = std::move(policy);
    return config;
}

bool blames(Verdict v) { return v == Verdict::fail || v == Verdict::warn; }

TEST(ChecksExtensions, CatalogueShape) {
    EXPECT_GE(group().size(), 22u);
    std::set<std::string_view> ids;
    for (const Check& c : group()) {
        EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
        EXPECT_NE(c.procedure, nullptr) << c.id;
        EXPECT_FALSE(c.rules.empty()) << c.id;
        EXPECT_FALSE(c.title.empty() || c.sends.empty() || c.accepts.empty()) << c.id;
        EXPECT_EQ(section_of(c.id).rfc != 0, true) << c.id;
        for (std::string_view rule : c.rules) EXPECT_NE(model::find_rule(rule), nullptr) << c.id << " cites " << rule;
    }
}

TEST(ChecksExtensions, ReferenceServerPassesEveryCheckInEveryProfile) {
    for (const Check& check : group())
        for (Profile profile : all) {
            if (!applies(check.profiles, profile)) continue;
            CheckResult r = run_check(check, in_process_endpoint(config_for(profile)), options_for(profile));
            EXPECT_EQ(r.verdict, Verdict::pass) << check.id << " in " << model::to_string(profile) << ": "
                                                << describe(r);
        }
}

// A server that lists no extension: each extension check skips, naming the
// extension; the checks of parameters that are not in force run in the EHLO
// session and pass.
TEST(ChecksExtensions, BareServerSkipsExtensionChecksWithTheirReason) {
    model::Policy bare;
    bare.pipelining = false;
    bare.eight_bit_mime = false;
    bare.smtputf8 = false;
    bare.chunking = false;
    bare.binary_mime = false;
    bare.enhanced_status_codes = false;
    bare.size_limit.reset();
    const std::map<std::string_view, std::string_view> skips{
        {"rfc2034/4/enhanced-code-success", "ENHANCEDSTATUSCODES"},
        {"rfc2034/4/enhanced-code-failure", "ENHANCEDSTATUSCODES"},
        {"rfc2034/4/enhanced-code-each-line", "ENHANCEDSTATUSCODES"},
        {"rfc2920/3.2/pipelined-transaction", "PIPELINING"},
        {"rfc2920/3.2/pipelined-commands", "PIPELINING"},
        {"rfc2920/3.2/data-iff-recipients", "PIPELINING"},
        {"rfc1870/6.1/declared-size-552", "SIZE"},
        {"rfc1870/6.1/declared-size-within-limit", "SIZE"},
        {"rfc1870/6/size-not-end-of-data", "SIZE"},
        {"rfc6152/3/body-8bitmime", "8BITMIME"},
        {"rfc6531/3.2/smtputf8-mailbox", "SMTPUTF8"},
        {"rfc3030/2/bdat-chunks", "CHUNKING"},
        {"rfc3030/2/bdat-last", "CHUNKING"},
        {"rfc3030/2/bdat-discard-chunk", "CHUNKING"},
        {"rfc3030/2/bdat-pipelined-after-failure", "CHUNKING"},
        {"rfc3030/2/data-after-bdat-503", "CHUNKING"},
        {"rfc3030/2/bdat-after-last-503", "CHUNKING"},
        {"rfc3030/3/binarymime-data-503", "CHUNKING"},
        {"rfc3030/2/bdat-keeps-data", "CHUNKING"},
    };
    for (const Check& check : group()) {
        CheckResult r = run_check(check, in_process_endpoint(config_for(Profile::relay, bare)),
                                  options_for(Profile::relay));
        auto skip = skips.find(check.id);
        if (skip == skips.end()) {
            EXPECT_EQ(r.verdict, Verdict::pass) << check.id << ": " << describe(r);
            continue;
        }
        EXPECT_EQ(r.verdict, Verdict::skip) << check.id << ": " << describe(r);
        EXPECT_EQ(r.reason, "the server does not advertise " + std::string(skip->second)) << check.id;
    }
}

// A SIZE keyword without a limit leaves nothing to exceed.
TEST(ChecksExtensions, SizeWithoutLimitSkips) {
    model::Policy policy;
    policy.size_limit = 0;
    const Check* over = nullptr;
    for (const Check& c : group())
        if (c.id == "rfc1870/6.1/declared-size-552") over = &c;
    ASSERT_NE(over, nullptr);
    CheckResult r = run_check(*over, in_process_endpoint(config_for(Profile::relay, policy)), options_for(Profile::relay));
    EXPECT_EQ(r.verdict, Verdict::skip) << describe(r);
    EXPECT_EQ(r.reason, "the server advertises SIZE without a fixed maximum message size");
}

// Every check of the group against a server with `fault`, in the fault's profile.
std::vector<CheckResult> run_with(Fault fault) {
    const server::FaultInfo& info = server::fault_info(fault);
    server::Config config = config_for(info.profile);
    config.faults.set(static_cast<std::size_t>(fault));
    std::vector<CheckResult> out;
    for (const Check& check : group()) {
        if (!applies(check.profiles, info.profile)) continue;
        out.push_back(run_check(check, in_process_endpoint(config), options_for(info.profile)));
    }
    return out;
}

TEST(ChecksExtensions, FaultsAreCaughtByTheCheckCoveringTheirRule) {
    for (Fault fault : {Fault::lf_dot_lf_ends_data, Fault::lf_dot_crlf_ends_data, Fault::pipelined_reply_dropped,
                        Fault::enhanced_code_missing, Fault::size_over_limit, Fault::bdat_wrong_octets,
                        Fault::data_without_rcpt}) {
        const server::FaultInfo& info = server::fault_info(fault);
        std::vector<std::string> caught_by;
        for (const CheckResult& r : run_with(fault))
            if (covers(*r.check, info.breaks) && blames(r.verdict) &&
                std::any_of(r.findings.begin(), r.findings.end(),
                            [&](const Observation& o) { return o.rule == model::rule(info.breaks).name; }))
                caught_by.emplace_back(r.check->id);
        EXPECT_FALSE(caught_by.empty()) << "fault " << info.name << " (breaks " << model::rule(info.breaks).name
                                        << ") is caught by none of the checks";
    }
}

// The smuggling faults are caught by the check of their own lookalike.
TEST(ChecksExtensions, EachSmugglingFaultIsCaughtByItsLookalike) {
    const std::map<Fault, std::string_view> own{
        {Fault::lf_dot_lf_ends_data, "rfc5321/4.1.1.4/smuggling-lf-dot-lf"},
        {Fault::lf_dot_crlf_ends_data, "rfc5321/4.1.1.4/smuggling-lf-dot-crlf"},
    };
    for (const auto& [fault, id] : own) {
        std::vector<CheckResult> results = run_with(fault);
        auto it = std::find_if(results.begin(), results.end(), [&](const CheckResult& r) { return r.check->id == id; });
        ASSERT_NE(it, results.end()) << id;
        EXPECT_EQ(it->verdict, Verdict::fail) << id << ": " << describe(*it);
    }
}

TEST(ChecksExtensions, NoCheckBlamesAFaultOutsideItsRules) {
    std::vector<std::future<std::vector<CheckResult>>> runs;
    for (const server::FaultInfo& info : server::faults())
        runs.push_back(std::async(std::launch::async, run_with, info.fault));
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const server::FaultInfo& info = server::faults()[i];
        for (const CheckResult& r : runs[i].get()) {
            if (covers(*r.check, info.breaks)) continue;
            EXPECT_FALSE(blames(r.verdict)) << r.check->id << " against fault " << info.name << " (breaks "
                                            << model::rule(info.breaks).name << "): " << describe(r);
        }
    }
}

// ---------------------------------------------------------------- bugs the fault table does not have

// A bug simulated around the clean server: the first occurrence of `from` in
// what the client writes (side client: the server reads something else than
// was sent) or in what the server writes (side server) becomes `to`.
struct Mutation {
    std::string_view check;
    std::string_view bug;
    enum class Side { client, server } side;
    std::string from;
    std::string to;
    Verdict expected;
    std::string_view rule;  // the finding that shows it
};

class RewritingConnection : public Connection {
public:
    RewritingConnection(std::unique_ptr<Connection> inner, const Mutation& m) : inner_(std::move(inner)), m_(m) {}
    IoResult write(std::string_view bytes, Duration timeout) override {
        if (m_.side == Mutation::Side::client) return inner_->write(rewrite(std::string(bytes)), timeout);
        return inner_->write(bytes, timeout);
    }
    IoResult read(std::string& out, std::size_t max, Duration timeout) override {
        if (m_.side == Mutation::Side::client) return inner_->read(out, max, timeout);
        std::string got;
        IoResult io = inner_->read(got, max, timeout);
        out += rewrite(std::move(got));
        return io;
    }
    IoResult start_tls(const TlsOptions& options, Duration timeout) override { return inner_->start_tls(options, timeout); }
    void close() override { inner_->close(); }
    bool tls_active() const override { return inner_->tls_active(); }
    const std::optional<TlsFacts>& tls_facts() const override { return inner_->tls_facts(); }

private:
    std::string rewrite(std::string bytes) {
        if (done_) return bytes;
        std::size_t at = bytes.find(m_.from);
        if (at == std::string::npos) return bytes;
        done_ = true;
        return bytes.replace(at, m_.from.size(), m_.to);
    }
    std::unique_ptr<Connection> inner_;
    const Mutation& m_;
    bool done_ = false;
};

Endpoint mutated_endpoint(const Mutation& m) {
    Endpoint e = in_process_endpoint(config_for(Profile::relay));
    e.connect = [inner = e.connect, &m](const ConnectOptions& o) {
        Connected c = inner(o);
        if (c.connection) c.connection = std::make_unique<RewritingConnection>(std::move(c.connection), m);
        return c;
    };
    return e;
}

using S = Mutation::Side;
constexpr std::string_view end_of_data = "\r\n.\r\n";

const std::vector<Mutation>& mutations() {
    static const std::vector<Mutation> list{
        {"rfc2034/4/enhanced-code-each-line", "HELP answered on two lines with different enhanced codes", S::server,
         "214 2.0.0 See RFC 5321\r\n", "214-2.0.0 See RFC 5321\r\n214 2.0.1 and RFC 2034\r\n", Verdict::fail,
         "rfc2034/4/enhanced-code-each-line"},
        {"rfc1870/6.1/declared-size-within-limit", "MAIL with SIZE answered 502", S::server, "250 2.1.0 Ok\r\n",
         "502 5.5.1 Not implemented\r\n", Verdict::fail, "rfc5321/4.5.1/required-commands"},
        {"rfc1870/6/size-not-end-of-data", "the message ends after the declared size", S::client, "Line of filler",
         std::string(end_of_data) + "Line of filler", Verdict::fail, "rfc1870/6/size-not-end-of-data"},
        {"rfc5321/4.1.1.11/size-unadvertised", "SIZE= accepted after HELO", S::client, " SIZE=1000", "",
         Verdict::info, "rfc5321/4.1.1.11/unknown-parameter-555"},
        {"rfc6152/3/body-8bitmime", "an 8-bit message refused as too big", S::server, "250 2.0.0 Ok: queued\r\n",
         "552 5.3.4 Message size exceeds fixed maximum message size\r\n", Verdict::fail,
         "rfc5321/4.5.3.1.7/message-64k"},
        {"rfc5321/4.1.1.11/body-8bitmime-unadvertised", "BODY=8BITMIME accepted after HELO", S::client,
         " BODY=8BITMIME", "", Verdict::info, "rfc5321/4.1.1.11/unknown-parameter-555"},
        {"rfc6531/3.2/smtputf8-mailbox", "MAIL with SMTPUTF8 answered 502", S::server, "250 2.1.0 Ok\r\n",
         "502 5.5.1 Not implemented\r\n", Verdict::fail, "rfc5321/4.5.1/required-commands"},
        {"rfc5321/2.4/non-ascii-mailbox", "a non-ASCII address accepted after HELO", S::client,
         "j\xc3\xb6s\xc3\xa9", "jose", Verdict::warn, "rfc5321/2.4/non-ascii-command"},
        {"rfc5321/4.1.1.11/smtputf8-unadvertised", "SMTPUTF8 accepted after HELO", S::client, " SMTPUTF8", "",
         Verdict::info, "rfc5321/4.1.1.11/unknown-parameter-555"},
        {"rfc3030/2/bdat-chunks", "a chunk answered 251", S::server, "250 2.0.0 Ok: chunk received",
         "251 2.0.0 Ok: chunk received", Verdict::fail, "rfc3030/2/bdat-chunk-250"},
        {"rfc3030/2/bdat-last", "the last chunk answered 251", S::server, "250 2.0.0 Ok: queued",
         "251 2.0.0 Ok: queued", Verdict::fail, "rfc3030/2/bdat-chunk-250"},
        {"rfc3030/2/bdat-discard-chunk", "a refused chunk's octets run as commands", S::client, "BDAT 12\r\n",
         "BDAT 0\r\n", Verdict::fail, "rfc3030/2/bdat-discard-chunk"},
        {"rfc3030/2/bdat-pipelined-after-failure", "a refused pipelined chunk's octets run as commands",
         S::client, "BDAT 12 LAST\r\n", "BDAT 0 LAST\r\n", Verdict::fail, "rfc3030/2/bdat-discard-chunk"},
        {"rfc3030/2/data-after-bdat-503", "DATA after BDAT answered 554", S::server, "503 5.5.1",
         "554 5.5.1", Verdict::fail, "rfc3030/2/data-after-bdat-503"},
        {"rfc3030/2/bdat-after-last-503", "BDAT after LAST answered 250", S::server,
         "503 5.5.1 Bad sequence of commands", "250 2.0.0 Ok", Verdict::fail, "rfc3030/2/bdat-after-last-503"},
        {"rfc3030/3/binarymime-data-503", "DATA after BODY=BINARYMIME answered 554", S::server, "503 5.5.1",
         "554 5.5.1", Verdict::fail, "rfc3030/3/binarymime-data-503"},
        {"rfc3030/2/bdat-keeps-data", "DATA answered 502", S::server, "503 5.5.1 Bad sequence of commands",
         "502 5.5.1 Not implemented", Verdict::fail, "rfc3030/2/bdat-keeps-data"},
        {"rfc5321/4.1.1.4/data-message", "the end of data answered 354", S::server, "250 2.0.0 Ok: queued",
         "354 Go on", Verdict::fail, "rfc5321/4.1.1.4/end-of-data-reply"},
        {"rfc5321/4.5.2/dot-stuffing", "the stuffed line \"..\" ends the data", S::client, "\r\n..\r\n",
         std::string(end_of_data), Verdict::fail, "rfc5321/4.2/one-reply"},
        {"rfc5321/4.5.2/leading-dot", "a first line \"..\" ends the data", S::client, "..\r\n", ".\r\n",
         Verdict::fail, "rfc5321/4.2/one-reply"},
        {"rfc5321/2.3.8/bare-lf-in-data", "a bare LF ends a line, and the data", S::client, "feed\nwithout",
         "feed" + std::string(end_of_data) + "without", Verdict::fail, "rfc5321/2.3.8/crlf-only"},
        {"rfc5321/2.3.8/bare-cr-in-data", "a bare CR ends a line, and the data", S::client, "return\rwithout",
         "return" + std::string(end_of_data) + "without", Verdict::fail, "rfc5321/2.3.8/crlf-only"},
        {"rfc5321/4.1.1.4/smuggling-lf-dot-lf", "<LF>.<LF> ends the data", S::client, "\n.\n",
         std::string(end_of_data), Verdict::fail, "rfc5321/4.1.1.4/end-of-data"},
        {"rfc5321/4.1.1.4/smuggling-lf-dot-crlf", "<LF>.<CR><LF> ends the data", S::client, "\n.\r\n",
         std::string(end_of_data), Verdict::fail, "rfc5321/4.1.1.4/end-of-data"},
        {"rfc5321/4.1.1.4/smuggling-cr-dot-crlf", "<CR>.<CR><LF> ends the data", S::client, "\r.\r\n",
         std::string(end_of_data), Verdict::fail, "rfc5321/4.1.1.4/end-of-data"},
        {"rfc5321/4.1.1.4/smuggling-crlf-dot-cr", "<CR><LF>.<CR> ends the data", S::client, "\r\n.\r",
         std::string(end_of_data), Verdict::fail, "rfc5321/4.1.1.4/end-of-data"},
        {"rfc5321/4.1.1.4/smuggling-cr-dot-cr", "<CR>.<CR> ends the data", S::client, "\r.\r",
         std::string(end_of_data), Verdict::fail, "rfc5321/4.1.1.4/end-of-data"},
        {"rfc5321/4.1.1.4/smuggling-lf-dot-cr", "<LF>.<CR> ends the data", S::client, "\n.\r",
         std::string(end_of_data), Verdict::fail, "rfc5321/4.1.1.4/end-of-data"},
        {"rfc5321/4.1.1.4/smuggling-cr-dot-lf", "<CR>.<LF> ends the data", S::client, "\r.\n",
         std::string(end_of_data), Verdict::fail, "rfc5321/4.1.1.4/end-of-data"},
        {"rfc5321/4.1.1.4/smuggling-crlf-dot-lf", "<CR><LF>.<LF> ends the data", S::client, "\r\n.\n",
         std::string(end_of_data), Verdict::fail, "rfc5321/4.1.1.4/end-of-data"},
        {"rfc5321/4.1.1.4/smuggling-crlf-nul-dot-crlf", "a NUL before \".\" is ignored", S::client,
         std::string("\r\n\0.\r\n", 6), std::string(end_of_data), Verdict::fail, "rfc5321/4.2/one-reply"},
    };
    return list;
}

// Every check either meets a fault of the table or a bug simulated here.
TEST(ChecksExtensions, EveryCheckCanFail) {
    std::set<std::string_view> covered;
    for (const server::FaultInfo& info : server::faults())
        for (const Check& c : group())
            if (covers(c, info.breaks)) covered.insert(c.id);
    for (const Mutation& m : mutations()) covered.insert(m.check);
    for (const Check& c : group()) EXPECT_TRUE(covered.count(c.id)) << c.id << " meets no bug in this test";
}

TEST(ChecksExtensions, SimulatedBugsAreCaught) {
    for (const Mutation& m : mutations()) {
        auto check = std::find_if(group().begin(), group().end(), [&](const Check& c) { return c.id == m.check; });
        ASSERT_NE(check, group().end()) << m.check;
        CheckResult r = run_check(*check, mutated_endpoint(m), options_for(Profile::relay));
        EXPECT_EQ(r.verdict, m.expected) << m.check << " with the bug \"" << m.bug << "\": " << describe(r);
        EXPECT_TRUE(std::any_of(r.findings.begin(), r.findings.end(), [&](const Observation& o) { return o.rule == m.rule; }))
            << m.check << " with the bug \"" << m.bug << "\" shows no finding on " << m.rule << ": " << describe(r);
    }
}

}  // namespace
}  // namespace smtpspec::conformance
