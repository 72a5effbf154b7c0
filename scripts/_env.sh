# Shared set-up for the scripts in this folder: a project virtual environment with the pinned requirements.
# Sourced, not run. Re-installs only when requirements.txt changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NO_MKDOCS_2_WARNING=1   # Material's banner about MkDocs 2.0; we pin MkDocs 1.6 on purpose

ensure_venv() {
  local stamp=".venv/.requirements.sha256" want
  want="$(sha256sum requirements.txt | cut -d' ' -f1)"
  if [ ! -x .venv/bin/python ]; then
    command -v python3 >/dev/null || { echo "error: python3 (3.10 or newer) is needed; install it first" >&2; exit 1; }
    python3 -m venv .venv || { echo "error: 'python3 -m venv' failed; on Debian/Ubuntu: apt-get install python3-venv" >&2; exit 1; }
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing pinned Python packages into .venv ..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$want" > "$stamp"
  fi
}
