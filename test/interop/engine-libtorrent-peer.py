"""libtorrent 2.0 on 127.0.0.1 as the other side of the engine's download interop test.

Usage: engine-libtorrent-peer.py '<json>'
  {"mode": "seed", "dir", "size", "pieceLength", "version": "v1"|"hybrid"}
      writes dir/payload.bin (random.Random(size) bytes, any size), makes dir/payload.torrent, seeds it, prints
      {"port": n, "torrent": path} and runs until stdin closes.
  {"mode": "leech", "torrent", "dir", "peer": [host, port], "timeout": seconds}
      downloads into dir from that peer only, prints {"done": true, "state": ...} once seeding (or
      {"done": false, ...} at the timeout) and exits.
"""
import json
import os
import random
import sys
import time

import libtorrent as lt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "libs", "testing", "python"))
from lt_hermetic import hermetic_settings  # noqa: E402

# randbytes of more than 256 MiB at once overflows; big payloads are written in chunks.
CHUNK = 16 * 1024 * 1024

SETTINGS = hermetic_settings()


def seed(args):
    directory, size = args["dir"], args["size"]
    path = os.path.join(directory, "payload.bin")
    generator = random.Random(size)
    with open(path, "wb") as out:
        for start in range(0, size, CHUNK):
            out.write(generator.randbytes(min(CHUNK, size - start)))
    storage = lt.file_storage()
    lt.add_files(storage, path)
    flags = lt.create_torrent.v1_only if args.get("version", "v1") == "v1" else 0
    torrent = lt.create_torrent(storage, args["pieceLength"], flags)
    lt.set_piece_hashes(torrent, directory)
    encoded = lt.bencode(torrent.generate())
    torrent_path = os.path.join(directory, "payload.torrent")
    with open(torrent_path, "wb") as out:
        out.write(encoded)
    session = lt.session(SETTINGS)
    session.add_torrent({"ti": lt.torrent_info(encoded), "save_path": directory, "flags": lt.torrent_flags.seed_mode})
    print(json.dumps({"port": session.listen_port(), "torrent": torrent_path}), flush=True)
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
