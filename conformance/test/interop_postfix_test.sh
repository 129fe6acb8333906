#!/usr/bin/env bash
# ctest interop_postfix: `smtpspec run` against a real Postfix on 127.0.0.1 (docs/interop.md).
#
#   interop_postfix_test.sh SMTPSPEC SOURCE_DIR CACHE_DIR WORK_DIR
#
# SMTPSPEC is the built program; SOURCE_DIR the repository (scripts/postfix, the baselines
# in conformance/test/interop/); CACHE_DIR where scripts/setup downloads the Postfix
# package (build/interop-cache); WORK_DIR this build's private Postfix instance. Postfix
# is started on a free port and stopped on every exit path.
#
# Three runs, one per profile: relay on PORT (baseline postfix.baseline), submission with
# STARTTLS and AUTH on PORT+1 (postfix-submission.baseline) and submissions, implicit TLS
# and AUTH, on PORT+2 (postfix-submissions.baseline). For each: the run ends within 30 s; every
# check that does not pass gives a reason; the verdicts equal the baseline
# (interop/compare_verdicts.py). After a change that moves a verdict has been looked at,
# SMTPSPEC_UPDATE_BASELINE=1 rewrites the baselines from this run.
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: $0 SMTPSPEC SOURCE_DIR CACHE_DIR WORK_DIR" >&2; exit 2; }
smtpspec=$1 source_dir=$2 cache_dir=$3 work_dir=$4
postfix=$source_dir/scripts/postfix
interop=$source_dir/conformance/test/interop
readonly rcpt=someone@interop.test
readonly time_limit=30
readonly skip_code=77  # ctest SKIP_RETURN_CODE

fail() { echo "interop_postfix: FAIL: $*" >&2; exit 1; }

[ -x "$smtpspec" ] || fail "no smtpspec program at $smtpspec: build the smtpspec target"
command -v python3 >/dev/null || fail "python3 is needed to read the JSON report: run scripts/setup"
if [ "$(id -u)" -ne 0 ]; then
  echo "interop_postfix: skipped: Postfix's master must start as root (it binds and then drops to mail_owner)"
  exit $skip_code
fi

# The packages come from the cache scripts/setup fills; fetched here only if missing.
if ! compgen -G "$cache_dir/debs/postfix_*.deb" >/dev/null; then
  echo "interop_postfix: no Postfix package in $cache_dir; fetching it"
  "$postfix" fetch "$cache_dir" ||
    fail "the Postfix package is not in $cache_dir and cannot be downloaded: run scripts/setup (with network access)"
fi

instance=$work_dir/postfix
mkdir -p "$instance/debs"
# A Postfix left running by an interrupted earlier run of this test is stopped first.
"$postfix" stop "$instance" 2>/dev/null || true
cp -p "$cache_dir"/debs/*.deb "$instance/debs/"
"$postfix" fetch "$instance" || fail "cannot unpack the Postfix package into $instance"

cleanup() { "$postfix" stop "$instance" || echo "interop_postfix: could not stop Postfix in $instance" >&2; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
# Should this script be killed outright (SIGKILL, where no trap runs), Postfix exits by
# itself after the longest this test can take.
export POSTFIX_EXIT_AFTER=300

# Three free loopback ports in a row: PORT relay, PORT+1 submission, PORT+2 submissions.
free_port() {
  python3 - <<'EOF'
import socket
for _ in range(50):
    with socket.socket() as a:
        a.bind(("127.0.0.1", 0))
        port = a.getsockname()[1]
        if port > 65533:
            continue
        free = True
        for other in (port + 1, port + 2):
            with socket.socket() as b:
                try:
                    b.bind(("127.0.0.1", other))
                except OSError:
                    free = False
        if free:
            print(port)
            break
EOF
}

started=
for attempt in 1 2 3; do
  port=$(free_port)
  [ -n "$port" ] || fail "no three free ports in a row on 127.0.0.1"
  if "$postfix" start "$instance" "$port"; then started=1; break; fi
  echo "interop_postfix: start on port $port failed (attempt $attempt)" >&2
done
[ -n "$started" ] || fail "Postfix did not start; its logs are in $instance/log"

# check_run NAME BASELINE ARGUMENTS...: `smtpspec run ARGUMENTS` and its assertions;
# returns 1 with the reason on stderr when one does not hold.
check_run() {
  local name=$1 baseline=$2
  shift 2
  local report=$work_dir/postfix-$name.json output=$work_dir/postfix-$name.txt
  local begin status elapsed_ms
  rm -f "$report"
  begin=$(date +%s%N)
  set +e
  timeout --kill-after=5 $((time_limit * 2)) "$smtpspec" run "$@" --rcpt "$rcpt" --json "$report" >"$output" 2>&1
  status=$?
  set -e
  elapsed_ms=$((($(date +%s%N) - begin) / 1000000))
  echo "interop_postfix: $name: smtpspec run $* exited $status after ${elapsed_ms} ms (output $output)"

  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    cat "$output" >&2
    echo "interop_postfix: FAIL: $name: smtpspec run did not finish within $((time_limit * 2)) s" >&2
    return 1
  fi
  # Exit 0 (no failure) and 1 (a MUST failure) carry verdicts; anything else is a broken run.
  if [ "$status" -gt 1 ] || [ ! -s "$report" ]; then
    cat "$output" >&2
    echo "interop_postfix: FAIL: $name: smtpspec run exited $status without a JSON report" >&2
    return 1
  fi
  local ok=0
  if [ "$elapsed_ms" -ge $((time_limit * 1000)) ]; then
    echo "interop_postfix: FAIL: $name: smtpspec run took ${elapsed_ms} ms; the limit is ${time_limit} s" >&2
    ok=1
  fi
  local update=()
  [ "${SMTPSPEC_UPDATE_BASELINE:-}" = 1 ] && update=(--update)
  python3 "$interop/compare_verdicts.py" "$report" "$baseline" "$name" "${update[@]}" || ok=1
  return $ok
}

result=0
check_run relay "$interop/postfix.baseline" "tcp://127.0.0.1:$port" || result=1
check_run submission "$interop/postfix-submission.baseline" "tcp://127.0.0.1:$((port + 1))" \
  --profile submission --user tester --password-file "$instance/sasl/password" || result=1
check_run submissions "$interop/postfix-submissions.baseline" "tls://127.0.0.1:$((port + 2))" \
  --user tester --password-file "$instance/sasl/password" || result=1
exit $result
