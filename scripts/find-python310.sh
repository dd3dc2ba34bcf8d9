#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 needs it), or explain how to get one.
set -u
is_310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }
candidates=("${PYTHON310:-}" "$(command -v python3.10 2>/dev/null)")
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
for dir in "$pyenv_root"/versions/3.10*; do
  candidates+=("$dir/bin/python3.10" "$dir/bin/python")
done
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10)
for candidate in "${candidates[@]}"; do
  if is_310 "$candidate"; then echo "$candidate"; exit 0; fi
done
cat >&2 <<'MSG'
Rasa 3.6 needs Python 3.10, and none was found (looked at $PYTHON310, python3.10 on PATH and
pyenv's versions folder). Install one, then run make again:
  - with pyenv:  pyenv install 3.10   (or set PYTHON310=/path/to/python3.10)
  - on Debian/Ubuntu: apt-get install python3.10 python3.10-venv   (where your release has it)
MSG
exit 1
