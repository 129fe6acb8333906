// The choices of the reference server (respond): what it advertises, whom it
// accepts. Plain data, so that a property test can generate any Policy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smtpspec::model {

struct Credential {
    std::string user;
    std::string password;
    bool operator==(const Credential&) const = default;
};

struct Policy {
    std::string hostname = "mx.example.org";
    bool refuse_session = false;  // greet with 554 (RFC 5321 §3.1)
    bool pipelining = true;
    bool eight_bit_mime = true;
    bool smtputf8 = true;
    bool chunking = true;
    bool binary_mime = true;
    bool enhanced_status_codes = true;
    bool starttls = true;  // offered before TLS on relay and submission
    bool vrfy = false;     // false: VRFY answers 252 (RFC 5321 §7.3)
    std::optional<std::uint64_t> size_limit = 10'485'760;  // advertised SIZE; nullopt: no SIZE
    std::vector<std::string> auth_mechanisms{"PLAIN", "LOGIN"};  // offered once TLS is active
    std::vector<Credential> credentials{{"user", "secret"}};
    std::vector<std::string> refused_local_parts{"nobody"};  // RCPT answered 550 5.1.1
    unsigned max_recipients = 100;  // raised to 100 if lower (RFC 5321 §4.5.3.1.8)
    bool operator==(const Policy&) const = default;
};

}  // namespace smtpspec::model
