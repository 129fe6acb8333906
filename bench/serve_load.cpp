// Load test of the reference server's socket side (`smtpspec serve`): how many
// complete SMTP sessions per second it takes on loopback, with how much memory.
//
// The server (serve::Server, relay profile) runs in this process on its own
// thread, on 127.0.0.1 at a port the system picks. Plain Boost.Asio clients on
// the main thread first open `--concurrency` connections (500) and hold each
// after its greeting until all are greeted, so that that many sessions are
// open at once; then every client runs EHLO, MAIL, RCPT, DATA, the message
// and QUIT, checking each reply code, and starts a new session until
// `--sessions` in all have run. Loopback only; bounded in count and in time:
// after `--time-limit` seconds (60) it reports what completed and exits 1.
//
// Reported: sessions per second, the peak memory of the process (VmHWM of
// /proc/self/status; client and server together) against the baseline before
// the first connection, and that difference per concurrent session.
//
// Run: make bench (release preset), or build/release/bench/smtpspec_bench_serve_load
//      [--sessions N] [--concurrency C] [--time-limit SECONDS]
// Exit status: 0 when every session completed with the expected replies, 1 otherwise.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "serve/listener.hpp"
#include "serve/tls_identity.hpp"

namespace {

namespace asio = boost::asio;
namespace serve = smtpspec::conformance::serve;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

// Peak resident set size of this process, in KiB (0 when unknown).
long vm_hwm_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

std::string make_message() {
    std::string m = "From: load@example.org\r\nTo: sink@example.org\r\nSubject: serve load\r\n\r\n";
    for (int i = 0; i < 32; ++i)
        m += "Line " + std::to_string(i) + " of a small message body, about seventy octets long......\r\n";
    m += ".\r\n";
    return m;
}

struct Step {
    std::string send;  // empty: only read (the greeting)
    unsigned expect;
};

const std::vector<Step>& script() {
    static const std::vector<Step> steps{
        {"", 220},
        {"EHLO load.example.org\r\n", 250},
        {"MAIL FROM:<load@example.org>\r\n", 250},
        {"RCPT TO:<sink@example.org>\r\n", 250},
        {"DATA\r\n", 354},
        {make_message(), 250},
        {"QUIT\r\n", 221},
    };
    return steps;
}

struct Totals {
    std::size_t started = 0;
    std::size_t completed = 0;
    std::size_t failed = 0;
    std::size_t open = 0;
    std::size_t peak_open = 0;
    std::size_t greeted_first_wave = 0;
    std::string first_failure;
    std::function<void()> all_done;  // called once every session has ended

    void session_ended(std::size_t total) {
        if (completed + failed == total && all_done) all_done();
    }
};

class Client : public std::enable_shared_from_this<Client> {
public:
    Client(asio::io_context& io, tcp::endpoint server, Totals& totals, std::size_t total_sessions,
           std::size_t first_wave, std::vector<std::shared_ptr<Client>>& held)
        : io_(io), server_(server), totals_(totals), total_(total_sessions), first_wave_(first_wave), held_(held) {}

    void begin(bool first_wave) {
        if (totals_.started >= total_) return;
        ++totals_.started;
        first_wave_member_ = first_wave;
        step_ = 0;
        buffer_.clear();
        socket_ = std::make_unique<tcp::socket>(io_);
        auto self = shared_from_this();
        socket_->async_connect(server_, [self](const error_code& ec) {
            if (ec) return self->fail("connect: " + ec.message());
            self->connected_ = true;
            error_code ignored;
            self->socket_->set_option(tcp::no_delay(true), ignored);
            ++self->totals_.open;
            if (self->totals_.open > self->totals_.peak_open) self->totals_.peak_open = self->totals_.open;
            self->read_reply();
        });
    }

    // After the barrier: the whole first wave is greeted.
    void release() { next(); }

private:
    void read_reply() {
        auto self = shared_from_this();
        asio::async_read_until(*socket_, asio::dynamic_buffer(buffer_, 64 * 1024), "\r\n",
                               [self](const error_code& ec, std::size_t n) { self->on_line(ec, n); });
    }

