// A Probe is one session with the server under test, judged as it goes: every
// byte sent and every reply read is handed to a model::Judge, which keeps the
// model's state and its findings. Check procedures drive Probes; they never
// judge a reply themselves.
//
// Steps that need a reply to go on (command, ehlo, ...) stop the check with
// an error verdict when none arrives (timeout, close, malformed bytes) -- the
// model has already judged that, so a check covering the rule broken by it
// fails instead. The try_ variants return the outcome and never stop.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/conformance/check.hpp"
#include "smtpspec/conformance/session.hpp"
#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/grammar/capabilities.hpp"
#include "smtpspec/model/judge.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::conformance {

// Ends a check procedure early; the runner turns it into the verdict
// (unless the check's own rules were already broken: then that is the verdict).
struct CheckStop {
    Verdict verdict = Verdict::error;  // skip or error
    std::string reason;
};
[[noreturn]] void stop_skip(std::string reason);
[[noreturn]] void stop_error(std::string reason);

class Probe {
public:
    // `tls_host`: the name STARTTLS certificates are checked against (the target's host).
    Probe(std::unique_ptr<Session> session, model::ConnectionOpened opened, const RunOptions& options,
          std::string tls_host = {});
    ~Probe();
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

    // ---- steps that need a reply (stop the check with an error when none comes)

    // Reads the greeting (called by CheckContext::open). A 554 greeting stops with
    // skip ("the server refuses sessions from this client").
    const grammar::ast::Reply& greeting();
    // Sends `line` + CRLF and reads its reply.
    grammar::ast::Reply command(std::string_view line);
    // "EHLO <ehlo-domain>": stops with an error unless 250.
    grammar::ast::Reply ehlo();
    // "HELO <ehlo-domain>": stops with an error unless 250.
    grammar::ast::Reply helo();
    // MAIL FROM:<from> (default: --mail-from or "<>") and RCPT TO:<--rcpt>,
    // each required to be 250 (stops with an error naming the reply otherwise).
    void envelope(std::optional<std::string> from = std::nullopt);
    // DATA (354 required), then `content` as given, then "\r\n.\r\n" -- `content`
    // must not end in CRLF unless an empty line is meant -- and the reply to the end of data.
    grammar::ast::Reply data(std::string_view content);
    // STARTTLS, and on 220 the TLS handshake. Returns the reply to STARTTLS.
    // Stops with skip when STARTTLS is not advertised (and `require` is set) or
    // the transport cannot run TLS (exec:), with an error when the handshake fails.
    grammar::ast::Reply starttls(bool require = true);
    // EHLO, then (submission and submissions) what MAIL needs: STARTTLS when not
    // yet in TLS and offered, EHLO again, AUTH PLAIN with the given credentials
    // (skip when none were given). Afterwards a mail transaction can start.
    void ready_for_mail();
    // AUTH PLAIN with the credentials (initial response); returns the final reply.
    grammar::ast::Reply auth_plain(std::string_view user, std::string_view password);

    // ---- steps that never stop the check

    ReplyOutcome try_command(std::string_view line);
    // Any bytes as they are (several commands, bare CR/LF, NUL): judged as client bytes.
    IoResult send(std::string_view bytes);
    // The next reply, judged (timeout: the model is told of the silence).
    ReplyOutcome read();
    // Replies for everything sent and not yet answered, in order (pipelining):
    // reads until the model has every input answered, or a read fails.
    std::vector<ReplyOutcome> read_pending();
    // Anything more the server sends within `quiet` (default: 1.5 s, at most the
    // run's timeout): unsolicited replies are findings. Returns them.
    std::vector<ReplyOutcome> drain();
    std::vector<ReplyOutcome> drain(Duration quiet);
    // The TLS handshake on its own (after a 220 to STARTTLS read by other means).
    // Stops with skip when the transport cannot run TLS (exec:), with an error
    // when the handshake fails. `verify_fatal` overrides --tls-verify (a check
    // that reports the certificate wants it even when it does not verify).
    void handshake();
    void handshake(bool verify_fatal);
    // QUIT (when the session is open and not closing), its reply, and the close.
    void quit();
    // Close without QUIT (the model is told the client closed).
    void close();

    // ---- what the model knows

    const model::State& state() const;
    // In the EHLO reply the model holds (none after HELO or TLS): PIPELINING, STARTTLS,
    // 8BITMIME, SMTPUTF8, CHUNKING, BINARYMIME, ENHANCEDSTATUSCODES, DSN, SIZE, AUTH,
    // or "AUTH=<mechanism>" for an offered SASL mechanism.
    bool advertises(std::string_view keyword) const;
    const grammar::Capabilities& capabilities() const;
    bool tls() const;

    Session& session() { return *session_; }
    const Session& session() const { return *session_; }
    const RunOptions& options() const { return options_; }
    // The judge's findings, with `line` = the transcript event index where they show.
    const std::vector<model::TranscriptFinding>& findings() const;
    // Every rule of the model a reply was checked against so far.
    std::vector<model::RuleId> checked_rules() const;

private:
    std::size_t mark() const;
    ReplyOutcome judged(ReplyOutcome outcome);
    grammar::ast::Reply need(ReplyOutcome outcome, std::string_view what);

    std::unique_ptr<Session> session_;
    const RunOptions& options_;
    std::string tls_host_;
    model::Judge judge_;
    std::optional<grammar::ast::Reply> greeting_;
};

}  // namespace smtpspec::conformance
