// The state of one SMTP session as the model sees it: a plain value.
//
// Theory of operation (RFC 5321 §2.3.6 "Buffer and State Table"): the server
// keeps a session phase, the facts the client established (EHLO or HELO, TLS,
// authentication) and the mail transaction's buffers. The model keeps the same
// things, and only as far as they change which replies a conforming server may
// give. Every field is a value; two states compare equal when no future
// input could tell them apart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "smtpspec/grammar/capabilities.hpp"

namespace smtpspec::model {

// Which service the client connected to.
enum class Profile : std::uint8_t {
    relay,        // port 25, RFC 5321 (STARTTLS optional, RFC 3207)
    submission,   // port 587, RFC 6409: AUTH before MAIL
    submissions,  // port 465, RFC 8314 §3.3: TLS from the first byte
};

enum class Phase : std::uint8_t {
    connecting,   // connection opened, greeting not yet received
    refused,      // greeting was 554: only QUIT is meaningful (RFC 5321 §3.1)
    greeted,      // 220 received, no EHLO/HELO accepted yet
    ready,        // EHLO or HELO accepted, no mail transaction
    mail,         // MAIL accepted, no recipient yet
    rcpt,         // at least one RCPT accepted
    data,         // 354 received: the client sends message text
    bdat,         // at least one BDAT chunk accepted, BDAT LAST not yet sent
    auth,         // inside an AUTH exchange (334 received)
    tls_pending,  // 220 to STARTTLS received, handshake not finished
    closing,      // 221 or 421 sent: the server closes the connection next
    closed,       // the connection is gone
};

enum class BodyType : std::uint8_t { unspecified, seven_bit, eight_bit_mime, binary_mime };

// The mail transaction's buffers (RFC 5321 §3.3, §4.1.1.2-4), as far as they
// change the allowed replies.
struct Transaction {
    unsigned recipients = 0;  // RCPT commands accepted
    BodyType body = BodyType::unspecified;
    bool smtputf8 = false;
    std::optional<std::uint64_t> declared_size;  // MAIL SIZE= (RFC 1870)
    bool bdat_used = false;  // a BDAT chunk was accepted (RFC 3030 §2)
    bool operator==(const Transaction&) const = default;
};

// The end-of-data recogniser (RFC 5321 §4.1.1.4, §4.5.2, §2.3.8): where in
// a line the message text currently is, and what hazards the text held.
struct DataScan {
    enum class At : std::uint8_t {
        middle,          // inside a line
        cr,              // after a CR, LF not yet seen
        line_start,      // after <CRLF> (or after the DATA command's CRLF)
        dot,             // after <CRLF>"."
        dot_cr,          // after <CRLF>"."<CR>
        loose_start,     // after a bare LF or bare CR
        loose_dot,       // after a bare LF or CR, then "."
        loose_dot_cr,    // after a bare LF or CR, then ".", then CR
    };
    At at = At::line_start;
    bool bare_lf = false;    // an LF not preceded by CR
    bool bare_cr = false;    // a CR not followed by LF
    bool lookalike = false;  // a "." line delimited by a bare CR or LF: <LF>.<LF> and relatives
    std::uint64_t octets = 0;  // message size so far (RFC 1870 §5: without the end marker and stuffing dots)
    bool operator==(const DataScan&) const = default;
};

// Something that makes a later unsolicited reply attributable to a known attack.
enum class Hazard : std::uint8_t {
    none,
    smuggling,           // the last message text held <LF>.<LF> or a relative (§4.1.1.4)
    bare_line_ends,      // the last message text held a bare CR or LF (§2.3.8)
    starttls_injection,  // commands were pipelined in cleartext after STARTTLS (RFC 3207 §4.2)
    bdat_refused,        // a BDAT chunk was refused: its octets must not be read as commands (RFC 3030 §2)
};

// How the last mail transaction ended, while no new one has begun: a RCPT
// accepted after RSET or EHLO shows the reset the server skipped (RFC 5321
// §4.1.1.5, §4.1.4); a BDAT after BDAT LAST must be answered 503 (RFC 3030 §2).
enum class Ended : std::uint8_t { open, by_rset, by_ehlo, by_bdat_last };

struct State {
    Phase phase = Phase::connecting;
    Profile profile = Profile::relay;
    bool tls = false;            // TLS is active on the connection
    bool authenticated = false;  // AUTH succeeded (RFC 4954)
    bool trusted = false;        // independently authorized client (ConnectionOpened::trusted)
    bool extended = false;       // the session was opened with EHLO (not HELO)
    grammar::Capabilities capabilities;  // of the last accepted EHLO reply; empty after HELO or TLS
    Transaction transaction;
    DataScan data;
    Phase resume = Phase::ready;  // where an AUTH exchange returns to
    Hazard hazard = Hazard::none;
    Ended ended = Ended::open;
    // AUTH exchange bookkeeping for the reference server (respond): the
    // mechanism in progress ("PLAIN", "LOGIN"), the LOGIN user name and how
    // many client lines were answered 334. Absent when all three are empty,
    // which keeps a State cheap to copy outside an exchange.
    struct AuthExchange {
        std::string mechanism;
        std::string user;
        unsigned step = 0;
        bool operator==(const AuthExchange&) const = default;
    };
    std::optional<AuthExchange> auth_exchange;
    bool operator==(const State&) const = default;
};

// The state right after a TLS handshake on `profile` (RFC 3207 §4.2: "the SMTP
// protocol is reset to the initial state (the state in SMTP after a server
// issues a 220 service ready greeting)"), with TLS active.
State fresh_tls_state(Profile profile);

// Inside a mail transaction (RFC 5321 §3.3): MAIL accepted and not yet ended.
constexpr bool in_transaction(Phase p) noexcept {
    return p == Phase::mail || p == Phase::rcpt || p == Phase::bdat;
}

std::string_view to_string(Phase) noexcept;
std::string_view to_string(Profile) noexcept;
std::optional<Profile> parse_profile(std::string_view) noexcept;

}  // namespace smtpspec::model
