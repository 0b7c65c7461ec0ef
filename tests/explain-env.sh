# explain-env.sh - sourced by the shell tests that drive the built
# plainbounce-explain from Python: sets $python (the test exits 77
# without it), $explain (absolute path of the CLI) and $tmp (a private
# directory removed at exit).  Expects $builddir.
python=${PYTHON3:-python3}
command -v "$python" >/dev/null 2>&1 || { echo "no python3"; exit 77; }
explain=$(cd "$builddir" && pwd)/cli/plainbounce-explain
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
