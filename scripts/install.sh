#!/bin/bash
# Installs a we release archive (we-VERSION.tar.gz, built by `mvn package` in codeb-dist/target).
#
#   install.sh [--prefix DIR] [--bin-dir DIR] [ARCHIVE]
#
# --prefix   where versions live (default /opt/codeb):
#              DIR/we-VERSION/    one folder per installed version, never changed once there
#              DIR/current        symlink to the version in use
# --bin-dir  also link DIR/we to PREFIX/current/bin/we (for example /usr/local/bin)
# ARCHIVE    the archive; without it, the only we-*.tar.gz in the current folder
#
# Safe under running commands: the new version is unpacked and checked (SHA256SUMS) in a
# temporary folder inside PREFIX, renamed into place, and `current` is switched by renaming a
# new symlink over it (one atomic rename(2)). A running `we` or daemon keeps the version it
# started from: its folder stays. Idempotent: the same archive again changes nothing. When a
# different build carries the same version (a rebuilt snapshot), it goes to
# we-VERSION+SUMS12 (the first 12 hex digits of its SHA256SUMS digest), leaving the folder in use
# alone. Old versions are kept; remove a folder once nothing runs from it.
#
# Exit codes: 0 installed (or already installed), 1 the archive failed its checks or the install
# failed, 2 bad usage. Nothing is changed unless everything checked out.
set -euo pipefail

usage() {
  echo "usage: install.sh [--prefix DIR] [--bin-dir DIR] [ARCHIVE]" >&2
  echo "  ARCHIVE: a we-VERSION.tar.gz (default: the only one in the current folder)" >&2
  exit 2
}
fail() {
  echo "install.sh: $*" >&2
  exit 1
}

prefix=/opt/codeb
bin_dir=""
archive=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] && [ -n "$2" ] || usage; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; [ -n "$prefix" ] || usage; shift ;;
    --bin-dir) [ $# -ge 2 ] && [ -n "$2" ] || usage; bin_dir="$2"; shift 2 ;;
    --bin-dir=*) bin_dir="${1#--bin-dir=}"; [ -n "$bin_dir" ] || usage; shift ;;
    -h|--help) usage ;;
    -*) echo "install.sh: unknown option $1 (allowed: --prefix DIR, --bin-dir DIR)" >&2; usage ;;
    *) [ -z "$archive" ] || { echo "install.sh: one archive only (got $archive and $1)" >&2; usage; }
       archive="$1"; shift ;;
  esac
done

if [ -z "$archive" ]; then
  shopt -s nullglob
  found=(we-*.tar.gz)
  shopt -u nullglob
  if [ "${#found[@]}" -ne 1 ]; then
    echo "install.sh: name the archive: the current folder holds ${#found[@]} we-*.tar.gz" \
      "(${found[*]:-none})" >&2
    usage
  fi
  archive="${found[0]}"
fi
case "${archive##*/}" in
  we-*.tar.gz) ;;
  *) echo "install.sh: $archive is not a we release archive (allowed: we-VERSION.tar.gz)" >&2
     usage ;;
esac
[ -f "$archive" ] || { echo "install.sh: no such archive: $archive" >&2; exit 2; }
archive="$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")"
for tool in tar sha256sum mv ln mktemp; do
  command -v "$tool" >/dev/null || fail "needs $tool on the PATH"
done

mkdir -p "$prefix" || fail "cannot create $prefix"
prefix="$(cd "$prefix" && pwd -P)"
# One install at a time in a prefix (two at once would race for `current`).
if command -v flock >/dev/null; then
  exec 9>"$prefix/.install.lock"
  flock 9
fi

# Unpacked on PREFIX's own file system, so that moving it into place is a rename.
staging="$(mktemp -d "$prefix/.install-XXXXXX")"
trap 'rm -rf "$staging"' EXIT
tar -xzf "$archive" -C "$staging" --no-same-owner || fail "cannot unpack $archive"
shopt -s nullglob dotglob
top=("$staging"/*)
shopt -u nullglob dotglob
if [ "${#top[@]}" -ne 1 ] || [ ! -d "${top[0]}" ]; then
  fail "$archive must hold one folder we-VERSION/ (it holds ${#top[@]} entries)"
fi
unpacked="${top[0]}"
name="${unpacked##*/}"
version="${name#we-}"
if [[ ! "$name" =~ ^we-[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
  fail "$archive holds $name/, not we-VERSION/ (VERSION: letters, digits, . _ -)"
fi

# Every file listed with its digest, and nothing unlisted (bar SHA256SUMS itself).
[ -f "$unpacked/SHA256SUMS" ] || fail "$archive has no SHA256SUMS"
(
  cd "$unpacked"
  sha256sum --check --strict --quiet SHA256SUMS >/dev/null 2>&1 \
    || { sha256sum --check --quiet SHA256SUMS 2>&1 | sed 's/^/  /' >&2; exit 1; }
  listed="$(sed -E 's/^[0-9a-f]{64} [ *]//' SHA256SUMS | LC_ALL=C sort)"
  present="$(find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort)"
  if [ "$listed" != "$present" ]; then
    echo "  files not listed in SHA256SUMS or missing:" >&2
    diff <(echo "$listed") <(echo "$present") | grep '^[<>]' | sed 's/^/  /' >&2 || true
    exit 1
  fi
) || fail "$archive failed its SHA256SUMS check; nothing was installed"
[ -x "$unpacked/bin/we" ] || fail "$archive has no executable bin/we"

digest="$(sha256sum "$unpacked/SHA256SUMS")"
digest="${digest%% *}"
same_build() { [ -f "$1/SHA256SUMS" ] && cmp -s "$1/SHA256SUMS" "$unpacked/SHA256SUMS"; }
folder="we-$version"
if [ -e "$prefix/$folder" ] && ! same_build "$prefix/$folder"; then
  folder="we-$version+${digest:0:12}"
fi
if [ -e "$prefix/$folder" ]; then
  same_build "$prefix/$folder" || fail "$prefix/$folder exists with other content; move it away"
  installed=0
else
  chmod 0755 "$unpacked"
  mv -T "$unpacked" "$prefix/$folder" || fail "cannot move the new version to $prefix/$folder"
  installed=1
fi

previous="$(readlink "$prefix/current" 2>/dev/null || true)"
if [ "$previous" != "$folder" ]; then
  if [ -e "$prefix/current" ] && [ ! -L "$prefix/current" ]; then
    fail "$prefix/current is not a symbolic link; move it away"
  fi
  link="$prefix/.current-$$"
  ln -sfn "$folder" "$link"
  mv -Tf "$link" "$prefix/current" || { rm -f "$link"; fail "cannot switch $prefix/current"; }
fi

if [ -n "$bin_dir" ]; then
  mkdir -p "$bin_dir"
  target="$prefix/current/bin/we"
  if [ -L "$bin_dir/we" ] || [ ! -e "$bin_dir/we" ]; then
    if [ "$(readlink "$bin_dir/we" 2>/dev/null || true)" != "$target" ]; then
      ln -sfn "$target" "$bin_dir/.we-$$"
      mv -Tf "$bin_dir/.we-$$" "$bin_dir/we"
    fi
  else
    fail "$bin_dir/we exists and is not a symbolic link; move it away (the version is installed)"
  fi
fi

if [ "$installed" = 1 ]; then
  echo "installed we $version in $prefix/$folder"
else
  echo "we $version is already installed in $prefix/$folder"
fi
if [ "$previous" = "$folder" ]; then
  echo "$prefix/current -> $folder (unchanged)"
else
  echo "$prefix/current -> $folder${previous:+ (was $previous)}"
fi
