#!/usr/bin/env bash
# start.sh [DATA_DIR]
#
# Ferry's test server for the production store: bootstraps (first run) and starts a
# real single-node Ceph 16 (Pacific) cluster from Debian's packages (1 mon, 1 OSD,
# optional mgr) plus a RADOS Gateway (S3 API) bound to 127.0.0.1 only. The tests
# run it through dev.ferry.testkit.CephRgw, .ci/run runs it once before bin/test.
# It lives in the repository so that a clone builds and tests with nothing beside
# it; it began as a shared script (shared/ceph/start.sh) and keeps its data dir
# layout, so either script can start or stop a cluster the other one created.
#
# Everything (config, keyrings, mon store, OSD, logs, pid files, admin sockets)
# lives under DATA_DIR (default /tmp/ferry-ceph-rgw, the tests' data dir). No
# systemd, nothing under /etc/ceph or /var/lib/ceph.
#
# Idempotent: re-running it with the same DATA_DIR only starts the daemons
# that are not running and re-checks the S3 user, so every test JVM can call it.
# Missing packages are installed with apt-get when run as root.
#
# Tunables (environment):
#   CEPH_RGW_DIR         data dir when no argument is given (default /tmp/ferry-ceph-rgw)
#   CEPH_RGW_PORT        S3 port on 127.0.0.1             (default 7480)
#   CEPH_MON_PORT        mon msgr2 port on 127.0.0.1      (default 13300)
#   CEPH_MON_V1_PORT     mon msgr1 port on 127.0.0.1      (default 16789)
#   CEPH_PORT_MIN/MAX    port range for OSD/mgr messengers (default 16800-16899)
#   CEPH_WITH_MGR        1 = also run a ceph-mgr          (default 0: not needed by RGW)
#   CEPH_OSD_STORE       bluestore (default: sparse file DATA_DIR/osd/0/block.file;
#                        falls back to memstore if bluestore mkfs fails, e.g. on tmpfs)
#                        | memstore (all object data in OSD RAM; saved on clean stop)
#   CEPH_OSD_SIZE_GB     OSD capacity in GiB               (default 8)
#   CEPH_START_TIMEOUT   seconds to wait for each step     (default 120)
#   CEPH_NO_INSTALL      1 = never apt-get install missing packages
# Ports are fixed when DATA_DIR is created. See README.md here for the S3 quirks.
set -euo pipefail

D="${1:-${CEPH_RGW_DIR:-/tmp/ferry-ceph-rgw}}"
mkdir -p "$D"
D="$(cd "$D" && pwd)"
CONF="$D/ceph.conf"

RGW_PORT="${CEPH_RGW_PORT:-7480}"
MON_PORT="${CEPH_MON_PORT:-13300}"
MON_V1_PORT="${CEPH_MON_V1_PORT:-16789}"
PORT_MIN="${CEPH_PORT_MIN:-16800}"
PORT_MAX="${CEPH_PORT_MAX:-16899}"
WITH_MGR="${CEPH_WITH_MGR:-0}"
OSD_STORE="${CEPH_OSD_STORE:-bluestore}"
OSD_SIZE_GB="${CEPH_OSD_SIZE_GB:-8}"
TIMEOUT="${CEPH_START_TIMEOUT:-120}"
ACCESS_KEY="ferryceph"
SECRET_KEY="ferrycephsecret"
S3_UID="ferryceph"
RGW_NAME="client.rgw.ferry"
ENDPOINT="http://127.0.0.1:${RGW_PORT}"

