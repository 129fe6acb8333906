// A small fixed vocabulary of client inputs for the model's property tests:
// every input a driver could feed in each phase, valid and invalid, built from
// AST values directly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "smtpspec/model/input.hpp"
#include "smtpspec/model/model.hpp"

namespace smtpspec::model::test {

namespace ast = grammar::ast;

inline ast::Domain domain(std::vector<std::string> labels) { return ast::Domain{std::move(labels)}; }

inline ast::Path path(std::string local, std::vector<std::string> host,
                      std::vector<ast::Domain> route = {}) {
    return ast::Path{std::move(route), ast::Mailbox{ast::LocalPart{std::move(local), false}, domain(std::move(host))}};
}

inline CommandInput cmd(ast::Command c, std::string raw) { return CommandInput{std::move(c), std::move(raw) + "\r\n", false}; }

inline grammar::ParseError error(grammar::ErrorKind kind) {
    return grammar::ParseError{kind, 0, "Command", "test"};
}

// Commands and other inputs that a driver may send in a session phase.
inline std::vector<Input> session_inputs() {
    const auto sender = ast::ReversePath{path("alice", {"example", "org"})};
    std::vector<Input> v;
    v.push_back(cmd(ast::Ehlo{domain({"client", "example", "org"})}, "EHLO client.example.org"));
    v.push_back(cmd(ast::Helo{domain({"client", "example", "org"})}, "HELO client.example.org"));
    v.push_back(cmd(ast::Mail{sender, {}}, "MAIL FROM:<alice@example.org>"));
    v.push_back(cmd(ast::Mail{ast::ReversePath{}, {}}, "MAIL FROM:<>"));
    v.push_back(cmd(ast::Mail{sender, {ast::SizeParam{1'000'000'000'000}}}, "MAIL FROM:<alice@example.org> SIZE=1000000000000"));
    v.push_back(cmd(ast::Mail{sender, {ast::SizeParam{1000}}}, "MAIL FROM:<alice@example.org> SIZE=1000"));
    v.push_back(cmd(ast::Mail{sender, {ast::BodyParam{ast::BodyParam::Type::binary_mime}}}, "MAIL FROM:<alice@example.org> BODY=BINARYMIME"));
    v.push_back(cmd(ast::Mail{sender, {ast::BodyParam{ast::BodyParam::Type::eight_bit_mime}, ast::SmtpUtf8Param{}}}, "MAIL FROM:<alice@example.org> BODY=8BITMIME SMTPUTF8"));
    v.push_back(cmd(ast::Mail{sender, {ast::GenericParam{"FOO", std::string("BAR")}}}, "MAIL FROM:<alice@example.org> FOO=BAR"));
    v.push_back(cmd(ast::Rcpt{ast::ForwardPath{path("bob", {"example", "net"})}, {}}, "RCPT TO:<bob@example.net>"));
    v.push_back(cmd(ast::Rcpt{ast::ForwardPath{path("nobody", {"example", "net"})}, {}}, "RCPT TO:<nobody@example.net>"));
    v.push_back(cmd(ast::Rcpt{ast::ForwardPath{}, {}}, "RCPT TO:<Postmaster>"));
    v.push_back(cmd(ast::Rcpt{ast::ForwardPath{path("carol", {"example", "net"}, {domain({"relay", "example"})})}, {}},
                    "RCPT TO:<@relay.example:carol@example.net>"));
    v.push_back(cmd(ast::Rcpt{ast::ForwardPath{path("dave", {"example", "net"})}, {ast::NotifyParam{true, false, false, false}}},
                    "RCPT TO:<dave@example.net> NOTIFY=NEVER"));
    v.push_back(cmd(ast::Data{}, "DATA"));
    v.push_back(cmd(ast::Rset{}, "RSET"));
    v.push_back(cmd(ast::Vrfy{"bob", false}, "VRFY bob"));
    v.push_back(cmd(ast::Expn{"staff", false}, "EXPN staff"));
    v.push_back(cmd(ast::Help{}, "HELP"));
    v.push_back(cmd(ast::Help{std::string("MAIL"), false}, "HELP MAIL"));
    v.push_back(cmd(ast::Noop{}, "NOOP"));
    v.push_back(cmd(ast::Noop{std::string("hello"), false}, "NOOP hello"));
    v.push_back(cmd(ast::Quit{}, "QUIT"));
    v.push_back(cmd(ast::StartTls{}, "STARTTLS"));
    v.push_back(cmd(ast::Auth{"PLAIN", std::string("AHVzZXIAc2VjcmV0")}, "AUTH PLAIN AHVzZXIAc2VjcmV0"));
    v.push_back(cmd(ast::Auth{"PLAIN", std::string("AHVzZXIAd3Jvbmc=")}, "AUTH PLAIN AHVzZXIAd3Jvbmc="));
    v.push_back(cmd(ast::Auth{"PLAIN", std::nullopt}, "AUTH PLAIN"));
    v.push_back(cmd(ast::Auth{"PLAIN", std::string("=")}, "AUTH PLAIN ="));
    v.push_back(cmd(ast::Auth{"PLAIN", std::string("%%%")}, "AUTH PLAIN %%%"));
    v.push_back(cmd(ast::Auth{"LOGIN", std::nullopt}, "AUTH LOGIN"));
    v.push_back(cmd(ast::Auth{"LOGIN", std::string("dXNlcg==")}, "AUTH LOGIN dXNlcg=="));
    v.push_back(cmd(ast::Auth{"CRAM-MD5", std::nullopt}, "AUTH CRAM-MD5"));
    v.push_back(BdatChunk{ast::Bdat{5, false}, "Hello"});
    v.push_back(BdatChunk{ast::Bdat{7, true}, "World\r\n"});
    v.push_back(BdatChunk{ast::Bdat{0, true}, ""});
    v.push_back(UnparsedLine{"XYZZY\r\n", error(grammar::ErrorKind::syntax)});
    v.push_back(UnparsedLine{"MAIL FROM:alice\r\n", error(grammar::ErrorKind::syntax)});
    v.push_back(UnparsedLine{"RSET now\r\n", error(grammar::ErrorKind::syntax)});
    v.push_back(UnparsedLine{"DATA now\r\n", error(grammar::ErrorKind::syntax)});
    v.push_back(UnparsedLine{"QUIT now\r\n", error(grammar::ErrorKind::syntax)});
    v.push_back(UnparsedLine{"STARTTLS now\r\n", error(grammar::ErrorKind::syntax)});
    v.push_back(UnparsedLine{"EHLO\r\n", error(grammar::ErrorKind::syntax)});
    v.push_back(UnparsedLine{"RCPT TO:<" + std::string(600, 'a') + ">\r\n", error(grammar::ErrorKind::limit)});
    v.push_back(UnparsedLine{"MAIL FROM:<j\xC3\xB6rg@example.org>\r\n", error(grammar::ErrorKind::encoding)});
    v.push_back(Idle{});
    return v;
}

inline std::vector<Input> text_inputs() {
    return {MessageText{"Subject: test\r\n"}, MessageText{"body line\r\n"}, MessageText{"..stuffed\r\n"},
            MessageText{"\n.\n"}, MessageText{"x\r.\rMAIL FROM:<a@b>\r\n"}, MessageText{".\r\n"},
            MessageText{"\r\n.\r\n"}};
}

inline std::vector<Input> auth_inputs() {
    return {AuthLine{"AHVzZXIAc2VjcmV0"}, AuthLine{"dXNlcg=="}, AuthLine{"c2VjcmV0"}, AuthLine{"*"},
            AuthLine{"not base64!"}, AuthLine{""}};
}

// The inputs that make sense in `s`'s phase (none when the connection is closed).
inline std::vector<Input> inputs_for(const State& s) {
    switch (s.phase) {
        case Phase::connecting:
            return {ConnectionOpened{Profile::relay, false}, ConnectionOpened{Profile::submission, false},
                    ConnectionOpened{Profile::submissions, true}, ConnectionOpened{Profile::relay, true}};
        case Phase::data: return text_inputs();
        case Phase::auth: return auth_inputs();
        case Phase::tls_pending: return {TlsEstablished{}, TlsEstablished{}, cmd(ast::Noop{}, "NOOP")};
        case Phase::closing: return {ServerClosed{}, ClientClosed{}};
        case Phase::closed: return {};
        default: {
            auto v = session_inputs();
            v.push_back(ClientClosed{});
            return v;
        }
    }
}

// Inputs that move a session forward from `s`'s phase, so that generated
// sessions reach DATA, BDAT, AUTH and STARTTLS often.
inline std::vector<Input> progress_inputs(const State& s) {
    const auto sender = ast::ReversePath{path("alice", {"example", "org"})};
    switch (s.phase) {
        case Phase::greeted:
            return {cmd(ast::Ehlo{domain({"client", "example", "org"})}, "EHLO client.example.org")};
        case Phase::ready:
            return {cmd(ast::Mail{sender, {}}, "MAIL FROM:<alice@example.org>"),
                    cmd(ast::StartTls{}, "STARTTLS"),
                    cmd(ast::Auth{"PLAIN", std::string("AHVzZXIAc2VjcmV0")}, "AUTH PLAIN AHVzZXIAc2VjcmV0"),
                    cmd(ast::Auth{"LOGIN", std::nullopt}, "AUTH LOGIN")};
        case Phase::mail:
        case Phase::rcpt:
            return {cmd(ast::Rcpt{ast::ForwardPath{path("bob", {"example", "net"})}, {}}, "RCPT TO:<bob@example.net>"),
                    cmd(ast::Data{}, "DATA"), BdatChunk{ast::Bdat{5, false}, "Hello"}};
        case Phase::bdat: return {BdatChunk{ast::Bdat{5, false}, "Hello"}, BdatChunk{ast::Bdat{7, true}, "World\r\n"}};
        case Phase::auth: return {AuthLine{"dXNlcg=="}, AuthLine{"c2VjcmV0"}, AuthLine{"AHVzZXIAc2VjcmV0"}};
        default: return inputs_for(s);
    }
}

// Every input of the vocabulary, whatever the phase (for misuse and robustness).
inline std::vector<Input> all_inputs() {
    std::vector<Input> v = session_inputs();
    for (auto& i : text_inputs()) v.push_back(i);
    for (auto& i : auth_inputs()) v.push_back(i);
    v.push_back(ConnectionOpened{Profile::relay, false});
    v.push_back(ConnectionOpened{Profile::submissions, false});
    v.push_back(TlsEstablished{});
    v.push_back(ClientClosed{});
    v.push_back(ServerClosed{});
    v.push_back(BdatChunk{ast::Bdat{9, false}, "short"});
    return v;
}

}  // namespace smtpspec::model::test
