// Runs the built `smtpspec` program as a user runs it, for the tests of its verbs.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace smtpspec::test {

struct Outcome {
    int status = -1;
    std::string out;
    std::string err;
};

inline std::string slurp(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs SMTPSPEC_BINARY with `args` (no shell in between), `input` on stdin.
inline Outcome smtpspec(std::vector<std::string> const& args, std::string const& input = "") {
    char dir_template[] = "/tmp/smtpspec-cli-XXXXXX";
    char const* dir = ::mkdtemp(dir_template);
    if (!dir) return {};
    std::string const in_path = std::string(dir) + "/in", out_path = std::string(dir) + "/out",
                      err_path = std::string(dir) + "/err";
    std::ofstream(in_path, std::ios::binary) << input;

    std::vector<char*> argv;
    std::string binary = SMTPSPEC_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copies = args;
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);

    Outcome o;
    pid_t const pid = ::fork();
    if (pid == 0) {
        int const in = ::open(in_path.c_str(), O_RDONLY);
        int const out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int const err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0) ::_exit(127);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int wstatus = 0;
    if (pid > 0 && ::waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus)) o.status = WEXITSTATUS(wstatus);
    o.out = slurp(out_path);
    o.err = slurp(err_path);
    std::remove(in_path.c_str());
    std::remove(out_path.c_str());
    std::remove(err_path.c_str());
    ::rmdir(dir);
    return o;
}

inline std::vector<std::string> lines(std::string const& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace smtpspec::test
