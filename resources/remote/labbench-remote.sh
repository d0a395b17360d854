#!/bin/sh
# labbench-remote.sh: the remote side of a Labbench run on an SSH or Slurm target. POSIX sh and
# coreutils only. It keeps the same run-folder protocol as the local supervisor (DESIGN.md):
# RUN/driver.log, RUN/metrics.jsonl, RUN/exit.json (written to a temporary file, then renamed),
# RUN/pid, RUN/cancel.request, with RUN/snapshot as the working directory.
#
#   start RUN MAX_SECONDS GRACE_SECONDS [--venv ROOT HASH PYTHON N PKG1..PKGN] -- PROGRAM ARGS...
#       starts `supervise` detached (its own session, stdin/stdout closed) and returns at once;
#       a second start of the same run does nothing (prints "already started"). With --venv,
#       RUN/env.pending marks the run as preparing until its environment is ready.
#   start/supervise RUN MAX GRACE --image IMAGE GPU [--venv ...] -- PROGRAM ARGS...
#       runs PROGRAM in a container of IMAGE (custom_docker_image) with the engine that answers
#       there (podman first, then docker), named labbench-<run id>, the run folder and the
#       helpers mounted at their own paths, GPUs passed when GPU is 1; the container is removed
#       when the run is stopped or ends (see "containers" below).
#   supervise RUN MAX_SECONDS GRACE_SECONDS [--venv ...] -- PROGRAM ARGS...
#       with --venv first prepares the environment (prepare-env, output into driver.log; a
#       failure ends the run there with exit.json saying why), then runs PROGRAM with the
#       environment's bin/ first on PATH and VIRTUAL_ENV set. PROGRAM runs in its own process
#       group with its output appended to driver.log; on RUN/cancel.request or after
#       MAX_SECONDS (0: no limit) sends TERM to the group, KILL after GRACE_SECONDS; then
#       writes exit.json.
#   prepare-env RUN ROOT HASH PYTHON PKG...
#       builds (once) or reuses the virtual environment ROOT/HASH: `PYTHON -m venv` in a fresh
#       folder ROOT/builds/HASH-TOKEN, `pip install -- PKG...` there (each package one word),
#       then a symbolic link renamed onto ROOT/HASH, so only a finished environment is ever
#       published. flock on ROOT/HASH.lock (through PYTHON where flock(1) is missing) makes two
#       runs that ask at once build it once. On failure writes RUN/exit.json (exit_code null,
#       the reason with pip's error lines) and exits 1; removes RUN/env.pending when done
#       (supervise: just before the script starts).
#   pending RUN -- PROGRAM ARGS...
#       marks the run as preparing (RUN/env.pending), then execs PROGRAM (used around sbatch).
#   poll [--mirror] RUN LOG_OFFSET METRICS_OFFSET MAX_BYTES [SLURM_JOB_ID]  (< MANIFEST)
#       prints "state S", with a job id "sched N" and N bytes of `scontrol show job -o ID`
#       (asked first, so that a finished job's log is complete when measured), then for driver.log and metrics.jsonl "NAME N SIZE\n" followed by
#       the N bytes after the offset, then the mirrored files (below), then "exit N\n" and exit.json when the run has ended.
#       S is "running", "ended" (exit.json exists), "gone" (no supervisor and no exit.json) or
#       "preparing" (RUN/env.pending: its environment is being prepared).
#       Mirrored files (with --mirror): RUN/snapshot/logs/** and RUN/system/*.jsonl, listed by one `find`
#       (regular files only: no symbolic link is followed; names with control characters are
#       skipped). MANIFEST on stdin has a line "OFFSET PATH" per file the follower holds (PATH
#       relative to RUN, OFFSET its size there). A file that grew, shrank, or was touched since the
#       last poll gets "file START N SIZE PATH\n" and N bytes from START: START is 0 when it shrank
#       below OFFSET, else up to 64 bytes before OFFSET, so that the follower compares those
#       bytes with its copy and asks again from 0 (OFFSET 0) when they differ (a rewrite). Then
#       "mirror MORE COUNT BYTES CHANGED\n": MORE files still have bytes to send (MAX_BYTES is the
#       bound of one poll), and RUN/snapshot/checkpoints holds COUNT files of BYTES bytes, with
#       CHANGED 1 when one was written since the last poll.
#   cancel RUN            asks the run to stop; when its supervisor is gone, removes its container.
#   secrets RUN           stores stdin as RUN/secrets.env (mode 0600): `export NAME='value'` lines
#       with the run's secret variables, which supervise (and a Slurm batch script) sources
#       just before the script starts, so no secret is ever on a command line (#25).
#   rank-exec RUN BACKEND PROCESSES_PER_NODE WORKERS PARAMETER_SERVERS PORT -- PROGRAM ARGS...
#       run by mpirun/srun once per rank: sets the variables the backend expects (pytorch:
#       MASTER_ADDR MASTER_PORT RANK WORLD_SIZE LOCAL_RANK NODE_RANK; parameter_server:
#       TF_CONFIG), sends metrics of ranks other than 0 to RUN/metrics.rankN.jsonl (unless
#       LABBENCH_METRICS_ALL_RANKS=1), and prefixes every output line with "[rank N] ".
#   sysmon RUN PID
#       becomes the system sampler of the processes of PID (a Slurm batch script's own pid,
#       before it execs the program); supervise and rank-exec start one on their own.
#   System metrics: supervise, and the rank with local rank 0 on each node in rank-exec, start
#       labbench-sysmon (uploaded beside this script) for the run's processes on that node; it
#       appends to RUN/system/NODE.jsonl. One that cannot run here is one line in driver.log.
set -u

