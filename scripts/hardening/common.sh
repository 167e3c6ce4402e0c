# Shared by scripts/hardening/*.sh (sourced). Debian's tools first on PATH.
export PATH="/usr/bin:$PATH"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SRC=$(pwd)
# Sanitizer runtime options: stop at the first report, with a stack.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
NPROC=${SCSMS_JOBS:-2}

# configure BUILD_DIR MESON_ARGS...: set up once (remove the folder to change options).
configure() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    local log
    log=$(mktemp)
    /usr/bin/meson setup "$dir" "$@" >"$log" 2>&1 || { cat "$log"; rm -f "$log"; return 1; }
    rm -f "$log"
  fi
}
