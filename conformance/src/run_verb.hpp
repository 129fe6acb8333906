// `smtpspec run [TARGET] ...`: every applicable check against TARGET, or with
// no TARGET against the in-process reference server in all three profiles.
#pragma once

namespace CLI {
class App;
}

namespace smtpspec::cli {

void add_run_verb(CLI::App& app, int& exit_code);

}  // namespace smtpspec::cli
