// What the client side did (Input) and what the server side did (Response).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "smtpspec/grammar/ast.hpp"
#include "smtpspec/grammar/result.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::model {

// ---------------------------------------------------------------- inputs

// The client connected. Its reply is the greeting.
struct ConnectionOpened {
    Profile profile = Profile::relay;
    bool tls = false;  // TLS already up (implicit TLS, RFC 8314 §3.3)
    // The server has "independently established authentication or authorization"
    // of this client (RFC 6409 §4.3: e.g. a protected subnetwork), so MAIL
    // without AUTH on submission is its choice. Only the operator knows this.
    bool trusted = false;
    bool operator==(const ConnectionOpened&) const = default;
};

// A command line that parsed. `raw` is the line as sent, with its CRLF.
// `lenient` is set when it parsed only with the grammar's lenient repairs
// (e.g. "MAIL FROM: <a@b>"): a server may accept or refuse it.
struct CommandInput {
    grammar::ast::Command command;
    std::string raw;
    bool lenient = false;
    bool operator==(const CommandInput&) const = default;
};

// A command line that did not parse, with the grammar's error (kind `limit`
// for a line over the RFC 5321 §4.5.3.1 limits, `encoding` for non-ASCII).
struct UnparsedLine {
    std::string raw;
    grammar::ParseError error;
    bool operator==(const UnparsedLine&) const = default;
};

// Octets sent after a 354 reply, exactly as sent: any split, possibly holding
// bare CR or LF. The model itself finds the end of data (<CRLF>.<CRLF>); a
// chunk must not continue past it (split it there: see end_of_data()).
struct MessageText {
    std::string bytes;
    bool operator==(const MessageText&) const = default;
};

// "BDAT n [LAST]" together with the octets that follow it (RFC 3030 §2): the
// reply comes after the chunk. `bytes` must hold exactly `command.size` octets.
struct BdatChunk {
    grammar::ast::Bdat command;
    std::string bytes;
    bool operator==(const BdatChunk&) const = default;
};

// The TLS handshake after 220 to STARTTLS finished.
struct TlsEstablished {
    bool operator==(const TlsEstablished&) const = default;
};

// One client line inside an AUTH exchange (after 334): base64 or "*".
struct AuthLine {
    std::string text;  // without CRLF
    bool operator==(const AuthLine&) const = default;
};

struct ClientClosed {
    bool operator==(const ClientClosed&) const = default;
};

// The server closed the connection while no command was waiting for a reply.
struct ServerClosed {
    bool operator==(const ServerClosed&) const = default;
};

// The client sends nothing: any reply now is unsolicited.
struct Idle {
    bool operator==(const Idle&) const = default;
};

using Input = std::variant<ConnectionOpened, CommandInput, UnparsedLine, MessageText, BdatChunk,
                           TlsEstablished, AuthLine, ClientClosed, ServerClosed, Idle>;

// ---------------------------------------------------------------- responses

// The server sent bytes that are not a reply (bad code, mixed codes, over-long line).
struct MalformedReply {
    std::string raw;
    grammar::ParseError error;
    bool operator==(const MalformedReply&) const = default;
};

// The server closed the connection instead of replying.
struct Closed {
    bool operator==(const Closed&) const = default;
};

// Nothing within the deadline.
struct Silence {
    bool operator==(const Silence&) const = default;
};

using Response = std::variant<grammar::ast::Reply, MalformedReply, Closed, Silence>;

// A reply with one line per text, each with an optional enhanced code.
grammar::ast::Reply make_reply(unsigned code, std::string text,
                               std::optional<grammar::ast::EnhancedCode> enhanced = std::nullopt);

// Short human-readable forms, for findings and test output.
std::string describe(const Input&);
std::string describe(const Response&);

}  // namespace smtpspec::model
