"""A libtorrent seeder on 127.0.0.1 for the engine's peer-wire interop test.

Usage: engine-peer-seeder.py '<json>' with keys dir, size, pieceLength. Writes dir/payload.bin (byte i is
(i * 7 + 3) % 251), makes a v1 torrent of it, seeds it, prints one JSON line
{"port": n, "infoHash": hex}, and runs until stdin closes.
"""
import json
import os
import sys

import libtorrent as lt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "libs", "testing", "python"))
from lt_hermetic import hermetic_settings  # noqa: E402


def main():
    args = json.loads(sys.argv[1])
    directory, size = args["dir"], args["size"]
    path = os.path.join(directory, "payload.bin")
    with open(path, "wb") as out:
        out.write(bytes((i * 7 + 3) % 251 for i in range(size)))
    storage = lt.file_storage()
    lt.add_files(storage, path)
    torrent = lt.create_torrent(storage, args["pieceLength"], lt.create_torrent.v1_only)
    lt.set_piece_hashes(torrent, directory)
    info = lt.torrent_info(lt.bencode(torrent.generate()))
    session = lt.session(hermetic_settings())
    session.add_torrent({"ti": info, "save_path": directory, "flags": lt.torrent_flags.seed_mode})
    print(json.dumps({
        "port": session.listen_port(),
        "infoHash": str(info.info_hashes().v1),
    }), flush=True)
    sys.stdin.read()


main()
