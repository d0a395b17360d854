#!/usr/bin/env bash
# A real cluster on this machine for the `cluster` tests: munge, slurmctld, two slurmd (n1, n2)
# with two fake GPUs each, and an sshd on 127.0.0.1:PORT (keys only). Measured recipe:
# shared/notes/cluster.md. Needs root (daemons, /etc/slurm/slurm.conf); scripts/setup installs
# the packages.
#
#   tests/cluster/cluster.sh up DIR [SSH_PORT]   start everything, state and logs under DIR
#   tests/cluster/cluster.sh down DIR            stop what `up` started, by PID
#   tests/cluster/cluster.sh env DIR             print the variables tests use (sourceable)
#   tests/cluster/cluster.sh fail-node DIR NODE JOBID
#       a real node failure (#20 item 3): with SlurmdTimeout shortened for the while, kills NODE's
#       slurmd and every process of job JOBID, waits until Slurm marks the node DOWN (after 45 s
#       it reports the node down itself, as a health check would), then restores the timeout and starts the slurmd again (ReturnToService=2 brings it back).
#
# Preemption (#20 item 3): the partition `urgent` (same nodes, higher PriorityTier) preempts
# jobs of `debug` with PreemptMode=REQUEUE, so a requeueable job is requeued by Slurm itself,
# and jobs of `spot` with PreemptMode=CANCEL, so that Labbench has to requeue them.
set -euo pipefail

cmd="${1:?usage: cluster.sh up|down|env|fail-node DIR [SSH_PORT | NODE JOBID]}"
C="$(realpath -m "${2:?usage: cluster.sh up|down|env DIR [SSH_PORT]}")"
PORT="${3:-2222}"
# The default: a short timeout makes a busy 2-core machine's slurmd look dead (fail-node
# shortens it only while it needs it).
SLURMD_TIMEOUT=300

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
export LABBENCH_SLURM_URGENT_PARTITION=urgent
export LABBENCH_CLUSTER_SCRIPT='$(realpath "${BASH_SOURCE[0]}")'
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
SchedulerParameters=kill_invalid_depend,sched_interval=5
# A requeued job may start again after cred_expire (120 s by default), at the next pass of
# the main scheduler (every 60 s by default): 20 s and 5 s keep the preemption tests short;
# 20 s is still far longer than a step launch takes here.
AuthInfo=cred_expire=20
PreemptType=preempt/partition_prio
PreemptMode=REQUEUE
SlurmdTimeout=$SLURMD_TIMEOUT
NodeName=n1 NodeHostname=localhost NodeAddr=127.0.0.1 Port=17001 CPUs=$cpus RealMemory=10000 Gres=gpu:2 State=UNKNOWN
NodeName=n2 NodeHostname=localhost NodeAddr=127.0.0.1 Port=17002 CPUs=$cpus RealMemory=10000 Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=n[1-2] Default=YES MaxTime=INFINITE State=UP PriorityTier=1
PartitionName=spot Nodes=n[1-2] MaxTime=INFINITE State=UP PriorityTier=1 PreemptMode=CANCEL
PartitionName=urgent Nodes=n[1-2] MaxTime=INFINITE State=UP PriorityTier=10 PreemptMode=OFF
CONF
  echo "NodeName=n[1-2] Name=gpu File=$C/fakegpu/nvidia[0-1]" > /etc/slurm/gres.conf
  # A fresh controller starts from an empty queue (-c): jobs saved by an earlier `up` whose
  # nodes were killed mid-job come back ALLOCATED and keep both nodes busy for good.
  alive "$S/slurmctld.pid" || slurmctld -i -c
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

set_slurmd_timeout() { # set_slurmd_timeout SECONDS: in slurm.conf, then the daemons reread it
  sed -i "s/^SlurmdTimeout=.*/SlurmdTimeout=$1/" /etc/slurm/slurm.conf
  scontrol reconfigure || log "scontrol reconfigure failed (SlurmdTimeout=$1 not applied)"
}