T0=$(date +%s)
log() { printf '[ceph-start %3ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
die() { printf '[ceph-start] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- packages
need_pkgs=()
command -v ceph-mon      >/dev/null 2>&1 || need_pkgs+=(ceph-mon)
command -v ceph-osd      >/dev/null 2>&1 || need_pkgs+=(ceph-osd)
command -v radosgw       >/dev/null 2>&1 || need_pkgs+=(radosgw)
command -v radosgw-admin >/dev/null 2>&1 || need_pkgs+=(radosgw)
command -v ceph          >/dev/null 2>&1 || need_pkgs+=(ceph-common)
command -v ceph-authtool >/dev/null 2>&1 || need_pkgs+=(ceph-common)
command -v monmaptool    >/dev/null 2>&1 || need_pkgs+=(ceph-common)
command -v curl          >/dev/null 2>&1 || need_pkgs+=(curl)
if [ "$WITH_MGR" = 1 ]; then command -v ceph-mgr >/dev/null 2>&1 || need_pkgs+=(ceph-mgr); fi
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  mapfile -t need_pkgs < <(printf '%s\n' "${need_pkgs[@]}" | sort -u)
  [ "${CEPH_NO_INSTALL:-0}" = 1 ] && die "missing packages: ${need_pkgs[*]} (CEPH_NO_INSTALL=1)"
  [ "$(id -u)" = 0 ] || die "missing packages: ${need_pkgs[*]} (run as root or install them)"
  log "installing missing packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

ceph_cli() { timeout 60 ceph -c "$CONF" --connect-timeout 20 "$@"; }

# pid-file based liveness: pid alive AND its command line points at our conf
is_running() { # $1 = daemon name, e.g. mon.a
  local pf="$D/run/$1.pid" pid
  [ -s "$pf" ] || return 1
  pid="$(cat "$pf")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$CONF"
}

port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# what the cluster says about itself, for error messages (a full OSD, PGs not active, ...)
cluster_state() {
  printf 'ceph health detail:\n%s\nceph osd df:\n%s\n' \
    "$(timeout 20 ceph -c "$CONF" --connect-timeout 10 health detail 2>&1 | head -n 20)" \
    "$(timeout 20 ceph -c "$CONF" --connect-timeout 10 osd df 2>&1 | head -n 5)"
}
RESET_HINT="a broken or full test cluster is reset with: $(dirname "$0")/stop.sh $D --wipe"

WATCH_DAEMONS=()   # daemons that must stay alive while we wait
wait_for() { # $1 = description, rest = command; retries until success or TIMEOUT
  local what="$1"; shift
  local deadline=$(( $(date +%s) + TIMEOUT )) d
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "timed out after ${TIMEOUT}s waiting for: $what (logs in $D/log)
$(cluster_state)
$RESET_HINT"
    for d in "${WATCH_DAEMONS[@]}"; do
      is_running "$d" || die "$d died while waiting for: $what; last log lines:
$(tail -n 15 "$D/log/$d.log" 2>/dev/null)
$RESET_HINT"
    done
    sleep 1
  done
}

# ---------------------------------------------------------------- config
mkdir -p "$D/run" "$D/log" "$D/crash" "$D/mon" "$D/osd" "$D/mgr" "$D/rgw"
# one start.sh at a time per data dir
if command -v flock >/dev/null 2>&1; then
  exec 9>"$D/.start.lock"
  flock -w "$TIMEOUT" 9 || die "another start.sh holds $D/.start.lock"
fi

if [ ! -f "$CONF" ]; then
  for p in "$RGW_PORT" "$MON_PORT" "$MON_V1_PORT"; do
    port_busy "$p" && die "port 127.0.0.1:$p is already in use (another cluster running? set CEPH_*_PORT)"
  done
  FSID="$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)"
  OSD_BYTES=$(( OSD_SIZE_GB * 1024 * 1024 * 1024 ))
  log "writing $CONF (fsid $FSID, osd store $OSD_STORE)"
  cat > "$CONF.tmp" <<EOF
# generated by Ferry's batch-common/src/test/ceph/start.sh -- single-node, loopback-only test cluster
[global]
fsid = $FSID
mon_host = [v2:127.0.0.1:${MON_PORT},v1:127.0.0.1:${MON_V1_PORT}]
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv4 = true
ms_bind_ipv6 = false
ms_bind_port_min = ${PORT_MIN}
ms_bind_port_max = ${PORT_MAX}
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
auth_allow_insecure_global_id_reclaim = false
run_dir = $D/run
crash_dir = $D/crash
keyring = $D/admin.keyring
# single replica, few PGs
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_allow_pool_delete = true
mon_max_pg_per_osd = 1000
mon_warn_on_pool_no_redundancy = false
mon_warn_on_insecure_global_id_reclaim_allowed = false
mon_data_avail_warn = 2
mon_data_avail_crit = 1
mon_cluster_log_to_file = false
# no telemetry / no outside traffic; quieter logs
log_to_stderr = false
err_to_stderr = true
debug_ms = 0/0

[mon]
mon_data = $D/mon/\$id
keyring = $D/mon/\$id/keyring
log_file = $D/log/\$name.log
pid_file = $D/run/\$name.pid
admin_socket = $D/run/\$name.asok

[mgr]
mgr_data = $D/mgr/\$id
keyring = $D/mgr/\$id/keyring
log_file = $D/log/\$name.log
pid_file = $D/run/\$name.pid
admin_socket = $D/run/\$name.asok
mgr_initial_modules = status

[osd]
osd_data = $D/osd/\$id
keyring = $D/osd/\$id/keyring
log_file = $D/log/\$name.log
pid_file = $D/run/\$name.pid
admin_socket = $D/run/\$name.asok
osd_objectstore = ${OSD_STORE}
memstore_device_bytes = ${OSD_BYTES}
bluestore_block_path = $D/osd/\$id/block.file
bluestore_block_create = true
bluestore_block_size = ${OSD_BYTES}
bluestore_block_db_create = false
bluestore_block_wal_create = false
bluestore_cache_size = 134217728
osd_memory_target = 939524096
osd_crush_update_on_start = true
# clean umount on SIGTERM (memstore only persists its data on umount)
osd_fast_shutdown = false
osd_op_num_shards = 2
osd_op_num_threads_per_shard = 1

[${RGW_NAME}]
rgw_data = $D/rgw
keyring = $D/rgw/keyring
log_file = $D/log/\$name.log
pid_file = $D/run/\$name.pid
admin_socket = $D/run/\$name.asok
rgw_frontends = beast endpoint=127.0.0.1:${RGW_PORT}
rgw_thread_pool_size = 64
rgw_enable_usage_log = false
# free the space of deleted objects within a minute (default: after 2 hours), so that test
# and benchmark runs that delete what they wrote do not fill the OSD over a day
rgw_gc_obj_min_wait = 30
rgw_gc_processor_period = 30
rgw_gc_processor_max_time = 30
# server-side encryption over plain http on loopback, with the built-in test key store:
# SSE-KMS with key ids testkey-1 / testkey-2 (test keys only, never for real data).
# The tests take the first id listed in rgw_crypt_s3_kms_encryption_keys (CephRgw.kmsKeyId()).
rgw_crypt_require_ssl = false
rgw_crypt_s3_kms_backend = testing
rgw_crypt_s3_kms_encryption_keys = testkey-1=YmluCmJvb3N0CmJvb3N0LWJ1aWxkCmNlcGguY29uZgo= testkey-2=aWIKTWFrZWZpbGUKbWFuCm91dApzcmMKVGVzdGluZwo=
EOF
  mv "$CONF.tmp" "$CONF"
fi
# an existing data dir keeps the ports it was created with
RGW_PORT="$(sed -n 's/^rgw_frontends = beast endpoint=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$CONF")"
[ -n "$RGW_PORT" ] || die "cannot read the RGW port from $CONF"
ENDPOINT="http://127.0.0.1:${RGW_PORT}"

# ---------------------------------------------------------------- keyrings + mon mkfs
if [ ! -f "$D/mon/a/.ferry-mkfs-done" ]; then
  FSID="$(awk -F' = ' '$1=="fsid"{print $2; exit}' "$CONF")"
  log "bootstrapping monitor mon.a"
  rm -rf "$D/mon/a" "$D/mon.keyring" "$D/admin.keyring" "$D/monmap"
  ceph-authtool --create-keyring "$D/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$D/admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$D/mon.keyring" --import-keyring "$D/admin.keyring" >/dev/null
  monmaptool --create --fsid "$FSID" \
    --addv a "[v2:127.0.0.1:${MON_PORT},v1:127.0.0.1:${MON_V1_PORT}]" "$D/monmap" >/dev/null
  mkdir -p "$D/mon/a"
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$D/monmap" --keyring "$D/mon.keyring" \
    >"$D/log/mon.a.mkfs.log" 2>&1 || die "ceph-mon --mkfs failed, see $D/log/mon.a.mkfs.log"
  touch "$D/mon/a/.ferry-mkfs-done"
fi

if is_running mon.a; then
  log "mon.a already running (pid $(cat "$D/run/mon.a.pid"))"
else
  MON_PORT="$(sed -n 's/^mon_host = \[v2:127\.0\.0\.1:\([0-9]*\),.*/\1/p' "$CONF")"
  port_busy "$MON_PORT" && die "port 127.0.0.1:$MON_PORT is already in use (another cluster running? stop it first)"
  log "starting mon.a on 127.0.0.1:${MON_PORT}"
  ceph-mon -c "$CONF" -i a 2>"$D/log/mon.a.stderr" 9>&- || die "ceph-mon failed to start, see $D/log/mon.a.{stderr,log}"
fi
WATCH_DAEMONS+=(mon.a)
wait_for "monitor quorum" ceph_cli mon stat

# ---------------------------------------------------------------- mgr (optional)
if [ "$WITH_MGR" = 1 ]; then
  if [ ! -s "$D/mgr/x/keyring" ]; then
    mkdir -p "$D/mgr/x"
    ceph_cli auth get-or-create mgr.x mon 'allow profile mgr' osd 'allow *' mds 'allow *' \
      -o "$D/mgr/x/keyring" >/dev/null
  fi
  if is_running mgr.x; then
    log "mgr.x already running"
  else
    log "starting mgr.x"
    ceph-mgr -c "$CONF" -i x 2>"$D/log/mgr.x.stderr" 9>&- || die "ceph-mgr failed to start, see $D/log/mgr.x.{stderr,log}"
  fi
fi

# ---------------------------------------------------------------- osd.0
if [ ! -f "$D/osd/0/.ferry-mkfs-done" ]; then
  log "creating osd.0 ($(awk -F' = ' '$1=="osd_objectstore"{print $2}' "$CONF"), ${OSD_SIZE_GB} GiB)"
  rm -rf "$D/osd/0"
  mkdir -p "$D/osd/0"
  # keep the uuid outside osd/0 so that a retry after a failed mkfs reuses the same id 0
  [ -s "$D/osd-0.uuid" ] || (cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen) > "$D/osd-0.uuid"
  OSD_UUID="$(cat "$D/osd-0.uuid")"
  OSD_ID="$(ceph_cli osd new "$OSD_UUID" 0)"
  [ "$OSD_ID" = 0 ] || die "expected osd id 0, got '$OSD_ID'"
  if ! ceph-osd -c "$CONF" -i 0 --mkfs --mkkey --no-mon-config --osd-uuid "$OSD_UUID" \
      >"$D/log/osd.0.mkfs.log" 2>&1; then
    if grep -q '^osd_objectstore = bluestore$' "$CONF" && [ -z "${CEPH_OSD_STORE:-}" ]; then
      log "bluestore mkfs failed (see $D/log/osd.0.mkfs.log); falling back to memstore"
      sed -i 's/^osd_objectstore = bluestore$/osd_objectstore = memstore/' "$CONF"
      rm -rf "$D/osd/0"; mkdir -p "$D/osd/0"
      ceph-osd -c "$CONF" -i 0 --mkfs --mkkey --no-mon-config --osd-uuid "$OSD_UUID" \
        >"$D/log/osd.0.mkfs.log" 2>&1 || die "ceph-osd --mkfs failed, see $D/log/osd.0.mkfs.log"
    else
      die "ceph-osd --mkfs failed, see $D/log/osd.0.mkfs.log"
    fi
  fi
  ceph_cli auth add osd.0 osd 'allow *' mon 'allow profile osd' mgr 'allow profile osd' \
    -i "$D/osd/0/keyring" >/dev/null 2>&1
  touch "$D/osd/0/.ferry-mkfs-done"
fi

if is_running osd.0; then
  log "osd.0 already running (pid $(cat "$D/run/osd.0.pid"))"
else
  log "starting osd.0"
  ceph-osd -c "$CONF" -i 0 2>"$D/log/osd.0.stderr" 9>&- || die "ceph-osd failed to start, see $D/log/osd.0.{stderr,log}: $(grep -m1 -o 'ceph_abort_msg(.*)' "$D/log/osd.0.stderr" 2>/dev/null)
$RESET_HINT"
fi
WATCH_DAEMONS+=(osd.0)
osd_up() { ceph_cli osd dump -f json | grep -q '"osd":0,"uuid":"[^"]*","up":1,"in":1'; }
wait_for "osd.0 up+in" osd_up
# a full OSD blocks every write: radosgw would hang in its start-up and never answer HTTP
if ceph_cli health detail 2>/dev/null | grep -qE '^\[ERR\] (OSD_FULL|POOL_FULL)'; then
  die "the cluster is full, the gateway cannot start:
$(cluster_state)
$RESET_HINT"
fi

# ---------------------------------------------------------------- radosgw
if [ ! -s "$D/rgw/keyring" ]; then
  ceph_cli auth get-or-create "$RGW_NAME" mon 'allow rw' osd 'allow rwx' mgr 'allow rw' \
    -o "$D/rgw/keyring" >/dev/null
fi
if is_running "$RGW_NAME"; then
  log "radosgw already running (pid $(cat "$D/run/$RGW_NAME.pid"))"
else
  port_busy "$RGW_PORT" && die "port 127.0.0.1:$RGW_PORT is already in use by another process"
  log "starting radosgw on $ENDPOINT"
  radosgw -c "$CONF" -n "$RGW_NAME" 2>"$D/log/$RGW_NAME.stderr" 9>&- || die "radosgw failed to start, see $D/log/$RGW_NAME.{stderr,log}"
fi
WATCH_DAEMONS+=("$RGW_NAME")
rgw_http_up() { curl -fsS --max-time 5 "$ENDPOINT/" ; }
wait_for "S3 endpoint $ENDPOINT" rgw_http_up

# ---------------------------------------------------------------- S3 user
rgwadm() { timeout 120 radosgw-admin -c "$CONF" "$@"; }
if ! rgwadm user info --uid="$S3_UID" 2>/dev/null | grep -q "\"access_key\": \"$ACCESS_KEY\""; then
  log "creating S3 user $S3_UID"
  rgwadm user create --uid="$S3_UID" --display-name="Ferry Ceph test user" \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null 2>"$D/log/user-create.err" \
    || die "radosgw-admin user create failed, see $D/log/user-create.err"
fi

# authenticated round trip (ListBuckets, SigV4) to be sure the user is usable
s3_auth_ok() {
  # curl < 8 does not add x-amz-content-sha256 itself; RGW requires it (sha256 of empty body)
  curl -fsS --max-time 5 --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
    "$ENDPOINT/" | grep -q ListAllMyBucketsResult
}
if curl --help all 2>/dev/null | grep -q -- '--aws-sigv4'; then
  wait_for "authenticated S3 ListBuckets" s3_auth_ok
fi

log "cluster ready in $(( $(date +%s) - T0 ))s"
cat <<EOF
CEPH_RGW_DIR=$D
S3_ENDPOINT=$ENDPOINT
S3_ACCESS_KEY=$ACCESS_KEY
S3_SECRET_KEY=$SECRET_KEY
S3_REGION=us-east-1
S3_PATH_STYLE=true
EOF