die() { echo "labbench-remote.sh: $*" >&2; exit 2; }

now_iso() { # milliseconds where date knows %N (GNU), else whole seconds
    t=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
    case "$t" in *N*) date -u +%Y-%m-%dT%H:%M:%S.000Z ;; *) echo "$t" ;; esac
}

write_exit() { # write_exit RUN CODE SIGNAL CANCELED TIMED_OUT REASON
    printf '{"exit_code": %s, "signal": %s, "end_time": "%s", "canceled": %s, "timed_out": %s, "reason": "%s"}\n' \
        "$2" "$3" "$(now_iso)" "$4" "$5" "$6" > "$1/exit.json.tmp" && mv -f "$1/exit.json.tmp" "$1/exit.json"
}

# Stops the run's process group when asked to or when its time is up.
watch() { # watch RUN PID MAX GRACE
    started=$(date +%s)
    while :; do
        sleep 0.2
        why=""
        if [ -e "$1/cancel.request" ]; then
            why=cancel
        elif [ "$3" -gt 0 ] && [ $(( $(date +%s) - started )) -ge "$3" ]; then
            why=timeout
        fi
        if [ -n "$why" ]; then
            echo "$why" > "$1/stop.reason"
            kill -s TERM -- "-$2" 2>/dev/null
            i=0
            while [ "$i" -lt $(( $4 * 5 )) ] && kill -0 -- "-$2" 2>/dev/null; do
                sleep 0.2
                i=$((i + 1))
            done
            kill -s KILL -- "-$2" 2>/dev/null
            [ -n "${image:-}" ] && container_remove "$1" # the killed client leaves it running
            return 0
        fi
    done
}

# System metrics (issue 19): labbench-sysmon samples the run's processes on this node into
# RUN/system/NODE.jsonl until they are gone; NODE is the Slurm node name (nodes may share a host).
# A sampler that cannot run here costs the run one line in driver.log, never the run.
sysmon_args() { # sysmon_args RUN PID: sets s_bin and s_node; false (with the line) when unusable
    s_node=${SLURMD_NODENAME:-$(hostname)}
    s_bin=${sysmon_home:-$(dirname "$0")}/labbench-sysmon
    if ! s_why=$("$s_bin" --version 2>&1 < /dev/null); then
        echo "labbench: system metrics unavailable on $s_node: $(printf '%s\n' "$s_why" | head -n 1)" >> "$1/driver.log"
        return 1
    fi
    mkdir -p "$1/system"
}
sysmon_start() { # sysmon_start RUN PID: sets sysmon_pid (empty when none was started)
    sysmon_pid=""
    sysmon_args "$1" "$2" || return 0
    "$s_bin" --pid "$2" --out-dir "$1/system" --node "$s_node" --cgroup auto \
        ${LABBENCH_SYSMON_INTERVAL:+--interval "$LABBENCH_SYSMON_INTERVAL"} \
        < /dev/null >> "$1/system/$s_node.log" 2>&1 &
    sysmon_pid=$!
}
sysmon_stop() { # TERM: the sampler takes a last sample and exits
    [ -n "${sysmon_pid:-}" ] || return 0
    kill "$sysmon_pid" 2>/dev/null
    wait "$sysmon_pid" 2>/dev/null
    sysmon_pid=""
}