job_pids() { # job_pids NODE JOBID: the job's slurmstepd and every process with its job id there
  # One grep over every environment: a fork per process took seconds on a loaded machine, time
  # in which the job ran on and could even finish (the node failure test then saw no failure).
  local f
  for f in $(grep -lzx "SLURM_JOB_ID=$2" /proc/[0-9]*/environ 2>/dev/null); do
    grep -qzx "SLURMD_NODENAME=$1" "$f" 2>/dev/null && { f="${f#/proc/}"; echo "${f%/environ}"; }
  done
  pgrep -f "^slurmstepd: \[$2\." || true
}

# Both logical nodes share this host, so "the node fails" is: its slurmd dies (SIGKILL, no
# goodbye) and so does everything the job ran there, stepd first so that no exit is reported.
fail_node() {
  local node="${1:?usage: cluster.sh fail-node DIR NODE JOBID}" job="${2:?usage: cluster.sh fail-node DIR NODE JOBID}"
  [[ "$node" =~ ^n[12]$ && "$job" =~ ^[0-9]+$ ]] || { log "fail-node: NODE is n1 or n2, JOBID a number"; exit 2; }
  set_slurmd_timeout 10
  # From here on nothing may stop the script before the timeout is restored and slurmd is back.
  # The job's processes are listed first, so that they die right after their slurmd.
  local pids; pids="$(job_pids "$node" "$job")"
  kill -9 "$(cat "$C/slurmd-$node.pid" 2>/dev/null)" 2>/dev/null || log "fail-node: $node's slurmd was not running"
  [[ -n "$pids" ]] || log "fail-node: no process of job $job on $node"
  # shellcheck disable=SC2086
  kill -9 $pids 2>/dev/null || true
  sleep 0.5
  pids="$(job_pids "$node" "$job")"
  # shellcheck disable=SC2086
  [[ -z "$pids" ]] || kill -9 $pids 2>/dev/null || true
  local rc=0
  # slurmctld notices a silent slurmd at its next ping round, and it keeps the ping interval
  # it started with (SlurmdTimeout/3 of the default: 100 s), so detection alone once took over
  # 120 s in CI. After 45 s the node is reported down the way a health check (or an admin)
  # does; both go through the same code in slurmctld, which kills and requeues the node's jobs.
  # scontrol, not sinfo: sinfo names a down node that still has a job to clean up "completing"
  # (so a CI run never saw "down" although slurmctld had logged it); scontrol shows every flag.
  local isDown="scontrol show node '$node' | grep -q 'State=DOWN'"
  if ! wait_for 45 "Slurm to notice that $node is gone" bash -c "$isDown"; then
    log "fail-node: reporting $node down (scontrol update State=DOWN)"
    scontrol update NodeName="$node" State=DOWN Reason="cluster.sh fail-node: slurmd killed" || true
    wait_for 60 "$node to be marked down" bash -c "$isDown" || rc=1
  fi
  log "fail-node: $node $(scontrol show node "$node" | grep -o 'State=[^ ]*') (sinfo: $(sinfo -h -N -n "$node" -o %T | sort -u | tr '\n' ' '))"
  set_slurmd_timeout 300
  rm -f "$C/slurmd-$node.pid"
  slurmd -N "$node"
  wait_for 30 "$node to come back" bash -c "sinfo -h -N -n '$node' -o %T | grep -Eqv '^down|^unk|^drain'" || rc=1
  log "fail-node: $node failed (job $job) and is back"
  return "$rc"
}

case "$cmd" in
  up) up ;;
  fail-node) fail_node "${3:-}" "${4:-}" ;;
  down) down ;;
  env) write_env; cat "$C/env.sh" ;;
  *) echo "usage: cluster.sh up|down|env|fail-node DIR [SSH_PORT | NODE JOBID]" >&2; exit 2 ;;
esac
