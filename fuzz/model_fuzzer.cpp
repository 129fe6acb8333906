// Fuzz target: the model (expect, observe, respond) and the transcript reader.
//
// Invariant: for any sequence of inputs and replies the model never crashes,
// hangs or throws; every finding cites a rule of the table and carries that
// rule's level, with an explanation; observe reports a misuse exactly when
// expect does, and then leaves the state as it was; expect and expect_codes
// agree on the reply codes; and along the same client inputs, the reference
// server (respond) never yields a finding (only an INFO one for a command
// that parsed only leniently, which the model notes whatever the answer): the
// session in which every reply is respond's is stepped beside the one with
// the input's replies.
// The transcript reader (replay) likewise never throws, and its findings obey
// the same rule/level invariant and point at a line of the transcript.
//
// Input layout. Byte 0 picks the profile and what the rest is:
//   bits 0-1  profile: 0 relay, 1 submission, 2 submissions, 3 relay
//   bit 2     TLS from the first byte (always on for submissions)
//   bit 3     the policy refuses the session (greeting 554), if bit 4 too
//   bit 5     the policy answers VRFY 250/251 instead of 252
//   bit 7     the rest is a transcript for replay() (native or swaks format)
// Byte 1 is the reference server's policy, one extension per bit, 0 = offered:
//   0 PIPELINING, 1 8BITMIME, 2 SMTPUTF8, 3 CHUNKING, 4 BINARYMIME,
//   5 ENHANCEDSTATUSCODES, 6 STARTTLS; bit 7 set: SIZE 1000 instead of 10485760.
// Then records, one per step, each a line ending in LF (the last may lack it):
//   <kind><reply><payload>LF [<reply line>LF]
//   kind     C command, T message text, B BDAT chunk, L BDAT LAST chunk,
//            H TLS handshake done, A AUTH line, X client closed, Z server closed,
//            I idle, O connection opened; any other byte: byte % 10 in that order
//   reply    r the reference server answers (respond), g a reply line follows,
//            m a malformed reply line follows, c the server closes, s silence;
//            any other byte: byte % 5 in that order
//   payload  client bytes in the transcript escapes (\r \n \t \\ \xHH; CRLF
//            appended unless the payload ends in a lone backslash); a command
//            that does not parse becomes an UnparsedLine with the grammar's error
//   reply line  reply text, '|' separating its lines (each gets CRLF)
// The session starts with ConnectionOpened for the profile of byte 0.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "fuzz_common.hpp"
#include "smtpspec/grammar/parse.hpp"
#include "smtpspec/model/model.hpp"
#include "smtpspec/model/rules.hpp"
#include "smtpspec/model/transcript.hpp"

