// `smtpspec serve`: listeners, TLS identity, faults and Maildir from the
// command line, then the server until a signal.
#include "serve_verb.hpp"

#include <algorithm>
#include <csignal>
#include <exception>
#include <fstream>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <variant>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "parse_verb.hpp"
#include "serve/endpoint.hpp"
#include "serve/listener.hpp"
#include "serve/maildir.hpp"
#include "serve/tls_identity.hpp"
#include "smtpspec/conformance/server/faults.hpp"
#include "smtpspec/model/rules.hpp"

namespace smtpspec::cli {

namespace {

namespace asio = boost::asio;
namespace server = smtpspec::conformance::server;
namespace serve = smtpspec::conformance::serve;

constexpr char const* prefix = "smtpspec serve: ";

std::string fault_names() {
    std::string names;
    for (server::FaultInfo const& f : server::faults()) names += (names.empty() ? "" : ", ") + std::string(f.name);
    return names;
}

// The first line of the file, without its line end; nullopt when the file is
// missing, unreadable or has an empty first line.
std::optional<std::string> read_password(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) return std::nullopt;
    return line;
}

struct Setup {
    std::vector<serve::Endpoint> endpoints;
    serve::ServerSettings settings;
    serve::TlsIdentity identity;
    std::unique_ptr<serve::Maildir> maildir;
};

// Everything the arguments say, checked; a usage error is printed and returns nullopt.
std::optional<Setup> setup(ServeArgs const& args, std::ostream& err) {
    Setup s;
    std::optional<model::Profile> const profile = model::parse_profile(args.profile);
    if (!profile) {
        err << prefix << "unknown profile '" << args.profile << "'; use --profile relay, submission or submissions\n";
        return std::nullopt;
    }
    for (std::string const& text : args.listen) {
        auto parsed = serve::parse_endpoint(text, *profile);
        if (auto const* e = std::get_if<serve::EndpointError>(&parsed)) {
            err << prefix << e->message << "\n";
            return std::nullopt;
        }
        s.endpoints.push_back(std::get<serve::Endpoint>(parsed));
    }
    if (s.endpoints.empty()) s.endpoints.push_back(serve::default_endpoint(*profile));

    server::Config& config = s.settings.config;
    if (!args.hostname.empty()) config.policy.hostname = args.hostname;
    for (std::string const& name : args.faults) {
        server::FaultInfo const* f = server::find_fault(name);
        if (!f) {
            err << prefix << "unknown fault '" << name << "'; known faults: " << fault_names()
                << " ('smtpspec serve --list-faults' describes them)\n";
            return std::nullopt;
        }
        config.faults.set(static_cast<std::size_t>(f->fault));
    }

    if (args.user.empty() != args.password_file.empty()) {
        err << prefix << "--user and --password-file go together; give both, or neither for the default "
            << "credentials\n";
        return std::nullopt;
    }
    if (!args.user.empty()) {
        std::optional<std::string> password = read_password(args.password_file);
        if (!password) {
            err << prefix << "cannot read a password from '" << args.password_file
                << "'; give a readable file whose first line is the password\n";
            return std::nullopt;
        }
        config.policy.credentials = {model::Credential{args.user, *password}};
    }

    if (args.size_limit) {
        if (*args.size_limit == 0) {
            config.policy.size_limit = std::nullopt;
        } else {
            config.policy.size_limit = *args.size_limit;
            // Keep every message the server says it accepts (up to 1 GiB).
            config.limits.max_message =
                std::max<std::size_t>(config.limits.max_message,
                                      static_cast<std::size_t>(std::min<std::uint64_t>(*args.size_limit, 1ull << 30)));
        }
    }
    if (args.idle_timeout == 0) {
        err << prefix << "--idle-timeout must be at least 1 second (RFC 5321 §4.5.3.2.7 asks for 300)\n";
        return std::nullopt;
    }
    s.settings.idle_timeout = std::chrono::seconds{args.idle_timeout};

    if (args.tls_cert.empty() != args.tls_key.empty()) {
        err << prefix << "--tls-cert and --tls-key go together; give both, or neither for a self-signed "
            << "certificate\n";
        return std::nullopt;
    }
    try {
        s.identity = args.tls_cert.empty() ? serve::self_signed_identity(config.policy.hostname)
                                           : serve::load_identity(args.tls_cert, args.tls_key);
        s.settings.tls = serve::make_server_context(s.identity);
    } catch (std::exception const& e) {
        err << prefix << e.what() << "\n";
        return std::nullopt;
    }

    if (!args.maildir.empty()) {
        try {
            s.maildir = std::make_unique<serve::Maildir>(args.maildir);
        } catch (std::exception const& e) {
            err << prefix << e.what() << "\n";
            return std::nullopt;
        }
        config.keep_messages = true;
    }
    return s;
}

}  // namespace

void print_faults(std::ostream& out) {
    std::size_t name_width = 0;
    std::size_t rule_width = 0;
    for (server::FaultInfo const& f : server::faults()) {
        name_width = std::max(name_width, f.name.size());
        rule_width = std::max(rule_width, model::rule(f.breaks).name.size());
    }
    for (server::FaultInfo const& f : server::faults()) {
        std::string_view const rule = model::rule(f.breaks).name;
        std::string_view const profile = model::to_string(f.profile);
        out << f.name << std::string(name_width - f.name.size() + 2, ' ') << rule
            << std::string(rule_width - rule.size() + 2, ' ') << profile
            << std::string(std::string_view("submissions").size() - profile.size() + 2, ' ') << f.description
            << "\n";
    }
}