# Prints the JSON string body of $1 (backslashes and quotes escaped, control characters gone).
json_text() { printf '%s' "$1" | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g'; }

# The lines a failed pip printed that say what went wrong, else its last non-empty line.
failure_lines() { # failure_lines FILE
    lines=$(grep -E '^(ERROR|error)|Error:' "$1" 2>/dev/null | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | tr '\n' ' ')
    [ -n "$lines" ] || lines=$(grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -n 1)
    lines=${lines% }
    lines=${lines%.}
    printf '%s' "${lines:-no output}"
}

env_lock() { # env_lock LOCKFILE: an flock on fd 9, held until env_unlock or this process ends
    exec 9>"$1" || return 1
    if command -v flock >/dev/null 2>&1; then
        if ! flock -n 9; then
            echo "labbench: waiting for another run that is building environment $hash"
            flock 9 || return 1
        fi
    else
        # No flock(1) (busybox, BSDs): the interpreter that builds the environment takes the
        # same lock on the inherited fd 9. Like flock(1)'s, the lock belongs to the open file, so
        # it outlives that short process and ends with ours: a killed builder leaves none behind.
        if ! "$py" -c 'import fcntl; fcntl.flock(9, fcntl.LOCK_EX | fcntl.LOCK_NB)' 2>/dev/null; then
            echo "labbench: waiting for another run that is building environment $hash"
            "$py" -c 'import fcntl; fcntl.flock(9, fcntl.LOCK_EX)' || return 1
        fi
    fi
}

env_unlock() {
    exec 9>&-
    touch "$root/$hash.lock" 2>/dev/null # its time records the last use
}

env_fail() { # env_fail RUN REASON: ends the run in Preparing
    echo "labbench: $2"
    write_exit "$1" null null false false "$(json_text "$2")"
    rm -f "$1/env.pending"
    return 1
}

prepare_env() {
    run=$1 root=$2 hash=$3 py=$4
    shift 4
    env_dir="$root/$hash"
    mkdir -p "$root/builds" 2>/dev/null ||
        { env_fail "$run" "Cannot create the environment cache $root on the remote machine; check its permissions."; return 1; }
    if [ ! -f "$env_dir/labbench-env.json" ]; then
        env_lock "$root/$hash.lock" ||
            { env_fail "$run" "Cannot lock $root/$hash.lock on the remote machine; check its permissions."; return 1; }
        if [ ! -f "$env_dir/labbench-env.json" ]; then # another run may have built it meanwhile
            build_env "$run" "$@" || { env_unlock; return 1; }
        else
            echo "labbench: using the cached environment $hash ($env_dir)"
        fi
        env_unlock
    else
        touch "$root/$hash.lock" 2>/dev/null
        echo "labbench: using the cached environment $hash ($env_dir)"
    fi
}

build_env() { # build_env RUN PKG...   (root, hash, py, env_dir set by prepare_env)
    run=$1
    shift
    started=$(date +%s)
    published=$(cd -P "$env_dir" 2>/dev/null && pwd)
    for old in "$root/builds/$hash"-*; do # leftovers of an interrupted build
        [ -d "$old" ] || continue
        [ "$(cd -P "$old" && pwd)" = "$published" ] && continue
        rm -rf "$old"
    done
    name="$hash-$$$(date +%s)"
    target="$root/builds/$name"
    echo "labbench: building environment $hash ($py; pip: $*) in $target"
    out="$run/.pip.out"
    : > "$out"
    if ! "$py" -m venv --system-site-packages "$target" > "$out" 2>&1; then
        cat "$out"
        rm -rf "$target"
        env_fail "$run" "Creating a virtual environment with $py failed on the remote machine ($(failure_lines "$out")); install its venv module (Debian: apt-get install python3-venv) or name another interpreter with the target's python setting."
        return 1
    fi
    # Each package is one argument after --: nothing is read as an option or by a shell.
    { PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 "$target/bin/python" -m pip install \
        --no-input --progress-bar off -- "$@" 2>&1; echo $? > "$out.status"; } | tee "$out"
    code=$(cat "$out.status" 2>/dev/null || echo 1)
    rm -f "$out.status"
    if [ "$code" -ne 0 ]; then
        rm -rf "$target"
        env_fail "$run" "pip could not install $(echo "$*" | sed 's/ /, /g') (exit $code): $(failure_lines "$out"); check the package names and versions (pip's full output is in the run's log)."
        return 1
    fi
    rm -f "$out"
    printf '{"hash": "%s", "python": "%s", "pip_packages": "%s", "created": "%s", "build_seconds": %s}\n' \
        "$hash" "$(json_text "$py")" "$(json_text "$*")" "$(now_iso)" "$(( $(date +%s) - started ))" \
        > "$target/labbench-env.json"
    # Publish: a link beside the final name, renamed onto it (rename(2) replaces a link
    # atomically; mv would move into a link that points to a folder).
    ln -s "builds/$name" "$root/.$name.link" &&
        "$py" -c 'import os, sys; os.replace(sys.argv[1], sys.argv[2])' "$root/.$name.link" "$env_dir" || {
        rm -f "$root/.$name.link"
        rm -rf "$target"
        env_fail "$run" "Cannot publish the environment $hash in $root on the remote machine; check the folder's permissions and free space."
        return 1
    }
    echo "labbench: environment $hash is ready ($(( $(date +%s) - started )) s)"
}

# --- containers (custom_docker_image, issue 19) -------------------------------------------
# Killing a `podman run` client does not stop its container (conmon keeps it), so every way a
# run ends removes the container by its name.

container_engine() { # prints the engine that answers, podman first (it needs no daemon)
    for e in podman docker; do
        command -v "$e" >/dev/null 2>&1 || continue
        if timeout 15 "$e" info >/dev/null 2>&1; then command -v "$e"; return 0; fi
    done
    return 1
}

container_name() { # container_name RUN: labbench-<run id>, as the local target names it
    printf 'labbench-%s' "$(basename "$1" | tr -c 'A-Za-z0-9_.\n-' '_')"
}

container_remove() { # container_remove RUN: the run's container, running or not, is gone
    ce=${engine:-}
    [ -n "$ce" ] || ce=$(container_engine) || return 0
    case "$ce" in
        *podman) "$ce" rm -f -t 0 "$(container_name "$1")" ;;
        *) "$ce" rm -f "$(container_name "$1")" ;;
    esac >/dev/null 2>&1
    return 0
}

