// `smtpspec serve --maildir DIR`: each accepted message is stored in Maildir
// layout (DIR/tmp, DIR/new, DIR/cur): written under tmp/, then renamed into
// new/, under a unique name "SECONDS.PID_COUNTER.HOST".
//
// The file holds the envelope (RFC 5321 §3.3) as header fields, then the
// message content exactly as received, dot-stuffing removed (§4.5.2) and line
// ends untouched:
//
//   X-Smtpspec-Mail-From: <a@example.org>
//   X-Smtpspec-Rcpt-To: <b@example.org>       (one per recipient)
//   <content>
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "smtpspec/conformance/server/core.hpp"

namespace smtpspec::conformance::serve {

class Maildir {
public:
    // Creates DIR and its tmp, new and cur subdirectories as needed. Throws
    // std::runtime_error naming the directory and the fix when that fails.
    explicit Maildir(std::filesystem::path dir);

    // Stores one message and returns the path of the file in new/. Throws
    // std::runtime_error naming the file and the system's reason on failure.
    std::filesystem::path deliver(const server::Message& message);

    const std::filesystem::path& dir() const { return dir_; }
    std::uint64_t delivered() const { return counter_; }

    // The envelope header fields and the content, as stored.
    static std::string file_text(const server::Message& message);

private:
    std::string unique_name();

    std::filesystem::path dir_;
    std::string host_;
    std::uint64_t counter_ = 0;
};

}  // namespace smtpspec::conformance::serve