int run_serve(ServeArgs const& args, std::ostream& out, std::ostream& err) {
    if (args.list_faults) {
        print_faults(out);
        return exit_ok;
    }
    std::optional<Setup> s = setup(args, err);
    if (!s) return exit_usage;

    std::uint64_t sessions = 0;
    std::uint64_t messages = 0;
    serve::Maildir* const maildir = s->maildir.get();
    s->settings.on_message = [&err, maildir](server::Message&& m) {
        if (!maildir) return;
        try {
            maildir->deliver(m);
        } catch (std::exception const& e) {
            err << prefix << e.what() << "\n" << std::flush;
        }
    };
    s->settings.on_session_end = [&](serve::SessionReport const& r) {
        ++sessions;
        messages += r.messages;
        err << r.line() << "\n" << std::flush;
    };
    s->settings.on_error = [&err](std::string const& line) { err << prefix << line << "\n" << std::flush; };

    asio::io_context io;
    serve::Server server(io, std::move(s->settings));
    if (auto failure = server.bind(s->endpoints)) {
        err << prefix << failure->message << "\n";
        return exit_usage;
    }

    try {
        err << prefix << (s->identity.self_signed ? "self-signed certificate" : "certificate")
            << " SHA-256 fingerprint " << serve::sha256_fingerprint(s->identity.certificate_pem) << "\n";
    } catch (std::exception const& e) {
        err << prefix << e.what() << "\n";
        return exit_usage;
    }
    if (maildir) err << prefix << "storing messages in Maildir " << maildir->dir().string() << "\n";
    err << std::flush;
    server.start();
    for (serve::Endpoint const& e : server.endpoints())
        out << "listening " << model::to_string(e.profile) << " " << e.address_text() << "\n";
    out << std::flush;

    // The first SIGINT or SIGTERM stops gracefully; a second one stops at once.
    asio::signal_set signals(io, SIGINT, SIGTERM);
    asio::steady_timer watch(io);
    std::function<void()> wait_closed = [&] {
        if (server.stats().open == 0) {
            signals.cancel();
            return;
        }
        watch.expires_after(std::chrono::milliseconds{20});
        watch.async_wait([&](boost::system::error_code const& ec) {
            if (!ec) wait_closed();
        });
    };
    signals.async_wait([&](boost::system::error_code const& ec, int signal) {
        if (ec) return;
        err << prefix << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ": stopping, " << server.stats().open
            << " open sessions get 421\n"
            << std::flush;
        server.stop("Service shutting down");
        signals.async_wait([&](boost::system::error_code const& again, int) {
            if (!again) io.stop();
        });
        wait_closed();
    });
    io.run();

    err << prefix << "stopped after " << sessions << (sessions == 1 ? " session, " : " sessions, ") << messages
        << (messages == 1 ? " message" : " messages") << (maildir ? " stored" : " accepted") << "\n";
    return exit_ok;
}

void add_serve_verb(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ServeArgs>();
    auto* sub = app.add_subcommand("serve", "Run the reference SMTP server (the model's replies) on TCP ports");
    sub->footer(
        "LISTEN is [PROFILE@]ADDRESS:PORT, e.g. relay@127.0.0.1:2525, submission@[::1]:2587,\n"
        "submissions@127.0.0.1:2465 (TLS from the first byte); port 0 picks a free port. Without --listen:\n"
        "127.0.0.1:2525 (relay), :2587 (submission) or :2465 (submissions) as --profile says.\n"
        "Prints 'listening PROFILE ADDRESS:PORT' per listener on stdout, one line per session on stderr.\n"
        "SIGINT or SIGTERM: every open session gets 421, then exit 0. See docs/serve.md.\n"
        "Exit status: 0 after a stop or --list-faults, 2 usage error or a listener that cannot be opened.");
    sub->add_option("--listen", args->listen, "A listener: [PROFILE@]ADDRESS:PORT (repeatable)")
        ->type_name("LISTEN");
    sub->add_option("--profile", args->profile, "The profile of a --listen without PROFILE@: relay (default), "
                                                "submission or submissions")
        ->type_name("PROFILE");
    sub->add_option("--hostname", args->hostname, "The server's name in its greeting and certificate "
                                                  "(default mx.example.org)")
        ->type_name("NAME");
    sub->add_option("--tls-cert", args->tls_cert, "PEM certificate (chain) file; without it a self-signed one")
        ->type_name("FILE");
    sub->add_option("--tls-key", args->tls_key, "PEM private key file of --tls-cert")->type_name("FILE");
    sub->add_option("--user", args->user, "AUTH user name (default: user, password secret)")->type_name("USER");
    sub->add_option("--password-file", args->password_file, "File whose first line is the AUTH password")
        ->type_name("FILE");
    sub->add_option("--size-limit", args->size_limit, "The SIZE limit advertised (RFC 1870); 0: no SIZE")
        ->type_name("OCTETS");
    sub->add_option("--maildir", args->maildir, "Store accepted messages in this Maildir; otherwise they are "
                                                "counted and dropped")
        ->type_name("DIR");
    sub->add_option("--fault", args->faults, "Switch on a known bug (repeatable; see --list-faults)")
        ->type_name("NAME");
    sub->add_flag("--list-faults", args->list_faults, "List the faults and the rule each breaks, then exit");
    sub->add_option("--idle-timeout", args->idle_timeout, "Seconds of client silence before 421 (default 300)")
        ->type_name("SECONDS");
    sub->callback([args, &exit_code] { exit_code = run_serve(*args, std::cout, std::cerr); });
}

}  // namespace smtpspec::cli
