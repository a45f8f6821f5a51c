# shellcheck shell=bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Sourced by both launchers: ./terrain in a source tree and bin/terrain in a distribution (lib/ of
# the tar.gz and of the .deb). What each command's JVM runs with, and the kiosk's class data
# sharing, are written here once. The caller sets JAVA (the java to run) and JAVA_VM (its
# java.vm.version) before calling kiosk_cds.

# Sets TERRAIN_JAVA_OPTS (unless the caller gave it) and the environment for command $1.
terrain_jvm_options() {
  # The kiosk runs all day on small machines: a bounded heap, the serial collector, the quick
  # compiler only (faster start, smaller code cache), caches held softly let go soon, two malloc
  # arenas, Derby's page cache bounded: 80 MB of heap and 20 MB of code cache do (decision 0032).
  # On a machine without a graphics chip JavaFX accepts (JavaFX logs "Fallback to Prism SW
  # pipeline"), TERRAIN_KIOSK_RENDERER=software renders in software from the start and keeps GTK
  # from loading OpenGL: about 50 MB less; it also bounds JavaFX's software texture pool (held in
  # the heap) to 12 MB, and makes GTK's X requests synchronous (the X shared memory stays at one
  # frame, decision 0047). Same options as KioskBench.KIOSK_JVM and SOFTWARE_JVM (bench kiosk).
  if [ "${1:-}" = "kiosk" ] && [ -z "${TERRAIN_JAVA_OPTS:-}" ]; then
    TERRAIN_JAVA_OPTS="-Xmx80m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
    TERRAIN_JAVA_OPTS="$TERRAIN_JAVA_OPTS -XX:SoftRefLRUPolicyMSPerMB=10 -XX:ReservedCodeCacheSize=20m"
    TERRAIN_JAVA_OPTS="$TERRAIN_JAVA_OPTS -Dderby.storage.pageCacheSize=200"
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
    case "${TERRAIN_KIOSK_RENDERER:-}" in
      software)
        TERRAIN_JAVA_OPTS="$TERRAIN_JAVA_OPTS -Dprism.order=sw -Dprism.maxvram=12m"
        export GDK_GL=disable
        # X requests one at a time: cairo's X shared memory for the window's pixels (an 8-frame pool,
        # 32 MB at 1280x800) then reuses one frame's block instead of growing (decision 0047).
        export GDK_SYNCHRONIZE="${GDK_SYNCHRONIZE:-1}"
        ;;
      "" | gpu) ;;
      *)
        echo "TERRAIN_KIOSK_RENDERER must be 'software' or 'gpu' (the default), not '$TERRAIN_KIOSK_RENDERER'" >&2
        exit 2
        ;;
    esac
  fi
  # The hub is a Raspberry Pi: the heap conf/hub.env gives and the quick compiler only (decision
  # 0061: bench hub's peak resident memory for a 20-kiosk day 276-279 MB instead of 328-335 MB,
  # the target is 350 MB; no fewer records a second), also when it is started by hand. The same
  # options as conf/hub.env and BenchMain.HUB_JVM, the benches' hub.
  if [ "${1:-}" = "hub" ] && [ -z "${TERRAIN_JAVA_OPTS:-}" ]; then
    TERRAIN_JAVA_OPTS="-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  fi
  # The sync server: a bounded heap committed from the start (decision 0060: while the heap grew,
  # G1's threshold for a marking cycle sat under what the heap held, and it marked all through a
  # backlog's drain), and the JIT's compiler threads at nice 10, below the threads that commit a
  # hub's backlog and answer claims (decision 0059: on two cores shared with a hub,
  # backlogs drained 7 % faster into a server just started, 5 % into a running one). Not being
  # root, the JVM warns at start that "ThreadPriorityPolicy=1 may require system level permission":
  # lowering a priority needs none. The same options as conf/server.env and BenchMain.SERVER_JVM.
  if [ "${1:-}" = "server" ] && [ -z "${TERRAIN_JAVA_OPTS:-}" ]; then
    TERRAIN_JAVA_OPTS="-Xms512m -Xmx512m -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=10"
  fi
}