# The words that run PROGRAM in the run's container come before it: ENGINE run --rm --init
# --name labbench-<id> --user U:G -v RUN:RUN -v SHARE:SHARE:ro -w RUN/snapshot [GPUs] [-e SECRET]
# IMAGE. Secrets go by name (-e NAME takes the value from supervise's environment).

supervise() {
    run=$1 max=$2 grace=$3
    shift 3
    image="" gpu=0 engine=""
    if [ "$1" = "--image" ]; then # custom_docker_image (containers, issue 19)
        image=$2 gpu=$3
        shift 3
    fi
    echo $$ > "$run/supervisor.pid"
    : >> "$run/driver.log"
    : >> "$run/metrics.jsonl"
    if [ "$1" = "--venv" ]; then
        v_root=$2 v_hash=$3 v_py=$4 v_n=$5
        shift 5
        # Keep the first v_n words (the packages) for prepare_env, in a subshell.
        if ! (
            total=$# i=0
            while [ "$i" -lt "$total" ]; do
                a=$1
                shift
                [ "$i" -lt "$v_n" ] && set -- "$@" "$a"
                i=$((i + 1))
            done
            prepare_env "$run" "$v_root" "$v_hash" "$v_py" "$@"
        ) >> "$run/driver.log" 2>&1; then
            [ -f "$run/exit.json" ] || write_exit "$run" null null false false "Preparing the environment $v_hash failed; see the run's log."
            return 0
        fi
        shift "$v_n"
        if [ -e "$run/cancel.request" ]; then # asked to stop while the environment was built
            write_exit "$run" null null true false ""
            return 0
        fi
        rm -f "$run/env.pending" # only now: a poll in between must not see it Running
        VIRTUAL_ENV="$v_root/$v_hash"
        PATH="$VIRTUAL_ENV/bin:$PATH"
        export VIRTUAL_ENV PATH
    fi
    shift # --
    sysmon_home=$(cd "$(dirname "$0")" && pwd) # the sampler's folder, before the cd below
    if ! cd "$run/snapshot" 2>/dev/null; then
        write_exit "$run" null null false false "The snapshot folder $run/snapshot is missing on the remote machine."
        return 0
    fi
    # The run's secret variables: from their 0600 file, never from a command line.
    if [ -f "$run/secrets.env" ]; then
        . "$run/secrets.env"
    fi
    if [ -n "$image" ]; then # containers (issue 19): PROGRAM runs in the image
        if ! engine=$(container_engine); then
            write_exit "$run" null null false false "custom_docker_image needs a container engine on the remote machine, and neither podman nor docker answers there; install podman (apt-get install podman) or start dockerd."
            return 0
        fi
        : > "$run/container" # marks the run as one with a container, for cancel
        share=$(cd "$(dirname "$0")/.." && pwd)
        n=$#
        set -- "$@" "$engine" run --rm --init --name "$(container_name "$run")" \
            --user "$(id -u):$(id -g)" -v "$run:$run" -v "$share:$share:ro" -w "$run/snapshot"
        if [ "$gpu" = 1 ]; then
            if [ -e /etc/cdi/nvidia.yaml ] || [ -e /var/run/cdi ]; then
                set -- "$@" --device nvidia.com/gpu=all
            elif [ "${engine##*/}" = docker ]; then
                set -- "$@" --gpus all
            else
                write_exit "$run" null null false false "podman reaches GPUs through a CDI spec, and none is set up on the remote machine; generate it with 'nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml', or run without GPUs."
                return 0
            fi
        fi
        if [ -f "$run/secrets.env" ]; then # names only ([A-Za-z_][A-Za-z0-9_]*, one word each)
            for v in $(sed -n 's/^export \([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' "$run/secrets.env"); do
                set -- "$@" -e "$v"
            done
        fi
        set -- "$@" "$image"
        i=0 # move PROGRAM ARGS behind the image, each word as it is
        while [ "$i" -lt "$n" ]; do
            a=$1
            shift
            set -- "$@" "$a"
            i=$((i + 1))
        done
    fi
    # A background job of a shell without job control is not a group leader, so setsid execs
    # in place: $! is the script's pid, and its process group id.
    setsid "$@" < /dev/null >> "$run/driver.log" 2>&1 &
    pid=$!
    echo "$pid" > "$run/pid"
    sysmon_start "$run" "$pid" # system metrics of the script's processes
    watch "$run" "$pid" "$max" "$grace" &
    watcher=$!
    wait "$pid"
    code=$?
    sysmon_stop
    kill "$watcher" 2>/dev/null
    wait "$watcher" 2>/dev/null
    [ -n "$image" ] && container_remove "$run" # a client that died leaves its container behind
    sig=null
    [ "$code" -gt 128 ] && sig=$((code - 128))
    canceled=false timed=false reason=""
    case "$(cat "$run/stop.reason" 2>/dev/null)" in
        cancel) canceled=true ;;
        timeout)
            timed=true
            reason="The run exceeded its maximum duration of $max s and was stopped; raise max_run_duration_seconds if it needs longer."
            ;;
    esac
    write_exit "$run" "$code" "$sig" "$canceled" "$timed" "$reason"
}

