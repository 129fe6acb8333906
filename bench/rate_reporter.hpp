// The console reporter of the Google Benchmark programs, which also keeps each
// benchmark's items per second, so that main() can print ratios to a baseline
// measured in the same run. With --benchmark_repetitions the mean stands for
// the benchmark. A benchmark that reported an error sets `failed`.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace smtpspec::bench {

class RateReporter : public benchmark::ConsoleReporter {
public:
    explicit RateReporter(OutputOptions options = OO_Defaults) : ConsoleReporter(options) {}

    void ReportRuns(std::vector<Run> const& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (auto const& run : runs) {
            if (run.error_occurred) {
                failed = true;
                continue;
            }
            if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "mean") continue;
            auto const it = run.counters.find("items_per_second");
            if (it != run.counters.end()) items_per_second[run.run_name.function_name] = it->second.value;
        }
    }

    std::map<std::string, double> items_per_second;  // by benchmark name
    bool failed = false;
};

}  // namespace smtpspec::bench
