#!/usr/bin/env bash
# A real cluster on this machine for the `cluster` tests: munge, slurmctld, two slurmd (n1, n2)
# with two fake GPUs each, and an sshd on 127.0.0.1:PORT (keys only). Measured recipe:
# shared/notes/cluster.md. Needs root (daemons, /etc/slurm/slurm.conf); scripts/setup installs
# the packages.
#
#   tests/cluster/cluster.sh up DIR [SSH_PORT]   start everything, state and logs under DIR
#   tests/cluster/cluster.sh down DIR            stop what `up` started, by PID
#   tests/cluster/cluster.sh env DIR             print the variables tests use (sourceable)
set -euo pipefail

cmd="${1:?usage: cluster.sh up|down|env DIR [SSH_PORT]}"
C="$(realpath -m "${2:?usage: cluster.sh up|down|env DIR [SSH_PORT]}")"
PORT="${3:-2222}"

log() { echo "cluster.sh: $*" >&2; }

alive() { # alive PIDFILE: the process in PIDFILE is running (not a zombie; PID 1 may not reap)
  [[ -s "$1" ]] || return 1
  local pid state
  pid="$(cat "$1")"
  state="$(ps -o stat= -p "$pid" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z* ]]
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local limit="$1" what="$2"; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then log "timed out waiting for $what"; return 1; fi
    sleep 0.1
  done
}

stop_pidfile() {
  local f="$1"
  if alive "$f"; then
    local pid; pid="$(cat "$f")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$f" || break; sleep 0.1; done
    alive "$f" && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# The controller's folder: $C/ctld when the slurm user can reach $C, else one under /var/tmp
# named after $C (so `down` finds it again).
controller_dir() {
  if runuser -u slurm -- test -x "$C" 2>/dev/null; then
    echo "$C/ctld"
  else
    echo "/var/tmp/labbench-slurmctld-$(echo -n "$C" | sha256sum | cut -c1-16)"
  fi
}

write_env() {
  cat > "$C/env.sh" <<ENV
export LABBENCH_CLUSTER_DIR='$C'
export LABBENCH_SSH_HOST=127.0.0.1
export LABBENCH_SSH_PORT=$PORT
export LABBENCH_SSH_USER=$(id -un)
export LABBENCH_SSH_KEY='$C/ssh/client_ed25519'
export LABBENCH_SSH_KNOWN_HOSTS='$C/ssh/known_hosts'
export LABBENCH_SLURM_PARTITION=debug
ENV
}

up() {
  if [[ $(id -u) -ne 0 ]]; then log "needs root to start munge, Slurm and sshd"; exit 1; fi
  for tool in munged slurmctld slurmd sshd sinfo mpirun; do
    command -v "$tool" >/dev/null || { log "$tool is missing; run scripts/setup"; exit 1; }
  done
  mkdir -p "$C"/{spool,log,tmp/n1,tmp/n2,fakegpu,ssh}
  # slurmctld runs as the slurm user: its state, log and pid file go where that user can reach
  # them. A clone under a private folder (mktemp -d makes 0700 folders) is not such a place.
  local S; S="$(controller_dir)"
  mkdir -p "$S"/{state,log}
  chown slurm: "$S" "$S/state" "$S/log"
  ln -sfn "$S" "$C/controller"

  # munge
  if ! munge -n >/dev/null 2>&1; then
    [[ -s /etc/munge/munge.key ]] || { mungekey --create --force; chown munge: /etc/munge/munge.key; }
    install -d -o munge -g munge /run/munge
    runuser -u munge -- /usr/sbin/munged
    wait_for 10 munge munge -n
  fi

  # Slurm: two logical nodes on this host
  [[ -e "$C/fakegpu/nvidia0" ]] || mknod "$C/fakegpu/nvidia0" c 1 3
  [[ -e "$C/fakegpu/nvidia1" ]] || mknod "$C/fakegpu/nvidia1" c 1 3
  local cpus; cpus="$(nproc)"
  mkdir -p /etc/slurm
  cat > /etc/slurm/slurm.conf <<CONF
ClusterName=local
SlurmctldHost=localhost
SlurmUser=slurm
AuthType=auth/munge
StateSaveLocation=$S/state
SlurmdSpoolDir=$C/spool/%n
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$C/slurmd-%n.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$C/log/slurmd-%n.log
TmpFS=$C/tmp/%n
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$S/log/jobcomp.txt
MinJobAge=3600
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
GresTypes=gpu
SchedulerParameters=kill_invalid_depend
NodeName=n1 NodeHostname=localhost NodeAddr=127.0.0.1 Port=17001 CPUs=$cpus RealMemory=10000 Gres=gpu:2 State=UNKNOWN
NodeName=n2 NodeHostname=localhost NodeAddr=127.0.0.1 Port=17002 CPUs=$cpus RealMemory=10000 Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=n[1-2] Default=YES MaxTime=INFINITE State=UP
CONF
  echo "NodeName=n[1-2] Name=gpu File=$C/fakegpu/nvidia[0-1]" > /etc/slurm/gres.conf
  alive "$S/slurmctld.pid" || slurmctld -i
  alive "$C/slurmd-n1.pid" || slurmd -N n1
  alive "$C/slurmd-n2.pid" || slurmd -N n2
  wait_for 20 "both nodes idle" bash -c '[[ "$(sinfo -h -o %T | sort -u)" == idle ]]' || {
    scontrol update nodename=n[1-2] state=resume >/dev/null 2>&1 || true
    wait_for 10 "both nodes idle" bash -c '[[ "$(sinfo -h -o %T | sort -u)" == idle ]]'
  }

  # sshd on 127.0.0.1 with keys only
  install -d -m755 /run/sshd
  [[ -s "$C/ssh/host_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -f "$C/ssh/host_ed25519"
  [[ -s "$C/ssh/client_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -f "$C/ssh/client_ed25519"
  cp "$C/ssh/client_ed25519.pub" "$C/ssh/authorized_keys"
  cat > "$C/ssh/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $C/ssh/host_ed25519
PidFile $C/ssh/sshd.pid
AuthorizedKeysFile $C/ssh/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
# The container tests' engine settings (runc, lower ulimits) for podman run over SSH.
SetEnv CONTAINERS_CONF=$(realpath "$(dirname "${BASH_SOURCE[0]}")/../containers/containers.conf")
CONF
  alive "$C/ssh/sshd.pid" || /usr/sbin/sshd -f "$C/ssh/sshd_config" -E "$C/log/sshd.log"
  # Record the host key as known (the tests use strict checking against this file).
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$C/ssh/host_ed25519.pub")" > "$C/ssh/known_hosts"
  wait_for 10 sshd ssh -p "$PORT" -i "$C/ssh/client_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$C/ssh/known_hosts" "$(id -un)@127.0.0.1" true
  write_env
  log "up: Slurm nodes n1 n2 idle, sshd on 127.0.0.1:$PORT ($C)"
}

down() {
  stop_pidfile "$C/ssh/sshd.pid"
  stop_pidfile "$C/slurmd-n1.pid"
  stop_pidfile "$C/slurmd-n2.pid"
  stop_pidfile "$(controller_dir)/slurmctld.pid"
  stop_pidfile /run/munge/munged.pid
  log "down ($C)"
}

case "$cmd" in
  up) up ;;
  down) down ;;
  env) write_env; cat "$C/env.sh" ;;
  *) echo "usage: cluster.sh up|down|env DIR [SSH_PORT]" >&2; exit 2 ;;
esac