start() {
    run=$1
    mkdir -p "$run" || die "cannot create $run"
    if ! mkdir "$run/.started" 2>/dev/null; then
        echo "already started"
        return 0
    fi
    [ "$4" = "--venv" ] && : > "$run/env.pending"
    if [ -n "$image" ]; then # put back what the command line parser took out
        a=$1 b=$2 c=$3
        shift 3
        set -- "$a" "$b" "$c" --image "$image" "$gpu" "$@"
    fi
    setsid nohup sh "$0" supervise "$@" < /dev/null >> "$run/supervisor.log" 2>&1 &
    echo "started"
}

alive() { # alive PIDFILE: the process is running (a zombie is not)
    [ -s "$1" ] || return 1
    # /proc read by the shell itself where there is one: the poll forks no ps while it runs.
    read -r pid < "$1" 2>/dev/null
    if [ -n "${pid:-}" ] && [ -r "/proc/$pid/stat" ] && read -r st < "/proc/$pid/stat" 2>/dev/null; then
        st=${st##*) }
        case "$st" in "" | Z* | X*) return 1 ;; esac
        return 0
    fi
    st=$(ps -o stat= -p "$(cat "$1")" 2>/dev/null) || return 1
    case "$st" in "" | Z*) return 1 ;; esac
    return 0
}

# Exactly N bytes of FILE from byte START, in one process, never through a link or blocking on
# a FIFO: a file cut short since it was measured is padded with zeros (conv=sync) so that the
# record stays whole; the follower finds the difference on its next poll and asks again.
bytes_of() { # bytes_of FILE START N
    [ "$3" -gt 0 ] || return 0
    dd if="$1" bs="$3" count=1 skip="$2" iflag=skip_bytes,fullblock,nofollow,nonblock conv=sync \
        status=none 2>/dev/null || head -c "$3" /dev/zero
}

# The same for every chunk of a pass in one perl process where there is perl (Debian's perl-base
# is essential): a pass over 50 busy files then costs one process, not 50 (issue 19: the
# latency goal holds with 50 files written at once). Without perl, dd per chunk.
chunk_writer='use Fcntl; binmode STDOUT;
while (my $l = <STDIN>) {
    chomp $l;
    my ($start, $n, $size, $p) = split / /, $l, 4;
    print "file $start $n $size $p\n";
    my $buf = "";
    if (sysopen(my $f, $p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)) {
        if (-f $f && sysseek($f, $start, 0)) {
            while (length($buf) < $n) {
                my $r = sysread($f, $buf, $n - length($buf), length($buf));
                last if !$r;
            }
        }
        close $f;
    }
    print $buf, "\0" x ($n - length($buf));
}'