# Whether this kiosk command starts the kiosk (not its help or its screenshots).
cds_wanted() {
  local arg
  for arg in "$@"; do
    case "$arg" in -h | --help | -V | --version | --screenshots | --screenshots=*) return 1 ;; esac
  done
}

# Class data sharing for the kiosk (decision 0029): the classes the kiosk loads up to its first
# screen are kept in an archive made by a training run (the kiosk started once on a scratch data
# folder, quitting after its first frame) and mapped at the next starts instead of being read from
# the jars again. The archive is only valid for this Java build, these JVM options and these exact
# jars, so its name is a checksum of them: any change makes a new one. A mismatched archive is
# never fatal (-Xshare:auto: the JVM says "Unable to use shared archive" and reads the jars);
# TERRAIN_KIOSK_CDS=off starts without it. Sets CDS_OPTS.
#   $1 folder of the archives, $2 classpath, $3 event file of the training run, $4 more checksummed files
kiosk_cds() {
  CDS_OPTS=""
  case "${TERRAIN_KIOSK_CDS:-on}" in
    off) return 0 ;;
    on) ;;
    *)
      echo "TERRAIN_KIOSK_CDS must be 'on' (the default) or 'off', not '$TERRAIN_KIOSK_CDS'" >&2
      exit 2
      ;;
  esac
  local dir="$1" cp="$2" event="$3" key archive tmp log
  [ -f "$event" ] || return 0
  # shellcheck disable=SC2086 # $4 holds several files
  key="$({ printf '%s\n' "$JAVA" "$JAVA_VM" "${TERRAIN_JAVA_OPTS:-}" "$cp"
    tr ':' '\n' <<<"$cp" | xargs -d '\n' ls -lL --time-style=+%s -- 2>/dev/null || true
    if [ -n "${4:-}" ]; then cat -- $4 2>/dev/null || true; fi; } </dev/null | cksum | cut -d' ' -f1)"
  archive="$dir/kiosk-$key.jsa"
  if [ ! -f "$archive" ] && [ ! -f "$archive.failed" ]; then
    mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || {
      echo "Class data sharing: cannot write $dir; the kiosk starts without an archive (set TERRAIN_CDS_DIR)" >&2
      return 0
    }
    rm -f "$dir"/kiosk-*.jsa "$dir"/kiosk-*.jsa.failed "$dir"/kiosk-*.log
    tmp="$dir/kiosk-$key.$$.tmp"
    log="$dir/kiosk-$key.log"
    local scratch screen=--headless
    scratch="$(mktemp -d)"
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then screen=--windowed; fi
    echo "Class data sharing: a first start to make the kiosk's archive (once for this Java and these jars; log in $log)" >&2
    # shellcheck disable=SC2086 # TERRAIN_JAVA_OPTS holds several options
    if timeout 300 "$JAVA" ${TERRAIN_JAVA_OPTS:-} -XX:ArchiveClassesAtExit="$tmp" -cp "$cp" terrain.dist.Terrain \
        kiosk --dev --data "$scratch" --event "$event" $screen --exit-after-first-frame >"$log" 2>&1 \
      && "$JAVA" ${TERRAIN_JAVA_OPTS:-} -Xshare:on -XX:SharedArchiveFile="$tmp" -XX:ErrorFile="$dir/hs_err_%p.log" -cp "$cp" -version >>"$log" 2>&1 \
      && sync "$tmp" && mv -f "$tmp" "$archive"; then
      echo "Class data sharing: $archive ($(du -m "$archive" | cut -f1) MB)" >&2
    else
      rm -f "$tmp"
      touch "$archive.failed"
      echo "Class data sharing: the training run failed (see $log); the kiosk starts without an archive" >&2
    fi
    rm -rf "$scratch"
  fi
  if [ -f "$archive" ]; then CDS_OPTS="-XX:SharedArchiveFile=$archive -Xshare:auto"; fi
}
