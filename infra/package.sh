#!/usr/bin/env bash
# Build the Lambda zip with `zappa package` from a lean runtime-only venv, without an AWS account.
#
#   infra/package.sh [stage] [output]      default: stage "cfn", output dist/hall-lambda.zip
#
# Stage "cfn" is the zip for infra/template.yaml (aws-cn, or any region without Zappa): it bakes
# no AWS_REGION, no environment and no event mapping into the zip's zappa_settings.py, because
# Zappa's handler copies those into os.environ at start and would override what the template
# sets. Stages "dev"/"prod" build the zip for `zappa deploy <stage> --zip <output>`.
set -euo pipefail

cd "$(dirname "$0")/.."
STAGE="${1:-cfn}"
OUT="${2:-dist/hall-lambda.zip}"
PY="${PYTHON:-python3.11}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    echo "package: need Python 3.11 (the Lambda runtime; .pyc files are per version): PYTHON=$PY" >&2
    exit 2
fi
VENV=".venv-package"
MAX_BYTES=$((25 * 1024 * 1024))
# Lambda python3.11 runs on Amazon Linux 2 (glibc 2.26): compiled wheels must say so.
LAMBDA_PLATFORMS=(manylinux_2_26_x86_64 manylinux_2_24_x86_64 manylinux_2_17_x86_64
                  manylinux2014_x86_64)

ZAPPA_REQ="$(grep -E '^zappa([=<>~ ]|$)' requirements-dev.txt || echo zappa)"
STAMP="$(cat requirements.txt; echo "$ZAPPA_REQ ${LAMBDA_PLATFORMS[*]}"; "$PY" -V)"

# Refuse to talk to AWS: dummy credentials, a region, and every endpoint sent to a closed port.
export AWS_ACCESS_KEY_ID=package-only AWS_SECRET_ACCESS_KEY=package-only
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-ap-east-1}"
export AWS_ENDPOINT_URL="http://127.0.0.1:9"
unset AWS_PROFILE AWS_SESSION_TOKEN

if [[ ! -x "$VENV/bin/zappa" || "$(cat "$VENV/.stamp" 2>/dev/null)" != "$STAMP" ]]; then
    echo "package: building $VENV (requirements.txt + $ZAPPA_REQ)"
    "$PY" -m venv --clear "$VENV"
    "$VENV/bin/python" -m pip install -q -q -r requirements.txt "$ZAPPA_REQ"
    # Swap every compiled distribution for its Lambda-platform wheel (the build machine may
    # have picked a newer manylinux tag that Amazon Linux 2 cannot load).
    SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    mapfile -t BINARY < <("$VENV/bin/python" - <<'EOF'
from importlib.metadata import distributions
for d in distributions():
    if (d.read_text("WHEEL") or "").find("Root-Is-Purelib: false") >= 0:
        print(f"{d.metadata['Name']}=={d.version}")
EOF
)
    if ((${#BINARY[@]})); then
        echo "package: Lambda-platform wheels for ${BINARY[*]}"
        PLATS=()
        for p in "${LAMBDA_PLATFORMS[@]}"; do PLATS+=(--platform "$p"); done
        "$VENV/bin/python" -m pip install -q -q --no-deps --upgrade --only-binary=:all: \
            --implementation cp --python-version 3.11 "${PLATS[@]}" --target "$SITE" "${BINARY[@]}"
    fi
    echo "$STAMP" > "$VENV/.stamp"
fi

mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
VIRTUAL_ENV="$PWD/$VENV" PATH="$PWD/$VENV/bin:$PATH" \
    "$VENV/bin/zappa" package "$STAGE" -o "$OUT"

# Lambda's /var/task is read-only, so without bytecode in the zip every cold start compiles
# every module it imports. Zappa's zip has none (settings exclude stale __pycache__), so add
# checked-hash .pyc files: valid whatever the file times are after unzipping.
"$VENV/bin/python" - "$OUT" <<'EOF'
import compileall, os, shutil, sys, tempfile, zipfile

out = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="hall-zip-")
try:
    with zipfile.ZipFile(out) as z:
        z.extractall(tmp)
    compileall.compile_dir(tmp, quiet=2, workers=0,
                           invalidation_mode=compileall.py_compile.PycInvalidationMode.CHECKED_HASH)
    with zipfile.ZipFile(out + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for root, dirs, files in os.walk(tmp):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                info = zipfile.ZipInfo(os.path.relpath(path, tmp))
                info.create_system = 3
                info.external_attr = 0o755 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(path, "rb") as f:
                    z.writestr(info, f.read())
    os.replace(out + ".tmp", out)
finally:
    shutil.rmtree(tmp)
EOF

SIZE=$(stat -c %s "$OUT")
echo "package: $OUT ($STAGE) $((SIZE / 1024)) KiB ($SIZE bytes; limit $MAX_BYTES)"
if ((SIZE > MAX_BYTES)); then
    echo "package: FAIL: zip is larger than 25 MB" >&2
    exit 1
fi
