#!/usr/bin/env sh
# Print the path of a Python interpreter >= 3.12, or explain and fail.
# Mesa 3.5 needs 3.12; many machines have an older default python3, with
# newer versions installed by pyenv but not active, so we look there too.
ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }

for name in python3.13 python3.12 python3; do
    path=$(command -v "$name" 2>/dev/null) || continue
    if ok "$path"; then echo "$path"; exit 0; fi
done

root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for dir in $(ls -d "$root"/versions/3.* 2>/dev/null | sort -t. -k2,2nr -k3,3nr); do
    if ok "$dir/bin/python3"; then echo "$dir/bin/python3"; exit 0; fi
done

echo "error: no Python >= 3.12 found (tried python3.13, python3.12, python3 and" \
     "$root/versions/). Install Python 3.12 or newer, or run: make PYTHON=/path/to/python3.12" >&2
exit 1
