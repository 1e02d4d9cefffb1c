#!/usr/bin/env bash
# smoke.sh [ENDPOINT]
#
# A check by hand of Ferry's Ceph test server (start.sh beside this file), outside
# the JVM, with the aws CLI v2 (Debian package `awscli`, installed when missing and
# run as root): create bucket, PUT small object, PUT ~50 MiB object via multipart
# (aws s3 cp), list, GET both and compare sha256, delete, delete bucket. Prints PASS
# or FAIL (exit 0 / 1). Not part of bin/test, which checks the gateway in CephRgwTest.
# Env: S3_ENDPOINT (default http://127.0.0.1:7480), S3_ACCESS_KEY, S3_SECRET_KEY,
#      SMOKE_BIG_MB (default 50)

# the check functions below run through step "..." fn, which shellcheck cannot follow
# shellcheck disable=SC2317
set -uo pipefail

ENDPOINT="${1:-${S3_ENDPOINT:-http://127.0.0.1:7480}}"
case "$ENDPOINT" in
  http://127.*|http://localhost*|https://127.*|https://localhost*) ;;
  *) echo "FAIL: refusing non-loopback endpoint $ENDPOINT"; exit 1 ;;
esac
BIG_MB="${SMOKE_BIG_MB:-50}"

# Prefer Debian's aws CLI v2 (/usr/bin/aws); override with AWS_CLI=/path/to/aws
if [ -z "${AWS_CLI:-}" ]; then
  if [ -x /usr/bin/aws ]; then AWS_CLI=/usr/bin/aws; else AWS_CLI="$(command -v aws || true)"; fi
fi
if [ -z "$AWS_CLI" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "[smoke] installing awscli"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends awscli >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends awscli >/dev/null; }
  fi
  AWS_CLI=/usr/bin/aws
  [ -x "$AWS_CLI" ] || { echo "FAIL: aws CLI not installed"; exit 1; }
fi

W="$(mktemp -d /tmp/ceph-smoke.XXXXXX)"
trap 'rm -rf "$W"' EXIT

# isolated aws config: never read ~/.aws, path-style addressing, fixed region
cat > "$W/config" <<EOF
[default]
region = us-east-1
s3 =
    addressing_style = path
    multipart_threshold = 8MB
    multipart_chunksize = 8MB
EOF
cat > "$W/credentials" <<EOF
[default]
aws_access_key_id = ${S3_ACCESS_KEY:-ferryceph}
aws_secret_access_key = ${S3_SECRET_KEY:-ferrycephsecret}
EOF
export AWS_CONFIG_FILE="$W/config" AWS_SHARED_CREDENTIALS_FILE="$W/credentials"
export AWS_PROFILE=default AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_REGION AWS_REGION

awsx() { timeout 300 "$AWS_CLI" --endpoint-url "$ENDPOINT" "$@"; }

FAILS=0
step() { # $1 = description, rest = command
  local what="$1"; shift
  local t0 out
  t0=$(date +%s.%N)
  if out="$("$@" 2>&1)"; then
    printf '[smoke] ok    %-48s (%.1fs)\n' "$what" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')"
  else
    printf '[smoke] FAIL  %-48s\n%s\n' "$what" "$(echo "$out" | tail -n 20)"
    FAILS=$((FAILS + 1))
  fi
}

BUCKET="smoke-$(date +%s)-$$"
head -c 1234 /dev/urandom > "$W/small.bin"
head -c $(( BIG_MB * 1024 * 1024 )) /dev/urandom > "$W/big.bin"
PARTS=$(( (BIG_MB + 7) / 8 ))

check_list() {
  local l
  l="$(awsx s3api list-objects-v2 --bucket "$BUCKET" --query 'Contents[].[Key,Size]' --output text)" || return 1
  echo "$l"
  echo "$l" | grep -qx "dir/small.bin[[:space:]]1234" &&
    echo "$l" | grep -qx "big.bin[[:space:]]$(( BIG_MB * 1024 * 1024 ))"
}
check_multipart_etag() { # multipart ETags look like "<md5>-<parts>"
  local e
  e="$(awsx s3api head-object --bucket "$BUCKET" --key big.bin --query ETag --output text)" || return 1
  echo "ETag=$e"
  [[ "$e" == *"-$PARTS"* ]]
}
get_and_compare() { # $1 key, $2 local original
  rm -f "$W/dl.bin"
  awsx s3 cp --only-show-errors "s3://$BUCKET/$1" "$W/dl.bin" || return 1
  local a b
  a="$(sha256sum < "$2" | cut -d' ' -f1)"; b="$(sha256sum < "$W/dl.bin" | cut -d' ' -f1)"
  echo "sha256 local=$a remote=$b"
  [ "$a" = "$b" ]
}
check_gone() {
  local n
  # a JMESPath literal in backticks, not a shell expansion
  # shellcheck disable=SC2016
  n="$(awsx s3api list-objects-v2 --bucket "$BUCKET" --query 'length(Contents || `[]`)' --output text)" || return 1
  [ "$n" = 0 ]
}
check_bucket_listed() {
  awsx s3api list-buckets --query 'Buckets[].Name' --output text | tr '\t' '\n' | grep -qx "$BUCKET"
}
check_bucket_gone() { ! awsx s3api head-bucket --bucket "$BUCKET" >/dev/null 2>&1; }

echo "[smoke] endpoint $ENDPOINT, bucket $BUCKET, $("$AWS_CLI" --version 2>&1 | cut -d' ' -f1,4) ($AWS_CLI)"
step "create bucket"                      awsx s3api create-bucket --bucket "$BUCKET"
step "list buckets contains it"           check_bucket_listed
step "put small object (s3api put-object)" awsx s3api put-object --bucket "$BUCKET" --key dir/small.bin --body "$W/small.bin"
step "put ${BIG_MB} MiB object (multipart)"  awsx s3 cp --only-show-errors "$W/big.bin" "s3://$BUCKET/big.bin"
step "multipart ETag has -$PARTS suffix"  check_multipart_etag
step "list objects"                       check_list
step "get small + sha256"                 get_and_compare dir/small.bin "$W/small.bin"
step "get big + sha256"                   get_and_compare big.bin "$W/big.bin"
step "delete small"                       awsx s3api delete-object --bucket "$BUCKET" --key dir/small.bin
step "delete big"                         awsx s3 rm --only-show-errors "s3://$BUCKET/big.bin"
step "bucket is empty"                    check_gone
step "delete bucket"                      awsx s3api delete-bucket --bucket "$BUCKET"
step "bucket is gone"                     check_bucket_gone

if [ "$FAILS" = 0 ]; then
  echo "PASS"
  exit 0
fi
echo "FAIL ($FAILS step(s) failed)"
exit 1
