#!/usr/bin/env bash
# stop.sh [DATA_DIR] [--wipe]
#
# Stops the Ceph test cluster that Ferry's start.sh (beside this file) started for
# DATA_DIR (default /tmp/ferry-ceph-rgw), using only their pid files under
# DATA_DIR/run (radosgw, mgr, osd, mon, in that order). A pid is signalled only if
# that process's command line still names DATA_DIR/ceph.conf, so a recycled pid, or
# another engineer's cluster, is never hit.
#   --wipe   also delete DATA_DIR afterwards (only if start.sh wrote its ceph.conf)
# Env: CEPH_STOP_TIMEOUT seconds to wait per daemon before SIGKILL (default 60)
set -uo pipefail

WIPE=0
D=""
for a in "$@"; do
  case "$a" in
    --wipe) WIPE=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) D="$a" ;;
  esac
done
D="${D:-${CEPH_RGW_DIR:-/tmp/ferry-ceph-rgw}}"
TIMEOUT="${CEPH_STOP_TIMEOUT:-60}"

if [ ! -d "$D" ]; then
  echo "[ceph-stop] $D does not exist; nothing to stop"
  exit 0
fi
D="$(cd "$D" && pwd)"
CONF="$D/ceph.conf"

ours() { # $1 = pid: alive and started with our conf
  kill -0 "$1" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$CONF"
}

rc=0
stop_one() { # $1 = daemon name (pid file DATA_DIR/run/NAME.pid)
  local name="$1" pf="$D/run/$1.pid" pid i
  [ -s "$pf" ] || return 0
  pid="$(cat "$pf")"
  if ! [[ "$pid" =~ ^[0-9]+$ ]] || ! ours "$pid"; then
    echo "[ceph-stop] $name: pid file $pf is stale (pid '$pid' not ours or not running); removing it"
    rm -f "$pf"
    return 0
  fi
  echo "[ceph-stop] stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null
  for (( i = 0; i < TIMEOUT * 4; i++ )); do
    ours "$pid" || break
    sleep 0.25
  done
  if ours "$pid"; then
    echo "[ceph-stop] $name (pid $pid) still alive after ${TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null
    sleep 1
    if ours "$pid"; then echo "[ceph-stop] ERROR: could not kill $name (pid $pid)" >&2; rc=1; return; fi
  fi
  rm -f "$pf"
}

stop_one client.rgw.ferry
stop_one mgr.x
stop_one osd.0
stop_one mon.a

# report (but never kill) anything else still using this data dir's config
strays=""
for p in /proc/[0-9]*; do
  pid="${p#/proc/}"
  [ "$pid" = "$$" ] && continue
  cmd="$( { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null )" || continue
  case "$cmd" in
    ceph-mon\ *|ceph-osd\ *|ceph-mgr\ *|radosgw\ *|*/ceph-mon\ *|*/ceph-osd\ *|*/ceph-mgr\ *|*/radosgw\ *)
      [[ "$cmd" == *"-c $CONF "* ]] && strays+=" $pid" ;;
  esac
done
if [ -n "$strays" ]; then
  echo "[ceph-stop] WARNING: processes still using $CONF without a pid file:$strays (not touched)" >&2
  rc=1
fi

if [ "$WIPE" = 1 ]; then
  if [ -n "$strays" ]; then
    echo "[ceph-stop] not wiping $D: processes still use it" >&2
  # the mark start.sh writes atop ceph.conf; the shared script Ferry's began as wrote
  # "ceph/start.sh -- single-node" too, so data dirs it created can be wiped here as well
  elif [ "$D" = "/" ] || [ ! -f "$CONF" ] || ! grep -q 'ceph/start.sh -- single-node' "$CONF"; then
    echo "[ceph-stop] not wiping $D: it has no ceph.conf written by start.sh" >&2
    rc=1
  else
    rm -rf "$D"
    echo "[ceph-stop] wiped $D"
  fi
fi
[ "$rc" = 0 ] && echo "[ceph-stop] stopped"
exit "$rc"