    void on_line(const error_code& ec, std::size_t n) {
        if (ec) return fail("read: " + ec.message());
        std::string const line = buffer_.substr(0, n);
        buffer_.erase(0, n);
        if (line.size() >= 4 && line[3] == '-') {  // a continuation line: the reply goes on
            read_reply();
            return;
        }
        unsigned const code = static_cast<unsigned>(std::atoi(line.substr(0, 3).c_str()));
        if (code != script()[step_].expect)
            return fail("step " + std::to_string(step_) + ": expected " + std::to_string(script()[step_].expect) +
                        ", got " + line.substr(0, line.size() - 2));
        if (step_ == 0 && first_wave_member_) {
            held_.push_back(shared_from_this());
            if (++totals_.greeted_first_wave == first_wave_) {
                auto wave = std::move(held_);
                for (auto& c : wave) c->release();
            }
            return;
        }
        next();
    }

    void next() {
        ++step_;
        if (step_ == script().size()) return finish_session();
        auto self = shared_from_this();
        asio::async_write(*socket_, asio::buffer(script()[step_].send), [self](const error_code& ec, std::size_t) {
            if (ec) return self->fail("write: " + ec.message());
            self->read_reply();
        });
    }

    // After 221 the server closes: read to the end, then start the next session.
    void finish_session() {
        auto self = shared_from_this();
        asio::async_read(*socket_, asio::dynamic_buffer(buffer_, 64 * 1024), [self](const error_code&, std::size_t) {
            --self->totals_.open;
            ++self->totals_.completed;
            self->connected_ = false;
            self->socket_.reset();
            self->totals_.session_ended(self->total_);
            self->begin(false);
        });
    }

    void fail(std::string why) {
        if (totals_.first_failure.empty()) totals_.first_failure = std::move(why);
        ++totals_.failed;
        if (connected_) --totals_.open;
        connected_ = false;
        socket_.reset();
        totals_.session_ended(total_);
        if (first_wave_member_ && step_ == 0 && ++totals_.greeted_first_wave == first_wave_) {
            auto wave = std::move(held_);
            for (auto& c : wave) c->release();
        }
        begin(false);
    }

