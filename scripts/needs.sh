# Sourced by ./ptlab and ./run-tests: what the main job and the tests need beyond a JDK and Maven, got the same
# way for both. As root with apt-get: the Debian packages, with one line saying so. Otherwise: one line saying
# what to install, and a failure, so that a run does not build and work for minutes and then fail on it.
#   ptlab_ensure WHO NPM   WHO names the caller in messages; NPM=1 when npm is needed (the sentiment data; the tests'
#                          GPT-2 reference tokenizer, which also runs node: Debian's npm package depends on nodejs)
ptlab_ensure() {
  local who=$1 npm=$2 missing=() why=()
  if ! fc-list 2>/dev/null | grep -q .; then missing+=(fonts-dejavu-core fontconfig); why+=("figures need a font"); fi
  if [ "$npm" = 1 ] && ! command -v npm >/dev/null 2>&1; then
    missing+=(npm); why+=("the sentiment data and GPT-2's reference tokenizer come from the npm registry")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  local list="${missing[*]}" reason
  reason=$(IFS=';'; echo "${why[*]}" | sed 's/;/; /g')
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "$who: installing $list ($reason)…" >&2
    apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; } ||
      { echo "$who: apt-get install $list failed; install it and run again" >&2; return 1; }
    return 0
  fi
  echo "$who: first install $list ($reason): sudo apt-get install -y $list" >&2
  return 1
}

# Whether `ptlab ARGS` needs npm: reproduce runs E10 on the sentiment data unless it is cached already
# ($PTLAB_DATA, else ~/.cache/ptlab, as SentimentData.defaultCache) or --only leaves E10 out.
ptlab_needs_npm() {
  [ "${1:-}" = reproduce ] || return 1
  [ -d "${PTLAB_DATA:-$HOME/.cache/ptlab}/sentiment-5.0.2" ] && return 1
  shift
  local only=""
  while [ $# -gt 0 ]; do
    case "$1" in
      -h|--help|--list|-V|--version) return 1 ;;
      --only) only="${2:-}"; shift ;;
      --only=*) only="${1#--only=}" ;;
    esac
    shift
  done
  [ -z "$only" ] && return 0
  case ",$(echo "$only" | tr '[:lower:] ' '[:upper:],')," in *,E10,*) return 0 ;; *) return 1 ;; esac
}
