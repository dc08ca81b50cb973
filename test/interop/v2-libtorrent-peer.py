"""libtorrent 2.0 on 127.0.0.1 as the other side of the v2/hybrid interop test.

Usage: v2-libtorrent-peer.py '<json>'
  {"mode": "seed", "dir", "files": [[name, size], ...], "pieceLength", "version": "v2"|"hybrid"}
      writes dir/content/<name> (random.Random(size) bytes), makes dir/content.torrent with libtorrent,
      seeds it, prints {"port", "torrent", "v1", "v2"} (info hashes in hex) and runs until stdin closes.
  {"mode": "leech", "torrent", "dir", "peer": [host, port], "timeout": seconds}
      downloads into dir from that peer only, prints {"done": true, ...} once seeding (or {"done": false, ...}
      at the timeout) and exits.
"""
import json
import os
import random
import sys
import time

import libtorrent as lt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "libs", "testing", "python"))
from lt_hermetic import hermetic_settings  # noqa: E402

SETTINGS = hermetic_settings()


def seed(args):
    directory = args["dir"]
    content = os.path.join(directory, "content")
    os.makedirs(content, exist_ok=True)
    for name, size in args["files"]:
        with open(os.path.join(content, name), "wb") as out:
            out.write(random.Random(size).randbytes(size))
    storage = lt.file_storage()
    lt.add_files(storage, content)
    flags = lt.create_torrent.v2_only if args["version"] == "v2" else 0
    torrent = lt.create_torrent(storage, args["pieceLength"], flags)
    lt.set_piece_hashes(torrent, directory)
    encoded = lt.bencode(torrent.generate())
    torrent_path = os.path.join(directory, "content.torrent")
    with open(torrent_path, "wb") as out:
        out.write(encoded)
    info = lt.torrent_info(encoded)
    hashes = info.info_hashes()
    session = lt.session(SETTINGS)
    session.add_torrent({"ti": info, "save_path": directory, "flags": lt.torrent_flags.seed_mode})
    print(json.dumps({
        "port": session.listen_port(),
        "torrent": torrent_path,
        "v1": str(hashes.v1) if hashes.has_v1() else None,
        "v2": str(hashes.v2) if hashes.has_v2() else None,
    }), flush=True)
    sys.stdin.read()


def leech(args):
    session = lt.session(SETTINGS)
    handle = session.add_torrent({"ti": lt.torrent_info(args["torrent"]), "save_path": args["dir"]})
    host, port = args["peer"]
    handle.connect_peer((host, port))
    deadline = time.time() + args.get("timeout", 60)
    while time.time() < deadline:
        status = handle.status()
        if status.is_seeding:
            print(json.dumps({"done": True, "state": str(status.state), "downloaded": status.total_wanted_done}), flush=True)
            return
        if status.num_peers == 0:
            handle.connect_peer((host, port))
        time.sleep(0.1)
    status = handle.status()
    print(json.dumps({"done": False, "state": str(status.state), "progress": status.progress, "peers": status.num_peers}), flush=True)


args = json.loads(sys.argv[1])
seed(args) if args["mode"] == "seed" else leech(args)