send_chunks() { # the records of $plan ("START N SIZE PATH" lines)
    [ -n "$plan" ] || return 0
    if command -v perl >/dev/null 2>&1; then
        printf '%s' "$plan" | perl -e "$chunk_writer"
        return 0
    fi
    set -f
    IFS=$nl
    for line in $plan; do
        unset IFS
        start=${line%% *} rest=${line#* }
        n=${rest%% *} rest=${rest#* }
        size=${rest%% *} p=${rest#* }
        printf 'file %s %s %s %s\n' "$start" "$n" "$size" "$p"
        bytes_of "$p" "$start" "$n"
    done
    unset IFS
    set +f
}

emit() { # emit NAME FILE OFFSET MAX SIZE: "NAME N SIZE\n" and the N bytes after OFFSET
    n=$(($5 - $3))
    [ "$n" -lt 0 ] && n=0
    [ "$n" -gt "$4" ] && n=$4
    printf '%s %s %s\n' "$1" "$n" "$5"
    bytes_of "$2" "$3" "$n"
}

poll() {
    mirror=false
    [ "$1" = --mirror ] && mirror=true && shift
    run=$1
    # Look for exit.json before measuring the logs: once it exists, they are complete.
    # env.pending is looked at first: a failed preparation writes exit.json before removing it.
    pending=false
    [ -e "$run/env.pending" ] && pending=true
    state=running
    if [ -f "$run/exit.json" ]; then
        state=ended
    elif [ -e "$run/supervisor.pid" ] && ! alive "$run/supervisor.pid" && [ ! -f "$run/exit.json" ]; then
        state=gone
    elif [ "$pending" = true ]; then
        state=preparing
    fi
    printf 'state %s\n' "$state"
    if [ $# -ge 5 ]; then
        sched=$(scontrol show job -o "$5" 2>&1)
        printf 'sched %s\n%s' "$(printf '%s' "$sched" | wc -c | tr -d ' ')" "$sched"
    fi
    if ! cd "$run" 2>/dev/null; then
        printf 'driver.log 0 0\nmetrics.jsonl 0 0\n'
        [ "$mirror" = true ] && printf 'mirror 0 0 0 0\n'
        return 0
    fi
    list_files
    emit driver.log driver.log "$2" "$4" "${driver_size:-0}"
    budget=$(($4 - n))
    emit metrics.jsonl metrics.jsonl "$3" "$4" "${metrics_size:-0}"
    budget=$((budget - n))
    [ "$budget" -lt 0 ] && budget=0
    [ "$mirror" = true ] && mirror_files "$budget"
    if [ "$state" = ended ]; then
        emit exit exit.json 0 65536 "$(wc -c < exit.json | tr -d ' ')"
    fi
}

nl='
'

# One `find` (and one wc) for everything the poll measures: the two logs, the mirrored trees,
# the checkpoints; one awk joins it with the manifest on stdin (with --mirror), so that no file
# costs a process or a search through a long string. Sets $listing ("SIZE OFFSET PATH" lines,
# OFFSET -1 for a file the follower does not hold), $driver_size, $metrics_size, and with
# --mirror rotates the two marker files: a file not older than $previous_mark changed since the
# last pass that mirrored.
list_files() {
    if [ "$mirror" = true ]; then # only passes that mirror move the marks
        if [ -e .mirror-mark-b ] && ! [ .mirror-mark-a -nt .mirror-mark-b ]; then
            previous_mark=.mirror-mark-b
            : > .mirror-mark-a
        else
            previous_mark=.mirror-mark-a
            : > .mirror-mark-b
        fi
    fi
    listing=$({
        [ "$mirror" = true ] && cat
        echo --
        find driver.log metrics.jsonl snapshot/logs system snapshot/checkpoints \
            \( -name '*[[:cntrl:]]*' -prune \) -o \( -path 'system/*/*' -prune \) -o \
            -type f -exec wc -c {} + 2>/dev/null
    } | LC_ALL=C awk '
        !listed {
            if ($0 == "--") { listed = 1; next }
            off = $1
            if (sub(/^[0-9]+ /, "")) held[$0] = off
            next
        }
        {
            sub(/^ +/, "")
            size = $1
            if (sub(/^[0-9]+ /, "")) print size, (($0 in held) ? held[$0] : -1), $0
        }')
    driver_size=0 metrics_size=0
    set -f
    IFS=$nl
    for line in $listing; do
        case ${line#* * } in
            driver.log) driver_size=${line%% *} ;;
            metrics.jsonl) metrics_size=${line%% *} ;;
        esac
    done
    unset IFS
    set +f
}

mirror_files() { # mirror_files BUDGET  (after list_files)
    budget=$1 more=0 ck_count=0 ck_bytes=0 ck_changed=0 plan=""
    set -f
    IFS=$nl
    for line in $listing; do
        unset IFS
        size=${line%% *} rest=${line#* }
        off=${rest%% *} p=${rest#* }
        case $p in
            snapshot/checkpoints/*)
                ck_count=$((ck_count + 1)) ck_bytes=$((ck_bytes + size))
                [ "$previous_mark" -nt "$p" ] || ck_changed=1
                continue
                ;;
            snapshot/logs/* | system/*.jsonl) ;;
            *) continue ;; # the logs, wc's "total" lines
        esac
        if [ "$off" -lt 0 ]; then # not in the manifest
            off=0 start=0
        elif [ "$size" -lt "$off" ]; then
            start=0 # shrank: a rewrite, sent from its start
        elif [ "$size" -eq "$off" ] && { [ "$off" -eq 0 ] || [ "$previous_mark" -nt "$p" ]; }; then
            continue # the follower has it all, and it was not touched since the last poll
        else
            start=$((off > 64 ? off - 64 : 0))
        fi
        n=$((size - start))
        if [ "$n" -gt "$budget" ]; then
            n=$budget
            more=$((more + 1))
            # Nothing past the bytes the follower compares: the next poll.
            [ "$size" -ge "$off" ] && [ "$n" -le $((off - start)) ] && continue
        fi
        plan="$plan$start $n $size $p$nl"
        budget=$((budget - n))
    done
    unset IFS
    set +f
    send_chunks
    printf 'mirror %s %s %s %s\n' "$more" "$ck_count" "$ck_bytes" "$ck_changed"
}

rank_exec() {
    run=$1 backend=$2 ppn=$3 workers=$4 ps=$5 port=$6
    shift 7
    rank=${OMPI_COMM_WORLD_RANK:-${PMIX_RANK:-${SLURM_PROCID:-0}}}
    size=${OMPI_COMM_WORLD_SIZE:-${SLURM_NTASKS:-1}}
    local_rank=${OMPI_COMM_WORLD_LOCAL_RANK:-${SLURM_LOCALID:-0}}
    node_rank=$((rank / ppn))
    if [ "$rank" -ne 0 ] && [ "${LABBENCH_METRICS_ALL_RANKS:-0}" != 1 ]; then
        LABBENCH_METRICS_FILE="$run/metrics.rank$rank.jsonl"
        export LABBENCH_METRICS_FILE
    fi
    # The hosts of the ranks, in rank order (block distribution: ppn ranks per node).
    hosts=${LABBENCH_NODE_HOSTS:-127.0.0.1}
    host_of() { # host_of RANK
        i=0
        for h in $hosts; do
            if [ "$i" -eq $(($1 / ppn)) ]; then echo "$h"; return; fi
            i=$((i + 1))
        done
        echo "$h"
    }
    case "$backend" in
        pytorch)
            MASTER_ADDR=$(host_of 0) MASTER_PORT=$port RANK=$rank WORLD_SIZE=$size
            LOCAL_RANK=$local_rank NODE_RANK=$node_rank
            export MASTER_ADDR MASTER_PORT RANK WORLD_SIZE LOCAL_RANK NODE_RANK
            ;;
        parameter_server)
            # Ranks 0..workers-1 are the workers (worker 0, the chief, is rank 0), then the
            # parameter servers; task i listens on PORT + i.
            w="" p="" i=0
            while [ "$i" -lt $((workers + ps)) ]; do
                entry="\"$(host_of "$i"):$((port + i))\""
                if [ "$i" -lt "$workers" ]; then w="$w${w:+, }$entry"; else p="$p${p:+, }$entry"; fi
                i=$((i + 1))
            done
            if [ "$rank" -lt "$workers" ]; then type=worker index=$rank; else type=ps index=$((rank - workers)); fi
            TF_CONFIG="{\"cluster\": {\"ps\": [$p], \"worker\": [$w]}, \"task\": {\"type\": \"$type\", \"index\": $index}, \"environment\": \"cloud\"}"
            export TF_CONFIG
            ;;
    esac
    # System metrics: one sampler per node, for the ranks there (all children of $PPID, the
    # launcher's process on this node: slurmstepd or prted).
    sysmon_pid=""
    [ "$local_rank" -eq 0 ] && sysmon_start "$run" "$PPID"
    status="$run/.rank$rank.status"
    { "$@" 2>&1; echo $? > "$status"; } | while IFS= read -r line || [ -n "$line" ]; do
        printf '[rank %s] %s\n' "$rank" "$line"
    done
    sysmon_stop
    code=$(cat "$status" 2>/dev/null || echo 1)
    rm -f "$status"
    exit "$code"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
    start | supervise)
        image="" gpu=0
        if [ "${4:-}" = "--image" ]; then # --image IMAGE GPU: taken out here, put back by start
            [ $# -ge 7 ] || die "usage: $cmd RUN MAX GRACE --image IMAGE GPU [--venv ...] -- PROGRAM ARGS..."
            image=$5 gpu=$6
            case "$image" in "" | -*) die "$cmd: --image needs an image name" ;; esac
            a=$1 b=$2 c=$3
            shift 6
            set -- "$a" "$b" "$c" "$@"
        fi
        [ $# -ge 4 ] || die "usage: $cmd RUN MAX GRACE [--venv ROOT HASH PYTHON N PKG...] -- PROGRAM ARGS..."
        if [ "$4" = "--venv" ]; then
            case "${8:-}" in "" | *[!0-9]*) die "start/supervise: --venv needs a package count" ;; esac
            [ $# -ge 8 ] && [ $(( $# - 8 - $8 )) -ge 1 ] || die "usage: $cmd RUN MAX GRACE --venv ROOT HASH PYTHON N PKG... -- PROGRAM ARGS..."
            n=$(( 8 + $8 ))
            eval "sep=\${$((n + 1))}"
        else
            n=3 sep=$4
        fi
        [ "$sep" = "--" ] && [ $# -gt $((n + 1)) ] || die "usage: $cmd RUN MAX GRACE [--venv ROOT HASH PYTHON N PKG...] -- PROGRAM ARGS..."
        if [ "$cmd" = start ]; then
            start "$@"
        elif [ -n "$image" ]; then
            a=$1 b=$2 c=$3
            shift 3
            supervise "$a" "$b" "$c" --image "$image" "$gpu" "$@"
        else
            supervise "$@"
        fi
        ;;
    prepare-env)
        [ $# -ge 5 ] || die "usage: prepare-env RUN ROOT HASH PYTHON PKG..."
        prepare_env "$@" || exit 1
        rm -f "$1/env.pending"
        ;;
    pending)
        [ $# -ge 3 ] && [ "$2" = "--" ] || die "usage: pending RUN -- PROGRAM ARGS..."
        mkdir -p "$1" && : > "$1/env.pending" || die "cannot mark $1 as preparing"
        shift 2
        exec "$@"
        ;;
    poll)
        m=0
        [ "${1:-}" = --mirror ] && m=1
        [ $# -eq $((4 + m)) ] || [ $# -eq $((5 + m)) ] || die "usage: poll [--mirror] RUN LOG_OFFSET METRICS_OFFSET MAX_BYTES [JOB_ID]"
        poll "$@"
        ;;
    cancel)
        [ $# -eq 1 ] || die "usage: cancel RUN"
        echo "canceled by user" > "$1/cancel.request"
        # No supervisor to see the request: its container (if it ran in one) goes now.
        if [ -e "$1/container" ] && ! alive "$1/supervisor.pid"; then container_remove "$1"; fi
        ;;
    secrets)
        [ $# -eq 1 ] || die "usage: secrets RUN < FILE"
        umask 077
        mkdir -p "$1" || die "cannot create $1"
        cat > "$1/secrets.env.tmp" && mv -f "$1/secrets.env.tmp" "$1/secrets.env" || die "cannot write $1/secrets.env"
        ;;
    rank-exec) [ $# -ge 8 ] && [ "$7" = "--" ] || die "usage: rank-exec RUN BACKEND PPN WORKERS PS PORT -- PROGRAM ARGS..."; rank_exec "$@" ;;
    sysmon) # the sampler in place of this shell, so that it is not a process of the run
        [ $# -eq 2 ] || die "usage: sysmon RUN PID"
        sysmon_args "$1" "$2" || exit 0
        exec "$s_bin" --pid "$2" --out-dir "$1/system" --node "$s_node" --cgroup auto \
            ${LABBENCH_SYSMON_INTERVAL:+--interval "$LABBENCH_SYSMON_INTERVAL"} \
            < /dev/null >> "$1/system/$s_node.log" 2>&1
        ;;
    *) die "unknown command '$cmd' (start, supervise, prepare-env, pending, poll, cancel, secrets, rank-exec, sysmon)" ;;
esac
