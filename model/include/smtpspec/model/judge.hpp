// The judge: the model applied to a stream of session events, as they happen.
// Pure and incremental: it is told what the client sent and what the server
// answered, in order, and keeps the state and the findings.
//
// It pairs replies with client input the way the server sees it: client bytes
// are split into inputs (commands, message text, BDAT chunks, AUTH lines) in
// the state the model is in when the server reads them; each reply goes to
// the oldest input that still expects one; inputs that expect none (message
// text before the end of data, commands pipelined after STARTTLS) are passed
// with no reply. A reply with no client input waiting is unsolicited, and the
// model judges it from what came before (the SMTP smuggling and STARTTLS
// injection classes show up this way).
//
// The transcript reader (transcript.hpp) replays a recorded session through a
// Judge; the conformance checks feed one live.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/grammar/result.hpp"
#include "smtpspec/model/expectation.hpp"
#include "smtpspec/model/input.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::model {

struct TranscriptFinding {
    std::size_t line;  // the caller's mark (a transcript line, an event index) where the server's behaviour shows
    Finding finding;
};

// An input the model cannot take in its state (the record, not the server, is at fault).
struct TranscriptError {
    std::size_t line;
    std::string message;
};

struct ReplayResult {
    std::vector<TranscriptFinding> findings;
    std::vector<TranscriptError> errors;
    State final_state;
    // Every rule the replay checked a reply against (the constraints of each
    // step's expectation, and the rules of the findings), in table order.
    std::vector<RuleId> checked;
    // True when no finding of level MUST was made.
    bool conforming() const;
};

class Judge {
public:
    explicit Judge(ConnectionOpened connect);
    ~Judge();
    Judge(Judge&&) noexcept;
    Judge& operator=(Judge&&) noexcept;

    // Every call takes a `mark`: the caller's position, copied into findings.

    // Bytes the client sent, as sent (any split).
    void client(std::size_t mark, std::string bytes);
    // One line of a reply, without its CRLF (replies are framed here).
    void server_line(std::size_t mark, std::string_view text);
    // A reply framed by the caller, malformed bytes, Closed or Silence. The
    // deviations the caller's lenient reader repaired in a reply are noted
    // (rfc5321/4.2/reply-format).
    void response(std::size_t mark, Response response, std::span<const grammar::Deviation> deviations = {});
    // Nothing arrived within the deadline: each input waiting for a reply gets Silence.
    void silence(std::size_t mark);
    // The TLS handshake after 220 to STARTTLS finished.
    void tls(std::size_t mark);
    void server_closed(std::size_t mark);
    void client_closed(std::size_t mark);
    void error(std::size_t mark, std::string message);

    // The state after every event so far (client bytes not yet answered are
    // still waiting: they take effect when their reply or silence arrives).
    const State& state() const;
    // Passes the waiting client inputs that expect no reply (message text
    // before the end of data, commands pipelined after STARTTLS), then says
    // whether an input is waiting for a reply.
    bool reply_due(std::size_t mark);
    const std::vector<TranscriptFinding>& findings() const;
    // Every rule a reply was checked against so far, in table order.
    std::vector<RuleId> checked() const;
    const std::vector<TranscriptError>& errors() const;

    // Passes the inputs that expect no reply and returns the result.
    ReplayResult finish(std::size_t last_mark);

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace smtpspec::model