namespace {

namespace g = smtpspec::grammar;
namespace m = smtpspec::model;

std::string_view whole_input;  // for the report of a violated invariant

#define MODEL_CHECK(cond) SMTPSPEC_FUZZ_CHECK(cond, whole_input)

void check_finding(const m::Finding& f) {
    const auto table = m::rules();
    MODEL_CHECK(static_cast<std::size_t>(f.rule) < table.size());
    MODEL_CHECK(f.level == m::rule(f.rule).level);
    MODEL_CHECK(m::rule(f.rule).id == f.rule);
    MODEL_CHECK(!f.explanation.empty());
}

// Reads the next record field up to LF (or the end).
std::string_view take_line(std::string_view& rest) {
    std::size_t const lf = rest.find('\n');
    std::string_view line = rest.substr(0, lf);
    rest = lf == std::string_view::npos ? std::string_view{} : rest.substr(lf + 1);
    return line;
}

std::string reply_text(std::string_view line) {
    std::string out;
    for (char c : line) {
        if (c == '|') out += "\r\n";
        else out += c;
    }
    return out + "\r\n";
}

m::Input command_input(std::string bytes) {
    auto strict = g::parse_command(bytes);
    if (strict) return m::CommandInput{strict.value(), std::move(bytes), false};
    g::Options lenient_options;
    lenient_options.mode = g::Mode::lenient;
    auto lenient = g::parse_command(bytes, lenient_options);
    if (lenient) return m::CommandInput{lenient.value(), std::move(bytes), true};
    return m::UnparsedLine{std::move(bytes), strict.error()};
}

// expect() and expect_codes() agree on everything but the content rules.
void check_expectation(const m::State& s, const m::Input& in, const m::Expectation& e) {
    const m::Expectation codes = m::expect_codes(s, in);
    MODEL_CHECK(codes.misuse.has_value() == e.misuse.has_value());
    MODEL_CHECK(codes.count == e.count);
    for (std::uint8_t i = 0; i < e.count; ++i) {
        MODEL_CHECK(codes.constraints[i].rule == e.constraints[i].rule);
        MODEL_CHECK(codes.constraints[i].codes == e.constraints[i].codes);
    }
}

// One step of the reference session, where every reply is respond's: no finding.
m::State reference_step(const m::State& s, const m::Input& in, const m::Policy& policy) {
    const m::Expectation e = m::expect(s, in);
    check_expectation(s, in, e);
    if (e.misuse) return s;
    // ServerClosed is the server's own act, not a client input: the reference
    // server does it only where closing is allowed.
    if (std::holds_alternative<m::ServerClosed>(in) && !e.may_close) return s;
    const m::Response own = m::respond(s, in, policy);
    const m::Step clean = m::observe(s, in, own);
    MODEL_CHECK(!clean.misuse);
    // A command that parsed only leniently is noted (INFO) whatever the answer
    // (rfc5321/4.1.2/lenient-syntax): there the reference server may draw an
    // INFO finding, never a MUST or SHOULD one.
    const auto* command = std::get_if<m::CommandInput>(&in);
    const bool lenient = command && command->lenient;
    for (const m::Finding& f : clean.findings) {
        if (lenient && f.level == m::Level::info) continue;
        std::fprintf(stderr, "the reference server's reply breaks %s in phase %s: %s (%s)\n",
                     std::string(m::rule(f.rule).name).c_str(), std::string(m::to_string(s.phase)).c_str(),
                     f.explanation.c_str(), m::describe(own).c_str());
        MODEL_CHECK(false);
    }
    return clean.next;
}

// One step of the observed session, with the record's reply: findings cite
// their rule at its level; a misuse changes nothing.
m::State observed_step(const m::State& s, const m::Input& in, char reply_mode, std::string_view reply_line,
                       const m::Policy& policy) {
    const m::Expectation e = m::expect(s, in);
    check_expectation(s, in, e);
    m::Response response = m::Silence{};
    switch (reply_mode) {
        case 'r': response = m::respond(s, in, policy); break;
        case 'c': response = m::Closed{}; break;
        case 'g': {
            std::string const text = reply_text(reply_line);
            auto parsed = g::parse_reply(text);
            if (parsed) response = parsed.value();
            else response = m::MalformedReply{text, parsed.error()};
            break;
        }
        case 'm':
            response = m::MalformedReply{reply_text(reply_line),
                                         g::ParseError{g::ErrorKind::syntax, 0, "Reply-line", "fuzz"}};
            break;
        default: break;
    }
    const m::Step observed = m::observe(s, in, response);
    MODEL_CHECK(observed.misuse.has_value() == e.misuse.has_value());
    if (observed.misuse) {
        MODEL_CHECK(observed.findings.empty());
        MODEL_CHECK(observed.next == s);
    }
    for (const m::Finding& f : observed.findings) check_finding(f);
    return observed.next;
}

void run_records(std::string_view rest, m::Profile profile, bool tls, const m::Policy& policy) {
    static constexpr char kinds[] = {'C', 'T', 'B', 'L', 'H', 'A', 'X', 'Z', 'I', 'O'};
    static constexpr char replies[] = {'r', 'g', 'm', 'c', 's'};
    auto kind_of = [](unsigned char b) {
        for (char k : kinds)
            if (b == static_cast<unsigned char>(k)) return k;
        return kinds[b % 10];
    };
    auto reply_of = [](unsigned char b) {
        for (char r : replies)
            if (b == static_cast<unsigned char>(r)) return r;
        return replies[b % 5];
    };

    // Two sessions on the same client inputs: the reference one (replies from
    // respond) and the observed one (the records' replies, which decide the
    // inputs' framing).
    m::State reference = reference_step(m::State{}, m::ConnectionOpened{profile, tls}, policy);
    m::State s = observed_step(m::State{}, m::ConnectionOpened{profile, tls}, 'r', {}, policy);
    std::size_t steps = 0;
    while (!rest.empty() && steps++ < 256) {
        char const kind = kind_of(static_cast<unsigned char>(rest[0]));
        char const reply = rest.size() > 1 ? reply_of(static_cast<unsigned char>(rest[1])) : 'r';
        rest.remove_prefix(std::min<std::size_t>(rest.size(), 2));
        std::string_view const payload = take_line(rest);
        std::string_view reply_line;
        if (reply == 'g' || reply == 'm') reply_line = take_line(rest);

        m::Input in = m::Idle{};
        switch (kind) {
            case 'C': in = command_input(m::decode_client_line(payload)); break;
            case 'T': {
                std::string bytes = m::decode_client_line(payload);
                // A chunk ends at the end of data (end_of_data): cut it there.
                if (s.phase == m::Phase::data) {
                    m::DataScan scan = s.data;
                    std::size_t const end = m::end_of_data(scan, bytes);
                    if (end != m::npos) bytes.resize(end);
                }
                in = m::MessageText{std::move(bytes)};
                break;
            }
            case 'B':
            case 'L': {
                std::string bytes = m::decode_client_line(payload);
                g::ast::Bdat command;
                command.size = bytes.size();
                command.last = kind == 'L';
                in = m::BdatChunk{command, std::move(bytes)};
                break;
            }
            case 'H': in = m::TlsEstablished{}; break;
            case 'A': {
                std::string text = m::decode_client_line(payload);
                if (text.size() >= 2 && text.ends_with("\r\n")) text.resize(text.size() - 2);
                in = m::AuthLine{std::move(text)};
                break;
            }
            case 'X': in = m::ClientClosed{}; break;
            case 'Z': in = m::ServerClosed{}; break;
            case 'I': in = m::Idle{}; break;
            case 'O': in = m::ConnectionOpened{profile, tls}; break;
            default: break;
        }
        reference = reference_step(reference, in, policy);
        s = observed_step(s, in, reply, reply_line, policy);
    }
}

void run_transcript(std::string_view text, m::Profile profile, bool tls) {
    m::ReplayOptions options;
    options.profile = profile;
    options.tls = tls;
    const m::ReplayResult result = m::replay(text, options);
    std::size_t lines = 1;
    for (char c : text) lines += c == '\n';
    bool must = false;
    for (const m::TranscriptFinding& f : result.findings) {
        check_finding(f.finding);
        MODEL_CHECK(f.line >= 1 && f.line <= lines + 1);
        must = must || f.finding.level == m::Level::must;
    }
    for (const m::TranscriptError& e : result.errors) {
        MODEL_CHECK(e.line >= 1 && e.line <= lines + 1);
        MODEL_CHECK(!e.message.empty());
    }
    MODEL_CHECK(result.conforming() == !must);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    whole_input = std::string_view(reinterpret_cast<const char*>(data), size);
    if (size < 2) return 0;
    unsigned const mode = data[0];
    unsigned const bits = data[1];
    std::string_view const rest = whole_input.substr(2);

    m::Profile const profile = (mode & 3) == 1   ? m::Profile::submission
                               : (mode & 3) == 2 ? m::Profile::submissions
                                                 : m::Profile::relay;
    bool const tls = (mode & 4) || profile == m::Profile::submissions;
    m::Policy policy;
    policy.refuse_session = (mode & 8) && (mode & 16);
    policy.vrfy = mode & 32;
    policy.pipelining = !(bits & 1);
    policy.eight_bit_mime = !(bits & 2);
    policy.smtputf8 = !(bits & 4);
    policy.chunking = !(bits & 8);
    policy.binary_mime = !(bits & 16);
    policy.enhanced_status_codes = !(bits & 32);
    policy.starttls = !(bits & 64);
    if (bits & 128) policy.size_limit = 1000;

    try {
        if (mode & 128) run_transcript(rest, profile, tls);
        else run_records(rest, profile, tls, policy);
    } catch (const std::exception& e) {
        smtpspec::fuzz::violated(e.what(), whole_input);
    } catch (...) {
        smtpspec::fuzz::violated("an exception escaped the model", whole_input);
    }
    return 0;
}
