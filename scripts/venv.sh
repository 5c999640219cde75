# Sourced by scripts/run and scripts/test: makes .venv with Python 3.11+ and installs the project
# into it, again only when pyproject.toml changed. Set ALS_EXTRAS to choose the extras.
set -euo pipefail

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3 python; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "als-bot needs Python 3.11 or newer; install it from https://www.python.org/downloads/ and try again." >&2
    return 1
}

extras="${ALS_EXTRAS:-dev,postgres}"
stamp=".venv/.installed-$(cksum pyproject.toml | cut -d' ' -f1)-${extras//,/-}"
if [ ! -x .venv/bin/python ]; then
    python=$(find_python)
    echo "Creating .venv with $($python --version)..." >&2
    "$python" -m venv .venv
fi
if [ ! -f "$stamp" ]; then
    echo "Installing als-bot and its dependencies into .venv (first run only)..." >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]" >&2
    rm -f .venv/.installed-*
    touch "$stamp"
fi
