"""A libtorrent peer (seeder or leecher) on 127.0.0.1, driven by JSON lines, for interop tests and benches.

Usage: lt_peer.py '<json>' with keys:
  torrent      path of the .torrent
  directory    save path (the content is directory/<name>, as libtorrent and our CLI lay it out)
  mode         'seed' (content must be complete) or 'download'
  listenPort   0 (default) for any free port
  peers        [{host, port}] to connect to once the torrent is ready
  trackers     extra announce URLs (the torrent's own trackers are used too)
  trustData    seed without hashing the content first (libtorrent seed_mode); default false
  progressIntervalMs  default 1000
  settings     libtorrent settings_pack overrides

stdout, one JSON object per line:
  {"event": "ready", "port": n, "infoHash": hex, "state": s}  once listening and checked (seed: seeding)
  {"event": "progress", "state", "downloaded", "total", "uploaded", "downRate", "upRate", "peers", "seeds"}
  {"event": "complete"}                                       when every wanted byte is verified
  {"event": "error", "message": text}                         then exits 1
stdin, one JSON object per line: {"command": "connect", "host": h, "port": n} or {"command": "announce"}
(announce to the trackers now). EOF on stdin = shut down.
"""
import json
import os
import queue
import sys
import threading
import time

import libtorrent as lt

import lt_hermetic

STATE_NAMES = {
    lt.torrent_status.states.checking_files: "checking",
    lt.torrent_status.states.checking_resume_data: "checking",
    lt.torrent_status.states.downloading_metadata: "downloading",
    lt.torrent_status.states.downloading: "downloading",
    lt.torrent_status.states.finished: "seeding",
    lt.torrent_status.states.seeding: "seeding",
}


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


def fail(message):
    emit("error", message=message)
    sys.exit(1)


def read_commands(commands):
    for line in sys.stdin:
        line = line.strip()
        if line:
            commands.put(json.loads(line))
    commands.put(None)


def hermetic_settings(listen_port, overrides):
    alerts = lt.alert.category_t
    return lt_hermetic.hermetic_settings(
        listen_port,
        alerts.error_notification | alerts.status_notification | alerts.storage_notification,
        {"announce_to_all_tiers": True, **overrides},
    )


def main():
    args = json.loads(sys.argv[1])
    mode = args["mode"]
    if mode not in ("seed", "download"):
        fail(f"mode must be 'seed' or 'download', not {mode!r}")
    session = lt.session(hermetic_settings(args.get("listenPort", 0), args.get("settings", {})))
    info = lt.torrent_info(args["torrent"])
    params = {"ti": info, "save_path": os.path.abspath(args["directory"])}
    if args.get("trustData"):
        params["flags"] = lt.torrent_flags.seed_mode
    handle = session.add_torrent(params)
    for url in args.get("trackers", []):
        handle.add_tracker({"url": url})
    # PEX is a torrent plugin in libtorrent 2.0; it is only active when added, and we do not add it.

    commands = queue.Queue()
    threading.Thread(target=read_commands, args=(commands,), daemon=True).start()
    interval = args.get("progressIntervalMs", 1000) / 1000
    ready = complete = announced_complete = False
    pending_peers = list(args.get("peers", []))
    next_progress = 0.0
    while True:
        session.wait_for_alert(100)
        for alert in session.pop_alerts():
            if isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert)):
                fail(alert.message())
            if isinstance(alert, lt.listen_failed_alert):
                fail(alert.message())
        status = handle.status()
        state = STATE_NAMES.get(status.state, str(status.state))
        if not ready and state != "checking" and session.listen_port() != 0:
            if mode == "seed" and state != "seeding":
                fail(f"seed mode but only {status.total_wanted_done} of {status.total_wanted} bytes verified")
            ready = True
            emit("ready", port=session.listen_port(), infoHash=str(info.info_hashes().v1), state=state)
        if ready and not complete and state == "seeding":
            complete = True
            next_progress = 0.0
        if time.monotonic() >= next_progress:
            next_progress = time.monotonic() + interval
            emit("progress", state=state, downloaded=status.total_wanted_done, total=status.total_wanted,
                 uploaded=status.all_time_upload, downRate=status.download_payload_rate,
                 upRate=status.upload_payload_rate, peers=status.num_peers, seeds=status.num_seeds)
            # The complete line follows a progress line showing every byte, so readers see both agree.
            if complete and not announced_complete:
                announced_complete = True
                emit("complete")
        while True:
            try:
                command = commands.get_nowait()
            except queue.Empty:
                break
            if command is None:
                return
            if command.get("command") == "connect":
                pending_peers.append(command)
            elif command.get("command") == "announce":
                handle.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
        # Peers named before the torrent is checked wait: libtorrent drops connections to a checking torrent.
        while ready and pending_peers:
            peer = pending_peers.pop(0)
            handle.connect_peer((peer["host"], peer["port"]))


main()