    asio::io_context& io_;
    tcp::endpoint server_;
    Totals& totals_;
    std::size_t total_;
    std::size_t first_wave_;
    std::vector<std::shared_ptr<Client>>& held_;
    std::unique_ptr<tcp::socket> socket_;
    std::string buffer_;
    std::size_t step_ = 0;
    bool first_wave_member_ = false;
    bool connected_ = false;
};

std::size_t number(const char* text, const char* option) {
    char* end = nullptr;
    unsigned long const v = std::strtoul(text, &end, 10);
    if (!end || *end || v == 0) {
        std::fprintf(stderr, "serve-load: %s needs a positive number, not '%s'\n", option, text);
        std::exit(2);
    }
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t sessions = 5000;
    std::size_t concurrency = 500;
    std::size_t time_limit = 60;
    for (int i = 1; i < argc; ++i) {
        std::string const a = argv[i];
        if (i + 1 < argc && a == "--sessions")
            sessions = number(argv[++i], "--sessions");
        else if (i + 1 < argc && a == "--concurrency")
            concurrency = number(argv[++i], "--concurrency");
        else if (i + 1 < argc && a == "--time-limit")
            time_limit = number(argv[++i], "--time-limit");
        else {
            std::fprintf(stderr, "usage: %s [--sessions N] [--concurrency C] [--time-limit SECONDS]\n", argv[0]);
            return 2;
        }
    }
    if (concurrency > sessions) concurrency = sessions;

    // Client and server sockets together: two descriptors per concurrent session.
    rlimit nofile{};
    if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &nofile);
    }
    if (nofile.rlim_cur != RLIM_INFINITY && nofile.rlim_cur < 2 * concurrency + 64) {
        std::fprintf(stderr, "serve-load: %zu concurrent sessions need %zu file descriptors, the limit is %lu; "
                             "lower --concurrency or raise ulimit -n\n",
                     concurrency, 2 * concurrency + 64, static_cast<unsigned long>(nofile.rlim_cur));
        return 2;
    }

    asio::io_context server_io;
    serve::ServerSettings settings;
    settings.config.profile = smtpspec::model::Profile::relay;
    settings.tls = serve::make_server_context(serve::self_signed_identity("mx.example.org"));
    settings.idle_timeout = std::chrono::seconds{30};
    std::atomic<std::uint64_t> server_sessions{0};
    std::atomic<std::uint64_t> server_messages{0};
    settings.on_session_end = [&](const serve::SessionReport& r) {
        ++server_sessions;
        server_messages += r.messages;
    };
    serve::Server server(server_io, std::move(settings));
    serve::Endpoint endpoint;
    endpoint.address = asio::ip::make_address("127.0.0.1");
    if (auto failure = server.bind({endpoint})) {
        std::fprintf(stderr, "serve-load: %s\n", failure->message.c_str());
        return 2;
    }
    endpoint = server.endpoints().front();
    server.start();
    long const baseline_kib = vm_hwm_kib();
    std::thread server_thread([&] { server_io.run(); });

    asio::io_context client_io;
    Totals totals;
    std::vector<std::shared_ptr<Client>> held;
    std::vector<std::shared_ptr<Client>> clients;
    tcp::endpoint const at(endpoint.address, endpoint.port);
    for (std::size_t i = 0; i < concurrency; ++i) {
        clients.push_back(std::make_shared<Client>(client_io, at, totals, sessions, concurrency, held));
        clients.back()->begin(true);
    }
    bool timed_out = false;
    asio::steady_timer cap(client_io, std::chrono::seconds{time_limit});
    cap.async_wait([&](const error_code& ec) {
        if (ec) return;
        timed_out = true;
        client_io.stop();
    });
    totals.all_done = [&] { cap.cancel(); };  // run() returns once no work is left
    auto const start = Clock::now();
    client_io.run();
    auto const elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    long const peak_kib = vm_hwm_kib();

    asio::post(server_io, [&] { server.stop("load test over"); });
    asio::steady_timer server_cap(server_io, std::chrono::seconds{5});
    server_cap.async_wait([&](const error_code& ec) {
        if (!ec) server_io.stop();
    });
    asio::post(server_io, [&] {
        // The cap is there for sessions that would not close; once none is open, drop it.
        std::shared_ptr<std::function<void()>> poll = std::make_shared<std::function<void()>>();
        auto timer = std::make_shared<asio::steady_timer>(server_io);
        *poll = [&, timer, poll] {
            if (server.stats().open == 0) {
                server_cap.cancel();
                *poll = nullptr;
                return;
            }
            timer->expires_after(std::chrono::milliseconds{10});
            timer->async_wait([poll](const error_code& ec) {
                if (!ec && *poll) (*poll)();
            });
        };
        (*poll)();
    });
    server_thread.join();

    bool const ok = !timed_out && totals.failed == 0 && totals.completed == sessions;
    std::printf("serve-load: %zu sessions, %zu concurrent, relay on %s%s\n", sessions, concurrency,
                endpoint.address_text().c_str(), timed_out ? " -- TIME LIMIT REACHED" : "");
    std::printf("  %-32s %12zu\n", "sessions completed", totals.completed);
    std::printf("  %-32s %12zu\n", "sessions failed", totals.failed);
    std::printf("  %-32s %12zu\n", "peak concurrent (client side)", totals.peak_open);
    std::printf("  %-32s %12llu\n", "messages accepted (server side)",
                static_cast<unsigned long long>(server_messages.load()));
    std::printf("  %-32s %12.3f s\n", "wall time", elapsed);
    std::printf("  %-32s %12.0f\n", "sessions per second", elapsed > 0 ? totals.completed / elapsed : 0.0);
    std::printf("  %-32s %12.1f MiB\n", "peak memory (VmHWM)", peak_kib / 1024.0);
    std::printf("  %-32s %12.1f MiB\n", "baseline before connecting", baseline_kib / 1024.0);
    std::printf("  %-32s %12.1f KiB\n", "per concurrent session",
                concurrency ? static_cast<double>(peak_kib - baseline_kib) / static_cast<double>(concurrency) : 0.0);
    if (!totals.first_failure.empty()) std::printf("  first failure: %s\n", totals.first_failure.c_str());
    return ok ? 0 : 1;
}
