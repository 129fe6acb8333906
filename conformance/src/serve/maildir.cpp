#include "serve/maildir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace smtpspec::conformance::serve {

namespace fs = std::filesystem;

namespace {

// A header field value on one line: CR and LF cannot end the field early.
std::string one_line(const std::string& value) {
    std::string out = value;
    for (char& c : out)
        if (c == '\r' || c == '\n') c = ' ';
    return out;
}

// The host part of a Maildir name: '/' and ':' are written \057 and \072, as
// the Maildir convention has it.
std::string maildir_host() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
    std::string out;
    for (const char* p = name; *p; ++p) {
        if (*p == '/')
            out += "\\057";
        else if (*p == ':')
            out += "\\072";
        else
            out += *p;
    }
    return out;
}

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
    throw std::runtime_error("maildir: cannot " + what + " '" + path.string() + "': " + std::strerror(error));
}

}  // namespace

Maildir::Maildir(fs::path dir) : dir_(std::move(dir)), host_(maildir_host()) {
    for (const char* sub : {"tmp", "new", "cur"}) {
        std::error_code ec;
        fs::create_directories(dir_ / sub, ec);
        if (ec || !fs::is_directory(dir_ / sub))
            throw std::runtime_error("cannot create the Maildir directory '" + (dir_ / sub).string() +
                                     "': " + (ec ? ec.message() : "not a directory") +
                                     "; give --maildir a directory you can write to");
    }
}

std::string Maildir::file_text(const server::Message& message) {
    std::string text = "X-Smtpspec-Mail-From: " + one_line(message.reverse_path) + "\r\n";
    for (const std::string& r : message.recipients) text += "X-Smtpspec-Rcpt-To: " + one_line(r) + "\r\n";
    text += message.content;
    return text;
}

std::string Maildir::unique_name() {
    auto const seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return std::to_string(seconds) + "." + std::to_string(::getpid()) + "_" + std::to_string(++counter_) + "." + host_;
}

fs::path Maildir::deliver(const server::Message& message) {
    std::string const name = unique_name();
    fs::path const tmp = dir_ / "tmp" / name;
    fs::path const dest = dir_ / "new" / name;
    std::string const text = file_text(message);

    int const fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) fail("create", tmp, errno);
    std::size_t written = 0;
    while (written < text.size()) {
        ssize_t const n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int const e = n < 0 ? errno : EIO;
            ::close(fd);
            ::unlink(tmp.c_str());
            fail("write", tmp, e);
        }
        written += static_cast<std::size_t>(n);
    }
    int const synced = ::fsync(fd) == 0 ? 0 : errno;
    int const closed = ::close(fd) == 0 ? 0 : errno;
    if (synced != 0 || closed != 0) {
        ::unlink(tmp.c_str());
        fail("write", tmp, synced != 0 ? synced : closed);
    }
    if (::rename(tmp.c_str(), dest.c_str()) != 0) {
        int const e = errno;
        ::unlink(tmp.c_str());
        fail("move into new/", dest, e);
    }
    return dest;
}

}  // namespace smtpspec::conformance::serve
