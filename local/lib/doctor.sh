# What a mode needs on this machine, checked: ./run-local.sh [--tasks | --containers] doctor prints every check and,
# for each gap, how to close it on Debian/Ubuntu, Fedora and macOS (Homebrew); start runs the same checks first and
# stops at the gaps, so that a missing tool is named before anything is built or started.
# shellcheck shell=bash

DOCTOR_GAPS=0
DOCTOR_VERBOSE=1

doctor_ok() { [ "$DOCTOR_VERBOSE" = 0 ] || printf '  ok       %-20s %s\n' "$1" "$2"; }

doctor_gap() { # MISSING|IN USE|NEEDED what why [how to fix]
  DOCTOR_GAPS=$((DOCTOR_GAPS + 1))
  printf '  %-8s %-20s %s\n' "$1" "$2" "$3"
  [ -z "${4:-}" ] || printf '  %-8s %-20s %s\n' "" "" "$4"
}

install_hint() { # apt-package dnf-package brew-package ("-": none there)
  local hint=""
  [ "$1" = - ] || hint="Debian/Ubuntu: sudo apt-get install $1"
  [ "$2" = - ] || hint="${hint:+$hint · }Fedora: sudo dnf install $2"
  [ "$3" = - ] || hint="${hint:+$hint · }macOS: brew install $3"
  echo "$hint"
}

need_command() { # command why apt-package dnf-package brew-package
  if command -v "$1" >/dev/null; then doctor_ok "$1" "$2"
  else doctor_gap MISSING "$1" "$2" "$(install_hint "$3" "$4" "$5")"; fi
}

need_java() {
  local version
  version=$(java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -1)
  if [ -z "$version" ]; then
    doctor_gap MISSING java "JDK 17 or newer runs the services and builds them" "$(install_hint openjdk-17-jdk java-17-openjdk-devel openjdk@17)"
  elif [ "$version" -lt 17 ]; then
    doctor_gap MISSING java "JDK $version found, 17 or newer needed" "$(install_hint openjdk-17-jdk java-17-openjdk-devel openjdk@17)"
  else
    doctor_ok java "JDK $version"
  fi
}

need_port_free() { # port what
  if port_taken "$1"; then
    doctor_gap "IN USE" "port $1" "$2" "see what holds it: ss -ltnp 'sport = :$1' (macOS: lsof -nP -iTCP:$1 -sTCP:LISTEN)"
  else
    doctor_ok "port $1" "$2"
  fi
}

need_root() { # why
  if [ "$(id -u)" = 0 ]; then doctor_ok root "$1"
  else doctor_gap NEEDED root "$1" "run it as root: sudo ./run-local.sh $MODE_FLAG"; fi
}

need_linux() { # why
  if [ "$(uname -s)" = Linux ]; then doctor_ok Linux "$1"
  else doctor_gap NEEDED Linux "$1; $(uname -s) has none" "./run-local.sh without $MODE_FLAG runs the same topology on localhost"; fi
}

# What every mode needs; mode_needs (in the mode's file) adds its own. (The web tasks' ports come from the templates,
# which start reads after building: it checks them then.)
common_needs() { # traces (0|1)
  case "$(uname -s)" in
    Linux) doctor_ok system "Linux" ;;
    Darwin) doctor_ok system "macOS: the default mode (processes)" ;;
    *) doctor_gap NEEDED system "$(uname -s) is not supported" "on Windows, run it inside WSL2 (a Linux)" ;;
  esac
  need_java
  need_command curl "health checks, the examples" curl curl curl
  need_command jq "reads the task definitions and the status" jq jq jq
  need_command ps "the process supervisor" procps procps-ng -
  need_command haproxy "plays the load balancer (ALB) and the Service Connect proxy" haproxy haproxy haproxy
  need_port_free "$CLOUDMAP_PORT" "cloudmap-local's API"
  need_port_free "$LOAD_BALANCER_PORT" "the load balancer (the page)"
  need_port_free "$LOAD_BALANCER_ADMIN_PORT" "the load balancer's runtime API"
  [ "$1" = 0 ] || need_port_free "$TRACE_VIEWER_PORT" "the trace viewer (--traces)"
}

# Prints every check (doctor) or only the gaps (quiet, before a start); returns 1 when there is any.
doctor() { # verbose (0|1) tasks-of-each-backend traces (0|1)
  DOCTOR_VERBOSE=$1 DOCTOR_GAPS=0
  common_needs "$3"
  mode_needs "$2"
  [ "$DOCTOR_GAPS" = 0 ]
}
