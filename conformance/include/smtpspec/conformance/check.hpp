// The check catalogue's vocabulary: a Check (what it tests and how), the
// options of a run, and the Result of running one check.
//
// A check is judged by the model, never by itself: its procedure drives one
// or more sessions through a Probe, every reply goes through model::observe,
// and the verdict comes from the findings on the rules the check covers
// (MUST -> fail, SHOULD -> warn, INFO -> info). A procedure that cannot go on
// says why: skip (not applicable, e.g. "server does not advertise CHUNKING")
// or error (could not run, e.g. "no reply to EHLO within 10 s").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/conformance/connection.hpp"
#include "smtpspec/conformance/target.hpp"
#include "smtpspec/conformance/tls.hpp"
#include "smtpspec/model/policy.hpp"
#include "smtpspec/model/rules.hpp"
#include "smtpspec/model/state.hpp"

namespace smtpspec::conformance {

enum class Verdict : std::uint8_t { pass, fail, warn, info, skip, error };
std::string_view to_string(Verdict) noexcept;
// The verdict a finding of this level gives: MUST -> fail, SHOULD -> warn, INFO -> info;
// with `pedantic` (--pedantic), INFO -> warn as well.
Verdict verdict_for(model::Level, bool pedantic = false) noexcept;

// Which profiles a check applies to (a bit per model::Profile).
enum ProfileMask : std::uint8_t {
    relay_only = 1u << 0,
    submission_only = 1u << 1,
    submissions_only = 1u << 2,
    all_profiles = relay_only | submission_only | submissions_only,
};
constexpr bool applies(std::uint8_t mask, model::Profile p) noexcept {
    return (mask & (1u << static_cast<unsigned>(p))) != 0;
}

// What a check needs from the user before it can run.
enum Need : std::uint8_t {
    need_nothing = 0,
    need_recipient = 1u << 0,    // completes a message: --rcpt
    need_credentials = 1u << 1,  // authenticates: --user and a password
    need_slow = 1u << 2,         // takes minutes: --slow
};

class CheckContext;

struct Check {
    std::string_view id;      // stable: "rfc5321/4.1.4/rcpt-before-mail"
    std::string_view title;   // one line
    // The rules the verdict is judged on: names from the model's rule table
    // (model::find_rule) or the TLS rule table (tls_rules.hpp).
    std::vector<std::string_view> rules;
    std::uint8_t profiles = all_profiles;
    std::uint8_t needs = need_nothing;
    std::string_view sends;    // what it sends, for `smtpspec explain`
    std::string_view accepts;  // what a conforming server answers, in words
    void (*procedure)(CheckContext&) = nullptr;
};

// The RFC number and section in a check id: "rfc5321/4.1.4/x" -> {5321, "4.1.4"}.
struct Section {
    unsigned rfc = 0;
    std::string section;
    std::string text() const;  // "RFC 5321 §4.1.4"
};
Section section_of(std::string_view check_id);

// A rule a check can cite, from either table.
struct RuleRef {
    std::string_view name;
    unsigned rfc = 0;
    std::string_view section;
    model::Level level = model::Level::info;
    std::string_view summary;
    std::string_view quote;
};
std::optional<RuleRef> find_any_rule(std::string_view name);
// The most severe level among the check's rules (MUST before SHOULD before INFO).
model::Level level_of(const Check&);

// The whole catalogue, ordered by id.
std::span<const Check> catalogue();
const Check* find_check(std::string_view id);

// Everything the user told `smtpspec run`.
struct RunOptions {
    model::Profile profile = model::Profile::relay;
    // Addresses without angle brackets: "user@example.org".
    std::optional<std::string> rcpt;       // --rcpt: the only recipient a message is sent to
    std::optional<std::string> mail_from;  // --mail-from (default: the null reverse-path "<>")
    std::optional<model::Credential> credentials;  // --user and --password-file / SMTPSPEC_PASSWORD
    Duration timeout = default_timeout;
    bool slow = false;        // --slow: run the checks that take minutes
    bool tls_verify = false;  // --tls-verify: a certificate that does not verify is fatal
    // --trusted-client: the server authorizes this client without AUTH (RFC 6409 §4.3,
    // e.g. by its network), so MAIL before AUTH on submission is its choice, not a failure.
    bool trusted_client = false;
    // --pedantic: a finding on a rule the RFC leaves to the server (INFO) warns
    // instead of only being noted -- for a server that should do what the RFC
    // describes as the norm even where it does not require it (501 to
    // "STARTTLS foo", 503 to MAIL before EHLO).
    bool pedantic = false;
    std::string ehlo_domain = "smtpspec.invalid";
};

// One finding, as a report shows it.
struct Observation {
    std::string rule;          // "rfc3207/4.2/discard-pipelined"
    unsigned rfc = 0;
    std::string section;       // "4.2"
    model::Level level = model::Level::info;
    std::string explanation;   // one line
    std::string expected;      // the model's allowed set, e.g. "503"
    std::string actual;        // e.g. "250 2.0.0 Ok"
    std::string excerpt;       // the transcript lines around it
};

struct CheckResult {
    const Check* check = nullptr;
    Verdict verdict = Verdict::error;
    std::string reason;                     // skip/error: why; fail/warn/info: the first finding's explanation
    std::vector<Observation> findings;      // on the check's own rules
    std::vector<Observation> other;         // on other rules, seen along the way (not part of the verdict)
    std::string transcript;                 // every session of the check, in the check-transcript format
    std::optional<TlsFacts> tls;            // of the last TLS session the check ran, if any
    std::chrono::milliseconds duration{0};
};

struct Counts {
    std::size_t pass = 0, fail = 0, warn = 0, info = 0, skip = 0, error = 0;
    void add(Verdict v) noexcept;
};

// One run: every applicable check against one target in one profile.
struct RunReport {
    std::string target;  // "tcp://127.0.0.1:25", "in-process"
    model::Profile profile = model::Profile::relay;
    bool pedantic = false;              // --pedantic: findings on INFO rules warned
    std::optional<TlsFacts> tls;        // the first TLS session's facts
    std::vector<CheckResult> results;   // catalogue order
    std::chrono::milliseconds duration{0};
    Counts counts() const;
};

}  // namespace smtpspec::conformance
