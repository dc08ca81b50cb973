"""libtorrent 2.0 on 127.0.0.1 for the magnet and PEX interop tests.

Usage: magnet-libtorrent.py '<json>' with keys:
  torrent   path of a .torrent to seed (content complete in dir), or
  magnet    a magnet URI to download (metadata from peers, BEP 9)
  dir       save path
  peers     [{host, port}] to connect to once added
  pex       add the ut_pex plugin (default true)
  downloadLimit  bytes/s for this torrent (default unlimited)
stdout, one JSON object per line:
  {"event": "ready", "port": n}
  {"event": "metadata", "infoHash": hex}         once the info dict is known (at once when seeding)
  {"event": "progress", "state", "done", "total", "peers": [{"address": "ip:port", "pex": bool}]}
  {"event": "complete"}
stdin: {"command": "connect", "host", "port"}; EOF = shut down.
"""
import json
import os
import queue
import sys
import threading
import time

import libtorrent as lt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "libs", "testing", "python"))
from lt_hermetic import hermetic_settings  # noqa: E402


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


def read_commands(commands):
    for line in sys.stdin:
        if line.strip():
            commands.put(json.loads(line))
    commands.put(None)


def main():
    args = json.loads(sys.argv[1])
    session = lt.session(hermetic_settings(0, lt.alert.category_t.error_notification | lt.alert.category_t.status_notification))
    if args.get("pex", True):
        session.add_extension("ut_pex")
    if "torrent" in args:
        params = {"ti": lt.torrent_info(args["torrent"]), "save_path": args["dir"], "flags": lt.torrent_flags.seed_mode}
    else:
        params = lt.parse_magnet_uri(args["magnet"])
        params.save_path = args["dir"]
    handle = session.add_torrent(params)
    if args.get("downloadLimit"):
        handle.set_download_limit(args["downloadLimit"])
    commands = queue.Queue()
    threading.Thread(target=read_commands, args=(commands,), daemon=True).start()
    pending = list(args.get("peers", []))
    ready = metadata = complete = False
    next_progress = 0.0
    while True:
        session.wait_for_alert(100)
        for alert in session.pop_alerts():
            if isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert, lt.listen_failed_alert)):
                emit("error", message=alert.message())
                sys.exit(1)
        status = handle.status()
        if not ready and session.listen_port() != 0:
            ready = True
            emit("ready", port=session.listen_port())
        if not metadata and status.has_metadata:
            metadata = True
            emit("metadata", infoHash=str(handle.info_hashes().v1))
        if time.monotonic() >= next_progress:
            next_progress = time.monotonic() + 0.5
            peers = [{"address": f"{p.ip[0]}:{p.ip[1]}", "pex": bool(p.source & lt.peer_info.pex)} for p in handle.get_peer_info()]
            emit("progress", state=str(status.state), done=status.total_wanted_done, total=status.total_wanted, peers=peers)
            if metadata and not complete and status.is_seeding:
                complete = True
                emit("complete")
        while True:
            try:
                command = commands.get_nowait()
            except queue.Empty:
                break
            if command is None:
                return
            if command.get("command") == "connect":
                pending.append(command)
        while ready and pending:
            peer = pending.pop(0)
            handle.connect_peer((peer["host"], peer["port"]))


main()
